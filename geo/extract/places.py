"""Places named in an article: gazetteer mentions filtered and resolved in context."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo._distance import haversine_km
from geo._errors import GeoError
from geo._scoring import AMBIGUOUS_KM
from geo.extract.lexicon import (
    _COUNTRY_ALT,
    _COUNTRY_NAMES,
    _COUNTRY_WORDS,
    _DATELINE,
    _DEMONYMS,
    _KIND_AFTER,
    _MIN_SCORE_EXACT,
    _PROVINCE_AFTER,
    _PROVINCE_BEFORE,
    _ActorHit,
)
from geo.extract.model import REGION, GeocoderLike, Problem
from geo.incidents import Place
from geo.regions import PROVINCE_ALIASES, province_group, province_key

# ---------------------------------------------------------------- places
_MIN_SCORE = 0.74
_COMMON_WORDS = frozenset(
    {
        "go", "press", "leave", "check", "due", "claims", "twitter", "western", "eastern",
        "northern", "southern", "it", "its", "reply", "home", "latest", "posts", "about",
        "news", "world", "share", "read", "more", "also", "zoom", "deeper",
    }
)  # fmt: skip


@dataclass(frozen=True)
class _PlaceHit:
    start: int
    end: int
    surface: str
    place: Place
    key: str  # identity of the resolved place


def _country_place(iso2: str, geocoder: GeocoderLike | None, text: str) -> Place | None:
    name = _COUNTRY_NAMES.get(iso2)
    if name is None:
        return None
    if geocoder is not None:
        best = _best(geocoder, name, text)
        if best is not None and best.place.country_iso2 == iso2:
            return best.place
    return Place(name, None, None, iso2, "", "", "country")


@dataclass(frozen=True)
class _Resolved:
    place: Place
    key: str
    status: str
    score: float
    exact: bool = False  # the name is spelled as in the gazetteer (accents aside)


#: a district's seat farther than this from the district's point is not its centre.
_SEAT_KM = 40.0


def _district_point(best: Any, cands: Sequence[Any]) -> tuple[float, float]:
    """Where to put a district: its seat (the district centre town, where event datasets put
    district-level events) when the gazetteer has it among the candidates, inside the same
    province and near the district; else the district's own point.  Other places as they are.
    """
    here = (float(best.lat), float(best.lon))
    if best.geo_precision != "district":
        return here
    for c in cands:
        if (
            str(getattr(c, "feature", "")).endswith("_seat")
            and c.geo_precision == "exact"
            and c.admin1_iso == best.admin1_iso
            and float(c.score) >= 0.8
            and haversine_km(float(c.lat), float(c.lon), *here) <= _SEAT_KM
        ):
            return float(c.lat), float(c.lon)
    return here


def _fold(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    return re.sub(r"[\W_]+", "", "".join(c for c in plain if not unicodedata.combining(c))).lower()


def _is_exact(cand: Any, name: str) -> bool:
    """The candidate is spelled as ``name`` and is a place worth naming (seat, district …)."""
    if _fold(str(getattr(cand, "matched_name", cand.name))) != _fold(name):
        return False
    feature = str(getattr(cand, "feature", ""))
    return (
        cand.geo_precision in ("district", "province")
        or feature.endswith("_seat")
        or int(getattr(cand, "population", 0) or 0) >= 10_000
    )


def _best(
    geocoder: GeocoderLike,
    name: str,
    text: str,
    provinces: frozenset[str] = frozenset(),
    want_province: bool = False,
    want_district: bool = False,
    country: str | None = None,
) -> _Resolved | None:
    try:
        result = geocoder.resolve(name, country=country, context=text)
    except (GeoError, ValueError, LookupError):
        return None
    cands = list(getattr(result, "candidates", []) or [])
    best = getattr(result, "best", None)
    if want_province:
        prov = [c for c in cands if c.geo_precision == "province"]
        if prov:
            best = _spelled_province(name, prov) or prov[0]
    if best is None:
        return None
    status = result.status
    exact = [c for c in cands if _is_exact(c, name) and c.geo_precision != "province"]
    if want_district:
        # "Khwaja Ghar district": a district spelled so is the place, at district precision.
        district = [c for c in exact if c.geo_precision == "district"]
        if district and district[0].score >= best.score - 0.15:
            best, status = district[0], "resolved"
    elif (
        exact
        and best.geo_precision == "exact"
        and not _is_exact(best, name)
        and exact[0].admin1_iso != best.admin1_iso
        and exact[0].score >= best.score - 0.1
    ):
        best = exact[0]  # "Bajaur" is the Bajaur district, not a fuzzy "Bujará"
    if status == "ambiguous" and best.admin1_iso in provinces:
        status = "resolved"  # the article names the province: take the candidate inside it
    if want_province and best.geo_precision == "province":
        status = "resolved"
    lat, lon = _district_point(best, cands)
    place = Place(
        best.name, lat, lon, best.country_iso2, best.admin1, best.admin1_iso, best.geo_precision
    )
    key = f"{best.country_iso2}|{best.admin1_iso}|{best.name}|{best.geo_precision}"
    if status == "ambiguous" and _one_province(best, cands):
        status = "settled"  # "Peshawar": the city or the district, one province either way
    elif status == "ambiguous" and _exact_beats_respellings(best, cands, name):
        status = "settled"  # "Bajaur": the district so spelled, not a respelled "Bukhoro"
    return _Resolved(place, key, status, float(best.score), _is_exact(best, name))


def _spelled_province(name: str, provinces: Sequence[Any]) -> Any | None:
    """The province candidate whose own name or alias (:data:`geo.regions.PROVINCE_ALIASES`)
    is spelled as written: "Paktiya" is Paktia, however close Paktika scores."""
    key = province_key(name)
    for c in provinces:
        spellings = (c.name, c.admin1, *PROVINCE_ALIASES.get(c.admin1_iso, ()))
        if any(province_key(s) == key for s in spellings):
            return c
    return None


#: statuses of a usable resolution ("settled": ambiguous only within one province).
_USABLE = frozenset({"resolved", "settled"})
#: candidates this close to the best one compete with it.
_TIE = 0.05


def _one_province(best: Any, cands: Sequence[Any]) -> bool:
    """Every candidate as good as the best lies in the best one's province (and the best is
    a town or district): the ambiguity does not change the province or the map much."""
    rivals = [c for c in cands if float(c.score) >= float(best.score) - _TIE]
    same = province_group(str(best.admin1_iso))
    return best.geo_precision in ("exact", "district") and all(
        c.admin1_iso in same and c.geo_precision in ("exact", "district") for c in rivals
    )


def _exact_beats_respellings(best: Any, cands: Sequence[Any], name: str) -> bool:
    """The best candidate is spelled as written and is a place worth naming (district,
    seat, town of 10,000+), and no candidate as good as it is also spelled so: its
    rivals are only respellings of other places."""
    if not _is_exact(best, name):
        return False
    rivals = [
        c
        for c in cands
        if float(c.score) >= float(best.score) - _TIE and _km(best, c) > AMBIGUOUS_KM
    ]
    return not any(_fold(str(getattr(c, "matched_name", c.name))) == _fold(name) for c in rivals)


def _bare(surface: str) -> str:
    return re.sub(r"(?:['’]s)$", "", surface.lower())


def _province_surfaces(text: str, mentions: Sequence[Any]) -> set[str]:
    """Names the article calls a province somewhere ("Balkh province", "province of Balkh")."""
    out = set()
    for m in mentions:
        if _PROVINCE_AFTER.match(text, m.end) or _PROVINCE_BEFORE.search(
            text[max(0, m.start - 20) : m.start]
        ):
            out.add(m.surface)
    return out


#: "the Kabul-Kandahar highway", "the Herat-Islam Qala road": a route, not a place.
_ROUTE_AFTER = re.compile(r"(?:-[A-Z][\w'’]*(?:\s[A-Z][\w'’]*)?)?\s+(?:highway|road|motorway)\b")


def _on_route_name(text: str, start: int, end: int) -> bool:
    """A name that is one end of a hyphenated route name ("Kabul-Kandahar highway")."""
    if start > 0 and text[start - 1] == "-":
        return bool(re.match(r"(?:\s[A-Z][\w'’]*)?\s+(?:highway|road|motorway)\b", text[end:]))
    return text[end : end + 1] == "-" and bool(_ROUTE_AFTER.match(text, end))


def _dateline_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start("name"), m.end("name")) for m in _DATELINE.finditer(text[:3000])]


# ---------------------------------------------------------------- nested place phrases
#: a place name of up to three words, with the joins of Dari names ("Nahr-e Saraj", "Nad
#: 'Ali", "Tarnak wa Jaldak", "Qal'ah-ye Zal").
_NAME = r"[A-Z][\w'’-]+(?:[ -](?:(?:e|i|ye|wa|o)[ -])?['’]?[A-Z][\w'’-]+){0,2}"
#: "the Sar Kalay area of Zhari district, Kandahar", "Chora and Tarinkot districts (Uruzgan)",
#: "the A, B and C villages of D district of E province", "Shortepa (Shortifa) district, Balkh".
_NESTED = re.compile(
    rf"(?:the\s+)?(?:(?P<sub>{_NAME}(?:(?:,\s*|,?\s+and\s+){_NAME})*)\s+"
    rf"(?P<subkind>area|areas|village|villages|town|bazaar|locality|valley)\s+(?:of|in)\s+)?"
    rf"(?P<d>{_NAME}(?:\s*\({_NAME}\))?(?:(?:,\s*|,?\s+and\s+){_NAME}(?:\s*\({_NAME}\))?)*)"
    rf"\s+(?P<dk>districts?)(?:\s*\((?:coded|geo-?coded) to [^)]{{1,40}}\))?"
    rf"\s*(?:of\s+|in\s+|,\s*|\(\s*)(?:the\s+)?(?P<p>{_NAME})"
)
#: "Kandahar province's Zhari district", "Helmand's Marja and Garm Ser districts".
_NESTED_POSSESSIVE = re.compile(
    rf"(?P<p>{_NAME})(?:\s+province)?['’]s\s+(?:(?P<sub>(?!))(?P<subkind>(?!)))?"
    rf"(?P<d>{_NAME}(?:(?:,\s*|,?\s+and\s+){_NAME})*)\s+(?P<dk>districts?)\b"
)
#: "in Kohistan (Kapisa)", "near Nawa (Helmand province)": a name inside the province that
#: follows it in brackets, the analyst-note form.
_NAMED_IN_PROVINCE = re.compile(
    rf"\b(?:in|near|at|outside|around)\s+(?:the\s+)?(?:(?P<sub>(?!))(?P<subkind>(?!)))?"
    rf"(?P<d>{_NAME})(?P<dk>)\s*\((?P<p>{_NAME})(?:\s+province)?(?:,\s*Afghanistan)?\)"
)
_LIST_SPLIT = re.compile(r"\s*(?:,\s*|,?\s+and\s+)")
#: a village or area is taken inside its district when this close to the district's point.
_NEAR_DISTRICT_KM = 30.0


def _names(group: str) -> list[list[str]]:
    """ "A (A2), B and C" → [["A", "A2"], ["B"], ["C"]] (a name and its other spellings)."""
    out = []
    for part in _LIST_SPLIT.split(group):
        spellings = [x.strip() for x in re.split(r"[()]", part) if x.strip()]
        if spellings:
            out.append(spellings)
    return out


def _km(a: Any, b: Any) -> float:
    """Great-circle distance between two places or candidates, km (inf when one has no point)."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return float("inf")
    return float(haversine_km(float(a.lat), float(a.lon), float(b.lat), float(b.lon)))


