"""The incident record, its JSON form, its GeoDataFrame form and one validator.

An :class:`Incident` is what every stage passes on: extraction produces them,
the store keeps them, filters and maps read them.  :func:`validate_incidents`
checks the data contract on a GeoDataFrame and raises once with every problem.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo._errors import DataFileError, IncidentValidationError

__all__ = [
    "CLAIM_STATUSES",
    "DATE_PRECISIONS",
    "EVENT_TYPES",
    "GEO_PRECISIONS",
    "Evidence",
    "Incident",
    "Place",
    "Source",
    "incident_from_dict",
    "incident_problems",
    "incidents_to_frame",
    "load_incidents",
    "save_incidents",
    "validate_incidents",
]

#: ACLED event types and their sub-event types.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
}
DATE_PRECISIONS = ("day", "week", "month", "year")
#: exact place; a district (or near a town); only the province; only the country.
GEO_PRECISIONS = ("exact", "district", "province", "country")
CLAIM_STATUSES = ("reported", "claimed", "confirmed", "unconfirmed", "denied", "disputed")

REQUIRED_COLUMNS = (
    "incident_id",
    "event_date",
    "date_precision",
    "event_type",
    "location_name",
    "geo_precision",
    "country_iso2",
    "claim_status",
    "geometry",
)


@dataclass
class Place:
    """A named place with coordinates and its administrative units."""

    name: str
    lat: float | None = None
    lon: float | None = None
    country_iso2: str = ""
    admin1: str = ""
    admin1_iso: str = ""
    geo_precision: str = "exact"


@dataclass
class Source:
    """An article that reports an incident."""

    source_id: str
    publisher: str = ""
    url: str = ""
    published: str = ""  # ISO date, "" when unknown
    title: str = ""
    file: str = ""


@dataclass
class Evidence:
    """The sentence a field's value came from: character span in the source text."""

    field: str
    text: str
    source_id: str = ""
    start: int = -1
    end: int = -1


