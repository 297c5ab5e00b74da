"""The running app in headless Chromium: count, province filter, map, screenshots."""

from __future__ import annotations

import re

import pytest

from tests.browser import chromium_page, require_chromium, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COUNT = re.compile(r"(\d+) incidents?")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    require_chromium()
    db = tmp_path_factory.mktemp("db") / "incidents.db"
    with streamlit_server({"GEO_DATABASE_URL": f"sqlite:///{db}"}) as url:
        yield url


def _count(page) -> int:
    text = page.get_by_text(COUNT).first.inner_text()
    return int(COUNT.search(text).group(1))


def _wait_count(page, expected: int, timeout_s: float = 30) -> None:
    page.get_by_text(re.compile(rf"^{expected} incidents?$")).first.wait_for(
        timeout=timeout_s * 1000
    )


def _map_frame(page):
    frame_el = page.locator("iframe[title*='st_folium']").first
    frame_el.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('iframe')]"
        ".some(f => f.getBoundingClientRect().height > 300)",
        timeout=30_000,
    )
    return frame_el.content_frame


def test_count_then_choose_a_province(app_url, shared_settings, output_dir):
    with chromium_page() as page:
        page.goto(app_url)
        _wait_count(page, 12, 60)
        assert _count(page) == 12
        frame = _map_frame(page)
        frame.locator(".leaflet-container").wait_for(timeout=30_000)
        page.screenshot(path=output_dir / "map-all.png", full_page=True)

        provinces = page.locator("[data-testid='stMultiSelect']").filter(has_text="Provinces")
        provinces.locator("input").click()
        page.keyboard.type("Takhar")
        page.keyboard.press("Enter")
        _wait_count(page, 3)
        assert _count(page) == 3
        assert "province=Takhar" in page.url
        _map_frame(page)
        page.wait_for_timeout(1500)
        page.screenshot(path=output_dir / "map-takhar.png", full_page=True)


def test_province_link_reproduces_the_view(app_url, shared_settings, output_dir):
    with chromium_page() as page:
        page.goto(f"{app_url}/?province=AF-TAK")
        _wait_count(page, 3, 60)
        table_text = page.locator("[data-testid='stDataFrame']").first.inner_text()
        assert "Surxondaryo" not in table_text
        page.screenshot(path=output_dir / "map-link-takhar.png", full_page=True)
