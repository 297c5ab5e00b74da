"""Tests for geo/review.py: drafts with candidates and merge targets, corrections, save, undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from geo._errors import IncidentValidationError
from geo.articles import article_from_text
from geo.review import (
    apply_candidate,
    apply_edits,
    apply_pin,
    prepare_review,
    save_review,
    undo_edit,
)
from geo.store import open_store

REPO = Path(__file__).resolve().parents[1]
# Written for the tests: a report of the 11 June 2022 Taloqan raid in other words.
ARTICLE = (
    "Taliban intelligence units stormed an Islamic State Khorasan hideout in Taloqan, "
    "the capital of Takhar province, on Saturday and killed at least eight militants, "
    "a Taliban spokesman said. Three more fighters were detained."
)


@pytest.fixture(scope="module")
def geocoder(shared_settings):
    if shared_settings.gazetteer_dir is None:
        pytest.skip("GEO_GAZETTEER_DIR is not set (CI sets it)")
    from geo.geocode import get_geocoder

    return get_geocoder(shared_settings)


@pytest.fixture()
def store(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'review.db'}") as opened:
        yield opened


def _batch(geocoder, store, settings, text=ARTICLE, published=date(2022, 6, 12)):
    article = article_from_text(text, published=published, publisher="Test Wire", settings=settings)
    return prepare_review(article, geocoder=geocoder, store=store, settings=settings)


def test_draft_has_place_candidates_and_no_target_in_empty_store(geocoder, store, shared_settings):
    batch = _batch(geocoder, store, shared_settings)
    assert len(batch.items) == 1
    item = batch.items[0]
    assert item.incident.admin1_iso == "AF-TAK" and item.incident.event_date == date(2022, 6, 11)
    assert item.candidates and item.candidates[0].admin1_iso == "AF-TAK"
    assert item.merge_target is None
    assert batch.evidence_spans and all(
        0 <= s < e <= len(ARTICLE) for s, e, _ in batch.evidence_spans
    )


def test_known_incident_is_offered_as_merge_target(geocoder, store, shared_settings):
    store.seed_from_file(REPO / "data" / "incidents.json")
    batch = _batch(geocoder, store, shared_settings)
    target = batch.items[0].merge_target
    assert target is not None and target.incident_id == "seed-2022-06-11-taloqan-raid"


def test_accepting_the_merge_adds_a_source(geocoder, store, shared_settings):
    store.seed_from_file(REPO / "data" / "incidents.json")
    before = store.count()
    batch = _batch(geocoder, store, shared_settings)
    save_review(store, batch, user="analyst")
    assert store.count() == before
    merged = store.get("seed-2022-06-11-taloqan-raid")
    assert len(merged.sources) == 3
    assert any(h.user == "analyst" for h in store.history("seed-2022-06-11-taloqan-raid"))


def test_keeping_apart_creates_a_new_incident(geocoder, store, shared_settings):
    store.seed_from_file(REPO / "data" / "incidents.json")
    before = store.count()
    batch = _batch(geocoder, store, shared_settings)
    batch.items[0].merge = False
    save_review(store, batch, user="analyst")
    assert store.count() == before + 1


def test_saving_the_same_article_twice_changes_nothing(geocoder, store, shared_settings):
    save_review(store, _batch(geocoder, store, shared_settings), user="a")
    revision = store.revision()
    save_review(store, _batch(geocoder, store, shared_settings), user="a")
    assert store.count() == 1 and store.revision() == revision


def test_choose_another_candidate_moves_the_province(geocoder, store, shared_settings):
    batch = _batch(geocoder, store, shared_settings)
    other = geocoder.resolve("Khwaja Ghar", admin1="Ghor").best
    moved = apply_candidate(batch.items[0].incident, other)
    assert moved.admin1_iso == "AF-GHO" and (moved.lat, moved.lon) == (other.lat, other.lon)


def test_drop_a_pin(shared_settings, geocoder, store):
    inc = _batch(geocoder, store, shared_settings).items[0].incident
    pinned = apply_pin(inc, 37.224, 67.278, shared_settings, name="Termez")
    assert (pinned.country_iso2, pinned.admin1_iso, pinned.location_name) == (
        "UZ",
        "UZ-SU",
        "Termez",
    )
    with pytest.raises(IncidentValidationError, match="not usable"):
        apply_pin(inc, 0.0, -30.0, shared_settings)


def test_edits_are_validated_all_at_once(geocoder, store, shared_settings):
    inc = _batch(geocoder, store, shared_settings).items[0].incident
    edited = apply_edits(inc, {"fatalities_best": "9", "actors": "Taliban; ISIS-K", "notes": "x"})
    assert edited.fatalities_best == 9 and edited.actors == ["Taliban", "ISIS-K"]
    with pytest.raises(IncidentValidationError) as err:
        apply_edits(inc, {"event_date": "June", "claim_status": "rumour", "fatalities_low": "-2"})
    assert len(err.value.problems) == 3


def test_undo_an_edit(store):
    store.seed_from_file(REPO / "data" / "incidents.json")
    ident = "seed-2022-03-28-zaranj-raid"
    store.update(ident, {"fatalities_best": 4, "notes": "corrected"}, user="a")
    edit = [h for h in store.history(ident) if h.action == "edit"][-1]
    restored = undo_edit(store, edit.history_id, user="b")
    assert restored.fatalities_best is None and restored.notes.startswith("Sources close")
    assert store.history(ident)[-1].user == "b"
    with pytest.raises(IncidentValidationError, match=r"cannot be undone|not an edit"):
        undo_edit(store, store.history(ident)[0].history_id, user="b")


def test_unchanged_incident_round_trips_through_edits(geocoder, store, shared_settings):
    inc = _batch(geocoder, store, shared_settings).items[0].incident
    assert apply_edits(inc, {}) == inc
    assert replace(inc) == inc
