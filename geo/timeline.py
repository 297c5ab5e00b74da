"""Time on the dashboard: weekly counts per event type and playback windows.

Pure functions on incident frames and dates; the pages draw the chart and the
play/step buttons from them.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from dateutil.relativedelta import relativedelta

from geo._errors import SettingError

__all__ = ["PLAYBACK_STEPS", "step_window", "weekly_counts"]

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
    first step-long window from the start.  Otherwise the window keeps its
    length and moves by one step.  Returns ``None`` when the move would leave
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
    if start <= lo and end >= hi:
        first_end = min(hi, lo + delta - timedelta(days=1))
        return (lo, first_end) if direction > 0 else (max(lo, hi - delta + timedelta(days=1)), hi)
    sign = 1 if direction > 0 else -1
    new_start, new_end = start + sign * delta, end + sign * delta
    if new_start > hi or new_end < lo:
        return None
    return max(new_start, lo), min(new_end, hi)
