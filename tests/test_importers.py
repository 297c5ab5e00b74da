"""Tests for geo/importers.py: ACLED and UCDP GED CSV mapping, bad rows, idempotent re-import."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest

from geo._errors import DataFileError
from geo.cli import main
from geo.importers import (
    ACLED_COLUMNS,
    UCDP_COLUMNS,
    actor_roles,
    flags_of,
    read_csv_rows,
    read_table,
)
from geo.store import open_store

# name, admin1, country, lat, lon — facts only
TOWNS = [
    ("Taloqan", "Takhar", "Afghanistan", 36.736, 69.535),
    ("Zaranj", "Nimroz", "Afghanistan", 30.960, 61.860),
    ("Mazar-e-Sharif", "Balkh", "Afghanistan", 36.709, 67.111),
    ("Termez", "Surxondaryo", "Uzbekistan", 37.224, 67.278),
    ("Mastung", "Balochistan", "Pakistan", 29.80, 66.84),
]
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike")]


def acled_rows(n: int, seed: int = 1) -> list[dict[str, str]]:
    """``n`` plausible ACLED rows near known towns."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        town, admin1, country, lat, lon = TOWNS[i % len(TOWNS)]
        etype, sub = TYPES[i % len(TYPES)]
        rows.append(
            {
                "event_id_cnty": f"AFG{i:05d}",
                "event_date": date(2023, 1 + i % 12, 1 + i % 28).isoformat(),
                "event_type": etype,
                "sub_event_type": sub,
                "actor1": "Military Forces of Afghanistan (2021-)",
                "actor2": "ISKP" if i % 3 else "",
                "country": country,
                "admin1": admin1,
                "admin2": "",
                "location": town,
                "latitude": f"{lat + rng.uniform(-0.02, 0.02):.4f}",
                "longitude": f"{lon + rng.uniform(-0.02, 0.02):.4f}",
                "geo_precision": str(1 + i % 3),
                "time_precision": str(1 + i % 3),
                "fatalities": str(i % 7),
                "source": "Local outlet; Wire service",
                "notes": f'Test row {i}, with a comma and "quotes".',
            }
        )
    return rows


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def ucdp_row(ident: str = "1001", **kw: str) -> dict[str, str]:
    row = {
        "id": ident,
        "date_start": "2019-05-01",
        "date_end": "2019-05-03",
        "where_coordinates": "Taloqan town",
        "latitude": "36.736",
        "longitude": "69.535",
        "adm_1": "Takhar province",
        "adm_2": "Taloqan district",
        "where_prec": "1",
        "date_prec": "2",
        "best": "4",
        "low": "3",
        "high": "9",
        "side_a": "Government of Afghanistan",
        "side_b": "Taleban",
        "source_article": "Some agency 2019-05-02",
        "source_headline": "Clash reported",
    }
    row.update(kw)
    return row


# --------------------------------------------------------------------------- mapping


@pytest.mark.parametrize(
    ("field", "code", "attr", "expected"),
    [
        ("geo_precision", "1", "geo_precision", "exact"),
        ("geo_precision", "2", "geo_precision", "district"),
        ("geo_precision", "3", "geo_precision", "province"),
        ("time_precision", "1", "date_precision", "day"),
        ("time_precision", "2", "date_precision", "week"),
        ("time_precision", "3", "date_precision", "month"),
    ],
)
def test_acled_precision_codes(
    tmp_path: Path, field: str, code: str, attr: str, expected: str
) -> None:
    row = acled_rows(1)[0] | {field: code}
    report = read_table(
        "acled", write_csv(tmp_path / "a.csv", ACLED_COLUMNS, [row]), provinces=False
    )
    assert getattr(report.incidents[0], attr) == expected


def test_acled_fields(tmp_path: Path) -> None:
    row = acled_rows(2)[1] | {"event_date": "18 March 2024"}
    report = read_table(
        "acled", write_csv(tmp_path / "a.csv", ACLED_COLUMNS, [row]), provinces=False
    )
    inc = report.incidents[0]
    assert inc.incident_id == "acled:AFG00001"
    assert inc.event_date == date(2024, 3, 18)
    assert inc.actors == ["Military Forces of Afghanistan (2021-)", "ISKP"]
    assert (inc.country_iso2, inc.admin1, inc.location_name) == ("AF", "Nimroz", "Zaranj")
    assert inc.fatalities_best == 1 and inc.sources[0].publisher == "Local outlet; Wire service"
    assert inc.notes == 'Test row 1, with a comma and "quotes".'


