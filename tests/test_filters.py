"""Tests for geo/filters.py: URL parameters ⇄ Filters, and filtering rows."""

from __future__ import annotations

from datetime import date

import pytest

from geo.filters import (
    Filters,
    apply_filters,
    parse_query_params,
    preset_dates,
    preset_label,
    to_query_params,
)
from geo.incidents import Incident, Place, incidents_to_frame


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, Filters()),
        ({"province": "Takhar"}, Filters(provinces=("Takhar",))),
        ({"province": ["Takhar", "AF-BAL"]}, Filters(provinces=("Takhar", "AF-BAL"))),
        ({"country": "af,tj"}, Filters(countries=("AF", "TJ"))),
        ({"country": ["AF", "AF"]}, Filters(countries=("AF",))),
        (
            {"from": "2022-05-01", "to": "2022-06-30"},
            Filters(date_from=date(2022, 5, 1), date_to=date(2022, 6, 30)),
        ),
        (
            {"cross_border": "true", "min_fatalities": "5"},
            Filters(cross_border=True, min_fatalities=5),
        ),
        (
            {"claim": "disputed", "event_type": "Battles", "actor": "ISIS-K", "q": "rockets"},
            Filters(
                claim_statuses=("disputed",),
                event_types=("Battles",),
                actors=("ISIS-K",),
                text="rockets",
            ),
        ),
    ],
)
def test_parse(params, expected):
    assert parse_query_params(params) == expected


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"from": "June"}, "from='June'"),
        ({"min_fatalities": "many"}, "min_fatalities='many'"),
        ({"min_fatalities": "-3"}, "must be 0 or more"),
        ({"cross_border": "perhaps"}, "cross_border='perhaps'"),
        ({"from": "2022-06-01", "to": "2022-05-01"}, "swapped"),
    ],
)
def test_bad_values_become_warnings(params, warning):
    parsed = parse_query_params(params)
    assert any(warning in w for w in parsed.warnings)


@pytest.mark.parametrize(
    "query",
    [
        {"province": "Takhar"},
        {
            "from": "2022-01-01",
            "to": "2022-12-31",
            "country": "AF,TJ",
            "province": "Takhar,Balkh",
            "event_type": "Battles",
            "actor": "ISIS-K",
            "claim": "disputed,claimed",
            "cross_border": "true",
            "min_fatalities": "1",
            "q": "rocket",
        },
    ],
)
def test_url_round_trip(query):
    assert to_query_params(parse_query_params(query)) == query


def _frame():
    def inc(
        i,
        day,
        iso,
        name,
        country,
        etype="Battles",
        deaths=None,
        actors=(),
        origin=None,
        target=None,
        notes="",
    ):
        return Incident(
            f"i{i}",
            date(2022, 5, day),
            name,
            30.0 + i,
            60.0 + i,
            event_type=etype,
            admin1=name,
            admin1_iso=iso,
            country_iso2=country,
            fatalities_best=deaths,
            actors=list(actors),
            origin=origin,
            target=target,
            notes=notes,
        )

    kg = Place("Khwaja Ghar", 37.0, 69.4, "AF")
    tj = Place("Panj", 37.2, 69.1, "TJ")
    return incidents_to_frame(
        [
            inc(
                1,
                7,
                "AF-TAK",
                "Takhar",
                "AF",
                "Explosions/Remote violence",
                0,
                ["ISIS-K"],
                kg,
                tj,
                notes="rockets or bullets",
            ),
            inc(2, 11, "AF-TAK", "Takhar", "AF", deaths=8, actors=["Taliban", "ISIS-K"]),
            inc(3, 20, "AF-NIM", "Nimroz", "AF", actors=["Taliban"]),
            inc(4, 25, "UZ-SU", "Surxondaryo", "UZ", "Explosions/Remote violence"),
        ]
    )


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        (Filters(), ["i1", "i2", "i3", "i4"]),
        (Filters(provinces=("Takhar",)), ["i1", "i2"]),
        (Filters(provinces=("takhar",)), ["i1", "i2"]),
        (Filters(provinces=("AF-NIM",)), ["i3"]),
        (Filters(provinces=("Nimruz",)), ["i3"]),  # alias through the boundaries' spellings
        # looked up in the spellings' own key form: "province" dropped, & read as "and"
        (Filters(provinces=("Nimruz Province",)), ["i3"]),
        (Filters(countries=("UZ",)), ["i4"]),
        (Filters(date_from=date(2022, 5, 10), date_to=date(2022, 5, 20)), ["i2", "i3"]),
        (Filters(event_types=("Explosions/Remote violence",)), ["i1", "i4"]),
        (Filters(actors=("isis-k",)), ["i1", "i2"]),
        (Filters(cross_border=True), ["i1"]),
        (Filters(min_fatalities=1), ["i2"]),
        (Filters(text="BULLETS"), ["i1"]),
        (Filters(bbox=(60.5, 30.5, 62.5, 32.5)), ["i1", "i2"]),
        (Filters(provinces=("Takhar",), min_fatalities=5), ["i2"]),
    ],
)
def test_apply_filters(filters, ids):
    out = apply_filters(_frame(), filters, {"nimruz": "AF-NIM"})
    assert list(out["incident_id"]) == ids


