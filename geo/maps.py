"""The map: a pure function from incidents, boundaries and basemap layers to a ``folium.Map``.

Incidents are drawn in the browser from a compact columnar payload
(:func:`points_payload`), clustered with a spatial index (supercluster): only
the clusters and points in view are drawn, clusters show counts and split as
the map is zoomed, and incidents at one spot spread out when their cluster is
clicked, so every incident can be reached.  The payload and the boundary
shapes may be inline or URLs: the page serves them as static files, fetched
once per data version, and each rerun sends only a bit mask of the shown rows
(:func:`shown_mask`) and a few lists of province codes.  The browser side is in
:mod:`geo.maps_js`.

Every string that came from an article or a user is escaped here, once, before
it is put into HTML; the legend uses only our own constants.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo._errors import SettingError
from geo.maps_detail import (
    _esc,
    clicked_incident,
    clicked_province,
    detail_html,
    evidence_files,
    incident_detail,
    popup_html,
    safe_url,
)
from geo.maps_js import Legend, MapScript, Panes, ShapeLayer

__all__ = [
    "CHOROPLETH_COLORS",
    "DEFAULT_COLOR",
    "EVENT_COLORS",
    "BasemapLayers",
    "ShapeFiles",
    "arc_points",
    "build_map",
    "choropleth_breaks",
    "clicked_incident",
    "clicked_province",
    "country_shapes",
    "detail_html",
    "district_shapes",
    "evidence_files",
    "incident_detail",
    "marker_radius",
    "pin_map",
    "points_payload",
    "popup_html",
    "province_shapes",
    "province_totals",
    "safe_url",
    "shown_mask",
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
#: Colour of an event type missing from EVENT_COLORS.
DEFAULT_COLOR = "#555555"
_REGION_CENTER = (34.5, 67.5)
#: The widest view of the map: the region and its neighbours, never the world (below
#: this, country labels pile on each other and the relief is a postage stamp).
MIN_ZOOM = 4
_SIMPLIFY_DEG = 0.01  # ~1 km: invisible at dashboard zooms, 10x fewer vertices
#: The basemap's box (W, S, E, N): Iraq to Nepal, the Arabian Sea to Kazakhstan.  The
#: relief, water and outlines are cropped to it, and the map keeps its view inside it
#: (``maxBounds``); wide enough that the opening view (zoom 5, a wide screen) shows no edge.
BASEMAP_BOX = (39.0, 17.0, 90.0, 49.0)
#: Most cross-border arcs drawn; more are grouped by origin and target cell.
MAX_ARCS = 300
#: Province shading: ColorBrewer "Greys" (no hue, so never read as an event type).
CHOROPLETH_COLORS = ("#f0f0f0", "#bdbdbd", "#969696", "#636363", "#252525")
_PRECISION_CODE = {"exact": 0, "district": 1, "province": 2, "country": 3}
_SUPERCLUSTER_CDN = "https://cdn.jsdelivr.net/npm/supercluster@8.0.1/dist"
#: Deepest zoom of the cluster index; incidents still together there share a spot and
#: spread out on click (the map zooms to 18).
CLUSTER_MAX_ZOOM = 16
#: From this zoom (district scale) the incidents and piles drawn carry their place name.
PLACE_LABEL_ZOOM = 10
#: Most incidents spread out around one clicked spot.
SPIDER_MAX = 400


@dataclass(frozen=True)
class BasemapLayers:
    """What the offline basemap draws besides the country outlines (all optional).

    ``relief`` is an image URL (a static file or a ``data:`` URI) in Web Mercator
    rows covering ``bounds`` (W, S, E, N); ``water`` and ``labels`` are GeoJSON
    (a dict, or the URL of a file) as made by :mod:`geo.basemap`; ``credits`` is
    shown in the map's attribution.
    """

    relief: str | None = None
    bounds: tuple[float, float, float, float] = BASEMAP_BOX
    water: dict[str, Any] | str | None = None
    labels: dict[str, Any] | str | None = None
    credits: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def marker_radius(fatalities: Any) -> float:
    """Marker radius in pixels: 5, growing with the log of the fatalities."""
    n = 0.0 if fatalities is None or pd.isna(fatalities) else float(fatalities)
    return 5.0 + 2.2 * math.log2(1.0 + max(n, 0.0))


def _simplified(gdf: gpd.GeoDataFrame, columns: Iterable[str]) -> gpd.GeoDataFrame:
    """Escaped ``columns`` and geometry simplified to ~1 km, coordinates to 0.001°."""
    keep = [c for c in columns if c in gdf.columns]
    out = gdf[keep].copy()
    for col in keep:
        out[col] = out[col].map(_esc)
    geoms = gdf.geometry.simplify(_SIMPLIFY_DEG, preserve_topology=True)
    return gpd.GeoDataFrame(out, geometry=geoms.set_precision(0.001), crs=gdf.crs)


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


def arc_points(
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


def _bounds(incidents: gpd.GeoDataFrame) -> list[list[float]] | None:
    geoms = incidents.geometry.dropna() if len(incidents) else incidents.geometry
    geoms = geoms[~geoms.is_empty] if len(geoms) else geoms
    if not len(geoms):
        return None
    w, s, e, n = geoms.total_bounds
    pad = 0.5
    return [[s - pad, w - pad], [n + pad, e + pad]]


# ------------------------------------------------------------------------ incident payload


def points_payload(incidents: pd.DataFrame) -> dict[str, Any]:
    """The columnar, escaped data the browser clusters: one entry per row, in row order.

    Returns
    -------
    dict
        ``lat``/``lon`` (4 decimals; ``None`` without a point), ``t`` (index into
        ``types``/``colors``), ``r`` (marker radius × 10), ``p`` (location
        precision: 0 exact, 1 district, 2 province, 3 country), ``id``, ``d``
        (index into ``dates``, ISO dates), ``ni`` (index into ``names``, the
        escaped place names).  Repeated values are indexes, so 100k incidents
        make a few MB.
    """
    if not len(incidents):
        return {k: [] for k in ("lat", "lon", "t", "types", "colors", "r", "p", "id", "d",
                                "dates", "ni", "names")}  # fmt: skip
    geoms = incidents.geometry
    ok = (geoms.notna() & ~geoms.is_empty).to_numpy()
    xs = np.where(ok, shapely.get_x(geoms.to_numpy()), np.nan)
    ys = np.where(ok, shapely.get_y(geoms.to_numpy()), np.nan)
    type_codes, type_names = pd.factorize(incidents["event_type"].fillna("unknown").astype(str))
    name_codes, name_values = pd.factorize(incidents["location_name"].fillna("").astype(str))
    deaths = pd.to_numeric(incidents["fatalities_best"], errors="coerce")
    radius = [round(marker_radius(v) * 10) for v in deaths]
    prec = incidents["geo_precision"].map(_PRECISION_CODE).fillna(0).astype(int)
    date_codes, dates = pd.factorize(
        pd.to_datetime(incidents["event_date"]).dt.strftime("%Y-%m-%d")
    )
    return {
        "lat": [None if math.isnan(v) else round(float(v), 4) for v in ys],
        "lon": [None if math.isnan(v) else round(float(v), 4) for v in xs],
        "t": [int(c) for c in type_codes],
        "types": [_esc(t) for t in type_names],
        "colors": [EVENT_COLORS.get(str(t), DEFAULT_COLOR) for t in type_names],
        "r": radius,
        "p": [int(v) for v in prec],
        "id": [_esc(v) for v in incidents["incident_id"]],
        "d": [int(c) for c in date_codes],
        "dates": list(dates),
        "ni": [int(c) for c in name_codes],
        "names": [_esc(v) for v in name_values],
    }


def shown_mask(everything: pd.DataFrame, shown: pd.DataFrame) -> str:
    """Base64 bit mask (most significant bit first) of the rows of ``everything`` in ``shown``.

    ``shown`` must be a selection of ``everything``'s rows (same index labels).
    """
    bits = np.packbits(everything.index.isin(shown.index).astype(np.uint8))
    return base64.b64encode(bits.tobytes()).decode("ascii")


def _script_json(value: Any) -> str:
    """JSON for a ``<script>``: "</" never reaches the page raw."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


