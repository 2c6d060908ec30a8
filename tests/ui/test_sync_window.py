"""The window's sync: at open, when the folder changes, at close; the status bar says how."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ties.app.sync import choose_folder, sync_folder
from ties.model import Entry, Person
from ties.store import Store
from ties.ui.changes import Changes
from ties.ui.context import AppContext


def _other_device(tmp_path: Path, folder: Path) -> Store:
    other = Store.open(tmp_path / "laptop.ties")
    ana = other.add_person(Person(name="Ana from the laptop"))
    other.add_entry(Entry(date=date(2026, 6, 1), person_ids=[ana.id or 0], note="on the train"))
    sync_folder(other, folder)
    return other


def test_the_window_syncs_at_open_when_the_folder_changes_and_at_close(
    store: Store, tmp_path: Path, qtbot, close_and_wait
) -> None:
    from ties.ui.main_window import MainWindow

    folder = tmp_path / "Sync"
    folder.mkdir()
    other = _other_device(tmp_path, folder)
    choose_folder(store, folder)
    ctx = AppContext(store)
    changes: list[str] = []
    ctx.changed.connect(changes.append)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.sync.synced, timeout=20_000):
        w.show()
    assert store.count_entries() == 1 and Changes.everything() in changes
    assert w.sync.label.text().startswith("Synced") and "1 other devices" in w.sync.label.text()

    # The laptop syncs again: the folder changes and the window follows by itself.
    other.add_person(Person(name="Bo"))
    with qtbot.waitSignal(w.sync.synced, timeout=20_000):
        sync_folder(other, folder)
    assert {p.name for p in store.list_people()} == {"Ana from the laptop", "Bo"}

    # An edit made in the window goes out when the window closes.
    store.add_person(Person(name="Written at the desk"))
    close_and_wait(w)
    sync_folder(other, folder)
    assert "Written at the desk" in {p.name for p in other.list_people()}


def test_a_journal_without_a_sync_folder_shows_no_sync_state(window) -> None:
    assert window.sync.folder() is None
    assert not window.sync.label.isVisibleTo(window)


def test_sync_folder_and_phone_inbox_are_in_the_edit_menu(window) -> None:
    """Where docs/sync-format.md says they are (not under People, where a merge put them)."""
    menus = {
        a.text(): [x.text() for x in a.menu().actions()]
        for a in window.menuBar().actions()
        if a.menu() is not None
    }
    assert {"S&ync folder…", "&Phone inbox…"} <= set(menus["&Edit"])
    assert not {"S&ync folder…", "&Phone inbox…"} & set(menus["&People"])


def test_choosing_the_folder_that_holds_the_journal_is_refused(
    ctx: AppContext, tmp_path: Path, qtbot, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

    from ties.ui.sync import SyncController

    parent = QWidget()
    qtbot.addWidget(parent)
    controller = SyncController(ctx, parent)
    warnings: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *a, **k: str(ctx.store.path.parent)
    )
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    controller.choose(parent)
    assert warnings and "inside the sync folder" in warnings[0]
    assert controller.folder() is None
