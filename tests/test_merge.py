"""Tests for geo.merge: same event across sources → one incident, figures kept per source."""

from __future__ import annotations

from datetime import date

import pytest

from geo.incidents import CLAIM_STATUSES, Evidence, Incident, Place, Source
from geo.merge import (
    STATUS_PRECEDENCE,
    merge_incidents,
    merge_into_stored,
    merged_figures,
    near_duplicate,
    per_source_figures,
    same_event,
)


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


# --------------------------------------------------------------------------- precedence

#: Claim status of two merged reports (no named sides): row = first report, column =
#: second, both in CLAIM_STATUSES order.  A denial against an assertion is disputed;
#: otherwise disputed > denied > confirmed > unconfirmed > claimed > reported.
_R, _CL, _CO, _U, _DE, _DI = "reported", "claimed", "confirmed", "unconfirmed", "denied", "disputed"
STATUS_TABLE = {
    _R:  (_R,  _CL, _CO, _U,  _DE, _DI),
    _CL: (_CL, _CL, _CO, _U,  _DI, _DI),
    _CO: (_CO, _CO, _CO, _CO, _DI, _DI),
    _U:  (_U,  _U,  _CO, _U,  _DE, _DI),
    _DE: (_DE, _DI, _DI, _DE, _DE, _DI),
    _DI: (_DI, _DI, _DI, _DI, _DI, _DI),
}  # fmt: skip


def test_status_table_covers_every_status() -> None:
    assert tuple(STATUS_TABLE) == CLAIM_STATUSES
    assert set(STATUS_PRECEDENCE) == set(CLAIM_STATUSES)


@pytest.mark.parametrize(
    ("first", "second"), [(a, b) for a in CLAIM_STATUSES for b in CLAIM_STATUSES]
)
def test_claim_status_precedence(first: str, second: str) -> None:
    expected = STATUS_TABLE[first][CLAIM_STATUSES.index(second)]
    a = _inc("a", date(2022, 6, 11), claim_status=first)
    b = _inc("b", date(2022, 6, 11), claim_status=second)
    (merged,) = merge_incidents([a, b])
    assert merged.claim_status == expected
    assert merge_into_stored(a, b).claim_status == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # a named claimant against a named denier
        ((_R, ["ISKP"], []), (_R, [], ["Taliban"]), _DI),
        # a named side denies what another report confirms: disputed beats confirmed
        ((_CO, [], []), (_R, [], ["Taliban"]), _DI),
        ((_DI, [], ["Taliban"]), (_CO, [], []), _DI),
        # a side that both claims and denies is a claimant, not a denier
        ((_CL, ["ISKP"], []), (_R, [], ["ISKP"]), _CL),
        # a named denier with nothing asserted against it: precedence only
        ((_R, [], ["Taliban"]), (_U, [], []), _U),
    ],
)
def test_named_sides(first: tuple, second: tuple, expected: str) -> None:
    (sa, ca, da), (sb, cb, db) = first, second
    a = _inc("a", date(2022, 6, 11), claim_status=sa, claimed_by=ca, denied_by=da)
    b = _inc("b", date(2022, 6, 11), claim_status=sb, claimed_by=cb, denied_by=db)
    (merged,) = merge_incidents([a, b])
    assert merged.claim_status == expected
    assert merge_into_stored(a, b).claim_status == expected
    assert not set(merged.claimed_by) & set(merged.denied_by)


#: (low, best, high) of two reports -> the merged range; no figure is ever lost.
FIGURE_TABLE = [
    ((None, None, None), (None, None, None), (None, None, None)),
    ((None, 3, None), (None, None, None), (3, 3, None)),
    ((None, 3, None), (None, 7, None), (3, 3, 7)),
    ((None, 3, None), (None, 3, None), (3, 3, None)),
    ((None, 0, None), (None, 4, None), (0, 0, 4)),
    ((2, 3, 5), (None, 7, None), (2, 3, 7)),
    ((2, 3, 5), (4, 6, 9), (2, 3, 9)),
    ((None, None, 9), (None, 3, None), (3, 3, 9)),
    ((5, None, None), (None, None, None), (5, None, None)),
    ((1, 2, 4), (1, 2, 4), (1, 2, 4)),
]