# ------------------------------------------------------------------------ boundary shapes


@dataclass(frozen=True)
class ShapeFiles:
    """URLs of the boundary shapes served as static files (one per boundaries version).

    Each is the JSON of :func:`province_shapes`, :func:`country_shapes` or
    :func:`district_shapes`; ``None`` puts that layer's shapes inline.
    """

    provinces: str | None = None
    countries: str | None = None
    districts: str | None = None


def _geojson(gdf: gpd.GeoDataFrame, columns: tuple[str, ...]) -> dict[str, Any]:
    """GeoJSON (parsed) of :func:`_simplified` boundaries, without feature ids."""
    data: dict[str, Any] = json.loads(_simplified(gdf, columns).to_json(drop_id=True))
    return data


def province_shapes(provinces: gpd.GeoDataFrame) -> dict[str, Any]:
    """Province outlines (``name``, ``iso_3166_2``, ``country_iso2``) for the browser."""
    return _geojson(provinces, ("name", "iso_3166_2", "country_iso2"))


def country_shapes(countries: gpd.GeoDataFrame) -> dict[str, Any]:
    """Country outlines clipped to :data:`BASEMAP_BOX` (borders and the plain basemap)."""
    return _geojson(countries.clip(BASEMAP_BOX), ("name",))


def district_shapes(districts: gpd.GeoDataFrame) -> dict[str, Any]:
    """District outlines; property ``k`` is the row position (what the map asks for)."""
    shapes = gpd.GeoDataFrame(
        geometry=districts.geometry.simplify(_SIMPLIFY_DEG / 2).set_precision(0.001),
        crs=districts.crs,
    )
    data: dict[str, Any] = json.loads(shapes.to_json(drop_id=True))
    for k, feature in enumerate(data["features"]):
        feature["properties"] = {"k": k}
    return data


