"""The map: a pure function from incidents and boundaries to a ``folium.Map``.

Every string that came from an article or a user is escaped here, once, before
it is put into HTML (popups, tooltips); the legend uses only our own constants.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement, Template

from geo._errors import SettingError

__all__ = [
    "EVENT_COLORS",
    "MAX_MARKERS",
    "build_map",
    "clicked_incident",
    "clicked_province",
    "cluster_points",
    "detail_html",
    "incident_detail",
    "pin_map",
    "popup_html",
    "province_totals",
    "safe_url",
]

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
#: Above this many incidents the map draws clusters (no per-incident popups).
MAX_MARKERS = 1000
#: Most cross-border arcs drawn; more are grouped by origin and target cell.
MAX_ARCS = 300
_CHOROPLETH_COLORS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
_ID_LINE = re.compile(r"\bid: (\S+)\s*$")


def _esc(value: Any) -> str:
    """HTML-escape, and turn braces into entities too: branca re-parses rendered element
    HTML as a Jinja template, so a ``{{ … }}`` from an article would otherwise be
    evaluated on the server."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")


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
        f"<br><small style='color:#777'>id: {_esc(row.get('incident_id'))}</small>",
    ]
    return "<div style='max-width:360px'>" + "".join(parts) + "</div>"


def _radius(fatalities: Any) -> float:
    n = 0.0 if fatalities is None or pd.isna(fatalities) else float(fatalities)
    return 5.0 + 2.2 * math.log2(1.0 + max(n, 0.0))


def _tooltip(row: pd.Series) -> str:
    date = pd.Timestamp(row["event_date"]).date().isoformat()
    return f"{_esc(row.get('location_name'))}, {date}: {_esc(row.get('event_type'))}"


def _simplified(gdf: gpd.GeoDataFrame, columns: Iterable[str]) -> gpd.GeoDataFrame:
    """Escaped ``columns`` and geometry simplified to ~1 km, coordinates to 0.001°."""
    keep = [c for c in columns if c in gdf.columns]
    out = gdf[keep].copy()
    for col in keep:
        out[col] = out[col].map(_esc)
    geoms = gdf.geometry.simplify(_SIMPLIFY_DEG, preserve_topology=True)
    return gpd.GeoDataFrame(out, geometry=geoms.set_precision(0.001), crs=gdf.crs)


#: Boundary GeoJSON by (id of the frame, columns); the frame is kept so the id stays valid.
_JSON_CACHE: dict[tuple[int, tuple[str, ...]], tuple[gpd.GeoDataFrame, dict[str, Any]]] = {}


def _boundary_json(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> dict[str, Any]:
    """GeoJSON (parsed) of :func:`_simplified` boundaries, computed once per frame object."""
    key = (id(gdf), columns)
    hit = _JSON_CACHE.get(key)
    if hit is not None and hit[0] is gdf:
        return hit[1]
    if len(_JSON_CACHE) > 16:
        _JSON_CACHE.clear()
    data: dict[str, Any] = json.loads(_simplified(gdf, columns).to_json())
    _JSON_CACHE[key] = (gdf, data)
    return data


_CLIP_CACHE: dict[int, tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]] = {}


