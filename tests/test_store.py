"""Tests for geo/store/: schema, lossless round trip, idempotent ingest, merge, filters.

The same tests run against SQLite and, when ``GEO_TEST_POSTGRES_URL`` names a
PostgreSQL + PostGIS server (``scripts/ci_postgres.sh`` starts one), against
PostgreSQL: every test gets a fresh schema there, dropped afterwards.
"""

from __future__ import annotations

import ast
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from geo._errors import DataFileError, IncidentValidationError, SettingError
from geo.incidents import Evidence, Incident, Place, Source, incidents_to_frame, save_incidents
from geo.merge import merge_incidents
from geo.store import (
    SCHEMA_VERSION,
    Store,
    build_where,
    content_digest,
    copy_store,
    normalise_actor,
    open_store,
    source_id_for_text,
)
from geo.store.query import _build_where

SEEDS = Path(__file__).parents[1].parent / "shared" / "seeds"


def make(ident: str, **kw: Any) -> Incident:
    """A small valid incident; keyword arguments override fields."""
    base: dict[str, Any] = {
        "incident_id": ident,
        "event_date": date(2024, 3, 18),
        "location_name": "Taloqan",
        "lat": 36.736,
        "lon": 69.535,
        "country_iso2": "AF",
        "admin1": "Takhar",
        "admin1_iso": "AF-TAK",
        "actors": ["Taliban"],
        "sources": [Source(f"src-{ident}", publisher="Pub A", url="https://a.example/1")],
    }
    base.update(kw)
    return Incident(**base)


FULL = make(
    "full",
    sub_event_type="Shelling/artillery/missile attack",
    event_type="Explosions/Remote violence",
    actors=["ISKP", "Tajik border guards"],
    date_precision="week",
    geo_precision="district",
    admin2="Khwaja Ghar",
    fatalities_best=2,
    fatalities_low=1,
    fatalities_high=4,
    wounded=5,
    captured=0,
    claim_status="claimed",
    claimed_by=["ISKP"],
    denied_by=["Kabul; officials"],
    origin=Place("Khwaja Ghar", 37.066, 69.421, "AF", "Takhar", "AF-TAK", "exact"),
    target=Place("Panj", 37.236, 69.099, "TJ", "Khatlon", "TJ-KT", "district"),
    sources=[
        Source("s1", "Pub A", "https://a.example/x", "2024-03-19", "Rockets", "a.txt"),
        Source("s2", "Pub B", "", "", "", ""),
    ],
    evidence=[Evidence("fatalities_best", "two people died", "s1", 10, 25)],
    confidence=0.9,
    notes="Own words: rockets crossed the river; «ünïcode»",
)
COUNTRY_ONLY = make("country-only", lat=None, lon=None, geo_precision="country", admin1="")


PG_URL = os.environ.get("GEO_TEST_POSTGRES_URL", "")
PG_SKIP = (
    "GEO_TEST_POSTGRES_URL is not set: no PostgreSQL + PostGIS server to test against "
    "(scripts/ci_postgres.sh starts one and prints its URL)"
)
needs_pg = pytest.mark.skipif(not PG_URL, reason=PG_SKIP)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=needs_pg)]


def _with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema},public"