def _chosen_isos(provinces: gpd.GeoDataFrame, selected: Iterable[str]) -> list[str]:
    """ISO codes of the provinces named in ``selected`` (names or codes, any case)."""
    chosen = {s.casefold() for s in selected}
    if not chosen:
        return []
    names = provinces["name"].astype(str).str.casefold()
    isos = provinces["iso_3166_2"].astype(str)
    hit = names.isin(chosen) | isos.str.casefold().isin(chosen)
    return sorted(isos[hit])


def _vague_areas(
    incidents: pd.DataFrame, districts: gpd.GeoDataFrame | None
) -> dict[str, list[Any]]:
    """Province codes and district row positions that incidents are located only to.

    Drawn as dashed, non-clickable outlines: a click there still reaches the
    province (the incident's own marker, at the area's centre, opens it).
    """
    out: dict[str, list[Any]] = {"provinces": [], "districts": []}
    needed = {"geo_precision", "admin1_iso"}
    if not len(incidents) or not needed <= set(incidents.columns):
        return out
    prec = incidents["geo_precision"]
    out["provinces"] = sorted(
        {str(v) for v in incidents.loc[prec.eq("province"), "admin1_iso"].dropna() if v}
    )
    if districts is not None and len(districts) and "admin2" in incidents.columns:
        rows = incidents[prec.eq("district")]
        wanted = {
            f"{str(a).casefold()}|{str(b).casefold()}"
            for a, b in zip(rows["admin1_iso"], rows["admin2"], strict=True)
            if b
        }
        known = districts["adm1_iso"].str.casefold() + "|" + districts["name"].str.casefold()
        out["districts"] = [int(k) for k in np.flatnonzero(known.isin(wanted).to_numpy())]
    return out


def choropleth_breaks(values: Sequence[float]) -> list[float]:
    """Whole-number upper bounds of up to 4 shaded classes above zero (quarters of the maximum).

    Small maxima give fewer classes (a maximum of 1 gives one class, "1"), so no class
    is empty or labelled backwards.
    """
    top = float(max(values)) if len(values) else 0.0
    return sorted({float(math.ceil(top * k / 4)) for k in (1, 2, 3, 4)}) if top > 0 else []


