"""Reports of one map view: PNG picture, PDF report and stand-alone HTML map.

A :class:`ReportView` is everything that decides the picture: the incidents
shown, the filters that chose them, the boundaries, the extent, the title,
whether tiles are wanted and the time the report is made.  The same view gives
the same picture: the viewport, device scale, fonts and network are fixed, and
the date made is part of the view, not read from the clock while drawing.

* :func:`render_html` — the interactive folium map of :func:`geo.maps.build_map`
  as one self-contained file (Leaflet, jQuery and their images inlined from
  ``static/vendor``) with a title box, filter summary, credits and the manifest.
* :func:`render_png` — that page photographed by headless Chromium (Playwright)
  once every layer (and tile, with ``tiles=True``) has loaded; without a
  browser, or when tiles fail, the static renderer in :mod:`geo._static_render`
  draws the same content with matplotlib.  One Chromium is kept between
  renders, owned by a worker thread (Playwright's sync API is bound to its
  thread); it closes after :data:`BROWSER_IDLE_S` idle seconds, at exit or on
  :func:`close_browser`, and any failure of it falls back to a fresh launch.
  The screenshot page turns Leaflet's animations off, so the "layers drawn"
  signal is exact, and the same page is photographed only once.
* :func:`render_pdf` — the picture, a timeline chart, a table of the incidents
  and their sources (matplotlib's PDF backend).

Every output carries a manifest (:func:`build_manifest`): filters, extent, a
hash of the data, boundary source, tool version, renderer.  It sits in the
PNG's ``iTXt`` chunk, the PDF's document info and a JSON ``<script>`` in the
HTML; :func:`read_manifest` reads it back from any of the three.
"""

from __future__ import annotations

import atexit
import base64
import functools
import hashlib
import html
import io
import json
import os
import queue
import re
import shutil
import tempfile
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element

from geo._errors import DataFileError, GeoError, ReportError
from geo.filters import Filters, apply_filters, to_query_params
from geo.maps import EVENT_COLORS, build_map
from geo.settings import PROJECT_ROOT, Settings, get_settings

__all__ = [
    "FORMATS",
    "MANIFEST_KEY",
    "ReportView",
    "build_manifest",
    "close_browser",
    "data_hash",
    "filter_summary",
    "load_view_incidents",
    "read_manifest",
    "render_html",
    "render_pdf",
    "render_png",
    "view_extent",
    "write_report",
]

FORMATS = ("png", "pdf", "html")
MANIFEST_KEY = "geo-report-manifest"
VIEWPORT = (1280, 860)
DEVICE_SCALE = 1
VENDOR_DIR = PROJECT_ROOT / "static" / "vendor"
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--font-render-hinting=none",
]  # fmt: skip
EMPTY_MESSAGE = "No incidents match these filters"
#: Shown when there is nothing to fit to: Afghanistan and its neighbours (W, S, E, N).
REGION_EXTENT = (60.0, 29.0, 75.5, 38.8)
_ASSET_TOKEN = "__geo_report_assets__"
_BROWSER_TIMEOUT_MS = 30_000
#: Keep one headless Chromium between PNG renders (in a worker thread; see close_browser).
REUSE_BROWSER = True
#: Seconds without a render after which the kept browser closes itself.
BROWSER_IDLE_S = 300.0
_SHOT_CACHE_SIZE = 4
_PAD_DEG = 0.5
_CREDITS = ("Boundaries: Natural Earth", "Places: GeoNames (CC BY 4.0)")
_TILE_CREDIT = "Tiles: © OpenStreetMap contributors"


@dataclass(frozen=True, eq=False)
class ReportView:
    """One view of the map, exactly as the report should show it.

    Parameters
    ----------
    incidents : GeoDataFrame
        The incidents shown (already filtered), columns of
        :func:`geo.incidents.incidents_to_frame`.
    filters : Filters
        The filters that chose them; summarised on the picture and in the manifest.
    provinces, countries : GeoDataFrame, optional
        Admin-1 and admin-0 polygons (:func:`geo.boundaries.load_admin1`/``load_admin0``).
    title : str
        Printed on top; escaped before it reaches HTML.
    extent : (W, S, E, N), optional
        Area shown; default ``filters.bbox``, else the incidents' bounds, else the region.
    tiles : bool
        Show OpenStreetMap tiles under the data (needs internet); default offline basemap.
    made_at : datetime, optional
        When the report is made (UTC); default now.  Fix it for identical output.
    boundary_source : mapping, optional
        Boundary description for the manifest; default read from the settings.
    """

    incidents: gpd.GeoDataFrame
    filters: Filters = field(default_factory=Filters)
    provinces: gpd.GeoDataFrame | None = None
    countries: gpd.GeoDataFrame | None = None
    title: str = "Incident map"
    extent: tuple[float, float, float, float] | None = None
    tiles: bool = False
    made_at: datetime | None = None
    boundary_source: Mapping[str, Any] | None = None

    def made(self) -> datetime:
        """``made_at`` in UTC, to the second (now when unset)."""
        when = self.made_at or datetime.now(UTC)
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
        return when.replace(microsecond=0)


# ------------------------------------------------------------------------------- manifest


def _points(incidents: gpd.GeoDataFrame) -> gpd.GeoSeries:
    geoms = incidents.geometry
    return geoms[geoms.notna() & ~geoms.is_empty] if len(geoms) else geoms


