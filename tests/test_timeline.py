"""Tests for geo/timeline.py: counts per week, month or year and playback windows."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from geo import SettingError
from geo.timeline import (
    brush_window,
    calendar_month,
    step_window,
    timeline_bin,
    timeline_counts,
)


def _frame(rows):
    return pd.DataFrame(
        {"event_date": pd.to_datetime([d for d, _ in rows]), "event_type": [t for _, t in rows]}
    )


def _periods(out):
    return [str(p) for p in out.index]


def test_week_bins_count_by_event_type_with_empty_weeks_filled():
    frame = _frame(
        [
            ("2022-05-02", "Battles"),  # Monday
            ("2022-05-08", "Battles"),  # Sunday, same week
            ("2022-05-04", "Protests"),
            ("2022-05-23", "Battles"),  # two empty weeks before it
        ]
    )
    out = timeline_counts(frame, "week")
    assert list(out.columns) == ["Battles", "Protests"]
    assert [d.date().isoformat() for d in out.index.start_time] == [
        "2022-05-02",
        "2022-05-09",
        "2022-05-16",
        "2022-05-23",
    ]
    assert out["Battles"].tolist() == [2, 0, 0, 1]
    assert out["Protests"].tolist() == [1, 0, 0, 0]
    assert int(out.to_numpy().sum()) == len(frame)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2022, 5, 2), date(2022, 5, 2), "day"),  # a single day
        (date(2024, 1, 1), date(2024, 3, 3), "day"),  # 62 days, over the leap day
        (date(2024, 1, 1), date(2024, 3, 4), "week"),  # 63 days
        (date(2022, 1, 1), date(2022, 12, 31), "week"),
        (date(2022, 1, 1), date(2024, 1, 1), "week"),  # 730 days
        (date(2023, 1, 1), date(2025, 1, 1), "week"),  # 731 days, over a leap day
        (date(2023, 1, 1), date(2025, 1, 2), "month"),  # 732 days
        (date(2020, 1, 1), date(2025, 12, 31), "month"),  # the generated bench data
        (date(2010, 1, 1), date(2024, 12, 31), "month"),  # 5,478 days
        (date(2010, 1, 1), date(2025, 1, 1), "month"),  # 5,479 days
        (date(2010, 1, 1), date(2025, 1, 2), "year"),  # 5,480 days
        (date(1989, 1, 2), date(2024, 12, 31), "year"),  # UCDP GED's span
        (date(2024, 12, 31), date(1989, 1, 2), "year"),  # either order
    ],
)
def test_timeline_bin_follows_the_span(first, last, expected):
    assert timeline_bin(first, last) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        # the leap day and the Sunday after it fall in the week of Monday 26 February
        (
            "week",
            {"2024-01-29/2024-02-04": 2, "2024-02-26/2024-03-03": 3, "2024-12-30/2025-01-05": 1},
        ),
        # the 31st stays in its month, the leap day in February, 1 March in March
        ("month", {"2024-01": 1, "2024-02": 2, "2024-03": 2, "2024-12": 0, "2025-01": 1}),
        ("year", {"2024": 6, "2025": 1}),
    ],
)
def test_counts_per_bin_keep_month_ends_and_leap_days(unit, expected):
    frame = _frame(
        [
            ("2024-01-31", "Battles"),  # a Wednesday, the last day of January
            ("2024-02-01", "Battles"),  # the next day, February
            ("2024-02-29", "Protests"),  # the leap day, a Thursday
            ("2024-03-01", "Battles"),
            ("2024-03-03", "Protests"),  # a Sunday
            ("2024-11-30", "Battles"),
            ("2025-01-01", "Battles"),  # a Wednesday; its week began in 2024
        ]
    )
    out = timeline_counts(frame, unit)
    totals = out.sum(axis=1)
    for period, count in expected.items():
        assert int(totals[pd.Period(period.split("/")[0], freq=out.index.freq)]) == count
    assert out.index.name == unit
    assert int(totals.sum()) == len(frame)
    assert list(out.columns) == ["Battles", "Protests"]


@pytest.mark.parametrize(
    ("unit", "first", "count", "end"),
    [
        ("week", "2024-02-26", 45, "2025-01-05"),
        ("month", "2024-02-01", 12, "2025-01-31"),
        ("year", "2024-01-01", 2, "2025-12-31"),
    ],
)
def test_every_bin_between_first_and_last_is_present(unit, first, count, end):
    out = timeline_counts(_frame([("2024-02-29", "Battles"), ("2025-01-01", "Battles")]), unit)
    assert len(out) == count
    assert out.index.start_time[0] == pd.Timestamp(first)
    assert out.index.end_time[-1].normalize() == pd.Timestamp(end)


def test_timeline_counts_of_nothing_is_empty():
    assert timeline_counts(_frame([]), "month").empty


def test_missing_event_type_counts_as_unknown():
    frame = _frame([("2022-05-02", None)])
    assert list(timeline_counts(frame, "week").columns) == ["unknown"]


def test_unknown_bin_is_a_typed_error_naming_it():
    with pytest.raises(SettingError, match="decade"):
        timeline_counts(_frame([("2022-05-02", "Battles")]), "decade")


BOUNDS = (date(2022, 1, 1), date(2022, 12, 31))


@pytest.mark.parametrize(
    ("window", "step", "direction", "expected"),
    [
        # the whole range becomes the first step-long window
        (BOUNDS, "week", 1, (date(2022, 1, 1), date(2022, 1, 7))),
        (BOUNDS, "month", 1, (date(2022, 1, 1), date(2022, 1, 31))),
        (BOUNDS, "week", -1, (date(2022, 12, 25), date(2022, 12, 31))),
        # a window keeps its length and moves by one step
        ((date(2022, 3, 1), date(2022, 3, 10)), "week", 1, (date(2022, 3, 8), date(2022, 3, 17))),
        ((date(2022, 3, 1), date(2022, 3, 31)), "month", 1, (date(2022, 4, 1), date(2022, 4, 30))),
        ((date(2022, 3, 8), date(2022, 3, 17)), "week", -1, (date(2022, 3, 1), date(2022, 3, 10))),
        # clipped at the ends of the data
        ((date(2022, 12, 20), date(2022, 12, 26)), "week", 1, (date(2022, 12, 27), BOUNDS[1])),
        # stepping past the end stops the player
        ((date(2022, 12, 27), date(2022, 12, 31)), "week", 1, None),
        ((date(2022, 1, 1), date(2022, 1, 5)), "month", -1, None),
        # month steps follow calendar months, whatever the window's length
        ((date(2022, 1, 1), date(2022, 1, 31)), "month", 1, (date(2022, 2, 1), date(2022, 2, 28))),
        ((date(2022, 2, 1), date(2022, 2, 28)), "month", 1, (date(2022, 3, 1), date(2022, 3, 31))),
        ((date(2022, 3, 1), date(2022, 3, 31)), "month", -1, (date(2022, 2, 1), date(2022, 2, 28))),
        ((date(2022, 5, 9), date(2022, 5, 20)), "month", 1, (date(2022, 6, 1), date(2022, 6, 30))),
        (BOUNDS, "month", -1, (date(2022, 12, 1), date(2022, 12, 31))),
    ],
)
def test_step_window(window, step, direction, expected):
    assert step_window(window, BOUNDS, step, direction) == expected


@pytest.mark.parametrize(
    "bounds",
    [BOUNDS, (date(2019, 1, 15), date(2019, 7, 3)), (date(2024, 1, 31), date(2024, 12, 1))],
)
def test_month_playback_shows_every_day_once(bounds):
    seen: list[date] = []
    window = step_window(bounds, bounds, "month")
    while window is not None:
        seen += [window[0] + timedelta(days=k) for k in range((window[1] - window[0]).days + 1)]
        window = step_window(window, bounds, "month")
    every = [bounds[0] + timedelta(days=k) for k in range((bounds[1] - bounds[0]).days + 1)]
    assert seen == every


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 10), (date(2024, 2, 1), date(2024, 2, 29))),
        (date(2023, 12, 31), (date(2023, 12, 1), date(2023, 12, 31))),
    ],
)
def test_calendar_month(day, expected):
    assert calendar_month(day) == expected


def test_unknown_step_is_a_typed_error_naming_it():
    with pytest.raises(SettingError, match="fortnight"):
        step_window(BOUNDS, BOUNDS, "fortnight")


_BOUNDS = (date(2019, 1, 1), date(2019, 6, 30))
_MS = 86_400_000  # one day in milliseconds


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"start": [17_897 * _MS, 17_927 * _MS]}, (date(2019, 1, 1), date(2019, 1, 31))),
        ({"start": [17_927 * _MS + 0.5, 17_897 * _MS]}, (date(2019, 1, 1), date(2019, 1, 31))),
        ({"start": ["2019-03-01", "2019-03-15"]}, (date(2019, 3, 1), date(2019, 3, 15))),
        ({"start": ["2018-11-01", "2019-01-10"]}, (date(2019, 1, 1), date(2019, 1, 10))),  # clipped
        ({"start": ["2018-01-01", "2018-02-01"]}, None),  # nothing of the data brushed
        ({"start": [17_897 * _MS]}, None),
        ({"start": "2019-03-01"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_brush_window_reads_the_brushed_dates(selection, expected):
    assert brush_window(selection, _BOUNDS) == expected
