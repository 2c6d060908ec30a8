"""When the journal turns out damaged: offer the newest backup that passes its check.

The damaged file is never changed: :func:`ties.io.recovery.recover` renames it
aside and restores the chosen backup in its place.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale
from PySide6.QtWidgets import QMessageBox, QWidget

from ties.io.recovery import newest_good_backup, recover
from ties.store import CorruptJournalError, JournalError, Store
from ties.ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("Recovery", text)


def offer_recovery(parent: QWidget | None, ctx: AppContext, exc: CorruptJournalError) -> bool:
    """Ask to replace the damaged journal with its newest good backup; True if it was.

    Without a usable backup, says so and leaves everything as it is.
    """
    journal = ctx.store.path
    backup = newest_good_backup(journal)
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
    ctx.store.close()
    try:
        done = recover(journal, backup)
    except (JournalError, OSError) as failed:  # the damaged journal is back in its place
        ctx.replace_store(Store.open(journal, create=False, check=False))
        QMessageBox.warning(
            parent,
            _tr("Restore failed"),
            _tr("{error}\n\nThe journal was left as it was.").format(error=failed),
        )
        return False
    ctx.replace_store(Store.open(journal))
    ctx.status.emit(
        _tr(
            "Restored {people} people and {entries} entries from {name}; the damaged file is "
            "{damaged}"
        ).format(people=done.people, entries=done.entries, name=backup.name, damaged=done.damaged)
    )
    return True
