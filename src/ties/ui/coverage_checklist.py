"""The support checklist: one line per support type in plain words, ticked or marked as a gap.

Families at the top level, support types under them (their question as the
text, ticked when somebody gave it to me in the window), and under each type
either the providers or, for a gap, the suggestions with their reason.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from ties.analysis.coverage import Coverage, TypeCoverage
from ties.model import FAMILIES
from ties.ui.style import error_color

#: The support type key of a type line.
KEY_ROLE = Qt.ItemDataRole.UserRole
PROVIDERS_SHOWN = 8


def _lower_first(text: str) -> str:
    """ "Someone outside …" → "someone outside …"; "CV reviews" stays as it is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def providers_line(t: TypeCoverage) -> str:
    shown = ", ".join(f"{c.name} ({c.weight})" for c in t.first_providers(PROVIDERS_SHOWN))
    more = len(t.received_cells) - PROVIDERS_SHOWN
    return "From " + shown + (f" and {more} more" if more > 0 else "")


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the tree's current width.

    A tree view asks for a row's height without saying how wide the row is, so
    long questions were cut off with "…" instead of wrapping onto a second line.
    """

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)  # owned by the tree; asks its parent for the width

    @property
    def tree(self) -> QTreeWidget:
        tree = self.parent()
        assert isinstance(tree, QTreeWidget)
        return tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        text = str(index.data() or "")
        width = self._text_width(option, index)
        if width <= 40 or not text:
            return hint
        metrics = option.fontMetrics
        font = index.data(Qt.ItemDataRole.FontRole)
        if isinstance(font, QFont):
            metrics = QFontMetrics(font)
        box = metrics.boundingRect(QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(hint.width(), max(hint.height(), box.height() + 4))

    def _text_width(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> int:
        """The width the style will wrap this row's text in when it paints it.

        Measured as the style lays the row out (check box, margins), not guessed:
        a guess a few pixels off wrapped the text one line more than painted,
        leaving blank lines at some pane widths.
        """
        tree = self.tree
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        indent = tree.indentation() * (depth + (1 if tree.rootIsDecorated() else 0))
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        # one column, stretched to the viewport (the header lags behind a resize)
        opt.rect = QRect(0, 0, max(0, tree.viewport().width() - indent), max(1, opt.rect.height()))
        style = tree.style()
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, tree)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, opt, tree) + 1
        return text.width() - 2 * margin


class CoverageChecklist(QTreeWidget):
    """Read-only tree; the tick boxes show coverage and cannot be toggled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Coverage checklist")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setRootIsDecorated(True)
        self.setItemDelegate(_WrappingDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.scheduleDelayedItemsLayout()  # the rows' heights follow the new width

    def set_coverage(self, cov: Coverage | None) -> None:
        self.clear()
        if cov is None:
            return
        bold = QFont(self.font())
        bold.setBold(True)
        for family in FAMILIES:
            types = [t for t in cov.support_types if t.family == family]
            if not types:
                continue
            covered = sum(1 for t in types if t.covered)
            head = QTreeWidgetItem(
                self,
                [
                    self.tr("{family}: {covered} of {total}").format(
                        family=family.capitalize(), covered=covered, total=len(types)
                    )
                ],
            )
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for t in types:
                self._type_item(head, t)
        self.expandAll()

    def _type_item(self, parent: QTreeWidgetItem, t: TypeCoverage) -> None:
        # The type's name first, as the heat map's columns and the charts say it, then
        # its question (issue #17 item 10: the place mixed questions and type names).
        text = f"{t.label}: {_lower_first(t.plain_words)}"
        text = text if t.covered else f"{text} — gap"
        item = QTreeWidgetItem(parent, [text])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setData(0, KEY_ROLE, t.key)
        item.setCheckState(0, Qt.CheckState.Checked if t.covered else Qt.CheckState.Unchecked)
        item.setToolTip(0, f"{t.label} ({t.family}): {t.plain_words}")
        if not t.covered:
            item.setForeground(0, QBrush(QColor(error_color())))  # lighter red on dark
        if t.covered:
            line = providers_line(t)
            child = QTreeWidgetItem(item, [line])
            child.setFlags(Qt.ItemFlag.ItemIsEnabled)
            child.setToolTip(
                0,
                self.tr("{line}\n(weight received in the window, largest first)").format(line=line),
            )
        elif t.suggestions:
            for s in t.suggestions:
                maybe = self.tr("Maybe {name}: {why}").format(name=s.name, why=s.why)
                child = QTreeWidgetItem(item, [maybe])
                child.setFlags(Qt.ItemFlag.ItemIsEnabled)
                child.setToolTip(0, maybe)
        else:
            child = QTreeWidgetItem(
                item, [self.tr("Nobody in the journal stands out for this yet")]
            )
            child.setFlags(Qt.ItemFlag.ItemIsEnabled)

    def type_item(self, key: str) -> QTreeWidgetItem | None:
        """The line of one support type (for tests and keyboard navigation)."""
        for i in range(self.topLevelItemCount()):
            head = self.topLevelItem(i)
            if head is None:
                continue
            for j in range(head.childCount()):
                item = head.child(j)
                if item is not None and item.data(0, KEY_ROLE) == key:
                    return item
        return None
