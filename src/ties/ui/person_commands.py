"""Undoable changes to a person beyond their profile: photo, links, merging (issue #15).

Like :mod:`ties.ui.commands`, each builds a :class:`~ties.ui.context.StoreCommand`
whose redo and undo are store calls; the store returns what undo needs (the
photo or link replaced, the :class:`~ties.store.merge.Merge` record).
"""

from __future__ import annotations

from datetime import date

from ties.model import PersonLink
from ties.store.merge import Merge
from ties.ui.commands import ENTRIES_AND_PEOPLE, PEOPLE, _tr
from ties.ui.context import AppContext, StoreCommand


def set_photo(ctx: AppContext, person_id: int, data: bytes | None) -> None:
    """Set (bytes) or remove (None) a person's photo."""
    name = ctx.store.get_person(person_id).name
    before: dict[str, bytes | None] = {}

    def redo() -> None:
        before["photo"] = ctx.store.set_photo(person_id, data)

    def undo() -> None:
        ctx.store.set_photo(person_id, before["photo"])

    text = _tr("Set photo of {name}") if data is not None else _tr("Remove photo of {name}")
    ctx.push(StoreCommand(ctx, text.format(name=name), redo, undo, PEOPLE))


def link(
    ctx: AppContext,
    a_id: int,
    b_id: int,
    relation: str,
    directed: bool = False,
    since: date | None = None,
) -> None:
    """Link two people; undo puts back the link they had before, if any."""
    names = ctx.store.get_person(a_id).name, ctx.store.get_person(b_id).name
    replaced: dict[str, PersonLink | None] = {}

    def redo() -> None:
        replaced["old"] = ctx.store.link(a_id, b_id, relation, directed, since)

    def undo() -> None:
        with ctx.store.transaction():
            ctx.store.unlink(a_id, b_id)
            old = replaced["old"]
            if old is not None:
                ctx.store.restore_link(a_id, old)

    text = _tr("Link {a} and {b}").format(a=names[0], b=names[1])
    ctx.push(StoreCommand(ctx, text, redo, undo, PEOPLE))


def unlink(ctx: AppContext, a_id: int, b_id: int) -> None:
    names = ctx.store.get_person(a_id).name, ctx.store.get_person(b_id).name
    removed: dict[str, PersonLink | None] = {}

    def redo() -> None:
        removed["old"] = ctx.store.unlink(a_id, b_id)

    def undo() -> None:
        old = removed["old"]
        if old is not None:
            ctx.store.restore_link(a_id, old)

    text = _tr("Unlink {a} and {b}").format(a=names[0], b=names[1])
    ctx.push(StoreCommand(ctx, text, redo, undo, PEOPLE))


def merge_people(ctx: AppContext, keep_id: int, other_id: int) -> None:
    """Merge OTHER into KEEP: one undo step, undone by the store's :class:`Merge` record."""
    names = ctx.store.get_person(keep_id).name, ctx.store.get_person(other_id).name
    record: dict[str, Merge] = {}

    def redo() -> None:
        record["merge"] = ctx.store.merge_people(keep_id, other_id)

    def undo() -> None:
        ctx.store.unmerge_people(record["merge"])

    text = _tr("Merge {other} into {keep}").format(keep=names[0], other=names[1])
    ctx.push(StoreCommand(ctx, text, redo, undo, ENTRIES_AND_PEOPLE))
