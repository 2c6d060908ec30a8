"""SQL for the entry list: each filter and sort shaped so that an index serves the page.

A list over a million entries has to show any page in milliseconds, so:

* sorted by date, a person filter walks ``entry_people_person`` (person, date,
  entry id) and never sorts;
* sorted by date, a support type that many entries carry is found by walking
  ``entries_date`` and probing ``entry_support``'s primary key for each entry
  (``EXISTS``); a rare one reads its few entries and sorts them;
* counts read a link table alone when the filter allows it;
* a page past the middle is read from the other end in the reverse order, so
  the last page costs what the first does. Every sort ends with the id, so the
  reversed order is the exact mirror image.

Tests in ``tests/test_query_plans.py`` check the plans SQLite picks for these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ties.store.errors import ValidationError


@dataclass
class EntryFilter:
    """What the entry list shows; every field narrows it, ``None`` means any."""

    person_id: int | None = None
    since: date | None = None
    until: date | None = None
    direction: str | None = None
    support_type: str | None = None
    kind: str | None = None
    tag: str | None = None  # entries naming someone with this tag (case ignored)


#: Sort key → ORDER BY template; ``{d}`` is ASC or DESC. Each ends with the id.
SORTS = {
    "date": "e.date {d}, e.id {d}",
    "person": "e.people_key {d}, e.date {d}, e.id {d}",  # Émile among the E's (v8)
    "kind": "e.kind {d}, e.date {d}, e.id {d}",
    "direction": "e.direction {d}, e.date {d}, e.id {d}",
    "weight": "e.weight {d}, e.date {d}, e.id {d}",
    "types": "e.types_label {d}, e.date {d}, e.id {d}",
    "note": "e.note COLLATE NOCASE {d}, e.date {d}, e.id {d}",
}

#: A page this far from both ends of a long list reads it in the reverse order.
REVERSE_FROM = 2_000
#: A support type on this many entries keeps its sorted ids for pages in the middle.
SORTED_IDS_FROM = 5_000

#: ``LIMIT 1`` keeps the subquery a per-entry probe of the primary key: without it SQLite
#: 3.51 (SQLCipher's, for encrypted journals) first builds a Bloom filter from the whole
#: type index, 10x slower for the first page of a million entries.
SUPPORT_EXISTS = (
    "EXISTS (SELECT 1 FROM entry_support s WHERE s.entry_id = {id} AND s.type_key = ? LIMIT 1)"
)
SUPPORT_IN = "e.id IN (SELECT entry_id FROM entry_support WHERE type_key = ?)"
PERSON_IN = "e.id IN (SELECT entry_id FROM entry_people WHERE person_id = ?)"
#: Entries naming anybody who carries a tag (``{id}``: the entry id column).
TAG_IN = (
    "{id} IN (SELECT t_ep.entry_id FROM person_tags t "
    "JOIN entry_people t_ep ON t_ep.person_id = t.person_id WHERE t.tag = ?)"
)


@dataclass
class EntryQuery:
    """FROM, WHERE and ORDER BY for one filter and sort.

    Attributes:
        source: the FROM clause (``e`` is always the entries table).
        where: `` WHERE …`` or an empty string.
        args: the values for ``where``'s placeholders.
        sort: the ORDER BY template (``{d}`` is the direction).
        id_col: the column that holds the entry's id.
    """

    source: str
    where: str
    args: list[Any]
    sort: str
    id_col: str = "e.id"

    def order_by(self, descending: bool) -> str:
        return " ORDER BY " + self.sort.format(d="DESC" if descending else "ASC")


def check_order(order: str) -> None:
    if order not in SORTS:
        raise ValidationError(f"Cannot sort entries by '{order}'.", "order")


def build(
    f: EntryFilter, order: str = "date", *, walk_support: bool = False, ids_only: bool = False
) -> EntryQuery:
    """The query for a filter and sort.

    ``walk_support`` asks for the support-type test as a per-row ``EXISTS``
    (good when the walk of the date index finds a page quickly) instead of a
    set that is then sorted (good for a rare type). ``ids_only`` is for a query
    that selects only ``id_col``: a person's entries then come from
    ``entry_people`` alone, without a lookup in ``entries`` for every row
    skipped by OFFSET.
    """
    check_order(order)
    clauses: list[str] = []
    args: list[Any] = []
    by_person = f.person_id is not None and order == "date"
    if by_person:
        needs_entries = not ids_only or bool(f.direction or f.kind)
        source = "entry_people ep"
        if needs_entries:
            source += " JOIN entries e ON e.id = ep.entry_id"
        clauses.append("ep.person_id = ?")
        args.append(f.person_id)
        day, id_col = "ep.date", "ep.entry_id"
        sort = "ep.date {d}, ep.entry_id {d}"
    else:
        source = "entries e"
        day, id_col = "e.date", "e.id"
        sort = SORTS[order]
        if f.person_id is not None:
            clauses.append(PERSON_IN)
            args.append(f.person_id)
    if f.since is not None:
        clauses.append(f"{day} >= ?")
        args.append(f.since.isoformat())
    if f.until is not None:
        clauses.append(f"{day} <= ?")
        args.append(f.until.isoformat())
    if f.direction:
        clauses.append("e.direction = ?")
        args.append(f.direction)
    if f.kind:
        clauses.append("e.kind = ?")
        args.append(f.kind)
    if f.support_type:
        exists = walk_support or by_person
        clauses.append(SUPPORT_EXISTS.format(id=id_col) if exists else SUPPORT_IN)
        args.append(f.support_type)
    if f.tag:
        clauses.append(TAG_IN.format(id=id_col))
        args.append(" ".join(f.tag.split()))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return EntryQuery(source, where, args, sort, id_col)


def count_sql(f: EntryFilter) -> tuple[str, list[Any]]:
    """The cheapest count for a filter: a link table alone when nothing else is asked."""
    if f == type(f)():  # everything: count through the smallest index, not the uuid one
        return "SELECT count(*) FROM entries WHERE date >= ''", []
    only_support = f.support_type and not (
        f.person_id is not None or f.since or f.until or f.direction or f.kind or f.tag
    )
    if only_support:
        return "SELECT count(*) FROM entry_support WHERE type_key = ?", [f.support_type]
    only_person = f.person_id is not None and not (f.direction or f.kind or f.support_type or f.tag)
    if only_person:
        sql = "SELECT count(*) FROM entry_people WHERE person_id = ?"
        args: list[Any] = [f.person_id]
        if f.since is not None:
            sql += " AND date >= ?"
            args.append(f.since.isoformat())
        if f.until is not None:
            sql += " AND date <= ?"
            args.append(f.until.isoformat())
        return sql, args
    q = build(f, "date", ids_only=True)
    return f"SELECT count(*) FROM {q.source}{q.where}", q.args


def walk_is_cheaper(matches: int, entries: int, offset: int, limit: int) -> bool:
    """Whether walking the date index beats sorting a support type's ``matches`` entries.

    Walking examines about (rows before the page, from the nearer end) / share
    entries; sorting looks up every match once. Both cost about one B-tree
    probe per row.
    """
    if matches <= 0 or entries <= 0:
        return False
    share = min(1.0, matches / entries)
    before = max(0, min(offset, matches - offset - limit))
    return (before + limit) / share < matches


def reversed_page(total: int, offset: int, limit: int) -> tuple[int, int] | None:
    """(offset, limit) of the same page read in the reverse order, when that is cheaper."""
    if offset < REVERSE_FROM or offset >= total:
        return None
    end = min(total, offset + limit)
    if total - end >= offset:
        return None
    return total - end, end - offset
