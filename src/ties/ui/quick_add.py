"""The quick-add line: type an entry in the ``ties log`` grammar, see how it reads, press Enter.

Completion offers people after ``@`` and support types after ``#``; the
preview below the line says in plain words what Enter will save, or what is
wrong (the faulty part of the line is underlined).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import cast

from PySide6.QtCore import QCoreApplication, QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QInputMethodEvent, QKeyEvent, QKeySequence, QTextCharFormat
from PySide6.QtWidgets import QLabel, QLineEdit, QStyle, QVBoxLayout, QWidget

from ties import quickadd
from ties.model import CLOSENESS_LABELS, Person
from ties.store import JournalError, NotFoundError, Store
from ties.ui import commands
from ties.ui.completion import TopMatchCompleter
from ties.ui.context import AppContext
from ties.ui.errors import report_unexpected
from ties.ui.jobs import LatestOnly
from ties.ui.style import error_color

PLACEHOLDER = 'e.g.  received #career_guidance from @"Ana Ruiz" yesterday w2: CV review'
MAX_SUGGESTIONS = 12
MAX_POPUP_WIDTH = 400
#: The preview looks names up in the journal; wait for a pause in typing.
PREVIEW_PAUSE_MS = 150


def token_at(text: str, cursor: int) -> tuple[int, str] | None:
    """The ``@name`` or ``#type`` being typed at ``cursor``: (start, token) or None."""
    start = cursor
    while start > 0 and text[start - 1] not in " \t:;":
        start -= 1
    token = text[start:cursor]
    if token.startswith(("@", "#")) and '"' not in token[2:]:
        return start, token
    return None


