"""The journal store: one SQLite file, opened safely, written in explicit transactions.

Every write goes through :meth:`Store.transaction`, which is a single
``BEGIN IMMEDIATE … COMMIT`` (nested calls become savepoints), so an entry is
never saved without its people and support types. The window, the command line,
the analyses and the importers all use this class; none of them writes SQL.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ties.model import (
    DIRECTIONS,
    FAMILIES,
    KINDS,
    Circle,
    Entry,
    Person,
    SearchHit,
    SupportType,
    now_stamp,
)
from ties.store import entry_query, schema
from ties.store.errors import (
    CorruptJournalError,
    DiskFullError,
    InUseError,
    JournalError,
    NewerVersionError,
    NotAJournalError,
    NotFoundError,
    ReadOnlyError,
    ValidationError,
)
from ties.store.window_totals import drop_held, held_problems

if TYPE_CHECKING:
    import sqlite_utils

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000
MAX_TEXT = 100_000  # characters in one free-text field; longer is refused, not truncated

PERSON_COLUMNS = (
    "id, uuid, name, circle, organization, role, how_met, met_on, life_phases, closeness, "
    "mutuality, interests, needs, offers, notes, cadence_days, archived, last_contact, "
    "created, updated"
)
ENTRY_COLUMNS = (
    "e.id, e.uuid, e.date, e.time, e.kind, e.direction, e.weight, e.on_behalf_of, e.note, "
    "e.follow_up, e.follow_up_done, e.thanked, e.people_label, e.types_label, e.created, e.updated"
)
ENTRY_SORTS = entry_query.SORTS
FTS_COLUMNS = {
    "people_fts": "name, organization, role, notes, interests, needs, offers",
    "entries_fts": "note, people_label",
}
PEOPLE_SORTS = {
    "name": "name COLLATE NOCASE {d}, id",
    "circle": "circle {d}, name COLLATE NOCASE",
    "closeness": "closeness {d}, name COLLATE NOCASE",
    "organization": "organization COLLATE NOCASE {d}, name COLLATE NOCASE",
    "last_contact": "last_contact {d}, name COLLATE NOCASE",
}


@dataclass
class EntryFilter:
    """What the entry list shows; every field narrows it, ``None`` means any."""

    person_id: int | None = None
    since: date | None = None
    until: date | None = None
    direction: str | None = None
    support_type: str | None = None
    kind: str | None = None


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


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _entry_values(e: Entry) -> tuple[Any, ...]:
    """The entry's own columns: date, time, kind, direction, weight, on_behalf_of, note,
    follow_up, follow_up_done, thanked, types_label (the order every write uses)."""
    return (
        e.date.isoformat(),
        e.time,
        e.kind,
        e.direction,
        e.weight,
        e.on_behalf_of,
        e.note,
        _iso(e.follow_up),
        int(e.follow_up_done),
        int(e.thanked),
        " ".join(sorted(e.support_types)),
    )


def _check_text(value: str, field_name: str) -> str:
    if len(value) > MAX_TEXT:
        raise ValidationError(
            f"{field_name.replace('_', ' ').capitalize()} is too long "
            f"({len(value):,} characters; at most {MAX_TEXT:,}).",
            field_name,
        )
    return value


def _translate(exc: sqlite3.Error) -> JournalError | None:
    msg = str(exc).lower()
    if (
        "disk is full" in msg
        or "database or disk is full" in msg
        or (isinstance(exc, sqlite3.DataError) and "full" in msg)
    ):
        return DiskFullError("The disk is full: nothing was saved. Free some space and try again.")
    if "readonly" in msg or "read-only" in msg:
        return ReadOnlyError("The journal is read-only: nothing was saved.")
    if "malformed" in msg or "not a database" in msg:
        return CorruptJournalError(f"The journal file is damaged (SQLite: {exc}).")
    if "database is locked" in msg or "database table is locked" in msg:
        return JournalError(
            f"The journal is busy: another program kept writing to it for "
            f"{BUSY_TIMEOUT_MS / 1000:g} seconds. Nothing was saved; try again."
        )
    return None


class Store:
    """An open journal.

    Attributes:
        path: the journal file.
        db: the ``sqlite_utils.Database`` over the connection.
        readonly: true when the file or its folder cannot be written.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._db: sqlite_utils.Database | None = None
        self._depth = 0
        self._type_cache: list[SupportType] | None = None
        self._fold_index: tuple[tuple[int, int], dict[str, list[int]]] | None = None
        # (PRAGMA data_version, number of entries): kept up to date by this store's own
        # writes, recounted when another connection has written or a write rolled back.
        self._entry_count: tuple[int, int] | None = None
        self._sorted_ids: tuple[tuple[Any, ...], list[int]] | None = None  # see _ids_in_order

    @property
    def db(self) -> sqlite_utils.Database:
        """Made on first use: importing sqlite-utils slows a start that does not need it."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        readonly: bool = False,
        migrate: bool = True,
        check: bool = True,
    ) -> Store:
        """Open (or create) a journal, refusing anything that is not one.

        A file written by a newer Ties, a non-SQLite file or a foreign SQLite
        database raises a :class:`JournalError` and is left untouched. Before an
        existing journal is migrated, a copy is set aside next to it.
        """
        path = Path(path).expanduser()
        exists = path.exists() and path.stat().st_size > 0
        # The header is not read with open()/close() here: closing any descriptor of
        # the file drops the POSIX locks that this process's other connections hold
        # on it (the window's, a background job's), and another process could then
        # reset the WAL under them. SQLite itself refuses a non-SQLite file below.
        if not exists and not create:
            raise NotFoundError(f"There is no journal at {path}.")
        if not exists and readonly:
            raise ReadOnlyError(f"There is no journal at {path} to open read-only.")
        if not exists:
            from ties.paths import private_dir

            private_dir(path.parent)
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        if not readonly and exists:
            readonly = not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
        try:
            conn = _connect(path, readonly)
        except sqlite3.DatabaseError as exc:
            raise _open_error(path, exc) from exc
        try:
            store = cls(conn, path, readonly)
            store._prepare(exists, migrate=migrate, check=check)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _open_error(path, exc) from exc
        except BaseException:
            conn.close()
            raise
        return store

    def _prepare(self, exists: bool, *, migrate: bool, check: bool) -> None:
        conn = self.conn
        # One read transaction, so that another process creating the journal at
        # this moment is seen either not at all or completely.
        conn.execute("BEGIN")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        if tables and app_id != schema.APPLICATION_ID:
            raise NotAJournalError(f"{self.path} is an SQLite database, but not a Ties journal.")
        if app_id == schema.APPLICATION_ID and version > schema.SCHEMA_VERSION:
            raise NewerVersionError(
                f"{self.path} was written by a newer version of Ties (journal format "
                f"{version}; this version reads up to {schema.SCHEMA_VERSION}). "
                "Please update Ties; the journal was not changed."
            )
        if tables and not tables >= schema.REQUIRED_TABLES and version >= 1:
            raise NotAJournalError(f"{self.path} is missing tables a Ties journal must have.")
        if exists and check:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise CorruptJournalError(f"{self.path} is damaged: {result}")
        if version < schema.SCHEMA_VERSION:
            if self.readonly:
                raise ReadOnlyError(
                    f"{self.path} needs upgrading to the current format, but it is read-only."
                )
            if not migrate:
                raise JournalError(f"{self.path} needs upgrading; open it with Ties first.")
            if exists and tables:
                self.copy_aside(f"before-v{schema.SCHEMA_VERSION}")
            self._migrate(version)
        if not self.readonly:
            conn.execute("PRAGMA journal_mode=WAL")

    def _migrate(self, version: int) -> None:
        for number in range(version, schema.SCHEMA_VERSION):
            with self.transaction():
                # Another process (two `ties` opening a new journal at once) may have
                # run this step while we waited for the write lock.
                if self.conn.execute("PRAGMA user_version").fetchone()[0] > number:
                    continue
                schema.MIGRATIONS[number](self.conn)
                self.conn.execute(f"PRAGMA user_version = {number + 1}")
                self.conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if not self.readonly:
                self.conn.execute("PRAGMA optimize")
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -------------------------------------------------------------- transactions

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE … COMMIT``; nested calls are savepoints.

        SQLite errors that the user can act on (disk full, read-only, damaged)
        come out as :class:`JournalError` subclasses after the rollback.
        """
        if self.readonly:
            raise ReadOnlyError(f"{self.path} is open read-only: nothing can be changed.")
        conn = self.conn
        if self._depth:
            name = f"sp{self._depth}"
            conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield conn
            except BaseException:
                self._entry_count = None
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                raise
            else:
                conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise (_translate(exc) or exc) from exc
        self._depth = 1
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._type_cache = None
            self._entry_count = None
            known = _translate(exc)
            if known:
                raise known from exc
            raise
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._type_cache = None
            self._entry_count = None
            raise
        finally:
            self._depth = 0

    # ----------------------------------------------------------------- file-level

    def backup_to(self, target: str | Path, *, verify: bool = True) -> Path:
        """Write a consistent copy of the journal to ``target``, atomically.

        Uses SQLite's online backup API into a temporary name beside the
        target, fsyncs it, checks it and only then renames it into place, so a
        crash never leaves a half-written file under the final name.
        """
        target = Path(target)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        try:
            dest = sqlite3.connect(tmp)
            try:
                self.conn.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
                if verify:
                    result = dest.execute("PRAGMA integrity_check").fetchone()[0]
                    if result != "ok":
                        raise CorruptJournalError(f"The backup failed its check: {result}")
            finally:
                dest.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            fsync_dir(target.parent)
        except sqlite3.Error as exc:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise (_translate(exc) or exc) from exc
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        return target

    def copy_aside(self, reason: str) -> Path:
        """Keep a copy next to the journal (before a migration or a restore)."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.{reason}-{stamp}{self.path.suffix}.bak")
        return self.backup_to(target)

    def integrity_problems(self) -> list[str]:
        """SQLite's full integrity check plus the journal's own consistency rules."""
        problems: list[str] = []
        rows = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.extend(f"sqlite: {r}" for r in rows)
        problems.extend(
            f"foreign key: {r[0]} row {r[1]} refers to a missing {r[2]}"
            for r in self.conn.execute("PRAGMA foreign_key_check")
        )
        checks = {
            "entries without any person": (
                "SELECT count(*) FROM entries e WHERE NOT EXISTS "
                "(SELECT 1 FROM entry_people p WHERE p.entry_id = e.id)"
            ),
            "entries whose support types disagree with their label": (
                "SELECT count(*) FROM entries e WHERE e.types_label != coalesce("
                "(SELECT group_concat(type_key, ' ') FROM (SELECT type_key FROM entry_support s "
                "WHERE s.entry_id = e.id ORDER BY type_key)), '')"
            ),
            "entries whose people label is out of date": (
                "SELECT count(*) FROM entries e WHERE e.people_label != coalesce("
                "(SELECT group_concat(name, ', ') FROM (SELECT p.name FROM entry_people ep "
                "JOIN people p ON p.id = ep.person_id WHERE ep.entry_id = e.id "
                "ORDER BY ep.position)), '')"
            ),
            "entry dates copied wrongly to their people": (
                "SELECT count(*) FROM entry_people ep JOIN entries e ON e.id = ep.entry_id "
                "WHERE ep.date != e.date"
            ),
            "entry directions or weights copied wrongly to their people": (
                "SELECT count(*) FROM entry_people ep JOIN entries e ON e.id = ep.entry_id "
                "WHERE ep.direction != e.direction OR ep.weight != e.weight"
            ),
            "support rows per person that disagree with their entries": (
                "SELECT (SELECT count(*) FROM entry_people ep JOIN entry_support s "
                "ON s.entry_id = ep.entry_id) + (SELECT count(*) FROM entry_person_support) "
                "- 2 * (SELECT count(*) FROM entry_person_support x JOIN entry_people ep "
                "ON ep.entry_id = x.entry_id AND ep.person_id = x.person_id "
                "JOIN entry_support s ON s.entry_id = x.entry_id AND s.type_key = x.type_key "
                "WHERE x.date = ep.date AND x.direction = ep.direction AND x.weight = ep.weight)"
            ),
            "people whose last contact is out of date": (
                "SELECT count(*) FROM people p WHERE p.last_contact IS NOT "
                "(SELECT max(date) FROM entry_people ep WHERE ep.person_id = p.id)"
            ),
            "people in a circle that does not exist": (
                "SELECT count(*) FROM people WHERE circle NOT IN (SELECT key FROM circles)"
            ),
        }
        for label, sql in checks.items():
            n = self.conn.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{n} {label}")
        problems.extend(held_problems(self.conn))
        # FTS5's own check is an INSERT command, which a read-only connection refuses
        # ("attempt to write a readonly database"): it is not a problem of the journal.
        for table in () if self.readonly else ("people_fts", "entries_fts"):
            try:
                self.conn.execute(
                    f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"
                )
            except sqlite3.DatabaseError as exc:
                problems.append(f"search index {table}: {exc}")
        return problems

    # ---------------------------------------------------------------------- meta

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str | None) -> None:
        with self.transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def meta_keys(self, prefix: str = "") -> list[str]:
        """Keys in the meta table that start with ``prefix`` (exports list the settings)."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT key FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key",
                (len(prefix), prefix),
            )
        ]

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A JSON value kept in the journal (cadences, rotation, …)."""
        raw = self.get_meta(f"setting:{key}")
        return default if raw is None else json.loads(raw)

    def set_setting(self, key: str, value: Any) -> None:
        self.set_meta(f"setting:{key}", None if value is None else json.dumps(value))

    @property
    def name(self) -> str:
        """The journal's display name (the file name unless the user set one)."""
        return self.get_meta("name") or self.path.stem

    @property
    def is_demo(self) -> bool:
        return self.get_meta("demo") == "1"

    # ------------------------------------------------------------------- circles

    def circles(self, include_retired: bool = False) -> list[Circle]:
        sql = "SELECT key, label, position, retired FROM circles"
        if not include_retired:
            sql += " WHERE retired = 0"
        rows = self.conn.execute(sql + " ORDER BY position, key").fetchall()
        return [Circle(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def save_circle(self, circle: Circle) -> None:
        """Add a circle, or rename / reorder / retire an existing one."""
        key = _slug(circle.key)
        if not key:
            raise ValidationError("A circle needs a key of letters, digits or _.", "key")
        if not circle.label.strip():
            raise ValidationError("A circle needs a name.", "label")
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO circles (key, label, position, retired) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET label = excluded.label, "
                "position = excluded.position, retired = excluded.retired",
                (key, circle.label.strip(), circle.position, int(circle.retired)),
            )

    def delete_circle(self, key: str) -> None:
        """Delete an unused circle; a circle people are in is refused (retire it instead)."""
        n = self.conn.execute("SELECT count(*) FROM people WHERE circle = ?", (key,)).fetchone()[0]
        if n:
            raise InUseError(
                f"{n} people are in the circle '{key}'; move them or retire the circle instead.",
                n,
            )
        with self.transaction() as conn:
            if not conn.execute("DELETE FROM circles WHERE key = ?", (key,)).rowcount:
                raise NotFoundError(f"There is no circle '{key}'.")

    # ------------------------------------------------------------- support types

    def support_types(self, include_retired: bool = False) -> list[SupportType]:
        if self._type_cache is None:
            rows = self.conn.execute(
                "SELECT key, label, family, question, position, retired FROM support_types "
                "ORDER BY family, position, key"
            ).fetchall()
            self._type_cache = [SupportType(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]
        return [t for t in self._type_cache if include_retired or not t.retired]

    def support_type(self, key: str) -> SupportType:
        for t in self.support_types(include_retired=True):
            if t.key == key:
                return t
        raise NotFoundError(self.unknown_type_message(key))

    def unknown_type_message(self, key: str) -> str:
        valid = ", ".join(t.key for t in self.support_types())
        return f"Unknown support type '#{key}'. Valid types: {valid}."

    def save_support_type(self, st: SupportType) -> None:
        """Add a support type or change its label, family, question, order or retirement."""
        key = _slug(st.key)
        if not key:
            raise ValidationError("A support type needs a key of letters, digits or _.", "key")
        if not st.label.strip():
            raise ValidationError("A support type needs a label.", "label")
        if st.family not in FAMILIES:
            raise ValidationError("The family must be instrumental or psychosocial.", "family")
        stamp = now_stamp()
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO support_types (key, label, family, question, position, retired, "
                "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "label = excluded.label, family = excluded.family, question = excluded.question,"
                " position = excluded.position, retired = excluded.retired, "
                "updated = excluded.updated",
                (
                    key,
                    st.label.strip(),
                    st.family,
                    st.question.strip(),
                    st.position,
                    int(st.retired),
                    stamp,
                    stamp,
                ),
            )
            self._type_cache = None

    def delete_support_type(self, key: str) -> None:
        """Delete an unused support type; one that entries carry is refused (retire it)."""
        n = self.conn.execute(
            "SELECT count(*) FROM entry_support WHERE type_key = ?", (key,)
        ).fetchone()[0]
        if n:
            raise InUseError(
                f"{n} entries carry '#{key}'; retire the support type instead of deleting it.", n
            )
        with self.transaction() as conn:
            if not conn.execute("DELETE FROM support_types WHERE key = ?", (key,)).rowcount:
                raise NotFoundError(f"There is no support type '{key}'.")
            self._type_cache = None

    # -------------------------------------------------------------------- people

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
        want = fold(name) + " "  # the first word(s) of a name, ignoring case and accents
        ids = [
            pid
            for key, pids in self._folded_names().items()
            if key.startswith(want)
            for pid in pids
        ]
        starts = [p for p in map(self.get_person, ids[:50]) if not p.archived]
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
        sql = f"SELECT {PERSON_COLUMNS} FROM people{where} ORDER BY " + sort.format(
            d="DESC" if descending else "ASC"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
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

    # ------------------------------------------------------------------- entries

    def validate_entry(self, e: Entry) -> None:
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
        if e.follow_up is not None and e.follow_up < e.date:
            raise ValidationError("The follow-up date is before the entry's date.", "follow_up")
        if e.time is not None and not _valid_time(e.time):
            raise ValidationError("Time must look like 14:30.", "time")
        _check_text(e.note, "note")
        known = {t.key for t in self.support_types(include_retired=True)}
        for key in e.support_types:
            if key not in known:
                raise ValidationError(self.unknown_type_message(key), "support_types")
        if len(set(e.support_types)) != len(e.support_types):
            raise ValidationError("A support type is named twice.", "support_types")

    def add_entry(self, entry: Entry) -> Entry:
        """Save an entry with its people and support types in one transaction."""
        self.validate_entry(entry)
        stamp = now_stamp()
        with self.transaction() as conn:
            self._check_people_exist(conn, entry)
            cur = conn.execute(
                "INSERT INTO entries (id, uuid, date, time, kind, direction, weight, on_behalf_of,"
                " note, follow_up, follow_up_done, thanked, types_label, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.id,
                    entry.uuid,
                    *_entry_values(entry),
                    entry.created or stamp,
                    entry.updated or stamp,
                ),
            )
            eid = int(cur.lastrowid)  # type: ignore[arg-type]
            self._count_changed(1)
            self._write_links(conn, eid, entry)
            self._fts_in(conn, "entries_fts", [eid])
            self._refresh_last_contact(conn, entry.person_ids)
        return self.get_entry(eid)

    def update_entry(self, entry: Entry, *, touch: bool = True) -> Entry:
        if entry.id is None:
            raise NotFoundError("That entry has not been saved yet.")
        self.validate_entry(entry)
        with self.transaction() as conn:
            old = self.get_entry(entry.id)
            self._check_people_exist(conn, entry)
            self._fts_out(conn, "entries_fts", [entry.id])
            conn.execute(
                "UPDATE entries SET date = ?, time = ?, kind = ?, direction = ?, weight = ?,"
                " on_behalf_of = ?, note = ?, follow_up = ?, follow_up_done = ?, thanked = ?,"
                " types_label = ?, updated = ? WHERE id = ?",
                (*_entry_values(entry), now_stamp() if touch else entry.updated, entry.id),
            )
            conn.execute("DELETE FROM entry_people WHERE entry_id = ?", (entry.id,))
            conn.execute("DELETE FROM entry_support WHERE entry_id = ?", (entry.id,))
            conn.execute("DELETE FROM entry_person_support WHERE entry_id = ?", (entry.id,))
            self._write_links(conn, entry.id, entry)
            self._fts_in(conn, "entries_fts", [entry.id])
            self._refresh_last_contact(conn, set(old.person_ids) | set(entry.person_ids))
        return self.get_entry(entry.id)

    def delete_entry(self, entry_id: int) -> Entry:
        """Delete an entry; returns it as it was, so undo can add it back."""
        with self.transaction() as conn:
            old = self.get_entry(entry_id)
            self._fts_out(conn, "entries_fts", [entry_id])
            conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
            self._count_changed(-1)
            self._refresh_last_contact(conn, old.person_ids)
        return old

    def _check_people_exist(self, conn: sqlite3.Connection, entry: Entry) -> None:
        ids = list(entry.person_ids) + ([entry.on_behalf_of] if entry.on_behalf_of else [])
        marks = ",".join("?" * len(ids))
        found = {r[0] for r in conn.execute(f"SELECT id FROM people WHERE id IN ({marks})", ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise ValidationError(f"No person with id {missing[0]}.", "people")

    def _write_links(self, conn: sqlite3.Connection, eid: int, entry: Entry) -> None:
        day = entry.date.isoformat()
        conn.executemany(
            "INSERT INTO entry_people (entry_id, person_id, position, date, direction, weight)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (eid, pid, pos, day, entry.direction, entry.weight)
                for pos, pid in enumerate(entry.person_ids)
            ],
        )
        conn.executemany(
            "INSERT INTO entry_support (entry_id, type_key) VALUES (?, ?)",
            [(eid, key) for key in entry.support_types],
        )
        conn.executemany(
            "INSERT INTO entry_person_support (entry_id, person_id, type_key, date, direction,"
            " weight) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (eid, pid, key, day, entry.direction, entry.weight)
                for pid in entry.person_ids
                for key in entry.support_types
            ],
        )
        self._refresh_entry_label(conn, eid)

    @staticmethod
    def _fts_out(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> None:
        """Take rows out of a search index, before they change or go."""
        cols = FTS_COLUMNS[table]
        src = table.removesuffix("_fts")
        conn.executemany(
            f"INSERT INTO {table} ({table}, rowid, {cols}) SELECT 'delete', id, {cols} "
            f"FROM {src} WHERE id = ?",
            [(i,) for i in ids],
        )

    @staticmethod
    def _fts_in(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> None:
        cols = FTS_COLUMNS[table]
        src = table.removesuffix("_fts")
        conn.executemany(
            f"INSERT INTO {table} (rowid, {cols}) SELECT id, {cols} FROM {src} WHERE id = ?",
            [(i,) for i in ids],
        )

    @classmethod
    def _relabel_indexed_entry(cls, conn: sqlite3.Connection, eid: int) -> None:
        """Refresh the people label of an entry that is already in the search index."""
        cls._fts_out(conn, "entries_fts", [eid])
        cls._refresh_entry_label(conn, eid)
        cls._fts_in(conn, "entries_fts", [eid])

    @staticmethod
    def _refresh_entry_label(conn: sqlite3.Connection, eid: int) -> None:
        conn.execute(
            "UPDATE entries SET people_label = coalesce((SELECT group_concat(name, ', ') FROM "
            "(SELECT p.name FROM entry_people ep JOIN people p ON p.id = ep.person_id "
            "WHERE ep.entry_id = ? ORDER BY ep.position)), '') WHERE id = ?",
            (eid, eid),
        )

    def _refresh_people_labels_for(self, conn: sqlite3.Connection, person_id: int) -> None:
        for (eid,) in conn.execute(
            "SELECT entry_id FROM entry_people WHERE person_id = ?", (person_id,)
        ).fetchall():
            self._relabel_indexed_entry(conn, eid)

    @staticmethod
    def _refresh_last_contact(conn: sqlite3.Connection, person_ids: Iterable[int]) -> None:
        conn.executemany(
            "UPDATE people SET last_contact = (SELECT max(date) FROM entry_people "
            "WHERE person_id = ?) WHERE id = ?",
            [(pid, pid) for pid in set(person_ids)],
        )

    def _entries_from_rows(self, rows: list[Sequence[Any]]) -> list[Entry]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        people: dict[int, list[int]] = {i: [] for i in ids}
        for chunk_start in range(0, len(ids), 900):
            chunk = ids[chunk_start : chunk_start + 900]
            marks = ",".join("?" * len(chunk))
            for eid, pid in self.conn.execute(
                f"SELECT entry_id, person_id FROM entry_people WHERE entry_id IN ({marks}) "
                "ORDER BY entry_id, position",
                chunk,
            ):
                people[eid].append(pid)
        return [
            Entry(
                id=r[0],
                uuid=r[1],
                date=date.fromisoformat(r[2]),
                time=r[3],
                kind=r[4],
                direction=r[5],
                weight=r[6],
                on_behalf_of=r[7],
                note=r[8],
                follow_up=_d(r[9]),
                follow_up_done=bool(r[10]),
                thanked=bool(r[11]),
                people_label=r[12],
                support_types=r[13].split() if r[13] else [],
                created=r[14],
                updated=r[15],
                person_ids=people[r[0]],
            )
            for r in rows
        ]

    def get_entry(self, entry_id: int) -> Entry:
        found = self.get_entries([entry_id])
        if not found:
            raise NotFoundError(f"There is no entry with id {entry_id}.")
        return found[0]

    def get_entries(self, ids: Sequence[int]) -> list[Entry]:
        out: list[Entry] = []
        for start in range(0, len(ids), 900):
            chunk = list(ids[start : start + 900])
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.id IN ({marks}) ORDER BY e.id",
                chunk,
            ).fetchall()
            out.extend(self._entries_from_rows(rows))
        return out

    def get_entry_by_uuid(self, uuid: str) -> Entry | None:
        row = self.conn.execute("SELECT id FROM entries WHERE uuid = ?", (uuid,)).fetchone()
        return self.get_entry(row[0]) if row else None

    def list_entries(
        self,
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
            matches = self.conn.execute(
                "SELECT count(*) FROM entry_support WHERE type_key = ?", (f.support_type,)
            ).fetchone()[0]
            entries = self.conn.execute("SELECT max(id) FROM entries").fetchone()[0] or 0
            walk = entry_query.walk_is_cheaper(matches, entries, offset, limit)
            if not walk and matches >= entry_query.SORTED_IDS_FROM:
                page = self._ids_in_order(f, order, descending)[offset : offset + limit]
                by_id = {e.id: e for e in self.get_entries(page)}
                return [by_id[i] for i in page if i in by_id]
        if limit is None:
            q = entry_query.build(f, order)
            sql = f"SELECT {ENTRY_COLUMNS} FROM {q.source}{q.where}{q.order_by(descending)}"
            return self._entries_from_rows(self.conn.execute(sql, q.args).fetchall())
        # The page's ids first (often from an index alone), then its rows by id.
        q = entry_query.build(f, order, walk_support=walk, ids_only=True)
        sql = f"SELECT {q.id_col} FROM {q.source}{q.where}"
        flip = None
        if offset >= entry_query.REVERSE_FROM:
            flip = entry_query.reversed_page(
                self.count_entries(f) if total is None else total, offset, limit
            )
        if flip is not None:
            offset, limit = flip
        order_by = q.order_by(descending if flip is None else not descending)
        ids = [
            r[0]
            for r in self.conn.execute(
                sql + order_by + " LIMIT ? OFFSET ?", [*q.args, limit, offset]
            )
        ]
        if flip is not None:
            ids.reverse()
        by_id = {e.id: e for e in self.get_entries(ids)}
        return [by_id[i] for i in ids if i in by_id]

    def iter_entry_rows(self, batch: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
        """Every entry as a plain row, in the order written (by id), in batches: for exports.

        Each row holds the columns of ``ENTRY_COLUMNS`` followed by a tuple of
        the entry's people ids in order. Rows are read by id ranges (the table's
        own order) and build no ``Entry`` objects, which makes streaming a very
        large journal several times faster than :meth:`iter_entries`.
        """
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.id > ? ORDER BY e.id LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            people: dict[int, list[int]] = {r[0]: [] for r in rows}
            for eid, pid in self.conn.execute(
                "SELECT entry_id, person_id FROM entry_people WHERE entry_id BETWEEN ? AND ? "
                "ORDER BY entry_id, position",
                (rows[0][0], rows[-1][0]),
            ):
                people[eid].append(pid)
            last = rows[-1][0]
            yield [(*r, tuple(people[r[0]])) for r in rows]

    def iter_entries(self, batch: int = 2000) -> Iterator[list[Entry]]:
        """Every entry, oldest first (date, then id), in batches: exports stream through this.

        Pages by key rather than by offset, so each batch costs the same however
        far into a large journal it is.
        """
        last: tuple[str, int] | None = None
        while True:
            if last is None:
                rows = self.conn.execute(
                    f"SELECT {ENTRY_COLUMNS} FROM entries e ORDER BY e.date, e.id LIMIT ?",
                    (batch,),
                ).fetchall()
            else:
                rows = self.conn.execute(
                    f"SELECT {ENTRY_COLUMNS} FROM entries e WHERE (e.date, e.id) > (?, ?) "
                    "ORDER BY e.date, e.id LIMIT ?",
                    (*last, batch),
                ).fetchall()
            if not rows:
                return
            last = (rows[-1][2], rows[-1][0])
            yield self._entries_from_rows(rows)

    def entry_ids(
        self, filt: EntryFilter | None = None, *, order: str = "date", descending: bool = True
    ) -> list[int]:
        """Ids of the matching entries in display order (for sorts no index serves).

        A list view sorted by, say, note cannot page with OFFSET quickly over a
        million rows; it reads the ids once (a few MB) and then fetches pages of
        rows by id with :meth:`get_entries`.
        """
        q = entry_query.build(filt or EntryFilter(), order, ids_only=True)
        sql = f"SELECT {q.id_col} FROM {q.source}{q.where}{q.order_by(descending)}"
        return [r[0] for r in self.conn.execute(sql, q.args)]

    def _ids_in_order(self, f: EntryFilter, order: str, descending: bool) -> list[int]:
        """Every matching id in order, read once and kept until the journal changes.

        For the middle of a long support-type list, where neither end of the
        date index is near: the first such page sorts the matches (~0.2 s for
        46,000 of a million), the pages after it are slices.
        """
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        key = (repr(f), order, descending, version, self.conn.total_changes)
        if self._sorted_ids is None or self._sorted_ids[0] != key:
            self._sorted_ids = (key, self.entry_ids(f, order=order, descending=descending))
        return self._sorted_ids[1]

    def count_entries(self, filt: EntryFilter | None = None) -> int:
        """How many entries match; the total is counted once, then kept up to date.

        Counting a million entries reads a 23 MB index (~40 ms); the list asks
        for the total after every edit, so this store adjusts it on its own
        writes and counts again only when another connection wrote.
        """
        f = filt or EntryFilter()
        sql, args = entry_query.count_sql(f)
        if f != EntryFilter():
            return int(self.conn.execute(sql, args).fetchone()[0])
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        if self._entry_count is None or self._entry_count[0] != version:
            self._entry_count = (version, int(self.conn.execute(sql, args).fetchone()[0]))
        return self._entry_count[1]

    def _count_changed(self, delta: int) -> None:
        if self._entry_count is not None:
            self._entry_count = (self._entry_count[0], self._entry_count[1] + delta)

    def person_history(self, person_id: int, limit: int | None = None) -> list[Entry]:
        """A person's entries, newest first."""
        return self.list_entries(EntryFilter(person_id=person_id), limit=limit)

    def set_follow_up_done(self, entry_id: int, done: bool) -> Entry:
        e = self.get_entry(entry_id)
        return self.update_entry(replace(e, follow_up_done=done))

    def set_thanked(self, entry_id: int, thanked: bool) -> Entry:
        e = self.get_entry(entry_id)
        return self.update_entry(replace(e, thanked=thanked))

    # ------------------------------------------------------------------ bulk load

    def bulk_insert(self, people: Sequence[Person], entries: Iterable[Entry]) -> None:
        """Load many people and entries fast, in one transaction (demo, large imports).

        People and entries must carry their ``id``; nothing is validated beyond
        the schema's constraints, so callers pass well-formed values. Secondary
        indices and the search indices are rebuilt after the load, which is far
        faster than keeping them up to date row by row.
        """
        stamp = now_stamp()
        self._entry_count = None
        index_sql = [
            r[0]
            for r in self.conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('entries', 'entry_people', 'entry_support', "
                "'entry_person_support')"
            )
        ]
        index_names = [
            r[0]
            for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('entries', 'entry_people', 'entry_support', "
                "'entry_person_support')"
            )
        ]
        with self.transaction() as conn:
            drop_held(conn)  # else the window-totals triggers would run for every row
            for name in index_names:
                conn.execute(f"DROP INDEX {name}")
            conn.executemany(
                "INSERT INTO people (id, uuid, name, circle, organization, role, how_met, met_on,"
                " life_phases, closeness, mutuality, interests, needs, offers, notes,"
                " cadence_days, archived, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (p.id, p.uuid, *self._person_values(p), p.created or stamp, p.updated or stamp)
                    for p in people
                ],
            )
            names = {p.id: p.name.strip() for p in people}
            for row in self.conn.execute("SELECT id, name FROM people"):
                names.setdefault(row[0], row[1])
            batch: list[Entry] = []
            for e in entries:
                batch.append(e)
                if len(batch) >= 20_000:
                    self._bulk_entries(conn, batch, names, stamp)
                    batch = []
            self._bulk_entries(conn, batch, names, stamp)
            for sql in index_sql:
                conn.execute(sql)
            conn.execute(
                "UPDATE people SET last_contact = (SELECT max(date) FROM entry_people "
                "WHERE person_id = people.id)"
            )
            conn.execute("INSERT INTO people_fts (people_fts) VALUES ('rebuild')")
            conn.execute("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')")
        self.conn.execute("ANALYZE")

    @staticmethod
    def _bulk_entries(
        conn: sqlite3.Connection, batch: list[Entry], names: dict[int | None, str], stamp: str
    ) -> None:
        conn.executemany(
            "INSERT INTO entries (id, uuid, date, time, kind, direction, weight, on_behalf_of,"
            " note, follow_up, follow_up_done, thanked, types_label, people_label, created,"
            " updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.id,
                    e.uuid,
                    *_entry_values(e),
                    ", ".join(names[p] for p in e.person_ids),
                    e.created or stamp,
                    e.updated or stamp,
                )
                for e in batch
            ],
        )
        conn.executemany(
            "INSERT INTO entry_people (entry_id, person_id, position, date, direction, weight)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (e.id, pid, pos, e.date.isoformat(), e.direction, e.weight)
                for e in batch
                for pos, pid in enumerate(e.person_ids)
            ],
        )
        conn.executemany(
            "INSERT INTO entry_support (entry_id, type_key) VALUES (?, ?)",
            [(e.id, key) for e in batch for key in e.support_types],
        )
        conn.executemany(
            "INSERT INTO entry_person_support (entry_id, person_id, type_key, date, direction,"
            " weight) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (e.id, pid, key, e.date.isoformat(), e.direction, e.weight)
                for e in batch
                for pid in e.person_ids
                for key in e.support_types
            ],
        )

    # ---------------------------------------------------------------- dismissals

    def dismissals(self, today: date) -> set[str]:
        """Keys of Today items the user dismissed, or snoozed past ``today``."""
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT item_key FROM dismissals WHERE until IS NULL OR until > ?",
                (today.isoformat(),),
            )
        }

    def dismiss(self, item_key: str, until: date | None = None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO dismissals (item_key, until, created) VALUES (?, ?, ?) "
                "ON CONFLICT(item_key) DO UPDATE SET until = excluded.until",
                (item_key, _iso(until), now_stamp()),
            )

    def undismiss(self, item_key: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM dismissals WHERE item_key = ?", (item_key,))

    # -------------------------------------------------------------------- search

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over people and entry notes; prefix matching per word.

        People come best match first (ranking a few thousand rows is cheap).
        Entries come newest first: ranking every note that matches a common
        prefix costs up to a second on a million entries, while reading the
        newest matches from the index costs milliseconds. Notes are matched on
        the words of two letters or more ("ana r" finds notes by "ana"): a
        one-letter prefix matches most of a million notes, costs the most, and
        is only a word being typed.
        """
        match = fts_query(query)
        if not match:
            return []
        note_match = fts_query(
            " ".join(w for w in re.findall(r"\w+", query, flags=re.UNICODE) if len(w) >= 2)
        )
        hits: list[SearchHit] = []
        for pid, name, snippet in self.conn.execute(
            "SELECT p.id, p.name, snippet(people_fts, -1, '[', ']', '…', 10) FROM people_fts "
            "JOIN people p ON p.id = people_fts.rowid WHERE people_fts MATCH ? "
            "ORDER BY rank LIMIT ?",
            (match, limit),
        ):
            hits.append(SearchHit("person", pid, name, snippet))
        if not note_match:
            return hits
        for eid, label, day, snippet in self.conn.execute(
            "SELECT e.id, e.people_label, e.date, snippet(entries_fts, 0, '[', ']', '…', 12) "
            "FROM entries_fts JOIN entries e ON e.id = entries_fts.rowid "
            "WHERE entries_fts MATCH ? ORDER BY entries_fts.rowid DESC LIMIT ?",
            (note_match, limit),
        ):
            hits.append(SearchHit("entry", eid, label, snippet, date.fromisoformat(day)))
        return hits


# ---------------------------------------------------------------------- helpers


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            # A WAL journal in a folder we cannot write: SQLite cannot create the
            # shared-memory file it reads through. With no -wal file beside it the
            # main file holds everything, so read it as an unchanging file.
            conn.close()
            if "readonly" not in str(exc) and "unable to open" not in str(exc):
                raise
            wal = path.with_name(path.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise ReadOnlyError(
                    f"{path} cannot be opened: its folder is read-only and the journal was "
                    "not closed cleanly (a -wal file is beside it)."
                ) from exc
            conn = sqlite3.connect(
                uri + "&immutable=1",
                uri=True,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
    else:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _open_error(path: Path, exc: sqlite3.DatabaseError) -> Exception:
    """What opening ``path`` failed with, in words; unknown SQLite errors pass through."""
    if "not a database" in str(exc) and not _has_sqlite_magic(path):
        return NotAJournalError(f"{path} is not a Ties journal (not an SQLite file).")
    if "not a database" in str(exc) or "malformed" in str(exc):
        return CorruptJournalError(f"{path} is damaged or not a journal: {exc}.")
    return exc


def _has_sqlite_magic(path: Path) -> bool:
    """Whether the file starts like an SQLite database (read only after SQLite refused it)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; a folder that cannot be synced is left alone."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _slug(key: str) -> str:
    import re

    return re.sub(r"[^a-z0-9_]+", "_", key.strip().lower()).strip("_")


def _valid_time(value: str) -> bool:
    import re

    m = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
    return bool(m) and int(m.group(1)) < 24 and int(m.group(2)) < 60  # type: ignore[union-attr]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, for matching people."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def fts_query(text: str) -> str:
    """Turn what a person types into a safe FTS5 query: every word, as a prefix."""
    import re

    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words[:20])
