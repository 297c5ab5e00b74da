"""Scoring primitives shared by the one-name and the batch geocoder.

The weights, floors and margins of the ranking; the per-gazetteer tables that do
not depend on the query (:func:`_spellings`, :func:`_static_scores`); place rows
as plain tuples (:class:`_PlaceRows`); and the wording of reasons.  Both
:mod:`geo.geocode` (one name at a time, with context) and :mod:`geo._batchrank`
(many names at once, vectorised) score with these, so their answers agree.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Final, NamedTuple

import numpy as np
from rapidfuzz import fuzz

from geo.gazetteer import FEATURE_PRIOR, Gazetteer

#: Below this spelling similarity (0–1) a gazetteer name is not considered a match.
MIN_NAME_SCORE = 0.82
#: Two answers this close in score and farther apart than AMBIGUOUS_KM are ambiguous.
AMBIGUITY_MARGIN = 0.025
AMBIGUOUS_KM = 25.0
SUPPORT_BONUS = 0.015
_MAX_CANDIDATES = 8
_KM_PER_DEG_LAT = 111.0  # a little under the true 111.2, so the pre-test never rejects

_W_NAME, _W_FEATURE, _W_POP, _W_CONTEXT = 0.55, 0.15, 0.05, 0.25

#: Columns the batch mode appends to every input row.
BATCH_COLUMNS = (
    "lat",
    "lon",
    "matched_name",
    "feature",
    "country_iso2",
    "admin1",
    "admin1_iso",
    "admin2",
    "geo_precision",
    "score",
    "status",
    "reason",
)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def haversine_km_np(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """:func:`haversine_km` elementwise over arrays (or an array and a point), the same
    operations in the same order."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.subtract(lon2, lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.minimum(1.0, np.sqrt(h)))


#: Fields of a place row (:class:`_PlaceRows`), in :class:`Candidate` order without
#: ``matched_name`` and ``score``.
_NAME: Final = 0
_LAT: Final = 1
_LON: Final = 2
_FEATURE: Final = 3
_COUNTRY: Final = 4
_ADMIN1: Final = 5
_ADMIN1_ISO: Final = 6
_ADMIN2: Final = 7
_PRECISION: Final = 8
_PlaceRow = tuple[str, float, float, str, str, str, str, str, str, int, str]
_Scored = tuple[int, float, int]


class _PlaceRows(dict[int, _PlaceRow]):
    """Place ``i`` of a gazetteer as a plain tuple (:data:`_PlaceRow`), made on first
    use and kept (a dict, so a known row costs one C-level lookup): reading ten
    columns of numpy arrays and string tables costs more than the rest of an answer."""

    def __init__(self, gaz: Gazetteer) -> None:
        super().__init__()
        self._gaz = gaz
        # the short columns as Python lists (strings shared with the categories)
        self._columns = tuple(
            [codes.categories[c] for c in codes.codes.tolist()]
            for codes in (
                gaz.feature,
                gaz.country,
                gaz.admin1,
                gaz.admin1_iso,
                gaz.admin2,
                gaz.geo_precision,
            )
        )

    def __missing__(self, i: int) -> _PlaceRow:
        g = self._gaz
        feature, country, admin1, admin1_iso, admin2, precision = self._columns
        row = self[i] = (
            g.name[i],
            float(g.lat[i]),
            float(g.lon[i]),
            feature[i],
            country[i],
            admin1[i],
            admin1_iso[i],
            admin2[i],
            precision[i],
            int(g.population[i]),
            g.source_id[i],
        )
        return row


def _no_letters(name: str) -> str:
    return f"{name!r} holds no letters to look up"


def _no_match(name: str) -> str:
    return f"no gazetteer name is close enough to {name!r} (spelling score < {MIN_NAME_SCORE})"


def _name_score(query_norm: str, variant_norm: str, same_key: bool) -> float:
    if query_norm == variant_norm:
        return 1.0
    ratio = fuzz.ratio(query_norm, variant_norm) / 100.0
    compact = fuzz.ratio(query_norm.replace(" ", ""), variant_norm.replace(" ", "")) / 100.0
    base = max(ratio, compact)
    # Spellings that share the phonetic key differ only by transliteration noise.
    return 0.85 + 0.15 * base if same_key else base * 0.95


@lru_cache(maxsize=8)
def _static_scores(gaz: Gazetteer) -> np.ndarray:
    """Per place, the part of the score that does not depend on the query:
    kind of place and population (vectorised once per gazetteer)."""
    prior = np.array([FEATURE_PRIOR.get(f, 0.3) for f in gaz.feature.categories])
    pop = np.minimum(1.0, np.log10(1.0 + gaz.population.astype(np.float64)) / 6.0)
    return _W_FEATURE * prior[gaz.feature.codes] + _W_POP * pop


class _Spellings(NamedTuple):
    """Per gazetteer: each variant's spelling as an id into ``norms`` (and the spelling
    without spaces), and each variant's query-independent score."""

    norm_id: np.ndarray
    norms: list[str]
    compact: list[str]
    var_static: np.ndarray


@lru_cache(maxsize=8)
def _spellings(gaz: Gazetteer) -> _Spellings:
    ids: dict[str, int] = {}
    norm_id = np.fromiter(
        (ids.setdefault(n, len(ids)) for n in gaz.var_norm), dtype=np.int32, count=len(gaz.var_norm)
    )
    norms = list(ids)
    compact = [n.replace(" ", "") for n in norms]
    return _Spellings(norm_id, norms, compact, _static_scores(gaz)[gaz.var_place])


def _describe(r: _PlaceRow) -> str:
    return _describe_fields(r[_NAME], r[_FEATURE], r[_ADMIN1], r[_COUNTRY], r[_LAT], r[_LON])


def _describe_fields(
    name: str, feature: str, admin1: str, country: str, lat: float, lon: float
) -> str:
    """How a place is named in an ambiguity reason."""
    where = f"{admin1}, {country}" if admin1 and country else admin1 or country
    return f"{name} [{feature}] in {where} at {lat:.3f},{lon:.3f}"


def _ambiguous_reason(name: str, described: list[str], n_places: int) -> str:
    """The reason of an ambiguous answer: ``described`` are the best place and its
    rivals (at most four are listed), ``n_places`` how many there are."""
    listed = "; ".join(described[:4])
    return (
        f"{n_places} places match {name!r} about equally ({listed}); "
        "give a country or province hint, or more context"
    )
