"""People → Merge…: two records of one person become one, with a preview of what is kept.

The user picks the person to keep and the one to merge into them; the dialog
shows both side by side and, in a third column, the person as they will be
(:func:`ties.store.merge.merged_person`, the same function the merge uses), with
the entries and links that move. OK merges in one undo step.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ties.model import Person
from ties.store import EntryFilter, JournalError
from ties.store.merge import merged_person
from ties.ui import person_commands
from ties.ui.context import AppContext
from ties.ui.person_details import address_text
from ties.ui.widgets import ErrorLabel, PeopleCompleter


def person_html(
    p: Person, entries: int, links: int, has_photo: bool, circle_label: str = ""
) -> str:
    """What a person record holds, field by field (a column of the preview)."""
    rows: list[tuple[str, str]] = [
        ("Name", p.name),
        ("Circle", circle_label or p.circle),
        ("Organization", " · ".join(x for x in (p.role, p.organization) if x)),
        ("How we met", p.how_met),
        ("E-mail", ", ".join(d.value for d in p.emails)),
        ("Phone", ", ".join(d.value for d in p.phones)),
        ("Web", ", ".join(d.value for d in p.urls)),
        ("Address", "; ".join(address_text(a) for a in p.addresses)),
        ("Birthday", p.birthday or ""),
        ("Dates", ", ".join(f"{d.label} {d.date}" for d in p.dates)),
        ("Tags", ", ".join(p.tags)),
        ("Interests", p.interests),
        ("Notes", p.notes),
        ("Photo", "yes" if has_photo else ""),
        ("Entries", f"{entries:,}"),
        ("Links", f"{links:,}"),
    ]
    body = "".join(
        f"<tr><td style='color:gray;padding-right:8px'>{k}</td><td>{escape(v) or '—'}</td></tr>"
        for k, v in rows
    )
    return f"<table>{body}</table>"


class MergePeopleDialog(QDialog):
    """Choose KEEP and OTHER, see the outcome, merge (undoable)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, keep_id: int | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Merge two people"))
        self.setAccessibleName("Merge people")
        self.keep_id: int | None = None
        self.other_id: int | None = None
        self.keep = QLineEdit(self)
        self.keep.setAccessibleName("Person to keep")
        self.keep.setPlaceholderText(self.tr("The person to keep…"))
        self.other = QLineEdit(self)
        self.other.setAccessibleName("Person to merge into them")
        self.other.setPlaceholderText(self.tr("The same person, recorded twice…"))
        PeopleCompleter(self.keep, lambda: self.ctx.store)
        PeopleCompleter(self.other, lambda: self.ctx.store)
        self.swap = QPushButton(self.tr("Swap"), self)
        self.swap.setAccessibleName("Swap people to merge")
        self.columns = [QLabel(self) for _ in range(3)]
        for label, name in zip(
            self.columns, ("Keep preview", "Other preview", "Merged preview"), strict=True
        ):
            label.setAccessibleName(name)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setMinimumWidth(220)
        self.message = ErrorLabel("Merge message", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Merge"))
        self.ok.setAccessibleName("Merge")
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)

        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Keep:"), self), 0, 0)
        grid.addWidget(self.keep, 0, 1)
        grid.addWidget(QLabel(self.tr("Merge into them:"), self), 1, 0)
        grid.addWidget(self.other, 1, 1)
        grid.addWidget(self.swap, 0, 2, 2, 1)
        preview = QWidget(self)
        pl = QGridLayout(preview)
        for i, title in enumerate(
            (self.tr("Keep"), self.tr("Merge into them"), self.tr("After the merge"))
        ):
            heading = QLabel(title, preview)
            heading.setObjectName("sectionTitle")
            pl.addWidget(heading, 0, i)
            pl.addWidget(self.columns[i], 1, i)
        pl.setRowStretch(2, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(preview)
        note = QLabel(
            self.tr(
                "Every entry, detail, date, tag and link of the second person moves to the "
                "first, and the second is removed. Ctrl+Z undoes the merge."
            ),
            self,
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        lay = QVBoxLayout(self)
        lay.addLayout(grid)
        lay.addWidget(scroll, 1)
        lay.addWidget(note)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.resize(860, 560)
        self.keep.editingFinished.connect(self.update_preview)
        self.other.editingFinished.connect(self.update_preview)
        self.keep.textChanged.connect(lambda _t: self.ok.setEnabled(False))
        self.other.textChanged.connect(lambda _t: self.ok.setEnabled(False))
        self.swap.clicked.connect(self._swap)
        if keep_id is not None:
            self.keep.setText(ctx.store.get_person(keep_id).name)
        self.update_preview()

    def _swap(self) -> None:
        a, b = self.keep.text(), self.other.text()
        self.keep.setText(b)
        self.other.setText(a)
        self.update_preview()

    def _resolve(self, line: QLineEdit) -> Person | None:
        name = line.text().strip()
        if not name:
            return None
        found = self.ctx.store.resolve_person(name)
        if found is None:
            raise JournalError(f"There is nobody called {name} in the journal.")
        return found

    def update_preview(self) -> None:
        """Show both people and the merged one; OK only when two different people are named."""
        self.ok.setEnabled(False)
        self.keep_id = self.other_id = None
        for label in self.columns:
            label.clear()
        try:
            keep, other = self._resolve(self.keep), self._resolve(self.other)
        except JournalError as exc:
            self.message.show_message(str(exc))
            return
        self.message.show_message(None)
        store = self.ctx.store
        circles = {c.key: c.label for c in store.circles(include_retired=True)}
        for column, p in ((0, keep), (1, other)):
            if p is not None and p.id is not None:
                entries, links = store.person_entry_count(p.id), len(store.links(p.id))
                self.columns[column].setText(
                    person_html(p, entries, links, p.has_photo, circles.get(p.circle, ""))
                )
        if keep is None or other is None or keep.id is None or other.id is None:
            return
        if keep.id == other.id:
            self.message.show_message(self.tr("Choose two different people."))
            return
        linked = {x.other_id for x in store.links(keep.id)} | {
            x.other_id for x in store.links(other.id)
        }
        linked -= {keep.id, other.id}
        self.columns[2].setText(
            person_html(
                merged_person(keep, other),
                len(
                    set(store.entry_ids(EntryFilter(person_id=keep.id)))
                    | set(store.entry_ids(EntryFilter(person_id=other.id)))
                ),  # an entry with both counts once
                len(linked),
                keep.has_photo or other.has_photo,
                circles.get(keep.circle, ""),
            )
        )
        self.keep_id, self.other_id = keep.id, other.id
        self.ok.setEnabled(True)

    def merge(self) -> None:
        if self.keep_id is None or self.other_id is None:
            self.update_preview()
            if self.keep_id is None or self.other_id is None:
                return
        other_name = self.other.text().strip()
        try:
            person_commands.merge_people(self.ctx, self.keep_id, self.other_id)
        except JournalError as exc:
            self.message.show_message(str(exc))
            return
        self.ctx.status.emit(
            self.tr("Merged {other} into {keep} — Ctrl+Z undoes it.").format(
                other=other_name, keep=self.keep.text().strip()
            )
        )
        self.accept()
