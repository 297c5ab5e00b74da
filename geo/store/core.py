"""The :class:`Store`: connection, transactions, reads, writes and history; :func:`open_store`."""

from __future__ import annotations

import contextlib
import json
import operator
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, replace
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import geopandas as gpd

from geo._errors import DataFileError, IncidentValidationError
from geo._gc import collector_paused
from geo.incidents import Incident, Source, incident_problems, load_incidents
from geo.merge import merge_into_stored, same_event
from geo.settings import Settings, get_settings
from geo.store import _pg, schema
from geo.store.connection import (
    _connect,
    _dict_rows,
    _pg_errors,
    _sqlite_path,
    _Transaction,
    insert_rows,
    upsert_rows,
)
from geo.store.query import ProvinceLookup, _build_where, _rows_to_frame, frame_select
from geo.store.results import HistoryEntry, IngestSummary
from geo.store.rows import (
    _ROW_COLUMNS,
    _actor_rows,
    _changed_fields,
    _claims,
    _claims_json,
    _dumps,
    _incident_from_row,
    _incident_row,
    _now,
    _pg_row,
    _source_ids,
    source_id_for_text,
)
from geo.store.schema import STORE_TABLES

_PG_ANALYZE_AFTER = 2_000  # PostgreSQL: refresh statistics after a batch this large


_SOURCE_META = ("publisher", "url", "published", "title", "file")


