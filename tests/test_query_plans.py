"""The hot queries use the index meant for them (``EXPLAIN QUERY PLAN``, not a stopwatch).

Each test runs a store call with SQLite's trace callback on, then asks SQLite
for the plan of every statement the call ran. A plan that falls back to
scanning a table, or to sorting a million rows, fails here long before anyone
notices the list getting slow. The timings themselves live in ``benchmarks/``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ties.store import EntryFilter, Store

TEMP_SORT = "USE TEMP B-TREE FOR ORDER BY"
#: Tables (and the aliases the store gives them) that grow with the journal.
BIG_TABLES = {"entries", "e", "entry_people", "ep", "entry_support", "s", "people", "p"}


@pytest.fixture(scope="module", params=["plain", "encrypted"])
def journal(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Store]:
    """A sample journal with statistics (the demo runs ANALYZE), as big journals have.

    Encrypted too: SQLCipher brings its own, newer SQLite, whose planner must pick
    the same plans (SQLite 3.51 turned the support type's ``EXISTS`` into a Bloom
    filter over the whole type index: 10x slower on a million entries).
    """
    from ties.demo import write_demo
    from ties.store import conversion, encryption

    path = Path(tmp_path_factory.mktemp("plans")) / "plans.ties"
    s = write_demo(path, people=80, entries=6000, seed=5, today=date(2026, 6, 30))
    if request.param == "encrypted":
        s.close()
        conversion.encrypt(path, "plans passphrase")
        s = Store.open(path, unlock="plans passphrase")
        assert s.encrypted
    yield s
    s.close()
    encryption.forget_all_keys()


@contextlib.contextmanager
def traced(store: Store) -> Iterator[list[str]]:
    """The SQL statements (values filled in) that the store runs inside the block."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        store.conn.set_trace_callback(None)


def plans(store: Store, statements: list[str], touching: str) -> list[tuple[str, str]]:
    """(statement, its plan as one string) for each SELECT that mentions ``touching``."""
    out = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")) or touching not in sql:
            continue
        rows = store.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        out.append((sql, " | ".join(r[3] for r in rows)))
    assert out, f"the call ran no SELECT on {touching}"
    return out


def only_plan(store: Store, statements: list[str], touching: str) -> tuple[str, str]:
    found = plans(store, statements, touching)
    page = [p for p in found if "LIMIT" in p[0]] or found
    return page[0]


# ------------------------------------------------------------------- journal list


def test_counting_every_entry_reads_the_small_date_index(journal: Store) -> None:
    with traced(journal) as sql:
        journal.count_entries()
    _, plan = only_plan(journal, sql, "entries")
    assert "COVERING INDEX entries_date" in plan


def test_first_page_by_date_walks_the_date_index_without_sorting(journal: Store) -> None:
    with traced(journal) as sql:
        journal.list_entries(limit=200)
    _, plan = only_plan(journal, sql, "ORDER BY")
    assert "COVERING INDEX entries_date" in plan, plan
    assert TEMP_SORT not in plan
    for _, fetch in plans(journal, sql, "WHERE e.id IN"):
        assert "INTEGER PRIMARY KEY" in fetch


def test_last_page_is_read_from_the_other_end(journal: Store) -> None:
    total = journal.count_entries()
    with traced(journal) as sql:
        journal.list_entries(offset=total - 200, limit=200, total=total)
    stmt, plan = only_plan(journal, sql, "ORDER BY")
    assert "ASC" in stmt and "OFFSET 0" in stmt, stmt
    assert "entries_date" in plan and TEMP_SORT not in plan, plan


def test_sort_by_person_walks_the_label_index(journal: Store) -> None:
    total = journal.count_entries()
    for offset in (0, total - 200):
        with traced(journal) as sql:
            journal.list_entries(order="person", offset=offset, limit=200, total=total)
        _, plan = only_plan(journal, sql, "ORDER BY")
        assert "entries_people_key" in plan and TEMP_SORT not in plan, plan


def test_support_type_count_reads_the_type_index_alone(journal: Store) -> None:
    with traced(journal) as sql:
        journal.count_entries(EntryFilter(support_type="expertise"))
    stmt, plan = only_plan(journal, sql, "entry_support")
    assert "COVERING INDEX entry_support_type" in plan, plan
    assert "entries" not in stmt.replace("entry_support", "")


def test_common_support_type_page_walks_dates_and_probes_the_key(journal: Store) -> None:
    """A type on many entries: walk the date index, test each entry by primary key."""
    with traced(journal) as sql:
        journal.list_entries(EntryFilter(support_type="expertise"), limit=10)
    stmt, plan = only_plan(journal, sql, "ORDER BY")
    assert "EXISTS" in stmt, stmt
    assert "entries_date" in plan and TEMP_SORT not in plan, plan
    assert "SEARCH s USING PRIMARY KEY (entry_id=? AND type_key=?)" in plan, plan


def test_rare_support_type_page_reads_its_entries_from_the_type_index(journal: Store) -> None:
    with traced(journal) as sql:
        journal.list_entries(EntryFilter(support_type="confidant"), limit=200)
    _, plan = only_plan(journal, sql, "ORDER BY")
    assert "COVERING INDEX entry_support_type (type_key=?)" in plan, plan
    assert "SCAN e" not in plan, plan


