"""One ACLED, UCDP GED or plain-CSV row → one incident (values kept, problems flagged)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path

from geo._errors import InputRowError
from geo.importers.records import actors_with_roles, add_flag, role_evidence, split_actors
from geo.incidents import EVENT_TYPES, Incident, Source

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
    "acled": ("event_date", "event_type", "latitude", "longitude"),
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

# --------------------------------------------------------------------------- field parsing


class _Row:
    """One input row with typed accessors that raise :class:`InputRowError`.

    The ``soft_*`` accessors never raise: a bad value is left empty (or a default)
    and flagged, because only a row that cannot be placed or dated is skipped.
    """

    def __init__(self, values: Mapping[str, str], source: str, line: int) -> None:
        self.values = values
        self.source = source
        self.line = line
        self.flags: list[str] = []

    def error(self, column: str, problem: str) -> InputRowError:
        return InputRowError(self.source, self.line, column, self.values.get(column), problem)

    def flag(self, problem: str) -> None:
        self.flags.append(problem)

    def notes(self, notes: str) -> str:
        for problem in self.flags:
            notes = add_flag(notes, problem)
        return notes

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else str(value).strip()

    def first(self, *columns: str) -> str:
        return next((self.text(c) for c in columns if self.text(c)), "")

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
        if value != value or value != int(value) or value < 0:
            raise self.error(column, "not a non-negative whole number")
        return int(value)

    def soft_count(self, column: str) -> int | None:
        try:
            return self.count(column)
        except InputRowError as exc:
            self.flag(f"{column} {exc.value!r} is {exc.problem}; left empty")
            return None

    def day(self, column: str) -> date:
        raw = self.required(column)
        if len(raw) >= 10 and raw[4] == "-":
            with contextlib.suppress(ValueError):
                return date.fromisoformat(raw[:10])
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(raw[:10] if fmt == "%Y-%m-%d" else raw, fmt).date()
            except ValueError:
                continue
        raise self.error(column, "cannot be dated: not a date (YYYY-MM-DD or '18 March 2024')")

    def dated(self, column: str) -> tuple[date, str | None]:
        """The date, or 1 January of the row's ``year`` (flagged, precision "year")."""
        try:
            return self.day(column), None
        except InputRowError as exc:
            year = self.text("year")
            if not (year.isdigit() and 1000 < int(year) < 3000):
                raise
            self.flag(f"{column} {exc.value!r} is not a date; dated to the year {year}")
            return date(int(year), 1, 1), "year"

    def soft_code(self, column: str, mapping: Mapping[str, str], default: str) -> str:
        raw = self.text(column)
        key = raw[:-2] if raw.endswith(".0") else raw
        if not raw:
            return default
        if key not in mapping:
            self.flag(f"{column} {raw!r} is not one of {sorted(mapping)}; {default!r} assumed")
            return default
        return mapping[key]

    def coordinates(self) -> tuple[float, float]:
        lat, lon = self.number("latitude"), self.number("longitude")
        if not -90 <= lat <= 90:
            raise self.error("latitude", "outside -90..90")
        if not -180 <= lon <= 180:
            raise self.error("longitude", "outside -180..180")
        return lat, lon

    def placed(
        self, country: str, province: str, name: str = ""
    ) -> tuple[float | None, float | None, bool]:
        """``(lat, lon, True)``, or ``(None, None, False)`` with a flag when only the
        country, the province (see :func:`place_unlocated`) or the place name (see
        :func:`place_by_name`) can place it.

        Raises
        ------
        InputRowError
            Neither coordinates nor a country, province or name: it cannot be placed.
        """
        try:
            return (*self.coordinates(), True)
        except InputRowError as exc:
            if not (country or province or name):
                raise self.error(
                    exc.column, f"cannot be placed: {exc.problem}, and no country or province"
                ) from None
            where = (
                f"province {province!r}"
                if province
                else f"country {country!r}"
                if country
                else f"name {name!r} (geocoded)"
            )
            self.flag(f"{exc.column} {exc.value!r}: {exc.problem}; placed by its {where}")
            return None, None, False


_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y")


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

#: ACLED's event types before the 2019 revision → (event type, sub-event type).
ACLED_LEGACY_TYPES = {
    "battle-no change of territory": ("Battles", "Armed clash"),
    "battle-government regains territory": ("Battles", "Government regains territory"),
    "battle-non-state actor overtakes territory": (
        "Battles", "Non-state actor overtakes territory",
    ),
    "remote violence": ("Explosions/Remote violence", ""),
    "riots/protests": ("Protests", ""),
    "strategic development": ("Strategic developments", ""),
    "non-violent transfer of territory": (
        "Strategic developments", "Non-violent transfer of territory",
    ),
    "headquarters or base established": (
        "Strategic developments", "Headquarters or base established",
    ),
}  # fmt: skip
#: Where a row with no usable event type goes (flagged, the given type quoted).
FALLBACK_EVENT_TYPE = ("Strategic developments", "Other")
_TYPE_BY_FOLDED = {t.casefold(): t for t in EVENT_TYPES}