class Store:
    """An incident store (SQLite file or PostgreSQL database); see :func:`open_store`.

    Use it as a context manager (``with open_store() as store: ...``) or call
    :meth:`close`.  A store object may be shared between threads; writes are
    serialised by a lock, and between processes by SQLite's write lock or a
    PostgreSQL advisory lock.  ``path`` is the SQLite file, or for PostgreSQL the
    URL with its password redacted; ``backend`` is ``"sqlite"`` or ``"postgresql"``.
    """

    def __init__(
        self,
        conn: Any,
        url: str,
        path: Path | str,
        backend: str = "sqlite",
        provinces: ProvinceLookup | None = None,
    ) -> None:
        self._conn = conn
        self.url = url
        self.path = path
        self.backend = backend
        #: Province spellings for the province filter (see :func:`open_store`).
        self.provinces = provinces
        # PostgreSQL: the connection's own lock, so reads wait for a write in progress
        self._lock: threading.RLock = getattr(conn, "lock", None) or threading.RLock()

    # -- lifecycle -------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Refresh the query planner's statistics where SQLite sees a need, then close."""
        # closed already, or read-only: statistics are an optimisation only
        if self.backend == "sqlite":
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
        self._conn.close()

    def optimize(self) -> None:
        """Gather index statistics (``ANALYZE``; PostgreSQL ``VACUUM (ANALYZE)``).

        Worth calling after a large import (:func:`copy_store` does); :meth:`close`
        does a cheaper refresh on SQLite, and a PostgreSQL store re-analyses
        ``incidents`` itself whenever one batch grows it by a fifth.
        """
        with self._lock:
            if self.backend == "postgresql":
                # VACUUM also sets the visibility map: counts become index-only scans
                for table in STORE_TABLES:
                    self._conn.execute(f"VACUUM (ANALYZE) {table}")
            else:
                self._conn.execute("ANALYZE")

    def _begin(self) -> _Transaction:
        return _Transaction(self._conn, self._lock, self.backend)

    # -- schema ----------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        """The highest migration applied (0 for an empty database)."""
        if self.backend == "postgresql":
            has = _pg.table_exists(self._conn, "schema_migrations")
        else:
            has = self._conn.execute(
                "SELECT count(*) FROM sqlite_master"
                " WHERE type = 'table' AND name = 'schema_migrations'"
            ).fetchone()[0]
        if not has:
            return 0
        return int(
            self._conn.execute(
                "SELECT coalesce(max(version), 0) FROM schema_migrations"
            ).fetchone()[0]
        )

    def migrate(self) -> int:
        """Apply every missing migration, each in its own transaction; return the version."""
        with self._begin() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        current = self.schema_version
        if current > schema.SCHEMA_VERSION:
            raise DataFileError(
                self.path,
                f"database schema version {current} is newer than this program's"
                f" {schema.SCHEMA_VERSION}",
                "Upgrade geo-incidents",
            )
        for version, description, statements in schema.MIGRATIONS:
            with self._begin() as cur:
                done = cur.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
                ).fetchone()
                if done:
                    continue
                if self.backend == "postgresql":
                    cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                    statements = _pg.pg_statements(version, statements)
                for sql in statements:
                    cur.execute(sql)
                if version in schema.MIGRATION_STEPS:
                    schema.MIGRATION_STEPS[version](cur)
                cur.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, description, _now())
                )
        return self.schema_version

    # -- writes ----------------------------------------------------------------------
    def upsert_incidents(
        self,
        incidents: Iterable[Incident],
        *,
        user: str = "system",
        mode: str = "merge",
        match_known: bool = False,
        source_text: str | None = None,
    ) -> IngestSummary:
        """Insert or update incidents in one transaction.

        Parameters
        ----------
        incidents : iterable of Incident
            Records to write; an invalid record is skipped and reported, never fatal.
        user : str
            Recorded in ``history``.
        mode : {"merge", "replace"}
            For a known ``incident_id``: ``merge`` combines the stored and the new
            record (:func:`geo.merge.merge_into_stored`); ``replace`` keeps the new one (imports,
            where the file is the authority).
        match_known : bool
            Also look for a stored incident reporting the same event under another id
            (:func:`geo.merge.same_event`, among stored incidents of the same province
            within a month) and merge into it.
        source_text : str, optional
            When given, its hash is stored as the ``text_sha256`` of each new source.

        Returns
        -------
        IngestSummary
        """
        if mode not in ("merge", "replace"):
            raise ValueError(f"mode must be 'merge' or 'replace', not {mode!r}")
        summary = IngestSummary()
        good = self._valid(incidents, summary)
        text_hash = source_id_for_text(source_text) if source_text is not None else None
        with collector_paused(), self._begin() as cur:
            self._write(
                cur,
                good,
                summary,
                user=user,
                mode=mode,
                match_known=match_known,
                text_hash=text_hash,
            )
        if self.backend == "postgresql" and summary.new >= _PG_ANALYZE_AFTER:
            self._refresh_pg_statistics(summary.new)
        return summary

    def _refresh_pg_statistics(self, added: int) -> None:
        """``ANALYZE incidents`` when a batch grew it by a fifth or more.

        Bulk-loaded rows have no planner statistics until autovacuum comes round;
        meanwhile the next batch's id look-ups get plans hundreds of times slower.
        """
        known = self._conn.execute(
            "SELECT reltuples FROM pg_class WHERE oid = 'incidents'::regclass"
        ).fetchone()[0]
        if known is None or known < 0 or added * 5 >= known:
            with self._lock:
                self._conn.execute("ANALYZE incidents")

    def ingest_article(
        self,
        article_text: str,
        metadata: Mapping[str, Any] | None,
        incidents: Sequence[Incident],
        *,
        user: str = "system",
    ) -> IngestSummary:
        """Store one article and the incidents drawn from it, idempotently, in one transaction.

        Parameters
        ----------
        article_text : str
            The article's text; its :func:`source_id_for_text` (SHA-256 of the
            normalised text) identifies the article, whatever id it is stored under.
        metadata : mapping, optional
            ``source_id`` (default: the text hash; pass the extractor's id so that
            evidence links match), ``publisher``, ``url``, ``published``, ``title``, ``file``.
        incidents : sequence of Incident
            Incidents drawn from the article; those without sources get the article.
        user : str
            Recorded in history.

        Returns
        -------
        IngestSummary
            When the article is already stored nothing changes and its incidents
            count as unchanged.  Otherwise each incident is created, or merged into
            a stored incident reporting the same event (``match_known``).
        """
        summary = IngestSummary()
        text_hash = source_id_for_text(article_text)
        good = self._valid(incidents, summary)
        meta = {k: str(v) for k, v in (metadata or {}).items() if k in _SOURCE_META and v}
        article = Source(source_id=str((metadata or {}).get("source_id") or text_hash), **meta)
        good = [inc if inc.sources else replace(inc, sources=[article]) for inc in good]
        with self._begin() as cur:
            if self._has_text(cur, text_hash):
                summary.articles_seen += 1
                summary.unchanged += len(good)
                return summary
            self._upsert_source(cur, article, text_hash)
            summary.articles_new += 1
            self._write(
                cur, good, summary, user=user, mode="merge", match_known=True, text_hash=text_hash
            )
        return summary

    def has_article(self, article_text: str) -> bool:
        """True when an article with this (normalised) text is already stored."""
        return self._has_text(self._conn.cursor(), source_id_for_text(article_text))

    @staticmethod
    def _has_text(cur: Any, text_hash: str) -> bool:
        row = cur.execute("SELECT 1 FROM sources WHERE text_sha256 = ? LIMIT 1", (text_hash,))
        return row.fetchone() is not None

    def update(
        self,
        incident_id: str,
        changes: Mapping[str, Any],
        *,
        user: str = "system",
        action: str = "edit",
        reverts: int | None = None,
    ) -> Incident:
        """Edit fields of one incident (an analyst's correction), recorded in history.

        ``action`` "undo" or "redo" records the change as the undo (redo) of history entry
        ``reverts``: detail ``{"reverts": N, "changes": {field: [old, new]}}``; an "edit"
        records ``{field: [old, new]}``.

        Raises
        ------
        IncidentValidationError
            Unknown incident, unknown field name, or a value that breaks the contract.
        """
        if action not in ("edit", "undo", "redo") or (action != "edit") != (reverts is not None):
            raise ValueError(f"action {action!r} with reverts={reverts!r}: undo/redo need it")
        known = {f.name for f in fields(Incident)} - {"incident_id"}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise IncidentValidationError(
                [f"unknown field(s) {unknown}; editable: {sorted(known)}"], f"update {incident_id}"
            )
        with self._begin() as cur:
            old = self._get(cur, incident_id)
            if old is None:
                raise IncidentValidationError(
                    [f"no incident with id {incident_id!r}"], str(self.path)
                )
            new = replace(old, **dict(changes))
            problems = incident_problems(new)
            if problems:
                raise IncidentValidationError(problems, f"update {incident_id}")
            diff = _changed_fields(old, new)
            if diff:
                self._replace_row(cur, new)
                detail = diff if action == "edit" else {"reverts": reverts, "changes": diff}
                self._history(cur, action, incident_id, "", user, detail)
        return new

    def delete(self, incident_id: str, *, user: str = "system") -> None:
        """Delete one incident; its full record is kept in history so it can be restored."""
        with self._begin() as cur:
            old = self._get(cur, incident_id)
            if old is None:
                raise IncidentValidationError(
                    [f"no incident with id {incident_id!r}"], str(self.path)
                )
            for table in ("incident_actors", "incident_sources", "assertions", "incidents"):
                cur.execute(f"DELETE FROM {table} WHERE incident_id = ?", (incident_id,))
            self._history(cur, "delete", incident_id, "", user, {"incident": old.to_dict()})

    def seed_from_file(self, path: str | Path, *, user: str = "seed") -> IngestSummary:
        """Load a JSON incidents file (``data/incidents.json``) when the store is empty."""
        if not self.is_empty():
            return IngestSummary()
        return self.upsert_incidents(load_incidents(path), user=user, mode="merge")

    # -- reads -----------------------------------------------------------------------
    def get(self, incident_id: str) -> Incident | None:
        """The stored incident, or ``None``."""
        return self._get(self._conn.cursor(), incident_id)

    def query(self, filters: Any = None, *, limit: int | None = None) -> gpd.GeoDataFrame:
        """Incidents matching ``filters`` as a GeoDataFrame (EPSG:4326), newest first.

        Same columns as :func:`geo.incidents.incidents_to_frame`; the filter runs
        in the database (see :func:`build_where`).
        """
        where, params = _build_where(filters, self.backend, self.provinces)
        sql = (
            f"SELECT {', '.join(frame_select())} FROM incidents WHERE {where}"
            " ORDER BY event_date DESC, incident_id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, int(limit)]
        return _rows_to_frame(self._conn.execute(sql, params).fetchall())

    def count(self, filters: Any = None) -> int:
        """Number of incidents matching ``filters``."""
        where, params = _build_where(filters, self.backend, self.provinces)
        return int(
            self._conn.execute(f"SELECT count(*) FROM incidents WHERE {where}", params).fetchone()[
                0
            ]
        )

    def revision(self) -> int:
        """A number that grows with every change (the last history entry's id).

        Cheap to read: callers use it as a cache key, so a cached query is reused
        until something is created, merged, edited or deleted.
        """
        row = self._conn.execute("SELECT max(history_id) FROM history").fetchone()
        return int(row[0] or 0)

    def is_empty(self) -> bool:
        """True when no incident is stored."""
        return self._conn.execute("SELECT 1 FROM incidents LIMIT 1").fetchone() is None

    def history(
        self, incident_id: str | None = None, *, limit: int | None = None
    ) -> list[HistoryEntry]:
        """Audit trail, oldest first (of one incident, or of all)."""
        sql = (
            "SELECT history_id, at, action, incident_id, source_id, user_name, detail FROM history"
        )
        params: list[Any] = []
        if incident_id is not None:
            sql += " WHERE incident_id = ?"
            params.append(incident_id)
        sql += " ORDER BY history_id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [
            HistoryEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]))
            for r in self._conn.execute(sql, params)
        ]

    def assertions(self, incident_id: str) -> dict[str, dict[str, Any]]:
        """What each source said about one incident: ``{source_id: {field: value}}``."""
        rows = self._conn.execute(
            "SELECT source_id, claims FROM assertions WHERE incident_id = ? ORDER BY source_id",
            (incident_id,),
        )
        return {sid: json.loads(claims) for sid, claims in rows}

    def integrity_problems(self) -> list[str]:
        """Consistency checks (SQLite ``integrity_check`` plus the store's own invariants)."""
        problems: list[str] = []
        if self.backend == "sqlite":
            problems += [r[0] for r in self._conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        checks = {
            "incidents without a source link": "SELECT count(*) FROM incidents i"
            " WHERE source_count > 0 AND NOT EXISTS"
            " (SELECT 1 FROM incident_sources s WHERE s.incident_id = i.incident_id)",
            "source links without a source": "SELECT count(*) FROM incident_sources l"
            " WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.source_id = l.source_id)",
            "links without an incident": "SELECT count(*) FROM incident_sources l"
            " WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.incident_id = l.incident_id)",
            "incidents without a create in history": "SELECT count(*) FROM incidents i"
            " WHERE NOT EXISTS (SELECT 1 FROM history h"
            " WHERE h.incident_id = i.incident_id AND h.action = 'create')",
        }
        for label, sql in checks.items():
            n = self._conn.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{n} {label}")
        return problems

    # -- internals -------------------------------------------------------------------
    def _valid(self, incidents: Iterable[Incident], summary: IngestSummary) -> list[Incident]:
        good = []
        for inc in incidents:
            problems = incident_problems(inc)
            if problems:
                summary.skipped += 1
                summary.problems += problems
            else:
                good.append(inc)
        return good

    def _get(self, cur: Any, incident_id: str) -> Incident | None:
        rows = _dict_rows(cur, "SELECT * FROM incidents WHERE incident_id = ?", (incident_id,))
        return _incident_from_row(rows[0]) if rows else None

    def _stored_hashes(self, cur: Any, ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT incident_id, content_hash FROM incidents WHERE incident_id IN ({marks})"
            out.update(cur.execute(sql, chunk).fetchall())
        return out

    def _find_match(self, cur: Any, inc: Incident) -> str | None:
        if not inc.country_iso2:
            return None
        window = timedelta(days=366 if inc.date_precision == "year" else 31)
        rows = _dict_rows(
            cur,
            "SELECT * FROM incidents WHERE country_iso2 = ? AND admin1_iso = ?"
            " AND event_date BETWEEN ? AND ? ORDER BY event_date, incident_id LIMIT 500",
            (
                inc.country_iso2,
                inc.admin1_iso,
                (inc.event_date - window).isoformat(),
                (inc.event_date + window).isoformat(),
            ),
        )
        for row in rows:
            if same_event(_incident_from_row(row), inc):
                return str(row["incident_id"])
        return None

    def _write(
        self,
        cur: Any,
        incidents: Sequence[Incident],
        summary: IngestSummary,
        *,
        user: str,
        mode: str,
        match_known: bool,
        text_hash: str | None,
    ) -> None:
        # the last record of a batch wins when an id repeats
        by_id = {inc.incident_id: inc for inc in incidents}
        stored = self._stored_hashes(cur, list(by_id))
        fresh: list[tuple[Incident, tuple[Any, ...]]] = []
        for ident, inc in by_id.items():
            row = _incident_row(inc)
            target = (
                ident if ident in stored else (self._find_match(cur, inc) if match_known else None)
            )
            if target is None:
                fresh.append((inc, row))
            elif target == ident and stored[ident] == row[-1]:
                summary.unchanged += 1
            else:
                self._write_existing(
                    cur, target, inc, summary, user=user, mode=mode, text_hash=text_hash
                )
            summary.incident_ids.append(target or ident)
        if fresh:
            self._insert_new(cur, fresh, user=user, text_hash=text_hash)
            summary.new += len(fresh)

    def _write_existing(
        self,
        cur: Any,
        ident: str,
        inc: Incident,
        summary: IngestSummary,
        *,
        user: str,
        mode: str,
        text_hash: str | None,
    ) -> None:
        old = self._get(cur, ident)
        assert old is not None
        new = replace(inc, incident_id=ident) if mode == "replace" else merge_into_stored(old, inc)
        diff = _changed_fields(old, new)
        if not diff:
            summary.unchanged += 1
            return
        self._replace_row(cur, new, text_hash=text_hash)
        self._assert(cur, [inc], ident)
        added = sorted({s.source_id for s in new.sources} - {s.source_id for s in old.sources})
        action = "merge" if added else "update"
        summary.merged += action == "merge"
        summary.updated += action == "update"
        detail = {"changed": diff, "from_incident": inc.incident_id}
        self._history(cur, action, ident, ",".join(added), user, detail)

    def _insert_new(
        self,
        cur: Any,
        fresh: Sequence[tuple[Incident, tuple[Any, ...]]],
        *,
        user: str,
        text_hash: str | None,
    ) -> None:
        now = _now()
        # B-tree maintenance: six of the eight indexes lead with, or end in, event_date
        # (stable sort; only rowids differ, which no query reads)
        rows = sorted((row for _, row in fresh), key=_by_event_date)
        if self.backend == "postgresql":
            rows = [_pg_row(r) for r in rows]
        stamps = {"created_at": now, "updated_at": now}
        insert_rows(cur, self.backend, "incidents", _ROW_COLUMNS, rows, fixed=stamps)
        incs = [inc for inc, _ in fresh]
        self._children(cur, incs, text_hash=text_hash)
        self._assert(cur, incs, claims=[_claims_json(inc, row) for inc, row in fresh])
        insert_rows(
            cur,
            self.backend,
            "history",
            ("incident_id", "source_id", "user_name"),
            [(inc.incident_id, _source_ids(inc), user) for inc in incs],
            fixed={"at": now, "action": "create", "detail": "{}"},
        )

    def _replace_row(self, cur: Any, inc: Incident, text_hash: str | None = None) -> None:
        row = _incident_row(inc)
        if self.backend == "postgresql":
            row = _pg_row(row)
        sets = ", ".join(f"{c} = ?" for c in _ROW_COLUMNS[1:])
        cur.execute(
            f"UPDATE incidents SET {sets}, updated_at = ? WHERE incident_id = ?",
            (*row[1:], _now(), row[0]),
        )
        cur.execute("DELETE FROM incident_actors WHERE incident_id = ?", (inc.incident_id,))
        cur.execute("DELETE FROM incident_sources WHERE incident_id = ?", (inc.incident_id,))
        self._children(cur, [inc], text_hash=text_hash)

    def _children(self, cur: Any, incs: Sequence[Incident], *, text_hash: str | None) -> None:
        actor_rows = [row for inc in incs if inc.actors for row in _actor_rows(inc)]
        if len(actor_rows) > 1:
            actor_rows.sort(key=_by_primary_key)  # in key order: appends to the B-tree
        insert_rows(
            cur, self.backend, "incident_actors", STORE_TABLES["incident_actors"], actor_rows
        )
        sources = {s.source_id: s for inc in incs for s in inc.sources}
        self._upsert_sources(cur, sources.values(), text_hash)
        links = [
            (inc.incident_id, s.source_id, i) for inc in incs for i, s in enumerate(inc.sources)
        ]
        # DO NOTHING: the first position of a repeated source stands, as row by row
        first = list({r[:2]: r for r in reversed(links)}.values())
        upsert_rows(
            cur,
            self.backend,
            "incident_sources",
            STORE_TABLES["incident_sources"],
            first,
            "(incident_id, source_id) DO NOTHING",
            keys=2,
        )

    def _upsert_source(self, cur: Any, src: Source, text_hash: str | None) -> None:
        self._upsert_sources(cur, [src], text_hash)

    def _upsert_sources(self, cur: Any, sources: Iterable[Source], text_hash: str | None) -> None:
        """Insert sources; a known source keeps its values and gains missing ones."""
        now = _now()
        upsert_rows(
            cur,
            self.backend,
            "sources",
            STORE_TABLES["sources"],
            [
                (s.source_id, s.publisher, s.url, s.published, s.title, s.file, text_hash, now)
                for s in sources
            ],
            "(source_id) DO UPDATE SET "
            + ", ".join(
                f"{c} = CASE WHEN sources.{c} = '' THEN excluded.{c} ELSE sources.{c} END"
                for c in ("publisher", "url", "published", "title")
            )
            + ", text_sha256 = coalesce(sources.text_sha256, excluded.text_sha256)",
            keys=1,
        )

    def _assert(
        self,
        cur: Any,
        incs: Sequence[Incident],
        into: str | None = None,
        *,
        claims: Sequence[str] | None = None,
    ) -> None:
        """Keep what each incident's sources said (``claims``: its JSON, when known)."""
        if claims is None:
            claims = [_dumps(_claims(inc)) for inc in incs]
        rows = [
            (into or inc.incident_id, src.source_id, said)
            for inc, said in zip(incs, claims, strict=True)
            for src in inc.sources
        ]
        upsert_rows(
            cur,
            self.backend,
            "assertions",
            STORE_TABLES["assertions"],
            rows,
            "(incident_id, source_id) DO UPDATE SET claims = excluded.claims",
            keys=2,
        )

    def _history(
        self, cur: Any, action: str, ident: str, source_id: str, user: str, detail: Any
    ) -> None:
        cur.execute(
            "INSERT INTO history (at, action, incident_id, source_id, user_name, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (_now(), action, ident, source_id, user, _dumps(detail)),
        )


_by_event_date = operator.itemgetter(1)


_by_primary_key = operator.itemgetter(0, 1)


def open_store(
    url: str | None = None,
    settings: Settings | None = None,
    *,
    migrate: bool = True,
    provinces: ProvinceLookup | None = None,
) -> Store:
    """Open (and by default create or upgrade) the incident store.

    Parameters
    ----------
    url : str, optional
        ``sqlite:///path/file.db`` or ``postgresql://user@host:port/db`` (PostGIS
        must be installed on the server); default ``settings.database_url``
        (``GEO_DATABASE_URL``).
    settings : Settings, optional
        Defaults to :func:`geo.settings.get_settings`.
    migrate : bool
        Apply missing schema migrations on open.
    provinces : mapping, optional
        Province spellings for the province filter (``geo.boundaries.provinces(settings)``):
        with them "Hilmand" finds incidents stored under "Helmand" through the ISO code;
        without them names match stored names and ISO codes only.  The store itself
        never reads boundary files.

    Raises
    ------
    SettingError
        A URL that is neither ``sqlite:///…`` nor ``postgresql://…``, or psycopg missing.
    DataFileError
        The file cannot be opened as a SQLite database, the server cannot be
        reached, or the schema cannot be created (e.g. no PostGIS).
    """
    url = url or (settings or get_settings()).database_url
    if _pg.is_pg_url(url):
        label = _pg.redact(url)
        store = Store(_pg.connect(url), url, label, "postgresql", provinces)
        errors: tuple[type[Exception], ...] = _pg_errors()
    else:
        path = _sqlite_path(url)
        store = Store(_connect(path), url, path, "sqlite", provinces)
        errors = (sqlite3.DatabaseError,)
    if migrate:
        try:
            store.migrate()
        except errors as exc:
            store.close()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DataFileError(
                store.path, f"not a usable incident database ({first})", "Check GEO_DATABASE_URL"
            ) from None
    return store
