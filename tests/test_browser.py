"""The running app in headless Chromium: the must-shows of the dashboard, with screenshots.

Opening ``/?province=Takhar``, choosing and clicking provinces, moving the date range,
stepping the player, opening an incident's detail from the map.  Screenshots go to
``tests/output/``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import REPO, chromium_page, require_chromium, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
COUNT = re.compile(r"(\d+) incidents?")
TALOQAN = (36.736, 69.535)
REPO_DOCS = REPO / "docs"


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


def _idle(page, timeout_s: float = 60) -> None:
    """Wait until the app runs no script (Streamlit's status widget is gone), so that
    the next click is not taken in the middle of a rerun."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout_s * 1000,
    )


def _click_until_url(page, button, pattern: str, timeout_s: float = 20) -> None:
    """Click ``button`` and wait for the link to match ``pattern``; click once more if
    the link has not changed at all by then.  Streamlit drops a click that lands while
    a rerun is being replaced (its trigger value is reset), which a person simply
    repeats; a click that only took long has changed the link and is not repeated."""
    before = page.url
    for attempt in range(2):
        button.click()
        try:
            page.wait_for_url(re.compile(pattern), timeout=timeout_s * 1000)
            return
        except PlaywrightTimeout:
            if attempt or page.url != before:
                raise
            _idle(page)


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
        _idle(page)
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
        _idle(page)
        step = page.get_by_role("button", name="Step ▶")
        _click_until_url(page, step, r"from=2022-05-09&to=2022-05-15")
        page.wait_for_timeout(1000)
        page.screenshot(path=output_dir / "map-play-step.png", full_page=True)


def test_clicking_an_incident_opens_its_detail(app_url, shared_settings, output_dir):
    with chromium_page() as page:
        page.goto(f"{app_url}/?province=Takhar")
        _wait_count(page, 3, 60)
        frame = _leaflet(page)
        page.mouse.click(*_page_point(page, frame, *TALOQAN))
        page.wait_for_timeout(800)
        if frame.evaluate("() => geoClusters.spider.length > 0"):  # one spot spreads out
            lat, lon = frame.evaluate(
                "() => { const m = geoClusters.spider[0];"
                " return [m.getLatLng().lat, m.getLatLng().lng]; }"
            )
            page.mouse.click(*_page_point(page, frame, lat, lon))
        detail = page.locator(".incident-detail")
        detail.wait_for(timeout=20_000)
        text = detail.inner_text()
        assert "Taloqan" in text and "Sources" in text and "Evidence" in text
        assert "characters " not in text  # sentences quoted from the seed articles
        assert "incident=" in page.url
        page.wait_for_timeout(800)
        page.screenshot(path=output_dir / "map-detail.png", full_page=True)


# ------------------------------------------------------------------ at scale: 5,000 incidents

BIG = 5_000
SHARED = 40  # incidents on one spot (Taloqan)
FRAME_JS = "[...document.querySelectorAll('iframe')].find(f => (f.title||'').includes('st_folium'))"


@pytest.fixture(scope="module")
def big_app(tmp_path_factory):
    require_chromium()
    from geo import open_store
    from tests.browser import many_incidents

    incidents = many_incidents(BIG, shared=SHARED)
    url = f"sqlite:///{tmp_path_factory.mktemp('big') / 'incidents.db'}"
    with open_store(url) as store:
        store.upsert_incidents(incidents, user="test")
    with streamlit_server({"GEO_DATABASE_URL": url}) as app:
        yield app, incidents


def _leaflet(page):
    """The map's frame once its incidents are drawn (no data still loading)."""
    page.wait_for_function(
        f"() => {{ const f = {FRAME_JS}; const w = f && f.contentWindow;"
        " return w && w.map && w.geoClusters && w.geoClusters.index && !w.__geoPending; }",
        timeout=90_000,
    )
    frame = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    page.wait_for_timeout(600)
    return frame


