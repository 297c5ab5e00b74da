"""Many names without context at once: the batch geocoder's ranking as array operations.

:meth:`geo.geocode.OfflineGeocoder._rows_batch` hands over the distinct names of a
chunk that come without a country, province or text.  Every step that the one-name
path (``OfflineGeocoder._rank``) takes in Python for each name is done here by one
numpy or rapidfuzz call for the whole chunk:

1. the phonetic keys are looked up with one ``searchsorted``; near misses (no key
   matches exactly) still go through :meth:`Gazetteer.lookup`, one by one;
2. each distinct pair of (name, gazetteer spelling) is scored once, all pairs in one
   ``rapidfuzz.process.cpdist`` call;
3. one ``lexsort`` ranks the places of every name (a place counts with its best
   spelling) and keeps the best 16 of each;
4. support among entries for the same place and the ambiguity test against the best
   answer compare those places in padded ``(names, 16)`` arrays.

The answers equal what the one-name path gives, row for row: the same floors,
weights, tie-breaks and rounding (``tests/test_batchrank.py`` compares both).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo._distance import haversine_km_np
from geo._filecontext import TIE_MARGIN, Tie
from geo._scoring import (
    _KM_PER_DEG_LAT,
    _MAX_CANDIDATES,
    _OTHER_KEY,
    _W_NAME,
    AMBIGUITY_MARGIN,
    AMBIGUOUS_KM,
    BATCH_COLUMNS,
    ESTABLISHED_FEATURES,
    EXACT_BONUS,
    MIN_NAME_SCORE,
    RESOLVED_NAME_SCORE,
    RESPELLING_LEAD,
    SUPPORT_BONUS,
    _ambiguous_reason,
    _describe_fields,
    _key_sim,
    _loose_reason_fields,
    _name_score,
    _no_letters,
    _no_match,
    _respelling_reason_fields,
    _spellings,
)
from geo._translit import norm_and_key
from geo.gazetteer import Gazetteer, _deletions, stable_hash

__all__ = ["prepare", "rank_rows"]

_TOP = 2 * _MAX_CANDIDATES  # places kept per name before support re-ranks them
_MAX_PAIRS = 1_000_000  # (name, variant) pairs scored together; bounds the chunk's memory


def prepare(gaz: Gazetteer) -> None:
    """Build the per-gazetteer tables now (once), so that the first batch does not."""
    _spellings(gaz)
    _norm_arrays(gaz)
    _columns(gaz)


def rank_rows(
    gaz: Gazetteer, names: Sequence[str], ties: dict[int, tuple[Tie, ...]] | None = None
) -> list[dict[str, str]]:
    """Batch-row values (:data:`~geo._scoring.BATCH_COLUMNS`) of names without context.

    Parameters
    ----------
    gaz : Gazetteer
    names : sequence of str
        Distinct names, as written.
    ties : dict, optional
        Filled with the places tied first for each ambiguous name, by position, as
        :func:`geo._filecontext.tied_places` gives them for one name.

    Returns
    -------
    list of dict
        One dict per name, in order, as ``OfflineGeocoder`` gives for that name alone.
    """
    forms = [norm_and_key(name) for name in names]
    out: list[dict[str, str]] = [
        _NO_ROW if qnorm else _unresolved(name, _no_letters(name))
        for name, (qnorm, _) in zip(names, forms, strict=True)
    ]
    live = [n for n, (qnorm, _) in enumerate(forms) if qnorm]
    spans = _key_spans(gaz, [forms[n][1] for n in live])
    start = 0
    while start < len(live):
        stop = _slice_end(spans[1] - spans[0], start)
        chunk = live[start:stop]
        found = (spans[0][start:stop], spans[1][start:stop])
        ranked, top = _rank_slice(gaz, [names[n] for n in chunk], [forms[n] for n in chunk], found)
        for n, values in zip(chunk, ranked, strict=True):
            out[n] = values
        if ties is not None:
            _tied(gaz, top, ranked, chunk, ties)
        start = stop
    return out


def _slice_end(counts: np.ndarray, start: int) -> int:
    """End of the run of names from ``start`` whose exact matches fit in
    :data:`_MAX_PAIRS` (at least one name)."""
    total = np.cumsum(counts[start:])
    return start + max(1, int(np.searchsorted(total, _MAX_PAIRS, "right")))


def _key_spans(gaz: Gazetteer, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Where each key's variants lie in the key index (``lo == hi`` when none)."""
    lo, hi = _spans(gaz.key_index.hashes, keys)
    empty = np.fromiter((not k for k in keys), dtype=bool, count=len(keys))
    hi[empty] = lo[empty]  # an empty key finds nothing, as in Gazetteer.lookup
    return lo, hi


