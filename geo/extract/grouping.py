"""Facts per sentence (places, dates, tolls, actors, claims, cross-border cues) and their
grouping into incident drafts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo._dates import DATE_PRECISIONS_ORDER, DateMention, intervals_overlap
from geo._numbers import Casualties, extract_casualties
from geo.articles import Sentence
from geo.extract.lexicon import (
    _AGGREGATE,
    _COUNTRY_WORDS,
    _CROSS_ANY,
    _CROSS_FROM,
    _CROSS_INTO,
    _NO_INDEPENDENT,
    _SINCE,
    _SPECIFIC,
    _STATE_FORCE,
    _TWO_STATES,
    _ActorHit,
    _read_claims,
    classify_event,
)
from geo.extract.model import _PRECISION_RANK
from geo.extract.places import _PlaceHit
from geo.incidents import Place


# ---------------------------------------------------------------- sentence facts
@dataclass
class _Facts:
    idx: int
    sent: Sentence
    places: list[_PlaceHit]
    dates: list[DateMention]
    cas: Casualties
    actors: list[_ActorHit]
    event: tuple[str, str] | None
    claims: list[str]
    denies: list[str]
    confirms: list[str]
    unconfirmed: bool
    target_country: str
    origin_country: str
    origin_hit: _PlaceHit | None
    aggregate: bool
    two_states: bool = False
    later_claim: bool = False  # "the ministry later said …": another side's later figure
    headline: bool = False  # the article's title line: it announces the event the body tells

    @property
    def specific(self) -> list[_PlaceHit]:
        return [p for p in self.places if p.place.geo_precision != "country"]

    @property
    def event_date(self) -> DateMention | None:
        usable = [d for d in self.dates if d.kind != "since"]
        if not usable:
            return None
        rank = {"event": 0, "statement": 1}
        return min(
            usable, key=lambda d: (DATE_PRECISIONS_ORDER.index(d.precision), rank[d.kind], d.start)
        )


_LATER_CLAIM = re.compile(
    r"\blater\b[^.;]{0,40}\b(?:said|says|claimed|reported|announced|put|gave|stated)\b"
    r"|\b(?:said|claimed|announced|reported)\s+later\b",
    re.IGNORECASE,
)
#: "the Dand district of Kandahar": a named unit, concrete even when only its province is known.
_UNIT_WORD = re.compile(r"\b(?:district|village|area)s?\b", re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:in|near|at|outside)\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
#: "Paktiya province's " / "Helmand's " right before a place: the locative stands before it.
_POSSESSIVE_BEFORE = re.compile(
    r"\b(?:(?!(?:in|near|at|outside|the)\b)[A-Z][\w'’-]*\s+){0,2}"
    r"(?!(?:in|near|at|outside|the)\b)[A-Z][\w'’-]*(?:\s+province)?['’]s\s+$",
    re.IGNORECASE,
)


def _two_states(text: str) -> tuple[str, str] | None:
    """Both countries of a clash between two states' forces, or None."""
    m = _TWO_STATES.search(text)
    if m is None:
        return None
    a = _COUNTRY_WORDS[(m.group("a") or m.group("a2")).lower()]
    b = _COUNTRY_WORDS[(m.group("b") or m.group("b2")).lower()]
    return (a, b) if a != b else None


def _state_force(text: str) -> str:
    """The country of the state forces a sentence names as acting ("by Pakistani troops")."""
    m = _STATE_FORCE.search(text)
    if m is None:
        return ""
    return _COUNTRY_WORDS[(m.group("c") or m.group("c1") or m.group("c2")).lower()]


def _cross(text: str, places: list[_PlaceHit]) -> tuple[str, str, _PlaceHit | None]:
    both = _two_states(text)
    if both is not None:
        return both[1], both[0], None
    origin, origin_hit = "", None
    for m in _CROSS_FROM.finditer(text):
        if m.group("c"):
            origin = _COUNTRY_WORDS[m.group("c").lower()]
            break
        after = [p for p in places if p.start >= m.start("p") and p.start - m.start("p") < 25]
        if after:
            origin_hit, origin = after[0], after[0].place.country_iso2
            break
    into = next(
        (m for m in _CROSS_INTO.finditer(text) if _COUNTRY_WORDS[m.group("c").lower()] != origin),
        None,
    )
    target = _COUNTRY_WORDS[into.group("c").lower()] if into else ""
    if not origin:
        origin = _state_force(text)  # across the border only if the event lies elsewhere
    if not target and (origin or _CROSS_ANY.search(text)):
        # "fired from Afghan territory … near Termez": the target is where it landed
        return "?", origin, origin_hit
    return target, origin, origin_hit


