"""Words and patterns of the reporting: actors, event types, claims, cues, countries."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo._errors import DataFileError
from geo.extract.model import ACTORS_FILE
from geo.regions import COVERED_ISO2, country_name, country_words, demonyms


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
            r"\b(?:clash(?:es|ed)?|gun ?fights?|firefights?|fighting|battles?|raids?|raided|"
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
        (
            "Battles",
            "Non-state actor overtakes territory",
            r"\b(?:captured|overran|overrun|seized control of|took control of)\s+(?:the\s+)?"
            r"(?:[\w-]+\s+){0,3}?(?:district|centre|center|checkpoints?|posts?|bases?|outposts?)\b",
        ),
        (
            "Strategic developments",
            "Arrests",
            r"\b(?:arrested|detained|arrests)\b",
        ),
        (
            "Strategic developments",
            "Other",
            r"\b(?:weapons?|arms|ammunition|drug|narcotics|opium|explosives?)\s+(?:caches?|"
            r"stockpiles?|depots?)\b|\bcaches?\s+of\b",
        ),
        (
            "Battles",
            "Armed clash",
            r"\b(?:killed|killing|slain|eliminated|kill|kills|gunned down|guns? down|shot dead|"
            r"martyred|died|die|dies)\b",
        ),
        (
            "Strategic developments",
            "Arrests",
            r"\b(?:detain|detains|detaining|captured|capturing|apprehended|taken into custody)\b",
        ),
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
    r"steady decrease)\b",
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
#: aggregate only when the sentence gives no time of its own ("a series of raids yesterday").
_SINCE = re.compile(r"\bsince\b|\ba series of\b", re.IGNORECASE)
_COUNTRY_ALT = "|".join(
    re.escape(w).replace(r"\ ", r"\s+")
    for w in sorted(country_words(covered_only=True), key=len, reverse=True)
)
_CROSS_INTO = re.compile(
    r"\b(?:into|on|toward|towards|at|against|across the border (?:into|to))\s+(?:the\s+)?"
    rf"(?P<c>{_COUNTRY_ALT})(?![-–\w])",
    re.IGNORECASE,
)
#: "from Afghan soil", "from inside Afghanistan", "crossed from Iran", "from across the
#: border in Dangam", "from Khwaja Ghar": where the fire or the fighters came from.
_CROSS_FROM = re.compile(
    rf"\bfrom\s+(?:inside\s+|within\s+|the\s+)?(?:the\s+)?(?P<c>{_COUNTRY_ALT})"
    r"(?:\s+(?:soil|territory|side))?\b"
    r"|\bfrom\s+(?:across\s+the\s+border\s+(?:in|at|from)\s+|the\s+)?(?:the\s+)?(?P<p>(?-i:[A-Z]))",
    re.IGNORECASE,
)
_FORCE = (
    r"(?:border\s+)?(?:troops|forces|army|military|soldiers|artillery|guards|police|"
    r"(?:fighter\s+)?jets|aircraft|warplanes|planes|helicopters|drones|gunships)"
)
#: "shells fired by Pakistani troops", "Iranian border guards opened fire", "fighter jets of
#: Pakistan": a state's forces, whose country is the origin when the event lies across the
#: border from it.
_FIRE_VERB = r"(?:fired|shelled|struck|bombed|launched|opened\s+fire|targeted|pounded|hit|raided)"
_STATE_FORCE = re.compile(
    rf"\b(?:fired|launched|dropped|shells?|rockets?|mortars?)\s+(?:\w+\s+)?by\s+(?:the\s+)?"
    rf"(?P<c>{_COUNTRY_ALT})(?:'s)?\s+{_FORCE}\b"
    rf"|\b(?P<c1>{_COUNTRY_ALT})(?:'s)?\s+{_FORCE}\s+(?:\w+\s+){{0,2}}?{_FIRE_VERB}\b"
    rf"|\b{_FORCE}\s+(?:of|from)\s+(?P<c2>{_COUNTRY_ALT})\s+(?:\w+\s+){{0,2}}?{_FIRE_VERB}\b",
    re.IGNORECASE,
)
#: "Afghan and Pakistani border forces clashed": both countries, no single direction.
_TWO_STATES = re.compile(
    rf"\b(?P<a>{_COUNTRY_ALT})\s+and\s+(?P<b>{_COUNTRY_ALT})\s+{_FORCE}\b"
    rf"|\bbetween\s+(?:the\s+)?(?P<a2>{_COUNTRY_ALT})\s+and\s+(?P<b2>{_COUNTRY_ALT})\s+{_FORCE}",
    re.IGNORECASE,
)
_CROSS_ANY = re.compile(r"\bacross the border\b|\bcross-border\b", re.IGNORECASE)
#: country names and demonyms of the covered countries → ISO2 (from :mod:`geo.regions`).
_COUNTRY_WORDS = country_words(covered_only=True)
#: demonyms of every region country, lower-cased ("afghan", "kyrgyz"): never places.
_DEMONYMS = frozenset(d.casefold() for d in demonyms())
_PROVINCE_AFTER = re.compile(r"\s*(?:(?:and|&|,)\s+[A-Z][\w'-]+\s+)?provinces?\b", re.IGNORECASE)
_PROVINCE_BEFORE = re.compile(r"\bprovinces? of\s+$", re.IGNORECASE)
#: "KABUL, Afghanistan (March 4) –", "KABUL, Afghanistan, Nov. 18, 2011 —", "WASHINGTON, Dec.
#: 16, 2010 —", "KABUL, Afghanistan (Sept. 20, 2011) –": the city (and country, date) a report
#: was filed from.
_DATELINE = re.compile(
    r"(?:^|(?<=[.!?] ))\s*(?:\W{0,2})(?P<name>[A-Z][A-Z .'-]{2,40})(?:\W{0,2})"
    r"(?:,\s*[\w .]{2,30}){0,3}"
    r"(?:\s*\([\w .,]{1,30}\))?\s*(?:[–—-]{1,2}\s|:\s)",
    re.MULTILINE,
)
#: "Khwaja Ghar district", "Kunduz city": the kind of place the name refers to.
_KIND_AFTER = re.compile(r"\s+(?P<kind>district|city|town|village|area)\b", re.IGNORECASE)
#: a place whose name is spelled exactly is accepted from this score (else _MIN_SCORE).
_MIN_SCORE_EXACT = 0.6
_COUNTRY_NAMES = {cc: country_name(cc) or cc for cc in COVERED_ISO2}
