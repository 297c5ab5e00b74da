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

from geo import report
from geo.maps import EVENT_COLORS
from geo.report import (
    CHROMIUM_ARGS,
    VIEWPORT,
    _find_chromium,
    build_manifest,
    close_browser,
    read_manifest,
    render_html,
    render_png,
)
from tests.test_report import _has_colour, _incident, _view

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = _find_chromium()
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


def test_html_opens_in_the_browser_with_one_marker_per_point() -> None:
    incidents = [_incident(n, 61.0 + n, 35.0) for n in range(3)]
    incidents.append(_incident(9, 67.5, 35.0, geo_precision="province"))
    page_html = render_html(_view(incidents, title="<i>Three</i> points"))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("http*://**/*", lambda route: route.abort())
            page.set_content(page_html, wait_until="load")
            page.wait_for_function("window.__geoReportReady === true", timeout=20_000)
            markers = page.evaluate(
                "() => { let n = 0; window.__geoReportMap.eachLayer("
                "l => { if (l instanceof L.CircleMarker) n += 1; }); return n; }"
            )
            title = page.inner_text("#geo-report-title .geo-title")
            legend_visible = page.is_visible("#incident-legend")
        finally:
            browser.close()
    assert markers == 3
    assert title == "<i>Three</i> points"
    assert legend_visible


# ------------------------------------------------------------------ the shared browser


@pytest.fixture
def fresh_worker() -> Iterator[None]:
    """No shared browser and no kept screenshots before or after the test."""
    close_browser()
    report._SHOTS.clear()
    yield
    close_browser()
    report._SHOTS.clear()


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as img:
        return np.asarray(img.convert("RGB"))


def _settled_screenshot(page_html: str) -> tuple[bytes, bytes, object]:
    """The page photographed at the ready signal, and again 1 s later (long after any
    animation), and whether Leaflet was still animating at the signal."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = report._open_page(browser, tiles=False)
            page.set_content(page_html, wait_until="load")
            at_ready, _ = report._photograph(page)
            animating = page.evaluate("window.__geoReportMap._animatingZoom")
            page.wait_for_timeout(1000)
            settled = page.screenshot(type="png", animations="disabled")
        finally:
            browser.close()
    return at_ready, settled, animating


def _busy_view(minute: int = 0) -> report.ReportView:
    incidents = [
        _incident(n, 60.5 + (n * 7 % 19) / 2, 30.5 + (n * 5 % 17) / 2, fatalities_best=n % 30)
        for n in range(60)
    ]
    return _view(incidents, made_at=datetime(2026, 1, 31, 12, minute))


def test_the_ready_signal_means_the_map_has_settled() -> None:
    view = _busy_view()
    page_html = report._page(view, build_manifest(view, "png", "browser"), True, True)
    at_ready, settled, animating = _settled_screenshot(page_html)
    assert not animating
    assert np.array_equal(_pixels(at_ready), _pixels(settled))


def test_shared_browser_gives_the_same_picture_as_a_fresh_launch(fresh_worker: None) -> None:
    view = _busy_view()
    page_html = report._page(view, build_manifest(view, "png", "browser"), True, True)
    assert CHROMIUM is not None
    shared = [report._shared_screenshot(page_html, CHROMIUM, False)[0] for _ in range(2)]
    fresh, _ = report._fresh_screenshot(page_html, CHROMIUM, False)
    assert _pixels(fresh).shape == (VIEWPORT[1], VIEWPORT[0], 3)
    for png in shared:
        assert np.array_equal(_pixels(png), _pixels(fresh))


def test_renders_share_one_browser_until_it_is_closed(fresh_worker: None) -> None:
    first = render_png(_busy_view(1), engine="browser")
    worker = report._WORKER
    assert worker is not None and worker.thread.is_alive()
    second = render_png(_busy_view(2), engine="browser")
    assert report._WORKER is worker
    assert read_manifest(first)["made_at"] != read_manifest(second)["made_at"]
    close_browser()
    assert report._WORKER is None and not worker.thread.is_alive()
    assert read_manifest(render_png(_busy_view(3), engine="browser"))["renderer"] == "browser"
    assert report._WORKER is not worker


def test_an_idle_browser_closes_itself(fresh_worker: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "BROWSER_IDLE_S", 0.2)
    render_png(_busy_view(1), engine="browser")
    worker = report._WORKER
    assert worker is not None
    worker.thread.join(30)
    assert not worker.thread.is_alive()
    assert read_manifest(render_png(_busy_view(2), engine="browser"))["renderer"] == "browser"
    assert report._WORKER is not worker


def test_a_broken_shared_browser_falls_back_to_a_fresh_launch(
    fresh_worker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object) -> None:
        raise RuntimeError("Target page, context or browser has been closed")

    render_png(_busy_view(1), engine="browser")
    worker = report._WORKER
    assert worker is not None
    monkeypatch.setattr(report._BrowserWorker, "_serve", crash)
    png = render_png(_busy_view(2), engine="browser")
    assert read_manifest(png)["renderer"] == "browser"
    assert _pixels(png).shape == (VIEWPORT[1], VIEWPORT[0], 3)
    worker.thread.join(30)
    assert not worker.thread.is_alive() and report._WORKER is not worker


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
