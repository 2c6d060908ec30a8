"""Backup, restore, export and import dialogs (File menu).

Export, import and backup run as :class:`ties.ui.jobs.Job` off the GUI thread,
against their own connection, with a progress bar and Cancel. Import first
runs a dry run and shows what would be added, updated and skipped; it writes
only when the user confirms. Restore lists the automatic backups with their
dates and sizes. All the work is done by :mod:`ties.io`; these dialogs only
collect choices and show results.
"""

from __future__ import annotations

import atexit
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ties.app import backups as backup_cases
from ties.app import exchange as exchange_cases
from ties.app.formats import (
    EXPORT_FORMATS,
    ExportFormat,
    import_file_filter,
    map_fields,
)
from ties.app.formats import export_name as _export_name
from ties.app.journal import open_journal
from ties.io import backup as backups
from ties.io import crypto
from ties.io.importers import ImportCancelled, ImportFormatError, ImportReport, Mapping
from ties.store import JournalError, Store
from ties.ui import jobs
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.errors import report_unexpected
from ties.ui.jobs import Job
from ties.ui.recovery import show_step, step_text

# The export formats in the order the format list shows them.
EXPORTS: tuple[ExportFormat, ...] = tuple(EXPORT_FORMATS.values())


class Cancelled(JournalError):
    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was written.")


