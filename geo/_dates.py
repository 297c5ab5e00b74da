"""Dates in news text: explicit, relative, and the publication date they hang on.

Conventions
-----------
* Precision is ``day``, ``week``, ``month`` or ``year``.  A month-precision date is stored as
  the 1st of the month ("in July 2018" → 2018-07-01), except "mid-<month>" (the 15th); a
  year-precision date as 1 January.
* Relative expressions ("on Saturday", "last month", "last August", "a year ago") are
  resolved against a :class:`Reference`: the publication date when it is known, otherwise one
  inferred from the text by :func:`infer_reference`.
* Without a publication date the reference is the latest full date the text gives (a
  day and month without a year take the year that puts them closest to it); when the text
  names only months or years, the year of a bare day and month is *unknown*: it is given
  the first such day after the latest date named (the earliest the text allows) and marked
  ``year_known=False`` for review.  No year is guessed from outside knowledge.  Dates
  resolved against an inferred reference are one precision step coarser (a weekday
  becomes ``week``).
* "Reported on 4 March 2019, over the past 24 hours": the event is the day before (the
  event-data convention); "As reported on <date>" dates the event, not a statement.
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
    rf"|(?P<md>\b(?P<md_m>{_MONTH})(?:\s+|-)(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"(?:\s*[-–]\s*\d{{1,2}}\b(?!-))?"
    rf"(?:(?:,?\s+|-)(?P<md_y>{_YEAR})\b)?)"
    rf"|(?P<dm>\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?)?"
    rf"(?:\s+|-|\s*/\s*)(?:of\s+)?(?P<dm_m>{_MONTH})"
    rf"(?![\w])(?:(?:,?\s+|-|\s*/\s*)(?P<dm_y>{_YEAR})\b)?)"
    rf"|(?P<num>\b(?P<num_a>\d{{1,2}})(?P<num_s>[/.\s-])(?P<num_b>\d{{1,2}})(?P=num_s)"
    rf"(?P<num_y>{_YEAR})\b)"
    rf"|(?P<mof>\b(?P<mof_m>{_MONTH})\s+of\s+last\s+year\b)"
    rf"|(?P<lastm>\blast\s+(?P<lastm_m>{_MONTH})\b)"
    rf"|(?P<mid>\b(?P<mid_q>mid|early|late)[-\s](?P<mid_m>{_MONTH})\b(?:\s+(?P<mid_y>{_YEAR})\b)?)"
    rf"|(?P<my>\b(?P<my_m>{_MONTH})\s+(?P<my_y>{_YEAR})\b)"
    rf"|(?P<qy>\b(?:early|late|mid)[-\s](?P<qy_y>{_YEAR})\b)"
    rf"|(?P<y>\b(?:in|since|of|by|until|during)\s+(?P<y_y>{_YEAR})\b)"
    rf"|(?P<rel>\b(?:last|this|past|over\s+the)\s+(?P<rel_u>week|month|year|weekend)\b)"
    rf"|(?P<ago>\b(?P<ago_n>{_AGO_N})\s+(?P<ago_u>day|week|month|year)s?\s+ago\b)"
    rf"|(?P<yd>\b(?:(?:the\s+)?day\s+before\s+yesterday|yesterday|today|tonight"
    rf"|last\s+(?:night|evening)|this\s+(?:morning|afternoon|evening)|earlier\s+today)\b)"
    rf"|(?P<wd>\b(?P<wd_w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b)"
    rf"|(?P<bare>\b(?:in|during|since)\s+(?P<bare_m>January|February|March|April|June|July|August|September|October|November|December)\b"
    rf"(?!,?\s+(?:{_YEAR}|of\s+last|\d)))",
    re.IGNORECASE,
)


def _days_back(expr: str) -> int:
    """ "yesterday" and "last night" (the night before the report) 1, "the day before
    yesterday" 2, "today", "tonight", "this morning" 0."""
    words = expr.lower().split()
    if "before" in words:
        return 2
    return 1 if words[0] in ("yesterday", "last") else 0


