"""What an import did (or would do): added, updated and skipped, and what could not be read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ties.store.errors import JournalError

PLURALS = {"person": "people", "entry": "entries"}

#: What a change is called before anything is written (a preview, a dry run).
WOULD = {
    "added": "would add",
    "updated": "would update",
    "skipped": "would skip",
    "linked": "would link",
}

#: What happened to a field of a contact: put in its place, kept as it is, or left out.
FIELD_STATUSES = ("mapped", "kept", "skipped")

#: At most this many changes are listed one by one; the counts are always complete.
MAX_LISTED = 500


class ImportFormatError(JournalError):
    """The file is not of a kind Ties imports, or not what it claims to be."""


class ImportRefused(JournalError):
    """``--strict`` and some records could not be read, or nothing could be read."""


class ImportCancelled(JournalError):
    """The user stopped the import; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was written.")


@dataclass(frozen=True)
class Change:
    action: str  # "added", "updated" or "skipped"
    kind: str  # "person", "entry", "circle", "support type"
    label: str
    reason: str = ""

    def verb(self, preview: bool = False) -> str:
        """``added``, or ``would add`` for a preview that wrote nothing."""
        return WOULD.get(self.action, self.action) if preview else self.action


@dataclass
class ImportReport:
    """The preview the window shows and the summary ``ties import`` prints.

    Attributes:
        source: the file's name.
        format: what the file was recognised as ("Ties JSON", "vCard", "Google CSV", …).
        changes: the first ``MAX_LISTED`` changes, in file order.
        counts: (action, kind) → how many, for every change.
        problems: records that could not be read, each naming its card or line.
        dry_run: true when nothing was written.
        fields: (mapped|kept|skipped, kind) → how many fields of the records read went to
            their place, were kept as they are (written back on vCard export) or were left
            out (stamps such as PRODID/REV, duplicates, empty values, a photo too large).
        possible: (new person, somebody already there) whose names nearly match but who
            share no detail: offered for merging, never merged by the import.
        notes: why a field was left out, naming the card or line.
    """

    source: str
    format: str = ""
    changes: list[Change] = field(default_factory=list)
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    dry_run: bool = False
    backup: str | None = None
    fields: Counter[tuple[str, str]] = field(default_factory=Counter)
    possible: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Journal settings the file carried: what was applied, and what was not and why.
    settings: list[str] = field(default_factory=list)

    def count_field(self, status: str, kind: str) -> None:
        """Count one field of a record as ``mapped``, ``kept`` or ``skipped``."""
        self.fields[(status, kind)] += 1

    def possibly_same(self, label: str, other: str) -> None:
        if len(self.possible) < MAX_LISTED:
            self.possible.append((label, other))

    def dropped(self, why: str) -> None:
        if len(self.notes) < MAX_LISTED:
            self.notes.append(why)

    def field_summary(self) -> str:
        """``mapped 12 (EMAIL 3, TEL 4, …); kept 2 (…); skipped 1 (…)``, or ``""``."""
        parts = []
        for status in FIELD_STATUSES:
            kinds = sorted(
                ((k, n) for (s, k), n in self.fields.items() if s == status),
                key=lambda kn: (-kn[1], kn[0]),
            )
            if kinds:
                total = sum(n for _, n in kinds)
                detail = ", ".join(f"{k} {n}" for k, n in kinds)
                parts.append(f"{status} {total} ({detail})")
        return "; ".join(parts)

    def note(self, action: str, kind: str, label: str, reason: str = "") -> None:
        self.counts[(action, kind)] += 1
        if len(self.changes) < MAX_LISTED:
            self.changes.append(Change(action, kind, label, reason))

    def problem(self, where: str, message: str) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append(f"{where}: {message}")
        self.counts[("unreadable", "record")] += 1

    def total(self, action: str) -> int:
        return sum(n for (a, _), n in self.counts.items() if a == action)

    @property
    def unreadable(self) -> int:
        return self.counts[("unreadable", "record")]

    @property
    def readable(self) -> int:
        return self.total("added") + self.total("updated") + self.total("skipped")

    def summary(self, preview: bool = False) -> str:
        """``added 3 (3 people); updated 0; …``; with ``preview``: ``would add 3 …``."""
        parts = []
        for action in ("added", "updated", "skipped"):
            kinds = sorted((k, n) for (a, k), n in self.counts.items() if a == action)
            detail = ", ".join(f"{n} {k if n == 1 else PLURALS.get(k, k + 's')}" for k, n in kinds)
            verb = WOULD[action] if preview else action
            parts.append(f"{verb} {self.total(action)}" + (f" ({detail})" if detail else ""))
        if self.total("linked"):
            verb = WOULD["linked"] if preview else "linked"
            parts.append(f"{verb} {self.total('linked')} (links between people)")
        if self.unreadable:
            parts.append(f"unreadable {self.unreadable}")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "dry_run": self.dry_run,
            "added": self.total("added"),
            "updated": self.total("updated"),
            "skipped": self.total("skipped"),
            "unreadable": self.unreadable,
            "changes": [
                {"action": c.action, "kind": c.kind, "label": c.label, "reason": c.reason}
                for c in self.changes
            ],
            "problems": list(self.problems),
            "backup": self.backup,
            "fields": {
                status: {k: n for (s, k), n in sorted(self.fields.items()) if s == status}
                for status in FIELD_STATUSES
            },
            "possibly_same": [{"name": a, "other": b} for a, b in self.possible],
            "notes": list(self.notes),
            "settings": list(self.settings),
        }
