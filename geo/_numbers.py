"""Numbers and casualty counts in English news text.

Conventions for vague amounts (documented, applied as ``low = best``; ``high`` left open):

========================  =====  ==========================================================
phrase                    value  why
========================  =====  ==========================================================
"a few"                   3      ACLED codebook: vague small counts are coded low
"several", "many"         10     ACLED codebook: "several"/"many" fatalities are coded 10
"multiple", "numerous",   10     plural without a figure, read as "several"
"a number of"
"dozens", "dozens of"     12     ACLED codebook: "dozens" is coded 12
"scores"                  20     one score, the smallest amount the word can mean
"hundreds"                100    ACLED codebook: "hundreds" is coded 100
"thousands"               1000   by analogy with "hundreds"
========================  =====  ==========================================================

"at least N", "more than N", "over N" give ``low = N`` (``best = N``); "up to N", "as many
as N" give ``high = N``; "between N and M" and "N-M" give ``low = N``, ``high = M`` and
``best = N`` (the conservative value, as ACLED does with conflicting figures).  "no
casualties" / "no deaths" gives 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo._dates import _MONTH

__all__ = [
    "VAGUE_AMOUNTS",
    "Casualties",
    "Count",
    "extract_casualties",
    "parse_count",
    "parse_number",
    "victim_class",
]

_UNITS = {
    "zero": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

#: vague amount → value used as low and best (see the module docstring).
VAGUE_AMOUNTS: dict[str, int] = {
    "a few": 3,
    "few": 3,
    "several": 10,
    "many": 10,
    "multiple": 10,
    "numerous": 10,
    "a number of": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
}

_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|a dozen|dozen)"
)
_NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s+(?:million|thousand))?"
    rf"|{_WORD}(?:[\s-]+(?:and\s+)?{_WORD})*)"
)
_VAGUE = r"(?:a few|several|many|multiple|numerous|a number of|dozens|scores|hundreds|thousands)"

_COUNT_RE = re.compile(
    rf"\b(?:(?P<between>between)\s+(?P<b1>{_NUM})\s+and\s+(?P<b2>{_NUM})"
    rf"|(?P<r1>\d+)\s*(?:-|–|to)\s*(?P<r2>\d+)"
    rf"|(?P<mod>at least|more than|over|nearly|almost|about|around|some|up to|as many as"
    rf"|at most|fewer than|less than)?\s*(?P<num>{_NUM})"
    rf"|(?P<vague>{_VAGUE}))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Count:
    """A count with its conservative value and bounds (``None`` = open)."""

    best: int
    low: int | None = None
    high: int | None = None

    def __add__(self, other: Count) -> Count:
        low = None if self.low is None or other.low is None else self.low + other.low
        high = None if self.high is None or other.high is None else self.high + other.high
        return Count(self.best + other.best, low, high)


@dataclass(frozen=True)
class Casualties:
    """Killed, wounded and captured counts found in one sentence (``None`` = not stated)."""

    killed: Count | None = None
    wounded: Count | None = None
    captured: Count | None = None


def parse_number(text: str) -> int | None:
    """Parse digits ("1,500", "2.5 million") or English number words ("twenty-one").

    Parameters
    ----------
    text : str
        The number as written.

    Returns
    -------
    int or None
        The value, or ``None`` when ``text`` is not a number.
    """
    raw = text.strip().lower().replace(",", "")
    if not raw:
        return None
    digits = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+(million|thousand))?", raw)
    if digits:
        scale = _SCALES.get(digits.group(2) or "", 1)
        return int(float(digits.group(1)) * scale)
    if raw in _UNITS:
        return _UNITS[raw]
    total, current = 0, 0
    for token in re.split(r"[\s-]+", raw):
        if token == "and":
            continue
        if token in _UNITS:
            current += _UNITS[token]
        elif token in _SCALES:
            current = max(current, 1) * _SCALES[token]
            if _SCALES[token] >= 1000:
                total, current = total + current, 0
        else:
            return None
    return total + current


def parse_count(text: str) -> Count | None:
    """Parse one amount phrase ("at least eight", "between 1,500 and 4,000", "dozens").

    Parameters
    ----------
    text : str
        The phrase; the first amount in it is used.

    Returns
    -------
    Count or None
        Best, low and high per the module conventions; ``None`` when no amount is found.
    """
    match = _COUNT_RE.search(text)
    return _count_from_match(match) if match else None


def _count_from_match(match: re.Match[str]) -> Count | None:
    if match.group("between"):
        low, high = parse_number(match.group("b1")), parse_number(match.group("b2"))
        return Count(low, low, high) if low is not None and high is not None else None
    if match.group("r1"):
        first, last = int(match.group("r1")), int(match.group("r2"))
        return Count(first, first, last) if first <= last else None
    if match.group("vague"):
        vague = VAGUE_AMOUNTS[match.group("vague").lower()]
        return Count(vague, vague, None)
    value = parse_number(match.group("num") or "")
    if value is None:
        return None
    mod = (match.group("mod") or "").lower()
    if mod in {"at least", "more than", "over"}:
        return Count(value, value, None)
    if mod in {"up to", "as many as", "at most", "fewer than", "less than"}:
        return Count(value, None, value)
    return Count(value, value, value)


# Casualty verbs: the amount is either before ("eight militants were killed") or after
# ("killed at least eight militants") the verb.
_KILL = (
    r"(?:killed|kill|kills|killing|slain|dead|died|die|dies|deaths|death of|eliminated|executed|"
    r"fatalities|lost their lives|martyred|embraced (?:shahadat|martyrdom)|gunned down|"
    r"guns? down)"
)
_WOUND = r"(?:wounded|injured|injuring|wounding|hurt|maimed)"
_CAPTURE = r"(?:captured|capturing|detained|detaining|arrested|arresting|abducted|kidnapped|"
_CAPTURE += r"taken prisoner)"
_VERBS = {"killed": _KILL, "wounded": _WOUND, "captured": _CAPTURE}
_VERB_RE = {name: re.compile(rf"\b{rx}\b", re.IGNORECASE) for name, rx in _VERBS.items()}
_ANY_VERB = re.compile(rf"\b(?:{_KILL}|{_WOUND}|{_CAPTURE})\b", re.IGNORECASE)
_NONE_RE = {
    "killed": re.compile(
        r"\bno (?:one|deaths?|casualties|fatalities)\b[^.;]*?(?:killed|reported|were)?",
        re.IGNORECASE,
    ),
}
_PEOPLE = (
    r"(?:people|persons|civilians|militants|fighters|members|soldiers|troops|guards|"
    r"intruders|smugglers|assailants|passengers|workers|students|worshippers|"
    r"policemen|police|officers|personnel|insurgents|leaders|commanders|children|women|men|"
    r"worshippers|pakistanis|afghans|others|more|terrorists|gunmen|attackers|key|senior|"
    r"of|the|isis|isis-k|iskp|is-k|taliban|american|military|security|forces|"
    r"border|militia|local|suspected|armed|innocent|pro-government|government|army|national|"
    r"foreign|other|enemy|rebels|tribal|special|uniformed|public|coalition|insurgent|"
    r"bodyguards|relatives|villagers|shepherds|farmers|elders|protesters|residents|labou?rers|"
    r"employees|staff|deminers|international|their|his|suicide|bombers|alleged|afghan|"
    r"pakistani|ana|anp|alp|nds|ansf|andsf|sympathizers|supporters|soldier|policeman|"
    r"civilian|militant|fighter|member|officer|guard|insurgent|commander|person|family)"
)


def _amount_after(text: str, pos: int) -> list[Count]:
    """Amounts right after a verb, joined by "and" ("killed 13 … and at least 169 …")."""
    window = text[pos : pos + 120]
    stop = _ANY_VERB.search(window)
    if stop:
        # "wounded 4 and 3 killed": an amount right before the next verb belongs to it.
        window = re.sub(
            rf"\s*(?:and\s+)?{_NUM}\s+(?:{_PEOPLE}\s+){{0,3}}(?:were\s+)?$",
            " ",
            window[: stop.start()],
            flags=re.IGNORECASE,
        )
    window = window[: _clause_end(window)]
    counts = _counts_in(window)
    if counts and _ONE_AND_AFTER.match(window):
        counts.insert(0, Count(1, 1, 1))  # "killed a Taliban leader and two of his guards"
    return counts


_CLAUSE_END = re.compile(
    r"[;:,]\s*(?!\d{3})|\b(?:in|during|on|after|when|since|while)\b", re.IGNORECASE
)


def _clause_end(window: str) -> int:
    """Where the figures after a verb stop: at a preposition or punctuation, except a comma
    that goes on with another figure ("kills two soldiers, four militants")."""
    for m in _CLAUSE_END.finditer(window):
        if m.group(0).startswith(",") and _LIST_GOES_ON.match(window, m.end()):
            continue
        if m.group(0).startswith(":") and not window[: m.start()].strip():
            continue  # "Fatalities: 3 soldiers"
        return m.start()
    return len(window)


def _counts_in(window: str) -> list[Count]:
    counts = []
    for match in _COUNT_RE.finditer(window):
        if match.group("num") and _is_year_or_time(window, match):
            continue
        count = _count_from_match(match)
        if count is not None and match.group(0).strip().lower() not in {"a", "an", "one of"}:
            counts.append(count)
    return counts


def _is_year_or_time(window: str, match: re.Match[str]) -> bool:
    num = match.group("num") or ""
    after = window[match.end() : match.end() + 14].lower()
    if re.fullmatch(r"(19|20)\d\d", num):
        return True
    return bool(_NOT_PEOPLE.match(after))


_NOT_PEOPLE = re.compile(
    r"\s*(?:(?:pm|am|minutes|hours|km|kilomet\w*|days|weeks|months|years|rockets|missiles|"
    r"projectiles|hideouts|districts|th|st|nd|rd|percent)\b|[ap]\.m\.|%)"
)


#: who a figure counts: a people word, a name, a plural noun ("extremists", "tribesmen"), or
#: a modifier before one of those ("2 traffic policemen").
_WHO = rf"(?:{_PEOPLE}|(?-i:[A-Z][A-Za-z-]*)|[a-z-]+(?:s|men)|man|woman|child|boy|girl)"
_LIST_GOES_ON = re.compile(
    rf"(?:and\s+)?{_NUM}\s+(?!of\s+(?:them|whom|those)\b)(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\b",
    re.IGNORECASE,
)
#: ", including 2 women," between a figure and its verb: a part of the figure, left out.
_INCLUDING = re.compile(r",\s*(?:including|among them)\b[^,;]*,\s*", re.IGNORECASE)
_BEFORE_VERB = re.compile(
    rf"(?<![\w.,'’-])(?P<amt>(?:between\s+\S+\s+and\s+\S+"
    rf"|(?:at least|more than|over|about|some|up to)\s+\S+"
    rf"|[\w.,'’-]*\w))\s+(?:(?:{_WHO}|[a-z-]+(?=\s+{_WHO}\b))\s+){{0,5}}"
    rf"(?:(?:were|was|have been|had been|are|been)\s+)?"
    rf"(?:reportedly\s+|also\s+|allegedly\s+)?(?:shot\s+)?$",
    re.IGNORECASE,
)


def _amount_before(text: str, start: int) -> list[Count]:
    """Amount right before a passive verb ("eight ISIS militants were killed"): the first
    figure whose words up to the verb all say who it counts."""
    window = _INCLUDING.sub(" ", text[max(0, start - 100) : start])
    pos = 0
    while (match := _BEFORE_VERB.search(window, pos)) is not None:
        counts = _counts_in(match.group("amt"))
        if counts:
            return counts
        pos = match.start() + 1
    return []


_NOBODY_BEFORE = re.compile(
    r"\b(?:no one|nobody|none)\s+(?:was|were|has been|had been)?\s*(?:reported\s+)?$"
    r"|\bno\s+(?:[\w-]+\s+){0,3}?(?:was|were|has been|had been|have been)\s+(?:reported\s+)?$",
    re.IGNORECASE,
)  # "no one was hurt", "No ISAF members were killed"


#: "10 soldiers, 4 policemen and 1 militia member were killed": the amounts of a list.
_LIST_BEFORE = re.compile(
    rf"(?P<list>(?:{_NUM}\s+(?:[\w-]+\s+){{0,3}}?[\w-]+(?:,\s*|,?\s+and\s+))+"
    rf"{_NUM}\s+(?:[\w-]+\s+){{0,3}}?[\w-]+)\s+(?:(?:were|was|have been|had been)\s+)?"
    rf"(?:reportedly\s+|also\s+)?$",
    re.IGNORECASE,
)
#: "a commander was killed", "one policeman has been wounded": one person.
_SINGULAR = (
    r"(?:commander|soldier|policeman|policewoman|civilian|member|leader|militant|fighter|child|"
    r"boy|girl|man|woman|officer|guard|elder|official|insurgent|resident|driver|student|worker|"
    r"journalist|cleric|judge|teacher|shopkeeper|farmer|shepherd|trader|doctor|person|"
    r"vaccinator|politician|lawyer|activist|tribesman|trooper|jawan|sepoy|constable|governor|"
    r"bomber|attacker|gunman|militiaman|pilgrim|passenger|worshipper|engineer|contractor|"
    r"chief|head|spokesman|deputy|mayor|prosecutor|imam|mullah|scholar|councillor|councilor|"
    r"facilitator|financier|emir|operative|suspect|associate|courier|recruiter|kidnapper)"
)
#: "killed a Taliban leader and two …": the one named before the figure counts too.
_ONE_AND_AFTER = re.compile(
    rf"\s+(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?{_SINGULAR}\s+and\s+", re.IGNORECASE
)
#: "Gunmen kill vaccinator", "a blast killed a policeman": one person, after the verb.
_ONE_AFTER = re.compile(
    rf"\s+(?:a\s+|an\s+|one\s+|the\s+)?(?:[\w-]+\s+){{0,2}}?{_SINGULAR}\b(?!s)", re.IGNORECASE
)
#: "Pakistan says soldier killed", "Suicide bomber shot dead": headline style, no article.
_BARE_ONE_BEFORE = re.compile(
    rf"\b{_SINGULAR}\s+(?:was\s+|is\s+)?(?:shot\s+|reportedly\s+)?$", re.IGNORECASE
)
#: "death toll rises to 24", "toll reaches 30": the killed count so far.
_TOLL = re.compile(
    rf"\b(?:death\s+)?toll\s+(?:[\w-]+\s+){{0,6}}?(?:(?:has\s+)?(?:rises|rose|risen|climbs|climbed|reaches|"
    rf"reached|jumps|jumped|increases|increased|hits|stands|stood)\s+(?:to\s+|at\s+)?|"
    rf"(?:is|was|of)\s+)(?P<n>(?:at least\s+)?{_NUM})\b",
    re.IGNORECASE,
)
#: "killed a religious scholar", "wounding an elder": one person, whatever the noun.
_A_SOMEONE = re.compile(
    r"\s+(?:a|an)\s+(?!(?:number|few|dozen|total|lot|series|group|couple|handful|score|"
    r"unknown|undisclosed|unspecified|large|small|further|additional)\b)[a-z][\w-]*",
)
_ONE_BEFORE = re.compile(
    rf"\b(?:a|an|one)\s+(?:[\w-]+\s+){{0,2}}?{_SINGULAR}\s+(?:[\w-]+\s+){{0,3}}?"
    r"(?:(?:was|has been|had been|is)\s+)?(?:reportedly\s+|also\s+|shot\s+and\s+)?$",
    re.IGNORECASE,
)


#: Words that make a number a date or a duration, not a toll (the months of geo._dates).
_DATE_WORDS = re.compile(rf"\b(?:(?:19|20)\d\d|{_MONTH}|hours?|days?|minutes?)\b", re.IGNORECASE)


def _list_before(text: str, start: int) -> list[Count]:
    window = text[max(0, start - 160) : start]
    match = _LIST_BEFORE.search(window)
    if (
        not match
        or _DATE_WORDS.search(match.group("list"))
        or _ANY_VERB.search(match.group("list"))
    ):
        return []  # "On 12 March 2019, 2 civilians were killed" is not a list of 14
    counts = _counts_in(match.group("list"))
    return counts if len(counts) > 1 else []


#: "killing and wounding 9": dead and wounded together — each at least 1, at most N - 1.
_KILLED_AND_WOUNDED = re.compile(
    rf"\b(?:killing|killed)\s+(?:and|or)\s+(?:wounding|wounded|injuring|injured)\s+"
    rf"(?:at least\s+|some\s+|about\s+)?(?P<n>{_NUM})\b"
    rf"|\b(?P<n2>{_NUM})\s+(?:[\w-]+\s+){{0,3}}?(?:were\s+)?(?:killed|dead)\s+(?:and|or)\s+"
    rf"(?:wounded|injured)\b",
    re.IGNORECASE,
)


def _together(text: str) -> int | None:
    m = _KILLED_AND_WOUNDED.search(text)
    if m is None:
        return None
    value = parse_number(m.group("n") or m.group("n2") or "")
    return value if value is not None and value >= 2 else None


_JOINED = re.compile(r"\band\b|[,;]")


def _more_victims(text: str, pos: int, verb: re.Pattern[str]) -> list[Count]:
    """Further victims named as subjects of their own verb in the same sentence: "six
    terrorists were killed and two soldiers embraced martyrdom" (8)."""
    more: list[Count] = []
    for match in verb.finditer(text, pos):
        gap = text[pos : match.start()]
        if not _JOINED.search(gap):
            continue
        more += _amount_before(text, match.start())[:1]
        pos = match.end()
    return more