def view_extent(view: ReportView) -> tuple[float, float, float, float]:
    """The area shown (W, S, E, N): explicit extent, filter bbox, incidents' bounds or region."""
    if view.extent is not None:
        return tuple(float(v) for v in view.extent)  # type: ignore[return-value]
    if view.filters.bbox is not None:
        return tuple(float(v) for v in view.filters.bbox)  # type: ignore[return-value]
    points = _points(view.incidents) if len(view.incidents) else None
    if points is None or not len(points):
        return REGION_EXTENT
    w, s, e, n = (float(v) for v in points.total_bounds)
    return w - _PAD_DEG, s - _PAD_DEG, e + _PAD_DEG, n + _PAD_DEG


def _check_extent(extent: tuple[float, float, float, float]) -> None:
    w, s, e, n = extent
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise ReportError(
            f"extent {extent!r} is not a box W,S,E,N in degrees with W < E and S < N "
            "(longitudes -180..180, latitudes -90..90)"
        )


def data_hash(incidents: pd.DataFrame) -> str:
    """SHA-256 of the incidents shown, independent of row and column order."""
    frame = pd.DataFrame(incidents.drop(columns="geometry", errors="ignore"))
    if "geometry" in incidents and len(incidents):
        geoms = incidents.geometry
        frame["_wkt"] = [g.wkt if g is not None and not g.is_empty else "" for g in geoms]
    frame = frame.reindex(sorted(frame.columns), axis=1)
    if "incident_id" in frame and len(frame):
        frame = frame.sort_values("incident_id", kind="stable")
    text = frame.to_json(orient="values", date_format="iso", double_precision=7)
    columns = json.dumps(list(frame.columns))
    return hashlib.sha256(f"{columns}\n{text}".encode()).hexdigest()


def _join(values: Sequence[str], limit: int = 110) -> str:
    text = ", ".join(values)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def filter_summary(
    filters: Filters, extent: tuple[float, float, float, float] | None = None
) -> list[str]:
    """Plain-text lines describing ``filters`` (and the area shown), for captions."""
    start = filters.date_from.isoformat() if filters.date_from else "start"
    end = filters.date_to.isoformat() if filters.date_to else "latest"
    lines = [f"Time window: {start} to {end}" if filters.date_from or filters.date_to
             else "Time window: all dates"]  # fmt: skip
    for label, values in (
        ("Countries", filters.countries),
        ("Provinces", filters.provinces),
        ("Event types", filters.event_types),
        ("Actors", filters.actors),
        ("Claim status", filters.claim_statuses),
    ):
        if values:
            lines.append(f"{label}: {_join(values)}")
    if filters.cross_border:
        lines.append("Cross-border events only")
    if filters.min_fatalities is not None:
        lines.append(f"At least {filters.min_fatalities} killed")
    if filters.text:
        lines.append(f"Text: “{_join([filters.text], 60)}”")
    if extent is not None:
        lines.append("Area: W {:.2f}, S {:.2f}, E {:.2f}, N {:.2f}".format(*extent))
    return lines


@functools.lru_cache(maxsize=16)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _boundary_source(settings: Settings | None) -> dict[str, Any]:
    """Where the boundaries come from: folder, file names and their SHA-256."""
    try:
        settings = settings or get_settings()
    except GeoError as exc:
        return {"source": "Natural Earth 1:10m", "files": {}, "problem": str(exc)}
    folder = settings.boundaries_dir or settings.cache_dir / "natural_earth"
    files: dict[str, str] = {}
    for name in ("admin0.gpkg", "admin1.gpkg"):
        path = Path(folder) / name
        if path.is_file():
            stat = path.stat()
            files[name] = _file_digest(str(path), stat.st_mtime_ns, stat.st_size)
    return {"source": "Natural Earth 1:10m", "folder": str(folder), "files_sha256": files}


def _tool_version() -> str:
    from geo import __version__

    return __version__


def _credits(view: ReportView) -> list[str]:
    return [*_CREDITS, *([_TILE_CREDIT] if view.tiles else [])]


def build_manifest(view: ReportView, fmt: str, renderer: str, **extra: Any) -> dict[str, Any]:
    """The manifest stored in every output: what was shown, from which data, how.

    Parameters
    ----------
    view : ReportView
    fmt : {"png", "pdf", "html"}
    renderer : str
        ``"browser"``, ``"static"`` or ``"html"``.
    **extra
        Further keys, e.g. ``assets`` or ``fallback_reason``.
    """
    extent = view_extent(view)
    filters: dict[str, Any] = dict(to_query_params(view.filters))
    if view.filters.bbox is not None:
        filters["bbox"] = list(view.filters.bbox)
    manifest = {
        "tool": "geo-incidents",
        "tool_version": _tool_version(),
        "format": fmt,
        "title": view.title,
        "made_at": view.made().isoformat().replace("+00:00", "Z"),
        "filters": filters,
        "filter_summary": filter_summary(view.filters),
        "extent": list(extent),
        "incident_count": len(view.incidents),
        "data_sha256": data_hash(view.incidents),
        "boundaries": dict(view.boundary_source or _boundary_source(None)),
        "tiles": "OpenStreetMap" if view.tiles else None,
        "credits": _credits(view),
        "renderer": renderer,
        "viewport": list(VIEWPORT),
        "device_scale_factor": DEVICE_SCALE,
    }
    manifest.update(extra)
    return manifest


