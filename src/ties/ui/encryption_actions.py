"""File → Encrypt journal… / Change passphrase… / Remove encryption…

Each asks what it needs (a new passphrase twice with the no-recovery warning; the
current one before removing or changing it, so a window left unlocked is not
enough), closes every connection of the window, converts the file on a worker
thread (:mod:`ties.store.conversion`: beside, checked, swapped, the old file kept)
and reopens the journal. Not undoable: the undo stack is cleared as for any
journal swap, and the old file stays as a backup.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from ties.app.journal import open_journal
from ties.store import JournalError, Store, conversion, encryption
from ties.ui import jobs

if TYPE_CHECKING:
    from ties.ui.context import AppContext

MIN_PASSPHRASE = encryption.MIN_PASSPHRASE
NO_RECOVERY = (
    "A forgotten passphrase cannot be recovered: without it the journal and its "
    "encrypted backups are lost. Keep it somewhere safe (a password manager)."
)


class PassphraseDialog(QDialog):
    """Ask for a passphrase: the current one, a new one (twice), or both."""

    def __init__(
        self, title: str, intro: str, *, current: bool, new: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.current = self._field(layout, self.tr("Current passphrase")) if current else None
        self.new = self._field(layout, self.tr("New passphrase")) if new else None
        self.again = self._field(layout, self.tr("New passphrase again")) if new else None
        if new:
            warning = QLabel(self.tr(NO_RECOVERY))
            warning.setWordWrap(True)
            warning.setStyleSheet("font-weight: bold")
            layout.addWidget(warning)
        self.problem = QLabel("")
        self.problem.setAccessibleName(self.tr("Passphrase problem"))
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _field(layout: QVBoxLayout, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setPlaceholderText(name)
        field.setAccessibleName(name)
        layout.addWidget(field)
        return field

    def _check(self) -> None:
        if self.current is not None and not self.current.text():
            self.problem.setText(self.tr("Enter the current passphrase."))
            return
        if self.new is not None and self.again is not None:
            if len(self.new.text()) < MIN_PASSPHRASE:
                self.problem.setText(
                    self.tr("The new passphrase needs {n} characters at least.").format(
                        n=MIN_PASSPHRASE
                    )
                )
                return
            if self.new.text() != self.again.text():
                self.problem.setText(self.tr("The two new passphrases differ."))
                return
        self.accept()


def _is_current(store: Store, passphrase: str) -> bool:
    key = store.cipher_key
    if key is None:
        return False
    return hmac.compare_digest(encryption.derive_key(passphrase, key.salt).raw, key.raw)


def _convert(ctx: AppContext, parent: QWidget, work: Callable[[Path], Path], busy: str) -> Path:
    """Close every connection, run ``work(journal)``, reopen the journal.

    The conversion runs with the window's event loop held (a wait cursor and a
    progress note painted first), not beside it: a place refreshing meanwhile would
    open the journal through Python's own SQLite, whose locks do not see SQLCipher's
    in the same process, and could write to the old file after it was copied.
    """
    path = Path(ctx.store.path)
    jobs.wait_for_all()
    ctx.store.close()
    progress = QProgressDialog(busy, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.show()
    progress.repaint()  # painted without running the event loop (no job may start now)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return work(path)
    finally:
        QApplication.restoreOverrideCursor()
        progress.close()
        # Opened again whatever happened (the old file if the conversion failed).
        ctx.replace_store(open_journal(path, create=False, check=False))


def encrypt_journal(ctx: AppContext, parent: QWidget) -> None:
    if not encryption.available():
        QMessageBox.information(
            parent, parent.tr("Encrypt journal"), encryption.UNAVAILABLE_REASON.capitalize()
        )
        return
    dialog = PassphraseDialog(
        parent.tr("Encrypt journal"),
        parent.tr(
            "The journal file, its write-ahead log and its backups will be encrypted "
            "(SQLCipher, AES-256). Ties asks for the passphrase each time it opens the journal."
        ),
        current=False,
        new=True,
        parent=parent,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.new is None:
        return
    passphrase = dialog.new.text()
    dialog.new.clear()
    if dialog.again is not None:
        dialog.again.clear()
    try:
        backup = _convert(
            ctx,
            parent,
            lambda p: conversion.encrypt(p, passphrase),
            parent.tr("Encrypting the journal…"),
        )
    except JournalError as exc:
        QMessageBox.warning(parent, parent.tr("Encrypt journal"), str(exc))
        return
    answer = QMessageBox.question(
        parent,
        parent.tr("Encrypt journal"),
        parent.tr(
            "The journal is encrypted. The journal as it was, NOT encrypted, is kept as "
            "{name}. Delete that copy now?"
        ).format(name=backup.name),
    )
    if answer == QMessageBox.StandardButton.Yes:
        backup.unlink(missing_ok=True)
    ctx.status.emit(parent.tr("The journal is encrypted"))


def change_passphrase(ctx: AppContext, parent: QWidget) -> None:
    dialog = PassphraseDialog(
        parent.tr("Change passphrase"),
        parent.tr("The journal will be encrypted again with the new passphrase."),
        current=True,
        new=True,
        parent=parent,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.new is None:
        return
    if dialog.current is None or not _is_current(ctx.store, dialog.current.text()):
        QMessageBox.warning(
            parent, parent.tr("Change passphrase"), parent.tr("Wrong current passphrase.")
        )
        return
    key = ctx.store.cipher_key
    assert key is not None
    passphrase = dialog.new.text()
    try:
        backup = _convert(
            ctx,
            parent,
            lambda p: conversion.rekey(p, key, passphrase),
            parent.tr("Changing the passphrase…"),
        )
    except JournalError as exc:
        QMessageBox.warning(parent, parent.tr("Change passphrase"), str(exc))
        return
    ctx.status.emit(
        parent.tr("Passphrase changed; the journal with the old one is kept as {name}").format(
            name=backup.name
        )
    )


def remove_encryption(ctx: AppContext, parent: QWidget) -> None:
    dialog = PassphraseDialog(
        parent.tr("Remove encryption"),
        parent.tr(
            "The journal will be written back as a plain file: anyone who gets a copy of it "
            "can read every note. Enter the passphrase to confirm."
        ),
        current=True,
        new=False,
        parent=parent,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    if dialog.current is None or not _is_current(ctx.store, dialog.current.text()):
        QMessageBox.warning(parent, parent.tr("Remove encryption"), parent.tr("Wrong passphrase."))
        return
    key = ctx.store.cipher_key
    assert key is not None
    try:
        backup = _convert(
            ctx,
            parent,
            lambda p: conversion.decrypt(p, key),
            parent.tr("Removing the encryption…"),
        )
    except JournalError as exc:
        QMessageBox.warning(parent, parent.tr("Remove encryption"), str(exc))
        return
    ctx.status.emit(
        parent.tr("Encryption removed; the encrypted journal is kept as {name}").format(
            name=backup.name
        )
    )
