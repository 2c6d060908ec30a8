"""Bugs become a log line and a short message; known journal errors are shown as they are."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ties.logs import log_unexpected
from ties.store import JournalError


def report_unexpected(exc: BaseException) -> str:
    """Log a bug (type and code location only) and return a short message for the user."""
    try:
        path = log_unexpected(exc)
        where = f" Details were written to {path}."
    except OSError:
        where = ""
    return f"Something went wrong ({type(exc).__name__}); nothing was saved.{where}"


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Ties") -> None:
    """A short dialog: the message of a known error, or a logged bug report."""
    text = str(exc) if isinstance(exc, JournalError) else report_unexpected(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName("Error message")
    box.exec()


def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Installed by :func:`ties.ui.app.run`: no traceback dialogs, a logged note instead."""
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    exc.__traceback__ = tb
    msg = str(exc) if isinstance(exc, JournalError) else report_unexpected(exc)
    app = QApplication.instance()
    if app is None:
        sys.__excepthook__(kind, exc, tb)
        return
    window = QApplication.activeWindow()
    box = QMessageBox(QMessageBox.Icon.Warning, "Ties", msg, QMessageBox.StandardButton.Ok, window)
    box.setAccessibleName("Error message")
    box.open()
