"""Tests for geo/incidents.py: the record, JSON round trip, frame form, one validator."""

from __future__ import annotations

import json
from datetime import date

import pytest

from geo._errors import DataFileError, IncidentValidationError
from geo.incidents import (
    Evidence,
    Incident,
    Place,
    Source,
    incident_from_dict,
    incident_problems,
    incidents_to_frame,
    load_incidents,
    save_incidents,
    validate_incidents,
)


def make(ident: str = "i1", **kw) -> Incident:
    base = dict(
        incident_id=ident,
        event_date=date(2022, 5, 7),
        location_name="Khwaja Ghar",
        lat=37.066,
        lon=69.421,
        country_iso2="AF",
        admin1="Takhar",
        admin1_iso="AF-TAK",
    )
    base.update(kw)
    return Incident(**base)


def test_cross_border_needs_two_countries():
    a = Place("Khwaja Ghar", 37.066, 69.421, "AF")
    b = Place("Panj", 37.236, 69.099, "TJ")
    assert make(origin=a, target=b).cross_border
    assert not make(origin=a, target=a).cross_border
    assert not make(origin=a).cross_border


def test_json_round_trip(tmp_path):
    inc = make(
        actors=["ISIS-K"],
        claimed_by=["ISIS-K"],
        denied_by=["Tajik border guards"],
        claim_status="disputed",
        origin=Place("Khwaja Ghar", 37.066, 69.421, "AF"),
        target=Place("Panj", 37.236, 69.099, "TJ"),
        sources=[Source("s1", publisher="P", url="https://example.org/a")],
        evidence=[Evidence("claim_status", "a sentence", "s1", 3, 14)],
        fatalities_best=0,
        fatalities_low=0,
        fatalities_high=0,
    )
    save_incidents([inc], tmp_path / "x.json")
    back = load_incidents(tmp_path / "x.json")
    assert back == [inc]


def test_frame_columns_and_crs():
    gdf = incidents_to_frame(
        [make(actors=["A", "B"]), make("i2", lat=None, lon=None, geo_precision="country")]
    )
    assert gdf.crs.to_epsg() == 4326
    assert gdf.loc[0, "actors"] == "A; B"
    assert gdf.geometry.iloc[1] is None
    assert {"cross_border", "origin_lat", "sources", "evidence", "publishers"} <= set(gdf.columns)


def test_empty_frame_validates():
    validate_incidents(incidents_to_frame([]))


def test_validator_reports_every_problem_at_once():
    bad = [
        make("dup"),
        make("dup"),
        make("x", event_type="Fight"),
        make("y", claim_status="rumour"),
        make("z", fatalities_low=-1, fatalities_best=3),
        make("w", lat=95.0),
        make("v", lat=None, lon=None),
    ]
    with pytest.raises(IncidentValidationError) as err:
        validate_incidents(incidents_to_frame(bad))
    text = str(err.value)
    for needle in (
        "duplicate incident_id",
        "'Fight'",
        "'rumour'",
        "negative fatalities",
        "out of range",
        "no coordinates",
    ):
        assert needle in text
    assert len(err.value.problems) == 6


def test_figures_outside_their_range_are_kept_not_refused():
    odd = make("odd", fatalities_low=9, fatalities_best=3, fatalities_high=5)
    assert validate_incidents(incidents_to_frame([odd])) is not None
    assert incident_problems(odd) == []


def test_validator_missing_columns():
    gdf = incidents_to_frame([make()]).drop(columns=["claim_status"])
    with pytest.raises(IncidentValidationError, match="claim_status"):
        validate_incidents(gdf)


def test_validator_wrong_crs():
    gdf = incidents_to_frame([make()]).to_crs(3857)
    with pytest.raises(IncidentValidationError, match="EPSG:4326"):
        validate_incidents(gdf)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not a readable JSON"),
        (b"\xff\xfe\x00", "not a readable JSON"),
        (b'{"a": 1}', "expected a JSON list"),
    ],
)
def test_unreadable_incidents_file(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=message) as err:
        load_incidents(path)
    assert "bad.json" in str(err.value)


def test_missing_incidents_file_names_setting(tmp_path):
    with pytest.raises(DataFileError, match="GEO_INCIDENTS_FILE"):
        load_incidents(tmp_path / "none.json")


def test_bad_records_all_reported(tmp_path):
    good = make().to_dict()
    records = [good, {"incident_id": "b1"}, {**good, "incident_id": "b2", "event_date": "June"}]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(records))
    with pytest.raises(IncidentValidationError) as err:
        load_incidents(path)
    assert len(err.value.problems) == 2
    assert "b1" in str(err.value) and "b2" in str(err.value)


def test_from_dict_ignores_unknown_keys():
    data = {**make().to_dict(), "cross_border": True, "something_new": 1}
    assert incident_from_dict(data) == make()
