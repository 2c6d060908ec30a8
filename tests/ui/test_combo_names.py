"""Combo boxes are named by what they choose, never by the value they show.

Issue #17, accessibility: filter combos were read as "Any direction".
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from ties.ui.dialogs.entry_editor import EntryEditor
from ties.ui.dialogs.settings import SettingsDialog
from ties.ui.places.coverage import CoveragePlace
from ties.ui.places.journal import JournalPlace
from ties.ui.places.people import PeoplePlace


def test_every_combo_is_named_by_what_it_chooses(demo_ctx, qtbot):
    people = PeoplePlace(demo_ctx)
    people.show_person(demo_ctx.store.list_people(limit=1)[0].id)
    roots = [
        JournalPlace(demo_ctx),
        people,
        CoveragePlace(demo_ctx),
        EntryEditor(demo_ctx, None),
        SettingsDialog(demo_ctx),
    ]
    bad = []
    for root in roots:
        qtbot.addWidget(root)
        for combo in root.findChildren(QComboBox):
            name = combo.accessibleName()
            values = {combo.itemText(i) for i in range(combo.count())}
            if not name or name in values or name == combo.currentText():
                bad.append(f"{type(root).__name__}: {name!r} ({combo.currentText()!r})")
    assert bad == []
