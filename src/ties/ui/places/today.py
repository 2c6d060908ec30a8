"""The Today place: follow-ups, quiet ties, one-sided relationships, thanks, gaps, introductions.

The list comes from :func:`ties.analysis.today.today_items` (the same as
``ties today``), computed off the GUI thread whenever the journal changes and
the place is showing. Every button goes through ``ctx.push``, so Ctrl+Z undoes
it. A settled row does not vanish: it becomes a line of the same height saying
what was done, with Undo, so no other row's button slides under the pointer
(until the place is left). "Log contact" and "Log follow-up" write nothing at
the click: they open a prefilled quick-add line that Enter saves. Each group
comes ranked by the analysis (the closest people first, the most urgent among
equals) and shows its top rows, with "Show 20 more" and "Show all".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.store import JournalError, Store
from ties.ui.context import AppContext
from ties.ui.format import long_day
from ties.ui.jobs import Job
from ties.ui.place_figures import Compute, PlaceFigures
from ties.ui.today_row import TodayRow

if TYPE_CHECKING:
    # The analysis (~17 ms to import), the actions and the log dialog are imported when
    # first used: the analysis on the worker that works the list out, after the window
    # is shown (docs/performance.md).
    from ties.analysis.today import TodayItem
    from ties.ui.dialogs.quick_log import QuickLogDialog

#: The group headings of ties.analysis.today.GROUPS, for the translation catalogue.
GROUP_HEADINGS = (
    QT_TRANSLATE_NOOP("TodayGroups", "Follow-ups due"),
    QT_TRANSLATE_NOOP("TodayGroups", "Birthdays and dates"),
    QT_TRANSLATE_NOOP("TodayGroups", "Ties gone quiet"),
    QT_TRANSLATE_NOOP("TodayGroups", "One-sided relationships"),
    QT_TRANSLATE_NOOP("TodayGroups", "Thanks to say"),
    QT_TRANSLATE_NOOP("TodayGroups", "Gaps in your support"),
    QT_TRANSLATE_NOOP("TodayGroups", "Introductions to suggest"),
)

#: Rows shown per group before a "Show more" button; each press shows this many more.
ROWS_PER_GROUP = 5
MORE_STEP = 20
WINDOW_DAYS = DEFAULT_WINDOW_DAYS


@dataclass(frozen=True)
class Settled:
    """A row done in this visit, kept in its place as one line.

    Attributes:
        group: the item's group.
        index: its position among the group's shown rows.
        text: what was done ("Contact logged: Ana Ruiz").
        height: the row's height, kept so nothing below moves.
        undo_index: the undo stack's index right after; Undo works while it still is.
    """

    group: str
    index: int
    text: str
    height: int
    undo_index: int


class TodayPlace(QWidget):
    """What is worth doing today, grouped, each item one click from being done.

    Attributes:
        items: the current list (without what was dismissed or snoozed).
        rows: the visible rows by item key.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[TodayItem] = []
        self.rows: dict[str, TodayRow] = {}
        self.open_names: dict[int, str] = {}
        self.shown_per_group: dict[str, int] = {}
        #: rows done in this visit, by item key (cleared when the place is left)
        self.settled: dict[str, Settled] = {}
        self._slots: dict[str, int] = {}  # each shown row's position in its group
        self.log_dialog: QuickLogDialog | None = None
        self.loaded = False
        self.setAccessibleName("Today place")
        self._build()
        self.figures = (
            PlaceFigures(
                self, ctx, self._work, what=self.tr("Today"), show_message=self.status.setText
            )
            .success(self._show_items)
            .with_progress(lambda busy: self.status.setText(self.tr("Working…")) if busy else None)
        )
        self._connect_callbacks()

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        self.title = QLabel(self.tr("Today"))
        self.title.setObjectName("placeTitle")
        self.day = QLabel()
        self.day.setObjectName("muted")
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setAccessibleName("Today status")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setAccessibleName("Refresh Today")
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.day, 0, Qt.AlignmentFlag.AlignBottom)
        head.addStretch(1)
        head.addWidget(self.status)
        head.addWidget(self.refresh_button)
        self.body = QWidget()
        self.body.setAccessibleName("Today list")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setAccessibleName("Today scroll area")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the rows' buttons
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        # The margins of the Journal and People: the title stays put between places
        # (issue #17 item 15: it shifted by ~9 px).
        layout.setContentsMargins(18, 14, 18, 12)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)

    def _connect_callbacks(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.ctx.journal_opened.connect(self._journal_opened)

    # --------------------------------------------------------------- loading

    def _journal_opened(self) -> None:
        """Another journal: its items are not these (their ids mean other rows there)."""
        self.items = []
        self.settled = {}
        self.loaded = False
        self._render()
        self.status.setText(self.tr("Working…"))

    def refresh(self) -> None:
        """Recompute the list in the background; the newest result wins."""
        self.figures.refresh()

    def _work(self) -> Compute:
        as_of = self.ctx.today()
        self.day.setText(long_day(as_of))

        def work(store: Store, job: Job) -> tuple[list[TodayItem], dict[int, str]]:
            from ties.analysis.today import today_items

            items = today_items(store, as_of, WINDOW_DAYS)
            # who each row's "Open" opens, read here rather than on the GUI thread
            first = {i.person_ids[0] for i in items if "open_person" in i.actions and i.person_ids}
            return items, {pid: store.get_person(pid).name for pid in first}

        return work

    def _show_items(self, result: object) -> None:
        assert isinstance(result, tuple)
        items, names = result
        self.items = list(items)
        back = {i.key for i in self.items} & set(self.settled)  # undone: the row returns
        for key in back:
            del self.settled[key]
        self.open_names = dict(names)
        self.loaded = True
        self._render()

    # ------------------------------------------------------------- rendering

    def _render(self) -> None:
        while self.body_layout.count():
            taken = self.body_layout.takeAt(0)
            child = taken.widget() if taken is not None else None
            if child is not None:
                child.hide()
                child.setParent(None)  # gone from findChildren at once
                child.deleteLater()
        self.rows = {}
        self._slots = {}
        total = len(self.items)
        self.status.setText(
            self.tr("Nothing needs you today.")
            if not total
            else self.tr("1 thing")
            if total == 1
            else self.tr("{n} things").format(n=f"{total:,}")
        )
        if not total and not self.settled:
            empty = QLabel(
                self.tr(
                    "Nothing needs you today: no follow-ups due, no quiet ties, no thanks owed."
                )
            )
            empty.setObjectName("muted")
            empty.setAccessibleName("Today empty state")
            empty.setWordWrap(True)
            self.body_layout.addWidget(empty)
            return
        from ties.analysis.today import GROUPS  # imported by the worker already

        for group, heading in GROUPS:
            mine = [i for i in self.items if i.group == group]
            done = sorted(
                ((k, s) for k, s in self.settled.items() if s.group == group),
                key=lambda ks: ks[1].index,
            )
            if not mine and not done:
                continue
            label = QLabel(
                self.tr("{heading} ({count})").format(
                    heading=QCoreApplication.translate("TodayGroups", heading),
                    count=f"{len(mine):,}",
                )
            )
            label.setObjectName("sectionTitle")
            label.setAccessibleName(f"{heading} heading")
            self.body_layout.addWidget(label)
            limit = self.shown_per_group.get(group, ROWS_PER_GROUP)
            # as many lines as before: a done row keeps its slot, no hidden one moves up
            shown: list[TodayItem | tuple[str, Settled]] = list(mine[: max(0, limit - len(done))])
            for key, settled in done:
                shown.insert(min(settled.index, len(shown)), (key, settled))
            for index, entry in enumerate(shown):
                if isinstance(entry, tuple):
                    self._slots[entry[0]] = index
                    self.body_layout.addWidget(self._settled_row(entry[1]))
                    continue
                row = TodayRow(entry, open_name=self._first_name(entry))
                row.acted.connect(lambda action, arg, it=entry: self.act(it, action, arg))
                self.rows[entry.key] = row
                self._slots[entry.key] = index
                self.body_layout.addWidget(row)
            limit = len(shown) - len(done)
            if len(mine) > limit:
                self.body_layout.addWidget(
                    self._more_buttons(group, heading, len(mine) - limit, len(mine))
                )

    def _more_buttons(self, group: str, heading: str, hidden: int, total: int) -> QWidget:
        """ "Show 20 more" and, when more than that are hidden, "Show all 41"."""
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        more = QPushButton(self.tr("Show {n} more").format(n=f"{min(MORE_STEP, hidden):,}"))
        more.setAccessibleName(f"Show more: {heading}")
        more.clicked.connect(lambda _=False, g=group: self._show_more(g))
        lay.addWidget(more)
        if hidden > MORE_STEP:
            every = QPushButton(self.tr("Show all {n}").format(n=f"{total:,}"))
            every.setAccessibleName(f"Show all: {heading}")
            every.setToolTip(self.tr("Show every item of this group, in order of importance"))
            every.clicked.connect(lambda _=False, g=group: self._show_all(g))
            lay.addWidget(every)
        lay.addStretch(1)
        return box

    def _show_all(self, group: str) -> None:
        self.shown_per_group[group] = len(self.items)
        self._render()

    def _settled_row(self, settled: Settled) -> QWidget:
        """The line a done row leaves: what was done, and Undo, at the row's height."""
        frame = QFrame()
        frame.setObjectName("todayRow")
        frame.setAccessibleName(f"Done: {settled.text}")
        label = QLabel("✓ " + settled.text)
        label.setObjectName("muted")
        label.setTextFormat(Qt.TextFormat.PlainText)
        undo = QPushButton(self.tr("Undo"))
        undo.setAccessibleName(f"Undo: {settled.text}")
        undo.clicked.connect(lambda: self._undo(settled))
        lay = QHBoxLayout(frame)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.addWidget(label, 0)
        lay.addWidget(undo, 0)  # next to the text, where the row had no button: a quick
        lay.addStretch(1)  # second click on the row's buttons lands on nothing
        if settled.height > 0:
            frame.setFixedHeight(settled.height)
        return frame

    def _undo(self, settled: Settled) -> None:
        """Undo the row's action, if it is still the last change."""
        if self.ctx.undo_stack.index() == settled.undo_index:
            self.ctx.undo_stack.undo()
        else:
            self.ctx.status.emit(self.tr("Other changes came after it: use Edit → Undo."))

    def hideEvent(self, event) -> None:
        if not event.spontaneous() and self.settled:  # left for another place: start afresh
            self.settled = {}
            self._render()
        super().hideEvent(event)

    def _first_name(self, item: TodayItem) -> str:
        """Who the row's "Open" opens, when the row alone does not say it.

        A gap row names several suggestions and an introduction two people: the
        button then says whom it opens. A row about one named person needs no more.
        """
        if not item.person_ids:
            return ""
        name = self.open_names.get(item.person_ids[0], "")
        return name if len(item.person_ids) > 1 or name not in item.title else ""

    def _show_more(self, group: str) -> None:
        self.shown_per_group[group] = self.shown_per_group.get(group, ROWS_PER_GROUP) + MORE_STEP
        self._render()

    def item_keys(self) -> list[str]:
        return [i.key for i in self.items]

    # --------------------------------------------------------------- actions

    def act(self, item: TodayItem, action: str, arg: object = None) -> None:
        """Do what a row's button says; on success the row goes at once."""
        from ties.ui import today_actions

        ctx = self.ctx
        today: date = ctx.today()
        try:
            if action == "open_person":
                if item.person_ids:
                    ctx.person_requested.emit(item.person_ids[0])
                return
            if action in ("log_contact", "log_follow_up"):
                self._open_log(item, action)
                return
            if action == "mark_done" and item.entry_id is not None:
                today_actions.mark_follow_up_done(ctx, item.entry_id)
            elif action == "mark_thanked" and item.entry_id is not None:
                today_actions.mark_thanked(ctx, item.entry_id)
            elif action == "log_introduction":
                today_actions.log_introduction(ctx, item.person_ids, item.words, today)
            elif action == "snooze":
                days = arg if isinstance(arg, int) else 7
                today_actions.snooze(ctx, item.key, today + timedelta(days=days))
            elif action == "dismiss":
                today_actions.snooze(ctx, item.key, None)
            else:
                return
        except JournalError as exc:
            row = self.rows.get(item.key)
            if row is not None:
                row.show_error(str(exc))
            return
        self._settle(item, action)

    def _open_log(self, item: TodayItem, action: str) -> None:
        """A quick-add line with the item's people (and the follow-up's note); Enter saves."""
        from ties.ui import today_actions
        from ties.ui.dialogs.quick_log import QuickLogDialog

        store = self.ctx.store
        names = [store.get_person(pid).name for pid in item.person_ids]
        also_done: int | None = None
        note = ""
        if action == "log_follow_up" and item.entry_id is not None:
            also_done = item.entry_id
            note = today_actions.follow_up_note(store.get_entry(item.entry_id))
        title = self.tr("Log follow-up") if also_done is not None else self.tr("Log contact")
        dialog = QuickLogDialog(
            self.ctx, title, today_actions.prefilled_line(names, note), also_done, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._settle(item, action))
        self.log_dialog = dialog
        dialog.open()

    def _settle(self, item: TodayItem, action: str) -> None:
        """The item is done: its row becomes a line in the same place, the others stay."""
        text = self.tr("{done}: {title}").format(done=_done_words(action), title=item.title)
        row = self.rows.get(item.key)
        self.settled[item.key] = Settled(
            group=item.group,
            index=self._slots.get(item.key, 0),
            text=text,
            height=row.height() if row is not None else 0,
            undo_index=self.ctx.undo_stack.index(),
        )
        self.items = [i for i in self.items if i.key != item.key]
        self._render()
        self.ctx.status.emit(text)


DONE_WORDS = {
    "mark_done": QT_TRANSLATE_NOOP("TodayPlace", "Follow-up done"),
    "log_follow_up": QT_TRANSLATE_NOOP("TodayPlace", "Follow-up logged"),
    "log_contact": QT_TRANSLATE_NOOP("TodayPlace", "Contact logged"),
    "mark_thanked": QT_TRANSLATE_NOOP("TodayPlace", "Marked thanked"),
    "log_introduction": QT_TRANSLATE_NOOP("TodayPlace", "Introduction logged"),
    "snooze": QT_TRANSLATE_NOOP("TodayPlace", "Snoozed"),
    "dismiss": QT_TRANSLATE_NOOP("TodayPlace", "Dismissed"),
}


def _done_words(action: str) -> str:
    """What the status bar says an action on a Today row did."""
    if action in DONE_WORDS:
        return QCoreApplication.translate("TodayPlace", str(DONE_WORDS[action]))
    return QCoreApplication.translate("TodayPlace", "Done")