def _unit(
    geocoder: GeocoderLike, spellings: list[str], province: Place, precision: str
) -> Place | None:
    """The first spelling that resolves, inside ``province``, to a place of ``precision``
    (``district``) or to any place (``exact``: a village or area)."""
    for name in spellings:
        query = f"{name} district" if precision == "district" else name
        try:
            result = geocoder.resolve(query, admin1=province.admin1 or None)
        except (GeoError, ValueError, LookupError):
            continue
        best = getattr(result, "best", None)
        if best is None or best.admin1_iso != province.admin1_iso:
            continue
        if precision == "district" and best.geo_precision != "district":
            if not _seat_of(name, best):
                continue
            return Place(
                best.name, best.lat, best.lon, best.country_iso2, best.admin1, best.admin1_iso,
                "exact",
            )  # fmt: skip
        lat, lon = _district_point(best, _seat_candidates(geocoder, name, province, result))
        return Place(
            best.name, lat, lon, best.country_iso2, best.admin1, best.admin1_iso,
            best.geo_precision,
        )  # fmt: skip
    return None


def _seat_of(district: str, best: Any) -> bool:
    """A town the gazetteer names after a district it does not have ("Jaghatu district",
    Ghazni → the town Jaghatūy): the district's likely seat, spelled alike."""
    head = _fold(str(best.name).split()[0]) if str(best.name).split() else ""
    want = _fold(district)
    return best.geo_precision == "exact" and head.startswith(want) and len(head) - len(want) <= 1


