"""Geocoding tables: every row of a CSV (or of any rows) gets a place, in order.

:func:`geocode_rows` reads rows in chunks; the distinct names of a chunk are ranked
together by :meth:`geo.geocode.OfflineGeocoder._rows_batch` (as arrays by
:mod:`geo._batchrank` when they come without context), and the chunk's sure answers
settle ties between namesakes (:mod:`geo._filecontext`).  A bad row is kept,
unresolved, with its line number; :func:`geocode_csv` writes every row back with the
answer's columns (:data:`~geo._scoring.BATCH_COLUMNS`).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from geo._errors import DataFileError, GeocodingError, InputRowError
from geo._gc import collector_paused
from geo._ranking import _NO_CONTEXT, _Context
from geo._scoring import BATCH_COLUMNS
from geo.geocode import GeocodeResult, OfflineGeocoder, _row_values, get_geocoder

__all__ = ["BatchReport", "geocode_csv", "geocode_rows"]

_CHUNK = 4096  # batch rows scored together (names sharing a key share the work)


@dataclass
class BatchReport:
    """Counts of a batch run and the rows that had bad input (kept in the output)."""

    rows: int = 0
    resolved: int = 0
    ambiguous: int = 0
    unresolved: int = 0
    errors: list[InputRowError] = field(default_factory=list)

    def count(self, status: str) -> None:
        """Count one row with this status."""
        self.rows += 1
        if status == "resolved":
            self.resolved += 1
        elif status == "ambiguous":
            self.ambiguous += 1
        else:
            self.unresolved += 1


_Query = tuple[str, _Context, str | None]
_Rejected = tuple[dict[str, str], InputRowError]


def _prepare_row(
    geocoder: OfflineGeocoder, row: dict[str, str], source: str, line: int
) -> tuple[_Query | None, _Rejected | None]:
    """The query of one batch row, or its unresolved values and the input error."""
    name = (row.get("name") or "").strip()
    if not name:
        err = InputRowError(source, line, "name", row.get("name"), "the place name is empty")
        return None, (_row_values(GeocodeResult(name, "unresolved", str(err))), err)
    country = row.get("country") or None
    if country is None and not row.get("admin1") and not row.get("context"):
        return (name, _NO_CONTEXT, None), None
    try:
        ctx = geocoder._context(country, row.get("admin1") or None, row.get("context"), ())
    except GeocodingError as exc:
        column = "country" if "country hint" in str(exc) else "admin1"
        err = InputRowError(source, line, column, row.get(column), str(exc))
        return None, (_row_values(GeocodeResult(name, "unresolved", str(err))), err)
    return (name, ctx, country), None


def geocode_rows(
    rows: Iterable[dict[str, str]],
    geocoder: OfflineGeocoder,
    source: str = "<rows>",
    report: BatchReport | None = None,
    file_context: bool = True,
) -> Iterator[dict[str, str]]:
    """Geocode table rows (``name``, optional ``country``, ``admin1``, ``context``).

    Rows are read in chunks of 4,096; with ``file_context``, ties between namesakes
    are settled by the sure places of the same chunk (:mod:`geo._filecontext`).

    Parameters
    ----------
    rows : iterable of dict
        One dict per input row; every key is kept in the output row.
    geocoder : OfflineGeocoder
    source : str
        Names the input in error messages.
    report : BatchReport, optional
        Filled in as rows go by.
    file_context : bool
        Let the file's other places settle ties (default); off, every row gets the
        answer its name gets alone.

    Yields
    ------
    dict
        The input row with :data:`BATCH_COLUMNS` added (an input column of the same
        name is kept and the added one gets a ``geo_`` prefix).  A bad row is
        yielded too, unresolved, with the line number in ``reason``.
    """
    report = report if report is not None else BatchReport()
    numbered = enumerate(rows, start=2)
    while chunk := list(itertools.islice(numbered, _CHUNK)):
        with collector_paused():  # the chunk's objects form no cycles
            prepared = [_prepare_row(geocoder, row, source, line) for line, row in chunk]
            queries = [q for q, _ in prepared if q is not None]
            found = geocoder._rows_batch(queries)
            if file_context:
                found = geocoder._with_file_context(queries, found)
            answers = iter(found)
        for (_, row), (_, rejected) in zip(chunk, prepared, strict=True):
            values, err = rejected if rejected is not None else (next(answers), None)
            if err is not None:
                report.errors.append(err)
            report.count(values["status"])
            yield _with_values(row, values)


def _with_values(row: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    """The input row with the answer's columns added (``geo_``-prefixed where the
    input already has a column of that name)."""
    if values.keys().isdisjoint(row):
        return row | values
    out = dict(row)
    for key, value in values.items():
        out[f"geo_{key}" if key in row else key] = value
    return out


def geocode_csv(
    in_path: Path | str,
    out: Path | str | TextIO,
    geocoder: OfflineGeocoder | None = None,
    file_context: bool = True,
) -> BatchReport:
    """Geocode a CSV file and write every row, in order, with the added columns
    (``file_context``: as for :func:`geocode_rows`).

    Raises
    ------
    DataFileError
        When the input cannot be read or has no ``name`` column.
    """
    in_path = Path(in_path)
    geocoder = geocoder or get_geocoder()
    report = BatchReport()
    try:
        fh = in_path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DataFileError(in_path, f"cannot read the input CSV ({exc.strerror})") from None
    with fh:
        reader = csv.DictReader(fh)
        columns = list(reader.fieldnames or [])
        if "name" not in columns:
            raise DataFileError(
                in_path,
                f"no 'name' column (found {columns})",
                "The batch CSV needs a header with a 'name' column",
            )
        added = [f"geo_{c}" if c in columns else c for c in BATCH_COLUMNS]
        rows = geocode_rows(reader, geocoder, str(in_path), report, file_context)
        _write_rows(out, columns + added, rows)
    return report


def _write_rows(out: Path | str | TextIO, columns: list[str], rows: Iterable[dict]) -> None:
    if isinstance(out, str | Path):
        with Path(out).open("w", encoding="utf-8", newline="") as fh:
            _write_rows(fh, columns, rows)
        return
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
