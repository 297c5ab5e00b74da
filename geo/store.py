"""The incident store: an embedded SQLite file by default, one interface for all backends.

The store keeps incidents, the articles that report them (``sources``), which
article reports which incident (``incident_sources``), what each article said
about each incident (``assertions``) and every create, edit, merge and delete
(``history``).  The schema is versioned (:data:`MIGRATIONS`) and upgraded in place.

Writes are one transaction each (``BEGIN IMMEDIATE``), so a crash leaves the
database as it was before the article or batch being written; WAL mode and a
busy timeout let two processes write at once without losing anything.

Every incident row also keeps its list fields (actors, sources, evidence …) as
JSON, so ``Incident -> store -> Incident`` is lossless; the child tables
(``incident_actors``, ``incident_sources``) exist so that filters can use indexes.
SQL stays portable (``?`` parameters, ``ON CONFLICT``, expression indexes): a
``postgresql://`` URL opens the same store on PostgreSQL + PostGIS (:mod:`geo._pg`),
with a ``geometry(Point, 4326)`` column under a GiST index for bounding boxes and
an advisory lock that serialises writers as ``BEGIN IMMEDIATE`` does in SQLite.
:func:`copy_store` moves a whole dataset between the two, checked by counts and
a content hash (:func:`content_digest`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import marshal
import math
import operator
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import _pg
from geo._errors import DataFileError, GeoError, IncidentValidationError, SettingError
from geo._gc import collector_paused
from geo.incidents import (
    CLAIM_STATUSES,
    DATE_PRECISIONS,
    EVENT_TYPES,
    GEO_PRECISIONS,
    Evidence,
    Incident,
    Place,
    Source,
    incidents_to_frame,
    load_incidents,
)
from geo.settings import Settings, get_settings

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STORE_TABLES",
    "CopyReport",
    "HistoryEntry",
    "IngestSummary",
    "Store",
    "build_where",
    "check_incident",
    "combine",
    "content_digest",
    "copy_store",
    "merge_into",
    "normalise_actor",
    "normalise_text",
    "open_store",
    "source_id_for_text",
]

BUSY_TIMEOUT_MS = 30_000
_PG_ANALYZE_AFTER = 2_000  # PostgreSQL: refresh statistics after a batch this large
CACHE_KIB = -65_536  # negative: KiB, i.e. a 64 MB page cache per connection
#: Page size of a new SQLite store (an existing file keeps its own).  Incident rows
#: are wide (~1 KB with their JSON and search text): 16 KiB pages save about a sixth
#: of the bulk-insert time (fewer page splits and WAL frames); every benchmark query
#: stays under 0.3 s at 1M incidents (docs/SCALING.md).
PAGE_SIZE = 16_384
_SOURCE_META = ("publisher", "url", "published", "title", "file")
_PLACE_KEYS = ("name", "lat", "lon", "country_iso2", "admin1", "admin1_iso", "geo_precision")

# --------------------------------------------------------------------------- schema

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
#: A version may also have a Python step (:data:`_MIGRATION_STEPS`), run after its SQL.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "incidents, actors, sources, incident_sources, assertions, history", _V1),
    (2, "incident_actors.event_date with an (actor, date) index", _V2),
    (3, "incidents.content_hash recomputed as BLAKE2b of the marshalled row", ()),
    (4, "cross-border index holds only cross-border incidents (partial)", _V4),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]

# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def normalise_text(text: str) -> str:
    """Unicode NFC, whitespace collapsed, stripped: the form an article is hashed in."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def source_id_for_text(text: str) -> str:
    """Source id of an article: the SHA-256 (hex) of its normalised text.

    Parameters
    ----------
    text : str
        The article text as read; whitespace and Unicode composition do not matter.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=65_536)
def normalise_actor(name: str) -> str:
    """Case-folded, accent- and punctuation-insensitive key used by the actor filter."""
    folded = unicodedata.normalize("NFKD", name).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


_ENCODER = json.JSONEncoder(ensure_ascii=False)
_esc: Callable[[str], str] = json.encoder.encode_basestring
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
#: The C encoder behind ``_ENCODER`` made once (no circular-reference check: rows are
#: flat), so encoding one small value costs no per-call set-up.  Same output.
_C_ENCODE: Any = (
    _c_make_encoder(None, _ENCODER.default, _esc, None, ": ", ", ", False, False, True)
    if _c_make_encoder is not None
    else None
)


def _dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``, reusing one encoder (bulk inserts)."""
    if _C_ENCODE is None:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


def _json_strings(values: Sequence[str]) -> str:
    """``_dumps(list(values))``: strings escaped one by one, anything else by the encoder."""
    if not values:
        return "[]"
    try:
        return "[" + ", ".join(map(_esc, values)) + "]"
    except TypeError:  # not all strings
        return _dumps(list(values))


_SOURCE_FIELDS = tuple(f.name for f in fields(Source))
_EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))