@dataclass
class Incident:
    """One incident, possibly reported by several sources."""

    incident_id: str
    event_date: date
    location_name: str
    lat: float | None
    lon: float | None
    date_precision: str = "day"
    event_type: str = "Battles"
    sub_event_type: str = ""
    actors: list[str] = field(default_factory=list)
    geo_precision: str = "exact"
    country_iso2: str = ""
    admin1: str = ""
    admin1_iso: str = ""
    admin2: str = ""
    fatalities_best: int | None = None
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    wounded: int | None = None
    captured: int | None = None
    claim_status: str = "reported"
    claimed_by: list[str] = field(default_factory=list)
    denied_by: list[str] = field(default_factory=list)
    origin: Place | None = None
    target: Place | None = None
    sources: list[Source] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    notes: str = ""

    @property
    def cross_border(self) -> bool:
        """True when origin and target lie in different countries."""
        return bool(
            self.origin
            and self.target
            and self.origin.country_iso2
            and self.target.country_iso2
            and self.origin.country_iso2 != self.target.country_iso2
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (dates as ISO strings)."""
        out = asdict(self)
        out["event_date"] = self.event_date.isoformat()
        out["cross_border"] = self.cross_border
        return out


def _place(value: Any) -> Place | None:
    if value in (None, "", {}):
        return None
    if isinstance(value, Place):
        return value
    known = {f.name for f in fields(Place)}
    return Place(**{k: v for k, v in dict(value).items() if k in known})


def _parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def incident_from_dict(data: Mapping[str, Any]) -> Incident:
    """Build an :class:`Incident` from its JSON form; unknown keys are ignored.

    Raises ``ValueError``/``TypeError``/``KeyError`` on a malformed record; callers
    collect these per record (see :func:`load_incidents`).
    """
    known = {f.name for f in fields(Incident)}
    kwargs = {k: v for k, v in data.items() if k in known}
    kwargs["event_date"] = _parse_date(data["event_date"])
    kwargs["origin"] = _place(data.get("origin"))
    kwargs["target"] = _place(data.get("target"))
    kwargs["sources"] = [
        s if isinstance(s, Source) else Source(**s) for s in data.get("sources", [])
    ]
    kwargs["evidence"] = [
        e if isinstance(e, Evidence) else Evidence(**e) for e in data.get("evidence", [])
    ]
    for key in ("lat", "lon"):
        kwargs[key] = None if data.get(key) in (None, "") else float(data[key])
    return Incident(**kwargs)


def load_incidents(path: str | Path) -> list[Incident]:
    """Read incidents from a JSON list; every bad record is reported at once."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(path, "incidents file not found", "Set GEO_INCIDENTS_FILE") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(path, f"not a readable JSON incidents file ({exc})") from None
    if not isinstance(raw, list):
        raise DataFileError(path, f"expected a JSON list of incidents, got {type(raw).__name__}")
    incidents, problems = [], []
    for i, rec in enumerate(raw):
        try:
            incidents.append(incident_from_dict(rec))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            ident = rec.get("incident_id", "?") if isinstance(rec, dict) else "?"
            problems.append(f"record {i} ({ident}): {type(exc).__name__}: {exc}")
    if problems:
        raise IncidentValidationError(problems, source=str(path))
    validate_incidents(incidents_to_frame(incidents), source=str(path))
    return incidents


def save_incidents(incidents: Iterable[Incident], path: str | Path) -> None:
    """Write incidents as a pretty-printed JSON list (stable key order)."""
    data = [inc.to_dict() for inc in incidents]
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _flat_row(inc: Incident) -> dict[str, Any]:
    row = inc.to_dict()
    for end in ("origin", "target"):
        place = getattr(inc, end)
        row[end] = place.name if place else ""
        for key in ("lat", "lon", "country_iso2", "admin1", "admin1_iso"):
            row[f"{end}_{key}"] = getattr(place, key) if place else None
    row["event_date"] = pd.Timestamp(inc.event_date)
    row["actors"] = "; ".join(inc.actors)
    row["claimed_by"] = "; ".join(inc.claimed_by)
    row["denied_by"] = "; ".join(inc.denied_by)
    row["publishers"] = "; ".join(sorted({s.publisher for s in inc.sources if s.publisher}))
    row["source_count"] = len(inc.sources)
    row["sources"] = json.dumps([asdict(s) for s in inc.sources], ensure_ascii=False)
    row["evidence"] = json.dumps([asdict(e) for e in inc.evidence], ensure_ascii=False)
    return row


def incidents_to_frame(incidents: Sequence[Incident]) -> gpd.GeoDataFrame:
    """Flat GeoDataFrame (EPSG:4326), one row per incident.

    List fields become ``"; "``-joined strings, sources and evidence JSON strings;
    origin/target become ``origin``, ``origin_lat`` … columns.
    """
    rows = [_flat_row(inc) for inc in incidents]
    geoms = [
        Point(inc.lon, inc.lat) if inc.lon is not None and inc.lat is not None else None
        for inc in incidents
    ]
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=[*REQUIRED_COLUMNS[:-1]])
    if "event_date" in frame:
        frame["event_date"] = pd.to_datetime(frame["event_date"])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"))


#: Columns whose value must be one of a fixed set: the one table both validators use.
_ENUM_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("event_type", tuple(EVENT_TYPES)),
    ("date_precision", DATE_PRECISIONS),
    ("geo_precision", GEO_PRECISIONS),
    ("claim_status", CLAIM_STATUSES),
)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _fatality_problem(low: Any, best: Any, high: Any) -> str | None:
    """The fatality rule: no negative figure.

    A best outside ``low..high`` is kept as its source gave it (UCDP publishes such
    rows); the importers flag it in ``notes`` rather than the contract refusing it.
    """
    nums = [v for v in (low, best, high) if not _missing(v)]
    if any(v < 0 for v in nums):
        return f"negative fatalities {nums}"
    return None


def _coordinate_problem(lat: Any, lon: Any, geo_precision: str) -> str | None:
    """The coordinate rule: a point in range, or none at all for a country-level place."""
    if _missing(lat) or _missing(lon):
        return (
            None
            if geo_precision == "country"
            else (f"no coordinates (geo_precision {geo_precision!r})")
        )
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"coordinates out of range ({lat}, {lon})"
    return None


def _check_values(gdf: pd.DataFrame, column: str, allowed: Iterable[str]) -> list[str]:
    allowed = set(allowed)
    bad = gdf.loc[~gdf[column].isin(allowed), ["incident_id", column]]
    return [
        f"incident {r.incident_id}: {column}={getattr(r, column)!r} is not one of {sorted(allowed)}"
        for r in bad.itertuples()
    ]


