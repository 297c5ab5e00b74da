"""Opening a store's connection and its write transactions (SQLite; PostgreSQL via _pg)."""

from __future__ import annotations

import operator
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from geo._errors import DataFileError, SettingError
from geo.store import _pg

BUSY_TIMEOUT_MS = 30_000


CACHE_KIB = -65_536  # negative: KiB, i.e. a 64 MB page cache per connection


#: Page size of a new SQLite store (an existing file keeps its own).  Incident rows
#: are wide (~1 KB with their JSON and search text): 16 KiB pages save about a sixth
#: of the bulk-insert time (fewer page splits and WAL frames); every benchmark query
#: stays under 0.3 s at 1M incidents (docs/SCALING.md).
PAGE_SIZE = 16_384


def _sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        raise SettingError("GEO_DATABASE_URL", url, "sqlite:///PATH or postgresql://URL")
    raw = url[len("sqlite:///") :]
    if not raw:
        raise SettingError(
            "GEO_DATABASE_URL", url, "sqlite:///PATH with a file path after the slashes"
        )
    return Path(raw).expanduser()


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # before WAL creates the file
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA cache_size = {CACHE_KIB}")
        conn.execute("PRAGMA foreign_keys = ON")
    except (sqlite3.Error, OSError) as exc:
        raise DataFileError(
            path, f"cannot open the incident database ({exc})", "Check GEO_DATABASE_URL"
        ) from None
    if str(mode).lower() != "wal":
        conn.close()
        raise DataFileError(path, f"could not switch the database to WAL mode (got {mode!r})")
    return conn


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK`` on any exception).

    On PostgreSQL: ``BEGIN`` plus a transaction-scoped advisory lock, so writers
    queue exactly as SQLite's immediate transactions make them.
    """

    def __init__(self, conn: Any, lock: threading.RLock, backend: str = "sqlite") -> None:
        self._conn = conn
        self._lock = lock
        self._backend = backend

    def __enter__(self) -> Any:
        self._lock.acquire()
        try:
            if self._backend == "postgresql":
                self._conn.execute("BEGIN")
                try:
                    self._conn.execute("SELECT pg_advisory_xact_lock(?)", (_pg.WRITE_LOCK_KEY,))
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            else:
                self._conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise
        return self._conn.cursor()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self._lock.release()


def _pg_errors() -> tuple[type[Exception], ...]:
    import psycopg

    return (psycopg.Error,)


def _dict_rows(cur: Any, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """Rows of a query as ``{column: value}`` dicts (any DB-API cursor)."""
    cur.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _sql_literal(text: str) -> str:
    """``text`` as an SQL string literal (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def insert_rows(
    cur: Any,
    backend: str,
    table: str,
    cols: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    fixed: Mapping[str, str] | None = None,
) -> None:
    """Plain bulk insert: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

    ``fixed`` gives columns whose value is the same for every row (timestamps,
    the history action): SQLite gets them as literals in the statement rather
    than bound once per row.  Only for values the store makes itself.
    """
    fixed = fixed or {}
    if backend == "postgresql":
        tail = tuple(fixed.values())
        full = [(*r, *tail) for r in rows] if tail else rows
        _pg.copy_rows(cur, table, (*cols, *fixed), full)
    elif rows:
        values = ["?"] * len(cols) + [_sql_literal(v) for v in fixed.values()]
        names = ", ".join((*cols, *fixed))
        cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(values)})", rows)


def upsert_rows(
    cur: Any,
    backend: str,
    table: str,
    cols: Sequence[str],
    rows: Sequence[Sequence[Any]],
    conflict: str,
    *,
    keys: int,
) -> None:
    """``INSERT … ON CONFLICT <conflict>`` for many rows; the last row of a key wins.

    SQLite: ``executemany``.  PostgreSQL: ``COPY`` into a temporary staging
    table, then one ``INSERT … SELECT`` (one round trip instead of one per row).
    """
    key = operator.itemgetter(*range(keys))
    unique = list({key(r): r for r in rows}.values())
    if not unique:
        return
    names = ", ".join(cols)
    if backend != "postgresql":
        marks = ", ".join("?" * len(cols))
        cur.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT {conflict}", unique
        )
        return
    stage = f"_stage_{table}"
    cur.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} AS SELECT {names} FROM {table} WITH NO DATA"
    )
    _pg.copy_rows(cur, stage, cols, unique)
    cur.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} ON CONFLICT {conflict}")
    cur.execute(f"TRUNCATE {stage}")
