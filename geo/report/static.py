"""Static map renderer (geopandas + matplotlib): the fallback when no browser can be used.

Draws the same content as the browser screenshot of :func:`geo.maps.build_map` —
offline basemap (shaded relief, rivers and lakes, country, province and town
labels as the zoom allows, international borders heavier than province
lines; :mod:`geo.report.basemap`), province boundaries (selected ones highlighted), incidents
coloured by event type and sized by fatalities, province-only incidents as
dashed shapes, cross-border arcs — in Web Mercator, with the same overlays:
title box, filter summary, legend, scale bar, credits and the date made.

:func:`static_png` draws a :class:`~geo.report.view.ReportView`;
:func:`render_static_png` draws a :class:`StaticMap`, plain data that says
exactly what to draw.  matplotlib is imported on the first render, not at import.

Every string drawn here comes with ``parse_math=False`` so a ``$`` in a title
or place name is printed, not read as TeX.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from shapely.geometry import box

from geo.maps import DEFAULT_COLOR, EVENT_COLORS, arc_points, marker_radius
from geo.report.basemap import ReportBasemap
from geo.report.view import (
    EMPTY_MESSAGE,
    VIEWPORT,
    ReportView,
    caption_lines,
    credit_line,
    view_extent,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "StaticMap",
    "map_zoom",
    "nice_scale_km",
    "pyplot",
    "render_static_png",
    "static_png",
]

_BASEMAP_FILL = "#f2efe9"
_SEA = "#dde8f0"
#: The map's styles (geo.maps / geo.maps_js) in points: 1 px = 0.75 pt at 96 dpi.
_BORDER = {"edgecolor": "#262626", "linewidth": 1.8, "alpha": 0.9}
_PROVINCE_EDGE = {"edgecolor": "#6b6b6b", "linewidth": 0.6}
_RIVER = {"color": "#5b8fcf", "linewidth": 0.85, "alpha": 0.85}
_LAKE = {"facecolor": "#a8c8e8", "edgecolor": "#5d8fc4", "linewidth": 0.45}
_LABEL_STYLE: dict[str, dict[str, Any]] = {
    "country": {"fontsize": 11, "fontweight": "bold", "color": "#2b2b2b"},
    "province": {"fontsize": 8, "fontstyle": "italic", "color": "#3b3b3b"},
    "town": {"fontsize": 8, "color": "#111111"},
}
_WORLD_M = 40075016.686  # Web Mercator: the world's width in metres (256 px at zoom 0)
_SIMPLIFY_DEG = 0.01
_FONT = {"family": "DejaVu Sans"}


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the headless Agg backend (imported on first use: it is slow)."""
    import matplotlib

    matplotlib.use("Agg")  # headless: never open a window
    import matplotlib.pyplot as plt

    return plt


@functools.cache
def _to_mercator() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


@dataclass(frozen=True, eq=False)
class StaticMap:
    """Everything the static renderer draws; plain data, no rendering state."""

    incidents: gpd.GeoDataFrame
    extent: tuple[float, float, float, float]
    provinces: gpd.GeoDataFrame | None = None
    countries: gpd.GeoDataFrame | None = None
    selected_provinces: tuple[str, ...] = ()
    title: str = "Incident map"
    summary: Sequence[str] = ()
    credits: str = ""
    empty_message: str = ""
    size_px: tuple[int, int] = VIEWPORT
    dpi: int = 100
    basemap: ReportBasemap | None = None


def nice_scale_km(width_km: float) -> float:
    """A round length (1, 2 or 5 × 10^k km) close to a fifth of ``width_km``."""
    target = max(width_km / 5.0, 1e-3)
    power = 10 ** math.floor(math.log10(target))
    return max((m * power for m in (1, 2, 5) if m * power <= target), default=power)