@contextmanager
def pg_scratch_url() -> Iterator[str]:
    """A URL whose tables land in a new, empty PostgreSQL schema (dropped afterwards)."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield _with_search_path(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@contextmanager
def scratch_url(backend: str, folder: Path, name: str = "incidents") -> Iterator[str]:
    """An empty store URL on ``backend`` ("sqlite" in ``folder``, or "postgresql")."""
    if backend == "postgresql":
        with pg_scratch_url() as url:
            yield url
    else:
        yield f"sqlite:///{folder / name}.db"


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        yield s


def tables_of(store: Store) -> set[str]:
    if store.backend == "postgresql":
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {r[0] for r in store._conn.execute(sql).fetchall()}


# --------------------------------------------------------------------------- opening


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("mysql://host/db", "sqlite:///"),
        ("sqlite:///", "file path"),
        ("postgresq://host/db", "postgresql://URL"),
    ],
)
def test_unsupported_urls_raise_setting_error(url: str, needle: str) -> None:
    with pytest.raises(SettingError, match=needle) as info:
        open_store(url)
    assert url in str(info.value)


@pytest.mark.parametrize(
    "url", ["postgresql://u:s3cret@127.0.0.1:1/db", "postgres://127.0.0.1:1/db"]
)
def test_unreachable_postgres_is_a_data_file_error_without_password(url: str) -> None:
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    with pytest.raises(DataFileError, match="cannot connect to PostgreSQL") as info:
        open_store(url)
    assert "127.0.0.1:1" in str(info.value) and "s3cret" not in str(info.value)


def test_not_a_database_raises_data_file_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DataFileError, match=r"bogus\.db"):
        open_store(f"sqlite:///{bogus}")


def test_default_url_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    with open_store() as s:
        assert s.path == tmp_path / "env.db"


def test_migrate_is_versioned_and_idempotent(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.migrate() == SCHEMA_VERSION
    assert {"incidents", "sources", "incident_sources", "assertions", "history"} <= tables_of(store)
    if store.backend == "sqlite":
        assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    else:
        kind = store._conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = 'incidents'::regclass AND attname = 'geom'"
        ).fetchone()[0]
        assert kind == "geometry(Point,4326)"


def test_newer_schema_is_refused(store_url: str) -> None:
    with open_store(store_url) as s:
        s._conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'now')")
    with pytest.raises(DataFileError, match="newer"):
        open_store(store_url)


def test_upgrade_from_version_1_backfills_actor_dates(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.store.rows
    import geo.store.schema

    with monkeypatch.context() as patch:
        patch.setattr(geo.store.schema, "MIGRATIONS", geo.store.schema.MIGRATIONS[:1])
        patch.setattr(geo.store.schema, "SCHEMA_VERSION", 1)
        with open_store(store_url) as old:
            assert old.schema_version == 1
            old.upsert_incidents([make("u1", actors=[]), make("u2", actors=[])])
            old._conn.execute(
                "INSERT INTO incident_actors (incident_id, position, actor, actor_norm)"
                " VALUES ('u1', 0, 'IS-K', 'is k')"
            )
    with open_store(store_url) as new:
        assert new.schema_version == SCHEMA_VERSION
        dates = new._conn.execute("SELECT event_date FROM incident_actors").fetchall()
        assert [d[0] for d in dates] == ["2024-03-18"]
        spec = SimpleNamespace(actors=("ISK",), date_from=date(2024, 3, 1))
        assert new.count(spec) == 0
        assert set(
            new.query(SimpleNamespace(actors=("is-k",), date_from=date(2024, 3, 1)))["incident_id"]
        ) == {"u1"}


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize(
    "incident", [FULL, COUNTRY_ONLY, make("plain")], ids=lambda i: i.incident_id
)
def test_round_trip_is_lossless(store: Store, incident: Incident) -> None:
    store.upsert_incidents([incident])
    assert store.get(incident.incident_id) == incident


def test_query_frame_matches_incidents_to_frame(store: Store) -> None:
    incidents = [FULL, COUNTRY_ONLY, make("plain", fatalities_best=7)]
    store.upsert_incidents(incidents)
    got = store.query().sort_values("incident_id").reset_index(drop=True)
    want = incidents_to_frame(incidents).sort_values("incident_id").reset_index(drop=True)
    assert got.crs == want.crs
    pd.testing.assert_frame_equal(
        pd.DataFrame(got.drop(columns="geometry")), pd.DataFrame(want.drop(columns="geometry"))
    )
    assert list(got.geometry.isna()) == list(want.geometry.isna())
    assert got.geometry.equals(want.geometry)


def test_get_unknown_is_none(store: Store) -> None:
    assert store.get("nope") is None


# --------------------------------------------------------------------------- idempotence


def test_upsert_twice_changes_nothing(store: Store) -> None:
    first = store.upsert_incidents([FULL, make("b")])
    second = store.upsert_incidents([FULL, make("b")])
    assert (first.new, second.new, second.unchanged) == (2, 0, 2)
    assert store.count() == 2
    assert [h.action for h in store.history("full")] == ["create"]


def test_invalid_record_is_skipped_and_named(store: Store) -> None:
    bad = make("bad", event_type="Picnic")
    summary = store.upsert_incidents([make("ok"), bad, make("ok2", lat=95.0)])
    assert (summary.new, summary.skipped) == (1, 2)
    assert any("bad" in p and "Picnic" in p for p in summary.problems)
    assert any("ok2" in p and "out of range" in p for p in summary.problems)


ARTICLE = "Two rockets hit a village.\n\nOfficials   said nothing more."


def test_same_article_twice_changes_nothing(store: Store) -> None:
    inc = make("a1", sources=[])
    first = store.ingest_article(ARTICLE, {"publisher": "Pub A"}, [inc])
    again = store.ingest_article("  " + ARTICLE.replace("\n\n", " ") + "\n", {}, [inc])
    assert (first.new, first.articles_new) == (1, 1)
    assert (again.new, again.unchanged, again.articles_seen) == (0, 1, 1)
    stored = store.get("a1")
    assert stored is not None
    assert [s.source_id for s in stored.sources] == [source_id_for_text(ARTICLE)]
    assert store._conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1


def test_source_id_ignores_whitespace_and_composition() -> None:
    assert source_id_for_text("Cafe\u0301  x") == source_id_for_text("Caf\u00e9 x\n")
    assert len(source_id_for_text("a")) == 64


def test_new_article_about_known_incident_merges(store: Store) -> None:
    store.ingest_article("first article", {"publisher": "A"}, [
        make("x1", sources=[], fatalities_best=2, claim_status="claimed", claimed_by=["ISKP"])
    ])  # fmt: skip
    later = make(
        "x2", sources=[], event_date=date(2024, 3, 19), lat=36.74, lon=69.54,
        fatalities_best=5, fatalities_low=3, claim_status="denied", denied_by=["Taliban"],
        actors=["Taliban", "ISKP"],
    )  # fmt: skip
    summary = store.ingest_article("second article", {"publisher": "B"}, [later])
    assert (summary.new, summary.merged) == (0, 1)
    merged = store.get("x1")
    assert merged is not None and store.get("x2") is None
    assert len(merged.sources) == 2
    # conservative range over the sources (geo.merge): best = smallest, high = largest
    assert (merged.fatalities_best, merged.fatalities_low, merged.fatalities_high) == (2, 2, 5)
    assert merged.claim_status == "disputed"
    assert merged.actors == ["Taliban", "ISKP"]
    merge = store.history("x1")[-1]
    assert merge.action == "merge" and merge.source_id == source_id_for_text("second article")
    assert "fatalities_high" in merge.detail["changed"]
    said = store.assertions("x1")
    assert {v["fatalities_best"] for v in said.values()} == {2, 5}


#: Pairs of reports of one event from two articles: (first, second) field overrides.
REPORT_PAIRS = [
    ({"claim_status": "claimed", "claimed_by": ["ISKP"]},
     {"claim_status": "denied", "denied_by": ["Taliban"]}),
    ({"claim_status": "disputed"}, {"claim_status": "confirmed"}),
    ({"claim_status": "reported"}, {"claim_status": "confirmed"}),
    ({"fatalities_best": 3}, {"fatalities_best": 7}),
    ({"fatalities_best": 7, "fatalities_low": 5, "fatalities_high": 9}, {"fatalities_best": 3}),
    ({"fatalities_high": 9, "fatalities_low": 2}, {"fatalities_high": 4, "fatalities_low": 1}),
    ({"geo_precision": "province", "lat": 36.0}, {"geo_precision": "exact", "lat": 36.7}),
    ({"date_precision": "month", "event_date": date(2024, 3, 1)},
     {"date_precision": "day", "event_date": date(2024, 3, 2)}),
    ({"notes": "", "sub_event_type": ""}, {"notes": "filled", "sub_event_type": "Armed clash"}),
    ({"wounded": 2, "actors": ["Taliban"]}, {"wounded": 5, "actors": ["ISKP"]}),
]  # fmt: skip


@pytest.mark.parametrize(("first", "second"), REPORT_PAIRS)
def test_stored_merge_equals_merge_in_memory(
    store: Store, first: dict[str, Any], second: dict[str, Any]
) -> None:
    """Storing A and merging B into it gives what merging A and B in memory gives."""
    a = make("ma", **{"event_date": date(2024, 3, 2), **first})
    b = make("mb", **{"event_date": date(2024, 3, 2), **second})
    (in_memory,) = merge_incidents([a, b])
    store.upsert_incidents([a])
    summary = store.upsert_incidents([b], match_known=True)
    assert summary.merged == 1 and store.get("mb") is None
    assert store.get("ma") == replace(in_memory, incident_id="ma")
    # merging a report the store already holds changes nothing
    again = store.upsert_incidents([b], match_known=True)
    assert again.merged == 0 and store.get("ma") == replace(in_memory, incident_id="ma")


def test_same_id_update_follows_the_merge_rules(store: Store) -> None:
    store.upsert_incidents([make("u", fatalities_best=3, claim_status="disputed")])
    store.upsert_incidents([make("u", fatalities_best=7, claim_status="confirmed")])
    stored = store.get("u")
    assert stored is not None
    assert (stored.fatalities_low, stored.fatalities_best, stored.fatalities_high) == (3, 3, 7)
    assert stored.claim_status == "disputed"
    assert len(stored.sources) == 1  # the same article is not listed twice


def test_replace_mode_keeps_the_new_record(store: Store) -> None:
    store.upsert_incidents([make("r", fatalities_best=9)], mode="replace")
    summary = store.upsert_incidents([make("r", fatalities_best=3)], mode="replace")
    assert summary.updated == 1
    stored = store.get("r")
    assert stored is not None and stored.fatalities_best == 3
    assert [h.action for h in store.history("r")] == ["create", "update"]


# --------------------------------------------------------------------------- edit, delete, seed


def test_update_records_history(store: Store) -> None:
    store.upsert_incidents([make("e")])
    store.update("e", {"fatalities_best": 4, "notes": "checked"}, user="analyst")
    entry = store.history("e")[-1]
    assert (entry.action, entry.user) == ("edit", "analyst")
    assert entry.detail["fatalities_best"] == [None, 4]
    stored = store.get("e")
    assert stored is not None and stored.notes == "checked"


@pytest.mark.parametrize(
    ("ident", "changes", "needle"),
    [
        ("e", {"colour": "red"}, "colour"),
        ("e", {"claim_status": "rumoured"}, "rumoured"),
        ("missing", {"notes": "x"}, "missing"),
    ],
)
def test_bad_update_raises(store: Store, ident: str, changes: dict[str, Any], needle: str) -> None:
    store.upsert_incidents([make("e")])
    with pytest.raises(IncidentValidationError, match=needle):
        store.update(ident, changes)
    assert store.get("e") == make("e")


def test_delete_keeps_record_in_history(store: Store) -> None:
    store.upsert_incidents([FULL])
    store.delete("full", user="analyst")
    assert store.get("full") is None and store.is_empty()
    entry = store.history("full")[-1]
    assert entry.action == "delete" and entry.detail["incident"]["notes"] == FULL.notes
    for table in ("incident_actors", "incident_sources", "assertions"):
        sql = f"SELECT count(*) FROM {table} WHERE incident_id = 'full'"
        assert store._conn.execute(sql).fetchone()[0] == 0
    with pytest.raises(IncidentValidationError, match="full"):
        store.delete("full")


def test_seed_only_when_empty(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    save_incidents([make("s1"), make("s2")], path)
    assert store.seed_from_file(path).new == 2
    assert store.seed_from_file(path).new == 0
    assert store.count() == 2


def test_integrity_after_work(store: Store) -> None:
    store.upsert_incidents([FULL, make("b"), COUNTRY_ONLY])
    store.ingest_article("some text", {}, [make("c", sources=[], event_date=date(2023, 1, 1))])
    store.update("b", {"wounded": 1})
    store.delete("c")
    assert store.integrity_problems() == []


# --------------------------------------------------------------------------- filters

DATASET = [
    make("t1", event_date=date(2024, 1, 5), actors=["Taliban"], fatalities_best=1),
    make("t2", event_date=date(2024, 2, 5), country_iso2="PK", admin1="Balochistan",
         admin1_iso="PK-BA", lat=29.8, lon=66.84, location_name="Mastung",
         event_type="Explosions/Remote violence", actors=["IS-K"], fatalities_best=20,
         claim_status="claimed"),
    make("t3", event_date=date(2024, 3, 5), origin=FULL.origin, target=FULL.target,
         country_iso2="TJ", admin1="Khatlon", admin1_iso="TJ-KT", lat=37.236, lon=69.099,
         location_name="Panj", notes="rockets across the river"),
    make("t4", event_date=date(2024, 3, 20), country_iso2="UZ", admin1="Surxondaryo",
         admin1_iso="UZ-SU", lat=37.224, lon=67.278, location_name="Termez", actors=[]),
    make("t5", event_date=date(2024, 4, 1), lat=None, lon=None, geo_precision="country",
         admin1="", admin1_iso="", claim_status="denied"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"t1", "t2", "t3", "t4", "t5"}),
        ({"date_from": date(2024, 2, 5), "date_to": "2024-03-05"}, {"t2", "t3"}),
        ({"countries": ("af",)}, {"t1", "t5"}),
        ({"countries": ("PK", "UZ")}, {"t2", "t4"}),
        ({"provinces": ("takhar",)}, {"t1"}),
        ({"provinces": ("PK-BA", "Khatlon")}, {"t2", "t3"}),
        ({"event_types": ("Explosions/Remote violence",)}, {"t2"}),
        ({"actors": ("is k",)}, {"t2"}),
        ({"actors": ("TALIBAN",)}, {"t1", "t3", "t5"}),
        ({"claim_statuses": ("claimed", "denied")}, {"t2", "t5"}),
        ({"cross_border": True}, {"t3"}),
        ({"min_fatalities": 5}, {"t2"}),
        ({"bbox": (67.0, 36.0, 70.0, 38.0)}, {"t1", "t3", "t4"}),
        ({"bbox": (170.0, -10.0, -170.0, 10.0)}, set()),
        ({"text": "RIVER rockets"}, {"t3"}),
        ({"text": "100%_"}, set()),
        ({"countries": ("AF",), "min_fatalities": 1}, {"t1"}),
        ({"actors": ("TALIBAN",), "date_from": date(2024, 3, 1)}, {"t3", "t5"}),
        ({"actors": ("taliban",), "date_to": date(2024, 3, 5)}, {"t1", "t3"}),
        (
            {
                "bbox": (67.0, 36.0, 70.0, 38.0),
                "date_from": date(2024, 3, 1),
                "date_to": date(2024, 3, 31),
            },
            {"t3", "t4"},
        ),
        (
            {
                "bbox": (170.0, -10.0, -170.0, 10.0),
                "date_from": date(2024, 1, 1),
                "date_to": date(2024, 2, 1),
            },
            set(),
        ),
    ],
)
def test_filters(store: Store, filters: dict[str, Any], expected: set[str]) -> None:
    store.upsert_incidents(DATASET)
    spec = SimpleNamespace(**filters)
    assert set(store.query(spec)["incident_id"]) == expected
    assert store.count(spec) == len(expected)


def test_user_values_never_reach_sql_text(store: Store) -> None:
    store.upsert_incidents(DATASET)
    evil = "x'); DROP TABLE incidents; --"
    spec = SimpleNamespace(text=evil, countries=(evil,), actors=(evil,), provinces=(evil,))
    where, params = build_where(spec)
    assert "DROP" not in where and any("drop" in str(p).lower() for p in params)
    assert store.count(spec) == 0 and store.count() == len(DATASET)


def test_bad_filter_value_raises(store: Store) -> None:
    with pytest.raises(IncidentValidationError, match="not-a-date"):
        store.query(SimpleNamespace(date_from="not-a-date"))


def test_query_uses_indexes(store: Store) -> None:
    spec = SimpleNamespace(countries=("AF",), date_from=date(2024, 1, 1), bbox=(60, 29, 75, 38))
    where, params = _build_where(spec, store.backend)
    if store.backend == "postgresql":
        store._conn.execute("SET enable_seqscan = off")  # a tiny table is scanned otherwise
        store._conn.execute("SET enable_bitmapscan = on")
        plan = store._conn.execute(f"EXPLAIN SELECT * FROM incidents WHERE {where}", params)
        text = " ".join(str(r) for r in plan.fetchall())
        assert "Index" in text and "Seq Scan" not in text
        only_box = _build_where(SimpleNamespace(bbox=(60, 29, 75, 38)), "postgresql")
        plan = store._conn.execute(
            f"EXPLAIN SELECT * FROM incidents WHERE {only_box[0]}", only_box[1]
        )
        assert "ix_incidents_geom" in " ".join(str(r) for r in plan.fetchall())
    else:
        plan = store._conn.execute(
            f"EXPLAIN QUERY PLAN SELECT * FROM incidents WHERE {where}", params
        )
        assert "USING INDEX" in " ".join(str(r) for r in plan.fetchall())


def test_cross_border_filter_uses_the_partial_index(store: Store) -> None:
    spec = SimpleNamespace(cross_border=True, date_from=date(2024, 1, 1))
    where, params = _build_where(spec, store.backend)
    if store.backend == "postgresql":
        store._conn.execute("SET enable_seqscan = off")  # a tiny table is scanned otherwise
        plan = store._conn.execute(f"EXPLAIN SELECT * FROM incidents WHERE {where}", params)
    else:
        plan = store._conn.execute(
            f"EXPLAIN QUERY PLAN SELECT * FROM incidents WHERE {where}", params
        )
    assert "ix_incidents_cross_only" in " ".join(str(r) for r in plan.fetchall())
    assert store.count(spec) == len(store.query(spec))


@pytest.mark.parametrize(
    ("name", "key"), [("IS-K", "is k"), ("  Tehrik-i-Taliban ", "tehrik i taliban"), ("É", "e")]
)
def test_normalise_actor(name: str, key: str) -> None:
    assert normalise_actor(name) == key


def test_empty_query_has_frame_columns(store: Store) -> None:
    frame = store.query()
    assert len(frame) == 0 and "incident_id" in frame.columns and frame.crs == "EPSG:4326"


# --------------------------------------------------------------------------- end to end


def test_ingest_seeds_twice_keeps_count(store_url: str) -> None:
    pytest.importorskip("geo.extract", reason="geo.extract (article extraction) not available yet")
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    for env in ("GEO_GAZETTEER_DIR", "GEO_BOUNDARIES_DIR"):
        if not os.environ.get(env):
            pytest.skip(f"{env} is not set (CI points it at ../shared/data)")
    from geo.cli import main

    url = store_url
    assert main(["ingest", str(SEEDS), "--db", url]) == 0
    with open_store(url) as s:
        first = s.count()
        history = len(s.history())
    assert first > 0
    assert main(["ingest", str(SEEDS), "--db", url]) == 0
    with open_store(url) as s:
        assert (s.count(), len(s.history())) == (first, history)
        assert s.integrity_problems() == []


def test_history_detail_is_json(store: Store) -> None:
    store.upsert_incidents([make("h")])
    store.update("h", {"event_date": date(2024, 3, 17)})
    raw = store._conn.execute("SELECT detail FROM history WHERE action = 'edit'").fetchone()[0]
    assert json.loads(raw)["event_date"] == ["2024-03-18", "2024-03-17"]


def test_accepts_the_dashboard_filters_object(store: Store) -> None:
    filters_module = pytest.importorskip("geo.filters", reason="geo.filters not available yet")
    store.upsert_incidents(DATASET)
    spec = filters_module.Filters(countries=("PK", "UZ"), date_to=date(2024, 3, 1))
    assert set(store.query(spec)["incident_id"]) == {"t2"}


def test_cli_migrate_reports_version(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from geo.cli import main

    assert main(["migrate", "--db", store_url]) == 0
    assert f"schema version {SCHEMA_VERSION}" in capsys.readouterr().out


# --------------------------------------------------------------------------- provinces


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [("Hilmand", {"p1"}), ("helmand", {"p1"}), ("Surkhandarya", {"p2"}), ("UZ-SU", {"p2"}),
     ("Nowhere", set())],
)  # fmt: skip
def test_province_filter_knows_natural_earth_spellings(
    store: Store, spelling: str, expected: set[str]
) -> None:
    if not os.environ.get("GEO_BOUNDARIES_DIR"):
        pytest.skip("GEO_BOUNDARIES_DIR is not set (CI points it at ../shared/data)")
    from geo.boundaries import provinces

    store.upsert_incidents([
        make("p1", admin1="Helmand", admin1_iso="AF-HEL", lat=31.6, lon=64.4),
        make("p2", country_iso2="UZ", admin1="Surxondaryo", admin1_iso="UZ-SU", lat=37.2,
             lon=67.3),
    ])  # fmt: skip
    spec = SimpleNamespace(provinces=(spelling,))
    store.provinces = provinces()  # the caller's spellings; the store reads no boundary file
    assert set(store.query(spec)["incident_id"]) == expected
    with open_store(store.url, provinces=provinces()) as other:
        assert set(other.query(spec)["incident_id"]) == expected


def _geo_imports(path: Path) -> list[tuple[str, bool]]:
    """``(module, at top level)`` for every ``geo`` import in one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("geo"):
            found.append((str(node.module), id(node) in top))
        elif isinstance(node, ast.Import):
            found += [(a.name, id(node) in top) for a in node.names if a.name.startswith("geo")]
    return found