def _clipped(countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``countries`` clipped to :data:`BASEMAP_BOX`, once per frame object."""
    hit = _CLIP_CACHE.get(id(countries))
    if hit is not None and hit[0] is countries:
        return hit[1]
    if len(_CLIP_CACHE) > 8:
        _CLIP_CACHE.clear()
    clipped = countries.clip(BASEMAP_BOX)
    _CLIP_CACHE[id(countries)] = (countries, clipped)
    return clipped


class _BoundedGeoJson(folium.GeoJson):
    """A GeoJson layer whose bounds are given, not recomputed.

    folium (and streamlit-folium on every rerun) computes a layer's bounds by walking
    every coordinate in Python: about a second per rerun for the boundary layers.
    The bounds of a GeoDataFrame are known at once.
    """

    def __init__(self, data: Any, *, bounds: Sequence[float], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        w, s, e, n = (float(v) for v in bounds)
        self._known_bounds: list[list[float | None]] = [[s, w], [n, e]]

    def _get_self_bounds(self) -> list[list[float | None]]:
        return self._known_bounds


def _add_basemap(
    m: folium.Map, countries: gpd.GeoDataFrame | None, tiles: bool, extra_tiles: bool = False
) -> None:
    if countries is not None and len(countries):
        countries = _clipped(countries)
        layer = folium.FeatureGroup(name="Basemap (offline)", overlay=False, control=True)
        _BoundedGeoJson(
            _boundary_json(countries, ("name", "iso2")),
            bounds=countries.total_bounds,
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
    if tiles and extra_tiles:
        folium.TileLayer("OpenTopoMap", name="OpenTopoMap tiles", overlay=False, show=False).add_to(
            m
        )


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

    _BoundedGeoJson(
        _boundary_json(provinces, ("name", "iso_3166_2", "country_iso2")),
        bounds=provinces.total_bounds,
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


def _located(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows with a usable point."""
    geoms = incidents.geometry
    return incidents[geoms.notna() & ~geoms.is_empty]


_POINTS_JS = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJSON({{ this.data }}, {
  pointToLayer: function (f, latlng) {
    var p = f.properties;
    return L.circleMarker(latlng, {radius: p.r, color: p.c, fillColor: p.c,
      fillOpacity: {{ this.opacity }}, weight: {{ this.weight }}});
  },
  style: function (f) { return f.properties.s || {}; },
  onEachFeature: function (f, layer) {
    var p = f.properties;
    if (p.tip) { layer.bindTooltip(p.tip, {sticky: true}); }
    if (p.popup) {
      var d = document.createElement('div');
      d.innerHTML = p.popup;
      layer.bindPopup(d, {maxWidth: 400});
    }
  }
});
{{ this._parent.get_name() }}.addLayer({{ this.get_name() }});
{% endmacro %}
""")


class _PointLayer(MacroElement):
    """Many features as one GeoJSON layer: one element, not one per marker.

    Properties per feature: points ``r`` (radius) and ``c`` (colour); lines and
    polygons ``s`` (a Leaflet path style); any ``tip`` and ``popup`` (HTML,
    already escaped by the caller).
    """

    def __init__(self, features: list[dict[str, Any]], opacity: float, weight: int) -> None:
        super().__init__()
        self._name = "PointLayer"
        self._template = _POINTS_JS
        collection = {"type": "FeatureCollection", "features": features}
        # "</" never reaches the page raw, so no string can close the <script>.
        self.data = json.dumps(collection, ensure_ascii=False).replace("</", "<\\/")
        self.opacity = opacity
        self.weight = weight


def _point_feature(lat: float, lon: float, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
        "properties": props,
    }


def _shape_feature(shape: Any, props: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON feature of ``shape`` with coordinates to 0.001°."""
    geometry = shapely.set_precision(shape, 0.001).__geo_interface__
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _area_style(color: str) -> dict[str, Any]:
    return {
        "fillColor": color,
        "color": color,
        "weight": 2,
        "dashArray": "4 4",
        "fillOpacity": 0.25,
    }


#: Above this many province-level incidents, one shape per province stands for them all.
MAX_AREA_SHAPES = 50


def _area_features(rows: pd.DataFrame, provinces: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Province shapes for incidents located only to their province."""
    out = []
    if len(rows) <= MAX_AREA_SHAPES:
        for _, row in rows.iterrows():
            shape = _province_shape(provinces, row.get("admin1_iso"))
            if shape is None:
                continue
            color = EVENT_COLORS.get(str(row.get("event_type")), _DEFAULT_COLOR)
            props = {
                "s": _area_style(color),
                "tip": _tooltip(row),
                "popup": popup_html(row),
                "incident_id": _esc(row.get("incident_id")),
            }
            out.append(
                {"type": "Feature", "geometry": shape.__geo_interface__, "properties": props}
            )
        return out
    for iso, group in rows.groupby("admin1_iso"):
        shape = _province_shape(provinces, iso)
        if shape is None:
            continue
        name = _esc(group["admin1"].iloc[0])
        tip = f"{len(group)} incidents located only to {name}. Narrow the filters to see each."
        props = {"s": _area_style(_DEFAULT_COLOR), "tip": tip}
        out.append(_shape_feature(shape, props))
    return out


def _add_incidents(
    m: folium.Map, incidents: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame | None
) -> None:
    points = folium.FeatureGroup(name="Incidents")
    areas = folium.FeatureGroup(name="Incidents located to a province only")
    by_area = incidents["geo_precision"].eq("province") if len(incidents) else None
    if provinces is not None and by_area is not None and by_area.any():
        known = by_area & incidents["admin1_iso"].isin(set(provinces["iso_3166_2"]))
        areas.add_child(_PointLayer(_area_features(incidents[known], provinces), 0.25, 2))
        incidents = incidents[~known]
    features = []
    for _, row in _located(incidents).iterrows():
        props = {
            "r": round(_radius(row.get("fatalities_best")), 1),
            "c": EVENT_COLORS.get(str(row.get("event_type")), _DEFAULT_COLOR),
            "tip": _tooltip(row),
            "popup": popup_html(row),
        }
        features.append(_point_feature(row.geometry.y, row.geometry.x, props))
    points.add_child(_PointLayer(features, opacity=0.75, weight=1))
    areas.add_to(m)
    points.add_to(m)


def cluster_points(incidents: pd.DataFrame, max_clusters: int = 400) -> pd.DataFrame:
    """Group located incidents into grid cells, coarsening until at most ``max_clusters``.

    Parameters
    ----------
    incidents : GeoDataFrame
        Incident rows (point geometry; rows without one are left out).
    max_clusters : int
        Most cells returned; the cell size starts at 0.05° and doubles.

    Returns
    -------
    DataFrame
        One row per cell: ``lat``, ``lon`` (mean of its incidents), ``count``,
        ``fatalities`` (sum of best estimates) and ``event_type`` (the most
        frequent), plus ``cell_deg``, the cell size used.  Largest first.
    """
    located = _located(incidents) if len(incidents) else incidents
    if located.empty:
        return pd.DataFrame(columns=["lat", "lon", "count", "fatalities", "event_type", "cell_deg"])
    lat = located.geometry.y.to_numpy()
    lon = located.geometry.x.to_numpy()
    size = 0.05
    while True:
        cells = pd.Series(
            (lat // size).astype("int64") * 100_000 + (lon // size).astype("int64"),
            index=located.index,
        )
        if cells.nunique() <= max_clusters or size > 20:
            break
        size *= 2
    frame = pd.DataFrame(
        {
            "cell": cells,
            "lat": lat,
            "lon": lon,
            "fatalities": pd.to_numeric(located["fatalities_best"], errors="coerce").fillna(0),
            "event_type": located["event_type"].fillna("unknown").astype(str),
        }
    )
    grouped = frame.groupby("cell")
    out = grouped.agg(
        lat=("lat", "mean"),
        lon=("lon", "mean"),
        count=("lat", "size"),
        fatalities=("fatalities", "sum"),
    )
    out["event_type"] = pd.crosstab(frame["cell"], frame["event_type"]).idxmax(axis=1)
    out["cell_deg"] = size
    return out.sort_values("count", ascending=False).reset_index(drop=True)


def _add_clusters(m: folium.Map, incidents: gpd.GeoDataFrame) -> None:
    layer = folium.FeatureGroup(name="Incidents (clustered)")
    features = []
    for rec in cluster_points(incidents).to_dict("records"):
        tip = (
            f"{int(rec['count'])} incidents, {int(rec['fatalities'])} fatalities; "
            f"mostly {_esc(rec['event_type'])}. Narrow the filters to see each one."
        )
        props = {
            "r": round(6.0 + 3.0 * math.log2(float(rec["count"])), 1),
            "c": EVENT_COLORS.get(str(rec["event_type"]), _DEFAULT_COLOR),
            "tip": tip,
        }
        features.append(_point_feature(float(rec["lat"]), float(rec["lon"]), props))
    layer.add_child(_PointLayer(features, opacity=0.55, weight=2))
    layer.add_to(m)


def province_totals(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents and fatalities per province ISO code (``admin1_iso``), most first.

    Returns
    -------
    DataFrame
        Indexed by ``admin1_iso``; columns ``incidents`` and ``fatalities``.
        Rows without a province code are left out.
    """
    rows = incidents[incidents["admin1_iso"].fillna("") != ""] if len(incidents) else incidents
    if rows.empty:
        return pd.DataFrame(columns=["incidents", "fatalities"], index=pd.Index([], name="iso"))
    deaths = pd.to_numeric(rows["fatalities_best"], errors="coerce").fillna(0)
    out = pd.DataFrame({"iso": rows["admin1_iso"], "fatalities": deaths}).groupby("iso")
    table = out.agg(incidents=("fatalities", "size"), fatalities=("fatalities", "sum"))
    table["fatalities"] = table["fatalities"].astype(int)
    return table.sort_values("incidents", ascending=False)


def _class_color(value: float, top: float) -> str:
    if top <= 0 or value <= 0:
        return _CHOROPLETH_COLORS[0]
    idx = min(len(_CHOROPLETH_COLORS) - 1, 1 + int(3.999 * value / top))
    return _CHOROPLETH_COLORS[idx]


def _province_counts(provinces: gpd.GeoDataFrame, totals: pd.DataFrame) -> dict[str, Any]:
    """The (cached) simplified province shapes that have incidents, with their counts."""
    features = []
    counts = {
        str(iso): {"incidents": int(n), "fatalities": int(f)}
        for iso, n, f in zip(totals.index, totals["incidents"], totals["fatalities"], strict=True)
    }
    for feature in _boundary_json(provinces, ("name", "iso_3166_2", "country_iso2"))["features"]:
        iso = feature["properties"]["iso_3166_2"]
        if iso in counts:
            features.append({**feature, "properties": {**feature["properties"], **counts[iso]}})
    return {"type": "FeatureCollection", "features": features}


def _add_choropleth(
    m: folium.Map,
    incidents: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame,
    measure: str,
    show: bool,
) -> None:
    totals = province_totals(incidents)
    hit = provinces[provinces["iso_3166_2"].isin(totals.index)]
    label = "Incidents" if measure == "incidents" else "Fatalities"
    layer = folium.FeatureGroup(name=f"{label} per province", show=show)
    if len(hit):
        shapes = _province_counts(provinces, totals)
        top = float(totals[measure].max())
        _BoundedGeoJson(
            shapes,
            bounds=hit.total_bounds,
            style_function=lambda f: {
                "fillColor": _class_color(float(f["properties"][measure]), top),
                "color": "#7f2704",
                "weight": 0.5,
                "fillOpacity": 0.6,
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["name", "incidents", "fatalities"],
                aliases=["Province", "Incidents", "Fatalities"],
            ),
        ).add_to(layer)
    layer.add_to(m)


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


def _arc_groups(rows: pd.DataFrame) -> pd.DataFrame:
    """Cross-border rows grouped by origin and target (0.5° cells) and claim status."""
    cols = ["origin_lat", "origin_lon", "target_lat", "target_lon"]
    keys = (rows[cols].astype(float) / 0.5).round().astype(int)
    frame = (
        rows[cols]
        .astype(float)
        .assign(
            claim_status=rows["claim_status"].fillna(""),
            origin=rows["origin"].fillna(""),
            target=rows["target"].fillna(""),
            event_type=rows["event_type"].fillna(""),
            k0=keys["origin_lat"],
            k1=keys["origin_lon"],
            k2=keys["target_lat"],
            k3=keys["target_lon"],
        )
    )
    out = frame.groupby(["k0", "k1", "k2", "k3", "claim_status"], as_index=False).agg(
        origin_lat=("origin_lat", "mean"),
        origin_lon=("origin_lon", "mean"),
        target_lat=("target_lat", "mean"),
        target_lon=("target_lon", "mean"),
        origin=("origin", "first"),
        target=("target", "first"),
        event_type=("event_type", "first"),
        count=("origin_lat", "size"),
    )
    return out.sort_values("count", ascending=False).head(MAX_ARCS)


def _add_arcs(m: folium.Map, incidents: gpd.GeoDataFrame) -> None:
    layer = folium.FeatureGroup(name="Cross-border arcs")
    cols = ("origin_lat", "origin_lon", "target_lat", "target_lon")
    if "cross_border" not in incidents or not all(c in incidents for c in cols):
        layer.add_to(m)
        return
    rows = incidents[incidents["cross_border"].fillna(False).astype(bool)]
    rows = rows[rows[list(cols)].notna().all(axis=1)]
    grouped = len(rows) > MAX_ARCS
    arcs = _arc_groups(rows) if grouped else rows.assign(count=1)
    features = []
    for _, row in arcs.iterrows():
        vals = [float(row[c]) for c in cols]
        pts = _arc((vals[0], vals[1]), (vals[2], vals[3]))
        claim = _esc(row.get("claim_status"))
        tip = f"{_esc(row.get('origin'))} → {_esc(row.get('target'))}: {claim}"
        if grouped:
            tip = f"{int(row['count'])} incidents, {tip}"
        color = EVENT_COLORS.get(str(row.get("event_type")), _DEFAULT_COLOR)
        weight = 3 if not grouped else 2 + min(6.0, math.log2(float(row["count"])))
        line = {
            "color": color,
            "weight": weight,
            "opacity": 0.9,
            "dashArray": CLAIM_DASH.get(str(row.get("claim_status")), "2 6"),
        }
        head = {"color": color, "weight": 1, "fillColor": color, "fillOpacity": 1}
        lonlat = [[round(x, 4), round(y, 4)] for y, x in pts]
        tri = [[round(x, 4), round(y, 4)] for y, x in _arrowhead(pts[-3], pts[-1])]
        features += [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": lonlat},
                "properties": {"s": line, "tip": tip, "arc": True},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[*tri, tri[0]]]},
                "properties": {"s": head, "tip": tip, "arrowhead": True},
            },
        ]
    layer.add_child(_PointLayer(features, opacity=1.0, weight=1))
    layer.add_to(m)


