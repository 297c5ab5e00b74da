"""Tests for geo/settings.py: defaults, overrides, validation, documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo._errors import SettingError
from geo.settings import SETTINGS, Settings, get_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_defaults_without_environment():
    s = get_settings({})
    assert s.boundaries_dir is None and s.gazetteer_dir is None
    assert s.assign_tolerance_km == 10.0
    assert s.database_url.startswith("sqlite:///")
    assert s.incidents_file.name == "incidents.json"


@pytest.mark.parametrize(
    ("env", "attr", "value"),
    [
        ({"GEO_BOUNDARIES_DIR": "/data/b"}, "boundaries_dir", Path("/data/b")),
        ({"GEO_BOUNDARIES_DIR": ""}, "boundaries_dir", None),
        ({"GEO_ASSIGN_TOLERANCE_KM": "2.5"}, "assign_tolerance_km", 2.5),
        ({"GEO_GAZETTEER_COUNTRIES": "af, pk"}, "gazetteer_countries", ("AF", "PK")),
        ({"GEO_ONLINE_GEOCODER": "no"}, "online_geocoder", False),
        ({"GEO_DATABASE_URL": "sqlite:///x.db"}, "database_url", "sqlite:///x.db"),
    ],
)
def test_environment_overrides(env, attr, value):
    assert getattr(get_settings(env), attr) == value


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"GEO_ASSIGN_TOLERANCE_KM": "ten"}, "GEO_ASSIGN_TOLERANCE_KM"),
        ({"GEO_ASSIGN_TOLERANCE_KM": "-1"}, "GEO_ASSIGN_TOLERANCE_KM"),
        ({"GEO_GAZETTEER_COUNTRIES": "AFG"}, "GEO_GAZETTEER_COUNTRIES"),
        ({"GEO_ONLINE_GEOCODER": "maybe"}, "GEO_ONLINE_GEOCODER"),
        ({"GEO_DATABASE_URL": "mysql://x"}, "GEO_DATABASE_URL"),
        ({"GEO_GEOCODER_MIN_DELAY_S": "0.2"}, "GEO_GEOCODER_MIN_DELAY_S"),
        ({"GEO_ONLINE_GEOCODER": "1"}, "GEO_GEOCODER_USER_AGENT"),
        ({"GEO_MAX_ARTICLE_CHARS": "1.5"}, "GEO_MAX_ARTICLE_CHARS"),
    ],
)
def test_bad_values_raise_naming_the_setting(env, name):
    with pytest.raises(SettingError, match=name) as err:
        get_settings(env)
    assert isinstance(err.value, ValueError)


def test_every_setting_is_a_field_and_documented():
    fields = set(Settings.__dataclass_fields__)
    readme = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert setting.attr in fields, setting.env
        assert f"`{setting.env}`" in readme, f"{setting.env} is missing from README.md"
    assert len(SETTINGS) == len(fields)


def test_settings_file_fills_what_the_environment_leaves_unset(tmp_path):
    from geo.settings import write_settings_file

    path = tmp_path / "settings.env"
    saved = write_settings_file(
        path, {"GEO_BOUNDARIES_DIR": str(tmp_path / "b"), "GEO_ASSIGN_TOLERANCE_KM": "3"}
    )
    assert saved == {"GEO_BOUNDARIES_DIR": str((tmp_path / "b").resolve())}  # data folders only
    s = get_settings({"GEO_SETTINGS_FILE": str(path)})
    assert s.boundaries_dir == (tmp_path / "b").resolve()
    s = get_settings({"GEO_SETTINGS_FILE": str(path), "GEO_BOUNDARIES_DIR": "/else"})
    assert s.boundaries_dir == Path("/else")  # the environment wins
    assert get_settings({}).boundaries_dir is None  # an explicit env reads no default file


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("GEO_NOPE=1\n", "GEO_NOPE"),
        ("just words\n", "line 1"),
        ("GEO_ASSIGN_TOLERANCE_KM=x\n", "GEO_ASSIGN_TOLERANCE_KM"),
    ],
)
def test_bad_settings_file_names_the_line(tmp_path, content, needle):
    path = tmp_path / "settings.env"
    path.write_text("# comment\n\n" + content if needle != "line 1" else content, encoding="utf-8")
    with pytest.raises(SettingError, match=needle):
        get_settings({"GEO_SETTINGS_FILE": str(path)})
