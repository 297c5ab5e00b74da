"""Scoring primitives shared by the one-name and the batch geocoder.

The weights, floors and margins of the ranking; the per-gazetteer tables that do
not depend on the query (:func:`_spellings`, :func:`_static_scores`); place rows
as plain tuples (:class:`_PlaceRows`); and the wording of reasons.  Both
:mod:`geo.geocode` (one name at a time, with context) and :mod:`geo._batchrank`
(many names at once, vectorised) score with these, so their answers agree.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Final, NamedTuple

import numpy as np
from rapidfuzz import fuzz

from geo.gazetteer import FEATURE_PRIOR, Gazetteer

#: Below this spelling similarity (0–1) a gazetteer name is not considered a match.
MIN_NAME_SCORE = 0.82
#: Two answers this close in score and farther apart than AMBIGUOUS_KM are ambiguous
#: (on the UCDP dev set and held-out spellings, leads under 0.05 were right about half
#: the time; see bench_geocode.py).
AMBIGUITY_MARGIN = 0.05
AMBIGUOUS_KM = 25.0
#: An answer is ``resolved`` only when its spelling scores at least this (0–1): the
#: same spelling, or a transliteration of it (same phonetic key and close letters).
#: Looser matches are right too rarely to be called sure (see bench_geocode.py).
RESOLVED_NAME_SCORE = 0.95
#: A respelling (not the query's exact spelling) is ``resolved`` only when its place is
#: established and leads every other place by this much (see :func:`_established`).
RESPELLING_LEAD = 0.08
SUPPORT_BONUS = 0.015
_MAX_CANDIDATES = 8
_KM_PER_DEG_LAT = 111.0  # a little under the true 111.2, so the pre-test never rejects

#: Spelling score of a transliteration (same phonetic key, not the same spelling):
#: _KEY_FLOOR + _KEY_SPAN x letter similarity, so below an identical spelling by enough
#: that population and support cannot put a respelling before the place spelled so
#: exactly; other near misses score their letter similarity x _OTHER_KEY.
_KEY_FLOOR, _KEY_SPAN, _OTHER_KEY = 0.85, 0.13, 0.93
#: A transliteration sharing fewer than _LOOSE_BELOW of its letters loses _LOOSE_SLOPE per
#: letter share missing ("Bujara" for "Bajaur"): the key is shared, the name is not.
_LOOSE_BELOW, _LOOSE_SLOPE = 0.8, 0.5

_W_NAME, _W_FEATURE, _W_POP, _W_CONTEXT = 0.55, 0.15, 0.05, 0.25

#: Added to a place whose spelling is the query's exactly (spaces and hyphens aside), so
#: an exact namesake outranks a respelling of the same kind ("Madyan" before the
#: villages "Maidan", "Thall" before a larger "Thal"); less than what a seat and its
#: population add, and far less than a province hint's pull.  The lead it gives is not
#: counted when telling ``resolved`` from ``ambiguous``.
EXACT_BONUS = 0.04

#: Added to a place's own (first) name over its alternate spellings, so that among
#: namesakes the place called so ("Sam") outranks one that is only also called so
#: ("Sam Patai", alternate name "Sam").
PRIMARY_BONUS = 0.02

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
        self._added: dict[_PlaceRow, int] = {}
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

    def add(self, row: _PlaceRow) -> int:
        """Keep a row that is not a gazetteer place (a midpoint between two places) under
        a new negative id, and return the id."""
        i = self._added.setdefault(row, -1 - len(self._added))
        self[i] = row
        return i

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
    """Spelling similarity 0–1: 1.0 for the same spelling, spaces aside ("Sararogha" and
    "Sara Rogha"); a transliteration (``same_key``) or another near miss below that."""
    if query_norm == variant_norm:
        return 1.0
    ratio = fuzz.ratio(query_norm, variant_norm) / 100.0
    compact = fuzz.ratio(query_norm.replace(" ", ""), variant_norm.replace(" ", "")) / 100.0
    if compact == 1.0:
        return 1.0
    base = max(ratio, compact)
    # Spellings that share the phonetic key differ only by transliteration noise.
    return float(_key_sim(base)) if same_key else base * _OTHER_KEY


def _key_sim(base: Any) -> Any:
    """Spelling score of a transliteration whose letter similarity is ``base`` (0–1, a
    float or an array): high, but lower the fewer letters the two share."""
    return _KEY_FLOOR + _KEY_SPAN * base - _LOOSE_SLOPE * np.maximum(0.0, _LOOSE_BELOW - base)


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
    place = gaz.var_place
    primary = np.ones(len(place), dtype=bool)  # a place's variants start with its name
    primary[1:] = place[1:] != place[:-1]
    static = _static_scores(gaz)[place] + PRIMARY_BONUS * primary
    return _Spellings(norm_id, norms, compact, static)


def _describe(r: _PlaceRow) -> str:
    return _describe_fields(
        r[_NAME], r[_FEATURE], r[_ADMIN2], r[_ADMIN1], r[_COUNTRY], r[_LAT], r[_LON]
    )


def _describe_fields(
    name: str, feature: str, admin2: str, admin1: str, country: str, lat: float, lon: float
) -> str:
    """How a place is named in an ambiguity reason: its district (unless it is the
    district), province and country tell namesakes apart."""
    parts = (admin2 if admin2 != name else "", admin1, country)
    where = ", ".join(p for p in parts if p)
    return f"{name} [{feature}] in {where} at {lat:.3f},{lon:.3f}"


def _loose_reason(name: str, best: _PlaceRow, sim: float) -> str:
    """The reason of an answer whose only match is a loose spelling."""
    return _loose_reason_fields(name, best[_NAME], sim)


def _loose_reason_fields(name: str, matched: str, sim: float) -> str:
    return (
        f"{name!r} matches only a loose spelling, {matched!r} (spelling score {sim:.2f} < "
        f"{RESOLVED_NAME_SCORE}); the best guess is given, check it"
    )


#: Kinds of place that are established enough for a respelling of their name to be
#: called ``resolved`` (besides any place with a known population).
ESTABLISHED_FEATURES = frozenset(
    {"capital", "admin1_seat", "admin2_seat", "alias", "district", "province", "country"}
)
_POPULATION: Final = 9


def _established(r: _PlaceRow) -> bool:
    """A seat, district, province, country or alias, or a place with a population."""
    return r[_FEATURE] in ESTABLISHED_FEATURES or r[_POPULATION] > 0


def _respelling_reason(name: str, best: _PlaceRow) -> str:
    return _respelling_reason_fields(name, best[_NAME])


def _respelling_reason_fields(name: str, matched: str) -> str:
    """The reason of an answer that matches a respelling only, of a place that other
    places also resemble or that is not established (no population, seat or alias)."""
    return (
        f"{name!r} matches only a respelling, {matched!r}, of a place that is not the only "
        "one with a similar name or is little known; the best guess is given, check it"
    )


#: What would settle an ambiguous answer, by the hints it came with.
_ADVICE = {
    "": "give a country or province hint, or more context",
    "country": "give a province hint, or more context",
    "province": "the province hint leaves them all; a district or nearby places would settle it",
}


def _ambiguous_reason(name: str, described: list[str], n_places: int, hinted: str = "") -> str:
    """The reason of an ambiguous answer: ``described`` are the best place and its
    rivals (at most four are listed), ``n_places`` how many there are; ``hinted`` says
    which hint came with the name ("", "country" or "province"), so that the advice
    does not ask for what was given."""
    listed = "; ".join(described[:4])
    return f"{n_places} places match {name!r} about equally ({listed}); {_ADVICE[hinted]}"
