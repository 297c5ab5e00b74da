"""Dates in news text: explicit, relative, and the publication date they hang on.

Conventions
-----------
* Precision is ``day``, ``week``, ``month`` or ``year``.  A month-precision date is stored as
  the 1st of the month ("in July 2018" → 2018-07-01), except "mid-<month>" (the 15th); a
  year-precision date as 1 January.
* Relative expressions ("on Saturday", "last month", "last August", "a year ago") are
  resolved against a :class:`Reference`: the publication date when it is known, otherwise one
  inferred from the text by :func:`infer_reference`.
* Without a publication date the reference is inferred in this order: (1) a known anchor
  event with a relative phrase — the Taliban takeover of Kabul (August 2021) described as
  "last August", "August of last year", "a year ago", "two years ago" — fixes the year of
  publication; (2) the article is not older than the latest explicit date it mentions, so
  a day and month without a year ("May 7") is the first such day after that date; (3) the
  latest resolved day-precision date becomes the reference for weekdays and "last month".
  Dates resolved against an inferred reference are one precision step coarser (a weekday
  becomes ``week``; against a year-only reference everything becomes ``year``).
* Dates right after a reporting verb ("said on June 11") are *statement* dates; dates after
  "since" are *since* dates.  Extraction prefers event dates over statement dates and never
  uses since dates as an event date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "DATE_PRECISIONS_ORDER",
    "DateMention",
    "Reference",
    "date_interval",
    "find_dates",
    "infer_reference",
    "intervals_overlap",
]

DATE_PRECISIONS_ORDER = ("day", "week", "month", "year")
#: Year the Taliban took Kabul; anchors "last August"-style phrases near a takeover cue.
TAKEOVER_YEAR = 2021

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?:19|20)\d\d"
_AGO_N = r"(?:a|one|two|three|four|five|\d)"
_NUMS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}

_DATE_RE = re.compile(
    rf"(?P<iso>\b{_YEAR}-\d\d-\d\d\b)"
    rf"|(?P<md>\b(?P<md_m>{_MONTH})\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>{_YEAR})\b)?)"
    rf"|(?P<dm>\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{_MONTH})\b(?:,?\s+(?P<dm_y>{_YEAR})\b)?)"
    rf"|(?P<mof>\b(?P<mof_m>{_MONTH})\s+of\s+last\s+year\b)"
    rf"|(?P<lastm>\blast\s+(?P<lastm_m>{_MONTH})\b)"
    rf"|(?P<mid>\b(?P<mid_q>mid|early|late)[-\s](?P<mid_m>{_MONTH})\b(?:\s+(?P<mid_y>{_YEAR})\b)?)"
    rf"|(?P<my>\b(?P<my_m>{_MONTH})\s+(?P<my_y>{_YEAR})\b)"
    rf"|(?P<qy>\b(?:early|late|mid)[-\s](?P<qy_y>{_YEAR})\b)"
    rf"|(?P<y>\b(?:in|since|of|by|until|during)\s+(?P<y_y>{_YEAR})\b)"
    rf"|(?P<rel>\b(?:last|this|past)\s+(?P<rel_u>week|month|year|weekend)\b)"
    rf"|(?P<ago>\b(?P<ago_n>{_AGO_N})\s+(?P<ago_u>day|week|month|year)s?\s+ago\b)"
    rf"|(?P<yd>\b(?:yesterday|today)\b)"
    rf"|(?P<wd>\b(?P<wd_w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b)"
    rf"|(?P<bare>\b(?:in|during|since)\s+(?P<bare_m>January|February|March|April|June|July|August|September|October|November|December)\b"
    rf"(?!,?\s+(?:{_YEAR}|of\s+last|\d)))",
    re.IGNORECASE,
)
_STATEMENT_BEFORE = re.compile(
    r"\b(?:said|says|announced|reported|claimed|claiming|stated|confirmed|told|tweeted|wrote|"
    r"released|published|added|denied)\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)
_SINCE_BEFORE = re.compile(
    r"\b(?:since|until|by|before)\s+(?:the\s+)?(?:early\s+|late\s+|mid-)?$", re.IGNORECASE
)
_TAKEOVER = re.compile(
    r"\b(?:seized power|seized control|took power|took over|takeover|overthrew|returned to power|"
    r"came to power|return to power|seizure of power)\b",
    re.IGNORECASE,
)
_TAKEOVER_REL = re.compile(
    rf"\b(?:(?P<last>last August|August of last year|last year)|(?P<n>{_AGO_N})\s+years?\s+ago)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reference:
    """The date relative expressions are resolved against.

    ``value`` is the (possibly inferred) publication date, ``precision`` how well it is
    known, ``floor`` the earliest date the article can have been written (latest explicit
    date it mentions), ``inferred`` whether it came from the text, and ``reason`` says how.
    """

    value: date | None
    precision: str = "day"
    floor: date | None = None
    inferred: bool = False
    reason: str = ""


@dataclass(frozen=True)
class DateMention:
    """One date expression: character span, resolved value, precision and kind."""

    start: int
    end: int
    text: str
    value: date
    precision: str
    kind: str = "event"  # "event", "statement" or "since"
    relative: bool = False


def _coarser(precision: str, steps: int = 1) -> str:
    idx = min(DATE_PRECISIONS_ORDER.index(precision) + steps, len(DATE_PRECISIONS_ORDER) - 1)
    return DATE_PRECISIONS_ORDER[idx]


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return _MONTHS.get(key) or _MONTHS[key[:3]]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _no_year(month: int, day: int, ref: Reference) -> tuple[date | None, bool]:
    """A day-month without a year: latest before a known reference, else first after floor."""
    if ref.value is not None and not ref.inferred:
        cand = _safe_date(ref.value.year, month, day)
        if cand and cand > ref.value + timedelta(days=2):
            cand = _safe_date(ref.value.year - 1, month, day)
        return cand, False
    if ref.floor is not None:
        cand = _safe_date(ref.floor.year, month, day)
        if cand and cand <= ref.floor:
            cand = _safe_date(ref.floor.year + 1, month, day)
        return cand, False
    if ref.value is not None:
        return _safe_date(ref.value.year, month, day), False
    return None, True


def _explicit(m: re.Match[str], ref: Reference) -> tuple[date | None, str]:
    if m.group("iso"):
        try:
            return date.fromisoformat(m.group("iso")), "day"
        except ValueError:
            return None, "day"
    for key in ("md", "dm"):
        if m.group(key):
            month, day = _month(m.group(f"{key}_m")), int(m.group(f"{key}_d"))
            year = m.group(f"{key}_y")
            if year:
                return _safe_date(int(year), month, day), "day"
            value, _ = _no_year(month, day, ref)
            return value, "day"
    if m.group("my"):
        return _safe_date(int(m.group("my_y")), _month(m.group("my_m")), 1), "month"
    if m.group("qy"):
        return date(int(m.group("qy_y")), 1, 1), "year"
    if m.group("y"):
        return date(int(m.group("y_y")), 1, 1), "year"
    return None, "day"


def _relative(m: re.Match[str], ref: Reference) -> tuple[date | None, str]:
    if ref.value is None:
        return None, "year"
    base, prec = ref.value, ref.precision
    soften = 1 if ref.inferred else 0
    if m.group("mof"):
        return date(base.year - 1, _month(m.group("mof_m")), 1), "month"
    if m.group("lastm"):
        month = _month(m.group("lastm_m"))
        year = (
            base.year if prec in ("day", "week", "month") and base.month > month else base.year - 1
        )
        return date(year, month, 1), "month"
    if m.group("mid"):
        month = _month(m.group("mid_m"))
        day = {"mid": 15, "early": 1, "late": 25}[m.group("mid_q").lower()]
        if m.group("mid_y"):
            return date(int(m.group("mid_y")), month, day), "month"
        value, _ = _no_year(month, day, ref)
        return value, "month"
    if m.group("bare"):
        value, _ = _no_year(_month(m.group("bare_m")), 1, ref)
        return value, "month"
    if prec == "year":
        return date(base.year, 1, 1), "year"
    if m.group("rel"):
        unit = m.group("rel_u").lower()
        if unit in ("week", "weekend"):
            return base - timedelta(days=7), _coarser("week", soften)
        if unit == "month":
            prev = date(base.year, base.month, 1) - timedelta(days=1)
            return date(prev.year, prev.month, 1), "month"
        return date(base.year - 1, 1, 1), "year"
    if m.group("ago"):
        n = _NUMS.get(m.group("ago_n").lower()) or int(m.group("ago_n"))
        unit = m.group("ago_u").lower()
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        precision = {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]
        return base - timedelta(days=days), _coarser(precision, soften)
    if m.group("yd"):
        delta = 1 if m.group("yd").lower() == "yesterday" else 0
        return base - timedelta(days=delta), _coarser(prec, soften) if prec == "day" else prec
    if m.group("wd"):
        target = _WEEKDAYS.index(m.group("wd_w").lower())
        if ref.inferred:  # the article is at or after the reference: first such day on/after
            return base + timedelta(days=(target - base.weekday()) % 7), "week"
        return base - timedelta(days=(base.weekday() - target) % 7), "day"
    return None, prec


def _kind(text: str, start: int) -> str:
    before = text[max(0, start - 30) : start]
    if _SINCE_BEFORE.search(before):
        return "since"
    if _STATEMENT_BEFORE.search(before):
        return "statement"
    return "event"


def find_dates(text: str, ref: Reference, offset: int = 0) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``ref``.

    Parameters
    ----------
    text : str
        A sentence (or any text).
    ref : Reference
        Publication date, known or inferred (see :func:`infer_reference`).
    offset : int
        Added to the spans, so they point into the whole article.

    Returns
    -------
    list of DateMention
        In text order; expressions that cannot be resolved are left out.
    """
    found = []
    for m in _DATE_RE.finditer(text):
        if m.group("y") and m.group(0).lower().startswith("since"):
            kind = "since"
        else:
            kind = _kind(text, m.start())
        explicit = any(m.group(k) for k in ("iso", "md", "dm", "my", "qy", "y"))
        value, precision = _explicit(m, ref) if explicit else _relative(m, ref)
        if m.group("bare") and m.group(0).lower().startswith("since"):
            kind = "since"
        if value is None:
            continue
        relative = not explicit or bool(
            (m.group("md") or m.group("dm")) and not (m.group("md_y") or m.group("dm_y"))
        )
        found.append(
            DateMention(
                m.start() + offset, m.end() + offset, m.group(0), value, precision, kind, relative
            )
        )
    return found