def _mercator_extent(
    extent: tuple[float, float, float, float], aspect: float
) -> tuple[float, float, float, float]:
    """Projected (x0, y0, x1, y1) of ``extent``, widened to the figure's aspect ratio."""
    w, s, e, n = extent
    (x0, x1), (y0, y1) = _to_mercator().transform([w, e], [s, n])
    cx, cy, dx, dy = (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    if dx / dy < aspect:
        dx = dy * aspect
    else:
        dy = dx / aspect
    return cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2


def _lonlat_box(view: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    inverse = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    (w, e), (s, n) = inverse.transform([view[0], view[2]], [view[1], view[3]])
    return w - 0.5, max(s - 0.5, -85.0), e + 0.5, min(n + 0.5, 85.0)


def _clip_project(
    gdf: gpd.GeoDataFrame, lonlat: tuple[float, float, float, float]
) -> gpd.GeoDataFrame:
    clipped = gdf.clip(box(*lonlat))
    clipped = clipped[~clipped.geometry.is_empty]
    simple = clipped.geometry.simplify(_SIMPLIFY_DEG, preserve_topology=True)
    return gpd.GeoDataFrame(clipped.drop(columns="geometry"), geometry=simple, crs=gdf.crs).to_crs(
        "EPSG:3857"
    )


def _in_view(
    gdf: gpd.GeoDataFrame | None, lonlat: tuple[float, float, float, float]
) -> gpd.GeoDataFrame:
    """The part of ``gdf`` inside ``lonlat``, in Web Mercator (empty when none is)."""
    if gdf is None or not len(gdf):
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:3857")
    return _clip_project(gdf, lonlat)


def _draw_boundaries(ax: Axes, spec: StaticMap, lonlat: tuple[float, float, float, float]) -> None:
    countries = _in_view(spec.countries, lonlat)
    relief = spec.basemap is not None and spec.basemap.relief_mercator is not None
    if len(countries) and not relief:
        countries.plot(ax=ax, facecolor=_BASEMAP_FILL, edgecolor="none", zorder=1)
    provs = _in_view(spec.provinces, lonlat)
    if len(provs):
        _draw_provinces(ax, spec, provs)
    if len(countries):  # international borders over the province lines, heavier
        countries.plot(ax=ax, facecolor="none", zorder=2.5, **_BORDER)


def _draw_provinces(ax: Axes, spec: StaticMap, provs: gpd.GeoDataFrame) -> None:
    chosen = {s.casefold() for s in spec.selected_provinces}
    names = provs.get("name", pd.Series("", index=provs.index)).fillna("").str.casefold()
    isos = provs.get("iso_3166_2", pd.Series("", index=provs.index)).fillna("").str.casefold()
    hit = names.isin(chosen) | isos.isin(chosen)
    if not hit.all():
        provs[~hit].plot(ax=ax, facecolor="none", zorder=2, **_PROVINCE_EDGE)
    if hit.any():
        provs[hit].plot(ax=ax, facecolor="#3186cc", alpha=0.25, zorder=2, **_PROVINCE_EDGE)


def _draw_relief(ax: Axes, basemap: ReportBasemap) -> None:
    """The shaded relief image, placed by its bounds (its rows are already Web Mercator)."""
    from PIL import Image

    if basemap.relief_mercator is None:
        return
    w, s, e, n = basemap.bounds
    (x0, x1), (y0, y1) = _to_mercator().transform([w, e], [s, n])
    with Image.open(basemap.relief_mercator) as img:
        pixels = np.asarray(img.convert("RGB"))
    ax.imshow(pixels, extent=(x0, x1, y0, y1), origin="upper", interpolation="bilinear",
              aspect="auto", zorder=0.5)  # fmt: skip


def _draw_water(
    ax: Axes, basemap: ReportBasemap, lonlat: tuple[float, float, float, float]
) -> None:
    if not basemap.water or not basemap.water.get("features"):
        return
    water = gpd.GeoDataFrame.from_features(basemap.water["features"], crs="EPSG:4326")
    water = _in_view(water, lonlat)
    if not len(water):
        return
    lakes = water["kind"] == "lake"
    if lakes.any():
        water[lakes].plot(ax=ax, zorder=0.7, **_LAKE)
    if (~lakes).any():
        water[~lakes].plot(ax=ax, zorder=0.7, **_RIVER)


def map_zoom(view: tuple[float, float, float, float], width_px: int) -> float:
    """The Leaflet zoom that shows the projected ``view`` in ``width_px`` pixels."""
    return math.log2(width_px * _WORLD_M / (256 * max(view[2] - view[0], 1.0)))


def _draw_labels(
    ax: Axes, basemap: ReportBasemap, view: tuple[float, float, float, float], zoom: float
) -> None:
    """Country, province and town names whose ``minzoom`` the view reaches, haloed in white."""
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    shown = [f for f in basemap.labels if f["properties"]["minzoom"] <= zoom + 1e-9]
    if not shown:
        return
    lon = [f["geometry"]["coordinates"][0] for f in shown]
    lat = [f["geometry"]["coordinates"][1] for f in shown]
    xs, ys = _to_mercator().transform(lon, lat)
    for f, x, y in zip(shown, xs, ys, strict=True):
        if not (view[0] <= x <= view[2] and view[1] <= y <= view[3]):
            continue
        kind, name = f["properties"]["kind"], str(f["properties"]["name"])
        style = _LABEL_STYLE.get(kind, _LABEL_STYLE["town"])
        if kind == "town":
            ax.plot([x], [y], marker="o", markersize=3.5, color="#111111", zorder=7,
                    path_effects=halo)  # fmt: skip
            offset = (view[2] - view[0]) * 0.004
            ax.text(x + offset, y, name, ha="left", va="center", zorder=7, parse_math=False,
                    path_effects=halo, clip_on=True, fontdict=_FONT, **style)  # fmt: skip
        else:
            text = name.upper() if kind == "country" else name
            ax.text(x, y, text, ha="center", va="center", zorder=7, parse_math=False,
                    path_effects=halo, clip_on=True, fontdict=_FONT, **style)  # fmt: skip


def _province_only(spec: StaticMap) -> pd.Series:
    inc = spec.incidents
    if spec.provinces is None or "geo_precision" not in inc or not len(inc):
        return pd.Series(False, index=inc.index)
    known = set(spec.provinces.get("iso_3166_2", pd.Series(dtype=str)).dropna())
    return (inc["geo_precision"] == "province") & inc["admin1_iso"].isin(known)


def _draw_province_incidents(ax: Axes, spec: StaticMap, mask: pd.Series) -> None:
    """One dashed, tinted shape per province and event type of the province-level incidents.

    Drawn as two collections (geopandas redraws the figure on each ``plot``).
    """
    assert spec.provinces is not None
    shapes = spec.provinces.drop_duplicates("iso_3166_2").set_index("iso_3166_2").geometry
    rows = spec.incidents.loc[mask, ["admin1_iso", "event_type"]]
    colors = [EVENT_COLORS.get(t, DEFAULT_COLOR) for t in rows["event_type"]]
    pairs = pd.DataFrame({"iso": rows["admin1_iso"].to_numpy(), "color": colors}).drop_duplicates()
    areas = gpd.GeoDataFrame(
        {"color": pairs["color"].to_numpy()},
        geometry=shapes.loc[pairs["iso"]].to_numpy(), crs=spec.provinces.crs,
    ).to_crs("EPSG:3857")  # fmt: skip
    areas.plot(ax=ax, color=areas["color"].tolist(), alpha=0.25, zorder=3)
    areas.plot(ax=ax, facecolor="none", edgecolor=areas["color"].tolist(), linewidth=2,
               linestyle="--", zorder=3)  # fmt: skip


def _draw_points(ax: Axes, spec: StaticMap, mask: pd.Series) -> None:
    pts = spec.incidents[~mask]
    pts = pts[pts.geometry.notna() & ~pts.geometry.is_empty] if len(pts) else pts
    if not len(pts):
        return
    x, y = _to_mercator().transform(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy())
    colors = [EVENT_COLORS.get(t, DEFAULT_COLOR) for t in pts["event_type"]]
    fat = pts["fatalities_best"] if "fatalities_best" in pts else pd.Series(0, index=pts.index)
    sizes = [(2 * marker_radius(f) * 72 / spec.dpi) ** 2 for f in fat]
    ax.scatter(x, y, s=sizes, c=colors, alpha=0.75, edgecolors=colors, linewidths=1, zorder=5)


def _draw_arcs(ax: Axes, incidents: gpd.GeoDataFrame) -> None:
    cols = ("origin_lat", "origin_lon", "target_lat", "target_lon")
    if "cross_border" not in incidents or not all(c in incidents for c in cols):
        return
    for _, row in incidents[incidents["cross_border"].fillna(False).astype(bool)].iterrows():
        vals = [row.get(c) for c in cols]
        if any(v is None or pd.isna(v) for v in vals):
            continue
        pts = arc_points((vals[0], vals[1]), (vals[2], vals[3]))
        x, y = _to_mercator().transform([p[1] for p in pts], [p[0] for p in pts])
        color = EVENT_COLORS.get(row.get("event_type"), DEFAULT_COLOR)
        style = "-" if row.get("claim_status") == "confirmed" else "--"
        ax.plot(x, y, color=color, linewidth=3, linestyle=style, zorder=4)
        ax.annotate(
            "", xy=(x[-1], y[-1]), xytext=(x[-3], y[-3]), zorder=4,
            arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1, "mutation_scale": 18},
        )  # fmt: skip


def _draw_title(fig: Figure, spec: StaticMap) -> None:
    lines = "\n".join(spec.summary)
    fig.text(
        0.012, 0.985, spec.title, va="top", ha="left", fontsize=16, fontweight="bold",
        parse_math=False, zorder=10, fontdict=_FONT,
        bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#999999", "alpha": 0.92},
    )  # fmt: skip
    if lines:
        fig.text(
            0.012, 0.925, lines, va="top", ha="left", fontsize=9.5, parse_math=False, zorder=10,
            fontdict=_FONT, linespacing=1.4,
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#999999", "alpha": 0.92},
        )  # fmt: skip


def _draw_legend(ax: Axes) -> None:
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = [
        Line2D([], [], marker="o", linestyle="none", markersize=8, markerfacecolor=c,
               markeredgecolor=c, label=name)
        for name, c in EVENT_COLORS.items()
    ]  # fmt: skip
    handles.append(Line2D([], [], color="#555555", linewidth=2, linestyle="--",
                          label="Cross-border arc, origin → target"))  # fmt: skip
    handles.append(Patch(facecolor="#dddddd", edgecolor="#555555", linestyle="--",
                         label="Province-level location"))  # fmt: skip
    legend = ax.legend(
        handles=handles, title="Event type  (circle size: fatalities)", loc="lower left",
        bbox_to_anchor=(0.008, 0.06), fontsize=9, title_fontsize=9.5, framealpha=1,
        edgecolor="#999999", prop=_FONT,
    )  # fmt: skip
    legend.set_zorder(10)


def _draw_scale_bar(ax: Axes, view: tuple[float, float, float, float]) -> None:
    x0, y0, x1, y1 = view
    lat = math.degrees(math.atan(math.sinh(((y0 + y1) / 2) / 6378137.0)))
    scale = math.cos(math.radians(lat))  # ground metres per projected metre
    km = nice_scale_km((x1 - x0) * scale / 1000)
    length = km * 1000 / scale
    bx, by = x0 + (x1 - x0) * 0.012, y0 + (y1 - y0) * 0.025
    ax.plot([bx, bx + length], [by, by], color="black", linewidth=3, zorder=11,
            solid_capstyle="butt")  # fmt: skip
    label = f"{km:g} km"
    ax.text(bx + length / 2, by + (y1 - y0) * 0.008, label, ha="center", va="bottom",
            fontsize=9, zorder=11, fontdict=_FONT,
            bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1})  # fmt: skip