def _source_json(s: Source) -> str:
    """``_dumps(vars(s))`` for the usual source (six strings), written out directly."""
    if tuple(vars(s)) != _SOURCE_FIELDS:
        return _dumps(vars(s))
    try:
        return (
            f'{{"source_id": {_esc(s.source_id)}, "publisher": {_esc(s.publisher)}, '
            f'"url": {_esc(s.url)}, "published": {_esc(s.published)}, '
            f'"title": {_esc(s.title)}, "file": {_esc(s.file)}}}'
        )
    except TypeError:  # a field that is not a string
        return _dumps(vars(s))


def _evidence_json(e: Evidence) -> str:
    """``_dumps(vars(e))`` for the usual evidence (three strings, two ints), written out."""
    start, end = e.start, e.end
    if tuple(vars(e)) != _EVIDENCE_FIELDS or type(start) is not int or type(end) is not int:
        return _dumps(vars(e))
    try:
        return (
            f'{{"field": {_esc(e.field)}, "text": {_esc(e.text)}, '
            f'"source_id": {_esc(e.source_id)}, "start": {start}, "end": {end}}}'
        )
    except TypeError:
        return _dumps(vars(e))


def _record_json(record: Any) -> str:
    """``_dumps(vars(record))``; sources and evidence through their written-out forms."""
    if type(record) is Source:
        return _source_json(record)
    if type(record) is Evidence:
        return _evidence_json(record)
    return _dumps(vars(record))


def _json_records(records: Sequence[Any]) -> str:
    """``_dumps([vars(r) for r in records])`` for flat dataclasses (sources, evidence).

    The bulk-insert hot path: sources and evidence are written out field by field
    (a third of the encoder's time); anything unusual goes to the encoder.
    """
    if not records:
        return "[]"
    return "[" + ", ".join([_record_json(r) for r in records]) + "]"


#: A missing value in a row written to SQLite.  ``sqlite3`` binds ``None`` through its
#: adapter look-up (about 300 ns a value, several times an int's), while SQLite stores
#: a bound NaN as NULL; so bulk rows carry this NaN, never ``None``, and are stored
#: exactly as before.  PostgreSQL rows get ``None`` back (:func:`_pg_row`).
_NULL = float("nan")
_NULL_PLACE = (_NULL,) * len(_PLACE_KEYS)


