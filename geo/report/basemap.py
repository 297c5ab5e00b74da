"""The offline basemap of a report: relief, water, labels and their credits, loaded once.

Both renderers draw it: the browser page hands it to :func:`geo.maps.build_map`
(:func:`map_layers`, everything inline), the static renderer draws the same
relief image, rivers, lakes and labels with matplotlib
(:mod:`geo.report.static`).  The files come from :func:`geo.basemap.prepare_basemap`
(cropped once into the cache); the labels from :func:`geo.basemap.label_features`
(countries, provinces, and the gazetteer's towns by population).
"""

from __future__ import annotations

import base64
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo._errors import GeoError
from geo.basemap import (
    BASEMAP_CREDITS,
    RELIEF_BOX,
    gazetteer_towns,
    label_features,
    prepare_basemap,
)
from geo.maps import BasemapLayers
from geo.settings import Settings

__all__ = ["ReportBasemap", "map_layers", "report_basemap"]


@dataclass(frozen=True, eq=False)
class ReportBasemap:
    """What the report draws under the data (see the module docstring).

    ``relief_mercator`` is a JPEG in Web Mercator rows covering ``bounds``
    (W, S, E, N) exactly; ``water`` a GeoJSON FeatureCollection (rivers as lines,
    lakes as polygons, ``properties.kind``); ``labels`` GeoJSON point features
    with ``name``, ``kind`` (country, province, town) and ``minzoom``;
    ``problem`` says why the relief and water are missing, when they are.
    """

    relief_mercator: Path | None = None
    bounds: tuple[float, float, float, float] = RELIEF_BOX
    water: dict[str, Any] | None = None
    labels: list[dict[str, Any]] = field(default_factory=list)
    credits: str = BASEMAP_CREDITS
    problem: str = ""


@functools.lru_cache(maxsize=4)
def _water(path: str, mtime_ns: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def report_basemap(
    settings: Settings,
    countries: gpd.GeoDataFrame | None,
    provinces: gpd.GeoDataFrame | None,
    towns: pd.DataFrame | None = None,
) -> ReportBasemap:
    """The basemap for a report: relief and water from the cache (prepared when missing).

    ``towns`` default: :func:`gazetteer_towns`.  When the relief cannot be prepared
    (offline without the pinned package), the labels are still drawn and
    ``problem`` says why the relief is missing; no error is raised.
    """
    towns = gazetteer_towns(settings) if towns is None else towns
    labels = label_features(countries, provinces, towns)
    try:
        files = prepare_basemap(settings)
    except GeoError as exc:
        return ReportBasemap(labels=labels, problem=str(exc))
    water = _water(str(files.water), files.water.stat().st_mtime_ns)
    return ReportBasemap(files.relief_mercator, files.bounds, water, labels, files.credits)


def map_layers(basemap: ReportBasemap) -> BasemapLayers:
    """``basemap`` for :func:`geo.maps.build_map`, all inline (the relief as a ``data:`` URI)."""
    relief = None
    if basemap.relief_mercator is not None:
        encoded = base64.b64encode(basemap.relief_mercator.read_bytes()).decode("ascii")
        kind = "png" if basemap.relief_mercator.suffix.lower() == ".png" else "jpeg"
        relief = f"data:image/{kind};base64," + encoded
    labels = {"type": "FeatureCollection", "features": basemap.labels}
    return BasemapLayers(relief, basemap.bounds, basemap.water, labels, basemap.credits)
