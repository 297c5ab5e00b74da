"""Time on the dashboard: weekly counts per event type and playback windows.

Pure functions on incident frames and dates; the pages draw the chart and the
play/step buttons from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import pandas as pd
from dateutil.relativedelta import relativedelta

from geo._errors import SettingError

__all__ = ["PLAYBACK_STEPS", "brush_window", "calendar_month", "step_window", "weekly_counts"]

#: Step sizes of the playback control.
PLAYBACK_STEPS = ("week", "month")


def weekly_counts(incidents: pd.DataFrame, by: str = "event_type") -> pd.DataFrame:
    """Incidents per week (weeks start on Monday), one column per value of ``by``.

    Parameters
    ----------
    incidents : DataFrame
        Rows with an ``event_date`` column (see :func:`geo.incidents.incidents_to_frame`).
    by : str
        Column whose values become the chart's series (default ``event_type``).

    Returns
    -------
    DataFrame
        Indexed by week start (``Timestamp``), every week between the first and
        the last incident present (zero-filled), columns sorted by name.
        Empty (no rows, no columns) when there are no incidents.
    """
    if incidents.empty:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="week"))
    dates = pd.to_datetime(incidents["event_date"])
    weeks = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    if by in incidents:
        keys = incidents[by].fillna("unknown").astype(str)
    else:
        keys = pd.Series("all", index=incidents.index)
    table = pd.crosstab(weeks.rename("week"), keys)
    full = pd.date_range(table.index.min(), table.index.max(), freq="7D", name="week")
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
    selection: Mapping[str, Any] | None, bounds: tuple[date, date], field: str = "week"
) -> tuple[date, date] | None:
    """The date range brushed on the timeline, clipped to the data's ``bounds``.

    Parameters
    ----------
    selection : mapping or None
        A chart's interval selection: ``{field: [start, end]}``, each end in
        milliseconds since 1970 (as Vega-Lite sends it) or an ISO date.
    bounds : (date, date)
        The first and last day of the data.

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
