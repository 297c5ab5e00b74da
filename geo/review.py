"""Check and correct extracted incidents before they are saved.

The ingest page's logic, free of any UI: turn an article into :class:`ReviewItem`
drafts (each with the geocoder's candidates for its place and the stored incident it
would merge with), apply an analyst's corrections (a field edit, another candidate, a
dropped pin, merge or keep apart), add an incident by hand that extraction missed
(:func:`manual_incident`: date, a place from the search or a dropped pin, actor 1 and
actor 2 with their associated actors, killed and wounded), save the batch to the
store, and undo an edit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from geo._errors import IncidentValidationError
from geo.boundaries import assign
from geo.extract import Problem, extract_article
from geo.filters import Filters
from geo.importers import (
    ACTOR_ROLES,
    actor_roles,
    actors_with_roles,
    role_evidence,
    split_actors,
)
from geo.incidents import (
    CLAIM_STATUSES,
    DATE_PRECISIONS,
    EVENT_TYPES,
    Evidence,
    Incident,
    Source,
    incident_from_dict,
)
from geo.merge import same_event
from geo.settings import Settings, get_settings

__all__ = [
    "EDITABLE_FIELDS",
    "ReviewBatch",
    "ReviewItem",
    "apply_candidate",
    "apply_edits",
    "apply_pin",
    "find_merge_target",
    "manual_incident",
    "place_candidates",
    "prepare_review",
    "redo_edit",
    "role_values",
    "save_review",
    "undo_edit",
    "undo_redo_state",
]

#: Fields the review table shows and lets the analyst change.
EDITABLE_FIELDS = (
    "event_date",
    "date_precision",
    "location_name",
    "event_type",
    "sub_event_type",
    "actors",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "claim_status",
    "notes",
)
_MAX_CANDIDATES = 8
_PRECISION_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}


@dataclass
class ReviewItem:
    """One extracted incident awaiting review."""

    incident: Incident
    candidates: list[Any] = field(default_factory=list)  # geo.geocode.Candidate
    merge_target: Incident | None = None
    merge: bool = True  # merge into merge_target when there is one; False keeps it apart


@dataclass
class ReviewBatch:
    """An article's drafts, plus what could not be used and why."""

    article_text: str
    metadata: dict[str, str]
    items: list[ReviewItem]
    problems: list[Problem]
    evidence_spans: list[tuple[int, int, str]]  # (start, end, field) in article_text


def _candidates(geocoder: Any, incident: Incident, context: str) -> list[Any]:
    if geocoder is None or not incident.location_name:
        return []
    result = geocoder.resolve(incident.location_name, context=context)
    return list(result.candidates[:_MAX_CANDIDATES])


def _likeness(a: Incident, b: Incident) -> tuple[int, ...]:
    """How alike two same-event candidates are; the larger the closer."""
    return (
        int(a.event_type == b.event_type) + int(a.sub_event_type == b.sub_event_type),
        len(set(a.actors) & set(b.actors)),
        int(a.fatalities_best is not None and a.fatalities_best == b.fatalities_best),
        int(a.event_date == b.event_date),
    )


def find_merge_target(store: Any, incident: Incident) -> Incident | None:
    """The stored incident this one would merge with (the closest same event), if any."""
    if store is None:
        return None
    pad = timedelta(days=_PRECISION_DAYS.get(incident.date_precision, 31))
    window = Filters(
        date_from=incident.event_date - pad,
        date_to=incident.event_date + pad,
        countries=(incident.country_iso2,) if incident.country_iso2 else (),
    )
    frame = store.query(window, limit=500)
    matches = [
        stored
        for stored in (store.get(ident) for ident in frame["incident_id"])
        if stored is not None
        and stored.incident_id != incident.incident_id
        and same_event(stored, incident)
    ]
    return max(matches, key=lambda m: _likeness(m, incident), default=None)


