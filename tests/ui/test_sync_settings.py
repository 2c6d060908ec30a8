"""Settings → Sync shows what the status bar shows: folder, last sync, devices, problems;
and the window reads the phone inbox by itself (at open and when the file changes)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QTreeWidget

from ties.app.sync import choose_folder, sync_folder
from ties.model import Person
from ties.store import Store
from ties.sync import files
from ties.ui.context import AppContext


def _window(ctx: AppContext, qtbot):
    from ties.ui.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    return w


def test_the_sync_page_shows_the_state_and_syncs_now(
    store: Store, tmp_path: Path, qtbot, find, close_and_wait
) -> None:
    from ties.ui.dialogs.settings import SettingsDialog

    folder = tmp_path / "Sync"
    folder.mkdir()
    other = Store.open(tmp_path / "laptop.ties")
    other.add_person(Person(name="Ana"))
    laptop = sync_folder(other, folder).device
    choose_folder(store, folder)
    ctx = AppContext(store)
    w = _window(ctx, qtbot)
    with qtbot.waitSignal(w.sync.synced, timeout=20_000):
        w.show()
    dialog = SettingsDialog(ctx, w, sync=w.sync)
    qtbot.addWidget(dialog)
    tabs = dialog.tabs
    assert "Sync" in [tabs.tabText(i) for i in range(tabs.count())]
    page = dialog.sync_page
    assert find(page, QLabel, "Sync folder").text() == str(folder.resolve())
    # The same words as the status bar.
    assert find(page, QLabel, "Last sync").text() == w.sync.label.text()
    devices = find(page, QTreeWidget, "Devices seen")
    assert devices.topLevelItemCount() == 2
    rows = [[devices.topLevelItem(i).text(c) for c in range(3)] for i in range(2)]
    assert sum("(this computer)" in r[0] for r in rows) == 1
    assert all(r[1].endswith("UTC") for r in rows)
    problems = find(page, QListWidget, "Sync problems")
    assert [problems.item(i).text() for i in range(problems.count())] == ["None."]

    # The laptop's next file arrives half: "Sync now" shows the problem, as the tooltip does.
    other.add_person(Person(name="Bo"))
    sync_folder(other, folder)
    newest = files.device_files(folder / files.ROOT / laptop)[-1].path
    newest.write_bytes(newest.read_bytes()[:20])
    w.sync.timer.stop()
    button = find(page, QPushButton, "Sync now")
    assert button.isEnabled()
    with qtbot.waitSignal(w.sync.synced, timeout=20_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    shown = [problems.item(i).text() for i in range(problems.count())]
    assert any("incomplete" in p and newest.name in p for p in shown)
    assert w.sync.label.toolTip() == "\n".join(shown)
    assert find(page, QLabel, "Last sync").text() == w.sync.label.text()
    dialog.close()
    close_and_wait(w)


def test_the_sync_page_without_a_folder_says_so(window, find, qtbot) -> None:
    from ties.ui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(window.ctx, window, sync=window.sync)
    qtbot.addWidget(dialog)
    assert "does not sync" in find(dialog, QLabel, "Sync folder").text()
    assert not find(dialog, QPushButton, "Sync now").isEnabled()


def _write_inbox(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    old = time.time() - 3600  # not still being written
    os.utime(path, (old, old))


def test_the_window_reads_the_inbox_at_open_and_when_it_changes(
    store: Store, tmp_path: Path, qtbot, find, close_and_wait, monkeypatch
) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    inbox = folder / "inbox.txt"
    _write_inbox(inbox, "call with @Ana\nmet with @Bo: lunch\n")
    choose_folder(store, folder)
    ctx = AppContext(store)
    w = _window(ctx, qtbot)
    with qtbot.waitSignal(w.sync.inbox_read, timeout=20_000):
        w.show()
    badge = find(w, QPushButton, "Phone inbox lines")
    assert badge.isVisible() and badge.text() == "2 new lines in the inbox"
    assert store.count_entries() == 0  # read, never saved by itself

    # The phone adds a line: the watcher sees the file change and the count follows.
    with qtbot.waitSignal(w.sync.inbox_read, timeout=20_000):
        _write_inbox(inbox, "call with @Ana\nmet with @Bo: lunch\ncoffee with @Cy\n")
    assert badge.text() == "3 new lines in the inbox"
    assert store.count_entries() == 0

    # The badge opens the inbox; saving there (confirmed) empties the badge.
    from ties.ui import inbox as inbox_ui

    def confirm_all(dialog) -> int:
        assert dialog.lines.count() == 3
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return 0

    monkeypatch.setattr(inbox_ui.InboxDialog, "exec", confirm_all)
    with qtbot.waitSignal(w.sync.inbox_read, timeout=20_000):
        qtbot.mouseClick(badge, Qt.MouseButton.LeftButton)
    assert store.count_entries() == 3
    assert not badge.isVisible()
    close_and_wait(w)


def test_an_open_inbox_list_refreshes_when_the_file_changes(
    store: Store, tmp_path: Path, qtbot, close_and_wait, monkeypatch
) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    inbox = folder / "inbox.txt"
    _write_inbox(inbox, "call with @Ana\n")
    choose_folder(store, folder)
    ctx = AppContext(store)
    w = _window(ctx, qtbot)
    with qtbot.waitSignal(w.sync.inbox_read, timeout=20_000):
        w.show()
    from ties.ui import inbox as inbox_ui

    counts: list[int] = []

    def watch(dialog) -> int:
        dialog.show()
        counts.append(dialog.lines.count())
        with qtbot.waitSignal(w.sync.inbox_read, timeout=20_000):
            _write_inbox(inbox, "call with @Ana\nlunch with @Bo\n")
        counts.append(dialog.lines.count())
        dialog.hide()
        return 0

    monkeypatch.setattr(inbox_ui.InboxDialog, "exec", watch)
    w.sync.open_inbox(w)
    assert counts == [1, 2]
    assert store.count_entries() == 0
    close_and_wait(w)


def test_save_all_that_parse_saves_new_lines_as_they_arrive(
    store: Store, tmp_path: Path, qtbot, find, close_and_wait
) -> None:
    """Only once the person chose it in the inbox list; one undo step; lines marked done."""
    from PySide6.QtWidgets import QCheckBox

    from ties.ui.inbox import InboxDialog

    folder = tmp_path / "Sync"
    folder.mkdir()
    inbox = folder / "inbox.txt"
    _write_inbox(inbox, "")
    choose_folder(store, folder)
    ctx = AppContext(store)
    dialog = InboxDialog(ctx, folder)
    qtbot.addWidget(dialog)
    box = find(dialog, QCheckBox, "Save every line that parses")
    assert not box.isChecked()
    box.setChecked(True)  # kept with the window's settings
    dialog.close()

    _write_inbox(inbox, "call with @Ana\nnonsense words\n")
    w = _window(ctx, qtbot)
    with qtbot.waitSignal(w.sync.inbox_read, timeout=20_000):
        w.show()
    qtbot.waitUntil(lambda: store.count_entries() == 1, timeout=20_000)
    assert inbox.read_text(encoding="utf-8").splitlines() == [
        "[x] call with @Ana",
        "nonsense words",
    ]
    badge = find(w, QPushButton, "Phone inbox lines")
    qtbot.waitUntil(lambda: badge.text() == "1 new lines in the inbox", timeout=20_000)
    ctx.undo_stack.undo()
    assert store.count_entries() == 0
    close_and_wait(w)