def test_store_never_imports_the_stages_above_it() -> None:
    """geo.store reads no boundary file and imports no article, extract or geocode code."""
    above = ("geo.boundaries", "geo.extract", "geo.geocode", "geo.articles", "geo.pipeline")
    files = sorted((Path(__file__).parents[1] / "geo" / "store").glob("*.py"))
    assert len(files) >= 5
    for path in files:
        for module, at_top in _geo_imports(path):
            assert at_top, f"{path.name} imports {module} inside a function"
            assert not module.startswith(above), f"{path.name} imports {module}"


def test_province_filter_without_spellings_matches_stored_names(store: Store) -> None:
    assert store.provinces is None
    store.upsert_incidents([make("p1", admin1="Helmand", admin1_iso="AF-HEL")])
    assert store.count(SimpleNamespace(provinces=("HELMAND",))) == 1
    assert store.count(SimpleNamespace(provinces=("Hilmand",))) == 0


# --------------------------------------------------------------------------- copy


def _busy_store(url: str) -> None:
    with open_store(url) as s:
        s.upsert_incidents([FULL, COUNTRY_ONLY, *DATASET])
        s.ingest_article(ARTICLE, {"publisher": "Pub A"}, [make("art", sources=[])])
        s.update("t1", {"notes": "checked by an analyst"}, user="analyst")
        s.delete("t4", user="analyst")


