"""End to end over the seed articles with the real offline geocoder and boundaries.

Checks the must-shows of issue 4 and compares the pipeline with the embedded dataset
(``data/incidents.json``): every difference must be listed in :data:`KNOWN_DIFFERENCES`
with the reason, so a change in either shows up here instead of being hidden.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from geo.extract import REGION
from geo.incidents import Incident, incidents_to_frame, validate_incidents
from geo.pipeline import BatchResult, extract_paths

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"
EMBEDDED = Path(__file__).parents[1] / "data" / "incidents.json"

pytestmark = [
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}"),
    pytest.mark.skipif(
        not (os.environ.get("GEO_GAZETTEER_DIR") and os.environ.get("GEO_BOUNDARIES_DIR")),
        reason="GEO_GAZETTEER_DIR and GEO_BOUNDARIES_DIR must point at the shared data",
    ),
]

#: (date, admin1, field) → why the pipeline differs from the embedded record.
_MONDAY = (
    "article 002 gives no year; the pipeline keeps month and day with the year flagged unknown "
    "and places 'Monday evening' after 26 March in the earliest year the text allows (2022: "
    "Monday 28 March); the embedded record, dated to 2023 by the events the article recalls, "
    "has Monday 27 March"
)
KNOWN_DIFFERENCES: dict[tuple[str, str, str], str] = {
    ("2023-03-27", "Balkh", "missing"): _MONDAY,
    ("2023-03-27", "Nimroz", "missing"): _MONDAY,
    ("????-03-28", "Balkh", "extra"): _MONDAY,
    ("????-03-28", "Nimroz", "extra"): _MONDAY,
    ("????-05-01", "Takhar", "extra"): (
        "article 000 gives no year and no publication date, so its 'last month' (the rockets "
        "from Khwaja Ghar) is May of an unknown year and cannot be tied to article 003's "
        "May 7 (itself of unknown year) without guessing; the embedded record joins them"
    ),
    ("2022-05-07", "Takhar", "fatalities_best"): (
        "'no casualties were reported' comes from article 000, which stays a separate "
        "year-unknown record (above)"
    ),
    ("2022-06-11", "Takhar", "missing"): (
        "the embedded set has a second Taloqan record for the clash between Taliban "
        "factions; the pipeline folds that sentence (same town, same day, no date of its "
        "own) into the raid"
    ),
    ("2023-03-26", "Balkh", "fatalities_best"): (
        "three commanders are named as killed; the pipeline counts numbers, not names"
    ),
    ("2023-03-26", "Balkh", "claim_status"): (
        "the article says no independent source confirmed the Taliban's accounts; the "
        "pipeline applies that to every current event of the article (unconfirmed)"
    ),
    ("2023-03-18", "Balkh", "claim_status"): (
        "same article-wide 'no independent confirmation' rule (unconfirmed vs claimed)"
    ),
    ("2022-12-15", "Kabul", "date_precision"): (
        "'mid-December' is month precision by the pipeline's convention; the embedded "
        "record codes it as a week"
    ),
    ("2022-12-15", "Kabul", "event_type"): (
        "one sentence recalls two Kabul events (a bombing and a hotel assault); the "
        "embedded record codes the assault, the pipeline the first-named bombing"
    ),
    ("2021-08-01", "Kabul", "event_type"): (
        "the sentence only says ISKP 'killed' people during the evacuation; the embedded "
        "record uses outside knowledge (the airport bombing), the pipeline defaults to Battles"
    ),
}


@pytest.fixture(scope="module")
def batch() -> BatchResult:
    return extract_paths([SEEDS])


def _files(inc: Incident) -> set[str]:
    return {Path(s.file).name[:3] for s in inc.sources}


def _year_unknown(inc: Incident) -> bool:
    return "year unknown" in inc.notes


def _same_day(inc: Incident, when: date) -> bool:
    """The same date; or, when the text gives no year (flagged), the same month and day."""
    if _year_unknown(inc):
        return (inc.event_date.month, inc.event_date.day) == (when.month, when.day)
    return inc.event_date == when


def _find(batch: BatchResult, admin1: str, when: date, name: str = "") -> list[Incident]:
    return [
        i
        for i in batch.incidents
        if i.admin1 == admin1 and _same_day(i, when) and name in i.location_name
    ]


def test_every_file_is_read_and_output_is_valid(batch: BatchResult) -> None:
    assert [f.status for f in batch.files].count("error") == 0
    validate_incidents(incidents_to_frame(batch.incidents))


def test_taloqan_raid_once_with_both_sources(batch: BatchResult) -> None:
    (raid,) = _find(batch, "Takhar", date(2022, 6, 11), "Taloqan")
    assert raid.date_precision == "day"
    assert raid.fatalities_low == 8 and raid.captured == 3
    assert "Taliban" in raid.claimed_by and raid.claim_status == "claimed"
    assert _files(raid) == {"000", "001"}


def test_khwaja_ghar_rockets_into_tajikistan(batch: BatchResult) -> None:
    (inc,) = _find(batch, "Takhar", date(2022, 5, 7))
    assert inc.cross_border and inc.target.country_iso2 == "TJ"
    assert inc.origin.admin1 == "Takhar" and inc.claim_status == "disputed"
    assert "003" in _files(inc)


def test_fire_toward_termez(batch: BatchResult) -> None:
    (inc,) = _find(batch, "Surxondaryo", date(2022, 4, 18))
    assert inc.country_iso2 == "UZ" and inc.cross_border and inc.origin.country_iso2 == "AF"
    assert inc.claim_status == "disputed"


@pytest.mark.parametrize(
    ("admin1", "name", "killed"), [("Balkh", "Nahri Shahi", 6), ("Nimroz", "Zaranj", None)]
)
def test_balkh_and_nimroz_raids(batch: BatchResult, admin1: str, name: str, killed) -> None:
    found = [i for i in batch.incidents if i.admin1 == admin1 and i.location_name == name]
    assert len(found) == 1
    assert found[0].fatalities_low == killed


def test_nothing_outside_the_region(batch: BatchResult) -> None:
    assert all(i.country_iso2 in REGION for i in batch.incidents)
    assert not any("Washington" in i.location_name for i in batch.incidents)
    assert not any("004" in _files(i) for i in batch.incidents)


def _differences(batch: BatchResult) -> dict[tuple[str, str, str], str]:
    diffs: dict[tuple[str, str, str], str] = {}
    embedded = json.loads(EMBEDDED.read_text(encoding="utf-8"))
    pool = list(batch.incidents)
    for rec in embedded:
        key = (rec["event_date"][:10], rec.get("admin1", ""))
        when = date.fromisoformat(key[0])
        match = next((i for i in pool if _same_day(i, when) and i.admin1 == key[1]), None)
        if match is None:
            diffs[(*key, "missing")] = rec["location_name"]
            continue
        pool.remove(match)
        for name in ("fatalities_best", "claim_status", "date_precision", "event_type"):
            if rec.get(name) != getattr(match, name):
                diffs[(*key, name)] = f"{rec.get(name)!r} embedded vs {getattr(match, name)!r}"
    for extra in pool:
        when = extra.event_date.isoformat()
        when = f"????{when[4:]}" if _year_unknown(extra) else when
        diffs[(when, extra.admin1, "extra")] = extra.location_name
    return diffs


@pytest.mark.skipif(not EMBEDDED.is_file(), reason="data/incidents.json not present")
def test_embedded_dataset_agrees_with_pipeline(batch: BatchResult) -> None:
    diffs = _differences(batch)
    unexplained = {k: v for k, v in diffs.items() if k not in KNOWN_DIFFERENCES}
    gone = sorted(set(KNOWN_DIFFERENCES) - set(diffs))
    assert not unexplained, f"unexplained differences: {unexplained}"
    assert not gone, f"listed differences no longer occur (update KNOWN_DIFFERENCES): {gone}"


@pytest.mark.parametrize(
    ("when", "name", "precision"),
    [(date(2023, 3, 26), "Balkh", "province"), (date(2023, 3, 18), "Maz", "exact")],
)
def test_article_002_recalled_operations_keep_day_and_month_with_the_year_flagged(
    batch: BatchResult, when: date, name: str, precision: str
) -> None:
    (inc,) = _find(batch, "Balkh", when, name)
    assert _files(inc) == {"002"} and inc.geo_precision == precision
    assert _year_unknown(inc) and inc.date_precision == "day"
    assert any(p.kind == "year_unknown" and "002" in p.source for p in batch.problems)
