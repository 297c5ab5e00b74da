"""The embedded dataset in data/: valid, placed where it says, and faithful to the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.boundaries import assign
from geo.incidents import incidents_to_frame, load_incidents

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
INCIDENTS = load_incidents(REPO / "data" / "incidents.json")


def test_embedded_incidents_validate():
    assert len(INCIDENTS) >= 10
    incidents_to_frame(INCIDENTS)  # load_incidents already validated; the frame builds


def test_every_incident_has_sources_evidence_and_notes():
    for inc in INCIDENTS:
        assert inc.sources and inc.evidence and inc.notes, inc.incident_id


def test_provinces_agree_with_point_in_polygon(shared_settings):
    points = [i for i in INCIDENTS if i.lat is not None]
    out = assign([i.lon for i in points], [i.lat for i in points], settings=shared_settings)
    for inc, iso in zip(points, out["admin1_iso"], strict=True):
        assert inc.admin1_iso == iso, inc.incident_id


def test_cross_border_ends_are_in_their_countries(shared_settings):
    for inc in (i for i in INCIDENTS if i.cross_border):
        ends = [inc.origin, inc.target]
        out = assign([p.lon for p in ends], [p.lat for p in ends], settings=shared_settings)
        assert list(out["country_iso2"]) == [p.country_iso2 for p in ends], inc.incident_id


def test_evidence_spans_point_into_the_seed_articles():
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repo")
    for inc in INCIDENTS:
        for ev in inc.evidence:
            text = (SEEDS / (ev.source_id.removeprefix("seed:") + ".txt")).read_text()
            sentence = text[ev.start : ev.end]
            assert 20 < len(sentence) < 700 and ev.start < ev.end, (inc.incident_id, ev.field)


@pytest.mark.parametrize(
    ("ident", "province", "claim"),
    [
        ("seed-2022-06-11-taloqan-raid", "AF-TAK", "claimed"),
        ("seed-2022-05-07-khwaja-ghar-tajikistan", "AF-TAK", "disputed"),
        ("seed-2022-04-18-termez", "UZ-SU", "disputed"),
        ("seed-2022-03-28-nahr-e-shahi-raid", "AF-BAL", "unconfirmed"),
        ("seed-2022-03-28-zaranj-raid", "AF-NIM", "unconfirmed"),
        ("seed-2018-07-mastung-bombing", "PK-BA", "reported"),
    ],
)
def test_key_seed_incidents(ident, province, claim):
    inc = {i.incident_id: i for i in INCIDENTS}[ident]
    assert (inc.admin1_iso, inc.claim_status) == (province, claim)