def _opt_int(value: Any) -> int | float:
    """``int(value)``, or :data:`_NULL` for ``None`` and NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _NULL
    return int(value)


def _opt_float(value: Any) -> Any:
    """``float(value)`` (as a REAL column returns it), or :data:`_NULL` for ``None``.

    A value that is not a number stays as it is (SQLite would store it as given).
    """
    if value is None:
        return _NULL
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _opt(value: Any) -> Any:
    """``value``, or :data:`_NULL` for ``None``."""
    return _NULL if value is None else value


def _place_cols(place: Place | None) -> tuple[Any, ...]:
    """The seven columns of an origin or target (:data:`_PLACE_KEYS` order)."""
    if place is None:
        return _NULL_PLACE
    return (
        _opt(place.name),
        _opt_float(place.lat),
        _opt_float(place.lon),
        _opt(place.country_iso2),
        _opt(place.admin1),
        _opt(place.admin1_iso),
        _opt(place.geo_precision),
    )


def _pg_row(row: Sequence[Any]) -> tuple[Any, ...]:
    """A row for PostgreSQL: :data:`_NULL` back to ``None`` (a NaN there is a number)."""
    return tuple(None if v is _NULL else v for v in row)


def _publishers(sources: Sequence[Source]) -> str:
    """Distinct publishers of the sources, sorted, joined by ``"; "``."""
    if len(sources) == 1:
        return sources[0].publisher or ""
    return "; ".join(sorted({s.publisher for s in sources if s.publisher}))


def _search_text(inc: Incident) -> str:
    parts = [
        inc.location_name,
        inc.admin1,
        inc.admin2,
        inc.sub_event_type,
        inc.notes,
        *inc.actors,
        *inc.claimed_by,
        *inc.denied_by,
        inc.origin.name if inc.origin else "",
        inc.target.name if inc.target else "",
        *[s.publisher for s in inc.sources],
        *[s.title for s in inc.sources],
    ]
    return " | ".join([p for p in parts if p]).casefold()


#: Columns of ``incidents`` written by :func:`_incident_row`, in order.
_ROW_COLUMNS = (
    "incident_id",
    "event_date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "location_name",
    "lat",
    "lon",
    "geo_precision",
    "country_iso2",
    "admin1",
    "admin1_iso",
    "admin2",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "captured",
    "claim_status",
    "actors",
    "claimed_by",
    "denied_by",
    *(f"origin_{k}" for k in _PLACE_KEYS),
    *(f"target_{k}" for k in _PLACE_KEYS),
    "cross_border",
    "sources",
    "evidence",
    "confidence",
    "notes",
    "actors_text",
    "publishers",
    "source_count",
    "search_text",
    "content_hash",
)


def _incident_row(inc: Incident) -> tuple[Any, ...]:
    """The ``incidents`` row of one incident (without timestamps), hash last.

    Missing values are :data:`_NULL`; REAL columns hold floats, as read back.
    """
    body = (
        inc.incident_id,
        inc.event_date.isoformat(),
        inc.date_precision,
        inc.event_type,
        inc.sub_event_type,
        inc.location_name,
        _opt_float(inc.lat),
        _opt_float(inc.lon),
        inc.geo_precision,
        inc.country_iso2,
        inc.admin1,
        inc.admin1_iso,
        inc.admin2,
        _opt_int(inc.fatalities_best),
        _opt_int(inc.fatalities_low),
        _opt_int(inc.fatalities_high),
        _opt_int(inc.wounded),
        _opt_int(inc.captured),
        inc.claim_status,
        _json_strings(inc.actors),
        _json_strings(inc.claimed_by),
        _json_strings(inc.denied_by),
        *_place_cols(inc.origin),
        *_place_cols(inc.target),
        int(inc.cross_border),
        _json_records(inc.sources),
        _json_records(inc.evidence),
        float(inc.confidence),
        inc.notes,
        "; ".join(inc.actors),
        _publishers(inc.sources),
        len(inc.sources),
        _search_text(inc),
    )
    return (*body, _row_hash(body))


#: Columns covered by ``content_hash``: all but the four derived from others
#: (actors_text, publishers, source_count, search_text) and the hash itself.
_HASHED = len(_ROW_COLUMNS) - 5
#: ``marshal`` format 2: no object references (so the bytes do not depend on which
#: values share an object), strings as UTF-8, floats as their 8 IEEE bytes.
_MARSHAL_VERSION = 2


def _row_hash(row: Sequence[Any]) -> str:
    """``content_hash`` of an ``incidents`` row: BLAKE2b-160 (hex) of its values.

    The values are encoded by :mod:`marshal` (format 2): typed and length-prefixed,
    so distinct rows never share an encoding (``None``/NaN, ``5``/``"5"``, where one
    text ends and the next begins), at a third of the cost of ``repr``.  A value
    marshal cannot encode (a ``str`` or ``float`` subclass, say) makes the row fall
    back to ``repr``, marked so the two encodings never meet.  REAL columns hold
    floats and missing values :data:`_NULL`, as :func:`_rehash_incidents` finds them
    when it recomputes the hash from a stored row (schema version 3; before it,
    SHA-1 of ``repr``).  ``test_content_hash_is_pinned`` fails if a Python release
    changes the encoding: the fix is a migration that recomputes stored hashes.
    """
    values = tuple(row[:_HASHED])
    try:
        data = marshal.dumps(values, _MARSHAL_VERSION)
    except ValueError:
        data = b"repr:" + repr(values).encode("utf-8", "backslashreplace")
    return hashlib.blake2b(data, digest_size=20).hexdigest()


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
_MIGRATION_STEPS: dict[int, Callable[[Any], None]] = {3: _rehash_incidents}


def _place_from_row(row: Mapping[str, Any], end: str) -> Place | None:
    if row[f"{end}_name"] is None:
        return None
    return Place(**{k: row[f"{end}_{k}"] for k in _PLACE_KEYS})


def _incident_from_row(row: Mapping[str, Any]) -> Incident:
    return Incident(
        incident_id=row["incident_id"],
        event_date=date.fromisoformat(row["event_date"]),
        location_name=row["location_name"],
        lat=row["lat"],
        lon=row["lon"],
        date_precision=row["date_precision"],
        event_type=row["event_type"],
        sub_event_type=row["sub_event_type"],
        actors=json.loads(row["actors"]),
        geo_precision=row["geo_precision"],
        country_iso2=row["country_iso2"],
        admin1=row["admin1"],
        admin1_iso=row["admin1_iso"],
        admin2=row["admin2"],
        fatalities_best=row["fatalities_best"],
        fatalities_low=row["fatalities_low"],
        fatalities_high=row["fatalities_high"],
        wounded=row["wounded"],
        captured=row["captured"],
        claim_status=row["claim_status"],
        claimed_by=json.loads(row["claimed_by"]),
        denied_by=json.loads(row["denied_by"]),
        origin=_place_from_row(row, "origin"),
        target=_place_from_row(row, "target"),
        sources=[Source(**s) for s in json.loads(row["sources"])],
        evidence=[Evidence(**e) for e in json.loads(row["evidence"])],
        confidence=row["confidence"],
        notes=row["notes"],
    )


def _plainly_valid(inc: Incident) -> bool:
    """True for the usual record that passes every check of :func:`check_incident`.

    One expression instead of building messages; ``False`` only means "look closer".
    """
    lat, lon = inc.lat, inc.lon
    low, best, high = inc.fatalities_low, inc.fatalities_best, inc.fatalities_high
    return bool(
        inc.incident_id
        and isinstance(inc.event_date, date)
        and inc.event_type in EVENT_TYPES
        and inc.date_precision in DATE_PRECISIONS
        and inc.geo_precision in GEO_PRECISIONS
        and inc.claim_status in CLAIM_STATUSES
        and lat is not None
        and lon is not None
        and -90 <= lat <= 90
        and -180 <= lon <= 180
        and (low is None or low >= 0)
        and (best is None or best >= 0)
        and (high is None or high >= 0)
    )


def check_incident(inc: Incident) -> list[str]:
    """Fast per-record form of the data contract; returns problems (empty when valid)."""
    if type(inc) is Incident and _plainly_valid(inc):
        return []
    ident = getattr(inc, "incident_id", "?")
    if not isinstance(inc, Incident):
        return [f"not an Incident: {type(inc).__name__}"]
    problems = []
    if not inc.incident_id:
        problems.append("empty incident_id")
    if not isinstance(inc.event_date, date):
        problems.append(f"event_date {inc.event_date!r} is not a date")
    for name, allowed in (
        ("event_type", EVENT_TYPES),
        ("date_precision", DATE_PRECISIONS),
        ("geo_precision", GEO_PRECISIONS),
        ("claim_status", CLAIM_STATUSES),
    ):
        if getattr(inc, name) not in allowed:
            problems.append(f"{name}={getattr(inc, name)!r} is not one of {sorted(allowed)}")
    if inc.lat is None or inc.lon is None:
        if inc.geo_precision != "country":
            problems.append(f"no coordinates (geo_precision {inc.geo_precision!r})")
    elif not (-90 <= inc.lat <= 90 and -180 <= inc.lon <= 180):
        problems.append(f"coordinates out of range ({inc.lat}, {inc.lon})")
    nums = [
        v for v in (inc.fatalities_low, inc.fatalities_best, inc.fatalities_high) if v is not None
    ]
    if any(v < 0 for v in nums):
        problems.append(f"negative fatalities {nums}")
    return [f"incident {ident}: {p}" for p in problems]


# --------------------------------------------------------------------------- merging

_CLAIM_RANK = {
    s: i
    for i, s in enumerate(("reported", "unconfirmed", "denied", "disputed", "claimed", "confirmed"))
}
_GEO_RANK = {p: i for i, p in enumerate(GEO_PRECISIONS)}
_DATE_RANK = {p: i for i, p in enumerate(DATE_PRECISIONS)}


def _union(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    out = list(a)
    out += [x for x in b if x not in out]
    return out


def _merge_claim(old: str, new: str) -> str:
    pair = {old, new}
    if "denied" in pair and pair & {"claimed", "confirmed"}:
        return "disputed"
    return max(pair, key=lambda s: _CLAIM_RANK.get(s, 0))


def _merge_range(old: Incident, new: Incident) -> dict[str, Any]:
    def pick(values: Iterable[int | None], fn: Any) -> int | None:
        known = [v for v in values if v is not None]
        return fn(known) if known else None

    return {
        "fatalities_best": pick((old.fatalities_best, new.fatalities_best), min),
        "fatalities_low": pick((old.fatalities_low, new.fatalities_low), min),
        "fatalities_high": pick((old.fatalities_high, new.fatalities_high), max),
        "wounded": pick((old.wounded, new.wounded), max),
        "captured": pick((old.captured, new.captured), max),
    }


def merge_into(old: Incident, new: Incident) -> Incident:
    """Combine a stored incident with a new report of the same incident.

    Rules: sources, evidence, actors, claimed_by and denied_by are unions (stored
    order first); the finer location (with its coordinates and provinces) and the
    finer date win, ties keep the stored value; fatalities take the smallest
    best and low (conservative, as :mod:`geo.merge` and ACLED do) and the largest
    high; a claim against a denial becomes ``disputed``, otherwise the stronger
    status wins; empty text fields are filled in.
    """
    merged = replace(
        old,
        actors=_union(old.actors, new.actors),
        claimed_by=_union(old.claimed_by, new.claimed_by),
        denied_by=_union(old.denied_by, new.denied_by),
        sources=old.sources
        + [s for s in new.sources if s.source_id not in {x.source_id for x in old.sources}],
        evidence=_union(old.evidence, new.evidence),
        claim_status=_merge_claim(old.claim_status, new.claim_status),
        confidence=max(old.confidence, new.confidence),
        **_merge_range(old, new),
    )
    if (
        _GEO_RANK.get(new.geo_precision, 9) < _GEO_RANK.get(old.geo_precision, 9)
        and new.lat is not None
    ):
        for key in (
            "location_name",
            "lat",
            "lon",
            "geo_precision",
            "country_iso2",
            "admin1",
            "admin1_iso",
            "admin2",
        ):
            setattr(merged, key, getattr(new, key))
    if _DATE_RANK.get(new.date_precision, 9) < _DATE_RANK.get(old.date_precision, 9):
        merged.event_date, merged.date_precision = new.event_date, new.date_precision
    for key in ("sub_event_type", "admin1", "admin1_iso", "admin2", "country_iso2", "notes"):
        if not getattr(merged, key) and getattr(new, key):
            setattr(merged, key, getattr(new, key))
    merged.origin = merged.origin or new.origin
    merged.target = merged.target or new.target
    return merged


def _claims(inc: Incident) -> dict[str, Any]:
    """The figures and claims one report makes (stored per source in ``assertions``)."""
    return {
        "event_date": inc.event_date.isoformat(),
        "date_precision": inc.date_precision,
        "location_name": inc.location_name,
        "event_type": inc.event_type,
        "fatalities_best": inc.fatalities_best,
        "fatalities_low": inc.fatalities_low,
        "fatalities_high": inc.fatalities_high,
        "wounded": inc.wounded,
        "captured": inc.captured,
        "claim_status": inc.claim_status,
        "claimed_by": list(inc.claimed_by),
        "denied_by": list(inc.denied_by),
        "actors": list(inc.actors),
    }


_EVENT_DATE, _ACTORS, _CLAIMED_BY, _DENIED_BY = (
    _ROW_COLUMNS.index(c) for c in ("event_date", "actors", "claimed_by", "denied_by")
)


def _claims_json(inc: Incident, row: Sequence[Any]) -> str:
    """``_dumps(_claims(inc))``, reusing the JSON lists of the incident's ``row``.

    The bulk-insert form: figures that are not plain ints or ``None`` (a float, a
    bool), or text fields that are not strings, go to the encoder as before.
    """
    figures = []
    for value in (
        inc.fatalities_best, inc.fatalities_low, inc.fatalities_high, inc.wounded, inc.captured
    ):  # fmt: skip
        if value is None:
            figures.append("null")
        elif type(value) is int:
            figures.append(str(value))
        else:
            return _dumps(_claims(inc))
    best, low, high, wounded, captured = figures
    try:
        return (
            f'{{"event_date": "{row[_EVENT_DATE]}", "date_precision": {_esc(inc.date_precision)}, '
            f'"location_name": {_esc(inc.location_name)}, "event_type": {_esc(inc.event_type)}, '
            f'"fatalities_best": {best}, "fatalities_low": {low}, "fatalities_high": {high}, '
            f'"wounded": {wounded}, "captured": {captured}, '
            f'"claim_status": {_esc(inc.claim_status)}, "claimed_by": {row[_CLAIMED_BY]}, '
            f'"denied_by": {row[_DENIED_BY]}, "actors": {row[_ACTORS]}}}'
        )
    except TypeError:  # a text field that is not a string
        return _dumps(_claims(inc))


def _source_ids(inc: Incident) -> str:
    """The incident's source ids, comma-separated (``history.source_id`` of a create)."""
    sources = inc.sources
    if len(sources) == 1:
        return sources[0].source_id
    return ",".join(s.source_id for s in sources)


