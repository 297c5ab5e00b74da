"""Tests for geo/maps.py: the map is a pure function, tested as rendered HTML."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.incidents import Evidence, Incident, Place, Source, incidents_to_frame
from geo.maps import (
    EVENT_COLORS,
    build_map,
    clicked_incident,
    clicked_province,
    cluster_points,
    detail_html,
    incident_detail,
    popup_html,
    province_totals,
    safe_url,
)

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


_POINTS = re.compile(
    r"L\.geoJSON\((\{\"type\": \"FeatureCollection\".*?\}), \{\s*pointToLayer", re.S
)


def _features(html):
    """Features of every fast GeoJSON layer (markers, clusters, areas, arcs) in the page."""
    return [f for m in _POINTS.finditer(html) for f in json.loads(m.group(1))["features"]]


def _points(html):
    return [f for f in _features(html) if f["geometry"]["type"] == "Point"]


def _arcs(html):
    return [f for f in _features(html) if f["properties"].get("arc")]


def test_markers_arcs_province_shape_and_legend():
    html = _html(build_map(_incidents(), _provinces(), tiles=False))
    assert len(_points(html)) == 2  # the province-level incident is a shape
    assert "Incidents located to a province only" in html
    areas = [f for f in _features(html) if f["properties"].get("incident_id")]
    assert [a["properties"]["incident_id"] for a in areas] == ["c"]
    assert areas[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert len(_arcs(html)) == 1  # one arc ...
    assert sum(bool(f["properties"].get("arrowhead")) for f in _features(html)) == 1  # + its head
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
    assert "L.map(" in html and _points(html) == []


def test_local_assets_replace_cdn():
    m = build_map(_incidents(), None, tiles=False, asset_base="/app/static/vendor")
    html = _html(m)
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/vendor/jquery/jquery.min.js" in html
    assert not re.search(r"cdn\.jsdelivr\.net/npm/leaflet", html)


def test_tiles_are_optional_and_not_default_layer():
    html = _html(build_map(_incidents(), None, tiles=True))
    assert "tile.openstreetmap.org" in html


def _many(n):
    """``n`` incidents on a 0.3° grid around Takhar, alternating two event types."""
    return incidents_to_frame(
        [
            Incident(
                f"m{i}",
                date(2022, 1, 1 + i % 28),
                f"Place {i}",
                36.0 + (i % 10) * 0.3,
                69.0 + (i // 10 % 10) * 0.3,
                event_type="Battles" if i % 3 else "Protests",
                fatalities_best=i % 4,
                admin1="Takhar",
                admin1_iso="AF-TAK",
                country_iso2="AF",
            )
            for i in range(n)
        ]
    )


def test_marker_sizes_grow_with_fatalities_and_colours_follow_type():
    feats = {f["properties"]["tip"].split(",")[0]: f["properties"] for f in _points(
        _html(build_map(_incidents(), None, tiles=False))
    )}  # fmt: skip
    assert feats["Taloqan"]["r"] > feats["Khwaja Ghar"]["r"]
    assert feats["Khwaja Ghar"]["c"] == EVENT_COLORS["Explosions/Remote violence"]
    assert "id: a" in feats["Taloqan"]["popup"]


def test_many_incidents_are_clustered_without_popups():
    html = _html(build_map(_many(300), _provinces(), tiles=False, max_markers=100))
    feats = _points(html)
    assert 0 < len(feats) <= 100
    assert all("popup" not in f["properties"] for f in feats)
    assert sum(int(f["properties"]["tip"].split()[0]) for f in feats) == 300
    assert "Incidents (clustered)" in html and "Incidents per province" in html


@pytest.mark.parametrize("max_clusters", [1, 5, 50])
def test_cluster_points_respects_the_limit_and_keeps_every_incident(max_clusters):
    out = cluster_points(_many(100), max_clusters=max_clusters)
    assert len(out) <= max_clusters
    assert out["count"].sum() == 100
    assert set(out["event_type"]) <= {"Battles", "Protests"}


def test_province_totals_count_incidents_and_fatalities():
    out = province_totals(_incidents())
    assert out.loc["AF-TAK", "incidents"] == 1 and out.loc["AF-TAK", "fatalities"] == 8
    assert "" not in out.index and len(out) == 2


@pytest.mark.parametrize("measure", ["incidents", "fatalities"])
def test_choropleth_layer_names_its_measure(measure):
    html = _html(build_map(_incidents(), _provinces(), tiles=False, choropleth=measure))
    assert f"{measure.capitalize()} per province" in html


def test_unknown_choropleth_measure_is_a_typed_error():
    from geo import SettingError

    with pytest.raises(SettingError, match="deaths"):
        build_map(_incidents(), None, choropleth="deaths")


def test_extra_tiles_offer_a_second_tile_layer():
    assert "opentopomap" not in _html(build_map(_incidents(), None))
    assert "opentopomap" in _html(build_map(_incidents(), None, extra_tiles=True))


def test_many_cross_border_arcs_are_grouped():
    frame = _incidents().iloc[[1] * 400].reset_index(drop=True)
    html = _html(build_map(frame, None, tiles=False, max_markers=10))
    assert len(_arcs(html)) == 1
    assert _arcs(html)[0]["properties"]["tip"] == "400 incidents, Khwaja Ghar → Panj: disputed"


@pytest.mark.parametrize(
    ("drawing", "expected"),
    [
        ({"properties": {"name": "Takhar", "iso_3166_2": "AF-TAK"}}, "Takhar"),
        ({"properties": {"name": "Bamy&#x27;an", "iso_3166_2": "AF-BAM"}}, "Bamy'an"),
        ({"properties": {"name": "Afghanistan", "iso2": "AF"}}, None),
        ({"properties": {"incident_id": "c"}}, None),
        ({"type": "Feature", "geometry": {"type": "Point"}}, None),
        (None, None),
    ],
)
def test_clicked_province(drawing, expected):
    assert clicked_province(drawing) == expected


@pytest.mark.parametrize(
    ("drawing", "popup", "expected"),
    [
        ({"properties": {"incident_id": "seed-x"}}, None, "seed-x"),
        (
            None,
            "Taloqan — 2022-06-11\nSources: none\nid: seed-2022-06-11-raid",
            "seed-2022-06-11-raid",
        ),
        (None, "no id line here", None),
        ({"properties": {"name": "Takhar"}}, None, None),
    ],
)
def test_clicked_incident(drawing, popup, expected):
    assert clicked_incident(drawing, popup) == expected


def _detail_row(text="", start=0, end=5):
    inc = Incident(
        "d",
        date(2022, 6, 11),
        "Taloqan",
        36.7,
        69.5,
        sources=[
            Source(
                "seed:article", publisher="Outlet <b>", url="https://x.org/a", file="article.txt"
            ),
            Source("web:2", publisher="Other", url="javascript:alert(1)"),
        ],
        evidence=[Evidence("fatalities", text, "seed:article", start, end)],
    )
    return incidents_to_frame([inc]).iloc[0]


def test_detail_reads_the_sentence_from_the_seed_file(tmp_path):
    (tmp_path / "article.txt").write_text("Eight died. Three were captured.", encoding="utf-8")
    detail = incident_detail(
        _detail_row(start=0, end=11), tmp_path, {"seed:article": {"killed": 8}}
    )
    assert detail["evidence"] == [
        {"field": "fatalities", "source": "Outlet <b>", "sentence": "Eight died."}
    ]
    assert detail["sources"][0]["claims"] == {"killed": 8}
    assert detail["sources"][1]["url"] == ""  # javascript: links are dropped


def test_detail_falls_back_to_the_span_reference(tmp_path):
    detail = incident_detail(_detail_row(start=3, end=9), tmp_path / "missing")
    assert detail["evidence"][0]["sentence"] == "characters 3–9 of article.txt"


def test_detail_html_escapes_and_links():
    page = detail_html(incident_detail(_detail_row(text=HOSTILE)))
    assert "<img src=x" not in page and "<script>" not in page
    assert '<a href="https://x.org/a"' in page and "Outlet &lt;b&gt;" in page
    assert "javascript:" not in page


def test_detail_of_the_embedded_dataset_quotes_seed_articles():
    seeds = Path(__file__).parents[1].parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside the repository")
    from geo.incidents import load_incidents

    frame = incidents_to_frame(
        load_incidents(Path(__file__).parents[1] / "data" / "incidents.json")
    )
    detail = incident_detail(frame.iloc[0], seeds)
    assert detail["evidence"]
    assert not any(e["sentence"].startswith("characters ") for e in detail["evidence"])


def test_many_province_level_incidents_share_one_shape_per_province():
    frame = _incidents().iloc[[2] * 60].reset_index(drop=True)
    areas = [f for f in _features(_html(build_map(frame, _provinces(), tiles=False)))
             if f["geometry"]["type"] != "Point"]  # fmt: skip
    assert len(areas) == 1
    assert areas[0]["properties"]["tip"].startswith("60 incidents located only to Balkh")


def test_pin_map_uses_local_assets_and_marks_the_point():
    from geo.maps import pin_map

    html = pin_map(36.7, 69.5, asset_base="/app/static/vendor").get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.js" in html and "L.circleMarker(" in html
    assert "[36.7, 69.5]" in html
    assert "L.map(" in pin_map(None, None).get_root().render()  # no point: the region