def _spans(incidents: Sequence[Incident], source_id: str) -> list[tuple[int, int, str]]:
    spans = {
        (ev.start, ev.end, ev.field)
        for inc in incidents
        for ev in inc.evidence
        if ev.start >= 0 and ev.end > ev.start and ev.source_id in ("", source_id)
    }
    return sorted(spans)


def prepare_review(
    article: Any,
    *,
    geocoder: Any = None,
    store: Any = None,
    settings: Settings | None = None,
) -> ReviewBatch:
    """Extract an article's incidents and gather what the analyst needs to check them.

    ``article`` is a :class:`geo.articles.Article`.  Problems (unresolved places with
    their reasons, events outside the region …) come back in ``problems``.
    """
    settings = settings or get_settings()
    result = extract_article(article, geocoder=geocoder, settings=settings)
    items = [
        ReviewItem(inc, _candidates(geocoder, inc, article.text), find_merge_target(store, inc))
        for inc in result.incidents
    ]
    meta = {
        "source_id": article.source_id,
        "title": article.title,
        "publisher": article.publisher,
        "url": article.url,
        "file": article.file,
        "published": article.published.isoformat() if article.published else "",
    }
    problems = list(result.problems) + [
        Problem(article.file or article.source_id, "article", p) for p in article.problems
    ]
    return ReviewBatch(
        article.text, meta, items, problems, _spans(result.incidents, article.source_id)
    )


def apply_candidate(incident: Incident, candidate: Any) -> Incident:
    """The incident placed at another geocoder candidate (name, point, province)."""
    return replace(
        incident,
        location_name=candidate.name,
        lat=float(candidate.lat),
        lon=float(candidate.lon),
        country_iso2=candidate.country_iso2,
        admin1=candidate.admin1,
        admin1_iso=candidate.admin1_iso,
        admin2=candidate.admin2,
        geo_precision=candidate.geo_precision,
    )


def apply_pin(
    incident: Incident,
    lat: float,
    lon: float,
    settings: Settings | None = None,
    name: str | None = None,
) -> Incident:
    """The incident moved to a dropped pin; country and province by point-in-polygon."""
    where = assign([lon], [lat], settings=settings).iloc[0]
    if where.assign_status in ("invalid", "outside"):
        raise IncidentValidationError(
            [f"pin at ({lat}, {lon}) is not usable: {where.assign_reason}"], incident.incident_id
        )
    return replace(
        incident,
        lat=float(lat),
        lon=float(lon),
        country_iso2=where.country_iso2,
        admin1=where.admin1,
        admin1_iso=where.admin1_iso,
        admin2="",
        geo_precision="exact",
        location_name=name or incident.location_name,
    )


def _int_or_none(value: Any, name: str, problems: list[str]) -> int | None:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        problems.append(f"{name}: {value!r} is not a whole number")
        return None
    if number < 0:
        problems.append(f"{name}: {number} is negative")
    return number


def _date(value: Any, problems: list[str]) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        problems.append(f"event_date: {value!r} is not a date (YYYY-MM-DD)")
        return None


def _choice(value: Any, allowed: Sequence[str], name: str, problems: list[str]) -> str:
    text = str(value or "")
    if text not in allowed:
        problems.append(f"{name}: {text!r} is not one of {list(allowed)}")
    return text


def _actors(value: Any) -> list[str]:
    items = value if isinstance(value, list | tuple) else str(value or "").split(";")
    return [a.strip() for a in items if str(a).strip()]


def apply_edits(incident: Incident, row: Mapping[str, Any]) -> Incident:
    """The incident with the analyst's edits of :data:`EDITABLE_FIELDS` applied.

    Raises
    ------
    IncidentValidationError
        Listing every unusable value (the incident is left unchanged).
    """
    problems: list[str] = []
    changes: dict[str, Any] = {}
    if "event_date" in row:
        changes["event_date"] = _date(row["event_date"], problems)
    for name, allowed in (
        ("date_precision", DATE_PRECISIONS),
        ("event_type", tuple(EVENT_TYPES)),
        ("claim_status", CLAIM_STATUSES),
    ):
        if name in row:
            changes[name] = _choice(row[name], allowed, name, problems)
    for name in ("fatalities_best", "fatalities_low", "fatalities_high", "wounded"):
        if name in row:
            changes[name] = _int_or_none(row[name], name, problems)
    if "actors" in row:
        changes["actors"] = _actors(row["actors"])
    for name in ("location_name", "sub_event_type", "notes"):
        if name in row:
            changes[name] = str(row[name] or "")
    if problems:
        raise IncidentValidationError(problems, f"review of {incident.incident_id}")
    changes |= _role_changes(incident, row, changes.get("actors", incident.actors))
    return replace(incident, **changes)


