"""Write incident frames to CSV, GeoJSON, GeoPackage or an ACLED-compatible CSV, and
read this tool's own exports back.

The frame is the one :func:`geo.incidents.incidents_to_frame` and
:meth:`geo.store.Store.query` return.  One table, :data:`EXPORT_COLUMNS`, names every
exported column: its field name (GeoJSON and GeoPackage), its readable CSV header and
its type.  Counts are whole numbers, dates ``YYYY-MM-DD``, missing values empty cells
(``null`` in GeoJSON); sources come as publishers and links, import flags (see
:func:`geo.importers.add_flag`) in their own column, and the full sources and evidence
as JSON so that :func:`read_export` gives back the same incidents.

``acled`` writes ACLED's own column names (2023+ layout) so the data can go back into
ACLED-based tooling; ``geo import acled`` reads it back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo._errors import DataFileError, InputRowError
from geo.importers.records import ACTOR_ROLES, ImportReport, actor_roles, flags_of
from geo.importers.rows import ACLED_GEO_PRECISION, ACLED_TIME_PRECISION
from geo.incidents import Evidence, Incident, Place, Source, incident_from_dict

__all__ = [
    "ACLED_EXPORT_COLUMNS",
    "EXPORT_COLUMNS",
    "EXPORT_FORMATS",
    "ExportColumn",
    "acled_table",
    "export_frame",
    "export_table",
    "format_from_path",
    "read_export",
]

#: format name -> (file suffix, OGR driver or "" for a CSV)
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "csv": (".csv", ""),
    "geojson": (".geojson", "GeoJSON"),
    "gpkg": (".gpkg", "GPKG"),
    "acled": (".csv", ""),
}


@dataclass(frozen=True)
class ExportColumn:
    """One exported column: field name, CSV header, type (text, int, float, date, bool)."""

    key: str
    header: str
    kind: str


def _c(key: str, header: str, kind: str = "text") -> ExportColumn:
    return ExportColumn(key, header, kind)


def _place_columns(end: str, title: str) -> tuple[ExportColumn, ...]:
    return (
        _c(end, title),
        _c(f"{end}_latitude", f"{title} latitude", "float"),
        _c(f"{end}_longitude", f"{title} longitude", "float"),
        _c(f"{end}_country_iso2", f"{title} country code"),
        _c(f"{end}_admin1", f"{title} province"),
        _c(f"{end}_admin1_iso", f"{title} province code"),
    )


#: Every exported column, in order.  The CSV uses the headers, GIS formats the keys.
EXPORT_COLUMNS: tuple[ExportColumn, ...] = (
    _c("incident_id", "Incident ID"),
    _c("event_date", "Date", "date"),
    _c("date_precision", "Date precision"),
    _c("event_type", "Event type"),
    _c("sub_event_type", "Sub-event type"),
    _c("actor1", "Actor 1"),
    _c("assoc_actor_1", "Associated actors 1"),
    _c("actor2", "Actor 2"),
    _c("assoc_actor_2", "Associated actors 2"),
    _c("actors", "All actors"),
    _c("fatalities_best", "Killed (best)", "int"),
    _c("fatalities_low", "Killed (low)", "int"),
    _c("fatalities_high", "Killed (high)", "int"),
    _c("wounded", "Wounded", "int"),
    _c("captured", "Captured", "int"),
    _c("location_name", "Place"),
    _c("latitude", "Latitude", "float"),
    _c("longitude", "Longitude", "float"),
    _c("geo_precision", "Location precision"),
    _c("admin2", "District"),
    _c("admin1", "Province"),
    _c("admin1_iso", "Province code"),
    _c("country_iso2", "Country code"),
    _c("claim_status", "Claim status"),
    _c("claimed_by", "Claimed by"),
    _c("denied_by", "Denied by"),
    _c("cross_border", "Cross-border", "bool"),
    *_place_columns("origin", "Origin"),
    *_place_columns("target", "Target"),
    _c("source_count", "Number of sources", "int"),
    _c("source_publishers", "Source publishers"),
    _c("source_urls", "Source URLs"),
    _c("confidence", "Confidence", "float"),
    _c("flags", "Flags"),
    _c("notes", "Notes"),
    _c("sources_json", "Sources (JSON)"),
    _c("evidence_json", "Evidence (JSON)"),
)

#: ACLED's column names (2023+ export layout), in their order.
ACLED_EXPORT_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
_ACLED_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
_LIST_SEP = "; "


def format_from_path(path: str | Path) -> str:
    """Export format implied by a file name's suffix (``.json`` counts as GeoJSON)."""
    suffix = Path(path).suffix.lower()
    for name, (ext, _) in EXPORT_FORMATS.items():
        if suffix == ext or (name == "geojson" and suffix == ".json"):
            return name
    raise DataFileError(path, f"cannot tell the export format from {suffix!r}", "Pass --format")