def _visible_items(frame, lat, lon, zoom, half=0.4):
    """Clusters and single markers drawn within ``half``° of (lat, lon) at ``zoom``."""
    return frame.evaluate(
        """([lat, lon, zoom, half]) => new Promise(done => {
            map.setView([lat, lon], zoom, {animate: false});
            setTimeout(() => {
              const box = L.latLngBounds([lat - half, lon - half], [lat + half, lon + half]);
              done(geoClusters.visible.filter(c => box.contains(c)).length);
            }, 400);
        })""",
        [lat, lon, zoom, half],
    )


def _page_point(page, frame, lat, lon):
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator("iframe[title*='st_folium']").first.bounding_box()
    return box["x"] + x, box["y"] + y


def test_big_map_has_labels_clusters_and_no_outside_requests(big_app, output_dir):
    url, _ = big_app
    outside: list[str] = []
    with chromium_page() as page:
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                else None
            ),
        )
        page.goto(url)
        _wait_count(page, BIG, 120)
        frame = _leaflet(page)
        labels = frame.evaluate(
            "() => [...document.querySelectorAll('.geo-label')]"
            ".map(e => [e.className, e.textContent])"
        )
        countries = {t for c, t in labels if "country" in c}
        assert {"Afghanistan", "Pakistan"} <= countries, countries
        assert sum("province" in c for c, _ in labels) >= 10
        clusters = frame.locator(".geo-cluster")
        assert clusters.count() > 0 and int(clusters.first.inner_text()) > 1
        page.screenshot(path=output_dir / "big-country.png", full_page=False)
        page.locator("iframe[title*='st_folium']").first.screenshot(
            path=REPO_DOCS / "screenshot.png"
        )
        assert page.get_by_text("Deploy", exact=True).count() == 0
    assert outside == []


def _place_labels(frame, lat, lon, zoom):
    """The place names labelled on the map at (lat, lon) and ``zoom``, and the label
    elements' text."""
    return frame.evaluate(
        """([lat, lon, zoom]) => new Promise(done => {
            map.setView([lat, lon], zoom, {animate: false});
            setTimeout(() => done([geoClusters.placeLabels || [],
              [...document.querySelectorAll('.geo-label-place')].map(e => e.textContent)]), 400);
        })""",
        [lat, lon, zoom],
    )


def test_place_names_label_incidents_at_district_zoom(big_app, output_dir):
    """From PLACE_LABEL_ZOOM the pile of 40 incidents at Taloqan carries its name; at
    country zoom no incident is labelled (the basemap's names are enough there)."""
    from geo.maps import PLACE_LABEL_ZOOM

    url, _ = big_app
    with chromium_page() as page:
        page.goto(url)
        frame = _leaflet(page)
        names, shown = _place_labels(frame, 36.736, 69.535, PLACE_LABEL_ZOOM + 2)
        assert "Taloqan" in names and "Taloqan" in shown, (names, shown)
        page.screenshot(path=output_dir / "big-district-labels.png", full_page=False)
        names, shown = _place_labels(frame, 36.736, 69.535, PLACE_LABEL_ZOOM - 2)
        assert names == [] and shown == []


def _overlapping_labels(frame, lat, lon, zoom):
    """Pairs of place labels, or of a place label and another pile, a map control or a
    town's name, whose boxes overlap on screen at (lat, lon) and ``zoom``; and how many
    labels are drawn."""
    return frame.evaluate(
        """([lat, lon, zoom]) => new Promise(done => {
            map.setView([lat, lon], zoom, {animate: false});
            setTimeout(() => {
              const box = e => e.getBoundingClientRect();
              const cut = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 &&
                                    a.top < b.bottom - 1 && b.top < a.bottom - 1;
              const labels = [...document.querySelectorAll('.geo-label-place span')];
              const piles = [...document.querySelectorAll(
                '.geo-cluster div, .leaflet-control, .geo-label-town span')];
              const bad = [];
              labels.forEach((a, i) => {
                labels.slice(i + 1).forEach(b => {
                  if (cut(box(a), box(b))) bad.push([a.textContent, b.textContent]);
                });
                piles.forEach(p => {
                  if (cut(box(a), box(p))) bad.push([a.textContent, p.textContent]);
                });
              });
              done([bad, labels.length]);
            }, 400);
        })""",
        [lat, lon, zoom],
    )


