"""The journal store: one SQLite file, opened safely, written in explicit transactions.

Every write goes through :meth:`StoreCore.transaction`, which is a single
``BEGIN IMMEDIATE … COMMIT`` (nested calls become savepoints), so an entry is
never saved without its people and support types. The window, the command line,
the analyses and the importers all use this class; none of them writes SQL.

``Store`` holds opening and closing; everything else is a plain function in a
module named for what it holds, listed here once as a method:
:mod:`~ties.store.core` (the connection, caches and transactions),
:mod:`~ties.store.people` (with :mod:`~ties.store.person_details`,
:mod:`~ties.store.links` and :mod:`~ties.store.merge`), :mod:`~ties.store.entries`,
:mod:`~ties.store.taxonomy`
(circles and support types), :mod:`~ties.store.derived` (search index rows and
labels kept in step), :mod:`~ties.store.bulk_load`, :mod:`~ties.store.search`,
:mod:`~ties.store.files` (backups and integrity checks), :mod:`~ties.store.meta`
(settings) and :mod:`~ties.store.dismissals`. The modules import one another one
way only (a test builds the import graph); none imports this one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from ties.store import (
    bulk_load,
    encryption,
    entries,
    files,
    interrupt,
    meta,
    people,
    person_details,
    schema,
    taxonomy,
)
from ties.store import dismissals as dismissal_part
from ties.store import links as link_part
from ties.store import merge as merge_part
from ties.store import search as search_part
from ties.store.connection import _connect, _open_error, encryption_key_to_try, enter_wal
from ties.store.core import StoreCore
from ties.store.errors import (
    CorruptJournalError,
    JournalError,
    NewerVersionError,
    NotAJournalError,
    NotFoundError,
    ReadOnlyError,
)

__all__ = ["Store"]


class Store(StoreCore):
    """An open journal: :class:`StoreCore` with the parts' functions as its methods.

    Attributes:
        path: the journal file.
        readonly: true when the file or its folder cannot be written.
        wal_at_open: a write-ahead log was beside the file when it was opened: another
            process has it open, or the last one to write it ended without closing it.
    """

    wal_at_open: bool = False

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        readonly: bool = False,
        migrate: bool = True,
        check: bool = False,
        unlock: encryption.Unlock | None = None,
    ) -> Store:
        """Open (or create) a journal, refusing anything that is not one.

        A file written by a newer Ties, a non-SQLite file or a foreign SQLite
        database raises a :class:`JournalError` and is left untouched. Before an
        existing journal is migrated, a copy is set aside next to it.

        Opening reads no more than the header and the schema: damage elsewhere is met
        by the read that touches it (as :class:`CorruptJournalError` once translated),
        by the window's background check and by ``ties check``. ``check`` runs SQLite's
        quick check first (seconds on a lifetime journal).
        An encrypted journal is opened with ``unlock`` (a passphrase, a key, or a
        callable asked only then; see :mod:`ties.store.encryption`).
        """
        # The real file, once: a journal reached through a symlink is written, backed up,
        # locked and restored where it really is (a restore replaced the link with a file,
        # forking the journal: issue #20, item 6).
        path = Path(os.path.realpath(Path(path).expanduser()))
        if path.exists() and not path.is_file() and not path.is_dir():
            # Opening a FIFO blocks until somebody writes to it: refuse before any open().
            raise NotAJournalError(f"{path} is not a regular file (a pipe, device or socket).")
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
        wal_at_open = exists and _has_wal(path)
        key = encryption.cached_key(path) if exists else None
        if key is not None:  # opened encrypted before in this process
            try:
                return cls._open_with(
                    path,
                    readonly,
                    key,
                    exists,
                    migrate=migrate,
                    check=check,
                    wal_at_open=wal_at_open,
                )
            except sqlite3.DatabaseError as exc:
                if "not a database" not in str(exc):
                    raise _open_error(path, exc) from exc
                encryption.remember_key(path, None)  # decrypted or rekeyed since
        # An encrypted file is never handed to Python's sqlite3 (which would read its
        # WAL as a plain journal's): its header tells it apart first.
        key = encryption_key_to_try(path, None, unlock) if exists else None
        if key is None:
            try:
                return cls._open_with(
                    path,
                    readonly,
                    None,
                    exists,
                    migrate=migrate,
                    check=check,
                    wal_at_open=wal_at_open,
                )
            except sqlite3.DatabaseError as exc:
                raise _open_error(path, exc) from exc
        try:
            store = cls._open_with(
                path, readonly, key, exists, migrate=migrate, check=check, wal_at_open=wal_at_open
            )
        except CorruptJournalError:
            # The key opened it (a wrong one reads as "not a database"): kept, so the
            # recovery finds the journal's encrypted backups without asking again.
            encryption.remember_key(path, key)
            raise
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise encryption.WrongPassphraseError(encryption.WRONG_PASSPHRASE) from None
            # SQLCipher reports a page whose checksum fails (damage, tampering) as a
            # plain SQL error: the right key opened page 1, so the rest is damaged.
            encryption.remember_key(path, key)
            raise CorruptJournalError(
                f"{path} is damaged or was tampered with (SQLCipher: {exc})."
            ) from exc
        # The key as it opened the file: in the file's page format, tried first next time.
        encryption.remember_key(path, store.cipher_key or key)
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
        wal_at_open: bool = False,
    ) -> Store:
        conn = _connect(path, readonly) if key is None else _connect(path, readonly, key)
        try:
            store = cls(conn, path, readonly)
            store.wal_at_open = wal_at_open
            store._prepare(exists, migrate=migrate, check=check)
        except BaseException:
            conn.close()
            raise
        if not readonly:  # what a killed restore, migration or backup left behind
            from ties.paths import backup_dir_if_any

            files.remove_leftovers(path, backup_dir_if_any())
        return store

    @property
    def encrypted(self) -> bool:
        """Whether this journal is an SQLCipher file."""
        return encryption.key_of(self.conn) is not None

    @property
    def cipher_key(self) -> encryption.CipherKey | None:
        """The key this encrypted journal was opened with (None: a plain journal)."""
        return encryption.key_of(self.conn)

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
            self.quick_check()
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

    # ------------------------------------------------------------------- people

    validate_person = people.validate_person
    add_person = people.add_person
    update_person = people.update_person
    set_archived = people.set_archived
    get_person = people.get_person
    get_person_by_uuid = people.get_person_by_uuid
    name_taken_by = people.name_taken_by
    people_named = people.people_named
    resolve_person = people.resolve_person
    people_starting = people.people_starting
    list_people = people.list_people
    people_matching = people.people_matching
    count_people = people.count_people
    person_entry_count = people.person_entry_count
    person_entry_split = people.person_entry_split
    delete_person = people.delete_person
    restore_person = people.restore_person

    # ------------------------------------- details, tags, photo, links, merging

    tags = person_details.tags
    tagged_ids = person_details.tagged_ids
    find_people_by_detail = people.find_people_by_detail
    get_photo = person_details.get_photo
    set_photo = person_details.set_photo
    links = link_part.links
    linked_pairs = link_part.linked_pairs
    link = link_part.link
    add_links = link_part.add_links
    unlink = link_part.unlink
    restore_link = link_part.restore_link
    merge_people = merge_part.merge_people
    unmerge_people = merge_part.unmerge_people

    # ------------------------------------------------------------------ entries

    validate_entry = entries.validate_entry
    add_entry = entries.add_entry
    update_entry = entries.update_entry
    delete_entry = entries.delete_entry
    get_entry = entries.get_entry
    get_entries = entries.get_entries
    get_entry_by_uuid = entries.get_entry_by_uuid
    list_entries = entries.list_entries
    iter_entry_rows = entries.iter_entry_rows
    iter_entries = entries.iter_entries
    entry_ids = entries.entry_ids
    count_entries = entries.count_entries
    person_history = entries.person_history
    set_follow_up_done = entries.set_follow_up_done
    set_thanked = entries.set_thanked

    # ------------------------------------------------- circles and support types

    circles = taxonomy.circles
    save_circle = taxonomy.save_circle
    delete_circle = taxonomy.delete_circle
    support_types = taxonomy.support_types
    support_type = taxonomy.support_type
    forget_types = taxonomy.forget_types
    unknown_type_message = taxonomy.unknown_type_message
    save_support_type = taxonomy.save_support_type
    delete_support_type = taxonomy.delete_support_type

    # ------------------------------------------------------ search, bulk, files

    search = search_part.search
    bulk_insert = bulk_load.bulk_insert
    backup_to = files.backup_to
    copy_aside = files.copy_aside
    integrity_problems = files.integrity_problems
    quick_check = files.quick_check
    stop_when = interrupt.stop_when
    snapshot_image = files.snapshot_image
    memory_copy = files.memory_copy

    # ---------------------------------------------------- settings, dismissals

    get_meta = meta.get_meta
    set_meta = meta.set_meta
    meta_keys = meta.meta_keys
    get_setting = meta.get_setting
    set_setting = meta.set_setting
    dismissals = dismissal_part.dismissals
    dismiss = dismissal_part.dismiss
    undismiss = dismissal_part.undismiss

    @property
    def name(self) -> str:
        """The journal's display name (the file name unless the user set one)."""
        return self.get_meta("name") or self.path.stem

    @property
    def is_demo(self) -> bool:
        return self.get_meta("demo") == "1"


def _has_wal(path: Path) -> bool:
    """A non-empty write-ahead log beside the journal (a writer died, or one is at work).

    One ``stat``, never exists-then-stat: another process closing the journal removes
    its WAL at any moment, and that must not fail this open (it did, in CI).
    """
    try:
        return os.stat(path.with_name(path.name + "-wal")).st_size > 0
    except OSError:
        return False
