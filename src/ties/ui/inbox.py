"""The phone inbox in the window: the waiting lines with quick-add's preview, saved on
confirmation, each saved line marked done in the file (:mod:`ties.app.inbox`).

Saving goes through the undo stack as one step; undo removes the entries (the
lines stay marked done in the file: the phone's copy is not rewritten back).
Nothing is saved without a press of "Save checked lines", unless the person
ticked "Save every line that parses as it arrives" (:data:`SAVE_ALL`, kept with
the window's settings): the window then saves them when it reads the file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ties.app.inbox import Inbox, InboxError, InboxLine, inbox_path, mark_done, read_inbox
from ties.store import JournalError
from ties.ui import commands
from ties.ui import settings as ui_settings
from ties.ui.context import AppContext

#: The window settings' key of "Save every line that parses as it arrives" (off by default).
SAVE_ALL = "inbox/save_all_that_parse"


def save_all_chosen() -> bool:
    return ui_settings.remembered_flag(SAVE_ALL, False)


def save_lines(ctx: AppContext, path: Path, chosen: list[InboxLine]) -> str:
    """Save ``chosen`` as one undo step, then mark them done in the file; if the file
    cannot be marked (changed meanwhile, not writable), the entries are undone.

    Returns the problem to show, or "" when the lines were saved and marked.
    """
    stack = ctx.undo_stack
    stack.beginMacro(
        QCoreApplication.translate("InboxDialog", "Save {n} inbox lines").format(n=len(chosen))
    )
    try:
        for line in chosen:
            assert line.entry is not None
            commands.quick_add(ctx, line.entry)
    except JournalError as exc:
        stack.endMacro()
        stack.undo()
        return str(exc)
    stack.endMacro()
    try:
        missed = mark_done(path, chosen)
        problem = (
            QCoreApplication.translate(
                "InboxDialog", "The inbox changed while it was read; nothing was saved. Look again."
            )
            if missed
            else ""
        )
    except InboxError as exc:
        problem = str(exc)
    if problem:
        stack.undo()
    return problem


class InboxDialog(QDialog):
    """The lines waiting in an inbox file; the checked ones are saved."""

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = inbox_path(path)
        self.setWindowTitle(self.tr("Phone inbox"))
        self.setAccessibleName("Phone inbox")
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.lines = QListWidget(self)
        self.lines.setAccessibleName("Inbox lines")
        self.note = QLabel(self)
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.save_all = QCheckBox(self.tr("Save every line that parses as it arrives"), self)
        self.save_all.setAccessibleName("Save every line that parses")
        self.save_all.setToolTip(
            self.tr("The window then saves new lines when it reads the inbox, without asking")
        )
        self.save_all.setChecked(save_all_chosen())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button = QPushButton(self.tr("&Save checked lines"), self)
        self.save_button.setAccessibleName("Save checked lines")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.lines, 1)
        lay.addWidget(self.note)
        lay.addWidget(self.save_all)
        lay.addWidget(buttons)
        self.resize(640, 420)
        self._inbox: Inbox | None = None
        self._shown: list[InboxLine] = []
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save_checked)
        self.save_all.toggled.connect(lambda on: ui_settings.remember(SAVE_ALL, bool(on)))
        self.reload()

    def reload(self) -> None:
        """Read the file again and list what waits in it."""
        try:
            self._inbox = read_inbox(self.ctx.store, self.path)
        except InboxError as exc:
            self._inbox = None
            self.heading.setText(str(exc))
            self.lines.clear()
            self.save_button.setEnabled(False)
            return
        self.lines.clear()
        self._shown = list(self._inbox.pending)
        for line in self._shown:
            if line.entry is not None:
                new = ", ".join(line.new_people)
                text = f"{line.raw}\n    → {line.entry.describe()}"
                if new:
                    text += "\n    " + self.tr("new: {0}").format(new)
            else:
                text = f"{line.raw}\n    ✗ {line.error}"
            item = QListWidgetItem(text, self.lines)
            if line.entry is not None:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
        waiting = len(self._shown)
        self.heading.setText(
            self.tr("{n} lines wait in {file}.").format(n=waiting, file=self.path)
            if waiting
            else self.tr("Nothing waits in {file}.").format(file=self.path)
        )
        self.note.setText(self._inbox.waiting or "")
        self.save_button.setEnabled(any(ln.entry is not None for ln in self._shown))

    def checked(self) -> list[InboxLine]:
        return [
            line
            for i, line in enumerate(self._shown)
            if line.entry is not None and self.lines.item(i).checkState() == Qt.CheckState.Checked
        ]

    def save_checked(self) -> None:
        """Save the checked lines as one undo step, then mark them done in the file; if the
        file cannot be marked (changed meanwhile, not writable), the entries are undone."""
        chosen = self.checked()
        if not chosen:
            return
        problem = save_lines(self.ctx, self.path, chosen)
        if problem:
            QMessageBox.warning(self, self.tr("Phone inbox"), problem)
        self.reload()
