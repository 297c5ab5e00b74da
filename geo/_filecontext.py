"""The other places of a batch file as context for its ambiguous names.

A file of events names its places one row at a time, and many names are shared by
several villages that score alike ("Dargai town": nine villages called Dargai in
Khyber Pakhtunkhwa).  Rows of one file are seldom scattered at random: the events of
a dataset cluster where its conflict is.  So, as a text's other places settle a tie
for :meth:`geo.geocode.OfflineGeocoder.resolve`, the places of the same batch that are
sure (``resolved``, a point, not a district or province) settle ties between
namesakes in :func:`geo.geocode_batch.geocode_rows`: among the places that score within
:data:`TIE_MARGIN` of the best, the one with the most such places within
:data:`CONTEXT_KM` is chosen.  The answer stays ``ambiguous``, and its reason says how
it was chosen.  On the UCDP GED Pakistan development set (585 places) this put 2.2
more places in a hundred within 25 km without a province hint and 1.2 with one
(``benchmarks/bench_geocode.py``).

Ties come from the ranking itself (:func:`tied_places` for one name's ranking;
:func:`geo._batchrank.rank_rows` for many), so choosing costs one spatial query per
chunk of rows, not a second ranking.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar

import numpy as np
import shapely

from geo._distance import haversine_km_np
from geo._scoring import _KM_PER_DEG_LAT, _PRECISION, _Scored
from geo._scoring import _PlaceRows as PlaceRows
from geo.gazetteer import Gazetteer

__all__ = ["CONTEXT_KM", "TIE_MARGIN", "Tie", "anchors", "choose", "settle", "tied_places"]

#: Places scoring within this of the best are tied (a score is 0–1; the ambiguity
#: margin, within which places are reported as rivals, is 0.05).
TIE_MARGIN = 0.02
#: Sure places of the file within this distance count for a tied place.
CONTEXT_KM = 30.0
_K = TypeVar("_K", bound=Hashable)


class Tie(NamedTuple):
    """One of the places tied first for a name: its place id, the spelling that
    matched (a variant id) and its score."""

    place: int
    variant: int
    score: float


def tied_places(scored: Sequence[_Scored], rows: PlaceRows) -> tuple[Tie, ...]:
    """The places of a ranking (best first) that score within :data:`TIE_MARGIN` of the
    best, when the best and at least one other are points (not districts or
    provinces); empty otherwise."""
    if len(scored) < 2 or rows[scored[0][0]][_PRECISION] != "exact":
        return ()
    top = scored[0][1]
    ties = tuple(
        Tie(i, v, s)
        for i, s, v in scored
        if top - s < TIE_MARGIN and rows[i][_PRECISION] == "exact"
    )
    return ties if len(ties) >= 2 else ()


def anchors(answers: Iterable[dict[str, str]]) -> np.ndarray:
    """The distinct ``(lat, lon)`` of the sure point answers of a batch (``resolved``
    at ``exact`` precision), as an ``(n, 2)`` array."""
    points = {
        (a["lat"], a["lon"])
        for a in answers
        if a.get("status") == "resolved" and a.get("geo_precision") == "exact" and a.get("lat")
    }
    return np.array(sorted(points), dtype=np.float64).reshape(-1, 2)


def _counts(sure: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """For each point, how many ``sure`` points lie within :data:`CONTEXT_KM`."""
    if not len(sure) or not len(lat):
        return np.zeros(len(lat), dtype=np.int64)
    # The query is in degrees: a degree of longitude shrinks with cos(latitude), so the
    # radius is CONTEXT_KM in longitude degrees at the points' highest latitude (then
    # never too short), and the great-circle test below keeps what is really near.
    far = min(89.0, float(np.abs(np.concatenate([lat, sure[:, 0]])).max()))
    deg = CONTEXT_KM / (_KM_PER_DEG_LAT * math.cos(math.radians(far)))
    tree = shapely.STRtree(shapely.points(sure[:, 1], sure[:, 0]))
    probe, hit = tree.query(shapely.points(lon, lat), predicate="dwithin", distance=deg)
    km = haversine_km_np(lat[probe], lon[probe], sure[hit, 0], sure[hit, 1])
    return np.bincount(probe[km <= CONTEXT_KM], minlength=len(lat))


def choose(
    ties: Sequence[tuple[Tie, ...]], lat: np.ndarray, lon: np.ndarray, sure: np.ndarray
) -> list[tuple[Tie, int] | None]:
    """For each name's ties (best first), the tied place with the most sure places of
    the file near it and that count, when that is not the current best; None when
    the best keeps its place (it has as many, or no tied place has any).  ``lat`` and
    ``lon`` hold every place's coordinates, by place id (the gazetteer's arrays)."""
    sizes = [len(group) for group in ties]
    places = np.fromiter((t.place for group in ties for t in group), np.int64, sum(sizes))
    counts = _counts(sure, lat[places].astype(np.float64), lon[places].astype(np.float64))
    out: list[tuple[Tie, int] | None] = []
    start = 0
    for group, size in zip(ties, sizes, strict=True):
        mine = counts[start : start + size]
        start += size
        k = int(np.argmax(mine))  # the first of equals
        out.append((group[k], int(mine[k])) if mine[k] > mine[0] else None)
    return out


def settle(
    items: Sequence[_K],
    answers: list[dict[str, str]],
    ties_of: Mapping[_K, tuple[Tie, ...]],
    gaz: Gazetteer,
    values_of: Callable[[int, float, int], dict[str, str]],
) -> list[dict[str, str]]:
    """``answers`` (batch-row values of ``items``, in order) with ties between namesakes
    settled by the sure answers among them (:func:`anchors`, :func:`choose`).

    ``ties_of`` gives the ties of an ambiguous item; ``values_of(place, score,
    variant)`` the row values of a place.  A changed answer stays ``ambiguous``; its
    reason says how it was chosen.  A name repeated is decided once.
    """
    todo: dict[_K, list[int]] = {}
    resolved = {}
    for n, (item, answer) in enumerate(zip(items, answers, strict=True)):
        status = answer["status"]
        if status == "resolved":
            resolved[id(answer)] = answer  # a memoised answer repeated counts once
        elif status == "ambiguous" and item in ties_of:
            todo.setdefault(item, []).append(n)
    sure = anchors(resolved.values()) if todo else None
    if sure is None or not len(sure):
        return answers
    out = list(answers)
    groups = [ties_of[item] for item in todo]
    for where, ties, pick in zip(
        todo.values(), groups, choose(groups, gaz.lat, gaz.lon, sure), strict=True
    ):
        if pick is None:
            continue
        tie, count = pick
        values = values_of(tie.place, tie.score, tie.variant)
        values["status"] = "ambiguous"
        values["reason"] = (
            f"{answers[where[0]]['reason']}; of the {len(ties)} that score alike, the answer "
            f"is the one with the most sure places of this file within {CONTEXT_KM:.0f} km "
            f"({count})"
        )
        for n in where:
            out[n] = values
    return out
