"""Held-out extraction cases: short articles written for this project, with expected fields.

Thirty short reports in the styles seen in the region (wire copy, Taliban statements, ISPR
press releases, Tajik and Uzbek border-guard statements, local media with datelines, HTML
pages with site boilerplate).  None is taken from the seed articles; places, dates and
figures are invented for testing and do not describe real events.

Each :class:`Case` names the *main* incident of its article.  :func:`score_case` compares
it with the extracted incident that best matches it and returns one verdict per field;
``tests/test_extract.py`` runs the table and ``benchmarks/bench_extract.py`` prints the
per-field accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from geo.incidents import Incident

__all__ = ["CASES", "FIELDS", "Case", "pick_incident", "score_case"]

#: fields scored per case, in report order.
FIELDS = (
    "found",
    "date",
    "date_precision",
    "admin1",
    "event_type",
    "killed",
    "wounded",
    "captured",
    "actors",
    "claim_status",
    "cross_border",
)

Killed = tuple[int | None, int | None, int | None]  # low, best, high


@dataclass(frozen=True)
class Case:
    """One test article and the fields expected of its main incident.

    ``killed`` is ``(low, best, high)`` or ``None`` when no figure is given; ``actors`` must
    all be among the extracted actors (others may be present); ``cross_border`` is
    ``(origin_country, target_country)`` or ``None``.  An exact figure ("killing two") is
    ``(2, 2, 2)``, "at least two" ``(2, 2, None)`` (see :mod:`geo._numbers`); "no one was
    hurt" matches an expected ``None``.
    """

    id: str
    text: str
    published: date | None
    date: str
    date_precision: str
    admin1: str
    country: str
    event_type: str
    killed: Killed | None = None
    wounded: int | None = None
    captured: int | None = None
    actors: tuple[str, ...] = ()
    claim_status: str = "reported"
    cross_border: tuple[str, str] | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


UAG_AF = "Unidentified Armed Group (Afghanistan)"
UAG_PK = "Unidentified Armed Group (Pakistan)"
POLICE_AF = "Police Forces of Afghanistan"
POLICE_PK = "Police Forces of Pakistan"

CASES: tuple[Case, ...] = (
    Case(
        "issue-takhar-with-province",
        "Local officials in Takhar province said gunmen attacked a police checkpoint in "
        "Khwaja Ghar district on Monday, 6 March 2023, killing two officers.",
        date(2023, 3, 7),
        "2023-03-06", "day", "Takhar", "AF", "Battles",
        killed=(2, 2, 2), actors=(UAG_AF, POLICE_AF),
    ),
    Case(
        "issue-takhar-district-only",
        "Local officials said gunmen attacked a police checkpoint in Khwaja Ghar district "
        "on Monday, 6 March 2023, killing two officers.",
        date(2023, 3, 7),
        "2023-03-06", "day", "Takhar", "AF", "Battles",
        killed=(2, 2, 2), actors=(UAG_AF, POLICE_AF),
    ),
    Case(
        "wire-kunduz-ied",
        "KUNDUZ, Afghanistan (Reuters) - A roadside bomb tore through a minibus on the "
        "outskirts of Kunduz city on Tuesday, killing four passengers and wounding seven "
        "others, a provincial health official said. No group immediately claimed the attack.",
        date(2022, 9, 14),
        "2022-09-13", "day", "Kunduz", "AF", "Explosions/Remote violence",
        killed=(4, 4, 4), wounded=7,
    ),
    Case(
        "taliban-statement-nangarhar",
        "The Islamic Emirate's spokesman said in a statement that Taliban special forces "
        "raided an ISKP hideout in Jalalabad city, Nangarhar province, on the night of "
        "14 August 2022, killing three militants and detaining two.",
        date(2022, 8, 15),
        "2022-08-14", "day", "Nangarhar", "AF", "Battles",
        killed=(3, 3, 3), captured=2, actors=("Taliban", "ISIS-K"), claim_status="claimed",
    ),
    Case(
        "ispr-north-waziristan",
        "RAWALPINDI: Security forces conducted an intelligence-based operation in the "
        "Mir Ali area of North Waziristan district on 3 May 2023, the ISPR said. During the "
        "intense exchange of fire, six terrorists were killed and two soldiers embraced "
        "martyrdom.",
        date(2023, 5, 4),
        "2023-05-03", "day", "Khyber Pakhtunkhwa", "PK", "Battles",
        killed=(8, 8, 8), actors=("Pakistan military",), claim_status="claimed",
    ),
    Case(
        "tajik-border-guards",
        "DUSHANBE - Tajikistan's Main Border Guard Directorate said a group of armed drug "
        "smugglers crossed from Afghanistan into the Shamsiddin Shohin district of Khatlon "
        "region on 21 January 2023 and opened fire on a border patrol. Three intruders were "
        "killed in the shootout, the statement said.",
        date(2023, 1, 23),
        "2023-01-21", "day", "Khatlon", "TJ", "Battles",
        killed=(3, 3, 3), actors=("Tajik border guards",), claim_status="claimed",
        cross_border=("AF", "TJ"),
    ),
    Case(
        "uzbek-termez-rockets",
        "Uzbekistan's defence ministry said two rockets fired from Afghan territory landed "
        "near Termez on 5 July 2022. No one was hurt, and the Taliban denied that any "
        "rockets were launched from their side.",
        date(2022, 7, 6),
        "2022-07-05", "day", "Surxondaryo", "UZ", "Explosions/Remote violence",
        killed=None, actors=("Taliban",), claim_status="denied",
        cross_border=("AF", "UZ"),
    ),
    Case(
        "local-dateline-herat",
        "HERAT CITY, Nov 2 - Unknown gunmen shot dead a former army officer in Herat city's "
        "Jebrael area on Wednesday night, his relatives told local reporters. Police said an "
        "investigation had been opened.",
        date(2022, 11, 3),
        "2022-11-02", "day", "Herat", "AF", "Violence against civilians",
        killed=(1, 1, 1), actors=(UAG_AF,),
    ),
    Case(
        "html-boilerplate-kabul",
        "<html><head><title>Blast hits Kabul mosque</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a> | Subscribe</nav>"
        "<article><h1>Blast hits Kabul mosque</h1>"
        "<p>An explosion ripped through a mosque in the west of Kabul during Friday prayers "
        "on 2 September 2022, killing at least 18 worshippers, the Taliban's interior "
        "ministry said.</p><p>More than 20 people were wounded. Islamic State Khorasan "
        "Province claimed responsibility in a message on its Amaq outlet.</p></article>"
        "<footer>Share this story. Read more. Cookie settings.</footer></body></html>",
        date(2022, 9, 3),
        "2022-09-02", "day", "Kabul", "AF", "Explosions/Remote violence",
        killed=(18, 18, None), wounded=20, actors=("ISIS-K",), claim_status="claimed",
        tags=("html",),
    ),
    Case(
        "quetta-suicide",
        "QUETTA: A suicide bomber blew himself up near a police truck in Quetta on "
        "Sunday, killing three policemen and wounding 22 people, officials said. The "
        "banned TTP claimed the bombing.",
        date(2022, 12, 1),
        "2022-11-27", "day", "Balochistan", "PK", "Explosions/Remote violence",
        killed=(3, 3, 3), wounded=22, actors=("TTP", POLICE_PK), claim_status="claimed",
    ),
    Case(
        "iran-border-zahedan",
        "Iranian border guards clashed with Taliban forces at the Zahedan area border on "
        "15 June 2023; one Iranian guard and two Taliban fighters were killed, Iranian state "
        "media reported. Each side blamed the other for opening fire.",
        date(2023, 6, 16),
        "2023-06-15", "day", "Sistan and Baluchestan", "IR", "Battles",
        killed=(3, 3, 3), actors=("Iranian border guards", "Taliban"),
    ),
    Case(
        "badakhshan-nrf-claim",
        "The National Resistance Front said its fighters ambushed a Taliban convoy in the "
        "Jurm district of Badakhshan on 9 April 2023, killing 12 Taliban. The Taliban denied "
        "the claim and said only one of their men was lightly wounded.",
        date(2023, 4, 10),
        "2023-04-09", "day", "Badakhshan", "AF", "Battles",
        killed=(12, 12, 12), actors=("NRF", "Taliban"), claim_status="disputed",
    ),
    Case(
        "kandahar-week",
        "Residents of Spin Boldak said last week that Pakistani troops fired mortar shells "
        "across the border into the town, killing a child. Pakistani officials did not "
        "respond to requests for comment.",
        date(2022, 12, 19),
        "2022-12-12", "week", "Kandahar", "AF", "Explosions/Remote violence",
        killed=(1, 1, 1), actors=("Pakistan military",), cross_border=("PK", "AF"),
    ),
    Case(
        "helmand-airstrike-range",
        "An airstrike hit a house in Lashkar Gah, the capital of Helmand province, on "
        "19 March 2021, killing between five and eight civilians, local elders said.",
        date(2021, 3, 20),
        "2021-03-19", "day", "Helmand", "AF", "Explosions/Remote violence",
        killed=(5, 5, 8), actors=("Civilians",),
    ),
    Case(
        "balkh-arrests",
        "Taliban intelligence officers arrested four suspected members of Daesh in "
        "Mazar-i-Sharif on 28 October 2022, the provincial police spokesman said.",
        date(2022, 10, 29),
        "2022-10-28", "day", "Balkh", "AF", "Strategic developments",
        captured=4, actors=("Taliban GDI", "ISIS-K"), claim_status="claimed",
    ),
    Case(
        "kunar-cross-border-shelling",
        "ASADABAD - Afghan officials said Pakistani forces fired more than 30 rockets into "
        "Kunar province from across the Durand Line on 18 April 2022, wounding five "
        "civilians in the Dangam district.",
        date(2022, 4, 19),
        "2022-04-18", "day", "Kunar", "AF", "Explosions/Remote violence",
        wounded=5, actors=("Pakistan military",), cross_border=("PK", "AF"),
    ),
    Case(
        "peshawar-police-attack",
        "PESHAWAR: Unidentified gunmen on motorcycles opened fire on a police patrol on the "
        "Ring Road in Peshawar on 10 January 2023, killing two constables, police said.",
        date(2023, 1, 11),
        "2023-01-10", "day", "Khyber Pakhtunkhwa", "PK", "Battles",
        killed=(2, 2, 2), actors=(UAG_PK, POLICE_PK),
    ),
    Case(
        "bajaur-ied-dozens",
        "A bomb hidden in a motorcycle exploded at a political rally in Khar, Bajaur, on "
        "30 July 2023, killing dozens of people, hospital staff said. Islamic State later "
        "claimed the bombing.",
        date(2023, 7, 31),
        "2023-07-30", "day", "Khyber Pakhtunkhwa", "PK", "Explosions/Remote violence",
        killed=(12, 12, None), actors=("ISIS-K",), claim_status="claimed",
    ),
    Case(
        "zaranj-month",
        "In February 2023, fighting between Iranian border guards and smugglers near Zaranj "
        "in Nimroz left at least two people dead, according to local sources.",
        date(2023, 4, 2),
        "2023-02-01", "month", "Nimroz", "AF", "Battles",
        killed=(2, 2, None), actors=("Iranian border guards",),
    ),
    Case(
        "ghazni-unconfirmed",
        "The Taliban said they killed five ISKP militants in a raid in Ghazni city on "
        "2 February 2023. The claim could not be independently verified.",
        date(2023, 2, 3),
        "2023-02-02", "day", "Ghazni", "AF", "Battles",
        killed=(5, 5, 5), actors=("Taliban", "ISIS-K"), claim_status="unconfirmed",
    ),
    Case(
        "khost-drone",
        "KHOST - A drone strike on a house in the Spera district of Khost killed four people "
        "on Saturday, 16 April 2022, residents said. Pakistan did not comment.",
        date(2022, 4, 17),
        "2022-04-16", "day", "Khost", "AF", "Explosions/Remote violence",
        killed=(4, 4, 4),
    ),
    Case(
        "chaman-clash-wounded",
        "Pakistani and Afghan border forces exchanged fire near the Chaman crossing on "
        "11 December 2022. Six civilians were killed and 17 wounded on the Pakistani side, "
        "the Pakistani army said.",
        date(2022, 12, 12),
        "2022-12-11", "day", "Balochistan", "PK", "Battles",
        killed=(6, 6, 6), wounded=17, actors=("Pakistan military",), claim_status="claimed",
    ),
    Case(
        "faizabad-grenade",
        "A grenade was thrown into a shop in Faizabad, Badakhshan, on 3 May 2023, wounding "
        "three people, a local official said.",
        date(2023, 5, 5),
        "2023-05-03", "day", "Badakhshan", "AF", "Explosions/Remote violence",
        wounded=3,
    ),
    Case(
        "kabul-protest",
        "Dozens of women staged a protest in Kabul on 24 December 2022 against the ban on "
        "university education; Taliban guards dispersed them by firing into the air.",
        date(2022, 12, 25),
        "2022-12-24", "day", "Kabul", "AF", "Protests",
        actors=("Taliban",),
    ),
    Case(
        "imam-sahib-kidnap",
        "Armed men kidnapped a trader in Imam Sahib district of Kunduz province on "
        "8 August 2022, his family said.",
        date(2022, 8, 10),
        "2022-08-08", "day", "Kunduz", "AF", "Violence against civilians",
        actors=(UAG_AF,),
    ),
    Case(
        "dera-ismail-khan-ttp",
        "DERA ISMAIL KHAN: Militants stormed a police station in Dera Ismail Khan on "
        "12 December 2023, killing 23 soldiers, officials said. The Tehreek-e-Jihad "
        "Pakistan, an offshoot of the TTP, claimed the attack.",
        date(2023, 12, 13),
        "2023-12-12", "day", "Khyber Pakhtunkhwa", "PK", "Battles",
        killed=(23, 23, 23), actors=(POLICE_PK,), claim_status="claimed",
    ),
    Case(
        "panj-border-smugglers",
        "Tajik border troops said they intercepted a group of smugglers crossing the Panj "
        "river into the Panj district of Tajikistan on 4 September 2022 and killed two of "
        "them in a firefight.",
        date(2022, 9, 6),
        "2022-09-04", "day", "Khatlon", "TJ", "Battles",
        killed=(2, 2, 2), actors=("Tajik border guards",), claim_status="claimed",
    ),
    Case(
        "mazar-blast-wire",
        "MAZAR-I-SHARIF, Afghanistan (AP) - A bomb went off in a minivan carrying Shiite "
        "passengers in Mazar-i-Sharif on Thursday, 28 April 2022, killing at least nine and "
        "wounding 13, police said.",
        date(2022, 4, 29),
        "2022-04-28", "day", "Balkh", "AF", "Explosions/Remote violence",
        killed=(9, 9, None), wounded=13,
    ),
    Case(
        "taliban-statement-panjshir",
        "Zabihullah Mujahid said on 5 September 2022 that Islamic Emirate forces had "
        "cleared the Dara district of Panjshir of resistance fighters, killing 40 of them "
        "and capturing 15.",
        date(2022, 9, 6),
        "2022-09-05", "day", "Panjshir", "AF", "Battles",
        killed=(40, 40, 40), captured=15, actors=("Taliban",), claim_status="claimed",
    ),
    Case(
        "markdown-farah",
        "## Clash in Farah\n\n**FARAH** - Gunmen attacked a checkpoint in Farah city on "
        "Sunday night, 20 November 2022, police said. *Two* attackers and one policeman "
        "were killed in the firefight.",
        date(2022, 11, 21),
        "2022-11-20", "day", "Farah", "AF", "Battles",
        killed=(3, 3, 3), actors=(UAG_AF, POLICE_AF),
    ),
)  # fmt: skip


def pick_incident(case: Case, incidents: Sequence[Incident]) -> Incident | None:
    """The extracted incident best matching the case: same date, then province, then first."""
    if not incidents:
        return None

    def rank(inc: Incident) -> tuple[int, int]:
        return (int(inc.event_date.isoformat() != case.date), int(inc.admin1 != case.admin1))

    return min(incidents, key=rank)


def _killed(inc: Incident) -> Killed | None:
    if inc.fatalities_best is None:
        return None
    return (inc.fatalities_low, inc.fatalities_best, inc.fatalities_high)


def _cross(inc: Incident) -> tuple[str, str] | None:
    if inc.origin is None and inc.target is None:
        return None
    return (
        inc.origin.country_iso2 if inc.origin else "",
        inc.target.country_iso2 if inc.target else "",
    )


def score_case(case: Case, incidents: Sequence[Incident]) -> dict[str, bool]:
    """One verdict per field of :data:`FIELDS` (``False`` for every field when none found)."""
    inc = pick_incident(case, incidents)
    if inc is None:
        return dict.fromkeys(FIELDS, False)
    killed = _killed(inc)
    return {
        "found": True,
        "date": inc.event_date.isoformat() == case.date,
        "date_precision": inc.date_precision == case.date_precision,
        "admin1": inc.admin1 == case.admin1 and inc.country_iso2 == case.country,
        "event_type": inc.event_type == case.event_type,
        "killed": killed == case.killed or (case.killed is None and inc.fatalities_best == 0),
        "wounded": inc.wounded == case.wounded or (case.wounded is None and inc.wounded == 0),
        "captured": inc.captured == case.captured,
        "actors": set(case.actors) <= set(inc.actors),
        "claim_status": inc.claim_status == case.claim_status,
        "cross_border": _cross(inc) == case.cross_border,
    }
