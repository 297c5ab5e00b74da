"""Written date forms (issue 16): snippet → (date, precision, kind, year known)."""

from __future__ import annotations

from datetime import date

import pytest

from geo._dates import Reference, find_dates, infer_reference

PUBLISHED = Reference(date(2019, 3, 5), "day")
NO_REFERENCE = Reference(None, "year", inferred=True)


@pytest.mark.parametrize(
    ("text", "value", "precision", "kind"),
    [
        ("On 04-March-2019, fighters attacked", date(2019, 3, 4), "day", "event"),
        ("On 4-Mar-2019 fighters attacked", date(2019, 3, 4), "day", "event"),
        ("On March 04 2019, a raid", date(2019, 3, 4), "day", "event"),
        ("On March-04-2019 a raid", date(2019, 3, 4), "day", "event"),
        ("On 04 03 2019, a bomb", date(2019, 3, 4), "day", "event"),
        ("On 04/03/2019, a bomb", date(2019, 3, 4), "day", "event"),
        ("On 04.03.2019 a bomb", date(2019, 3, 4), "day", "event"),
        ("On 03/24/2019 a bomb", date(2019, 3, 24), "day", "event"),  # only month first fits
        ("On 24/03/2019 a bomb", date(2019, 3, 24), "day", "event"),
        ("As reported on 04-March-2019, troops", date(2019, 3, 4), "day", "event"),
        ("Reported on 4 March 2019, over the past 24 hours, strikes", date(2019, 3, 3), "day",
         "event"),
        ("As reported on 4 March 2019, in the last 24 hours troops", date(2019, 3, 3), "day",
         "event"),
        ("officials said on 4 March 2019 that", date(2019, 3, 4), "day", "statement"),
        ("(March 4) Coalition forces", date(2019, 3, 4), "day", "event"),
        ("(Oct. 9) Coalition forces", date(2018, 10, 9), "day", "event"),  # before publication
        ("on the 2nd of March, 2019", date(2019, 3, 2), "day", "event"),
        # press-release times, relative to the publication (or dateline) date
        ("a force detained two suspects last night", date(2019, 3, 4), "day", "event"),
        ("an operation yesterday", date(2019, 3, 4), "day", "event"),
        ("the day before yesterday a patrol", date(2019, 3, 3), "day", "event"),
        ("early this morning insurgents", date(2019, 3, 5), "day", "event"),
        ("troops killed two fighters tonight", date(2019, 3, 5), "day", "event"),
        ("operations over the weekend", date(2019, 3, 2), "week", "event"),  # a Tuesday
        ("during operations Sept 23-24, 2017", date(2017, 9, 23), "day", "event"),
        ("on the night of 3-4 March 2017, a raid", date(2017, 3, 3), "day", "event"),
        ("On March-04-2019 a raid", date(2019, 3, 4), "day", "event"),
    ],
)  # fmt: skip
def test_written_forms(text: str, value: date, precision: str, kind: str) -> None:
    found = find_dates(text, PUBLISHED)[0]
    assert (found.value, found.precision, found.kind, found.year_known) == (
        value,
        precision,
        kind,
        True,
    )


@pytest.mark.parametrize(
    ("text", "month_day", "year_known"),
    [
        # a full date elsewhere gives the year (the closest such day to it)
        ("On 2 January 2019 a raid. On 30 December troops returned.", (12, 30), True),
        # only a month and year named: the year of a bare day and month is unknown
        ("Attacks have grown since mid-August 2021. On March 26 a raid took place.", (3, 26),
         False),
        # nothing at all: kept, year unknown
        ("On June 11 a raid took place.", (6, 11), False),
    ],
)  # fmt: skip
def test_year_of_a_bare_day_and_month(text: str, month_day: tuple[int, int], year_known: bool):
    ref = infer_reference(text)
    bare = [d for d in find_dates(text, ref) if (d.value.month, d.value.day) == month_day]
    assert bare and bare[-1].year_known is year_known


def test_year_unknown_keeps_the_earliest_year_the_text_allows() -> None:
    text = "Attacks have grown since mid-August 2021. On March 26 a raid took place."
    (found,) = [d for d in find_dates(text, infer_reference(text)) if d.precision == "day"]
    assert found.value == date(2022, 3, 26) and not found.year_known


def test_no_takeover_rule_guesses_the_year() -> None:
    text = "The Taliban took over last August. On June 11 a raid killed two. Last month too."
    ref = infer_reference(text)
    assert ref.anchor is None and ref.floor is None
    assert all(not d.year_known for d in find_dates(text, ref))