def _class_index(value: float, breaks: list[float]) -> int:
    """Index into CHOROPLETH_COLORS: 0 for none, the darkest for the top class."""
    if not breaks or value <= 0:
        return 0
    skip = len(CHOROPLETH_COLORS) - 1 - len(breaks)  # fewer classes use the darker greys
    for k, bound in enumerate(breaks):
        if value <= bound:
            return k + 1 + skip
    return len(CHOROPLETH_COLORS) - 1


def _class_color(value: float, breaks: list[float]) -> str:
    return CHOROPLETH_COLORS[_class_index(value, breaks)]


def _shading(incidents: pd.DataFrame, measure: str) -> tuple[dict[str, list[Any]], list[float]]:
    """Province code → [incidents, fatalities, shade colour], and the class breaks."""
    if not len(incidents) or not {"admin1_iso", "fatalities_best"} <= set(incidents.columns):
        return {}, []
    totals = province_totals(incidents)
    breaks = choropleth_breaks(totals[measure].tolist()) if len(totals) else []
    table = {
        _esc(iso): [int(n), int(f), _class_color(float(row[measure]), breaks)]
        for iso, row, n, f in zip(
            totals.index, totals.to_dict("records"), totals["incidents"], totals["fatalities"],
            strict=True,
        )
    }  # fmt: skip
    return table, breaks


def _scale(breaks: list[float]) -> list[tuple[str, str]]:
    """(label, colour) of each shaded class, for the legend: "1–3", "4–5", … or "7"."""
    out: list[tuple[str, str]] = []
    for lo, hi in zip([0.0, *breaks[:-1]] if breaks else [], breaks, strict=True):
        first, last = int(lo) + 1, int(hi)
        label = str(last) if first == last else f"{first}–{last}"
        out.append((label, CHOROPLETH_COLORS[_class_index(hi, breaks)]))
    return out


_STYLES = {
    "border": {"color": "#262626", "weight": 2.4, "opacity": 0.9, "fill": False},
    # Painted (almost clear), so the whole area takes the click that filters to it.
    "province": {"fillColor": "#ffffff", "color": "#6b6b6b", "weight": 0.8, "fillOpacity": 0.01},
    "chosen": {"fillColor": "#3186cc", "color": "#1f5f99", "weight": 2, "fillOpacity": 0.18},
    "hover": {"weight": 2, "color": "#000"},
    "shade": {"color": "#444", "weight": 0.5, "fillOpacity": 0.55},
    "area_province": {"color": "#222", "weight": 1.6, "dashArray": "6 4", "fillColor": "#222",
                      "fillOpacity": 0.06},
    "area_district": {"color": "#222", "weight": 1.6, "dashArray": "3 3", "fillColor": "#222",
                      "fillOpacity": 0.06},
}  # fmt: skip


# ------------------------------------------------------------------------ arcs


def _arc_features(incidents: pd.DataFrame) -> list[dict[str, Any]]:
    """Cross-border arcs with arrowheads (grouped by origin and target when many)."""
    cols = ("origin_lat", "origin_lon", "target_lat", "target_lon")
    if "cross_border" not in incidents or not all(c in incidents for c in cols):
        return []
    rows = incidents[incidents["cross_border"].fillna(False).astype(bool)]
    rows = rows[rows[list(cols)].notna().all(axis=1)]
    grouped = len(rows) > MAX_ARCS
    arcs = _arc_groups(rows) if grouped else rows.assign(count=1)
    features = []
    for row in arcs.to_dict("records"):
        vals = [float(row[c]) for c in cols]
        pts = arc_points((vals[0], vals[1]), (vals[2], vals[3]))
        claim = _esc(row.get("claim_status"))
        tip = f"{_esc(row.get('origin'))} → {_esc(row.get('target'))}: {claim}"
        if grouped:
            tip = f"{int(row['count'])} incidents, {tip}"
        color = EVENT_COLORS.get(str(row.get("event_type")), DEFAULT_COLOR)
        weight = 3 if not grouped else 2 + min(6.0, math.log2(float(row["count"])))
        dash = CLAIM_DASH.get(str(row.get("claim_status")), "2 6")
        line = {"color": color, "weight": weight, "opacity": 0.85, "dashArray": dash}
        head = {"color": color, "weight": 1, "fillColor": color, "fillOpacity": 1}
        lonlat = [[round(x, 3), round(y, 3)] for y, x in pts]
        tri = [[round(x, 3), round(y, 3)] for y, x in _arrowhead(pts[-3], pts[-1])]
        features += [
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": lonlat},
             "properties": {"s": line, "tip": tip, "arc": True}},
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[*tri, tri[0]]]},
             "properties": {"s": head, "tip": tip, "arrowhead": True}},
        ]  # fmt: skip
    return features