def _message(exc: object) -> str:
    if isinstance(exc, JournalError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    if isinstance(exc, BaseException):
        return report_unexpected(exc)
    return str(exc)


def _size(n: int) -> str:
    return backup_cases.human_size(n)


def _sentence(text: str) -> str:
    """A message shared with the command line, as the window writes it: capital, full stop."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class JobDialog(QDialog):
    """A dialog that runs one job at a time with a progress bar, Cancel and a status line."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: Job | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(f"{title} dialog")
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Progress")
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.run_button = self.buttons.addButton(title, QDialogButtonBox.ButtonRole.AcceptRole)
        self.run_button.setAccessibleName(title)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.result_value: Any = None
        self.error: object = None

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.progress)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.buttons)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def run_job(self, fn: Any, path: Path | None = None) -> None:
        job = Job(path or self.ctx.store.path, fn)
        job.signals.progress.connect(self._progress)
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self.job = job
        self.error = None
        self.progress.setRange(0, 0)
        self.progress.show()
        self.run_button.setEnabled(False)
        jobs.start(job)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancelled = True
            self.status.setText(self.tr("Cancelling…"))
        else:
            self.reject()

    def _progress(self, _job: int, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _done(self, _job: int, result: object) -> None:
        self.job = None
        self.progress.hide()
        self.run_button.setEnabled(True)
        self.result_value = result
        self.succeeded(result)

    def _failed(self, _job: int, exc: object) -> None:
        self.job = None
        self.progress.hide()
        self.run_button.setEnabled(True)
        self.error = exc
        self.status.setText(_message(exc))

    def start(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def succeeded(self, result: object) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def reject(self) -> None:
        if self.job is not None:  # closing while a job runs: cancel it first
            self.job.cancelled = True
            return
        super().reject()


def _path_row(
    dialog: QWidget, name: str, save: bool, filters: str | Callable[[], str]
) -> tuple[QWidget, QLineEdit]:
    row = QWidget(dialog)
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    edit = QLineEdit(row)
    edit.setAccessibleName(name)
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("M") * 36)  # room for a path
    browse = QPushButton(QCoreApplication.translate("exchange", "Browse…"), row)
    browse.setAccessibleName(f"Browse for {name.lower()}")

    def pick() -> None:
        kinds = filters() if callable(filters) else filters
        if save:
            chosen, _ = QFileDialog.getSaveFileName(dialog, name, edit.text(), kinds)
        else:
            chosen, _ = QFileDialog.getOpenFileName(dialog, name, edit.text(), kinds)
        if chosen:
            edit.setText(chosen)

    browse.clicked.connect(pick)

    def show_start() -> None:  # a path is read from its start: the folder, then the name
        edit.setToolTip(edit.text())
        if not edit.hasFocus():
            edit.setCursorPosition(0)

    edit.textChanged.connect(show_start)
    lay.addWidget(edit, 1)
    lay.addWidget(browse)
    return row, edit


# --------------------------------------------------------------------- export


def export_name(path: Path, suffix: str) -> Path:
    """``path`` ending in ``suffix``, the suffix of one of :data:`EXPORTS`
    (see :func:`ties.app.formats.export_name`)."""
    [fmt] = [f for f in EXPORTS if f.suffix == suffix]
    return _export_name(path, fmt)


class ExportDialog(JobDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Export", parent)
        self.format = QComboBox(self)
        self.format.setAccessibleName("Export format")
        for fmt in EXPORTS:
            self.format.addItem(fmt.label, fmt.name)
        row, self.path = _path_row(self, "Export file", True, self._filters)
        self.path.setText(str(Path.home() / f"{ctx.store.path.stem}.json"))
        self.form.addRow(self.tr("Format"), self.format)
        self.form.addRow(self.tr("Save to"), row)
        if ctx.store.encrypted:
            # The journal is encrypted; what leaves it here is not (issue #18).
            plain = QLabel(
                self.tr(
                    "The journal is encrypted, but the export is not: it is written as "
                    "plain text that anyone who gets the file can read. Keep it somewhere "
                    "safe, or delete it when you are done."
                ),
                self,
            )
            plain.setWordWrap(True)
            plain.setAccessibleName("Export is not encrypted")
            plain.setStyleSheet("font-weight: bold")
            self.form.addRow(plain)
        self.format.currentIndexChanged.connect(self._suffix)
        self.finish_layout()

    def _filters(self) -> str:
        fmt = EXPORTS[self.format.currentIndex()]
        return f"{fmt.label} (*{fmt.suffix})"

    def _suffix(self) -> None:
        suffix = EXPORTS[self.format.currentIndex()].suffix
        current = Path(self.path.text() or "export")
        self.path.setText(str(current.with_suffix(suffix)))

    def start(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.status.setText(self.tr("Choose where to save the export."))
            return
        typed = Path(text).expanduser()
        target = _export_name(typed, EXPORTS[self.format.currentIndex()])
        if target != typed:
            # The name follows the format (a CSV export is a zip): exp.csv is written as
            # exp.zip, and the field shows it; a file already there under the new name is
            # not replaced without the person having chosen that name.
            if target.exists():
                self.status.setText(
                    self.tr(
                        "This format is saved as {name}, which already exists; choose another name."
                    ).format(name=target.name)
                )
                return
            self.path.setText(str(target))
        problem = exchange_cases.export_target_problem(target)
        if problem is not None:
            self.status.setText(_sentence(problem))
            return
        kind = self.format.currentData()
        self.status.setText(self.tr("Exporting…"))

        def work(store: Store, job: Job) -> exchange_cases.Exported:
            def progress(done: int, total: int) -> None:
                if job.cancelled:
                    raise Cancelled()
                job.report(done, total)

            return exchange_cases.export_store(store, kind, target, progress=progress)

        self.run_job(work)

    def succeeded(self, result: object) -> None:
        exported = cast(exchange_cases.Exported, result)
        self.status.setText(_sentence(exported.message()))
        self.ctx.status.emit(self.tr("Exported to {target}").format(target=exported.path))
        self.accept()


# --------------------------------------------------------------------- backup


class BackupDialog(JobDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Back up", parent)
        row, self.path = _path_row(self, "Backup file", True, "Ties journals (*.ties *.enc)")
        self.path.setPlaceholderText(self.tr("the backup folder, under a dated name"))
        self.encrypt = QCheckBox(self.tr("Encrypt with a passphrase"), self)
        self.encrypt.setAccessibleName("Encrypt backup")
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("Repeat passphrase")
        self.form.addRow(self.tr("Save to"), row)
        self.form.addRow("", self.encrypt)
        self.form.addRow(self.tr("Passphrase"), self.passphrase)
        self.form.addRow(self.tr("Repeat"), self.repeat)
        self.encrypt.toggled.connect(self._toggle)
        self._toggle(False)
        self.finish_layout()

    def _toggle(self, on: bool) -> None:
        self.passphrase.setEnabled(on)
        self.repeat.setEnabled(on)

    def start(self) -> None:
        passphrase: str | None = None
        if self.encrypt.isChecked():
            passphrase = self.passphrase.text()
            if not passphrase:
                self.status.setText(self.tr("Type a passphrase, or untick encryption."))
                return
            if passphrase != self.repeat.text():
                self.status.setText(self.tr("The two passphrases differ."))
                return
        text = self.path.text().strip()
        target = Path(text).expanduser() if text else None
        self.status.setText(self.tr("Backing up…"))

        def work(store: Store, job: Job) -> Path:
            path = backup_cases.back_up_store(store, target, passphrase=passphrase)
            if job.cancelled:  # the copy is one step; a cancelled backup is removed afterwards
                path.unlink(missing_ok=True)
                raise Cancelled()
            return path

        self.run_job(work)

    def succeeded(self, result: object) -> None:
        path = Path(str(result))
        self.status.setText(_sentence(backup_cases.backed_up_message(path)))
        self.ctx.status.emit(self.tr("Backed up to {path}").format(path=path))
        self.accept()


# -------------------------------------------------------------------- restore


#: The Restore list's column of what each backup holds (people, entries, last entry).
HOLDS_COLUMN = 5


class RestoreDialog(QDialog):
    """Pick an automatic backup (or any file) and replace the journal with it.

    The long part (decrypting, checking, copying the backup beside the journal,
    backing up the journal as it is) runs on a worker while the journal stays
    open; the dialog is window-modal, shows the step and a progress bar, and
    offers Cancel until then. Only the swap (close, rename, reopen) runs here,
    and once it starts there is nothing to cancel.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: jobs.PlainJob | None = None
        self.error: object = None
        self.setWindowTitle(self.tr("Restore"))
        self.setAccessibleName("Restore dialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Backups of this journal (newest first):"), self))
        self.list = QTreeWidget(self)
        self.list.setAccessibleName("Backups")
        self.list.setHeaderLabels(
            [
                self.tr("Taken"),
                self.tr("Kind"),
                self.tr("Size"),
                self.tr("Full check"),
                self.tr("Encrypted"),
                self.tr("Holds"),
            ]
        )
        self.list.setRootIsDecorated(False)
        found = backup_cases.backups_of(ctx.store.path)
        self.found = found
        for b in found:
            item = QTreeWidgetItem(
                [
                    b.taken.strftime("%Y-%m-%d %H:%M"),
                    b.kind,
                    _size(b.size),
                    backup_cases.full_check_text(b),
                    "encrypted" if b.encrypted else "",
                    self.tr("reading…"),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, str(b.path))
            item.setToolTip(0, str(b.path))
            self.list.addTopLevelItem(item)
        # Every column as wide as what it holds (the time was cut); the encryption column
        # only when some backup is encrypted.
        self.list.setColumnHidden(4, not any(b.encrypted for b in found))
        header = self.list.header()
        header.setStretchLastSection(False)
        for col in range(HOLDS_COLUMN):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HOLDS_COLUMN, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.list)
        self.choices = QWidget(self)
        form = QFormLayout(self.choices)
        form.setContentsMargins(0, 0, 0, 0)
        row, self.path = _path_row(
            self, "Backup to restore", False, "Ties journals (*.ties *.enc *.bak);;All files (*)"
        )
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        form.addRow(self.tr("File"), row)
        form.addRow(self.tr("Passphrase (encrypted backups)"), self.passphrase)
        lay.addWidget(self.choices)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Progress")
        self.progress.hide()
        lay.addWidget(self.progress)
        self.status = QLabel(self)
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.run_button = buttons.addButton(
            self.tr("Restore"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.run_button.setAccessibleName("Restore")
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        lay.addWidget(buttons)
        self.list.currentItemChanged.connect(self._picked)
        self.run_button.clicked.connect(self.restore)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm = self._ask
        self.contents_read = False
        self._read_contents()

    def _read_contents(self) -> None:
        """What each backup holds (people, entries, last entry), read on a worker."""
        found = list(self.found)
        job = jobs.PlainJob(lambda _job: [backup_cases.contents_text(b) for b in found])
        job.signals.done.connect(self._show_contents)
        job.signals.failed.connect(lambda _id, _exc: self._show_contents(0, []))
        self._contents_job = job  # kept: its signals must outlive this method
        jobs.start(job)

    def _show_contents(self, _job: int, texts: object) -> None:
        assert isinstance(texts, list)
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item is None:
                continue
            text = texts[row] if row < len(texts) else self.tr("cannot be read")
            item.setText(HOLDS_COLUMN, text)
            item.setToolTip(HOLDS_COLUMN, text)
        self.contents_read = True

    @property
    def busy(self) -> bool:
        return self.job is not None

    def _picked(self, item: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.path.setText(str(item.data(0, Qt.ItemDataRole.UserRole)))

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Restore"), text)
        return answer == QMessageBox.StandardButton.Yes

    def restore(self) -> None:
        if self.job is not None:
            return
        text = self.path.text().strip()
        if not text:
            self.status.setText(self.tr("Choose a backup to restore."))
            return
        passphrase = None
        try:
            source = backup_cases.restore_source(Path(text))
            if backups.needs_passphrase(source):  # an encrypted journal's: when not its own
                passphrase = self.passphrase.text()
                if not passphrase:
                    self.status.setText(self.tr("This backup is encrypted: type its passphrase."))
                    return
            if not crypto.is_encrypted(source):
                # The quick part; the full check runs on the worker.
                backups.peek_backup(source, passphrase=passphrase)
        except (JournalError, OSError) as exc:
            self.status.setText(_sentence(_message(exc)))
            return
        if passphrase is not None:  # the passphrase is checked before the question
            self._check_passphrase(source, passphrase)
            return
        self._confirm_and_start(source, None)

    def _check_passphrase(self, source: Path, passphrase: str) -> None:
        """A wrong passphrase is said before "Replace the journal?" is asked (issue #17 item 11).

        One key derivation: on a worker, as it takes a noticeable moment.
        """
        job = jobs.PlainJob(lambda _job: crypto.check_passphrase(source, passphrase))
        job.signals.done.connect(lambda _id, _r: self._passphrase_ok(source, passphrase))
        job.signals.failed.connect(self._passphrase_wrong)
        self.job = job
        self.error = None
        self._working(True)
        self.status.setText(self.tr("Checking the passphrase…"))
        jobs.start(job)

    def _passphrase_ok(self, source: Path, passphrase: str) -> None:
        job, self.job = self.job, None
        self._working(False)
        self.status.setText("")
        if job is None or job.cancelled:  # Cancel while it was checked: ask nothing
            return
        self._confirm_and_start(source, passphrase)

    def _passphrase_wrong(self, _job: int, exc: object) -> None:
        self.job = None
        self._working(False)
        self.error = exc
        self.status.setText(_message(exc))

    def _confirm_and_start(self, source: Path, passphrase: str | None) -> None:
        if not self.confirm(
            f"Replace the journal with {source.name}? The journal as it is now is backed up first."
        ):
            return
        journal = self.ctx.store.path

        def work(job: Job) -> backups.PreparedRestore:
            # Own connections only: the window's store stays open, on its own thread.
            prepared = backups.prepare_restore(
                source,
                journal,
                passphrase=passphrase,
                progress=job.report_step,
                cancelled=lambda: job.cancelled,
            )
            if job.cancelled:  # cancelled (or quitting) after the last check: undo it all
                _undo_prepared(prepared)
                raise backups.RestoreCancelled()
            atexit.register(prepared.discard)  # if the window quits before the swap
            return prepared

        job = jobs.PlainJob(work, must_finish=True)
        job.signals.step.connect(self._step)
        job.signals.done.connect(self._prepared)
        job.signals.failed.connect(self._failed)
        self.job = job
        self.error = None
        self._working(True)
        self.status.setText(step_text("check"))
        jobs.start(job)

    def _working(self, on: bool) -> None:
        self.progress.setRange(0, 0)
        self.progress.setVisible(on)
        self.run_button.setEnabled(not on)
        self.list.setEnabled(not on)
        self.choices.setEnabled(not on)
        self.cancel_button.setEnabled(True)

    def _step(self, _job: int, what: str, done: int, total: int) -> None:
        if self.job is None or self.job.cancelled:
            return
        show_step(self.status, self.progress, what, done, total)

    def _failed(self, _job: int, exc: object) -> None:
        self.job = None
        self._working(False)
        self.error = exc
        self.status.setText(_message(exc))

    def _prepared(self, _job: int, result: object) -> None:
        """The backup is checked and copied beside the journal: swap it in (quick)."""
        prepared = cast(backups.PreparedRestore, result)
        job, self.job = self.job, None
        atexit.unregister(prepared.discard)
        if job is not None and job.cancelled:  # Cancel came after the worker's last look
            _undo_prepared(prepared)
            self._failed(0, backups.RestoreCancelled())
            return
        self.cancel_button.setEnabled(False)  # from here on there is nothing to cancel
        self.status.setText(self.tr("Replacing the journal…"))
        journal = prepared.journal
        error: BaseException | None = None
        kept: Path | None = None
        # Every connection of ours must be closed before the swap: the places' workers
        # (which may write the kept window sums) are let finish first, so the last
        # close empties the write-ahead log that would otherwise refuse the swap.
        jobs.wait_for_all()
        self.ctx.store.close()
        try:
            candidate, kept = backups.commit_restore(prepared)
        except BaseException as exc:  # reported below, the journal is reopened either way
            error = exc
        finally:
            prepared.discard()
            # The copy passed a full integrity check on the worker: no second check here.
            self.ctx.replace_store(open_journal(journal, check=False))
        if error is not None:
            self._failed(0, error)
            return
        self.progress.hide()
        restored = backup_cases.Restored(journal, prepared.source, candidate, kept)
        self.ctx.status.emit(_sentence("; ".join(restored.lines())))
        self.accept()

    def reject(self) -> None:
        if self.job is not None:  # Cancel while the worker runs: it stops at its next check
            self.job.cancelled = True
            self.status.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)
            return
        super().reject()


def _undo_prepared(prepared: backups.PreparedRestore) -> None:
    """A prepared restore that will not be swapped in: remove its copy and its safety backup."""
    prepared.discard()
    if prepared.safety is not None:
        prepared.safety.unlink(missing_ok=True)


# --------------------------------------------------------------------- import


class ImportDialog(JobDialog):
    """Choose a file, preview what it would change, then import it (only when confirmed)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Import", parent)
        row, self.path = _path_row(
            self,
            "File to import",
            False,
            import_file_filter(),
        )
        self.strict = QCheckBox(self.tr("Refuse the whole file if a record cannot be read"), self)
        self.strict.setAccessibleName("Strict import")
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.setAccessibleName("Preview import")
        self.form.addRow(self.tr("File"), row)
        self.form.addRow("", self.strict)
        self.form.addRow("", self.preview_button)
        self.mapping_box = QGroupBox(self.tr("Which column holds what?"), self)
        self.mapping_box.setAccessibleName("Column mapping")
        mapping_form = QFormLayout(self.mapping_box)
        self.mapping: dict[str, QComboBox] = {}
        for key, label in map_fields():
            combo = QComboBox(self.mapping_box)
            combo.setAccessibleName(f"Column for {label.lower()}")
            self.mapping[key] = combo
            mapping_form.addRow(label, combo)
        self.mapping_box.hide()
        self.layout_.addWidget(self.mapping_box)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Import preview")
        self.layout_.addWidget(self.preview)
        self.report: ImportReport | None = None
        self._previewing = False
        self.run_button.setEnabled(False)
        self.preview_button.clicked.connect(self.start_preview)
        self.path.textChanged.connect(self._forget)
        self.finish_layout()
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(64 * em, 36 * em)  # room for a path and for the preview's lines

    def _forget(self) -> None:
        self.report = None
        self.run_button.setEnabled(False)
        self.mapping_box.hide()
        self.preview.clear()

    def chosen_mapping(self) -> Mapping | None:
        if self.mapping_box.isHidden():
            return None
        m = Mapping()
        for key, combo in self.mapping.items():
            setattr(m, key, combo.currentData() or None)
        return m

    def _show_mapping(self, path: Path) -> None:
        from ties.io.importers.csv_contacts import headers_of

        try:
            headers = headers_of(path)
        except JournalError:
            return
        for combo in self.mapping.values():
            combo.clear()
            combo.addItem(self.tr("(none)"), None)
            for h in headers:
                combo.addItem(h, h)
        self.mapping_box.show()

    def _target(self) -> Path | None:
        text = self.path.text().strip()
        if not text:
            self.status.setText(self.tr("Choose a file to import."))
            return None
        return Path(text).expanduser()

    def start_preview(self) -> None:
        self._launch(dry_run=True)

    def start(self) -> None:
        if self.report is None:
            self._launch(dry_run=True)
        else:
            self._launch(dry_run=False)

    def _launch(self, *, dry_run: bool) -> None:
        path = self._target()
        if path is None:
            return
        mapping = self.chosen_mapping()
        strict = self.strict.isChecked()
        self._previewing = dry_run
        self.status.setText("Reading the file…" if dry_run else "Importing…")
        self.preview_button.setEnabled(False)

        def work(store: Store, job: Job) -> ImportReport:
            return exchange_cases.import_store(
                store,
                path,
                dry_run=dry_run,
                strict=strict,
                mapping=mapping,
                progress=lambda n: job.report(n, 0),
                cancelled=lambda: job.cancelled,
            )

        self.run_job(work)

    def _failed(self, job: int, exc: object) -> None:
        super()._failed(job, exc)
        self.preview_button.setEnabled(True)
        self.run_button.setEnabled(False)
        path = self._target()
        if (
            isinstance(exc, ImportFormatError)
            and "header" in str(exc)
            and path is not None
            and self.mapping_box.isHidden()
        ):
            self._show_mapping(path)
            self.status.setText(
                self.tr("{error} Choose the columns below, then Preview.").format(error=exc)
            )
        elif isinstance(exc, ImportCancelled):
            self.status.setText(self.tr("Cancelled; nothing was written."))

    def succeeded(self, result: object) -> None:
        assert isinstance(result, ImportReport)
        self.preview_button.setEnabled(True)
        if self._previewing:
            self.report = result
            self.preview.setPlainText(describe(result))
            self.status.setText(
                f"{result.format}: would add {result.total('added')}, update "
                f"{result.total('updated')}, skip {result.total('skipped')}"
                + (f"; {result.unreadable} unreadable" if result.unreadable else "")
                + ". Press Import to write it."
            )
            self.run_button.setEnabled(True)
            return
        self.report = result
        self.ctx.undo_stack.clear()  # the import is not undoable step by step; a backup exists
        self.ctx.changed.emit(Changes.everything())
        self.ctx.status.emit(
            self.tr("Imported {source}: {summary}").format(
                source=result.source, summary=result.summary()
            )
        )
        self.accept()


def describe(report: ImportReport) -> str:
    """The preview text: the report ``ties import`` prints (:mod:`ties.app.exchange`)."""
    return exchange_cases.import_report_text(report)


# ------------------------------------------------------------ menu functions


def quit_backup(ctx: AppContext) -> Path | None:
    """The automatic backup on quit (at most daily, rotated), taken here and now.

    Sample journals and journals open read-only are not backed up; a failure is
    logged, never raised. The window takes the same backup on a worker while
    it closes (:mod:`ties.ui.quit_backup`); this is the one-call form.
    """
    from ties.ui.quit_backup import log_failure, quit_backup_due

    if not quit_backup_due(ctx):
        return None
    try:
        return backups.auto_backup(ctx.store)
    except (JournalError, OSError) as exc:
        log_failure(exc)
        return None


def backup_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    BackupDialog(ctx, parent).exec()


def restore_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    RestoreDialog(ctx, parent).exec()


def export_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    ExportDialog(ctx, parent).exec()


def import_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    ImportDialog(ctx, parent).exec()
