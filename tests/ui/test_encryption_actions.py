"""File → Encrypt journal… / Change passphrase… / Remove encryption… in the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ties.model import Person
from ties.store import encryption
from ties.ui import encryption_actions as actions

PASS = "window passphrase"


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    encryption.forget_all_keys()
    yield
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)


def _fill(monkeypatch: pytest.MonkeyPatch, current: str = "", new: str = "") -> None:
    def exec_(dialog: actions.PassphraseDialog) -> int:
        if dialog.current is not None:
            dialog.current.setText(current)
        if dialog.new is not None and dialog.again is not None:
            dialog.new.setText(new)
            dialog.again.setText(new)
        dialog._check()
        return dialog.result()

    monkeypatch.setattr(actions.PassphraseDialog, "exec", exec_)


def test_encrypt_change_and_remove_from_the_file_menu(
    ctx, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.ui.main_window import MainWindow

    ctx.store.add_person(Person(name="Ana Ruiz"))
    path = Path(ctx.store.path)
    window = MainWindow(ctx, None)
    qtbot.addWidget(window)
    errors: list[str] = []
    monkeypatch.setattr(
        "ties.ui.main_window.show_error", lambda _w, exc, _t: errors.append(repr(exc))
    )
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    window._update_encryption_actions()
    assert window.act_encrypt.isEnabled() and not window.act_decrypt.isEnabled()

    _fill(monkeypatch, new="short")
    actions.encrypt_journal(ctx, window)
    assert not ctx.store.encrypted  # refused in the dialog: too short

    _fill(monkeypatch, new=PASS)
    actions.encrypt_journal(ctx, window)
    assert ctx.store.encrypted and ctx.store.people_named("Ana Ruiz")
    assert path.read_bytes()[:16] != encryption.SQLITE_MAGIC
    assert not list(path.parent.glob("*.before-encrypt-*"))  # the plain copy deleted on "Yes"
    window._update_encryption_actions()
    assert not window.act_encrypt.isEnabled() and window.act_decrypt.isEnabled()

    _fill(monkeypatch, current="not it", new="another passphrase")
    actions.change_passphrase(ctx, window)
    assert warnings == ["Wrong current passphrase."]
    _fill(monkeypatch, current=PASS, new="another passphrase")
    actions.change_passphrase(ctx, window)
    key = encryption.key_of(ctx.store.conn)
    assert key is not None
    assert encryption.derive_key("another passphrase", key.salt) == key
    assert encryption.derive_key(PASS, key.salt) != key

    _fill(monkeypatch, current="another passphrase")
    actions.remove_encryption(ctx, window)
    assert not ctx.store.encrypted and ctx.store.people_named("Ana Ruiz")
    assert path.read_bytes()[:16] == encryption.SQLITE_MAGIC
    assert errors == []  # the window's own check of each reopened journal passed
