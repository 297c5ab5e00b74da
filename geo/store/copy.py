"""Copy a whole store between backends, checked by row counts and a content hash."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo._errors import DataFileError
from geo.store import _pg
from geo.store.connection import insert_rows
from geo.store.core import Store, open_store
from geo.store.schema import STORE_TABLES

_COPY_CHUNK = 5_000


@dataclass(frozen=True)
class CopyReport:
    """What :func:`copy_store` moved: rows per table, and the content hash of both ends."""

    counts: dict[str, int]
    source_digest: str
    target_digest: str

    @property
    def ok(self) -> bool:
        """True when both stores hold the same content."""
        return self.source_digest == self.target_digest


def _row_key(row: Sequence[Any]) -> bytes:
    """A backend-independent digest of one row (floats by ``repr``, ints as ints)."""
    norm = tuple(float(v) if isinstance(v, float) else v for v in row)
    return hashlib.sha1(repr(norm).encode("utf-8"), usedforsecurity=False).digest()


def content_digest(store: Store) -> tuple[dict[str, int], str]:
    """Row counts per table and one SHA-256 over every row of every table.

    The hash does not depend on row order or backend, so a SQLite store and its
    PostgreSQL copy have the same digest exactly when they hold the same data.

    Returns
    -------
    tuple of (dict, str)
        ``{table: rows}`` for :data:`STORE_TABLES`, and the hexadecimal digest.
    """
    total = hashlib.sha256()
    counts: dict[str, int] = {}
    for table, cols in STORE_TABLES.items():
        cur = store._conn.cursor()
        cur.execute(f"SELECT {', '.join(cols)} FROM {table}")
        keys: list[bytes] = []
        while batch := cur.fetchmany(_COPY_CHUNK):
            keys += [_row_key(r) for r in batch]
        keys.sort()
        counts[table] = len(keys)
        total.update(f"{table}:{len(keys)}:".encode())
        total.update(b"".join(keys))
    return counts, total.hexdigest()


def copy_store(source_url: str, target_url: str, *, verify: bool = True) -> CopyReport:
    """Copy a whole store (incidents, sources, links, assertions, history) to an empty one.

    Parameters
    ----------
    source_url, target_url : str
        Store URLs (``sqlite:///…`` or ``postgresql://…``); the target is created
        or migrated and must hold no incidents, sources or history yet.
    verify : bool
        Compare row counts and :func:`content_digest` of both ends afterwards.

    Returns
    -------
    CopyReport

    Raises
    ------
    DataFileError
        The target is not empty, or (``verify``) the copy differs from the source;
        a failed copy is rolled back and leaves the target empty.
    """
    with open_store(source_url) as src, open_store(target_url) as dst:
        busy = [t for t in ("incidents", "sources", "history") if not _table_empty(dst, t)]
        if busy:
            raise DataFileError(
                dst.path, f"copy target is not empty (rows in {', '.join(busy)})",
                "Copy into a new database, or delete the target first",
            )  # fmt: skip
        with dst._begin() as out:
            for table, cols in STORE_TABLES.items():
                cur = src._conn.cursor()
                cur.execute(f"SELECT {', '.join(cols)} FROM {table}")
                while batch := cur.fetchmany(_COPY_CHUNK):
                    insert_rows(out, dst.backend, table, cols, batch)
            if dst.backend == "postgresql":
                out.execute(
                    "SELECT setval(pg_get_serial_sequence('history', 'history_id'),"
                    " coalesce((SELECT max(history_id) FROM history), 0) + 1, false)"
                )
        if dst.backend == "postgresql":
            dst.optimize()
        if not verify:
            counts = {t: _table_count(dst, t) for t in STORE_TABLES}
            return CopyReport(counts, "", "")
        counts, src_digest = content_digest(src)
        got_counts, dst_digest = content_digest(dst)
    report = CopyReport(counts, src_digest, dst_digest)
    if got_counts != counts or not report.ok:
        raise DataFileError(
            _report_target(target_url),
            f"copy differs from the source (source {counts}, copy {got_counts};"
            f" hashes {src_digest[:12]} vs {dst_digest[:12]})",
        )
    return report


def _report_target(url: str) -> str:
    """A store URL fit for messages (PostgreSQL passwords redacted)."""
    return _pg.redact(url)


def _table_count(store: Store, table: str) -> int:
    return int(store._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _table_empty(store: Store, table: str) -> bool:
    return store._conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None