@pytest.mark.parametrize(
    ("src", "dst"),
    [("sqlite", "sqlite"), pytest.param("sqlite", "postgresql", marks=needs_pg),
     pytest.param("postgresql", "sqlite", marks=needs_pg)],
)  # fmt: skip
def test_copy_is_lossless(tmp_path: Path, src: str, dst: str) -> None:
    with scratch_url(src, tmp_path, "a") as a, scratch_url(dst, tmp_path, "b") as b:
        _busy_store(a)
        report = copy_store(a, b)
        assert report.ok and report.counts["incidents"] == 6 and report.counts["history"] == 10
        with open_store(a) as one, open_store(b) as two:
            assert content_digest(one) == content_digest(two)
            assert [one.get(i) for i in ("full", "t1", "art")] == [
                two.get(i) for i in ("full", "t1", "art")
            ]
            assert two.history() == one.history()
            two.update("t2", {"wounded": 3})  # ids continue after the copied history
            assert two.history()[-1].history_id == one.history()[-1].history_id + 1
            assert two.integrity_problems() == []


def test_copy_refuses_a_non_empty_target(store_url: str, tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'src.db'}"
    _busy_store(source)
    with open_store(store_url) as s:
        s.upsert_incidents([make("already-here")])
    with pytest.raises(DataFileError, match="not empty"):
        copy_store(source, store_url)
    with open_store(store_url) as s:
        assert s.count() == 1


