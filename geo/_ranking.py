"""One name's candidates, ranked: the scoring of :class:`geo.geocode.OfflineGeocoder`.

The context a name comes with (:class:`_Context`), its variants scored against the
name with numpy (:func:`_top_places`), the province hint, the text's countries and
provinces, nearby places and the kind a feature word names (:func:`_context_fit`,
:func:`_kind_fit`), support among entries for one place (:func:`_with_support`), and
the verdict: ``resolved``, ``ambiguous`` or ``unresolved`` with the reason
(:func:`_judge`).  :mod:`geo._batchrank` does the same for many names at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from geo._distance import haversine_km, haversine_km_np
from geo._errors import GeocodingError
from geo._scoring import (
    _ADMIN1_ISO,
    _COUNTRY,
    _KM_PER_DEG_LAT,
    _LAT,
    _LON,
    _MAX_CANDIDATES,
    _OTHER_KEY,
    _PRECISION,
    _W_CONTEXT,
    _W_NAME,
    AMBIGUITY_MARGIN,
    AMBIGUOUS_KM,
    EXACT_BONUS,
    MIN_NAME_SCORE,
    RESOLVED_NAME_SCORE,
    RESPELLING_LEAD,
    SUPPORT_BONUS,
    _ambiguous_reason,
    _describe,
    _established,
    _key_sim,
    _loose_reason,
    _name_score,
    _PlaceRow,
    _PlaceRows,
    _respelling_reason,
    _Scored,
    _spellings,
)
from geo._translit import fold
from geo.gazetteer import Gazetteer
from geo.regions import province_group

#: A place this populous is a city, never what "X village" names.
CITY_POPULATION = 100_000
_FEW = 12  # below this many distinct spellings a Python loop beats rapidfuzz.cdist
_SMALL = 24  # below this many variants (and without context) plain Python beats numpy


class _Context(NamedTuple):
    """What is known around a name (a tuple: hashed in C, as memo keys are often)."""

    country: str | None = None
    admin1_iso: str | None = None
    text_countries: frozenset[str] = frozenset()
    text_provinces: frozenset[str] = frozenset()
    near: tuple[tuple[float, float], ...] = ()
    #: The district a name is said to lie in ("Gandao village, Mohmand agency").
    admin2: str = ""


_NO_CONTEXT = _Context()


class _Ranked(NamedTuple):
    """A ranked answer before any :class:`Candidate` is made: ``scored`` holds
    ``(place, score, variant)`` best first; ``has_best`` says whether the first is the
    answer (not when unresolved)."""

    status: str
    reason: str
    scored: Sequence[_Scored] = ()
    has_best: bool = False


def _clean_country(country: str | None) -> str | None:
    if country is None or not str(country).strip():
        return None
    cc = str(country).strip().upper()
    if len(cc) != 2 or not cc.isalpha():
        raise GeocodingError(
            f"country hint {country!r} is not an ISO 3166-1 alpha-2 code like 'AF'"
        )
    return cc


@lru_cache(maxsize=256)
def _text_context_cached(gaz: Gazetteer, text: str) -> tuple[frozenset[str], frozenset[str]]:
    countries: set[str] = set()
    provinces: set[str] = set()
    for m in gaz.find_places(text):
        for v in gaz.variants_for(m.surface, fuzzy=False):
            i = int(gaz.var_place[v])
            if gaz.var_norm[v] != m.key:
                continue
            if gaz.feature[i] == "country":
                countries.add(gaz.country[i])
            elif gaz.feature[i] == "province":
                provinces.add(gaz.admin1_iso[i])
                countries.add(gaz.country[i])
    return frozenset(countries), frozenset(provinces)


def _variant_sims(gaz: Gazetteer, qnorm: str, variants: np.ndarray, same_key: bool) -> np.ndarray:
    """Spelling similarity (:func:`_name_score`) of ``qnorm`` to each variant, computed
    once per distinct spelling (a common village name has hundreds of identical
    variants), with one rapidfuzz ``cdist`` call per form when there are many."""
    sp = _spellings(gaz)
    distinct_ids, inverse = np.unique(sp.norm_id[variants], return_inverse=True)
    ids = distinct_ids.tolist()
    norms = sp.norms
    if len(ids) <= _FEW:
        few = np.array([_name_score(qnorm, norms[k], same_key) for k in ids])
        return few[inverse]
    distinct = [norms[k] for k in ids]
    ratio = process.cdist([qnorm], distinct, scorer=fuzz.ratio, dtype=np.float64)[0]
    compact = process.cdist(
        [qnorm.replace(" ", "")],
        [sp.compact[k] for k in ids],
        scorer=fuzz.ratio,
        dtype=np.float64,
    )[0]
    base = np.maximum(ratio, compact) / 100.0
    # Spellings that share the phonetic key differ only by transliteration noise.
    sim = _key_sim(base) if same_key else base * _OTHER_KEY
    sim[compact == 100.0] = 1.0  # the same letters, spaces aside (ratio 100: identical)
    return sim[inverse]


def _top_places(
    gaz: Gazetteer,
    qnorm: str,
    variants: np.ndarray,
    same_key: bool,
    ctx: _Context,
    limit: int,
    kind: str = "",
) -> list[_Scored]:
    """The ``limit`` best places for the normalised name ``qnorm`` among ``variants``
    (found through the index) as ``(place, score, variant)``, best first.

    All variants are scored at once with numpy; a place counts with its best-scoring
    spelling; places below the spelling floor drop out.
    """
    if not len(variants):
        return []
    if len(variants) <= _SMALL and ctx == _NO_CONTEXT and not kind:
        return _top_places_small(gaz, qnorm, variants, same_key, limit)
    sim = _variant_sims(gaz, qnorm, variants, same_key)
    keep = sim >= MIN_NAME_SCORE
    if not keep.all():
        variants, sim = variants[keep], sim[keep]
        if not len(variants):
            return []
    places = gaz.var_place[variants]
    exact = EXACT_BONUS * (sim == 1.0)
    if ctx.country:
        sim = sim - 0.5 * (gaz.country.codes[places] != gaz.country.code(ctx.country))
    total = _W_NAME * sim + exact + _spellings(gaz).var_static[variants]
    if ctx != _NO_CONTEXT:
        total += _W_CONTEXT * _context_fit(gaz, places, ctx)
    if kind:
        total += _W_CONTEXT * _kind_fit(gaz, places, kind)
    return _best_places(total, places, variants, limit)


def _best_places(
    total: np.ndarray, places: np.ndarray, variants: np.ndarray, limit: int
) -> list[_Scored]:
    """The ``limit`` best places by ``total`` (one score per variant), each with its
    best variant (the first on ties), best first."""
    order = np.argsort(-total, kind="stable")
    ranked_places = places[order]
    # the first (best) variant of each place, places in the order of those variants
    _, first = np.unique(ranked_places, return_index=True)
    first.sort()
    pick = order[first[:limit]]
    return list(
        zip(
            places[pick].tolist(),
            total[pick].tolist(),
            variants[pick].tolist(),
            strict=True,
        )
    )


def _top_places_small(
    gaz: Gazetteer, qnorm: str, variants: np.ndarray, same_key: bool, limit: int
) -> list[_Scored]:
    """:func:`_top_places` without context for a few variants, in plain Python (for a
    handful of items numpy's per-call cost outweighs its speed)."""
    var_list = variants.tolist()
    places = gaz.var_place[variants].tolist()
    static = _spellings(gaz).var_static[variants].tolist()
    sims: dict[str, float] = {}
    best: dict[int, tuple[float, int, int]] = {}
    var_norm = gaz.var_norm
    for n, (v, i, base) in enumerate(zip(var_list, places, static, strict=True)):
        norm = var_norm[v]
        sim = sims.get(norm)
        if sim is None:
            sim = sims[norm] = _name_score(qnorm, norm, same_key)
        if sim >= MIN_NAME_SCORE:
            total = _W_NAME * sim + base + (EXACT_BONUS if sim == 1.0 else 0.0)
            if i not in best or total > best[i][0]:
                best[i] = (total, n, v)
    # as :func:`_best_places`: by score, ties in the order of each place's best variant
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[:limit]
    return [(i, total, v) for i, (total, _, v) in ranked]


def _context_fit(gaz: Gazetteer, places: np.ndarray, ctx: _Context) -> np.ndarray:
    """Province hint, countries and provinces named in the text, nearness to the
    text's other places, the district a qualifier names: a fit in -1…1 per place."""
    fit = np.zeros(len(places))
    a1 = gaz.admin1_iso.codes[places]
    if ctx.admin1_iso:
        own, *merged = [gaz.admin1_iso.code(iso) for iso in province_group(ctx.admin1_iso)]
        # the province merged with the hinted one (FATA, Khyber Pakhtunkhwa) fits less
        fit += np.where(a1 == own, 1.0, np.where(np.isin(a1, merged), 0.8, -0.6))
    if ctx.text_countries:
        codes = [gaz.country.code(c) for c in ctx.text_countries]
        fit += 0.3 * np.isin(gaz.country.codes[places], codes)
    if ctx.text_provinces:
        fit += 0.3 * np.isin(a1, [gaz.admin1_iso.code(p) for p in ctx.text_provinces])
    if ctx.near:
        lat, lon = gaz.lat[places], gaz.lon[places]
        d = np.min([haversine_km_np(lat, lon, a, b) for a, b in ctx.near], axis=0)
        fit += 0.5 * np.exp(-d / 150.0)
    if ctx.admin2:
        fit += 0.5 * (gaz.admin2.codes[places] == gaz.admin2.code(ctx.admin2))
    return np.clip(fit, -1.0, 1.0)


def _kind_fit(gaz: Gazetteer, places: np.ndarray, kind: str) -> np.ndarray:
    """How well each place fits the kind a feature word names (:func:`split_feature_word`):
    an administrative unit ("district", "tehsil", "agency") wants a district; a village,
    town, area or site wants a place, not a district, province or country; a village
    not a city either (:data:`CITY_POPULATION`)."""
    precision = gaz.geo_precision.codes[places]
    district = precision == gaz.geo_precision.code("district")
    coarse = np.isin(precision, [gaz.geo_precision.code(p) for p in ("province", "country")])
    if kind == "admin2":
        return np.where(district, 1.0, np.where(coarse, -0.6, 0.0))
    if kind == "village":  # "Gujrat village" is not the city of Gujrat
        coarse |= gaz.population[places] >= CITY_POPULATION
    return np.where(district | coarse, -0.6, 0.0)


def _with_support(rows: _PlaceRows, top: list[_Scored]) -> list[_Scored]:
    """Raise places that several gazetteer entries agree on (:func:`_agreement`: a
    district and its seat, a town entered twice): +SUPPORT_BONUS per agreeing entry, at
    most two.  Returns the best :data:`_MAX_CANDIDATES`, re-ranked, scores rounded to 4
    places."""
    agree = _agreement([rows[t[0]] for t in top])
    if not any(agree):
        # ``top`` is best first and rounding keeps the order: only the kept ones need it
        return [(i, round(max(0.0, min(1.0, s)), 4), v) for i, s, v in top[:_MAX_CANDIDATES]]
    scored = []
    for (i, s, v), n in zip(top, agree, strict=True):
        base = round(max(0.0, min(1.0, s)), 4)
        scored.append((i, round(min(1.0, base + SUPPORT_BONUS * min(2, n)), 4), v))
    scored.sort(key=lambda t: -t[1])
    return scored[:_MAX_CANDIDATES]


def _agreement(places: list[_PlaceRow]) -> list[int]:
    """For each place row, how many others are the same place: two entries near each
    other (:func:`_same_place`) of which one is established (:func:`_established`), such
    as a town entered twice, or a district and its seat.
    Two little-known villages close together are as often two villages as one: they
    do not agree (on the UCDP dev set, rewarding them put the wrong namesake first).
    Only places of one province can agree."""
    agree = [0] * len(places)
    a1 = [p[_ADMIN1_ISO] for p in places]
    if len(set(a1)) == len(a1):
        return agree
    groups: dict[str, list[int]] = {}
    for n, code in enumerate(a1):
        if places[n][_PRECISION] != "province":  # a province never supports a place
            groups.setdefault(code, []).append(n)
    for members in groups.values():
        for x, y in itertools.combinations(members, 2):
            a, b = places[x], places[y]
            if (_established(a) or _established(b)) and _same_place(a, b, close_first=True):
                agree[x] += 1
                agree[y] += 1
    return agree


def _same_place(a: _PlaceRow, b: _PlaceRow, close_first: bool = False) -> bool:
    """Two entries for one place: same province and near.  A district is one answer
    with a place in it only then, as its point may lie far from its seat.  With
    ``close_first`` the caller already knows the provinces agree and neither is a
    province, and a cheap latitude test skips most distance computations."""
    if not close_first and (
        a[_ADMIN1_ISO] != b[_ADMIN1_ISO] or "province" in {a[_PRECISION], b[_PRECISION]}
    ):
        return False
    near = (
        not close_first or abs(a[_LAT] - b[_LAT]) * _KM_PER_DEG_LAT <= AMBIGUOUS_KM
    ) and haversine_km(a[_LAT], a[_LON], b[_LAT], b[_LON]) <= AMBIGUOUS_KM
    return near


def _judge(
    name: str,
    scored: list[_Scored],
    rows: _PlaceRows,
    exact: list[bool],
    sim: float = 1.0,
    hinted: str = "",
) -> _Ranked:
    """Resolved when one place (or entries for one place) leads clearly, and its spelling
    is the query's (``exact``, per entry) or a close transliteration (``sim``, the best
    spelling's score, at least RESOLVED_NAME_SCORE) of a place that nothing else
    resembles and that is established (:func:`_established`); ambiguous otherwise, with
    the reason.  An exact spelling's lead over a respelling counts without the
    :data:`EXACT_BONUS` that ranked it first.  ``hinted`` ("", "country" or
    "province") shapes the advice of an ambiguous reason."""
    best_score = scored[0][1]
    best = rows[scored[0][0]]
    others = [
        (row, best_score - s, EXACT_BONUS if exact[0] > ex else 0.0)
        for (i, s, _), ex in zip(scored[1:], exact[1:], strict=True)
        if not _same_place(best, row := rows[i]) and not _nested(best, row)
    ]
    rivals = [row for row, lead, bonus in others if lead < AMBIGUITY_MARGIN + bonus]
    if not rivals:
        if sim < RESOLVED_NAME_SCORE:
            return _Ranked("ambiguous", _loose_reason(name, best, sim), scored, True)
        near_rival = any(lead < RESPELLING_LEAD for _, lead, _ in others)
        if not exact[0] and (near_rival or not _established(best)):
            return _Ranked("ambiguous", _respelling_reason(name, best), scored, True)
        return _Ranked("resolved", "", scored, True)
    described = [_describe(r) for r in [best, *rivals][:4]]
    reason = _ambiguous_reason(name, described, len(rivals) + 1, hinted)
    return _Ranked("ambiguous", reason, scored, True)


def _nested(a: _PlaceRow, b: _PlaceRow) -> bool:
    """A place and the province/country that contains it do not compete."""
    coarse = {"province", "country"}
    if a[_PRECISION] in coarse or b[_PRECISION] in coarse:
        same_a1 = a[_ADMIN1_ISO] == b[_ADMIN1_ISO]
        return same_a1 or (
            a[_COUNTRY] == b[_COUNTRY] and "country" in {a[_PRECISION], b[_PRECISION]}
        )
    return False


def _literal_first(gaz: Gazetteer, scored: list[_Scored], name: str) -> list[_Scored]:
    """``scored`` with the first of the places tied first whose spelling folds to
    ``name`` itself moved to the front."""
    literal = fold(name)
    for k, (_, score, variant) in enumerate(scored):
        if score < scored[0][1]:
            break
        if k and fold(gaz.var_text[variant]) == literal:
            return [scored[k], *scored[:k], *scored[k + 1 :]]
    return scored
