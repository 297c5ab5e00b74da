"""Dev cases for every written form of issue 16, in the project's own words.

Analyst event notes (one paragraph, "district (province)" style), military press releases
(dateline and "(Month D)" without a year, publication date given), wire copy and local
reports with cross-border fire worded in many ways.  Places are real; the events, figures
and dates are invented for testing.  Coordinates are those of the place the note names
(district centre for a district), rounded; scoring allows 25 km.  A cross-border event is
placed at its origin unless only the origin's country is known (then where it landed).

Used by ``tests/test_extract_forms.py`` (table of snippet → expected) and
``benchmarks/bench_extract.py`` (per-field accuracy).
"""

from __future__ import annotations

from datetime import date

from tests.extract_dev import DevCase

__all__ = ["FORMS"]

D = date
P19 = date(2019, 3, 5)  # publication date of the notes' batch

# fmt: off
FORMS: tuple[DevCase, ...] = (
    # ------------------------------------------------------------ dates in notes
    DevCase("note-date-dash-month",
            "On 04-March-2019, Taliban fighters attacked an ANA outpost in Sangin district "
            "(Helmand). Four soldiers were killed.",
            None, 32.07, 64.83, "AF-HEL", D(2019, 3, 4), (4, 4), form="date"),
    DevCase("note-date-month-day-year",
            "On March 04 2019, Afghan special forces raided a Taliban prison in Andar "
            "district of Ghazni, freeing 20 detainees and killing 6 guards.",
            None, 33.30, 68.45, "AF-GHA", D(2019, 3, 4), (6, 6), form="date"),
    DevCase("note-date-numeric",
            "On 04 03 2019, a roadside bomb struck a police vehicle in Imam Sahib district "
            "(Kunduz), killing 2 policemen.",
            None, 37.18, 68.92, "AF-KDZ", D(2019, 3, 4), (2, 2), form="date"),
    DevCase("note-date-slashes",
            "On 04/03/2019, gunmen shot dead a tribal elder in Achin district, Nangarhar.",
            None, 34.09, 70.70, "AF-NAN", D(2019, 3, 4), (1, 1), form="date"),
    DevCase("note-as-reported-on",
            "As reported on 04-March-2019, ANDSF clashed with Taliban militants in Qarabagh "
            "district (Ghazni). 5 Taliban were killed.",
            None, 33.20, 68.10, "AF-GHA", D(2019, 3, 4), (5, 5), form="date"),
    DevCase("note-past-24-hours",
            "Reported on 4 March 2019, over the past 24 hours, Afghan air force strikes killed "
            "7 Taliban militants in Nad Ali district (Helmand).",
            None, 31.63, 64.25, "AF-HEL", D(2019, 3, 3), (7, 7), form="date"),
    DevCase("note-around-date",
            "Around 4 March 2019 (between 1 and 7 March), unidentified gunmen killed a "
            "shopkeeper in Pul-e Khumri city (Baghlan).",
            None, 35.94, 68.71, "AF-BGL", None, (1, 1), form="date"),
    DevCase("note-day-month-year-on",
            "On 12 March 2019, Taliban militants attacked a checkpoint in Dand-e Patan "
            "district (Paktia, Afghanistan). 3 soldiers were killed and 2 wounded.",
            None, 33.77, 69.98, "AF-PKA", D(2019, 3, 12), (3, 3), form="note"),
    # ------------------------------------------------------------ press releases
    DevCase("pr-dateline-province",
            "KABUL, Afghanistan (March 4) - Afghan and coalition forces detained several "
            "insurgents in Khost province overnight during an operation against a Haqqani "
            "network facilitator.",
            D(2011, 3, 4), 33.34, 69.92, "AF-KHO", D(2011, 3, 4), None, form="press"),
    DevCase("pr-dateline-killed",
            "KABUL, Afghanistan (June 18) - An Afghan and coalition security force killed two "
            "insurgents and detained a Taliban leader in Nad Ali district, Helmand province, "
            "yesterday.",
            D(2012, 6, 18), 31.63, 64.25, "AF-HEL", D(2012, 6, 17), (2, 2), form="press"),
    DevCase("pr-no-year-publication",
            "(Oct. 9) Coalition forces killed a Taliban commander in Maiwand district of "
            "Kandahar province. The commander directed attacks on Afghan police.",
            D(2010, 10, 10), 31.73, 65.08, "AF-KAN", D(2010, 10, 9), (1, 1), form="press"),
    DevCase("pr-several-insurgents",
            "KABUL, Afghanistan (Sept. 2) - A combined force killed several insurgents while "
            "searching for a Taliban leader in the Chahar Dara district of Kunduz province.",
            D(2010, 9, 2), 36.70, 68.60, "AF-KDZ", D(2010, 9, 2), (10, 10), form="press"),
    DevCase("pr-list-of-tolls",
            "KABUL, Afghanistan (May 21) - Insurgents attacked a district centre in Darzab "
            "district, Jowzjan province; 10 soldiers, 4 policemen and 1 militia member were "
            "killed, officials said.",
            D(2013, 5, 22), 35.98, 65.38, "AF-JOW", D(2013, 5, 21), (15, 15), form="toll"),
    # ------------------------------------------------------------ press releases (ISAF/DoD)
    DevCase("pr-dateline-comma-date",
            "KABUL, Afghanistan, Oct. 3, 2011 — A combined Afghan and coalition force detained "
            "several suspected insurgents in the Nahr-e Saraj district of Afghanistan's Helmand "
            "province yesterday, officials said.",
            None, None, None, "AF-HEL", D(2011, 10, 2), None, form="press"),
    DevCase("pr-dateline-paren-year",
            "KABUL, Afghanistan (Sept. 14, 2011) – An Afghan and coalition force killed two "
            "insurgents in Helmand province's Sangin district last night.",
            None, 32.07, 64.83, "AF-HEL", D(2011, 9, 13), (2, 2), form="press"),
    DevCase("pr-washington-province-possessive",
            "WASHINGTON, Dec. 9, 2010 — In Kandahar province's Zhari district, security forces "
            "killed an insurgent who fired on a patrol today.",
            None, 31.60, 65.40, "AF-KAN", D(2010, 12, 9), (1, 1), form="press"),
    DevCase("pr-village-in-district-of-earlier-province",
            "(June 30) A coalition force detained a Taliban bomb maker in Afghanistan's Helmand "
            "province last night. After searching several compounds in the village of Do Sang, "
            "in the Now Zad district, the force detained the man and two associates.",
            D(2010, 6, 30), None, None, "AF-HEL", D(2010, 6, 29), (0, 0), form="press"),
    DevCase("pr-near-village-provinces-district",
            "A separate combined force detained a suspect in Kandahar province last night while "
            "looking for a Taliban financier. The force searched a compound near Vakil Rostam "
            "Kalay in the province's Panjwai district.",
            D(2010, 6, 30), None, None, "AF-KAN", D(2010, 6, 29), (0, 0), form="press"),
    DevCase("pr-list-of-operations",
            "KABUL, Afghanistan, Nov. 21, 2011 — A combined force detained multiple suspected "
            "insurgents in Khost province yesterday.\n"
            "In other Afghanistan operations yesterday:\n"
            "— In the Now Zad district of Helmand province, a combined force found a cache of "
            "mortar rounds.\n"
            "— A combined force captured a Taliban facilitator in the Dand district of Kandahar "
            "province.\n"
            "— A combined patrol killed an insurgent leader in the Zurmat district of Paktia "
            "province.",
            None, None, None, "AF-KHO", D(2011, 11, 20), (0, 0), form="press"),
    DevCase("pr-killing-him",
            "KABUL, Afghanistan (Aug. 2) – While searching for a Taliban leader in the Zhari "
            "district of Kandahar province yesterday, the force engaged an armed man, killing "
            "him.",
            D(2012, 8, 2), 31.60, 65.40, "AF-KAN", D(2012, 8, 1), (1, 1), form="press"),
    DevCase("pr-negation-no-toll",
            "KABUL, Afghanistan (Jan. 5) – Afghan and coalition forces detained three suspects "
            "in the Sabari district of Khost province today. No ISAF members were killed in the "
            "last 24 hours.",
            D(2011, 1, 5), None, None, "AF-KHO", D(2011, 1, 5), (0, 0), form="press"),
    DevCase("pr-several-passive",
            "WASHINGTON, Dec. 20, 2010 — Several insurgents were killed in Helmand province's "
            "Sangin district today after they attacked an Afghan patrol.",
            None, 32.07, 64.83, "AF-HEL", D(2010, 12, 20), (10, 10), form="press"),
    DevCase("pr-day-range",
            "KABUL, Afghanistan (Sept. 26) – Afghan and coalition troops killed five insurgents "
            "during operations in Kunar province's Watahpur district Sept 23-24.",
            D(2011, 9, 26), None, None, "AF-KNR", D(2011, 9, 23), (5, 5), form="press"),
    DevCase("pr-series-over-weekend",
            "KABUL, Afghanistan (Oct. 4) – Afghan and coalition forces killed more than 15 "
            "insurgents in a series of operations in Kandahar province over the weekend.",
            D(2010, 10, 4), None, None, "AF-KAN", None, (15, 15), form="press"),
    DevCase("pr-headline-and-body",
            "Security Force Kills Taliban Leader in Kunduz\n\n"
            "KABUL, Afghanistan (Oct. 6) – A combined security force killed a Taliban leader and "
            "two of his associates in the Chahar Dara district of Kunduz province yesterday.",
            D(2010, 10, 6), 36.70, 68.60, "AF-KDZ", D(2010, 10, 5), (3, 3), form="press"),
    DevCase("pr-paktiya-spelling",
            "KABUL, Afghanistan (March 1) – An Afghan and coalition force detained a Haqqani "
            "network leader in Paktiya province's Zurmat district today.",
            D(2011, 3, 1), 33.44, 69.03, "AF-PKA", D(2011, 3, 1), (0, 0), form="press"),
    DevCase("pr-apostrophe-in-name",
            "KABUL, Afghanistan (May 3) – A combined force killed two insurgents in the Nad 'Ali "
            "district of Helmand province yesterday.",
            D(2011, 5, 3), 31.63, 64.25, "AF-HEL", D(2011, 5, 2), (2, 2), form="press"),
    DevCase("pr-joined-name",
            "KABUL, Afghanistan (May 3) – A combined force detained a Taliban facilitator in the "
            "Tarnak wa Jaldak district of Zabul province last night.",
            D(2011, 5, 3), None, None, "AF-ZAB", D(2011, 5, 2), (0, 0), form="press"),
    DevCase("pr-possessive-three-words",
            "KABUL, Afghanistan (May 3) – Afghan forces killed four insurgents in Kandahar "
            "province's Shah Wali Kot district yesterday.",
            D(2011, 5, 3), None, None, "AF-KAN", D(2011, 5, 2), (4, 4), form="press"),
    DevCase("weekly-list-heading",
            "January 5 Kunduz Province: four police officers killed\n"
            "The Taliban attacked a checkpoint in the Khanabad district, killing four local "
            "police officers and wounding one.",
            D(2020, 1, 9), 36.68, 69.11, "AF-KDZ", D(2020, 1, 5), (4, 4), form="press"),
    # ------------------------------------------------------------ note tolls and places
    DevCase("note-claim-vs-reported",
            "On 20 March 2019, ANA troops and Taliban fighters clashed in Sayedabad district "
            "(Wardak). The Taliban claimed 15 soldiers were killed, while the government "
            "reported 4 killed.",
            None, None, None, "AF-WAR", D(2019, 3, 20), (4, 4), form="toll"),
    DevCase("note-coded-to",
            "On 21 March 2019, Taliban militants attacked checkpoints in the Ghormach district "
            "(coded to Ghormach) of Faryab province. 7 ANA soldiers were killed.",
            None, None, None, "AF-FYB", D(2019, 3, 21), (7, 7), form="nested"),
    DevCase("note-semicolon-tallies",
            "On 22 March 2019, ANDSF airstrikes hit Taliban positions in Nad Ali district "
            "(Helmand); 11 Taliban killed; 3 wounded.",
            None, 31.63, 64.25, "AF-HEL", D(2019, 3, 22), (11, 11), form="toll"),
    DevCase("note-one-and-n",
            "On 23 March 2019, a Taliban shadow governor and his 3 bodyguards were killed in an "
            "ANDSF raid in Andar district (Ghazni).",
            None, 33.30, 68.45, "AF-GHA", D(2019, 3, 23), (4, 4), form="toll"),
    DevCase("note-police-chief",
            "On 24 March 2019, a district police chief was killed by a Taliban sniper in Gelan "
            "district (Ghazni).",
            None, 32.72, 67.62, "AF-GHA", D(2019, 3, 24), (1, 1), form="toll"),
    DevCase("note-route-name",
            "On 25 March 2019, Taliban militants stopped a bus on the Kabul-Kandahar highway "
            "near Maidan Shahr (Wardak) and abducted 6 passengers.",
            None, 34.40, 68.87, "AF-WAR", D(2019, 3, 25), (0, 0), form="nested"),
    DevCase("note-district-known-by-its-town",
            "On 26 March 2019, Taliban militants killed 2 civilians in Jaghatu district "
            "(Ghazni).",
            None, None, None, "AF-GHA", D(2019, 3, 26), (2, 2), form="nested"),
    DevCase("note-name-in-bracketed-province",
            "On 28 March 2019, Taliban militants attacked an ANA checkpoint in Kohistan "
            "(Kapisa). 3 ANA soldiers were killed.",
            None, None, None, "AF-KAP", D(2019, 3, 28), (3, 3), form="nested"),
    DevCase("note-both-sides-after-semicolon",
            "On 27 March 2019, ANA forces repulsed a Taliban attack on the outskirts of "
            "Qala-e Naw (Badghis). 7 Taliban were killed and 4 injured; 1 ANA soldier was "
            "killed.",
            None, 34.99, 63.13, "AF-BDG", D(2019, 3, 27), (8, 8), form="toll"),
    # ------------------------------------------------------------ nested places
    DevCase("nested-area-district-province",
            "On 8 March 2019, ANA soldiers clashed with Taliban in the Sangisar area of "
            "Zhari district, Kandahar. 4 Taliban were killed.",
            None, 31.60, 65.40, "AF-KAN", D(2019, 3, 8), (4, 4), form="nested"),
    DevCase("nested-alt-spelling",
            "On 9 March 2019, a Taliban commander was killed by ANDSF in Shortepa (Shortifa) "
            "district, Balkh.",
            None, 37.35, 66.82, "AF-BAL", D(2019, 3, 9), (1, 1), form="nested"),
    DevCase("nested-district-of",
            "On 10 March 2019, Taliban militants ambushed a police convoy in Gelan district "
            "of Ghazni. 6 policemen were killed.",
            None, 32.72, 67.62, "AF-GHA", D(2019, 3, 10), (6, 6), form="nested"),
    # ------------------------------------------------------------ lists of places
    DevCase("list-two-districts",
            "On 11 March 2019, Afghan air force strikes in Chora and Tarinkot districts, "
            "Uruzgan, killed 12 Taliban militants.",
            None, None, None, "AF-URU", D(2019, 3, 11), (12, 12), form="list"),
    DevCase("list-villages-of-district",
            "On 13 March 2019, US drone strikes hit the Pekha, Shadal and Tangi villages of "
            "Achin district (Nangarhar), killing 9 IS-K militants.",
            None, 34.09, 70.70, "AF-NAN", D(2019, 3, 13), (9, 9), form="list"),
    # ------------------------------------------------------------ tolls
    DevCase("toll-commander",
            "On 14 March 2019, a Taliban commander was killed in an ANDSF raid in Panjwai "
            "district (Kandahar).",
            None, 31.55, 65.45, "AF-KAN", D(2019, 3, 14), (1, 1), form="toll"),
    DevCase("toll-killing-and-wounding",
            "On 15 March 2019, a suicide car bomb struck an army base in Maiwand district "
            "(Kandahar), killing and wounding 9 soldiers.",
            None, 31.73, 65.08, "AF-KAN", D(2019, 3, 15), (0, 9), form="toll"),
    DevCase("toll-other-side",
            "On 16 March 2019, Taliban fighters overran a checkpoint in Darzab district "
            "(Jowzjan), killing 4 policemen. The ministry later said 6 insurgents died in "
            "the fighting.",
            None, 35.98, 65.38, "AF-JOW", D(2019, 3, 16), (4, 10), form="toll"),
    DevCase("toll-wounded-apart",
            "On 17 March 2019, a magnetic bomb went off in Khost city (Khost), wounding "
            "5 civilians; nobody was killed.",
            None, 33.34, 69.92, "AF-KHO", D(2019, 3, 17), (0, 0), form="toll"),
    DevCase("toll-both-sides-two-sentences",
            "On 18 March 2019, Taliban attacked an ANA checkpoint in Khanabad district "
            "(Kunduz). 3 ANA soldiers were killed and 2 wounded. 5 Taliban were also killed.",
            None, 36.68, 69.11, "AF-KDZ", D(2019, 3, 18), (8, 8), form="toll"),
    DevCase("toll-same-dead-told-twice",
            "On 19 March 2019, a roadside bomb killed 4 civilians in Khanabad district "
            "(Kunduz). Officials said the 4 people killed were travelling to a wedding.",
            None, 36.68, 69.11, "AF-KDZ", D(2019, 3, 19), (4, 4), form="toll"),
    # ------------------------------------------------------------ cross-border
    DevCase("xb-shells-landed",
            "On 20 March 2019, shells fired by Pakistani troops landed in Asadabad, the "
            "capital of Kunar, wounding three children, local officials said.",
            None, 34.87, 71.15, "AF-KNR", D(2019, 3, 20), None, ("PK", "AF"), form="cross"),
    DevCase("xb-rockets-from-inside",
            "On 21 March 2019, rockets were launched at the town of Chaman from inside "
            "Afghanistan, killing one resident, Pakistani officials said.",
            None, 30.92, 66.45, "PK-BA", D(2019, 3, 21), (1, 1), ("AF", "PK"), form="cross"),
    DevCase("xb-fire-from-across",
            "On 22 March 2019, fire from across the border in Dangam district killed two "
            "civilians in Bajaur, the Pakistani military said.",
            None, 34.98, 71.42, "AF-KNR", D(2019, 3, 22), (2, 2), ("AF", "PK"),
            form="cross"),
    DevCase("xb-gunmen-crossed",
            "On 23 March 2019, gunmen who crossed from Afghanistan attacked a border post in "
            "Kurram, killing a soldier.",
            None, 33.90, 70.10, "PK-TA|PK-KP", D(2019, 3, 23), (1, 1), ("AF", "PK"),
            form="cross"),
    DevCase("xb-fighter-jets",
            "On 24 March 2019, fighter jets of Pakistan struck Dangam district of Kunar, "
            "killing 5 civilians.",
            None, 34.98, 71.42, "AF-KNR", D(2019, 3, 24), (5, 5), ("PK", "AF"), form="cross"),
    DevCase("xb-border-forces-clash",
            "On 25 March 2019, Afghan and Pakistani border forces clashed near Torkham; "
            "two guards were killed.",
            None, 34.10, 71.09, "AF-NAN|PK-TA|PK-KP", D(2019, 3, 25), (2, 2), ("AF|PK", ""),
            form="cross"),
    DevCase("xb-from-iran",
            "On 26 March 2019, Iranian border guards fired from Iran at fuel smugglers in "
            "Zaranj, killing three of them.",
            None, 30.96, 61.86, "AF-NIM", D(2019, 3, 26), (3, 3), ("IR", "AF"), form="cross"),
    DevCase("xb-artillery-shelled",
            "On 28 March 2019, Pakistani artillery shelled villages in Dangam district of Kunar, "
            "wounding four people, Afghan officials said.",
            None, 34.98, 71.42, "AF-KNR", D(2019, 3, 28), None, ("PK", "AF"), form="cross"),
    DevCase("xb-airstrike-by-aircraft",
            "On 29 March 2019, an airstrike by Pakistani aircraft hit the Barmal district of "
            "Paktika, killing 8 people, local officials said.",
            None, None, None, "AF-PIA", D(2019, 3, 29), (8, 8), ("PK", "AF"), form="cross"),
    DevCase("xb-fired-toward-posts",
            "On 30 March 2019, Afghan border forces fired toward Pakistani posts near Chaman "
            "after a dispute over the fence; one Pakistani soldier died.",
            None, 30.92, 66.45, "PK-BA", D(2019, 3, 30), (1, 1), ("AF", "PK"), form="cross"),
    DevCase("xb-exchanged-fire",
            "On 31 March 2019, Iranian and Afghan border guards exchanged fire near Islam Qala "
            "in Herat; one Afghan guard was killed.",
            None, None, None, "AF-HER", D(2019, 3, 31), (1, 1), ("AF|IR", ""), form="cross"),
    DevCase("xb-shots-across-river",
            "On 1 April 2019, Uzbek border guards said shots were fired from the Afghan bank of "
            "the Amu Darya at a patrol near Termez.",
            None, 37.22, 67.28, "UZ-SU", D(2019, 4, 1), None, ("AF", "UZ"), form="cross"),
    DevCase("xb-rockets-from-province-landed",
            "On 2 April 2019, rockets fired by the Taliban from Kunar landed in Pakistan's "
            "Bajaur district, injuring two.",
            None, None, None, "AF-KNR", D(2019, 4, 2), None, ("AF", "PK"), form="cross"),
    DevCase("xb-into-tajik-side",
            "On 27 March 2019, Tajik border guards said gunmen fired from Afghan territory "
            "into the Darvoz district of Tajikistan; nobody was hurt.",
            None, 38.46, 70.78, "TJ-GB", D(2019, 3, 27), None, ("AF", "TJ"), form="cross"),
)
# fmt: on
