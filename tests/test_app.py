"""Every page runs without exception (Streamlit AppTest); filters act on the count."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import read_manifest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted(
    p.name
    for p in (REPO / "pages").glob("*.py")
    if p.name not in {"__init__.py", "common.py", "access.py"}
)


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    """Each test gets its own empty store, which the app seeds from data/ on first use."""
    monkeypatch.setenv("GEO_DATABASE_URL", f"sqlite:///{tmp_path / 'incidents.db'}")


def _count(at: AppTest) -> int:
    for md in at.markdown:
        m = re.search(r"\*\*(\d+) incidents?\*\*", md.value)
        if m:
            return int(m.group(1))
    raise AssertionError("no incident count on the page")


def _run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / page), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


#: Pages that show the filtered incidents, and so the "N incidents" count.
COUNTED = ["map.py", "incidents.py"]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page):
    at = _run(page)
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", COUNTED)
def test_incident_pages_show_the_count(page):
    assert _count(_run(page)) >= 10


def test_app_entry_point_runs():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception


def test_province_in_url_filters_the_map(shared_settings):
    at = _run("map.py", province="Takhar")
    assert not at.exception
    assert _count(at) == 3
    assert at.multiselect(key="f_provinces").value == ["Takhar"]


@pytest.mark.parametrize("spelling", ["Takhar Province", "takhar", "AF-TAK"])
def test_a_province_spelling_in_the_url_filters_the_map(shared_settings, spelling):
    at = _run("map.py", province=spelling)
    assert not at.exception
    assert _count(at) == 3
    assert at.multiselect(key="f_provinces").value == ["Takhar"]


def test_choosing_a_province_changes_the_count(shared_settings):
    at = _run("map.py")
    total = _count(at)
    at.multiselect(key="f_provinces").select("Takhar").run()
    assert _count(at) == 3 < total
    assert at.query_params["province"] in ("Takhar", ["Takhar"])


def test_country_filter(shared_settings):
    at = _run("incidents.py", country="UZ")
    assert _count(at) == 1


def test_store_is_seeded_once(tmp_path):
    from geo import open_store

    _run("map.py")
    _run("incidents.py")
    with open_store(f"sqlite:///{tmp_path / 'incidents.db'}") as stored:
        assert stored.count() == 12


#: URL filter -> incidents it leaves of the 12 in data/incidents.json, counted by hand from
#: the file: 5 "Explosions/Remote violence"; 2 with cross_border true; 5 with
#: fatalities_best >= 5 (8, 6, 182, 90, 149); 2 whose notes mention "rocket"; 2 "disputed".
URL_FILTER_COUNTS = [
    ({"event_type": "Explosions/Remote violence"}, 5),
    ({"cross_border": "true"}, 2),
    ({"min_fatalities": "5"}, 5),
    ({"q": "rocket"}, 2),
    ({"claim": "disputed"}, 2),
]


@pytest.mark.parametrize(("params", "expected"), URL_FILTER_COUNTS)
def test_every_url_filter_narrows_the_view(params, expected):
    """Each URL parameter leaves exactly its incidents and survives the rewrite of the URL."""
    at = _run("map.py", **params)
    assert not at.exception, at.exception
    assert _count(at) == expected
    for key, value in params.items():
        assert at.query_params[key] in (value, [value])


def test_sidebar_widgets_follow_the_url(shared_settings):
    at = _run(
        "map.py",
        province="AF-TAK",
        event_type="battles",
        claim="claimed",
        cross_border="false",
        min_fatalities="2",
        q="raid",
    )
    assert not at.exception, at.exception
    assert at.multiselect(key="f_provinces").value == ["Takhar"]
    assert at.multiselect(key="f_types").value == ["Battles"]
    assert at.multiselect(key="f_claims").value == ["claimed"]
    assert at.checkbox(key="f_cross").value is False
    assert at.number_input(key="f_min_fat").value == 2
    assert at.text_input(key="f_q").value == "raid"


def test_widgets_write_the_url(shared_settings):
    at = _run("map.py")
    at.checkbox(key="f_cross").check().run()
    at.number_input(key="f_min_fat").set_value(1).run()
    assert at.query_params["cross_border"] in ("true", ["true"])
    assert at.query_params["min_fatalities"] in ("1", ["1"])
    assert not at.exception


def test_date_slider_and_presets(shared_settings):
    at = _run("map.py")
    total = _count(at)
    at.slider(key="f_dates").set_value((date(2022, 6, 1), date(2022, 6, 30))).run()
    assert 0 < _count(at) < total
    assert at.query_params["from"] in ("2022-06-01", ["2022-06-01"])
    at.button(key="preset_All").click().run()
    assert _count(at) == total and "from" not in at.query_params


def _timeline_bars(at: AppTest) -> tuple[str, int]:
    """The map page timeline's y title and the incidents its bars add up to."""
    import pyarrow as pa

    chart = at.get("vega_lite_chart")[0].proto
    bars = next(layer for layer in json.loads(chart.spec)["layer"] if "y" in layer["encoding"])
    tables = [pa.ipc.open_stream(d.data.data).read_all() for d in chart.datasets]
    total = sum(sum(t["incidents"].to_pylist()) for t in tables if "incidents" in t.column_names)
    return bars["encoding"]["y"]["title"], total