def _takeover_year(text: str) -> int | None:
    years = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if not _TAKEOVER.search(sentence):
            continue
        for m in _TAKEOVER_REL.finditer(sentence):
            n = 1 if m.group("last") else (_NUMS.get(m.group("n").lower()) or int(m.group("n")))
            years.append(TAKEOVER_YEAR + n)
    return max(years) if years else None


def _latest_explicit(text: str) -> date | None:
    latest = None
    bare = Reference(None)
    for m in _DATE_RE.finditer(text):
        if m.group("md_y") or m.group("dm_y") or m.group("iso"):
            value, _ = _explicit(m, bare)
        elif m.group("my"):
            value = _month_end(int(m.group("my_y")), _month(m.group("my_m")))
        elif m.group("mid_y"):
            value = _month_end(int(m.group("mid_y")), _month(m.group("mid_m")))
        else:
            continue
        if value and (latest is None or value > latest):
            latest = value
    return latest


def infer_reference(text: str, published: date | None = None) -> Reference:
    """The reference date for relative expressions in an article.

    Parameters
    ----------
    text : str
        The whole article.
    published : date, optional
        The publication date, when known; it is then used as is.

    Returns
    -------
    Reference
        See the module docstring for the inference rules.
    """
    if published is not None:
        return Reference(published, "day", reason="publication date given")
    year = _takeover_year(text)
    latest = _latest_explicit(text)
    floor = latest
    if year is not None and (floor is None or floor.year < year):
        floor = date(year, 1, 1) - timedelta(days=1)
    if floor is None:
        return Reference(None, "year", inferred=True, reason="no date in the text to anchor on")
    base = Reference(floor, "year", floor, inferred=True)
    days = [
        d.value
        for d in find_dates(text, base)
        if (d.precision == "day" and not d.relative) or (d.precision == "day" and d.value > floor)
    ]
    days = [d for d in days if d > floor]
    why = f"takeover anchor gives {year}; " if year else ""
    if days:
        return Reference(max(days), "day", floor, True, why + f"latest dated mention {max(days)}")
    if year is not None:
        return Reference(date(year, 1, 1), "year", floor, True, why + "no day-precision date")
    return Reference(floor, "month", floor, True, f"latest explicit date {floor}")


def date_interval(value: date, precision: str) -> tuple[date, date]:
    """The span a date of a given precision may stand for (inclusive).

    ``day`` allows one day either side (reports straddle midnight and time zones), ``week``
    six days either side, ``month`` the calendar month, ``year`` the calendar year.
    """
    if precision == "day":
        return value - timedelta(days=1), value + timedelta(days=1)
    if precision == "week":
        return value - timedelta(days=6), value + timedelta(days=6)
    if precision == "month":
        return date(value.year, value.month, 1), _month_end(value.year, value.month)
    return date(value.year, 1, 1), date(value.year, 12, 31)


def intervals_overlap(a: tuple[date, str], b: tuple[date, str]) -> bool:
    """True when two (date, precision) pairs can stand for the same day."""
    a0, a1 = date_interval(*a)
    b0, b1 = date_interval(*b)
    return a0 <= b1 and b0 <= a1
