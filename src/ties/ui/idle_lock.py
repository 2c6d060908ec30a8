"""Lock after idle: an encrypted journal left alone is closed and asks its passphrase again.

A setting of the window (off by default; File → Lock after idle…), kept with the
window's other settings, not in the journal (which is locked when it matters).
Any key press, click, scroll or mouse move in the application restarts the
wait. When it runs out and the journal is encrypted, every window of Ties is
hidden (nothing of the journal stays on screen), the journal is closed, the
keys kept in memory are forgotten and the unlock dialog is shown; the right
passphrase opens the journal again where the person was, Cancel quits Ties.
A plain journal is never locked: closing it would protect nothing.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ties.app.journal import open_journal
from ties.store import JournalError, Store, encryption
from ties.ui import jobs
from ties.ui.context import AppContext
from ties.ui.settings import app_settings, remember

#: The window's setting: minutes without input before an encrypted journal locks (0: never).
SETTING = "security/lock_idle_minutes"
#: What the setting offers first when the person turns it on.
SUGGESTED_MINUTES = 15
_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


def idle_minutes() -> int:
    """The setting: minutes of idleness before locking; 0 when off (the default)."""
    try:
        return max(0, int(str(app_settings().value(SETTING, 0))))
    except ValueError:
        return 0


def set_idle_minutes(minutes: int) -> None:
    remember(SETTING, max(0, int(minutes)))


class IdleLock(QObject):
    """Watches the application's input and locks the encrypted journal when idle.

    It watches (an event filter on the whole application) only while a wait runs:
    with the setting off, the default, no event passes through Python for it (a
    filter sees every event of every widget, ~12,000 while the first Today list is
    built). ``idle_ms`` overrides the setting (tests inject a short wait).
    """

    def __init__(self, ctx: AppContext, window: QWidget, idle_ms: int | None = None) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.locked = False
        self._fixed_ms = idle_ms
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.watching = False
        #: Set when the window has closed for good (quitting): nothing locks any more.
        self.stopped = False
        ctx.journal_opened.connect(self.restart)
        self.restart()

    def stop(self) -> None:
        """The window closed for good: no wait, no lock (a lock then would ask the passphrase
        of a journal being closed, with no window to come back to)."""
        self.stopped = True
        self.timer.stop()
        self._watch(False)

    def interval_ms(self) -> int:
        """How long the wait is now (0: no locking)."""
        if self._fixed_ms is not None:
            return self._fixed_ms
        return idle_minutes() * 60_000

    def restart(self) -> None:
        """Start the wait again (input seen, journal opened, setting changed)."""
        ms = self.interval_ms()
        if ms <= 0 or self.locked or self.stopped:
            self.timer.stop()
            self._watch(False)
            return
        self.timer.start(ms)
        self._watch(True)

    def _watch(self, on: bool) -> None:
        """Filter the application's events (to see input) only while waiting."""
        app = QApplication.instance()
        if app is None or on == self.watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self.watching = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # a Qt override
        if event.type() in _INPUT and not self.locked and self.timer.isActive():
            self.timer.start()
        return False

    def lock(self) -> None:
        """Hide every window, close the journal, forget its key, ask the passphrase again."""
        store = self.ctx.store
        if self.locked or self.stopped or not getattr(store, "encrypted", False):
            return
        self.locked = True
        self.timer.stop()
        self._watch(False)
        hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in hidden:
            widget.hide()
        jobs.wait_for_all()
        path = store.path
        # The journal is closed by putting an empty stand-in in its place: whatever the
        # window still does while locked (a queued refresh, a timer) reads that one, never
        # a closed connection, and nothing of the journal is in it.
        stand_in_dir = Path(tempfile.mkdtemp(prefix="ties-locked-"))
        atexit.register(shutil.rmtree, stand_in_dir, True)
        self.ctx.replace_store(Store.open(stand_in_dir / "locked.ties"))
        # No key stays in memory, and a background open cannot ask from its thread.
        encryption.forget_all_keys()
        encryption.set_default_unlock(None)
        from ties.ui.unlock import UnlockCancelledError, open_unlocked

        try:
            fresh = open_unlocked(
                lambda unlock: open_journal(path, create=False, check=False, unlock=unlock)
            )
        except UnlockCancelledError:
            QApplication.quit()
            return
        except JournalError as exc:
            from ties.ui.errors import show_error

            show_error(None, exc, self.tr("Unlock journal"))
            QApplication.quit()
            return
        self.locked = False
        self.ctx.replace_store(fresh)
        jobs.wait_for_all()
        shutil.rmtree(stand_in_dir, ignore_errors=True)
        for widget in hidden:
            widget.show()
        self.restart()
