"""PostgreSQL + PostGIS backend of the incident store (see :mod:`geo.store.core`).

:mod:`geo.store` writes portable SQL with ``?`` parameters against a DB-API-like
connection.  This module gives it a psycopg 3 connection that looks like the
``sqlite3`` one it already uses (``execute``, ``executemany``, ``cursor``,
``fetchone``/``fetchall``), plus the few things that differ: the schema's
PostgreSQL types, the PostGIS point column with its GiST index, the bounding-box
filter on that index, and a table-existence check.  psycopg is imported lazily,
so the SQLite store works without it.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from geo._errors import DataFileError, SettingError

__all__ = [
    "PG_EXTRA",
    "PgConnection",
    "PgCursor",
    "bbox_clause",
    "connect",
    "copy_rows",
    "is_pg_url",
    "pg_statements",
    "redact",
    "table_exists",
]

#: Advisory lock taken by every write transaction: writers queue one behind the other,
#: as SQLite's ``BEGIN IMMEDIATE`` makes them, so idempotent ingest stays race-free.
WRITE_LOCK_KEY = 0x67656F5F696E63  # "geo_inc"

#: Statements added to a migration on PostgreSQL only, by schema version.
PG_EXTRA: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE incidents ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS ("
        "CASE WHEN lon IS NOT NULL AND lat IS NOT NULL "
        "THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED",
        "CREATE INDEX ix_incidents_geom ON incidents USING GIST (geom)",
    ),
}


def is_pg_url(url: str) -> bool:
    """True for ``postgresql://`` and ``postgres://`` URLs."""
    return url.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """The URL with any password replaced by ``***`` (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


@functools.lru_cache(maxsize=1024)
def _paramstyle(sql: str) -> str:
    """``?`` placeholders → psycopg's ``%s`` (literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PgCursor:
    """A psycopg cursor with the ``sqlite3.Cursor`` calls the store uses.

    Statements hold the connection's lock, so a read from another thread never
    runs inside (and can never abort) a write transaction in progress.
    """

    def __init__(self, cur: Any, lock: threading.RLock) -> None:
        self._cur = cur
        self._lock = lock

    @property
    def description(self) -> Any:
        """Column descriptions of the last result (``name`` first), as DB-API."""
        return self._cur.description

    @property
    def rowcount(self) -> int:
        """Rows affected by the last statement."""
        return int(self._cur.rowcount)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        """Run one statement with ``?`` parameters; returns the cursor (as sqlite3 does)."""
        with self._lock:
            if params:
                self._cur.execute(_paramstyle(sql), tuple(params))
            else:
                self._cur.execute(sql)
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PgCursor:
        """Run one statement for each parameter row (pipelined by psycopg)."""
        rows = list(rows)
        if rows:
            with self._lock:
                self._cur.executemany(_paramstyle(sql), rows)
        return self

    def fetchone(self) -> Any:
        """Next row as a tuple, or ``None``."""
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        """Remaining rows as tuples."""
        return list(self._cur.fetchall())

    def fetchmany(self, size: int) -> list[Any]:
        """Up to ``size`` further rows."""
        return list(self._cur.fetchmany(size))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cur)

    def close(self) -> None:
        """Release the cursor."""
        self._cur.close()


class PgConnection:
    """A psycopg connection in autocommit mode, used like ``sqlite3.Connection``.

    Transactions are explicit (``BEGIN`` … ``COMMIT``), exactly as the store drives
    SQLite with ``isolation_level=None``.  ``lock`` is held by every statement; the
    store holds it for a whole write transaction.
    """

    def __init__(self, raw: Any, url: str) -> None:
        self.raw = raw
        self.url = url
        self.lock = threading.RLock()

    def cursor(self) -> PgCursor:
        """A new cursor."""
        return PgCursor(self.raw.cursor(), self.lock)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        """Run one statement on a new cursor and return it."""
        return self.cursor().execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PgCursor:
        """Run one statement per parameter row on a new cursor."""
        return self.cursor().executemany(sql, rows)

    def close(self) -> None:
        """Close the connection (idempotent)."""
        self.raw.close()


def connect(url: str) -> PgConnection:
    """Open a PostgreSQL connection for the store.

    Raises
    ------
    SettingError
        psycopg is not installed (``pip install 'geo-incidents[postgres]'``).
    DataFileError
        The server cannot be reached or refuses the login (password redacted).
    """
    try:
        import psycopg
    except ImportError:
        raise SettingError(
            "GEO_DATABASE_URL",
            redact(url),
            "a store whose driver is installed",
            "PostgreSQL needs psycopg: pip install 'psycopg[binary]'",
        ) from None
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise DataFileError(
            redact(url),
            f"cannot connect to PostgreSQL ({str(exc).strip().splitlines()[0]})",
            "Check GEO_DATABASE_URL and that the server is running",
        ) from None
    return PgConnection(raw, url)


_TYPE_MAP = (
    (re.compile(r"\bhistory_id INTEGER PRIMARY KEY\b"),
     "history_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\)\s*WITHOUT ROWID\s*$"), ")"),
)  # fmt: skip


def pg_statements(version: int, statements: Sequence[str]) -> tuple[str, ...]:
    """A migration's SQLite DDL in PostgreSQL form, plus its PostGIS extras.

    ``REAL`` becomes ``DOUBLE PRECISION`` (SQLite's REAL is 8 bytes), the history
    key an identity column, ``WITHOUT ROWID`` is dropped; :data:`PG_EXTRA` adds the
    ``geometry(Point, 4326)`` column (generated from lon/lat) and its GiST index.
    """
    out = []
    for sql in statements:
        for pattern, repl in _TYPE_MAP:
            sql = pattern.sub(repl, sql)
        out.append(sql)
    return (*out, *PG_EXTRA.get(version, ()))


def table_exists(conn: PgConnection, name: str) -> bool:
    """True when ``name`` is a table on the connection's search path."""
    row = conn.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()
    return bool(row and row[0])


def bbox_clause(west: float, south: float, east: float, north: float) -> tuple[str, list[Any]]:
    """Bounding-box filter on the GiST-indexed point; ``west > east`` crosses 180°."""
    env = "geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)"
    if west <= east:
        return env, [west, south, east, north]
    return f"({env} OR {env})", [west, south, 180.0, north, -180.0, south, east, north]


def copy_rows(cur: PgCursor, table: str, columns: Sequence[str], rows: Sequence[Any]) -> None:
    """Write rows with ``COPY … FROM STDIN`` (several times faster than INSERTs)."""
    if not rows:
        return
    with cur._lock, cur._cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
