"""Settings: the circles people belong to and the support types entries carry.

Add, rename, reorder by position, change a type's question or family, retire.
Deleting is offered only for unused rows: the store refuses anything in use
(``InUseError``) and the message says to retire it instead.

Edits to the selected row are kept until Apply. Leaving an edited row (choosing another, closing)
asks "Apply the changes to X?" — Apply, Discard or Cancel — as desktop preference windows do,
so nothing typed is thrown away silently; an applied change is undoable with Ctrl+Z.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ties.model import FAMILIES, Circle, SupportType
from ties.store import JournalError, ValidationError, fold
from ties.ui import settings as ui_settings
from ties.ui import style
from ties.ui.changes import Changes
from ties.ui.context import AppContext, StoreCommand
from ties.ui.errors import report_unexpected
from ties.ui.icons import icon
from ties.ui.widgets import ErrorLabel

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
APPLY, DISCARD = "apply", "discard"


def ask_apply_changes(parent: QWidget, name: str) -> str | None:
    """Apply, discard or (None) stay: asked when leaving a row with edits not yet applied."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        parent.tr("Unapplied changes"),
        parent.tr("Apply the changes to “{name}”?").format(name=name),
        QMessageBox.StandardButton.Apply
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Apply)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Apply:
        return APPLY
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return None


def _label_for(base: str, taken: list[str]) -> str:
    """``base``, or ``base 2``…: a label no other row has (the store refuses a repeat)."""
    folded = {fold(t) for t in taken}
    label, n = base, 2
    while fold(label) in folded:
        label, n = f"{base} {n}", n + 1
    return label


def _key_for(label: str, taken: set[str]) -> str:
    base = "_".join(fold(label).split()) or "item"
    base = "".join(c for c in base if c.isalnum() or c == "_") or "item"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


