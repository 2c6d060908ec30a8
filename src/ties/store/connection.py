"""The SQLite connection under a journal: how it is opened, and what its errors mean.

``Store.open`` (in :mod:`ties.store.journal`) looks ``_connect`` up in its own
module, so a test that stands in a capped connection patches
``ties.store.journal._connect``; the busy timeout is read here, in
``ties.store.connection.BUSY_TIMEOUT_MS``.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from ties.store import encryption
from ties.store.encryption import CipherKey
from ties.store.errors import (
    CorruptJournalError,
    DiskFullError,
    JournalError,
    NotAJournalError,
    ReadOnlyError,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000


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
    if "could not decode to utf-8" in msg:
        # Text that is not UTF-8, which Ties never writes: a damaged page (Python's
        # sqlite3 says so with an OperationalError quoting the whole text, left out here).
        column = str(exc).split(" with text ", 1)[0]
        return CorruptJournalError(f"The journal file is damaged (SQLite: {column}).")
    if "database is locked" in msg or "database table is locked" in msg:
        return JournalError(
            f"The journal is busy: another program kept writing to it for "
            f"{BUSY_TIMEOUT_MS / 1000:g} seconds. Nothing was saved; try again."
        )
    return None


def enter_wal(conn: sqlite3.Connection) -> None:
    """Put the journal in WAL mode, waiting for other processes as a write would.

    Switching a new file from its rollback journal to WAL needs a moment alone
    with it, and SQLite answers "database is locked" at once, without its busy
    handler, while another connection holds the write lock (another `ties`
    started at the same moment, creating the schema). So the switch is retried
    for up to the busy timeout; a process that finds WAL already set does nothing.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def translate_error(exc: BaseException) -> BaseException:
    """An SQLite error a person can act on as the journal error it is; anything else as it is.

    For the layers above the store that meet SQLite errors raised while reading
    (the command line, the window's workers): damage, a full disk or a busy
    journal then reads as one clear line instead of a bug report.
    """
    if isinstance(exc, sqlite3.Error):
        return _translate(exc) or exc
    return exc


def _sqlite_connect(
    target: str | Path, key: CipherKey | None, *, uri: bool = False
) -> sqlite3.Connection:
    """Python's sqlite3 for a plain journal, SQLCipher for an encrypted one (``key``)."""
    if key is not None:
        return encryption.connect(target, key, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000)
    return sqlite3.connect(target, uri=uri, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)


def _sort_key(text: str | bytes | None) -> str | None:
    if text is None:
        return None
    if isinstance(text, bytes):  # a damaged, undecodable label sorts somewhere, never fails
        text = text.decode("utf-8", "replace")
    from ties.store.fold import fold

    return fold(text)


def register_sort_key(conn: sqlite3.Connection) -> None:
    """``ties_sort_key(text)``: the accent- and case-free form entries are sorted by.

    Only Ties' own statements call it (it fills ``entries.people_key``, schema v8);
    no index, trigger or view does, so any SQLite program still reads and writes
    the journal.
    """
    conn.create_function("ties_sort_key", 1, _sort_key, deterministic=True)


def _connect(path: Path, readonly: bool, key: CipherKey | None = None) -> sqlite3.Connection:
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = _sqlite_connect(uri, key, uri=True)
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
            conn = _sqlite_connect(uri + "&immutable=1", key, uri=True)
    else:
        conn = _sqlite_connect(path, key)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    register_sort_key(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def encryption_key_to_try(
    path: Path, exc: sqlite3.DatabaseError | None, unlock: encryption.Unlock | None
) -> CipherKey | None:
    """The key to open ``path`` with if it is an encrypted journal; None if it is not.

    ``exc`` is what SQLite said of the file as a plain one, if it was tried.
    Raises when the file looks encrypted but cannot be tried: no sqlcipher3 here,
    or no passphrase given.
    """
    if exc is not None and "not a database" not in str(exc):
        return None
    header, size = encryption.read_header(path)
    if not encryption.looks_encrypted(header, size):
        return None
    encryption.require()
    return encryption.key_for(path, header[: encryption.SALT_BYTES], unlock)


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
