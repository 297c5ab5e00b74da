"""Reports through the real headless Chromium: PNGs, the shared browser, the HTML opened.

Skipped when Chromium or Playwright is missing; CI has both, so these run there.
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Iterator
from datetime import datetime

import numpy as np
import pytest
from PIL import Image

from geo.maps import EVENT_COLORS
from geo.report import (
    VIEWPORT,
    ReportView,
    browser,
    build_manifest,
    close_browser,
    read_manifest,
    render_html,
    render_png,
)
from geo.report.basemap import ReportBasemap
from geo.report.browser import CHROMIUM_ARGS, find_chromium
from geo.report.html import report_page
from tests.test_report import _RELIEF, _has_colour, _incident, _view, relief_basemap

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = find_chromium()
if CHROMIUM is None:
    pytest.skip("no Chromium on this machine", allow_module_level=True)


@pytest.fixture(autouse=True, scope="module")
def _close_the_shared_browser_afterwards() -> Iterator[None]:
    yield
    close_browser()


def test_png_through_the_browser_shows_marker_and_legend() -> None:
    view = _view(
        [_incident(1, 64.0, 35.0, event_type="Battles", fatalities_best=30)],
        extent=(63.0, 34.0, 65.0, 36.0),
    )
    png = render_png(view, engine="browser")
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == VIEWPORT
        pixels = np.asarray(img.convert("RGB"), dtype=np.int16)
    assert pixels.reshape(-1, 3).var(axis=0).sum() > 100
    r, g, b = pixels[VIEWPORT[1] // 2, VIEWPORT[0] // 2]
    assert r > 180 and g < 130 and b < 130, (r, g, b)
    for colour in EVENT_COLORS.values():
        assert _has_colour(pixels, colour)
    manifest = read_manifest(png)
    assert manifest["renderer"] == "browser" and manifest["assets"] == "inline"


def test_png_through_the_browser_draws_the_relief_and_rivers(
    relief_basemap: ReportBasemap,
) -> None:
    def share(png: bytes) -> tuple[float, float]:
        with Image.open(io.BytesIO(png)) as img:
            pixels = np.asarray(img.convert("RGB"), dtype=np.int16)
        rgb = np.array([int(_RELIEF[i : i + 2], 16) for i in (1, 3, 5)])
        relief = (np.abs(pixels - rgb).max(axis=-1) <= 6).mean()
        blue = ((pixels[..., 2] - pixels[..., 0]) > 60).mean()
        return float(relief), float(blue)

    extent = (60.0, 30.0, 70.0, 40.0)
    with_relief = share(render_png(_view([], extent=extent, basemap=relief_basemap), "browser"))
    plain = share(render_png(_view([], extent=extent), engine="browser"))
    assert with_relief[0] > 0.3 and plain[0] == 0.0, (with_relief, plain)
    assert with_relief[1] > plain[1], (with_relief, plain)  # the river and the lake


_ = relief_basemap  # a fixture, imported for the test above


def test_html_opens_in_the_browser_with_one_marker_per_incident() -> None:
    incidents = [_incident(n, 61.0 + n, 35.0) for n in range(3)]
    incidents.append(_incident(9, 67.5, 35.0, geo_precision="province"))
    page_html = render_html(_view(incidents, title="<i>Three</i> points"))
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = chromium.new_page()
            page.route("http*://**/*", lambda route: route.abort())
            page.set_content(page_html, wait_until="load")
            page.wait_for_function("window.__geoReportReady === true", timeout=20_000)
            markers = page.evaluate(
                "() => { let out = []; window.__geoReportMap.eachLayer(l => {"
                " if (l instanceof L.CircleMarker)"
                " out.push([l.getLatLng().lng, Boolean(l.options.dashArray)]); }); return out; }"
            )
            title = page.inner_text("#geo-report-title .geo-title")
            legend_visible = page.is_visible("#incident-legend")
        finally:
            chromium.close()
    # One marker per incident: solid where the place is known, a dashed ring when only the
    # province is.
    assert sorted(markers) == [[61, False], [62, False], [63, False], [67.5, True]]
    assert title == "<i>Three</i> points"
    assert legend_visible


# ------------------------------------------------------------------ the shared browser


@pytest.fixture
def fresh_worker() -> Iterator[None]:
    """No shared browser and no kept screenshots before or after the test."""
    close_browser()
    browser.forget_screenshots()
    yield
    close_browser()
    browser.forget_screenshots()


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as img:
        return np.asarray(img.convert("RGB"))


def _settled_screenshot(page_html: str) -> tuple[bytes, bytes, object]:
    """The page photographed at the ready signal, and again 1 s later (long after any
    animation), and whether Leaflet was still animating at the signal."""
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.open_page(chromium, tiles=False)
            page.set_content(page_html, wait_until="load")
            at_ready, _ = browser.photograph(page)
            animating = page.evaluate("window.__geoReportMap._animatingZoom")
            page.wait_for_timeout(1000)
            settled = page.screenshot(type="png", animations="disabled")
        finally:
            chromium.close()
    return at_ready, settled, animating


def _busy_view(minute: int = 0) -> ReportView:
    incidents = [
        _incident(n, 60.5 + (n * 7 % 19) / 2, 30.5 + (n * 5 % 17) / 2, fatalities_best=n % 30)
        for n in range(60)
    ]
    return _view(incidents, made_at=datetime(2026, 1, 31, 12, minute))


def test_the_ready_signal_means_the_map_has_settled() -> None:
    view = _busy_view()
    page_html = report_page(view, build_manifest(view, "png", "browser"), True, True)
    at_ready, settled, animating = _settled_screenshot(page_html)
    assert not animating
    assert np.array_equal(_pixels(at_ready), _pixels(settled))


def test_shared_browser_gives_the_same_picture_as_a_fresh_launch(fresh_worker: None) -> None:
    view = _busy_view()
    page_html = report_page(view, build_manifest(view, "png", "browser"), True, True)
    assert CHROMIUM is not None
    shared = [browser.shared_screenshot(page_html, CHROMIUM, False)[0] for _ in range(2)]
    fresh, _ = browser.fresh_screenshot(page_html, CHROMIUM, False)
    assert _pixels(fresh).shape == (VIEWPORT[1], VIEWPORT[0], 3)
    for png in shared:
        assert np.array_equal(_pixels(png), _pixels(fresh))


def test_renders_share_one_browser_until_it_is_closed(fresh_worker: None) -> None:
    first = render_png(_busy_view(1), engine="browser")
    worker = browser.running_worker()
    assert worker is not None and worker.thread.is_alive()
    second = render_png(_busy_view(2), engine="browser")
    assert browser.running_worker() is worker
    assert read_manifest(first)["made_at"] != read_manifest(second)["made_at"]
    close_browser()
    assert browser.running_worker() is None and not worker.thread.is_alive()
    assert read_manifest(render_png(_busy_view(3), engine="browser"))["renderer"] == "browser"
    assert browser.running_worker() is not worker


def test_an_idle_browser_closes_itself(fresh_worker: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "BROWSER_IDLE_S", 0.2)
    render_png(_busy_view(1), engine="browser")
    worker = browser.running_worker()
    assert worker is not None
    worker.thread.join(30)
    assert not worker.thread.is_alive()
    assert read_manifest(render_png(_busy_view(2), engine="browser"))["renderer"] == "browser"
    assert browser.running_worker() is not worker


def test_a_broken_shared_browser_falls_back_to_a_fresh_launch(
    fresh_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object) -> None:
        raise RuntimeError("Target page, context or browser has been closed")

    render_png(_busy_view(1), engine="browser")
    worker = browser.running_worker()
    assert worker is not None
    monkeypatch.setattr(browser._BrowserWorker, "_serve", crash)
    png = render_png(_busy_view(2), engine="browser")
    assert read_manifest(png)["renderer"] == "browser"
    assert _pixels(png).shape == (VIEWPORT[1], VIEWPORT[0], 3)
    worker.thread.join(30)
    assert not worker.thread.is_alive() and browser.running_worker() is not worker


def test_renders_from_inside_an_asyncio_loop_and_from_other_threads(fresh_worker: None) -> None:
    async def in_loop() -> bytes:
        return render_png(_busy_view(1), engine="browser")

    results: dict[int, bytes] = {}

    def in_thread(k: int) -> None:
        results[k] = render_png(_busy_view(2 + k), engine="browser")

    pngs = [asyncio.run(in_loop())]
    threads = [threading.Thread(target=in_thread, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    pngs += [results[k] for k in range(2)]
    assert [read_manifest(p)["renderer"] for p in pngs] == ["browser"] * 3
