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

_PEOPLE_SNIPPET = "snippet(people_fts, -1, '[', ']', '…', 10)"

#: People best match first, ranked on the search index alone, then named and given a
#: snippet only for the rows shown. SQLite computes every result column of a sorted
#: query before it sorts, so asking for the name and the snippet in the ranking query
#: looked up and snippeted every match ("a" matches 5,852 of 10,000 people) to show 40.
#: ``CROSS JOIN`` keeps the index's matches as the outer loop: put the other way round,
#: SQLite 3.51 (SQLCipher's) restarts the prefix query once per ranked row.
#: The ``LEFT JOIN`` lets a search-index row without its person show as NULL (with no
#: snippet: FTS5 calls the missing row damage), and :data:`PEOPLE_JOINED_SQL`, which
#: skips such rows before ranking, is used instead.
PEOPLE_SQL = (
    "WITH ranked(id, rank) AS MATERIALIZED ("
    f"SELECT rowid, bm25(people_fts, {PEOPLE_COLUMN_WEIGHTS}) FROM people_fts "
    "WHERE people_fts MATCH ?1 ORDER BY 2, 1 LIMIT ?2) "
    f"SELECT p.id, p.name, CASE WHEN p.id IS NOT NULL THEN {_PEOPLE_SNIPPET} END "
    "FROM people_fts CROSS JOIN ranked ON ranked.id = +people_fts.rowid "
    "LEFT JOIN people p ON p.id = ranked.id "
    "WHERE people_fts MATCH ?1 ORDER BY ranked.rank, ranked.id"
)

#: The same list in one query, every match joined to its person before the sort.
PEOPLE_JOINED_SQL = (
    f"SELECT p.id, p.name, {_PEOPLE_SNIPPET} FROM people_fts "
    "JOIN people p ON p.id = people_fts.rowid WHERE people_fts MATCH ?1 "
    f"ORDER BY bm25(people_fts, {PEOPLE_COLUMN_WEIGHTS}), p.id LIMIT ?2"
)


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
    hits = [SearchHit("person", i, name, text) for i, name, text in _people(store, match, limit)]
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


def _people(store: StoreCore, match: str, limit: int) -> list[tuple[int, str, str]]:
    """The best matching people: (id, name, snippet), best first."""
    rows = store.conn.execute(PEOPLE_SQL, (match, limit)).fetchall()
    if any(pid is None for pid, _name, _snippet in rows):
        # The index names someone who is not in the journal (damage `ties check`
        # reports): the ranking must skip them, as the joined query does.
        return store.conn.execute(PEOPLE_JOINED_SQL, (match, limit)).fetchall()
    return rows


def fts_query(text: str) -> str:
    """Turn what a person types into a safe FTS5 query: every word, as a prefix."""
    import re

    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words[:20])
