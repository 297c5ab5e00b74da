"""Article → incidents: places, dates, casualties, actors, claims, cross-border, evidence.

Rule-based and explainable: every field of an :class:`~geo.incidents.Incident` keeps the
sentence it came from (:class:`~geo.incidents.Evidence`).  The stages, one module each:

* :mod:`geo.extract.lexicon` — the words of the reporting: actors (``data/actors.csv``),
  event cues and ACLED types, claims, aggregates, cross-border cues; country names and
  demonyms come from :mod:`geo.regions`;
* :mod:`geo.extract.places` — places: nested phrases first ("the Sar Kalay area of Zhari
  district, Kandahar"; "Chora and Tarinkot districts (Uruzgan)"), then the gazetteer's
  mentions plus names where the grammar expects a place ("in Wana"), resolved in context;
* dates and numbers — :mod:`geo._dates`, :mod:`geo._numbers`;
* :mod:`geo.extract.grouping` — facts per sentence, grouped into incident drafts;
* :mod:`geo.extract.building` — drafts → incidents (cross-border places, dates, tolls,
  claims, evidence) and :func:`assign_provinces`.

Per article: split sentences and infer the reference date; find places (actor names and
datelines are never places); read each sentence; group: an event sentence with a specific
place starts or joins an incident there, one without joins the incident before it or waits
for the next; build; assign admin-1 by point in polygon when boundaries are configured.

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
  known and the target place is specific ("rockets at a unit near Termez").  The origin is
  read from "from (inside) <country>", "from across the border in <place>", "fired by
  <demonym> troops", "jets of <country> struck"; a clash of two states' forces ("Afghan and
  Pakistani border forces clashed") gets both countries, with a note that there is no
  single direction.
* **Places**: a name spelled exactly as a district, a seat or a town of 10,000+ is accepted
  from score 0.6 (else 0.74); "X district" takes the district of that spelling, at district
  precision, and reports the ambiguity (problem ``ambiguous_place``).  A nested phrase
  gives the most specific place the gazetteer confirms inside the stated province (a village
  within 30 km of its district, else the district, else the province) and records that
  precision; several districts with one toll give one incident at their province, named
  after them all.  A name the gazetteer cannot settle alone is settled inside the country
  the text is about (named countries and demonyms, provinces it names); a name ambiguous
  only within one province is taken ("Peshawar": city or district).
* **Datelines** ("KABUL, Afghanistan (March 4) –", "KABUL, Afghanistan, Nov. 18, 2011 —",
  "(June 30) A force …") are where and when the report was filed: neither the place nor
  the date of the event, which "yesterday" and "last night" count back from (the dateline's
  full date is the reference when no publication date is given).
* **A title line** (the first line, short, no full stop) announces the event its body
  places and dates: it joins the first body incident in its province, and is an incident
  of its own only when none takes it up.
* **Conflicting figures**: one side's claim against the reported figure ("the Taliban
  claimed 15, the government reported 4") gives the lower as best and the claim as the
  upper bound (ACLED's most conservative figure); the dead of two sides still add up.
* **Short reports always yield an incident**: a text of up to :data:`NOTE_CHARS` characters
  (an analyst note, a headline, a release item) that names a place but no event the rules
  know gives one incident at its most specific place.
* **Year unknown**: a day and month whose year neither the text nor a publication date
  gives keep their place; the incident is dated to the earliest year the text allows,
  noted "year unknown" and listed as a ``year_unknown`` problem for review.
* **Generic actors** ("gunmen", "police") name the incident's country, ACLED style:
  "Unidentified Armed Group (Afghanistan)", "Police Forces of Pakistan".
* Vague amounts and ranges: see :mod:`geo._numbers`; dates: see :mod:`geo._dates`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from geo._dates import DateMention, Reference, find_dates, infer_reference
from geo.articles import Article, split_sentences
from geo.extract.building import _build, _Built, assign_provinces
from geo.extract.grouping import _Draft, _Facts, _facts, _group
from geo.extract.lexicon import (
    ACTORS_FILE,
    _actor_hits,
    claim_status,
    classify_event,
    find_actors,
    load_actor_aliases,
)
from geo.extract.model import REGION, ExtractionResult, GeocoderLike, Problem
from geo.extract.places import _dateline_spans, _find_places
from geo.geocode import get_geocoder
from geo.incidents import Incident, Source
from geo.settings import Settings, get_settings

__all__ = [
    "ACTORS_FILE",
    "REGION",
    "ExtractionResult",
    "GeocoderLike",
    "Problem",
    "assign_provinces",
    "claim_status",
    "classify_event",
    "extract_article",
    "find_actors",
    "load_actor_aliases",
]


# ---------------------------------------------------------------- public entry points
#: a text this short is one report (an analyst note, a headline, a press-release item).
NOTE_CHARS = 2000


def _note_draft(facts: list[_Facts], length: int) -> list[_Draft]:
    """A short report that names a place but no event cue the rules know ("Timeline …, in
    Razmak area"; "Clashes continue in X district"): one incident at its most specific place
    (the country when that is all it names), so a note always yields an incident.  Long
    articles get no such fallback."""
    if length > NOTE_CHARS:
        return []
    placed = [f for f in facts if f.places and not f.aggregate]
    if not placed:
        return []
    rank = {"exact": 0, "district": 1, "province": 2, "country": 3}
    f = min(placed, key=lambda g: min(rank[p.place.geo_precision] for p in g.places))
    hit = min(f.places, key=lambda p: rank[p.place.geo_precision])  # the country at worst
    return [_Draft(facts=[g for g in facts if not g.aggregate], place=hit)]


def _opens_line_in_brackets(text: str, start: int) -> bool:
    """ "(June 30) A coalition force …": a release's opening date in brackets."""
    return text[text.rfind("\n", 0, start) + 1 : start].strip() == "("


def _dateline_dates_as_statements(
    dates: list[DateMention], datelines: list[tuple[int, int]], text: str
) -> list[DateMention]:
    """ "KABUL, Afghanistan (March 4) –", "(June 30) A force …": the date the report was
    filed, not the event's (used only when the text dates the event no other way)."""
    ends = [end for _, end in datelines]
    return [
        replace(d, kind="statement")
        if any(0 <= d.start - e <= 40 for e in ends) or _opens_line_in_brackets(text, d.start)
        else d
        for d in dates
    ]


def _reference(text: str, published: date | None, datelines: list[tuple[int, int]]) -> Reference:
    """The publication date when given; else a dateline's full date ("KABUL, Afghanistan,
    Nov. 18, 2011 —"), the day the report was filed, which "yesterday" and "last night" hang
    on; else one inferred from the text (:func:`geo._dates.infer_reference`)."""
    if published is None:
        ends = [end for _, end in datelines]
        for d in find_dates(text[: max(ends, default=0) + 60], Reference(None)):
            if (
                not d.relative
                and d.precision == "day"
                and any(0 <= d.start - e <= 40 for e in ends)
            ):
                return Reference(d.value, "day", reason=f"dateline date {d.value}")
    return infer_reference(text, published)


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
        geocoder = get_geocoder(settings)
    sid = article.file or article.url or article.source_id
    text = article.text
    datelines = _dateline_spans(text)
    ref = _reference(text, article.published, datelines)
    actors = _actor_hits(text)
    places, problems = _find_places(text, geocoder, actors, sid)
    problems = [Problem(sid, "article", p) for p in article.problems] + problems
    sentences = split_sentences(text)
    all_dates = _dateline_dates_as_statements(find_dates(text, ref), datelines, text)
    facts = [_facts(i, s, all_dates, places, actors) for i, s in enumerate(sentences)]
    incidents: list[Incident] = []
    previous: _Built | None = None
    drafts = _group(facts) or _note_draft(facts, len(text))
    for draft in drafts:
        built = _build(draft, article, ref, geocoder, previous)
        if built is None:
            problems.append(
                Problem(sid, "no_place", "event without a place", draft.facts[0].sent.text[:200])
            )
            continue
        if built.year_unknown:
            problems.append(
                Problem(
                    sid,
                    "year_unknown",
                    f"{built.incident.location_name}: {built.incident.notes}",
                    draft.facts[0].sent.text[:200],
                )
            )
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
