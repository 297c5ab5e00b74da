"""Benchmark the incident store: bulk inserts and filtered queries.

Run ``python benchmarks/bench_store.py [--quick]``.

1. Insert N incidents through ``Store.upsert_incidents`` (batches of 10,000, one
   transaction each, with indexes, child tables, assertions and history) beside a
   baseline: a raw ``executemany`` of the same rows into a bare table.  On SQLite
   this runs three times, each into a new store, and the median pass is reported
   (the machine is often shared).
2. Grow the store to M incidents and time typical dashboard filters through
   ``Store.query`` (rows -> GeoDataFrame) beside the bare SQL that selects the ids.

Full run: N = 100,000, M = 1,000,000.  ``--quick``: N = 10,000, M = 100,000.
Both run on SQLite and, when ``--postgres URL`` is given (default: the environment
variable ``GEO_BENCH_POSTGRES_URL``, else ``GEO_TEST_POSTGRES_URL``; see
``scripts/ci_postgres.sh``), on PostgreSQL + PostGIS in a scratch schema dropped
afterwards.  The PostgreSQL insert baseline is a bare ``COPY`` of the same rows.
Prints throughput, peak RSS and a final JSON line with the figures.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.incidents import Evidence, Incident, Place, Source
from geo.store import _pg, copy_store, open_store
from geo.store.query import _build_where
from geo.store.rows import _ROW_COLUMNS, _incident_row, _pg_row

BATCH = 10_000
PROVINCES = [
    ("AF", "Takhar", "AF-TAK", 36.7, 69.5), ("AF", "Kabul", "AF-KAB", 34.5, 69.2),
    ("AF", "Nimroz", "AF-NIM", 31.0, 62.0), ("AF", "Balkh", "AF-BAL", 36.7, 67.1),
    ("AF", "Kunar", "AF-KNR", 34.9, 71.1), ("PK", "Balochistan", "PK-BA", 29.8, 66.8),
    ("PK", "Khyber Pakhtunkhwa", "PK-KP", 34.0, 71.5), ("TJ", "Khatlon", "TJ-KT", 37.5, 69.0),
    ("UZ", "Surxondaryo", "UZ-SU", 37.5, 67.3),
    ("IR", "Sistan and Baluchestan", "IR-13", 29.5, 60.9),
]  # fmt: skip
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests"]
ACTORS = ["Taliban", "ISKP", "TTP", "NRF", "Pakistan Army", "Tajik border guards"] + [
    f"Militia {i}" for i in range(24)
]
CLAIMS = ["reported", "claimed", "confirmed", "unconfirmed", "denied", "disputed"]
WORDS = ["rocket", "convoy", "checkpoint", "market", "border", "mosque", "school", "bridge"]


def make_incidents(start: int, n: int, seed: int) -> list[Incident]:
    """``n`` varied incidents with ids ``b<start>…``."""
    rng = random.Random(seed)
    day0 = date(2020, 1, 1)
    out = []
    for i in range(start, start + n):
        iso2, admin1, code, lat, lon = rng.choice(PROVINCES)
        cross = rng.random() < 0.03
        sid = f"src{i // 3}"
        out.append(
            Incident(
                incident_id=f"b{i}",
                event_date=day0 + timedelta(days=rng.randrange(6 * 365)),
                location_name=f"Place {rng.randrange(5000)}",
                lat=lat + rng.uniform(-0.5, 0.5),
                lon=lon + rng.uniform(-0.5, 0.5),
                event_type=rng.choice(TYPES),
                actors=rng.sample(ACTORS, rng.randint(1, 3)),
                country_iso2=iso2,
                admin1=admin1,
                admin1_iso=code,
                fatalities_best=rng.choice([None, 0, 1, 2, 3, 5, 8, 13, 40]),
                claim_status=rng.choice(CLAIMS),
                origin=Place("Origin", lat, lon, "AF") if cross else None,
                target=Place("Target", lat + 0.3, lon, "TJ") if cross else None,
                sources=[Source(sid, publisher=f"Outlet {i % 40}", url=f"https://x.example/{sid}")],
                evidence=[Evidence("event_date", "a short sentence", sid, 0, 16)],
                notes=f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
            )
        )
    return out


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_COLS = (*_ROW_COLUMNS, "created_at", "updated_at")


def _raw_sqlite_s(rows: list[tuple[Any, ...]], workdir: Path) -> float:
    """Seconds for a bare ``executemany`` of the rows into an index-less SQLite table."""
    raw = sqlite3.connect(workdir / "raw.db", isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute(f"CREATE TABLE bare ({', '.join(_COLS)})")
    t0 = time.perf_counter()
    raw.execute("BEGIN")
    raw.executemany(f"INSERT INTO bare VALUES ({', '.join('?' * len(_COLS))})", rows)
    raw.execute("COMMIT")
    raw.close()
    return time.perf_counter() - t0


def _raw_pg_s(rows: list[tuple[Any, ...]], url: str) -> float:
    """Seconds for a bare ``COPY`` of the rows into an index-less PostgreSQL table."""
    conn = _pg.connect(url)
    try:
        conn.execute(f"CREATE TABLE bare ({', '.join(c + ' text' for c in _COLS)})")
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        _pg.copy_rows(conn.cursor(), "bare", _COLS, rows)
        conn.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        conn.execute("DROP TABLE IF EXISTS bare")
        conn.close()


@contextmanager
def pg_scratch(base_url: str) -> Iterator[str]:
    """A URL whose tables land in a new PostgreSQL schema, dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = _pg.connect(base_url)
    admin.execute(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{joiner}options=-csearch_path%3D{schema},public"
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


def bench_insert(n: int, url: str, workdir: Path) -> dict[str, float]:
    incidents = make_incidents(0, n, seed=1)
    # the rows the store itself writes: missing values as NaN for SQLite, None for COPY
    rows = [(*_incident_row(inc), "t", "t") for inc in incidents]
    pg = _pg.is_pg_url(url)
    raw_s = _raw_pg_s([_pg_row(r) for r in rows], url) if pg else _raw_sqlite_s(rows, workdir)
    with open_store(url) as store:
        t0, cpu0 = time.perf_counter(), time.process_time()
        for i in range(0, n, BATCH):
            store.upsert_incidents(incidents[i : i + BATCH], user="bench")
        store_s = time.perf_counter() - t0
        store_cpu_s = time.process_time() - cpu0
        t0 = time.perf_counter()
        again = store.upsert_incidents(incidents[:BATCH], user="bench")
        rerun_s = time.perf_counter() - t0
        assert store.count() == n and again.unchanged == min(n, BATCH)
    return {
        "insert_n": n,
        "store_inserts_per_s": n / store_s,
        # this process's CPU only (a PostgreSQL server's work is not in it): steadier
        # than wall time on a busy machine
        "store_cpu_us_per_incident": store_cpu_s / n * 1e6,
        "raw_baseline_rows_per_s": n / raw_s,
        "reingest_unchanged_per_s": min(n, BATCH) / rerun_s,
        "peak_rss_mb_after_insert": peak_rss_mb(),
    }


INSERT_REPEAT = 3  # SQLite insert passes, each into a new store; the median is reported


def median_insert(n: int, folder: Path) -> dict[str, Any]:
    """:func:`bench_insert` into :data:`INSERT_REPEAT` new SQLite stores: the figures of
    the median pass (its raw baseline is from the same pass), and every pass's rate."""
    runs = []
    for k in range(INSERT_REPEAT):
        workdir = folder / f"insert{k}"
        workdir.mkdir()
        runs.append(bench_insert(n, f"sqlite:///{workdir / 'insert.db'}", workdir))
    runs.sort(key=lambda r: r["store_inserts_per_s"])
    return {
        **runs[len(runs) // 2],
        "insert_passes_per_s": [r["store_inserts_per_s"] for r in runs],
    }


def _fill(store: Any, total: int) -> float:
    t0 = time.perf_counter()
    for start in range(0, total, BATCH * 5):
        chunk = make_incidents(start, min(BATCH * 5, total - start), seed=start)
        for i in range(0, len(chunk), BATCH):
            store.upsert_incidents(chunk[i : i + BATCH], user="bench")
    return time.perf_counter() - t0


QUERIES: dict[str, dict[str, Any]] = {
    "country+90 days": {"countries": ("AF",), "date_from": date(2025, 1, 1),
                        "date_to": date(2025, 3, 31)},
    "province+type": {"provinces": ("Takhar",), "event_types": ("Battles",),
                      "date_from": date(2024, 1, 1)},
    "actor+min fatalities+year": {"actors": ("ISKP",), "min_fatalities": 5,
                                  "date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)},
    "bbox+month": {"bbox": (68.0, 36.0, 71.0, 38.0), "date_from": date(2023, 6, 1),
                   "date_to": date(2023, 6, 30)},
    "cross-border": {"cross_border": True, "date_from": date(2024, 1, 1)},
    "text+country+quarter": {"text": "rocket", "countries": ("PK",),
                             "date_from": date(2022, 1, 1), "date_to": date(2022, 3, 31)},
}  # fmt: skip


def _median_s(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _bare_ids(store: Any, sql: str, params: list[Any]) -> int:
    return len(store._conn.execute(sql, params).fetchall())


def bench_query(m: int, url: str, copy_from: str = "") -> dict[str, Any]:
    """Fill a store with ``m`` incidents (or copy them from ``copy_from``), time QUERIES."""
    out: dict[str, Any] = {"query_n": m}
    if copy_from:
        t0 = time.perf_counter()
        copy_store(copy_from, url, verify=False)
        out["copy_from_sqlite_incidents_per_s"] = m / (time.perf_counter() - t0)
    with open_store(url) as store:
        if not copy_from:
            out["fill_inserts_per_s"] = m / _fill(store, m)
        store.optimize()
        for name, spec in QUERIES.items():
            filters = SimpleNamespace(**spec)
            where, params = _build_where(filters, store.backend)
            sql = f"SELECT incident_id FROM incidents WHERE {where}"
            rows = len(store.query(filters))
            out[name] = {
                "rows": rows,
                "query_s": _median_s(functools.partial(store.query, filters)),
                "count_s": _median_s(functools.partial(store.count, filters)),
                "bare_sql_ids_s": _median_s(functools.partial(_bare_ids, store, sql, params)),
            }
    out["peak_rss_mb_after_query"] = peak_rss_mb()
    return out


def _iter_report(backend: str, figures: dict[str, Any]) -> Iterator[str]:
    raw = "raw COPY" if backend == "postgresql" else "raw executemany"
    yield f"[{backend}] insert {figures['insert_n']:,} incidents:"
    passes = figures.get("insert_passes_per_s")
    how = f" (median of {len(passes)} passes)" if passes else ""
    yield f"  store.upsert_incidents   {figures['store_inserts_per_s']:>12,.0f} incidents/s{how}"
    yield f"  baseline {raw:<15} {figures['raw_baseline_rows_per_s']:>12,.0f} rows/s"
    yield f"  client CPU per incident  {figures['store_cpu_us_per_incident']:>12.1f} µs"
    yield f"  re-ingest (unchanged)    {figures['reingest_unchanged_per_s']:>12,.0f} incidents/s"
    yield f"  peak RSS {figures['peak_rss_mb_after_insert']:.0f} MB"
    if "fill_inserts_per_s" in figures:
        how = f"filled by upsert_incidents at {figures['fill_inserts_per_s']:,.0f}/s"
    else:
        how = (
            "copied from the SQLite store by copy_store at "
            f"{figures['copy_from_sqlite_incidents_per_s']:,.0f} incidents/s"
        )
    yield f"[{backend}] query over {figures['query_n']:,} incidents ({how}):"
    for name in QUERIES:
        q = figures[name]
        yield (
            f"  {name:<28} rows {q['rows']:>7,}  query {q['query_s'] * 1000:7.1f} ms  "
            f"count {q['count_s'] * 1000:6.1f} ms  "
            f"baseline bare SQL ids {q['bare_sql_ids_s'] * 1000:6.1f} ms"
        )
    yield f"  peak RSS {figures['peak_rss_mb_after_query']:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k inserts, 100k-row query set")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("GEO_BENCH_POSTGRES_URL")
        or os.environ.get("GEO_TEST_POSTGRES_URL", ""),
        help="also run against this PostgreSQL + PostGIS server (scratch schema)",
    )
    args = parser.parse_args(argv)
    n, m = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    results: dict[str, Any] = {"load_average_1min": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="bench_store_") as tmp:
        folder = Path(tmp)
        query_url = f"sqlite:///{folder / 'query.db'}"
        results["sqlite"] = {**median_insert(n, folder), **bench_query(m, query_url)}
        _print(_iter_report("sqlite", results["sqlite"]))
        if args.postgres:
            # the PostGIS query store is the SQLite one, moved by copy_store (same rows)
            with pg_scratch(args.postgres) as one, pg_scratch(args.postgres) as two:
                results["postgresql"] = {
                    **bench_insert(n, one, folder),
                    **bench_query(m, two, copy_from=query_url),
                }
            _print(_iter_report("postgresql", results["postgresql"]))
        else:
            print("[postgresql] skipped: no --postgres URL (scripts/ci_postgres.sh starts one)")
    results["load_average_1min_end"] = os.getloadavg()[0]
    print(json.dumps({"bench": "store", "quick": args.quick, **results}))
    return 0


def _print(lines: Iterator[str]) -> None:
    for line in lines:
        print(line, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