def test_place_names_at_district_zoom_never_overlap(big_app, output_dir):
    """Where piles sit close together the biggest are named first and a name with no room
    is left out, so no name is written over another name, a pile's count, a town's name
    or the scale bar."""
    from geo.maps import PLACE_LABEL_ZOOM

    url, _ = big_app
    with chromium_page() as page:
        page.goto(url)
        frame = _leaflet(page)
        drawn = 0
        for lat, lon in ((34.53, 69.17), (34.43, 70.45), (36.72, 69.53), (31.61, 65.71)):
            bad, n = _overlapping_labels(frame, lat, lon, PLACE_LABEL_ZOOM)
            assert bad == [], (lat, lon, bad)
            drawn += n
        assert drawn >= 4, drawn
        page.screenshot(path=output_dir / "big-district-crowded.png", full_page=False)


def test_relief_fades_at_district_zoom(big_app):
    """The relief (about 3.7 km a pixel) is full at country zoom and faint at district
    zoom, where it would be a smudge under the place names."""
    url, _ = big_app
    with chromium_page() as page:
        page.goto(url)
        frame = _leaflet(page)
        opacity = """(zoom) => new Promise(done => {
            map.setView([34.5, 69.2], zoom, {animate: false});
            setTimeout(() => done(Number(
              document.querySelector('.leaflet-geo-relief-pane img').style.opacity)), 300);
        })"""
        assert frame.evaluate(opacity, 6) == 1
        assert frame.evaluate(opacity, 12) < 0.5


def test_zooming_in_splits_clusters(big_app, output_dir):
    url, _ = big_app
    with chromium_page() as page:
        page.goto(url)
        frame = _leaflet(page)
        kabul = (34.53, 69.17)
        wide = _visible_items(frame, *kabul, 6, 0.8)
        close = _visible_items(frame, *kabul, 9, 0.8)
        assert close > wide >= 1, (wide, close)
        page.screenshot(path=output_dir / "big-province.png", full_page=False)


def test_every_incident_at_a_shared_spot_can_be_opened(big_app, output_dir):
    url, _ = big_app
    with chromium_page() as page:
        page.goto(url)
        frame = _leaflet(page)
        _visible_items(frame, *TALOQAN, 12, 0.05)
        page.wait_for_timeout(500)
        page.mouse.click(*_page_point(page, frame, *TALOQAN))  # the cluster at the spot
        frame.wait_for_function("() => geoClusters.spider.length > 0", timeout=10_000)
        legs = frame.evaluate(
            "() => geoClusters.spider"
            ".map(m => [m.getLatLng().lat, m.getLatLng().lng, m.feature.properties.incident_id])"
        )
        assert len(legs) == SHARED and len({tuple(x[:2]) for x in legs}) == SHARED
        page.screenshot(path=output_dir / "big-district-spiderfied.png", full_page=False)
        lat, lon, incident = legs[-1]
        page.mouse.click(*_page_point(page, frame, lat, lon))
        page.wait_for_url(re.compile(rf"incident={incident}"), timeout=20_000)
        detail = page.locator(".incident-detail")
        detail.wait_for(timeout=20_000)
        assert "Taloqan" in detail.inner_text()
        frame = _leaflet(page)  # the map is redrawn with the incident ringed
        ring = frame.evaluate("() => map.getPane('geo-selected').querySelectorAll('path').length")
        assert ring >= 1
        # The same rows as before the click: the page's cluster index is reused, not rebuilt.
        assert frame.evaluate("() => geoClusters.reused === true")


