"""The view as a PNG: headless Chromium when it is there and works, else the static renderer.

:func:`render_png` photographs the page of :func:`geo.report.html.report_page`
(:mod:`geo.report.browser`) once every layer has loaded; without a browser, or
when it fails, :func:`geo.report.static.static_png` draws the same content with
matplotlib and the manifest says why.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from geo._errors import ReportError
from geo.report import browser
from geo.report.html import assets_note, report_page, vendor_dir, vendor_ready
from geo.report.manifest import build_manifest, manifest_json
from geo.report.static import static_png
from geo.report.view import MANIFEST_KEY, ReportView, check_extent, view_extent

__all__ = ["ENGINES", "picture", "render_png"]

ENGINES = ("auto", "browser", "static")


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ReportError(f"engine {engine!r} is unknown: expected 'auto', 'browser' or 'static'")


def _browser_plan(view: ReportView, engine: str) -> tuple[str | None, str]:
    """The Chromium to use (None → static) and, when static, why."""
    if engine == "static":
        return None, "static renderer requested"
    chromium = browser.find_chromium()
    problem = ""
    if chromium is None:
        looked = ", ".join(browser.CHROMIUM_PATHS)
        problem = f"no Chromium found (looked for {looked} and on PATH)"
    elif not vendor_ready() and not view.tiles:
        problem = f"Leaflet is not in {vendor_dir()} and the CDN needs internet; run `make vendor`"
    if problem and engine == "browser":
        raise ReportError(f"cannot render with the browser: {problem}")
    return (None, problem) if problem else (chromium, "")


def _browser_picture(view: ReportView, chromium: str) -> tuple[bytes, dict[str, Any]]:
    inline = vendor_ready()
    manifest = build_manifest(view, "png", "browser", assets=assets_note(inline))
    page = report_page(view, manifest, inline, screenshot=True)
    return browser.screenshot(page, chromium, view.tiles), manifest


def picture(view: ReportView, engine: str) -> tuple[bytes, dict[str, Any]]:
    """The map picture of ``view`` (PNG bytes without metadata) and its manifest.

    Shared by :func:`render_png` and :func:`geo.report.pdf.render_pdf`.
    """
    _check_engine(engine)
    check_extent(view_extent(view))
    chromium, reason = _browser_plan(view, engine)
    if chromium is not None:
        try:
            return _browser_picture(view, chromium)
        except Exception as exc:  # any browser failure: fall back, and say why in the manifest
            if engine == "browser":
                raise ReportError(f"headless Chromium failed to render the map: {exc}") from exc
            reason = f"browser failed: {type(exc).__name__}: {str(exc)[:300]}"
    static_view = replace(view, tiles=False)  # no tiles drawn, so none credited
    manifest = build_manifest(static_view, "png", "static", fallback_reason=reason)
    return static_png(static_view), manifest


def _png_with_manifest(png: bytes, manifest: Mapping[str, Any], title: str) -> bytes:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("Title", title)
    info.add_itxt("Software", f"geo-incidents {manifest.get('tool_version', '')}")
    info.add_itxt("Creation Time", str(manifest.get("made_at", "")))
    info.add_itxt(MANIFEST_KEY, manifest_json(manifest))
    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as img:
        img.convert("RGB").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def render_png(view: ReportView, engine: str = "auto") -> bytes:
    """The view as a PNG picture with its manifest in the ``geo-report-manifest`` text chunk.

    Parameters
    ----------
    view : ReportView
    engine : {"auto", "browser", "static"}
        ``auto`` uses headless Chromium when it is there and works, else the static
        renderer; ``browser`` raises :class:`ReportError` instead of falling back.
    """
    png, manifest = picture(view, engine)
    return _png_with_manifest(png, manifest, view.title)
