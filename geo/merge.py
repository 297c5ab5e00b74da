"""Merge the same incident reported by several articles into one, keeping every figure.

Two incidents from *different* sources are the same event when all of these hold:

* **time**: their dates can stand for the same day, given each one's precision
  (:func:`geo._dates.intervals_overlap`: a day ± 1, a week ± 6 days, the month, the year);
* **place**: same country and province, and either the same named place, or one of them is
  only known to province level, or they lie within :data:`SAME_PLACE_KM`; cross-border
  events must also agree on origin and target countries;
* **what**: same event type or at least one actor in common.

Incidents of the same source are never merged with each other (the extractor has already
decided they differ).  The merged incident takes the most precise date and place, the union
of actors, claimants, deniers, sources and evidence, the strongest claim status, and shows
fatalities as a range over the sources: ``low`` = smallest low, ``high`` = largest figure,
``best`` = the smallest best (conservative, as ACLED does with conflicting reports).  Each
source's own figures stay readable with :func:`per_source_figures`, which re-reads them from
that source's evidence sentences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from geo._dates import DATE_PRECISIONS_ORDER, intervals_overlap
from geo._numbers import Count, extract_casualties
from geo.incidents import GEO_PRECISIONS, Evidence, Incident

__all__ = ["SAME_PLACE_KM", "merge_incidents", "per_source_figures", "same_event"]

#: Two points closer than this (km) count as the same place.
SAME_PLACE_KM = 25.0
_STATUS_ORDER = ("disputed", "denied", "confirmed", "unconfirmed", "claimed", "reported")


def _km(a: Incident, b: Incident) -> float:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _cross_key(inc: Incident) -> tuple[str, str]:
    return (
        inc.origin.country_iso2 if inc.origin else "",
        inc.target.country_iso2 if inc.target else "",
    )


def _same_place(a: Incident, b: Incident) -> bool:
    if a.country_iso2 != b.country_iso2 or not a.admin1_iso or a.admin1_iso != b.admin1_iso:
        return False
    if a.cross_border or b.cross_border:
        return _cross_key(a) == _cross_key(b)
    if a.location_name == b.location_name or "province" in (a.geo_precision, b.geo_precision):
        return True
    return _km(a, b) <= SAME_PLACE_KM


def same_event(a: Incident, b: Incident) -> bool:
    """True when two incidents from different sources describe the same event.

    See the module docstring for the rules.
    """
    if {s.source_id for s in a.sources} & {s.source_id for s in b.sources}:
        return False
    if not intervals_overlap((a.event_date, a.date_precision), (b.event_date, b.date_precision)):
        return False
    if not _same_place(a, b):
        return False
    return a.event_type == b.event_type or bool(set(a.actors) & set(b.actors))


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


def _range(group: Sequence[Incident]) -> tuple[int | None, int | None, int | None]:
    bests = [i.fatalities_best for i in group if i.fatalities_best is not None]
    if not bests:
        return None, None, None
    lows = [i.fatalities_low for i in group if i.fatalities_low is not None]
    highs = [i.fatalities_high for i in group if i.fatalities_high is not None]
    best = min(bests)
    low = min([*lows, best])
    high = max([*highs, *bests]) if highs or len(set(bests)) > 1 else None
    return best, low, high


def _max_opt(values: Sequence[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _status(group: Sequence[Incident], claimed: list[str], denied: list[str]) -> str:
    if claimed and denied:
        return "disputed"
    return min((i.claim_status for i in group), key=_STATUS_ORDER.index)


def _union(lists: Sequence[Sequence[str]]) -> list[str]:
    return list(dict.fromkeys(x for lst in lists for x in lst))


def _combine(group: list[Incident]) -> Incident:
    if len(group) == 1:
        return group[0]
    when, where = _pick_date(group), _pick_place(group)
    best, low, high = _range(group)
    claimed = _union([i.claimed_by for i in group])
    denied = [d for d in _union([i.denied_by for i in group]) if d not in claimed]
    cross = next((i for i in group if i.cross_border), None)
    notes = _union([[n for n in i.notes.split("; ") if n] for i in group])
    if len({i.fatalities_best for i in group if i.fatalities_best is not None}) > 1:
        notes.append("sources disagree on fatalities: see per-source figures")
    return replace(
        where,
        incident_id=min(i.incident_id for i in group),
        event_date=when.event_date,
        date_precision=when.date_precision,
        event_type=when.event_type if when.event_type == where.event_type else where.event_type,
        actors=_union([i.actors for i in group]),
        fatalities_best=best,
        fatalities_low=low,
        fatalities_high=high,
        wounded=_max_opt([i.wounded for i in group]),
        captured=_max_opt([i.captured for i in group]),
        claim_status=_status(group, claimed, denied),
        claimed_by=claimed,
        denied_by=denied,
        origin=cross.origin if cross else where.origin,
        target=cross.target if cross else where.target,
        sources=[s for i in group for s in i.sources],
        evidence=[e for i in group for e in i.evidence],
        confidence=round(min(0.95, max(i.confidence for i in group) + 0.05 * (len(group) - 1)), 2),
        notes="; ".join(notes),
    )


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
    return [_combine(g) for g in groups]


def _shares_source(inc: Incident, group: Sequence[Incident]) -> bool:
    mine = {s.source_id for s in inc.sources}
    return any(mine & {s.source_id for s in g.sources} for g in group)
