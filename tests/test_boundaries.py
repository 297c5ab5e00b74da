"""Tests for geo/boundaries.py: loading, vectorised assignment, batch CSV, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo._errors import DataFileError
from geo.boundaries import (
    ASSIGN_COLUMNS,
    assign,
    assign_csv,
    km_outside_province,
    load_admin0,
    load_admin1,
    province_lookup,
)
from geo.cli import main
from geo.settings import get_settings

# --------------------------------------------------------------------- tiny squares


@pytest.mark.parametrize(
    ("lon", "lat", "country", "iso", "status"),
    [
        (0.5, 1.0, "AA", "AA-W", "inside"),
        (1.5, 1.0, "AA", "AA-E", "inside"),
        (2.5, 1.0, "BB", "BB-W", "inside"),
        (3.999, 0.001, "BB", "BB-E", "inside"),  # corner: on the border of the square
        (1.995, 1.0, "AA", "AA-E", "nearest"),  # in AA by admin-0, in no province
        (4.05, 1.0, "BB", "BB-E", "nearest"),  # just outside both countries (a river)
        (5.0, 1.0, "", "", "outside"),  # ~110 km away: beyond the tolerance
    ],
)
def test_assign_cases(tiny_settings, lon, lat, country, iso, status):
    out = assign([lon], [lat], settings=tiny_settings)
    row = out.iloc[0]
    assert (row.country_iso2, row.admin1_iso, row.assign_status) == (country, iso, status)


@pytest.mark.parametrize(
    ("lon", "lat", "iso", "km"),
    [
        (0.5, 1.0, "AA-W", 0.0),  # inside its province
        (1.5, 1.0, "AA-W", 55.6),  # half a degree east of AA-W's edge at lon 1
        (2.5, 1.0, "AA-W", 166.8),  # in another country, 1.5 degrees from the edge
        (0.5, 2.5, "AA-W", 55.6),  # north of every polygon
        (0.5, 1.0, "ZZ-Q", None),  # a code of no province
        (0.5, 1.0, "", None),
    ],
)
def test_km_outside_province(tiny_settings, lon, lat, iso, km):
    got = km_outside_province([lon], [lat], [iso], tiny_settings)[0]
    if km is None:
        assert np.isnan(got)
    else:
        assert got == pytest.approx(km, abs=0.5)


def test_km_outside_province_keeps_order_and_bad_points(tiny_settings):
    got = km_outside_province([1.5, "x", 0.5], [1.0, 1.0, 1.0], ["AA-W"] * 3, tiny_settings)
    assert got[0] > 50 and np.isnan(got[1]) and got[2] == 0.0


def test_assign_nearest_reports_distance(tiny_settings):
    row = assign([4.05], [1.0], settings=tiny_settings).iloc[0]
    assert 5.0 < row.distance_km < 6.0  # 0.05 degrees of longitude at lat 1
    assert "nearest" in row.assign_reason


def test_assign_border_point_takes_country_from_admin0(tiny_settings):
    # lon 1.995 lies in AA (admin-0) but only BB-W is near-ish; the province must be AA's.
    row = assign([1.995], [1.0], settings=tiny_settings).iloc[0]
    assert row.country_iso2 == "AA" and row.admin1 == "East A"


def test_assign_outside_gives_reason(tiny_settings):
    row = assign([5.0], [1.0], settings=tiny_settings, tolerance_km=10).iloc[0]
    assert row.admin1 == "" and "10 km" in row.assign_reason


def test_assign_tolerance_argument(tiny_settings):
    row = assign([5.0], [1.0], settings=tiny_settings, tolerance_km=200).iloc[0]
    assert row.assign_status == "nearest" and row.admin1_iso == "BB-E"


@pytest.mark.parametrize("bad", [(np.nan, 1.0), (200.0, 1.0), (1.0, -91.0), ("x", "1")])
def test_assign_invalid_coordinates(tiny_settings, bad):
    row = assign([bad[0]], [bad[1]], settings=tiny_settings).iloc[0]
    assert row.assign_status == "invalid" and "invalid coordinates" in row.assign_reason


def test_assign_keeps_row_count_and_order(tiny_settings):
    rng = np.random.default_rng(1)
    lon = rng.uniform(-1, 5, 500)
    lat = rng.uniform(-1, 3, 500)
    lon[::50] = np.nan
    out = assign(lon, lat, settings=tiny_settings)
    assert len(out) == 500 and list(out.columns) == list(ASSIGN_COLUMNS)
    # each row agrees with assigning that point alone
    for i in range(0, 500, 37):
        single = assign([lon[i]], [lat[i]], settings=tiny_settings).iloc[0]
        assert single.admin1_iso == out.iloc[i].admin1_iso
        assert single.assign_status == out.iloc[i].assign_status


def test_assign_empty_input(tiny_settings):
    out = assign([], [], settings=tiny_settings)
    assert out.empty and list(out.columns) == list(ASSIGN_COLUMNS)


def test_assign_length_mismatch(tiny_settings):
    with pytest.raises(ValueError, match="differ in length"):
        assign([1.0, 2.0], [1.0], settings=tiny_settings)


def test_load_admin1_columns(tiny_settings):
    a1 = load_admin1(tiny_settings, region_only=False)
    assert {"country_iso2", "name", "name_ne", "iso_3166_2", "geometry"} <= set(a1.columns)
    assert a1.crs.to_epsg() == 4326 and len(a1) == 4


def test_province_lookup_spellings(tiny_settings, monkeypatch):
    monkeypatch.setattr("geo.boundaries.REGION_ISO2", ("AA", "BB"))
    lookup = province_lookup(tiny_settings)
    assert lookup["occident a"] == ("West A", "AA-W", "AA")
    assert lookup["bb-e"][0] == "East B"


# --------------------------------------------------------------------- bad files


def test_missing_boundary_file_names_setting(tmp_path):
    settings = get_settings({"GEO_BOUNDARIES_DIR": str(tmp_path)})
    with pytest.raises(DataFileError, match="GEO_BOUNDARIES_DIR") as err:
        load_admin0(settings)
    assert "admin0.gpkg" in str(err.value)


def test_corrupt_boundary_file(tmp_path):
    (tmp_path / "admin0.gpkg").write_bytes(b"this is not a geopackage")
    settings = get_settings({"GEO_BOUNDARIES_DIR": str(tmp_path)})
    with pytest.raises(DataFileError, match="cannot read boundary file"):
        load_admin0(settings)


def test_boundary_file_without_ne_columns(tmp_path, tiny_boundaries):
    import geopandas as gpd

    gdf = gpd.read_file(tiny_boundaries / "admin1.gpkg").drop(columns=["iso_3166_2"])
    gdf.to_file(tmp_path / "admin1.gpkg", driver="GPKG")
    (tmp_path / "admin0.gpkg").write_bytes((tiny_boundaries / "admin0.gpkg").read_bytes())
    settings = get_settings({"GEO_BOUNDARIES_DIR": str(tmp_path)})
    with pytest.raises(DataFileError, match="iso_3166_2"):
        load_admin1(settings)


def test_offline_without_boundaries_dir_names_setting(tmp_path, monkeypatch):
    """Unset GEO_BOUNDARIES_DIR and no cached download: one clear error (no network used)."""

    def refuse(*args, **kwargs):
        raise ConnectionError("network disabled in tests")

    monkeypatch.setattr("pooch.retrieve", refuse)
    settings = get_settings({"GEO_CACHE_DIR": str(tmp_path)})
    with pytest.raises(DataFileError, match="GEO_BOUNDARIES_DIR"):
        load_admin0(settings)


# --------------------------------------------------------------------- batch CSV


def test_assign_csv_keeps_rows_and_columns(tiny_settings, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,lat,lon,note\n1,1.0,0.5,a\n2,abc,1.5,b\n3,1.0,2.5,c\n4,95,1,d\n")
    report = assign_csv(src, tmp_path / "out.csv", settings=tiny_settings)
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert list(out["id"]) == ["1", "2", "3", "4"]
    assert list(out.columns[:4]) == ["id", "lat", "lon", "note"]
    assert list(out["admin1_iso"]) == ["AA-W", "", "BB-W", ""]
    assert report.rows == 4 and report.statuses == {"inside": 2, "invalid": 2}
    assert any("line 3, column 'lat'" in p and "'abc'" in p for p in report.problems)
    assert any("line 5, column 'lat'" in p for p in report.problems)


def test_assign_csv_without_lat_lon(tiny_settings, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("x,y\n1,2\n")
    with pytest.raises(DataFileError, match=r"in\.csv.*missing column\(s\) \['lat', 'lon'\]"):
        assign_csv(src, tmp_path / "out.csv", settings=tiny_settings)


def test_assign_csv_not_utf8(tiny_settings, tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"lat,lon\n1,\xff\xfe\n")
    with pytest.raises(DataFileError, match="not a readable UTF-8 CSV"):
        assign_csv(src, tmp_path / "out.csv", settings=tiny_settings)


def test_assign_csv_unwritable_output(tiny_settings, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("lat,lon\n1,1\n")
    with pytest.raises(DataFileError, match="cannot write output"):
        assign_csv(src, tmp_path / "no" / "such" / "dir" / "out.csv", settings=tiny_settings)


# --------------------------------------------------------------------- shared data (CI)

MUST_SHOW = [
    ("Taloqan", 36.736, 69.535, "AF", "Takhar", "AF-TAK"),
    ("Khwaja Ghar", 37.066, 69.421, "AF", "Takhar", "AF-TAK"),
    ("Zaranj", 30.960, 61.860, "AF", "Nimroz", "AF-NIM"),
    ("Termez", 37.224, 67.278, "UZ", "Surxondaryo", "UZ-SU"),
    ("Panj", 37.236, 69.099, "TJ", "Khatlon", "TJ-KT"),
    ("Mastung", 29.80, 66.84, "PK", "Balochistan", "PK-BA"),
    ("Mazar-e-Sharif", 36.709, 67.111, "AF", "Balkh", "AF-BAL"),
]


def test_cli_assign_batch_on_shared_boundaries(shared_settings, tmp_path, capsys):
    src = tmp_path / "places.csv"
    rows = ["name,lat,lon"] + [f"{n},{lat},{lon}" for n, lat, lon, *_ in MUST_SHOW]
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["assign", "--batch", str(src), "--out", str(tmp_path / "out.csv")]) == 0
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    got = list(zip(out["name"], out["country_iso2"], out["admin1"], out["admin1_iso"], strict=True))
    assert got == [(n, c, p, iso) for n, _, _, c, p, iso in MUST_SHOW]
    assert set(out["assign_status"]) == {"inside"}
    assert "7 inside" in capsys.readouterr().err


def test_shared_afghanistan_has_34_named_provinces(shared_settings):
    a1 = load_admin1(shared_settings)
    afg = a1[a1["country_iso2"] == "AF"]
    assert len(afg) == 34 and afg["iso_3166_2"].is_unique
    assert {"Panjshir", "Daykundi", "Nimroz", "Takhar"} <= set(afg["name"])


def test_shared_province_points_lie_on_their_province(shared_settings):
    # A province as a point is a point on its surface, not Natural Earth's lettering point
    # (Balochistan's lies 107 km from where event datasets put province-level events).
    a1 = load_admin1(shared_settings)
    for row in a1.itertuples():
        point = row.geometry.representative_point()
        assert (row.latitude, row.longitude) == pytest.approx((point.y, point.x)), row.name
        assert row.geometry.intersects(point), row.name


def test_shared_torkham_border_point_is_assigned(shared_settings):
    # Torkham sits on the Afghan-Pakistani border line (see the boundaries README).
    row = assign([71.08472], [34.11472], settings=shared_settings).iloc[0]
    assert row.assign_status in {"inside", "nearest"} and row.country_iso2 in {"AF", "PK"}
    assert row.admin1_iso.startswith(row.country_iso2)


def test_cli_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for command in ("assign", "geocode", "extract", "ingest", "import", "export"):
        assert command in text


def test_cli_reports_bad_file_cleanly(tmp_path, capsys, monkeypatch, tiny_boundaries):
    monkeypatch.setenv("GEO_BOUNDARIES_DIR", str(tiny_boundaries))
    missing = Path(tmp_path / "nope.csv")
    assert main(["assign", "--batch", str(missing), "--out", str(tmp_path / "o.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err
