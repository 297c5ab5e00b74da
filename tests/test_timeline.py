"""Tests for geo/timeline.py: weekly counts per event type and playback windows."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo import SettingError
from geo.timeline import step_window, weekly_counts


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
    ],
)
def test_step_window(window, step, direction, expected):
    assert step_window(window, BOUNDS, step, direction) == expected


def test_unknown_step_is_a_typed_error_naming_it():
    with pytest.raises(SettingError, match="fortnight"):
        step_window(BOUNDS, BOUNDS, "fortnight")