def _seat_candidates(geocoder: GeocoderLike, name: str, province: Place, result: Any) -> list[Any]:
    """Candidates that may hold a district's seat: those of ``result`` and, when ``result``
    was asked for the district, those of the bare name in the province."""
    cands = list(getattr(result, "candidates", []) or [])
    if any(str(getattr(c, "feature", "")).endswith("_seat") for c in cands):
        return cands
    try:
        more = geocoder.resolve(name, admin1=province.admin1 or None)
    except (GeoError, ValueError, LookupError):
        return cands
    return cands + list(getattr(more, "candidates", []) or [])


def _nested_place(m: re.Match[str], geocoder: GeocoderLike, text: str) -> tuple[Place, str] | None:
    """The most specific place a nested phrase names that the gazetteer confirms, and how
    far it got ("village", "district", "province")."""
    prov = _best(geocoder, m.group("p"), text, want_province=True)
    if prov is None or prov.place.geo_precision != "province":
        return None
    province = prov.place
    districts = [_unit(geocoder, n, province, "district") for n in _names(m.group("d"))]
    found = [d for d in districts if d is not None]
    if m.re is _NAMED_IN_PROVINCE and not found:  # "in Nawa (Helmand)": a town, else as before
        town = _unit(geocoder, _names(m.group("d"))[0], province, "exact")
        return (town, "village") if town is not None else None
    if len(found) == 1 and len(districts) == 1:
        district = found[0]
        subs = _names(m.group("sub")) if m.group("sub") else []
        if len(subs) == 1:
            village = _unit(geocoder, subs[0], province, "exact")
            if village is not None and _km(village, district) <= _NEAR_DISTRICT_KM:
                return Place(village.name, village.lat, village.lon, village.country_iso2,
                             village.admin1, village.admin1_iso, "exact"), "village"  # fmt: skip
        return district, "district"
    if len(found) > 1 or (found and len(districts) > 1):
        # several districts: one incident at the province that covers them, naming them all
        label = f"{m.group('d')} {m.group('dk')}, {province.name}"
        return Place(label, province.lat, province.lon, province.country_iso2, province.admin1,
                     province.admin1_iso, "province"), "province"  # fmt: skip
    return province, "province"


