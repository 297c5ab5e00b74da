"""Filters -> SQL ``WHERE`` clause, and query rows -> GeoDataFrame.

No disk reads: province names are resolved through the spellings the caller passes
(:func:`geo.boundaries.provinces` gives them); without them names match the stored
``admin1`` case-insensitively and ISO 3166-2 codes match ``admin1_iso``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo._errors import IncidentValidationError
from geo.incidents import Incident, incidents_to_frame
from geo.store import _pg
from geo.store.rows import normalise_actor

#: Province spellings: casefolded name -> (name, ISO 3166-2 code, country ISO2), as
#: :class:`geo.regions.ProvinceSpellings` (or ``geo.boundaries.province_lookup``) gives.
ProvinceLookup = Mapping[str, tuple[str, str, str]]


def _tuple(value: Any) -> tuple[Any, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _date_param(value: Any, name: str) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise IncidentValidationError(
            [f"filter {name}={value!r} is not a date (expected YYYY-MM-DD)"], "filters"
        ) from None


def _province_clause(
    provinces: Sequence[str], spellings: ProvinceLookup | None = None
) -> tuple[str, list[Any]]:
    """Provinces by ISO 3166-2 code, stored name, or any spelling ``spellings`` knows."""
    codes = [p.upper() for p in provinces if re.fullmatch(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}", p)]
    names = [p.casefold() for p in provinces if p.upper() not in codes]
    if names and spellings:
        for key in list(names):
            name, iso, _country = spellings.get(key, ("", "", ""))
            if iso and iso.upper() not in codes:
                codes.append(iso.upper())
            if name and name.casefold() not in names:
                names.append(name.casefold())
    parts, params = [], []
    if codes:
        sql, ps = _in("admin1_iso", codes)
        parts.append(sql)
        params += ps
    if names:
        sql, ps = _in("lower(admin1)", names)
        parts.append(sql)
        params += ps
    return "(" + " OR ".join(parts) + ")", params


def _narrow_dates(date_from: Any, date_to: Any) -> bool:
    """True when both ends are given and at most a year apart."""
    if not (date_from and date_to):
        return False
    first = date.fromisoformat(_date_param(date_from, "date_from"))
    last = date.fromisoformat(_date_param(date_to, "date_to"))
    return (last - first).days <= 366


def _bbox_clause(
    bbox: Sequence[float], backend: str = "sqlite", narrow_dates: bool = False
) -> tuple[str, list[Any]]:
    """Bounding box W, S, E, N (``W > E`` crosses 180°).

    SQLite cannot estimate range selectivity (no STAT4), so with a date range of a
    year or less the longitude index is hidden (``+lon``) and the date index is
    used: a country-sized box holds far more rows than a month does.  PostGIS
    uses its GiST index and the planner's own estimates.
    """
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise IncidentValidationError(
            [f"filter bbox={bbox!r} is not four numbers W,S,E,N"], "filters"
        ) from None
    if backend == "postgresql":
        return _pg.bbox_clause(west, south, east, north)
    lat = "lat BETWEEN ? AND ?"
    lon = "+lon" if narrow_dates else "lon"
    if west <= east:
        return f"({lon} BETWEEN ? AND ? AND {lat})", [west, east, south, north]
    return f"(({lon} >= ? OR {lon} <= ?) AND {lat})", [west, east, south, north]


def build_where(filters: Any, provinces: ProvinceLookup | None = None) -> tuple[str, list[Any]]:
    """Translate a filter object into a parameterised SQL ``WHERE`` clause.

    Parameters
    ----------
    filters : object or None
        Anything with (some of) the attributes of ``geo.filters.Filters``:
        ``date_from``, ``date_to``, ``countries``, ``provinces``, ``event_types``,
        ``actors``, ``claim_statuses``, ``cross_border``, ``min_fatalities``,
        ``bbox`` (W, S, E, N) and ``text``.  Missing attributes mean "no filter".
    provinces : mapping, optional
        Province spellings (``geo.boundaries.provinces(settings)``): a province name is
        also matched through its ISO 3166-2 code and its usual name (Natural Earth
        "Hilmand" finds "Helmand").  Without them, names match stored names only.

    Returns
    -------
    tuple of (str, list)
        The clause (``"1=1"`` when nothing is filtered) and its parameters.
        User values only ever travel as parameters.
    """
    return _build_where(filters, "sqlite", provinces)


def _build_where(  # noqa: C901 - one clause per filter field
    filters: Any, backend: str, provinces: ProvinceLookup | None = None
) -> tuple[str, list[Any]]:
    """:func:`build_where` for one backend (bounding boxes differ: PostGIS uses GiST)."""
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, ps: Sequence[Any] = ()) -> None:
        clauses.append(sql)
        params.extend(ps)

    def get(name: str) -> Any:
        return getattr(filters, name, None) if filters is not None else None

    if get("date_from"):
        add("event_date >= ?", [_date_param(get("date_from"), "date_from")])
    if get("date_to"):
        add("event_date <= ?", [_date_param(get("date_to"), "date_to")])
    if countries := _tuple(get("countries")):
        add(*_in("country_iso2", [c.upper() for c in countries]))
    if wanted := _tuple(get("provinces")):
        add(*_province_clause(wanted, provinces))
    if event_types := _tuple(get("event_types")):
        add(*_in("event_type", event_types))
    if claims := _tuple(get("claim_statuses")):
        add(*_in("claim_status", claims))
    if actors := _tuple(get("actors")):
        sql, ps = _in("a.actor_norm", [normalise_actor(a) for a in actors])
        for name, op in (("date_from", ">="), ("date_to", "<=")):
            if get(name):
                sql += f" AND a.event_date {op} ?"
                ps.append(_date_param(get(name), name))
        add(f"incident_id IN (SELECT a.incident_id FROM incident_actors a WHERE {sql})", ps)
    if get("cross_border"):
        add("cross_border = 1")  # a literal: the partial index ix_incidents_cross_only needs it
    if get("min_fatalities") is not None:
        add("fatalities_best >= ?", [int(get("min_fatalities"))])
    if get("bbox"):
        add(*_bbox_clause(get("bbox"), backend, _narrow_dates(get("date_from"), get("date_to"))))
    for word in str(get("text") or "").casefold().split():
        add("search_text LIKE ? ESCAPE '\\'", [f"%{_like_escape(word)}%"])
    return (" AND ".join(clauses) or "1=1"), params


#: Frame columns read from a differently named ``incidents`` column; every other
#: column of :func:`geo.incidents.incidents_to_frame` has its own name in the table.
_FRAME_SOURCE = {"actors": "actors_text", "origin": "origin_name", "target": "target_name"}


@functools.cache
def _frame_template() -> tuple[list[str], Any]:
    """Column order and ``event_date`` dtype of :func:`incidents_to_frame`."""
    sample = incidents_to_frame([Incident("x", date(2000, 1, 1), "x", 0.0, 0.0)])
    return [c for c in sample.columns if c != "geometry"], sample["event_date"].dtype


@functools.cache
def frame_select() -> tuple[str, ...]:
    """The ``incidents`` columns a query reads: one per frame column, in frame order."""
    columns, _ = _frame_template()
    return tuple(_FRAME_SOURCE.get(c, c) for c in columns)


def _join_json_lists(series: pd.Series) -> pd.Series:
    lookup = {u: "; ".join(json.loads(u)) for u in series.unique()}
    return series.map(lookup)


def _rows_to_frame(rows: list[tuple[Any, ...]]) -> gpd.GeoDataFrame:
    """Rows of :func:`frame_select` → the frame :func:`incidents_to_frame` would build."""
    if not rows:
        return incidents_to_frame([])
    columns, date_dtype = _frame_template()
    frame = pd.DataFrame.from_records(rows, columns=columns)
    frame["claimed_by"] = _join_json_lists(frame["claimed_by"])
    frame["denied_by"] = _join_json_lists(frame["denied_by"])
    frame["origin"] = frame["origin"].fillna("")
    frame["target"] = frame["target"].fillna("")
    frame["cross_border"] = frame["cross_border"].astype(bool)
    frame["event_date"] = pd.to_datetime(frame["event_date"]).astype(date_dtype)
    lon = pd.to_numeric(frame["lon"]).to_numpy(dtype=float)
    lat = pd.to_numeric(frame["lat"]).to_numpy(dtype=float)
    points = gpd.points_from_xy(lon, lat)
    points[np.isnan(lon) | np.isnan(lat)] = None
    return gpd.GeoDataFrame(
        frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326", index=frame.index)
    )
