"""Import ACLED and UCDP GED CSV exports as incidents, row by row, skipping bad rows.

Every malformed row (bad date, missing coordinate, text in a number column,
broken quoting, bytes that are not UTF-8, wrong number of fields) becomes an
:class:`~geo._errors.InputRowError` naming the file, the line (header = line 1)
and the column; the row is skipped and the rest of the file is read.

Precision codes are kept, mapped onto the incident schema:

=================  =====================================================
ACLED              ``geo_precision`` 1 → exact, 2 → district, 3 → province;
                   ``time_precision`` 1 → day, 2 → week, 3 → month
UCDP GED           ``where_prec`` 1 → exact, 2 → district (within 25 km),
                   3 → district, 4 → province, 5 → province (a line or area
                   between places), 6 → country, 7 → country (waters/air);
                   ``date_prec`` 1 → day, 2 → week (2–6 days), 3 → week,
                   4 → month, 5 → year
=================  =====================================================

Incident ids are ``acled:<event_id_cnty>`` and ``ucdp:<id>``, so importing the
same file again updates rather than duplicates.  UCDP's ``type_of_violence``
(when present) maps 1 and 2 to Battles / Armed clash and 3 to Violence against
civilians / Attack; without it, Battles.  Provinces: the file's own admin-1 name
is kept; its ISO 3166-2 code, and any missing country or province, come from
:func:`geo.boundaries.assign` (point in polygon) or the province name table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from geo._errors import DataFileError, GeoError, InputRowError
from geo.incidents import EVENT_TYPES, Incident, Source
from geo.settings import Settings, get_settings

__all__ = [
    "ACLED_COLUMNS",
    "IMPORTERS",
    "UCDP_COLUMNS",
    "ImportReport",
    "acled_row_to_incident",
    "fill_provinces",
    "read_acled",
    "read_csv_rows",
    "read_table",
    "read_ucdp",
    "ucdp_row_to_incident",
]

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2",
    "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "time_precision", "fatalities", "source", "notes",
)  # fmt: skip
UCDP_COLUMNS = (
    "id", "date_start", "date_end", "where_coordinates", "latitude", "longitude", "adm_1",
    "adm_2", "where_prec", "date_prec", "best", "low", "high", "side_a", "side_b",
    "source_article", "source_headline",
)  # fmt: skip
#: Columns an import cannot do without (the others may be blank).
_REQUIRED = {
    "acled": ("event_id_cnty", "event_date", "event_type", "latitude", "longitude"),
    "ucdp": ("id", "date_start", "latitude", "longitude"),
}

ACLED_GEO_PRECISION = {"1": "exact", "2": "district", "3": "province"}
ACLED_TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
UCDP_WHERE_PREC = {
    "1": "exact", "2": "district", "3": "district", "4": "province", "5": "province",
    "6": "country", "7": "country",
}  # fmt: skip
UCDP_DATE_PREC = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}
UCDP_VIOLENCE = {
    "1": ("Battles", "Armed clash"),
    "2": ("Battles", "Armed clash"),
    "3": ("Violence against civilians", "Attack"),
}
_MAX_RECORD_LINES = 20  # a quoted field may span lines, but not more than this


@dataclass
class ImportReport:
    """Result of reading one file: incidents, skipped rows (with reasons), warnings."""

    source: str
    kind: str
    rows: int = 0
    incidents: list[Incident] = field(default_factory=list)
    errors: list[InputRowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """Rows that were reported and left out."""
        return len(self.errors)

    def as_text(self, max_lines: int = 20) -> str:
        """One line of counts, then the skipped rows and warnings."""
        lines = [
            f"{self.source}: {self.rows} row(s) read, {len(self.incidents)} incident(s), "
            f"{self.skipped} skipped"
        ]
        for title, items in (
            ("skipped", [str(e) for e in self.errors]),
            ("warnings", self.warnings),
        ):
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines += [f"  - {item}" for item in items[:max_lines]]
                if len(items) > max_lines:
                    lines.append(f"  … and {len(items) - max_lines} more")
        return "\n".join(lines)


# --------------------------------------------------------------------------- CSV reading


def _physical_lines(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


def _parse_record(record: str) -> list[str] | None:
    """Fields of one logical CSV record, or None when its quoting is broken."""
    try:
        rows = list(csv.reader(io.StringIO(record, newline=""), strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _bad_bytes(value: str) -> bytes | None:
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return None
    return value.encode("utf-8", errors="surrogateescape")


def _decoded(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot read the file ({exc.strerror or exc})") from None
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="surrogateescape")


def _header(lines: list[str], path: Path) -> list[str]:
    fields = _parse_record(lines[0]) if lines else None
    if not fields or _bad_bytes("".join(fields)) is not None:
        raise DataFileError(path, "no readable CSV header on line 1")
    return [f.strip().lower() for f in fields]


def _next_record(lines: list[str], start: int) -> tuple[list[str] | None, int]:
    """Parse the record starting at ``lines[start]``; returns (fields, next index)."""
    record = lines[start]
    end = start + 1
    while record.count('"') % 2 and end < len(lines) and end - start < _MAX_RECORD_LINES:
        record += lines[end]
        end += 1
    fields = None if record.count('"') % 2 else _parse_record(record)
    return fields, end


def _row_problem(
    fields: list[str], header: Sequence[str], source: str, line: int
) -> InputRowError | None:
    if len(fields) != len(header):
        return InputRowError(
            source, line, "(row)", len(fields), f"expected {len(header)} fields, got {len(fields)}"
        )
    for name, value in zip(header, fields, strict=True):
        raw = _bad_bytes(value)
        if raw is not None:
            return InputRowError(source, line, name, raw, "bytes that are not valid UTF-8")
    return None


def read_csv_rows(
    path: str | Path, required: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]] | InputRowError]:
    """Yield ``(line, row)`` for each good CSV record and an error for each bad one.

    Parameters
    ----------
    path : str or Path
        A UTF-8 CSV file with a header line (a byte-order mark is allowed).
    required : sequence of str
        Header columns that must exist (case-insensitive).

    Yields
    ------
    tuple of (int, dict) or InputRowError
        The 1-based line the record starts on and ``{column: value}``, or the
        error for a record with broken quoting, the wrong number of fields or
        undecodable bytes.  A broken record costs only its own line.

    Raises
    ------
    DataFileError
        The file cannot be read, has no header, or lacks a required column.
    """
    path = Path(path)
    lines = _physical_lines(_decoded(path))
    header = _header(lines, path)
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFileError(path, f"missing column(s) {missing}; header has {header}")
    i = 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        fields, end = _next_record(lines, i)
        if fields is None:
            yield InputRowError(
                str(path), i + 1, "(row)", lines[i].rstrip("\r\n")[:80], "broken quoting"
            )
            i += 1
            continue
        problem = _row_problem(fields, header, str(path), i + 1)
        yield problem if problem is not None else (i + 1, dict(zip(header, fields, strict=True)))
        i = end


# --------------------------------------------------------------------------- field parsing


class _Row:
    """One CSV row with typed accessors that raise :class:`InputRowError`."""

    def __init__(self, values: Mapping[str, str], source: str, line: int) -> None:
        self.values = values
        self.source = source
        self.line = line

    def error(self, column: str, problem: str) -> InputRowError:
        return InputRowError(self.source, self.line, column, self.values.get(column), problem)

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise self.error(column, "missing value")
        return value

    def number(self, column: str) -> float:
        raw = self.required(column)
        try:
            value = float(raw)
        except ValueError:
            raise self.error(column, "not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise self.error(column, "not a finite number")
        return value

    def count(self, column: str) -> int | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise self.error(column, "not a whole number") from None
        if value != int(value) or value < 0:
            raise self.error(column, "not a non-negative whole number")
        return int(value)

    def day(self, column: str) -> date:
        raw = self.required(column)
        for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y"):
            try:
                return datetime.strptime(raw[:10] if fmt == "%Y-%m-%d" else raw, fmt).date()
            except ValueError:
                continue
        raise self.error(column, "not a date (expected YYYY-MM-DD or '18 March 2024')")

    def code(self, column: str, mapping: Mapping[str, str]) -> str:
        raw = self.required(column)
        key = raw[:-2] if raw.endswith(".0") else raw
        if key not in mapping:
            raise self.error(column, f"unknown code; expected one of {sorted(mapping)}")
        return mapping[key]

    def coordinates(self) -> tuple[float, float]:
        lat, lon = self.number("latitude"), self.number("longitude")
        if not -90 <= lat <= 90:
            raise self.error("latitude", "outside -90..90")
        if not -180 <= lon <= 180:
            raise self.error("longitude", "outside -180..180")
        return lat, lon


@cache
def _country_iso2(name: str) -> str:
    if not name:
        return ""
    if len(name) == 2 and name.isalpha():
        return name.upper()
    try:
        import pycountry

        return str(pycountry.countries.lookup(name).alpha_2)
    except (LookupError, ImportError):
        return ""


def _strip_suffix(name: str, *suffixes: str) -> str:
    for suffix in suffixes:
        if name.casefold().endswith(" " + suffix):
            return name[: -len(suffix) - 1].strip()
    return name


# --------------------------------------------------------------------------- row mapping


def acled_row_to_incident(values: Mapping[str, str], source: str, line: int) -> Incident:
    """Map one ACLED export row onto an :class:`Incident`.

    Raises
    ------
    InputRowError
        Naming the line and the first bad column.
    """
    row = _Row(values, source, line)
    event_id = row.required("event_id_cnty")
    event_type = row.required("event_type")
    if event_type not in EVENT_TYPES:
        raise row.error("event_type", f"not an ACLED event type {sorted(EVENT_TYPES)}")
    lat, lon = row.coordinates()
    return Incident(
        incident_id=f"acled:{event_id}",
        event_date=row.day("event_date"),
        location_name=row.text("location") or row.text("admin2") or row.text("admin1"),
        lat=lat,
        lon=lon,
        date_precision=row.code("time_precision", ACLED_TIME_PRECISION)
        if row.text("time_precision")
        else "day",
        event_type=event_type,
        sub_event_type=row.text("sub_event_type"),
        actors=[a for a in (row.text("actor1"), row.text("actor2")) if a],
        geo_precision=row.code("geo_precision", ACLED_GEO_PRECISION)
        if row.text("geo_precision")
        else "exact",
        country_iso2=_country_iso2(row.text("country")),
        admin1=row.text("admin1"),
        admin2=row.text("admin2"),
        fatalities_best=row.count("fatalities"),
        sources=[
            Source(source_id=f"acled:{event_id}", publisher=row.text("source"), title="ACLED")
        ],
        notes=row.text("notes"),
    )


def _ucdp_fatalities(row: _Row) -> tuple[int | None, int | None, int | None]:
    best, low, high = row.count("best"), row.count("low"), row.count("high")
    known = [v for v in (low, best, high) if v is not None]
    if len(known) == 3 and not low <= best <= high:  # type: ignore[operator]
        raise row.error("best", f"not between low and high ({low}, {best}, {high})")
    return best, low, high


def ucdp_row_to_incident(values: Mapping[str, str], source: str, line: int) -> Incident:
    """Map one UCDP GED row onto an :class:`Incident` (see the module notes).

    Raises
    ------
    InputRowError
        Naming the line and the first bad column.
    """
    row = _Row(values, source, line)
    ident = row.required("id")
    lat, lon = row.coordinates()
    start = row.day("date_start")
    end = row.day("date_end") if row.text("date_end") else start
    if end < start:
        raise row.error("date_end", f"before date_start {start.isoformat()}")
    event_type, sub_type = UCDP_VIOLENCE.get(row.text("type_of_violence"), ("Battles", ""))
    best, low, high = _ucdp_fatalities(row)
    span = f"UCDP dates {start.isoformat()} to {end.isoformat()}." if end != start else ""
    return Incident(
        incident_id=f"ucdp:{ident}",
        event_date=start,
        location_name=row.text("where_coordinates") or row.text("adm_2") or row.text("adm_1"),
        lat=lat,
        lon=lon,
        date_precision=row.code("date_prec", UCDP_DATE_PREC) if row.text("date_prec") else "day",
        event_type=event_type,
        sub_event_type=sub_type,
        actors=[a for a in (row.text("side_a"), row.text("side_b")) if a],
        geo_precision=row.code("where_prec", UCDP_WHERE_PREC)
        if row.text("where_prec")
        else "exact",
        country_iso2=_country_iso2(row.text("country")),
        admin1=_strip_suffix(row.text("adm_1"), "province", "region", "state"),
        admin2=_strip_suffix(row.text("adm_2"), "district"),
        fatalities_best=best,
        fatalities_low=low,
        fatalities_high=high,
        sources=[
            Source(
                source_id=f"ucdp:{ident}",
                publisher=row.text("source_article"),
                title=row.text("source_headline"),
            )
        ],
        notes=span,
    )


# --------------------------------------------------------------------------- provinces


def _province_table(settings: Settings | None) -> dict[str, tuple[str, str, str]]:
    """Case-folded province spelling -> (name, ISO 3166-2, country ISO2)."""
    from geo.boundaries import load_admin1

    out: dict[str, tuple[str, str, str]] = {}
    for row in load_admin1(settings).itertuples():
        value = (str(row.name), str(row.iso_3166_2), str(row.country_iso2))
        alternates = str(row.name_alt or "").split("|") if isinstance(row.name_alt, str) else []
        for key in (row.name, row.name_ne, row.iso_3166_2, *alternates):
            if isinstance(key, str) and key and key.casefold() not in out:
                out[key.casefold()] = value
    return out


def _fill_one(inc: Incident, hit: Mapping[str, Any], names: Mapping[str, Any]) -> None:
    if not inc.country_iso2:
        inc.country_iso2 = str(hit["country_iso2"] or "")
    if not inc.admin1 and hit["country_iso2"] == inc.country_iso2:
        inc.admin1, inc.admin1_iso = str(hit["admin1"] or ""), str(hit["admin1_iso"] or "")
        return
    if inc.admin1_iso or not inc.admin1:
        return
    if str(hit["admin1"]).casefold() == inc.admin1.casefold():
        inc.admin1_iso = str(hit["admin1_iso"] or "")
        return
    named = names.get(inc.admin1.casefold())
    if named and named[2] == inc.country_iso2:
        inc.admin1_iso = named[1]
    elif hit["country_iso2"] == inc.country_iso2:
        inc.admin1_iso = str(hit["admin1_iso"] or "")


def fill_provinces(incidents: Sequence[Incident], settings: Settings | None = None) -> list[str]:
    """Fill missing country, province and ISO 3166-2 codes in place; return warnings.

    The file's own province name wins; its code comes from the name table when
    the point falls in a different polygon (near borders).  Without boundary
    data the incidents are left as they are and one warning says why.
    """
    located = [inc for inc in incidents if inc.lat is not None and inc.lon is not None]
    if not located:
        return []
    try:
        from geo.boundaries import assign

        lons = [float(i.lon) for i in located if i.lon is not None]
        lats = [float(i.lat) for i in located if i.lat is not None]
        hits = assign(lons, lats, settings=settings)
        names = _province_table(settings)
    except (GeoError, ImportError) as exc:
        return [f"provinces not assigned from boundaries: {exc}"]
    records: list[dict[str, Any]] = hits.to_dict("records")  # type: ignore[assignment]
    for inc, hit in zip(located, records, strict=True):
        _fill_one(inc, hit, names)
    missing = sum(1 for inc in incidents if not inc.admin1_iso)
    return [f"{missing} incident(s) without a province code"] if missing else []


# --------------------------------------------------------------------------- whole files

Mapper = Callable[[Mapping[str, str], str, int], Incident]
IMPORTERS: dict[str, Mapper] = {"acled": acled_row_to_incident, "ucdp": ucdp_row_to_incident}


def read_table(
    kind: str, path: str | Path, settings: Settings | None = None, *, provinces: bool = True
) -> ImportReport:
    """Read an ACLED or UCDP GED CSV export; bad rows are reported and skipped.

    Parameters
    ----------
    kind : {"acled", "ucdp"}
    path : str or Path
    settings : Settings, optional
        Used for the boundaries that fill province codes.
    provinces : bool
        Fill country/province/ISO codes with :func:`fill_provinces`.

    Returns
    -------
    ImportReport
    """
    if kind not in IMPORTERS:
        raise ValueError(f"unknown import format {kind!r}; expected one of {sorted(IMPORTERS)}")
    mapper, report = IMPORTERS[kind], ImportReport(source=str(path), kind=kind)
    seen: dict[str, int] = {}
    limit = (settings or get_settings()).max_import_rows
    for item in read_csv_rows(path, _REQUIRED[kind]):
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
    if provinces:
        report.warnings += fill_provinces(report.incidents, settings)
    return report


def read_acled(path: str | Path, settings: Settings | None = None) -> ImportReport:
    """:func:`read_table` for an ACLED export."""
    return read_table("acled", path, settings)


def read_ucdp(path: str | Path, settings: Settings | None = None) -> ImportReport:
    """:func:`read_table` for a UCDP GED export."""
    return read_table("ucdp", path, settings)
