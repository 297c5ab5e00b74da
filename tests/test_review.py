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


# --------------------------------------------------------------------------- manual entry

# Written for the tests: an article whose date and place extraction cannot settle.
NO_PLACE = "Fighters attacked a checkpoint overnight; officials gave no further details."
MANUAL = {
    "event_date": "2024-05-02",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Unit A",
    "assoc_actor_1": "Militia B; Militia C",
    "actor2": "Group D",
    "fatalities_best": "4",
    "wounded": "9",
    "claim_status": "claimed",
}


def _meta() -> dict[str, str]:
    return {"source_id": "src-manual", "publisher": "Test Wire", "url": "https://example.org/m",
            "title": "Checkpoint attack", "file": "", "published": "2024-05-03"}  # fmt: skip


def test_manual_incident_from_a_candidate(geocoder, shared_settings):
    from geo.importers import actor_roles
    from geo.review import manual_incident, place_candidates

    found = place_candidates(geocoder, "Taloqan")
    assert found and found[0].admin1_iso == "AF-TAK"
    inc = manual_incident(_meta(), MANUAL, candidate=found[0])
    assert (inc.event_date, inc.location_name, inc.admin1_iso) == (
        date(2024, 5, 2), found[0].name, "AF-TAK",
    )  # fmt: skip
    assert (inc.fatalities_best, inc.wounded, inc.claim_status) == (4, 9, "claimed")
    assert inc.actors == ["Unit A", "Group D", "Militia B", "Militia C"]
    roles = actor_roles(inc.evidence)
    assert roles["actor1"] == ["Unit A"] and roles["assoc_actor_1"] == ["Militia B", "Militia C"]
    assert inc.sources[0].url == "https://example.org/m" and inc.incident_id.startswith("manual:")


def test_manual_incident_from_a_pin_is_saved_with_an_article_that_gave_none(tiny_settings, store):
    from geo.review import ReviewBatch, ReviewItem, manual_incident

    inc = manual_incident(_meta(), MANUAL | {"location_name": ""}, pin=(0.5, 0.5),
                          settings=tiny_settings)  # fmt: skip
    assert (inc.lat, inc.lon, inc.geo_precision, inc.admin1_iso) == (0.5, 0.5, "exact", "AA-W")
    assert inc.location_name == "0.5000, 0.5000"
    batch = ReviewBatch(NO_PLACE, _meta(), [ReviewItem(inc)], [], [])
    summary = save_review(store, batch, user="ana")
    assert summary.new == 1 and store.get(inc.incident_id).wounded == 9
    again = manual_incident(_meta(), MANUAL, pin=(0.5, 1.5), settings=tiny_settings)
    summary = save_review(store, ReviewBatch(NO_PLACE, _meta(), [ReviewItem(again)], [], []),
                          user="ana")  # fmt: skip
    assert summary.new == 1 and store.count() == 2  # article stored already: hand-made kept


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"event_date": ""}, "event_date"),
        ({"fatalities_best": "many"}, "fatalities_best"),
        ({"wounded": "-2"}, "wounded"),
        ({"event_type": "Picnic"}, "event_type"),
    ],
)
def test_manual_incident_problems_are_listed(tiny_settings, change, words):
    from geo.review import manual_incident

    with pytest.raises(IncidentValidationError, match=words):
        manual_incident(_meta(), MANUAL | change, pin=(0.5, 0.5), settings=tiny_settings)


def test_manual_incident_needs_a_place():
    from geo.review import manual_incident

    with pytest.raises(IncidentValidationError, match="no place"):
        manual_incident(_meta(), MANUAL)


def test_undo_is_recorded_as_undo_of_edit_n_and_can_be_redone(store):
    from geo.review import redo_edit, undo_redo_state

    store.seed_from_file(REPO / "data" / "incidents.json")
    ident = "seed-2022-03-28-zaranj-raid"
    store.update(ident, {"fatalities_best": 4}, user="a")
    edit, redo = undo_redo_state(store.history(ident))
    assert edit.action == "edit" and edit.changes == {"fatalities_best": [None, 4]}
    assert redo is None
    undo_edit(store, edit.history_id, user="b")
    undo = store.history(ident)[-1]
    assert (undo.action, undo.reverts) == ("undo", edit.history_id)
    assert undo.changes == {"fatalities_best": [4, None]}
    assert undo_redo_state(store.history(ident)) == (None, undo)  # the undo is not undoable
    redo_edit(store, undo.history_id, user="c")
    redone = store.history(ident)[-1]
    assert (redone.action, redone.reverts) == ("redo", undo.history_id)
    assert store.get(ident).fatalities_best == 4
    assert undo_redo_state(store.history(ident)) == (redone, None)
    undo_edit(store, redone.history_id, user="c")  # a redo can be undone again
    assert store.get(ident).fatalities_best is None
    store.update(ident, {"notes": "new"}, user="d")  # a new edit: nothing to redo
    assert undo_redo_state(store.history(ident))[1] is None
    with pytest.raises(IncidentValidationError, match="undo"):
        redo_edit(store, edit.history_id, user="c")


ROLE_EDITS = [  # table values -> (actors, actor 1, associated actors 2)
    ({"actor1": "Unit A", "actor2": "Group D"}, ["Unit A", "Group D", "Someone"], ["Unit A"], []),
    ({"actor1": "Unit A", "assoc_actor_2": "Militia X; Militia Y"},
     ["Unit A", "Militia X", "Militia Y", "Someone"], ["Unit A"], ["Militia X", "Militia Y"]),
    ({"actor1": "", "actor2": ""}, ["Someone"], [], []),
]  # fmt: skip


@pytest.mark.parametrize(("row", "actors", "actor1", "assoc2"), ROLE_EDITS)
def test_roles_set_on_an_extracted_incident(row, actors, actor1, assoc2):
    from geo.importers import actor_roles
    from geo.incidents import Incident, Source
    from geo.review import role_values

    inc = Incident("x", date(2024, 1, 2), "Taloqan", 36.7, 69.5, actors=["Someone"],
                   sources=[Source("s1", "Wire")])  # fmt: skip
    edited = apply_edits(inc, {"actors": "Someone", **row})
    roles = actor_roles(edited.evidence)
    assert (edited.actors, roles["actor1"], roles["assoc_actor_2"]) == (actors, actor1, assoc2)
    assert all(e.source_id == "s1" for e in edited.evidence)
    assert (
        apply_edits(edited, {**role_values(edited), "actors": "; ".join(edited.actors)}) == edited
    )
