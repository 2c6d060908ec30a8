"""Unlocking an encrypted journal in the window: the passphrase dialog and the keyring.

The store asks for a passphrase only when the file turns out to be encrypted
(the ``unlock`` of :func:`ties.app.journal.open_journal`); :func:`open_unlocked` wraps
an open so a wrong passphrase asks again, with the reason, until the person
unlocks or cancels. "Remember in the system keyring" (off by default) stores the
passphrase through ``keyring`` only once it has opened the journal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ties.store import JournalError, encryption

KEYRING_SERVICE = "Ties journal"
T = TypeVar("T")


class UnlockCancelledError(JournalError):
    """The person closed the unlock dialog: the journal stays locked."""


class UnlockDialog(QDialog):
    """Asks for an encrypted journal's passphrase; nothing of the journal is shown."""

    def __init__(
        self, path: Path, error: str = "", parent: QWidget | None = None, message: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unlock journal"))
        self.setAccessibleName(self.tr("Unlock journal"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            message
            or self.tr("{name} is encrypted. Enter its passphrase to open it.").format(
                name=path.name
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(self.tr("Passphrase"))
        self.field.setPlaceholderText(self.tr("Passphrase"))
        layout.addWidget(self.field)
        self.error = QLabel(error)
        self.error.setAccessibleName(self.tr("Unlock error"))
        self.error.setStyleSheet("color: palette(highlight); font-weight: bold")
        self.error.setVisible(bool(error))
        layout.addWidget(self.error)
        self.remember = QCheckBox(self.tr("Remember in the system keyring"))
        self.remember.setToolTip(
            self.tr(
                "Anyone who can use your session can then open the journal without the passphrase."
            )
        )
        self.remember.setChecked(False)
        self.remember.setEnabled(keyring_available())
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Unlock"))
        ok.setEnabled(False)
        self.field.textChanged.connect(lambda text: ok.setEnabled(bool(text)))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.setFocus()

    def passphrase(self) -> str:
        return self.field.text()


def keyring_available() -> bool:
    """Whether a system keyring backend is usable (not the "fail" or null backend)."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception:
        return False
    return getattr(backend, "priority", 0) > 0


def _keyring_get(path: Path) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, str(path.resolve()))
    except Exception:  # no backend, a locked keyring, D-Bus missing: just ask
        return None


def remembered_passphrase(path: Path) -> str | None:
    """The passphrase kept in the system keyring for the journal at ``path``, if any."""
    return _keyring_get(path)


def _keyring_set(path: Path, passphrase: str) -> None:
    with contextlib.suppress(Exception):
        import keyring

        keyring.set_password(KEYRING_SERVICE, str(path.resolve()), passphrase)


class WindowUnlock:
    """The window's unlock: the keyring's passphrase first (if kept), then the dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self.error = ""
        self._keyring_tried: set[Path] = set()
        self._pending: tuple[Path, str] | None = None

    def __call__(self, path: Path) -> str:
        if path not in self._keyring_tried:
            self._keyring_tried.add(path)
            kept = _keyring_get(path)
            if kept:
                return kept
        dialog = UnlockDialog(path, self.error, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.passphrase():
            raise UnlockCancelledError(f"{path.name} stays locked: no passphrase was given.")
        passphrase = dialog.passphrase()
        dialog.field.clear()
        self._pending = (path, passphrase) if dialog.remember.isChecked() else None
        return passphrase

    def open(self, open_store: Callable[[WindowUnlock], T]) -> T:
        """``open_store(self)``, asking again after a wrong passphrase until unlocked or cancelled.

        ``open_store`` hands this object on as the ``unlock`` of
        :func:`ties.app.journal.open_journal`.
        """
        self.error = ""
        while True:
            try:
                opened = open_store(self)
            except encryption.WrongPassphraseError:
                self.error = self.tr_wrong()
                continue
            if self._pending is not None:
                _keyring_set(*self._pending)
            self._pending = None
            self.error = ""
            return opened

    @staticmethod
    def tr_wrong() -> str:
        return "Wrong passphrase, or not a Ties journal. Try again."


_unlock = WindowUnlock()


def open_unlocked(open_store: Callable[[WindowUnlock], T]) -> T:
    """Open a journal the window's way: an encrypted one asks for its passphrase.

    ``open_store`` gets the window's unlock to pass to
    :func:`ties.app.journal.open_journal`. It is also this process's default
    (:func:`ties.store.encryption.set_default_unlock`), for the opens a use case
    makes of its own (a restore's copy), which otherwise reuse the key in memory.
    """
    encryption.set_default_unlock(_unlock)
    return _unlock.open(open_store)
