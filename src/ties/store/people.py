"""People: reading, matching names, writing, and deleting with undo."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ties.model import Entry, Person, now_stamp
from ties.store.base import StoreBase
from ties.store.errors import InUseError, NotFoundError, ValidationError
from ties.store.search import fold
from ties.store.values import _check_text, _d, _iso

PERSON_COLUMNS = (
    "id, uuid, name, circle, organization, role, how_met, met_on, life_phases, closeness, "
    "mutuality, interests, needs, offers, notes, cadence_days, archived, last_contact, "
    "created, updated"
)
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


@dataclass
class DeletedPerson:
    """Everything :meth:`Store.delete_person` removed, so undo can put it back."""

    person: Person
    entries: list[Entry] = field(default_factory=list)  # deleted: named only this person
    shared: list[Entry] = field(default_factory=list)  # kept, with this person removed
    behalf_entry_ids: list[int] = field(default_factory=list)


class PeopleStore(StoreBase):
    """The people of a journal (a part of ``Store``)."""

    def _person(self, row: Sequence[Any]) -> Person:
        return Person(
            id=row[0],
            uuid=row[1],
            name=row[2],
            circle=row[3],
            organization=row[4],
            role=row[5],
            how_met=row[6],
            met_on=_d(row[7]),
            life_phases=json.loads(row[8] or "[]"),
            closeness=row[9],
            mutuality=row[10],
            interests=row[11],
            needs=row[12],
            offers=row[13],
            notes=row[14],
            cadence_days=row[15],
            archived=bool(row[16]),
            last_contact=_d(row[17]),
            created=row[18],
            updated=row[19],
        )

    def validate_person(self, p: Person) -> None:
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
        if p.circle not in {c.key for c in self.circles(include_retired=True)}:
            valid = ", ".join(c.key for c in self.circles())
            raise ValidationError(f"Unknown circle '{p.circle}'. Circles: {valid}.", "circle")
        for name in ("organization", "role", "how_met", "interests", "needs", "offers", "notes"):
            _check_text(getattr(p, name), name)

    def _person_values(self, p: Person) -> tuple[Any, ...]:
        phases = [s.strip() for s in p.life_phases if s and s.strip()]
        return (
            p.name.strip(),
            p.circle,
            p.organization.strip(),
            p.role.strip(),
            p.how_met.strip(),
            _iso(p.met_on),
            json.dumps(phases, ensure_ascii=False),
            p.closeness,
            p.mutuality,
            p.interests,
            p.needs,
            p.offers,
            p.notes,
            p.cadence_days,
            int(p.archived),
        )

    def add_person(self, person: Person) -> Person:
        """Insert a person (keeping its uuid, and its id when set, for undo and merges)."""
        self.validate_person(person)
        stamp = now_stamp()
        created = person.created or stamp
        updated = person.updated or stamp
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO people (id, uuid, name, circle, organization, role, how_met, met_on,"
                " life_phases, closeness, mutuality, interests, needs, offers, notes,"
                " cadence_days, archived, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (person.id, person.uuid, *self._person_values(person), created, updated),
            )
            pid = int(cur.lastrowid)  # type: ignore[arg-type]
            self._fts_in(conn, "people_fts", [pid])
        return self.get_person(pid)

    def update_person(self, person: Person, *, touch: bool = True) -> Person:
        if person.id is None:
            raise NotFoundError("That person has not been saved yet.")
        self.validate_person(person)
        old = self.get_person(person.id)
        updated = now_stamp() if touch else person.updated
        with self.transaction() as conn:
            self._fts_out(conn, "people_fts", [person.id])
            conn.execute(
                "UPDATE people SET name = ?, circle = ?, organization = ?, role = ?, how_met = ?,"
                " met_on = ?, life_phases = ?, closeness = ?, mutuality = ?, interests = ?,"
                " needs = ?, offers = ?, notes = ?, cadence_days = ?, archived = ?, updated = ?"
                " WHERE id = ?",
                (*self._person_values(person), updated, person.id),
            )
            self._fts_in(conn, "people_fts", [person.id])
            if old.name != person.name.strip():
                self._refresh_people_labels_for(conn, person.id)
        return self.get_person(person.id)

    def set_archived(self, person_id: int, archived: bool) -> Person:
        p = self.get_person(person_id)
        return self.update_person(replace(p, archived=archived))

    def get_person(self, person_id: int) -> Person:
        row = self.conn.execute(
            f"SELECT {PERSON_COLUMNS} FROM people WHERE id = ?", (person_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"There is no person with id {person_id}.")
        return self._person(row)

    def get_person_by_uuid(self, uuid: str) -> Person | None:
        row = self.conn.execute(
            f"SELECT {PERSON_COLUMNS} FROM people WHERE uuid = ?", (uuid,)
        ).fetchone()
        return self._person(row) if row else None

    def name_taken_by(self, name: str, except_id: int | None = None) -> Person | None:
        """Someone else already called ``name`` (ignoring case and accents), if anyone.

        Adding or renaming someone by hand, in the window or on the command line,
        refuses such a name: quick-add and every command pick people by name.
        Imports may still bring two people of one name (different organisations);
        the command line then takes their uuids.
        """
        return next((p for p in self.people_named(name) if p.id != except_id), None)

    def people_named(self, name: str) -> list[Person]:
        """People whose name is ``name``, ignoring case and accents."""
        rows = self.conn.execute(
            f"SELECT {PERSON_COLUMNS} FROM people WHERE name = ? COLLATE NOCASE", (name.strip(),)
        ).fetchall()
        if not rows:
            return [self.get_person(i) for i in self._folded_names().get(fold(name), [])]
        return [self._person(r) for r in rows]

    def _folded_names(self) -> dict[str, list[int]]:
        """Folded name → person ids, rebuilt only after a write (ours or another process's).

        Matching names without case and accents cannot use an index, and
        folding 10,000 names on every quick-add keystroke costs a noticeable
        fraction of a second; ``PRAGMA data_version`` tells when others wrote.
        """
        version = (self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes)
        if self._fold_index is None or self._fold_index[0] != version:
            index: dict[str, list[int]] = {}
            for pid, name in self.conn.execute("SELECT id, name FROM people"):
                index.setdefault(fold(name), []).append(pid)
            self._fold_index = (version, index)
        return self._fold_index[1]

    def resolve_person(self, name: str) -> Person | None:
        """The one person a quick-add ``@name`` means, or ``None`` if nobody matches.

        An exact name (case- and accent-insensitive) wins; otherwise a unique
        person whose first name or name start matches. Ambiguity is an error
        that lists the candidates.
        """
        named = self.people_named(name)
        exact = [p for p in named if not p.archived] or named
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            names = ", ".join(f"{p.name} ({p.organization or p.circle})" for p in exact[:6])
            raise ValidationError(f"'@{name}' could mean several people: {names}.", "people")
        starts = self.people_starting(name)
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

    def people_starting(self, name: str) -> list[Person]:
        """Unarchived people whose name begins with the word(s) ``name`` (at most 50).

        ``Cara`` finds Cara Sato and Cara Lin, ignoring case and accents: how a
        first name alone picks a person when it is unique.
        """
        want = fold(name) + " "
        ids = [
            pid
            for key, pids in self._folded_names().items()
            if key.startswith(want)
            for pid in pids
        ]
        return [p for p in map(self.get_person, ids[:50]) if not p.archived]

    def _people_where(self, f: PeopleFilter) -> tuple[str, list[Any]]:
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
            clauses.append("name LIKE ? ESCAPE '\\'")
            args.append("%" + _like_escape(f.text.strip()) + "%")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def list_people(
        self,
        filt: PeopleFilter | None = None,
        *,
        order: str = "name",
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Person]:
        where, args = self._people_where(filt or PeopleFilter())
        sort = PEOPLE_SORTS.get(order)
        if sort is None:
            raise ValidationError(f"Cannot sort people by '{order}'.", "order")
        register_fold(self.conn)
        sql = f"SELECT {PERSON_COLUMNS} FROM people{where} ORDER BY " + sort.format(
            d="DESC" if descending else "ASC"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [self._person(r) for r in self.conn.execute(sql, args)]

    def people_matching(
        self, text: str, *, archived: bool | None = False, limit: int = 15
    ) -> list[Person]:
        """People whose name contains ``text``; those with a name word starting with it first.

        For completion: typing "An" offers Ana Ruiz and Sven Andersson before
        Joanna Lee, then alphabetically.
        """
        where, args = self._people_where(PeopleFilter(text=text, archived=archived))
        esc = _like_escape(text.strip())
        sql = (
            f"SELECT {PERSON_COLUMNS} FROM people{where} ORDER BY "
            "CASE WHEN name LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' THEN 0 ELSE 1 END, "
            "name COLLATE NOCASE, id LIMIT ?"
        )
        args += [esc + "%", "% " + esc + "%", limit]
        return [self._person(r) for r in self.conn.execute(sql, args)]

    def count_people(self, filt: PeopleFilter | None = None) -> int:
        where, args = self._people_where(filt or PeopleFilter())
        return int(self.conn.execute(f"SELECT count(*) FROM people{where}", args).fetchone()[0])

    def person_entry_count(self, person_id: int) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM entry_people WHERE person_id = ?", (person_id,)
            ).fetchone()[0]
        )

    def person_entry_split(self, person_id: int) -> tuple[int, int]:
        """(entries naming only this person, entries shared with others): what
        :meth:`delete_person` with entries deletes, and what it only takes them off."""
        row = self.conn.execute(
            "SELECT coalesce(sum(n = 1), 0), coalesce(sum(n > 1), 0) FROM ("
            "SELECT (SELECT count(*) FROM entry_people x WHERE x.entry_id = ep.entry_id) AS n "
            "FROM entry_people ep WHERE ep.person_id = ?)",
            (person_id,),
        ).fetchone()
        return int(row[0]), int(row[1])

    def delete_person(self, person_id: int, *, with_entries: bool = False) -> DeletedPerson:
        """Delete a person for good.

        A person who is named on entries is refused unless ``with_entries`` is
        true; then entries that name only them are deleted and shared entries
        lose them. Returns everything removed, for :meth:`restore_person`.
        """
        person = self.get_person(person_id)
        n = self.person_entry_count(person_id)
        if n and not with_entries:
            raise InUseError(
                f"{person.name} is named on {n} entries. Delete them too, or archive "
                f"{person.name} instead to keep the history.",
                n,
            )
        ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT entry_id FROM entry_people WHERE person_id = ?", (person_id,)
            )
        ]
        entries = self.get_entries(ids)
        gone = DeletedPerson(person)
        for e in entries:
            (gone.entries if e.person_ids == [person_id] else gone.shared).append(e)
        gone.behalf_entry_ids = [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM entries WHERE on_behalf_of = ?", (person_id,)
            )
        ]
        with self.transaction() as conn:
            self._fts_out(conn, "entries_fts", [e.id for e in gone.entries if e.id])
            for e in gone.entries:
                conn.execute("DELETE FROM entries WHERE id = ?", (e.id,))
            self._count_changed(-len(gone.entries))
            conn.execute("DELETE FROM entry_people WHERE person_id = ?", (person_id,))
            conn.execute("DELETE FROM entry_person_support WHERE person_id = ?", (person_id,))
            for e in gone.shared:
                assert e.id is not None
                self._relabel_indexed_entry(conn, e.id)
            others = {pid for e in gone.shared for pid in e.person_ids if pid != person_id}
            self._fts_out(conn, "people_fts", [person_id])
            conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
            self._refresh_last_contact(conn, others)
        return gone

    def restore_person(self, gone: DeletedPerson) -> Person:
        """Put back what :meth:`delete_person` removed, with the same ids and uuids."""
        with self.transaction() as conn:
            person = self.add_person(gone.person)
            for e in gone.entries:
                self.add_entry(e)
            for e in gone.shared:
                self.update_entry(e, touch=False)
            for eid in gone.behalf_entry_ids:
                conn.execute("UPDATE entries SET on_behalf_of = ? WHERE id = ?", (person.id, eid))
        return self.get_person(person.id)  # type: ignore[arg-type]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