class _Pairs(NamedTuple):
    """Every (name, variant) pair to score: ``query[k]`` is the name's position,
    ``variant[k]`` the variant id; a name's pairs are contiguous, in index order."""

    query: np.ndarray
    variant: np.ndarray
    same_key: np.ndarray  # per name: the variants share its phonetic key exactly


def _pairs(
    gaz: Gazetteer, names: Sequence[str], keys: Sequence[str], spans: tuple[np.ndarray, np.ndarray]
) -> _Pairs:
    """The variants of every name, found as :meth:`Gazetteer.lookup` finds them
    (``spans``: where each key lies in the key index, from :func:`_key_spans`)."""
    lo, hi = spans
    query, variant = _expand(np.arange(len(names)), lo, hi, gaz.key_index.values)
    same_key = np.ones(len(names), dtype=bool)
    missed = [k for k in np.flatnonzero(hi == lo).tolist() if len(keys[k]) >= 4]
    if not missed:
        return _Pairs(query, variant, same_key)
    same_key[missed] = False
    near_q, near_v = _near_misses(gaz, missed, [keys[k] for k in missed])
    return _Pairs(np.concatenate([query, near_q]), np.concatenate([variant, near_v]), same_key)


def _expand(
    owner: np.ndarray, lo: np.ndarray, hi: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``values[lo[k]:hi[k]]`` for every k, concatenated, each value with ``owner[k]``."""
    n = hi - lo
    offsets = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    return np.repeat(owner, n), values[np.repeat(lo, n) + offsets]


def _spans(index: np.ndarray, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    hashes = np.fromiter((stable_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
    return np.searchsorted(index, hashes, "left"), np.searchsorted(index, hashes, "right")


def _near_misses(
    gaz: Gazetteer, owners: list[int], keys: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Variants of keys about one deletion away, for names whose key matches none:
    what :meth:`Gazetteer.lookup` finds with ``fuzzy=True``, for all at once (each
    name's variants distinct and ascending)."""
    deletions: list[str] = []
    del_owner: list[int] = []
    for owner, key in zip(owners, keys, strict=True):
        found = set(_deletions(key))
        deletions += found
        del_owner += [owner] * len(found)
    own = np.asarray(del_owner, dtype=np.int64)
    # a deletion of the name's key is a key; the key, or a deletion of it, is a deletion
    lo, hi = _spans(gaz.key_index.hashes, deletions)
    q1, v1 = _expand(own, lo, hi, gaz.key_index.values)
    lo, hi = _spans(gaz.del_index.hashes, [*keys, *deletions])
    q2, v2 = _expand(np.concatenate([owners, own]), lo, hi, gaz.del_index.values)
    n_var = len(gaz.var_place)
    code = np.unique(np.concatenate([q1, q2]) * n_var + np.concatenate([v1, v2]))
    return code // n_var, code % n_var


@lru_cache(maxsize=8)
def _norm_arrays(gaz: Gazetteer) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct spellings of :func:`_spellings` as object arrays (fast to gather),
    the same without spaces, and whether each holds a space."""
    sp = _spellings(gaz)
    norms = np.array(sp.norms, dtype=object)
    has_space = np.fromiter((" " in n for n in sp.norms), dtype=bool, count=len(norms))
    return norms, np.array(sp.compact, dtype=object), has_space


def _pair_sims(gaz: Gazetteer, qnorms: list[str], pairs: _Pairs) -> np.ndarray:
    """Spelling similarity of every pair, as ``_name_score`` gives it; each distinct
    (name, spelling) pair is scored once."""
    norms, compact, norm_space = _norm_arrays(gaz)
    n_norms = len(norms)
    code = pairs.query.astype(np.int64) * n_norms + _spellings(gaz).norm_id[pairs.variant]
    inverse, distinct = pd.factorize(code)  # hashing: no sort needed
    q = distinct // n_norms
    k = distinct - q * n_norms
    left, right = np.array(qnorms, dtype=object)[q], norms[k]
    ratio = process.cpdist(left, right, scorer=fuzz.ratio, dtype=np.float64)
    best = ratio
    q_space = np.fromiter((" " in s for s in qnorms), dtype=bool, count=len(qnorms))
    spaced = np.flatnonzero(q_space[q] | norm_space[k])
    if len(spaced):  # without spaces the compact comparison is the same one again
        squeezed = [s.replace(" ", "") for s in left[spaced].tolist()]
        again = process.cpdist(squeezed, compact[k[spaced]], scorer=fuzz.ratio, dtype=np.float64)
        best = ratio.copy()
        best[spaced] = np.maximum(ratio[spaced], again)
    base = best / 100.0
    # Spellings that share the phonetic key differ only by transliteration noise.
    sim = np.where(pairs.same_key[q], _key_sim(base), base * _OTHER_KEY)
    # the same letters, spaces aside (without spaces, ``ratio`` is that comparison)
    sim[best == 100.0] = 1.0
    return sim[inverse]


class _Top(NamedTuple):
    """Per name, up to ``width`` places best first, padded with ``place == -1``."""

    place: np.ndarray
    score: np.ndarray
    variant: np.ndarray
    exact: np.ndarray  # the spelling is the name's (spaces aside)


def _top_places(
    gaz: Gazetteer,
    query: np.ndarray,
    variant: np.ndarray,
    total: np.ndarray,
    exact: np.ndarray,
    n_names: int,
) -> _Top:
    """The best :data:`_TOP` places of each name, each with its best variant (the first
    on ties), best first: what ``_best_places`` gives per name."""
    places = gaz.var_place[variant]
    order = _by_name_then_score(query, total, n_names)
    code = query[order].astype(np.int64) * len(gaz) + places[order]
    pick = order[~pd.Series(code).duplicated().to_numpy()]  # each place's best variant
    q = query[pick]
    rank = np.arange(len(q)) - np.searchsorted(q, q, "left")
    keep = rank < _TOP
    pick, q, rank = pick[keep], q[keep], rank[keep]
    top = _Top(
        np.full((n_names, _TOP), -1, dtype=np.int64),
        np.full((n_names, _TOP), -np.inf),
        np.zeros((n_names, _TOP), dtype=np.int64),
        np.zeros((n_names, _TOP), dtype=bool),
    )
    top.place[q, rank] = places[pick]
    top.score[q, rank] = total[pick]
    top.variant[q, rank] = variant[pick]
    top.exact[q, rank] = exact[pick]
    return top


def _by_name_then_score(query: np.ndarray, total: np.ndarray, n_names: int) -> np.ndarray:
    """Order by name, then by score (best first), ties in the pairs' order: like
    ``np.lexsort((-total, query))`` but, for fewer than 65,536 names, as a stable sort
    by score and then a radix sort by name (numpy sorts 16-bit keys by radix)."""
    if n_names >= 1 << 16:
        return np.lexsort((-total, query))
    by_score = np.argsort(-total, kind="stable")
    return by_score[np.argsort(query[by_score].astype(np.uint16), kind="stable")]


class _Attrs(NamedTuple):
    """Place attributes over a padded ``(names, width)`` array of place ids."""

    valid: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    admin1: np.ndarray
    country: np.ndarray
    precision: np.ndarray


def _attrs(gaz: Gazetteer, place: np.ndarray) -> _Attrs:
    valid = place >= 0
    p = np.where(valid, place, 0)
    return _Attrs(
        valid,
        gaz.lat[p].astype(np.float64),
        gaz.lon[p].astype(np.float64),
        gaz.admin1_iso.codes[p],
        gaz.country.codes[p],
        gaz.geo_precision.codes[p],
    )


def _support(gaz: Gazetteer, top: _Top) -> np.ndarray:
    """Per entry, how many other entries of the same name are the same place (same
    province, neither a province, and near with one of them established):
    ``_agreement`` for every name at once."""
    a = _attrs(gaz, top.place)
    ok = a.valid & (a.precision != gaz.geo_precision.code("province"))
    # the province of each entry that can agree, a distinct negative number otherwise
    group = np.where(ok, a.admin1, -1 - np.arange(ok.size).reshape(ok.shape))
    rows = np.flatnonzero(ok.sum(axis=1) >= 2)  # names with two such entries at least
    pair = group[rows, :, None] == group[rows, None, :]
    pair &= np.triu(np.ones((_TOP, _TOP), dtype=bool), k=1)
    qq, ii, jj = np.nonzero(pair)
    qq = rows[qq]
    i, j = (qq, ii), (qq, jj)
    known = _established_places(gaz, top.place)
    near = (known[i] | known[j]) & (np.abs(a.lat[i] - a.lat[j]) * _KM_PER_DEG_LAT <= AMBIGUOUS_KM)
    near &= haversine_km_np(a.lat[i], a.lon[i], a.lat[j], a.lon[j]) <= AMBIGUOUS_KM
    agree = np.zeros(top.place.shape, dtype=np.int64)
    np.add.at(agree, (qq[near], ii[near]), 1)
    np.add.at(agree, (qq[near], jj[near]), 1)
    return agree


def _round4(x: np.ndarray) -> np.ndarray:
    """Python's ``round(x, 4)`` elementwise (numpy rounds a few halves the other way:
    those are redone in Python)."""
    out = np.round(x, 4)
    scaled = x * 1e4
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for idx in zip(*np.nonzero(near_half & np.isfinite(x)), strict=True):
        out[idx] = round(float(x[idx]), 4)
    return out


def _with_support(gaz: Gazetteer, top: _Top) -> _Top:
    """Scores clipped and rounded, raised by support, re-ranked, the best
    :data:`_MAX_CANDIDATES` kept: ``_with_support`` for every name at once."""
    agree = _support(gaz, top)
    valid = top.place >= 0
    base = _round4(np.clip(top.score, 0.0, 1.0))
    score = _round4(np.minimum(1.0, base + SUPPORT_BONUS * np.minimum(2, agree)))
    score = np.where(valid, score, -np.inf)
    order = np.argsort(-score, axis=1, kind="stable")[:, :_MAX_CANDIDATES]
    place = np.take_along_axis(top.place, order, axis=1)
    return _Top(
        place,
        np.where(place >= 0, np.take_along_axis(score, order, axis=1), 0.0),
        np.take_along_axis(top.variant, order, axis=1),
        np.take_along_axis(top.exact, order, axis=1),
    )


def _rivals(gaz: Gazetteer, top: _Top) -> tuple[np.ndarray, np.ndarray]:
    """Per entry after the first: a far-away place that scores about as well as the
    best (neither the same place nor nested in it; an exact spelling's lead over a
    respelling counted without EXACT_BONUS); and per name, whether another place
    comes within RESPELLING_LEAD of the best: ``_judge`` for every name."""
    a = _attrs(gaz, top.place)
    best = (slice(None), slice(0, 1))
    rest = (slice(None), slice(1, None))
    margin = AMBIGUITY_MARGIN + EXACT_BONUS * (top.exact[best] & ~top.exact[rest])
    close = top.score[best] - top.score[rest] < margin
    province = gaz.geo_precision.code("province")
    country = gaz.geo_precision.code("country")
    same_a1 = a.admin1[best] == a.admin1[rest]
    near = haversine_km_np(a.lat[best], a.lon[best], a.lat[rest], a.lon[rest]) <= AMBIGUOUS_KM
    neither_province = (a.precision[best] != province) & (a.precision[rest] != province)
    same_place = same_a1 & neither_province & near
    either_country = (a.precision[best] == country) | (a.precision[rest] == country)
    coarse = ~neither_province | either_country
    nested = coarse & (same_a1 | ((a.country[best] == a.country[rest]) & either_country))
    other = a.valid[rest] & ~same_place & ~nested
    near_rival = other & (top.score[best] - top.score[rest] < RESPELLING_LEAD)
    return close & other, near_rival.any(axis=1)


class _Columns(NamedTuple):
    """The text columns of a gazetteer as object arrays (fast to gather)."""

    feature: np.ndarray
    country: np.ndarray
    admin1: np.ndarray
    admin1_iso: np.ndarray
    admin2: np.ndarray
    precision: np.ndarray


@lru_cache(maxsize=8)
def _columns(gaz: Gazetteer) -> _Columns:
    def cats(codes: object) -> np.ndarray:
        return np.array(codes.categories, dtype=object)  # type: ignore[attr-defined]

    return _Columns(
        cats(gaz.feature),
        cats(gaz.country),
        cats(gaz.admin1),
        cats(gaz.admin1_iso),
        cats(gaz.admin2),
        cats(gaz.geo_precision),
    )


def _reasons(
    gaz: Gazetteer, names: Sequence[str], top: _Top, rivals: np.ndarray, ambiguous: np.ndarray
) -> dict[int, str]:
    """The ambiguity reason of each ambiguous name (by position): its best place and
    the rivals, in rank order, at most four described."""
    rows = np.flatnonzero(ambiguous)
    if not len(rows):
        return {}
    chosen = np.concatenate([np.ones((len(rows), 1), dtype=bool), rivals[rows]], axis=1)
    listed = chosen & (np.cumsum(chosen, axis=1) <= 4)
    r, c = np.nonzero(listed)  # row by row, best first
    places, where = np.unique(top.place[rows][r, c], return_inverse=True)
    cols = _columns(gaz)
    once = [  # each place described once, however many names list it
        _describe_fields(gaz.name[i], feature, admin2, admin1, country, lat, lon)
        for i, feature, admin2, admin1, country, lat, lon in zip(
            places.tolist(),
            cols.feature[gaz.feature.codes[places]].tolist(),
            cols.admin2[gaz.admin2.codes[places]].tolist(),
            cols.admin1[gaz.admin1.codes[places]].tolist(),
            cols.country[gaz.country.codes[places]].tolist(),
            gaz.lat[places].astype(np.float64).tolist(),
            gaz.lon[places].astype(np.float64).tolist(),
            strict=True,
        )
    ]
    described = [once[k] for k in where.tolist()]
    ends = np.cumsum(listed.sum(axis=1)).tolist()
    counts = chosen.sum(axis=1).tolist()
    out, start = {}, 0
    for n, end, count in zip(rows.tolist(), ends, counts, strict=True):
        out[n] = _ambiguous_reason(names[n], described[start:end], count)
        start = end
    return out


def _rank_slice(
    gaz: Gazetteer,
    names: Sequence[str],
    forms: Sequence[tuple[str, str]],
    spans: tuple[np.ndarray, np.ndarray],
) -> tuple[list[dict[str, str]], _Top]:
    """Rows of names whose normalised forms and phonetic keys are ``forms`` (their keys
    found at ``spans`` of the key index), and their ranked places."""
    qnorms = [qnorm for qnorm, _ in forms]
    pairs = _pairs(gaz, names, [key for _, key in forms], spans)
    sim = _pair_sims(gaz, qnorms, pairs)
    keep = sim >= MIN_NAME_SCORE
    query, variant = pairs.query[keep], pairs.variant[keep]
    exact = sim[keep] == 1.0
    total = _W_NAME * sim[keep] + EXACT_BONUS * exact + _spellings(gaz).var_static[variant]
    top = _with_support(gaz, _top_places(gaz, query, variant, total, exact, len(names)))
    rivals, others = _rivals(gaz, top)
    loose = _loose(gaz, qnorms, pairs.same_key, top)
    rows = _values(gaz, names, top, rivals, _unsure_respellings(gaz, top, others) | loose)
    return rows, top


def _tied(
    gaz: Gazetteer,
    top: _Top,
    rows: Sequence[dict[str, str]],
    positions: Sequence[int],
    ties: dict[int, tuple[Tie, ...]],
) -> None:
    """Fill ``ties`` (by ``positions``) with the places tied first for each ambiguous
    row: :func:`geo._filecontext.tied_places` for every name of a slice at once."""
    ambiguous = np.fromiter((r["status"] == "ambiguous" for r in rows), bool, len(rows))
    valid = top.place >= 0
    point = valid & (
        gaz.geo_precision.codes[np.where(valid, top.place, 0)] == gaz.geo_precision.code("exact")
    )
    tied = point & (top.score[:, :1] - top.score < TIE_MARGIN) & ambiguous[:, None]
    for k in np.flatnonzero(tied[:, 0] & (tied.sum(axis=1) >= 2)).tolist():
        keep = tied[k]
        ties[positions[k]] = tuple(
            Tie(p, v, s)
            for p, v, s in zip(
                top.place[k][keep].tolist(),
                top.variant[k][keep].tolist(),
                top.score[k][keep].tolist(),
                strict=True,
            )
        )


def _loose(
    gaz: Gazetteer, qnorms: Sequence[str], same_key: np.ndarray, top: _Top
) -> dict[int, float]:
    """Names whose best place matches only by a loose spelling (score below
    :data:`~geo._scoring.RESOLVED_NAME_SCORE`), with that score: ``_judge``'s test."""
    var_norm = gaz.var_norm
    out = {}
    for n in np.flatnonzero(top.place[:, 0] >= 0).tolist():
        qnorm, norm = qnorms[n], var_norm[int(top.variant[n, 0])]
        if qnorm != norm:
            sim = _name_score(qnorm, norm, bool(same_key[n]))
            if sim < RESOLVED_NAME_SCORE:
                out[n] = sim
    return out