def test_cli_copy_prints_counts_and_hash(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from geo.cli import main

    source = f"sqlite:///{tmp_path / 'src.db'}"
    _busy_store(source)
    assert main(["copy", "--from", source, "--to", store_url]) == 0
    out = capsys.readouterr().out
    assert "incidents 6," in out and "content hash" in out and "verified" in out
    assert main(["copy", "--from", source, "--to", store_url]) == 2
    assert "not empty" in capsys.readouterr().err


def test_bulk_write_restores_the_garbage_collector(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    assert gc.isenabled()
    store.upsert_incidents([make("g1")])
    assert gc.isenabled()

    def broken(*args: Any, **kwargs: Any) -> None:
        assert not gc.isenabled()  # paused while rows are built and written
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_insert_new", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        store.upsert_incidents([make("g2")])
    assert gc.isenabled() and store.count() == 1


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1, "b": None, "c": 2.5, "d": ["x", 'q"uote'], "e": True},
        ["Kunduz", "Ḫwāǧa Ġār", "line\nbreak", "\u2028", "\x01"],
        {"nan": float("nan"), "inf": float("-inf"), "big": 10**30, "neg": -0.0},
        "plain string",
        [],
        {},
    ],
)
def test_row_json_is_json_dumps(value: Any) -> None:
    from geo.store.rows import _dumps

    assert _dumps(value) == json.dumps(value, ensure_ascii=False)