def _draw_footer(fig: Figure, spec: StaticMap) -> None:
    if spec.credits:
        fig.text(
            0.995, 0.008, spec.credits, ha="right", va="bottom", fontsize=8.5, parse_math=False,
            zorder=10, fontdict=_FONT, bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 2},
        )  # fmt: skip
    if spec.empty_message:
        fig.text(
            0.5, 0.5, spec.empty_message, ha="center", va="center", fontsize=18,
            parse_math=False, zorder=12, fontdict=_FONT,
            bbox={"boxstyle": "round,pad=0.6", "fc": "white", "ec": "#999999"},
        )  # fmt: skip


def render_static_png(spec: StaticMap) -> bytes:
    """Render ``spec`` to PNG bytes (no metadata; the caller adds the manifest).

    The map fills the whole picture and is centred on the centre of ``spec.extent``
    (in Web Mercator), like the browser screenshot.
    """
    plt = pyplot()
    width, height = spec.size_px
    with plt.rc_context({"font.family": "DejaVu Sans", "svg.hashsalt": "geo"}):
        fig = plt.figure(figsize=(width / spec.dpi, height / spec.dpi), dpi=spec.dpi)
        try:
            ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
            view = _mercator_extent(spec.extent, width / height)
            lonlat = _lonlat_box(view)
            if spec.basemap is not None:
                _draw_relief(ax, spec.basemap)
                _draw_water(ax, spec.basemap, lonlat)
                _draw_labels(ax, spec.basemap, view, map_zoom(view, width))
            _draw_boundaries(ax, spec, lonlat)
            mask = _province_only(spec)
            if mask.any():
                _draw_province_incidents(ax, spec, mask)
            _draw_arcs(ax, spec.incidents)
            _draw_points(ax, spec, mask)
            ax.set_xlim(view[0], view[2])
            ax.set_ylim(view[1], view[3])
            ax.set_axis_off()
            ax.add_patch(plt.Rectangle((0, 0), 1, 1, transform=ax.transAxes, fc=_SEA, zorder=0))
            _draw_legend(ax)
            _draw_scale_bar(ax, view)
            _draw_title(fig, spec)
            _draw_footer(fig, spec)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=spec.dpi, metadata={"Software": None})
        finally:
            plt.close(fig)
    return buf.getvalue()


def static_png(view: ReportView) -> bytes:
    """``view`` drawn by the static renderer (PNG bytes without the manifest)."""
    spec = StaticMap(
        incidents=view.incidents, extent=view_extent(view), provinces=view.provinces,
        countries=view.countries, selected_provinces=view.filters.provinces, title=view.title,
        summary=caption_lines(view), credits=credit_line(view),
        empty_message=EMPTY_MESSAGE if view.incidents.empty else "", size_px=VIEWPORT,
        basemap=view.basemap,
    )  # fmt: skip
    return render_static_png(spec)