_LEGEND = Template("""
{% macro html(this, kwargs) %}
<div id="incident-legend" style="position:absolute;bottom:52px;left:10px;z-index:650;
 background:#fff;padding:4px 8px;border:1px solid #999;border-radius:4px;
 font:11px sans-serif;line-height:1.4;max-width:260px">
<details open><summary style="cursor:pointer"><b>Legend</b></summary>
{% for name, color in this.colors.items() %}
<span style="display:inline-block;width:9px;height:9px;border-radius:5px;
 background:{{color}}"></span> {{name}}<br>
{% endfor %}
<span style="font-size:10px">Circle size: fatalities{% if this.clustered %}; large rings are
clusters of many incidents{% endif %}. Dashed area: province-level location.
Arc: cross-border fire, origin → target (dashed: claimed or disputed).
Shaded provinces (layer menu): {{this.measure}} per province, darker = more.</span>
</details>
</div>
{% endmacro %}
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.on("popupopen", function () {
  var box = document.querySelector("#incident-legend details");
  if (box) { box.open = false; }  // fold the legend so it never hides a popup
});
{% endmacro %}
""")


class _Legend(MacroElement):
    def __init__(self, clustered: bool = False, measure: str = "incidents") -> None:
        super().__init__()
        self._name = "IncidentLegend"
        self._template = _LEGEND
        self.colors = EVENT_COLORS
        self.clustered = clustered
        self.measure = measure


