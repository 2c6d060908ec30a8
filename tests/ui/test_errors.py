"""Bugs are logged (type and place, not journal text) and shown as a short message."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from ties import logs
from ties.store import DiskFullError
from ties.ui import errors


@pytest.fixture
def fresh_log(monkeypatch):
    """The log goes to this test's TIES_HOME, whatever earlier tests configured."""
    logger = logging.getLogger("ties")
    before = list(logger.handlers)
    monkeypatch.setattr(logs, "_configured", False)
    yield logs.log_file()
    for handler in logger.handlers:
        if handler not in before:
            handler.close()
            logger.removeHandler(handler)


def _raise(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_unexpected_exception_is_logged_and_shown_briefly(qtbot, monkeypatch, fresh_log):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))
    exc = _raise(KeyError("Ana Ruiz's secret note"))
    errors.excepthook(KeyError, exc, exc.__traceback__)
    [message] = shown
    assert message.startswith("Something went wrong (KeyError); nothing was saved.")
    log = fresh_log.read_text()
    assert "KeyError" in log and "test_errors.py" in log
    assert "secret note" not in log and "secret note" not in message


def test_journal_errors_are_shown_as_they_are(qtbot, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))
    exc = _raise(DiskFullError("The disk is full: nothing was saved."))
    errors.excepthook(DiskFullError, exc, exc.__traceback__)
    assert shown == ["The disk is full: nothing was saved."]


def test_run_installs_the_hook(db_path, monkeypatch):
    from ties.ui.app import run

    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    assert run(["--db", str(db_path), "--smoke-test"]) == 0
    assert sys.excepthook is errors.excepthook
