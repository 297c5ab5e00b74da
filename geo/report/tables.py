"""The report's tables as plain text lines.

Pure functions of the incidents frame (no drawing); :mod:`geo.report.pdf` lays
the lines out on pages.  The summary tables keep a report of any size to a few
pages: counts by event type and by province with the change against the
previous period of the same length (:func:`summary_lines`), the cross-border
events by origin and target (:func:`cross_border_lines`) and the sources by
publisher (:func:`publisher_lines`).  The list of every incident
(:func:`incident_lines`) and every article (:func:`source_lines`) is for
``full_list`` reports.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd

__all__ = [
    "COUNT_HEADER",
    "CROSS_BORDER_HEADER",
    "INCIDENT_HEADER",
    "PUBLISHER_HEADER",
    "change_text",
    "count_table",
    "cross_border_lines",
    "cross_border_table",
    "incident_lines",
    "publisher_lines",
    "publisher_table",
    "source_lines",
    "summary_lines",
]

#: The header of the count tables; ``{name}`` is the first column's title.
COUNT_HEADER = "{name:<40}  " + f"{'Incidents':>9}  {'Killed':>7}  {'Previous':>8}  {'Change':>16}"
CROSS_BORDER_HEADER = (
    f"{'Origin':<26}  {'  Target':<28}  {'Events':>6}  {'Killed':>6}  {'First':<10}  "
    f"{'Last':<10}  Target places"
)
PUBLISHER_HEADER = f"{'Publisher':<60}  {'Incidents':>9}  {'Articles':>8}"
_NO_NAME = "(none given)"
INCIDENT_HEADER = (
    f"{'Date':<10}  {'Place':<22}  {'Province':<16}  {'CC':<2}  {'Event type':<26}  "
    f"{'Killed':>6}  {'Claim':<11}  Actors"
)


def _cell(value: Any, width: int) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _column(frame: pd.DataFrame, name: str, default: Any = None) -> pd.Series:
    return frame[name] if name in frame else pd.Series(default, index=frame.index, dtype=object)


def _killed(frame: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(_column(frame, "fatalities_best"), errors="coerce").fillna(0)


def _names(values: pd.Series) -> pd.Series:
    text = values.fillna("").astype(str).str.strip()
    return text.where(text != "", _NO_NAME)


def province_names(incidents: pd.DataFrame) -> pd.Series:
    """ "Province, CC" for each incident (the country code alone when no province is known)."""
    province = _column(incidents, "admin1").fillna("").astype(str).str.strip()
    country = _column(incidents, "country_iso2").fillna("").astype(str).str.strip()
    joined = (province + ", " + country).str.strip(", ")
    return _names(joined.where(province != "", country))


def change_text(now: int, before: int | None) -> str:
    """``now`` against ``before``: "+12 (+25%)", "-3 (-50%)", "+4 (new)", "0"; "" when unknown."""
    if before is None:
        return ""
    diff = now - before
    if diff == 0:
        return "0"
    return f"{diff:+d} (new)" if before == 0 else f"{diff:+d} ({diff / before:+.0%})"


def count_table(incidents: pd.DataFrame, previous: pd.DataFrame | None, key: str) -> pd.DataFrame:
    """Incidents and killed per ``key`` ("event_type" or "province"), with the previous period.

    Returns
    -------
    DataFrame
        Indexed by name; ``incidents``, ``killed``, ``previous`` (None without
        ``previous``), most incidents first.  Names only in the previous period
        are kept with 0 incidents now.
    """

    def names(frame: pd.DataFrame) -> pd.Series:
        return province_names(frame) if key == "province" else _names(_column(frame, key))

    now = pd.DataFrame({"name": names(incidents), "killed": _killed(incidents)})
    table = now.groupby("name").agg(incidents=("name", "size"), killed=("killed", "sum"))
    if previous is not None:
        before = names(previous).value_counts().rename("previous")
        table = table.join(before, how="outer").fillna(0)
        table["previous"] = table["previous"].astype(int)
    else:
        table["previous"] = None
    table[["incidents", "killed"]] = table[["incidents", "killed"]].fillna(0).astype(int)
    return table.sort_values(["incidents", "previous", "killed"], ascending=False, kind="stable")


def _count_line(name: str, now: int, killed: int, before: int | None) -> str:
    before_cell = "" if before is None else str(before)
    return (
        f"{_cell(name, 40):<40}  {now:>9}  {killed:>7}  {before_cell:>8}  "
        f"{change_text(now, before):>16}"
    )


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in table.to_dict("records")]


def _count_lines(table: pd.DataFrame) -> list[str]:
    lines = []
    for name, r in zip(table.index, _records(table), strict=True):
        before = None if r["previous"] is None or pd.isna(r["previous"]) else int(r["previous"])
        lines.append(_count_line(str(name), int(r["incidents"]), int(r["killed"]), before))
    return lines


def _period_line(
    period: tuple[date, date] | None, previous_period: tuple[date, date] | None
) -> str:
    if period is None:
        return "Period: no dates"
    days = (period[1] - period[0]).days + 1
    text = f"Period: {period[0].isoformat()} to {period[1].isoformat()} ({days} days)"
    if previous_period is None:
        return text + "; previous period not loaded, so no change is shown"
    start, end = previous_period
    return text + f"; compared with {start.isoformat()} to {end.isoformat()}"


def summary_lines(
    incidents: pd.DataFrame,
    previous: pd.DataFrame | None,
    period: tuple[date, date] | None,
    previous_period: tuple[date, date] | None,
) -> list[str]:
    """The summary page: the period, totals, then counts by event type and by province.

    Each count line: name, incidents, killed, incidents in the previous period and
    the change (blank without ``previous``).
    """
    n_before = None if previous is None else len(previous)
    lines = [_period_line(period, previous_period if previous is not None else None), ""]
    lines += [COUNT_HEADER.format(name=""), "-" * 92]
    lines.append(_count_line("All incidents", len(incidents), int(_killed(incidents).sum()),
                             n_before))  # fmt: skip
    for title, key in (("By event type", "event_type"), ("By province", "province")):
        table = count_table(incidents, previous, key)
        column = "Event type" if key == "event_type" else "Province, country"
        lines += ["", title, COUNT_HEADER.format(name=column), "-" * 92]
        lines += _count_lines(table) or ["(none)"]
    return lines


def _end_name(frame: pd.DataFrame, end: str) -> pd.Series:
    """The origin's or target's "province, CC" (its place name when no province is known)."""
    place = _column(frame, end).fillna("").astype(str).str.strip()
    province = _column(frame, f"{end}_admin1").fillna("").astype(str).str.strip()
    country = _column(frame, f"{end}_country_iso2").fillna("").astype(str).str.strip()
    area = province.where(province != "", place)
    return _names((area + ", " + country).str.strip(", "))


def _place_list(names: pd.Series, limit: int = 3) -> str:
    counts = names[names != ""].value_counts()
    shown = ", ".join(f"{name} ({n})" if n > 1 else str(name) for name, n in counts[:limit].items())
    more = len(counts) - limit
    return shown + (f" +{more} more" if more > 0 else "")


def cross_border_table(incidents: pd.DataFrame) -> pd.DataFrame:
    """The cross-border incidents grouped by origin and target province.

    Returns
    -------
    DataFrame
        ``origin``, ``target`` ("province, CC"), ``events``, ``killed``, ``first``,
        ``last`` (dates) and ``places`` (the target places, most frequent first),
        most events first.
    """
    columns = ["origin", "target", "events", "killed", "first", "last", "places"]
    flag = _column(incidents, "cross_border", False).fillna(False).astype(bool)
    rows = incidents[flag]
    if not len(rows):
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({
        "origin": _end_name(rows, "origin"), "target": _end_name(rows, "target"),
        "killed": _killed(rows), "date": pd.to_datetime(rows["event_date"]),
        "place": _column(rows, "target").fillna("").astype(str).str.strip(),
    })  # fmt: skip
    table = frame.groupby(["origin", "target"], as_index=False).agg(
        events=("date", "size"), killed=("killed", "sum"), first=("date", "min"),
        last=("date", "max"), places=("place", _place_list),
    )  # fmt: skip
    table["killed"] = table["killed"].astype(int)
    order = ["events", "killed", "origin", "target"]
    table = table.sort_values(order, ascending=[False, False, True, True], kind="stable")
    return table[columns]


def cross_border_lines(incidents: pd.DataFrame) -> list[str]:
    """One line per origin → target pair of the cross-border incidents."""
    return [
        f"{_cell(r['origin'], 26):<26}  {_cell('→ ' + r['target'], 28):<28}  {r['events']:>6}  "
        f"{r['killed']:>6}  {r['first']:%Y-%m-%d}  {r['last']:%Y-%m-%d}  {_cell(r['places'], 50)}"
        for r in _records(cross_border_table(incidents))
    ]


def _sources(incidents: pd.DataFrame) -> list[tuple[int, dict[str, Any]]]:
    """(row position, source) for every source cited; unreadable lists count as none."""
    out = []
    for pos, raw in enumerate(_column(incidents, "sources", "[]")):
        try:
            sources = json.loads(raw or "[]")
        except (TypeError, ValueError):
            sources = []
        out += [(pos, src) for src in sources if isinstance(src, dict)]
    return out


def _source_key(src: dict[str, Any]) -> str:
    return str(src.get("source_id") or src.get("url") or src.get("file") or src.get("publisher"))


def publisher_table(incidents: pd.DataFrame) -> pd.DataFrame:
    """Per publisher: the incidents citing it and its distinct articles, most cited first."""
    cited = _sources(incidents)
    if not cited:
        return pd.DataFrame(columns=["incidents", "articles"])
    frame = pd.DataFrame({
        "publisher": [str(s.get("publisher") or "unknown publisher") for _, s in cited],
        "row": [pos for pos, _ in cited], "article": [_source_key(s) for _, s in cited],
    })  # fmt: skip
    table = frame.groupby("publisher").agg(incidents=("row", "nunique"),
                                           articles=("article", "nunique"))  # fmt: skip
    return table.sort_values(["incidents", "articles"], ascending=False, kind="stable")


def publisher_lines(incidents: pd.DataFrame) -> list[str]:
    """One line per publisher: incidents citing it, distinct articles."""
    table = publisher_table(incidents)
    return [
        f"{_cell(name, 60):<60}  {r['incidents']:>9}  {r['articles']:>8}"
        for name, r in zip(table.index, _records(table), strict=True)
    ]


def incident_lines(incidents: pd.DataFrame) -> list[str]:
    """One fixed-width line per incident, by date, in the columns of :data:`INCIDENT_HEADER`."""
    rows = incidents.sort_values("event_date", kind="stable") if len(incidents) else incidents
    lines = []
    for _, r in rows.iterrows():
        killed = r.get("fatalities_best")
        killed = "" if killed is None or pd.isna(killed) else str(int(killed))
        lines.append(
            f"{pd.Timestamp(r['event_date']).date().isoformat():<10}  "
            f"{_cell(r.get('location_name'), 22):<22}  {_cell(r.get('admin1'), 16):<16}  "
            f"{_cell(r.get('country_iso2'), 2):<2}  {_cell(r.get('event_type'), 26):<26}  "
            f"{killed:>6}  {_cell(r.get('claim_status'), 11):<11}  {_cell(r.get('actors'), 60)}"
        )
    return lines


def source_lines(incidents: pd.DataFrame) -> list[str]:
    """One line per distinct source: publisher, title, date, link or file, incidents citing it."""
    seen: dict[str, dict[str, Any]] = {}
    for _, src in _sources(incidents):
        entry = seen.setdefault(_source_key(src), {**src, "n": 0})
        entry["n"] += 1
    lines = []
    for entry in sorted(seen.values(), key=lambda s: (str(s.get("publisher")), str(s.get("url")))):
        parts = [entry.get("publisher") or "unknown publisher", entry.get("title"),
                 entry.get("published"), entry.get("url") or entry.get("file")]  # fmt: skip
        text = " — ".join(_cell(p, 90) for p in parts if p)
        lines.append(f"{text}  ({entry['n']} incident{'s' if entry['n'] != 1 else ''})")
    return lines
