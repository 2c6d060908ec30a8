"""The window under stress: a full disk, a read-only journal, the command line writing too,
and no network while it goes through every place.

Runs the real MainWindow offscreen, in process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from reliability_kit import child_env, damage_quietly, dump_rows, load_script

from ties.model import Entry, Person
from ties.store import Store
from ties.store import journal as journal_module

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
    "This plugin does not support grabbing the mouse",
)

TODAY = date(2026, 6, 30)
crash = load_script("crash_test")


def _find(parent, cls, name: str):  # type: ignore[no-untyped-def]
    for w in parent.findChildren(cls):
        if w.accessibleName() == name:
            return w
    raise LookupError(f"no {cls.__name__} named {name!r}")


@pytest.fixture
def make_window(qtbot) -> Iterator:  # type: ignore[no-untyped-def]
    from ties.ui.context import AppContext
    from ties.ui.main_window import MainWindow

    made = []

    def make(store: Store) -> MainWindow:
        ctx = AppContext(store)
        ctx.set_today(TODAY)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
        window.ctx.store.close()


def _journal(path: Path) -> Path:
    with Store.open(path) as store:
        ana = store.add_person(Person(name="Ana Ruiz"))
        assert ana.id
        store.add_entry(Entry(date=date(2026, 5, 1), person_ids=[ana.id], note="first"))
    return path


def _quick_add(window, qtbot, text: str) -> QLineEdit:  # type: ignore[no-untyped-def]
    window.show_place("journal")
    line = _find(window, QLineEdit, "Quick add entry")
    line.setText(text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    return line


def test_full_disk_in_the_window_keeps_the_typed_entry(
    tmp_path: Path, make_window, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = _journal(tmp_path / "journal.ties")
    before = dump_rows(journal)
    real_connect = journal_module._connect

    def capped(path: Path, readonly: bool) -> sqlite3.Connection:
        conn = real_connect(path, readonly)
        conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
        return conn

    monkeypatch.setattr(journal_module, "_connect", capped)
    window = make_window(Store.open(journal))
    text = "received #expertise from @Ana @Newcomer w2: " + "a note I must not lose " * 300
    line = _quick_add(window, qtbot, text)
    assert line.text() == text  # still there, to retry
    preview = _find(window, QLabel, "Quick add preview")
    assert "disk is full" in preview.text()
    assert window.ctx.undo_stack.count() == 0
    assert window.ctx.store.integrity_problems() == []
    assert dump_rows(journal) == before


def test_read_only_journal_in_the_window_says_so_and_keeps_the_typed_entry(
    tmp_path: Path, make_window, qtbot
) -> None:
    journal = _journal(tmp_path / "journal.ties")
    before = dump_rows(journal)
    window = make_window(Store.open(journal, readonly=True))
    assert "read-only" in _find(window, QLabel, "Journal file").text()
    text = "gave #career_guidance to @Ana: kept"
    line = _quick_add(window, qtbot, text)
    assert line.text() == text
    assert "read-only" in _find(window, QLabel, "Quick add preview").text()
    for place in ("today", "journal", "people", "coverage", "map"):
        window.show_place(place)  # reading everywhere still works
        qtbot.wait(20)
    assert dump_rows(journal) == before


def test_window_and_command_line_write_at_once(tmp_path: Path, make_window, qtbot) -> None:
    """The window quick-adds while a `ties log` loop writes: every acknowledged write lands."""
    journal = _journal(tmp_path / "journal.ties")
    window = make_window(Store.open(journal))
    writer = crash.start_writer(journal, "cli", child_env(tmp_path / "home"), count=40)
    saved = []
    window.journal_place().quick_add.saved.connect(saved.append)
    for i in range(25):
        line = _quick_add(window, qtbot, f"gave #encouragement to @Ana: window-{i}")
        assert line.text() == "", _find(window, QLabel, "Quick add preview").text()
        qtbot.wait(5)
    report = crash.Report(mode="window+cli")
    acked: list[str] = []
    crash.collect(writer, acked, report)
    assert writer.returncode == 0 and report.failed_writes == []
    assert len(saved) == 25 and len(acked) == 40
    store = window.ctx.store
    notes = {e.note for e in store.list_entries(limit=None)}
    assert {f"window-{i}" for i in range(25)} <= notes
    assert all(any(token in n for n in notes) for token in acked)
    assert store.integrity_problems() == []


def test_every_place_of_the_window_without_network(
    tmp_path: Path, make_window, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from ties.demo import write_demo

    attempts: list[str] = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family=-1, *args, **kwargs):  # type: ignore[no-untyped-def]
            if family != socket.AF_UNIX:
                attempts.append(f"socket({family})")
                raise OSError("network access is forbidden in this test")
            super().__init__(family, *args, **kwargs)

    def blocked(*args, **kwargs):  # type: ignore[no-untyped-def]
        attempts.append(f"connect{args[:1]}")
        raise OSError("network access is forbidden in this test")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", blocked)
    monkeypatch.setattr(socket, "getaddrinfo", blocked)
    store = write_demo(tmp_path / "demo.ties", people=40, entries=400, seed=2, today=TODAY)
    window = make_window(store)
    for place in ("today", "journal", "people", "coverage", "map", "today"):
        window.show_place(place)
        qtbot.wait(150)  # let background jobs of the place run
    ana = store.list_people(limit=1)[0]
    window.ctx.person_requested.emit(ana.id)
    qtbot.wait(100)
    _quick_add(window, qtbot, "gave #encouragement to @Someone: offline")
    qtbot.wait(50)
    assert attempts == []


def test_the_restore_dialog_sets_a_damaged_journal_aside(
    tmp_path: Path, make_window, qtbot
) -> None:
    """Damage the quick check misses: the restore's safety backup of it fails; it goes aside."""
    from PySide6.QtWidgets import QPushButton

    from ties.io import backup as backups
    from ties.ui.dialogs.exchange import RestoreDialog

    journal = _journal(tmp_path / "j.ties")
    with Store.open(journal) as store:
        saved = backups.backup(store)
        store.add_person(Person(name="Zed Quiet"))
    damage_quietly(journal, "Zed Quiet")
    window = make_window(Store.open(journal))
    messages: list[str] = []
    window.ctx.status.connect(messages.append)
    d = RestoreDialog(window.ctx, window)
    qtbot.addWidget(d)
    _find(d, QLineEdit, "Backup to restore").setText(str(saved))
    d.confirm = lambda text: True
    with qtbot.waitSignal(window.ctx.journal_opened, timeout=20_000):
        _find(d, QPushButton, "Restore").click()
    [aside] = tmp_path.glob("j.damaged-*.ties")
    assert any(aside.name in m and "damaged" in m for m in messages)
    assert [p.name for p in window.ctx.store.list_people()] == ["Ana Ruiz"]  # the backup's
    assert window.ctx.store.integrity_problems() == []
