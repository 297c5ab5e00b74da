"""Incident drafts → :class:`~geo.incidents.Incident` records (cross-border places,
dates, tolls, claims, evidence), and province assignment by point in polygon."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from geo._dates import Reference
from geo._errors import GeoError
from geo._numbers import Count, victim_class
from geo.articles import Article
from geo.boundaries import assign
from geo.extract.grouping import _Draft, _Facts
from geo.extract.lexicon import _COUNTRY_NAMES, _NO_INDEPENDENT, claim_status
from geo.extract.model import GeocoderLike
from geo.extract.places import _country_place
from geo.incidents import Evidence, Incident, Place, Source
from geo.settings import Settings, get_settings


# ---------------------------------------------------------------- drafts → incidents
def _combine(counts: list[Count]) -> Count | None:
    positive = [c for c in counts if c.best > 0]
    if not positive:
        return counts[0] if counts else None
    best = max(c.best for c in positive)
    lows = [c.low for c in positive if c.low is not None]
    highs = [c.high for c in positive if c.high is not None]
    low = min(min(lows), best) if lows else None
    high = max(max(highs), best) if highs and all(c.high is not None for c in positive) else None
    return Count(best, low, high)


#: "5 Taliban were also killed": more dead, not the same dead told again.
_ADDITIVE = re.compile(r"\b(?:also|as well|in addition|additionally|besides)\b", re.IGNORECASE)


def _tally(found: list[tuple[Count, _Facts]]) -> Count | None:
    """Counts of several sentences: added when they are different dead ("3 soldiers were
    killed. 5 Taliban were also killed": 8), else the same dead told again (a range)."""
    if len(found) < 2:
        return _combine([c for c, _ in found])
    classes = [victim_class(f.sent.text) for _, f in found]
    distinct = all(classes) and len(set(classes)) == len(classes)
    additive = any(_ADDITIVE.search(f.sent.text) for _, f in found[1:])
    if distinct or additive:
        total = found[0][0]
        for c, _ in found[1:]:
            total = total + c
        return total
    return _combine([c for c, _ in found])


def _ev(field_name: str, f: _Facts, source_id: str) -> Evidence:
    return Evidence(field_name, f.sent.text, source_id, f.sent.start, f.sent.end)


@dataclass
class _Built:
    incident: Incident
    background: bool
    year_unknown: bool = False


def _cross_places(
    draft: _Draft, text: str, geocoder: GeocoderLike | None, source_id: str
) -> tuple[Place | None, Place | None, list[Evidence]]:
    target_cc = next(
        (f.target_country for f in draft.facts if f.target_country and f.target_country != "?"), ""
    )
    flagged = [f for f in draft.facts if f.target_country]
    if not flagged:
        return None, None, []
    both = next((f for f in flagged if f.two_states), None)
    if both is not None:  # a clash of two states' forces: both countries, no direction
        origin_place = _country_place(both.origin_country, geocoder, text)
        target_place = _country_place(both.target_country, geocoder, text)
        evidence = [_ev("origin", both, source_id), _ev("target", both, source_id)]
        return origin_place, target_place, evidence
    loc = draft.place.place if draft.place else None
    origin_cc = next((f.origin_country for f in draft.facts if f.origin_country), "")
    origin_hit = next((f.origin_hit for f in draft.facts if f.origin_hit is not None), None)
    origin: Place | None = origin_hit.place if origin_hit else None
    if origin is None and loc is not None and target_cc and loc.country_iso2 != target_cc:
        origin = loc
    if origin is None and origin_cc:
        origin = _country_place(origin_cc, geocoder, text)
    if not target_cc and origin is not None:
        across = [
            p.place
            for f in draft.facts
            for p in f.specific
            if p.place.country_iso2 != origin.country_iso2
        ]
        if (
            loc is not None
            and loc.geo_precision != "country"
            and loc.country_iso2 != origin.country_iso2
        ):
            target_cc = loc.country_iso2  # the place of the event, across the border from origin
        elif across:
            target_cc = across[0].country_iso2  # "fire from X killed civilians in Y"
        else:
            return None, None, []
    target: Place | None = None
    specific_targets = [
        p
        for f in draft.facts
        for p in f.specific
        if p.place.country_iso2 == target_cc
        and (origin is None or p.place.country_iso2 != origin.country_iso2)
    ]
    if specific_targets and (origin is None or origin.geo_precision == "country"):
        target = specific_targets[0].place
    elif target_cc:
        target = _country_place(target_cc, geocoder, text)
    evidence = [_ev("target", flagged[0], source_id)]
    if origin is not None:
        evidence.append(_ev("origin", flagged[0], source_id))
    return origin, target, evidence


def _build(  # noqa: C901 - every field of one incident, each a helper call
    draft: _Draft,
    article: Article,
    ref: Reference,
    geocoder: GeocoderLike | None,
    previous: _Built | None,
) -> _Built | None:
    sid = article.source_id
    evidence: list[Evidence] = []
    origin, target, cross_ev = _cross_places(draft, article.text, geocoder, sid)
    evidence += cross_ev
    location = draft.place.place if draft.place else None
    if (
        location is not None
        and target is not None
        and origin is not None
        and (origin.geo_precision == "country" and target.geo_precision != "country")
    ):
        location = target
    if location is None:
        return None
    anchor = next(
        (f for f in draft.facts if _place_in(f, draft)), draft.facts[0]
    )  # the sentence naming the place
    evidence.append(_ev("location_name", anchor, sid))
    notes: list[str] = []
    if any(f.two_states for f in draft.facts):
        notes.append("a clash between two states' forces: both countries, no single direction")
    when = draft.date()
    year_unknown = False
    if when is not None:
        value, precision = when.value, when.precision
        evidence.append(_ev("event_date", next(f for f in draft.facts if when in f.dates), sid))
        if not when.year_known:
            year_unknown = True
            notes.append(
                f"year unknown: the text gives {when.text!r} without a year and there is no "
                f"publication date; {value.year} is only the earliest year the text allows"
            )
    elif previous is not None:
        value, precision = previous.incident.event_date, previous.incident.date_precision
        notes.append("date taken from the incident reported just before in the same article")
        if previous.year_unknown:
            year_unknown = True
            notes.append("year unknown, as for that incident")
    elif ref.value is not None:
        value, precision = ref.value, "month" if ref.precision in ("day", "week") else ref.precision
        notes.append("no date in the text of this incident; publication date used")
    else:  # no date anywhere: keep the place, date unknown
        value, precision, year_unknown = date.today(), "year", True
        notes.append("date unknown: no date in the text and no publication date")
    background = bool(ref.value and (ref.value - value).days > 90 and precision != "day")
    if background:
        notes.append("recalled/background event: dated only by the article's own wording")
    etype, sub = next((f.event for f in draft.facts if f.event), ("Battles", "Armed clash"))
    evidence.append(
        _ev(
            "event_type",
            next(f for f in draft.facts if f.event)
            if any(f.event for f in draft.facts)
            else anchor,
            sid,
        )
    )
    counts: dict[str, Count | None] = {}
    for name in ("killed", "wounded", "captured"):
        found = [(getattr(f.cas, name), f) for f in draft.facts if getattr(f.cas, name)]
        first = [(c, f) for c, f in found if not f.later_claim]
        later = [(c, f) for c, f in found if f.later_claim]
        counts[name] = _tally(first) if first else _combine([c for c, _ in later])
        if first and later:  # "the ministry later said 6 died": that side's claim, kept apart
            notes += [
                f"a later account gives {c.best} {name}: {f.sent.text[:120]}" for c, f in later
            ]
            base = counts[name]
            if base is not None and base.high is not None:
                counts[name] = Count(
                    base.best, base.low, max([base.high, *(c.best for c, _ in later)])
                )
        evidence += [_ev("fatalities" if name == "killed" else name, f, sid) for _, f in found]
    cc = location.country_iso2

    def named(names: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(_actor_name(n, cc) for n in names))

    actors = named(h.name for f in draft.facts for h in f.actors if h.kind != "official")
    claimed = named(a for f in draft.facts for a in f.claims)
    denied = [a for a in named(a for f in draft.facts for a in f.denies) if a not in claimed]
    confirmed = named(a for f in draft.facts for a in f.confirms)
    # "In both cases, no independent source confirmed …" speaks for every current event.
    unconfirmed = any(f.unconfirmed for f in draft.facts) or (
        not background and bool(_NO_INDEPENDENT.search(f"{article.title}\n{article.text}"))
    )
    status = claim_status(claimed, denied, confirmed, unconfirmed)
    evidence += [
        _ev("claim_status", f, sid)
        for f in draft.facts
        if f.claims or f.denies or f.confirms or f.unconfirmed
    ]
    evidence += [_ev("actors", f, sid) for f in draft.facts if f.actors][:2]
    killed = counts["killed"]
    conf = 0.45 + 0.1 * (precision == "day") + 0.1 * (location.geo_precision != "province")
    conf += 0.1 * (killed is not None) + 0.05 * bool(claimed or denied) + 0.05 * bool(actors)
    conf = round(min(0.9, conf * (0.6 if background or year_unknown else 1.0)), 2)
    ident = hashlib.sha1(f"{sid}|{location.name}|{value}|{etype}".encode()).hexdigest()[:12]
    source = Source(
        sid,
        article.publisher,
        article.url,
        article.published.isoformat() if article.published else "",
        article.title,
        article.file,
    )
    incident = Incident(
        incident_id=f"inc-{ident}",
        event_date=value,
        location_name=location.name,
        lat=location.lat,
        lon=location.lon,
        date_precision=precision,
        event_type=etype,
        sub_event_type=sub,
        actors=actors,
        geo_precision=location.geo_precision,
        country_iso2=location.country_iso2,
        admin1=location.admin1,
        admin1_iso=location.admin1_iso,
        fatalities_best=killed.best if killed else None,
        fatalities_low=killed.low if killed else None,
        fatalities_high=killed.high if killed else None,
        wounded=counts["wounded"].best if counts["wounded"] else None,
        captured=counts["captured"].best if counts["captured"] else None,
        claim_status=status,
        claimed_by=claimed,
        denied_by=denied,
        origin=origin,
        target=target,
        sources=[source],
        evidence=_dedupe(evidence),
        confidence=conf,
        notes="; ".join(notes),
    )
    return _Built(incident, background, year_unknown)


def _actor_name(name: str, iso2: str) -> str:
    """Fill "{country}" of a generic actor ("Unidentified Armed Group ({country})")."""
    if "{country}" not in name:
        return name
    return name.replace("{country}", _COUNTRY_NAMES.get(iso2, iso2 or "unknown country"))


def _place_in(f: _Facts, draft: _Draft) -> bool:
    return draft.place is not None and any(p.key == draft.place.key for p in f.places)


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, int]] = set()
    out = []
    for ev in evidence:
        if (ev.field, ev.start) not in seen:
            seen.add((ev.field, ev.start))
            out.append(ev)
    return out


def assign_provinces(incidents: Sequence[Incident], settings: Settings | None = None) -> None:
    """Set country and province (and those of origin/target) by point in polygon, in place.

    Uses :func:`geo.boundaries.assign` (vectorised, one call for all points) when
    ``GEO_BOUNDARIES_DIR`` is set; otherwise the gazetteer's admin-1 is kept.
    """
    settings = settings or get_settings()
    if settings.boundaries_dir is None or not incidents:
        return
    places: list[Incident | Place] = []
    for inc in incidents:
        places.append(inc)
        places += [p for p in (inc.origin, inc.target) if p is not None]
    pts = [
        (p, p.lon, p.lat)
        for p in places
        if p.lon is not None and p.lat is not None and p.geo_precision != "country"
    ]
    if not pts:
        return
    try:
        table = assign([x for _, x, _ in pts], [y for _, _, y in pts], settings=settings)
    except GeoError:
        return
    for (obj, _, _), row in zip(pts, table.itertuples(), strict=True):
        if row.assign_status in ("inside", "nearest") and row.admin1:
            obj.admin1, obj.admin1_iso = str(row.admin1), str(row.admin1_iso)
            obj.country_iso2 = str(row.country_iso2) or obj.country_iso2