VALID_CHANGES = (
    {},
    {"lat": None, "lon": None, "geo_precision": "country"},
    {"fatalities_low": 0, "fatalities_best": 0, "fatalities_high": 0},
)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"incident_id": ""},
        {"event_date": "2024-03-18"},
        {"event_type": "Skirmish"},
        {"date_precision": "hour"},
        {"geo_precision": "street"},
        {"claim_status": "rumoured"},
        {"lat": None, "lon": None},
        {"lat": None, "lon": None, "geo_precision": "country"},
        {"lat": 91.0},
        {"lon": -180.5},
        {"lat": float("nan")},
        {"fatalities_low": -1},
        {"fatalities_best": -2},
        {"fatalities_high": -3},
        {"fatalities_low": 0, "fatalities_best": 0, "fatalities_high": 0},
    ],
)
def test_fast_validity_check_agrees_with_the_full_one(changes: dict[str, Any]) -> None:
    from geo.incidents import _plainly_valid, incident_problems

    inc = make("v1", **changes)
    problems = incident_problems(inc)
    assert not (_plainly_valid(inc) and problems), problems
    assert (problems == []) == (changes in VALID_CHANGES)


def test_batch_written_out_of_date_order_reads_back_the_same(store: Store) -> None:
    days = [date(2024, 5, d) for d in (9, 1, 30, 1, 17, 2)]
    batch = [
        make(f"o{i}", event_date=day, actors=["ISKP", "Taliban"][: 1 + i % 2])
        for i, day in enumerate(days)
    ]
    summary = store.upsert_incidents(batch, user="t")
    assert summary.new == len(batch) and summary.incident_ids == [i.incident_id for i in batch]
    for inc in batch:
        assert store.get(inc.incident_id) == inc
    assert list(store.query()["incident_id"]) == ["o2", "o4", "o0", "o5", "o1", "o3"]
    created = [h.incident_id for h in store.history() if h.action == "create"]
    assert created == [i.incident_id for i in batch]  # history keeps the batch's order
    assert store.count(SimpleNamespace(actors=("ISKP",))) == 6