@pytest.mark.parametrize(("first", "second", "expected"), FIGURE_TABLE)
def test_fatality_ranges(first: tuple, second: tuple, expected: tuple) -> None:
    assert merged_figures([first, second]) == expected
    assert merged_figures([second, first]) == expected  # the order of the reports does not matter
    names = ("fatalities_low", "fatalities_best", "fatalities_high")
    a = _inc("a", date(2022, 6, 11), **dict(zip(names, first, strict=True)))
    b = _inc("b", date(2022, 6, 11), **dict(zip(names, second, strict=True)))
    for merged in (merge_incidents([a, b])[0], merge_into_stored(a, b)):
        assert tuple(getattr(merged, n) for n in names) == expected


def test_merging_a_report_twice_changes_nothing() -> None:
    a = _inc("a", date(2022, 6, 11), fatalities_best=3, claim_status="claimed")
    b = _inc("b", date(2022, 6, 11), fatalities_best=7, claim_status="denied", confidence=0.8)
    once = merge_into_stored(a, b)
    assert merge_into_stored(once, b) == once
    assert merge_into_stored(once, a) == once
    assert once.confidence == 0.85  # one more independent source: +0.05


# ------------------------------------------------------------------ merge boundaries (issue 16)
GHAZNI = {
    # name → (lat, lon, precision)
    "Andar": (33.31, 68.45, "district"),
    "Deh Yak": (33.45, 68.60, "district"),  # a neighbouring district, ~20 km away
    "Ghazni city": (33.55, 68.42, "exact"),
    "Ghazni province": (33.30, 68.10, "province"),
}


def _gz(src: str, day: int, place: str, **kw) -> Incident:
    lat, lon, precision = GHAZNI[place]
    return _inc(
        src, date(2019, 3, day), place="Taloqan", location_name=place, lat=lat, lon=lon,
        geo_precision=precision, admin1="Ghazni", admin1_iso="AF-GHA", **kw,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "same", "near"),
    [
        # the same district, the same day or one day apart (a night raid): one event
        (_gz("a", 4, "Andar"), _gz("b", 4, "Andar"), True, False),
        (_gz("a", 4, "Andar"), _gz("b", 5, "Andar"), True, False),
        # two days apart: never merged, flagged for review
        (_gz("a", 4, "Andar"), _gz("b", 6, "Andar"), False, True),
        # two districts of one province, however close: two places
        (_gz("a", 4, "Andar"), _gz("b", 4, "Deh Yak"), False, True),
        (_gz("a", 4, "Andar"), _gz("b", 6, "Deh Yak"), False, True),
        # two reports known only to the province, same day: flagged, not merged
        (_gz("a", 4, "Ghazni province"), _gz("b", 4, "Ghazni province"), False, True),
        # a town inside the province a province-only report names: one event
        (_gz("a", 4, "Ghazni province"), _gz("b", 4, "Ghazni city"), True, False),
        # incompatible type and actors: neither merged nor flagged
        (
            _gz("a", 4, "Andar"),
            _gz("b", 4, "Andar", event_type="Protests", actors=["Civilians"]),
            False,
            False,
        ),
        # a week-precision report overlaps the days of its week
        (_gz("a", 4, "Andar", date_precision="week"), _gz("b", 8, "Andar"), True, False),
    ],
)
def test_merge_boundaries(a: Incident, b: Incident, same: bool, near: bool) -> None:
    assert same_event(a, b) is same
    assert near_duplicate(a, b) is near


def test_near_duplicates_are_flagged_not_merged() -> None:
    merged = merge_incidents([_gz("a", 4, "Andar"), _gz("b", 6, "Deh Yak")])
    assert len(merged) == 2
    assert "possible duplicate of inc-b" in merged[0].notes
    assert "possible duplicate of inc-a" in merged[1].notes
