"""The welcome page of a new journal offers encryption, with the no-recovery warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from ties.store import Store, conversion, encryption
from ties.ui import encryption_actions
from ties.ui.context import AppContext
from ties.ui.main_window import MainWindow

PASSPHRASE = "welcome passphrase"


def test_a_new_journal_is_offered_encryption_with_the_warning(
    window: MainWindow, find, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[AppContext] = []
    monkeypatch.setattr(encryption_actions, "encrypt_journal", lambda ctx, _p: asked.append(ctx))
    assert window.stack.currentWidget() is window.welcome
    button = find(window.welcome, QPushButton, "Encrypt this journal")
    note = find(window.welcome, QLabel, "About encryption")
    assert not button.isHidden() and not note.isHidden()
    assert "cannot be recovered" in note.text()
    button.click()
    assert asked == [window.ctx]


def test_an_encrypted_journal_is_not_offered_it_again(qtbot, tmp_path: Path, find) -> None:
    db = tmp_path / "j.ties"
    Store.open(db).close()
    conversion.encrypt(db, PASSPHRASE)
    store = Store.open(db, check=False, unlock=PASSPHRASE)
    window = MainWindow(AppContext(store))
    try:
        assert find(window.welcome, QPushButton, "Encrypt this journal").isHidden()
        assert find(window.welcome, QLabel, "About encryption").isHidden()
    finally:
        window.idle_lock.timer.stop()
        window.deleteLater()  # never shown: nothing to close, no backup at quit
        store.close()
        encryption.forget_all_keys()