def _manifest_json(manifest: Mapping[str, Any]) -> str:
    return json.dumps(manifest, sort_keys=True, ensure_ascii=True, default=str)


# ----------------------------------------------------------------------------------- HTML


def _vendor_ready(vendor: Path) -> bool:
    return all((vendor / p).is_file() for p in ("leaflet/leaflet.js", "leaflet/leaflet.css",
                                                 "jquery/jquery.min.js"))  # fmt: skip


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css(vendor: Path, rel: str) -> str:
    css = (vendor / rel).read_text(encoding="utf-8")
    folder = (vendor / rel).parent

    def image(match: re.Match[str]) -> str:
        target = folder / match.group(1)
        return f"url({_data_uri(target)})" if target.is_file() else match.group(0)

    return "<style>\n" + re.sub(r"url\((images/[^)]+\.png)\)", image, css) + "\n</style>"


def _inline_assets(page: str, vendor: Path) -> str:
    """Replace the asset links folium wrote with the files' contents (one self-contained page)."""
    token = re.escape(_ASSET_TOKEN)

    def script(match: re.Match[str]) -> str:
        code = (
            (vendor / match.group(1)).read_text(encoding="utf-8").replace("</script", "<\\/script")
        )
        return f"<script>\n{code}\n</script>"

    page = re.sub(rf'<script src="{token}/([\w./-]+)"></script>', script, page)
    page = re.sub(rf'<link rel="stylesheet" href="{token}/([\w./-]+)"\s*/?>',
                  lambda m: _inline_css(vendor, m.group(1)), page)  # fmt: skip
    if _ASSET_TOKEN in page:
        raise ReportError(
            f"could not inline every asset from {vendor}; folium's page layout changed"
        )
    return page


def _show_tiles(m: folium.Map) -> None:
    """Make the OpenStreetMap tiles the visible base layer instead of the offline basemap."""
    for child in m._children.values():
        if isinstance(child, folium.TileLayer):
            child.show = True
        elif isinstance(child, folium.FeatureGroup) and child.layer_name.startswith("Basemap"):
            child.show = False


def _folium_map(view: ReportView, inline: bool, screenshot: bool = False) -> folium.Map:
    m = build_map(
        view.incidents, view.provinces, view.countries,
        selected_provinces=view.filters.provinces, tiles=view.tiles, fit=False,
        asset_base=_ASSET_TOKEN if inline else None,
    )  # fmt: skip
    if view.tiles:
        _show_tiles(m)
    m.options["zoomSnap"] = 0.1  # fit the extent closely, as the static renderer does
    if screenshot:  # go straight to the final view: nothing to wait for, nothing half-drawn
        m.options.update(zoomAnimation=False, fadeAnimation=False, markerZoomAnimation=False)
    w, s, e, n = view_extent(view)
    fitted = view.extent is None and view.filters.bbox is None
    m.fit_bounds([[s, w], [n, e]], max_zoom=8 if fitted else None)
    return m


_OVERLAY_CSS = """
<style>
#geo-report-title{position:absolute;top:10px;left:54px;z-index:1000;max-width:60%;background:#fff;
 border:1px solid #999;border-radius:4px;padding:6px 10px;font:12px/1.45 'DejaVu Sans',sans-serif}
#geo-report-title .geo-title{font-size:18px;font-weight:bold;margin-bottom:2px}
#geo-report-credits{position:absolute;bottom:18px;right:4px;z-index:1000;background:rgba(255,255,255,.85);
 padding:1px 5px;font:11px 'DejaVu Sans',sans-serif;color:#333}
#geo-report-empty{position:absolute;top:45%;left:50%;transform:translate(-50%,-50%);z-index:1000;
 background:#fff;border:1px solid #999;border-radius:6px;padding:10px 18px;
 font:20px 'DejaVu Sans',sans-serif}
.leaflet-container,#incident-legend{font-family:'DejaVu Sans',sans-serif !important}
#incident-legend{bottom:40px !important}
.leaflet-control-scale-line:nth-child(2){display:none}
</style>
"""
_SCREENSHOT_CSS = "<style>.leaflet-control-zoom,.leaflet-control-layers{display:none}</style>"
_READY_JS = """
<script>
(function () {
  var map = %s, pending = 0;
  window.__geoReportMap = map;
  window.__geoTileErrors = 0;
  function ready() {
    if (map._animatingZoom || (map._panAnim && map._panAnim._inProgress)) {
      map.once('moveend', ready);  // the canvas redraws at the end of a zoom or pan
      return;
    }
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { window.__geoReportReady = true; });
    });
  }
  map.eachLayer(function (layer) {
    if (layer instanceof L.TileLayer) {
      layer.on('tileerror', function () { window.__geoTileErrors += 1; });
      if (layer.isLoading()) {
        pending += 1;
        layer.once('load', function () { pending -= 1; if (pending === 0) { ready(); } });
      }
    }
  });
  if (pending === 0) { ready(); }
})();
</script>
"""


def _caption_lines(view: ReportView) -> list[str]:
    when = view.made().strftime("%Y-%m-%d %H:%M UTC")
    n = len(view.incidents)
    shown = f"{n} incident{'s' if n != 1 else ''} shown · made {when}"
    return [shown, *filter_summary(view.filters, view_extent(view))]


def _credit_line(view: ReportView) -> str:
    return " · ".join([*_credits(view), f"geo-incidents {_tool_version()}"])