class QuickAddLine(QLineEdit):
    """The line itself; Enter commits unless the completion list is open.

    While suggestions are open, Enter or Tab takes the highlighted (best) one
    and the focus stays in the line.
    """

    submitted = Signal()
    journal_undo = Signal()
    journal_redo = Signal()
    place_requested = Signal()  # F2: circle and closeness for the people just created

    def __init__(self, parent: QWidget | None = None) -> None:
        self.completer_: TopMatchCompleter | None = None  # Qt sends events while built
        #: Escape empties the line (in a dialog it closes the dialog instead)
        self.escape_clears = True
        super().__init__(parent)

    def event(self, event: QEvent) -> bool:
        if self.completer_ is not None and self.completer_.handle_key(event):
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
            return
        # Ctrl+Z right after Enter undoes the saved entry, not (absent) typing.
        if event.matches(QKeySequence.StandardKey.Undo) and not self.isUndoAvailable():
            self.journal_undo.emit()
            return
        redo = event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Z
            and event.modifiers()
            == Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        if redo and not self.isRedoAvailable():
            self.journal_redo.emit()
            return
        if event.key() == Qt.Key.Key_F2 and not self.text():
            self.place_requested.emit()
            return
        if event.key() == Qt.Key.Key_Escape and not self.escape_clears:
            event.ignore()  # for the dialog around the line
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class QuickAdd(QWidget):
    """Quick-add line with completion, live preview and inline errors.

    Signals:
        saved(int): the id of the entry just saved.
    """

    saved = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Quick add")
        self.line = QuickAddLine(self)
        self.line.setAccessibleName("Quick add entry")
        self.line.setAccessibleDescription(
            "Type an entry: direction, #support types, @people, a date, w1 to w3, then : and a "
            "note. Enter saves it."
        )
        self.line.setPlaceholderText(PLACEHOLDER)
        self.line.setClearButtonEnabled(True)
        self.line.setMinimumHeight(34)
        font = self.line.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.line.setFont(font)
        self.preview = QLabel(self)
        self.preview.setAccessibleName("Quick add preview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setMinimumHeight(self.preview.fontMetrics().height() * 2 + 4)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.completer = TopMatchCompleter(self.line, "Quick add suggestions")
        self._suggestions = self.completer.items
        self.line.completer_ = self.completer
        self.error: str | None = None
        self._loud = False
        #: (undo stack index right after the last save, its message) while the preview says so
        self._saved: tuple[int, str, int] | None = None  # … and the entry's id
        #: people the last save created, whom F2 (or the preview's link) places
        self.new_people: list[int] = []
        #: how Enter saves a line (one undoable command); Today's prefilled line also
        #: marks a follow-up done in the same step
        self.save_line: Callable[[quickadd.QuickEntry], quickadd.LogResult] = partial(
            commands.quick_add, ctx
        )
        self._following = False  # connected to the undo stack (while shown)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_PAUSE_MS)
        self._lookups = LatestOnly(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line)
        layout.addWidget(self.preview)
        self._connect_callbacks()
        self._show_hint()

    def _connect_callbacks(self) -> None:
        self.line.textChanged.connect(lambda _t: self._preview_timer.start())
        self._preview_timer.timeout.connect(lambda: self._update_preview(self.line.text()))
        self.line.textEdited.connect(self._update_completion)
        self.line.submitted.connect(self.commit)
        self.line.journal_undo.connect(self.ctx.undo_stack.undo)
        self.line.journal_redo.connect(self.ctx.undo_stack.redo)
        self.line.place_requested.connect(self.place_new_people)
        self.preview.linkActivated.connect(self._link)
        self.completer.activated.connect(self._insert_completion)
        self.completer.highlighted.connect(self._show_taking)
        self.completer.closed.connect(self._preview_timer.start)  # back to what Enter saves
        self._lookups.ready.connect(self._lookup_done)
        self._lookups.failed.connect(self._lookup_failed)
        self.ctx.journal_opened.connect(self._journal_opened)

    # -------------------------------------------------------------- completion

    def _update_completion(self, text: str) -> None:
        found = token_at(text, self.line.cursorPosition())
        if found is None or len(found[1]) < 1:
            self._hide_popup()
            return
        _, token = found
        prefix = token[1:].lstrip('"')
        if token.startswith("#"):
            low = prefix.lower()
            types = self.ctx.store.support_types()
            # best first: keys that start with the text, then labels that contain it
            words = [t.key for t in types if t.key.startswith(low)]
            words += [t.key for t in types if low in t.label.lower() and t.key not in words]
            items = [f"#{k}" for k in words]
        else:
            if not prefix:
                self._hide_popup()
                return
            people = self.ctx.store.people_matching(prefix, limit=MAX_SUGGESTIONS)
            items = [f'@"{p.name}"' if " " in p.name else f"@{p.name}" for p in people]
        self.completer.offer(items, self._popup_rect(found[0], items) if items else None)

    def _popup_rect(self, start: int, items: list[str]) -> QRect:
        """Under the word being typed, as wide as the longest suggestion (not the whole line)."""
        popup = self.completer.popup()
        fm = popup.fontMetrics() if popup is not None else self.line.fontMetrics()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = max(fm.horizontalAdvance(i) for i in items) + bar + 4 * fm.averageCharWidth()
        width = max(160, min(MAX_POPUP_WIDTH, width))
        cursor = self.line.cursorPosition()
        self.line.setCursorPosition(start)
        x = self.line.cursorRect().left()
        self.line.setCursorPosition(cursor)
        x = max(0, min(x, self.line.width() - width))
        return QRect(x, 0, width, self.line.height())

    def _hide_popup(self) -> None:
        self.completer.close_popup()

    def _insert_completion(self, completion: str) -> None:
        text = self.line.text()
        cursor = self.line.cursorPosition()
        found = token_at(text, cursor)
        if found is None:
            return
        start, _ = found
        end = cursor
        while end < len(text) and text[end] not in " \t:;":
            end += 1
        new = text[:start] + completion + " " + text[end:].lstrip(" ")
        self.line.setText(new)
        self.line.setCursorPosition(start + len(completion) + 1)

    # ----------------------------------------------------------------- preview

    def _show_hint(self) -> None:
        self._set_preview(
            "<span style='color:palette(placeholder-text)'>Log an entry in one line: "
            "<b>gave</b>/<b>received</b>/<b>mutual</b>, <b>#type</b>, <b>@person</b>, a date, "
            "<b>w1–w3</b>, then <b>:</b> and a note. Ctrl+L comes back here.</span>"
        )

    def _show_taking(self, *_: object) -> None:
        """While suggestions are open: what Enter or Tab will take."""
        popup = self.completer.popup()
        index = popup.currentIndex() if popup is not None else None
        if index is None or not index.isValid():
            return
        self._set_preview(
            "<span style='color:palette(placeholder-text)'>Enter or Tab takes <b>"
            + html.escape(str(index.data()))
            + "</b> · Down and Up choose another · Esc closes the list</span>"
        )

    def _set_preview(self, rich: str) -> None:
        self.preview.setText(rich)

    def parse(self) -> quickadd.QuickEntry:
        keys = {t.key for t in self.ctx.store.support_types()}
        return quickadd.parse(self.line.text(), self.ctx.today(), keys)

    def _update_preview(self, text: str) -> None:
        if not self.isVisible():
            return
        self._saved = None  # the preview now speaks of the line
        self._underline(None)
        self.error = None
        self._loud = False
        if not text.strip():
            self._show_hint()
            return
        if self.completer.is_open():  # Enter takes the highlighted match: say so, not "saves"
            self._show_taking()
            return
        try:
            q = self.parse()
        except quickadd.QuickAddError as exc:
            self._show_error(str(exc), exc.start, exc.end, quiet=True)
            return
        self._set_preview(self._describe(q, []))
        # Whom the names mean, and who is new, are lookups in the journal: done on a
        # worker, shown when ready (the names as the journal spells them: @ana → Ana Ruiz).
        self._lookups.start(
            self.ctx.store.path,
            lambda s, _job: (
                text,
                quickadd.preview(s, q),
                quickadd.with_journal_names(s, q),
                quickadd.archived_names(s, q),
                _circle_label(s, Person(name="").circle),  # where new people land
            ),
        )

    def _lookup_done(self, result: object) -> None:
        text, new, named, archived, landing = cast(
            "tuple[str, list[str], quickadd.QuickEntry, list[str], str]", result
        )
        if text != self.line.text() or self._loud:
            return
        self._set_preview(self._describe(named, new, archived, landing))

    def _lookup_failed(self, exc: object) -> None:
        if isinstance(exc, JournalError) and not self._loud:  # e.g. an ambiguous @name
            self._show_error(str(exc), 0, 0, quiet=True)

    def _describe(
        self,
        q: quickadd.QuickEntry,
        new: list[str],
        archived: list[str] | None = None,
        landing: str = "",
    ) -> str:
        """The preview; ``landing``: the circle new people start in, as Settings names it."""
        labels = {t.key: t.label for t in self.ctx.store.support_types(include_retired=True)}
        from ties.ui import format as fmt

        who = ", ".join(html.escape(p) + (" (new)" if p in new else "") for p in q.people)
        when = f"<b>{html.escape(fmt.day(q.date, self.ctx.today()))}</b>"
        if q.date_reading:  # "3/12 read as day/month": the order came from the locale
            when += f" ({html.escape(q.date_reading)})"
        parts = [
            when,
            html.escape(fmt.direction(q.direction)),
            html.escape(q.kind_text),
            f"with <b>{who}</b>",
        ]
        if q.support_types:
            parts.append(html.escape(fmt.type_labels(q.support_types, labels)))
        parts.append(f"weight {html.escape(fmt.weight(q.weight))}")
        if q.time:
            parts.append(html.escape(q.time))
        if q.on_behalf_of:
            parts.append(f"on behalf of {html.escape(q.on_behalf_of)}")
        if q.follow_up:
            parts.append(f"follow up {html.escape(fmt.day(q.follow_up))}")
        if q.thanked:
            parts.append("thanked")
        line = " · ".join(parts)
        if q.note:
            line += f"<br><i>“{html.escape(q.note)}”</i>"
        if new:
            start = Person(name="")
            line += (
                "<br><span style='color:palette(link)'><b>+ NEW "
                + ("PERSON" if len(new) == 1 else "PEOPLE")
                + ":</b> "
                + html.escape(", ".join(new))
                + " will be added, in “"
                + html.escape(landing or start.circle)
                + f"” at closeness {start.closeness} · "
                + html.escape(CLOSENESS_LABELS[start.closeness])
                + ". After Enter, F2 sets where they belong.</span>"
            )
        if archived:
            line += (
                "<br>Archived: "
                + html.escape(", ".join(archived))
                + " (saved, but left out of coverage, balances and Today until unarchived)"
            )
        return "Enter saves: " + line

    def _show_error(self, message: str, start: int, end: int, *, quiet: bool = False) -> None:
        self.error = message
        self._loud = not quiet  # the answer to Enter stays until the line changes
        color = "palette(placeholder-text)" if quiet else error_color()
        self._set_preview(
            f"<span style='color:{color}'>⚠ {html.escape(message, quote=False)}</span>"
        )
        self.preview.setAccessibleDescription(message)
        self._underline((start, end) if end > start else None)

    def _underline(self, span: tuple[int, int] | None) -> None:
        """Underline the faulty part of the line (Qt's input-method formatting trick)."""
        attrs = []
        if span is not None:
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
            fmt.setUnderlineColor(QColor(error_color()))
            start = span[0] - self.line.cursorPosition()
            attrs.append(
                QInputMethodEvent.Attribute(
                    QInputMethodEvent.AttributeType.TextFormat, start, span[1] - span[0], fmt
                )
            )
        QCoreApplication.sendEvent(self.line, QInputMethodEvent("", attrs))

    # ------------------------------------------------------------------ commit

    def commit(self) -> None:
        """Save the line (Enter). Errors stay inline and the text is kept."""
        if not self.line.text().strip():
            return
        self._preview_timer.stop()  # a pending preview must not restyle the answer to Enter
        try:
            q = self.parse()
            result = self.save_line(q)  # ambiguous names: ValidationError
        except quickadd.QuickAddError as exc:
            self._show_error(str(exc), exc.start, exc.end)
            return
        except JournalError as exc:
            self._show_error(str(exc), 0, 0)
            return
        except Exception as exc:  # a bug: logged, short message, text kept
            self._show_error(report_unexpected(exc), 0, 0)
            return
        created = ", ".join(p.name for p in result.created)
        msg = f"Saved: {result.entry.people_label}, {result.entry.date:%d %b}"
        if created:
            msg += f" (new: {created})"
        self.new_people = [p.id for p in result.created if p.id is not None]
        self.ctx.status.emit(msg)
        self.line.setText("")  # unlike clear(), leaves no text undo: Ctrl+Z undoes the entry
        self._preview_timer.stop()
        assert result.entry.id is not None
        self._saved = (self.ctx.undo_stack.index(), msg, result.entry.id)
        self._show_saved(self._saved[0])
        self.saved.emit(result.entry.id)

    def _show_saved(self, now: int) -> None:
        """Say the last save, or that it was undone (``now``: the undo stack's index)."""
        if self._saved is None:
            return
        index, msg, entry_id = self._saved
        # Undone and then replaced by another change, the entry is gone for good.
        if now >= index and self.ctx.store.get_entries([entry_id]):
            text = f"✓ {html.escape(msg)} — Ctrl+Z undoes it."
            if self.new_people:
                text += (
                    f"<br>{html.escape(self._new_names())} landed in "
                    f"“{html.escape(_circle_label(self.ctx.store, Person(name='').circle))}”: "
                    "<a href='place'>press F2 to set circle and closeness</a>."
                )
        else:  # undone (Ctrl+Z here or anywhere): the entry is gone
            what = html.escape(msg.removeprefix("Saved: "))
            text = f"↶ Undone: {what} is no longer in the journal. Ctrl+Shift+Z brings it back."
        self._set_preview(f"<span style='color:palette(placeholder-text)'>{text}</span>")

    def _living_new_people(self) -> list[Person]:
        """The people the last save created who are still in the journal (not undone)."""
        found = []
        for pid in self.new_people:
            try:
                found.append(self.ctx.store.get_person(pid))
            except NotFoundError:
                continue
        return found

    def _new_names(self) -> str:
        return ", ".join(p.name for p in self._living_new_people())

    def _link(self, href: str) -> None:
        if href == "place":
            self.place_new_people()

    def place_new_people(self) -> None:
        """Circle and closeness for the people the last save created (F2, or the link)."""
        if self._saved is None or self.line.text():
            return
        ids = [p.id for p in self._living_new_people() if p.id is not None]
        if not ids:
            return
        from ties.ui.dialogs.place_people import PlacePeopleDialog

        dialog = PlacePeopleDialog(self.ctx, ids, self)
        dialog.exec()
        self.new_people = []
        self._show_saved(self.ctx.undo_stack.index())
        self.line.setFocus()

    def _journal_opened(self) -> None:
        self.new_people = []
        self._saved = None  # the last save was in the other journal: nothing was undone
        if not self.line.text():
            self._show_hint()

    def _undo_moved(self, index: int) -> None:
        if not self.line.text():  # the preview still reports the last save
            self._show_saved(index)

    def showEvent(self, event) -> None:
        # Followed only while shown: the stack's last signals, as it is destroyed with
        # its context, must not reach a line being collected (a crash in the tests).
        if not self._following:
            self._following = True
            self.ctx.undo_stack.indexChanged.connect(self._undo_moved)
            self._undo_moved(self.ctx.undo_stack.index())
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        self._preview_timer.stop()  # nothing to preview for a hidden line
        if self._following and not event.spontaneous():  # not for a minimised window
            self._following = False
            self.ctx.undo_stack.indexChanged.disconnect(self._undo_moved)
        super().hideEvent(event)

    def focus(self) -> None:
        self.line.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.line.selectAll()


def _circle_label(store: Store, key: str) -> str:
    """A circle as Settings names it (the user may have renamed "Other")."""
    labels = {c.key: c.label for c in store.circles(include_retired=True)}
    return labels.get(key, key)