# --------------------------------------------------------------------------- the table


def _json_list(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return value
    if not isinstance(value, str) or not value:
        return []
    loaded = json.loads(value)
    return loaded if isinstance(loaded, list) else []


def _roles_of(evidence_json: str) -> tuple[str, str, str, str]:
    roles = actor_roles(_json_list(evidence_json))
    return tuple(_LIST_SEP.join(roles[r]) for r in ACTOR_ROLES)  # type: ignore[return-value]


def _roles(frame: pd.DataFrame) -> pd.DataFrame:
    """Actor roles from the evidence; without them actor 1 and 2 are the first two actors."""
    evidence = frame.get("evidence", pd.Series("[]", index=frame.index)).fillna("[]")
    roles = pd.DataFrame(
        [_roles_of(e if isinstance(e, str) else json.dumps(e)) for e in evidence],
        columns=list(ACTOR_ROLES),
        index=frame.index,
    )
    actors = frame.get("actors", pd.Series("", index=frame.index)).fillna("").astype(str)
    split = actors.str.split(_LIST_SEP, n=2, expand=True).reindex(columns=[0, 1])
    split = split.astype(object).where(split.notna(), "")
    no_roles = (roles == "").all(axis=1)
    roles.loc[no_roles, "actor1"] = split.loc[no_roles, 0]
    roles.loc[no_roles, "actor2"] = split.loc[no_roles, 1]
    return roles


def _sources(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    raw = frame.get("sources", pd.Series("[]", index=frame.index)).fillna("[]")
    parsed = [_json_list(s) for s in raw]
    publishers = [
        _LIST_SEP.join(dict.fromkeys(s.get("publisher") or "" for s in p)) for p in parsed
    ]
    urls = [
        _LIST_SEP.join(dict.fromkeys(s.get("url") or "" for s in p if s.get("url"))) for p in parsed
    ]
    return (
        pd.Series([p.strip("; ") for p in publishers], index=frame.index),
        pd.Series(urls, index=frame.index),
    )


def _typed(values: pd.Series, kind: str) -> pd.Series:
    if kind == "int":
        return pd.to_numeric(values, errors="coerce").round().astype("Int64")
    if kind == "float":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if kind == "bool":
        return values.fillna(False).astype(bool)
    if kind == "date":
        return pd.to_datetime(values).dt.strftime("%Y-%m-%d")
    return values.astype(object).where(values.notna(), "").map(str)


_SOURCE_OF: dict[str, str] = {
    "latitude": "lat",
    "longitude": "lon",
    "sources_json": "sources",
    "evidence_json": "evidence",
    **{
        f"{e}_{word}": f"{e}_{short}"
        for e in ("origin", "target")
        for word, short in (("latitude", "lat"), ("longitude", "lon"))
    },
}


def export_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The export as a plain table: one column per :data:`EXPORT_COLUMNS` key, typed.

    Counts are nullable integers (``Int64``), coordinates floats (NaN when unknown),
    dates ISO text, text columns strings with ``""`` for missing.
    """
    data = pd.DataFrame(index=frame.index)
    roles = _roles(frame)
    publishers, urls = _sources(frame)
    derived = {"source_publishers": publishers, "source_urls": urls}
    notes = frame.get("notes", pd.Series("", index=frame.index)).fillna("").astype(str)
    derived["flags"] = notes.map(lambda n: _LIST_SEP.join(flags_of(n)))
    for col in EXPORT_COLUMNS:
        if col.key in roles:
            values = roles[col.key]
        elif col.key in derived:
            values = derived[col.key]
        else:
            source = _SOURCE_OF.get(col.key, col.key)
            values = frame[source] if source in frame else pd.Series(None, index=frame.index)
        data[col.key] = _typed(values, col.kind)
    return data.reset_index(drop=True)


@cache
def _iso_numeric(iso2: str) -> tuple[str, str]:
    """(ACLED's ``iso`` number, country name) for an ISO2 code."""
    try:
        import pycountry

        country = pycountry.countries.get(alpha_2=iso2) if iso2 else None
    except ImportError:
        country = None
    return (str(int(country.numeric)), str(country.name)) if country else ("", iso2)


_ACLED_TIME = {v: k for k, v in ACLED_TIME_PRECISION.items()} | {"year": "3"}
_ACLED_GEO = {v: k for k, v in ACLED_GEO_PRECISION.items()} | {"country": ""}


def acled_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The incidents under ACLED's column names (:data:`ACLED_EXPORT_COLUMNS`).

    ``event_id_cnty`` is ACLED's own id for incidents imported from ACLED and this
    tool's id otherwise (ids with a colon are read back unchanged).  ACLED has one
    fatality figure (the best estimate) and no code for year precision (written 3).
    """
    table = export_table(frame)
    countries = table["country_iso2"].map(_iso_numeric)
    out = pd.DataFrame(index=table.index)
    out["event_id_cnty"] = table["incident_id"].str.replace(r"^acled:", "", regex=True)
    out["event_date"] = table["event_date"]
    out["year"] = table["event_date"].str[:4].astype(int)
    out["time_precision"] = table["date_precision"].map(_ACLED_TIME).fillna("").astype(str)
    out["disorder_type"] = table["event_type"].map(_ACLED_DISORDER).fillna("")
    for key in ("event_type", "sub_event_type", *ACTOR_ROLES):
        out[key] = table[key]
    out["iso"] = countries.map(lambda c: c[0])
    out["country"] = countries.map(lambda c: c[1])
    out["admin1"], out["admin2"], out["admin3"] = table["admin1"], table["admin2"], ""
    out["location"] = table["location_name"]
    out["latitude"], out["longitude"] = table["latitude"], table["longitude"]
    out["geo_precision"] = table["geo_precision"].map(_ACLED_GEO).fillna("").astype(str)
    out["source"] = table["source_publishers"]
    out["notes"] = table["notes"]
    out["fatalities"] = table["fatalities_best"]
    return out.reindex(columns=list(ACLED_EXPORT_COLUMNS), fill_value="")


# --------------------------------------------------------------------------- writing


def _write(table: pd.DataFrame, frame: gpd.GeoDataFrame, path: Path, fmt: str) -> None:
    if fmt == "acled":
        acled_table(frame).to_csv(path, index=False, na_rep="")
    elif fmt == "csv":
        headers = {c.key: c.header for c in EXPORT_COLUMNS}
        table.rename(columns=headers).to_csv(path, index=False, na_rep="")
    else:
        geometry = gpd.GeoSeries(list(frame.geometry), crs=frame.crs or "EPSG:4326")
        gdf = gpd.GeoDataFrame(table, geometry=geometry)
        kwargs = {"layer": "incidents"} if fmt == "gpkg" else {}
        gdf.to_file(path, driver=EXPORT_FORMATS[fmt][1], engine="pyogrio", **kwargs)


def export_frame(frame: gpd.GeoDataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write incidents to ``path`` as CSV, GeoJSON, GeoPackage (layer ``incidents``) or
    an ACLED-compatible CSV.

    Parameters
    ----------
    frame : GeoDataFrame
        Incidents in EPSG:4326 (as returned by ``Store.query``).
    path : str or Path
        Output file; replaced if it exists.
    fmt : {"csv", "geojson", "gpkg", "acled"}, optional
        Default: from the suffix of ``path``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    DataFileError
        Unknown format, or the file cannot be written.
    """
    path = Path(path)
    fmt = (fmt or format_from_path(path)).lower()
    if fmt not in EXPORT_FORMATS:
        raise DataFileError(
            path, f"unknown export format {fmt!r}; expected {sorted(EXPORT_FORMATS)}"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        _write(export_table(frame), frame, path, fmt)
    except (OSError, ValueError, RuntimeError) as exc:
        raise DataFileError(path, f"cannot write {fmt} ({exc})") from None
    return path


# --------------------------------------------------------------------------- reading back


def _read_any(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".csv":
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        by_header = {c.header: c.key for c in EXPORT_COLUMNS}
        return table.rename(columns=by_header)
    gdf = gpd.read_file(path, engine="pyogrio")
    return pd.DataFrame(gdf.drop(columns="geometry"))


def _cell(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and value != value) else value


def _place(rec: Mapping[str, Any], end: str) -> Place | None:
    if not rec.get(end):
        return None
    return Place(
        name=str(rec[end]),
        lat=_num(rec.get(f"{end}_latitude"), float),
        lon=_num(rec.get(f"{end}_longitude"), float),
        country_iso2=str(rec.get(f"{end}_country_iso2") or ""),
        admin1=str(rec.get(f"{end}_admin1") or ""),
        admin1_iso=str(rec.get(f"{end}_admin1_iso") or ""),
    )


def _num(value: Any, kind: Callable[[Any], Any]) -> Any:
    value = _cell(value)
    return None if value in (None, "") else kind(float(value))


_TEXT_KEYS = (
    "incident_id", "location_name", "date_precision", "event_type", "sub_event_type",
    "geo_precision", "country_iso2", "admin1", "admin1_iso", "admin2", "claim_status", "notes",
)  # fmt: skip


def _incident(rec: Mapping[str, Any]) -> Incident:
    data: dict[str, Any] = {k: str(_cell(rec.get(k)) or "") for k in _TEXT_KEYS}
    data["event_date"] = str(rec["event_date"])[:10]
    data["lat"], data["lon"] = _num(rec.get("latitude"), float), _num(rec.get("longitude"), float)
    for key in ("fatalities_best", "fatalities_low", "fatalities_high", "wounded", "captured"):
        data[key] = _num(rec.get(key), int)
    for key in ("actors", "claimed_by", "denied_by"):
        data[key] = [a for a in str(_cell(rec.get(key)) or "").split(_LIST_SEP) if a]
    data["confidence"] = _num(rec.get("confidence"), float)
    if data["confidence"] is None:
        data.pop("confidence")
    data["sources"] = [Source(**s) for s in _json_list(rec.get("sources_json"))]
    data["evidence"] = [Evidence(**e) for e in _json_list(rec.get("evidence_json"))]
    data["origin"], data["target"] = _place(rec, "origin"), _place(rec, "target")
    return incident_from_dict(data)


def read_export(path: str | Path) -> ImportReport:
    """Incidents from a CSV, GeoJSON or GeoPackage written by :func:`export_frame`.

    A record that cannot be read back is listed with its line (CSV: header = line 1)
    and the rest are kept.

    Raises
    ------
    DataFileError
        The file cannot be read or lacks the ``incident_id`` and date columns.
    """
    path = Path(path)
    try:
        table = _read_any(path)
    except (OSError, ValueError, RuntimeError) as exc:
        raise DataFileError(path, f"cannot read the export ({exc})") from None
    missing = [k for k in ("incident_id", "event_date") if k not in table.columns]
    if missing:
        raise DataFileError(path, f"not an export of this tool: missing {missing}")
    report = ImportReport(source=str(path), kind="export")
    records: list[dict[str, Any]] = table.to_dict("records")  # type: ignore[assignment]
    for line, rec in enumerate(records, start=2):
        report.rows += 1
        try:
            report.incidents.append(_incident(rec))
        except (ValueError, TypeError, KeyError) as exc:
            report.errors.append(
                InputRowError(str(path), line, "(row)", rec.get("incident_id"), str(exc))
            )
    return report