def _event_type(row: _Row) -> tuple[str, str]:
    raw, sub = row.text("event_type"), row.text("sub_event_type")
    if raw.casefold() in _TYPE_BY_FOLDED:
        return _TYPE_BY_FOLDED[raw.casefold()], sub
    if raw.casefold() in ACLED_LEGACY_TYPES:
        event_type, legacy_sub = ACLED_LEGACY_TYPES[raw.casefold()]
        return event_type, sub or legacy_sub
    fallback = "/".join(FALLBACK_EVENT_TYPE)
    what = f"event_type {raw!r} is not an ACLED event type" if raw else "no event_type"
    row.flag(f"{what}; stored as {fallback}")
    return FALLBACK_EVENT_TYPE[0], sub or FALLBACK_EVENT_TYPE[1]


def _acled_id(row: _Row) -> str:
    """``acled:<event_id_cnty>``; an id with a colon is this tool's own (an export)."""
    ident = row.first("event_id_cnty", "data_id")
    if not ident:
        return f"acled:{Path(row.source).stem}:{row.line}"
    return ident if ":" in ident else f"acled:{ident}"


def _acled_roles(row: _Row) -> dict[str, list[str]]:
    return {
        "actor1": split_actors(row.text("actor1"))[:1],
        "assoc_actor_1": split_actors(row.first("assoc_actor_1", "ally_actor_1")),
        "actor2": split_actors(row.text("actor2"))[:1],
        "assoc_actor_2": split_actors(row.first("assoc_actor_2", "ally_actor_2")),
    }


def acled_row_to_incident(
    values: Mapping[str, str], source: str, line: int, *, by_name: bool = False
) -> Incident:
    """Map one ACLED export row (2019–2022 or 2023+ columns, or the pre-2019 ones)
    onto an :class:`Incident`; unusable values are flagged, not fatal.

    ``by_name`` keeps a row whose only place is its ``location`` name (a plain CSV:
    :func:`place_by_name` geocodes it).

    Raises
    ------
    InputRowError
        Only when the row cannot be dated or placed at all (line and column named).
    """
    row = _Row(values, source, line)
    ident = _acled_id(row)
    event_date, year_only = row.dated("event_date")
    country = _country_iso2(row.first("iso", "country")) or _country_iso2(row.text("country"))
    lat, lon, located = row.placed(
        country or row.text("country"), row.text("admin1"), row.text("location") if by_name else ""
    )
    event_type, sub_type = _event_type(row)
    roles = _acled_roles(row)
    return Incident(
        incident_id=ident,
        event_date=event_date,
        location_name=row.first("location", "admin3", "admin2", "admin1", "country"),
        lat=lat,
        lon=lon,
        date_precision=year_only or row.soft_code("time_precision", ACLED_TIME_PRECISION, "day"),
        event_type=event_type,
        sub_event_type=sub_type,
        actors=actors_with_roles(roles),
        geo_precision=row.soft_code("geo_precision", ACLED_GEO_PRECISION, "exact")
        if located
        else "country",
        country_iso2=country,
        admin1=row.text("admin1"),
        admin2=row.text("admin2"),
        fatalities_best=row.soft_count("fatalities"),
        sources=[Source(source_id=ident, publisher=row.text("source"), title="ACLED")],
        evidence=role_evidence(roles, ident),
        notes=row.notes(row.text("notes")),
    )


def _ucdp_fatalities(row: _Row) -> tuple[int | None, int | None, int | None]:
    best, low, high = row.soft_count("best"), row.soft_count("low"), row.soft_count("high")
    if best is not None and low is not None and high is not None and not low <= best <= high:
        row.flag(f"UCDP best {best} is not between low {low} and high {high} (kept as given)")
    return best, low, high


def _ucdp_dates(row: _Row) -> tuple[date, date]:
    start = row.day("date_start")
    try:
        end = row.day("date_end") if row.text("date_end") else start
    except InputRowError as exc:
        row.flag(f"date_end {exc.value!r} is not a date; date_start used")
        return start, start
    if end < start:
        row.flag(f"date_end {end.isoformat()} is before date_start {start.isoformat()}")
    return start, end


