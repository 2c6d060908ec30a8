"""The settings behind Today: keep-in-touch cadences by closeness, and my own offers.

Both live in the journal (settings ``cadence_days`` and ``my_offers``), so the
window and ``ties today`` / ``ties report balance`` read the same values.
Applying is one undoable change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ties.analysis.reciprocity import cadences
from ties.model import CLOSENESS_LABELS, DEFAULT_CADENCE_DAYS
from ties.store import JournalError
from ties.ui.changes import Changes
from ties.ui.context import AppContext, StoreCommand


class TodaySettings(QWidget):
    """Cadence per closeness and the free text of what I can offer people."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Today settings")
        form = QFormLayout()
        self.spins: dict[int, QSpinBox] = {}
        for closeness in sorted(DEFAULT_CADENCE_DAYS, reverse=True):
            spin = QSpinBox(self)
            spin.setRange(1, 3650)
            spin.setSuffix(self.tr(" days"))
            label = f"{closeness} · {CLOSENESS_LABELS[closeness]}"
            spin.setAccessibleName(f"Cadence for closeness {closeness}")
            spin.setToolTip(
                self.tr("Default: {days} days").format(days=DEFAULT_CADENCE_DAYS[closeness])
            )
            self.spins[closeness] = spin
            form.addRow(f"{label}:", spin)
        self.offers = QPlainTextEdit(self)
        self.offers.setAccessibleName("My offers")
        self.offers.setPlaceholderText(self.tr("e.g. CV reviews, Python, introductions in fintech"))
        self.offers.setMaximumHeight(90)
        self.organization = QLineEdit(self)
        self.organization.setAccessibleName("Where I work")
        self.organization.setPlaceholderText(
            self.tr("e.g. Northwind (leave empty if you'd rather not say)")
        )
        self.organization.setToolTip(
            self.tr(
                "Coverage suggests colleagues there for internal influence; "
                "left empty, it suggests none (it never guesses)"
            )
        )
        self.error = QLabel(self)
        self.error.setAccessibleName("Today settings problem")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.hide()
        self.apply_button = QPushButton(self.tr("Apply"), self)
        self.apply_button.setAccessibleName("Apply Today settings")
        self.defaults_button = QPushButton(self.tr("Default cadences"), self)
        self.defaults_button.setAccessibleName("Default cadences")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.defaults_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("Keep in touch at least every … (a person's own cadence wins)"))
        )
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("What I can offer people (Today suggests who needs it):")))
        layout.addWidget(self.offers)
        work = QFormLayout()
        work.addRow(self.tr("Where I work:"), self.organization)
        layout.addLayout(work)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.apply_button.clicked.connect(self.apply)
        self.defaults_button.clicked.connect(self._defaults)
        self.ctx.changed.connect(self._journal_changed)
        self.reload()

    def _journal_changed(self, changes: Changes) -> None:
        """An undo (or another window) changed the settings: show what the journal holds."""
        if changes.settings:
            self.reload()

    def reload(self) -> None:
        for closeness, days in cadences(self.ctx.store).items():
            self.spins[closeness].setValue(days)
        self.offers.setPlainText(str(self.ctx.store.get_setting("my_offers") or ""))
        self.organization.setText(str(self.ctx.store.get_setting("my_organization") or ""))

    def _defaults(self) -> None:
        for closeness, days in DEFAULT_CADENCE_DAYS.items():
            self.spins[closeness].setValue(days)

    def values(self) -> tuple[dict[str, int], str]:
        chosen = {str(c): s.value() for c, s in self.spins.items()}
        return chosen, self.offers.toPlainText().strip()

    def edited(self) -> bool:
        """Something on this tab differs from what the journal holds."""
        store = self.ctx.store
        chosen, offers = self.values()
        stored = {str(c): d for c, d in cadences(store).items()}
        return (
            chosen != stored
            or offers != str(store.get_setting("my_offers") or "").strip()
            or self.organization.text().strip()
            != str(store.get_setting("my_organization") or "").strip()
        )

    def settle(self, ask: Callable[[QWidget, str], str | None], apply_answer: str) -> bool:
        """Before closing: apply, discard or (False) stay, when there are unapplied edits.

        ``ask`` is the Settings dialog's question (apply, discard or None to stay), so
        every tab asks alike. Issue #17 item 11: Close threw these edits away.
        """
        if not self.edited():
            return True
        answer = ask(self, self.tr("Today settings"))
        if answer is None:
            return False
        if answer == apply_answer:
            self.apply()
            return not self.error.isVisible()
        self.reload()
        return True

    def apply(self) -> None:
        store = self.ctx.store
        new_cadences, new_offers = self.values()
        old: dict[str, Any] = {
            # as stored (None: not set), so that undo leaves the journal as it was
            "cadence_days": store.get_setting("cadence_days", None),
            "my_offers": store.get_setting("my_offers", None),
            "my_organization": store.get_setting("my_organization", None),
        }
        new: dict[str, Any] = {
            "cadence_days": new_cadences,
            "my_offers": new_offers,
            "my_organization": self.organization.text().strip(),
        }
        if old["my_organization"] is None and not new["my_organization"]:
            new["my_organization"] = None  # never set, still empty: nothing to write
        if all(old[k] == new[k] for k in new):
            return

        def write(values: dict[str, Any]) -> None:
            with store.transaction():
                for key, value in values.items():
                    store.set_setting(key, value)

        try:
            self.ctx.push(
                StoreCommand(
                    self.ctx,
                    "Change Today settings",
                    lambda: write(new),
                    lambda: write(old),
                    Changes(settings=True),
                )
            )
        except JournalError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
