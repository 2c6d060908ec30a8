"""Where new people belong: circle and closeness for people quick-add just created.

Quick-add creates an unknown ``@name`` in the circle "Other" at closeness 3;
left there, Coverage and the map fill up with "Other". Right after the save,
one key (F2) or a click on the preview opens this: one row per new person,
Enter saves, and the change is one step on the undo stack.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ties.model import CLOSENESS_LABELS, Person
from ties.store import JournalError
from ties.ui import commands
from ties.ui.context import AppContext
from ties.ui.errors import report_unexpected
from ties.ui.widgets import ErrorLabel


class PlacePeopleDialog(QDialog):
    """Circle and closeness for each of ``person_ids``, saved as one undo step."""

    def __init__(self, ctx: AppContext, person_ids: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.people = [ctx.store.get_person(pid) for pid in person_ids]
        self.setWindowTitle(self.tr("Where do they belong?"))
        self.setAccessibleName("Place new people")
        self.banner = ErrorLabel("Place new people message", self)
        intro = QLabel(
            self.tr("New people start in “Other”. Say where each belongs; Enter saves."), self
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.rows: list[tuple[Person, QComboBox, QComboBox]] = []
        circles = ctx.store.circles()
        for person in self.people:
            circle = QComboBox(self)
            circle.setAccessibleName(f"Circle of {person.name}")
            for c in circles:
                circle.addItem(c.label, c.key)
            circle.setCurrentIndex(max(circle.findData(person.circle), 0))
            closeness = QComboBox(self)
            closeness.setAccessibleName(f"Closeness of {person.name}")
            for value, label in CLOSENESS_LABELS.items():
                closeness.addItem(f"{value} · {label}", value)
            closeness.setCurrentIndex(max(closeness.findData(person.closeness), 0))
            row = QHBoxLayout()
            row.addWidget(circle, 1)
            row.addWidget(closeness, 1)
            form.addRow(person.name, row)
            self.rows.append((person, circle, closeness))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setAccessibleName("Save circles")
        save.setDefault(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.banner)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if self.rows:
            self.rows[0][1].setFocus()

    def save(self) -> None:
        changed = [
            replace(p, circle=circle.currentData(), closeness=closeness.currentData())
            for p, circle, closeness in self.rows
            if (p.circle, p.closeness) != (circle.currentData(), closeness.currentData())
        ]
        try:
            if changed:
                stack = self.ctx.undo_stack
                stack.beginMacro(self.tr("Place {names}").format(names=_names(changed)))
                try:
                    for person in changed:
                        commands.update_person(self.ctx, person)
                finally:
                    stack.endMacro()
        except JournalError as exc:
            self.banner.show_message(str(exc))
            return
        except Exception as exc:
            self.banner.show_message(report_unexpected(exc))
            return
        self.accept()


def _names(people: list[Person]) -> str:
    return ", ".join(p.name for p in people)
