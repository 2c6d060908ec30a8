"""Ties in the tray: the Today count, a menu, reminders, quick add, and closing to the tray.

:class:`TrayAgent` sits beside the main window for the whole run. It

- shows a tray icon with the number of Today items due (follow-ups, dates,
  ties gone quiet: what the morning reminder speaks of) and the menu
  *Quick add…, Today, Open Ties, Pause reminders for today, Quit*;
- keeps Ties running in the tray when the window is closed, once the user
  said yes to the first-run question (never where the platform has no tray);
- sends the morning reminder (:mod:`ties.ui.notifications`) and opens Today
  when it is clicked;
- keeps a calendar file (``ties.ics``) up to date in a folder the user chose;
- answers later starts (``ties quick``, a second ``ties``) through
  :class:`~ties.ui.instance.InstanceServer`.

Quitting from the tray closes the main window, so the closing backup runs as
when the window is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QSystemTrayIcon, QWidget

from ties.analysis.reminders import build_reminder, local_now, reminder_items
from ties.analysis.today import today_items
from ties.store import Store
from ties.ui import jobs
from ties.ui.icons import icon
from ties.ui.main_window import MainWindow
from ties.ui.notifications import (
    KEY_HIDE_NAMES,
    Notifier,
    ReminderClock,
    flag,
    pause_today,
    paused_on,
)
from ties.ui.settings import app_settings
from ties.ui.tray_prefs import calendar_folder, keep_running, set_keep_running

#: Wait for a pause in changes before recounting Today and rewriting the calendar.
REFRESH_PAUSE_MS = 1500
#: The quick-add window is built this long after the start, ahead of its first use.
QUICK_AHEAD_MS = 2000


def count_icon(base: QIcon, count: int, size: int = 64) -> QIcon:
    """``base`` with ``count`` in a red badge (no badge for 0)."""
    pix = base.pixmap(size, size)
    if count <= 0:
        return QIcon(pix)
    pix = QPixmap(pix)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    badge = QRectF(size * 0.40, size * 0.40, size * 0.60, size * 0.60)
    painter.setBrush(QColor("#d7263d"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(badge)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * (0.36 if count < 10 else 0.28)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
    painter.end()
    return QIcon(pix)


def _reminder_list(store: Store, day: date) -> list[Any]:
    """What the tray counts and the reminder names (on a worker)."""
    return reminder_items(today_items(store, day, include_gaps=False))


class TrayAgent(QObject):
    """The tray icon and everything that runs while the window is closed.

    Attributes:
        window: the main window.
        tray: the :class:`QSystemTrayIcon`.
        menu: its menu; ``act_quick``, ``act_today``, ``act_open``, ``act_pause``,
            ``act_quit`` are its actions.
        available: whether the platform has a tray at all.
        count: the number of Today items due, once counted (None before).
    """

    def __init__(
        self,
        window: MainWindow,
        *,
        clock: Callable[[], datetime] = local_now,
        notifier: Notifier | None = None,
        available: bool | None = None,
        ask: Callable[[QWidget], bool] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None else available
        self.quitting = False
        self.count: int | None = None
        self._counted_on: date | None = None  # the local day of the last count
        self._ask = ask or ask_keep_running
        self._quick: Any = None
        self._closed = False  # the window closed for real: Ties is quitting
        self.tray = QSystemTrayIcon(icon("app"), self)
        self.tray.setToolTip(self.tr("Ties"))
        self.menu = QMenu()
        self.menu.setAccessibleName("Ties tray menu")
        self.act_quick = self._action(self.tr("Quick add…"), self.quick_add)
        self.act_today = self._action(self.tr("Today"), self.open_today)
        self.act_open = self._action(self.tr("Open Ties"), self.open_window)
        self.menu.addSeparator()
        self.act_pause = self._action(self.tr("Pause reminders for today"), self._pause_toggled)
        self.act_pause.setCheckable(True)
        self.menu.addSeparator()
        self.act_quit = self._action(self.tr("Quit"), self.quit)
        self.tray.setContextMenu(self.menu)
        self.notifier = notifier or Notifier(self)
        self.clock = ReminderClock(self, clock=clock)
        self.counter = jobs.LatestOnly(self)
        self.reminder_job = jobs.LatestOnly(self)
        self.calendar_job = jobs.LatestOnly(self)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_PAUSE_MS)
        self._connect_callbacks()

    def _action(self, text: str, slot: Callable[[], Any]) -> QAction:
        act = self.menu.addAction(text)
        act.triggered.connect(slot)
        return act

    def _connect_callbacks(self) -> None:
        self.tray.activated.connect(self._activated)
        self.notifier.clicked.connect(self.open_today)
        self.clock.due.connect(self._remind)
        self.clock.timer.timeout.connect(self._new_day)
        self.counter.ready.connect(self._counted)
        self.reminder_job.ready.connect(self._send_reminder)
        self.ctx.changed.connect(lambda _what: self._refresh_timer.start())
        self.ctx.journal_opened.connect(self.refresh)
        self._refresh_timer.timeout.connect(self.refresh)
        self.window.installEventFilter(self)
        # File → Quit quits, even when closing the window would only hide it.
        self.window.act_quit.triggered.disconnect()
        self.window.act_quit.triggered.connect(self.quit)
        self.window.closed.connect(self._window_closed)
        # Edit → Tray and reminders…, after Edit → Settings…
        self.act_settings = QAction(self.tr("Tray and &reminders…"), self.window)
        self.act_settings.triggered.connect(self.open_settings)
        for menu in self.window.menuBar().findChildren(QMenu):
            if self.window.act_settings in menu.actions():
                menu.addAction(self.act_settings)

    # ------------------------------------------------------------------ start

    def start(self) -> None:
        """Show the icon (where there is a tray), count Today, start the reminder clock."""
        if self.available and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
        self.act_pause.setChecked(paused_on() == self.clock.clock().date())
        # Counted after a pause, not while the window shows its first screen (the same
        # Today list, worked out there too: on a lifetime journal the two together made
        # the window ~0.3 s slower to appear and to close).
        self._refresh_timer.start()
        self.clock.start()
        # Built ahead, so "Quick add…" and ``ties quick`` show it at once (not once the
        # window closed for real: nothing would close that one).
        QTimer.singleShot(QUICK_AHEAD_MS, self, self._build_quick_ahead)

    def _new_day(self) -> None:
        """Past midnight (or in a new time zone's next day), Today is another list: recount."""
        if self._counted_on is not None and self.clock.clock().date() != self._counted_on:
            self.refresh()

    def refresh(self) -> None:
        """Recount Today, and bring the calendar file up to date if one is kept."""
        store = self.ctx.store
        day = self._counted_on = self.clock.clock().date()
        self.counter.start(
            store.path,
            lambda s, _job: len(_reminder_list(s, day)),
            readonly=True,
            interruptible=True,  # a count nobody waits for any more stops at once (the exit)
        )
        folder = calendar_folder()
        if folder is not None and folder.is_dir():
            from ties.io.ics import keep_calendar

            self.calendar_job.start(
                store.path, lambda s, _job: keep_calendar(s, folder), readonly=True
            )

    def _counted(self, count: object) -> None:
        self.act_pause.setChecked(paused_on() == self.clock.clock().date())
        self.count = int(count) if isinstance(count, int) else 0
        self.tray.setIcon(count_icon(icon("app"), self.count))
        n = self.count
        self.tray.setToolTip(f"Ties — {n} thing{'s' if n != 1 else ''} for today" if n else "Ties")

    # -------------------------------------------------------------- reminders

    def _remind(self, day: object) -> None:
        assert isinstance(day, date)
        self.reminder_job.start(
            self.ctx.store.path, lambda s, _job: _reminder_list(s, day), readonly=True
        )

    def _send_reminder(self, items: object) -> None:
        reminder = build_reminder(
            list(items) if isinstance(items, list) else [], hide_names=flag(KEY_HIDE_NAMES, False)
        )
        if reminder is not None:
            self.notifier.send(reminder)

    def _pause_toggled(self) -> None:
        pause_today(self.clock.clock().date() if self.act_pause.isChecked() else None)

    # ---------------------------------------------------------------- actions

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.open_window()

    def _build_quick_ahead(self) -> None:
        if not self._closed:
            self._build_quick()

    def _build_quick(self) -> Any:
        if self._quick is None:
            from ties.ui.quick_window import QuickWindow

            self._quick = QuickWindow(self.ctx)
        return self._quick

    def quick_add(self) -> None:
        """Open the always-on-top quick-add window."""
        self._build_quick().present()

    @property
    def quick_window(self) -> Any:
        return self._quick

    def open_window(self) -> None:
        w = self.window
        if w.isMinimized():
            w.showNormal()
        w.show()
        w.raise_()
        w.activateWindow()

    def open_today(self) -> None:
        self.open_window()
        self.window.show_place("today")

    def handle(self, request: str) -> None:
        """A request from a later start (``ties quick``, a second ``ties``)."""
        if request == "quick":
            self.quick_add()
        elif request == "today":
            self.open_today()
        else:
            self.open_window()

    def open_settings(self) -> None:
        from ties.ui.tray_settings import TraySettingsDialog

        if TraySettingsDialog(self.window, tray=self.available).exec():
            self.refresh()

    def quit(self) -> None:
        """Quit Ties: close the window for real (with its closing backup), then the app."""
        self.quitting = True
        if self._quick is not None:
            self._quick.close()
        self.window.close()  # refused while the backup runs; it closes again when done

    def _window_closed(self) -> None:
        self._closed = True
        if self._quick is not None:
            self._quick.close()
            self._quick.deleteLater()
            self._quick = None
        self.tray.hide()
        self.notifier.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()

    # --------------------------------------------------- closing to the tray

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        closing = watched is self.window and event.type() == QEvent.Type.Close
        if closing and not self.quitting and self._hide_to_tray():
            assert isinstance(event, QCloseEvent)
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def _hide_to_tray(self) -> bool:
        """True when closing the window should only hide it (asking once, the first time)."""
        if not self.available or not self.window.isVisible():
            return False
        keep = keep_running()
        if keep is None:
            keep = self._ask(self.window)
            set_keep_running(keep)
        if not keep:
            return False
        self.window.backup_when_hidden = True
        s = app_settings()
        s.setValue("window/geometry", self.window.saveGeometry())
        s.setValue("window/place", self.window.current_place())
        self.window.hide()
        return True


def ask_keep_running(parent: QWidget) -> bool:
    """The first-run question, asked the first time the window is closed."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Keep Ties running?",
        "Keep Ties running in the tray when the window is closed?\n\n"
        "Reminders and quick add then work while the window is closed. You can change "
        "this later under Edit → Tray and reminders.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


def install(window: MainWindow, journal: Path, *, start_hidden: bool = False) -> TrayAgent:
    """Put Ties in the tray for this run and answer later starts (see ``ui/app.py``).

    ``start_hidden`` (``ties --tray``, start at login) leaves the window closed
    where there is a tray.
    """
    from ties.ui.instance import InstanceServer

    agent = TrayAgent(window)
    server = InstanceServer(journal.resolve(), agent)
    server.requested.connect(agent.handle)
    server.listen()
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setQuitOnLastWindowClosed(False)  # the agent quits when the window closes for real
    agent.start()
    if not (start_hidden and agent.available):
        window.show()
    else:
        window.backup_when_hidden = True
    return agent