def _sql_literal(text: str) -> str:
    """``text`` as an SQL string literal (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def _actor_rows(inc: Incident) -> list[tuple[Any, ...]]:
    """The ``incident_actors`` rows of one incident (position, name, key, date)."""
    ident, day = inc.incident_id, inc.event_date.isoformat()
    return [(ident, i, a, normalise_actor(a), day) for i, a in enumerate(inc.actors)]


def _changed_fields(old: Incident, new: Incident) -> dict[str, list[Any]]:
    diff = {}
    for f in fields(Incident):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a != b:
            diff[f.name] = [_jsonable(a), _jsonable(b)]
    return diff


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return dict(vars(value))
    return value


def _same_event(a: Incident, b: Incident) -> bool:
    """:func:`geo.merge.same_event` when available, else a close fallback."""
    try:
        from geo.merge import same_event
    except ImportError:
        near = abs((a.event_date - b.event_date).days) <= 1
        return near and a.event_type == b.event_type and _same_place(a, b)
    return bool(same_event(a, b))


def combine(old: Incident, new: Incident) -> Incident:
    """Merge a new report into a stored incident, keeping the stored id.

    Uses the cross-article rules of :func:`geo.merge.merge_incidents` when the two
    are the same event by :func:`geo.merge.same_event`; otherwise (same id, e.g. an
    article re-extracted, or the merge module unavailable) :func:`merge_into`.
    """
    try:
        from geo.merge import merge_incidents
    except ImportError:
        return merge_into(old, new)
    if _same_event(old, new):
        merged = merge_incidents([old, new])
        if len(merged) == 1:
            return replace(merged[0], incident_id=old.incident_id)
    return merge_into(old, new)


def _same_place(a: Incident, b: Incident) -> bool:
    if normalise_actor(a.location_name) == normalise_actor(b.location_name) and a.location_name:
        return True
    if None in (a.lat, a.lon, b.lat, b.lon):
        return False
    dy = (a.lat - b.lat) * 111.0  # type: ignore[operator]
    dx = (a.lon - b.lon) * 111.0 * math.cos(math.radians(a.lat))  # type: ignore[operator, arg-type]
    return math.hypot(dx, dy) <= 10.0


# --------------------------------------------------------------------------- results


@dataclass
class IngestSummary:
    """What a write did: counts plus one line per problem (each names its input)."""

    new: int = 0
    merged: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    articles_new: int = 0
    articles_seen: int = 0
    problems: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    incident_ids: list[str] = field(default_factory=list)

    def add(self, other: IngestSummary) -> IngestSummary:
        """Add ``other``'s counts and lists to this summary (in place) and return it."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    def as_text(self, max_lines: int = 20) -> str:
        """Human summary: one line of counts, then problems and unresolved places."""
        lines = [
            f"new {self.new}, merged {self.merged}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {self.skipped}"
            + (
                f"; articles new {self.articles_new}, already stored {self.articles_seen}"
                if self.articles_new or self.articles_seen
                else ""
            )
        ]
        for title, items in (("problems", self.problems), ("unresolved places", self.unresolved)):
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines += [f"  - {p}" for p in items[:max_lines]]
                if len(items) > max_lines:
                    lines.append(f"  … and {len(items) - max_lines} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the audit trail."""

    history_id: int
    at: str
    action: str  # create | merge | update | edit | delete
    incident_id: str
    source_id: str
    user: str
    detail: dict[str, Any]


# --------------------------------------------------------------------------- query building


def _tuple(value: Any) -> tuple[Any, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _date_param(value: Any, name: str) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise IncidentValidationError(
            [f"filter {name}={value!r} is not a date (expected YYYY-MM-DD)"], "filters"
        ) from None


@functools.lru_cache(maxsize=4)
def _province_spellings(settings: Settings) -> dict[str, tuple[str, str, str]]:
    """:func:`geo.boundaries.province_lookup` when the boundaries are on disk, else ``{}``.

    Never downloads: without ``GEO_BOUNDARIES_DIR`` (or with an unreadable file)
    the province filter falls back to matching stored names and ISO codes.
    """
    folder = settings.boundaries_dir
    if folder is None or not (Path(folder) / "admin1.gpkg").is_file():
        return {}
    try:
        from geo.boundaries import province_lookup

        return province_lookup(settings)
    except (GeoError, ImportError, OSError, ValueError):
        return {}


def _province_clause(provinces: Sequence[str]) -> tuple[str, list[Any]]:
    """Provinces by ISO 3166-2 code or any spelling (English, Natural Earth, alternates)."""
    codes = [p.upper() for p in provinces if re.fullmatch(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}", p)]
    names = [p.casefold() for p in provinces if p.upper() not in codes]
    if names:
        try:
            spellings = _province_spellings(get_settings())
        except SettingError:
            spellings = {}
        for key in list(names):
            name, iso, _country = spellings.get(key, ("", "", ""))
            if iso and iso.upper() not in codes:
                codes.append(iso.upper())
            if name and name.casefold() not in names:
                names.append(name.casefold())
    parts, params = [], []
    if codes:
        sql, ps = _in("admin1_iso", codes)
        parts.append(sql)
        params += ps
    if names:
        sql, ps = _in("lower(admin1)", names)
        parts.append(sql)
        params += ps
    return "(" + " OR ".join(parts) + ")", params


def _narrow_dates(date_from: Any, date_to: Any) -> bool:
    """True when both ends are given and at most a year apart."""
    if not (date_from and date_to):
        return False
    first = date.fromisoformat(_date_param(date_from, "date_from"))
    last = date.fromisoformat(_date_param(date_to, "date_to"))
    return (last - first).days <= 366


def _bbox_clause(
    bbox: Sequence[float], backend: str = "sqlite", narrow_dates: bool = False
) -> tuple[str, list[Any]]:
    """Bounding box W, S, E, N (``W > E`` crosses 180°).

    SQLite cannot estimate range selectivity (no STAT4), so with a date range of a
    year or less the longitude index is hidden (``+lon``) and the date index is
    used: a country-sized box holds far more rows than a month does.  PostGIS
    uses its GiST index and the planner's own estimates.
    """
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise IncidentValidationError(
            [f"filter bbox={bbox!r} is not four numbers W,S,E,N"], "filters"
        ) from None
    if backend == "postgresql":
        return _pg.bbox_clause(west, south, east, north)
    lat = "lat BETWEEN ? AND ?"
    lon = "+lon" if narrow_dates else "lon"
    if west <= east:
        return f"({lon} BETWEEN ? AND ? AND {lat})", [west, east, south, north]
    return f"(({lon} >= ? OR {lon} <= ?) AND {lat})", [west, east, south, north]


def build_where(filters: Any) -> tuple[str, list[Any]]:
    """Translate a filter object into a parameterised SQL ``WHERE`` clause.

    Parameters
    ----------
    filters : object or None
        Anything with (some of) the attributes of ``geo.filters.Filters``:
        ``date_from``, ``date_to``, ``countries``, ``provinces``, ``event_types``,
        ``actors``, ``claim_statuses``, ``cross_border``, ``min_fatalities``,
        ``bbox`` (W, S, E, N) and ``text``.  Missing attributes mean "no filter".

    Returns
    -------
    tuple of (str, list)
        The clause (``"1=1"`` when nothing is filtered) and its parameters.
        User values only ever travel as parameters.  Province names are matched in
        every spelling :func:`geo.boundaries.province_lookup` knows (Natural Earth
        "Hilmand" finds "Helmand") through their ISO 3166-2 code.
    """
    return _build_where(filters, "sqlite")


def _build_where(filters: Any, backend: str) -> tuple[str, list[Any]]:
    """:func:`build_where` for one backend (bounding boxes differ: PostGIS uses GiST)."""
    clauses: list[str] = []
    params: list[Any] = []

    def add(sql: str, ps: Sequence[Any] = ()) -> None:
        clauses.append(sql)
        params.extend(ps)

    def get(name: str) -> Any:
        return getattr(filters, name, None) if filters is not None else None

    if get("date_from"):
        add("event_date >= ?", [_date_param(get("date_from"), "date_from")])
    if get("date_to"):
        add("event_date <= ?", [_date_param(get("date_to"), "date_to")])
    if countries := _tuple(get("countries")):
        add(*_in("country_iso2", [c.upper() for c in countries]))
    if provinces := _tuple(get("provinces")):
        add(*_province_clause(provinces))
    if event_types := _tuple(get("event_types")):
        add(*_in("event_type", event_types))
    if claims := _tuple(get("claim_statuses")):
        add(*_in("claim_status", claims))
    if actors := _tuple(get("actors")):
        sql, ps = _in("a.actor_norm", [normalise_actor(a) for a in actors])
        for name, op in (("date_from", ">="), ("date_to", "<=")):
            if get(name):
                sql += f" AND a.event_date {op} ?"
                ps.append(_date_param(get(name), name))
        add(f"incident_id IN (SELECT a.incident_id FROM incident_actors a WHERE {sql})", ps)
    if get("cross_border"):
        add("cross_border = 1")  # a literal: the partial index ix_incidents_cross_only needs it
    if get("min_fatalities") is not None:
        add("fatalities_best >= ?", [int(get("min_fatalities"))])
    if get("bbox"):
        add(*_bbox_clause(get("bbox"), backend, _narrow_dates(get("date_from"), get("date_to"))))
    for word in str(get("text") or "").casefold().split():
        add("search_text LIKE ? ESCAPE '\\'", [f"%{_like_escape(word)}%"])
    return (" AND ".join(clauses) or "1=1"), params


# --------------------------------------------------------------------------- frame building

_FRAME_SELECT = (
    "incident_id",
    "event_date",
    "location_name",
    "lat",
    "lon",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actors_text",
    "geo_precision",
    "country_iso2",
    "admin1",
    "admin1_iso",
    "admin2",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
    "wounded",
    "captured",
    "claim_status",
    "claimed_by",
    "denied_by",
    "origin_name",
    "target_name",
    "sources",
    "evidence",
    "confidence",
    "notes",
    "cross_border",
    *(
        f"{end}_{k}"
        for end in ("origin", "target")
        for k in ("lat", "lon", "country_iso2", "admin1", "admin1_iso")
    ),
    "publishers",
    "source_count",
)


@functools.cache
def _frame_template() -> tuple[list[str], Any]:
    """Column order and ``event_date`` dtype of :func:`incidents_to_frame`."""
    sample = incidents_to_frame([Incident("x", date(2000, 1, 1), "x", 0.0, 0.0)])
    return [c for c in sample.columns if c != "geometry"], sample["event_date"].dtype


def _join_json_lists(series: pd.Series) -> pd.Series:
    lookup = {u: "; ".join(json.loads(u)) for u in series.unique()}
    return series.map(lookup)


def _rows_to_frame(rows: list[tuple[Any, ...]]) -> gpd.GeoDataFrame:
    """Rows of :data:`_FRAME_SELECT` → the frame :func:`incidents_to_frame` would build."""
    if not rows:
        return incidents_to_frame([])
    frame = pd.DataFrame.from_records(rows, columns=list(_FRAME_SELECT))
    frame = frame.rename(
        columns={"actors_text": "actors", "origin_name": "origin", "target_name": "target"}
    )
    frame["claimed_by"] = _join_json_lists(frame["claimed_by"])
    frame["denied_by"] = _join_json_lists(frame["denied_by"])
    frame["origin"] = frame["origin"].fillna("")
    frame["target"] = frame["target"].fillna("")
    frame["cross_border"] = frame["cross_border"].astype(bool)
    columns, date_dtype = _frame_template()
    frame["event_date"] = pd.to_datetime(frame["event_date"]).astype(date_dtype)
    frame = frame[columns]
    lon = pd.to_numeric(frame["lon"]).to_numpy(dtype=float)
    lat = pd.to_numeric(frame["lat"]).to_numpy(dtype=float)
    points = gpd.points_from_xy(lon, lat)
    points[np.isnan(lon) | np.isnan(lat)] = None
    return gpd.GeoDataFrame(
        frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326", index=frame.index)
    )


# --------------------------------------------------------------------------- the store


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


class Store:
    """An incident store (SQLite file or PostgreSQL database); see :func:`open_store`.

    Use it as a context manager (``with open_store() as store: ...``) or call
    :meth:`close`.  A store object may be shared between threads; writes are
    serialised by a lock, and between processes by SQLite's write lock or a
    PostgreSQL advisory lock.  ``path`` is the SQLite file, or for PostgreSQL the
    URL with its password redacted; ``backend`` is ``"sqlite"`` or ``"postgresql"``.
    """

    def __init__(self, conn: Any, url: str, path: Path | str, backend: str = "sqlite") -> None:
        self._conn = conn
        self.url = url
        self.path = path
        self.backend = backend
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
        if current > SCHEMA_VERSION:
            raise DataFileError(
                self.path,
                f"database schema version {current} is newer than this program's {SCHEMA_VERSION}",
                "Upgrade geo-incidents",
            )
        for version, description, statements in MIGRATIONS:
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
                if version in _MIGRATION_STEPS:
                    _MIGRATION_STEPS[version](cur)
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
            record (:func:`merge_into`); ``replace`` keeps the new one (imports,
            where the file is the authority).
        match_known : bool
            Also look for a stored incident reporting the same event under another id
            (same country and event type, date within a day, same place or within 10 km)
            and merge into it.
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
        self, incident_id: str, changes: Mapping[str, Any], *, user: str = "system"
    ) -> Incident:
        """Edit fields of one incident (an analyst's correction), recorded in history.

        Raises
        ------
        IncidentValidationError
            Unknown incident, unknown field name, or a value that breaks the contract.
        """
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
            problems = check_incident(new)
            if problems:
                raise IncidentValidationError(problems, f"update {incident_id}")
            diff = _changed_fields(old, new)
            if diff:
                self._replace_row(cur, new)
                self._history(cur, "edit", incident_id, "", user, diff)
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
        where, params = _build_where(filters, self.backend)
        sql = (
            f"SELECT {', '.join(_FRAME_SELECT)} FROM incidents WHERE {where}"
            " ORDER BY event_date DESC, incident_id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, int(limit)]
        return _rows_to_frame(self._conn.execute(sql, params).fetchall())

    def count(self, filters: Any = None) -> int:
        """Number of incidents matching ``filters``."""
        where, params = _build_where(filters, self.backend)
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
            problems = check_incident(inc)
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
            if _same_event(_incident_from_row(row), inc):
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
        new = replace(inc, incident_id=ident) if mode == "replace" else combine(old, inc)
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
        self._insert_rows(cur, "incidents", _ROW_COLUMNS, rows, fixed=stamps)
        incs = [inc for inc, _ in fresh]
        self._children(cur, incs, text_hash=text_hash)
        self._assert(cur, incs, claims=[_claims_json(inc, row) for inc, row in fresh])
        self._insert_rows(
            cur,
            "history",
            ("incident_id", "source_id", "user_name"),
            [(inc.incident_id, _source_ids(inc), user) for inc in incs],
            fixed={"at": now, "action": "create", "detail": "{}"},
        )

    def _insert_rows(
        self,
        cur: Any,
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
        if self.backend == "postgresql":
            tail = tuple(fixed.values())
            full = [(*r, *tail) for r in rows] if tail else rows
            _pg.copy_rows(cur, table, (*cols, *fixed), full)
        elif rows:
            values = ["?"] * len(cols) + [_sql_literal(v) for v in fixed.values()]
            names = ", ".join((*cols, *fixed))
            cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(values)})", rows)

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
        self._insert_rows(cur, "incident_actors", STORE_TABLES["incident_actors"], actor_rows)
        sources = {s.source_id: s for inc in incs for s in inc.sources}
        self._upsert_sources(cur, sources.values(), text_hash)
        links = [
            (inc.incident_id, s.source_id, i) for inc in incs for i, s in enumerate(inc.sources)
        ]
        # DO NOTHING: the first position of a repeated source stands, as row by row
        first = list({r[:2]: r for r in reversed(links)}.values())
        self._upsert_rows(
            cur,
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
        self._upsert_rows(
            cur,
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

    def _upsert_rows(
        self,
        cur: Any,
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
        if self.backend != "postgresql":
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
        cur.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {stage} ON CONFLICT {conflict}"
        )
        cur.execute(f"TRUNCATE {stage}")

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
        self._upsert_rows(
            cur,
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


def _dict_rows(cur: Any, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """Rows of a query as ``{column: value}`` dicts (any DB-API cursor)."""
    cur.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


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


def open_store(
    url: str | None = None, settings: Settings | None = None, *, migrate: bool = True
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
        store = Store(_pg.connect(url), url, label, backend="postgresql")
        errors: tuple[type[Exception], ...] = _pg_errors()
    else:
        path = _sqlite_path(url)
        store = Store(_connect(path), url, path)
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


def _pg_errors() -> tuple[type[Exception], ...]:
    import psycopg

    return (psycopg.Error,)


# --------------------------------------------------------------------------- copy

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
                    dst._insert_rows(out, table, cols, batch)
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
