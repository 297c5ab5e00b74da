"""The view as one self-contained, interactive HTML page (folium + inlined Leaflet).

:func:`render_html` is the stand-alone map; :func:`report_page` is the same page
with the zoom and layer controls hidden and Leaflet's animations off, the page
that :mod:`geo.report.browser` photographs for the PNG.  Both pages carry a title
box, the filter summary, the credits and the manifest, and set
``window.__geoReportReady`` once every layer (and tile) has been drawn.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import folium
from branca.element import Element

from geo._errors import ReportError
from geo.maps import build_map
from geo.report.basemap import map_layers
from geo.report.manifest import build_manifest, manifest_json
from geo.report.view import (
    EMPTY_MESSAGE,
    MANIFEST_KEY,
    ReportView,
    caption_lines,
    check_extent,
    credit_line,
    view_extent,
)
from geo.settings import PROJECT_ROOT

__all__ = [
    "VENDOR_DIR",
    "assets_note",
    "render_html",
    "report_page",
    "vendor_dir",
    "vendor_ready",
]

VENDOR_DIR = PROJECT_ROOT / "static" / "vendor"
_ASSET_TOKEN = "__geo_report_assets__"

_OVERLAY_CSS = """
<style>
#geo-report-title{position:absolute;top:10px;left:54px;z-index:1000;max-width:60%;background:#fff;
 border:1px solid #999;border-radius:4px;padding:6px 10px;font:12px/1.45 'DejaVu Sans',sans-serif}
#geo-report-title .geo-title{font-size:18px;font-weight:bold;margin-bottom:2px}
#geo-report-credits{position:absolute;bottom:4px;right:4px;z-index:1000;background:rgba(255,255,255,.85);
 padding:1px 5px;font:11px 'DejaVu Sans',sans-serif;color:#333}
#geo-report-empty{position:absolute;top:45%;left:50%;transform:translate(-50%,-50%);z-index:1000;
 background:#fff;border:1px solid #999;border-radius:6px;padding:10px 18px;
 font:20px 'DejaVu Sans',sans-serif}
.leaflet-container,#incident-legend{font-family:'DejaVu Sans',sans-serif !important}
#incident-legend{top:auto !important;bottom:40px !important;left:10px !important}
.leaflet-control-scale-line:nth-child(2){display:none}
.leaflet-control-attribution{display:none}
</style>
"""
_SCREENSHOT_CSS = "<style>.leaflet-control-zoom,.leaflet-control-layers{display:none}</style>"
_READY_JS = """
<script>
(function () {
  var map = %s, pending = 0;
  window.__geoReportMap = map;
  document.querySelectorAll('#incident-legend details').forEach(function (d) { d.open = true; });
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
    if (layer instanceof L.ImageOverlay && layer._image && !layer._image.complete) {
      pending += 1;  // the relief: wait until it is decoded and drawn
      layer.once('load error', function () { pending -= 1; if (pending === 0) { ready(); } });
    }
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


# ------------------------------------------------------------------------- vendored assets


def vendor_dir() -> Path:
    """Where Leaflet and jQuery are looked for (:data:`VENDOR_DIR`, read at each call)."""
    return VENDOR_DIR


def vendor_ready(vendor: Path | None = None) -> bool:
    """True when Leaflet and jQuery are in ``vendor`` (default :func:`vendor_dir`)."""
    vendor = vendor_dir() if vendor is None else vendor
    return all((vendor / p).is_file() for p in ("leaflet/leaflet.js", "leaflet/leaflet.css",
                                                 "jquery/jquery.min.js"))  # fmt: skip


def assets_note(inline: bool) -> str:
    """How the page gets Leaflet, for the manifest's ``assets`` key."""
    return "inline" if inline else f"cdn ({vendor_dir()} missing: run `make vendor`)"


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


# ------------------------------------------------------------------------------ the map


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
        asset_base=_ASSET_TOKEN if inline else None, for_report=True,
        basemap=map_layers(view.basemap) if view.basemap is not None else None,
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


# ---------------------------------------------------------------------------- the page


def _overlay_html(view: ReportView, manifest: Mapping[str, Any]) -> str:
    esc = html.escape
    lines = "<br>".join(esc(line) for line in caption_lines(view))
    empty = f'<div id="geo-report-empty">{esc(EMPTY_MESSAGE)}</div>' if view.incidents.empty else ""
    data = manifest_json(manifest)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        data = data.replace(char, code)
    return (
        f'<div id="geo-report-title"><div class="geo-title">{esc(view.title)}</div>{lines}</div>'
        f'<div id="geo-report-credits">{esc(credit_line(view))}</div>{empty}'
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


def report_page(
    view: ReportView, manifest: Mapping[str, Any], inline: bool, screenshot: bool
) -> str:
    """The page of ``view`` with ``manifest`` embedded.

    ``inline`` puts Leaflet and jQuery from :data:`VENDOR_DIR` into the page;
    ``screenshot`` hides the controls and turns animations off (the PNG's page).
    """
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
    return _inline_assets(page, vendor_dir()) if inline else page


def render_html(view: ReportView, *, screenshot: bool = False) -> str:
    """The view as one self-contained, interactive HTML page.

    Leaflet, jQuery and their images are inlined from ``static/vendor``; when that
    folder is missing the page links the CDN instead and the manifest says so.
    ``screenshot=True`` hides the zoom and layer controls (as for :func:`render_png`).
    """
    check_extent(view_extent(view))
    inline = vendor_ready()
    manifest = build_manifest(view, "html", "html", assets=assets_note(inline))
    return report_page(view, manifest, inline, screenshot)