def ucdp_row_to_incident(values: Mapping[str, str], source: str, line: int) -> Incident:
    """Map one UCDP GED row (CSV download, HDX CSV or API record) onto an
    :class:`Incident` (see the module notes); unusable values are flagged.

    Raises
    ------
    InputRowError
        Only when the row cannot be dated or placed at all (line and column named).
    """
    row = _Row(values, source, line)
    ident = row.required("id")
    ident = ident if ":" in ident else f"ucdp:{ident}"
    start, end = _ucdp_dates(row)
    country = _country_iso2(row.text("country"))
    admin1 = _strip_suffix(row.text("adm_1"), "province", "region", "state")
    lat, lon, located = row.placed(country, admin1)
    event_type, sub_type = UCDP_VIOLENCE.get(row.text("type_of_violence"), ("Battles", ""))
    best, low, high = _ucdp_fatalities(row)
    span = f"UCDP dates {start.isoformat()} to {end.isoformat()}." if end != start else ""
    publisher = row.first("source_article", "source_office")
    published = row.text("source_date")[:10]
    return Incident(
        incident_id=ident,
        event_date=start,
        location_name=row.first("where_coordinates", "adm_2", "adm_1"),
        lat=lat,
        lon=lon,
        date_precision=row.soft_code("date_prec", UCDP_DATE_PREC, "day"),
        event_type=event_type,
        sub_event_type=sub_type,
        actors=[a for a in (row.text("side_a"), row.text("side_b")) if a],
        geo_precision=row.soft_code("where_prec", UCDP_WHERE_PREC, "exact")
        if located
        else "country",
        country_iso2=country,
        admin1=admin1,
        admin2=_strip_suffix(row.text("adm_2"), "district"),
        fatalities_best=best,
        fatalities_low=low,
        fatalities_high=high,
        sources=[
            Source(
                source_id=ident,
                publisher=publisher,
                title=row.text("source_headline"),
                published=published if _iso_day(published) else "",
            )
        ],
        notes=row.notes(span),
    )


def _iso_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


#: Fields a plain CSV's columns can be mapped onto (the app's column-mapping step).
PLAIN_FIELDS = (
    "date", "place", "latitude", "longitude", "country", "province", "district",
    "event_type", "sub_event_type", "actor1", "actor2", "killed", "wounded",
    "source", "url", "notes", "id",
)  # fmt: skip
#: plain field -> the ACLED column it stands for (plain rows go through the ACLED mapper).
_PLAIN_TO_ACLED = {
    "date": "event_date", "place": "location", "latitude": "latitude",
    "longitude": "longitude", "country": "country", "province": "admin1",
    "district": "admin2", "event_type": "event_type", "sub_event_type": "sub_event_type",
    "actor1": "actor1", "actor2": "actor2", "killed": "fatalities", "source": "source",
    "notes": "notes", "id": "event_id_cnty",
}  # fmt: skip


def plain_mapper(mapping: Mapping[str, str]) -> Mapper:
    """A row mapper for a plain CSV whose columns ``mapping`` names (field → column).

    Raises
    ------
    ValueError
        A field that is not in :data:`PLAIN_FIELDS`, or no date column.
    """
    unknown = sorted(set(mapping) - set(PLAIN_FIELDS))
    if unknown or not mapping.get("date"):
        raise ValueError(
            f"column mapping needs a 'date' column and fields from {list(PLAIN_FIELDS)}; "
            f"got {dict(mapping)}"
        )
    columns = {field: col.strip().lower() for field, col in mapping.items() if col}

    def mapper(values: Mapping[str, str], source: str, line: int) -> Incident:
        acled = {
            _PLAIN_TO_ACLED[f]: values.get(c, "")
            for f, c in columns.items()
            if f in _PLAIN_TO_ACLED
        }
        ident = acled.get("event_id_cnty", "").strip()
        acled["event_id_cnty"] = f"csv:{ident}" if ident else f"csv:{Path(source).stem}:{line}"
        inc = acled_row_to_incident(acled, source, line, by_name=True)
        row = _Row(values, source, line)
        inc.wounded = row.soft_count(columns["wounded"]) if "wounded" in columns else None
        url = row.text(columns["url"]) if "url" in columns else ""
        inc.sources[0].title, inc.sources[0].url = "", url
        inc.notes = row.notes(inc.notes)
        return inc

    return mapper


Mapper = Callable[[Mapping[str, str], str, int], Incident]
IMPORTERS: dict[str, Mapper] = {"acled": acled_row_to_incident, "ucdp": ucdp_row_to_incident}
