"""Article → incidents: places, dates, casualties, actors, claims, cross-border, evidence.

Rule-based and explainable: every field of an :class:`~geo.incidents.Incident` keeps the
sentence it came from (:class:`~geo.incidents.Evidence`).  The pipeline per article:

1. split sentences (:func:`geo.articles.split_sentences`); infer the reference date
   (:func:`geo._dates.infer_reference`);
2. find places with the gazetteer (``geocoder.find_places``), drop mentions that are part of
   an actor name ("Islamic State *Khorasan*"), datelines ("KABUL –"), common words and weak
   matches, and resolve the rest with the whole article as context;
3. read each sentence: event cue and ACLED type, dates, killed/wounded/captured, actors
   (``data/actors.csv``), claim/denial/confirmation cues, cross-border cues;
4. group sentences into incidents: an event sentence with a specific place (town, district,
   province) starts or joins an incident at that place; an event sentence without one joins
   the incident just before it, or waits for the next one ("said on June 11 that … killed
   eight" followed by "the raid in Taloqan");
5. build incidents, assign admin-1 by point in polygon (:func:`geo.boundaries.assign`) when
   boundaries are configured.

Conventions
-----------
* **Aggregates are not incidents**: sentences with "hundreds of", "since …" (without an
  own date), "increased attacks", "across the country", "daily" … are skipped.
* **Background events** (recalled, dated well before the article: "In July 2018, bombings
  killed 149 in Mastung") are kept as incidents with their month/year precision, a note
  saying they are recalled, and confidence × 0.6.
* **Claims**: the side that announces its own operation *claims* it; a denial ("denied",
  "X, not Y", "only bullets") by another side makes it *disputed* (claimed or confirmed by
  someone, and denied) or *denied*; confirmation by a side other than the claimant makes it
  *confirmed*; an explicit lack of independent confirmation makes a claim *unconfirmed*;
  otherwise *reported*.
* **Location of a cross-border event** is its origin, unless only the origin country is
  known and the target place is specific ("rockets at a unit near Termez").
* **Places**: a name spelled exactly as a district, a seat or a town of 10,000+ is accepted
  from score 0.6 (else 0.74); "X district" takes the district of that spelling, at district
  precision, and reports the ambiguity (problem ``ambiguous_place``).
* **Generic actors** ("gunmen", "police") name the incident's country, ACLED style:
  "Unidentified Armed Group (Afghanistan)", "Police Forces of Pakistan".
* Vague amounts and ranges: see :mod:`geo._numbers`; dates: see :mod:`geo._dates`.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from geo._dates import (
    DATE_PRECISIONS_ORDER,
    DateMention,
    Reference,
    find_dates,
    infer_reference,
    intervals_overlap,
)
from geo._errors import DataFileError, GeoError
from geo._numbers import Casualties, Count, extract_casualties
from geo.articles import Article, Sentence, split_sentences
from geo.incidents import Evidence, Incident, Place, Source
from geo.settings import DATA_DIR, Settings, get_settings

__all__ = [
    "ACTORS_FILE",
    "REGION",
    "ExtractionResult",
    "Problem",
    "claim_status",
    "classify_event",
    "extract_article",
    "find_actors",
    "load_actor_aliases",
]

ACTORS_FILE = DATA_DIR / "actors.csv"
#: Countries the tool covers; places elsewhere are reported, never mapped.
REGION = frozenset({"AF", "PK", "TJ", "UZ", "TM", "IR"})
_PRECISION_RANK = {"exact": 0, "district": 1, "province": 2, "country": 3}
_MIN_SCORE = 0.74
_COMMON_WORDS = frozenset(
    {
        "go", "press", "leave", "check", "due", "claims", "twitter", "western", "eastern",
        "northern", "southern", "it", "its", "reply", "home", "latest", "posts", "about",
        "news", "world", "share", "read", "more", "also", "zoom", "deeper",
    }
)  # fmt: skip


class GeocoderLike(Protocol):
    """What extraction needs from a geocoder (see :class:`geo.geocode.OfflineGeocoder`)."""

    def find_places(self, text: str) -> Sequence[Any]: ...

    def resolve(
        self,
        name: str,
        country: str | None = None,
        admin1: str | None = None,
        context: str | None = None,
        context_places: Sequence[Any] = (),
    ) -> Any: ...


@dataclass
class Problem:
    """Something extraction could not use, with the reason and where."""

    source: str
    kind: str  # "article", "unresolved_place", "outside_region", "no_date", "no_place"
    message: str
    text: str = ""


@dataclass
class ExtractionResult:
    """Incidents of one article plus everything that was left out and why."""

    source: Source | None
    incidents: list[Incident] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reference: Reference | None = None


# ---------------------------------------------------------------- actors
@dataclass(frozen=True)
class _Alias:
    canonical: str
    kind: str
    alias: str


@dataclass(frozen=True)
class _ActorHit:
    start: int
    end: int
    name: str
    kind: str


@lru_cache(maxsize=4)
def load_actor_aliases(path: Path = ACTORS_FILE) -> tuple[tuple[_Alias, ...], re.Pattern[str]]:
    """The actor alias table (longest alias first) and one regex matching any alias.

    Group ``i + 1`` of the regex is alias ``i``.

    Raises
    ------
    DataFileError
        When the file is missing or a row lacks ``canonical``/``alias``.
    """
    try:
        lines = [
            ln
            for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")
        ]
    except OSError as exc:
        raise DataFileError(path, f"cannot read actor table ({exc.strerror or exc})") from None
    rows = []
    for i, row in enumerate(csv.DictReader(lines), start=2):
        if not row.get("canonical") or not row.get("alias"):
            raise DataFileError(path, f"row {i}: canonical and alias are required, got {row}")
        rows.append(row)
    rows.sort(key=lambda r: -len(r["alias"]))
    aliases = tuple(_Alias(r["canonical"], r.get("kind") or "armed", r["alias"]) for r in rows)
    parts = []
    for row in rows:
        alias = re.escape(row["alias"]).replace(r"\ ", r"\s+")
        parts.append(f"({alias})" if row.get("case_sensitive") == "1" else f"((?i:{alias}))")
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w]|-\w)")
    return aliases, pattern


def _actor_hits(text: str) -> list[_ActorHit]:
    aliases, pattern = load_actor_aliases()
    hits = []
    for m in pattern.finditer(text):
        alias = aliases[(m.lastindex or 1) - 1]
        hits.append(_ActorHit(m.start(), m.end(), alias.canonical, alias.kind))
    return hits


def find_actors(text: str) -> list[str]:
    """Canonical actor names mentioned in ``text``, in order of first mention.

    >>> find_actors("ISKP and Daesh-Khorasan are one group; the Taliban fight it.")
    ['ISIS-K', 'Taliban']
    """
    return list(dict.fromkeys(h.name for h in _actor_hits(text)))


# ---------------------------------------------------------------- event type
_EVENT_CUES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (etype, sub, re.compile(rx, re.IGNORECASE))
    for etype, sub, rx in (
        ("Explosions/Remote violence", "Suicide bomb", r"\bsuicide (?:bomb\w*|attack\w*|blast)"),
        (
            "Explosions/Remote violence",
            "Air/drone strike",
            r"\b(?:air ?strikes?|drone (?:strike|attack)s?|air raids?|bombed from the air)\b",
        ),
        (
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
            r"\b(?:rockets?|missiles?|mortars?|shell(?:s|ing|ed)|artillery|projectiles|"
            r"bombardment)\b",
        ),
        (
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
            r"\b(?:IEDs?|roadside bombs?|landmines?|mines?|magnetic bombs?|explosive devices?|"
            r"car bombs?)\b",
        ),
        ("Explosions/Remote violence", "Grenade", r"\bgrenades?\b"),
        ("Explosions/Remote violence", "", r"\b(?:bomb(?:s|ing|ings|ed)?|blasts?|explosions?)\b"),
        ("Protests", "Peaceful protest", r"\b(?:protest(?:s|ers|ed)?|demonstrat(?:ion|ors|ed))\b"),
        ("Riots", "Violent demonstration", r"\b(?:riot(?:s|ers|ed)?|mob)\b"),
        (
            "Battles",
            "Armed clash",
            r"\b(?:clash(?:es|ed)?|gun ?fights?|firefights?|fighting|battles?|raids?|"
            r"operations?|offensive|ambush(?:ed)?|assaults?|attack(?:s|ed|ing)?|fired|firing|"
            r"fire|strike)\b",
        ),
        (
            "Violence against civilians",
            "Attack",
            r"\b(?:shot dead|executed|massacre[sd]?|beheaded|lynched)\b",
        ),
        (
            "Violence against civilians",
            "Abduction/forced disappearance",
            r"\b(?:abducted|kidnapped|abduction)\b",
        ),
        ("Strategic developments", "Arrests", r"\b(?:arrested|detained|arrests)\b"),
        ("Battles", "Armed clash", r"\b(?:killed|slain|eliminated)\b"),
    )
)
_CIVILIAN_VICTIMS = re.compile(
    r"\b(?:civilians?|worshippers|children|women|residents|"
    r"students|passengers)\b",
    re.IGNORECASE,
)


def classify_event(sentence: str) -> tuple[str, str] | None:
    """ACLED event type and sub-type cued by a sentence, or ``None`` when none is.

    >>> classify_event("Militants fired rockets into the town.")
    ('Explosions/Remote violence', 'Shelling/artillery/missile attack')
    """
    for etype, sub, rx in _EVENT_CUES:
        if rx.search(sentence):
            if (
                etype == "Battles"
                and _CIVILIAN_VICTIMS.search(sentence)
                and not re.search(
                    r"\b(?:clash|gun ?fight|firefight|fighting|battle)", sentence, re.IGNORECASE
                )
            ):
                return "Violence against civilians", "Attack"
            return etype, sub
    return None


# ---------------------------------------------------------------- claims
_CLAIM = re.compile(
    r"\b(?:claim(?:ed|s|ing)?(?! to be)|took responsibility|"
    r"announced|said|says|stated|reported|confirmed|tweeted)\b",
    re.IGNORECASE,
)
_CLAIM_STRONG = re.compile(r"\bclaim(?:ed|s|ing)?\b|\bresponsibility\b", re.IGNORECASE)
_CLAIM_BY = re.compile(r"\bclaim(?:ed)? by\b", re.IGNORECASE)
_DENY = re.compile(
    r"\b(?:denied|denies|denying|rejected|dismissed|refuted)\b"
    r"|\b\w+, not \w+\b|\bonly (?:bullets|gunfire|small arms|shots)\b|\bnot (?:rockets|missiles)\b",
    re.IGNORECASE,
)
_CONFIRM = re.compile(r"(?<!only )\bconfirmed\b", re.IGNORECASE)
_NO_INDEPENDENT = re.compile(
    r"\bwithout (?:any |the )?(?:independent )?confirmation\b"
    r"|\b(?:without|no|not|any|lack of)\b[^.]{0,60}\bindependent\b[^.]{0,40}\bconfirm"
    r"|\bindependent\w*\b[^.]{0,40}\b(?:could not|cannot|can't|did not|has not|have not)\b"
    r"[^.]{0,20}\bconfirm|\bunconfirmed\b|\bcould not be (?:independently )?(?:verified|confirmed)",
    re.IGNORECASE,
)


def claim_status(
    claimed_by: Iterable[str],
    denied_by: Iterable[str],
    confirmed_by: Iterable[str] = (),
    unconfirmed: bool = False,
) -> str:
    """Claim status from who claims, denies and confirms (see the module docstring).

    >>> claim_status(["ISIS-K"], ["Tajik border guards"])
    'disputed'
    """
    claimed, denied = set(claimed_by), set(denied_by)
    confirmed = set(confirmed_by) - claimed
    if denied and (claimed or confirmed):
        return "disputed"  # one side says it happened, another says it did not
    if denied:
        return "denied"
    if confirmed:
        return "confirmed"
    if claimed:
        return "unconfirmed" if unconfirmed else "claimed"
    return "reported"


def _subject_before(hits: list[_ActorHit], pos: int) -> _ActorHit | None:
    before = [h for h in hits if h.end <= pos]
    return before[-1] if before else None


def _read_claims(text: str, hits: list[_ActorHit]) -> tuple[list[str], list[str], list[str]]:
    """(claimants, deniers, confirmers) named in one sentence."""
    claims: list[str] = []
    denies: list[str] = []
    confirms: list[str] = []
    by = _CLAIM_BY.search(text)
    if by:
        after = [h for h in hits if h.start >= by.end()]
        if after:
            claims.append(after[0].name)
    deny = _DENY.search(text)
    if deny:
        subj = _subject_before(hits, deny.start())
        others = [h for h in hits if h.name not in claims]
        if subj and subj.name not in claims:
            denies.append(subj.name)
        elif others:
            denies.append(others[0].name)
    for m in _CLAIM.finditer(text):
        if by and m.start() == by.start():
            continue
        subj = _subject_before(hits, m.start())
        if subj is None or subj.name in denies or subj.kind == "civilian" or "{" in subj.name:
            continue
        if _CONFIRM.fullmatch(m.group(0)) and subj.name not in claims:
            confirms.append(subj.name)
        elif subj.kind not in ("official", "security") or _CLAIM_STRONG.fullmatch(m.group(0)):
            claims.append(subj.name)
    return list(dict.fromkeys(claims)), denies, list(dict.fromkeys(confirms))


# ---------------------------------------------------------------- aggregates & cues
_AGGREGATE = re.compile(
    r"\b(?:hundreds of|thousands of|numerous|increased attacks|has increased|have increased|"
    r"upped|stepped up|intensified|in recent (?:weeks|months|years)|across the country|daily|"
    r"every day|and elsewhere|so far this year|area of operations|the increase in|"
    r"steady decrease|a series of)\b",
    re.IGNORECASE,
)
_GENERIC = re.compile(
    r"\b(?:attacks|operations|raids|clashes|assaults|strikes|fighting|fire|"
    r"offensive|killed|killing|killings|bombings)\b",
    re.IGNORECASE,
)
_SPECIFIC = re.compile(
    r"\b(?:an?|the|this|that)\s+(?:\w+\s+){0,3}?(?:attack|raid|operation|clash|assault|"
    r"bombing|explosion|blast|strike|gunfight|firefight|offensive)\b|\b(?:fired|clashed|raided|"
    r"bombed|rockets?|missiles?|attacked|gunfight|firefight)\b",
    re.IGNORECASE,
)
_SINCE = re.compile(r"\bsince\b", re.IGNORECASE)
_CROSS_INTO = re.compile(
    r"\b(?:into|on|toward|towards|at|against|across the border (?:into|to))\s+(?:the\s+)?"
    r"(?P<c>Tajikistan|Uzbekistan|Pakistan|Afghanistan|Iran|Turkmenistan|Tajik|Uzbek|"
    r"Pakistani|Afghan|Iranian|Turkmen)(?![-–\w])",
    re.IGNORECASE,
)
_CROSS_FROM = re.compile(
    r"\bfrom\s+(?:the\s+)?(?P<c>Afghan|Afghanistan|Pakistan|Pakistani|Tajik|Tajikistan|Uzbek|"
    r"Uzbekistan|Iran|Iranian)(?:\s+(?:soil|territory|side))?\b|\bfrom\s+(?:the\s+)?(?P<p>(?-i:[A-Z]))",
    re.IGNORECASE,
)
_CROSS_ANY = re.compile(r"\bacross the border\b|\bcross-border\b", re.IGNORECASE)
_COUNTRY_WORDS = {
    "tajikistan": "TJ",
    "tajik": "TJ",
    "uzbekistan": "UZ",
    "uzbek": "UZ",
    "pakistan": "PK",
    "pakistani": "PK",
    "afghanistan": "AF",
    "afghan": "AF",
    "iran": "IR",
    "iranian": "IR",
    "turkmenistan": "TM",
    "turkmen": "TM",
}
_DEMONYMS = frozenset(
    {
        "afghan", "afghans", "tajik", "tajiks", "tajikistani", "uzbek", "uzbeks", "uzbekistani",
        "pakistani", "pakistanis", "iranian", "iranians", "turkmen", "kyrgyz", "chinese", "indian",
    }
)  # fmt: skip
_PROVINCE_AFTER = re.compile(r"\s*(?:(?:and|&|,)\s+[A-Z][\w'-]+\s+)?provinces?\b", re.IGNORECASE)
_PROVINCE_BEFORE = re.compile(r"\bprovinces? of\s+$", re.IGNORECASE)
_DATELINE = re.compile(
    r"^\s*(?:\W{0,2})(?P<name>[A-Z][A-Z .'-]{2,40})(?:\W{0,2})(?:,\s*[\w .]{2,30})?"
    r"(?:\s*\([\w .]{1,30}\))?\s*(?:[–—-]{1,2}\s|:\s)",
    re.MULTILINE,
)
#: "Khwaja Ghar district", "Kunduz city": the kind of place the name refers to.
_KIND_AFTER = re.compile(r"\s+(?P<kind>district|city|town|village|area)\b", re.IGNORECASE)
#: a place whose name is spelled exactly is accepted from this score (else _MIN_SCORE).
_MIN_SCORE_EXACT = 0.6
_COUNTRY_NAMES = {
    "AF": "Afghanistan",
    "TJ": "Tajikistan",
    "UZ": "Uzbekistan",
    "PK": "Pakistan",
    "IR": "Iran",
    "TM": "Turkmenistan",
}


# ---------------------------------------------------------------- places
@dataclass(frozen=True)
class _PlaceHit:
    start: int
    end: int
    surface: str
    place: Place
    key: str  # identity of the resolved place


def _country_place(iso2: str, geocoder: GeocoderLike | None, text: str) -> Place | None:
    name = _COUNTRY_NAMES.get(iso2)
    if name is None:
        return None
    if geocoder is not None:
        best = _best(geocoder, name, text)
        if best is not None and best.place.country_iso2 == iso2:
            return best.place
    return Place(name, None, None, iso2, "", "", "country")


@dataclass(frozen=True)
class _Resolved:
    place: Place
    key: str
    status: str
    score: float
    exact: bool = False  # the name is spelled as in the gazetteer (accents aside)


def _fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    return re.sub(r"[\W_]+", "", "".join(c for c in plain if not unicodedata.combining(c))).lower()


def _is_exact(cand: Any, name: str) -> bool:
    """The candidate is spelled as ``name`` and is a place worth naming (seat, district …)."""
    if _fold(str(getattr(cand, "matched_name", cand.name))) != _fold(name):
        return False
    feature = str(getattr(cand, "feature", ""))
    return (
        cand.geo_precision in ("district", "province")
        or feature.endswith("_seat")
        or int(getattr(cand, "population", 0) or 0) >= 10_000
    )


def _best(
    geocoder: GeocoderLike,
    name: str,
    text: str,
    provinces: frozenset[str] = frozenset(),
    want_province: bool = False,
    want_district: bool = False,
) -> _Resolved | None:
    try:
        result = geocoder.resolve(name, context=text)
    except (GeoError, ValueError, LookupError):
        return None
    cands = list(getattr(result, "candidates", []) or [])
    best = getattr(result, "best", None)
    if want_province:
        prov = [c for c in cands if c.geo_precision == "province"]
        if prov:
            best = prov[0]
    if best is None:
        return None
    status = result.status
    exact = [c for c in cands if _is_exact(c, name) and c.geo_precision != "province"]
    if want_district:
        # "Khwaja Ghar district": a district spelled so is the place, at district precision.
        district = [c for c in exact if c.geo_precision == "district"]
        if district and district[0].score >= best.score - 0.15:
            best, status = district[0], "resolved"
    elif (
        exact
        and best.geo_precision == "exact"
        and not _is_exact(best, name)
        and exact[0].admin1_iso != best.admin1_iso
        and exact[0].score >= best.score - 0.1
    ):
        best = exact[0]  # "Bajaur" is the Bajaur district, not a fuzzy "Bujará"
    if status == "ambiguous" and best.admin1_iso in provinces:
        status = "resolved"  # the article names the province: take the candidate inside it
    if want_province and best.geo_precision == "province":
        status = "resolved"
    place = Place(
        best.name,
        float(best.lat),
        float(best.lon),
        best.country_iso2,
        best.admin1,
        best.admin1_iso,
        best.geo_precision,
    )
    key = f"{best.country_iso2}|{best.admin1_iso}|{best.name}|{best.geo_precision}"
    return _Resolved(place, key, status, float(best.score), _is_exact(best, name))


def _bare(surface: str) -> str:
    return re.sub(r"(?:['’]s)$", "", surface.lower())


def _province_surfaces(text: str, mentions: Sequence[Any]) -> set[str]:
    """Names the article calls a province somewhere ("Balkh province", "province of Balkh")."""
    out = set()
    for m in mentions:
        if _PROVINCE_AFTER.match(text, m.end) or _PROVINCE_BEFORE.search(
            text[max(0, m.start - 20) : m.start]
        ):
            out.add(m.surface)
    return out


def _dateline_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start("name"), m.end("name")) for m in _DATELINE.finditer(text[:3000])]


def _find_places(
    text: str, geocoder: GeocoderLike, actors: list[_ActorHit], source: str
) -> tuple[list[_PlaceHit], list[Problem]]:
    problems: list[Problem] = []
    blocked = [(h.start, h.end) for h in actors] + _dateline_spans(text)
    mentions = [
        m
        for m in geocoder.find_places(text)
        if not any(m.start < e and s < m.end for s, e in blocked)
        and len(re.sub(r"\W", "", m.surface)) >= 3
        and m.surface[:1].isupper()
        and _bare(m.surface) not in _COMMON_WORDS
        and _bare(m.surface) not in _DEMONYMS
    ]
    first: dict[tuple[str, bool], _Resolved | None] = {}
    provinces: set[str] = set()
    for m in mentions:  # provinces first, so ambiguous towns can lean on them
        if (m.surface, False) in first:
            continue
        first[(m.surface, False)] = _best(geocoder, m.surface, text)
        res = first[(m.surface, False)]
        if res and res.status == "resolved" and res.place.geo_precision in ("province", "exact"):
            provinces.add(res.place.admin1_iso)
    hits: list[_PlaceHit] = []
    as_province = _province_surfaces(text, mentions)
    for m in mentions:
        want_prov = m.surface in as_province
        res = first[(m.surface, False)]
        kind = _KIND_AFTER.match(text, m.end)
        if kind and kind.group("kind").lower() == "district" and not want_prov:
            plain = res
            res = _best(geocoder, m.surface, text, frozenset(provinces), want_district=True)
            if res is not None and plain is not None and plain.status != "resolved":
                problems.append(
                    Problem(
                        source,
                        "ambiguous_place",
                        f"{m.surface!r}: {plain.status} by name alone; taken as the district "
                        f"{res.place.name} ({res.place.admin1 or res.place.country_iso2}) "
                        "because the text says 'district'",
                    )
                )
        elif want_prov or (res and res.status == "ambiguous"):
            if (m.surface, True) not in first:
                first[(m.surface, True)] = _best(
                    geocoder, m.surface, text, frozenset(provinces), want_prov
                )
            res = first[(m.surface, True)]
        floor = _MIN_SCORE_EXACT if res is not None and res.exact else _MIN_SCORE
        if res is None or res.status != "resolved" or res.score < floor:
            why = "no gazetteer match" if res is None else f"{res.status}, score {res.score:.2f}"
            problems.append(
                Problem(
                    source,
                    "unresolved_place",
                    f"{m.surface!r}: {why}",
                    text[max(0, m.start - 40) : m.end + 40],
                )
            )
            continue
        if res.place.country_iso2 not in REGION:
            problems.append(
                Problem(
                    source,
                    "outside_region",
                    f"{m.surface!r} is in {res.place.country_iso2 or '?'}, "
                    "outside the covered countries; not mapped",
                )
            )
            continue
        hits.append(_PlaceHit(m.start, m.end, m.surface, res.place, res.key))
    return hits, problems


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


def _cross(text: str, places: list[_PlaceHit]) -> tuple[str, str, _PlaceHit | None]:
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
    if event and not own_date and cas.killed is None and _only_generic(s):
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
    )


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
        if eventful and hit is not None:
            draft = _match(drafts, hit, f)
            if draft is None:
                draft = _Draft(place=hit)
                draft.facts.extend(p for p in pending if f.idx - p.idx <= 2 and _compatible(p, f))
                drafts.append(draft)
            elif (
                _PRECISION_RANK[hit.place.geo_precision]
                < _PRECISION_RANK[draft.place.place.geo_precision if draft.place else "country"]
            ):
                draft.place = hit
            draft.facts.append(f)
            pending = []
            continue
        current = drafts[-1] if drafts else None
        near = current is not None and f.idx - current.last <= 2 and _same_time(current, f)
        informative = eventful or f.claims or f.denies or f.confirms or f.target_country
        if near and informative and current is not None:
            current.facts.append(f)
        elif eventful:
            pending = [*[p for p in pending if f.idx - p.idx <= 2 and _compatible(p, f)], f]
    return drafts


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


def _ev(field_name: str, f: _Facts, source_id: str) -> Evidence:
    return Evidence(field_name, f.sent.text, source_id, f.sent.start, f.sent.end)


@dataclass
class _Built:
    incident: Incident
    background: bool


def _cross_places(
    draft: _Draft, text: str, geocoder: GeocoderLike | None, source_id: str
) -> tuple[Place | None, Place | None, list[Evidence]]:
    target_cc = next(
        (f.target_country for f in draft.facts if f.target_country and f.target_country != "?"), ""
    )
    flagged = [f for f in draft.facts if f.target_country]
    if not flagged:
        return None, None, []
    loc = draft.place.place if draft.place else None
    origin_cc = next((f.origin_country for f in draft.facts if f.origin_country), "")
    origin_hit = next((f.origin_hit for f in draft.facts if f.origin_hit is not None), None)
    origin: Place | None = origin_hit.place if origin_hit else None
    if origin is None and loc is not None and target_cc and loc.country_iso2 != target_cc:
        origin = loc
    if origin is None and origin_cc:
        origin = _country_place(origin_cc, geocoder, text)
    if not target_cc and origin is not None:
        if loc is None or loc.geo_precision == "country" or loc.country_iso2 == origin.country_iso2:
            return None, None, []
        target_cc = loc.country_iso2  # the place of the event, across the border from origin
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


def _build(
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
    when = draft.date()
    if when is not None:
        value, precision = when.value, when.precision
        evidence.append(_ev("event_date", next(f for f in draft.facts if when in f.dates), sid))
    elif previous is not None:
        value, precision = previous.incident.event_date, previous.incident.date_precision
        notes.append("date taken from the incident reported just before in the same article")
    elif ref.value is not None:
        value, precision = ref.value, "month" if ref.precision in ("day", "week") else ref.precision
        notes.append("no date in the text of this incident; publication date used")
    else:
        return None
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
        counts[name] = _combine([c for c, _ in found])
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
    conf = round(min(0.9, conf * (0.6 if background else 1.0)), 2)
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
    return _Built(incident, background)


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
    try:
        from geo.boundaries import assign
    except ImportError:  # pragma: no cover - boundaries module missing
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


# ---------------------------------------------------------------- public entry points
def extract_article(
    article: Article,
    geocoder: GeocoderLike | None = None,
    settings: Settings | None = None,
    assign: bool = True,
) -> ExtractionResult:
    """Incidents reported by one article, with evidence, and what was left out.

    Parameters
    ----------
    article : Article
        From :func:`geo.articles.read_article` or :func:`geo.articles.article_from_text`.
    geocoder : GeocoderLike, optional
        Default :func:`geo.geocode.get_geocoder` (offline gazetteer).
    settings : Settings, optional
        For boundaries (province by point in polygon).
    assign : bool
        Run :func:`assign_provinces` on the result (batches do it once at the end).

    Returns
    -------
    ExtractionResult
        ``incidents`` (one per event in the article, before cross-article merging) and
        ``problems`` (unresolved or out-of-region places, events without place or date).
    """
    settings = settings or get_settings()
    if geocoder is None:
        from geo.geocode import get_geocoder

        geocoder = get_geocoder(settings)
    sid = article.file or article.url or article.source_id
    text = article.text
    ref = infer_reference(text, article.published)
    actors = _actor_hits(text)
    places, problems = _find_places(text, geocoder, actors, sid)
    problems = [Problem(sid, "article", p) for p in article.problems] + problems
    sentences = split_sentences(text)
    all_dates = find_dates(text, ref)
    facts = [_facts(i, s, all_dates, places, actors) for i, s in enumerate(sentences)]
    incidents: list[Incident] = []
    previous: _Built | None = None
    for draft in _group(facts):
        built = _build(draft, article, ref, geocoder, previous)
        if built is None:
            problems.append(
                Problem(
                    sid,
                    "no_date",
                    "event without a usable date or place",
                    draft.facts[0].sent.text[:200],
                )
            )
            continue
        if not built.background:
            previous = built
        incidents.append(built.incident)
    if assign:
        assign_provinces(incidents, settings)
    source = Source(
        article.source_id,
        article.publisher,
        article.url,
        article.published.isoformat() if article.published else "",
        article.title,
        article.file,
    )
    return ExtractionResult(source, incidents, problems, ref)
