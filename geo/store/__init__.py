"""The incident store: an embedded SQLite file by default, one interface for all backends.

The store keeps incidents, the articles that report them (``sources``), which
article reports which incident (``incident_sources``), what each article said
about each incident (``assertions``) and every create, edit, merge and delete
(``history``).  The schema is versioned (:data:`MIGRATIONS`) and upgraded in place.

Writes are one transaction each (``BEGIN IMMEDIATE``), so a crash leaves the
database as it was before the article or batch being written; WAL mode and a
busy timeout let two processes write at once without losing anything.  A new
report of a stored incident is merged by the one set of rules of :mod:`geo.merge`.

Every incident row also keeps its list fields (actors, sources, evidence …) as
JSON, so ``Incident -> store -> Incident`` is lossless; the child tables
(``incident_actors``, ``incident_sources``) exist so that filters can use indexes.
SQL stays portable (``?`` parameters, ``ON CONFLICT``, expression indexes): a
``postgresql://`` URL opens the same store on PostgreSQL + PostGIS
(:mod:`geo.store._pg`), with a ``geometry(Point, 4326)`` column under a GiST index
for bounding boxes and an advisory lock that serialises writers as ``BEGIN
IMMEDIATE`` does in SQLite.  :func:`copy_store` moves a whole dataset between the
two, checked by counts and a content hash (:func:`content_digest`).

Modules: :mod:`~geo.store.schema` (migrations, tables), :mod:`~geo.store.rows`
(incident <-> row, the one column list), :mod:`~geo.store.query` (filters -> SQL,
rows -> frame), :mod:`~geo.store.connection` (connections, transactions),
:mod:`~geo.store.core` (:class:`Store`, :func:`open_store`), :mod:`~geo.store.results`,
:mod:`~geo.store.copy`, :mod:`~geo.store._pg` (the PostgreSQL adapter).  The store
imports :mod:`geo.incidents` and the pure rules of :mod:`geo.merge`, never the
stages that read articles or boundary files.
"""

from __future__ import annotations

from geo.store.copy import CopyReport, content_digest, copy_store
from geo.store.core import Store, open_store
from geo.store.query import build_where
from geo.store.results import HistoryEntry, IngestSummary
from geo.store.rows import normalise_actor, normalise_text, source_id_for_text
from geo.store.schema import MIGRATIONS, SCHEMA_VERSION, STORE_TABLES

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STORE_TABLES",
    "CopyReport",
    "HistoryEntry",
    "IngestSummary",
    "Store",
    "build_where",
    "content_digest",
    "copy_store",
    "normalise_actor",
    "normalise_text",
    "open_store",
    "source_id_for_text",
]
