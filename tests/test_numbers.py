"""Toll forms (issue 16): snippet → killed, wounded, captured as (best, low, high)."""

from __future__ import annotations

import pytest

from geo._numbers import Count, extract_casualties

C = Count


@pytest.mark.parametrize(
    ("sentence", "killed", "wounded", "captured"),
    [
        # a list of victims is summed
        ("Insurgents overran a post; 10 soldiers, 4 policemen and 1 militia member were "
         "killed.", C(15, 15, 15), None, None),
        ("Two attackers and one policeman were killed.", C(3, 3, 3), None, None),
        # one person named with "a"/"an" or a bare singular noun
        ("A Taliban commander was killed in the raid.", C(1, 1, 1), None, None),
        ("Gunmen kill vaccinator near the market.", C(1, 1, 1), None, None),
        ("Unknown gunmen shot dead a former officer.", C(1, 1, 1), None, None),
        # dead and wounded given together: a range for each, never N dead
        ("A car bomb struck the base, killing and wounding 9 soldiers.", C(1, 1, 8),
         C(1, 1, 8), None),
        ("12 people were killed or wounded in the blast.", C(1, 1, 11), C(1, 1, 11), None),
        # victims of both sides, each the subject of its own verb, add up
        ("Six attackers died and two soldiers embraced martyrdom.", C(8, 8, 8), None, None),
        # wounded and captured stay apart from killed
        ("A magnetic bomb wounded 5 civilians; nobody was killed.", C(0, 0, 0), C(5, 5, 5),
         None),
        ("Police killed 3 militants and arrested 4 others.", C(3, 3, 3), None, C(4, 4, 4)),
        # headline verbs
        ("Eight die in clashes near the border.", C(8, 8, 8), None, None),
        ("Security forces gun down 13 suspected militants.", C(13, 13, 13), None, None),
        # headline forms: a singular noun without an article, a running toll
        ("Pakistan military says soldier killed near the border.", C(1, 1, 1), None, None),
        ("Suicide bomber shot dead by security forces.", C(1, 1, 1), None, None),
        ("Death toll in the market blast rises to 24.", C(24, 24, 24), None, None),
        ("The toll reached at least 30 on Sunday.", C(30, 30, None), None, None),
        # a number that is not people
        ("Rockets hit the town at 9 pm; 2 were killed.", C(2, 2, 2), None, None),
    ],
)  # fmt: skip
def test_toll_forms(sentence: str, killed, wounded, captured) -> None:
    found = extract_casualties(sentence)
    assert (found.killed, found.wounded, found.captured) == (killed, wounded, captured)