def _nested_hits(text: str, geocoder: GeocoderLike) -> list[_PlaceHit]:
    hits: list[_PlaceHit] = []
    matches = [
        *_NESTED.finditer(text),
        *_NESTED_POSSESSIVE.finditer(text),
        *_NAMED_IN_PROVINCE.finditer(text),
    ]
    for m in sorted(matches, key=lambda x: x.start()):
        if hits and m.start() < hits[-1].end:
            continue  # overlaps the phrase before
        found = _nested_place(m, geocoder, text)
        if found is None:
            continue
        place, _ = found
        key = f"{place.country_iso2}|{place.admin1_iso}|{place.name}|{place.geo_precision}"
        start = m.start("d") if m.re is _NAMED_IN_PROVINCE else m.start()
        hits.append(_PlaceHit(start, m.end(), text[start : m.end()], place, key))
    return hits


_COUNTRY_WORD = re.compile(rf"\b({_COUNTRY_ALT})\b", re.IGNORECASE)
#: "from (inside) Afghanistan", "crossed from the Afghan side": where fire came from.
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:(?:inside|within|across|the)\s+)*$", re.IGNORECASE)


def _countries_named(text: str, also: Sequence[str] = ()) -> list[str]:
    """Covered countries the text is about, most named first: country names and demonyms
    ("Pakistan", "Afghan"; not an origin like "from inside Iran") and the countries of
    provinces it names."""
    counts: dict[str, int] = {}
    for m in _COUNTRY_WORD.finditer(text):
        if _FROM_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        cc = _COUNTRY_WORDS[" ".join(m.group(1).lower().split())]
        counts[cc] = counts.get(cc, 0) + 1
    for cc in also:
        counts[cc] = counts.get(cc, 0) + 2
    return [cc for cc, _ in sorted(counts.items(), key=lambda kv: -kv[1]) if cc in REGION]