def _overlay_html(view: ReportView, manifest: Mapping[str, Any]) -> str:
    esc = html.escape
    lines = "<br>".join(esc(line) for line in _caption_lines(view))
    empty = f'<div id="geo-report-empty">{esc(EMPTY_MESSAGE)}</div>' if view.incidents.empty else ""
    data = _manifest_json(manifest)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        data = data.replace(char, code)
    return (
        f'<div id="geo-report-title"><div class="geo-title">{esc(view.title)}</div>{lines}</div>'
        f'<div id="geo-report-credits">{esc(_credit_line(view))}</div>{empty}'
        f'<script type="application/json" id="{MANIFEST_KEY}">{data}</script>'
    )


def _insert_before(page: str, marker: str, text: str) -> str:
    head, sep, tail = page.rpartition(marker)
    return f"{head}{text}{sep}{tail}" if sep else page + text


def _stable_ids(root: Element) -> None:
    """Number the elements in tree order instead of folium's random ids.

    The same view then gives the same page, byte for byte (and the browser's
    screenshot can be reused for it).
    """
    stack, n = [root], 0
    while stack:
        element = stack.pop()
        element._id = f"{n:032x}"
        n += 1
        stack.extend(reversed(list(element._children.values())))


def _page(view: ReportView, manifest: Mapping[str, Any], inline: bool, screenshot: bool) -> str:
    m = _folium_map(view, inline, screenshot)
    root = m.get_root()
    _stable_ids(root)
    page = root.render()
    title = f"<title>{html.escape(view.title)}</title>"
    page = _insert_before(
        page, "</head>", title + _OVERLAY_CSS + (_SCREENSHOT_CSS if screenshot else "")
    )
    page = _insert_before(page, "</body>", _overlay_html(view, manifest))
    page = _insert_before(page, "</html>", _READY_JS % m.get_name())
    return _inline_assets(page, VENDOR_DIR) if inline else page


def _assets_note(inline: bool) -> str:
    return "inline" if inline else f"cdn ({VENDOR_DIR} missing: run `make vendor`)"


def render_html(view: ReportView, *, screenshot: bool = False) -> str:
    """The view as one self-contained, interactive HTML page.

    Leaflet, jQuery and their images are inlined from ``static/vendor``; when that
    folder is missing the page links the CDN instead and the manifest says so.
    ``screenshot=True`` hides the zoom and layer controls (for :func:`render_png`).
    """
    _check_extent(view_extent(view))
    inline = _vendor_ready(VENDOR_DIR)
    manifest = build_manifest(view, "html", "html", assets=_assets_note(inline))
    return _page(view, manifest, inline, screenshot)


# ------------------------------------------------------------------------------------ PNG


def _find_chromium() -> str | None:
    for path in CHROMIUM_PATHS:
        if Path(path).is_file():
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _block_network(route: Any) -> None:
    route.abort()


def _context_options() -> dict[str, Any]:
    """Everything about the browser page that decides the picture (same for every render)."""
    return {
        "viewport": {"width": VIEWPORT[0], "height": VIEWPORT[1]},
        "device_scale_factor": DEVICE_SCALE,
        "locale": "en-US",
        "timezone_id": "UTC",
        "reduced_motion": "reduce",
    }


def _open_page(browser: Any, tiles: bool) -> Any:
    """A new page in its own context; every request blocked unless tiles are wanted."""
    page = browser.new_context(**_context_options()).new_page()
    if not tiles:
        page.route("http*://**/*", _block_network)
    return page


def _photograph(page: Any) -> tuple[bytes, int]:
    """Wait for the page's "every layer drawn" flag; the screenshot and the tile errors."""
    page.wait_for_function(
        "window.__geoReportReady === true", timeout=_BROWSER_TIMEOUT_MS, polling="raf"
    )
    tile_errors = int(page.evaluate("window.__geoTileErrors || 0"))
    return page.screenshot(type="png", animations="disabled"), tile_errors