# --------------------------------------------------------------------------- bulk rows


def test_missing_values_are_stored_as_null(store: Store) -> None:
    store.upsert_incidents([COUNTRY_ONLY, make("half", origin=Place("Panj", None, None, "TJ"))])
    cols = "lat, lon, fatalities_best, wounded, origin_name, origin_lat, target_name"
    got = store._conn.execute(
        f"SELECT {', '.join(c + ' IS NULL' for c in cols.split(', '))} FROM incidents"
        " ORDER BY incident_id"
    ).fetchall()
    # country-only: everything missing; half: coordinates known, origin without a point
    assert [tuple(map(bool, r)) for r in got] == [
        (True, True, True, True, True, True, True),
        (False, False, True, True, False, True, True),
    ]
    if store.backend == "sqlite":  # a bound NaN is stored as NULL, never as a number
        kinds = store._conn.execute("SELECT DISTINCT typeof(origin_lat) FROM incidents")
        assert [k[0] for k in kinds] == ["null"]


#: ``content_hash`` of FULL and COUNTRY_ONLY (schema 3: BLAKE2b-160 of the marshalled row).
PINNED_FULL_HASH = "aae731322244b9aa125d60a6440d2f667f806f23"
PINNED_COUNTRY_ONLY_HASH = "69a008e10367dae44f9bc157aed98fdb841e05a6"


def test_content_hash_is_pinned() -> None:
    """The stored hash must not drift with the Python version: else add a migration."""
    from geo.store.rows import _incident_row

    assert _incident_row(FULL)[-1] == PINNED_FULL_HASH
    assert _incident_row(COUNTRY_ONLY)[-1] == PINNED_COUNTRY_ONLY_HASH


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"notes": "x"}, {"notes": "y"}),
        ({"admin2": "ab", "notes": ""}, {"admin2": "a", "notes": "b"}),
        ({"admin2": "a\x1fb", "notes": "c"}, {"admin2": "a", "notes": "b\x1fc"}),
        ({"fatalities_best": None}, {"fatalities_best": 0}),
        ({"lat": 36.5}, {"lat": 36.50000000000001}),
        ({"origin": None}, {"origin": Place("nan", None, None, "nan", "nan", "nan", "nan")}),
        ({"origin": None}, {"origin": Place("None", None, None, "None", "None", "None", "None")}),
    ],
)
def test_content_hash_tells_rows_apart(a: dict[str, Any], b: dict[str, Any]) -> None:
    from geo.store.rows import _incident_row

    assert _incident_row(make("h", **a))[-1] != _incident_row(make("h", **b))[-1]


