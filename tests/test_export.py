"""Tests for geo/export.py: every column present and typed, in every format, and the
round trips export -> import (this tool's exports, ACLED, UCDP)."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from geo._errors import DataFileError
from geo.cli import main
from geo.export import (
    ACLED_EXPORT_COLUMNS,
    EXPORT_COLUMNS,
    export_frame,
    format_from_path,
    read_export,
)
from geo.importers import ACLED_COLUMNS, UCDP_COLUMNS, read_table, role_evidence
from geo.incidents import Evidence, Incident, Place, Source, incidents_to_frame
from geo.store import open_store
from tests.test_importers import acled_rows, ucdp_row, write_csv

INCIDENTS = [
    Incident("e1", date(2024, 3, 18), "Taloqan", 36.736, 69.535, country_iso2="AF",
             admin1="Takhar", admin1_iso="AF-TAK", admin2="Taloqan", fatalities_best=3,
             fatalities_low=2, fatalities_high=5, wounded=7, sub_event_type="Armed clash",
             actors=["Unit A", "Group B", "Militia C"],
             evidence=role_evidence({"actor1": ["Unit A"], "actor2": ["Group B"],
                                     "assoc_actor_2": ["Militia C"]}, "s1"),
             sources=[Source("s1", "Daily Wire", "https://example.org/a", "2024-03-19"),
                      Source("s2", "Radio Two", "https://example.org/b?x=1&y=2")]),
    Incident("e2", date(2024, 4, 2), "Termez", 37.224, 67.278, country_iso2="UZ",
             admin1="Surxondaryo", admin1_iso="UZ-SU", event_type="Explosions/Remote violence",
             claim_status="claimed", claimed_by=["Group B"], confidence=0.8, captured=1,
             origin=Place("Hairatan", 37.2, 67.4, "AF", "Balkh", "AF-BAL"),
             target=Place("Termez", 37.22, 67.28, "UZ"),
             evidence=[Evidence("event_type", "A shell landed.", "s3", 0, 15)],
             sources=[Source("s3", "Wire", "", title="Shelling")]),
    Incident("e3", date(2024, 5, 1), "Afghanistan", None, None, geo_precision="country",
             country_iso2="AF", date_precision="month",
             notes="country only; «ünïcode»\nFlagged: UCDP best 9 is not between low 1 and high 3"),
]  # fmt: skip
HEADERS = [c.header for c in EXPORT_COLUMNS]
KEYS = [c.key for c in EXPORT_COLUMNS]
OGR_TYPES = {  # GeoJSON readers see ISO dates as dates
    "int": ("int32", "int64"), "float": ("float64",), "date": ("object", "datetime64[D]"),
    "text": ("object",), "bool": ("bool",),
}  # fmt: skip


def _frame() -> gpd.GeoDataFrame:
    return incidents_to_frame(INCIDENTS)


def test_csv_every_column_present_and_typed(tmp_path: Path) -> None:
    path = export_frame(_frame(), tmp_path / "out.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == HEADERS
    cells = {h: [r[i] for r in rows[1:]] for i, h in enumerate(HEADERS)}
    for col in EXPORT_COLUMNS:
        values = [v for v in cells[col.header] if v]
        assert "None" not in cells[col.header] and "nan" not in cells[col.header], col.header
        if col.kind == "int":
            assert all(re.fullmatch(r"\d+", v) for v in values), (col.header, values)
        elif col.kind == "float":
            assert all(float(v) == float(v) for v in values), col.header
        elif col.kind == "date":
            assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in values)
    assert cells["Killed (best)"] == ["3", "", ""] and cells["Wounded"] == ["7", "", ""]
    assert cells["Latitude"][2] == "" and float(cells["Latitude"][0]) == pytest.approx(36.736)
    assert cells["Actor 1"] == ["Unit A", "", ""] and cells["Associated actors 2"][0] == "Militia C"
    assert cells["Source publishers"][0] == "Daily Wire; Radio Two"
    assert cells["Source URLs"][0] == "https://example.org/a; https://example.org/b?x=1&y=2"
    assert cells["Sub-event type"][0] == "Armed clash" and cells["Incident ID"][1] == "e2"
    assert cells["Flags"] == ["", "", "UCDP best 9 is not between low 1 and high 3"]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_gis_every_column_present_and_typed(tmp_path: Path, fmt: str) -> None:
    path = export_frame(_frame(), tmp_path / f"out.{fmt}")
    info = pyogrio.read_info(path)
    assert list(info["fields"]) == KEYS
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    for col in EXPORT_COLUMNS:
        assert types[col.key] in OGR_TYPES[col.kind], (col.key, types[col.key])
    back = gpd.read_file(path).set_index("incident_id")
    assert back.crs.to_epsg() == 4326
    assert back.loc["e2"].geometry.x == pytest.approx(67.278)
    assert back.loc["e3"].geometry is None
    if fmt == "geojson":
        props = json.loads(path.read_text(encoding="utf-8"))["features"][0]["properties"]
        assert props["fatalities_best"] == 3 and props["event_date"] == "2024-03-18"
        assert (
            json.loads(path.read_text(encoding="utf-8"))["features"][1]["properties"][
                "fatalities_best"
            ]
            is None
        )


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_round_trip_gives_the_same_incidents(tmp_path: Path, fmt: str) -> None:
    path = export_frame(_frame(), tmp_path / f"out.{fmt}")
    report = read_export(path)
    assert report.errors == []
    assert report.incidents == INCIDENTS


def test_acled_export_uses_acled_columns(tmp_path: Path) -> None:
    path = export_frame(_frame(), tmp_path / "acled.csv", "acled")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert tuple(table.columns) == ACLED_EXPORT_COLUMNS
    first = table.iloc[0]
    assert (first["event_id_cnty"], first["event_date"], first["year"]) == (
        "e1",
        "2024-03-18",
        "2024",
    )
    assert (first["iso"], first["country"], first["fatalities"]) == ("4", "Afghanistan", "3")
    assert (first["actor1"], first["actor2"], first["assoc_actor_2"]) == (
        "Unit A",
        "Group B",
        "Militia C",
    )
    assert (first["geo_precision"], first["time_precision"]) == ("1", "1")
    assert first["disorder_type"] == "Political violence"
    assert table.iloc[2]["latitude"] == "" and table.iloc[2]["time_precision"] == "3"


def _without_province_codes(incidents: list[Incident]) -> list[Incident]:
    return [replace(i, admin1_iso="") for i in incidents]


def test_acled_round_trip(tmp_path: Path) -> None:
    rows = acled_rows(40, seed=3)
    rows[5] |= {"fatalities": "many"}  # flagged on the way in, flag kept on the way back
    rows[6] |= {"actor2": "", "event_type": "Remote violence", "sub_event_type": ""}
    columns = (*ACLED_COLUMNS, "assoc_actor_1")
    rows[7]["assoc_actor_1"] = "Militia X; Militia Y"
    first = read_table("acled", write_csv(tmp_path / "in.csv", columns, rows), provinces=False)
    frame = incidents_to_frame(first.incidents)
    out = export_frame(frame, tmp_path / "out.csv", "acled")
    second = read_table("acled", out, provinces=False)
    assert second.errors == [] and first.errors == []
    assert second.incidents == first.incidents
    assert "fatalities 'many'" in second.incidents[5].notes


def test_ucdp_round_trip_through_the_store(tmp_path: Path) -> None:
    rows = [ucdp_row("1"), ucdp_row("2", best="20"), ucdp_row("3", latitude="", where_prec="")]
    first = read_table("ucdp", write_csv(tmp_path / "u.csv", UCDP_COLUMNS, rows), provinces=False)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    with open_store(db) as store:
        store.upsert_incidents(first.incidents, mode="replace")
        frame = store.query()
    for fmt in ("csv", "gpkg"):
        back = read_export(export_frame(frame, tmp_path / f"out.{fmt}"))
        assert sorted(back.incidents, key=lambda i: i.incident_id) == first.incidents


def test_export_replaces_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "out.gpkg"
    export_frame(_frame(), path)
    export_frame(incidents_to_frame(INCIDENTS[:1]), path)
    assert len(gpd.read_file(path)) == 1


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.csv", "csv"), ("a.GeoJSON", "geojson"), ("a.json", "geojson"), ("a.gpkg", "gpkg")],
)
def test_format_from_path(name: str, fmt: str) -> None:
    assert format_from_path(name) == fmt


@pytest.mark.parametrize(("name", "fmt"), [("a.shp", None), ("a.csv", "xlsx")])
def test_unknown_format_raises(tmp_path: Path, name: str, fmt: str | None) -> None:
    with pytest.raises(DataFileError, match=name.split(".")[1] if fmt is None else fmt):
        export_frame(_frame(), tmp_path / name, fmt)


def test_read_export_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not an export"):
        read_export(path)


def test_cli_export_applies_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    with open_store(db) as store:
        store.upsert_incidents(INCIDENTS)
    out = tmp_path / "af.csv"
    argv = ["export", "--out", str(out), "--db", db, "--country", "af", "--from", "2024-04-01"]
    assert main(argv) == 0
    assert list(pd.read_csv(out)["Incident ID"]) == ["e3"]
    assert main(["export", "--out", str(tmp_path / "x.geojson"), "--db", db, "--cross-border"]) == 0
    assert list(gpd.read_file(tmp_path / "x.geojson")["incident_id"]) == ["e2"]
    assert main(["export", "--out", str(tmp_path / "a.csv"), "--db", db, "--format", "acled"]) == 0
    assert list(pd.read_csv(tmp_path / "a.csv").columns) == list(ACLED_EXPORT_COLUMNS)
    assert main(["export", "--out", str(tmp_path / "y.csv"), "--db", db, "--from", "soon"]) == 2
    assert "soon" in capsys.readouterr().err


def test_empty_export(tmp_path: Path) -> None:
    path = export_frame(incidents_to_frame([]), tmp_path / "none.geojson")
    assert len(gpd.read_file(path)) == 0
    assert (
        pd.read_csv(export_frame(incidents_to_frame([]), tmp_path / "none.csv")).columns.tolist()
        == HEADERS
    )
