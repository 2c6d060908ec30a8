"""Finding things by what a person types: full-text search and name folding."""

from __future__ import annotations

import re
from datetime import date

from ties.model import SearchHit
from ties.store.core import StoreCore
from ties.store.fold import fold as fold  # re-exported: search.fold is used across Ties

#: bm25 weights of ``people_fts``'s columns: name, organization, role, notes,
#: interests, needs, offers, contact_words (e-mails, phones, tags). The name matters
#: most, then where they work and the contact details.
PEOPLE_COLUMN_WEIGHTS = "10.0, 3.0, 2.0, 1.0, 1.0, 1.0, 1.0, 3.0"


def search(store: StoreCore, query: str, limit: int = 50) -> list[SearchHit]:
    """Full-text search over people and entry notes; prefix matching per word.

    People come best match first (ranking a few thousand rows is cheap), a
    match in the name counting far more than one in the role or the notes,
    so "ana" puts Ana Ruiz before every analyst. Entries come most recently
    logged first (not by their date): ranking or sorting every note that
    matches a common prefix costs up to a second on a million entries, while
    reading the last-written matches from the index costs milliseconds. Notes are matched on
    the words of two letters or more ("ana r" finds notes by "ana"): a
    one-letter prefix matches most of a million notes, costs the most, and
    is only a word being typed.
    """
    match = fts_query(query)
    if not match:
        return []
    note_match = fts_query(
        " ".join(w for w in re.findall(r"\w+", query, flags=re.UNICODE) if len(w) >= 2)
    )
    hits: list[SearchHit] = []
    for pid, name, snippet in store.conn.execute(
        "SELECT p.id, p.name, snippet(people_fts, -1, '[', ']', '…', 10) FROM people_fts "
        "JOIN people p ON p.id = people_fts.rowid WHERE people_fts MATCH ? "
        f"ORDER BY bm25(people_fts, {PEOPLE_COLUMN_WEIGHTS}), p.id LIMIT ?",
        (match, limit),
    ):
        hits.append(SearchHit("person", pid, name, snippet))
    if not note_match:
        return hits
    for eid, label, day, snippet in store.conn.execute(
        "SELECT e.id, e.people_label, e.date, snippet(entries_fts, 0, '[', ']', '…', 12) "
        "FROM entries_fts JOIN entries e ON e.id = entries_fts.rowid "
        "WHERE entries_fts MATCH ? ORDER BY entries_fts.rowid DESC LIMIT ?",
        (note_match, limit),
    ):
        hits.append(SearchHit("entry", eid, label, snippet, date.fromisoformat(day)))
    return hits


def fts_query(text: str) -> str:
    """Turn what a person types into a safe FTS5 query: every word, as a prefix."""
    import re

    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words[:20])