def role_values(incident: Incident) -> dict[str, str]:
    """Actor 1, its associated actors, actor 2 and its associated actors, as table text."""
    return {role: "; ".join(names) for role, names in actor_roles(incident.evidence).items()}


def _role_changes(incident: Incident, row: Mapping[str, Any], actors: list[str]) -> dict[str, Any]:
    """New role evidence and actor list when the row changes actor 1/2 or their associates."""
    if not any(role in row for role in ACTOR_ROLES):
        return {}
    roles = _roles({**role_values(incident), **row})
    if roles == actor_roles(incident.evidence):
        return {}
    source_id = incident.sources[0].source_id if incident.sources else ""
    kept = [e for e in incident.evidence if e.field not in ACTOR_ROLES]
    named = actors_with_roles(roles)
    return {
        "evidence": kept + role_evidence(roles, source_id),
        "actors": named + [a for a in actors if a not in named],
    }


def place_candidates(geocoder: Any, text: str, context: str = "") -> list[Any]:
    """The gazetteer's candidates for a place the analyst types (best first)."""
    if geocoder is None or not text.strip():
        return []
    return list(geocoder.resolve(text.strip(), context=context).candidates[:_MAX_CANDIDATES])


def _roles(values: Mapping[str, Any]) -> dict[str, list[str]]:
    roles = {role: split_actors(str(values.get(role) or "")) for role in ACTOR_ROLES}
    for main in ("actor1", "actor2"):
        roles[main] = roles[main][:1]
    return roles


def manual_incident(
    metadata: Mapping[str, str],
    values: Mapping[str, Any],
    *,
    candidate: Any = None,
    pin: tuple[float, float] | None = None,
    settings: Settings | None = None,
) -> Incident:
    """An incident the analyst adds by hand from the article under review.

    Parameters
    ----------
    metadata : mapping
        The batch's article metadata (``source_id``, ``publisher``, ``url`` …): the
        incident's source.
    values : mapping
        ``event_date``, ``date_precision``, ``event_type``, ``sub_event_type``,
        ``actor1``, ``assoc_actor_1`` (``;`` between names), ``actor2``,
        ``assoc_actor_2``, ``fatalities_best``/``_low``/``_high``, ``wounded``,
        ``claim_status``, ``location_name`` (a name for a dropped pin), ``notes``.
    candidate : geo.geocode.Candidate, optional
        The place picked from :func:`place_candidates`.
    pin : (lat, lon), optional
        A dropped pin (used when no candidate is given).

    Raises
    ------
    IncidentValidationError
        Listing every unusable value, or no place.
    """
    source_id = metadata.get("source_id") or "manual"
    roles = _roles(values)
    draft = Incident(
        incident_id=f"manual:{source_id[:16]}:{uuid.uuid4().hex[:8]}",
        event_date=date.today(),
        location_name=str(values.get("location_name") or ""),
        lat=None,
        lon=None,
        actors=actors_with_roles(roles),
        sources=[
            Source(
                source_id=source_id,
                publisher=metadata.get("publisher", ""),
                url=metadata.get("url", ""),
                published=metadata.get("published", ""),
                title=metadata.get("title", ""),
                file=metadata.get("file", ""),
            )
        ],
        evidence=role_evidence(roles, source_id),
        confidence=1.0,
    )
    edits = {k: values[k] for k in EDITABLE_FIELDS if k in values and k != "actors"}
    edited = apply_edits(draft, {"event_date": values.get("event_date"), **edits})
    if candidate is not None:
        return apply_candidate(edited, candidate)
    if pin is not None:
        name = edited.location_name or f"{pin[0]:.4f}, {pin[1]:.4f}"
        return apply_pin(edited, pin[0], pin[1], settings, name=name)
    raise IncidentValidationError(
        ["no place: pick one of the search's candidates or drop a pin on the map"],
        "manual incident",
    )


