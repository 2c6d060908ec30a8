"""The window shell: places, first-run page, shortcuts, settings remembered, one writer."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QListWidget, QPushButton

from ties import paths
from ties.io.backup import list_backups
from ties.model import Person
from ties.store import Store
from ties.ui import lock as journal_lock
from ties.ui import settings as ui_settings
from ties.ui.main_window import PLACES


def test_title_and_places(window, find):
    assert window.windowTitle() == window.ctx.store.name
    sidebar = find(window, QListWidget, "Places")
    assert [sidebar.item(i).text() for i in range(sidebar.count())] == [
        "Today",
        "Journal",
        "People",
        "Coverage",
        "Map",
    ]
    for i, name in enumerate(PLACES):
        action = window.act_places[i]
        assert action.shortcut().toString() == f"Ctrl+{i + 1}"
        action.trigger()
        assert window.current_place() == name


def test_empty_journal_offers_three_ways_to_start(window, find, qtbot):
    window.show_place("today")
    assert window.stack.currentWidget() is window.welcome
    for name in ("Add the first person", "Log the first entry", "Explore a sample journal"):
        assert find(window.welcome, QPushButton, name).isVisible()
    find(window.welcome, QPushButton, "Log the first entry").click()
    assert window.current_place() == "journal"
    assert window.journal_place().quick_add.line.hasFocus()


def test_first_person_leaves_the_welcome_page(window, ctx):
    window.show_place("today")
    from ties.ui import commands

    commands.add_person(ctx, Person(name="Sam"))
    assert window.stack.currentWidget() is window.places["today"]


def test_sample_journal_is_a_separate_file(window, ctx, find, monkeypatch):
    import ties.demo

    real = ties.demo.write_demo
    monkeypatch.setattr(
        ties.demo, "write_demo", lambda path: real(path, people=20, entries=100, seed=1)
    )
    own = ctx.store.path
    find(window.welcome, QPushButton, "Explore a sample journal").click()
    assert window.ctx.store.path == paths.sample_journal_path()
    assert window.ctx.store.is_demo
    assert window.windowTitle() == window.ctx.store.name
    with Store.open(own) as mine:
        assert mine.count_people() == 0 and mine.count_entries() == 0
    window.close()


def test_second_instance_is_refused(db_path):
    first = journal_lock.acquire(db_path)
    try:
        with pytest.raises(journal_lock.JournalLockedError, match="already open"):
            journal_lock.acquire(db_path)
        proc = subprocess.run(
            [sys.executable, "-m", "ties", "--db", str(db_path), "--smoke-test"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        assert proc.returncode == 1
        assert "already open in another Ties window" in proc.stderr
    finally:
        first.unlock()
    again = journal_lock.acquire(db_path)
    again.unlock()


def test_geometry_place_and_journal_are_remembered(ctx, qtbot, isolated_home, close_and_wait):
    from ties.ui.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.resize(900, 650)  # the offscreen screen is 800 px wide: width is clamped
    w.show_place("people")
    close_and_wait(w)
    ui_settings.remember_journal(ctx.store.path)
    assert ui_settings.last_journal() == ctx.store.path
    assert str(isolated_home) in ui_settings.app_settings().fileName()
    w2 = MainWindow(ctx)
    qtbot.addWidget(w2)
    w2.restore_state()
    assert w2.current_place() == "people"
    assert w2.height() == 650


def test_smoke_test_flag_exits_zero(db_path):
    from ties.ui.app import run

    assert run(["--db", str(db_path), "--smoke-test"]) == 0
    # it closed after the automatic backup taken on a worker, and let the journal go
    assert [b.kind for b in list_backups(db_path.stem)] == ["auto"]
    assert not journal_lock.lock_path(db_path).exists()


def test_shortcuts_are_the_documented_ones(window):
    keys = {
        window.act_new_entry: "Ctrl+N",
        window.act_quick_add: "Ctrl+L",
        window.act_find: "Ctrl+F",
        window.act_undo: "Ctrl+Z",
        window.act_redo: "Ctrl+Shift+Z",
    }
    for action, key in keys.items():
        assert action.shortcut().toString() == key
    window.show_place("people")
    window.act_quick_add.trigger()
    assert window.current_place() == "journal"


def test_open_another_journal_moves_the_lock(window, ctx, tmp_path):
    from ties.ui import commands

    commands.add_person(ctx, Person(name="Sam"))
    other = tmp_path / "work.ties"
    Store.open(other).close()
    window.lock = journal_lock.acquire(ctx.store.path)
    first = ctx.store.path
    assert window.open_journal(other)
    assert window.ctx.store.path == other.resolve()
    assert window.windowTitle() == "work"
    assert window.ctx.undo_stack.count() == 0  # undo never reaches into another journal
    journal_lock.acquire(first).unlock()  # the first journal is free again
    with pytest.raises(journal_lock.JournalLockedError):
        journal_lock.acquire(other)
    assert ui_settings.last_journal() == other.resolve()


def test_a_new_journal_in_a_new_folder_opens(tmp_path):
    from ties.ui.app import run

    path = tmp_path / "new" / "folder" / "mine.ties"
    assert run(["--db", str(path), "--smoke-test"]) == 0
    assert path.exists() and not journal_lock.lock_path(path).exists()
