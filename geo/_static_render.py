"""Static map renderer (geopandas + matplotlib): the fallback when no browser can be used.

Draws the same content as the browser screenshot of :func:`geo.maps.build_map` —
offline basemap, province boundaries (selected ones highlighted), incidents
coloured by event type and sized by fatalities, province-only incidents as
dashed shapes, cross-border arcs — in Web Mercator, with the same overlays:
title box, filter summary, legend, scale bar, credits and the date made.

Every string drawn here comes with ``parse_math=False`` so a ``$`` in a title
or place name is printed, not read as TeX.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # headless: never open a window

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from pyproj import Transformer
from shapely.geometry import box

from geo.maps import _DEFAULT_COLOR, EVENT_COLORS, _arc, _radius

__all__ = ["StaticMap", "nice_scale_km", "render_static_png"]

_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_BASEMAP_FILL = "#f2efe9"
_SEA = "#dde8f0"
_SIMPLIFY_DEG = 0.01
_FONT = {"family": "DejaVu Sans"}


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
    size_px: tuple[int, int] = (1280, 860)
    dpi: int = 100


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
    (x0, x1), (y0, y1) = _TO_MERCATOR.transform([w, e], [s, n])
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


def _draw_boundaries(ax: Axes, spec: StaticMap, lonlat: tuple[float, float, float, float]) -> None:
    if spec.countries is not None and len(spec.countries):
        _clip_project(spec.countries, lonlat).plot(
            ax=ax, facecolor=_BASEMAP_FILL, edgecolor="#999999", linewidth=0.8, zorder=1
        )
    if spec.provinces is None or not len(spec.provinces):
        return
    provs = _clip_project(spec.provinces, lonlat)
    chosen = {s.casefold() for s in spec.selected_provinces}
    names = provs.get("name", pd.Series("", index=provs.index)).fillna("").str.casefold()
    isos = provs.get("iso_3166_2", pd.Series("", index=provs.index)).fillna("").str.casefold()
    hit = names.isin(chosen) | isos.isin(chosen)
    provs[~hit].plot(ax=ax, facecolor="none", edgecolor="#666666", linewidth=0.5, zorder=2)
    if hit.any():
        provs[hit].plot(
            ax=ax, facecolor="#3186cc", alpha=0.25, edgecolor="#666666", linewidth=0.5, zorder=2
        )


def _province_only(spec: StaticMap) -> pd.Series:
    inc = spec.incidents
    if spec.provinces is None or "geo_precision" not in inc or not len(inc):
        return pd.Series(False, index=inc.index)
    known = set(spec.provinces.get("iso_3166_2", pd.Series(dtype=str)).dropna())
    return (inc["geo_precision"] == "province") & inc["admin1_iso"].isin(known)


def _draw_province_incidents(ax: Axes, spec: StaticMap, mask: pd.Series) -> None:
    assert spec.provinces is not None
    shapes = spec.provinces.set_index("iso_3166_2").geometry
    for _, row in spec.incidents[mask].iterrows():
        color = EVENT_COLORS.get(row.get("event_type"), _DEFAULT_COLOR)
        shape = gpd.GeoSeries([shapes[row["admin1_iso"]]], crs=spec.provinces.crs).to_crs(
            "EPSG:3857"
        )
        shape.plot(ax=ax, facecolor=color, alpha=0.25, zorder=3)
        shape.plot(ax=ax, facecolor="none", edgecolor=color, linewidth=2, linestyle="--", zorder=3)


def _draw_points(ax: Axes, spec: StaticMap, mask: pd.Series) -> None:
    pts = spec.incidents[~mask]
    pts = pts[pts.geometry.notna() & ~pts.geometry.is_empty] if len(pts) else pts
    if not len(pts):
        return
    x, y = _TO_MERCATOR.transform(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy())
    colors = [EVENT_COLORS.get(t, _DEFAULT_COLOR) for t in pts["event_type"]]
    fat = pts["fatalities_best"] if "fatalities_best" in pts else pd.Series(0, index=pts.index)
    sizes = [(2 * _radius(f) * 72 / spec.dpi) ** 2 for f in fat]
    ax.scatter(x, y, s=sizes, c=colors, alpha=0.75, edgecolors=colors, linewidths=1, zorder=5)


def _draw_arcs(ax: Axes, incidents: gpd.GeoDataFrame) -> None:
    cols = ("origin_lat", "origin_lon", "target_lat", "target_lon")
    if "cross_border" not in incidents or not all(c in incidents for c in cols):
        return
    for _, row in incidents[incidents["cross_border"].fillna(False).astype(bool)].iterrows():
        vals = [row.get(c) for c in cols]
        if any(v is None or pd.isna(v) for v in vals):
            continue
        pts = _arc((vals[0], vals[1]), (vals[2], vals[3]))
        x, y = _TO_MERCATOR.transform([p[1] for p in pts], [p[0] for p in pts])
        color = EVENT_COLORS.get(row.get("event_type"), _DEFAULT_COLOR)
        style = "-" if row.get("claim_status") == "confirmed" else "--"
        ax.plot(x, y, color=color, linewidth=3, linestyle=style, zorder=4)
        ax.annotate(
            "", xy=(x[-1], y[-1]), xytext=(x[-3], y[-3]), zorder=4,
            arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1, "mutation_scale": 18},
        )  # fmt: skip


def _draw_title(fig: plt.Figure, spec: StaticMap) -> None:
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


def _draw_footer(fig: plt.Figure, spec: StaticMap) -> None:
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
    width, height = spec.size_px
    with plt.rc_context({"font.family": "DejaVu Sans", "svg.hashsalt": "geo"}):
        fig = plt.figure(figsize=(width / spec.dpi, height / spec.dpi), dpi=spec.dpi)
        try:
            ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
            view = _mercator_extent(spec.extent, width / height)
            _draw_boundaries(ax, spec, _lonlat_box(view))
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
