"""Settings: the circles people belong to and the support types entries carry.

Add, rename, reorder by position, change a type's question or family, retire.
Deleting is offered only for unused rows: the store refuses anything in use
(``InUseError``) and the message says to retire it instead.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ties.model import FAMILIES, Circle, SupportType
from ties.store import JournalError, ValidationError, fold
from ties.ui.context import AppContext, StoreCommand
from ties.ui.errors import report_unexpected
from ties.ui.icons import icon
from ties.ui.widgets import ErrorLabel

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


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
        self.form = QFormLayout()
        self.form.addRow(self.tr("Name:"), self.label)
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
        self.list.currentItemChanged.connect(lambda *_: self._load_current())
        self.add_button.clicked.connect(self.add)
        self.delete_button.clicked.connect(self.delete)
        self.apply_button.clicked.connect(self.apply)
        self.label.returnPressed.connect(self.apply)

    def current_key(self) -> str | None:
        item = self.list.currentItem()
        return item.data(KEY_ROLE) if item else None

    def _select(self, key: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(KEY_ROLE) == key:
                self.list.setCurrentRow(i)
                return

    def _push(self, text: str, redo, undo) -> bool:
        self.message.show_message(None)
        try:
            self.ctx.push(StoreCommand(self.ctx, text, redo, undo, "settings"))
        except ValidationError as exc:
            self.message.show_message(str(exc))
            return False
        except JournalError as exc:
            self.message.show_message(str(exc))
            return False
        except Exception as exc:
            self.message.show_message(report_unexpected(exc))
            return False
        return True

    # overridden
    def reload(self) -> None: ...
    def _load_current(self) -> None: ...
    def add(self) -> None: ...
    def apply(self) -> None: ...
    def delete(self) -> None: ...


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

    def reload(self, select: str | None = None) -> None:
        key = select or self.current_key()
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.circles():
            item = QListWidgetItem(c.label + ("  (retired)" if c.retired else ""))
            item.setData(KEY_ROLE, c.key)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if key:
            self._select(key)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._load_current()

    def _find(self, key: str | None) -> Circle | None:
        return next((c for c in self.circles() if c.key == key), None)

    def _load_current(self) -> None:
        c = self._find(self.current_key())
        self.label.setText(c.label if c else "")
        self.retired.setChecked(bool(c and c.retired))
        self.message.show_message(None)

    def add(self) -> None:
        taken = {c.key for c in self.circles()}
        new = Circle(_key_for("New circle", taken), "New circle", len(taken))
        store = self.ctx.store
        if self._push(
            "Add circle", lambda: store.save_circle(new), lambda: store.delete_circle(new.key)
        ):
            self.reload(new.key)
            self.label.setFocus()
            self.label.selectAll()

    def apply(self) -> None:
        old = self._find(self.current_key())
        if old is None:
            return
        new = replace(old, label=self.label.text().strip(), retired=self.retired.isChecked())
        if new == old:
            return
        store = self.ctx.store
        if self._push(
            f"Change circle {old.label}",
            lambda: store.save_circle(new),
            lambda: store.save_circle(old),
        ):
            self.reload(old.key)

    def delete(self) -> None:
        old = self._find(self.current_key())
        if old is None:
            return
        store = self.ctx.store
        if self._push(
            f"Delete circle {old.label}",
            lambda: store.delete_circle(old.key),
            lambda: store.save_circle(old),
        ):
            self.reload()


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

    def reload(self, select: str | None = None) -> None:
        key = select or self.current_key()
        self.list.blockSignals(True)
        self.list.clear()
        for t in self.types():
            item = QListWidgetItem(
                f"{t.label}  ·  {t.family}" + ("  (retired)" if t.retired else "")
            )
            item.setToolTip(t.question)
            item.setData(KEY_ROLE, t.key)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if key:
            self._select(key)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self._load_current()

    def _find(self, key: str | None) -> SupportType | None:
        return next((t for t in self.types() if t.key == key), None)

    def _load_current(self) -> None:
        t = self._find(self.current_key())
        self.label.setText(t.label if t else "")
        self.family.setCurrentIndex(max(self.family.findData(t.family if t else None), 0))
        self.question.setPlainText(t.question if t else "")
        self.retired.setChecked(bool(t and t.retired))
        self.message.show_message(None)

    def add(self) -> None:
        taken = {t.key for t in self.types()}
        new = SupportType(
            _key_for("New support", taken), "New support", "instrumental", "", len(taken)
        )
        store = self.ctx.store
        if self._push(
            "Add support type",
            lambda: store.save_support_type(new),
            lambda: store.delete_support_type(new.key),
        ):
            self.reload(new.key)
            self.label.setFocus()
            self.label.selectAll()

    def apply(self) -> None:
        old = self._find(self.current_key())
        if old is None:
            return
        new = replace(
            old,
            label=self.label.text().strip(),
            family=self.family.currentData(),
            question=self.question.toPlainText().strip(),
            retired=self.retired.isChecked(),
        )
        if new == old:
            return
        store = self.ctx.store
        if self._push(
            f"Change support type {old.label}",
            lambda: store.save_support_type(new),
            lambda: store.save_support_type(old),
        ):
            self.reload(old.key)

    def delete(self) -> None:
        old = self._find(self.current_key())
        if old is None:
            return
        store = self.ctx.store
        if self._push(
            f"Delete support type {old.label}",
            lambda: store.delete_support_type(old.key),
            lambda: store.save_support_type(old),
        ):
            self.reload()


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close settings")
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(buttons)
