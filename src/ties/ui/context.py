"""What every place of the window shares: the journal, the undo stack, change notices.

Places never talk to each other directly: they change data through
:meth:`AppContext.push` (one undo stack for the whole window) and listen to
:attr:`AppContext.changed` to refresh, deciding from the
:class:`~ties.ui.changes.Changes` record it carries what to redo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ties.store import Store
from ties.ui.changes import Changes


class AppContext(QObject):
    """The open journal and its undo stack.

    Signals:
        changed(Changes): data changed; the record says which parts. Places
            refresh what depends on it.
        journal_opened(): another journal is open now (``store`` was replaced).
        person_requested(int): please show this person's page.
        entry_requested(int): please show this entry (in the Journal place).
        status(str): a short message for the status bar.
    """

    changed = Signal(object)
    journal_opened = Signal()
    person_requested = Signal(int)
    entry_requested = Signal(int)
    status = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = QUndoStack(self)
        self._today: date | None = None

    def today(self) -> date:
        """Today's date; tests pin it with :meth:`set_today`."""
        return self._today or date.today()

    def set_today(self, day: date | None) -> None:
        self._today = day

    def push(self, command: StoreCommand) -> None:
        """Do a change and put it on the undo stack.

        The change runs first; if it raises (a ``JournalError`` such as a full
        disk), nothing is pushed and the caller shows the message where the
        input came from.
        """
        command.run_first()
        self.undo_stack.push(command)

    def replace_store(self, store: Store) -> None:
        old = self.store
        self.store = store
        self.undo_stack.clear()
        if old is not store:
            old.close()
        self.journal_opened.emit()
        self.changed.emit(Changes.everything())


class StoreCommand(QUndoCommand):
    """An undoable change: two callables over the store, and the parts they touch."""

    def __init__(
        self,
        ctx: AppContext,
        text: str,
        redo: Callable[[], object],
        undo: Callable[[], object],
        changes: Changes,
    ) -> None:
        super().__init__(text)
        self.ctx = ctx
        self._redo = redo
        self._undo = undo
        self.changes = changes
        self._skip_next_redo = False

    def run_first(self) -> None:
        self._redo()
        self._skip_next_redo = True
        self.ctx.changed.emit(self.changes)

    def redo(self) -> None:
        if self._skip_next_redo:  # QUndoStack.push calls redo(); the change already ran
            self._skip_next_redo = False
            return
        self._redo()
        self.ctx.changed.emit(self.changes)

    def undo(self) -> None:
        self._undo()
        self.ctx.changed.emit(self.changes)
