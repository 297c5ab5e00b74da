"""Tests for geo/export.py: CSV, GeoJSON and GeoPackage files that read back the same."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo._errors import DataFileError
from geo.cli import main
from geo.export import export_frame, format_from_path
from geo.incidents import Incident, Place, incidents_to_frame
from geo.store import open_store

INCIDENTS = [
    Incident("e1", date(2024, 3, 18), "Taloqan", 36.736, 69.535, country_iso2="AF",
             admin1="Takhar", admin1_iso="AF-TAK", fatalities_best=3, actors=["A", "B"]),
    Incident("e2", date(2024, 4, 2), "Termez", 37.224, 67.278, country_iso2="UZ",
             admin1="Surxondaryo", admin1_iso="UZ-SU", event_type="Explosions/Remote violence",
             origin=Place("Hairatan", 37.2, 67.4, "AF"),
             target=Place("Termez", 37.22, 67.28, "UZ")),
    Incident("e3", date(2024, 5, 1), "Afghanistan", None, None, geo_precision="country",
             country_iso2="AF", notes="country only; «ünïcode»"),
]  # fmt: skip


def _read(path: Path, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    return gpd.read_file(path)


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_export_reads_back(tmp_path: Path, fmt: str) -> None:
    path = export_frame(incidents_to_frame(INCIDENTS), tmp_path / f"out.{fmt}")
    back = _read(path, fmt).set_index("incident_id")
    assert list(back.index) == ["e1", "e2", "e3"]
    assert list(back["admin1_iso"].fillna("")) == ["AF-TAK", "UZ-SU", ""]
    assert back.loc["e1", "lat"] == pytest.approx(36.736)
    assert str(back.loc["e1", "event_date"])[:10] == "2024-03-18"
    assert int(back.loc["e1", "fatalities_best"]) == 3
    assert back.loc["e3", "notes"] == "country only; «ünïcode»"
    assert bool(back.loc["e2", "cross_border"]) is True
    if fmt != "csv":
        assert back.crs.to_epsg() == 4326
        assert back.loc["e2"].geometry.x == pytest.approx(67.278)
        assert back.loc["e3"].geometry is None


def test_export_replaces_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "out.gpkg"
    export_frame(incidents_to_frame(INCIDENTS), path)
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
        export_frame(incidents_to_frame(INCIDENTS), tmp_path / name, fmt)


def test_cli_export_applies_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    with open_store(db) as store:
        store.upsert_incidents(INCIDENTS)
    out = tmp_path / "af.csv"
    argv = ["export", "--out", str(out), "--db", db, "--country", "af", "--from", "2024-04-01"]
    assert main(argv) == 0
    assert list(pd.read_csv(out)["incident_id"]) == ["e3"]
    assert main(["export", "--out", str(tmp_path / "x.geojson"), "--db", db, "--cross-border"]) == 0
    assert list(gpd.read_file(tmp_path / "x.geojson")["incident_id"]) == ["e2"]
    assert main(["export", "--out", str(tmp_path / "y.csv"), "--db", db, "--from", "soon"]) == 2
    assert "soon" in capsys.readouterr().err


def test_empty_export(tmp_path: Path) -> None:
    path = export_frame(incidents_to_frame([]), tmp_path / "none.geojson")
    assert len(gpd.read_file(path)) == 0
