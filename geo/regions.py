"""The covered countries and their provinces: names, demonyms, codes and spellings.

One place for the vocabulary every stage uses to name a country or a province:

* :data:`COUNTRIES` — the countries the dashboard covers (Afghanistan and its
  neighbours) and the ones shown around them, with ISO 3166-1 codes, names and
  demonyms (:func:`country_words` maps every name and demonym to ISO2);
* :data:`PROVINCE_ALIASES` — the province names analysts use that Natural Earth
  lacks ("AJK", "FATA", "NWFP", "Islamabad Capital Territory", Afghan
  transliterations), and :data:`PROVINCE_SUCCESSORS` (FATA merged into Khyber
  Pakhtunkhwa in 2018);
* :func:`province_spellings` — one lookup built from the admin-1 table
  (``geo.boundaries.load_admin1``) plus the alias table, where a country always
  constrains the province ("Punjab" with ``PK`` is never India's Punjab);
* :func:`split_feature_word` — "Sam village", "Birmal tehsil": the name and the kind
  of feature the trailing word names.

This module reads no file and imports no other stage: callers pass the admin-1
table in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from geo._translit import fold, phonetic_key

__all__ = [
    "COUNTRIES",
    "COVERED_ISO2",
    "FEATURE_WORDS",
    "ISO2_TO_ISO3",
    "PROVINCE_ALIASES",
    "PROVINCE_SUCCESSORS",
    "REGION_ISO2",
    "UNIT_OTHER_NAMES",
    "Country",
    "Province",
    "ProvinceSpellings",
    "country_name",
    "country_words",
    "demonyms",
    "iso3",
    "province_group",
    "province_key",
    "province_spellings",
    "split_compound",
    "split_feature_word",
    "split_qualifier",
    "unit_other_names",
]


@dataclass(frozen=True)
class Country:
    """A country of the region: codes, English names (the first is the usual one) and
    the demonyms that name it in text ("Afghan forces")."""

    iso2: str
    iso3: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    covered: bool


# fmt: off
COUNTRIES: tuple[Country, ...] = (
    Country("AF", "AFG", ("Afghanistan", "Islamic Emirate of Afghanistan"),
            ("Afghan", "Afghans", "Afghani"), True),
    Country("PK", "PAK", ("Pakistan", "Islamic Republic of Pakistan"),
            ("Pakistani", "Pakistanis"), True),
    Country("TJ", "TJK", ("Tajikistan", "Tadjikistan", "Republic of Tajikistan"),
            ("Tajik", "Tajiks", "Tajikistani", "Tadjik"), True),
    Country("UZ", "UZB", ("Uzbekistan", "Republic of Uzbekistan"),
            ("Uzbek", "Uzbeks", "Uzbekistani"), True),
    Country("TM", "TKM", ("Turkmenistan",), ("Turkmen", "Turkmens", "Turkmenistani"), True),
    Country("IR", "IRN", ("Iran", "Islamic Republic of Iran", "Persia"),
            ("Iranian", "Iranians", "Persian"), True),
    Country("KG", "KGZ", ("Kyrgyzstan", "Kyrgyz Republic"), ("Kyrgyz", "Kirghiz"), False),
    Country("CN", "CHN", ("China", "People's Republic of China"), ("Chinese",), False),
    Country("IN", "IND", ("India", "Republic of India"), ("Indian", "Indians"), False),
)
# fmt: on

#: The countries the dashboard covers, in the order preferred when a name is shared.
COVERED_ISO2: tuple[str, ...] = tuple(c.iso2 for c in COUNTRIES if c.covered)
#: The covered countries and the neighbours shown around them.
REGION_ISO2: tuple[str, ...] = tuple(c.iso2 for c in COUNTRIES)
ISO2_TO_ISO3: dict[str, str] = {c.iso2: c.iso3 for c in COUNTRIES}
_BY_ISO2: dict[str, Country] = {c.iso2: c for c in COUNTRIES}


def iso3(iso2: str) -> str:
    """ISO 3166-1 alpha-3 of a region country (``"AF"`` → ``"AFG"``); other codes are
    returned upper-cased as given."""
    return ISO2_TO_ISO3.get(iso2.upper(), iso2.upper())


def country_name(iso2: str) -> str | None:
    """The usual English name of a region country, or None."""
    country = _BY_ISO2.get(iso2.upper())
    return country.names[0] if country else None


def demonyms(iso2: str | None = None) -> tuple[str, ...]:
    """The demonyms of one country, or of every region country when ``iso2`` is None."""
    if iso2 is not None:
        country = _BY_ISO2.get(iso2.upper())
        return country.demonyms if country else ()
    return tuple(d for c in COUNTRIES for d in c.demonyms)


def country_words(covered_only: bool = False) -> dict[str, str]:
    """Every country name and demonym, lower-cased, → ISO2 (``"afghan"`` → ``"AF"``)."""
    return {
        word.casefold(): c.iso2
        for c in COUNTRIES
        if c.covered or not covered_only
        for word in (*c.names, *c.demonyms)
    }


# ---------------------------------------------------------------------- provinces


@dataclass(frozen=True)
class Province:
    """A province: English name, ISO 3166-2 code and country ISO2."""

    name: str
    iso: str
    country_iso2: str

    def as_tuple(self) -> tuple[str, str, str]:
        """``(name, iso_3166_2, country_iso2)``, the shape older callers use."""
        return (self.name, self.iso, self.country_iso2)


#: A province that was merged into another; a hint for either accepts places of both,
#: since data from before and after the merger name the same places differently.
PROVINCE_SUCCESSORS: dict[str, str] = {"PK-TA": "PK-KP"}  # FATA → Khyber Pakhtunkhwa, 2018

# Province names in use that Natural Earth's admin-1 table lacks (ISO 3166-2 → names).
# Natural Earth keeps FATA as its own unit (PK-TA), so FATA keeps its own code.
# fmt: off
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "PK-JK": ("Azad Jammu and Kashmir", "Azad Jammu & Kashmir", "AJK", "AJ&K", "Azad Kashmir",
              "Pakistan-administered Kashmir", "Azad Jammu Kashmir"),
    "PK-TA": ("FATA", "Federally Administered Tribal Areas", "Federally Administered Tribal Area",
              "Tribal Areas", "Tribal Districts"),
    "PK-KP": ("Khyber Pakhtunkhwa", "Khyber-Pakhtunkhwa", "KP", "KPK", "NWFP",
              "North-West Frontier Province", "North West Frontier Province", "Pakhtunkhwa"),
    "PK-IS": ("Islamabad Capital Territory", "ICT", "Islamabad", "Federal Capital Territory"),
    "PK-GB": ("Gilgit-Baltistan", "Gilgit Baltistan", "Northern Areas",
              "Federally Administered Northern Areas"),
    "PK-BA": ("Balochistan", "Baluchistan", "Beluchistan"),
    "PK-SD": ("Sindh", "Sind"),
    "PK-PB": ("Punjab",),
    "AF-HEL": ("Helmand", "Hilmand"),
    "AF-HER": ("Herat", "Hirat", "Harat"),
    "AF-PKA": ("Paktia", "Paktiya", "Paktya", "Paktiyā"),
    "AF-PIA": ("Paktika", "Paktica"),
    "AF-NAN": ("Nangarhar", "Ningarhar", "Nangrahar", "Ningrahar"),
    "AF-WAR": ("Wardak", "Maidan Wardak", "Maydan Wardak", "Vardak", "Wardag", "Maidan Wardag"),
    "AF-SAR": ("Sar-e Pol", "Sar-e-Pol", "Sar-i-Pul", "Sar-e Pul", "Sari Pul", "Saripul"),
    "AF-JOW": ("Jowzjan", "Jawzjan", "Jozjan", "Juzjan"),
    "AF-URU": ("Uruzgan", "Urozgan", "Oruzgan", "Orozgan"),
    "AF-DAY": ("Daykundi", "Daikundi", "Daykondi", "Daikondi"),
    "AF-PAN": ("Panjshir", "Panjsher", "Panjsheer", "Panjshēr"),
    "AF-KDZ": ("Kunduz", "Konduz", "Kondoz", "Qunduz"),
    "AF-KNR": ("Kunar", "Konar", "Konarha"),
    "AF-KAN": ("Kandahar", "Qandahar", "Kandehar"),
    "AF-GHO": ("Ghor", "Ghowr", "Ghur"),
    "AF-NIM": ("Nimroz", "Nimruz", "Nimrooz"),
    "AF-BDG": ("Badghis", "Badghes", "Badgis"),
    "AF-FYB": ("Faryab", "Fariab", "Faryob"),
    "AF-KHO": ("Khost", "Khowst", "Khust"),
    "AF-ZAB": ("Zabul", "Zabol"),
    "AF-BAM": ("Bamyan", "Bamiyan", "Bamian"),
    "AF-NUR": ("Nuristan", "Nooristan"),
    "AF-PAR": ("Parwan", "Parvan"),
    "AF-LOG": ("Logar", "Lowgar"),
    "TJ-GB": ("GBAO", "Gorno-Badakhshan Autonomous Oblast", "Gorno-Badakhshan Autonomous Region",
              "Kuhistoni Badakhshon", "Mountainous Badakhshan"),
}
# fmt: on

#: Words around a province name that are not part of it ("Sindh province").
_PROVINCE_WORDS = re.compile(
    r"^(?:the\s+)?(?:province|region|oblast|viloyat|wilayat)\s+of\s+|"
    r"\s+(?:province|provinces|region|oblast|viloyati|viloyat|wilayat|wilayah)$"
)


def province_key(text: str) -> str:
    """The form a province spelling is looked up by: folded, ``&`` read as "and",
    dotted initials joined ("F.A.T.A." → "fata"), "province"/"region" dropped."""
    folded = fold(str(text).replace("&", " and "))
    folded = re.sub(r"\b(\w) (?=\w\b)", r"\1", folded)  # "f a t a" → "fata"
    return _PROVINCE_WORDS.sub("", folded).strip()


#: Spelling similarity (0-100) from which a near miss names a province.
_CLOSE = 90.0


def province_group(iso: str) -> tuple[str, ...]:
    """The ISO codes a hint for ``iso`` accepts: itself, and the province it merged into
    or that absorbed it (:data:`PROVINCE_SUCCESSORS`)."""
    related = [iso]
    related += [new for old, new in PROVINCE_SUCCESSORS.items() if old == iso]
    related += [old for old, new in PROVINCE_SUCCESSORS.items() if new == iso]
    return tuple(related)


class ProvinceSpellings(Mapping[str, tuple[str, str, str]]):
    """Province spellings → provinces, where a country constrains the answer.

    As a read-only mapping, ``spellings[text]`` is the best province's ``(name,
    iso_3166_2, country_iso2)`` for any spelling ``text`` (KeyError when none).

    Built by :func:`province_spellings`.  A spelling may name provinces of several
    countries ("Punjab": PK-PB and IN-PB); :meth:`find` with a country only answers
    within it, and without one prefers the covered countries in :data:`COVERED_ISO2`
    order.  A province's own names always beat another's alternate names.
    """

    def __init__(self, entries: Iterable[tuple[str, Province, int]]) -> None:
        self._exact: dict[str, list[tuple[int, int, Province]]] = {}
        self._phonetic: dict[str, list[tuple[int, int, Province]]] = {}
        order = {cc: n for n, cc in enumerate(REGION_ISO2)}
        self.provinces: dict[str, Province] = {}
        for n, (spelling, province, tier) in enumerate(entries):
            self.provinces.setdefault(province.iso, province)
            rank = (tier, order.get(province.country_iso2, len(order)) * 10_000 + n)
            for table, key in (
                (self._exact, province_key(spelling)),
                (self._phonetic, phonetic_key(province_key(spelling))),
            ):
                if key and all(p.iso != province.iso for *_, p in table.get(key, ())):
                    table.setdefault(key, []).append((*rank, province))
        for table in (self._exact, self._phonetic):
            for found in table.values():
                found.sort(key=lambda t: (t[0], t[1]))

    def candidates(self, text: str, country: str | None = None) -> list[Province]:
        """Every province ``text`` may name, best first (within ``country`` if given);
        exact spellings first, then same-sounding ones ("Pakhtunkwa")."""
        key = province_key(text)
        if not key:
            return []
        iso = str(text).strip().upper()
        if iso in self.provinces:
            found = [self.provinces[iso]]
        else:
            found = [p for *_, p in self._exact.get(key, ())]
            if not found or (country and all(p.country_iso2 != country for p in found)):
                found = [p for *_, p in self._phonetic.get(phonetic_key(key), ())]
            if not found or (country and all(p.country_iso2 != country for p in found)):
                found = self._close(key, country)
        if country:
            found = [p for p in found if p.country_iso2 == country]
        return found

    def _close(self, key: str, country: str | None) -> list[Province]:
        """Provinces whose spelling differs from ``key`` by a slip ("Pakhtunkwa"):
        similarity ≥ :data:`_CLOSE`, the closest first."""
        if len(key) < 5:
            return []
        keys = [k for k, found in self._exact.items() if len(k) >= 5]
        hits = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=_CLOSE, limit=8)
        out: list[Province] = []
        for k, _, _ in hits:
            out += [p for *_, p in self._exact[k] if not country or p.country_iso2 == country]
        return out

    def find(self, text: str, country: str | None = None) -> Province | None:
        """The province ``text`` names (in ``country`` when given), or None."""
        found = self.candidates(text, country)
        return found[0] if found else None

    def __getitem__(self, text: str) -> tuple[str, str, str]:
        found = self.find(text)
        if found is None:
            raise KeyError(text)
        return found.as_tuple()

    def __iter__(self) -> Iterator[str]:
        return iter(self._exact)

    def __len__(self) -> int:
        return len(self._exact)

    def as_dict(self) -> dict[str, tuple[str, str, str]]:
        """Case-folded spelling (and ISO code) → ``(name, iso, country)``, the best
        province for each: the plain mapping older callers use."""
        out: dict[str, tuple[str, str, str]] = {}
        for key, found in self._exact.items():
            out[key] = found[0][2].as_tuple()
        for iso, province in self.provinces.items():
            out[iso.casefold()] = province.as_tuple()
        return out


def _alternates(value: Any) -> list[str]:
    if not isinstance(value, str):
        return []
    return [a.strip() for a in value.split("|") if a.strip() and a.strip() != "nan"]


def province_spellings(admin1: Any) -> ProvinceSpellings:
    """The province lookup of an admin-1 table plus :data:`PROVINCE_ALIASES`.

    Parameters
    ----------
    admin1 : pandas.DataFrame
        Columns ``name``, ``name_ne``, ``name_alt`` (``|``-separated), ``iso_3166_2``,
        ``country_iso2`` (as :func:`geo.boundaries.load_admin1` gives).

    Returns
    -------
    ProvinceSpellings
        Tier 0: each province's own names, its ISO code and the alias table; tier 1:
        Natural Earth's alternate names, except those that are another province's
        own name in the same country (NE lists "Paktiya" under Paktika).
    """
    rows = list(admin1[["name", "name_ne", "name_alt", "iso_3166_2", "country_iso2"]].itertuples())
    own: list[tuple[str, Province, int]] = []
    alternates: list[tuple[str, Province, int]] = []
    for r in rows:
        province = Province(str(r.name), str(r.iso_3166_2), str(r.country_iso2))
        names = [str(r.name), str(r.name_ne), province.iso, *PROVINCE_ALIASES.get(province.iso, ())]
        own += [(n, province, 0) for n in names if n and n != "nan"]
        alternates += [(a, province, 1) for a in _alternates(r.name_alt)]
    taken = {(province_key(s), p.country_iso2): p.iso for s, p, _ in own}
    alternates = [
        (s, p, t)
        for s, p, t in alternates
        if taken.get((province_key(s), p.country_iso2), p.iso) == p.iso
    ]
    return ProvinceSpellings([*own, *alternates])


# ------------------------------------------------------------ district names

#: Former or other official names of district-level units, by (ISO2, the name the
#: boundary layer gives): older datasets and reports still use them (UCDP and ACLED
#: keep the name of their time).  Each is a rename or the unit's usual other name,
#: not a neighbouring unit.
# fmt: off
UNIT_OTHER_NAMES: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("PK", "Kachhi"): ("Bolan",),                      # renamed
    ("PK", "Shaheed Benazirabad"): ("Nawabshah",),     # renamed
    ("PK", "Faisalabad"): ("Lyallpur",),               # renamed
    ("PK", "Sahiwal"): ("Montgomery",),                # renamed
    ("PK", "Tor Ghar"): ("Kala Dhaka",),               # the tribal area it was made from
    ("PK", "Kech"): ("Turbat",),                       # its seat, long the district's name
    ("PK", "Malakand PA"): ("Malakand", "Malakand Agency", "Malakand Protected Area"),
    ("PK", "Killa Abdullah"): ("Qila Abdullah",),
    ("PK", "Killa Saifullah"): ("Qila Saifullah",),
    ("PK", "Sheerani"): ("Sherani",),
    ("PK", "Jaffarabad"): ("Jafarabad",),
    ("AF", "Reg(Khanshin)"): ("Reg", "Khanashin", "Khan Neshin"),  # Helmand's; its seat
    ("AF", "Garmser"): ("Hazarjuft", "Garmsir"),       # its seat's name
    ("AF", "Dara-I-Pech"): ("Pech", "Manogai"),        # the valley; its seat
    ("AF", "Chaki Wardak"): ("Chak", "Chak-e Wardak"),
    ("AF", "Shinwar"): ("Ghani Khel",),                # its seat's name
}
# fmt: on


def unit_other_names(country_iso2: str, name: str) -> tuple[str, ...]:
    """Former and other names of the district-level unit ``name`` of a country
    (:data:`UNIT_OTHER_NAMES`); empty when it has none."""
    return UNIT_OTHER_NAMES.get((country_iso2, name), ())


# -------------------------------------------------------------- kinds of feature

#: Trailing words that say what kind of place a name is ("Sam village", "Birmal
#: tehsil"), → the kind: ``admin2`` (a district-level unit: resolve to the unit),
#: ``settlement`` or ``site`` (a place at or near a settlement of that name),
#: ``village`` (a settlement, not a city) or ``named`` (named after a place).
# fmt: off
FEATURE_WORDS: Mapping[str, str] = {
    "district": "admin2", "tehsil": "admin2", "tahsil": "admin2", "agency": "admin2",
    "subdivision": "admin2", "sub-division": "admin2", "taluka": "admin2",
    "frontier region": "admin2", "uluswali": "admin2", "wuleswali": "admin2",
    "village": "village", "town": "settlement", "city": "settlement",
    "locality": "settlement", "area": "settlement", "bazaar": "settlement",
    "bazar": "settlement", "valley": "settlement", "township": "settlement",
    "dam": "site", "bridge": "site", "checkpoint": "site", "check post": "site",
    "checkpost": "site", "camp": "site", "cantonment": "site", "airport": "site",
    "market": "site", "mosque": "site", "border crossing": "site", "crossing": "site",
    "pass": "site", "post": "site", "fort": "site", "outpost": "site", "sector": "site",
    "highway": "site", "shrine": "site", "hill": "site", "mountain": "site",
    "tunnel": "site", "station": "site", "police station": "site",
    "school": "site", "hospital": "site", "university": "site",
    "sub district": "admin2", "sub-district": "admin2", "union council": "admin2",
    "distt": "admin2", "dist": "admin2",
    "airbase": "site", "air base": "site", "airfield": "site", "air field": "site",
    "base": "site", "military base": "site", "barracks": "site", "compound": "site",
    "headquarters": "site", "prison": "site", "jail": "site", "cantt": "site",
    "cemetery": "site", "graveyard": "site", "stadium": "site", "hotel": "site",
    "madrassa": "site", "madrasa": "site", "seminary": "site", "police post": "site",
    # a feature named after a place, often far from it: "Dir Colony" (in Peshawar),
    # "Kohat Road" (a road towards Kohat), "Bhatti Gate" (a gate of Lahore)
    "colony": "named", "road": "named", "gate": "named", "chowk": "named",
    "bypass": "named", "by-pass": "named", "adda": "named", "mor": "named",
}
# fmt: on
#: Feature words that are misspelt in real place strings ("Jafarabad Distrcit", "Bara
#: teshsil"): a last word this close to one of them (one edit, two for long words, the
#: same first letter) counts as that word.  Only words long enough that one edit does
#: not turn another word into them.
_FUZZY_FEATURE_WORDS = ("district", "tehsil", "village", "agency", "locality", "township")
_FUZZY_INITIALS = frozenset(w[0] for w in _FUZZY_FEATURE_WORDS)
_FEATURE_TAIL = re.compile(
    r"^(?P<name>.*?\S)[\s,]+(?P<word>"
    + "|".join(sorted((re.escape(w) for w in FEATURE_WORDS), key=len, reverse=True))
    + r")\.?$",
    re.IGNORECASE,
)


#: "Maizer locality, Datta Khel tehsil", "Kohat tunnel (FR Kohat)": a place and the
#: larger place it lies in.
_QUALIFIED = re.compile(
    r"^(?P<name>[^(),]*?\S)\s*(?:\((?P<paren>[^()]+)\)|,\s*(?P<comma>[^(),]+))$"
)


def split_qualifier(name: str) -> tuple[str, str]:
    """Split "X (Y)" or "X, Y" into the place ``X`` and the larger place ``Y`` it lies in.

    Returns
    -------
    tuple of str
        ``(X, Y)``; ``(name, "")`` when there is no qualifier.
    """
    if "(" not in name and "," not in name:
        return name, ""
    m = _QUALIFIED.match(name.strip())
    if m is None:
        return name, ""
    return m.group("name"), (m.group("paren") or m.group("comma") or "").strip()


_LAST_WORDS = frozenset(w.split()[-1].split("-")[-1] for w in FEATURE_WORDS)


def split_feature_word(name: str) -> tuple[str, str, str]:
    """Split a trailing feature word off a place name.

    Parameters
    ----------
    name : str
        A place name as written ("Toba Tek Singh district", "Dasu dam").

    Returns
    -------
    tuple of str
        ``(name without the word, the word lower-cased, its kind)``; the name
        unchanged and two empty strings when no feature word ends it, or when the
        word is all there is ("District").
    """
    last = name[name.rfind(" ") + 1 :].rstrip(".").lower()  # most names: one cheap test
    m = _FEATURE_TAIL.match(name.strip()) if last in _LAST_WORDS else None
    if m is None:
        return _misspelt_feature_word(name, last)
    word = re.sub(r"\s+", " ", m.group("word").lower())
    return m.group("name"), word, FEATURE_WORDS[word]


def _misspelt_feature_word(name: str, last: str) -> tuple[str, str, str]:
    """:func:`split_feature_word` for a misspelt last word ("Distrcit", "teshsil"): the
    word it stands for (:data:`_FUZZY_FEATURE_WORDS`), or the name unchanged."""
    if len(last) < 5 or last[0] not in _FUZZY_INITIALS or not last.isalpha():
        return name, "", ""
    base = name.strip()[: -len(last) - 1].rstrip(" ,") if " " in name.strip() else ""
    if not base:
        return name, "", ""
    for word in _FUZZY_FEATURE_WORDS:
        if last[0] == word[0] and OSA.distance(last, word) <= (2 if len(word) >= 8 else 1):
            return base, word, FEATURE_WORDS[word]
    return name, "", ""


#: Words before a place that say where along it something happened ("IB in Sialkot
#: district", "LoC Poonch district", "Border Kurram/Orakzai"): dropped, the rest kept.
_LEAD_WORDS = re.compile(
    r"^(?:(?:location|site|area)\s+of\s+|(?:the\s+)?(?:ib|loc|border|boundary|"
    r"international border|line of control)\b(?:\s+(?:in|near|of|at))?\s+)",
    re.IGNORECASE,
)
#: "Road between X and Y", "between X and Y", "X to Y road", "X-Y road", "FR Bannu - Mir
#: Ali", "Kurram/Orakzai", "AJK & Punjab": the places named.
_BETWEEN = re.compile(
    r"^(?:(?:the\s+)?(?:road|highway|area)\s+)?(?:between|from)\s+(?P<a>.+?)\s+(?:and|to)\s+"
    r"(?P<b>.+?)$",
    re.IGNORECASE,
)
_JOINED_ROAD = re.compile(
    r"^(?P<a>.+?)\s*(?:\s-\s|-|\s+to\s+)\s*(?P<b>.+?)\s+(?:road|highway|route)\b.*$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+-\s+|\s*/\s*|\s+&\s+|\s+and\s+", re.IGNORECASE)


def split_compound(name: str) -> tuple[str, list[str]]:
    """The place a compound description names, and the places it lies between.

    UCDP and similar sources describe places as "IB in Sialkot district", "Road between
    Daraban and Dera Ismail Khan", "Miranshah-Datta Khel road", "FR Tank - Jandola" or
    "Border North/South Waziristan".  Lead words ("IB in", "LoC", "Border") are dropped;
    then the parts are split off.  Position words on both sides of a slash share the
    name after them ("North/South Waziristan" → "North Waziristan", "South
    Waziristan").  A position word that starts a name ("Lower Kurram tehsil") is
    dropped too, since the whole is then looked up when the name is not found.

    Returns
    -------
    tuple
        ``(rest, parts)``: the text without its lead words (``""`` when it has none) and
        the places named (``[]`` unless there are two or more).
    """
    text = name.strip()
    rest = _LEAD_WORDS.sub("", text, count=1)
    parts: list[str] = []
    for pattern in (_BETWEEN, _JOINED_ROAD):
        m = pattern.match(rest)
        if m:
            parts = [m.group("a").strip(), m.group("b").strip()]
            break
    else:
        parts = [p.strip() for p in _SEPARATORS.split(rest) if p.strip()]
        if len(parts) >= 2 and "/" in rest:
            parts = _shared_tail(parts)
    if len(parts) < 2:
        rest = _PART_OF.sub("", rest, count=1)  # "Lower Kurram tehsil": part of Kurram
    return (rest if rest != text else ""), (parts if len(parts) >= 2 else [])


#: Words that qualify the name after them ("North/South Waziristan", "Upper/Lower Dir").
_POSITION_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "upper",
        "lower",
        "central",
        "middle",
        "inner",
        "outer",
        "greater",
        "new",
        "old",
    ]
)


#: A position word before a name that says which part of the place is meant ("Lower
#: Kurram tehsil", "Forward Kahuta"): when the whole is not found, the place itself is.
#: "New" and "Old" are left out: "New Sariab" is another place than "Sariab".
_PART_OF = re.compile(
    r"^(?:" + "|".join([*sorted(_POSITION_WORDS - {"new", "old"}), "forward"]) + r")\s+(?=\S)",
    re.IGNORECASE,
)


def _shared_tail(parts: list[str]) -> list[str]:
    """The first part "North" of "North/South Waziristan" as "North Waziristan": two
    position words before and after a slash share the name after the second."""
    first, second = parts[0], parts[1].split()
    positions = len(second) >= 2 and second[0].lower() in _POSITION_WORDS
    if positions and first.lower() in _POSITION_WORDS:
        return [f"{first} {' '.join(second[1:])}", *parts[1:]]
    return parts
