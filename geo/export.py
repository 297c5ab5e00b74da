"""Write incident frames to CSV, GeoJSON or GeoPackage.

The frame is the one :func:`geo.incidents.incidents_to_frame` and
:meth:`geo.store.Store.query` return.  CSV keeps ``lat``/``lon`` columns and
drops the geometry; GeoJSON and GeoPackage keep the points (EPSG:4326) and write
dates as ``YYYY-MM-DD`` text so every reader sees the same value.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo._errors import DataFileError

__all__ = ["EXPORT_FORMATS", "export_frame", "format_from_path"]

#: format name -> (file suffix, OGR driver or "" for plain CSV)
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "csv": (".csv", ""),
    "geojson": (".geojson", "GeoJSON"),
    "gpkg": (".gpkg", "GPKG"),
}


def format_from_path(path: str | Path) -> str:
    """Export format implied by a file name's suffix (``.json`` counts as GeoJSON)."""
    suffix = Path(path).suffix.lower()
    for name, (ext, _) in EXPORT_FORMATS.items():
        if suffix == ext or (name == "geojson" and suffix == ".json"):
            return name
    raise DataFileError(path, f"cannot tell the export format from {suffix!r}", "Pass --format")


#: Counts that pandas holds as floats when some are missing; written as integers.
_COUNT_COLUMNS = (
    "fatalities_best", "fatalities_low", "fatalities_high", "wounded", "captured", "source_count",
)  # fmt: skip


def _plain(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame.copy()
    for column in _COUNT_COLUMNS:
        if column in out and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype("Int64")
    if "event_date" in out and len(out):
        out["event_date"] = pd.to_datetime(out["event_date"]).dt.strftime("%Y-%m-%d")
    return out


def export_frame(frame: gpd.GeoDataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write incidents to ``path`` as CSV, GeoJSON or GeoPackage (layer ``incidents``).

    Parameters
    ----------
    frame : GeoDataFrame
        Incidents in EPSG:4326 (as returned by ``Store.query``).
    path : str or Path
        Output file; replaced if it exists.
    fmt : {"csv", "geojson", "gpkg"}, optional
        Default: from the suffix of ``path``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    DataFileError
        Unknown format, or the file cannot be written.
    """
    path = Path(path)
    fmt = (fmt or format_from_path(path)).lower()
    if fmt not in EXPORT_FORMATS:
        raise DataFileError(
            path, f"unknown export format {fmt!r}; expected {sorted(EXPORT_FORMATS)}"
        )
    driver = EXPORT_FORMATS[fmt][1]
    plain = _plain(frame)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        if not driver:
            pd.DataFrame(plain.drop(columns="geometry", errors="ignore")).to_csv(path, index=False)
        elif fmt == "gpkg":
            plain.to_file(path, driver=driver, layer="incidents", engine="pyogrio")
        else:
            plain.to_file(path, driver=driver, engine="pyogrio")
    except (OSError, ValueError, RuntimeError) as exc:
        raise DataFileError(path, f"cannot write {fmt} ({exc})") from None
    return path
