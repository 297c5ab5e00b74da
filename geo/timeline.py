"""Time on the dashboard: incidents per day, week, month or year, and playback windows.

Pure functions on incident frames and dates; the pages draw the chart and the
play/step buttons from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

import pandas as pd
from dateutil.relativedelta import relativedelta

from geo._errors import SettingError

__all__ = [
    "PLAYBACK_STEPS",
    "TIMELINE_BINS",
    "TimelineBin",
    "bin_of",
    "brush_window",
    "calendar_month",
    "step_window",
    "timeline_bin",
    "timeline_counts",
]

#: Step sizes of the playback control.
PLAYBACK_STEPS = ("week", "month")


class TimelineBin(NamedTuple):
    """One bar size of the timeline: its name, the longest span in days it serves
    (None: any), the pandas period of its bars and the d3 time format of a bar's
    label (Vega-Lite tooltips)."""

    name: str
    longest_days: int | None
    period: str
    label: str


#: Bar sizes of the timeline, shortest first; :func:`timeline_bin` says why these spans.
TIMELINE_BINS: tuple[TimelineBin, ...] = (
    TimelineBin("day", 62, "D", "%d %b %Y"),
    TimelineBin("week", 731, "W-SUN", "week from %d %b %Y"),  # weeks start on Monday
    TimelineBin("month", 5_479, "M", "%B %Y"),
    TimelineBin("year", None, "Y", "%Y"),
)


def timeline_bin(first: date, last: date) -> str:
    """The timeline's bar size for data from ``first`` to ``last`` (see ``TIMELINE_BINS``).

    Parameters
    ----------
    first, last : date
        The first and last day with data (in either order).

    Returns
    -------
    str
        ``"day"``, ``"week"``, ``"month"`` or ``"year"``.

    Notes
    -----
    The chart is about 800 px wide: bars stay readable from about 5 px (some 160
    bars), and a trend needs a dozen bars or more.  Days serve spans up to two
    months (62 days): at most 63 bars, where weeks would be ten or fewer.  Weeks
    serve spans up to two years (731 days): 9 to 105 bars.  Months serve up to 15
    years (5,479 days): 24 to 180 bars, where weeks would be 105 to 780 slivers.  Years serve longer
    spans: 16 bars or more, where months would be over 180 (UCDP GED's 1989-2024
    would be 432 monthly bars under 2 px wide).
    """
    span = abs((pd.Timestamp(last) - pd.Timestamp(first)).days)
    for b in TIMELINE_BINS:
        if b.longest_days is None or span <= b.longest_days:
            return b.name
    raise AssertionError("TIMELINE_BINS ends with an unbounded bin")  # pragma: no cover


def bin_of(unit: str) -> TimelineBin:
    """The bar size called ``unit`` (see ``TIMELINE_BINS``).

    Raises
    ------
    SettingError
        When there is none of that name.
    """
    for b in TIMELINE_BINS:
        if b.name == unit:
            return b
    raise SettingError("timeline bin", unit, " or ".join(b.name for b in TIMELINE_BINS))


def timeline_counts(incidents: pd.DataFrame, unit: str, by: str = "event_type") -> pd.DataFrame:
    """Incidents per ``unit`` (weeks start on Monday), one column per value of ``by``.

    Parameters
    ----------
    incidents : DataFrame
        Rows with an ``event_date`` column (see :func:`geo.incidents.incidents_to_frame`).
    unit : {"day", "week", "month", "year"}
        Bar size, usually :func:`timeline_bin` of the data's first and last day.
    by : str
        Column whose values become the chart's series (default ``event_type``).

    Returns
    -------
    DataFrame
        Indexed by period (a ``PeriodIndex`` named ``unit``: ``start_time`` and
        ``end_time`` give each bar's edges), every period between the first
        and the last incident present (zero-filled), columns sorted by name.
        Empty (no rows, no columns) when there are no incidents.

    Raises
    ------
    SettingError
        When ``unit`` is not one of ``TIMELINE_BINS``.
    """
    code = bin_of(unit).period
    if incidents.empty:
        return pd.DataFrame(index=pd.PeriodIndex([], freq=code, name=unit))
    periods = pd.to_datetime(incidents["event_date"]).dt.to_period(code).rename(unit)
    if by in incidents:
        keys = incidents[by].fillna("unknown").astype(str)
    else:
        keys = pd.Series("all", index=incidents.index)
    table = pd.crosstab(periods, keys)
    full = pd.period_range(table.index.min(), table.index.max(), freq=code, name=unit)
    out = table.reindex(full, fill_value=0)
    out.columns.name = None
    return out[sorted(out.columns)]


def _delta(step: str) -> relativedelta:
    if step not in PLAYBACK_STEPS:
        raise SettingError("playback step", step, " or ".join(PLAYBACK_STEPS))
    return relativedelta(weeks=1) if step == "week" else relativedelta(months=1)


def step_window(
    window: tuple[date, date],
    bounds: tuple[date, date],
    step: str = "week",
    direction: int = 1,
) -> tuple[date, date] | None:
    """The playback window one ``step`` later (``direction=-1``: earlier).

    A window that covers all of ``bounds`` (nothing chosen yet) becomes the
    first step-long window from the start.  Week steps keep the window's
    length and move it by seven days; month steps show whole calendar months
    (the next month after the one the window starts in), so every day is
    shown once.  Returns ``None`` when the move would leave
    ``bounds`` entirely, so a player knows to stop.

    Parameters
    ----------
    window : (date, date)
        The current first and last day shown (inclusive).
    bounds : (date, date)
        The first and last day with data.
    step : {"week", "month"}
        Step size.
    direction : {1, -1}
        Forward or backward.
    """
    delta = _delta(step)
    lo, hi = bounds
    start, end = window
    whole = start <= lo and end >= hi
    if step == "month":
        return _month_step(start, bounds, direction, whole)
    if whole:
        first_end = min(hi, lo + delta - timedelta(days=1))
        return (lo, first_end) if direction > 0 else (max(lo, hi - delta + timedelta(days=1)), hi)
    sign = 1 if direction > 0 else -1
    new_start, new_end = start + sign * delta, end + sign * delta
    if new_start > hi or new_end < lo:
        return None
    return max(new_start, lo), min(new_end, hi)


def calendar_month(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s calendar month."""
    first = day.replace(day=1)
    return first, first + relativedelta(months=1) - timedelta(days=1)


def _month_step(
    start: date, bounds: tuple[date, date], direction: int, whole: bool
) -> tuple[date, date] | None:
    """Calendar months: Jan 1–31, Feb 1–28, Mar 1–31 … clamped to ``bounds``; no day skipped."""
    lo, hi = bounds
    if whole:
        first, last = calendar_month(lo if direction > 0 else hi)
    else:
        first, last = calendar_month(start.replace(day=1) + relativedelta(months=direction))
    if first > hi or last < lo:
        return None
    return max(first, lo), min(last, hi)


def brush_window(
    selection: Mapping[str, Any] | None, bounds: tuple[date, date], field: str = "start"
) -> tuple[date, date] | None:
    """The date range brushed on the timeline, clipped to the data's ``bounds``.

    Parameters
    ----------
    selection : mapping or None
        A chart's interval selection: ``{field: [start, end]}``, each end in
        milliseconds since 1970 (as Vega-Lite sends it) or an ISO date.
    bounds : (date, date)
        The first and last day of the data.
    field : str
        The chart's x field (the bars' start, whatever their size).

    Returns
    -------
    (date, date) or None
        ``None`` when nothing (or nothing inside the data) is brushed.
    """
    ends = (selection or {}).get(field)
    if not isinstance(ends, Sequence) or isinstance(ends, str) or len(ends) != 2:
        return None
    days = sorted(_as_day(v) for v in ends)
    lo, hi = max(days[0], bounds[0]), min(days[1], bounds[1])
    return (lo, hi) if lo <= hi else None


def _as_day(value: Any) -> date:
    """A date from milliseconds since 1970 (UTC) or an ISO date string."""
    if isinstance(value, int | float):
        return pd.Timestamp(value, unit="ms").date()
    return pd.Timestamp(str(value)).date()
