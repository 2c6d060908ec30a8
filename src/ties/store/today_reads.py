"""The reads the Today list needs besides balances and gaps (``ties.analysis.today``).

Suggested introductions match one person's needs against another's offers
through the full-text index; the matching rules live in the analysis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ties.store.journal import Store

#: Full-text query for people whose offers (or needs) mention a word: the
#: parameter is ``offers : "word"*`` (a prefix match in one column).
FTS_COLUMN_MATCH_SQL = "SELECT rowid FROM people_fts WHERE people_fts MATCH ?"

#: The people a match can involve: not archived, with needs or offers written down.
MATCH_PEOPLE_SQL = """
SELECT id, name, uuid, closeness, needs, offers FROM people
WHERE archived = 0 AND (needs != '' OR offers != '')
"""

ANY_ENTRY_SQL = "SELECT 1 FROM entries LIMIT 1"


class MatchPerson(NamedTuple):
    """Someone not archived with needs or offers written down."""

    id: int
    name: str
    uuid: str
    closeness: int
    needs: str
    offers: str


def has_entries(store: Store) -> bool:
    """Whether the journal holds any entry at all."""
    return store.conn.execute(ANY_ENTRY_SQL).fetchone() is not None


def match_people(store: Store) -> list[MatchPerson]:
    """Everyone a suggested introduction can involve."""
    return list(map(MatchPerson._make, store.conn.execute(MATCH_PEOPLE_SQL)))


def people_mentioning(store: Store, column: str, word: str) -> set[int]:
    """Ids of people whose ``column`` (``needs`` or ``offers``) has a word starting with ``word``.

    ``word`` must be one the analysis made of letters and digits (no quotes).
    """
    query = f'{column} : "{word}"*'
    return {r[0] for r in store.conn.execute(FTS_COLUMN_MATCH_SQL, (query,))}