class _Editor(QWidget):
    """A list on the left and the selected row's fields on the right (shared layout)."""

    what = "item"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list = QListWidget(self)
        self.list.setMinimumWidth(200)
        self.list.setSpacing(2)
        self.add_button = QPushButton(
            icon("add"), self.tr("Add {what}").format(what=self.what), self
        )
        self.add_button.setAccessibleName(f"Add {self.what}")
        self.delete_button = QPushButton(icon("delete"), self.tr("Delete"), self)
        self.delete_button.setAccessibleName(f"Delete {self.what}")
        self.label = QLineEdit(self)
        self.label.setAccessibleName(f"{self.what.capitalize()} name")
        self.retired = QCheckBox(self.tr("Retired (kept on old data, not offered for new)"), self)
        self.retired.setAccessibleName(f"{self.what.capitalize()} retired")
        self.apply_button = QPushButton(self.tr("Apply"), self)
        self.apply_button.setAccessibleName(f"Apply {self.what}")
        self.message = ErrorLabel(f"{self.what.capitalize()} message", self)
        self.label_error = ErrorLabel(f"{self.what.capitalize()} name error", self)
        self.form = QFormLayout()
        self.form.addRow(self.tr("Name:"), self.label)
        self.form.addRow("", self.label_error)
        self._settling = False
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        lb = QHBoxLayout()
        lb.addWidget(self.add_button)
        lb.addWidget(self.delete_button)
        left.addLayout(lb)
        right = QVBoxLayout()
        right.addLayout(self.form)
        right.addWidget(self.retired)
        right.addWidget(self.message)
        right.addStretch(1)
        rb = QHBoxLayout()
        rb.addStretch(1)
        rb.addWidget(self.apply_button)
        right.addLayout(rb)
        lay = QHBoxLayout(self)
        lay.addLayout(left, 2)
        lay.addLayout(right, 3)

    def _wire(self) -> None:
        self.list.currentItemChanged.connect(self._current_changed)
        self.add_button.clicked.connect(self.add)
        self.delete_button.clicked.connect(self.delete)
        self.apply_button.clicked.connect(self.apply)
        self.label.returnPressed.connect(self.apply)
        self.label.textEdited.connect(lambda _t: self.label_error.show_message(None))

    def _clear_messages(self) -> None:
        self.message.show_message(None)
        self.label_error.show_message(None)

    def _current_changed(self, current, previous) -> None:
        if self._settling:
            return
        if previous is not None and not self.settle(previous.data(KEY_ROLE)):
            self._settling = True  # stay on the edited row
            self.list.setCurrentItem(previous)
            self._settling = False
            return
        if previous is not None and self.list.row(previous) >= 0:
            row = self._find(previous.data(KEY_ROLE))
            if row is not None:
                previous.setText(self._item_text(row))
        self._load_current()

    def settle(self, key: str | None = None) -> bool:
        """Before leaving the row ``key`` (default: the selected one): apply or discard its
        edits, asking. False: the person chose to stay, or applying was refused."""
        key = self.current_key() if key is None else key
        old = self._find(key)
        if old is None or self._edited(old) == old:
            return True
        answer = ask_apply_changes(self, old.label)
        if answer == DISCARD:
            return True
        if answer == APPLY:
            return self._apply_to(old)
        return False

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return item.data(KEY_ROLE) if item else None

    def _select(self, key: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(KEY_ROLE) == key:
                self.list.setCurrentRow(i)
                return

    def _push(self, text: str, redo, undo) -> bool:
        self._clear_messages()
        try:
            self.ctx.push(StoreCommand(self.ctx, text, redo, undo, Changes(settings=True)))
        except ValidationError as exc:
            if exc.field == "label":
                self.label_error.show_message(str(exc))
                self.label.setFocus()
            else:
                self.message.show_message(str(exc))
            return False
        except JournalError as exc:
            self.message.show_message(str(exc))
            return False
        except Exception as exc:
            self.message.show_message(report_unexpected(exc))
            return False
        return True

    def apply(self) -> None:
        old = self._find(self.current_key())
        if old is not None and self._apply_to(old):
            self.reload(old.key)

    def reload(self, select: str | None = None) -> None:
        """Refill the list from the journal, keeping (or moving to) the selected row."""
        key = select or self.current_key()
        self.list.blockSignals(True)
        self.list.clear()
        for row in self._rows():
            item = QListWidgetItem(self._item_text(row))
            item.setToolTip(self._item_tip(row))
            item.setData(KEY_ROLE, row.key)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if key:
            self._select(key)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._load_current()

    def _find(self, key: str | None):  # a Circle or a SupportType, or None
        return next((row for row in self._rows() if row.key == key), None)

    def _item_tip(self, row) -> str:
        return ""

    # overridden
    def _rows(self) -> list:
        raise NotImplementedError

    def _item_text(self, row) -> str:
        raise NotImplementedError

    def _edited(self, old): ...
    def _save(self, row) -> None: ...
    def _remove(self, key: str) -> None: ...
    def _load_current(self) -> None: ...
    def add(self) -> None: ...

    def _apply_to(self, old) -> bool:
        """Save the edited row (undoable); True when there was nothing to save or it saved."""
        new = self._edited(old)
        if new == old:
            return True
        return self._push(
            f"Change {self.what} {old.label}", lambda: self._save(new), lambda: self._save(old)
        )

    def delete(self) -> None:
        old = self._find(self.current_key())
        if old is None:
            return
        if self._push(
            f"Delete {self.what} {old.label}",
            lambda: self._remove(old.key),
            lambda: self._save(old),
        ):
            self.reload()


class CirclesEditor(_Editor):
    what = "circle"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Circles")
        self.list.setAccessibleName("Circles list")
        self._wire()
        self.reload()

    def circles(self) -> list[Circle]:
        return self.ctx.store.circles(include_retired=True)

    def _rows(self) -> list[Circle]:
        return self.circles()

    def _item_text(self, row: Circle) -> str:
        return row.label + ("  (retired)" if row.retired else "")

    def _load_current(self) -> None:
        c = self._find(self.current_key())
        self.label.setText(c.label if c else "")
        self.retired.setChecked(bool(c and c.retired))
        self._clear_messages()

    def _edited(self, old: Circle) -> Circle:
        return replace(old, label=self.label.text().strip(), retired=self.retired.isChecked())

    def add(self) -> None:
        if not self.settle():
            return
        circles = self.circles()
        taken = {c.key for c in circles}
        label = _label_for("New circle", [c.label for c in circles])
        new = Circle(_key_for(label, taken), label, len(taken))
        store = self.ctx.store
        if self._push(
            "Add circle", lambda: store.save_circle(new), lambda: store.delete_circle(new.key)
        ):
            self.reload(new.key)
            self.label.setFocus()
            self.label.selectAll()

    def _save(self, row: Circle) -> None:
        self.ctx.store.save_circle(row)

    def _remove(self, key: str) -> None:
        self.ctx.store.delete_circle(key)


class SupportTypesEditor(_Editor):
    what = "support type"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAccessibleName("Support types")
        self.list.setAccessibleName("Support types list")
        self.family = QComboBox(self)
        self.family.setAccessibleName("Support type family")
        for f in FAMILIES:
            self.family.addItem(f.capitalize(), f)
        self.question = QPlainTextEdit(self)
        self.question.setAccessibleName("Support type question")
        self.question.setTabChangesFocus(True)
        self.question.setFixedHeight(self.question.fontMetrics().height() * 4 + 12)
        self.question.setPlaceholderText(
            self.tr(
                "The question this type answers, e.g. “Who can I ask for advice about my career?”"
            )
        )
        self.form.addRow(self.tr("Family:"), self.family)
        self.form.addRow(self.tr("Question:"), self.question)
        self._wire()
        self.reload()

    def types(self) -> list[SupportType]:
        return self.ctx.store.support_types(include_retired=True)

    def _rows(self) -> list[SupportType]:
        return self.types()

    def _item_tip(self, row: SupportType) -> str:
        return row.question

    def _item_text(self, row: SupportType) -> str:
        return f"{row.label}  ·  {row.family}" + ("  (retired)" if row.retired else "")

    def _edited(self, old: SupportType) -> SupportType:
        return replace(
            old,
            label=self.label.text().strip(),
            family=self.family.currentData(),
            question=self.question.toPlainText().strip(),
            retired=self.retired.isChecked(),
        )

    def _load_current(self) -> None:
        t = self._find(self.current_key())
        self.label.setText(t.label if t else "")
        self.family.setCurrentIndex(max(self.family.findData(t.family if t else None), 0))
        self.question.setPlainText(t.question if t else "")
        self.retired.setChecked(bool(t and t.retired))
        self._clear_messages()

    def add(self) -> None:
        if not self.settle():
            return
        types = self.types()
        taken = {t.key for t in types}
        label = _label_for("New support", [t.label for t in types])
        new = SupportType(_key_for(label, taken), label, "instrumental", "", len(taken))
        store = self.ctx.store
        if self._push(
            "Add support type",
            lambda: store.save_support_type(new),
            lambda: store.delete_support_type(new.key),
        ):
            self.reload(new.key)
            self.label.setFocus()
            self.label.selectAll()

    def _save(self, row: SupportType) -> None:
        self.ctx.store.save_support_type(row)

    def _remove(self, key: str) -> None:
        self.ctx.store.delete_support_type(key)


class SettingsDialog(QDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, sync: object | None = None
    ) -> None:
        """``sync``: the window's :class:`~ties.ui.sync.SyncController` (a Sync page then)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName("Settings")
        self.resize(720, 480)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Settings sections")
        self.circles = CirclesEditor(ctx, self)
        self.types = SupportTypesEditor(ctx, self)
        self.tabs.addTab(self.types, self.tr("Support types"))
        self.tabs.addTab(self.circles, self.tr("Circles"))
        from ties.ui.today_settings import TodaySettings

        self.today = TodaySettings(ctx, self)
        self.tabs.addTab(self.today, self.tr("Today"))
        self.appearance = self._appearance()
        self.tabs.addTab(self.appearance, self.tr("Appearance"))
        if sync is not None:
            from ties.ui.sync import SyncController
            from ties.ui.sync_page import SyncPage

            assert isinstance(sync, SyncController)
            self.sync_page = SyncPage(sync, self)
            self.tabs.addTab(self.sync_page, self.tr("Sync"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close settings")
        buttons.rejected.connect(self.reject)
        self.tabs.currentChanged.connect(lambda _i: self._clear_messages())
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(buttons)

    def _appearance(self) -> QWidget:
        """The colour scheme: system, light or dark, taking effect at once and kept.

        Like the person page, a choice here applies as it is made (it is the
        window's look, not the journal's data: nothing to undo).
        """
        page = QWidget(self)
        self.scheme = QComboBox(page)
        self.scheme.setAccessibleName("Colour scheme")
        for key, label in (
            ("system", self.tr("As the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            self.scheme.addItem(label, key)
        self.scheme.setCurrentIndex(max(self.scheme.findData(ui_settings.color_scheme()), 0))
        self.scheme.activated.connect(lambda _i: self._scheme_chosen())
        form = QFormLayout(page)
        form.addRow(self.tr("Colour scheme:"), self.scheme)
        return page

    def _scheme_chosen(self) -> None:
        scheme = str(self.scheme.currentData())
        ui_settings.remember_color_scheme(scheme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            style.apply(app, scheme)

    def _clear_messages(self) -> None:
        for editor in (self.types, self.circles):
            editor._clear_messages()

    def reject(self) -> None:
        """Closing asks about edits not yet applied, as choosing another row does."""
        for editor in (self.types, self.circles):
            if not editor.settle():
                self.tabs.setCurrentWidget(editor)
                return
        if not self.today.settle(lambda parent, name: ask_apply_changes(parent, name), APPLY):
            self.tabs.setCurrentWidget(self.today)
            return
        super().reject()