# ------------------------------------------------------------------------ the map


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


def _use_local_assets(m: folium.Map, base: str, jquery: bool = True) -> None:
    """Load Leaflet (and jQuery, for folium's popups) from ``base``; no CDN."""
    m.default_js = [("leaflet", f"{base}/leaflet/leaflet.js")]
    if jquery:
        m.default_js.append(("jquery", f"{base}/jquery/jquery.min.js"))
    m.default_css = [("leaflet_css", f"{base}/leaflet/leaflet.css")]


def _add_cluster_assets(m: folium.Map, base: str | None) -> None:
    root = f"{base}/supercluster" if base else _SUPERCLUSTER_CDN
    m.default_js = [*m.default_js, ("supercluster", f"{root}/supercluster.min.js")]


def _selected_point(incidents: pd.DataFrame, selected: str | None) -> list[float] | None:
    if not selected or not len(incidents):
        return None
    rows = incidents[incidents["incident_id"] == selected]
    geoms = rows.geometry[rows.geometry.notna() & ~rows.geometry.is_empty]
    return [round(geoms.iloc[0].y, 5), round(geoms.iloc[0].x, 5)] if len(geoms) else None


def _groups(m: folium.Map, tiles: bool, extra_tiles: bool, measure: str) -> dict[str, Any]:
    """The layer-menu entries, bottom to top; the browser draws into them."""
    groups = {"base": folium.FeatureGroup(name="Basemap (offline)", overlay=False)}
    groups["base"].add_to(m)
    if tiles:
        folium.TileLayer(
            "OpenStreetMap", name="OpenStreetMap tiles", overlay=False, show=False
        ).add_to(m)
    if tiles and extra_tiles:
        folium.TileLayer("OpenTopoMap", name="OpenTopoMap tiles", overlay=False, show=False).add_to(
            m
        )
    label = "Incidents" if measure == "incidents" else "Fatalities"
    for key, name, show in (
        ("provinces", "Province boundaries", True),
        ("shading", f"{label} per province (shading)", False),
        ("areas", "Areas of vague locations", True),
        ("borders", "International borders", True),
        ("arcs", "Cross-border arcs", True),
        ("points", "Incidents", True),
    ):
        groups[key] = folium.FeatureGroup(name=name, show=show, control=key != "borders")
        groups[key].add_to(m)
    return groups


