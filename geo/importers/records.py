"""Import results, flags on kept rows, and ACLED actor roles as evidence records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geo._errors import InputRowError
from geo.incidents import Evidence, Incident


@dataclass
class ImportReport:
    """Result of reading one file: incidents, skipped rows (with reasons), warnings."""

    source: str
    kind: str
    rows: int = 0
    incidents: list[Incident] = field(default_factory=list)
    errors: list[InputRowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """Rows that were reported and left out."""
        return len(self.errors)

    def as_text(self, max_lines: int = 20) -> str:
        """One line of counts, then the skipped rows and warnings."""
        lines = [
            f"{self.source}: {self.rows} row(s) read, {len(self.incidents)} incident(s), "
            f"{self.skipped} skipped"
        ]
        for title, items in (
            ("skipped", [str(e) for e in self.errors]),
            ("warnings", self.warnings),
        ):
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines += [f"  - {item}" for item in items[:max_lines]]
                if len(items) > max_lines:
                    lines.append(f"  … and {len(items) - max_lines} more")
        return "\n".join(lines)


# --------------------------------------------------------------------------- flags

#: A line of ``notes`` that starts with this flags a problem found in the input row;
#: the row is kept with the value as given (or left empty) and the table, the detail
#: panel and every export show the line.
FLAG_PREFIX = "Flagged: "


def add_flag(notes: str, problem: str) -> str:
    """``notes`` with one flag line added (once: re-importing does not repeat it)."""
    line = FLAG_PREFIX + problem
    if line in notes.splitlines():
        return notes
    return f"{notes}\n{line}" if notes else line


def flags_of(notes: str) -> list[str]:
    """The flagged problems written into ``notes`` by :func:`add_flag`."""
    return [
        ln[len(FLAG_PREFIX) :] for ln in (notes or "").splitlines() if ln.startswith(FLAG_PREFIX)
    ]


# --------------------------------------------------------------------------- actor roles

#: ACLED's actor roles, kept as evidence records (field = role, text = actor) so the
#: perpetrator/target split survives the store and comes back in an ACLED export.
ACTOR_ROLES = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")


def split_actors(value: str) -> list[str]:
    """ACLED's ``;``-separated associated actors as a list."""
    return [a.strip() for a in (value or "").split(";") if a.strip()]


def role_evidence(roles: Mapping[str, Sequence[str]], source_id: str = "") -> list[Evidence]:
    """One evidence record per actor and role (``{"actor1": ["Taliban"], …}``)."""
    return [
        Evidence(field=role, text=name, source_id=source_id)
        for role in ACTOR_ROLES
        for name in roles.get(role, ())
        if name
    ]


def actors_with_roles(roles: Mapping[str, Sequence[str]]) -> list[str]:
    """The incident's actor list: actor 1, actor 2, then the associated actors, no repeats."""
    out: list[str] = []
    for role in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
        out += [a for a in roles.get(role, ()) if a and a not in out]
    return out


def actor_roles(evidence: Sequence[Evidence | Mapping[str, Any]]) -> dict[str, list[str]]:
    """Roles recorded by :func:`role_evidence` (evidence as records or JSON dicts)."""
    out: dict[str, list[str]] = {role: [] for role in ACTOR_ROLES}
    for ev in evidence:
        role = ev.get("field") if isinstance(ev, Mapping) else ev.field
        text = ev.get("text") if isinstance(ev, Mapping) else ev.text
        if role in out and text and text not in out[str(role)]:
            out[str(role)].append(str(text))
    return out
