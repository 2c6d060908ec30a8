"""Merging two records of one person into one, and undoing it.

Everything OTHER has moves to KEEP: entries (and on-behalf-of), details,
dates, tags, kept vCard lines, links and the photo when KEEP has none; text
fields KEEP left empty take OTHER's. OTHER is then deleted. It all happens in
one transaction, and :func:`merge_people` returns a :class:`Merge` record from
which :func:`unmerge_people` restores both people exactly (the window's one
undo step).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ties.model import Entry, Person, PersonLink
from ties.store import entries, links, people, person_details
from ties.store.core import StoreCore
from ties.store.errors import ValidationError

#: Text fields of KEEP that take OTHER's value when KEEP's is empty.
_FILL_IF_EMPTY = ("organization", "role", "how_met", "interests", "needs", "offers")


@dataclass
class Merge:
    """What :func:`merge_people` changed, so :func:`unmerge_people` can put it back."""

    keep_before: Person
    other: Person
    other_links: list[PersonLink] = field(default_factory=list)
    other_photo: bytes | None = None
    photo_moved: bool = False
    entries_before: list[Entry] = field(default_factory=list)
    #: Links made for KEEP in place of OTHER's, as (a_id, b_id).
    links_added: list[tuple[int, int]] = field(default_factory=list)


def merged_person(keep: Person, other: Person) -> Person:
    """KEEP as it will be after the merge (also the window's side-by-side preview)."""
    merged = person_details.merged_lists(keep, other)
    fills = {name: getattr(other, name) for name in _FILL_IF_EMPTY if not getattr(keep, name)}
    notes = keep.notes
    if other.notes.strip() and other.notes.strip() not in notes:
        notes = f"{notes}\n\n{other.notes}" if notes.strip() else other.notes
    met = [d for d in (keep.met_on, other.met_on) if d is not None]
    phases = keep.life_phases + [x for x in other.life_phases if x not in keep.life_phases]
    return replace(
        merged,
        **fills,
        notes=notes,
        met_on=min(met) if met else None,
        life_phases=phases,
        cadence_days=keep.cadence_days or other.cadence_days,
    )


def merge_people(store: StoreCore, keep_id: int, other_id: int) -> Merge:
    """Move everything of OTHER to KEEP and delete OTHER, in one transaction."""
    if keep_id == other_id:
        raise ValidationError("A person cannot be merged into themselves.", "people")
    keep = people.get_person(store, keep_id)
    other = people.get_person(store, other_id)
    record = Merge(
        keep_before=keep,
        other=other,
        other_links=links.links(store, other_id),
        other_photo=person_details.get_photo(store, other_id),
    )
    ids = [
        r[0]
        for r in store.conn.execute(
            "SELECT entry_id FROM entry_people WHERE person_id = ? UNION "
            "SELECT id FROM entries WHERE on_behalf_of = ?",
            (other_id, other_id),
        )
    ]
    record.entries_before = entries.get_entries(store, ids)
    with store.transaction():
        for e in record.entries_before:
            moved = [keep_id if pid == other_id else pid for pid in e.person_ids]
            moved = list(dict.fromkeys(moved))
            behalf = keep_id if e.on_behalf_of == other_id else e.on_behalf_of
            if behalf in moved:
                behalf = None  # "on behalf of" someone the entry already names
            entries.update_entry(
                store, replace(e, person_ids=moved, on_behalf_of=behalf), touch=False
            )
        mine = {x.other_id for x in links.links(store, keep_id)}
        for x in record.other_links:
            if x.other_id == keep_id or x.other_id in mine:
                continue  # a link between the two, or one KEEP has already: collapsed
            a, b = (x.other_id, keep_id) if x.incoming else (keep_id, x.other_id)
            links.link(store, a, b, x.relation, x.directed, x.since)
            record.links_added.append((a, b))
            mine.add(x.other_id)
        if record.other_photo is not None and not keep.has_photo:
            person_details.set_photo(store, keep_id, record.other_photo)
            record.photo_moved = True
        people.delete_person(store, other_id)
        people.update_person(store, merged_person(keep, other))
    return record


def unmerge_people(store: StoreCore, record: Merge) -> None:
    """Undo :func:`merge_people`: OTHER back with its id, entries, links and photo."""
    keep_id = record.keep_before.id
    assert keep_id is not None and record.other.id is not None
    with store.transaction():
        for a, b in record.links_added:
            links.unlink(store, a, b)
        if record.photo_moved:
            person_details.set_photo(store, keep_id, None)
        people.update_person(store, record.keep_before, touch=False)
        people.add_person(store, record.other)
        for x in record.other_links:
            links.restore_link(store, record.other.id, x)
        if record.other_photo is not None:
            person_details.set_photo(store, record.other.id, record.other_photo)
        for e in record.entries_before:
            entries.update_entry(store, e, touch=False)