def build_map(  # noqa: PLR0913 - public API: the keyword options of one map
    incidents: gpd.GeoDataFrame,
    provinces: gpd.GeoDataFrame | None = None,
    countries: gpd.GeoDataFrame | None = None,
    *,
    selected_provinces: Iterable[str] = (),
    tiles: bool = True,
    fit: bool = True,
    asset_base: str | None = None,
    choropleth: str = "incidents",
    extra_tiles: bool = False,
    basemap: BasemapLayers | None = None,
    districts: gpd.GeoDataFrame | None = None,
    points: tuple[str, pd.DataFrame] | None = None,
    selected: str | None = None,
    shapes: ShapeFiles | None = None,
    for_report: bool = False,
) -> folium.Map:
    """A folium map of ``incidents`` (see :func:`geo.incidents.incidents_to_frame`).

    Layers, bottom to top: the offline basemap (``basemap`` relief and water,
    else a plain fill of ``countries``), optional tiles, province boundaries
    (``selected_provinces`` highlighted; a click filters), an optional province
    shading by ``choropleth`` ("incidents" or "fatalities"), dashed outlines of
    the provinces and ``districts`` (admin-2 shapes with ``name`` and
    ``adm1_iso``) that incidents are located only to, international borders,
    labels, cross-border arcs, then the incidents, clustered in the browser
    (counts on the clusters; they split on zoom and spread out at one spot).

    ``points`` — ``(url, everything)`` — makes the browser fetch the payload
    of ``everything`` (:func:`points_payload`) from ``url`` and draw only the
    rows of ``incidents`` (a bit mask); ``shapes`` likewise names the static
    files of the boundary shapes.  Without them the data is inline.
    ``selected`` (an incident id) is ringed.  ``asset_base`` (e.g.
    ``/app/static/vendor``) serves Leaflet and supercluster from a local folder
    instead of a CDN, so the map works offline.  ``for_report`` draws every
    incident individually (no clusters) and at once, from inline data, for a
    screenshot or a saved page.
    """
    if choropleth not in ("incidents", "fatalities"):
        raise SettingError("choropleth", choropleth, "incidents or fatalities")
    w, s, e, n = (basemap or BasemapLayers()).bounds
    # minZoom as a map option (folium's min_zoom goes to tile layers, and there are none)
    m = folium.Map(
        location=_REGION_CENTER, zoom_start=5, tiles=None, control_scale=True, max_zoom=18,
        minZoom=MIN_ZOOM, max_bounds=not for_report, min_lat=s, max_lat=n, min_lon=w, max_lon=e,
    )  # fmt: skip
    if asset_base:  # no folium popups here, so no jQuery: one script fewer per rerun
        _use_local_assets(m, asset_base, jquery=False)
    if not for_report:
        _add_cluster_assets(m, asset_base)
    m.add_child(Panes())
    groups = _groups(m, tiles, extra_tiles, choropleth)
    files = shapes if shapes is not None and not for_report else ShapeFiles()
    served = points is not None and not for_report
    has_provinces = provinces is not None and len(provinces) > 0
    has_countries = countries is not None and len(countries) > 0
    has_districts = districts is not None and len(districts) > 0
    totals, breaks = _shading(incidents, choropleth) if has_provinces else ({}, [])
    areas = _vague_areas(incidents, districts if has_districts else None)
    if not has_provinces:
        areas["provinces"] = []
    config: dict[str, Any] = {
        "relief": (basemap or BasemapLayers()).relief,
        "relief_bounds": _corner_pairs((basemap or BasemapLayers()).bounds),
        "water": (basemap or BasemapLayers()).water,
        "labels": (basemap or BasemapLayers()).labels,
        "credits": _esc((basemap or BasemapLayers()).credits),
        "countries": (files.countries or country_shapes(countries)) if has_countries else None,
        "provinces": (files.provinces or province_shapes(provinces)) if has_provinces else None,
        "districts": (files.districts or district_shapes(districts)) if has_districts else None,
        "selected_provinces": _chosen_isos(provinces, selected_provinces) if has_provinces else [],
        "totals": totals,
        "areas": areas,
        "styles": _STYLES,
        "points": points[0] if served and points else points_payload(incidents),
        "mask": shown_mask(points[1], incidents) if served and points else None,
        "selected": _selected_point(incidents, selected),
        "cluster": not for_report,
        "cluster_max_zoom": CLUSTER_MAX_ZOOM,
        "place_label_zoom": PLACE_LABEL_ZOOM,
        "spider_max": SPIDER_MAX,
    }
    arcs = _script_json({"type": "FeatureCollection", "features": _arc_features(incidents)})
    groups["arcs"].add_child(ShapeLayer(arcs, "geo-arcs", interactive=True))
    m.add_child(MapScript(_script_json(config), groups))
    m.add_child(Legend(EVENT_COLORS, choropleth, breaks, _scale(breaks), clusters=not for_report))
    folium.LayerControl(collapsed=True).add_to(m)
    bounds = _bounds(incidents) if fit else None
    if bounds:
        m.fit_bounds(bounds, max_zoom=8)
    return m


def _corner_pairs(box: tuple[float, float, float, float]) -> list[list[float]]:
    """(W, S, E, N) as Leaflet's [[S, W], [N, E]]."""
    w, s, e, n = box
    return [[s, w], [n, e]]


# Names the report imported before they were public; kept until it switches.
_DEFAULT_COLOR = DEFAULT_COLOR
_arc = arc_points
_radius = marker_radius