#: "killing him", "detaining her": one person named before.
_PRONOUN_AFTER = re.compile(r"\s+(?:him|her)\b", re.IGNORECASE)
#: "a Taliban commander and his two bodyguards were killed": one plus the figure.
_ONE_AND_N_BEFORE = re.compile(
    rf"\b(?:a|an|one)\s+(?:[\w-]+\s+){{0,2}}?{_SINGULAR}\s+and\s+(?:his|her|their|the\s+)?\s*"
    rf"(?P<n>{_NUM})\s+(?:[\w-]+\s+){{0,2}}?[\w-]+\s+(?:(?:were|have been|had been)\s+)?"
    r"(?:reportedly\s+|also\s+)?$",
    re.IGNORECASE,
)


def _one_and_more(before: str) -> list[Count]:
    m = _ONE_AND_N_BEFORE.search(before)
    value = parse_number(m.group("n")) if m else None
    return [Count(1 + value, 1 + value, 1 + value)] if value is not None else []


def _one_person(before: str, text: str, end: int, field: str, verb: str = "") -> bool:
    """One victim named without a number, before the verb ("a commander was killed", "soldier
    killed") or after it ("Gunmen kill vaccinator", "killing a religious scholar")."""
    if _ONE_BEFORE.search(before) or _PRONOUN_AFTER.match(text, end):
        return True
    if field == "killed" and _BARE_ONE_BEFORE.search(before) and not _counts_in(before[-40:]):
        return True
    if field == "captured" and verb.lower().startswith(("abduct", "kidnap")):
        return False  # "kidnapped a trader": an abduction, not a capture by a force
    return bool(_ONE_AFTER.match(text, end) or _A_SOMEONE.match(text, end))