def _fresh_screenshot(page_html: str, chromium: str, tiles: bool) -> tuple[bytes, int]:
    """Launch Chromium for this one page (the fallback when the shared browser fails)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = _open_page(browser, tiles)
            page.set_content(page_html, wait_until="load", timeout=_BROWSER_TIMEOUT_MS)
            return _photograph(page)
        finally:
            browser.close()


class _Shot:
    """One screenshot asked of the browser worker, and its answer."""

    def __init__(self, page_html: str, tiles: bool) -> None:
        self.page_html = page_html
        self.tiles = tiles
        self.done = threading.Event()
        self.png = b""
        self.tile_errors = 0
        self.error: BaseException | None = None


class _BrowserWorker:
    """A thread that owns one headless Chromium and photographs pages from a queue.

    Playwright's sync API is bound to the thread that started it, so the browser
    lives in this thread and other threads hand it :class:`_Shot` jobs.  Each
    render loads the page from a file in a private temporary folder into one of
    two long-lived pages (network blocked, or open for tiles); loading a new
    document resets all page state.  The worker stops after ``idle_s`` without
    work, on :meth:`close`, or after any browser error (the job gets the error
    and the next render starts a new worker).
    """

    def __init__(self, chromium: str, idle_s: float) -> None:
        self.chromium = chromium
        self.idle_s = idle_s
        self.pid = os.getpid()
        self._jobs: queue.Queue[_Shot | None] = queue.Queue()
        self._lock = threading.Lock()
        self._open = True
        self.thread = threading.Thread(target=self._run, name="geo-report-browser", daemon=True)
        self.thread.start()

    def submit(self, shot: _Shot) -> bool:
        """Queue ``shot``; False when the worker is stopping (start another)."""
        with self._lock:
            if self._open:
                self._jobs.put(shot)
            return self._open

    def close(self, wait_s: float = 10.0) -> None:
        """Stop taking work, finish the queued jobs, close the browser (wait ``wait_s``)."""
        with self._lock:
            self._open = False
        self._jobs.put(None)
        if wait_s > 0 and threading.current_thread() is not self.thread:
            self.thread.join(wait_s)

    def _next(self) -> _Shot | None:
        while True:
            try:
                return self._jobs.get(timeout=self.idle_s)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():
                        self._open = False
                        return None

    def _serve(self, shot: _Shot, browser: Any, pages: dict[bool, Any], folder: Path) -> None:
        page = pages.get(shot.tiles)
        if page is None:
            page = pages[shot.tiles] = _open_page(browser, shot.tiles)
        path = folder / ("tiles.html" if shot.tiles else "page.html")
        path.write_text(shot.page_html, encoding="utf-8")
        page.goto(path.as_uri(), wait_until="load", timeout=_BROWSER_TIMEOUT_MS)
        shot.png, shot.tile_errors = _photograph(page)

    def _loop(self, browser: Any, folder: Path) -> None:
        pages: dict[bool, Any] = {}
        while (shot := self._next()) is not None:
            try:
                self._serve(shot, browser, pages, folder)
            except BaseException as exc:  # the browser's state is unknown now: stop
                shot.error = exc
                return
            finally:
                shot.done.set()

    def _run(self) -> None:
        failure: BaseException | None = None
        try:
            from playwright.sync_api import sync_playwright

            with tempfile.TemporaryDirectory(prefix="geo-report-") as tmp, sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=self.chromium, args=CHROMIUM_ARGS)
                try:
                    self._loop(browser, Path(tmp))
                finally:
                    with self._lock:
                        self._open = False
                    browser.close()
        except BaseException as exc:  # launch failed or the browser died: tell the waiters
            failure = exc
        finally:
            with self._lock:
                self._open = False
            self._fail_pending(failure)

    def _fail_pending(self, failure: BaseException | None) -> None:
        while True:
            try:
                shot = self._jobs.get_nowait()
            except queue.Empty:
                return
            if shot is not None:
                shot.error = failure or ReportError("the browser worker stopped")
                shot.done.set()


_WORKER: _BrowserWorker | None = None
_WORKER_LOCK = threading.Lock()
_SHOTS: OrderedDict[str, bytes] = OrderedDict()
_SHOTS_LOCK = threading.Lock()


def _discard_worker(worker: _BrowserWorker) -> None:
    global _WORKER
    with _WORKER_LOCK:
        if _WORKER is worker:
            _WORKER = None
    worker.close(wait_s=0)


def _submit(shot: _Shot, chromium: str) -> _BrowserWorker:
    """Hand ``shot`` to the process's browser worker, starting one when there is none."""
    global _WORKER
    with _WORKER_LOCK:
        worker = _WORKER if _WORKER is not None and _WORKER.pid == os.getpid() else None
        if worker is not None and worker.chromium == chromium and worker.submit(shot):
            return worker
        if worker is not None:
            worker.close(wait_s=0)
        worker = _WORKER = _BrowserWorker(chromium, BROWSER_IDLE_S)
        if not worker.submit(shot):
            raise ReportError("the browser worker stopped before it started")
        return worker


def _shared_screenshot(page_html: str, chromium: str, tiles: bool) -> tuple[bytes, int]:
    """Photograph ``page_html`` with the process's shared Chromium (started when needed)."""
    shot = _Shot(page_html, tiles)
    worker = _submit(shot, chromium)
    if not shot.done.wait(_BROWSER_TIMEOUT_MS / 1000 * 3):
        _discard_worker(worker)
        raise ReportError(f"the shared browser did not answer in {_BROWSER_TIMEOUT_MS * 3} ms")
    if shot.error is not None:
        _discard_worker(worker)
        raise shot.error
    return shot.png, shot.tile_errors


def close_browser(wait_s: float = 10.0) -> None:
    """Close the headless Chromium kept between PNG renders, if one is running.

    It also closes by itself after :data:`BROWSER_IDLE_S` seconds without work and
    when the interpreter exits; the next render starts a new one.
    """
    global _WORKER
    with _WORKER_LOCK:
        worker, _WORKER = _WORKER, None
    if worker is not None and worker.pid == os.getpid():
        worker.close(wait_s)


atexit.register(close_browser)


def _cached_shot(key: str) -> bytes | None:
    with _SHOTS_LOCK:
        png = _SHOTS.get(key)
        if png is not None:
            _SHOTS.move_to_end(key)
        return png


def _keep_shot(key: str, png: bytes) -> None:
    with _SHOTS_LOCK:
        _SHOTS[key] = png
        while len(_SHOTS) > _SHOT_CACHE_SIZE:
            _SHOTS.popitem(last=False)


