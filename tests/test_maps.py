"""Tests for geo/maps.py: the map is a pure function, tested as rendered HTML."""

from __future__ import annotations

import base64
import json
import re
from datetime import date

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from geo.incidents import Evidence, Incident, Place, Source, incidents_to_frame
from geo.maps import (
    CHOROPLETH_COLORS,
    DEFAULT_COLOR,
    EVENT_COLORS,
    MIN_ZOOM,
    BasemapLayers,
    ShapeFiles,
    arc_points,
    build_map,
    choropleth_breaks,
    clicked_incident,
    clicked_province,
    detail_html,
    evidence_files,
    incident_detail,
    marker_radius,
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


_CONFIG = re.compile(r"var cfg = (\{.*?\});\n", re.S)
_SHAPES = re.compile(
    r"L\.geoJSON\((\{\"type\":\"FeatureCollection\".*?\}), \{\s*pane: \"([\w-]+)\"", re.S
)


def _config(html):
    """The browser-side configuration of the incidents layer (payload, mask, basemap)."""
    return json.loads(_CONFIG.search(html).group(1))


def _shapes(html, pane=None):
    """Features of the shape layers (areas, borders, arcs), optionally of one pane."""
    return [
        f
        for m in _SHAPES.finditer(html)
        if pane is None or m.group(2) == pane
        for f in json.loads(m.group(1))["features"]
    ]


def _points(html):
    cfg = _config(html)["points"]
    return [i for i, lat in enumerate(cfg["lat"]) if lat is not None]


def _arcs(html):
    return [f for f in _shapes(html, "geo-arcs") if f["properties"].get("arc")]


def test_markers_arcs_province_shape_and_legend():
    html = _html(build_map(_incidents(), _provinces(), tiles=False))
    assert len(_points(html)) == 3  # every incident is a marker (clickable) ...
    assert _config(html)["points"]["p"] == [0, 0, 2]  # ... the vague one drawn dashed
    cfg = _config(html)  # ... and its province as a dashed outline, never clickable
    assert cfg["areas"] == {"provinces": ["AF-BAL"], "districts": []}
    assert "pane: 'geo-areas', interactive: false" in html
    assert cfg["styles"]["area_province"]["dashArray"] == "6 4"
    assert len(_arcs(html)) == 1  # one arc ...
    assert sum(bool(f["properties"].get("arrowhead")) for f in _shapes(html)) == 1  # + its head
    assert "incident-legend" in html and "<details open" not in html  # folded legend
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


def test_a_frame_of_no_incidents_with_only_the_basic_columns_renders():
    bare = incidents_to_frame([])
    assert "admin1_iso" not in bare.columns
    cfg = _config(_html(build_map(bare, _provinces(), tiles=False, fit=False, for_report=True)))
    assert cfg["areas"] == {"provinces": [], "districts": []} and cfg["totals"] == {}


def test_local_assets_replace_cdn():
    m = build_map(_incidents(), None, tiles=False, asset_base="/app/static/vendor")
    html = _html(m)
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "jquery" not in html  # no folium popups on this map
    assert "/app/static/vendor/supercluster/supercluster.min.js" in html
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
    pts = _config(_html(build_map(_incidents(), None, tiles=False)))["points"]
    by_name = {pts["names"][pts["ni"][i]]: i for i in range(len(pts["id"]))}
    taloqan, khwaja = by_name["Taloqan"], by_name["Khwaja Ghar"]
    assert pts["r"][taloqan] > pts["r"][khwaja]
    assert pts["colors"][pts["t"][khwaja]] == EVENT_COLORS["Explosions/Remote violence"]
    assert pts["id"][taloqan] == "a" and pts["dates"][pts["d"][taloqan]] == "2022-06-11"


def test_every_incident_goes_to_the_browser_for_clustering():
    html = _html(build_map(_many(300), _provinces(), tiles=False))
    assert len(_points(html)) == 300  # no server-side grouping: clusters split on zoom
    assert "new Supercluster(" in html and "spiderfy(" in html
    assert _config(html)["cluster"] is True


def test_report_mode_draws_every_incident_inline_without_clusters():
    everything = _many(20)
    m = build_map(
        everything.iloc[:5], _provinces(), tiles=False, points=("/p.json", everything),
        shapes=ShapeFiles("/prov.json", "/countries.json"), for_report=True,
    )  # fmt: skip
    html = _html(m)
    cfg = _config(html)
    assert cfg["cluster"] is False and cfg["mask"] is None
    assert len(_points(html)) == 5 and isinstance(cfg["provinces"], dict)
    assert "supercluster" not in html.split("var cfg")[0]  # the library is not loaded


def test_served_shapes_are_urls_and_the_rerun_sends_only_codes():
    shapes = ShapeFiles("/prov.json", "/countries.json", "/districts.json")
    countries = gpd.GeoDataFrame({"name": ["X"]}, geometry=[box(60, 30, 70, 38)], crs=4326)
    m = build_map(
        _incidents(), _provinces(), countries, shapes=shapes, selected_provinces=["takhar"]
    )
    cfg = _config(_html(m))
    assert (cfg["provinces"], cfg["countries"]) == ("/prov.json", "/countries.json")
    assert cfg["selected_provinces"] == ["AF-TAK"]
    assert cfg["totals"]["AF-TAK"][:2] == [1, 8]


def _renumbered(m):
    """The page with element ids numbered in tree order (as geo/report/html.py does)."""
    stack, n = [m.get_root()], 0
    while stack:
        element = stack.pop()
        element._id = f"{n:032x}"
        n += 1
        stack.extend(reversed(list(element._children.values())))
    return m.get_root().render()


def test_same_view_gives_the_same_page_once_ids_are_renumbered():
    pages = [_renumbered(build_map(_incidents(), _provinces(), tiles=False)) for _ in range(2)]
    assert pages[0] == pages[1]


def test_public_drawing_helpers_and_their_old_names():
    from geo import maps

    pts = arc_points((36.0, 69.0), (37.0, 68.0))
    assert pts[0] == (36.0, 69.0) and pts[-1] == (37.0, 68.0) and len(pts) == 25
    assert marker_radius(None) == 5.0 < marker_radius(1) < marker_radius(40)
    assert DEFAULT_COLOR not in EVENT_COLORS.values()
    assert (maps._arc, maps._radius, maps._DEFAULT_COLOR) == (arc_points, marker_radius,
                                                              DEFAULT_COLOR)  # fmt: skip


def test_served_payload_is_masked_to_the_shown_rows():
    everything = _many(20)
    shown = everything[everything["event_type"] == "Protests"]
    cfg = _config(_html(build_map(shown, None, tiles=False, points=("/p.json", everything))))
    assert cfg["points"] == "/p.json"
    bits = np.unpackbits(np.frombuffer(base64.b64decode(cfg["mask"]), np.uint8))[:20]
    assert [i for i, b in enumerate(bits) if b] == [i for i in range(20) if i % 3 == 0]


@pytest.mark.parametrize(
    ("selected", "ring"), [("a", [36.736, 69.535]), ("nope", None), (None, None)]
)
def test_selected_incident_is_ringed(selected, ring):
    assert _config(_html(build_map(_incidents(), None, selected=selected)))["selected"] == ring


def test_district_level_incidents_draw_their_district():
    frame = _incidents()
    frame.loc[2, ["geo_precision", "admin2", "admin1_iso"]] = ["district", "Nahri Shahi", "AF-BAL"]
    districts = gpd.GeoDataFrame(
        {"name": ["Nahri Shahi", "Dehdadi"], "adm1_iso": ["AF-BAL", "AF-BAL"]},
        geometry=[box(67, 36.6, 67.3, 36.9), box(66.8, 36.5, 67.0, 36.7)],
        crs=4326,
    )
    cfg = _config(_html(build_map(frame, _provinces(), districts=districts)))
    assert cfg["areas"]["districts"] == [0]
    shape = cfg["districts"]["features"][0]
    assert shape["properties"]["k"] == 0
    assert shape["geometry"]["coordinates"][0][0][0] in (67.0, 67.3)
    assert cfg["styles"]["area_district"]["dashArray"] == "3 3"


def test_basemap_layers_reach_the_browser_and_borders_are_heavier():
    layers = BasemapLayers("/r.jpg", (60.0, 29.0, 75.0, 39.0), "/w.json", "/l.json", "A & B")
    countries = gpd.GeoDataFrame({"name": ["X"]}, geometry=[box(60, 30, 70, 38)], crs=4326)
    html = _html(build_map(_incidents(), _provinces(), countries, basemap=layers))
    cfg = _config(html)
    assert (cfg["relief"], cfg["water"], cfg["labels"]) == ("/r.jpg", "/w.json", "/l.json")
    assert cfg["relief_bounds"] == [[29.0, 60.0], [39.0, 75.0]] and cfg["credits"] == "A &amp; B"
    assert cfg["countries"]["features"][0]["properties"]["name"] == "X"
    assert cfg["styles"]["border"]["weight"] > 2 * cfg["styles"]["province"]["weight"]


@pytest.mark.parametrize(
    ("values", "breaks", "labels"),
    [
        ([2, 8], [2.0, 4.0, 6.0, 8.0], ["1–2", "3–4", "5–6", "7–8"]),
        ([10], [3.0, 5.0, 8.0, 10.0], ["1–3", "4–5", "6–8", "9–10"]),
        ([1], [1.0], ["1"]),
        ([3, 1], [1.0, 2.0, 3.0], ["1", "2", "3"]),
        ([], [], []),
        ([0], [], []),
    ],
)
def test_choropleth_classes_are_whole_numbers_never_backwards(values, breaks, labels):
    from geo.maps import _scale

    assert choropleth_breaks(values) == breaks
    scale = _scale(breaks)
    assert [label for label, _ in scale] == labels
    if scale:  # the top class is always the darkest grey
        assert scale[-1][1] == CHOROPLETH_COLORS[-1]


def test_report_legend_leaves_out_the_cluster_line():
    assert "click to open; at one spot" in _html(build_map(_incidents(), None, tiles=False))
    assert "click to open; at one spot" not in _html(build_map(_incidents(), None, tiles=False,
                                                     for_report=True))  # fmt: skip


def test_choropleth_palette_is_sequential_grey_and_never_an_event_colour():
    assert not set(CHOROPLETH_COLORS) & set(EVENT_COLORS.values())
    html = _html(build_map(_incidents(), _provinces(), tiles=False))
    assert "Incidents per province" in html and CHOROPLETH_COLORS[-1] in html  # the scale


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
    html = _html(build_map(frame, None, tiles=False))
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


def test_detail_quotes_the_span_of_the_text_it_is_given():
    texts = {"seed:article": "Eight died. Three were captured."}
    detail = incident_detail(_detail_row(start=0, end=11), texts, {"seed:article": {"killed": 8}})
    assert detail["evidence"] == [
        {"field": "fatalities", "source": "Outlet <b>", "sentence": "Eight died."}
    ]
    assert detail["sources"][0]["claims"] == {"killed": 8}
    assert detail["sources"][1]["url"] == ""  # javascript: links are dropped


def test_detail_falls_back_to_the_span_reference():
    detail = incident_detail(_detail_row(start=3, end=9))
    assert detail["evidence"][0]["sentence"] == "characters 3–9 of seed:article"


def test_evidence_files_name_what_the_caller_reads():
    assert evidence_files(_detail_row()) == {"seed:article": "article.txt"}


def test_detail_html_escapes_and_links():
    page = detail_html(incident_detail(_detail_row(text=HOSTILE)))
    assert "<img src=x" not in page and "<script>" not in page
    assert '<a href="https://x.org/a"' in page and "Outlet &lt;b&gt;" in page
    assert "javascript:" not in page


def test_many_province_level_incidents_share_one_shape_per_province():
    frame = _incidents().iloc[[2] * 60].reset_index(drop=True)
    assert _config(_html(build_map(frame, _provinces(), tiles=False)))["areas"]["provinces"] == [
        "AF-BAL"
    ]
    assert len(_points(_html(build_map(frame, _provinces(), tiles=False)))) == 60


def test_pin_map_uses_local_assets_and_marks_the_point():
    from geo.maps import pin_map

    html = pin_map(36.7, 69.5, asset_base="/app/static/vendor").get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.js" in html and "L.circleMarker(" in html
    assert "[36.7, 69.5]" in html
    assert "L.map(" in pin_map(None, None).get_root().render()  # no point: the region


@pytest.mark.parametrize(("for_report", "bounded"), [(False, True), (True, False)])
def test_the_map_stays_on_the_region(for_report: bool, bounded: bool) -> None:
    """No zooming out to the world (labels pile up) or panning off the basemap; a report
    frames its own view."""
    html = _html(build_map(_incidents(), None, tiles=False, for_report=for_report))
    compact = re.sub(r"\s", "", html)
    assert f'"minZoom":{MIN_ZOOM}' in compact
    w, s, e, n = BasemapLayers().bounds
    assert (f'"maxBounds":[[{s},{w},],[{n},{e},],]' in compact) is bounded