def test_content_hash_ignores_int_or_float_coordinates() -> None:
    from geo.store.rows import _incident_row

    # REAL columns give floats back, so 36 and 36.0 must hash alike (else no "unchanged")
    assert (
        _incident_row(make("h", lat=36, lon=69))[-1]
        == _incident_row(make("h", lat=36.0, lon=69.0))[-1]
    )


def _old_row_hash(row: Any) -> str:
    """Schema 1-2's content hash: SHA-1 of the ``repr`` of the row (``None`` for missing)."""
    import hashlib

    from geo.store.rows import _HASHED, _NULL

    body = tuple(None if v is _NULL else v for v in row[:_HASHED])
    return hashlib.sha1(repr(body).encode("utf-8"), usedforsecurity=False).hexdigest()


def test_upgrade_to_version_3_rehashes_so_reimport_changes_nothing(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.store.rows
    import geo.store.schema

    data = [FULL, COUNTRY_ONLY, make("plain", fatalities_best=3, actors=["TTP"])]
    with monkeypatch.context() as patch:  # a store written by the previous release
        patch.setattr(geo.store.schema, "MIGRATIONS", geo.store.schema.MIGRATIONS[:2])
        patch.setattr(geo.store.schema, "SCHEMA_VERSION", 2)
        patch.setattr(geo.store.rows, "_row_hash", _old_row_hash)
        with open_store(store_url) as old:
            assert old.upsert_incidents(data, user="old").new == 3
            before = old._conn.execute(
                "SELECT incident_id, content_hash, updated_at FROM incidents ORDER BY 1"
            ).fetchall()
    assert all(len(h) == 40 for _, h, _ in before)

    def no_slow_path(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("re-import compared fields: the stored hash was not recomputed")

    monkeypatch.setattr(Store, "_write_existing", no_slow_path)
    with open_store(store_url) as new:
        assert new.schema_version == SCHEMA_VERSION >= 3
        hashes = dict(new._conn.execute("SELECT incident_id, content_hash FROM incidents"))
        assert hashes == {i.incident_id: geo.store.rows._incident_row(i)[-1] for i in data}
        assert all(hashes[ident] != old_hash for ident, old_hash, _ in before)
        history = len(new.history())
        for mode in ("merge", "replace"):
            again = new.upsert_incidents(data, user="again", mode=mode)
            assert (again.new, again.unchanged, again.merged, again.updated) == (0, 3, 0, 0)
        assert len(new.history()) == history == 3
        after = new._conn.execute(
            "SELECT incident_id, updated_at FROM incidents ORDER BY 1"
        ).fetchall()
        assert after == [(i, at) for i, _, at in before]
        assert [new.get(i.incident_id) for i in data] == data


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"fatalities_best": 3.0, "wounded": True},
        {"fatalities_low": 0, "captured": 12, "claimed_by": ['Say "no"'], "denied_by": ["ü"]},
        {"location_name": "line\nbreak \u2028 \x01", "date_precision": "week"},
        {"claim_status": 5},
    ],
)
def test_claims_json_is_json_dumps(changes: dict[str, Any]) -> None:
    from geo.store.rows import _claims, _claims_json, _incident_row

    inc = replace(FULL, **changes)
    assert _claims_json(inc, _incident_row(inc)) == json.dumps(_claims(inc), ensure_ascii=False)


def _odd_source() -> Source:
    src = Source("s", "Pub")
    src.extra = "kept"  # type: ignore[attr-defined]
    return src


@pytest.mark.parametrize(
    "records",
    [
        FULL.sources,
        FULL.evidence,
        [Source('q"uote\\', "Ḫwāǧa", "u\n", "2024-01-01", "\x1f", "")],
        [Source("s", published=2024)],  # type: ignore[arg-type]
        [Evidence("f", "t", "s", True, 3), Evidence("f", "t", "s", 1.5, 2)],  # type: ignore[arg-type]
        [_odd_source()],
        [Place("Panj", 37.2, 69.1, "TJ")],
    ],
)
def test_record_json_is_json_dumps(records: list[Any]) -> None:
    from geo.store.rows import _json_records, _json_strings

    assert _json_records(records) == json.dumps([vars(r) for r in records], ensure_ascii=False)
    names = [getattr(r, "source_id", getattr(r, "name", "")) for r in records]
    assert _json_strings(names) == json.dumps(names, ensure_ascii=False)
    assert _json_strings(["a", 1]) == json.dumps(["a", 1])  # type: ignore[list-item]


def test_new_sqlite_store_uses_large_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    import sqlite3

    from geo.store.connection import PAGE_SIZE

    with open_store(f"sqlite:///{tmp_path / 'new.db'}") as new:
        assert new._conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE == 16_384
    old = sqlite3.connect(tmp_path / "old.db")
    old.execute("PRAGMA page_size = 4096")
    old.execute("PRAGMA journal_mode = WAL")
    old.close()
    with open_store(f"sqlite:///{tmp_path / 'old.db'}") as store:
        assert store._conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert store.upsert_incidents([FULL]).new == 1 and store.get("full") == FULL