_STATEMENT_BEFORE = re.compile(
    r"\b(?:said|says|announced|reported|claimed|claiming|stated|confirmed|told|tweeted|wrote|"
    r"released|published|added|denied)\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)
_AS_REPORTED = re.compile(r"\b(?:as\s+)?reported\s+(?:on\s+)?$", re.IGNORECASE)
#: after "Reported on <date>": the event is the day before ("over the past 24 hours").
_PAST_DAY = re.compile(
    r"[\s,;:(]+(?:\w+\s+){0,3}?(?:over|in|during|within)\s+the\s+(?:past|last|previous)\s+"
    r"(?:24|twenty-four)\s+hours",
    re.IGNORECASE,
)
_SINCE_BEFORE = re.compile(
    r"\b(?:since|until|by|before)\s+(?:the\s+)?(?:early\s+|late\s+|mid-)?$", re.IGNORECASE
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
    anchor: date | None = None  # latest full date (day, month and year) the text gives


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
    year_known: bool = True  # False: a day and month whose year neither text nor date gives


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
    """A day and month without a year, and whether its year is known.

    Against a publication date: the latest such day not after it (two days' grace).  Against
    a full date the text gives (``ref.anchor``): the such day closest to it.  Otherwise the
    year is unknown: the first such day after the text's latest date (``ref.floor``), or
    the latest such day up to today, flagged ``year_known=False``.
    """
    if ref.value is not None and not ref.inferred:
        cand = _safe_date(ref.value.year, month, day)
        if cand and cand > ref.value + timedelta(days=2):
            cand = _safe_date(ref.value.year - 1, month, day)
        return cand, True
    if ref.anchor is not None:
        years = (ref.anchor.year - 1, ref.anchor.year, ref.anchor.year + 1)
        found = [d for y in years if (d := _safe_date(y, month, day)) is not None]
        anchor = ref.anchor
        return (min(found, key=lambda d: abs((d - anchor).days)) if found else None), True
    if ref.floor is not None:
        cand = _safe_date(ref.floor.year, month, day)
        if cand and cand <= ref.floor:
            cand = _safe_date(ref.floor.year + 1, month, day)
        return cand, False
    today = date.today()
    cand = _safe_date(today.year, month, day)
    if cand and cand > today:
        cand = _safe_date(today.year - 1, month, day)
    return cand, False


def _numeric(a: int, b: int, year: int) -> date | None:
    """ "04 03 2019", "04/03/2019": day first (the form of the region's reporting), unless
    only month first makes sense ("03/24/2019")."""
    if a > 12 >= b or (a <= 12 and b <= 12):
        return _safe_date(year, b, a)
    return _safe_date(year, a, b)


def _explicit(m: re.Match[str], ref: Reference) -> tuple[date | None, str, bool]:
    if m.group("iso"):
        try:
            return date.fromisoformat(m.group("iso")), "day", True
        except ValueError:
            return None, "day", True
    if m.group("num"):
        return (
            _numeric(int(m.group("num_a")), int(m.group("num_b")), int(m.group("num_y"))),
            "day",
            True,
        )
    for key in ("md", "dm"):
        if m.group(key):
            month, day = _month(m.group(f"{key}_m")), int(m.group(f"{key}_d"))
            year = m.group(f"{key}_y")
            if year:
                return _safe_date(int(year), month, day), "day", True
            value, known = _no_year(month, day, ref)
            return value, "day", known
    if m.group("my"):
        return _safe_date(int(m.group("my_y")), _month(m.group("my_m")), 1), "month", True
    if m.group("qy"):
        return date(int(m.group("qy_y")), 1, 1), "year", True
    if m.group("y"):
        return date(int(m.group("y_y")), 1, 1), "year", True
    return None, "day", True


def _relative(m: re.Match[str], ref: Reference) -> tuple[date | None, str, bool]:  # noqa: C901 - one branch per relative-date form, read top to bottom
    if ref.value is None:
        return None, "year", True
    base, prec = ref.value, ref.precision
    soften = 1 if ref.inferred else 0
    if m.group("mof"):
        return date(base.year - 1, _month(m.group("mof_m")), 1), "month", True
    if m.group("lastm"):
        month = _month(m.group("lastm_m"))
        year = (
            base.year if prec in ("day", "week", "month") and base.month > month else base.year - 1
        )
        return date(year, month, 1), "month", True
    if m.group("mid"):
        month = _month(m.group("mid_m"))
        day = {"mid": 15, "early": 1, "late": 25}[m.group("mid_q").lower()]
        if m.group("mid_y"):
            return date(int(m.group("mid_y")), month, day), "month", True
        value, known = _no_year(month, day, ref)
        return value, "month", known
    if m.group("bare"):
        value, known = _no_year(_month(m.group("bare_m")), 1, ref)
        return value, "month", known
    if prec == "year":
        return date(base.year, 1, 1), "year", True
    if m.group("rel"):
        unit = m.group("rel_u").lower()
        if unit == "weekend":  # the Saturday before the reference
            back = (base.weekday() - 5) % 7 or 7
            return base - timedelta(days=back), _coarser("week", soften), True
        if unit == "week":
            return base - timedelta(days=7), _coarser("week", soften), True
        if unit == "month":
            prev = date(base.year, base.month, 1) - timedelta(days=1)
            return date(prev.year, prev.month, 1), "month", True
        return date(base.year - 1, 1, 1), "year", True
    if m.group("ago"):
        n = _NUMS.get(m.group("ago_n").lower()) or int(m.group("ago_n"))
        unit = m.group("ago_u").lower()
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        precision = {"day": "day", "week": "week", "month": "month", "year": "year"}[unit]
        return base - timedelta(days=days), _coarser(precision, soften), True
    if m.group("yd"):
        delta = _days_back(m.group("yd"))
        return base - timedelta(days=delta), _coarser(prec, soften) if prec == "day" else prec, True
    if m.group("wd"):
        target = _WEEKDAYS.index(m.group("wd_w").lower())
        if ref.inferred:  # the article is at or after the reference: first such day on/after
            return base + timedelta(days=(target - base.weekday()) % 7), "week", True
        return base - timedelta(days=(base.weekday() - target) % 7), "day", True
    return None, prec, True


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
        explicit = any(m.group(k) for k in ("iso", "num", "md", "dm", "my", "qy", "y"))
        value, precision, year_known = _explicit(m, ref) if explicit else _relative(m, ref)
        if m.group("bare") and m.group(0).lower().startswith("since"):
            kind = "since"
        if value is None:
            continue
        if not explicit and not m.group("mid_y") and ref.inferred and ref.anchor is None:
            year_known = False  # relative to a reference the text does not date to the year
        if _AS_REPORTED.search(text[max(0, m.start() - 30) : m.start()]):
            kind = "event"  # "As reported on 4 March": the analyst's date of the event
            if _PAST_DAY.match(text, m.end()):
                value = value - timedelta(days=1)  # "... over the past 24 hours": the day before
        relative = not explicit or bool(
            (m.group("md") or m.group("dm")) and not (m.group("md_y") or m.group("dm_y"))
        )
        found.append(
            DateMention(
                m.start() + offset,
                m.end() + offset,
                m.group(0),
                value,
                precision,
                kind,
                relative,
                year_known,
            )
        )
    return found


def _latest_explicit(text: str) -> tuple[date | None, date | None]:
    """The latest date the text states with a year (a month's end for "July 2018"), and the
    latest full date (day, month and year)."""
    latest: date | None = None
    full: date | None = None
    bare = Reference(None)
    for m in _DATE_RE.finditer(text):
        value: date | None = None
        if m.group("md_y") or m.group("dm_y") or m.group("iso") or m.group("num"):
            value = _explicit(m, bare)[0]
            if value and (full is None or value > full):
                full = value
        elif m.group("my"):
            value = _month_end(int(m.group("my_y")), _month(m.group("my_m")))
        elif m.group("mid_y"):
            value = _month_end(int(m.group("mid_y")), _month(m.group("mid_m")))
        if value and (latest is None or value > latest):
            latest = value
    return latest, full


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
        The publication date; else the latest full date the text gives (``anchor``: a
        day and month without a year take the year that puts them closest to it); else
        the latest month or year it names (``floor``: the year of a bare day and month is
        then unknown and flagged); else no reference.  No year is guessed from outside
        knowledge.
    """
    if published is not None:
        return Reference(published, "day", reason="publication date given")
    latest, full = _latest_explicit(text)
    if latest is None:
        none = Reference(None, "year", inferred=True, reason="no date in the text to anchor on")
        days = [d.value for d in find_dates(text, none) if d.precision == "day"]
        if not days:
            return none
        # "June 11" and no year anywhere: relative dates hang on it, all with the year unknown
        return Reference(max(days), "day", None, True, "no year in the text; latest day named")
    if full is not None:
        return Reference(full, "day", latest, True, f"latest full date {full}", anchor=full)
    base = Reference(latest, "month", latest, True)
    days = [d.value for d in find_dates(text, base) if d.precision == "day" and d.value > latest]
    why = f"latest month or year named {latest:%B %Y}"
    if days:  # "March 26" after "August 2021": the article is at least that late
        return Reference(max(days), "day", latest, True, f"{why}; latest day named {max(days)}")
    return Reference(latest, "month", latest, True, why)


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
