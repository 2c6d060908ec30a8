"""The entry editor's Tab order follows what the eye reads, top to bottom, left to right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ties.ui.dialogs.entry_editor import EntryEditor


def test_tab_walks_the_fields_in_the_order_they_are_shown(ctx, qtbot):
    dlg = EntryEditor(ctx, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dlg.people.line)
    seen: list[str] = []
    for _ in range(60):
        seen.append(QApplication.focusWidget().accessibleName())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is dlg.people.line:
            break
    want = ["Add person", "Date", "Time", "Direction", "Kind", "Weight", "On behalf of", "Note"]
    want += ["Follow up", "Save entry", "Cancel"]
    assert [n for n in seen if n in want] == want
    assert seen.index("Support type Expertise") < seen.index("On behalf of")
    assert seen[-1] == "Cancel"  # and then back to the first field
