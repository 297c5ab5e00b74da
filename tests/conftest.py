"""Shared fixtures: tiny boundary files built in code, and the shared data when present."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import geopandas as gpd
import pytest
from hypothesis import settings as hypothesis_settings
from shapely.geometry import MultiPolygon, box

from geo.settings import Settings, get_settings

# The suite never reads the user's settings file (`geo settings --write`, written by
# `make run`): only the environment counts, unless a test names a file itself.
if "GEO_SETTINGS_FILE" not in os.environ:
    os.environ["GEO_SETTINGS_FILE"] = os.path.join(
        tempfile.mkdtemp(prefix="geo-tests-"), "no-settings.env"
    )

hypothesis_settings.register_profile("default", max_examples=60)
hypothesis_settings.register_profile("reliability", max_examples=1500)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
OUTPUT = REPO / "tests" / "output"


def _multi(*boxes: tuple[float, float, float, float]) -> MultiPolygon:
    return MultiPolygon([box(*b) for b in boxes])


@pytest.fixture(scope="session")
def tiny_boundaries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two countries, two provinces each, as Natural Earth-shaped GeoPackages.

    Country AA covers lon 0..2, country BB lon 2..4 (lat 0..2).  Provinces:
    AA-W (0..1), AA-E (1..2), BB-W (2..3), BB-E (3..4).  Province AA-E stops at
    lon 1.99 so that a point at lon 1.995 is in country AA by admin-0 but in no
    province: the generalised-border case.
    """
    folder = tmp_path_factory.mktemp("boundaries")
    a0 = gpd.GeoDataFrame(
        {
            "ADM0_A3": ["AAA", "BBB"],
            "ISO_A2_EH": ["AA", "BB"],
            "ISO_A3_EH": ["AAA", "BBB"],
            "NAME_EN": ["Aland", "Bland"],
        },
        geometry=[_multi((0, 0, 2, 2)), _multi((2, 0, 4, 2))],
        crs=4326,
    )
    a1 = gpd.GeoDataFrame(
        {
            "adm1_code": ["AAA-1", "AAA-2", "BBB-1", "BBB-2"],
            "name": ["West A", "East A", "West B", "East B"],
            "name_en": ["West A", "East A", "West B", "East B"],
            "name_alt": ["Occident A", None, None, None],
            "iso_3166_2": ["AA-W", "AA-E", "BB-W", "BB-E"],
            "iso_a2": ["AA", "AA", "BB", "BB"],
            "adm0_a3": ["AAA", "AAA", "BBB", "BBB"],
        },
        geometry=[
            _multi((0, 0, 1, 2)),
            _multi((1, 0, 1.99, 2)),
            _multi((2, 0, 3, 2)),
            _multi((3, 0, 4, 2)),
        ],
        crs=4326,
    )
    a0.to_file(folder / "admin0.gpkg", driver="GPKG")
    a1.to_file(folder / "admin1.gpkg", driver="GPKG")
    return folder


@pytest.fixture()
def tiny_settings(tiny_boundaries: Path, tmp_path: Path) -> Settings:
    """Settings pointing at the tiny boundary files."""
    return get_settings(
        {"GEO_BOUNDARIES_DIR": str(tiny_boundaries), "GEO_CACHE_DIR": str(tmp_path / "cache")}
    )


@pytest.fixture(scope="session")
def shared_settings() -> Settings:
    """Settings for the real shared data; skips when it is not configured."""
    settings = get_settings()
    if settings.boundaries_dir is None or not (settings.boundaries_dir / "admin1.gpkg").is_file():
        pytest.skip("GEO_BOUNDARIES_DIR is not set to the shared boundary files (CI sets it)")
    return settings


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where tests save screenshots and other artefacts for people to look at."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT


def shared_configured() -> bool:
    """True when the shared boundary files are configured (as in CI)."""
    return bool(os.environ.get("GEO_BOUNDARIES_DIR"))
