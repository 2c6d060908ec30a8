"""The Today place: items appear, buttons change the journal, undo brings items back."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QSpinBox, QToolButton

from ties.model import Entry, Person
from ties.store import Store
from ties.ui.context import AppContext
from ties.ui.places.today import ROWS_PER_GROUP, TodayPlace


@pytest.fixture
def journal(store: Store) -> dict[str, object]:
    ana = store.add_person(
        Person(name="Ana Ruiz", closeness=5, created="2026-01-01T00:00:00.000000Z")
    )
    ben = store.add_person(Person(name="Ben Okafor", closeness=3, needs="hiring advice"))
    cy = store.add_person(Person(name="Cy Tanaka", offers="hiring in data teams"))
    follow = store.add_entry(
        Entry(
            date=date(2026, 6, 25),
            person_ids=[ben.id],  # type: ignore[list-item]
            direction="contact",
            follow_up=date(2026, 6, 28),
            note="send the article",
        )
    )
    thanks = store.add_entry(
        Entry(
            date=date(2026, 6, 27),
            person_ids=[cy.id],  # type: ignore[list-item]
            direction="received",
            note="lent me a drill",
        )
    )
    return {"ana": ana, "ben": ben, "cy": cy, "follow": follow, "thanks": thanks}


@pytest.fixture
def place(ctx: AppContext, journal: dict, qtbot) -> TodayPlace:
    p = TodayPlace(ctx)
    qtbot.addWidget(p)
    p.resize(900, 700)
    p.show()
    qtbot.waitUntil(lambda: p.loaded, timeout=5000)
    return p


def _button(place: TodayPlace, name: str, kind: type = QPushButton):
    found = [b for b in place.findChildren(kind) if b.accessibleName() == name]
    assert len(found) == 1, f"no single control named {name!r}"
    return found[0]


def test_lists_each_group(place: TodayPlace, journal: dict) -> None:
    keys = place.item_keys()
    assert f"follow_up:{journal['follow'].uuid}" in keys
    assert f"thanks:{journal['thanks'].uuid}" in keys
    assert f"dormant:{journal['ana'].uuid}:never" in keys  # added in January, never contacted
    assert f"match:{journal['ben'].uuid}:{journal['cy'].uuid}" in keys
    gaps = [k for k in keys if k.startswith("gap:")]  # nothing received: every type
    assert len(gaps) > ROWS_PER_GROUP
    assert set(place.rows) == {k for k in keys if k not in gaps[ROWS_PER_GROUP:]}


def test_show_more(place: TodayPlace, qtbot) -> None:
    gaps = [k for k in place.item_keys() if k.startswith("gap:")]
    qtbot.mouseClick(_button(place, "Show more: Gaps in your support"), Qt.MouseButton.LeftButton)
    assert set(gaps) <= set(place.rows)


def test_mark_follow_up_done_then_undo(
    place: TodayPlace, ctx: AppContext, journal: dict, qtbot
) -> None:
    follow = journal["follow"]
    key = f"follow_up:{follow.uuid}"
    qtbot.mouseClick(
        _button(place, "Mark done: Follow up with Ben Okafor"), Qt.MouseButton.LeftButton
    )
    assert ctx.store.get_entry(follow.id).follow_up_done
    assert key not in place.item_keys() and key not in place.rows
    qtbot.waitUntil(lambda: not place.figures.running, timeout=5000)  # the fresh list agrees
    assert key not in place.item_keys()
    ctx.undo_stack.undo()
    assert not ctx.store.get_entry(follow.id).follow_up_done
    qtbot.waitUntil(lambda: key in place.item_keys(), timeout=5000)
    assert key in place.rows


def _log_line(place: TodayPlace, qtbot, button: str):
    """Click a Today log button: the prefilled quick-add line it opens."""
    qtbot.mouseClick(_button(place, button), Qt.MouseButton.LeftButton)
    dialog = place.log_dialog
    assert dialog is not None and dialog.isVisible()
    line = [w for w in dialog.findChildren(QLineEdit) if w.accessibleName() == "Quick add entry"]
    return dialog, line[0]


def test_log_follow_up_opens_a_prefilled_line_that_enter_saves(
    place: TodayPlace, ctx: AppContext, journal: dict, qtbot
) -> None:
    before = ctx.store.count_entries()
    dialog, line = _log_line(place, qtbot, "Log follow-up: Follow up with Ben Okafor")
    assert ctx.store.count_entries() == before  # the click writes nothing
    assert line.text() == 'contact @"Ben Okafor" today: Follow-up of 2026-06-25: send the article'
    preview = [w for w in dialog.findChildren(QLabel) if w.accessibleName() == "Quick add preview"]
    qtbot.waitUntil(lambda: "with <b>Ben Okafor</b>" in preview[0].text(), timeout=3000)
    qtbot.keyClicks(line, ", sent")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert not dialog.isVisible(), preview[0].text()
    assert ctx.store.count_entries() == before + 1
    newest = ctx.store.list_entries(limit=1)[0]
    assert newest.date == ctx.today() and newest.person_ids == [journal["ben"].id]
    assert newest.note == "Follow-up of 2026-06-25: send the article, sent"
    assert ctx.store.get_entry(journal["follow"].id).follow_up_done
    ctx.undo_stack.undo()  # one step: the entry goes and the follow-up is due again
    assert ctx.store.count_entries() == before
    assert not ctx.store.get_entry(journal["follow"].id).follow_up_done


def test_escape_in_the_prefilled_line_writes_nothing(
    place: TodayPlace, ctx: AppContext, journal: dict, qtbot
) -> None:
    before = ctx.store.count_entries()
    dialog, line = _log_line(place, qtbot, "Log contact: Ana Ruiz")
    qtbot.keyClick(line, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and ctx.store.count_entries() == before
    assert f"dormant:{journal['ana'].uuid}:never" in place.rows  # still to do


def test_mark_thanked_and_log_contact(
    place: TodayPlace, ctx: AppContext, journal: dict, qtbot
) -> None:
    qtbot.mouseClick(_button(place, "Mark thanked: Thank Cy Tanaka"), Qt.MouseButton.LeftButton)
    assert ctx.store.get_entry(journal["thanks"].id).thanked
    _dialog, line = _log_line(place, qtbot, "Log contact: Ana Ruiz")
    assert line.text() == 'contact @"Ana Ruiz" today: '
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert ctx.store.get_person(journal["ana"].id).last_contact == ctx.today()
    qtbot.waitUntil(lambda: not place.figures.running, timeout=5000)
    assert not any(k.startswith(("thanks:", "dormant:")) for k in place.item_keys())


def _button_places(place: TodayPlace) -> dict[str, int]:
    """Where each action button sits (its top in the place), by accessible name."""
    return {
        b.accessibleName(): b.mapTo(place, b.rect().topLeft()).y()
        for b in place.findChildren(QPushButton)
        if b.isVisible() and ":" in b.accessibleName()
    }


def _settled_places(place: TodayPlace, qtbot) -> dict[str, int]:
    """The buttons' places once the layout has stopped moving (a loaded machine lays out late)."""
    seen = [_button_places(place)]

    def still() -> bool:
        qtbot.wait(60)
        seen.append(_button_places(place))
        return seen[-1] == seen[-2]

    qtbot.waitUntil(still, timeout=5000)
    return seen[-1]


