"""The dashboard's filter state: URL query parameters ⇄ :class:`Filters` ⇄ rows.

The whole view lives in the URL so a link reproduces it: ``from``, ``to``
(YYYY-MM-DD), ``country`` (ISO2, repeatable or comma-separated), ``province``
(English name or ISO 3166-2 code), ``event_type``, ``actor``, ``claim``,
``cross_border``, ``min_fatalities``, ``q``.  Unreadable values are collected
as warnings rather than failing the page; the rest of the link still applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

from geo._errors import SettingError
from geo.regions import province_key

__all__ = [
    "DATE_PRESETS",
    "Filters",
    "apply_filters",
    "parse_query_params",
    "preset_dates",
    "preset_label",
    "search_text",
    "to_query_params",
]

#: Date-range presets of the sidebar, in display order.
DATE_PRESETS = ("Last 30 days", "Last 12 months", "All")

_LIST_PARAMS = {
    "country": "countries",
    "province": "provinces",
    "event_type": "event_types",
    "actor": "actors",
    "claim": "claim_statuses",
}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Filters:
    """What the user chose to see.  Empty tuples and ``None`` mean "no restriction"."""

    date_from: date | None = None
    date_to: date | None = None
    countries: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    claim_statuses: tuple[str, ...] = ()
    cross_border: bool = False
    min_fatalities: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    text: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def with_(self, **changes: object) -> Filters:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _values(params: Mapping[str, object], key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]
    out: list[str] = []
    for item in items:
        out += [part.strip() for part in str(item).split(",") if part.strip()]
    return out


def _date(params: Mapping[str, object], key: str, warnings: list[str]) -> date | None:
    vals = _values(params, key)
    if not vals:
        return None
    try:
        return date.fromisoformat(vals[0])
    except ValueError:
        warnings.append(f"ignored {key}={vals[0]!r}: expected a date as YYYY-MM-DD")
        return None


def _int(params: Mapping[str, object], key: str, warnings: list[str]) -> int | None:
    vals = _values(params, key)
    if not vals:
        return None
    try:
        value = int(vals[0])
    except ValueError:
        warnings.append(f"ignored {key}={vals[0]!r}: expected a whole number")
        return None
    if value < 0:
        warnings.append(f"ignored {key}={value}: must be 0 or more")
        return None
    return value


def _bool(params: Mapping[str, object], key: str, warnings: list[str]) -> bool:
    vals = _values(params, key)
    if not vals:
        return False
    if vals[0].lower() in _TRUE | _FALSE:
        return vals[0].lower() in _TRUE
    warnings.append(f"ignored {key}={vals[0]!r}: expected true or false")
    return False


def parse_query_params(params: Mapping[str, object]) -> Filters:
    """Read filters from URL query parameters (values may be strings or lists).

    Never raises on user input: each unreadable value is skipped and described
    in ``Filters.warnings``.
    """
    warnings: list[str] = []
    lists = {attr: tuple(dict.fromkeys(_values(params, key))) for key, attr in _LIST_PARAMS.items()}
    lists["countries"] = tuple(c.upper() for c in lists["countries"])
    date_from, date_to = _date(params, "from", warnings), _date(params, "to", warnings)
    if date_from and date_to and date_from > date_to:
        warnings.append(f"from={date_from} is after to={date_to}: swapped them")
        date_from, date_to = date_to, date_from
    return Filters(
        date_from=date_from,
        date_to=date_to,
        cross_border=_bool(params, "cross_border", warnings),
        min_fatalities=_int(params, "min_fatalities", warnings),
        text=" ".join(_values(params, "q"))[:200],
        warnings=tuple(warnings),
        **lists,  # type: ignore[arg-type]
    )


def to_query_params(filters: Filters) -> dict[str, str]:
    """URL query parameters for ``filters``; lists comma-joined, defaults left out."""
    out: dict[str, str] = {}
    if filters.date_from:
        out["from"] = filters.date_from.isoformat()
    if filters.date_to:
        out["to"] = filters.date_to.isoformat()
    for key, attr in _LIST_PARAMS.items():
        values = getattr(filters, attr)
        if values:
            out[key] = ",".join(values)
    if filters.cross_border:
        out["cross_border"] = "true"
    if filters.min_fatalities is not None:
        out["min_fatalities"] = str(filters.min_fatalities)
    if filters.text:
        out["q"] = filters.text
    return out


def _folded(values: Iterable[str]) -> set[str]:
    return {v.casefold() for v in values}


def _province_mask(
    df: pd.DataFrame, provinces: tuple[str, ...], aliases: Mapping[str, str]
) -> pd.Series:
    """Rows whose province matches any wanted name or ISO code (case-insensitive).

    ``aliases`` maps spellings in :func:`geo.regions.province_key` form (e.g. "nimruz",
    "af-nim") to ISO 3166-2 codes.
    """
    wanted = _folded(provinces)
    wanted_iso = {aliases.get(province_key(w), w).casefold() for w in wanted}
    by_name = df["admin1"].fillna("").str.casefold().isin(wanted)
    by_iso = df["admin1_iso"].fillna("").str.casefold().isin(wanted_iso)
    return by_name | by_iso


def _any_listed(column: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    """For "; "-joined list columns: rows that list any wanted value."""
    want = _folded(wanted)
    return column.fillna("").map(lambda s: bool(want & _folded(s.split("; "))))


_SEARCHED = ("location_name", "notes", "actors", "publishers", "sources", "evidence")


def search_text(df: pd.DataFrame) -> pd.Series:
    """The text that ``q`` searches, one case-folded string per row.

    Build it once per data version and pass it to :func:`apply_filters` as
    ``search`` so a text filter on many rows does not fold every column again.
    """
    parts = [df[c].fillna("").astype(str) for c in _SEARCHED if c in df]
    if not parts:
        return pd.Series("", index=df.index)
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + "\x1f" + part
    return joined.str.casefold()


def _text_mask(df: pd.DataFrame, text: str, search: pd.Series | None) -> pd.Series:
    haystack = search_text(df) if search is None else search.reindex(df.index, fill_value="")
    return haystack.str.contains(text.casefold(), regex=False)


def _fatality_mask(df: pd.DataFrame, minimum: int) -> pd.Series:
    best = pd.to_numeric(df["fatalities_best"], errors="coerce")
    return best.fillna(0) >= minimum


def apply_filters(
    df: pd.DataFrame,
    filters: Filters,
    province_aliases: Mapping[str, str] | None = None,
    search: pd.Series | None = None,
) -> pd.DataFrame:
    """Rows of an incidents frame (see :func:`geo.incidents.incidents_to_frame`) that
    match every filter, in their original order.

    ``province_aliases`` maps folded province spellings to ISO codes;
    ``search`` is :func:`search_text` of ``df`` (or of a frame it was cut
    from), precomputed to make text filters fast.
    """
    mask = pd.Series(True, index=df.index)
    dates = pd.to_datetime(df["event_date"])
    if filters.date_from:
        mask &= dates >= pd.Timestamp(filters.date_from)
    if filters.date_to:
        mask &= dates <= pd.Timestamp(filters.date_to)
    if filters.countries:
        mask &= df["country_iso2"].fillna("").str.upper().isin(filters.countries)
    if filters.provinces:
        mask &= _province_mask(df, filters.provinces, province_aliases or {})
    if filters.event_types:
        mask &= df["event_type"].fillna("").str.casefold().isin(_folded(filters.event_types))
    if filters.claim_statuses:
        mask &= df["claim_status"].fillna("").str.casefold().isin(_folded(filters.claim_statuses))
    if filters.actors:
        mask &= _any_listed(df["actors"], filters.actors)
    if filters.cross_border:
        mask &= df["cross_border"].fillna(False).astype(bool)
    if filters.min_fatalities is not None:
        mask &= _fatality_mask(df, filters.min_fatalities)
    if filters.bbox is not None and hasattr(df, "geometry"):
        w, s, e, n = filters.bbox
        mask &= df.geometry.x.between(w, e) & df.geometry.y.between(s, n)
    if filters.text:
        mask &= _text_mask(df, filters.text, search)
    return df[mask]


def _preset_anchor(today: date, latest: date | None) -> date:
    """The day presets count back from: today, or the latest incident when data ends earlier."""
    return latest if latest is not None and latest < today else today


def preset_dates(
    preset: str, today: date, bounds: tuple[date, date], latest: date | None = None
) -> tuple[date, date]:
    """The (first, last) day a date preset stands for, kept inside ``bounds``.

    Parameters
    ----------
    preset : str
        One of :data:`DATE_PRESETS`.  "Last 30 days" and "Last 12 months" end
        on the anchor day (see ``latest``); "All" is the whole of ``bounds``.
    today : date
        The reference day (pass ``date.today()``; fixed in tests).
    bounds : (date, date)
        The slider's range: the first and last selectable day.
    latest : date, optional
        The day of the latest incident.  When it is before ``today`` (a
        historical dataset) the presets end there instead, so "Last 30 days"
        shows the last 30 days *of data* rather than an empty window.

    Returns
    -------
    (date, date)
        Both ends clamped to ``bounds``; an empty period collapses to the
        nearest end of ``bounds``.
    """
    lo, hi = bounds
    if preset == "All":
        return lo, hi
    anchor = _preset_anchor(today, latest)
    if preset == "Last 30 days":
        start = anchor - timedelta(days=29)
    elif preset == "Last 12 months":
        start = anchor - relativedelta(months=12) + timedelta(days=1)
    else:
        raise SettingError("date preset", preset, " / ".join(DATE_PRESETS))
    end = min(max(anchor, lo), hi)
    return min(max(start, lo), end), end


def preset_label(preset: str, today: date, latest: date | None = None) -> str:
    """How a preset button explains itself: "Last 30 days", or "… of data (to DATE)"."""
    if preset not in DATE_PRESETS:
        raise SettingError("date preset", preset, " / ".join(DATE_PRESETS))
    anchor = _preset_anchor(today, latest)
    if preset == "All" or anchor == today:
        return preset
    return f"{preset} of data (to {anchor.isoformat()}, the latest incident)"


#: Filter fields checked for values that name nothing, their label, and the frame
#: columns whose values count as known.
_CHECKED_VALUES = (
    ("countries", "country", ("country_iso2",)),
    ("provinces", "province", ("admin1", "admin1_iso")),
    ("event_types", "event type", ("event_type",)),
    ("claim_statuses", "claim status", ("claim_status",)),
    ("actors", "actor", ("actors",)),
)


def unknown_filter_values(
    filters: Filters,
    known: Mapping[str, Iterable[str]] | None = None,
    data: pd.DataFrame | None = None,
) -> list[str]:
    """One message per filter value that names nothing known, with the closest names.

    A misspelt province (``Punjb``), event type or country gives 0 incidents without
    a word; the command line turns these messages into an error, the app into a
    visible warning.

    Parameters
    ----------
    filters : Filters
    known : mapping, optional
        Known values per :class:`Filters` field (``{"event_types": EVENT_TYPES,
        "provinces": [names, ISO codes, spellings…]}``).
    data : DataFrame, optional
        An incidents frame: its countries, provinces, event types, claim statuses and
        actors count as known too.

    Returns
    -------
    list of str
        E.g. ``"province 'Punjb' names nothing known; closest: Punjab, Panjshir"``;
        empty when every value is known (fields with nothing to compare are skipped).
    """
    import difflib  # only needed here

    messages = []
    for attr, label, columns in _CHECKED_VALUES:
        wanted = getattr(filters, attr)
        if not wanted:
            continue
        names = [str(v) for v in (known or {}).get(attr, ())]
        for column in columns:
            if data is not None and column in data:
                values = data[column].dropna().astype(str).unique()
                names += [n for v in values for n in (v.split("; ") if attr == "actors" else [v])]
        folded: dict[str, str] = {}
        for name in names:
            folded.setdefault(name.casefold(), name)
        if not folded:
            continue
        for value in wanted:
            if value.casefold() in folded:
                continue
            close = difflib.get_close_matches(value.casefold(), list(folded), n=3, cutoff=0.6)
            hint = f"; closest: {', '.join(folded[c] for c in close)}" if close else ""
            messages.append(f"{label} {value!r} names nothing known{hint}")
    return messages
