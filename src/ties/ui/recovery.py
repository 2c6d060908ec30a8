"""When the journal turns out damaged: offer the newest backup that passes its check.

The damaged file is never changed: :func:`ties.io.recovery.recover` renames it
aside and restores the chosen backup in its place. The long parts (checking
backups, copying the chosen one beside the journal) run on a worker thread
while a modal window shows a busy bar and Cancel, so the window keeps
painting; only the final renames run on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QEventLoop, QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ties.app.backups import recovered_lines
from ties.app.journal import open_journal
from ties.io.backup import PreparedRestore, RestoreCancelled
from ties.io.recovery import (
    backup_needing_passphrase,
    finish_recovery,
    newest_good_backup,
    passphrase_opens,
    prepare_recovery,
)
from ties.store import CorruptJournalError, JournalError
from ties.ui import jobs
from ties.ui.context import AppContext
from ties.ui.unlock import UnlockDialog, WindowUnlock, remembered_passphrase


def _tr(text: str) -> str:
    return QCoreApplication.translate("Recovery", text)


def step_text(what: str) -> str:
    """What a step of preparing a restore (``ties.io.backup.RestoreProgress``) is doing."""
    texts = {
        "decrypt": _tr("Decrypting the backup…"),
        "check": _tr("Checking the backup…"),
        "copy": _tr("Copying the backup beside the journal…"),
        "verify": _tr("Checking the copy…"),
        "safety": _tr("Backing up the journal as it is now…"),
    }
    return texts.get(what, _tr("Working…"))


def show_step(status: QLabel, bar: QProgressBar, what: str, done: int, total: int) -> None:
    """Say which step of a restore runs, with a bar: how far when known, busy otherwise."""
    status.setText(step_text(what))
    if total > 0:
        bar.setRange(0, 1000)
        bar.setValue(done * 1000 // total)
    else:
        bar.setRange(0, 0)


class BusyDialog(QDialog):
    """A modal window with a busy bar and Cancel while a worker runs one function.

    :meth:`run` waits in a local event loop, so every window keeps painting;
    Cancel (or Esc) asks the worker to stop at its next safe point.
    """

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName("Recovery progress")
        self.setWindowModality(
            Qt.WindowModality.WindowModal
            if parent is not None
            else Qt.WindowModality.ApplicationModal
        )
        lay = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Progress")
        self.progress.setRange(0, 0)
        buttons = QDialogButtonBox(self)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        lay.addWidget(self.status)
        lay.addWidget(self.progress)
        lay.addWidget(buttons)
        self.job: jobs.PlainJob | None = None

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancelled = True
            self.status.setText(_tr("Cancelling…"))
            self.cancel_button.setEnabled(False)

    def _step(self, _job: int, what: str, done: int, total: int) -> None:
        show_step(self.status, self.progress, what, done, total)

    def run(self, text: str, fn: Any) -> Any:
        """Run ``fn(job)`` on a worker, showing ``text``; return its result or raise its error."""
        outcome: dict[str, object] = {}
        loop = QEventLoop(self)

        def finished(key: str, value: object) -> None:
            outcome[key] = value
            loop.quit()

        job = jobs.PlainJob(fn, must_finish=True)
        job.signals.done.connect(lambda _id, result: finished("result", result))
        job.signals.failed.connect(lambda _id, exc: finished("error", exc))
        job.signals.step.connect(self._step)
        self.job = job
        self.status.setText(text)
        self.progress.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        jobs.start(job)
        self.show()
        try:
            if not outcome:  # results arrive through the event loop, never before it runs
                loop.exec()
        finally:
            self.job = None
            self.hide()
        error = outcome.get("error")
        if isinstance(error, BaseException):
            raise error
        return outcome.get("result")


def offer_recovery(parent: QWidget | None, ctx: AppContext, exc: CorruptJournalError) -> bool:
    """Ask to replace the damaged journal with its newest good backup; True if it was.

    Without a usable backup, says so and leaves everything as it is.
    """
    journal = ctx.store.path
    busy = BusyDialog(parent, _tr("The journal is damaged"))
    try:
        passphrase = backups_passphrase(parent, journal, busy)
        unlock = (lambda _p: passphrase) if passphrase else None
        backup = busy.run(
            _tr("Looking for the newest backup that passes its check…"),
            lambda job: newest_good_backup(journal, cancelled=lambda: job.cancelled, unlock=unlock),
        )
    except RestoreCancelled:
        return False
    if backup is None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            _tr("The journal is damaged"),
            _tr(
                "{error}\n\nNo automatic backup of this journal passes its check. The file was "
                "not changed; keep a copy of it before you try anything else."
            ).format(error=exc),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setAccessibleName("Journal damaged")
        box.exec()
        return False
    modified = QDateTime.fromSecsSinceEpoch(int(backup.stat().st_mtime))
    stamp = QLocale().toString(modified, QLocale.FormatType.LongFormat)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        _tr("The journal is damaged"),
        _tr(
            "{error}\n\nThe newest backup that passes its check is from {when} ({name}). "
            "Restore it? The damaged journal is kept aside, untouched."
        ).format(error=exc, when=stamp, name=backup.name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setAccessibleName("Journal damaged")
    box.button(QMessageBox.StandardButton.Yes).setText(_tr("Restore the backup"))
    box.button(QMessageBox.StandardButton.No).setText(_tr("Not now"))
    if box.exec() != QMessageBox.StandardButton.Yes:
        return False
    # The long part: the damaged journal stays open (and untouched) meanwhile.
    try:
        prepared: PreparedRestore = busy.run(
            _tr("Checking the backup…"),
            lambda job: prepare_recovery(
                journal,
                backup,
                progress=job.report_step,
                cancelled=lambda: job.cancelled,
            ),
        )
    except RestoreCancelled:
        return False
    except (JournalError, OSError) as failed:
        _warn_failed(parent, failed)
        return False
    # The quick part, here: close (the places' workers first), rename the damaged
    # file aside and the copy in.
    jobs.wait_for_all()
    ctx.store.close()
    try:
        done = finish_recovery(prepared)
    except (JournalError, OSError) as failed:  # the damaged journal is back in its place
        ctx.replace_store(open_journal(journal, create=False, check=False))
        _warn_failed(parent, failed)
        return False
    # The copy passed a full integrity check a moment ago: no second check on opening.
    ctx.replace_store(open_journal(journal, check=False))
    said = "; ".join(recovered_lines(journal, done))  # what 'ties recover' prints
    ctx.status.emit(said[:1].upper() + said[1:] + ".")
    return True


def backups_passphrase(parent: QWidget | None, journal: Path, busy: BusyDialog) -> str | None:
    """The passphrase of the journal's encrypted backups, asked here before the search starts.

    The search runs on a worker, which cannot show a dialog: so when a backup
    it would check is encrypted under a passphrase whose key this window does
    not hold (the passphrase was changed since, or the journal could not be
    unlocked), the unlock dialog asks for it first, on the GUI thread; a wrong
    one asks again. None when no backup needs one or the person cancels (the
    search then goes on without those backups).
    """
    needing = backup_needing_passphrase(journal)
    if needing is None:
        return None
    kept = remembered_passphrase(journal)  # the journal's passphrase: often the backups' too
    tries = [kept] if kept else []
    error = ""
    while True:
        typed = not tries
        if tries:
            passphrase = tries.pop()
        else:
            dialog = UnlockDialog(
                journal,
                error,
                parent,
                message=_tr(
                    "The backups of {name} are encrypted with a passphrase this window does "
                    "not hold (it was changed since they were made, perhaps). Enter it to "
                    "check them; Cancel looks for a backup without them."
                ).format(name=journal.name),
            )
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.passphrase():
                return None
            passphrase = dialog.passphrase()
            dialog.field.clear()
        if busy.run(
            _tr("Checking the passphrase…"),
            lambda _job, p=passphrase: passphrase_opens(needing, p),
        ):
            return passphrase
        if typed:  # (the keyring's passphrase failing is no error of the person's)
            error = WindowUnlock.tr_wrong()


def _warn_failed(parent: QWidget | None, failed: BaseException) -> None:
    QMessageBox.warning(
        parent,
        _tr("Restore failed"),
        _tr("{error}\n\nThe journal was left as it was.").format(error=failed),
    )