def test_middle_page_of_a_long_support_type_sorts_from_the_per_person_index_alone(
    journal: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not every matching entry's row (a page each: decrypted on a new encrypted connection)."""
    from ties.store import entry_query

    monkeypatch.setattr(entry_query, "SORTED_IDS_FROM", 0)
    monkeypatch.setattr(entry_query, "walk_is_cheaper", lambda *_a: False)
    journal._sorted_ids = None
    f = EntryFilter(support_type="expertise")
    with traced(journal) as sql:
        journal.list_entries(f, offset=journal.count_entries(f) // 2, limit=50)
    stmt, plan = plans(journal, sql, "entry_person_support")[0]
    assert (
        plan == "SEARCH entry_person_support USING COVERING INDEX entry_person_support_type "
        "(type_key=?)"
    ), plan
    assert " entries" not in stmt, stmt


def test_person_filter_pages_from_the_person_index_alone(journal: Store) -> None:
    f = EntryFilter(person_id=1)
    total = journal.count_entries(f)
    for offset in (0, total // 2, total - 50):
        with traced(journal) as sql:
            journal.list_entries(f, offset=offset, limit=50, total=total)
        stmt, plan = only_plan(journal, sql, "ORDER BY")
        assert "COVERING INDEX entry_people_person (person_id=?)" in plan, plan
        assert TEMP_SORT not in plan and "JOIN entries" not in stmt, stmt


def test_person_filter_count_reads_the_person_index(journal: Store) -> None:
    with traced(journal) as sql:
        journal.count_entries(EntryFilter(person_id=1, since=date(2025, 1, 1)))
    _, plan = only_plan(journal, sql, "entry_people")
    assert "COVERING INDEX entry_people_person (person_id=? AND date>?)" in plan, plan


def test_person_history_uses_the_person_index(journal: Store) -> None:
    with traced(journal) as sql:
        journal.person_history(1, limit=50)
    _, plan = only_plan(journal, sql, "ORDER BY")
    assert "entry_people_person" in plan and TEMP_SORT not in plan, plan


# ------------------------------------------------------------------------ search


def test_note_search_reads_the_newest_matches_without_ranking_them_all(journal: Store) -> None:
    with traced(journal) as sql:
        journal.search("feedback", 40)
    notes = [p for s, p in plans(journal, sql, "entries_fts")]
    assert notes and all(TEMP_SORT not in p for p in notes), notes
    assert any("entries_fts VIRTUAL TABLE" in p for p in notes)
    people = [p for s, p in plans(journal, sql, "people_fts")]
    assert any("people_fts VIRTUAL TABLE" in p for p in people)


def test_people_search_ranks_on_the_index_and_looks_up_only_the_rows_shown(
    journal: Store,
) -> None:
    with traced(journal) as sql:
        journal.search("an", 40)
    statement = next(s for s in sql if "people_fts" in s and "ranked" in s)
    rows = journal.conn.execute("EXPLAIN QUERY PLAN " + statement).fetchall()
    ranking = {r[0] for r in rows if r[3].startswith("MATERIALIZE ranked")}
    assert ranking, rows
    inside = [r[3] for r in rows if r[1] in ranking]
    assert inside and not any(" p " in f" {d} " or "people " in d for d in inside), rows
    # The matches are the outer loop, read once: not a prefix query per ranked row.
    top = [r[3] for r in rows if r[1] == 0]
    outer = [i for i, d in enumerate(top) if "people_fts" in d]
    assert len(outer) == 1 and "INDEX 0:M" in top[outer[0]], rows
    assert all(outer[0] < i for i, d in enumerate(top) if "ranked" in d and "MATERIAL" not in d)


# -------------------------------------------------------------------- quick add


def test_resolving_a_name_uses_the_name_index(journal: Store) -> None:
    name = journal.list_people(limit=1)[0].name
    with traced(journal) as sql:
        journal.people_named(name)
    _, plan = only_plan(journal, sql, "people")
    assert "people_name" in plan, plan


# ------------------------------------------------------------------------- Today


def test_thanks_are_found_from_indexes_and_only_the_shown_entries_are_read(
    journal: Store,
) -> None:
    """The unthanked entries come from their partial index and the people index; the
    entries' rows are read by id, for the items made."""
    from ties.analysis.today import today_groups

    with traced(journal) as sql:
        groups = today_groups(journal, date(2026, 6, 30), limit=3)
    assert any(g.group == "unthanked" for g in groups)
    (found,) = [p for s, p in plans(journal, sql, "entries_unthanked")]
    assert "COVERING INDEX entries_unthanked" in found, found
    assert "COVERING INDEX entry_people_received" in found, found
    assert "SCAN" not in found.replace("SCAN unthanked", ""), found
    (cards,) = [p for s, p in plans(journal, sql, "json_each(")]
    assert "INTEGER PRIMARY KEY" in cards and TEMP_SORT not in cards, cards


def test_saving_an_entry_never_scans_a_table(journal: Store) -> None:
    """Quick add: the insert, its links, labels, search index and last contact."""
    from ties.model import Entry

    entry = Entry(date=date(2026, 6, 30), person_ids=[1, 2], direction="gave", note="lent a book")
    with traced(journal) as sql:
        saved = journal.add_entry(entry)
    try:
        writes = [s for s in sql if s.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT"))]
        for stmt in writes:
            for r in journal.conn.execute("EXPLAIN QUERY PLAN " + stmt):
                words = r[3].split()
                assert words[:1] != ["SCAN"] or words[1] not in BIG_TABLES, (stmt, r[3])
        assert len(writes) >= 5
    finally:
        journal.delete_entry(saved.id)
