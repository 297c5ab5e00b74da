"""Reading CSV exports record by record: damaged rows are reported with line and reason."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from geo._errors import DataFileError, InputRowError

_MAX_RECORD_LINES = 20  # a quoted field may span lines, but not more than this


# --------------------------------------------------------------------------- CSV reading


def _physical_lines(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


def _parse_record(record: str) -> list[str] | None:
    """Fields of one logical CSV record, or None when its quoting is broken."""
    try:
        rows = list(csv.reader(io.StringIO(record, newline=""), strict=True))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)


def _bad_bytes(value: str) -> bytes | None:
    if _UNDECODED.search(value) is None:
        return None
    return value.encode("utf-8", errors="surrogateescape")


def _decoded(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot read the file ({exc.strerror or exc})") from None
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="surrogateescape")


def _header(lines: list[str], path: Path) -> list[str]:
    fields = _parse_record(lines[0]) if lines else None
    if not fields or _bad_bytes("".join(fields)) is not None:
        raise DataFileError(path, "no readable CSV header on line 1")
    return [f.strip().lower() for f in fields]


def _next_record(lines: list[str], start: int) -> tuple[list[str] | None, int]:
    """Parse the record starting at ``lines[start]``; returns (fields, next index)."""
    record = lines[start]
    end = start + 1
    while record.count('"') % 2 and end < len(lines) and end - start < _MAX_RECORD_LINES:
        record += lines[end]
        end += 1
    fields = None if record.count('"') % 2 else _parse_record(record)
    return fields, end


def _row_problem(
    fields: list[str], header: Sequence[str], source: str, line: int
) -> InputRowError | None:
    if len(fields) != len(header):
        return InputRowError(
            source, line, "(row)", len(fields), f"expected {len(header)} fields, got {len(fields)}"
        )
    if _UNDECODED.search("".join(fields)) is None:
        return None
    for name, value in zip(header, fields, strict=True):
        raw = _bad_bytes(value)
        if raw is not None:
            return InputRowError(source, line, name, raw, "bytes that are not valid UTF-8")
    return None


def _is_tag_row(fields: Sequence[str]) -> bool:
    tags = [f.strip() for f in fields if f.strip()]
    return bool(tags) and all(t.startswith("#") for t in tags)


def read_csv_rows(
    path: str | Path, required: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]] | InputRowError]:
    """Yield ``(line, row)`` for each good CSV record and an error for each bad one.

    Parameters
    ----------
    path : str or Path
        A UTF-8 CSV file with a header line (a byte-order mark is allowed).
    required : sequence of str
        Header columns that must exist (case-insensitive).

    Yields
    ------
    tuple of (int, dict) or InputRowError
        The 1-based line the record starts on and ``{column: value}``, or the
        error for a record with broken quoting, the wrong number of fields or
        undecodable bytes.  A broken record costs only its own line.

    Raises
    ------
    DataFileError
        The file cannot be read, has no header, or lacks a required column.
    """
    path = Path(path)
    lines = _physical_lines(_decoded(path))
    header = _header(lines, path)
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFileError(path, f"missing column(s) {missing}; header has {header}")
    i = 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        fields, end = _next_record(lines, i)
        if fields is not None and i == 1 and _is_tag_row(fields):
            i = end  # HDX's HXL tags (#date+start, #geo+lat …) under the header: not a row
            continue
        if fields is None:
            yield InputRowError(
                str(path), i + 1, "(row)", lines[i].rstrip("\r\n")[:80], "broken quoting"
            )
            i += 1
            continue
        problem = _row_problem(fields, header, str(path), i + 1)
        yield problem if problem is not None else (i + 1, dict(zip(header, fields, strict=True)))
        i = end
