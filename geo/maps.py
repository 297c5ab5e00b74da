"""The map: a pure function from incidents and boundaries to a ``folium.Map``.

Every string that came from an article or a user is escaped here, once, before
it is put into HTML (popups, tooltips); the legend uses only our own constants.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template

__all__ = ["EVENT_COLORS", "build_map", "popup_html", "safe_url"]

EVENT_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Strategic developments": "#2ca02c",
    "Protests": "#1f77b4",
    "Riots": "#8c564b",
}
CLAIM_DASH = {"confirmed": None, "claimed": "6 4", "reported": "6 4"}
_DEFAULT_COLOR = "#555555"
_REGION_CENTER = (34.5, 67.5)
_SIMPLIFY_DEG = 0.01  # ~1 km: invisible at dashboard zooms, 10x fewer vertices
#: The basemap is clipped to this box (W, S, E, N) around the covered region.
BASEMAP_BOX = (40.0, 15.0, 100.0, 50.0)


def _esc(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def safe_url(url: Any) -> str:
    """The URL when it is http(s), else "" (no ``javascript:`` or ``data:`` links)."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""


def _fatalities_text(row: pd.Series) -> str:
    lo, best, hi = (row.get(k) for k in ("fatalities_low", "fatalities_best", "fatalities_high"))
    nums = [v for v in (lo, best, hi) if v is not None and not pd.isna(v)]
    if not nums:
        return "not reported"
    if pd.isna(hi) and not pd.isna(lo):
        return f"at least {int(lo)}"
    if not pd.isna(lo) and not pd.isna(hi) and lo != hi:
        return (
            f"{int(lo)}–{int(hi)} (best {int(best)})"
            if not pd.isna(best)
            else f"{int(lo)}–{int(hi)}"
        )
    return str(int(nums[0]))


def _sources_html(row: pd.Series) -> str:
    try:
        sources = json.loads(row.get("sources") or "[]")
    except (TypeError, ValueError):
        sources = []
    items = []
    for src in sources:
        label = _esc(src.get("publisher") or src.get("file") or src.get("source_id"))
        url = safe_url(src.get("url"))
        link = (
            f'<a href="{_esc(url)}" target="_blank" rel="noopener noreferrer">{label}</a>'
            if url
            else label
        )
        file = f" <small>({_esc(src.get('file'))})</small>" if src.get("file") else ""
        items.append(f"<li>{link}{file}</li>")
    return (
        "<ul style='margin:0;padding-left:1.2em'>" + "".join(items) + "</ul>" if items else "none"
    )


def popup_html(row: pd.Series) -> str:
    """HTML of one incident's popup; every value escaped."""
    date = pd.Timestamp(row["event_date"]).date().isoformat()
    origin = (
        f"{_esc(row.get('origin'))} → {_esc(row.get('target'))}" if row.get("cross_border") else ""
    )
    parts = [
        f"<b>{_esc(row.get('location_name'))}</b> — {_esc(date)}",
        f" ({_esc(row.get('date_precision'))})",
        f"<br><i>{_esc(row.get('event_type'))}</i> {_esc(row.get('sub_event_type'))}",
        f"<br>Province: {_esc(row.get('admin1'))} ({_esc(row.get('admin1_iso'))}), "
        f"{_esc(row.get('country_iso2'))}; location precision: {_esc(row.get('geo_precision'))}",
        f"<br>Actors: {_esc(row.get('actors'))}",
        f"<br>Fatalities: {_esc(_fatalities_text(row))}",
        f"<br>Claim: <b>{_esc(row.get('claim_status'))}</b>",
        f" by {_esc(row.get('claimed_by'))}" if row.get("claimed_by") else "",
        f"; denied by {_esc(row.get('denied_by'))}" if row.get("denied_by") else "",
        f"<br>Cross-border: {origin}" if origin else "",
        f"<br><small>{_esc(row.get('notes'))}</small>",
        f"<br>Sources: {_sources_html(row)}",
    ]
    return "<div style='max-width:360px'>" + "".join(parts) + "</div>"


def _radius(fatalities: Any) -> float:
    n = 0.0 if fatalities is None or pd.isna(fatalities) else float(fatalities)
    return 5.0 + 2.2 * math.log2(1.0 + max(n, 0.0))


def _tooltip(row: pd.Series) -> str:
    date = pd.Timestamp(row["event_date"]).date().isoformat()
    return f"{_esc(row.get('location_name'))}, {date}: {_esc(row.get('event_type'))}"


