"""The change record: every operation says which parts it touched, and places decide from fields."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from datetime import date

import pytest
from PySide6.QtWidgets import QComboBox, QLabel

from ties.model import Circle, Entry, Person
from ties.store import Store
from ties.ui import commands, today_actions
from ties.ui.changes import Changes
from ties.ui.context import AppContext


def _record(ctx: AppContext) -> list[Changes]:
    seen: list[Changes] = []
    ctx.changed.connect(seen.append)
    return seen


def test_everything_is_every_field_and_records_are_frozen() -> None:
    every = Changes.everything()
    assert all(getattr(every, f.name) for f in fields(Changes))
    assert not any(getattr(Changes(), f.name) for f in fields(Changes))
    assert Changes(entries=True) | Changes(dismissals=True) == Changes(
        entries=True, dismissals=True
    )
    with pytest.raises(FrozenInstanceError):
        every.entries = False  # type: ignore[misc]


def test_journal_data_leaves_out_dismissals() -> None:
    assert not Changes(dismissals=True).journal_data
    assert Changes(entries=True).journal_data
    assert Changes(people=True).journal_data
    assert Changes(settings=True).journal_data


def test_commands_say_what_they_touch_on_do_undo_and_redo(ctx: AppContext) -> None:
    seen = _record(ctx)
    ana = commands.add_person(ctx, Person(name="Ana Ruiz"))
    assert seen == [Changes(people=True)]
    seen.clear()
    commands.add_entry(ctx, Entry(date=date(2026, 6, 1), person_ids=[ana.id]))  # type: ignore[list-item]
    ctx.undo_stack.undo()
    ctx.undo_stack.redo()
    assert seen == [Changes(entries=True)] * 3
    seen.clear()
    commands.delete_person(ctx, ana.id, with_entries=True)  # type: ignore[arg-type]
    assert seen == [Changes(entries=True, people=True)]


def test_a_snooze_touches_only_the_dismissals(ctx: AppContext) -> None:
    seen = _record(ctx)
    today_actions.snooze(ctx, "dormant:x", date(2026, 7, 7))
    ctx.undo_stack.undo()
    assert seen == [Changes(dismissals=True)] * 2


def test_another_journal_is_everything(ctx: AppContext, tmp_path) -> None:
    seen = _record(ctx)
    ctx.replace_store(Store.open(tmp_path / "other.ties"))
    assert seen == [Changes.everything()]


# ------------------------------------------------------------ places route by fields


@pytest.fixture
def people_place(ctx: AppContext, qtbot):
    from ties.ui.places.people import PeoplePlace

    p = PeoplePlace(ctx)
    qtbot.addWidget(p)
    p.show()
    return p


def _circles(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_people_place_reloads_circles_only_when_settings_changed(
    ctx: AppContext, people_place, find
) -> None:
    combo = find(people_place, QComboBox, "Filter by circle")
    ctx.store.save_circle(Circle(key="choir", label="Choir", position=99))
    ctx.changed.emit(Changes(entries=True, people=True))
    assert "Choir" not in _circles(combo)
    ctx.changed.emit(Changes(settings=True))
    assert "Choir" in _circles(combo)


def test_the_people_list_is_left_alone_for_entries_and_dismissals(
    ctx: AppContext, people_place, find
) -> None:
    count = find(people_place, QLabel, "People count")
    ctx.store.add_person(Person(name="Sam Lee"))
    ctx.changed.emit(Changes(entries=True))
    ctx.changed.emit(Changes(dismissals=True))
    assert people_place.model.rowCount() == 0
    ctx.changed.emit(Changes(people=True))
    assert people_place.model.rowCount() == 1 and count.text() == "1 person"


def test_no_change_is_announced_as_a_string() -> None:
    """The record replaced ``changed.emit("entries")``; a branch written before it must not
    bring the strings back (places would fail on them at the first change)."""
    import re
    from pathlib import Path

    import ties

    src = Path(ties.__file__).parent
    said = re.compile(r"""\bchanged\.emit\(\s*["']""")
    offenders = [
        str(path.relative_to(src))
        for path in sorted(src.rglob("*.py"))
        if said.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
