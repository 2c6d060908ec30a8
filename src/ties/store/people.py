"""People: reading, matching names, writing, and deleting with undo."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter
from typing import Any

from ties.model import Entry, Person, PersonLink, now_stamp
from ties.store import derived, entries, links, person_details, taxonomy
from ties.store.columns import Columns
from ties.store.core import StoreCore
from ties.store.errors import InUseError, NotFoundError, ValidationError
from ties.store.search import fold
from ties.store.values import _check_text, _d, _iso

#: What a person's record says, as the user wrote it (every write sets these).
PERSON_OWN = (
    "name",
    "circle",
    "organization",
    "role",
    "how_met",
    "met_on",
    "life_phases",
    "closeness",
    "mutuality",
    "interests",
    "needs",
    "offers",
    "notes",
    "cadence_days",
    "archived",
    "birthday",
)
_OWN_IN_ORDER = itemgetter(*PERSON_OWN)
#: The people table; ``last_contact`` is derived (:mod:`ties.store.derived`) and
#: ``contact_words`` repeats e-mails, phones and tags for the search index.
PEOPLE = Columns(
    "people", ("id", "uuid", *PERSON_OWN, "last_contact", "contact_words", "created", "updated")
)
PERSON_COLUMNS = PEOPLE.select()
#: Adds a person: by hand, on undo, and many at once (:mod:`ties.store.bulk_load`);
#: the values are ``id, uuid, *person_values(p), contact_words(p), created, updated``.
INSERT_PERSON = PEOPLE.insert(("id", "uuid", *PERSON_OWN, "contact_words", "created", "updated"))
_UPDATE_PERSON = PEOPLE.update((*PERSON_OWN, "contact_words", "updated"))
#: Sort key → ORDER BY template (``{d}``: ASC or DESC). Names sort by their folded form
#: (``ties_fold``: case and accents ignored, as search and matching do), so Émile comes
#: between Dmitri and Esther, not after Zoe; the spelling, then the id, break ties.
_NAME = "ties_fold(CAST(name AS BLOB))"
PEOPLE_SORTS = {
    "name": _NAME + " {d}, name {d}, id",
    "circle": "circle {d}, " + _NAME + ", id",
    "closeness": "closeness {d}, " + _NAME + ", id",
    "organization": "ties_fold(CAST(organization AS BLOB)) {d}, " + _NAME + ", id",
    "last_contact": "last_contact {d}, " + _NAME + ", id",
}


@lru_cache(maxsize=65536)
def _cached_fold(text: bytes) -> str:
    return fold(text.decode("utf-8", errors="replace"))


def _sql_fold(text: bytes | None) -> str | None:
    # Handed the bytes (CAST AS BLOB), not text: a damaged, undecodable name sorts somewhere
    # instead of failing the whole list; reading that row still says the journal is damaged.
    return _cached_fold(bytes(text)) if text is not None else None


def register_fold(conn: sqlite3.Connection) -> None:
    """Make ``ties_fold(CAST(text AS BLOB))`` (:func:`ties.store.search.fold`) usable on ``conn``.

    Deterministic, so SQLite computes it once a row before sorting (no index can hold it;
    10,000 names take a few milliseconds)."""
    conn.create_function("ties_fold", 1, _sql_fold, deterministic=True)


@dataclass
class PeopleFilter:
    circle: str | None = None
    closeness: int | None = None
    archived: bool | None = False  # None: both
    text: str | None = None  # name substring
    tag: str | None = None  # people carrying this tag (case ignored)


@dataclass
class DeletedPerson:
    """Everything :meth:`Store.delete_person` removed, so undo can put it back."""

    person: Person
    entries: list[Entry] = field(default_factory=list)  # deleted: named only this person
    shared: list[Entry] = field(default_factory=list)  # kept, with this person removed
    behalf_entry_ids: list[int] = field(default_factory=list)
    links: list[PersonLink] = field(default_factory=list)
    photo: bytes | None = None


_PERSON_FIELDS = PEOPLE.getter(
    "id",
    "uuid",
    "name",
    "circle",
    "organization",
    "role",
    "how_met",
    "met_on",
    "life_phases",
    "closeness",
    "mutuality",
    "interests",
    "needs",
    "offers",
    "notes",
    "cadence_days",
    "archived",
    "last_contact",
    "created",
    "updated",
    "birthday",
)


def _person_from_row(row: Sequence[Any]) -> Person:
    (
        id_,
        uuid,
        name,
        circle,
        organization,
        role,
        how_met,
        met_on,
        life_phases,
        closeness,
        mutuality,
        interests,
        needs,
        offers,
        notes,
        cadence_days,
        archived,
        last_contact,
        created,
        updated,
        birthday,
    ) = _PERSON_FIELDS(row)
    return Person(
        id=id_,
        uuid=uuid,
        name=name,
        circle=circle,
        organization=organization,
        role=role,
        how_met=how_met,
        met_on=_d(met_on),
        life_phases=json.loads(life_phases or "[]"),
        closeness=closeness,
        mutuality=mutuality,
        interests=interests,
        needs=needs,
        offers=offers,
        notes=notes,
        cadence_days=cadence_days,
        archived=bool(archived),
        last_contact=_d(last_contact),
        created=created,
        updated=updated,
        birthday=birthday,
    )


def _people_from_rows(store: StoreCore, rows: Sequence[Sequence[Any]]) -> list[Person]:
    return person_details.attach_details(store, [_person_from_row(r) for r in rows])


def validate_person(store: StoreCore, p: Person) -> None:
    """Raise :class:`ValidationError` naming the field that is wrong."""
    if not p.name or not p.name.strip():
        raise ValidationError("A person needs a name.", "name")
    if len(p.name) > 500:
        raise ValidationError("That name is too long (at most 500 characters).", "name")
    if "\x00" in p.name:
        # SQLite's text functions stop at NUL: "\x00" passes the check above and then
        # fails the table's CHECK with a raw IntegrityError.
        raise ValidationError("A name cannot contain a NUL character.", "name")
    if p.closeness not in (1, 2, 3, 4, 5):
        raise ValidationError(
            "Closeness goes from 1 (acquaintance) to 5 (inner circle).", "closeness"
        )
    if p.mutuality not in (-1, 0, 1):
        raise ValidationError("Mutuality is -1, 0 or +1.", "mutuality")
    if p.cadence_days is not None and p.cadence_days < 1:
        raise ValidationError("The contact cadence must be at least one day.", "cadence_days")
    if p.circle not in {c.key for c in taxonomy.circles(store, include_retired=True)}:
        valid = ", ".join(c.key for c in taxonomy.circles(store))
        raise ValidationError(f"Unknown circle '{p.circle}'. Circles: {valid}.", "circle")
    for name in ("organization", "role", "how_met", "interests", "needs", "offers", "notes"):
        _check_text(getattr(p, name), name)
    person_details.validate_details(p)


def person_values(p: Person) -> tuple[Any, ...]:
    """The values of ``PERSON_OWN``, in that order."""
    phases = [s.strip() for s in p.life_phases if s and s.strip()]
    values = {
        "name": p.name.strip(),
        "circle": p.circle,
        "organization": p.organization.strip(),
        "role": p.role.strip(),
        "how_met": p.how_met.strip(),
        "met_on": _iso(p.met_on),
        "life_phases": json.dumps(phases, ensure_ascii=False),
        "closeness": p.closeness,
        "mutuality": p.mutuality,
        "interests": p.interests,
        "needs": p.needs,
        "offers": p.offers,
        "notes": p.notes,
        "cadence_days": p.cadence_days,
        "archived": int(p.archived),
        "birthday": p.birthday or None,
    }
    return _OWN_IN_ORDER(values)


def add_person(store: StoreCore, person: Person) -> Person:
    """Insert a person (keeping its uuid, and its id when set, for undo and merges)."""
    validate_person(store, person)
    stamp = now_stamp()
    created = person.created or stamp
    updated = person.updated or stamp
    with store.transaction() as conn:
        cur = conn.execute(
            INSERT_PERSON,
            (
                person.id,
                person.uuid,
                *person_values(person),
                person_details.contact_words(person),
                created,
                updated,
            ),
        )
        pid = int(cur.lastrowid)  # type: ignore[arg-type]
        person_details.insert_details(conn, [replace(person, id=pid)])
        derived.fts_in(conn, "people_fts", [pid])
    return get_person(store, pid)


def update_person(store: StoreCore, person: Person, *, touch: bool = True) -> Person:
    if person.id is None:
        raise NotFoundError("That person has not been saved yet.")
    validate_person(store, person)
    old = get_person(store, person.id)
    updated = now_stamp() if touch else person.updated
    with store.transaction() as conn:
        derived.fts_out(conn, "people_fts", [person.id])
        conn.execute(
            _UPDATE_PERSON,
            (*person_values(person), person_details.contact_words(person), updated, person.id),
        )
        person_details.write_details(conn, [person])
        derived.fts_in(conn, "people_fts", [person.id])
        if old.name != person.name.strip():
            derived.refresh_people_labels_for(conn, person.id)
    return get_person(store, person.id)


def set_archived(store: StoreCore, person_id: int, archived: bool) -> Person:
    p = get_person(store, person_id)
    return update_person(store, replace(p, archived=archived))


def get_person(store: StoreCore, person_id: int) -> Person:
    row = store.conn.execute(
        f"SELECT {PERSON_COLUMNS} FROM people WHERE id = ?", (person_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"There is no person with id {person_id}.")
    return _people_from_rows(store, [row])[0]


def get_person_by_uuid(store: StoreCore, uuid: str) -> Person | None:
    row = store.conn.execute(
        f"SELECT {PERSON_COLUMNS} FROM people WHERE uuid = ?", (uuid,)
    ).fetchone()
    return _people_from_rows(store, [row])[0] if row else None


def name_taken_by(store: StoreCore, name: str, except_id: int | None = None) -> Person | None:
    """Someone else already called ``name`` (ignoring case and accents), if anyone.

    Adding or renaming someone by hand, in the window or on the command line,
    refuses such a name: quick-add and every command pick people by name.
    Imports may still bring two people of one name (different organisations);
    the command line then takes their uuids.
    """
    return next((p for p in people_named(store, name) if p.id != except_id), None)


def people_named(store: StoreCore, name: str) -> list[Person]:
    """People whose name is ``name``, ignoring case and accents."""
    rows = store.conn.execute(
        f"SELECT {PERSON_COLUMNS} FROM people WHERE name = ? COLLATE NOCASE", (name.strip(),)
    ).fetchall()
    if not rows:
        return _people_by_ids(store, _folded_names(store).get(fold(name), []))
    return _people_from_rows(store, rows)


def _folded_names(store: StoreCore) -> dict[str, list[int]]:
    """Folded name → person ids, rebuilt only after a write (ours or another process's).

    Matching names without case and accents cannot use an index, and
    folding 10,000 names on every quick-add keystroke costs a noticeable
    fraction of a second; ``PRAGMA data_version`` tells when others wrote.
    """
    version = (store.conn.execute("PRAGMA data_version").fetchone()[0], store.conn.total_changes)
    if store._fold_index is None or store._fold_index[0] != version:
        index: dict[str, list[int]] = {}
        for pid, name in store.conn.execute("SELECT id, name FROM people"):
            index.setdefault(fold(name), []).append(pid)
        store._fold_index = (version, index)
    return store._fold_index[1]


def resolve_person(store: StoreCore, name: str) -> Person | None:
    """The one person a quick-add ``@name`` means, or ``None`` if nobody matches.

    An exact name (case- and accent-insensitive) wins; otherwise a unique
    person whose first name or name start matches. Ambiguity is an error
    that lists the candidates.
    """
    named = people_named(store, name)
    exact = [p for p in named if not p.archived] or named
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        names = ", ".join(f"{p.name} ({p.organization or p.circle})" for p in exact[:6])
        raise ValidationError(f"'@{name}' could mean several people: {names}.", "people")
    starts = people_starting(store, name)
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        names = ", ".join(p.name for p in starts[:6])
        raise ValidationError(
            f"'@{name}' could mean several people: {names}. Write the full name in quotes,"
            f' e.g. @"{starts[0].name}".',
            "people",
        )
    return None


def people_starting(store: StoreCore, name: str) -> list[Person]:
    """Unarchived people whose name begins with the word(s) ``name`` (at most 50).

    ``Cara`` finds Cara Sato and Cara Lin, ignoring case and accents: how a
    first name alone picks a person when it is unique.
    """
    want = fold(name) + " "
    ids = [
        pid for key, pids in _folded_names(store).items() if key.startswith(want) for pid in pids
    ]
    return [p for p in _people_by_ids(store, ids[:50]) if not p.archived]


def _people_by_ids(store: StoreCore, ids: list[int]) -> list[Person]:
    """People by id in the order given, read (with their lists) in one go."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.conn.execute(
        f"SELECT {PERSON_COLUMNS} FROM people WHERE id IN ({marks})", ids
    ).fetchall()
    by_id = {p.id: p for p in _people_from_rows(store, rows)}
    return [by_id[i] for i in ids if i in by_id]