def _only_generic(sentence: str) -> bool:
    return not _SPECIFIC.search(sentence)


def _facts(
    idx: int,
    sent: Sentence,
    all_dates: list[DateMention],
    places: list[_PlaceHit],
    actors: list[_ActorHit],
) -> _Facts:
    s = sent.text
    local_actors = [
        _ActorHit(h.start - sent.start, h.end - sent.start, h.name, h.kind)
        for h in actors
        if sent.start <= h.start < sent.end
    ]
    mine = [p for p in places if sent.start <= p.start < sent.end]
    dates = [d for d in all_dates if sent.start <= d.start < sent.end]
    claims, denies, confirms = _read_claims(s, local_actors)
    target, origin, origin_hit = _cross(
        s,
        [
            _PlaceHit(p.start - sent.start, p.end - sent.start, p.surface, p.place, p.key)
            for p in mine
        ],
    )
    if origin_hit is not None:
        origin_hit = next(p for p in mine if p.key == origin_hit.key)
    own_date = any(d.kind != "since" and d.precision in ("day", "week", "month") for d in dates)
    event = classify_event(s)
    cas = extract_casualties(s)
    concrete = any(
        (p.place.geo_precision in ("exact", "district") or _UNIT_WORD.search(p.surface))
        and _locative_before(s[: p.start - sent.start])
        for p in mine
    )  # "an attack in Miranshah" is an event even without "the" or a date
    if event and not own_date and cas.killed is None and not concrete and _only_generic(s):
        event = None  # "launch attacks against Pakistan": talk about attacks, not an event
    aggregate = bool(_AGGREGATE.search(s)) or (bool(_SINCE.search(s)) and not own_date)
    return _Facts(
        idx,
        sent,
        mine,
        dates,
        cas,
        local_actors,
        event,
        claims,
        denies,
        confirms,
        bool(_NO_INDEPENDENT.search(s)),
        target,
        origin,
        origin_hit,
        aggregate,
        _two_states(s) is not None,
        bool(_LATER_CLAIM.search(s)),
        _is_headline(idx, s),
    )


def _locative_before(prefix: str) -> bool:
    """The text before a place ends with "in", "near", "at" or "outside" (and at most one
    word), also across a possessive ("in Paktiya province's Zurmat district")."""
    if _LOCATIVE.search(prefix[-16:]):
        return True
    m = _POSSESSIVE_BEFORE.search(prefix[-60:])
    if m is None:
        return False
    rest = prefix[-60:][: m.start()]
    return bool(_LOCATIVE.search(rest[-16:]))


def _is_headline(idx: int, text: str) -> bool:
    """The first line of an article, short and without a full stop ("Security Force Kills
    Taliban Leader in Kunduz")."""
    return idx == 0 and len(text) < 160 and not text.rstrip().endswith((".", "!", "?", '"', "”"))


# ---------------------------------------------------------------- drafts
@dataclass
class _Draft:
    facts: list[_Facts] = field(default_factory=list)
    place: _PlaceHit | None = None

    @property
    def last(self) -> int:
        return self.facts[-1].idx if self.facts else -10

    def date(self) -> DateMention | None:
        found = [f.event_date for f in self.facts if f.event_date is not None]
        if not found:
            return None
        rank = {"event": 0, "statement": 1}
        return min(
            found,
            key=lambda d: (DATE_PRECISIONS_ORDER.index(d.precision), rank.get(d.kind, 2), d.start),
        )


def _same_time(draft: _Draft, f: _Facts, loose: bool = False) -> bool:
    a, b = draft.date(), f.event_date
    if a is None or b is None:
        return True
    if loose:
        return intervals_overlap((a.value, a.precision), (b.value, b.precision))
    if a.precision == b.precision == "day":
        return abs((a.value - b.value).days) <= 1
    return a.precision == b.precision and a.value == b.value


