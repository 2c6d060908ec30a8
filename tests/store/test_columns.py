"""Each table's column list is written once; the SQL text and row mapping come from it."""

from __future__ import annotations

import pytest

from ties.store import Store
from ties.store.columns import Columns
from ties.store.entries import ENTRIES, ENTRY_PEOPLE, ENTRY_PERSON_SUPPORT, ENTRY_SUPPORT
from ties.store.links import LINKS
from ties.store.people import PEOPLE
from ties.store.person_details import ADDRESSES, DATES, DETAILS, EXTRA, PHOTOS, TAGS
from ties.store.taxonomy import CIRCLES, SUPPORT_TYPES


def test_insert_and_update_text_name_the_columns_given() -> None:
    t = Columns("t", ("id", "a", "b"))
    assert t.insert(("a", "b")) == "INSERT INTO t (a, b) VALUES (?, ?)"
    assert t.update(("b",)) == "UPDATE t SET b = ? WHERE id = ?"
    assert t.select("x") == "x.id, x.a, x.b"
    with pytest.raises(KeyError):
        t.insert(("a", "c"))


def test_a_getter_reads_columns_by_name_whatever_their_order() -> None:
    t = Columns("t", ("id", "a", "b"))
    assert t.getter("b", "id")((1, "A", "B")) == ("B", 1)
    assert t.getter("a")((1, "A", "B")) == ("A",)


@pytest.mark.parametrize(
    ("columns", "complete"),
    [
        (PEOPLE, True),
        (ENTRIES, False),  # people_key (v8) is a sort key, written and never read back
        (ENTRY_PEOPLE, True),
        (ENTRY_SUPPORT, True),
        (ENTRY_PERSON_SUPPORT, True),
        (CIRCLES, True),
        (DETAILS, True),
        (ADDRESSES, True),
        (DATES, True),
        (TAGS, True),
        (PHOTOS, True),
        (EXTRA, True),
        (LINKS, True),
        (SUPPORT_TYPES, False),  # created/updated are written, never read back
    ],
)
def test_the_column_lists_match_the_schema(store: Store, columns: Columns, complete: bool) -> None:
    actual = [r[1] for r in store.conn.execute(f"PRAGMA table_info({columns.table})")]
    if complete:
        assert sorted(columns.names) == sorted(actual)
    else:
        assert set(columns.names) < set(actual)
