"""The store's schema: versioned migrations (append, never edit) and the table list.

Each migration is SQL (portable: SQLite, and PostgreSQL through
:func:`geo.store._pg.pg_statements`) plus, for some versions, a Python step run in the
same transaction (:data:`MIGRATION_STEPS`).  :class:`geo.store.core.Store.migrate`
applies them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from geo.store.rows import _HASHED, _NULL, _ROW_COLUMNS, _row_hash

_V1 = (
    """CREATE TABLE incidents (
        incident_id TEXT PRIMARY KEY,
        event_date TEXT NOT NULL,
        date_precision TEXT NOT NULL,
        event_type TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        location_name TEXT NOT NULL,
        lat REAL,
        lon REAL,
        geo_precision TEXT NOT NULL,
        country_iso2 TEXT NOT NULL,
        admin1 TEXT NOT NULL,
        admin1_iso TEXT NOT NULL,
        admin2 TEXT NOT NULL,
        fatalities_best INTEGER,
        fatalities_low INTEGER,
        fatalities_high INTEGER,
        wounded INTEGER,
        captured INTEGER,
        claim_status TEXT NOT NULL,
        actors TEXT NOT NULL,
        claimed_by TEXT NOT NULL,
        denied_by TEXT NOT NULL,
        origin_name TEXT, origin_lat REAL, origin_lon REAL, origin_country_iso2 TEXT,
        origin_admin1 TEXT, origin_admin1_iso TEXT, origin_geo_precision TEXT,
        target_name TEXT, target_lat REAL, target_lon REAL, target_country_iso2 TEXT,
        target_admin1 TEXT, target_admin1_iso TEXT, target_geo_precision TEXT,
        cross_border INTEGER NOT NULL,
        sources TEXT NOT NULL,
        evidence TEXT NOT NULL,
        confidence REAL NOT NULL,
        notes TEXT NOT NULL,
        actors_text TEXT NOT NULL,
        publishers TEXT NOT NULL,
        source_count INTEGER NOT NULL,
        search_text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX ix_incidents_date ON incidents (event_date)",
    "CREATE INDEX ix_incidents_country_date ON incidents (country_iso2, event_date)",
    "CREATE INDEX ix_incidents_admin1_iso ON incidents (admin1_iso, event_date)",
    "CREATE INDEX ix_incidents_admin1_lower ON incidents (lower(admin1), event_date)",
    "CREATE INDEX ix_incidents_cross_date ON incidents (cross_border, event_date)",
    "CREATE INDEX ix_incidents_type_date ON incidents (event_type, event_date)",
    "CREATE INDEX ix_incidents_lon_lat ON incidents (lon, lat)",
    """CREATE TABLE incident_actors (
        incident_id TEXT NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        actor TEXT NOT NULL,
        actor_norm TEXT NOT NULL,
        PRIMARY KEY (incident_id, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX ix_actors_norm ON incident_actors (actor_norm, incident_id)",
    """CREATE TABLE sources (
        source_id TEXT PRIMARY KEY,
        publisher TEXT NOT NULL,
        url TEXT NOT NULL,
        published TEXT NOT NULL,
        title TEXT NOT NULL,
        file TEXT NOT NULL,
        text_sha256 TEXT,
        added_at TEXT NOT NULL
    )""",
    "CREATE INDEX ix_sources_text ON sources (text_sha256)",
    """CREATE TABLE incident_sources (
        incident_id TEXT NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
        source_id TEXT NOT NULL REFERENCES sources (source_id),
        position INTEGER NOT NULL,
        PRIMARY KEY (incident_id, source_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX ix_incident_sources_source ON incident_sources (source_id)",
    """CREATE TABLE assertions (
        incident_id TEXT NOT NULL REFERENCES incidents (incident_id) ON DELETE CASCADE,
        source_id TEXT NOT NULL,
        claims TEXT NOT NULL,
        PRIMARY KEY (incident_id, source_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE history (
        history_id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        source_id TEXT NOT NULL,
        user_name TEXT NOT NULL,
        detail TEXT NOT NULL
    )""",
    "CREATE INDEX ix_history_incident ON history (incident_id, history_id)",
)


# The actor filter with a date range (the dashboard's usual question) reads one covering
# index range instead of every incident of the actor.
_V2 = (
    "ALTER TABLE incident_actors ADD COLUMN event_date TEXT NOT NULL DEFAULT ''",
    "UPDATE incident_actors SET event_date = (SELECT i.event_date FROM incidents i"
    " WHERE i.incident_id = incident_actors.incident_id)",
    "CREATE INDEX ix_actors_norm_date ON incident_actors (actor_norm, event_date, incident_id)",
    "DROP INDEX ix_actors_norm",
)


# Few incidents are cross-border (about 3% in the benchmark): a partial index holds only
# those, so most inserts skip one B-tree.  The query writes the literal
# ``cross_border = 1``; SQLite uses a partial index only for a term that matches it.
_V4 = (
    "DROP INDEX ix_incidents_cross_date",
    "CREATE INDEX ix_incidents_cross_only ON incidents (event_date) WHERE cross_border = 1",
)


#: Versioned schema steps: (version, description, SQL statements).  Append, never edit.
#: A version may also have a Python step (:data:`MIGRATION_STEPS`), run after its SQL.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "incidents, actors, sources, incident_sources, assertions, history", _V1),
    (2, "incident_actors.event_date with an (actor, date) index", _V2),
    (3, "incidents.content_hash recomputed as BLAKE2b of the marshalled row", ()),
    (4, "cross-border index holds only cross-border incidents (partial)", _V4),
)


SCHEMA_VERSION = MIGRATIONS[-1][0]


_REHASH_CHUNK = 5_000


def _rehash_incidents(cur: Any) -> None:
    """Migration 3: recompute every ``content_hash`` with :func:`_row_hash`.

    The hash is computed from the stored values (NULL read back as :data:`_NULL`),
    which are what :func:`_incident_row` builds for the same incident; so data
    imported again into an upgraded store is still found unchanged, adds nothing
    and writes no history.  Works through the ids in chunks (bounded memory).
    """
    select = (
        f"SELECT {', '.join(_ROW_COLUMNS[:_HASHED])} FROM incidents"
        " WHERE incident_id > ? ORDER BY incident_id LIMIT ?"
    )
    last = ""
    while rows := cur.execute(select, (last, _REHASH_CHUNK)).fetchall():
        cur.executemany(
            "UPDATE incidents SET content_hash = ? WHERE incident_id = ?",
            [(_row_hash([_NULL if v is None else v for v in r]), r[0]) for r in rows],
        )
        last = rows[-1][0]


#: Python steps of :data:`MIGRATIONS`, by version: ``step(cursor)`` in the same transaction.
MIGRATION_STEPS: dict[int, Callable[[Any], None]] = {3: _rehash_incidents}


#: Every table of the store with its columns, parents first (the order a copy writes).
STORE_TABLES: dict[str, tuple[str, ...]] = {
    "sources": (
        "source_id", "publisher", "url", "published", "title", "file", "text_sha256", "added_at",
    ),
    "incidents": (*_ROW_COLUMNS, "created_at", "updated_at"),
    "incident_actors": ("incident_id", "position", "actor", "actor_norm", "event_date"),
    "incident_sources": ("incident_id", "source_id", "position"),
    "assertions": ("incident_id", "source_id", "claims"),
    "history": ("history_id", "at", "action", "incident_id", "source_id", "user_name", "detail"),
}  # fmt: skip
