"""The paged item models: Qt's model checks, and the pages agree with the store."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ties.store import EntryFilter, PeopleFilter
from ties.ui.models import entries as entries_model
from ties.ui.models.entries import COL_NOTE, COL_PEOPLE, ENTRY_ID_ROLE, EntryTableModel
from ties.ui.models.people import COL_CLOSENESS, PERSON_ID_ROLE, PeopleTableModel


def test_entry_model_passes_qt_checks(demo_ctx, qtmodeltester):
    model = EntryTableModel(lambda: demo_ctx.store, demo_ctx.today)
    model.set_filter(EntryFilter(direction="gave"))
    qtmodeltester.check(model, force_py=True)


def test_people_model_passes_qt_checks(demo_ctx, qtmodeltester):
    model = PeopleTableModel(lambda: demo_ctx.store, demo_ctx.today)
    qtmodeltester.check(model, force_py=True)


def test_entry_rows_come_from_store_pages_in_order(demo_ctx):
    store = demo_ctx.store
    model = EntryTableModel(lambda: store, demo_ctx.today)
    assert model.rowCount() == store.count_entries()
    far = entries_model.PAGE_SIZE * 3 + 17
    expected = store.list_entries(offset=far, limit=1)[0]
    assert model.index(far, 0).data(ENTRY_ID_ROLE) == expected.id
    assert len(model._pages) <= entries_model.MAX_PAGES


def test_sorting_by_an_unindexed_column_follows_the_store(demo_ctx):
    store = demo_ctx.store
    model = EntryTableModel(lambda: store, demo_ctx.today)
    model.sort(COL_NOTE, Qt.SortOrder.AscendingOrder)
    want = store.list_entries(order="note", descending=False, limit=None)
    got = [model.index(r, 0).data(ENTRY_ID_ROLE) for r in range(0, len(want), 97)]
    assert got == [e.id for e in want[::97]]
    model.sort(COL_PEOPLE, Qt.SortOrder.DescendingOrder)
    first = store.list_entries(order="person", descending=True, limit=1)[0]
    assert model.index(0, COL_PEOPLE).data() == first.people_label


def test_slow_sort_happens_in_the_background(demo_ctx, qtbot, monkeypatch):
    monkeypatch.setattr(entries_model, "BACKGROUND_SORT_ROWS", 10)
    store = demo_ctx.store
    model = EntryTableModel(lambda: store, demo_ctx.today)
    with qtbot.waitSignal(model.modelReset, timeout=10_000):
        model.sort(COL_NOTE, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model._ids is not None, timeout=10_000)
    first = store.list_entries(order="note", descending=True, limit=1)[0]
    assert model.index(0, 0).data(ENTRY_ID_ROLE) == first.id


def test_people_model_filters_and_sorts(demo_ctx):
    store = demo_ctx.store
    model = PeopleTableModel(lambda: store, demo_ctx.today)
    model.set_filter(PeopleFilter(closeness=5))
    assert model.rowCount() == store.count_people(PeopleFilter(closeness=5))
    model.sort(COL_CLOSENESS, Qt.SortOrder.DescendingOrder)
    model.set_filter(PeopleFilter(archived=None))
    top = store.list_people(PeopleFilter(archived=None), order="closeness", descending=True)[0]
    assert model.index(0, 0).data(PERSON_ID_ROLE) == top.id