TODAY = date(2024, 6, 15)


@pytest.mark.parametrize(
    ("preset", "bounds", "expected"),
    [
        ("All", (date(2020, 1, 1), TODAY), (date(2020, 1, 1), TODAY)),
        ("Last 30 days", (date(2020, 1, 1), TODAY), (date(2024, 5, 17), TODAY)),
        ("Last 12 months", (date(2020, 1, 1), TODAY), (date(2023, 6, 16), TODAY)),
        # data that starts recently: the period is clipped to the first day
        ("Last 12 months", (date(2024, 3, 1), TODAY), (date(2024, 3, 1), TODAY)),
        # a slider ending before today: both ends stay inside it
        (
            "Last 30 days",
            (date(2020, 1, 1), date(2022, 6, 30)),
            (date(2022, 6, 30), date(2022, 6, 30)),
        ),
    ],
)
def test_preset_dates(preset, bounds, expected):
    assert preset_dates(preset, TODAY, bounds) == expected


@pytest.mark.parametrize(
    ("preset", "latest", "expected"),
    [
        # a historical dataset: presets end on its latest incident, not today
        ("Last 30 days", date(2019, 6, 30), (date(2019, 6, 1), date(2019, 6, 30))),
        ("Last 12 months", date(2019, 6, 30), (date(2019, 1, 1), date(2019, 6, 30))),
        ("All", date(2019, 6, 30), (date(2019, 1, 1), date(2019, 6, 30))),
        # data up to today: today is the anchor, as before (clamped to the slider)
        ("Last 30 days", TODAY, (date(2019, 6, 30), date(2019, 6, 30))),
    ],
)
def test_presets_count_back_from_the_latest_incident(preset, latest, expected):
    bounds = (date(2019, 1, 1), date(2019, 6, 30))
    assert preset_dates(preset, TODAY, bounds, latest=latest) == expected


@pytest.mark.parametrize(
    ("preset", "latest", "label"),
    [
        ("Last 30 days", None, "Last 30 days"),
        ("Last 30 days", TODAY, "Last 30 days"),
        (
            "Last 30 days",
            date(2019, 6, 30),
            "Last 30 days of data (to 2019-06-30, the latest incident)",
        ),
        ("All", date(2019, 6, 30), "All"),
    ],
)
def test_preset_label_says_when_it_counts_from_the_data(preset, latest, label):
    assert preset_label(preset, TODAY, latest) == label


def test_unknown_preset_is_a_typed_error():
    from geo import SettingError

    with pytest.raises(SettingError, match="yesterday"):
        preset_dates("yesterday", TODAY, (TODAY, TODAY))


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(provinces=("Takhar",), date_from=date(2022, 5, 1)),
        Filters(
            countries=("AF", "PK"),
            event_types=("Battles", "Protests"),
            actors=("TTP",),
            claim_statuses=("denied",),
            cross_border=True,
            min_fatalities=3,
            text="border post",
            date_to=date(2023, 1, 31),
        ),
    ],
)
def test_filters_round_trip_through_the_url(filters):
    assert parse_query_params(to_query_params(filters)) == filters


@pytest.mark.parametrize("text", ["rockets", "TALIBAN", "khwaja", "absent"])
def test_precomputed_search_index_gives_the_same_rows(text):
    from geo.filters import search_text

    frame = _frame()
    part = frame.iloc[1:]  # a cut of the frame reuses the whole frame's index
    index = search_text(frame)
    for df in (frame, part):
        with_index = apply_filters(df, Filters(text=text), None, index)
        assert list(with_index["incident_id"]) == list(
            apply_filters(df, Filters(text=text))["incident_id"]
        )