def _established_places(gaz: Gazetteer, place: np.ndarray) -> np.ndarray:
    """Per place id (``-1`` padding is False): a seat, district, province, country or
    alias, or a place with a population (``_established``)."""
    kinds = [gaz.feature.code(f) for f in ESTABLISHED_FEATURES if f in gaz.feature.categories]
    p = np.where(place >= 0, place, 0)
    return (place >= 0) & (np.isin(gaz.feature.codes[p], kinds) | (gaz.population[p] > 0))


def _unsure_respellings(gaz: Gazetteer, top: _Top, others: np.ndarray) -> dict[int, float]:
    """Names whose best place matches a respelling only, while another place scores
    within RESPELLING_LEAD or the place is not established (``_judge``'s test); valued -1.0, meaning
    "say :func:`~geo._scoring._respelling_reason_fields`" to :func:`_values`."""
    place = top.place[:, 0]
    established = _established_places(gaz, place)
    unsure = (place >= 0) & ~top.exact[:, 0] & (others | ~established)
    return dict.fromkeys(np.flatnonzero(unsure).tolist(), -1.0)


def _values(
    gaz: Gazetteer, names: Sequence[str], top: _Top, rivals: np.ndarray, loose: dict[int, float]
) -> list[dict[str, str]]:
    """One batch row per name from its best place (or why there is none); ambiguous
    when rivals score alike or the spelling matches only loosely (``loose``)."""
    cols = _columns(gaz)
    found = top.place[:, 0] >= 0
    best = np.where(found, top.place[:, 0], 0)
    reasons = _reasons(gaz, names, top, rivals, rivals.any(axis=1) & found)
    best_list = best.tolist()
    for n, sim in loose.items():
        if n in reasons:
            continue
        if sim < 0:
            reasons[n] = _respelling_reason_fields(names[n], gaz.name[best_list[n]])
        else:
            reasons[n] = _loose_reason_fields(names[n], gaz.name[best_list[n]], sim)
    var_text = gaz.var_text
    columns = (
        [f"{x:.6f}" for x in gaz.lat[best].astype(np.float64).tolist()],
        [f"{x:.6f}" for x in gaz.lon[best].astype(np.float64).tolist()],
        [var_text[v] for v in top.variant[:, 0].tolist()],
        cols.feature[gaz.feature.codes[best]].tolist(),
        cols.country[gaz.country.codes[best]].tolist(),
        cols.admin1[gaz.admin1.codes[best]].tolist(),
        cols.admin1_iso[gaz.admin1_iso.codes[best]].tolist(),
        cols.admin2[gaz.admin2.codes[best]].tolist(),
        cols.precision[gaz.geo_precision.codes[best]].tolist(),
        [f"{x:.3f}" for x in top.score[:, 0].tolist()],
        ["ambiguous" if n in reasons else "resolved" for n in range(len(names))],
        [reasons.get(n, "") for n in range(len(names))],
    )
    out = [dict(zip(BATCH_COLUMNS, row, strict=True)) for row in zip(*columns, strict=True)]
    for n in np.flatnonzero(~found).tolist():
        out[n] = _unresolved(names[n], _no_match(names[n]))
    return out


_NO_ROW: dict[str, str] = {}  # a placeholder, replaced by every live name's row


def _unresolved(name: str, reason: str) -> dict[str, str]:
    out = dict.fromkeys(BATCH_COLUMNS, "")
    out["status"], out["reason"] = "unresolved", reason
    return out