def test_the_timeline_counts_the_filtered_incidents_per_bin_over_all_dates(shared_settings):
    from geo import open_store, timeline_bin

    at = _run("map.py")  # seeds the store
    with open_store(os.environ["GEO_DATABASE_URL"]) as store:
        dates = store.query()["event_date"]
    total = _count(at)
    unit = timeline_bin(dates.min().date(), dates.max().date())
    assert _timeline_bars(at) == (f"incidents per {unit}", total)
    at.slider(key="f_dates").set_value((date(2022, 6, 1), date(2022, 6, 30))).run()
    assert _count(at) < total and _timeline_bars(at)[1] == total  # every date stays on it
    at.multiselect(key="f_provinces").select("Takhar").run()
    assert _timeline_bars(at)[1] == 3  # the other filters act on it


def test_playback_steps_the_window_by_a_week():
    at = _run("map.py", **{"from": "2022-05-02", "to": "2022-05-08"})
    at.button(key="play_fwd").click().run()
    assert at.slider(key="f_dates").value == (date(2022, 5, 9), date(2022, 5, 15))
    assert at.query_params["from"] in ("2022-05-09", ["2022-05-09"])
    at.button(key="play_back").click().run()
    assert at.slider(key="f_dates").value == (date(2022, 5, 2), date(2022, 5, 8))


def test_detail_panel_shows_sources_and_evidence():
    at = _run("map.py", province="Takhar")
    options = at.selectbox(key="detail").options
    assert len(options) == 4  # the blank choice and Takhar's three incidents
    at.selectbox(key="detail").set_value("seed-2022-06-11-taloqan-raid").run()
    assert not at.exception, at.exception
    page = " ".join(h.proto.body for h in at.get("html"))
    assert "incident-detail" in page and "Evidence" in page
    assert any("edit?incident=seed-2022-06-11-taloqan-raid" in md.value for md in at.markdown)


def test_prepare_report_offers_the_shown_view_until_the_filters_change():
    at = _run("map.py", province="Takhar")
    assert not at.get("download_button")
    at.button(key="report_prepare").click().run()
    assert not at.exception, at.exception
    labels = sorted(b.proto.label for b in at.get("download_button"))
    assert labels == ["Download HTML map", "Download PDF report", "Download PNG"]
    prepared = at.session_state["report"]
    for fmt in ("png", "pdf", "html"):
        manifest = read_manifest(prepared[fmt])
        assert (manifest["format"], manifest["incident_count"]) == (fmt, 3)
        assert manifest["filters"] == {"province": "Takhar"}
    at.multiselect(key="f_provinces").select("Balkh").run()
    assert not at.get("download_button")  # the prepared files show another view now


@pytest.mark.parametrize(
    ("params", "warned"),
    [
        ({"province": "Punjb"}, "Punjb"),
        ({"event_type": "Batles"}, "Batles"),
        ({"province": "Takhar"}, None),
    ],
)
def test_an_unknown_filter_value_in_the_url_is_a_visible_warning(shared_settings, params, warned):
    at = _run("map.py", **params)
    assert not at.exception, at.exception
    warnings = [t.value for t in at.sidebar.text if t.value.startswith("⚠")]
    if warned is None:
        assert warnings == []
    else:
        assert any(warned in w and "closest" in w for w in warnings), warnings


def test_the_app_report_has_summary_tables_and_the_full_list_on_request(shared_settings):
    at = _run("map.py")
    at.button(key="report_prepare").click().run()
    assert not at.exception, at.exception
    short = at.session_state["report"]["pdf"]
    at.checkbox(key="report_full_list").check().run()
    assert not at.get("download_button")  # the choice changes the report
    at.button(key="report_prepare").click().run()
    full = at.session_state["report"]["pdf"]
    assert read_manifest(short)["full_list"] is False
    assert read_manifest(full)["full_list"] is True