def _screenshot(page_html: str, chromium: str, tiles: bool) -> bytes:
    """Photograph ``page_html`` in headless Chromium once the map has finished drawing.

    The shared browser (:func:`_shared_screenshot`) when :data:`REUSE_BROWSER`,
    else, or when it fails, a browser launched for this page.  Without tiles the
    page alone decides the picture, so the last few screenshots are kept by the
    page's SHA-256 (a PDF after a PNG of the same view costs no second render).
    """
    key = hashlib.sha256(page_html.encode("utf-8")).hexdigest()
    cached = None if tiles else _cached_shot(key)
    if cached is not None:
        return cached
    png, tile_errors = b"", 0
    if REUSE_BROWSER:
        try:
            png, tile_errors = _shared_screenshot(page_html, chromium, tiles)
        except Exception:  # any failure of the shared browser: one fresh launch instead
            png = b""
    if not png:
        png, tile_errors = _fresh_screenshot(page_html, chromium, tiles)
    if tiles and tile_errors > 0:
        raise ReportError("some map tiles could not be loaded (offline?)")
    if not tiles:
        _keep_shot(key, png)
    return png


def _static_png(view: ReportView) -> bytes:
    from geo._static_render import StaticMap, render_static_png

    spec = StaticMap(
        incidents=view.incidents, extent=view_extent(view), provinces=view.provinces,
        countries=view.countries, selected_provinces=view.filters.provinces, title=view.title,
        summary=_caption_lines(view), credits=_credit_line(view),
        empty_message=EMPTY_MESSAGE if view.incidents.empty else "", size_px=VIEWPORT,
    )  # fmt: skip
    return render_static_png(spec)


def _png_with_manifest(png: bytes, manifest: Mapping[str, Any], title: str) -> bytes:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("Title", title)
    info.add_itxt("Software", f"geo-incidents {manifest.get('tool_version', '')}")
    info.add_itxt("Creation Time", str(manifest.get("made_at", "")))
    info.add_itxt(MANIFEST_KEY, _manifest_json(manifest))
    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as img:
        img.convert("RGB").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _check_engine(engine: str) -> None:
    if engine not in ("auto", "browser", "static"):
        raise ReportError(f"engine {engine!r} is unknown: expected 'auto', 'browser' or 'static'")


def _browser_plan(view: ReportView, engine: str) -> tuple[str | None, str]:
    """The Chromium to use (None → static) and, when static, why."""
    if engine == "static":
        return None, "static renderer requested"
    chromium = _find_chromium()
    problem = ""
    if chromium is None:
        problem = f"no Chromium found (looked for {', '.join(CHROMIUM_PATHS)} and on PATH)"
    elif not _vendor_ready(VENDOR_DIR) and not view.tiles:
        problem = f"Leaflet is not in {VENDOR_DIR} and the CDN needs internet; run `make vendor`"
    if problem and engine == "browser":
        raise ReportError(f"cannot render with the browser: {problem}")
    return (None, problem) if problem else (chromium, "")


def _render_png(view: ReportView, engine: str) -> tuple[bytes, dict[str, Any]]:
    _check_engine(engine)
    _check_extent(view_extent(view))
    chromium, reason = _browser_plan(view, engine)
    if chromium is not None:
        inline = _vendor_ready(VENDOR_DIR)
        manifest = build_manifest(view, "png", "browser", assets=_assets_note(inline))
        try:
            png = _screenshot(_page(view, manifest, inline, screenshot=True), chromium, view.tiles)
            return png, manifest
        except Exception as exc:  # any browser failure: fall back, and say why in the manifest
            if engine == "browser":
                raise ReportError(f"headless Chromium failed to render the map: {exc}") from exc
            reason = f"browser failed: {type(exc).__name__}: {str(exc)[:300]}"
    static_view = replace(view, tiles=False)  # no tiles drawn, so none credited
    manifest = build_manifest(static_view, "png", "static", fallback_reason=reason)
    return _static_png(static_view), manifest


def render_png(view: ReportView, engine: str = "auto") -> bytes:
    """The view as a PNG picture with its manifest in the ``geo-report-manifest`` text chunk.

    Parameters
    ----------
    view : ReportView
    engine : {"auto", "browser", "static"}
        ``auto`` uses headless Chromium when it is there and works, else the static
        renderer; ``browser`` raises :class:`ReportError` instead of falling back.
    """
    png, manifest = _render_png(view, engine)
    return _png_with_manifest(png, manifest, view.title)


# ------------------------------------------------------------------------------------ PDF

_A4_LANDSCAPE = (11.69, 8.27)
_TABLE_ROWS = 40
_TABLE_HEADER = (
    f"{'Date':<10}  {'Place':<22}  {'Province':<16}  {'CC':<2}  {'Event type':<26}  "
    f"{'Killed':>6}  {'Claim':<11}  Actors"
)


def _cell(value: Any, width: int) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table_lines(incidents: pd.DataFrame) -> list[str]:
    rows = incidents.sort_values("event_date", kind="stable") if len(incidents) else incidents
    lines = []
    for _, r in rows.iterrows():
        killed = r.get("fatalities_best")
        killed = "" if killed is None or pd.isna(killed) else str(int(killed))
        lines.append(
            f"{pd.Timestamp(r['event_date']).date().isoformat():<10}  "
            f"{_cell(r.get('location_name'), 22):<22}  {_cell(r.get('admin1'), 16):<16}  "
            f"{_cell(r.get('country_iso2'), 2):<2}  {_cell(r.get('event_type'), 26):<26}  "
            f"{killed:>6}  {_cell(r.get('claim_status'), 11):<11}  {_cell(r.get('actors'), 60)}"
        )
    return lines


