"""Typed errors for the whole library.

Every error subclasses :class:`GeoError` *and* the builtin exception that
best describes it, so callers can catch either.  Messages always say what was
given, what was expected and, where possible, how to fix it.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ArticleError",
    "DataFileError",
    "GeoError",
    "GeocodingError",
    "IncidentValidationError",
    "InputRowError",
    "ReportError",
    "SettingError",
]


class GeoError(Exception):
    """Base class of every error raised on purpose by :mod:`geo`."""


class SettingError(GeoError, ValueError):
    """A setting (environment variable) has a value that cannot be used."""

    def __init__(self, name: str, value: object, expected: str, hint: str = "") -> None:
        self.name = name
        self.value = value
        msg = f"setting {name}={value!r} is invalid: expected {expected}"
        if hint:
            msg += f". {hint}"
        super().__init__(msg)


class DataFileError(GeoError, OSError):
    """A data file is missing, unreadable or not in the expected format."""

    def __init__(self, path: object, problem: str, hint: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        msg = f"{self.path}: {problem}"
        if hint:
            msg += f". {hint}"
        super().__init__(msg)


class InputRowError(GeoError, ValueError):
    """One row of a user-supplied table cannot be used.

    Carries the file, the 1-based line number (header = line 1) and the column so
    that a batch can report the row and go on with the others.
    """

    def __init__(self, source: str, line: int, column: str, value: object, problem: str) -> None:
        self.source = source
        self.line = line
        self.column = column
        self.value = value
        self.problem = problem
        super().__init__(f"{source}, line {line}, column {column!r}: {problem} (got {value!r})")


class GeocodingError(GeoError, LookupError):
    """A place name could not be resolved, or the gazetteer cannot be built."""


class ArticleError(GeoError, ValueError):
    """An article cannot be read or holds no usable text."""


class IncidentValidationError(GeoError, ValueError):
    """Incident records break the data contract; lists every problem at once."""

    def __init__(self, problems: Sequence[str], source: str = "incidents") -> None:
        self.problems = list(problems)
        self.source = source
        shown = "\n  - ".join(self.problems[:50])
        more = f"\n  … and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{source}: {len(self.problems)} problem(s):\n  - {shown}{more}")


class ReportError(GeoError, RuntimeError):
    """A report (PNG, PDF or HTML) cannot be rendered the way it was asked for."""