def _field_count(text: str, field: str) -> Count | None:
    verb = _VERB_RE[field]
    found: list[Count] = []
    for match in verb.finditer(text):
        before = text[max(0, match.start() - 80) : match.start()]
        if _NOBODY_BEFORE.search(before[-30:]):
            return Count(0, 0, 0)  # "no one was hurt"
        after = (
            _amount_after(text, match.end())
            or _list_before(text, match.start())
            or _one_and_more(before)
        )
        if not after and _one_person(before, text, match.end(), field, match.group(0)):
            return Count(1, 1, 1)  # "a commander was killed", "Gunmen kill vaccinator"
        found.extend(after or _amount_before(text, match.start()))
        if found:
            found += _more_victims(text, match.end(), verb)
            break
    if found:
        total = found[0]
        for extra in found[1:]:
            total = total + extra
        return total
    toll = _TOLL.search(text) if field == "killed" else None
    if toll is not None:
        return parse_count(toll.group("n"))
    none_re = _NONE_RE.get(field)
    if none_re and none_re.search(text):
        return Count(0, 0, 0)
    return None


#: who the dead of a sentence are, by the noun after the figure ("4 ANA soldiers").
_VICTIM_CLASSES = (
    ("security", r"soldiers?|troops?|police(?:men|man)?|officers?|guards?|commandos?|ANA|ANP|"
                 r"ALP|ANDSF|ANSF|NDS|personnel|militia(?:men)?|servicemen|FC|Levies"),
    ("militant", r"Taliban|insurgents?|militants?|fighters?|terrorists?|attackers?|ISKP|IS-K|"
                 r"Daesh|gunmen|rebels?|members"),
    ("civilian", r"civilians?|children|child|women|woman|men|people|residents?|villagers?|"
                 r"passengers?|worshippers?|students?"),
)  # fmt: skip
_VICTIM_RES = tuple(
    (name, re.compile(rf"\b\d+\s+(?:[\w-]+\s+){{0,2}}?(?:{rx})\b", re.IGNORECASE))
    for name, rx in _VICTIM_CLASSES
)


