"""Tests for geo/maps.py: the map is a pure function, tested as rendered HTML."""

from __future__ import annotations

import re
from datetime import date

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.incidents import Incident, Place, Source, incidents_to_frame
from geo.maps import EVENT_COLORS, build_map, popup_html, safe_url

HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"


def _provinces():
    return gpd.GeoDataFrame(
        {
            "name": ["Takhar", "Balkh"],
            "iso_3166_2": ["AF-TAK", "AF-BAL"],
            "country_iso2": ["AF", "AF"],
        },
        geometry=[box(69, 36, 70.5, 37.5), box(66.5, 36, 68, 37)],
        crs=4326,
    )


def _incidents(**extra):
    a = Incident(
        "a",
        date(2022, 6, 11),
        "Taloqan",
        36.736,
        69.535,
        fatalities_best=8,
        admin1="Takhar",
        admin1_iso="AF-TAK",
        country_iso2="AF",
    )
    b = Incident(
        "b",
        date(2022, 5, 7),
        "Khwaja Ghar",
        37.066,
        69.421,
        event_type="Explosions/Remote violence",
        claim_status="disputed",
        origin=Place("Khwaja Ghar", 37.066, 69.421, "AF"),
        target=Place("Panj", 37.236, 69.099, "TJ"),
        country_iso2="AF",
    )
    c = Incident(
        "c",
        date(2022, 3, 26),
        "Balkh province",
        36.68,
        67.2,
        geo_precision="province",
        admin1="Balkh",
        admin1_iso="AF-BAL",
        country_iso2="AF",
        **extra,
    )
    return incidents_to_frame([a, b, c])


def _html(m):
    return m.get_root().render()


def test_markers_arcs_province_shape_and_legend():
    html = _html(build_map(_incidents(), _provinces(), tiles=False))
    assert html.count("L.circleMarker(") == 2  # the province-level incident is a shape
    assert "Incidents located to a province only" in html
    assert html.count("L.polyline(") == 1 and "L.polygon(" in html  # arc + arrowhead
    assert "incident-legend" in html
    for color in EVENT_COLORS.values():
        assert color in html


def test_arc_tooltip_carries_claim_status():
    html = _html(build_map(_incidents(), None, tiles=False))
    assert "Khwaja Ghar → Panj: disputed" in html


def test_hostile_text_is_escaped_everywhere():
    inc = Incident(
        "h",
        date(2022, 1, 1),
        HOSTILE,
        36.0,
        69.0,
        notes=HOSTILE,
        actors=[HOSTILE],
        sources=[Source("s", publisher=HOSTILE, url="javascript:alert(3)")],
    )
    html = _html(build_map(incidents_to_frame([inc]), None, tiles=False))
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "javascript:alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_popup_lists_sources_with_http_links_only():
    inc = Incident(
        "s",
        date(2022, 1, 1),
        "Kabul",
        34.5,
        69.1,
        sources=[
            Source("1", publisher="Good", url="https://example.org/x"),
            Source("2", publisher="Bad", url="data:text/html,boom"),
        ],
    )
    row = incidents_to_frame([inc]).iloc[0]
    html = popup_html(row)
    assert '<a href="https://example.org/x"' in html
    assert "data:text" not in html and "Bad" in html


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.org", True),
        ("HTTP://a.org", True),
        ("javascript:alert(1)", False),
        (" data:x", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url(url, ok):
    assert bool(safe_url(url)) is ok


def test_selected_province_is_highlighted():
    html = _html(build_map(_incidents(), _provinces(), selected_provinces=["af-tak"], tiles=False))
    assert "#3186cc" in html


def test_empty_selection_renders_a_map():
    html = _html(build_map(_incidents().iloc[:0], _provinces(), tiles=False))
    assert "L.map(" in html and "L.circleMarker(" not in html


def test_local_assets_replace_cdn():
    m = build_map(_incidents(), None, tiles=False, asset_base="/app/static/vendor")
    html = _html(m)
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/vendor/jquery/jquery.min.js" in html
    assert not re.search(r"cdn\.jsdelivr\.net/npm/leaflet", html)


def test_tiles_are_optional_and_not_default_layer():
    html = _html(build_map(_incidents(), None, tiles=True))
    assert "tile.openstreetmap.org" in html