def _bounds(incidents: gpd.GeoDataFrame) -> list[list[float]] | None:
    geoms = incidents.geometry.dropna() if len(incidents) else incidents.geometry
    geoms = geoms[~geoms.is_empty] if len(geoms) else geoms
    if not len(geoms):
        return None
    w, s, e, n = geoms.total_bounds
    pad = 0.5
    return [[s - pad, w - pad], [n + pad, e + pad]]


def pin_map(lat: float | None, lon: float | None, *, asset_base: str | None = None) -> folium.Map:
    """A small map centred on an incident's point, for dropping a pin to move it.

    Without a point it centres on the region.  ``asset_base`` as in :func:`build_map`.
    """
    center = (
        lat if lat is not None else _REGION_CENTER[0],
        lon if lon is not None else _REGION_CENTER[1],
    )
    m = folium.Map(location=center, zoom_start=7, tiles=None)
    if asset_base:
        _use_local_assets(m, asset_base)
    folium.CircleMarker(center, radius=7, color="#d62728").add_to(m)
    return m


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
    max_markers: int = MAX_MARKERS,
    choropleth: str = "incidents",
    extra_tiles: bool = False,
) -> folium.Map:
    """A folium map of ``incidents`` (see :func:`geo.incidents.incidents_to_frame`).

    Layers: an offline basemap from ``countries``, optional tiles, province
    boundaries (``selected_provinces`` highlighted), incidents as circle markers
    coloured by event type and sized by fatalities (province-only locations as
    the province shape), cross-border arcs with arrowheads, a legend and a
    layer control.  ``asset_base`` (e.g. ``/app/static/vendor``) serves Leaflet
    from a local folder instead of a CDN, so the map works offline.

    More than ``max_markers`` incidents are drawn as grid clusters (no
    per-incident popups) so the page stays small.  ``choropleth`` ("incidents"
    or "fatalities") shades provinces by that total in its own layer (shown by
    default when clustered).  ``extra_tiles`` offers OpenTopoMap besides
    OpenStreetMap; the offline basemap stays the default base layer.
    """
    if choropleth not in ("incidents", "fatalities"):
        raise SettingError("choropleth", choropleth, "incidents or fatalities")
    m = folium.Map(
        location=_REGION_CENTER, zoom_start=5, tiles=None, control_scale=True, prefer_canvas=True
    )
    if asset_base:
        _use_local_assets(m, asset_base)
    _add_basemap(m, countries, tiles, extra_tiles)
    clustered = len(incidents) > max_markers
    if provinces is not None:
        _add_provinces(m, provinces, selected_provinces)
        _add_choropleth(m, incidents, provinces, choropleth, show=clustered)
    if clustered:
        _add_clusters(m, incidents)
    else:
        _add_incidents(m, incidents, provinces)
    _add_arcs(m, incidents)
    m.add_child(_Legend(clustered, choropleth))
    folium.LayerControl(collapsed=True).add_to(m)
    bounds = _bounds(incidents) if fit else None
    if bounds:
        m.fit_bounds(bounds, max_zoom=8)
    return m


