"""Every page runs without exception (Streamlit AppTest); filters act on the count."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted(
    p.name for p in (REPO / "pages").glob("*.py") if p.name not in {"__init__.py", "common.py"}
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


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_exception(page):
    at = _run(page)
    assert not at.exception, at.exception
    assert _count(at) >= 10


def test_app_entry_point_runs():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception


def test_province_in_url_filters_the_map(shared_settings):
    at = _run("map.py", province="Takhar")
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