def test_province_click_still_filters_at_scale(big_app, shared_settings):
    url, incidents = big_app
    lat, lon = _takhar_point_away_from_incidents(shared_settings)
    takhar = sum(i.admin1 == "Takhar" for i in incidents)
    with chromium_page() as page:
        page.goto(url)
        frame = _leaflet(page)
        _visible_items(frame, 36.6, 69.8, 8)
        page.mouse.click(*_page_point(page, frame, lat, lon))
        page.wait_for_url(re.compile(r"province=Takhar"), timeout=20_000)
        _wait_count(page, takhar)


def _bar_pixels(png: bytes) -> int:
    """Pixels of the event-type colours in a screenshot (the bars)."""
    import io

    import numpy as np
    from PIL import Image

    from geo import EVENT_COLORS

    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    total = 0
    for hexcolor in EVENT_COLORS.values():
        rgb = [int(hexcolor[k : k + 2], 16) for k in (1, 3, 5)]
        total += int((np.abs(img - rgb).sum(axis=2) < 30).sum())
    return total


def test_timeline_shows_bars_and_30_days_is_the_last_month_of_data(big_app, output_dir):
    url, incidents = big_app
    latest = max(i.event_date for i in incidents)
    last_30 = sum((latest - i.event_date).days < 30 for i in incidents)
    with chromium_page() as page:
        page.goto(url)
        _wait_count(page, BIG, 120)
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        assert _bar_pixels(chart.screenshot()) > 2_000
        assert page.get_by_text(f"latest incident, {latest.isoformat()}").count() >= 1
        _idle(page)
        page.get_by_role("button", name="30 d").click()
        try:
            _wait_count(page, last_30, 20)
        except PlaywrightTimeout:  # a click dropped during a rerun; the preset is idempotent
            _idle(page)
            page.get_by_role("button", name="30 d").click()
            _wait_count(page, last_30)
        page.screenshot(path=output_dir / "big-last-30-days.png", full_page=True)


def test_month_playback_follows_calendar_months(big_app):
    url, _ = big_app
    with chromium_page() as page:
        page.goto(url)
        _wait_count(page, BIG, 120)
        # the radio's label, not the timeline's axis title (which says "month" for a
        # longer dataset)
        page.get_by_role("radiogroup", name="Step").get_by_text("month", exact=True).click()
        page.wait_for_timeout(300)
        _idle(page)
        # The first month starts on the data's first day, so the link leaves "from" out.
        for expected in (r"\?to=2019-01-31", "from=2019-02-01&to=2019-02-28",
                         "from=2019-03-01&to=2019-03-31"):  # fmt: skip
            _click_until_url(page, page.get_by_role("button", name="Step ▶"), expected)
            _idle(page)


def test_brushing_the_timeline_sets_the_date_range(big_app, output_dir):
    url, _ = big_app
    with chromium_page() as page:
        page.goto(url)
        _wait_count(page, BIG, 120)
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)
        chart.scroll_into_view_if_needed()  # the mouse drags only what is on screen
        page.wait_for_timeout(500)
        box = chart.bounding_box()
        y = box["y"] + box["height"] * 0.5
        page.mouse.move(box["x"] + box["width"] * 0.3, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=8)
        page.mouse.up()
        page.wait_for_url(re.compile(r"from=2019-0\d-\d\d&to=2019-0\d-\d\d"), timeout=20_000)
        # the link changes at the start of the rerun, the count when it gets there
        for _ in range(100):
            if (shown := _count(page)) != BIG:
                break
            page.wait_for_timeout(200)
        assert 0 < shown < BIG
        _leaflet(page)  # the map of the brushed period is drawn
        page.screenshot(path=output_dir / "big-brushed-timeline.png", full_page=True)
