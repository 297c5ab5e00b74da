"""Incident <-> ``incidents`` row: the one column list, JSON encoding, content hash.

:data:`ROW_COLUMNS` is the one list of the ``incidents`` columns the store writes
(schema version 1 created them in this order; ``test_row_columns_match_the_schema``
checks that).  Everything else derives from it or from :class:`geo.incidents.Incident`'s
fields: the bulk-insert row (:func:`_incident_row`), the record read back
(:func:`_incident_from_row`), the content hash, the copy tool's column list.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

from geo.incidents import Evidence, Incident, Place, Source

_PLACE_KEYS = ("name", "lat", "lon", "country_iso2", "admin1", "admin1_iso", "geo_precision")


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


def _place_from_row(row: Mapping[str, Any], end: str) -> Place | None:
    if row[f"{end}_name"] is None:
        return None
    return Place(**{k: row[f"{end}_{k}"] for k in _PLACE_KEYS})


def _decode_sources(text: str) -> list[Source]:
    return [Source(**s) for s in json.loads(text)]


def _decode_evidence(text: str) -> list[Evidence]:
    return [Evidence(**e) for e in json.loads(text)]


#: How a stored column becomes an :class:`Incident` field (others are stored as they are).
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "event_date": date.fromisoformat,
    "actors": json.loads,
    "claimed_by": json.loads,
    "denied_by": json.loads,
    "sources": _decode_sources,
    "evidence": _decode_evidence,
}
_INCIDENT_FIELDS = tuple(f.name for f in fields(Incident))


def _incident_from_row(row: Mapping[str, Any]) -> Incident:
    """The :class:`Incident` of a stored row (a ``{column: value}`` mapping)."""
    values: dict[str, Any] = {}
    for name in _INCIDENT_FIELDS:
        if name in ("origin", "target"):
            values[name] = _place_from_row(row, name)
        else:
            decode = _DECODERS.get(name)
            values[name] = decode(row[name]) if decode else row[name]
    return Incident(**values)


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
