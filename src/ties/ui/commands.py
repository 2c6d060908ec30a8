"""Undoable changes to the journal, one factory per user action.

Each function builds a :class:`~ties.ui.context.StoreCommand` whose redo and
undo are plain store calls, so undo works the same whichever place made the
change. Ids and uuids are kept across undo/redo, so a later command that
refers to an entry or person still finds it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from ties import quickadd
from ties.model import Entry, Person
from ties.store import DeletedPerson
from ties.ui.changes import Changes
from ties.ui.context import AppContext, StoreCommand

ENTRIES = Changes(entries=True)
PEOPLE = Changes(people=True)
#: Entries and the people they name (whose last contact moves with them).
ENTRIES_AND_PEOPLE = Changes(entries=True, people=True)


def _tr(text: str) -> str:
    """An undo-menu text in the user's language."""
    return QCoreApplication.translate("Commands", text)


def add_entry(ctx: AppContext, entry: Entry) -> Entry:
    """Save a new entry; returns it as stored."""
    state: dict[str, Entry] = {}

    def redo() -> None:
        state["entry"] = ctx.store.add_entry(state.get("entry", entry))

    def undo() -> None:
        ctx.store.delete_entry(state["entry"].id)  # type: ignore[arg-type]

    ctx.push(StoreCommand(ctx, _tr("Add entry"), redo, undo, ENTRIES))
    return state["entry"]


def update_entry(ctx: AppContext, entry: Entry) -> Entry:
    old = ctx.store.get_entry(entry.id)  # type: ignore[arg-type]
    state: dict[str, Entry] = {}

    def redo() -> None:
        state["entry"] = ctx.store.update_entry(entry)

    def undo() -> None:
        ctx.store.update_entry(old, touch=False)

    ctx.push(StoreCommand(ctx, _tr("Edit entry"), redo, undo, ENTRIES))
    return state["entry"]


def delete_entries(ctx: AppContext, entry_ids: list[int]) -> None:
    gone: list[Entry] = []

    def redo() -> None:
        gone.clear()
        with ctx.store.transaction():
            for eid in entry_ids:
                gone.append(ctx.store.delete_entry(eid))

    def undo() -> None:
        with ctx.store.transaction():
            for e in gone:
                ctx.store.add_entry(e)

    text = (
        _tr("Delete entry")
        if len(entry_ids) == 1
        else _tr("Delete {n} entries").format(n=len(entry_ids))
    )
    ctx.push(StoreCommand(ctx, text, redo, undo, ENTRIES_AND_PEOPLE))


def quick_add(ctx: AppContext, q: quickadd.QuickEntry) -> quickadd.LogResult:
    """Save a parsed quick-add line; undo removes the entry and anybody the line created."""
    state: dict[str, quickadd.LogResult] = {}

    def redo() -> None:
        prev = state.get("result")
        if prev is None:
            state["result"] = quickadd.save(ctx.store, q)
            return
        with ctx.store.transaction():  # put back the same people and entry (same ids)
            for p in prev.created:
                ctx.store.add_person(p)
            ctx.store.add_entry(prev.entry)

    def undo() -> None:
        result = state["result"]
        with ctx.store.transaction():
            ctx.store.delete_entry(result.entry.id)  # type: ignore[arg-type]
            for p in result.created:
                ctx.store.delete_person(p.id, with_entries=False)  # type: ignore[arg-type]

    ctx.push(StoreCommand(ctx, _tr("Quick-add entry"), redo, undo, ENTRIES_AND_PEOPLE))
    return state["result"]


def add_person(ctx: AppContext, person: Person) -> Person:
    state: dict[str, Person] = {}

    def redo() -> None:
        state["person"] = ctx.store.add_person(state.get("person", person))

    def undo() -> None:
        ctx.store.delete_person(state["person"].id, with_entries=False)  # type: ignore[arg-type]

    ctx.push(
        StoreCommand(
            ctx,
            _tr("Add {name}").format(name=person.name.strip()),
            redo,
            undo,
            PEOPLE,
        )
    )
    return state["person"]


def update_person(ctx: AppContext, person: Person, text: str | None = None) -> Person:
    old = ctx.store.get_person(person.id)  # type: ignore[arg-type]
    state: dict[str, Person] = {}

    def redo() -> None:
        state["person"] = ctx.store.update_person(person)

    def undo() -> None:
        ctx.store.update_person(old, touch=False)

    ctx.push(
        StoreCommand(ctx, text or _tr("Edit {name}").format(name=old.name), redo, undo, PEOPLE)
    )
    return state["person"]


def set_archived(ctx: AppContext, person_id: int, archived: bool) -> Person:
    p = ctx.store.get_person(person_id)
    text = _tr("Archive {name}") if archived else _tr("Unarchive {name}")
    return update_person(ctx, replace(p, archived=archived), text.format(name=p.name))


def delete_person(ctx: AppContext, person_id: int, *, with_entries: bool) -> DeletedPerson:
    state: dict[str, DeletedPerson] = {}
    name = ctx.store.get_person(person_id).name

    def redo() -> None:
        state["gone"] = ctx.store.delete_person(person_id, with_entries=with_entries)

    def undo() -> None:
        ctx.store.restore_person(state["gone"])

    ctx.push(
        StoreCommand(
            ctx,
            _tr("Delete {name}").format(name=name),
            redo,
            undo,
            ENTRIES_AND_PEOPLE,
        )
    )
    return state["gone"]


def save_entry(ctx: AppContext, entry: Entry, new_names: dict[int, str]) -> Entry:
    """Add or update an entry whose people may include new ones to create.

    ``entry.person_ids`` may hold negative placeholders, keys of ``new_names``;
    those people are created in the same transaction, and undo removes them
    again together with the entry (or the edit).
    """
    if not new_names:
        return add_entry(ctx, entry) if entry.id is None else update_entry(ctx, entry)
    old = ctx.store.get_entry(entry.id) if entry.id is not None else None
    created: list[Person] = []  # filled by the first run; redo puts back the same people
    saved: list[Entry] = []

    def redo() -> None:
        with ctx.store.transaction():
            if created:
                made = [ctx.store.add_person(p) for p in created]
            else:
                made = [ctx.store.add_person(Person(name=n)) for n in new_names.values()]
            ids = {key: p.id for key, p in zip(new_names, made, strict=True)}
            real = replace(entry, person_ids=[ids.get(i) or i for i in entry.person_ids])
            if saved:
                real = replace(real, id=saved[0].id, uuid=saved[0].uuid)
            result = ctx.store.add_entry(real) if old is None else ctx.store.update_entry(real)
        created[:] = made
        saved[:] = [result]

    def undo() -> None:
        with ctx.store.transaction():
            if old is None:
                ctx.store.delete_entry(saved[0].id)  # type: ignore[arg-type]
            else:
                ctx.store.update_entry(old, touch=False)
            for p in created:
                ctx.store.delete_person(p.id, with_entries=False)  # type: ignore[arg-type]

    ctx.push(
        StoreCommand(
            ctx,
            _tr("Add entry") if old is None else _tr("Edit entry"),
            redo,
            undo,
            ENTRIES_AND_PEOPLE,
        )
    )
    return saved[0]
