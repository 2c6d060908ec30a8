"""The tray: its menu's actions, closing to the tray, the quick-add window, handing over to it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ties.analysis.reminders import Reminder
from ties.model import Entry, Person
from ties.store import Store
from ties.ui import tray_prefs
from ties.ui.context import AppContext
from ties.ui.instance import InstanceServer
from ties.ui.notifications import paused_on
from ties.ui.tray import TrayAgent, count_icon
from ties.ui.tray_prefs import keep_running, set_keep_running


class FakeNotifier:
    """Records what would be sent; ``clicked`` is a real signal so the agent can connect."""

    def __init__(self) -> None:
        from PySide6.QtCore import QObject, Signal

        class _S(QObject):
            clicked = Signal()

        self._s = _S()
        self.clicked = self._s.clicked
        self.sent: list[Reminder] = []

    def send(self, reminder: Reminder) -> None:
        self.sent.append(reminder)

    def close(self) -> None:
        pass


def fill(store: Store) -> None:
    ana = store.add_person(Person(name="Ana Ruiz"))
    ben = store.add_person(Person(name="Ben Okafor"))
    for p in (ana, ben):
        store.add_entry(
            Entry(date=date(2026, 6, 1), person_ids=[p.id], follow_up=date(2026, 6, 20))
        )  # type: ignore[list-item]


@pytest.fixture
def agent(window, qtbot) -> Iterator[TrayAgent]:
    fill(window.ctx.store)
    a = TrayAgent(
        window,
        notifier=FakeNotifier(),  # type: ignore[arg-type]
        available=True,
        clock=lambda: datetime(2026, 6, 30, 9, 30).astimezone(),
        ask=lambda _parent: True,
    )
    a.start()
    qtbot.waitUntil(lambda: a.count is not None, timeout=10_000)
    yield a
    if a.quick_window is not None:  # gone with the test, not whenever it is collected
        a.quick_window.close()


def test_the_menu_has_the_five_actions(agent: TrayAgent) -> None:
    texts = [a.text() for a in agent.menu.actions() if not a.isSeparator()]
    assert texts == ["Quick add…", "Today", "Open Ties", "Pause reminders for today", "Quit"]


def test_the_icon_counts_today(agent: TrayAgent) -> None:
    assert agent.count == 2
    assert agent.tray.toolTip() == "Ties — 2 things for today"
    assert (
        count_icon(agent.tray.icon(), 0).cacheKey() != count_icon(agent.tray.icon(), 2).cacheKey()
    )


def test_today_opens_the_window_on_today(agent: TrayAgent, window, qtbot) -> None:
    window.show_place("journal")
    window.hide()
    agent.act_today.trigger()
    assert window.isVisible()
    assert window.current_place() == "today"


def test_a_click_on_the_reminder_opens_today(agent: TrayAgent, window) -> None:
    window.show_place("people")
    window.hide()
    agent.notifier.clicked.emit()
    assert window.isVisible() and window.current_place() == "today"


def test_the_morning_reminder_names_today(agent: TrayAgent, qtbot) -> None:
    agent.clock.check()  # 09:30: due
    notifier: Any = agent.notifier
    qtbot.waitUntil(lambda: bool(notifier.sent), timeout=10_000)
    (r,) = notifier.sent
    assert r.title == "Ties: 2 things for today"
    assert r.body.splitlines() == ["Follow up with Ana Ruiz", "Follow up with Ben Okafor"]


def test_pause_for_today(agent: TrayAgent) -> None:
    agent.act_pause.trigger()
    assert paused_on() == date(2026, 6, 30)
    assert not agent.clock.check()
    agent.act_pause.trigger()
    assert paused_on() is None


def test_quick_add_opens_the_small_window_enter_saves_and_closes(agent: TrayAgent, qtbot) -> None:
    agent.act_quick.trigger()
    win = agent.quick_window
    assert win.isVisible()
    assert win.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    before = agent.ctx.store.count_entries()
    qtbot.keyClicks(win.quick.line, 'call with @"Ana Ruiz" yesterday')
    win.quick.completer.popup().hide()
    qtbot.keyClick(win.quick.line, Qt.Key.Key_Return)
    assert agent.ctx.store.count_entries() == before + 1
    assert not win.isVisible()
    assert agent.ctx.undo_stack.canUndo()  # the window's one undo stack


def test_quick_add_escape_closes_and_a_mistake_keeps_it_open(agent: TrayAgent, qtbot) -> None:
    agent.quick_add()
    win = agent.quick_window
    qtbot.keyClicks(win.quick.line, "gave #nosuchtype to @Ana")
    win.quick.completer.popup().hide()
    qtbot.keyClick(win.quick.line, Qt.Key.Key_Return)
    assert win.isVisible() and win.quick.error
    qtbot.keyClick(win.quick.line, Qt.Key.Key_Escape)
    assert not win.isVisible()


def test_closing_the_window_keeps_ties_in_the_tray(agent: TrayAgent, window) -> None:
    assert keep_running() is None
    assert window.close() is False  # hidden, not closed
    assert not window.isVisible()
    assert keep_running() is True  # the first-run answer is kept
    assert window.lock is None or window.lock.isLocked()


def test_no_to_the_first_run_question_closes_for_real(window, qtbot, close_and_wait) -> None:
    a = TrayAgent(window, notifier=FakeNotifier(), available=True, ask=lambda _p: False)  # type: ignore[arg-type]
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    close_and_wait(window)
    assert closed == [True]
    assert keep_running() is False
    assert a.quitting is False


def test_without_a_tray_the_window_closes(window, close_and_wait) -> None:
    set_keep_running(True)
    TrayAgent(window, notifier=FakeNotifier(), available=False)  # type: ignore[arg-type]
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    close_and_wait(window)
    assert closed == [True]


def test_quit_from_the_tray_closes_the_window_with_its_backup(
    agent: TrayAgent, window, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.ui import quit_backup

    asked: list[AppContext] = []
    monkeypatch.setattr(quit_backup, "quit_backup_due", lambda ctx: asked.append(ctx) or False)
    window.close()  # to the tray
    assert not window.isVisible()
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    agent.act_quit.trigger()
    qtbot.waitUntil(lambda: closed == [True], timeout=10_000)
    assert asked == [window.ctx]  # the closing backup was considered though the window was hidden
    assert not agent.tray.isVisible()


def test_file_quit_quits_even_when_closing_hides(agent: TrayAgent, window, qtbot) -> None:
    set_keep_running(True)
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.act_quit.trigger()
    qtbot.waitUntil(lambda: closed == [True], timeout=10_000)


def test_the_calendar_file_is_kept_in_the_chosen_folder(window, qtbot, tmp_path: Path) -> None:
    fill(window.ctx.store)
    folder = tmp_path / "cal"
    folder.mkdir()
    tray_prefs.set_calendar_folder(folder)
    a = TrayAgent(window, notifier=FakeNotifier(), available=True, ask=lambda _p: False)  # type: ignore[arg-type]
    a.refresh()
    qtbot.waitUntil(lambda: (folder / "ties.ics").exists(), timeout=10_000)
    assert b"Follow up with Ana Ruiz" in (folder / "ties.ics").read_bytes()


# ------------------------------------------------------------------ handing over


def _run_ties(*args: str, env_home: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2] / "src"), TIES_HOME=env_home)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.Popen(
        [sys.executable, "-m", "ties", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_exit(qtbot, proc: subprocess.Popen[str]) -> int:
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    return proc.returncode


def test_ties_quick_hands_over_to_the_running_instance(agent: TrayAgent, qtbot) -> None:
    journal = agent.ctx.store.path
    server = InstanceServer(journal.resolve(), agent)
    server.requested.connect(agent.handle)
    assert server.listen()
    proc = _run_ties("--db", str(journal), "quick", env_home=os.environ["TIES_HOME"])
    qtbot.waitUntil(
        lambda: agent.quick_window is not None and agent.quick_window.isVisible(), timeout=30_000
    )
    assert _wait_exit(qtbot, proc) == 0, proc.stderr.read() if proc.stderr else ""
    server.close()


def test_a_second_ties_raises_the_first(agent: TrayAgent, window, qtbot, tmp_path: Path) -> None:
    from ties.ui import lock as journal_lock

    journal = agent.ctx.store.path
    lock = journal_lock.acquire(journal.resolve())  # as the running window holds it
    server = InstanceServer(journal.resolve(), agent)
    server.requested.connect(agent.handle)
    assert server.listen()
    window.hide()
    try:
        proc = _run_ties("--db", str(journal), env_home=os.environ["TIES_HOME"])
        qtbot.waitUntil(window.isVisible, timeout=30_000)
        assert _wait_exit(qtbot, proc) == 0
    finally:
        lock.unlock()
        server.close()


def test_ties_quick_alone_without_a_running_instance_fails_cleanly_when_locked_elsewhere(
    store: Store, qtbot
) -> None:
    from ties.ui import lock as journal_lock

    lock = journal_lock.acquire(store.path.resolve())  # locked, but nobody listening
    try:
        proc = _run_ties("--db", str(store.path), "quick", env_home=os.environ["TIES_HOME"])
        assert _wait_exit(qtbot, proc) == 1
        assert proc.stderr is not None
        err = proc.stderr.read()
        assert "already open" in err and "Traceback" not in err
    finally:
        lock.unlock()


# ------------------------------------------------------------------- settings


def test_settings_dialog_writes_and_removes_the_autostart_file(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.ui import notifications
    from ties.ui.tray_settings import TraySettingsDialog

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    entry = tmp_path / "cfg" / "autostart" / "io.github.ties.Ties.desktop"
    dialog = TraySettingsDialog(tray=True)
    qtbot.addWidget(dialog)
    dialog.login.setChecked(True)
    dialog.keep.setChecked(True)
    dialog.hide_names.setChecked(True)
    dialog.time.setTime(dialog.time.time().fromString("07:45", "HH:mm"))
    assert dialog.apply() is None
    assert "--tray" in entry.read_text()
    assert keep_running() is True
    assert notifications.reminder_time().strftime("%H:%M") == "07:45"
    assert notifications.flag(notifications.KEY_HIDE_NAMES, False) is True
    dialog = TraySettingsDialog(tray=True)
    qtbot.addWidget(dialog)
    assert dialog.login.isChecked()
    dialog.login.setChecked(False)
    assert dialog.apply() is None
    assert not entry.exists()


def test_settings_dialog_without_a_tray_says_so(qtbot) -> None:
    from ties.ui.tray_settings import NO_TRAY, TraySettingsDialog

    dialog = TraySettingsDialog(tray=False)
    qtbot.addWidget(dialog)
    assert not dialog.keep.isEnabled()
    assert dialog.no_tray.text() == NO_TRAY


def test_settings_dialog_refuses_a_calendar_folder_that_is_not_one(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.ui.tray_settings import TraySettingsDialog

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    dialog = TraySettingsDialog(tray=True)
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "missing"))
    assert "is not a folder" in (dialog.apply() or "")
    assert tray_prefs.calendar_folder() is None


def test_the_window_menu_offers_the_tray_settings(agent: TrayAgent, window) -> None:
    edit = next(a for a in window.menuBar().actions() if a.text() == "&Edit").menu()
    assert agent.act_settings in edit.actions()


def test_past_midnight_the_count_is_of_the_new_day(window, qtbot) -> None:
    fill(window.ctx.store)  # two follow-ups due on 2026-06-20
    now = [datetime(2026, 6, 19, 23, 59).astimezone()]
    a = TrayAgent(
        window,
        notifier=FakeNotifier(),  # type: ignore[arg-type]
        available=True,
        clock=lambda: now[0],
        ask=lambda _p: False,
    )
    a.refresh()
    qtbot.waitUntil(lambda: a.count is not None, timeout=10_000)
    assert a.count == 0  # not due yet
    a._new_day()  # same day: nothing to do
    now[0] = datetime(2026, 6, 20, 0, 1).astimezone()
    a.count = None
    a._new_day()
    qtbot.waitUntil(lambda: a.count is not None, timeout=10_000)
    assert a.count == 2


def test_ties_quick_alone_opens_saves_and_ends(
    store: Store, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No Ties running: the quick window opens over the journal and the run ends when it closes."""
    from PySide6.QtCore import QTimer

    from ties.ui import instance, quick_start, quick_window

    monkeypatch.setattr(instance, "hand_over", lambda *_a, **_k: False)
    path = store.path
    store.close()
    seen: list[Any] = []

    def type_and_enter() -> None:
        win = next(
            w
            for w in QApplication.topLevelWidgets()
            # Not a quick window an earlier test's tray left open over its own journal:
            if isinstance(w, quick_window.QuickWindow)
            and w.isVisible()
            and w.quick.ctx.store.path == path
        )
        seen.append(win.isVisible())
        win.quick.line.setText("call with @Ana yesterday")
        win.quick.commit()

    QTimer.singleShot(300, type_and_enter)
    QTimer.singleShot(15_000, QApplication.quit)  # a safety net: never hang the suite
    assert quick_start.run_quick(path) == 0
    assert seen == [True]
    with Store.open(path) as again:
        assert again.count_entries() == 1
        assert again.resolve_person("Ana") is not None


def test_no_quick_window_is_built_ahead_once_the_window_closed(
    window, qtbot, close_and_wait, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built ahead a moment after the start: not when Ties already quit (nothing would close it)."""
    from ties.ui import tray

    monkeypatch.setattr(tray, "QUICK_AHEAD_MS", 100)
    a = TrayAgent(window, notifier=FakeNotifier(), available=False, ask=lambda _p: False)  # type: ignore[arg-type]
    a.start()
    close_and_wait(window)
    qtbot.wait(400)
    assert a.quick_window is None


def test_the_quick_window_is_built_ahead(window, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    from ties.ui import tray

    monkeypatch.setattr(tray, "QUICK_AHEAD_MS", 100)
    a = TrayAgent(window, notifier=FakeNotifier(), available=False, ask=lambda _p: False)  # type: ignore[arg-type]
    a.start()
    qtbot.waitUntil(lambda: a.quick_window is not None, timeout=5_000)
    a.quick_window.close()