def _split(incident: Incident) -> Incident:
    """A copy with a fresh id, so the store keeps it apart from similar incidents."""
    return replace(incident, incident_id=f"{incident.incident_id}-{uuid.uuid4().hex[:6]}")


def save_review(store: Any, batch: ReviewBatch, *, user: str) -> Any:
    """Save the reviewed incidents in one transaction; returns the store's summary.

    Accepted merges are written onto their target's id (the store merges the
    records and keeps both sources); incidents kept apart get a fresh id and are not
    matched to stored ones.  Saving the same article twice changes nothing.
    """
    incidents = []
    for item in batch.items:
        inc = item.incident
        if item.merge_target is not None and item.merge:
            inc = replace(inc, incident_id=item.merge_target.incident_id)
        elif item.merge_target is not None:
            inc = _split(inc)
        incidents.append(inc)
    if store.has_article(batch.article_text):  # saved before: only new hand-made incidents
        manual = [i for i in incidents if i.incident_id.startswith("manual:")]
        return store.upsert_incidents(manual, user=user, mode="replace")
    return store.upsert_incidents(
        incidents, user=user, mode="merge", match_known=False, source_text=batch.article_text
    )


def undo_redo_state(entries: Sequence[Any]) -> tuple[Any, Any]:
    """``(the entry "undo" would revert, the undo "redo" would revert)`` of one incident's
    history (oldest first); either is None.  A new edit clears what could be redone."""
    undo: list[Any] = []
    redo: list[Any] = []
    for h in entries:
        if h.action == "edit":
            undo.append(h)
            redo.clear()
        elif h.action == "undo":
            undo = [u for u in undo if u.history_id != h.reverts]
            redo.append(h)
        elif h.action == "redo":
            redo = [r for r in redo if r.history_id != h.reverts]
            undo.append(h)
    return (undo[-1] if undo else None), (redo[-1] if redo else None)


def _revert(
    store: Any, history_id: int, kinds: tuple[str, ...], action: str, user: str
) -> Incident:
    """Put back the values before history entry ``history_id``, recorded as ``action`` of it."""
    entry = next((h for h in store.history() if h.history_id == history_id), None)
    if entry is None or entry.action not in kinds:
        raise IncidentValidationError(
            [f"history entry {history_id} is not an {' or '.join(kinds)} that can be {action}ne"],
            action,
        )
    current = store.get(entry.incident_id)
    if current is None:
        raise IncidentValidationError([f"incident {entry.incident_id!r} no longer exists"], action)
    restored = incident_from_dict(
        {**current.to_dict(), **{k: v[0] for k, v in entry.changes.items()}}
    )
    changes = {k: getattr(restored, k) for k in entry.changes}
    return store.update(entry.incident_id, changes, user=user, action=action, reverts=history_id)


def undo_edit(store: Any, history_id: int, *, user: str) -> Incident:
    """Put back the values an edit (or a redo) changed, recorded as "undo" of that entry."""
    return _revert(store, history_id, ("edit", "redo"), "undo", user)


def redo_edit(store: Any, history_id: int, *, user: str) -> Incident:
    """Apply again what an undo took back, recorded as "redo" of that undo."""
    return _revert(store, history_id, ("undo",), "redo", user)


def evidence_fields(incident: Incident) -> dict[str, list[Evidence]]:
    """Evidence grouped by field, for showing the sentence behind each value."""
    out: dict[str, list[Evidence]] = {}
    for ev in incident.evidence:
        out.setdefault(ev.field, []).append(ev)
    return out