@pytest.mark.parametrize(
    ("where", "date_prec", "geo", "when"),
    [("1", "1", "exact", "day"), ("4", "4", "province", "month"), ("6", "5", "country", "year")],
)
def test_ucdp_mapping(tmp_path: Path, where: str, date_prec: str, geo: str, when: str) -> None:
    row = ucdp_row(where_prec=where, date_prec=date_prec)
    report = read_table("ucdp", write_csv(tmp_path / "u.csv", UCDP_COLUMNS, [row]), provinces=False)
    inc = report.incidents[0]
    assert (inc.geo_precision, inc.date_precision) == (geo, when)
    assert (inc.incident_id, inc.admin1, inc.admin2) == ("ucdp:1001", "Takhar", "Taloqan")
    assert (inc.fatalities_low, inc.fatalities_best, inc.fatalities_high) == (3, 4, 9)
    assert inc.actors == ["Government of Afghanistan", "Taleban"]
    assert inc.sources[0].title == "Clash reported" and "2019-05-03" in inc.notes


def test_ucdp_type_of_violence(tmp_path: Path) -> None:
    row = ucdp_row() | {"type_of_violence": "3"}
    path = write_csv(tmp_path / "u.csv", (*UCDP_COLUMNS, "type_of_violence"), [row])
    inc = read_table("ucdp", path, provinces=False).incidents[0]
    assert (inc.event_type, inc.sub_event_type) == ("Violence against civilians", "Attack")


# --------------------------------------------------------------------------- bad rows

FLAGGED_ACLED = [  # column, bad value, incident attribute, value kept, words in the flag
    ("fatalities", "twelve", "fatalities_best", None, "not a whole number"),
    ("fatalities", "-3", "fatalities_best", None, "non-negative"),
    ("geo_precision", "9", "geo_precision", "exact", "geo_precision '9'"),
    ("time_precision", "x", "date_precision", "day", "time_precision 'x'"),
    ("event_type", "Picnic", "event_type", "Strategic developments", "'Picnic'"),
    ("latitude", "", "geo_precision", "country", "placed by its province 'Balkh'"),
    ("longitude", "east", "lat", None, "not a number"),
    ("latitude", "123.0", "lon", None, "outside -90..90"),
]


@pytest.mark.parametrize(("column", "value", "attr", "kept", "words"), FLAGGED_ACLED)
def test_bad_value_kept_and_flagged(
    tmp_path: Path, column: str, value: str, attr: str, kept: object, words: str
) -> None:
    rows = acled_rows(5)
    rows[2][column] = value
    report = read_table(
        "acled", write_csv(tmp_path / "a.csv", ACLED_COLUMNS, rows), provinces=False
    )
    assert len(report.incidents) == 5 and report.skipped == 0
    inc = report.incidents[2]
    assert getattr(inc, attr) == kept
    assert len(flags_of(inc.notes)) == 1 and words in flags_of(inc.notes)[0]
    assert inc.notes.startswith("Test row 2") and not flags_of(report.incidents[1].notes)


SKIPPED_ACLED = [  # changes that leave a row impossible to date or place -> (column, reason)
    ({"event_date": "2023-02-30"}, "event_date", "cannot be dated"),
    ({"event_date": "yesterday"}, "event_date", "cannot be dated"),
    ({"latitude": "", "country": "", "admin1": ""}, "latitude", "cannot be placed"),
]


@pytest.mark.parametrize(("change", "column", "reason"), SKIPPED_ACLED)
def test_undatable_or_unplaceable_row_listed_with_line_and_reason(
    tmp_path: Path, change: dict[str, str], column: str, reason: str
) -> None:
    rows = acled_rows(5)
    rows[2].update(change)
    report = read_table(
        "acled", write_csv(tmp_path / "a.csv", ACLED_COLUMNS, rows), provinces=False
    )
    assert len(report.incidents) == 4 and report.skipped == 1
    err = report.errors[0]
    assert (err.line, err.column) == (4, column)
    assert "line 4" in str(err) and reason in str(err)


def test_year_column_dates_a_row_without_a_day(tmp_path: Path) -> None:
    row = acled_rows(1)[0] | {"event_date": "", "year": "2021"}
    path = write_csv(tmp_path / "a.csv", (*ACLED_COLUMNS, "year"), [row])
    inc = read_table("acled", path, provinces=False).incidents[0]
    assert (inc.event_date, inc.date_precision) == (date(2021, 1, 1), "year")
    assert "dated to the year 2021" in flags_of(inc.notes)[0]


