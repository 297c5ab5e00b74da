"""geo._filecontext: a batch file's sure places settle ties between namesakes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from geo._filecontext import CONTEXT_KM, TIE_MARGIN, Tie, anchors, choose, tied_places
from geo.gazetteer import gazetteer_from_records
from geo.geocode import OfflineGeocoder
from geo.geocode_batch import geocode_csv, geocode_rows
from geo.settings import Settings

KP = {"country": "PK", "admin1": "Khyber Pakhtunkhwa", "admin1_iso": "PK-KP"}
VILLAGE = {"feature": "populated_place"} | KP

#: Three villages called Dargai far apart; two towns near the second, one near the third.
RECORDS = [
    {"name": "Dargai", "lat": 34.84, "lon": 71.89} | VILLAGE,
    {"name": "Dargai", "lat": 34.51, "lon": 71.90} | VILLAGE,
    {"name": "Dargai", "lat": 33.21, "lon": 70.74} | VILLAGE,
    {"name": "Batkhela", "lat": 34.62, "lon": 71.97, "feature": "admin2_seat"} | KP,
    {"name": "Thana", "lat": 34.55, "lon": 71.95, "feature": "admin2_seat"} | KP,
    {"name": "Bannu", "lat": 32.99, "lon": 70.60, "feature": "admin2_seat"} | KP,
    {"name": "Malakand", "lat": 34.55, "lon": 71.90, "feature": "district"} | KP,
]


@pytest.fixture
def geocoder() -> OfflineGeocoder:
    return OfflineGeocoder(gazetteer_from_records(RECORDS), Settings(), online=False)


def _rows(names: list[str], admin1: str = "") -> list[dict[str, str]]:
    return [{"name": n, "country": "PK", "admin1": admin1} for n in names]


def _near(row: dict[str, str], lat: float, lon: float) -> bool:
    return abs(float(row["lat"]) - lat) < 0.01 and abs(float(row["lon"]) - lon) < 0.01


@pytest.mark.parametrize(
    ("names", "admin1", "lat", "lon", "chosen"),
    [
        # towns near the second Dargai: that one
        (["Dargai", "Batkhela", "Thana"], "", 34.51, 71.90, True),
        (["Dargai town", "Batkhela", "Thana"], "", 34.51, 71.90, True),  # one-name path
        # a town near the third: that one
        (["Bannu", "Dargai village"], "", 33.21, 70.74, True),
        # nothing sure near any Dargai (a district is no point): the ranking's first
        (["Dargai", "Malakand"], "", 34.84, 71.89, False),
        (["Dargai"], "", 34.84, 71.89, False),
    ],
)
def test_sure_places_of_the_file_settle_ties(
    geocoder: OfflineGeocoder, names: list[str], admin1: str, lat: float, lon: float, chosen: bool
) -> None:
    out = list(geocode_rows(_rows(names, admin1), geocoder))
    dargai = out[[n.startswith("Dargai") for n in names].index(True)]
    assert dargai["status"] == "ambiguous"  # still not sure: the reason says why this one
    assert _near(dargai, lat, lon), dargai
    assert ("sure places of this file" in dargai["reason"]) is chosen


def test_without_file_context_each_row_is_answered_alone(geocoder: OfflineGeocoder) -> None:
    names = ["Dargai", "Batkhela", "Thana"]
    alone = list(geocode_rows(_rows(names), geocoder, file_context=False))
    assert _near(alone[0], 34.84, 71.89) and "this file" not in alone[0]["reason"]
    with_context = list(geocode_rows(_rows(names), geocoder))
    assert with_context[1:] == alone[1:]  # sure rows are never changed


def test_csv_and_its_switch(geocoder: OfflineGeocoder, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("name\nDargai\nBatkhela\nThana\n", encoding="utf-8")
    for flag, lat in ((True, "34.510000"), (False, "34.840000")):
        out = io.StringIO()
        geocode_csv(path, out, geocoder, file_context=flag)
        first = next(csv.DictReader(io.StringIO(out.getvalue())))
        assert first["lat"] == lat


@pytest.mark.parametrize(
    ("scored", "precisions", "expected"),
    [
        # within the margin and points: tied
        ([(0, 0.9, 10), (1, 0.9, 11), (2, 0.9 - TIE_MARGIN / 2, 12)], "eee", [0, 1, 2]),
        # beyond the margin: not tied
        ([(0, 0.9, 10), (1, 0.9 - TIE_MARGIN * 2, 11)], "ee", []),
        # a district among them is left out; alone, the best has no tie
        ([(0, 0.9, 10), (1, 0.9, 11), (2, 0.9, 12)], "ede", [0, 2]),
        ([(0, 0.9, 10), (1, 0.9, 11)], "ed", []),
        # a district first: no ties (a unit is not chosen by nearness)
        ([(0, 0.9, 10), (1, 0.9, 11)], "de", []),
        ([(0, 0.9, 10)], "e", []),
    ],
)
def test_tied_places(scored, precisions: str, expected: list[int]) -> None:
    kinds = {"e": "exact", "d": "district"}
    rows = {i: ("x", 0.0, 0.0, "f", "PK", "", "", "", kinds[p]) for i, p in enumerate(precisions)}
    ties = tied_places(scored, rows)  # type: ignore[arg-type]
    assert [t.place for t in ties] == expected


def test_anchors_are_distinct_sure_points() -> None:
    answers = [
        {"status": "resolved", "geo_precision": "exact", "lat": "34.5", "lon": "71.9"},
        {"status": "resolved", "geo_precision": "exact", "lat": "34.5", "lon": "71.9"},
        {"status": "resolved", "geo_precision": "district", "lat": "33.0", "lon": "70.0"},
        {"status": "ambiguous", "geo_precision": "exact", "lat": "32.0", "lon": "69.0"},
        {"status": "unresolved", "geo_precision": "", "lat": "", "lon": ""},
    ]
    assert anchors(answers).tolist() == [[34.5, 71.9]]
    assert anchors([]).shape == (0, 2)


def test_choose_counts_within_the_radius() -> None:
    lat, lon = np.array([34.0, 35.0, 36.0]), np.array([70.0, 70.0, 70.0])
    deg = CONTEXT_KM / 111.2
    sure = np.array([[35.0 + deg * 0.9, 70.0], [35.0 - deg * 0.5, 70.0], [36.0 + deg * 1.2, 70.0]])
    ties = [(Tie(0, 0, 0.9), Tie(1, 0, 0.9), Tie(2, 0, 0.9)), (Tie(1, 0, 0.9), Tie(0, 0, 0.9))]
    picks = choose(ties, lat, lon, sure)
    assert picks == [(Tie(1, 0, 0.9), 2), None]  # the best already has the most


@pytest.mark.parametrize("lat", [25.0, 35.0, 41.3, 45.5])
def test_choose_counts_neighbours_east_and_west_at_every_latitude(lat: float) -> None:
    # 28 km due east and west: a degree of longitude is 101 km at 25°N but 78 km at
    # 45.5°N (northern Uzbekistan), so a radius in plain degrees would miss them there.
    step = np.degrees(28.0 / (6371.0088 * np.cos(np.radians(lat))))
    lats, lons = np.array([lat, lat]), np.array([60.0, 65.0])
    sure = np.array([[lat, 65.0 + step], [lat, 65.0 - step], [lat, 60.0 + 2 * step]])
    picks = choose([(Tie(0, 0, 0.9), Tie(1, 0, 0.9))], lats, lons, sure)
    assert picks == [(Tie(1, 0, 0.9), 2)]
