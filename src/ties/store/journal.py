"""The journal store: one SQLite file, opened safely, written in explicit transactions.

Every write goes through :meth:`Store.transaction`, which is a single
``BEGIN IMMEDIATE … COMMIT`` (nested calls become savepoints), so an entry is
never saved without its people and support types. The window, the command line,
the analyses and the importers all use this class; none of them writes SQL.

``Store`` itself holds opening, transactions, settings and dismissals; the rest
comes from one mixin a part, each in a module named for what it holds:
:mod:`~ties.store.people`, :mod:`~ties.store.entries`, :mod:`~ties.store.taxonomy`
(circles and support types), :mod:`~ties.store.derived` (search index rows and
labels kept in step), :mod:`~ties.store.bulk_load`, :mod:`~ties.store.search`
and :mod:`~ties.store.files` (backups and integrity checks). The names other
modules import from here (``EntryFilter``, ``fold``, ``fsync_dir``, …) are here still.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ties.model import SupportType, now_stamp
from ties.store import encryption, schema
from ties.store.bulk_load import BulkLoadStore
from ties.store.connection import (
    SQLITE_MAGIC,
    _connect,
    _open_error,
    _translate,
    encryption_key_to_try,
    enter_wal,
)
from ties.store.derived import FTS_COLUMNS, DerivedStore
from ties.store.entries import ENTRY_COLUMNS, ENTRY_SORTS, EntryFilter, EntryStore
from ties.store.errors import (
    CorruptJournalError,
    JournalError,
    NewerVersionError,
    NotAJournalError,
    NotFoundError,
    ReadOnlyError,
)
from ties.store.files import FileLevelStore, fsync_dir
from ties.store.people import (
    PEOPLE_SORTS,
    PERSON_COLUMNS,
    DeletedPerson,
    PeopleFilter,
    PeopleStore,
)
from ties.store.search import SearchStore, fold, fts_query
from ties.store.taxonomy import TaxonomyStore
from ties.store.values import MAX_TEXT, _iso

if TYPE_CHECKING:
    import sqlite_utils

__all__ = [
    "ENTRY_COLUMNS",
    "ENTRY_SORTS",
    "FTS_COLUMNS",
    "MAX_TEXT",
    "PEOPLE_SORTS",
    "PERSON_COLUMNS",
    "SQLITE_MAGIC",
    "DeletedPerson",
    "EntryFilter",
    "PeopleFilter",
    "Store",
    "fold",
    "fsync_dir",
    "fts_query",
]


class Store(
    FileLevelStore,
    TaxonomyStore,
    PeopleStore,
    EntryStore,
    DerivedStore,
    BulkLoadStore,
    SearchStore,
):
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
        #: Set by integrity_problems() when it finds any: then close() writes nothing.
        self.found_damage = False

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
        unlock: encryption.Unlock | None = None,
    ) -> Store:
        """Open (or create) a journal, refusing anything that is not one.

        A file written by a newer Ties, a non-SQLite file or a foreign SQLite
        database raises a :class:`JournalError` and is left untouched. Before an
        existing journal is migrated, a copy is set aside next to it. An
        encrypted journal is opened with ``unlock`` (a passphrase, a key, or a
        callable asked only then; see :mod:`ties.store.encryption`).
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
        key = encryption.cached_key(path) if exists else None
        if key is not None:  # opened encrypted before in this process
            try:
                return cls._open_with(path, readonly, key, exists, migrate=migrate, check=check)
            except sqlite3.DatabaseError as exc:
                if "not a database" not in str(exc):
                    raise _open_error(path, exc) from exc
                encryption.remember_key(path, None)  # decrypted or rekeyed since
        # An encrypted file is never handed to Python's sqlite3 (which would read its
        # WAL as a plain journal's): its header tells it apart first.
        key = encryption_key_to_try(path, None, unlock) if exists else None
        if key is None:
            try:
                return cls._open_with(path, readonly, None, exists, migrate=migrate, check=check)
            except sqlite3.DatabaseError as exc:
                raise _open_error(path, exc) from exc
        try:
            store = cls._open_with(path, readonly, key, exists, migrate=migrate, check=check)
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise encryption.WrongPassphraseError(encryption.WRONG_PASSPHRASE) from None
            # SQLCipher reports a page whose checksum fails (damage, tampering) as a
            # plain SQL error: the right key opened page 1, so the rest is damaged.
            raise CorruptJournalError(
                f"{path} is damaged or was tampered with (SQLCipher: {exc})."
            ) from exc
        encryption.remember_key(path, key)
        return store

    @classmethod
    def _open_with(
        cls,
        path: Path,
        readonly: bool,
        key: encryption.CipherKey | None,
        exists: bool,
        *,
        migrate: bool,
        check: bool,
    ) -> Store:
        conn = _connect(path, readonly) if key is None else _connect(path, readonly, key)
        try:
            store = cls(conn, path, readonly)
            store._prepare(exists, migrate=migrate, check=check)
        except BaseException:
            conn.close()
            raise
        return store

    @property
    def encrypted(self) -> bool:
        """Whether this journal is an SQLCipher file."""
        return encryption.key_of(self.conn) is not None

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
            enter_wal(conn)

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

    def close(self, *, optimize: bool = True) -> None:
        """Close the connection; ``optimize`` lets SQLite refresh its statistics first."""
        with contextlib.suppress(sqlite3.Error):
            if optimize and not self.readonly and not self.found_damage:
                self.conn.execute("PRAGMA optimize")
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        # A block that failed (a damaged page met, a write refused) leaves the file as it
        # was: not even the statistics PRAGMA optimize would write.
        self.close(optimize=exc_type is None)

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
