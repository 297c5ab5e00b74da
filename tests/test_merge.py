"""Tests for geo.merge: same event across sources → one incident, figures kept per source."""

from __future__ import annotations

from datetime import date

import pytest

from geo.incidents import Evidence, Incident, Place, Source
from geo.merge import merge_incidents, per_source_figures, same_event


def _inc(
    src: str,
    when: date,
    precision: str = "day",
    place: str = "Taloqan",
    killed_sentence: str | None = None,
    **kw,
) -> Incident:
    coords = {
        "Taloqan": (36.736, 69.535, "AF-TAK", "Takhar"),
        "Kunduz": (36.729, 68.857, "AF-KDZ", "Kunduz"),
        "Bangi": (36.60, 69.66, "AF-TAK", "Takhar"),
    }[place]
    evidence = (
        [Evidence("fatalities", killed_sentence, src, 0, len(killed_sentence))]
        if killed_sentence
        else []
    )
    base = dict(
        incident_id=f"inc-{src}",
        event_date=when,
        location_name=place,
        lat=coords[0],
        lon=coords[1],
        date_precision=precision,
        country_iso2="AF",
        admin1=coords[3],
        admin1_iso=coords[2],
        actors=["Taliban", "ISIS-K"],
        sources=[Source(src, file=f"{src}.txt")],
        evidence=evidence,
    )
    base.update(kw)
    return Incident(**base)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (_inc("a", date(2022, 6, 11)), _inc("b", date(2022, 6, 11)), True),
        (_inc("a", date(2022, 6, 11)), _inc("b", date(2022, 1, 1), "year"), True),
        (_inc("a", date(2022, 6, 11)), _inc("b", date(2022, 6, 20)), False),
        (_inc("a", date(2022, 6, 11)), _inc("b", date(2022, 6, 11), place="Kunduz"), False),
        (_inc("a", date(2022, 6, 11)), _inc("b", date(2022, 6, 11), place="Bangi"), True),
        (_inc("a", date(2022, 6, 11)), _inc("a", date(2022, 6, 11)), False),
        (
            _inc("a", date(2022, 6, 11), event_type="Protests", actors=["Civilians"]),
            _inc("b", date(2022, 6, 11)),
            False,
        ),
    ],
)
def test_same_event(a: Incident, b: Incident, same: bool) -> None:
    assert same_event(a, b) is same


def test_merge_keeps_sources_and_most_precise_date() -> None:
    merged = merge_incidents(
        [
            _inc("a", date(2022, 1, 1), "year", claim_status="claimed", claimed_by=["Taliban"]),
            _inc("b", date(2022, 6, 11), "day"),
            _inc("c", date(2022, 6, 11), place="Kunduz"),
        ]
    )
    assert len(merged) == 2
    first = merged[0]
    assert [s.source_id for s in first.sources] == ["a", "b"]
    assert (first.event_date, first.date_precision) == (date(2022, 6, 11), "day")
    assert first.claim_status == "claimed" and first.claimed_by == ["Taliban"]


def test_disagreeing_figures_become_a_range_and_stay_per_source() -> None:
    merged = merge_incidents(
        [
            _inc(
                "a",
                date(2022, 6, 11),
                fatalities_best=8,
                fatalities_low=8,
                fatalities_high=None,
                killed_sentence="Forces killed at least eight fighters.",
            ),
            _inc(
                "b",
                date(2022, 6, 11),
                fatalities_best=12,
                fatalities_low=12,
                fatalities_high=12,
                killed_sentence="Twelve fighters were killed.",
            ),
        ]
    )
    (inc,) = merged
    assert (inc.fatalities_low, inc.fatalities_best, inc.fatalities_high) == (8, 8, 12)
    assert per_source_figures(inc) == {"a": {"killed": (8, 8, None)}, "b": {"killed": (12, 12, 12)}}
    assert "disagree" in inc.notes


def test_claimed_and_denied_across_sources_is_disputed() -> None:
    target = Place("Tajikistan", 38.5, 69.1, "TJ", "", "", "country")
    origin = Place("Khwaja Ghar", 37.07, 69.42, "AF", "Takhar", "AF-TAK", "exact")
    merged = merge_incidents(
        [
            _inc(
                "a",
                date(2022, 5, 1),
                "month",
                claim_status="claimed",
                claimed_by=["ISIS-K"],
                origin=origin,
                target=target,
            ),
            _inc(
                "b",
                date(2022, 5, 7),
                claim_status="denied",
                denied_by=["Tajik border guards"],
                origin=origin,
                target=target,
            ),
        ]
    )
    (inc,) = merged
    assert inc.claim_status == "disputed" and inc.cross_border
    assert inc.denied_by == ["Tajik border guards"]


def test_inputs_are_not_modified() -> None:
    a, b = _inc("a", date(2022, 6, 11)), _inc("b", date(2022, 6, 11))
    merge_incidents([a, b])
    assert len(a.sources) == 1 and len(b.sources) == 1
