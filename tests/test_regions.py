"""geo.regions: countries, province spellings (a country constrains the hint), feature words."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.regions import (
    COVERED_ISO2,
    ProvinceSpellings,
    country_name,
    country_words,
    demonyms,
    iso3,
    province_group,
    province_key,
    province_spellings,
    split_compound,
    split_feature_word,
    split_qualifier,
    unit_other_names,
)

# A small admin-1 table written for the tests: two Punjabs, Pakistan's units under their
# Natural Earth labels, and two Afghan provinces whose alternate names collide.
ADMIN1 = pd.DataFrame(
    [
        ("Punjab", "Punjab", "Pendjab", "PK-PB", "PK"),
        ("Punjab", "Punjab", "", "IN-PB", "IN"),
        ("Sindh", "Sind", "Sindh", "PK-SD", "PK"),
        ("Khyber Pakhtunkhwa", "K.P.", "North-West Frontier Province", "PK-KP", "PK"),
        ("Federally Administered Tribal Areas", "F.A.T.A.", "", "PK-TA", "PK"),
        ("Azad Kashmir", "Azad Kashmir", "Kashmir", "PK-JK", "PK"),
        ("Islamabad Capital Territory", "F.C.T.", "Islamabad", "PK-IS", "PK"),
        ("Gilgit-Baltistan", "Northern Areas", "", "PK-GB", "PK"),
        ("Paktika", "Paktika", "Paktiya|Paktya|Southern Province", "AF-PIA", "AF"),
        ("Paktia", "Paktya", "Paktiya|Southern Province", "AF-PKA", "AF"),
        ("Helmand", "Hilmand", "", "AF-HEL", "AF"),
        ("Gorno-Badakhshan", "Gorno-Badakhshan", "", "TJ-GB", "TJ"),
    ],
    columns=["name", "name_ne", "name_alt", "iso_3166_2", "country_iso2"],
)


@pytest.fixture(scope="module")
def spellings() -> ProvinceSpellings:
    return province_spellings(ADMIN1)


@pytest.mark.parametrize(
    ("text", "country", "iso"),
    [
        # the country constrains the hint: Punjab with PK is never India's
        ("Punjab", "PK", "PK-PB"),
        ("Punjab province", "PK", "PK-PB"),
        ("Punjab", "IN", "IN-PB"),
        ("Punjab", None, "PK-PB"),  # without a country the covered country comes first
        # province names analysts use
        ("Azad Jammu & Kashmir", "PK", "PK-JK"),
        ("Azad Jammu and Kashmir", "PK", "PK-JK"),
        ("AJK", None, "PK-JK"),
        ("FATA", "PK", "PK-TA"),
        ("F.A.T.A.", "PK", "PK-TA"),
        ("Federally Administered Tribal Areas", "PK", "PK-TA"),
        ("NWFP", "PK", "PK-KP"),
        ("Khyber Pakhtunkhwa province", "PK", "PK-KP"),
        ("Khyber Pakhtunkwa province", "PK", "PK-KP"),  # a slip of one letter
        ("Sindh province", "PK", "PK-SD"),
        ("Islamabad Capital Territory", "PK", "PK-IS"),
        ("Gilgit-Baltistan", "PK", "PK-GB"),
        ("Northern Areas", "PK", "PK-GB"),
        ("GBAO", "TJ", "TJ-GB"),
        ("Gorno-Badakhshan Autonomous Oblast", None, "TJ-GB"),
        # a province's own name beats another's alternate name
        ("Paktya", None, "AF-PKA"),
        ("Paktiya", "AF", "AF-PKA"),
        ("Paktika", "AF", "AF-PIA"),
        ("Hilmand", "AF", "AF-HEL"),
        ("af-hel", None, "AF-HEL"),
        # nothing, or nothing in that country
        ("Sindh", "AF", None),
        ("Nowhere Land", None, None),
        ("", None, None),
    ],
)
def test_province_spellings(spellings: ProvinceSpellings, text, country, iso) -> None:
    found = spellings.find(text, country)
    assert (found.iso if found else None) == iso


def test_spellings_as_a_mapping(spellings: ProvinceSpellings) -> None:
    assert spellings["AJK"] == ("Azad Kashmir", "PK-JK", "PK")
    assert spellings.get("Sindh province")[1] == "PK-SD"
    assert spellings.get("Atlantis") is None
    assert spellings.as_dict()["pk-ta"][1] == "PK-TA"


@pytest.mark.parametrize(
    ("text", "key"),
    [("F.A.T.A.", "fata"), ("Azad Jammu & Kashmir", "azad jammu and kashmir"),
     ("Sindh Province", "sindh"), ("Province of Herat", "herat"), ("N.W.F.P.", "nwfp")],
)  # fmt: skip
def test_province_key(text: str, key: str) -> None:
    assert province_key(text) == key


@pytest.mark.parametrize(
    ("iso", "group"),
    [("PK-TA", ("PK-TA", "PK-KP")), ("PK-KP", ("PK-KP", "PK-TA")), ("AF-HEL", ("AF-HEL",))],
)
def test_province_group_joins_fata_and_khyber_pakhtunkhwa(iso, group) -> None:
    assert province_group(iso) == group


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sam village", ("Sam", "village", "village")),
        ("Nilagh town", ("Nilagh", "town", "settlement")),
        ("Dargai area", ("Dargai", "area", "settlement")),
        ("Bohai Dag locality", ("Bohai Dag", "locality", "settlement")),
        ("Birmal tehsil", ("Birmal", "tehsil", "admin2")),
        ("Bajaur agency", ("Bajaur", "agency", "admin2")),
        ("Toba Tek Singh district", ("Toba Tek Singh", "district", "admin2")),
        ("Toba Tek Singh District.", ("Toba Tek Singh", "district", "admin2")),
        ("Dasu dam", ("Dasu", "dam", "site")),
        ("Chashma bridge", ("Chashma", "bridge", "site")),
        ("Kabul", ("Kabul", "", "")),
        ("District", ("District", "", "")),  # the word alone is no name
        ("Townsville", ("Townsville", "", "")),
        # misspelt and abbreviated unit words, as real place strings have them
        ("Jafarabad Distrcit", ("Jafarabad", "district", "admin2")),
        ("Mastung Disrict", ("Mastung", "district", "admin2")),
        ("Bara teshsil", ("Bara", "tehsil", "admin2")),
        ("Kurram Agencey", ("Kurram", "agency", "admin2")),
        ("Sam villlage", ("Sam", "village", "village")),
        ("Malakand Distt.", ("Malakand", "distt", "admin2")),
        # military and other sites named after the town they are at
        ("Bagram airbase", ("Bagram", "airbase", "site")),
        ("Shindand Air Base", ("Shindand", "air base", "site")),
        ("Kandahar airfield", ("Kandahar", "airfield", "site")),
        ("Pul-e-Charkhi prison", ("Pul-e-Charkhi", "prison", "site")),
        ("Peshawar Cantt.", ("Peshawar", "cantt", "site")),
        ("Camp Bastion", ("Camp Bastion", "", "")),  # a name, not a word after one
        ("Charsadda Tower", ("Charsadda Tower", "", "")),  # not near enough to a word
        ("Sra Kala", ("Sra Kala", "", "")),  # too short to guess at
        # features named after a place, which may lie far from it
        ("Dir Colony", ("Dir", "colony", "named")),
        ("Kohat Road", ("Kohat", "road", "named")),
        ("Bhatti Gate", ("Bhatti", "gate", "named")),
        ("Sohrab Goth Chowk", ("Sohrab Goth", "chowk", "named")),
    ],
)
def test_split_feature_word(name: str, expected: tuple[str, str, str]) -> None:
    assert split_feature_word(name) == expected


@pytest.mark.parametrize(
    ("country", "name", "other"),
    [("PK", "Kachhi", "Bolan"), ("PK", "Shaheed Benazirabad", "Nawabshah"),
     ("PK", "Malakand PA", "Malakand Agency"), ("PK", "Quetta", None), ("AF", "Kachhi", None)],
)  # fmt: skip
def test_unit_other_names(country: str, name: str, other: str | None) -> None:
    names = unit_other_names(country, name)
    assert (other in names) if other else names == ()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Maizer locality, Datta Khel tehsil", ("Maizer locality", "Datta Khel tehsil")),
        ("Kohat tunnel (FR Kohat)", ("Kohat tunnel", "FR Kohat")),
        ("Kabul", ("Kabul", "")),
        ("(Kabul)", ("(Kabul)", "")),
    ],
)
def test_split_qualifier(name: str, expected: tuple[str, str]) -> None:
    assert split_qualifier(name) == expected


@pytest.mark.parametrize(
    ("word", "iso2"),
    [("afghan", "AF"), ("pakistani", "PK"), ("tajik", "TJ"), ("uzbek", "UZ"),
     ("iranian", "IR"), ("turkmen", "TM"), ("afghanistan", "AF"), ("indian", "IN")],
)  # fmt: skip
def test_country_words(word: str, iso2: str) -> None:
    assert country_words()[word] == iso2


def test_country_tables() -> None:
    assert COVERED_ISO2 == ("AF", "PK", "TJ", "UZ", "TM", "IR")
    assert "indian" not in country_words(covered_only=True)
    assert iso3("pk") == "PAK" and iso3("XX") == "XX"
    assert country_name("TJ") == "Tajikistan" and country_name("XX") is None
    assert "Uzbek" in demonyms("UZ") and "Iranian" in demonyms()


@pytest.mark.parametrize(
    ("name", "rest", "parts"),
    [
        # lead words dropped, the rest kept whole
        ("IB in Sialkot district", "Sialkot district", []),
        ("LoC Poonch district", "Poonch district", []),
        ("Borderland", "", []),  # a lead word only as a word of its own
        # two places named, in the order written
        ("Road between Daraban and Dera Ismail Khan", "", ["Daraban", "Dera Ismail Khan"]),
        ("Between Parachinar and Kohat", "", ["Parachinar", "Kohat"]),
        ("Miranshah-Datta Khel road", "", ["Miranshah", "Datta Khel"]),
        ("Jamrud to Bara road", "", ["Jamrud", "Bara"]),
        ("FR Tank - Jandola", "", ["FR Tank", "Jandola"]),
        ("Border Kurram/Orakzai", "Kurram/Orakzai", ["Kurram", "Orakzai"]),
        ("LoC near AJK & Punjab", "AJK & Punjab", ["AJK", "Punjab"]),
        # position words on both sides of a slash share the name after them
        ("North/South Waziristan", "", ["North Waziristan", "South Waziristan"]),
        ("Daraban/Dera Ismail Khan", "", ["Daraban", "Dera Ismail Khan"]),
        # a position word before a name: the part of the place; the place is the rest
        ("Lower Kurram tehsil", "Kurram tehsil", []),
        ("Forward Kahuta Sub District", "Kahuta Sub District", []),
        ("Upper Mohmand", "Mohmand", []),
        ("LoC Upper Neelum", "Neelum", []),
        ("New Sariab", "", []),  # "New X" is another place, not a part of X
        ("Northampton", "", []),  # a position word only as a word of its own
        # plain names, hyphenated names and feature words are not compounds
        ("Mazar-e-Sharif", "", []),
        ("Sam village", "", []),
        ("Khyber Pakhtunkhwa", "", []),
    ],
)
def test_compound_descriptions_name_their_places(name: str, rest: str, parts: list[str]) -> None:
    assert split_compound(name) == (rest, parts)
