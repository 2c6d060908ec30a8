"""The entry editor: every field of an entry, for a new one or an existing one.

Validation is the store's (one set of rules for the window and the command
line); its messages appear under the field they name. A journal error such
as a full disk is shown at the top and the dialog stays open, so nothing
that was typed is lost.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ties.model import DIRECTIONS, FAMILIES, KINDS, WEIGHT_WORDS, Entry
from ties.store import JournalError, ValidationError
from ties.ui import commands
from ties.ui.context import AppContext
from ties.ui.errors import report_unexpected
from ties.ui.widgets import DateField, ErrorLabel, PeopleCompleter, PeoplePicker, to_qdate

DIRECTION_TEXT = {
    "gave": "I gave support",
    "received": "I received support",
    "mutual": "Mutual (we did it together)",
    "contact": "Contact only",
}


class EntryEditor(QDialog):
    """New entry (``entry=None``) or edit an existing one; saves through the undo stack.

    Attributes:
        saved_entry: the entry as stored after a successful save.
    """

    def __init__(
        self,
        ctx: AppContext,
        entry: Entry | None = None,
        parent: QWidget | None = None,
        *,
        person_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entry = entry
        self.saved_entry: Entry | None = None
        store = ctx.store
        self.setWindowTitle("Edit entry" if entry else "New entry")
        self.setAccessibleName("Entry editor")
        self.setMinimumWidth(620)

        self.banner = ErrorLabel("Entry editor message", self)
        self.date = DateField("Date", entry.date if entry else ctx.today(), self)
        # An entry records what happened: no later than today (an imported one keeps its date).
        self.date.setMaximumDate(to_qdate(max(ctx.today(), entry.date if entry else ctx.today())))
        self.time = QLineEdit(entry.time or "" if entry else "", self)
        self.time.setAccessibleName("Time")
        self.time.setPlaceholderText(self.tr("HH:MM (optional)"))
        self.time.setMaximumWidth(120)
        self.people = PeoplePicker(store, self)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        for k in KINDS:
            self.kind.addItem(k.capitalize(), k)
        self.direction = QComboBox(self)
        self.direction.setAccessibleName("Direction")
        for d in DIRECTIONS:
            self.direction.addItem(DIRECTION_TEXT[d], d)
        self.weight = QComboBox(self)
        self.weight.setAccessibleName("Weight")
        for w, word in WEIGHT_WORDS.items():
            self.weight.addItem(f"{w} · {word}", w)
        self.type_boxes: dict[str, QCheckBox] = {}
        types_widget = QWidget(self)
        types_layout = QHBoxLayout(types_widget)
        types_layout.setContentsMargins(0, 0, 0, 0)
        current_types = set(entry.support_types) if entry else set()
        for family in FAMILIES:
            group = QGroupBox(family.capitalize(), types_widget)
            group.setAccessibleName(f"{family.capitalize()} support")
            grid = QVBoxLayout(group)
            grid.setSpacing(2)
            for t in store.support_types(include_retired=True):
                if t.family != family or (t.retired and t.key not in current_types):
                    continue
                box = QCheckBox(t.label + (" (retired)" if t.retired else ""), group)
                box.setAccessibleName(f"Support type {t.label}")
                box.setToolTip(t.question)
                box.setAccessibleDescription(t.question)
                grid.addWidget(box)
                self.type_boxes[t.key] = box
            grid.addStretch(1)
            types_layout.addWidget(group)
        self.behalf = QLineEdit(self)
        self.behalf.setAccessibleName("On behalf of")
        self.behalf.setPlaceholderText(self.tr("Someone this was for (optional)"))
        PeopleCompleter(self.behalf, lambda: self.ctx.store)
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText(self.tr("What happened, in your own words"))
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(90)
        self.follow_up_on = QCheckBox(self.tr("Follow up on"), self)
        self.follow_up_on.setAccessibleName("Follow up")
        self.follow_up = DateField("Follow-up date", ctx.today(), self)
        self.follow_up_done = QCheckBox(self.tr("Done"), self)
        self.follow_up_done.setAccessibleName("Follow-up done")
        self.thanked = QCheckBox(self.tr("I thanked them"), self)
        self.thanked.setAccessibleName("Thanked")

        self.errors = {
            name: ErrorLabel(f"{label} error", self)
            for name, label in (
                ("date", "Date"),
                ("time", "Time"),
                ("people", "People"),
                ("direction", "Direction"),
                ("kind", "Kind"),
                ("weight", "Weight"),
                ("support_types", "Support"),
                ("on_behalf_of", "On behalf of"),
                ("note", "Note"),
                ("follow_up", "Follow-up"),
                ("thanked", "Thanked"),
            )
        }

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        when = QHBoxLayout()
        when.addWidget(self.date)
        when.addWidget(QLabel(self.tr("at"), self))
        when.addWidget(self.time)
        when.addStretch(1)
        # Who it was with first: a new entry starts there, and Tab goes on down the form.
        form.addRow(self.tr("People:"), self._with_error(self.people, "people"))
        form.addRow(self.tr("Date:"), self._with_error(when, "date", "time"))
        how = QGridLayout()
        how.addWidget(self.direction, 0, 0)
        how.addWidget(self.kind, 0, 1)
        how.addWidget(self.weight, 0, 2)
        form.addRow(self.tr("What:"), self._with_error(how, "direction", "kind", "weight"))
        form.addRow(self.tr("Support:"), self._with_error(types_widget, "support_types"))
        form.addRow(self.tr("On behalf of:"), self._with_error(self.behalf, "on_behalf_of"))
        form.addRow(self.tr("Note:"), self._with_error(self.note, "note"))
        follow = QHBoxLayout()
        follow.addWidget(self.follow_up_on)
        follow.addWidget(self.follow_up)
        follow.addWidget(self.follow_up_done)
        follow.addStretch(1)
        form.addRow(self.tr("Follow-up:"), self._with_error(follow, "follow_up"))
        form.addRow("", self._with_error(self.thanked, "thanked"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName("Save entry")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._load(entry, person_id)
        self._set_tab_order()
        self._connect_callbacks()
        # New entry: who it was with comes first; an edit usually fixes the note.
        (self.note if entry else self.people.line).setFocus()

    def _set_tab_order(self) -> None:
        """Tab follows the form as shown: people, when, what, support, note, follow-up, buttons."""
        chain: list[QWidget] = [
            self.people.line,
            self.people.add_button,
            self.people.list,
            self.people.remove_button,
            self.date,
            self.time,
            self.direction,
            self.kind,
            self.weight,
            *self.type_boxes.values(),
            self.behalf,
            self.note,
            self.follow_up_on,
            self.follow_up,
            self.follow_up_done,
            self.thanked,
            self.buttons.button(QDialogButtonBox.StandardButton.Save),
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _with_error(self, field: object, *names: str) -> QWidget:
        box = QWidget(self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        if isinstance(field, QWidget):
            lay.addWidget(field)
        else:
            lay.addLayout(field)  # type: ignore[arg-type]
        for n in names:
            lay.addWidget(self.errors[n])
        return box

    def _connect_callbacks(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.follow_up_on.toggled.connect(self._follow_up_toggled)
        self.direction.activated.connect(self._direction_changed)
        self.people.problem.connect(self.errors["people"].show_message)

    def _follow_up_toggled(self, on: bool) -> None:
        self.follow_up.setEnabled(on)
        self.follow_up_done.setEnabled(on)

    def _direction_changed(self) -> None:
        received = self.direction.currentData() == "received"
        self.thanked.setEnabled(received)

    def _load(self, entry: Entry | None, person_id: int | None) -> None:
        store = self.ctx.store
        if entry is None:
            self.direction.setCurrentIndex(DIRECTIONS.index("contact"))
            if person_id is not None:
                p = store.get_person(person_id)
                self.people.add(p.id, p.name)
            self.follow_up_on.setChecked(False)
            self._follow_up_toggled(False)
            self._direction_changed()
            return
        names = {pid: store.get_person(pid).name for pid in entry.person_ids}
        self.people.set_people([(pid, names[pid]) for pid in entry.person_ids])
        self.kind.setCurrentIndex(KINDS.index(entry.kind))
        self.direction.setCurrentIndex(DIRECTIONS.index(entry.direction))
        self.weight.setCurrentIndex(entry.weight - 1)
        for key, box in self.type_boxes.items():
            box.setChecked(key in entry.support_types)
        if entry.on_behalf_of:
            self.behalf.setText(store.get_person(entry.on_behalf_of).name)
        self.note.setPlainText(entry.note)
        self.follow_up_on.setChecked(entry.follow_up is not None)
        if entry.follow_up:
            self.follow_up.set_value(entry.follow_up)
        self.follow_up_done.setChecked(entry.follow_up_done)
        self._follow_up_toggled(entry.follow_up is not None)
        self.thanked.setChecked(entry.thanked)
        self._direction_changed()

    def _clear_errors(self) -> None:
        self.banner.show_message(None)
        for label in self.errors.values():
            label.show_message(None)

    def _error(self, field: str | None, message: str) -> None:
        label = self.errors.get(field or "")
        (label or self.banner).show_message(message)

    def build(self) -> tuple[Entry, dict[int, str]]:
        """The entry the fields describe, and the new people it names (negative ids)."""
        pending = self.people.pending_text()
        if pending:
            why = self.people.ambiguity(pending)
            if why is not None:
                raise ValidationError(why, "people")
            if self.ctx.store.resolve_person(pending) is None:
                # Shown as new in the list first: a typo must not become a person unseen.
                self.people._add_name(pending)
                raise ValidationError(
                    self.tr(
                        "“{name}” is not in your journal: it is listed as a new person. "
                        "Save again to add them."
                    ).format(name=" ".join(pending.split())),
                    "people",
                )
            self.people._add_name(pending)
        new_names: dict[int, str] = {}
        ids: list[int] = []
        for pid, name in self.people.chosen:
            if pid is None:
                key = -(len(new_names) + 1)
                new_names[key] = name
                ids.append(key)
            else:
                ids.append(pid)
        time = self.time.text().strip() or None
        if time is not None and not re.fullmatch(r"\d{1,2}:\d{2}", time):
            raise ValidationError("Time must look like 14:30.", "time")
        behalf_id: int | None = None
        behalf = self.behalf.text().strip()
        if behalf:
            try:
                found = self.ctx.store.resolve_person(behalf)
            except ValidationError as exc:
                raise ValidationError(str(exc), "on_behalf_of") from None
            if found is None:
                raise ValidationError(
                    f"There is nobody called “{behalf}” in your journal.", "on_behalf_of"
                )
            behalf_id = found.id
        direction = self.direction.currentData()
        types = [k for k, box in self.type_boxes.items() if box.isChecked()]
        unchanged = (
            self.entry is not None
            and self.entry.direction == direction
            and set(self.entry.support_types) == set(types)
        )
        if direction == "contact" and types and not unchanged:  # (older entries may have both)
            # as quick-add says it: a contact's support types would never count
            raise ValidationError(
                "“Contact only” carries no support: choose which way it went "
                "(gave, received, mutual), or untick the support types.",
                "direction",
            )
        base = self.entry or Entry(date=date.today(), person_ids=[])
        entry = replace(
            base,
            date=self.date.value(),
            time=time,
            person_ids=ids,
            kind=self.kind.currentData(),
            direction=direction,
            weight=self.weight.currentData(),
            support_types=types,
            on_behalf_of=behalf_id,
            note=self.note.toPlainText().strip(),
            follow_up=self.follow_up.value() if self.follow_up_on.isChecked() else None,
            follow_up_done=self.follow_up_on.isChecked() and self.follow_up_done.isChecked(),
            thanked=direction == "received" and self.thanked.isChecked(),
        )
        return entry, new_names

    def save(self) -> None:
        self._clear_errors()
        try:
            entry, new_names = self.build()
            if not entry.person_ids:
                raise ValidationError("Add at least one person.", "people")
            check = replace(entry, person_ids=[i for i in entry.person_ids if i > 0] or [0])
            self.ctx.store.validate_entry(check)
            self.saved_entry = commands.save_entry(self.ctx, entry, new_names)
        except ValidationError as exc:
            self._error(exc.field, str(exc))
            return
        except JournalError as exc:  # disk full, read-only…: keep everything typed
            self._error(None, str(exc))
            return
        except Exception as exc:
            self._error(None, report_unexpected(exc))
            return
        self.accept()
