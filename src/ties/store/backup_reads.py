"""What a backup holds, in three figures: read from its own untrusted connection.

The Restore list shows them beside each backup so one can tell which to pick
(issue #17 item 11); the connection is opened by :mod:`ties.io.backup`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class JournalSummary:
    """How many people and entries a journal holds, and the date of its newest entry."""

    people: int
    entries: int
    last_entry: date | None


def journal_summary(conn: sqlite3.Connection) -> JournalSummary:
    """The three figures of a journal's connection (a backup's, read-only)."""
    people = int(conn.execute("SELECT count(*) FROM people").fetchone()[0])
    entries = int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])
    last = conn.execute("SELECT max(date) FROM entries").fetchone()[0]
    try:
        last_entry = date.fromisoformat(last) if last else None
    except (TypeError, ValueError):  # a crafted file: no date rather than a traceback
        last_entry = None
    return JournalSummary(people, entries, last_entry)