def _simplified(gdf: gpd.GeoDataFrame, columns: Iterable[str]) -> gpd.GeoDataFrame:
    keep = [c for c in columns if c in gdf.columns]
    out = gdf[keep].copy()
    for col in keep:
        out[col] = out[col].map(_esc)
    return gpd.GeoDataFrame(
        out, geometry=gdf.geometry.simplify(_SIMPLIFY_DEG, preserve_topology=True), crs=gdf.crs
    )


def _add_basemap(m: folium.Map, countries: gpd.GeoDataFrame | None, tiles: bool) -> None:
    if countries is not None and len(countries):
        countries = countries.clip(BASEMAP_BOX)
        layer = folium.FeatureGroup(name="Basemap (offline)", overlay=False, control=True)
        folium.GeoJson(
            _simplified(countries, ["name", "iso2"]).to_json(),
            style_function=lambda _: {
                "fillColor": "#f2efe9",
                "color": "#999",
                "weight": 1,
                "fillOpacity": 1,
            },
            tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        ).add_to(layer)
        layer.add_to(m)
    if tiles:
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap tiles", overlay=False, show=False
        ).add_to(m)


def _add_provinces(m: folium.Map, provinces: gpd.GeoDataFrame, selected: Iterable[str]) -> None:
    chosen = {s.casefold() for s in selected}
    layer = folium.FeatureGroup(name="Province boundaries")

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        props = feature["properties"]
        hit = {props.get("name", "").casefold(), props.get("iso_3166_2", "").casefold()} & chosen
        return {
            "fillColor": "#3186cc" if hit else "#ffffff",
            "color": "#666",
            "weight": 1,
            "fillOpacity": 0.25 if hit else 0.05,
        }

    folium.GeoJson(
        _simplified(provinces, ["name", "iso_3166_2", "country_iso2"]).to_json(),
        name="provinces",
        style_function=style,
        highlight_function=lambda _: {"weight": 2, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(fields=["name", "iso_3166_2"], aliases=["Province", "ISO"]),
    ).add_to(layer)
    layer.add_to(m)


def _province_shape(provinces: gpd.GeoDataFrame | None, iso: Any) -> Any:
    if provinces is None or not iso:
        return None
    hit = provinces[provinces["iso_3166_2"] == iso]
    return hit.geometry.iloc[0].simplify(_SIMPLIFY_DEG) if len(hit) else None


def _add_incidents(
    m: folium.Map, incidents: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame | None
) -> None:
    points = folium.FeatureGroup(name="Incidents")
    areas = folium.FeatureGroup(name="Incidents located to a province only")
    for _, row in incidents.iterrows():
        color = EVENT_COLORS.get(row.get("event_type"), _DEFAULT_COLOR)
        popup = folium.Popup(popup_html(row), max_width=400)
        shape = (
            _province_shape(provinces, row.get("admin1_iso"))
            if row.get("geo_precision") == "province"
            else None
        )
        if shape is not None:
            folium.GeoJson(
                shape.__geo_interface__,
                style_function=lambda _, c=color: {
                    "fillColor": c,
                    "color": c,
                    "weight": 2,
                    "dashArray": "4 4",
                    "fillOpacity": 0.25,
                },
                tooltip=_tooltip(row),
            ).add_child(popup).add_to(areas)
            continue
        if row.geometry is None or row.geometry.is_empty:
            continue
        folium.CircleMarker(
            location=(row.geometry.y, row.geometry.x),
            radius=_radius(row.get("fatalities_best")),
            color=color,
            fill=True,
            fill_color=color,
            fill_opacity=0.75,
            weight=1,
            tooltip=_tooltip(row),
            popup=popup,
        ).add_to(points)
    areas.add_to(m)
    points.add_to(m)


def _arc(
    start: tuple[float, float], end: tuple[float, float], bend: float = 0.2, n: int = 24
) -> list[tuple[float, float]]:
    """Points of a quadratic curve from start to end (lat, lon), bent sideways."""
    (y0, x0), (y1, x1) = start, end
    cy, cx = (y0 + y1) / 2 - (x1 - x0) * bend, (x0 + x1) / 2 + (y1 - y0) * bend
    pts = []
    for i in range(n + 1):
        t = i / n
        pts.append(
            (
                (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1,
                (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1,
            )
        )
    return pts


def _arrowhead(
    a: tuple[float, float], b: tuple[float, float], size: float = 0.12
) -> list[tuple[float, float]]:
    """Triangle (lat, lon) pointing from a to b with its tip at b; ``size`` in degrees."""
    dy, dx = b[0] - a[0], b[1] - a[1]
    norm = math.hypot(dx, dy) or 1.0
    uy, ux = dy / norm, dx / norm
    base = (b[0] - uy * size, b[1] - ux * size)
    half = size * 0.5
    return [
        b,
        (base[0] + ux * half, base[1] - uy * half),
        (base[0] - ux * half, base[1] + uy * half),
    ]


def _add_arcs(m: folium.Map, incidents: gpd.GeoDataFrame) -> None:
    layer = folium.FeatureGroup(name="Cross-border arcs")
    cols = ("origin_lat", "origin_lon", "target_lat", "target_lon")
    if "cross_border" not in incidents or not all(c in incidents for c in cols):
        layer.add_to(m)
        return
    for _, row in incidents[incidents["cross_border"].fillna(False).astype(bool)].iterrows():
        vals = [row.get(c) for c in cols]
        if any(v is None or pd.isna(v) for v in vals):
            continue
        pts = _arc((vals[0], vals[1]), (vals[2], vals[3]))
        claim = _esc(row.get("claim_status"))
        tip = f"{_esc(row.get('origin'))} → {_esc(row.get('target'))}: {claim}"
        color = EVENT_COLORS.get(row.get("event_type"), _DEFAULT_COLOR)
        folium.PolyLine(
            pts,
            color=color,
            weight=3,
            opacity=0.9,
            tooltip=tip,
            dash_array=CLAIM_DASH.get(row.get("claim_status"), "2 6"),
        ).add_to(layer)
        folium.Polygon(
            _arrowhead(pts[-3], pts[-1]),
            color=color,
            weight=1,
            fill=True,
            fill_color=color,
            fill_opacity=1,
            tooltip=tip,
        ).add_to(layer)
    layer.add_to(m)


_LEGEND = Template("""
{% macro html(this, kwargs) %}
<div id="incident-legend" style="position:absolute;bottom:24px;left:10px;z-index:9999;
 background:#fff;padding:6px 10px;border:1px solid #999;border-radius:4px;
 font:12px sans-serif;line-height:1.5">
<b>Event type</b><br>
{% for name, color in this.colors.items() %}
<span style="display:inline-block;width:10px;height:10px;border-radius:5px;
 background:{{color}}"></span> {{name}}<br>
{% endfor %}
<span style="font-size:11px">Circle size: fatalities. Dashed area: province-level location.<br>
Arc: cross-border fire, origin → target (dashed: claimed or disputed).</span>
</div>
{% endmacro %}
""")


class _Legend(MacroElement):
    def __init__(self) -> None:
        super().__init__()
        self._name = "IncidentLegend"
        self._template = _LEGEND
        self.colors = EVENT_COLORS


def _bounds(incidents: gpd.GeoDataFrame) -> list[list[float]] | None:
    geoms = incidents.geometry.dropna() if len(incidents) else incidents.geometry
    geoms = geoms[~geoms.is_empty] if len(geoms) else geoms
    if not len(geoms):
        return None
    w, s, e, n = geoms.total_bounds
    pad = 0.5
    return [[s - pad, w - pad], [n + pad, e + pad]]


def _use_local_assets(m: folium.Map, base: str) -> None:
    """Load Leaflet and jQuery (folium's popups use it) from ``base``; no CDN."""
    m.default_js = [
        ("leaflet", f"{base}/leaflet/leaflet.js"),
        ("jquery", f"{base}/jquery/jquery.min.js"),
    ]
    m.default_css = [("leaflet_css", f"{base}/leaflet/leaflet.css")]


def build_map(
    incidents: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    *,
    selected_provinces: Iterable[str] = (),
    tiles: bool = True,
    fit: bool = True,
    asset_base: str | None = None,
) -> folium.Map:
    """A folium map of ``incidents`` (see :func:`geo.incidents.incidents_to_frame`).

    Layers: an offline basemap from ``countries``, optional tiles, province
    boundaries (``selected_provinces`` highlighted), incidents as circle markers
    coloured by event type and sized by fatalities (province-only locations as
    the province shape), cross-border arcs with arrowheads, a legend and a
    layer control.  ``asset_base`` (e.g. ``/app/static/vendor``) serves Leaflet
    from a local folder instead of a CDN, so the map works offline.
    """
    m = folium.Map(
        location=_REGION_CENTER, zoom_start=5, tiles=None, control_scale=True, prefer_canvas=True
    )
    if asset_base:
        _use_local_assets(m, asset_base)
    _add_basemap(m, countries, tiles)
    if provinces is not None:
        _add_provinces(m, provinces, selected_provinces)
    _add_incidents(m, incidents, provinces)
    _add_arcs(m, incidents)
    m.add_child(_Legend())
    folium.LayerControl(collapsed=True).add_to(m)
    bounds = _bounds(incidents) if fit else None
    if bounds:
        m.fit_bounds(bounds, max_zoom=8)
    return m
