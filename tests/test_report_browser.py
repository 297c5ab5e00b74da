"""Reports through the real headless Chromium: one PNG, and the HTML opened and counted.

Skipped when Chromium or Playwright is missing; CI has both, so these run there.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from geo.maps import EVENT_COLORS
from geo.report import (
    CHROMIUM_ARGS,
    VIEWPORT,
    _find_chromium,
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
