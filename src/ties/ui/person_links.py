"""The links of one person to others, on their page, and a row to add one there.

A link is saved (and undoable) as soon as it is added or removed, like the
photo: it ties two people, so it is not part of one person's unsaved form.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ties.model import RELATIONS, PersonLink
from ties.store import JournalError
from ties.ui import person_commands
from ties.ui.context import AppContext
from ties.ui.icons import icon
from ties.ui.widgets import ErrorLabel, PeopleCompleter


def link_text(x: PersonLink) -> str:
    """How a link reads from this person's side ("friend"; "introduced me to (by them)")."""
    if x.directed and x.incoming:
        return f"{x.relation} (by them)"
    return x.relation


def links_html(links: list[PersonLink]) -> str:
    """One line per link: the other person (a link to their page), the relation, remove."""
    if not links:
        return "<span style='color:gray'>No links yet: add who they know below.</span>"
    rows = []
    for x in links:
        since = f" since {x.since:%b %Y}" if x.since else ""
        rows.append(
            f"<a href='person:{x.other_id}'>{escape(x.other_name)}</a>"
            f" — {escape(link_text(x))}{since}"
            f" &nbsp;<a href='unlink:{x.other_id}' style='color:gray'>remove</a>"
        )
    return "<br>".join(rows)


class LinksPanel(QWidget):
    """Who this person knows: the list, and an add row (a name, a relation, Link).

    Signals:
        person_requested(int): the user clicked another person's name.
    """

    person_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id: int | None = None
        self.setAccessibleName("Person links")
        heading = QLabel(self.tr("Links"), self)
        heading.setObjectName("sectionTitle")
        self.list = QLabel(self)
        self.list.setAccessibleName("Person links list")
        self.list.setTextFormat(Qt.TextFormat.RichText)
        self.list.setWordWrap(True)
        self.list.linkActivated.connect(self._clicked)
        self.other = QLineEdit(self)
        self.other.setAccessibleName("Link to person")
        self.other.setPlaceholderText(self.tr("Who they know…"))
        PeopleCompleter(self.other, lambda: self.ctx.store)
        self.relation = QComboBox(self)
        self.relation.setEditable(True)
        self.relation.setAccessibleName("Link relation")
        line = self.relation.lineEdit()
        if line is not None:
            line.setAccessibleName("Link relation text")
        self.relation.addItems(RELATIONS)
        self.relation.setCurrentText("knows")
        self.add_button = QPushButton(icon("add"), self.tr("Link"), self)
        self.add_button.setAccessibleName("Add link")
        self.message = ErrorLabel("Link message", self)
        add = QHBoxLayout()
        add.addWidget(self.other, 2)
        add.addWidget(self.relation, 1)
        add.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(heading)
        lay.addWidget(self.list)
        lay.addLayout(add)
        lay.addWidget(self.message)
        self.add_button.clicked.connect(self.add_link)
        self.other.returnPressed.connect(self.add_link)

    def set_person(self, person_id: int | None) -> None:
        if person_id != self.person_id:
            self.other.clear()
            self.message.show_message(None)
        self.person_id = person_id
        links = self.ctx.store.links(person_id) if person_id is not None else []
        self.list.setText(links_html(links))

    def _clicked(self, href: str) -> None:
        kind, _, rest = href.partition(":")
        if not rest.isdigit() or self.person_id is None:
            return
        if kind == "person":
            self.person_requested.emit(int(rest))
        elif kind == "unlink":
            try:
                person_commands.unlink(self.ctx, self.person_id, int(rest))
            except JournalError as exc:
                self.message.show_message(str(exc))

    def add_link(self) -> None:
        """Link this person to the one named, with the relation chosen; undoable."""
        if self.person_id is None:
            return
        name = self.other.text().strip()
        relation = " ".join(self.relation.currentText().split())
        if not name:
            self.message.show_message(self.tr("Name the person they know."))
            return
        other = self.ctx.store.resolve_person(name)
        if other is None or other.id is None:
            self.message.show_message(
                self.tr("There is nobody called {name} in the journal.").format(name=name)
            )
            return
        try:
            person_commands.link(self.ctx, self.person_id, other.id, relation)
        except JournalError as exc:
            self.message.show_message(str(exc))
            return
        self.other.clear()
        self.message.show_message(None)
        self.ctx.status.emit(
            self.tr("Linked to {name} — Ctrl+Z undoes it.").format(name=other.name)
        )
