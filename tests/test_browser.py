"""The running app in headless Chromium: the must-shows of the dashboard, with screenshots.

Opening ``/?province=Takhar``, choosing and clicking provinces, moving the date range,
stepping the player, opening an incident's detail from the map.  Screenshots go to
``tests/output/``.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import chromium_page, require_chromium, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COUNT = re.compile(r"(\d+) incidents?")
TALOQAN = (36.736, 69.535)


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


def _map_pixel(page, lat: float, lon: float) -> tuple[float, float]:
    """Page coordinates of (lat, lon) on the Leaflet map inside the st_folium iframe."""
    frame_el = page.locator("iframe[title*='st_folium']").first
    _map_frame(page)
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_function("() => window.map && window.map.getSize().x > 0", timeout=30_000)
    page.wait_for_timeout(800)  # let fitBounds settle
    x, y = frame.evaluate(
        """([lat, lon]) => {
            const p = window.map.latLngToContainerPoint([lat, lon]);
            const r = window.map.getContainer().getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
        }""",
        [lat, lon],
    )
    box = frame_el.bounding_box()
    return box["x"] + x, box["y"] + y


def _takhar_point_away_from_incidents(shared_settings) -> tuple[float, float]:
    """A point inside Takhar at least 0.25° from every incident marker or arc end."""
    from shapely.geometry import Point

    from geo import load_admin1

    a1 = load_admin1(shared_settings)
    takhar = a1[a1["iso_3166_2"] == "AF-TAK"].geometry.iloc[0]
    avoid = [TALOQAN, (37.066, 69.421)]
    for lat in (36.2, 36.3, 36.4, 36.5, 36.6):
        for lon in (69.9, 70.0, 70.1, 70.2):
            far = all(abs(lat - a) + abs(lon - b) > 0.25 for a, b in avoid)
            if far and takhar.contains(Point(lon, lat)):
                return lat, lon
    raise AssertionError("no clear point found inside Takhar")


def test_count_then_choose_a_province(app_url, shared_settings, output_dir):
    with chromium_page() as page:
        page.goto(app_url)
        _wait_count(page, 12, 60)
        assert _count(page) == 12
        frame = _map_frame(page)
        frame.locator(".leaflet-container").wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
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


@pytest.mark.parametrize("province", ["Takhar", "AF-TAK"])
def test_province_link_shows_only_that_province(app_url, shared_settings, output_dir, province):
    with chromium_page() as page:
        page.goto(f"{app_url}/?province={province}")
        _wait_count(page, 3, 60)
        # The table is drawn on a canvas; the detail picker lists the shown incidents.
        page.get_by_role("combobox", name=re.compile("Incident detail")).click()
        options = [o for o in page.get_by_role("option").all_inner_texts() if "·" in o]
        page.keyboard.press("Escape")
        assert len(options) == 3, options
        assert all("Taloqan" in o or "Khwaja Ghar" in o for o in options), options
        page.screenshot(path=output_dir / f"map-link-{province}.png", full_page=True)


def test_clicking_a_province_on_the_map_filters_to_it(app_url, shared_settings, output_dir):
    lat, lon = _takhar_point_away_from_incidents(shared_settings)
    with chromium_page() as page:
        page.goto(app_url)
        _wait_count(page, 12, 60)
        page.mouse.click(*_map_pixel(page, lat, lon))
        _wait_count(page, 3)
        page.wait_for_url(re.compile(r"province=Takhar"), timeout=15_000)
        chosen = page.locator("[data-testid='stMultiSelect']").filter(has_text="Provinces")
        assert "Takhar" in chosen.inner_text()
        _map_frame(page)
        page.wait_for_timeout(1500)
        page.screenshot(path=output_dir / "map-province-click.png", full_page=True)


def test_moving_the_date_range(app_url, shared_settings, output_dir):
    with chromium_page() as page:
        page.goto(app_url)
        _wait_count(page, 12, 60)
        thumb = "[data-testid='stSlider'] input[aria-label='Date range — {}']"
        start = page.locator(thumb.format("start")).locator("xpath=../..").bounding_box()
        end = page.locator(thumb.format("end")).locator("xpath=../..").bounding_box()
        y = start["y"] + start["height"] / 2
        page.mouse.move(start["x"] + start["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(start["x"] + (end["x"] - start["x"]) * 0.1, y, steps=8)
        page.mouse.up()
        page.wait_for_url(re.compile(r"from=\d{4}-\d\d-\d\d"), timeout=15_000)
        page.wait_for_function(
            "() => /\\b([0-9]|1[01]) incidents?\\b/.test(document.body.innerText)",
            timeout=15_000,
        )
        assert _count(page) < 12
        page.screenshot(path=output_dir / "map-date-range.png", full_page=True)


def test_playing_one_step(app_url, shared_settings, output_dir):
    with chromium_page() as page:
        page.goto(f"{app_url}/?from=2022-05-02&to=2022-05-08")
        page.get_by_text(COUNT).first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Step ▶").click()
        page.wait_for_url(re.compile(r"from=2022-05-09&to=2022-05-15"), timeout=15_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=output_dir / "map-play-step.png", full_page=True)


def test_clicking_an_incident_opens_its_detail(app_url, shared_settings, output_dir):
    with chromium_page() as page:
        page.goto(f"{app_url}/?province=Takhar")
        _wait_count(page, 3, 60)
        page.mouse.click(*_map_pixel(page, *TALOQAN))
        detail = page.locator(".incident-detail")
        detail.wait_for(timeout=20_000)
        text = detail.inner_text()
        assert "Taloqan" in text and "Sources" in text and "Evidence" in text
        assert "characters " not in text  # sentences quoted from the seed articles
        page.wait_for_timeout(800)
        page.screenshot(path=output_dir / "map-detail.png", full_page=True)
