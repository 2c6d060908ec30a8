"""Small widgets shared by the dialogs and places: inline error labels, date fields, pickers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QEvent, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ties.store import Store, ValidationError
from ties.ui.completion import TopMatchCompleter
from ties.ui.style import error_color

DATE_FORMAT = "ddd d MMM yyyy"


class ErrorLabel(QLabel):
    """A red one-line message next to a field; hidden while there is nothing to say."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {error_color()};")
        self.hide()

    def show_message(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text))


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class TabLeavesDateEdit(QDateEdit):
    """A date field that Tab leaves like any other (Left/Right move between its parts).

    A QDateEdit walks its sections on Tab: four stops in one field, and a trap
    when it shows a special text such as "any" (it has no section to walk to).
    """

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class DateField(TabLeavesDateEdit):
    """A date with a calendar popup and a readable format."""

    def __init__(self, name: str, value: date, parent: QWidget | None = None) -> None:
        super().__init__(to_qdate(value), parent)
        self.setAccessibleName(name)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_FORMAT)
        self.setMinimumDate(QDate(1900, 1, 1))

    def value(self) -> date:
        return from_qdate(self.date())

    def set_value(self, value: date) -> None:
        self.setDate(to_qdate(value))


MAX_SUGGESTIONS = 15


class PeopleCompleter(QCompleter):
    """Completes people's names from the journal as the user types.

    Asks the store for a handful of matching names on each edit instead of
    loading every name up front (a journal can hold tens of thousands).
    """

    def __init__(self, line: QLineEdit, store: Callable[[], Store]) -> None:
        super().__init__(line)
        self._store = store
        self._names = QStringListModel(self)
        self.setModel(self._names)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        popup = self.popup()
        if popup is not None:
            popup.setAccessibleName("Person suggestions")
        line.setCompleter(self)
        line.textEdited.connect(self._update)

    def _update(self, text: str) -> None:
        text = text.strip()
        if not text:
            self._names.setStringList([])
            return
        people = self._store().people_matching(text, archived=None, limit=MAX_SUGGESTIONS)
        self._names.setStringList([p.name for p in people])


class _NameLine(QLineEdit):
    """Enter with a name adds it (and stays in the dialog); Enter on an empty line saves.

    While suggestions are open, Enter or Tab takes the highlighted (best) one.
    """

    def __init__(self, picker: PeoplePicker) -> None:
        self._ready = False  # Qt sends events while the base class is built
        super().__init__(picker)
        self.picker = picker
        self.suggestions = TopMatchCompleter(self, "Person suggestions")
        self._ready = True

    def event(self, event: QEvent) -> bool:
        if self._ready and self.suggestions.handle_key(event):
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.text().strip():
            self.picker._add_name(self.text())
            event.accept()
            return
        super().keyPressEvent(event)


class PeoplePicker(QWidget):
    """Choose several people: type with completion, Enter adds; unknown names become new people.

    A typed name means whom quick-add's ``@name`` would mean
    (:meth:`Store.resolve_person`): a unique first name picks that person, a
    name several people could have is refused with the candidates.

    Chosen people are a list of ``(person_id or None, name)``; ``None`` marks a
    person to create when the entry is saved.

    Signals:
        changed(): the selection changed.
        problem(str): what is wrong with the typed name ("" once it is fine).
    """

    changed = Signal()
    problem = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setAccessibleName("People")
        self.chosen: list[tuple[int | None, str]] = []
        self.line = _NameLine(self)
        self.line.setAccessibleName("Add person")
        self.line.setPlaceholderText(self.tr("Type a name, Enter to add"))
        self.line.suggestions.activated.connect(self._add_name)
        self.line.textEdited.connect(self._suggest)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setAccessibleName("Add person to entry")
        self.add_button.clicked.connect(lambda: self._add_name(self.line.text()))
        self.line.textChanged.connect(self._text_changed)
        self.list = QListWidget(self)
        self.list.setAccessibleName("People on this entry")
        self.list.setMaximumHeight(88)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setAccessibleName("Remove person from entry")
        self.remove_button.clicked.connect(self._remove_selected)
        QShortcut(QKeySequence.StandardKey.Delete, self.list, self._remove_selected)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        bottom = QHBoxLayout()
        bottom.addWidget(self.list, 1)
        bottom.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(bottom)

    def _text_changed(self, text: str) -> None:
        name = " ".join(text.split())
        try:
            new = bool(name) and self.store.resolve_person(name) is None
        except ValidationError:
            new = False
        if new:
            self.add_button.setText(self.tr("Create “{name}”").format(name=name[:24]))
        else:
            self.add_button.setText(self.tr("Add"))

    def _suggest(self, text: str) -> None:
        text = text.strip()
        people = (
            self.store.people_matching(text, archived=None, limit=MAX_SUGGESTIONS) if text else []
        )
        self.line.suggestions.offer([p.name for p in people])

    def ambiguity(self, name: str) -> str | None:
        """Why ``name`` picks nobody for sure (several people could be meant), or None."""
        try:
            self.store.resolve_person(name)
        except ValidationError:
            found = self.store.people_named(name) or self.store.people_starting(name)
            names = ", ".join(p.name for p in found[:6]) + (", …" if len(found) > 6 else "")
            return self.tr(
                "“{name}” could mean several people: {names}. Type more of the name, "
                "or pick one from the suggestions."
            ).format(name=name, names=names)
        return None

    def _add_name(self, name: str) -> bool:
        """Add whom ``name`` means (a new person if nobody); False, with a problem, if unclear."""
        name = " ".join(name.split())
        if not name:
            return True
        why = self.ambiguity(name)
        if why is not None:
            self.problem.emit(why)
            return False
        p = self.store.resolve_person(name)
        self.add(p.id if p else None, p.name if p else name)
        self.line.clear()
        self.problem.emit("")
        return True

    def add(self, person_id: int | None, name: str) -> None:
        if any(
            (pid is not None and pid == person_id) or n.casefold() == name.casefold()
            for pid, n in self.chosen
        ):
            return
        self.chosen.append((person_id, name))
        item = QListWidgetItem(
            name if person_id is not None else f"+ {name}  (new person, added on Save)"
        )
        if person_id is None:  # cannot be missed: a typo must not become a person unseen
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        self.list.addItem(item)
        self.changed.emit()

    def set_people(self, people: list[tuple[int, str]]) -> None:
        self.chosen = []
        self.list.clear()
        for pid, name in people:
            self.add(pid, name)

    def _remove_selected(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self.list.takeItem(row)
        del self.chosen[row]
        self.changed.emit()

    def pending_text(self) -> str:
        return self.line.text().strip()
