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
        # press-release forms: a pronoun, plural without a figure, a negation
        ("The patrol returned fire at a gunman, killing him.", C(1, 1, 1), None, None),
        ("WASHINGTON, May 3, 2011 — Several fighters were killed after they ambushed a patrol.",
         C(10, 10, None), None, None),
        ("An air weapons team killed multiple insurgents near the compound.", C(10, 10, None),
         None, None),
        ("The unit detained a number of suspected insurgents.", None, None, C(10, 10, None)),
        ("No coalition troops were killed in the last day.", C(0, 0, 0), None, None),
        ("A combined force captured a Haqqani facilitator near the village.", None, None,
         C(1, 1, 1)),
        ("Gunmen kidnapped a shopkeeper outside the bazaar.", None, None, None),
        # one named person and a figure
        ("A Taliban governor and his three guards were killed in the strike.", C(4, 4, 4),
         None, None),
        ("The force killed a Taliban leader and two of his fighters.", C(3, 3, 3), None, None),
        ("Police killed one militant and arrested two.", C(1, 1, 1), None, C(2, 2, 2)),
        # adjectives between figure and noun; a district chief
        ("Seven local police killed.", C(7, 7, 7), None, None),
        ("A district police chief was killed by a sniper.", C(1, 1, 1), None, None),
        ("The explosion resulted in the death of 6 villagers.", C(6, 6, 6), None, None),
        # headline nouns: any plural, a modifier before it, "shot dead"
        ("Six Pakistani extremists killed in a police shootout.", C(6, 6, 6), None, None),
        ("Three traffic policemen shot dead near the bridge.", C(3, 3, 3), None, None),
        ("An attack leaves 1 security man dead.", C(1, 1, 1), None, None),
        # a headline list after the verb, but not "N of them"
        ("Clash kills three soldiers, five militants near the border.", C(8, 8, 8), None, None),
        ("The blast killed 11 people, 4 of them children.", C(11, 11, 11), None, None),
        ("At least 4 members of one family, including 2 women, were killed.", C(4, 4, None),
         None, None),
        ("Fatalities: 3 soldiers, 4 Taliban.", C(7, 7, 7), None, None),
        # two tolls in one sentence are not one list
        ("Four soldiers were killed and three others injured.", C(4, 4, 4), C(3, 3, 3), None),
        # one side's claim against the reported figure: the lower is best, the claim the top
        ("The Taliban claimed 14 soldiers killed, while the ministry reported 2 killed.",
         C(2, 2, 14), None, None),
        ("The insurgents claimed to have killed 30 policemen; officials said 5 policemen died.",
         C(5, 5, 30), None, None),
        # … but the dead of two sides are both counted
        ("Officials said 7 Taliban were killed, while the Taliban claimed 3 soldiers killed.",
         C(10, 10, 10), None, None),
    ],
)  # fmt: skip
def test_toll_forms(sentence: str, killed, wounded, captured) -> None:
    found = extract_casualties(sentence)
    assert (found.killed, found.wounded, found.captured) == (killed, wounded, captured)
