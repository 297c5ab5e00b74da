"""Tests for geo/timeline.py: weekly counts per event type and playback windows."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from geo import SettingError
from geo.timeline import brush_window, calendar_month, step_window, weekly_counts


def _frame(rows):
    return pd.DataFrame(
        {"event_date": pd.to_datetime([d for d, _ in rows]), "event_type": [t for _, t in rows]}
    )


def test_weekly_counts_by_event_type_with_empty_weeks_filled():
    frame = _frame(
        [
            ("2022-05-02", "Battles"),  # Monday
            ("2022-05-08", "Battles"),  # Sunday, same week
            ("2022-05-04", "Protests"),
            ("2022-05-23", "Battles"),  # two empty weeks before it
        ]
    )
    out = weekly_counts(frame)
    assert list(out.columns) == ["Battles", "Protests"]
    assert [d.date().isoformat() for d in out.index] == [
        "2022-05-02",
        "2022-05-09",
        "2022-05-16",
        "2022-05-23",
    ]
    assert out["Battles"].tolist() == [2, 0, 0, 1]
    assert out["Protests"].tolist() == [1, 0, 0, 0]
    assert int(out.to_numpy().sum()) == len(frame)


def test_weekly_counts_of_nothing_is_empty():
    assert weekly_counts(_frame([])).empty


def test_missing_event_type_counts_as_unknown():
    frame = _frame([("2022-05-02", None)])
    assert list(weekly_counts(frame).columns) == ["unknown"]


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
        ({"week": [17_897 * _MS, 17_927 * _MS]}, (date(2019, 1, 1), date(2019, 1, 31))),
        ({"week": [17_927 * _MS + 0.5, 17_897 * _MS]}, (date(2019, 1, 1), date(2019, 1, 31))),
        ({"week": ["2019-03-01", "2019-03-15"]}, (date(2019, 3, 1), date(2019, 3, 15))),
        ({"week": ["2018-11-01", "2019-01-10"]}, (date(2019, 1, 1), date(2019, 1, 10))),  # clipped
        ({"week": ["2018-01-01", "2018-02-01"]}, None),  # nothing of the data brushed
        ({"week": [17_897 * _MS]}, None),
        ({"week": "2019-03-01"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_brush_window_reads_the_brushed_dates(selection, expected):
    assert brush_window(selection, _BOUNDS) == expected
