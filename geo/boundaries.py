"""Admin-0 (country) and admin-1 (province) polygons, and point assignment.

Sources, best first: ``admin0.gpkg``/``admin1.gpkg`` in ``GEO_BOUNDARIES_DIR``;
otherwise Natural Earth 1:10m downloaded on first use into ``GEO_CACHE_DIR``
(see :mod:`geo._download`).  Offline with neither → one :class:`DataFileError`
naming the setting.

:func:`assign` gives each point its country (ISO 3166-1 alpha-2), province
(English name) and ISO 3166-2 code.  It is vectorised: an STRtree bounding-box
query pairs points with candidate polygons, then prepared-polygon
``contains_xy`` tests each polygon's candidate points at once.  Admin-1 borders
in Natural Earth are generalised, so

* points well inside a province (``inside``) take the province's country;
* points near an international border take their country from admin-0, which
  is full resolution, and the province from the polygon of that country;
* points outside every province but within ``tolerance_km`` of one
  (rivers, simplified borders) take the nearest (``nearest``);
* points farther away get no province (``outside``), invalid coordinates get
  ``invalid``; rows are never dropped or reordered.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray

from geo._distance import haversine_km_np
from geo._download import natural_earth_paths
from geo._errors import DataFileError, InputRowError
from geo.regions import REGION_ISO2, ProvinceSpellings, province_spellings
from geo.settings import Settings, get_settings

__all__ = [
    "ASSIGN_COLUMNS",
    "REGION_ISO2",
    "AssignReport",
    "assign",
    "assign_csv",
    "load_admin0",
    "load_admin1",
    "load_admin2",
    "province_lookup",
    "provinces",
]

ASSIGN_COLUMNS = (
    "country_iso2",
    "admin1",
    "admin1_iso",
    "assign_status",
    "distance_km",
    "assign_reason",
)
#: Points deeper than this inside a province polygon (degrees) are never border points:
#: Natural Earth's admin-0/admin-1 disagreements lie within a few hundred metres of borders.
_INTERIOR_MARGIN_DEG = 0.02

# Natural Earth's English names that differ from the form used in reporting.
_NAME_OVERRIDES = {
    "AF-NIM": "Nimroz",
    "AF-GHO": "Ghor",
    "TJ-SU": "Sughd",
    "UZ-TK": "Tashkent City",
}
# A known Natural Earth error (see shared/data/boundaries/README.md): two polygons
# labelled Parwan and Uruzgan are really Panjshir and Daykundi.
_NE_RELABEL = {
    "AFG-1769": ("Panjshir", "AF-PAN"),
    "AFG-1753": ("Daykundi", "AF-DAY"),
}


def _read(path: Path, setting_hint: str, **kwargs: object) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise DataFileError(path, "boundary file not found", setting_hint)
    try:
        gdf = gpd.read_file(path, **kwargs)
    except Exception as exc:  # pyogrio raises several types for corrupt files
        raise DataFileError(path, f"cannot read boundary file ({exc})", setting_hint) from None
    if gdf.empty or gdf.geometry is None:
        raise DataFileError(path, "boundary file has no features", setting_hint)
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    return gdf.to_crs(4326) if gdf.crs.to_epsg() != 4326 else gdf


def _hint(settings: Settings) -> str:
    where = settings.boundaries_dir or "the Natural Earth download cache"
    return (
        f"Set GEO_BOUNDARIES_DIR to a folder with admin0.gpkg and admin1.gpkg (currently: {where})"
    )


def _source_paths(settings: Settings) -> tuple[Path, Path]:
    if settings.boundaries_dir is not None:
        return settings.boundaries_dir / "admin0.gpkg", settings.boundaries_dir / "admin1.gpkg"
    return natural_earth_paths(settings)


def _lower(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.rename(columns={c: c.lower() for c in gdf.columns if c != gdf.geometry.name})


def _require(gdf: gpd.GeoDataFrame, columns: tuple[str, ...], path: Path, hint: str) -> None:
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        raise DataFileError(path, f"missing column(s) {missing}; is this Natural Earth?", hint)


@functools.lru_cache(maxsize=4)
def _admin0_cached(settings: Settings) -> gpd.GeoDataFrame:
    path = _source_paths(settings)[0]
    gdf = _lower(_read(path, _hint(settings)))
    _require(gdf, ("iso_a2_eh", "iso_a3_eh", "adm0_a3"), path, _hint(settings))
    name = gdf["name_en"] if "name_en" in gdf else gdf.get("name", gdf["adm0_a3"])
    out = gpd.GeoDataFrame(
        {
            "iso2": gdf["iso_a2_eh"].astype(str).replace("-99", ""),
            "iso3": gdf["iso_a3_eh"].astype(str).replace("-99", ""),
            "adm0_a3": gdf["adm0_a3"].astype(str),
            "name": name.astype(str),
        },
        geometry=gdf.geometry.values,
        crs=4326,
    )
    return out


def load_admin0(settings: Settings | None = None) -> gpd.GeoDataFrame:
    """Countries: ``iso2``, ``iso3``, ``adm0_a3``, ``name``, geometry (EPSG:4326).

    Raises
    ------
    DataFileError
        When the file is missing, corrupt or lacks Natural Earth columns.
    """
    return _admin0_cached(settings or get_settings()).copy()


def _fix_ne_labels(gdf: pd.DataFrame) -> pd.DataFrame:
    for code, (name, iso) in _NE_RELABEL.items():
        rows = gdf["adm1_code"] == code
        gdf.loc[rows, ["name", "name_en", "iso_3166_2"]] = [name, name, iso]
    return gdf


@functools.lru_cache(maxsize=4)
def _admin1_cached(settings: Settings) -> gpd.GeoDataFrame:
    path = _source_paths(settings)[1]
    gdf = _lower(_read(path, _hint(settings)))
    cols = ("adm1_code", "name", "iso_3166_2", "iso_a2", "adm0_a3")
    _require(gdf, cols, path, _hint(settings))
    gdf = _fix_ne_labels(gdf)
    iso = gdf["iso_3166_2"].astype(str)
    english = gdf["name_en"].fillna(gdf["name"]) if "name_en" in gdf else gdf["name"]
    english = iso.map(_NAME_OVERRIDES).fillna(english)
    inner = gdf.geometry.representative_point()  # a province as a point: see load_admin1
    out = gpd.GeoDataFrame(
        {
            "country_iso2": gdf["iso_a2"].astype(str).replace("-99", ""),
            "adm0_a3": gdf["adm0_a3"].astype(str),
            "name": english.astype(str),
            "name_ne": gdf["name"].astype(str),
            "name_alt": gdf.get("name_alt", pd.Series("", index=gdf.index)).fillna("").astype(str),
            "iso_3166_2": iso,
            "gn_a1_code": gdf.get("gn_a1_code", pd.Series("", index=gdf.index)).fillna(""),
            "latitude": inner.y,
            "longitude": inner.x,
        },
        geometry=gdf.geometry.values,
        crs=4326,
    )
    return out


def load_admin1(settings: Settings | None = None, region_only: bool = True) -> gpd.GeoDataFrame:
    """Provinces: ``country_iso2``, ``adm0_a3``, ``name`` (English), ``name_ne``,
    ``name_alt``, ``iso_3166_2``, ``gn_a1_code``, ``latitude``, ``longitude``, geometry.

    ``latitude``/``longitude`` is the province as a point: a point on its surface
    (``representative_point``, PostGIS's ``ST_PointOnSurface``), where event datasets put
    province-level events (UCDP GED's Balochistan and FATA points lie within 2 km of it).
    Natural Earth's own label point is placed for lettering and lay 107 km off.

    ``region_only`` keeps the covered countries and their neighbours
    (:data:`REGION_ISO2`); pass False for the whole world.
    """
    gdf = _admin1_cached(settings or get_settings())
    if region_only:
        gdf = gdf[gdf["country_iso2"].isin(REGION_ISO2)]
    return gdf.reset_index(drop=True).copy()


def load_admin2(iso3: str, settings: Settings | None = None) -> gpd.GeoDataFrame | None:
    """Districts of one country from ``admin2_<ISO3>.gpkg``, or None when absent."""
    settings = settings or get_settings()
    if settings.boundaries_dir is None:
        return None
    path = settings.boundaries_dir / f"admin2_{iso3.upper()}.gpkg"
    if not path.is_file():
        return None
    return _read(path, _hint(settings))


@functools.lru_cache(maxsize=4)
def _provinces_cached(settings: Settings) -> ProvinceSpellings:
    return province_spellings(load_admin1(settings))


def provinces(settings: Settings | None = None) -> ProvinceSpellings:
    """Every province spelling (:func:`geo.regions.province_spellings` over the admin-1
    table): ``.find(text, country)`` keeps a hint inside its country."""
    return _provinces_cached(settings or get_settings())


def province_lookup(settings: Settings | None = None) -> dict[str, tuple[str, str, str]]:
    """Map every spelling of a province (English, NE, alternates, aliases, ISO code) in
    its :func:`geo.regions.province_key` form to ``(name, iso_3166_2, country_iso2)``;
    a spelling shared by countries goes to the covered country (see :func:`provinces`)."""
    return provinces(settings).as_dict()


# --------------------------------------------------------------------------- assign


@dataclass(frozen=True)
class _Layer:
    """Polygons with a bounding-box tree and prepared geometries."""

    geoms: NDArray[np.object_]
    tree: shapely.STRtree
    interior: NDArray[np.object_]
    interior_tree: shapely.STRtree


def _layer(geoms: NDArray[np.object_], with_interior: NDArray[np.bool_] | None = None) -> _Layer:
    """Index ``geoms``; ``with_interior`` marks polygons whose eroded interior is built
    (the others get an empty interior, so their points take the exact path)."""
    geoms = np.asarray(geoms, dtype=object)
    interior = np.full(len(geoms), shapely.Polygon(), dtype=object)
    if with_interior is not None:
        core = shapely.buffer(geoms[with_interior], -_INTERIOR_MARGIN_DEG, quad_segs=1)
        core = shapely.simplify(core, _INTERIOR_MARGIN_DEG / 4)
        interior[with_interior] = shapely.buffer(core, -_INTERIOR_MARGIN_DEG / 4, quad_segs=1)
    shapely.prepare(geoms)
    shapely.prepare(interior)
    return _Layer(geoms, shapely.STRtree(geoms), interior, shapely.STRtree(interior))


@functools.lru_cache(maxsize=4)
def _layers(settings: Settings) -> tuple[_Layer, _Layer, _Names]:
    a0 = _admin0_cached(settings)
    a1 = _admin1_cached(settings)
    in_region = a1["country_iso2"].isin(REGION_ISO2).to_numpy()
    return _layer(a0.geometry.values), _layer(a1.geometry.values, in_region), _Names.of(a0, a1)


def _contains(
    layer_geoms: NDArray[np.object_],
    tree: shapely.STRtree,
    x: NDArray[np.float64],
    y: NDArray[np.float64],
) -> NDArray[np.int64]:
    """Index of the first polygon containing each point, -1 for none."""
    hit = np.full(len(x), -1, dtype=np.int64)
    if len(x) == 0:
        return hit
    pts = shapely.points(x, y)
    pt_idx, poly_idx = tree.query(pts)
    order = np.argsort(poly_idx, kind="stable")
    pt_idx, poly_idx = pt_idx[order], poly_idx[order]
    bounds = np.flatnonzero(np.diff(poly_idx)) + 1
    for p_idx, group in zip(
        poly_idx[np.r_[0, bounds]] if len(poly_idx) else [], np.split(pt_idx, bounds), strict=False
    ):
        todo = group[hit[group] < 0]
        if len(todo):
            inside = shapely.contains_xy(layer_geoms[p_idx], x[todo], y[todo])
            hit[todo[inside]] = p_idx
    return hit


def _haversine_km(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> NDArray:
    """:func:`geo._distance.haversine_km_np` with longitudes first, as shapely orders them."""
    return haversine_km_np(*(np.asarray(v, dtype=float) for v in (lat1, lon1, lat2, lon2)))


def _nearest(
    layer: _Layer,
    x: float,
    y: float,
    tolerance_km: float,
    allowed: NDArray[np.bool_] | None,
) -> tuple[int, float]:
    """Nearest polygon (restricted to ``allowed``) within the tolerance, and its distance."""
    pad = tolerance_km / 111.0 / max(math.cos(math.radians(min(abs(y), 89.0))), 0.01)
    box = shapely.box(x - pad, y - pad, x + pad, y + pad)
    cands = layer.tree.query(box)
    if allowed is not None:
        cands = cands[allowed[cands]]
    if len(cands) == 0:
        return -1, math.inf
    pt = shapely.Point(x, y)
    lines = shapely.shortest_line(pt, layer.geoms[cands])
    ends = shapely.get_coordinates(shapely.get_point(lines, 1))
    dist = _haversine_km(x, y, ends[:, 0], ends[:, 1])
    best = int(np.argmin(dist))
    return int(cands[best]), float(dist[best])


def km_outside_province(
    lon: ArrayLike, lat: ArrayLike, admin1_iso: ArrayLike, settings: Settings | None = None
) -> NDArray[np.float64]:
    """How far each point lies outside the province it is said to be in (ISO 3166-2
    code): 0 inside it, the great-circle distance to its nearest edge outside, NaN for
    a code that names no province of the boundaries."""
    settings = settings or get_settings()
    _, l1, names = _layers(settings)
    return _km_outside(l1, names.a1_iso, lon, lat, admin1_iso)


def km_outside_country(
    lon: ArrayLike, lat: ArrayLike, iso2: ArrayLike, settings: Settings | None = None
) -> NDArray[np.float64]:
    """:func:`km_outside_province` for countries (ISO 3166-1 alpha-2 codes)."""
    settings = settings or get_settings()
    l0, _, names = _layers(settings)
    return _km_outside(l0, names.a0_iso, lon, lat, iso2)


def _km_outside(
    layer: _Layer,
    layer_codes: NDArray[np.object_],
    lon: ArrayLike,
    lat: ArrayLike,
    codes: ArrayLike,
) -> NDArray[np.float64]:
    x, y = _coerce(lon, "lon"), _coerce(lat, "lat")
    row = {code: i for i, code in enumerate(layer_codes)}
    poly = np.array([row.get(c, -1) for c in np.asarray(codes, dtype=object)], dtype=np.int64)
    out = np.full(len(x), np.nan)
    known = np.flatnonzero((poly >= 0) & np.isfinite(x) & np.isfinite(y))
    if len(known) == 0:
        return out
    inside = shapely.contains_xy(layer.geoms[poly[known]], x[known], y[known])
    out[known[inside]] = 0.0
    away = known[~inside]
    if len(away):
        lines = shapely.shortest_line(shapely.points(x[away], y[away]), layer.geoms[poly[away]])
        ends = shapely.get_coordinates(shapely.get_point(lines, 1))
        out[away] = _haversine_km(x[away], y[away], ends[:, 0], ends[:, 1])
    return out


def _coerce(values: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = pd.to_numeric(pd.Series(np.asarray(values).ravel()), errors="coerce")
    return arr.to_numpy(dtype=float)


def assign(
    lon: ArrayLike,
    lat: ArrayLike,
    settings: Settings | None = None,
    tolerance_km: float | None = None,
) -> pd.DataFrame:
    """Country and province of each point; one output row per input, same order.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees (EPSG:4326); non-numeric or
        out-of-range values give ``assign_status == "invalid"``.
    tolerance_km
        Largest distance to a province for a point outside every polygon
        (default: ``GEO_ASSIGN_TOLERANCE_KM``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ASSIGN_COLUMNS`: ``country_iso2``, ``admin1``, ``admin1_iso``,
        ``assign_status`` (inside / nearest / outside / invalid), ``distance_km``
        (0 inside, the distance to the chosen or nearest province otherwise) and
        ``assign_reason`` (empty when inside).
    """
    settings = settings or get_settings()
    tol = settings.assign_tolerance_km if tolerance_km is None else float(tolerance_km)
    x, y = _coerce(lon, "lon"), _coerce(lat, "lat")
    if len(x) != len(y):
        raise ValueError(f"lon and lat differ in length ({len(x)} vs {len(y)})")
    l0, l1, names = _layers(settings)
    n = len(x)
    valid = np.isfinite(x) & np.isfinite(y) & (np.abs(x) <= 180) & (np.abs(y) <= 90)
    prov = np.full(n, -1, dtype=np.int64)
    idx = np.flatnonzero(valid)
    prov[idx] = _contains(l1.interior, l1.interior_tree, x[idx], y[idx])
    border = np.flatnonzero(valid & (prov < 0))
    out = _Result.empty(n)
    inside = np.flatnonzero(prov >= 0)
    out.fill(inside, prov[inside], names, "inside")
    out.dist[inside] = 0.0
    _assign_border(border, x, y, l0, l1, names, tol, out)
    out.mark_invalid(np.flatnonzero(~valid), x, y)
    return out.frame()


@dataclass(frozen=True)
class _Names:
    """Admin-0/1 attributes as numpy object arrays (fast fancy indexing)."""

    a0_iso: NDArray[np.object_]
    a1_country: NDArray[np.object_]
    a1_name: NDArray[np.object_]
    a1_iso: NDArray[np.object_]

    @classmethod
    def of(cls, a0: pd.DataFrame, a1: pd.DataFrame) -> _Names:
        def arr(col: pd.Series) -> NDArray[np.object_]:
            return np.asarray(col.astype(object).to_numpy(), dtype=object)

        return cls(arr(a0["iso2"]), arr(a1["country_iso2"]), arr(a1["name"]), arr(a1["iso_3166_2"]))


@dataclass
class _Result:
    country: NDArray[np.object_]
    admin1: NDArray[np.object_]
    iso: NDArray[np.object_]
    status: NDArray[np.object_]
    dist: NDArray[np.float64]
    reason: NDArray[np.object_]

    @classmethod
    def empty(cls, n: int) -> _Result:
        def blank() -> NDArray[np.object_]:
            return np.full(n, "", dtype=object)

        return cls(blank(), blank(), blank(), blank(), np.full(n, np.nan), blank())

    def fill(
        self, rows: NDArray[np.int64], p: NDArray[np.int64], names: _Names, status: str
    ) -> None:
        self.country[rows] = names.a1_country[p]
        self.admin1[rows] = names.a1_name[p]
        self.iso[rows] = names.a1_iso[p]
        self.status[rows] = status

    def mark_invalid(self, rows: NDArray[np.int64], x: NDArray, y: NDArray) -> None:
        self.status[rows] = "invalid"
        for r in rows:
            self.reason[r] = (
                f"invalid coordinates (lat={float(y[r])!r}, lon={float(x[r])!r}): "
                "need numbers in -90..90 and -180..180"
            )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "country_iso2": self.country,
                "admin1": self.admin1,
                "admin1_iso": self.iso,
                "assign_status": self.status,
                "distance_km": np.round(self.dist, 3),
                "assign_reason": self.reason,
            }
        )


def _assign_border(
    rows: NDArray[np.int64],
    x: NDArray,
    y: NDArray,
    l0: _Layer,
    l1: _Layer,
    names: _Names,
    tol: float,
    out: _Result,
) -> None:
    """Points near a border or outside every province: admin-0 decides the country."""
    if len(rows) == 0:
        return
    c_idx = _contains(l0.geoms, l0.tree, x[rows], y[rows])
    p_idx = _contains(l1.geoms, l1.tree, x[rows], y[rows])
    country = np.where(c_idx >= 0, names.a0_iso[np.maximum(c_idx, 0)], "")
    p_country = names.a1_country[np.maximum(p_idx, 0)]
    ok = (p_idx >= 0) & ((country == "") | (p_country == country))
    out.fill(rows[ok], p_idx[ok], names, "inside")
    out.dist[rows[ok]] = 0.0
    out.country[rows[ok]] = np.where(country[ok] == "", p_country[ok], country[ok])
    for r, c in zip(rows[~ok], country[~ok], strict=True):
        allowed = (names.a1_country == c) if c else None
        near, dist = _nearest(l1, x[r], y[r], tol, allowed)
        _fill_nearest(out, r, near, dist, c, names, tol)


def _fill_nearest(
    out: _Result,
    r: int,
    near: int,
    dist: float,
    country: str,
    names: _Names,
    tol: float,
) -> None:
    out.country[r] = country
    if near >= 0 and dist <= tol:
        out.fill(np.array([r]), np.array([near]), names, "nearest")
        out.country[r] = country or names.a1_country[near]
        out.dist[r] = dist
        out.reason[r] = f"outside every province polygon; nearest is {dist:.2f} km away"
        return
    out.status[r] = "outside"
    where = f" in {country}" if country else ""
    out.reason[r] = f"no province{where} within {tol:g} km (GEO_ASSIGN_TOLERANCE_KM)"


# --------------------------------------------------------------------------- batch CSV


@dataclass
class AssignReport:
    """What :func:`assign_csv` did: rows written and the rows it could not place."""

    rows: int
    problems: list[str]
    statuses: dict[str, int]


def _read_points_csv(path: Path) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(path, "input CSV not found") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as exc:
        raise DataFileError(
            path, f"not a readable UTF-8 CSV ({type(exc).__name__}: {exc})"
        ) from None
    missing = [c for c in ("lat", "lon") if c not in df.columns]
    if missing:
        raise DataFileError(
            path,
            f"missing column(s) {missing}; found {list(df.columns)}",
            "The input needs numeric 'lat' and 'lon' columns in degrees",
        )
    return df


def _row_problems(df: pd.DataFrame, source: str) -> list[str]:
    """One message per bad coordinate, naming the line (header = line 1) and column."""
    problems = []
    for col, limit in (("lat", 90), ("lon", 180)):
        values = pd.to_numeric(df[col].str.strip(), errors="coerce").to_numpy(dtype=float)
        raws = df[col].to_numpy()
        for i in np.flatnonzero(np.isnan(values) | (np.abs(values) > limit)):
            what = "not a number" if np.isnan(values[i]) else f"outside -{limit}..{limit}"
            problems.append(str(InputRowError(source, int(i) + 2, col, raws[i], what)))
    return problems


def assign_csv(
    in_path: str | Path,
    out_path: str | Path,
    settings: Settings | None = None,
    tolerance_km: float | None = None,
) -> AssignReport:
    """Add :data:`ASSIGN_COLUMNS` to every row of a CSV with ``lat``/``lon`` columns.

    Every input row and column is kept, in order; rows with unreadable
    coordinates get ``assign_status == "invalid"`` and are listed in the report.
    An input column that already has an added column's name is overwritten.
    """
    in_path = Path(in_path)
    df = _read_points_csv(in_path)
    result = assign(
        df["lon"].str.strip(), df["lat"].str.strip(), settings=settings, tolerance_km=tolerance_km
    )
    out = df.drop(columns=[c for c in ASSIGN_COLUMNS if c in df.columns])
    out = pd.concat([out, result.set_index(out.index)], axis=1)
    try:
        out.to_csv(out_path, index=False)
    except OSError as exc:
        raise DataFileError(out_path, f"cannot write output ({exc.strerror or exc})") from None
    statuses = {str(k): int(v) for k, v in result["assign_status"].value_counts().items()}
    return AssignReport(len(out), _row_problems(df, str(in_path)), statuses)
