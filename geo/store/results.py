"""What store operations return: :class:`IngestSummary` and :class:`HistoryEntry`."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


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
    action: str  # create | merge | update | edit | undo | redo | delete
    incident_id: str
    source_id: str
    user: str
    detail: dict[str, Any]

    @property
    def changes(self) -> dict[str, Any]:
        """``{field: [old, new]}`` of an edit, undo or redo (empty for other actions)."""
        if self.action in ("undo", "redo"):
            return dict(self.detail.get("changes", {}))
        return dict(self.detail) if self.action == "edit" else {}

    @property
    def reverts(self) -> int | None:
        """The history entry an undo (or redo) reverts."""
        value = self.detail.get("reverts") if self.action in ("undo", "redo") else None
        return int(value) if value is not None else None