def test_unplaced_row_goes_to_its_province(tmp_path: Path) -> None:
    _need_boundaries()
    row = acled_rows(1)[0] | {"latitude": "", "longitude": ""}
    inc = read_table("acled", write_csv(tmp_path / "a.csv", ACLED_COLUMNS, [row])).incidents[0]
    assert (inc.geo_precision, inc.admin1_iso, inc.country_iso2) == ("province", "AF-TAK", "AF")
    assert inc.lat == pytest.approx(36.7, abs=1.0) and inc.lon == pytest.approx(69.6, abs=1.5)


def _acled_bytes(rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    ("damage", "line", "column"),
    [
        (lambda b: b.replace(b"AFG00002,", b'AFG00002,"', 1), 4, "(row)"),  # broken quoting
        (lambda b: b.replace(b"AFG00002,", b"AFG00002,extra,", 1), 4, "(row)"),  # field count
        (lambda b: b.replace(b"Test row 2", b"Test \xff\xfe row 2", 1), 4, "notes"),  # not UTF-8
    ],
    ids=["broken-quoting", "field-count", "non-utf8"],
)
def test_damaged_line_is_skipped_rest_imported(
    tmp_path: Path, damage: object, line: int, column: str
) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(damage(_acled_bytes(acled_rows(6))))  # type: ignore[operator]
    report = read_table("acled", path, provinces=False)
    assert report.skipped == 1 and len(report.incidents) == 5
    assert (report.errors[0].line, report.errors[0].column) == (line, column)
    assert "acled:AFG00003" in {i.incident_id for i in report.incidents}


def test_multiline_quoted_field_keeps_line_numbers(tmp_path: Path) -> None:
    rows = acled_rows(4)
    rows[1]["notes"] = "first line\nsecond line"
    rows[3]["event_date"] = "bad"
    report = read_table(
        "acled", write_csv(tmp_path / "a.csv", ACLED_COLUMNS, rows), provinces=False
    )
    assert report.incidents[1].notes == "first line\nsecond line"
    assert report.errors[0].line == 6  # header 1, rows 2, 3-4, 5, 6


def test_ucdp_inconsistent_rows_kept_and_flagged(tmp_path: Path) -> None:
    rows = [
        ucdp_row("1"),
        ucdp_row("2", best="20"),
        ucdp_row("3", date_end="2019-04-01"),
        ucdp_row("4", low="x"),
        ucdp_row("5", date_start="soon"),
    ]
    report = read_table("ucdp", write_csv(tmp_path / "u.csv", UCDP_COLUMNS, rows), provinces=False)
    got = {i.incident_id: i for i in report.incidents}
    assert list(got) == ["ucdp:1", "ucdp:2", "ucdp:3", "ucdp:4"]
    assert not flags_of(got["ucdp:1"].notes)
    assert (got["ucdp:2"].fatalities_low, got["ucdp:2"].fatalities_best) == (3, 20)
    assert flags_of(got["ucdp:2"].notes) == [
        "UCDP best 20 is not between low 3 and high 9 (kept as given)"
    ]
    assert "before date_start" in flags_of(got["ucdp:3"].notes)[0]
    assert got["ucdp:4"].fatalities_low is None and "low 'x'" in flags_of(got["ucdp:4"].notes)[0]
    assert [(e.line, e.column) for e in report.errors] == [(6, "date_start")]


DEVSET = Path(__file__).resolve().parents[2] / "shared/data/devsets/ucdp_ged_pakistan_dev.csv"