def _source_lines(incidents: pd.DataFrame) -> list[str]:
    """One line per distinct source: publisher, title, date, link or file, incidents citing it."""
    seen: dict[str, dict[str, Any]] = {}
    for _, r in incidents.iterrows():
        try:
            sources = json.loads(r.get("sources") or "[]")
        except (TypeError, ValueError):
            sources = []
        for src in sources:
            key = src.get("source_id") or src.get("url") or src.get("file") or src.get("publisher")
            entry = seen.setdefault(str(key), {**src, "n": 0})
            entry["n"] += 1
    lines = []
    for entry in sorted(seen.values(), key=lambda s: (str(s.get("publisher")), str(s.get("url")))):
        parts = [entry.get("publisher") or "unknown publisher", entry.get("title"),
                 entry.get("published"), entry.get("url") or entry.get("file")]  # fmt: skip
        text = " — ".join(_cell(p, 90) for p in parts if p)
        lines.append(f"{text}  ({entry['n']} incident{'s' if entry['n'] != 1 else ''})")
    return lines


def _chunks(lines: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, max(len(lines), 1), size):
        yield lines[start : start + size]


def _text_page(pdf: Any, title: str, header: str, lines: list[str], footer: str) -> None:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=_A4_LANDSCAPE)
    fig.text(0.04, 0.95, title, fontsize=14, fontweight="bold", parse_math=False)
    body = "\n".join([header, "-" * min(len(header), 150), *lines] if header else lines)
    fig.text(0.04, 0.91, body or "(none)", fontsize=7.2, family="DejaVu Sans Mono", va="top",
             parse_math=False, linespacing=1.45)  # fmt: skip
    fig.text(0.96, 0.03, footer, fontsize=7, ha="right", parse_math=False)
    pdf.savefig(fig)
    plt.close(fig)


def _map_page(pdf: Any, png: bytes, footer: str) -> None:
    import matplotlib.pyplot as plt
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        pixels = img.convert("RGB")
    fig = plt.figure(figsize=_A4_LANDSCAPE)
    ax = fig.add_axes((0.03, 0.06, 0.94, 0.91))
    ax.imshow(pixels, interpolation="lanczos")
    ax.set_axis_off()
    fig.text(0.96, 0.03, footer, fontsize=7, ha="right", parse_math=False)
    pdf.savefig(fig, dpi=150)
    plt.close(fig)


def _period(dates: pd.Series) -> tuple[str, str]:
    span = (dates.max() - dates.min()).days if len(dates) else 0
    if span <= 62:
        return "D", "day"
    return ("W", "week") if span <= 730 else ("M", "month")


