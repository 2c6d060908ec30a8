"""Lock after idle: an encrypted journal left alone closes and asks its passphrase again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from ties.app.journal import open_journal
from ties.model import Person
from ties.store import Store, conversion, encryption
from ties.ui import idle_lock, unlock
from ties.ui.context import AppContext
from ties.ui.main_window import MainWindow

PASS = "idle lock passphrase"


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    encryption.forget_all_keys()
    monkeypatch.setattr(unlock, "_unlock", unlock.WindowUnlock())
    monkeypatch.setattr(unlock, "_keyring_get", lambda _p: None)
    yield
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)


def _journal(tmp_path: Path, *, encrypt: bool) -> Path:
    db = tmp_path / "j.ties"
    with Store.open(db) as store:
        store.add_person(Person(name="Ana Ruiz"))
    if encrypt:
        conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    return db


def _window(qtbot, db: Path, monkeypatch: pytest.MonkeyPatch, idle_ms: int) -> MainWindow:
    store = open_journal(db, check=False, unlock=PASS)
    window = MainWindow(AppContext(store))
    qtbot.addWidget(window)
    window.idle_lock.timer.stop()
    window.idle_lock = idle_lock.IdleLock(window.ctx, window, idle_ms=idle_ms)
    window.show()
    qtbot.wait(50)  # the window's own first events
    return window


def _closed(store: Store) -> bool:
    try:
        store.get_meta("name")
    except Exception:
        return True
    return False


def _close(qtbot, window: MainWindow) -> None:
    window.idle_lock.timer.stop()
    if not window.close():  # it closes once the backup it takes on closing is done
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    qtbot.wait(50)
    window.ctx.store.close()


def test_the_setting_is_off_by_default() -> None:
    assert idle_lock.idle_minutes() == 0
    idle_lock.set_idle_minutes(15)
    assert idle_lock.idle_minutes() == 15


def test_idle_closes_the_journal_hides_the_window_and_asks_the_passphrase(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _journal(tmp_path, encrypt=True)
    seen: list[tuple[bool, bool, bool, bool]] = []

    def exec_(dialog: unlock.UnlockDialog) -> int:
        # While the dialog is up: no window of the journal is shown, no key is kept.
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not dialog]
        journal_open = window.ctx.store.path == db or not _closed(old)
        seen.append(
            (window.isVisible(), bool(shown), encryption.cached_key(db) is not None, journal_open)
        )
        dialog.field.setText("wrong one" if len(seen) == 1 else PASS)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(unlock.UnlockDialog, "exec", exec_)
    store = open_journal(db, check=False, unlock=PASS)
    old = store
    window = MainWindow(AppContext(store))
    qtbot.addWidget(window)
    window.idle_lock.timer.stop()
    window.show()
    qtbot.wait(50)
    window.idle_lock = idle_lock.IdleLock(window.ctx, window, idle_ms=50)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert seen == [(False, False, False, False)] * 2  # asked again after a wrong one
    qtbot.waitUntil(window.isVisible, timeout=10_000)
    assert window.ctx.store is not old and window.ctx.store.encrypted
    assert [p.name for p in window.ctx.store.list_people()] == ["Ana Ruiz"]
    assert not window.idle_lock.locked and window.idle_lock.timer.isActive()
    _close(qtbot, window)


def test_input_restarts_the_wait(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    db = _journal(tmp_path, encrypt=True)
    asked: list[object] = []

    def exec_(dialog: unlock.UnlockDialog) -> int:
        asked.append(dialog)
        dialog.field.setText(PASS)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(unlock.UnlockDialog, "exec", exec_)
    window = _window(qtbot, db, monkeypatch, idle_ms=400)
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    for _n in range(8):  # 1.2 s of use, a key every 150 ms: never idle for 400 ms
        qtbot.wait(150)
        assert window.idle_lock.eventFilter(window, press) is False  # passed on
    assert asked == []
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10_000)  # then left alone: locked
    _close(qtbot, window)


def test_a_plain_journal_is_never_locked(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _journal(tmp_path, encrypt=False)
    window = _window(qtbot, db, monkeypatch, idle_ms=60_000)
    asked: list[object] = []
    monkeypatch.setattr(unlock.UnlockDialog, "exec", lambda d: asked.append(d) or 0)
    window.idle_lock.lock()
    assert asked == [] and window.isVisible() and not window.idle_lock.locked
    assert window.ctx.store.count_people() == 1
    _close(qtbot, window)


def test_cancel_quits_and_leaves_the_journal_closed(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _journal(tmp_path, encrypt=True)
    window = _window(qtbot, db, monkeypatch, idle_ms=60_000)
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    monkeypatch.setattr(unlock.UnlockDialog, "exec", lambda d: QDialog.DialogCode.Rejected)
    window.idle_lock.lock()
    assert quits == [True] and not window.isVisible() and window.idle_lock.locked
    assert encryption.cached_key(db) is None
    assert window.ctx.store.path != db and window.ctx.store.count_people() == 0
    _close(qtbot, window)


def test_no_event_passes_through_python_while_the_setting_is_off(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An application-wide filter sees every event of every widget: only while waiting."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    seen: list[int] = []
    real = idle_lock.IdleLock.eventFilter

    def counting(self, watched, event):
        seen.append(1)
        return real(self, watched, event)

    monkeypatch.setattr(idle_lock.IdleLock, "eventFilter", counting)
    db = _journal(tmp_path, encrypt=True)
    window = _window(qtbot, db, monkeypatch, idle_ms=0)  # 0: the setting is off
    press = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, press)
    assert seen == [] and not window.idle_lock.watching
    window.idle_lock._fixed_ms = 60_000  # turned on: input restarts the wait
    window.idle_lock.restart()
    QApplication.sendEvent(window, press)
    assert seen and window.idle_lock.watching
    window.idle_lock._fixed_ms = 0  # and off again
    window.idle_lock.restart()
    seen.clear()
    QApplication.sendEvent(window, press)
    assert seen == [] and not window.idle_lock.watching
    _close(qtbot, window)


def test_a_closed_window_never_locks(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the window has closed for good, a wait that was running ends and nothing asks
    for the passphrase (a lock during quitting once left a dialog up with no window)."""
    db = _journal(tmp_path, encrypt=True)
    asked: list[object] = []
    monkeypatch.setattr(unlock.UnlockDialog, "exec", lambda d: asked.append(d) or 0)
    window = _window(qtbot, db, monkeypatch, idle_ms=60_000)
    assert window.idle_lock.timer.isActive()
    if not window.close():  # it closes once the backup it takes on closing is done
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert not window.idle_lock.timer.isActive()
    window.idle_lock.restart()  # a journal opened, a setting changed: still nothing
    window.idle_lock.lock()
    assert not window.idle_lock.timer.isActive() and asked == []
    window.ctx.store.close()