def test_ucdp_dev_set_imports_every_event_and_flags_inconsistent_ones() -> None:
    """UCDP GED (CC BY 4.0; Sundberg & Melander 2013, Davies et al. 2024; ucdp.uu.se)."""
    if not DEVSET.exists():
        pytest.skip(f"{DEVSET} not present")
    with DEVSET.open(encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    report = read_table("ucdp", DEVSET, provinces=False)
    assert report.rows == len(raw) == 3035 and report.skipped == 0
    assert len(report.incidents) == 3035
    inconsistent = {
        f"ucdp:{r['id']}" for r in raw if not int(r["low"]) <= int(r["best"]) <= int(r["high"])
    }
    flagged = {i.incident_id for i in report.incidents if flags_of(i.notes)}
    assert flagged == inconsistent and len(inconsistent) > 50
    by_id = {i.incident_id: i for i in report.incidents}
    for r in raw[::101]:  # figures stored as given
        inc = by_id[f"ucdp:{r['id']}"]
        assert (inc.fatalities_low, inc.fatalities_best, inc.fatalities_high) == (
            int(r["low"]), int(r["best"]), int(r["high"]),
        )  # fmt: skip


HXL_TAGS = {c: f"#{c.replace('_', '+')}" for c in UCDP_COLUMNS}


def test_hdx_tag_row_is_not_a_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hdx.csv", UCDP_COLUMNS, [HXL_TAGS, ucdp_row("1"), ucdp_row("2")])
    report = read_table("ucdp", path, provinces=False)
    assert (report.rows, report.skipped) == (2, 0)
    assert [i.incident_id for i in report.incidents] == ["ucdp:1", "ucdp:2"]


def test_ucdp_api_json(tmp_path: Path) -> None:
    records = [
        {**ucdp_row("7"), "best": 4, "low": 3, "high": 9, "latitude": 36.736,
         "date_start": "2019-05-01T00:00:00.000", "country": "Afghanistan", "type_of_violence": 3},
        {**ucdp_row("8"), "date_start": None},
    ]  # fmt: skip
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"TotalCount": 2, "Result": records}), encoding="utf-8")
    report = read_table("ucdp", path, provinces=False)
    inc = report.incidents[0]
    assert (inc.incident_id, inc.event_date, inc.country_iso2) == ("ucdp:7", date(2019, 5, 1), "AF")
    assert (inc.fatalities_best, inc.event_type) == (4, "Violence against civilians")
    assert [(e.line, e.column) for e in report.errors] == [(2, "date_start")]


ACLED_2023 = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
ACLED_OLD = (
    "gwno", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
    "event_type", "actor1", "ally_actor_1", "inter1", "actor2", "ally_actor_2", "inter2",
    "interaction", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "gwno_loc", "geo_precision", "source", "notes", "fatalities",
)  # fmt: skip


@pytest.mark.parametrize(
    ("columns", "change", "expected_type"),
    [
        (ACLED_2023, {"assoc_actor_1": "Militia A; Militia B", "iso": "4"},
         ("Battles", "Armed clash")),
        (tuple(c.upper() for c in ACLED_OLD),
         {"ALLY_ACTOR_1": "Militia A; Militia B", "EVENT_TYPE": "Remote violence",
          "EVENT_DATE": "18/03/2015"}, ("Explosions/Remote violence", "")),
    ],
    ids=["2023+", "pre-2019"],
)  # fmt: skip
def test_acled_column_generations(
    tmp_path: Path, columns: tuple[str, ...], change: dict[str, str], expected_type: tuple[str, str]
) -> None:
    base = {k.upper() if columns[0].isupper() else k: v for k, v in acled_rows(1)[0].items()}
    row = {c: base.get(c, "") for c in columns} | change
    inc = read_table("acled", write_csv(tmp_path / "a.csv", columns, [row]), provinces=False)
    got = inc.incidents[0]
    assert (got.event_type, got.sub_event_type) == expected_type
    assert got.actors == ["Military Forces of Afghanistan (2021-)", "Militia A", "Militia B"]
    assert actor_roles(got.evidence)["assoc_actor_1"] == ["Militia A", "Militia B"]
    assert got.country_iso2 == "AF" and not flags_of(got.notes)


def test_plain_csv_with_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "When,Where,Lat,Lon,Dead,Hurt,Link\n"
        "2024-02-03,Taloqan,36.736,69.535,2,5,https://example.org/a\n"
        "2024-02-04,Nowhere,,,x,,\n",
        encoding="utf-8",
    )
    mapping = {"date": "When", "place": "Where", "latitude": "Lat", "longitude": "Lon",
               "killed": "Dead", "wounded": "Hurt", "url": "Link"}  # fmt: skip
    report = read_table("csv", path, mapping=mapping, provinces=False)
    inc = report.incidents[0]
    assert (inc.incident_id, inc.location_name, inc.fatalities_best, inc.wounded) == (
        "csv:mine:2", "Taloqan", 2, 5,
    )  # fmt: skip
    assert inc.sources[0].url == "https://example.org/a" and "no event_type" in inc.notes
    assert [(e.line, e.column) for e in report.errors] == [(3, "place")]
    assert "no geocoder" in str(report.errors[0])
    with pytest.raises(ValueError, match="date"):
        read_table("csv", path, mapping={"place": "Where"})


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "header"), (b"event_id_cnty,event_date\nX,2020-01-01\n", "missing column")],
)
def test_unusable_file_raises(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=needle):
        read_table("acled", path)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nope\.csv"):
        list(read_csv_rows(tmp_path / "nope.csv"))


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="gdelt"):
        read_table("gdelt", "x.csv")