def _timeline_page(pdf: Any, incidents: pd.DataFrame, footer: str) -> None:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=_A4_LANDSCAPE)
    fig.text(0.04, 0.95, "Timeline", fontsize=14, fontweight="bold")
    ax = fig.add_axes((0.07, 0.2, 0.88, 0.68))
    if incidents.empty:
        ax.text(0.5, 0.5, EMPTY_MESSAGE, ha="center", va="center", fontsize=16, parse_math=False)
        ax.set_axis_off()
    else:
        dates = pd.to_datetime(incidents["event_date"])
        freq, unit = _period(dates)
        periods = dates.dt.to_period(freq)
        table = pd.crosstab(periods, incidents["event_type"].fillna("unknown").to_numpy())
        full = pd.period_range(periods.min(), periods.max(), freq=freq)
        table = table.reindex(full, fill_value=0)
        table.index = table.index.astype(str)
        bottom = pd.Series(0, index=table.index)
        for etype in table.columns:
            ax.bar(table.index, table[etype], bottom=bottom, label=str(etype),
                   color=EVENT_COLORS.get(etype, "#555555"))  # fmt: skip
            bottom = bottom + table[etype]
        ax.set_ylabel(f"incidents per {unit}")
        ax.legend(fontsize=8, loc="upper left")
        step = max(1, len(table.index) // 30)
        ax.set_xticks(range(0, len(table.index), step))
        ax.set_xticklabels(list(table.index)[::step], rotation=60, ha="right", fontsize=7)
    fig.text(0.96, 0.03, footer, fontsize=7, ha="right", parse_math=False)
    pdf.savefig(fig)
    plt.close(fig)


def _pdf_metadata(manifest: Mapping[str, Any], view: ReportView) -> dict[str, Any]:
    return {
        "Title": view.title,
        "Subject": "; ".join(filter_summary(view.filters)),
        "Creator": f"geo-incidents {manifest['tool_version']}",
        "Keywords": f"data_sha256={manifest['data_sha256']}",
        "CreationDate": view.made(),
        "ModDate": None,
        "GeoReportManifest": _manifest_json(manifest),
    }


def render_pdf(view: ReportView, engine: str = "auto") -> bytes:
    """A PDF report: the map picture, a timeline, the incidents table and their sources.

    The manifest is in the document info (``/GeoReportManifest``; the title and
    filter summary also in ``/Title`` and ``/Subject``).  ``engine`` as in
    :func:`render_png`.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    png, png_manifest = _render_png(view, engine)
    manifest = {**png_manifest, "format": "pdf"}
    credits = " · ".join([*manifest["credits"], f"geo-incidents {manifest['tool_version']}"])
    footer = f"{view.title} · made {view.made():%Y-%m-%d %H:%M} UTC · {credits}"
    table = _table_lines(view.incidents)
    buf = io.BytesIO()
    with (
        plt.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}),
        warnings.catch_warnings(),
    ):
        warnings.filterwarnings("ignore", message="Unknown infodict keyword")
        with PdfPages(buf, metadata=_pdf_metadata(manifest, view)) as pdf:
            _map_page(pdf, png, footer)
            _timeline_page(pdf, view.incidents, footer)
            for n, chunk in enumerate(_chunks(table or [EMPTY_MESSAGE], _TABLE_ROWS), 1):
                title = f"Incidents shown ({len(table)})" + (f", part {n}" if n > 1 else "")
                _text_page(pdf, title, _TABLE_HEADER, chunk, footer)
            sources = _source_lines(view.incidents)
            for n, chunk in enumerate(_chunks(sources or ["(no sources)"], _TABLE_ROWS), 1):
                _text_page(pdf, "Sources" + (f", part {n}" if n > 1 else ""), "", chunk, footer)
    return buf.getvalue()


# ------------------------------------------------------------------------------- to files


def _format_of(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    chosen = "html" if chosen == "htm" else chosen
    if chosen not in FORMATS:
        raise ReportError(
            f"cannot tell the report format of {str(path)!r}: expected a name ending in "
            ".png, .pdf or .html (or give the format)"
        )
    return chosen


def _check_writable(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise DataFileError(path, "is a folder, not a file", "Give a file name such as map.png")
    if not parent.is_dir():
        raise DataFileError(path, f"cannot write the report: folder {str(parent)!r} does not exist")


def write_report(
    view: ReportView, path: str | Path, fmt: str | None = None, engine: str = "auto"
) -> Path:
    """Render ``view`` to ``path`` as PNG, PDF or HTML (format from the suffix by default).

    Raises
    ------
    ReportError
        Unknown format or engine, or a bad extent.
    DataFileError
        The file cannot be written (missing folder, no permission, a folder's name).
    """
    target = Path(path)
    kind = _format_of(target, fmt)
    _check_writable(target)
    if kind == "png":
        data: bytes = render_png(view, engine)
    elif kind == "pdf":
        data = render_pdf(view, engine)
    else:
        data = render_html(view).encode("utf-8")
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise DataFileError(target, f"cannot write the report: {exc.strerror or exc}") from None
    return target


_HTML_MANIFEST = re.compile(
    rf'<script type="application/json" id="{MANIFEST_KEY}">(.*?)</script>', re.DOTALL
)


def _pdf_manifest(data: bytes) -> str | None:
    from pypdf import PdfReader

    meta = PdfReader(io.BytesIO(data)).metadata
    value = meta.get("/GeoReportManifest") if meta is not None else None
    return str(value) if value is not None else None


def _manifest_text(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG"):
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            return getattr(img, "text", {}).get(MANIFEST_KEY)
    if data.startswith(b"%PDF"):
        return _pdf_manifest(data)
    match = _HTML_MANIFEST.search(data.decode("utf-8", errors="replace"))
    return match.group(1) if match else None


def read_manifest(source: str | Path | bytes) -> dict[str, Any]:
    """The manifest stored in a report (PNG, PDF or HTML), from a path or the file's bytes.

    Reading a PDF's manifest needs ``pypdf``.
    """
    where = "the given bytes" if isinstance(source, bytes) else str(source)
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise DataFileError(where, f"cannot read the report: {exc.strerror or exc}") from None
    text = _manifest_text(data)
    if text is None:
        raise DataFileError(
            where, f"holds no {MANIFEST_KEY}", "Was it made by `python -m geo report`?"
        )
    try:
        return dict(json.loads(text))
    except ValueError as exc:
        raise DataFileError(where, f"its manifest is not valid JSON ({exc})") from None


# ------------------------------------------------------------------------- data for the CLI


def _store_frame(
    filters: Filters, db_url: str | None, settings: Settings
) -> gpd.GeoDataFrame | None:
    """Incidents from the store when it exists and holds any, else None."""
    try:
        from geo.store import open_store
    except ImportError:
        return None
    url = db_url or settings.database_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).expanduser().is_file():
        return None
    with open_store(url, settings) as store:
        if store.count() == 0:
            return None
        return store.query(filters)


def _aliases(settings: Settings) -> dict[str, str]:
    from geo.boundaries import province_lookup

    try:
        return {k: v[1] for k, v in province_lookup(settings).items()}
    except GeoError:
        return {}


def load_view_incidents(
    filters: Filters, db_url: str | None = None, settings: Settings | None = None
) -> tuple[gpd.GeoDataFrame, str]:
    """The incidents matching ``filters`` and where they came from.

    From the incident store (``db_url`` or ``GEO_DATABASE_URL``) when it holds any
    incidents; otherwise from the embedded dataset ``GEO_INCIDENTS_FILE``.
    Returns ``(frame, "store <url>" | "file <path>")``.
    """
    from geo.incidents import incidents_to_frame, load_incidents

    settings = settings or get_settings()
    stored = _store_frame(filters, db_url, settings)
    if stored is not None:
        return stored, f"store {db_url or settings.database_url}"
    frame = incidents_to_frame(load_incidents(settings.incidents_file))
    return apply_filters(frame, filters, _aliases(settings)), f"file {settings.incidents_file}"
