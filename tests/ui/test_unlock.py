"""Opening an encrypted journal in the window: the unlock dialog, retries, cancel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit

from ties.app.journal import open_journal
from ties.store import Store, conversion, encryption
from ties.ui import unlock

PASS = "window passphrase"


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    encryption.forget_all_keys()
    monkeypatch.setattr(unlock, "_unlock", unlock.WindowUnlock())
    monkeypatch.setattr(unlock, "_keyring_get", lambda _p: None)
    yield
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    db = tmp_path / "j.ties"
    Store.open(db).close()
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    return db


def _answers(
    monkeypatch: pytest.MonkeyPatch, answers: list[str | None]
) -> list[unlock.UnlockDialog]:
    """Stand in for the person: each dialog gets the next answer (None: Cancel)."""
    shown: list[unlock.UnlockDialog] = []

    def exec_(dialog: unlock.UnlockDialog) -> int:
        shown.append(dialog)
        answer = answers.pop(0)
        if answer is None:
            return QDialog.DialogCode.Rejected
        dialog.field.setText(answer)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(unlock.UnlockDialog, "exec", exec_)
    return shown


def test_a_wrong_passphrase_asks_again_with_the_reason(
    qtbot, encrypted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _answers(monkeypatch, ["wrong one", "still wrong", PASS])
    store = unlock.open_unlocked(lambda u: open_journal(encrypted, check=False, unlock=u))
    try:
        assert store.encrypted
    finally:
        store.close()
    assert len(shown) == 3
    assert shown[0].error.text() == ""
    assert (
        "Wrong passphrase" in shown[1].error.text() and "Wrong passphrase" in shown[2].error.text()
    )
    assert all(d.field.echoMode() == QLineEdit.EchoMode.Password for d in shown)
    assert not any(d.remember.isChecked() for d in shown)  # the keyring is opt-in
    assert all(d.field.text() == "" for d in shown)  # not kept in the widget


def test_cancel_leaves_the_journal_locked(
    qtbot, encrypted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answers(monkeypatch, [None])
    before = encrypted.read_bytes()
    with pytest.raises(unlock.UnlockCancelledError, match="stays locked"):
        unlock.open_unlocked(lambda u: open_journal(encrypted, check=False, unlock=u))
    assert encrypted.read_bytes() == before


def test_remember_stores_the_passphrase_only_once_it_opened(
    qtbot, encrypted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: list[tuple[Path, str]] = []
    monkeypatch.setattr(unlock, "_keyring_set", lambda p, s: kept.append((p, s)))
    shown: list[unlock.UnlockDialog] = []

    def exec_(dialog: unlock.UnlockDialog) -> int:
        shown.append(dialog)
        dialog.field.setText("wrong one" if len(shown) == 1 else PASS)
        dialog.remember.setEnabled(True)
        dialog.remember.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(unlock.UnlockDialog, "exec", exec_)
    unlock.open_unlocked(lambda u: open_journal(encrypted, check=False, unlock=u)).close()
    assert kept == [(encrypted, PASS)]


def test_the_window_opens_an_encrypted_journal_after_the_dialog(
    qtbot, encrypted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.ui.app import open_window

    shown = _answers(monkeypatch, [PASS])
    window = open_window(encrypted)
    qtbot.addWidget(window)
    try:
        assert window.ctx.store.encrypted and len(shown) == 1
    finally:
        window.lock.unlock()
        window.ctx.store.close()