# --------------------------------------------------------------------------- provinces + store


def _need_boundaries() -> None:
    from geo.settings import get_settings

    if get_settings().boundaries_dir is None:
        pytest.skip("GEO_BOUNDARIES_DIR is not set (CI sets it to ../shared/data/boundaries)")


@pytest.mark.parametrize(
    ("admin1", "country", "expected"),
    [("Takhar", "Afghanistan", ("AF", "Takhar", "AF-TAK")), ("", "", ("AF", "Takhar", "AF-TAK"))],
)
def test_provinces_filled_from_boundaries(
    tmp_path: Path, admin1: str, country: str, expected: tuple[str, str, str]
) -> None:
    _need_boundaries()
    row = acled_rows(1)[0] | {"admin1": admin1, "country": country}
    inc = read_table("acled", write_csv(tmp_path / "a.csv", ACLED_COLUMNS, [row])).incidents[0]
    assert (inc.country_iso2, inc.admin1, inc.admin1_iso) == expected


def test_import_export_round_trip_and_reimport(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _need_boundaries()
    rows = acled_rows(2500, seed=7)
    rows[10]["latitude"] = ""  # kept: placed at its province, flagged
    rows[20]["event_date"] = "2023-13-01"  # cannot be dated: listed with its line
    path = write_csv(tmp_path / "acled.csv", ACLED_COLUMNS, rows)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["import", "acled", str(path), "--db", db]) == 0
    out = capsys.readouterr()
    assert "new 2499" in out.out and "skipped 1" in out.out
    assert "line 22" in out.err and "line 12" not in out.err
    geojson = tmp_path / "out.geojson"
    assert main(["export", "--format", "geojson", "--out", str(geojson), "--db", db]) == 0
    back = gpd.read_file(geojson).set_index("incident_id")
    assert len(back) == 2499
    good = {f"acled:{r['event_id_cnty']}": r for i, r in enumerate(rows) if i not in (10, 20)}
    assert set(back.index) == {*good, "acled:AFG00010"}
    assert back.loc["acled:AFG00010", "geo_precision"] == "province"
    assert "Flagged: latitude" in back.loc["acled:AFG00010", "notes"]
    for ident, row in list(good.items())[::97]:
        assert back.loc[ident, "admin1"] == row["admin1"]
        assert back.loc[ident].geometry.x == pytest.approx(float(row["longitude"]))
        assert back.loc[ident].geometry.y == pytest.approx(float(row["latitude"]))
    assert (back["admin1_iso"] != "").mean() > 0.95
    assert main(["import", "acled", str(path), "--db", db]) == 0
    assert "new 0" in capsys.readouterr().out
    with open_store(db) as store:
        assert store.count() == 2499
        assert store.integrity_problems() == []


def test_plain_csv_rows_with_only_a_place_name_are_geocoded(tmp_path: Path) -> None:
    from geo.settings import get_settings

    settings = get_settings()
    if settings.gazetteer_dir is None or settings.boundaries_dir is None:
        pytest.skip("GEO_GAZETTEER_DIR / GEO_BOUNDARIES_DIR unset (CI points them at shared data)")
    from geo.geocode import get_geocoder

    path = tmp_path / "names.csv"
    path.write_text("Day,Town\n2024-02-03,Taloqan\n2024-02-04,Qqqxxzz\n", encoding="utf-8")
    report = read_table(
        "csv", path, mapping={"date": "Day", "place": "Town"}, geocoder=get_geocoder(settings)
    )
    inc = report.incidents[0]
    assert (inc.admin1_iso, inc.country_iso2) == ("AF-TAK", "AF")
    assert inc.lat == pytest.approx(36.73, abs=0.1) and "geocoded" in flags_of(inc.notes)[0]
    assert [(e.line, e.column) for e in report.errors] == [(3, "place")]
    assert "not found by the geocoder" in str(report.errors[0])