def _within_hinted_country(
    geocoder: GeocoderLike,
    name: str,
    text: str,
    countries: Sequence[str],
    provinces: set[str],
) -> _Resolved | None:
    """A name the gazetteer cannot settle alone, settled inside the country the text is
    about ("Datta Khel" in a report on Pakistan): the first such country whose best
    candidate scores well enough."""
    for cc in countries[:2]:
        res = _best(geocoder, name, text, frozenset(provinces), country=cc)
        if res is None or res.place.country_iso2 != cc or res.score < _MIN_SCORE_EXACT:
            continue
        if res.status in ("resolved", "settled", "ambiguous"):
            return _Resolved(res.place, res.key, "resolved", max(res.score, _MIN_SCORE), res.exact)
    return None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    surface: str


_NOT_PLACES = frozenset(
    {
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "the", "a", "an", "this", "that", "these", "those",
        "police", "army", "government", "ministry", "security", "officials", "official",
        "president", "minister", "sources", "islamic", "state", "taliban", "al", "qaeda",
        "daesh", "reuters", "afp", "ap", "xinhua", "update", "timeline", "incidents",
        "statements", "programme", "tracking", "conflict", "worldwide", "newsalert", "pak",
        "upper", "lower", "north", "south", "east", "west", "northern", "southern", "eastern",
        "western", "central", "province", "district", "city", "town", "village", "area",
        "areas", "valley", "agency", "tehsil", "sector", "border", "line", "control",
    }
)  # fmt: skip
#: "in Wana", "near Parachinar town", "Pakistan's North Waziristan": a capitalised name
#: where the grammar expects a place, for names the gazetteer's mention finder misses.
_LOCATIVE_NAME = re.compile(
    r"(?:\b(?:in|near|at|outside|around|into|toward|towards|of)\s+(?:the\s+)?|['’]s\s+)"
    r"(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+|upper\s+|lower\s+)?"
    r"(?P<name>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+){0,3})"
)


#: "the Amu Darya", "the Panj river": a river is where fire crossed, never the event's place.
_WATER = re.compile(r"[\w'’-]*(?:[ -]darya|\s+river)\b", re.IGNORECASE)


def _locative_mentions(text: str, taken: list[tuple[int, int]]) -> list[_Mention]:
    out = []
    for m in _LOCATIVE_NAME.finditer(text):
        start, end = m.start("name"), m.end("name")
        words = m.group("name").replace("’", "'").split()
        while words and words[-1].lower().rstrip("'s") in _NOT_PLACES:
            words.pop()  # "Parachinar Town" → "Parachinar"
        if not words or all(w.lower() in _NOT_PLACES for w in words):
            continue
        surface = " ".join(words)
        end = start + len(surface) if text[start : start + len(surface)] == surface else end
        if _bare(surface) in _COUNTRY_WORDS or any(start < e and s < end for s, e in taken):
            continue
        out.append(_Mention(start, end, surface))
    return out