def victim_class(sentence: str) -> str:
    """Who the first figure of a sentence counts: "security", "militant", "civilian" or ""."""
    found = [(m.start(), name) for name, rx in _VICTIM_RES for m in [rx.search(sentence)] if m]
    return min(found)[1] if found else ""


#: "Taliban claimed 12 killed, while the government reported 3": two sides' figures.
_CONTRAST_SPLIT = re.compile(
    r"\s*(?:;|,?\s+(?:while|whereas|but)\b|,\s+however,?)\s*", re.IGNORECASE
)
_CLAIM_WORD = re.compile(r"\bclaim(?:ed|s|ing)?\b", re.IGNORECASE)
_SOURCE_WORD = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|said|says|reported|reports|confirmed|put|puts|stated|told|"
    r"according to)\b",
    re.IGNORECASE,
)


def _conflicting(sentence: str, field: str) -> Count | None:
    """Two sides' figures for the same toll in one sentence, one of them a claim: the lower
    is the best value (ACLED's most conservative figure), the higher the upper bound."""
    if not _CLAIM_WORD.search(sentence):
        return None
    parts = _CONTRAST_SPLIT.split(sentence, maxsplit=1)
    if len(parts) != 2 or not all(_SOURCE_WORD.search(p) for p in parts):
        return None
    found = [_field_count(p, field) for p in parts]
    counts = [c for c in found if c is not None]
    if len(counts) != 2:
        return None
    classes = [victim_class(p) for p in parts]
    if all(classes) and classes[0] != classes[1]:
        return None  # "11 Taliban were killed; the Taliban claimed 9 soldiers": both sides' dead
    low = min(c.best for c in counts)
    return Count(low, low, max(c.best for c in counts))


def extract_casualties(sentence: str) -> Casualties:
    """Killed, wounded and captured counts stated in one sentence, kept apart.

    Parameters
    ----------
    sentence : str
        One sentence of an article.

    Returns
    -------
    Casualties
        Each field ``None`` when the sentence does not state it.

    Examples
    --------
    >>> extract_casualties("Police killed at least eight militants and captured three.").killed
    Count(best=8, low=8, high=None)
    """
    together = _together(sentence)
    if together is not None:  # "killing and wounding 9": a range for each, not 9 dead
        both = Count(1, 1, together - 1)
        return Casualties(both, both, _field_count(sentence, "captured"))
    return Casualties(
        killed=_conflicting(sentence, "killed") or _field_count(sentence, "killed"),
        wounded=_conflicting(sentence, "wounded") or _field_count(sentence, "wounded"),
        captured=_field_count(sentence, "captured"),
    )
