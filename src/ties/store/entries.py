"""Entries: validated writes with their people and support types, and paged reads.

Reads include the caches that keep a list view fast on a million entries: the
kept total of :func:`count_entries` and the sorted ids of ``_ids_in_order``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from operator import itemgetter
from typing import Any

from ties.model import DIRECTIONS, EARLIEST_ENTRY, KINDS, Entry, now_stamp
from ties.store import derived, entry_query, taxonomy
from ties.store.columns import Columns
from ties.store.core import StoreCore
from ties.store.entry_query import EntryFilter
from ties.store.errors import NotFoundError, ValidationError
from ties.store.values import _check_text, _d, _iso

#: What an entry says itself, as the user wrote it (every write sets these).
ENTRY_OWN = (
    "date",
    "time",
    "kind",
    "direction",
    "weight",
    "on_behalf_of",
    "note",
    "follow_up",
    "follow_up_done",
    "thanked",
    "types_label",
)
_OWN_IN_ORDER = itemgetter(*ENTRY_OWN)
#: The entries table; ``people_label`` is derived (:mod:`ties.store.derived`).
ENTRIES = Columns(
    "entries",
    (
        "id",
        "uuid",
        "date",
        "time",
        "kind",
        "direction",
        "weight",
        "on_behalf_of",
        "note",
        "follow_up",
        "follow_up_done",
        "thanked",
        "people_label",
        "types_label",
        "created",
        "updated",
    ),
)
#: The SELECT list of an entry row (``e`` is the entries table): what
#: :func:`iter_entry_rows` yields, in this order.
ENTRY_COLUMNS = ENTRIES.select("e")
_ADD_ENTRY = ENTRIES.insert(("id", "uuid", *ENTRY_OWN, "created", "updated"))
_UPDATE_ENTRY = ENTRIES.update((*ENTRY_OWN, "updated"))
_ID, _DATE = ENTRIES.at["id"], ENTRIES.at["date"]

#: The link tables, each row a copy of the entry's date, direction and weight (for indices).
ENTRY_PEOPLE = Columns(
    "entry_people", ("entry_id", "person_id", "position", "date", "direction", "weight")
)
ENTRY_SUPPORT = Columns("entry_support", ("entry_id", "type_key"))
ENTRY_PERSON_SUPPORT = Columns(
    "entry_person_support", ("entry_id", "person_id", "type_key", "date", "direction", "weight")
)
INSERT_ENTRY_PEOPLE = ENTRY_PEOPLE.insert(ENTRY_PEOPLE.names)
INSERT_ENTRY_SUPPORT = ENTRY_SUPPORT.insert(ENTRY_SUPPORT.names)
INSERT_ENTRY_PERSON_SUPPORT = ENTRY_PERSON_SUPPORT.insert(ENTRY_PERSON_SUPPORT.names)


def entry_values(e: Entry) -> tuple[Any, ...]:
    """The values of ``ENTRY_OWN``, in that order."""
    values = {
        "date": e.date.isoformat(),
        "time": e.time,
        "kind": e.kind,
        "direction": e.direction,
        "weight": e.weight,
        "on_behalf_of": e.on_behalf_of,
        "note": e.note,
        "follow_up": _iso(e.follow_up),
        "follow_up_done": int(e.follow_up_done),
        "thanked": int(e.thanked),
        "types_label": " ".join(sorted(e.support_types)),
    }
    return _OWN_IN_ORDER(values)


_ENTRY_FIELDS = ENTRIES.getter(
    "id",
    "uuid",
    "date",
    "time",
    "kind",
    "direction",
    "weight",
    "on_behalf_of",
    "note",
    "follow_up",
    "follow_up_done",
    "thanked",
    "people_label",
    "types_label",
    "created",
    "updated",
)


def _entry_from_row(r: Sequence[Any], person_ids: list[int]) -> Entry:
    """An :class:`Entry` from a row of ``ENTRY_COLUMNS`` and its people in order."""
    (
        id_,
        uuid,
        day,
        time,
        kind,
        direction,
        weight,
        on_behalf_of,
        note,
        follow_up,
        follow_up_done,
        thanked,
        people_label,
        types_label,
        created,
        updated,
    ) = _ENTRY_FIELDS(r)
    return Entry(
        id=id_,
        uuid=uuid,
        date=date.fromisoformat(day),
        time=time,
        kind=kind,
        direction=direction,
        weight=weight,
        on_behalf_of=on_behalf_of,
        note=note,
        follow_up=_d(follow_up),
        follow_up_done=bool(follow_up_done),
        thanked=bool(thanked),
        people_label=people_label,
        support_types=types_label.split() if types_label else [],
        created=created,
        updated=updated,
        person_ids=person_ids,
    )


def validate_entry(store: StoreCore, e: Entry) -> None:
    if not e.person_ids:
        raise ValidationError("An entry needs at least one person.", "people")
    if len(set(e.person_ids)) != len(e.person_ids):
        raise ValidationError("A person is named twice on this entry.", "people")
    if e.direction not in DIRECTIONS:
        raise ValidationError(f"Direction must be one of {', '.join(DIRECTIONS)}.", "direction")
    if e.kind not in KINDS:
        raise ValidationError(f"Kind must be one of {', '.join(KINDS)}.", "kind")
    if e.weight not in (1, 2, 3):
        raise ValidationError("Weight is 1 (small), 2 (medium) or 3 (large).", "weight")
    if e.date < EARLIEST_ENTRY:
        raise ValidationError(
            f"Entry dates start in {EARLIEST_ENTRY.year}: check the year.", "date"
        )
    if e.follow_up is not None and e.follow_up < e.date:
        raise ValidationError("The follow-up date is before the entry's date.", "follow_up")
    if e.time is not None and not _valid_time(e.time):
        raise ValidationError("Time must look like 14:30.", "time")
    _check_text(e.note, "note")
    known = {t.key for t in taxonomy.support_types(store, include_retired=True)}
    for key in e.support_types:
        if key not in known:
            raise ValidationError(taxonomy.unknown_type_message(store, key), "support_types")
    if len(set(e.support_types)) != len(e.support_types):
        raise ValidationError("A support type is named twice.", "support_types")


def add_entry(store: StoreCore, entry: Entry) -> Entry:
    """Save an entry with its people and support types in one transaction."""
    validate_entry(store, entry)
    stamp = now_stamp()
    with store.transaction() as conn:
        _check_people_exist(conn, entry)
        cur = conn.execute(
            _ADD_ENTRY,
            (
                entry.id,
                entry.uuid,
                *entry_values(entry),
                entry.created or stamp,
                entry.updated or stamp,
            ),
        )
        eid = int(cur.lastrowid)  # type: ignore[arg-type]
        count_changed(store, 1)
        _write_links(conn, eid, entry)
        derived.fts_in(conn, "entries_fts", [eid])
        derived.refresh_last_contact(conn, entry.person_ids)
    return get_entry(store, eid)


def update_entry(store: StoreCore, entry: Entry, *, touch: bool = True) -> Entry:
    if entry.id is None:
        raise NotFoundError("That entry has not been saved yet.")
    validate_entry(store, entry)
    with store.transaction() as conn:
        old = get_entry(store, entry.id)
        _check_people_exist(conn, entry)
        derived.fts_out(conn, "entries_fts", [entry.id])
        conn.execute(
            _UPDATE_ENTRY,
            (*entry_values(entry), now_stamp() if touch else entry.updated, entry.id),
        )
        conn.execute("DELETE FROM entry_people WHERE entry_id = ?", (entry.id,))
        conn.execute("DELETE FROM entry_support WHERE entry_id = ?", (entry.id,))
        conn.execute("DELETE FROM entry_person_support WHERE entry_id = ?", (entry.id,))
        _write_links(conn, entry.id, entry)
        derived.fts_in(conn, "entries_fts", [entry.id])
        derived.refresh_last_contact(conn, set(old.person_ids) | set(entry.person_ids))
    return get_entry(store, entry.id)


def delete_entry(store: StoreCore, entry_id: int) -> Entry:
    """Delete an entry; returns it as it was, so undo can add it back."""
    with store.transaction() as conn:
        old = get_entry(store, entry_id)
        derived.fts_out(conn, "entries_fts", [entry_id])
        conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
        count_changed(store, -1)
        derived.refresh_last_contact(conn, old.person_ids)
    return old


def _check_people_exist(conn: sqlite3.Connection, entry: Entry) -> None:
    ids = list(entry.person_ids) + ([entry.on_behalf_of] if entry.on_behalf_of else [])
    marks = ",".join("?" * len(ids))
    found = {r[0] for r in conn.execute(f"SELECT id FROM people WHERE id IN ({marks})", ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(f"No person with id {missing[0]}.", "people")


def _write_links(conn: sqlite3.Connection, eid: int, entry: Entry) -> None:
    day = entry.date.isoformat()
    conn.executemany(
        INSERT_ENTRY_PEOPLE,
        [
            (eid, pid, pos, day, entry.direction, entry.weight)
            for pos, pid in enumerate(entry.person_ids)
        ],
    )
    conn.executemany(
        INSERT_ENTRY_SUPPORT,
        [(eid, key) for key in entry.support_types],
    )
    conn.executemany(
        INSERT_ENTRY_PERSON_SUPPORT,
        [
            (eid, pid, key, day, entry.direction, entry.weight)
            for pid in entry.person_ids
            for key in entry.support_types
        ],
    )
    derived.refresh_entry_label(conn, eid)


def _entries_from_rows(store: StoreCore, rows: list[Sequence[Any]]) -> list[Entry]:
    if not rows:
        return []
    ids = [r[_ID] for r in rows]
    people: dict[int, list[int]] = {i: [] for i in ids}
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start : chunk_start + 900]
        marks = ",".join("?" * len(chunk))
        for eid, pid in store.conn.execute(
            f"SELECT entry_id, person_id FROM entry_people WHERE entry_id IN ({marks}) "
            "ORDER BY entry_id, position",
            chunk,
        ):
            people[eid].append(pid)
    return [_entry_from_row(r, people[r[_ID]]) for r in rows]


def get_entry(store: StoreCore, entry_id: int) -> Entry:
    found = get_entries(store, [entry_id])
    if not found:
        raise NotFoundError(f"There is no entry with id {entry_id}.")
    return found[0]


def get_entries(store: StoreCore, ids: Sequence[int]) -> list[Entry]:
    out: list[Entry] = []
    for start in range(0, len(ids), 900):
        chunk = list(ids[start : start + 900])
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.id IN ({marks}) ORDER BY e.id",
            chunk,
        ).fetchall()
        out.extend(_entries_from_rows(store, rows))
    return out


def get_entry_by_uuid(store: StoreCore, uuid: str) -> Entry | None:
    row = store.conn.execute("SELECT id FROM entries WHERE uuid = ?", (uuid,)).fetchone()
    return get_entry(store, row[0]) if row else None


def list_entries(
    store: StoreCore,
    filt: EntryFilter | None = None,
    *,
    order: str = "date",
    descending: bool = True,
    offset: int = 0,
    limit: int | None = 200,
    total: int | None = None,
) -> list[Entry]:
    """One page of entries; the list views fetch pages, never the whole table.

    ``total`` is the filter's :meth:`count_entries`, when the caller knows
    it: a page past the middle is then read from the other end, as fast as
    the first page. Without it, a far page counts first.
    """
    f = filt or EntryFilter()
    entry_query.check_order(order)
    walk = False
    if f.support_type and order == "date" and f.person_id is None and limit is not None:
        matches = store.conn.execute(
            "SELECT count(*) FROM entry_support WHERE type_key = ?", (f.support_type,)
        ).fetchone()[0]
        entries = store.conn.execute("SELECT max(id) FROM entries").fetchone()[0] or 0
        walk = entry_query.walk_is_cheaper(matches, entries, offset, limit)
        if not walk and matches >= entry_query.SORTED_IDS_FROM:
            page = _ids_in_order(store, f, order, descending)[offset : offset + limit]
            by_id = {e.id: e for e in get_entries(store, page)}
            return [by_id[i] for i in page if i in by_id]
    if limit is None:
        q = entry_query.build(f, order)
        sql = f"SELECT {ENTRY_COLUMNS} FROM {q.source}{q.where}{q.order_by(descending)}"
        return _entries_from_rows(store, store.conn.execute(sql, q.args).fetchall())
    # The page's ids first (often from an index alone), then its rows by id.
    q = entry_query.build(f, order, walk_support=walk, ids_only=True)
    sql = f"SELECT {q.id_col} FROM {q.source}{q.where}"
    flip = None
    if offset >= entry_query.REVERSE_FROM:
        flip = entry_query.reversed_page(
            count_entries(store, f) if total is None else total, offset, limit
        )
    if flip is not None:
        offset, limit = flip
    order_by = q.order_by(descending if flip is None else not descending)
    ids = [
        r[0]
        for r in store.conn.execute(sql + order_by + " LIMIT ? OFFSET ?", [*q.args, limit, offset])
    ]
    if flip is not None:
        ids.reverse()
    by_id = {e.id: e for e in get_entries(store, ids)}
    return [by_id[i] for i in ids if i in by_id]


def iter_entry_rows(store: StoreCore, batch: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
    """Every entry as a plain row, in the order written (by id), in batches: for exports.

    Each row holds the columns of ``ENTRY_COLUMNS`` followed by a tuple of
    the entry's people ids in order. Rows are read by id ranges (the table's
    own order) and build no ``Entry`` objects, which makes streaming a very
    large journal several times faster than :meth:`iter_entries`.
    """
    last = 0
    while True:
        rows = store.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.id > ? ORDER BY e.id LIMIT ?",
            (last, batch),
        ).fetchall()
        if not rows:
            return
        people: dict[int, list[int]] = {r[_ID]: [] for r in rows}
        for eid, pid in store.conn.execute(
            "SELECT entry_id, person_id FROM entry_people WHERE entry_id BETWEEN ? AND ? "
            "ORDER BY entry_id, position",
            (rows[0][_ID], rows[-1][_ID]),
        ):
            people[eid].append(pid)
        last = rows[-1][_ID]
        yield [(*r, tuple(people[r[_ID]])) for r in rows]


def iter_entries(store: StoreCore, batch: int = 2000) -> Iterator[list[Entry]]:
    """Every entry, oldest first (date, then id), in batches: exports stream through this.

    Pages by key rather than by offset, so each batch costs the same however
    far into a large journal it is.
    """
    last: tuple[str, int] | None = None
    while True:
        if last is None:
            rows = store.conn.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries e ORDER BY e.date, e.id LIMIT ?",
                (batch,),
            ).fetchall()
        else:
            rows = store.conn.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries e WHERE (e.date, e.id) > (?, ?) "
                "ORDER BY e.date, e.id LIMIT ?",
                (*last, batch),
            ).fetchall()
        if not rows:
            return
        last = (rows[-1][_DATE], rows[-1][_ID])
        yield _entries_from_rows(store, rows)


def entry_ids(
    store: StoreCore,
    filt: EntryFilter | None = None,
    *,
    order: str = "date",
    descending: bool = True,
) -> list[int]:
    """Ids of the matching entries in display order (for sorts no index serves).

    A list view sorted by, say, note cannot page with OFFSET quickly over a
    million rows; it reads the ids once (a few MB) and then fetches pages of
    rows by id with :meth:`get_entries`.
    """
    q = entry_query.build(filt or EntryFilter(), order, ids_only=True)
    sql = f"SELECT {q.id_col} FROM {q.source}{q.where}{q.order_by(descending)}"
    return [r[0] for r in store.conn.execute(sql, q.args)]


def _ids_in_order(store: StoreCore, f: EntryFilter, order: str, descending: bool) -> list[int]:
    """Every matching id in order, read once and kept until the journal changes.

    For the middle of a long support-type list, where neither end of the
    date index is near: the first such page sorts the matches (~0.2 s for
    46,000 of a million), the pages after it are slices.
    """
    version = int(store.conn.execute("PRAGMA data_version").fetchone()[0])
    key = (repr(f), order, descending, version, store.conn.total_changes)
    if store._sorted_ids is None or store._sorted_ids[0] != key:
        if f.support_type and f == EntryFilter(support_type=f.support_type) and order == "date":
            ids = type_ids_by_date(store, f.support_type, descending)
        else:
            ids = entry_ids(store, f, order=order, descending=descending)
        store._sorted_ids = (key, ids)
    return store._sorted_ids[1]


#: The ids of a support type's entries by date, from the per-person support index alone.
TYPE_IDS_SQL = (
    "SELECT date, entry_id FROM entry_person_support INDEXED BY entry_person_support_type "
    "WHERE type_key = ?"
)


def type_ids_by_date(store: StoreCore, type_key: str, descending: bool = True) -> list[int]:
    """Ids of the entries of one support type, by date then id (as the list sorts them).

    Read from ``entry_person_support_type`` (type, direction, date, person, entry:
    a row per person of each entry), a few hundred pages for 46,000 entries of a
    million, instead of every entry's row (30,000 pages, 0.45 s on a new connection
    to an encrypted journal, which decrypts each page it reads; 0.09 s plain); the
    pairs are deduplicated and sorted here.
    """
    rows = store.conn.execute(TYPE_IDS_SQL, (type_key,)).fetchall()
    return [eid for _day, eid in sorted(set(rows), reverse=descending)]


def count_entries(store: StoreCore, filt: EntryFilter | None = None) -> int:
    """How many entries match; the total is counted once, then kept up to date.

    Counting a million entries reads a 23 MB index (~40 ms); the list asks
    for the total after every edit, so this store adjusts it on its own
    writes and counts again only when another connection wrote.
    """
    f = filt or EntryFilter()
    sql, args = entry_query.count_sql(f)
    if f != EntryFilter():
        return int(store.conn.execute(sql, args).fetchone()[0])
    version = int(store.conn.execute("PRAGMA data_version").fetchone()[0])
    if store._entry_count is None or store._entry_count[0] != version:
        store._entry_count = (version, int(store.conn.execute(sql, args).fetchone()[0]))
    return store._entry_count[1]


def count_changed(store: StoreCore, delta: int) -> None:
    if store._entry_count is not None:
        store._entry_count = (store._entry_count[0], store._entry_count[1] + delta)


def person_history(store: StoreCore, person_id: int, limit: int | None = None) -> list[Entry]:
    """A person's entries, newest first."""
    return list_entries(store, EntryFilter(person_id=person_id), limit=limit)


def set_follow_up_done(store: StoreCore, entry_id: int, done: bool) -> Entry:
    e = get_entry(store, entry_id)
    return update_entry(store, replace(e, follow_up_done=done))


def set_thanked(store: StoreCore, entry_id: int, thanked: bool) -> Entry:
    e = get_entry(store, entry_id)
    return update_entry(store, replace(e, thanked=thanked))


def _valid_time(value: str) -> bool:
    import re

    m = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    return bool(m) and int(m.group(1)) < 24 and int(m.group(2)) < 60  # type: ignore[union-attr]
