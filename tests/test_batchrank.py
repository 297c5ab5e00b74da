"""Tests for geo._batchrank: the vectorised batch ranking answers as the one-name path does."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo import _batchrank
from geo._batchrank import _round4, rank_rows
from geo._filecontext import tied_places
from geo.gazetteer import Gazetteer, gazetteer_from_records, load_gazetteer
from geo.geocode import _NO_CONTEXT, OfflineGeocoder
from geo.geocode_batch import geocode_rows
from geo.regions import split_compound, split_feature_word, split_qualifier
from geo.settings import Settings


def _one_by_one(geocoder: OfflineGeocoder, names: list[str]) -> list[dict[str, str]]:
    """The rows the one-name path gives (rank, then row values), name by name."""
    return [geocoder._values(n, geocoder._rank(n, _NO_CONTEXT), None) for n in names]


def _differences(geocoder: OfflineGeocoder, names: list[str]) -> list[tuple[str, dict, dict]]:
    """Rows where the batch path differs from the one-name path: names that carry a
    feature word or a qualifier go one by one inside the batch too, the rest through
    :func:`rank_rows` (compared directly when none carries one)."""
    plain = [
        n
        for n in names
        if not split_feature_word(n)[2] and not split_qualifier(n)[1] and not any(split_compound(n))
    ]
    if len(plain) == len(names):
        batch = rank_rows(geocoder.gazetteer, names)
    else:
        batch = geocoder._rows_batch([(n, _NO_CONTEXT, None) for n in names])
    single = _one_by_one(geocoder, names)
    return [(n, b, s) for n, b, s in zip(names, batch, single, strict=True) if b != s]


def _villages() -> Gazetteer:
    """Namesakes far apart and close together, a district and its seat, provinces, a
    country, an alias, places without a province: every rule of support and ambiguity."""
    records = [
        {"name": "Deh Naw", "lat": 34.0 + n * 0.5, "lon": 65.0 + (n % 4) * 0.5}
        | {"feature": "populated_place", "country": "AF", "population": 50 * (n % 3)}
        | {"admin1": ("Balkh", "Ghor")[n % 2], "admin1_iso": ("AF-BAL", "AF-GHO")[n % 2]}
        for n in range(20)
    ]
    records += [
        # a district seat, its district and a village inside: support for each other
        {"name": "Chahar Bolak", "lat": 36.72, "lon": 66.88, "feature": "admin2_seat"}
        | {"country": "AF", "admin1": "Balkh", "admin1_iso": "AF-BAL", "admin2": "Chahar Bolak"},
        {"name": "Chahar Bolak", "lat": 36.60, "lon": 66.70, "feature": "district"}
        | {"country": "AF", "admin1": "Balkh", "admin1_iso": "AF-BAL", "admin2": "Chahar Bolak"},
        {"name": "Chahar Bulak", "lat": 36.75, "lon": 66.90, "feature": "populated_place"}
        | {"country": "AF", "admin1": "Balkh", "admin1_iso": "AF-BAL", "admin2": "Chahar Bolak"},
        # a province and a town of the same name: nested, not rivals
        {"name": "Ghor", "lat": 34.0, "lon": 65.0, "feature": "province", "country": "AF"}
        | {"admin1": "Ghor", "admin1_iso": "AF-GHO"},
        {"name": "Ghor", "lat": 34.5, "lon": 64.9, "feature": "populated_place", "country": "AF"}
        | {"admin1": "Ghor", "admin1_iso": "AF-GHO"},
        {"name": "Balkh", "lat": 36.7, "lon": 67.1, "feature": "province", "country": "AF"}
        | {"admin1": "Balkh", "admin1_iso": "AF-BAL"},
        {"name": "Balkh", "lat": 36.76, "lon": 66.9, "feature": "populated_place", "country": "AF"}
        | {"admin1": "Balkh", "admin1_iso": "AF-BAL", "population": 100_000},
        # a country and a village named like it; places with no province at all
        {"name": "Afghanistan", "lat": 33.9, "lon": 67.7, "feature": "country", "country": "AF"},
        {"name": "Kala", "lat": 30.0, "lon": 70.0, "feature": "populated_place", "country": "PK"},
        {"name": "Qala", "lat": 30.05, "lon": 70.05, "feature": "populated_place", "country": "PK"},
        {"name": "Qala", "lat": 37.0, "lon": 71.0, "feature": "populated_place", "country": "TJ"},
        # an alias spelled another way
        {"name": "Torkham", "lat": 34.11, "lon": 71.09, "feature": "border_crossing"}
        | {"country": "AF", "admin1": "Nangarhar", "admin1_iso": "AF-NAN"}
        | {"variants": ["Torkhum", "Torkham Gate"]},
    ]
    return gazetteer_from_records(records)


TINY_NAMES = [
    "Deh Naw", "Dih Now", "Deh Nawz", "Chahar Bolak", "Char Bulak", "Ghor", "Ghowr",
    "Balkh", "Afghanistan", "Kala", "Qala", "Qalah", "Torkhum", "Torkham Gate", "Tor Kham",
    "Xyzzyville", "123", "", "  ", "Dèh Nāw", "Deh-e-Naw", "Chahar Bolak district",
    "Balkh village", "Qala town", "Deh Naw (Balkh)", "Ghor, Afghanistan", "Kala bridge",
    # exact spellings beside respellings, split two ways, compound descriptions
    "Chahar Bulak", "Charbolak", "Char-Bolak", "Dehnaw", "Qalaa",
    "Border Balkh/Ghor", "Road between Chahar Bolak and Balkh", "Kala-Qala road",
    "IB in Ghor", "Xyzzy - Qala", "Xyzzy/Qqqq",
]  # fmt: skip


@pytest.mark.parametrize("name", TINY_NAMES)
def test_each_rule_gives_the_one_name_answer(name: str) -> None:
    assert _differences(OfflineGeocoder(_villages(), Settings()), [name]) == []


def test_many_names_at_once_give_the_one_name_answers() -> None:
    geocoder = OfflineGeocoder(_villages(), Settings())
    assert _differences(geocoder, TINY_NAMES * 3) == []


def test_small_slices_give_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    gaz = _villages()
    whole = rank_rows(gaz, TINY_NAMES)
    monkeypatch.setattr(_batchrank, "_MAX_PAIRS", 3)
    assert rank_rows(gaz, TINY_NAMES) == whole


def test_statuses_and_reasons_of_the_tiny_index() -> None:
    rows = dict(zip(TINY_NAMES, rank_rows(_villages(), TINY_NAMES), strict=True))
    deh_naw = rows["Deh Naw"]
    assert deh_naw["status"] == "ambiguous" and "give a country" in deh_naw["reason"]
    assert rows["Chahar Bolak"]["status"] == "resolved"
    assert rows["Ghor"]["status"] == "resolved"  # the province and its town are nested
    assert rows["Xyzzyville"]["status"] == "unresolved" and rows["Xyzzyville"]["lat"] == ""
    assert "no letters" in rows["  "]["reason"]
    assert rows["Torkhum"]["matched_name"] == "Torkhum"


def _plain(names: list[str]) -> list[str]:
    """The names the batch ranks as arrays (no feature word, qualifier or compound)."""
    return [
        n
        for n in names
        if not split_feature_word(n)[2] and not split_qualifier(n)[1] and not any(split_compound(n))
    ]


def test_ties_are_the_one_name_ties() -> None:
    """The places tied first that :func:`rank_rows` reports for the file context are
    those :func:`geo._filecontext.tied_places` finds in the one-name ranking."""
    geocoder = OfflineGeocoder(_villages(), Settings())
    names = _plain(TINY_NAMES)
    ties: dict[int, tuple] = {}
    rank_rows(geocoder.gazetteer, names, ties)
    single = {}
    for k, name in enumerate(names):
        ranked = geocoder._rank(name, _NO_CONTEXT)
        if ranked.status == "ambiguous" and (t := tied_places(ranked.scored, geocoder._rows)):
            single[k] = t
    assert ties == single
    assert ties  # "Deh Naw" has villages tied first


def test_shared_gazetteer_sample_ties_agree(shared_geocoder: OfflineGeocoder) -> None:
    names = _plain(_sample(shared_geocoder.gazetteer, 1500, seed=9))
    ties: dict[int, tuple] = {}
    rank_rows(shared_geocoder.gazetteer, names, ties)
    for k, name in enumerate(names):
        ranked = shared_geocoder._rank(name, _NO_CONTEXT)
        want = tied_places(ranked.scored, shared_geocoder._rows)
        assert ties.get(k, ()) == (want if ranked.status == "ambiguous" else ()), name


@given(st.floats(min_value=0.0, max_value=1.5, allow_nan=False))
def test_round4_is_pythons_round(x: float) -> None:
    assert _round4(np.array([x]))[0] == round(x, 4)


@pytest.mark.parametrize("x", [0.12345, 0.00005, 0.99995, 0.5, 0.71235, 1.0, 0.0])
def test_round4_on_halves(x: float) -> None:
    assert _round4(np.array([x]))[0] == round(x, 4)


# ------------------------------------------------------------- the shared gazetteer


@pytest.fixture(scope="module")
def shared_geocoder(shared_settings: Settings) -> OfflineGeocoder:
    return OfflineGeocoder(load_gazetteer(shared_settings), shared_settings, online=False)


def _sample(gaz: Gazetteer, n: int, seed: int) -> list[str]:
    """Spellings of the index, misspellings of them (near misses) and junk."""
    rng = random.Random(seed)
    pool = sorted(set(gaz.var_text))
    names = rng.sample(pool, n)
    for name in rng.sample(pool, n // 5):
        k = rng.randrange(len(name))
        names.append(name[:k] + name[k + 1 :] if rng.random() < 0.5 else name + "e")
    return names + [f"Zq{rng.randrange(10**6)}x" for _ in range(n // 50)] + ["", "-", "1"]


def test_shared_gazetteer_sample_gives_the_one_name_answers(
    shared_geocoder: OfflineGeocoder,
) -> None:
    names = _sample(shared_geocoder.gazetteer, 3000, seed=5)
    assert _differences(shared_geocoder, names) == []
    statuses = {row["status"] for row in rank_rows(shared_geocoder.gazetteer, names)}
    assert statuses == {"resolved", "ambiguous", "unresolved"}


def test_batch_csv_rows_mix_both_paths(shared_geocoder: OfflineGeocoder) -> None:
    """Rows with a hint take the one-name path, rows without the batch one; repeated
    names come from the memo; every row keeps its place."""
    rows = [
        {"name": "Taloqan", "admin1": ""},
        {"name": "Panj", "admin1": "Khatlon"},
        {"name": "Taluqan", "admin1": ""},
        {"name": "Taloqan", "admin1": ""},
        {"name": "", "admin1": ""},
    ]
    out = list(geocode_rows(rows, shared_geocoder))
    assert [r["name"] for r in out] == [r["name"] for r in rows]
    # the input has an admin1 column, so the answer's comes as geo_admin1
    assert out[0]["geo_admin1"] == out[2]["geo_admin1"] == out[3]["geo_admin1"] == "Takhar"
    assert out[1]["country_iso2"] == "TJ"
    assert out[4]["status"] == "unresolved"


@pytest.mark.parametrize("n_names", [50, 1 << 16])
def test_order_by_name_then_score_is_a_stable_lexsort(n_names: int) -> None:
    rng = np.random.default_rng(3)
    query = rng.integers(0, 50, 5000)
    total = rng.integers(0, 20, 5000) / 10.0  # many ties: their order must be kept
    order = _batchrank._by_name_then_score(query, total, n_names)
    assert order.tolist() == np.lexsort((-total, query)).tolist()


def test_the_collector_rests_while_a_chunk_is_ranked(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import geo.geocode as geocode_module

    seen = []

    def ranked(gaz: Gazetteer, names: list[str], ties: dict | None = None) -> list[dict[str, str]]:
        seen.append(gc.isenabled())
        return rank_rows(gaz, names, ties)

    monkeypatch.setattr(geocode_module, "rank_rows", ranked)
    rows = list(geocode_rows([{"name": "Deh Naw"}], OfflineGeocoder(_villages(), Settings())))
    assert seen == [False] and gc.isenabled() and rows[0]["status"] == "ambiguous"
