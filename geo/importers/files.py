"""Whole files: read an export (CSV, HDX CSV, API JSON) into an :class:`ImportReport`."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from geo._errors import DataFileError, InputRowError
from geo.importers.csvread import _decoded, read_csv_rows
from geo.importers.places import fill_provinces, place_by_name
from geo.importers.records import ImportReport
from geo.importers.rows import _REQUIRED, IMPORTERS, plain_mapper
from geo.settings import Settings, get_settings

# --------------------------------------------------------------------------- whole files


def _json_records(path: Path) -> Iterator[tuple[int, dict[str, str]] | InputRowError]:
    """Records of a UCDP API answer (``{"Result": [...]}``) or a JSON list; record N is
    reported as line N."""
    try:
        data = json.loads(_decoded(path))
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"not readable JSON ({exc})") from None
    records = data.get("Result") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise DataFileError(path, "expected a JSON list of records or an API answer with 'Result'")
    for n, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            yield InputRowError(str(path), n, "(record)", rec, "not a JSON object")
            continue
        yield n, {str(k).lower(): "" if v is None else str(v) for k, v in rec.items()}


def _records(
    path: Path, required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]] | InputRowError]:
    if path.suffix.lower() == ".json":
        return _json_records(path)
    return read_csv_rows(path, required)


def read_table(
    kind: str,
    path: str | Path,
    settings: Settings | None = None,
    *,
    provinces: bool = True,
    mapping: Mapping[str, str] | None = None,
    geocoder: Any = None,
) -> ImportReport:
    """Read an ACLED or UCDP GED export, or a plain CSV with a column ``mapping``.

    Every row is kept (bad values flagged in ``notes``, see :func:`add_flag`) unless it
    cannot be dated or placed at all; those are listed in ``errors`` with line and reason.

    Parameters
    ----------
    kind : {"acled", "ucdp", "csv"}
        ``csv`` needs ``mapping`` (see :func:`plain_mapper`).  A ``.json`` file is read
        as a UCDP API answer or a JSON list of records.
    path : str or Path
    settings : Settings, optional
        Used for the boundaries that fill province codes.
    provinces : bool
        Fill country/province/ISO codes with :func:`fill_provinces`.
    mapping : mapping of str to str, optional
        For ``csv``: field (:data:`PLAIN_FIELDS`) → column name.
    geocoder : optional
        For ``csv`` rows placed only by their place name (:func:`place_by_name`); rows
        it cannot place are listed in ``errors``.

    Returns
    -------
    ImportReport
    """
    required: Sequence[str] = ()
    if kind == "csv":
        mapper = plain_mapper(mapping or {})
    elif kind in IMPORTERS:
        mapper, required = IMPORTERS[kind], _REQUIRED[kind]
    else:
        raise ValueError(
            f"unknown import format {kind!r}; expected one of {sorted([*IMPORTERS, 'csv'])}"
        )
    path = Path(path)
    report = ImportReport(source=str(path), kind=kind)
    seen: dict[str, int] = {}
    limit = (settings or get_settings()).max_import_rows
    for item in _records(path, required):
        report.rows += 1
        if report.rows > limit:
            raise DataFileError(
                path,
                f"has more than GEO_MAX_IMPORT_ROWS={limit} rows",
                "Split the file or raise the setting",
            )
        if isinstance(item, InputRowError):
            report.errors.append(item)
            continue
        try:
            inc = mapper(item[1], str(path), item[0])
        except InputRowError as exc:
            report.errors.append(exc)
            continue
        if inc.incident_id in seen:
            report.warnings.append(
                f"line {item[0]}: {inc.incident_id} repeats line {seen[inc.incident_id]}; last kept"
            )
        seen[inc.incident_id] = item[0]
        report.incidents.append(inc)
    _drop_unplaced(report, seen, geocoder)
    if provinces:
        report.warnings += fill_provinces(report.incidents, settings)
    return report


def _drop_unplaced(report: ImportReport, lines: Mapping[str, int], geocoder: Any) -> None:
    """Rows placed only by a name the geocoder cannot resolve: listed, not imported."""
    unplaced = {id(i) for i in place_by_name(report.incidents, geocoder)}
    if not unplaced:
        return
    why = "not found by the geocoder" if geocoder else "no geocoder to look it up"
    problem = f"cannot be placed: no coordinates, country or province, and the name is {why}"
    for inc in report.incidents:
        if id(inc) in unplaced:
            line = lines[inc.incident_id]
            error = InputRowError(report.source, line, "place", inc.location_name, problem)
            report.errors.append(error)
    report.incidents = [i for i in report.incidents if id(i) not in unplaced]


def read_acled(path: str | Path, settings: Settings | None = None) -> ImportReport:
    """:func:`read_table` for an ACLED export."""
    return read_table("acled", path, settings)


def read_ucdp(path: str | Path, settings: Settings | None = None) -> ImportReport:
    """:func:`read_table` for a UCDP GED export (CSV, HDX CSV or API JSON)."""
    return read_table("ucdp", path, settings)