def _find_places(  # noqa: C901 - one pass over the mentions; each branch a rule in the docstring
    text: str, geocoder: GeocoderLike, actors: list[_ActorHit], source: str
) -> tuple[list[_PlaceHit], list[Problem]]:
    problems: list[Problem] = []
    nested = _nested_hits(text, geocoder)
    blocked = (
        [(h.start, h.end) for h in actors]
        + _dateline_spans(text)
        + [(h.start, h.end) for h in nested]
    )
    found = list(geocoder.find_places(text))
    found += _locative_mentions(text, blocked + [(m.start, m.end) for m in found])
    mentions = [
        m
        for m in found
        if not any(m.start < e and s < m.end for s, e in blocked)
        and len(re.sub(r"\W", "", m.surface)) >= 3
        and m.surface[:1].isupper()
        and _bare(m.surface) not in _COMMON_WORDS
        and _bare(m.surface) not in _DEMONYMS
        and not _WATER.search(text, m.start, min(len(text), m.end + 7))
        and not _on_route_name(text, m.start, m.end)
    ]
    first: dict[tuple[str, bool], _Resolved | None] = {}
    provinces: set[str] = set()
    for m in mentions:  # provinces first, so ambiguous towns can lean on them
        if (m.surface, False) in first:
            continue
        first[(m.surface, False)] = _best(geocoder, m.surface, text)
        res = first[(m.surface, False)]
        if res and res.status == "resolved" and res.place.geo_precision in ("province", "exact"):
            provinces.add(res.place.admin1_iso)
    hits: list[_PlaceHit] = []
    as_province = _province_surfaces(text, mentions)

    memo: list[list[str]] = []

    def hints() -> list[str]:
        if not memo:  # once per article, on first need
            resolved = [
                r.place.country_iso2
                for r in first.values()
                if r is not None and r.status == "resolved" and r.place.geo_precision == "province"
            ]
            memo.append(_countries_named(text, resolved))
        return memo[0]

    for m in mentions:
        want_prov = m.surface in as_province
        res = first[(m.surface, False)]
        kind = _KIND_AFTER.match(text, m.end)
        if kind and kind.group("kind").lower() == "district" and not want_prov:
            plain = res
            res = _best(geocoder, m.surface, text, frozenset(provinces), want_district=True)
            if res is not None and plain is not None and plain.status != "resolved":
                problems.append(
                    Problem(
                        source,
                        "ambiguous_place",
                        f"{m.surface!r}: {plain.status} by name alone; taken as the district "
                        f"{res.place.name} ({res.place.admin1 or res.place.country_iso2}) "
                        "because the text says 'district'",
                    )
                )
        elif want_prov or (res and res.status == "ambiguous"):
            if (m.surface, True) not in first:
                first[(m.surface, True)] = _best(
                    geocoder, m.surface, text, frozenset(provinces), want_prov
                )
            res = first[(m.surface, True)]
        floor = _MIN_SCORE_EXACT if res is not None and res.exact else _MIN_SCORE
        if res is None or res.status not in _USABLE or res.score < floor:
            hinted = _within_hinted_country(geocoder, m.surface, text, hints(), provinces)
            if hinted is not None:
                problems.append(
                    Problem(
                        source,
                        "ambiguous_place",
                        f"{m.surface!r}: {res.status if res else 'no match'} by name alone; "
                        f"taken as {hinted.place.name} in {hinted.place.country_iso2}, "
                        "the country the text is about",
                    )
                )
                res = hinted
        if res is None or res.status not in _USABLE or res.score < floor:
            why = "no gazetteer match" if res is None else f"{res.status}, score {res.score:.2f}"
            problems.append(
                Problem(
                    source,
                    "unresolved_place",
                    f"{m.surface!r}: {why}",
                    text[max(0, m.start - 40) : m.end + 40],
                )
            )
            continue
        if res.place.country_iso2 not in REGION:
            problems.append(
                Problem(
                    source,
                    "outside_region",
                    f"{m.surface!r} is in {res.place.country_iso2 or '?'}, "
                    "outside the covered countries; not mapped",
                )
            )
            continue
        hits.append(_PlaceHit(m.start, m.end, m.surface, res.place, res.key))
    return sorted(hits + nested, key=lambda h: h.start), problems
