"""Merge the same incident reported by several articles into one, keeping every figure.

Two incidents from *different* sources are the same event when all of these hold:

* **time**: the same day when both are dated to the day (one day apart still counts: a night
  raid or a report dated by its filing straddles midnight; two days apart never); otherwise
  their ranges overlap (:func:`geo._dates.intervals_overlap`: a week ± 6 days, the month,
  the year);
* **place**: the same place within its precision — same country and province, and the same
  named town or district, or two towns within :data:`SAME_PLACE_KM`, or a town within that
  distance of a district's point, or a place inside the province a province-only report
  names; two different districts are different places, and two reports known only to the
  province are never merged (each could be anywhere in it); cross-border events must also
  agree on origin and target countries and place;
* **what**: compatible type and actors — the same event type or an actor in common.

Pairs that fail only on those boundaries (same province, dates at most
:data:`NEAR_DAYS` apart, compatible type and actors) are not merged but flagged as
*possible duplicates* in each other's notes (:func:`near_duplicate`), for review.

Incidents of the same source are never merged with each other (the extractor has already
decided they differ).  The merged incident takes the most precise date and place, the union
of actors, claimants, deniers, sources and evidence, and:

* **claim status** (:func:`merged_claim_status`): a denial (a named denier, or a report whose
  status is ``denied``) against an assertion (a named claimant, or a status of ``claimed``,
  ``confirmed`` or ``disputed``) makes it ``disputed``; otherwise the first of
  :data:`STATUS_PRECEDENCE` among the reports wins (``disputed`` beats ``confirmed``);
* **fatalities** as a range over the sources (:func:`merged_figures`): ``best`` = the
  smallest best (conservative, as ACLED does with conflicting reports), ``low`` = the
  smallest low or best, ``high`` = the largest high or best (3 and 7 → low 3, best 3,
  high 7: no figure is lost); wounded and captured take the largest figure.

The same rules merge a new report into a stored incident (:func:`merge_into_stored`, used by
:mod:`geo.store`), so storing A and then merging B gives what merging A and B in memory
gives.  Each source's own figures stay readable with :func:`per_source_figures`, which
re-reads them from that source's evidence sentences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from geo._dates import DATE_PRECISIONS_ORDER, intervals_overlap
from geo._distance import haversine_km
from geo._numbers import Count, extract_casualties
from geo.incidents import GEO_PRECISIONS, Evidence, Incident, Source

__all__ = [
    "NEAR_DAYS",
    "SAME_PLACE_KM",
    "STATUS_PRECEDENCE",
    "merge_incidents",
    "merge_into_stored",
    "merged_claim_status",
    "merged_figures",
    "near_duplicate",
    "per_source_figures",
    "same_event",
]

_T = TypeVar("_T")
_DISAGREE_NOTE = "sources disagree on fatalities: see per-source figures"

#: Two points closer than this (km) count as the same place.
SAME_PLACE_KM = 25.0
#: Reports of the same province at most this many days apart may be one event (flagged).
NEAR_DAYS = 2
#: Claim statuses, strongest first: without a denial against an assertion, the merged
#: incident takes the first status any of its reports has.
STATUS_PRECEDENCE = ("disputed", "denied", "confirmed", "unconfirmed", "claimed", "reported")
#: Statuses that say the event happened as someone claims it.
_ASSERTING = frozenset({"claimed", "confirmed", "disputed"})


def _km(a: Incident, b: Incident) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _cross_key(inc: Incident) -> tuple[str, str]:
    return (
        inc.origin.country_iso2 if inc.origin else "",
        inc.target.country_iso2 if inc.target else "",
    )


def _same_province(a: Incident, b: Incident) -> bool:
    return a.country_iso2 == b.country_iso2 and bool(a.admin1_iso) and a.admin1_iso == b.admin1_iso


def _same_place(a: Incident, b: Incident) -> bool:
    if not _same_province(a, b):
        return False
    if a.cross_border or b.cross_border:
        return _cross_key(a) == _cross_key(b) and (
            a.location_name == b.location_name or _km(a, b) <= SAME_PLACE_KM
        )
    precisions = (a.geo_precision, b.geo_precision)
    if precisions == ("province", "province"):
        return False  # two reports known only to the province: could be anywhere in it
    if a.location_name == b.location_name:
        return True
    if "country" in precisions:
        return False
    if "province" in precisions:
        return True  # a place inside the province the other report names
    if a.geo_precision == b.geo_precision == "district":
        return False  # two districts of one province are two places
    return _km(a, b) <= SAME_PLACE_KM


def _same_time(a: Incident, b: Incident) -> bool:
    if a.date_precision == b.date_precision == "day":  # a night raid is dated either side
        return abs((a.event_date - b.event_date).days) <= 1
    return intervals_overlap((a.event_date, a.date_precision), (b.event_date, b.date_precision))


def _compatible(a: Incident, b: Incident) -> bool:
    """The same event type, or an actor in common (one report may name only one side)."""
    return a.event_type == b.event_type or bool(set(a.actors) & set(b.actors))


def near_duplicate(a: Incident, b: Incident) -> bool:
    """Two reports from different sources that may be one event but are not merged: the
    same province, dates at most :data:`NEAR_DAYS` apart (or overlapping ranges),
    compatible type and actors — but not the same day or the same place within its
    precision."""
    if {s.source_id for s in a.sources} & {s.source_id for s in b.sources}:
        return False
    if not _same_province(a, b) or not _compatible(a, b) or same_event(a, b):
        return False
    close = abs((a.event_date - b.event_date).days) <= NEAR_DAYS
    return close or intervals_overlap(
        (a.event_date, a.date_precision), (b.event_date, b.date_precision)
    )


def same_event(a: Incident, b: Incident) -> bool:
    """True when two incidents from different sources describe the same event.

    See the module docstring for the rules.
    """
    if {s.source_id for s in a.sources} & {s.source_id for s in b.sources}:
        return False
    return _same_time(a, b) and _same_place(a, b) and _compatible(a, b)


def _count_of(evidence: Sequence[Evidence], field: str) -> Count | None:
    counts = []
    for ev in evidence:
        if ev.field == field:
            cas = extract_casualties(ev.text)
            value = cas.killed if field == "fatalities" else getattr(cas, field)
            if value is not None:
                counts.append(value)
    positive = [c for c in counts if c.best > 0] or counts
    if not positive:
        return None
    best = max(c.best for c in positive)
    lows = [c.low for c in positive if c.low is not None]
    highs = [c.high for c in positive if c.high is not None]
    return Count(best, min(lows) if lows else None, max(highs) if highs else None)


def per_source_figures(incident: Incident) -> dict[str, dict[str, tuple[int | None, ...]]]:
    """Each source's own killed/wounded/captured figures, re-read from its evidence.

    Parameters
    ----------
    incident : Incident
        A (possibly merged) incident.

    Returns
    -------
    dict
        ``{source_id: {"killed": (low, best, high), "wounded": (...), "captured": (...)}}``;
        a figure the source does not state is absent.
    """
    out: dict[str, dict[str, tuple[int | None, ...]]] = {}
    for src in incident.sources:
        own = [ev for ev in incident.evidence if ev.source_id == src.source_id]
        figures: dict[str, tuple[int | None, ...]] = {}
        for name, field in (
            ("killed", "fatalities"),
            ("wounded", "wounded"),
            ("captured", "captured"),
        ):
            count = _count_of(own, field)
            if count is not None:
                figures[name] = (count.low, count.best, count.high)
        out[src.source_id] = figures
    return out


def _pick_date(group: Sequence[Incident]) -> Incident:
    return min(group, key=lambda i: (DATE_PRECISIONS_ORDER.index(i.date_precision), i.event_date))


def _pick_place(group: Sequence[Incident]) -> Incident:
    return min(group, key=lambda i: (GEO_PRECISIONS.index(i.geo_precision), -i.confidence))


def merged_figures(
    reports: Sequence[tuple[int | None, int | None, int | None]],
) -> tuple[int | None, int | None, int | None]:
    """The fatality range over several reports' ``(low, best, high)``.

    ``best`` is the smallest best; ``low`` the smallest low or best; ``high`` the
    largest high or best when any report gives a high or the bests differ (else
    ``None``).  A report without a best still contributes its low and high.

    Examples
    --------
    >>> merged_figures([(None, 3, None), (None, 7, None)])
    (3, 3, 7)
    """
    bests = [b for _, b, _ in reports if b is not None]
    lows = [lo for lo, _, _ in reports if lo is not None]
    highs = [hi for _, _, hi in reports if hi is not None]
    best = min(bests) if bests else None
    low = min([*lows, *bests]) if lows or bests else None
    high = max([*highs, *bests]) if highs or len(set(bests)) > 1 else None
    return low, best, high


def _max_opt(values: Sequence[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def merged_claim_status(
    statuses: Sequence[str], claimed_by: Sequence[str] = (), denied_by: Sequence[str] = ()
) -> str:
    """The claim status of reports merged into one incident (the one precedence rule).

    Parameters
    ----------
    statuses : sequence of str
        Each report's ``claim_status`` (values of :data:`geo.incidents.CLAIM_STATUSES`).
    claimed_by, denied_by : sequence of str
        The merged claimants, and the deniers who do not also claim.

    Returns
    -------
    str
        ``"disputed"`` when a denial (a named denier or a ``denied`` report) meets an
        assertion (a named claimant or a ``claimed``/``confirmed``/``disputed`` report);
        otherwise the first of :data:`STATUS_PRECEDENCE` among ``statuses``.
    """
    kinds = set(statuses)
    denial = bool(denied_by) or "denied" in kinds
    if denial and (bool(claimed_by) or bool(kinds & _ASSERTING)):
        return "disputed"
    return min(kinds, key=_status_rank)


def _status_rank(status: str) -> int:
    return (
        STATUS_PRECEDENCE.index(status) if status in STATUS_PRECEDENCE else len(STATUS_PRECEDENCE)
    )


def _union(lists: Sequence[Sequence[_T]]) -> list[_T]:
    """Items of all lists, first occurrence kept, compared by equality (dataclasses too)."""
    out: list[_T] = []
    for x in (x for lst in lists for x in lst):
        if x not in out:
            out.append(x)
    return out


def _sources(group: Sequence[Incident]) -> tuple[list[Source], int]:
    """The sources of all reports (first of each id), and how many reports added one."""
    seen: dict[str, Source] = {}
    adding = 0
    for inc in group:
        new = [s for s in inc.sources if s.source_id not in seen]
        adding += bool(new) or not inc.sources
        seen.update((s.source_id, s) for s in new)
    return list(seen.values()), adding


def _combine(group: list[Incident]) -> Incident:
    if len(group) == 1:
        return group[0]
    when, where = _pick_date(group), _pick_place(group)
    low, best, high = merged_figures(
        [(i.fatalities_low, i.fatalities_best, i.fatalities_high) for i in group]
    )
    claimed = _union([i.claimed_by for i in group])
    denied = [d for d in _union([i.denied_by for i in group]) if d not in claimed]
    cross = next((i for i in group if i.cross_border), None)
    sources, adding = _sources(group)
    notes = _union([[n for n in i.notes.split("; ") if n] for i in group])
    if len(sources) > 1 and len({i.fatalities_best for i in group} - {None}) > 1:
        notes = _union([notes, [_DISAGREE_NOTE]])
    return replace(
        where,
        incident_id=min(i.incident_id for i in group),
        event_date=when.event_date,
        date_precision=when.date_precision,
        sub_event_type=where.sub_event_type
        or next((i.sub_event_type for i in group if i.event_type == where.event_type), ""),
        actors=_union([i.actors for i in group]),
        fatalities_best=best,
        fatalities_low=low,
        fatalities_high=high,
        wounded=_max_opt([i.wounded for i in group]),
        captured=_max_opt([i.captured for i in group]),
        claim_status=merged_claim_status([i.claim_status for i in group], claimed, denied),
        claimed_by=claimed,
        denied_by=denied,
        origin=cross.origin if cross else where.origin,
        target=cross.target if cross else where.target,
        sources=sources,
        evidence=_union([i.evidence for i in group]),
        confidence=round(min(0.95, max(i.confidence for i in group) + 0.05 * (adding - 1)), 2),
        notes="; ".join(notes),
    )


def merge_into_stored(stored: Incident, new: Incident) -> Incident:
    """Merge a new report into a stored incident: the rules of :func:`merge_incidents`.

    Parameters
    ----------
    stored : Incident
        The incident as stored (itself possibly a merge of several reports).
    new : Incident
        A new report of the same event, or a new version of the stored record
        (same id; sources, evidence and notes already present are not repeated).

    Returns
    -------
    Incident
        What merging the two in memory gives, under the stored incident's id; merging
        a report already contained in ``stored`` changes nothing.
    """
    return replace(_combine([stored, new]), incident_id=stored.incident_id)


def merge_incidents(incidents: Sequence[Incident]) -> list[Incident]:
    """Merge incidents that describe the same event (see :func:`same_event`).

    Parameters
    ----------
    incidents : sequence of Incident
        Incidents from one or many articles.

    Returns
    -------
    list of Incident
        One incident per event, in order of first appearance; inputs are not modified.
    """
    groups: list[list[Incident]] = []
    for inc in incidents:
        home = next((g for g in groups if all(same_event(inc, other) for other in g)), None)
        if home is None:
            home = next(
                (
                    g
                    for g in groups
                    if any(same_event(inc, o) for o in g) and not _shares_source(inc, g)
                ),
                None,
            )
        if home is None:
            groups.append([inc])
        else:
            home.append(inc)
    return _flag_near_duplicates([_combine(g) for g in groups])


def _flag_near_duplicates(merged: list[Incident]) -> list[Incident]:
    """Each incident's notes name the others it may duplicate (:func:`near_duplicate`)."""
    by_province: dict[tuple[str, str], list[Incident]] = {}
    for inc in merged:  # near duplicates share a province: compare within it only
        by_province.setdefault((inc.country_iso2, inc.admin1_iso), []).append(inc)
    out = []
    for inc in merged:
        rivals = by_province[(inc.country_iso2, inc.admin1_iso)]
        near = [o.incident_id for o in rivals if o is not inc and near_duplicate(inc, o)]
        if near:
            note = f"possible duplicate of {', '.join(near)}: review before merging by hand"
            inc = replace(inc, notes="; ".join(n for n in (inc.notes, note) if n))
        out.append(inc)
    return out


def _shares_source(inc: Incident, group: Sequence[Incident]) -> bool:
    mine = {s.source_id for s in inc.sources}
    return any(mine & {s.source_id for s in g.sources} for g in group)
