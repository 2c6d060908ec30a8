"""The undoable changes the Today place makes, one function per button.

Each builds a :class:`~ties.ui.context.StoreCommand` over plain store calls and
pushes it, so Ctrl+Z undoes it whichever place is showing. A new entry keeps
its id and uuid across undo and redo.
"""

from __future__ import annotations

from datetime import date

from ties import quickadd
from ties.model import Entry
from ties.ui.changes import Changes
from ties.ui.context import AppContext, StoreCommand

ENTRIES = Changes(entries=True)
#: A quick-add line can create people as well as the entry.
ENTRIES_AND_PEOPLE = Changes(entries=True, people=True)
#: A snooze or dismissal: only Today's own list depends on it.
DISMISSALS = Changes(dismissals=True)


def mark_follow_up_done(ctx: AppContext, entry_id: int) -> None:
    ctx.push(
        StoreCommand(
            ctx,
            "Mark follow-up done",
            lambda: ctx.store.set_follow_up_done(entry_id, True),
            lambda: ctx.store.set_follow_up_done(entry_id, False),
            ENTRIES,
        )
    )


def mark_thanked(ctx: AppContext, entry_id: int) -> None:
    ctx.push(
        StoreCommand(
            ctx,
            "Mark thanked",
            lambda: ctx.store.set_thanked(entry_id, True),
            lambda: ctx.store.set_thanked(entry_id, False),
            ENTRIES,
        )
    )


def _add_and_then(ctx: AppContext, text: str, entry: Entry, also_done: int | None) -> Entry:
    """Add ``entry`` (and mark follow-up ``also_done`` done) in one transaction."""
    state: dict[str, Entry] = {}

    def redo() -> None:
        with ctx.store.transaction():
            state["entry"] = ctx.store.add_entry(state.get("entry", entry))
            if also_done is not None:
                ctx.store.set_follow_up_done(also_done, True)

    def undo() -> None:
        with ctx.store.transaction():
            ctx.store.delete_entry(state["entry"].id)  # type: ignore[arg-type]
            if also_done is not None:
                ctx.store.set_follow_up_done(also_done, False)

    ctx.push(StoreCommand(ctx, text, redo, undo, ENTRIES))
    return state["entry"]


def log_line(ctx: AppContext, q: quickadd.QuickEntry, also_done: int | None) -> quickadd.LogResult:
    """Save a line from Today's prefilled quick-add, and mark follow-up ``also_done`` done.

    One transaction and one undo step: undo removes the entry (and anybody the line
    created) and the follow-up is due again.
    """
    state: dict[str, quickadd.LogResult] = {}

    def redo() -> None:
        with ctx.store.transaction():
            prev = state.get("result")
            if prev is None:
                state["result"] = quickadd.save(ctx.store, q)
            else:  # the same people and entry again (same ids)
                for p in prev.created:
                    ctx.store.add_person(p)
                ctx.store.add_entry(prev.entry)
            if also_done is not None:
                ctx.store.set_follow_up_done(also_done, True)

    def undo() -> None:
        result = state["result"]
        with ctx.store.transaction():
            ctx.store.delete_entry(result.entry.id)  # type: ignore[arg-type]
            for p in result.created:
                ctx.store.delete_person(p.id, with_entries=False)  # type: ignore[arg-type]
            if also_done is not None:
                ctx.store.set_follow_up_done(also_done, False)

    text = "Log follow-up" if also_done is not None else "Log contact"
    ctx.push(StoreCommand(ctx, text, redo, undo, ENTRIES_AND_PEOPLE))
    return state["result"]


def prefilled_line(names: list[str], note: str = "") -> str:
    """The quick-add line Today opens with: a contact today with these people, a note begun.

    Names are quoted whole, so each means exactly that person; a ``;`` in the note would
    start a clause (``; thanked``), so it becomes a comma.
    """
    people = " ".join(f'@"{n}"' for n in names)
    note = " ".join(note.replace(";", ",").split())
    return f"contact {people} today: {note}"


def follow_up_note(entry: Entry) -> str:
    """What a follow-up's entry starts with: which entry it follows, and that one's note."""
    note = f"Follow-up of {entry.date.isoformat()}"
    if entry.note.strip():
        note += f": {' '.join(entry.note.split())[:200]}"
    return note


def log_introduction(ctx: AppContext, person_ids: list[int], words: list[str], day: date) -> Entry:
    """Log that I introduced two people to each other (a ``gave`` introduction)."""
    names = [ctx.store.get_person(p).name for p in person_ids]
    note = f"Introduced {' and '.join(names)}"
    if words:
        note += f" (matched on: {', '.join(words)})"
    types = [t.key for t in ctx.store.support_types() if t.key == "introductions"]
    entry = Entry(
        date=day,
        person_ids=list(person_ids),
        direction="gave",
        kind="introduction",
        support_types=types,
        note=note,
    )
    return _add_and_then(ctx, "Log introduction", entry, None)


def snooze(ctx: AppContext, key: str, until: date | None) -> None:
    """Hide an item until a day (``None``: for good); undo shows it again."""
    text = "Dismiss" if until is None else "Snooze"
    ctx.push(
        StoreCommand(
            ctx,
            text,
            lambda: ctx.store.dismiss(key, until),
            lambda: ctx.store.undismiss(key),
            DISMISSALS,
        )
    )