def _check_fatalities(gdf: pd.DataFrame) -> list[str]:
    problems = []
    for r in gdf.itertuples():
        lo, best, hi = (
            getattr(r, c, None) for c in ("fatalities_low", "fatalities_best", "fatalities_high")
        )
        problem = _fatality_problem(lo, best, hi)
        if problem:
            problems.append(f"incident {r.incident_id}: {problem}")
    return problems


def _check_geometry(gdf: gpd.GeoDataFrame) -> list[str]:
    problems = []
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        problems.append(f"CRS must be EPSG:4326, got {gdf.crs}")
    for r in gdf.itertuples():
        geom = r.geometry
        empty = geom is None or geom.is_empty
        problem = _coordinate_problem(
            None if empty else geom.y, None if empty else geom.x, r.geo_precision
        )
        if problem:
            problems.append(f"incident {r.incident_id}: {problem}")
    return problems


def _plainly_valid(inc: Incident) -> bool:
    """True for the usual record that passes every rule of :func:`incident_problems`.

    One expression instead of building messages (the store's bulk-insert path);
    ``False`` only means "look closer".
    """
    lat, lon = inc.lat, inc.lon
    low, best, high = inc.fatalities_low, inc.fatalities_best, inc.fatalities_high
    return bool(
        inc.incident_id
        and isinstance(inc.event_date, date)
        and inc.event_type in EVENT_TYPES
        and inc.date_precision in DATE_PRECISIONS
        and inc.geo_precision in GEO_PRECISIONS
        and inc.claim_status in CLAIM_STATUSES
        and lat is not None
        and lon is not None
        and -90 <= lat <= 90
        and -180 <= lon <= 180
        and (low is None or low >= 0)
        and (best is None or best >= 0)
        and (high is None or high >= 0)
    )


def incident_problems(inc: Incident) -> list[str]:
    """The data contract of :func:`validate_incidents` for one record, without a frame.

    Parameters
    ----------
    inc : Incident
        The record to check (the store checks each one before writing it).

    Returns
    -------
    list of str
        One message per problem, each naming the incident (empty when valid); the
        same rules and messages as :func:`validate_incidents`.
    """
    if type(inc) is Incident and _plainly_valid(inc):
        return []
    if not isinstance(inc, Incident):
        return [f"not an Incident: {type(inc).__name__}"]
    problems = []
    if not inc.incident_id:
        problems.append("empty incident_id")
    if not isinstance(inc.event_date, date):
        problems.append(f"missing event_date (got {inc.event_date!r})")
    for name, allowed in _ENUM_FIELDS:
        if getattr(inc, name) not in allowed:
            problems.append(f"{name}={getattr(inc, name)!r} is not one of {sorted(allowed)}")
    problems += [
        p
        for p in (
            _fatality_problem(inc.fatalities_low, inc.fatalities_best, inc.fatalities_high),
            _coordinate_problem(inc.lat, inc.lon, inc.geo_precision),
        )
        if p
    ]
    return [f"incident {inc.incident_id or '?'}: {p}" for p in problems]


def validate_incidents(gdf: gpd.GeoDataFrame, source: str = "incidents") -> gpd.GeoDataFrame:
    """Check the incident data contract; raise once listing every problem.

    Returns ``gdf`` unchanged when it is valid, so it can be used inline.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in gdf.columns]
    if missing:
        raise IncidentValidationError([f"missing required column(s): {missing}"], source)
    problems: list[str] = []
    dup = gdf["incident_id"][gdf["incident_id"].duplicated()].tolist()
    if dup:
        problems.append(f"duplicate incident_id(s): {dup}")
    for column, allowed in _ENUM_FIELDS:
        problems += _check_values(gdf, column, allowed)
    if gdf["event_date"].isna().any():
        problems.append(
            f"missing event_date in {gdf.loc[gdf['event_date'].isna(), 'incident_id'].tolist()}"
        )
    problems += _check_fatalities(gdf)
    problems += _check_geometry(gdf)
    if problems:
        raise IncidentValidationError(problems, source)
    return gdf
