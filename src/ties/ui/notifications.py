"""Desktop notifications through the platform's own service, and the morning reminder's timer.

:class:`Notifier` sends through ``desktop-notifier`` (freedesktop
notifications over D-Bus on Linux, the Notification Center on macOS, toasts
on Windows). That library is asynchronous, so it runs on its own asyncio loop
in one background thread; a click on the notification comes back to the GUI
thread as the ``clicked`` signal. Nothing here opens a network connection: the
session bus is a local socket.

:class:`ReminderClock` asks :func:`~ties.analysis.reminders.reminder_due` every
half minute (a clock and an interval can be injected), so a machine that
slept, a daylight-saving change or a new time zone are all met by the next
check instead of a timer set for hours ahead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from ties.analysis.reminders import Reminder, local_now, parse_time, reminder_due
from ties.ui.settings import app_settings

if TYPE_CHECKING:  # asyncio is imported on the first send (~25 ms the window's start need not pay)
    import asyncio
    from concurrent.futures import Future

log = logging.getLogger(__name__)
# desktop-notifier logs a failed send with a traceback; Ties logs one line of its own.
logging.getLogger("desktop_notifier").setLevel(logging.ERROR)

#: How often the reminder clock looks at the time (ms).
CHECK_INTERVAL_MS = 30_000

KEY_TIME = "reminders/time"
KEY_HIDE_NAMES = "reminders/hide_names"
KEY_ENABLED = "reminders/enabled"
KEY_LAST_SHOWN = "reminders/last_shown"
KEY_PAUSED_ON = "reminders/paused_on"


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def reminder_time() -> time:
    return parse_time(str(app_settings().value(KEY_TIME, "09:00")))


def flag(key: str, default: bool) -> bool:
    value = app_settings().value(key, default)
    return value.lower() in ("true", "1") if isinstance(value, str) else bool(value)


def paused_on() -> date | None:
    return _day(app_settings().value(KEY_PAUSED_ON, ""))


def pause_today(day: date | None) -> None:
    """Pause reminders for ``day`` (None: resume)."""
    app_settings().setValue(KEY_PAUSED_ON, day.isoformat() if day else "")


class Notifier(QObject):
    """Sends notifications; one background thread holds the asyncio loop.

    Signals:
        clicked(): the user clicked the last notification (open Today).
        sent(): the notification service accepted a notification.
        failed(str): it could not be sent (no service on the bus, …).
    """

    clicked = Signal()
    sent = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._notifier: Any = None

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            import asyncio

            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(
                target=self._loop.run_forever, name="ties-notifications", daemon=True
            )
            self._thread.start()
        return self._loop

    def send(self, reminder: Reminder) -> Future[Any]:
        """Send ``reminder``; returns the future of the send (tests wait on it)."""
        import asyncio

        loop = self._ensure_loop()
        return asyncio.run_coroutine_threadsafe(self._send(reminder), loop)

    async def _send(self, reminder: Reminder) -> None:
        try:
            from desktop_notifier import DesktopNotifier

            if self._notifier is None:
                self._notifier = DesktopNotifier(app_name="Ties")
            dispatched = threading.Event()
            await self._notifier.send(
                title=reminder.title,
                message=reminder.body,
                on_clicked=self.clicked.emit,
                on_dispatched=dispatched.set,
            )
        except Exception as exc:  # no bus, no service: the reminder is not worth a crash
            log.warning("notification not sent: %s", type(exc).__name__)
            self.failed.emit(type(exc).__name__)
            return
        if dispatched.is_set():
            self.sent.emit()
        else:  # desktop-notifier logs a failure and returns without raising
            self.failed.emit("the notification service did not accept it")

    def close(self) -> None:
        """Stop the loop thread (at quit)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(2)
            self._loop = None


class ReminderClock(QObject):
    """Says when the day's reminder is due; the tray builds and sends it.

    Signals:
        due(date): the reminder for this (local) day is due now.
    """

    due = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        clock: Callable[[], datetime] = local_now,
        interval_ms: int = CHECK_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(0, self.check)  # at start: a morning the machine was off

    def check(self) -> bool:
        """Emit :attr:`due` (and remember the day) when the reminder is due now."""
        if not flag(KEY_ENABLED, True):
            return False
        now = self.clock()
        s = app_settings()
        last = _day(s.value(KEY_LAST_SHOWN, ""))
        if not reminder_due(now, reminder_time(), last, paused_on()):
            return False
        s.setValue(KEY_LAST_SHOWN, now.date().isoformat())
        s.sync()
        self.due.emit(now.date())
        return True
