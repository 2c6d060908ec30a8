"""People search ranked on the index first: the same people, order and snippets.

:data:`ties.store.search.PEOPLE_SQL` ranks the matches on the search index alone
and looks up names and snippets for the rows shown only; the joined query
(:data:`~ties.store.search.PEOPLE_JOINED_SQL`, what search ran before) is the
reference. Both SQLite builds are compared: Python's and SQLCipher's (encrypted).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ties.model import Person
from ties.store import Store
from ties.store.search import PEOPLE_JOINED_SQL, _people, fts_query


@pytest.fixture(scope="module", params=["plain", "encrypted"])
def journal(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Store]:
    from ties.demo import write_demo
    from ties.store import conversion, encryption

    path = Path(tmp_path_factory.mktemp("search")) / "search.ties"
    s = write_demo(path, people=150, entries=1500, seed=11, today=date(2026, 6, 30))
    # People whose fields tie on bm25: the id decides between them.
    for _ in range(3):
        s.add_person(Person(name="Twin Same", role="Analyst"))
    if request.param == "encrypted":
        s.close()
        conversion.encrypt(path, "search passphrase")
        s = Store.open(path, unlock="search passphrase")
        assert s.encrypted
    yield s
    s.close()
    encryption.forget_all_keys()


def typed_queries(store: Store) -> list[str]:
    """Every prefix of words from names, roles and notes, as someone types them."""
    words: set[str] = set()
    for (text,) in store.conn.execute(
        "SELECT name || ' ' || coalesce(role, '') || ' ' || coalesce(notes, '') FROM people"
    ):
        words.update(w.lower() for w in re.findall(r"\w+", text)[:6])
    queries = {w[:n] for w in words for n in range(1, len(w) + 1)}
    queries |= {"a", "an", "ana r", "twin", "twin s", "zzz", "é", "feedback boss"}
    return sorted(queries)


def test_people_search_returns_what_the_joined_query_returns(journal: Store) -> None:
    queries = typed_queries(journal)
    assert len(queries) > 300
    compared = 0
    for q in queries:
        match = fts_query(q)
        for limit in (1, 7, 40, 1000):
            expected = journal.conn.execute(PEOPLE_JOINED_SQL, (match, limit)).fetchall()
            assert _people(journal, match, limit) == expected, (q, limit)
            compared += len(expected)
    assert compared > 10_000


def test_an_index_row_without_its_person_is_skipped_as_before(store: Store) -> None:
    ana = store.add_person(Person(name="Ana Ruiz"))
    store.add_person(Person(name="Anabel Ortiz"))
    # Damage `ties check` reports: the index names someone who is not in the journal.
    ghost = (ana.id or 0) + 1000
    store.conn.execute("INSERT INTO people_fts (rowid, name) VALUES (?, 'Ana Ghost')", (ghost,))
    match = fts_query("ana")
    for limit in (1, 2, 40):
        found = _people(store, match, limit)
        assert found == store.conn.execute(PEOPLE_JOINED_SQL, (match, limit)).fetchall()
        assert ghost not in [pid for pid, _, _ in found]
        assert len(found) == limit if limit < 2 else len(found) == 2
