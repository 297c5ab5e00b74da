"""Hostile text never reaches HTML or templates unescaped (no browser needed).

folium/branca re-parse rendered element HTML as a Jinja template, so text carrying
``{{ … }}`` would be evaluated on the server if it were not escaped: these tests make
sure it is shown as typed and never evaluated.
"""

from __future__ import annotations

from datetime import date

import pytest

from geo.incidents import Incident, Place, Source, incidents_to_frame
from geo.maps import build_map

TEMPLATE_PAYLOADS = [
    "{{ 'pwn' ~ 'ed' }}",
    "{{ cycler.__init__.__globals__.os.getcwd() }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{# comment #}",
    "{{",
    "}}{%",
]


@pytest.mark.parametrize("payload", TEMPLATE_PAYLOADS)
def test_template_syntax_in_article_text_is_not_evaluated(payload):
    inc = Incident(
        "t",
        date(2022, 5, 7),
        payload,
        36.0,
        69.0,
        notes=payload,
        actors=[payload],
        claimed_by=[payload],
        claim_status="claimed",
        origin=Place(payload, 36.0, 69.0, "AF"),
        target=Place(payload, 37.0, 69.0, "TJ"),
        sources=[Source("s", publisher=payload, title=payload)],
    )
    html = build_map(incidents_to_frame([inc]), None, tiles=False).get_root().render()
    assert "pwned" not in html  # the expression was never evaluated
    assert "looploop" not in html
    assert "&#123;" in html  # the braces are there, as entities