# ------------------------------------------------------------------------ clicks and detail


def clicked_province(drawing: Mapping[str, Any] | None) -> str | None:
    """The province name of a clicked province feature (st_folium ``last_active_drawing``).

    Returns ``None`` for anything else (an incident, a country, nothing).
    """
    props = (drawing or {}).get("properties") or {}
    if not props.get("iso_3166_2") or not props.get("name"):
        return None
    return html.unescape(str(props["name"]))


def clicked_incident(
    drawing: Mapping[str, Any] | None = None, popup_text: str | None = None
) -> str | None:
    """The incident id behind a map click: a province-level shape's properties
    (``last_active_drawing``) or the "id: …" line of a popup's text."""
    props = (drawing or {}).get("properties") or {}
    if props.get("incident_id"):
        return html.unescape(str(props["incident_id"]))
    match = _ID_LINE.search(popup_text or "")
    return match.group(1) if match else None


def _json_list(value: Any) -> list[dict[str, Any]]:
    try:
        items = json.loads(value or "[]")
    except (TypeError, ValueError):
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


@functools.lru_cache(maxsize=64)
def _read_text(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _sentence(ev: Mapping[str, Any], files: Mapping[str, str], seeds_dir: Path | None) -> str:
    """The evidence text, else its span read from the seed article, else a reference."""
    if ev.get("text"):
        return str(ev["text"])
    sid = str(ev.get("source_id") or "")
    file = files.get(sid) or (f"{sid[5:]}.txt" if sid.startswith("seed:") else "")
    start, end = ev.get("start"), ev.get("end")
    if file and seeds_dir is not None and isinstance(start, int) and isinstance(end, int):
        text = _read_text(str(seeds_dir / Path(file).name))
        if text is not None and 0 <= start < end <= len(text):
            return " ".join(text[start:end].split())
    return f"characters {start}–{end} of {file or sid or 'an unknown source'}"


def incident_detail(
    row: Mapping[str, Any],
    seeds_dir: Path | None = None,
    assertions: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything the detail panel shows for one incident, unescaped.

    Parameters
    ----------
    row : mapping
        One row of an incidents frame (``sources`` and ``evidence`` as JSON strings).
    seeds_dir : Path, optional
        Folder of the seed articles; evidence with an empty ``text`` is read from
        there by its character span when the file is present.
    assertions : mapping, optional
        What each source said (``Store.assertions``): ``{source_id: {field: value}}``.

    Returns
    -------
    dict
        ``incident_id``, ``title``, ``sources`` (``source_id``, ``label``, ``url``
        (http(s) only, else ""), ``file``, ``published``, ``claims``) and
        ``evidence`` (``field``, ``source``, ``sentence``).
    """
    sources = _json_list(row.get("sources"))
    files = {str(s.get("source_id")): str(s.get("file") or "") for s in sources}
    labels = {
        str(s.get("source_id")): str(s.get("publisher") or s.get("file") or s.get("source_id"))
        for s in sources
    }
    said = assertions or {}
    date = pd.Timestamp(str(row.get("event_date"))).date().isoformat()
    return {
        "incident_id": str(row.get("incident_id") or ""),
        "title": f"{row.get('location_name') or 'Unknown place'}, {date}",
        "sources": [
            {
                "source_id": str(s.get("source_id") or ""),
                "label": labels[str(s.get("source_id"))],
                "url": safe_url(s.get("url")),
                "file": str(s.get("file") or ""),
                "published": str(s.get("published") or ""),
                "claims": dict(said.get(str(s.get("source_id")), {})),
            }
            for s in sources
        ],
        "evidence": [
            {
                "field": str(ev.get("field") or ""),
                "source": labels.get(str(ev.get("source_id")), str(ev.get("source_id") or "?")),
                "sentence": _sentence(ev, files, seeds_dir),
            }
            for ev in _json_list(row.get("evidence"))
        ],
    }


#: What the detail panel shows of each source's own account, in this order.
_CLAIM_FIELDS = (
    "claim_status",
    "claimed_by",
    "denied_by",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "captured",
    "event_type",
    "actors",
)


def _claims_text(claims: Mapping[str, Any]) -> str:
    parts = []
    for key in _CLAIM_FIELDS:
        if key not in claims:
            continue
        value = claims[key]
        shown = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        if shown and shown != "None":
            parts.append(f"{key}: {shown}")
    return ", ".join(parts)


def detail_html(detail: Mapping[str, Any]) -> str:
    """The detail panel as HTML; every value from an article or user escaped."""
    items = []
    for src in detail["sources"]:
        label = _esc(src["label"])
        link = (
            f'<a href="{_esc(src["url"])}" target="_blank" rel="noopener noreferrer">{label}</a>'
            if src["url"]
            else label
        )
        extra = " ".join(
            x
            for x in (
                f"<small>({_esc(src['file'])})</small>" if src["file"] else "",
                f"<small>published {_esc(src['published'])}</small>" if src["published"] else "",
            )
            if x
        )
        claims = _claims_text(src["claims"])
        said = f"<br><small>said: {_esc(claims)}</small>" if claims else ""
        items.append(f"<li>{link} {extra}{said}</li>")
    evidence = "".join(
        f"<tr><td><b>{_esc(e['field'])}</b></td><td>{_esc(e['source'])}</td>"
        f"<td>{_esc(e['sentence'])}</td></tr>"
        for e in detail["evidence"]
    )
    return (
        f"<div class='incident-detail'><h4>{_esc(detail['title'])}</h4>"
        f"<p><b>Sources</b></p><ul>{''.join(items) or '<li>none</li>'}</ul>"
        "<p><b>Evidence</b> (the sentence behind each field)</p>"
        "<table><tr><th>field</th><th>source</th><th>sentence</th></tr>"
        f"{evidence or '<tr><td colspan=3>none recorded</td></tr>'}</table></div>"
    )
