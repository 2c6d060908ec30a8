"""The "any tag / #tag (n)" choice that People, Journal, Coverage and the Map filter by."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox


def fill_tag_choices(combo: QComboBox, tags: list[tuple[str, int]]) -> None:
    """Put the journal's tags (with how many people carry each) in ``combo``.

    The choice made stays chosen (even a tag nobody carries any more, shown with 0,
    so the filter never changes under the user's hands). The combo hides while the
    journal has no tags: a filter with nothing to choose is only clutter.
    """
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(QCoreApplication.translate("TagFilter", "Any tag"), None)
    for tag, count in tags:
        combo.addItem(f"#{tag} ({count:,})", tag)
    index = combo.findData(current) if current is not None else 0
    if index < 0:
        combo.addItem(f"#{current} (0)", current)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
    combo.blockSignals(False)
    combo.setVisible(combo.count() > 1)
