"""Hostile text in the real browser: no script runs, no dialog opens, text shows as typed.

Article titles, notes, actor and place names and source URLs carrying HTML or JavaScript
go into a stand-alone HTML map; Chromium opens it, every popup and tooltip is opened,
and the test counts dialogs and a global flag the payloads would set if they ran.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from geo.incidents import Incident, Place, Source
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.test_report import _view

pytestmark = pytest.mark.browser

PAYLOADS = [
    '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
    "</script><script>window.__xss=(window.__xss||0)+1</script>",
    "<svg onload=window.__xss=(window.__xss||0)+1>",
    "{{ constructor.constructor('window.__xss=1')() }}",
    "\u202eevil\u200b" + "W" * 3000,
]


def _hostile(n: int, text: str) -> Incident:
    return Incident(
        incident_id=f"x{n}",
        event_date=date(2022, 5, 1 + n),
        location_name=text,
        lat=35.0,
        lon=61.0 + n,
        country_iso2="AA",
        admin1="West",
        admin1_iso="AA-W",
        actors=[text, "Taliban"],
        notes=text,
        claimed_by=[text],
        claim_status="claimed",
        origin=Place(text, 35.0, 61.0 + n, "AA"),
        target=Place(text, 36.0, 62.0 + n, "BB"),
        sources=[Source(f"s{n}", publisher=text, url="javascript:window.__xss=1", title=text)],
    )


OPEN_ALL = """() => {
  const map = Object.keys(window).filter(k => k.startsWith('map_')).map(k => window[k])
      .find(m => m && m.eachLayer);
  const texts = [];
  map.eachLayer(layer => {
    for (const what of ['Popup', 'Tooltip']) {
      const item = layer['get' + what] && layer['get' + what]();
      if (!item) continue;
      layer['open' + what](layer.getLatLng ? layer.getLatLng() : map.getCenter());
      const el = item.getElement();
      if (el) texts.push(el.innerText);
      layer['close' + what]();
    }
  });
  return texts;
}"""


def test_hostile_text_never_runs_in_the_html_map(output_dir):
    require_chromium()
    from playwright.sync_api import sync_playwright

    view = _view([_hostile(n, p) for n, p in enumerate(PAYLOADS)], title=PAYLOADS[0])
    from geo.report import render_html

    html = render_html(view)
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.route("http*://**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            page.wait_for_function("window.__geoReportReady === true", timeout=20_000)
            texts = page.evaluate(OPEN_ALL)
            executed = page.evaluate("() => window.__xss || 0")
            links = page.evaluate(
                "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"
            )
        finally:
            browser.close()
    figures = {"payloads": len(PAYLOADS), "scripts_executed": executed, "dialogs": len(dialogs)}
    (output_dir / "security.json").write_text(json.dumps(figures))
    assert executed == 0 and dialogs == []
    joined = "\n".join(texts)
    assert "<img src=x onerror=" in joined  # shown as typed, not interpreted
    assert "</script><script>" in joined
    assert not [href for href in links if href.lower().startswith("javascript:")]
