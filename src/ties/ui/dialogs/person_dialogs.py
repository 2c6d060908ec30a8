"""New person, and the explicit choice about entries when a person is deleted."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ties.model import Person
from ties.store import JournalError, ValidationError
from ties.ui import commands
from ties.ui.context import AppContext
from ties.ui.errors import report_unexpected
from ties.ui.person_form import PersonForm
from ties.ui.widgets import ErrorLabel


class NewPersonDialog(QDialog):
    """The few fields that matter first; the rest are on the person page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person: Person | None = None
        self.setWindowTitle(self.tr("New person"))
        self.setAccessibleName("New person")
        self.setMinimumWidth(460)
        self.banner = ErrorLabel("New person message", self)
        self.form = PersonForm(ctx.store, self, compact=True)
        self.form.load(Person(name=name))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName("Save person")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        lay = QVBoxLayout(self)
        lay.addWidget(self.banner)
        lay.addWidget(self.form)
        lay.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def save(self) -> None:
        self.banner.show_message(None)
        person = self.form.build(Person(name=""))
        try:
            self.ctx.store.validate_person(person)
            refuse_taken_name(self.ctx, person)
            self.person = commands.add_person(self.ctx, person)
        except ValidationError as exc:
            if not self.form.show_errors(exc.field, str(exc)):
                self.banner.show_message(str(exc))
            return
        except JournalError as exc:
            self.banner.show_message(str(exc))
            return
        except Exception as exc:
            self.banner.show_message(report_unexpected(exc))
            return
        self.accept()


def refuse_taken_name(ctx: AppContext, person: Person) -> None:
    """As on the command line: a name someone else has is refused, next to the name field."""
    clash = ctx.store.name_taken_by(person.name, except_id=person.id)
    if clash is not None:
        raise ValidationError(
            QCoreApplication.translate("PersonForm", "{name} is already in the journal.").format(
                name=clash.name
            ),
            "name",
        )


DELETE_ONLY = "delete"
DELETE_WITH_ENTRIES = "delete_with_entries"
ARCHIVE_INSTEAD = "archive"


def _n_entries(n: int) -> str:
    if n == 1:
        return QCoreApplication.translate("DeletePerson", "1 entry")
    return QCoreApplication.translate("DeletePerson", "{count} entries").format(count=f"{n:,}")


def delete_person_text(name: str, entry_count: int, shared: int) -> tuple[str, str]:
    """The question and the explanation: how many entries go, how many only lose them.

    ``shared`` of the ``entry_count`` entries name others too: those are kept.
    """
    tr = QCoreApplication.translate
    named = tr("DeletePerson", "{name} is named on {entries}.")
    text = named.format(name=name, entries=_n_entries(entry_count))
    solo = entry_count - shared
    parts = []
    if solo:
        verb = (
            tr("DeletePerson", "names only them and is deleted")
            if solo == 1
            else tr("DeletePerson", "name only them and are deleted")
        )
        parts.append(f"{_n_entries(solo)} {verb}")
    if shared:
        parts.append(
            tr(
                "DeletePerson", "they are taken off {entries} shared with others, which are kept"
            ).format(entries=_n_entries(shared))
        )
    what = "; ".join(parts)
    informative = tr(
        "DeletePerson",
        "Deleting them with their entries: {what}. To keep the history, archive them instead. "
        "Ctrl+Z undoes a delete.",
    ).format(what=what)
    return text, informative


def ask_delete_person(
    parent: QWidget | None, name: str, entry_count: int, shared: int = 0
) -> str | None:
    """Ask how to delete: one of the constants above, or None when cancelled.

    A person named on entries can only go with an explicit choice; archiving
    is offered as the way to keep the history.
    """
    box = QMessageBox(parent)
    box.setAccessibleName("Delete person")
    box.setWindowTitle(QCoreApplication.translate("DeletePerson", "Delete person"))
    box.setIcon(QMessageBox.Icon.Warning)
    if entry_count == 0:
        box.setText(QCoreApplication.translate("DeletePerson", "Delete {name}?").format(name=name))
        box.setInformativeText(
            QCoreApplication.translate(
                "DeletePerson", "They are not named on any entry. Ctrl+Z undoes this."
            )
        )
        delete = box.addButton(
            QCoreApplication.translate("DeletePerson", "Delete"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        delete.setAccessibleName("Delete person only")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return DELETE_ONLY if box.clickedButton() is delete else None
    text, informative = delete_person_text(name, entry_count, shared)
    box.setText(text)
    box.setInformativeText(informative)
    with_entries: QPushButton = box.addButton(
        QCoreApplication.translate("DeletePerson", "Delete with their entries"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    with_entries.setAccessibleName("Delete person with entries")
    archive = box.addButton(
        QCoreApplication.translate("DeletePerson", "Archive instead"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    archive.setAccessibleName("Archive person instead")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(archive)
    box.exec()
    return {with_entries: DELETE_WITH_ENTRIES, archive: ARCHIVE_INSTEAD}.get(
        box.clickedButton()  # type: ignore[call-overload]
    )


__all__ = ["NewPersonDialog", "QLabel", "ask_delete_person"]