def test_no_button_moves_under_the_pointer_when_a_row_is_done(
    place: TodayPlace, ctx: AppContext, journal: dict, qtbot
) -> None:
    """Issue #17, 5: a second click landed on the next person's button."""
    qtbot.waitUntil(lambda: bool(_button_places(place)), timeout=3000)
    before = _button_places(place)
    pressed = "Mark done: Follow up with Ben Okafor"
    button = _button(place, pressed)
    pressed_at = button.mapTo(place, button.rect().center())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not place.figures.running, timeout=5000)
    after = _settled_places(place, qtbot)
    # Rows built again may differ by a pixel or two of rounding (seen after other tests
    # changed the fonts' metrics); a reflow moves a button by a whole row (~40 px).
    moved = {n: (before[n], y) for n, y in after.items() if n in before and abs(before[n] - y) > 4}
    assert moved == {}
    undo = _button(place, f"Undo: Follow-up done: {pressed.split(': ', 1)[1]}")
    assert abs(after[undo.accessibleName()] - before[pressed]) <= 8  # in the row's place
    # …but not under the pointer: a quick second click on the button lands on nothing
    assert place.childAt(pressed_at) is not undo and not isinstance(
        place.childAt(pressed_at), QPushButton
    )
    _dialog, line = _log_line(place, qtbot, "Log contact: Ana Ruiz")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not place.figures.running, timeout=5000)
    later = _settled_places(place, qtbot)
    moved = {n: (after[n], y) for n, y in later.items() if n in after and abs(after[n] - y) > 4}
    assert moved == {}
    qtbot.mouseClick(_button(place, "Undo: Contact logged: Ana Ruiz"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Log contact: Ana Ruiz" in _button_places(place), timeout=5000)
    assert ctx.store.get_person(journal["ana"].id).last_contact is None


def test_snooze_and_dismiss_are_remembered_and_undoable(
    place: TodayPlace, ctx: AppContext, journal: dict, qtbot
) -> None:
    key = f"thanks:{journal['thanks'].uuid}"
    qtbot.mouseClick(
        _button(place, "Snooze: Thank Cy Tanaka", QToolButton), Qt.MouseButton.LeftButton
    )
    assert key in ctx.store.dismissals(ctx.today())
    assert key not in ctx.store.dismissals(date(2026, 7, 7))  # a week later it is back
    assert key not in place.item_keys()
    ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: key in place.item_keys(), timeout=5000)
    qtbot.mouseClick(
        _button(place, "Dismiss: Thank Cy Tanaka", QToolButton), Qt.MouseButton.LeftButton
    )
    assert key in ctx.store.dismissals(date(2030, 1, 1))


def test_snooze_menu_offers_other_times(
    place: TodayPlace, ctx: AppContext, journal: dict, qtbot
) -> None:
    key = f"follow_up:{journal['follow'].uuid}"
    menu = _button(place, "Snooze: Follow up with Ben Okafor", QToolButton).menu()
    month = next(a for a in menu.actions() if a.text() == "For a month")
    month.trigger()
    assert key in ctx.store.dismissals(date(2026, 7, 29))
    assert key not in ctx.store.dismissals(date(2026, 7, 30))  # 30 days after 30 June


def test_open_person_asks_for_the_page(
    place: TodayPlace, ctx: AppContext, journal: dict, qtbot
) -> None:
    with qtbot.waitSignal(ctx.person_requested) as blocker:
        qtbot.mouseClick(_button(place, "Open: Ana Ruiz"), Qt.MouseButton.LeftButton)
    assert blocker.args == [journal["ana"].id]


def test_log_introduction(place: TodayPlace, ctx: AppContext, journal: dict, qtbot) -> None:
    qtbot.mouseClick(
        _button(place, "Log introduction: Introduce Ben Okafor to Cy Tanaka"),
        Qt.MouseButton.LeftButton,
    )
    newest = ctx.store.list_entries(limit=1)[0]
    assert newest.kind == "introduction" and newest.direction == "gave"
    assert newest.person_ids == [journal["ben"].id, journal["cy"].id]
    assert newest.note == "Introduced Ben Okafor and Cy Tanaka (matched on: hiring)"


def test_empty_journal(ctx: AppContext, qtbot) -> None:
    p = TodayPlace(ctx)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitUntil(lambda: p.loaded, timeout=5000)
    assert p.item_keys() == []
    assert p.status.text() == "Nothing needs you today."


def test_today_settings_apply_and_undo(ctx: AppContext, journal: dict, qtbot) -> None:
    from ties.ui.today_settings import TodaySettings

    w = TodaySettings(ctx)
    qtbot.addWidget(w)
    spin = _button(w, "Cadence for closeness 5", QSpinBox)
    assert spin.value() == 14
    spin.setValue(200)
    w.offers.setPlainText("hiring advice")
    qtbot.mouseClick(_button(w, "Apply Today settings"), Qt.MouseButton.LeftButton)
    assert ctx.store.get_setting("cadence_days")["5"] == 200
    assert ctx.store.get_setting("my_offers") == "hiring advice"
    ctx.undo_stack.undo()
    assert ctx.store.get_setting("cadence_days", None) is None  # not set again
    assert ctx.store.get_setting("my_offers", None) is None
    assert ctx.store.get_setting("my_offers") == ""  # the declared default


def test_another_journal_never_shows_or_acts_on_the_old_items(
    place: TodayPlace, ctx: AppContext, tmp_path, qtbot
) -> None:
    assert place.rows and any(i.entry_id for i in place.items)  # the first journal's items
    other = Store.open(tmp_path / "other.ties")
    other.add_person(Person("Someone Else", closeness=5))
    place.refresh()  # a job for the first journal is still running when the switch comes
    ctx.replace_store(other)
    assert place.rows == {} and place.items == []
    qtbot.waitUntil(lambda: place.loaded, timeout=5000)
    ids = {p.id for p in other.list_people()}
    assert all(i.entry_id is None and set(i.person_ids) <= ids for i in place.items)


def test_open_on_a_gap_says_whom_it_opens(place: TodayPlace, ctx: AppContext, qtbot) -> None:
    gaps = [i for i in place.items if i.group == "coverage_gap" and "open_person" in i.actions]
    assert gaps, "the sample has a gap with suggestions"
    item = gaps[0]
    name = ctx.store.get_person(item.person_ids[0]).name
    button = _button(place, f"Open: {item.title}")
    assert button.text() == f"Open {name}"
    assert name in item.detail  # the row names the suggestion the button opens
    with qtbot.waitSignal(ctx.person_requested) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [item.person_ids[0]]


def test_tab_never_stops_on_an_unnamed_scroll_area(place: TodayPlace) -> None:
    from PySide6.QtWidgets import QAbstractScrollArea

    for area in place.findChildren(QAbstractScrollArea):
        assert area.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_open_on_a_row_about_one_named_person_stays_short(place: TodayPlace) -> None:
    assert _button(place, "Open: Ana Ruiz").text() == "Open"
    intro = _button(place, "Open: Introduce Ben Okafor to Cy Tanaka")
    assert intro.text() == "Open Ben Okafor"  # two people: the button says which
