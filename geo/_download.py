"""Downloads of third-party data from their publishers, cached and checksummed.

This module and :mod:`geo.gazetteer`'s GeoNames fetch are the only places that
touch the network.  Every file is fetched once into ``GEO_CACHE_DIR`` with
pooch.  Where the publisher does not publish a checksum the first download's
SHA-256 is recorded beside the file and every later use verifies it, so a file
that changes under the cache is noticed rather than silently used.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from geo._errors import DataFileError
from geo.settings import Settings

__all__ = ["NATURAL_EARTH", "fetch", "natural_earth_paths", "sha256_of"]

#: Natural Earth 1:10m cultural vectors, as zipped shapefiles.
NATURAL_EARTH = {
    "admin0": "https://naciscdn.org/naturalearth/10m/cultural/ne_10m_admin_0_countries.zip",
    "admin1": "https://naciscdn.org/naturalearth/10m/cultural/ne_10m_admin_1_states_provinces.zip",
}


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verify_pinned(path: Path) -> None:
    pin = path.with_name(path.name + ".sha256")
    actual = sha256_of(path)
    if not pin.exists():
        pin.write_text(actual + "\n")
        return
    expected = pin.read_text().strip()
    if expected != actual:
        raise DataFileError(
            path,
            f"checksum changed (recorded {expected[:12]}…, now {actual[:12]}…)",
            "Delete the file and its .sha256 to download it again",
        )


def fetch(url: str, folder: Path, setting: str) -> Path:
    """Download ``url`` into ``folder`` once, verify it, and return its path.

    Raises
    ------
    DataFileError
        When the file is not cached and cannot be downloaded (offline), naming
        ``setting`` as the way to use a local copy instead.
    """
    import pooch  # imported here: only needed on the download path

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / url.rsplit("/", 1)[-1]
    if not target.exists():
        try:
            pooch.retrieve(url, known_hash=None, fname=target.name, path=folder, progressbar=False)
        except Exception as exc:  # network errors come in many types
            raise DataFileError(
                url,
                f"could not download ({type(exc).__name__}: {exc})",
                f"Offline? Set {setting} to a folder with local copies",
            ) from None
    _verify_pinned(target)
    return target


def natural_earth_paths(settings: Settings) -> tuple[Path, Path]:
    """Cached Natural Earth admin-0 and admin-1 zips, downloading them if needed."""
    folder = settings.cache_dir / "natural_earth"
    return (
        fetch(NATURAL_EARTH["admin0"], folder, "GEO_BOUNDARIES_DIR"),
        fetch(NATURAL_EARTH["admin1"], folder, "GEO_BOUNDARIES_DIR"),
    )