def _people_where(f: PeopleFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if f.circle:
        clauses.append("circle = ?")
        args.append(f.circle)
    if f.closeness:
        clauses.append("closeness = ?")
        args.append(f.closeness)
    if f.archived is not None:
        clauses.append("archived = ?")
        args.append(int(f.archived))
    if f.text:
        # case and accents ignored: "emile" finds Émile (issue #17 item 12); the caller
        # registers ``ties_fold`` on the connection (:func:`register_fold`)
        clauses.append(_NAME + " LIKE ? ESCAPE '\\'")
        args.append("%" + _like_escape(fold(f.text)) + "%")
    if f.tag:
        clauses.append("id IN (SELECT person_id FROM person_tags WHERE tag = ?)")
        args.append(" ".join(f.tag.split()))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def list_people(
    store: StoreCore,
    filt: PeopleFilter | None = None,
    *,
    order: str = "name",
    descending: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> list[Person]:
    where, args = _people_where(filt or PeopleFilter())
    sort = PEOPLE_SORTS.get(order)
    if sort is None:
        raise ValidationError(f"Cannot sort people by '{order}'.", "order")
    register_fold(store.conn)
    sql = f"SELECT {PERSON_COLUMNS} FROM people{where} ORDER BY " + sort.format(
        d="DESC" if descending else "ASC"
    )
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    return _people_from_rows(store, store.conn.execute(sql, args).fetchall())


def people_matching(
    store: StoreCore, text: str, *, archived: bool | None = False, limit: int = 15
) -> list[Person]:
    """People whose name contains ``text``; those with a name word starting with it first.

    For completion: typing "An" offers Ana Ruiz and Sven Andersson before
    Joanna Lee, then alphabetically.
    """
    where, args = _people_where(PeopleFilter(text=text, archived=archived))
    esc = _like_escape(fold(text))
    sql = (
        f"SELECT {PERSON_COLUMNS} FROM people{where} ORDER BY "
        f"CASE WHEN {_NAME} LIKE ? ESCAPE '\\' OR {_NAME} LIKE ? ESCAPE '\\' THEN 0 ELSE 1 END, "
        f"{_NAME}, id LIMIT ?"
    )
    register_fold(store.conn)  # "Émile" with the E's, not after Z (issue #17 item 12)
    args += [esc + "%", "% " + esc + "%", limit]
    return _people_from_rows(store, store.conn.execute(sql, args).fetchall())


def find_people_by_detail(store: StoreCore, kind: str, value: str) -> list[Person]:
    """People with this e-mail (case ignored), phone (the same digits) or web link (``url``).

    For import matching: the same person met again in another file.
    """
    return [get_person(store, i) for i in person_details.ids_by_detail(store, kind, value)]


def count_people(store: StoreCore, filt: PeopleFilter | None = None) -> int:
    where, args = _people_where(filt or PeopleFilter())
    register_fold(store.conn)
    return int(store.conn.execute(f"SELECT count(*) FROM people{where}", args).fetchone()[0])


def person_entry_count(store: StoreCore, person_id: int) -> int:
    return int(
        store.conn.execute(
            "SELECT count(*) FROM entry_people WHERE person_id = ?", (person_id,)
        ).fetchone()[0]
    )


def person_entry_split(store: StoreCore, person_id: int) -> tuple[int, int]:
    """(entries naming only this person, entries shared with others): what
    :meth:`delete_person` with entries deletes, and what it only takes them off."""
    row = store.conn.execute(
        "SELECT coalesce(sum(n = 1), 0), coalesce(sum(n > 1), 0) FROM ("
        "SELECT (SELECT count(*) FROM entry_people x WHERE x.entry_id = ep.entry_id) AS n "
        "FROM entry_people ep WHERE ep.person_id = ?)",
        (person_id,),
    ).fetchone()
    return int(row[0]), int(row[1])


def delete_person(store: StoreCore, person_id: int, *, with_entries: bool = False) -> DeletedPerson:
    """Delete a person for good.

    A person who is named on entries is refused unless ``with_entries`` is
    true; then entries that name only them are deleted and shared entries
    lose them. Returns everything removed, for :meth:`restore_person`.
    """
    person = get_person(store, person_id)
    n = person_entry_count(store, person_id)
    if n and not with_entries:
        raise InUseError(
            f"{person.name} is named on {n} entries. Delete them too, or archive "
            f"{person.name} instead to keep the history.",
            n,
        )
    ids = [
        r[0]
        for r in store.conn.execute(
            "SELECT entry_id FROM entry_people WHERE person_id = ?", (person_id,)
        )
    ]
    named = entries.get_entries(store, ids)
    gone = DeletedPerson(person)
    for e in named:
        (gone.entries if e.person_ids == [person_id] else gone.shared).append(e)
    gone.behalf_entry_ids = [
        r[0]
        for r in store.conn.execute("SELECT id FROM entries WHERE on_behalf_of = ?", (person_id,))
    ]
    gone.links = links.links(store, person_id)
    gone.photo = person_details.get_photo(store, person_id)
    with store.transaction() as conn:
        derived.fts_out(conn, "entries_fts", [e.id for e in gone.entries if e.id])
        for e in gone.entries:
            conn.execute("DELETE FROM entries WHERE id = ?", (e.id,))
        entries.count_changed(store, -len(gone.entries))
        conn.execute("DELETE FROM entry_people WHERE person_id = ?", (person_id,))
        conn.execute("DELETE FROM entry_person_support WHERE person_id = ?", (person_id,))
        for e in gone.shared:
            assert e.id is not None
            derived.relabel_indexed_entry(conn, e.id)
        others = {pid for e in gone.shared for pid in e.person_ids if pid != person_id}
        derived.fts_out(conn, "people_fts", [person_id])
        conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
        derived.refresh_last_contact(conn, others)
    return gone


def restore_person(store: StoreCore, gone: DeletedPerson) -> Person:
    """Put back what :meth:`delete_person` removed, with the same ids and uuids."""
    with store.transaction() as conn:
        person = add_person(store, gone.person)
        for e in gone.entries:
            entries.add_entry(store, e)
        for e in gone.shared:
            entries.update_entry(store, e, touch=False)
        for eid in gone.behalf_entry_ids:
            conn.execute("UPDATE entries SET on_behalf_of = ? WHERE id = ?", (person.id, eid))
        assert person.id is not None
        for saved in gone.links:
            links.restore_link(store, person.id, saved)
        if gone.photo is not None:
            person_details.set_photo(store, person.id, gone.photo)
    return get_person(store, person.id)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
