"""Editing and deleting entries from any list of them (the Journal, a person's page)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ties.store import JournalError
from ties.ui import commands
from ties.ui.context import AppContext
from ties.ui.dialogs.entry_editor import EntryEditor
from ties.ui.errors import show_error


def edit_entry(ctx: AppContext, parent: QWidget, entry_id: int) -> None:
    """Open the editor on an entry; a vanished entry is said plainly."""
    try:
        entry = ctx.store.get_entry(entry_id)
    except JournalError as exc:
        show_error(parent, exc)
        return
    EntryEditor(ctx, entry, parent).exec()


def delete_entries(ctx: AppContext, parent: QWidget, ids: list[int]) -> None:
    """Delete entries in one undoable step and say how to take it back."""
    if not ids:
        return
    try:
        commands.delete_entries(ctx, ids)
    except JournalError as exc:
        show_error(parent, exc)
        return
    if len(ids) == 1:
        done = QCoreApplication.translate("EntryActions", "Deleted 1 entry — Ctrl+Z undoes it.")
    else:
        done = QCoreApplication.translate(
            "EntryActions", "Deleted {n} entries — Ctrl+Z undoes it."
        ).format(n=len(ids))
    ctx.status.emit(done)