def _compatible(a: _Facts, b: _Facts) -> bool:
    da, db = a.event_date, b.event_date
    if da is None or db is None:
        return True
    return intervals_overlap((da.value, da.precision), (db.value, db.precision))


def _inside(big: Place, small: Place) -> bool:
    return (
        big.geo_precision in ("province", "country")
        and bool(small.admin1_iso)
        and (
            big.admin1_iso == small.admin1_iso
            if big.geo_precision == "province"
            else big.country_iso2 == small.country_iso2
        )
    )


def _primary(f: _Facts) -> _PlaceHit | None:
    specific = f.specific
    if not specific:
        return None
    if f.origin_hit is not None and f.origin_hit.place.geo_precision != "country":
        return f.origin_hit
    best_rank = min(_PRECISION_RANK[p.place.geo_precision] for p in specific)
    top = [p for p in specific if _PRECISION_RANK[p.place.geo_precision] == best_rank]
    if best_rank == 2 and len({p.key for p in top}) > 1:
        return None  # "in Balkh and Nimroz provinces": no single place
    non_target = [p for p in top if p.place.country_iso2 != f.target_country]
    return (non_target or top)[0]


def _match(drafts: list[_Draft], hit: _PlaceHit, f: _Facts) -> _Draft | None:
    for d in reversed(drafts):
        if d.place is not None and d.place.key == hit.key and _same_time(d, f, loose=True):
            return d
    last = drafts[-1] if drafts else None
    if last is None or last.place is None or f.idx - last.last > 3 or not _same_time(last, f):
        return None
    if _inside(last.place.place, hit.place) or _inside(hit.place, last.place.place):
        return last
    return None


def _group(facts: list[_Facts]) -> list[_Draft]:
    drafts: list[_Draft] = []
    pending: list[_Facts] = []
    for f in facts:
        if f.aggregate:
            continue
        eventful = f.event is not None or f.cas.killed is not None or f.cas.wounded is not None
        hit = _primary(f)
        if eventful and f.headline and f is not facts[-1]:
            pending.append(f)  # the title announces the event the body places and dates
            continue
        if eventful and hit is not None:
            draft = _match(drafts, hit, f)
            if draft is None:
                draft = _Draft(place=hit)
                joined = [
                    p
                    for p in pending
                    if (p.headline or f.idx - p.idx <= 2) and _compatible(p, f) and _fits(p, hit)
                ]
                drafts.extend(_headline_drafts([p for p in pending if p not in joined]))
                draft.facts.extend(joined)
                drafts.append(draft)
            elif (
                _PRECISION_RANK[hit.place.geo_precision]
                < _PRECISION_RANK[draft.place.place.geo_precision if draft.place else "country"]
            ):
                draft.place = hit
            draft.facts.append(f)
            pending = []
            continue
        if eventful and any(p.headline for p in pending):  # the body places nothing new
            drafts.extend(_headline_drafts(pending))
            pending = [p for p in pending if not p.headline]
        current = drafts[-1] if drafts else None
        near = current is not None and f.idx - current.last <= 2 and _same_time(current, f)
        informative = eventful or f.claims or f.denies or f.confirms or f.target_country
        if near and informative and current is not None:
            current.facts.append(f)
        elif eventful:
            kept = [p for p in pending if p.headline or (f.idx - p.idx <= 2 and _compatible(p, f))]
            pending = [*kept, f]
    return drafts + _headline_drafts(pending)


def _fits(p: _Facts, hit: _PlaceHit) -> bool:
    """A waiting sentence joins an incident unless it names a place in another province."""
    own = p.specific
    return not own or any(x.place.admin1_iso == hit.place.admin1_iso for x in own)


def _headline_drafts(left: list[_Facts]) -> list[_Draft]:
    """A title that no body sentence took up is an incident of its own, where it says."""
    out = []
    for p in left:
        hit = _primary(p)
        if p.headline and hit is not None:
            out.append(_Draft(facts=[p], place=hit))
    return out
