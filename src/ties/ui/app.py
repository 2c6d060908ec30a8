"""Start the window: pick and lock the journal, install the bug handler, restore the layout.

``ties`` (no subcommand) and ``ties-gui`` end up in :func:`run`. Its options
(``--db PATH``, ``--smoke-test``, ``--screenshots DIR``, ``--color-scheme``, ``--tray``) are
declared in :mod:`ties.app.options`; the journal is opened by
:func:`ties.app.journal.open_journal`, as every command opens it.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ties.app.journal import chosen_journal, open_journal, refuse_folder
from ties.app.options import parse_window_args
from ties.store import CorruptJournalError, JournalError, Store
from ties.store.people_reads import read_every_person
from ties.ui import jobs, style
from ties.ui import lock as journal_lock
from ties.ui.context import AppContext
from ties.ui.errors import excepthook
from ties.ui.main_window import PLACES, MainWindow, first_place
from ties.ui.settings import (
    APPLICATION,
    ORGANIZATION,
    color_scheme,
    last_journal,
    remember_journal,
)
from ties.ui.unlock import open_unlocked


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The window's options (declared once, in :mod:`ties.app.options`)."""
    return parse_window_args(argv)


def journal_path(args: argparse.Namespace) -> Path:
    """``--db``, else ``TIES_DB``, else the last journal opened, else the default one."""
    return chosen_journal(args.db, last=last_journal())


def make_app() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Ties")
    app.setDesktopFileName("io.github.ties.Ties")
    style.apply(app)
    return app


def _read_first_screen(store: Store) -> None:
    """Read what the first screen reads, so damage there is met before the window exists.

    The full check runs later on a worker (seconds on a large journal); damage
    it finds is offered the same recovery from the window. The entries are
    counted (a walk of a whole index) only when the journal list comes first,
    as only it shows the total.
    """
    store.support_types()
    store.circles(include_retired=True)
    store.count_people()
    if first_place() == "journal":
        store.count_entries()
    store.list_entries(limit=100)
    read_every_person(store)


def open_window(path: Path) -> MainWindow:
    """Lock and open the journal and build the window (raises JournalError)."""
    path = path.expanduser()
    refuse_folder(path)
    try:
        lock = journal_lock.acquire(path.resolve() if path.exists() else path)
    except journal_lock.JournalLockedError:
        if not path.exists() or os.access(path.parent, os.W_OK):
            raise
        # A folder we cannot write: nobody writes the journal from here, so there is
        # no lock to take; open it read-only (the window says so).
        lock = None
    try:
        # Checked once shown; an encrypted journal asks for its passphrase first.
        store = open_unlocked(
            lambda unlock: open_journal(path, check=False, readonly=lock is None, unlock=unlock)
        )
    except BaseException:
        if lock is not None:
            lock.unlock()
        raise
    ctx = AppContext(store)
    try:
        _read_first_screen(store)
    except sqlite3.DatabaseError as exc:  # damage that the window would meet at once
        from ties.ui.recovery import offer_recovery

        damaged = CorruptJournalError(f"{path} is damaged ({exc}).")
        if not offer_recovery(None, ctx, damaged):
            ctx.store.close()
            if lock is not None:
                lock.unlock()
            raise damaged from exc
    window = MainWindow(ctx, lock)
    remember_journal(path.resolve())
    return window


def show_with_tray(window: MainWindow, journal: Path, *, start_hidden: bool = False) -> None:
    """Show the window, and put Ties in the tray once it has painted (``ui/tray.py``).

    The tray, its reminders and the answer to later starts import ~25 ms that the
    first screen does not need: they are imported on a worker after the first
    paint and installed then, unless the window was closed meanwhile. The closing
    backup's code is imported there too (~20 ms the exit would otherwise wait for).
    ``start_hidden`` (``ties --tray``, start at login) leaves the window closed
    where there is a tray, which is then installed at once.
    """
    from PySide6.QtWidgets import QSystemTrayIcon

    from ties.ui import deferred

    if start_hidden and QSystemTrayIcon.isSystemTrayAvailable():
        from ties.ui.tray import install

        install(window, journal, start_hidden=True)
        window.sync  # noqa: B018 (built: a window never painted syncs at open all the same)
        return
    window.show()

    def install_tray() -> None:
        if window.isVisible():  # not closed before its tray came
            from ties.ui.tray import install

            install(window, journal)

    # (The closing backup's code too, so that closing does not wait for its import.)
    later = ("ties.ui.tray", "ties.ui.instance", "ties.ui.quit_backup")
    deferred.after_first_paint(window, lambda: deferred.import_then(later, install_tray))


def _handed_over(path: Path) -> bool:
    """Already open in a running Ties (perhaps in the tray): raise that one instead."""
    from ties.ui.instance import hand_over

    return hand_over(path.expanduser().resolve(), "show")


def run(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if not (args.smoke_test or args.screenshots) and _handed_over(journal_path(args)):
        return 0
    app = make_app()
    chosen = args.color_scheme or color_scheme()  # the flag wins over Settings → Appearance
    if chosen != "system":
        style.apply(app, chosen)
    sys.excepthook = excepthook
    path = journal_path(args)
    try:
        window = open_window(path)
    except JournalError as exc:
        if isinstance(exc, journal_lock.JournalLockedError) and _handed_over(path):
            return 0
        print(f"ties: error: {exc}", file=sys.stderr)
        if not args.smoke_test:
            box = QMessageBox(QMessageBox.Icon.Critical, "Ties", str(exc))
            box.setAccessibleName("Error message")
            box.exec()
        return 1
    window.restore_state()
    if args.smoke_test or args.screenshots:
        window.show()
    else:
        show_with_tray(window, path.expanduser(), start_hidden=args.tray)
    if args.smoke_test:
        for name in PLACES:
            window.show_place(name)
            app.processEvents()
        if not window.close():  # it closes once the backup it takes on closing is done
            loop = QEventLoop()
            window.closed.connect(loop.quit)
            loop.exec()
        jobs.wait_for_all()
        window.ctx.store.close()
        return 0
    if args.screenshots:
        from ties.ui.screenshots import take_all

        suffix = "-dark" if args.color_scheme == "dark" else ""
        QTimer.singleShot(300, lambda: take_all(window, Path(args.screenshots), suffix))
    code = app.exec()
    # Let workers (a sort, a search) finish while their receivers still exist.
    jobs.wait_for_all()
    window.ctx.store.close()  # checkpoints the write-ahead log into the journal file
    return code
