"""A consistent copy of an encrypted journal made of its encrypted pages as they are.

SQLite's online backup API decrypts every page of an encrypted journal and encrypts
it again for the copy (3.5x the time of a plain journal's backup on the reference
journal, docs/performance.md). A backup of an encrypted journal is encrypted with the
same key, salt and page format, so its pages can be the journal's own bytes: the main
file and the WAL are copied as they are while a read transaction is held, and the
copy is then opened with the key, its WAL checkpointed into it and its pages checked
(each page read decrypts and verifies its HMAC), as the backup API's copy is.

Why the copy is consistent: while this connection holds its read transaction, no
checkpoint writes into the main file a frame newer than this connection's snapshot,
nor restarts the WAL over frames that snapshot reads (SQLite's WAL locks); a frame
newer than the snapshot is only ever appended to the WAL. So the main file copied
holds every page as of the snapshot or as of a frame the WAL copy holds too, and
opening the copy replays the WAL's frames up to its last complete commit (checksums
and salts stop it at anything torn or left from before): the copy is the journal as
of the snapshot or of a later commit, never a mix.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ties.store import encryption
from ties.store.errors import CorruptJournalError

#: Bytes copied per system call.
_CHUNK = 1 << 24


def can_copy(conn: sqlite3.Connection) -> bool:
    """Whether ``conn`` is an encrypted journal's connection this copy can be taken from.

    It must be in WAL mode (the locks above) and not inside a transaction of its own;
    the platform must read files at an offset (``os.pread``: not on Windows).
    """
    if encryption.key_of(conn) is None or conn.in_transaction or not hasattr(os, "pread"):
        return False
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    return str(mode).lower() == "wal"


def copy_files(conn: sqlite3.Connection, journal: Path, target: Path) -> None:
    """Copy the journal's main file and WAL, as they are, to ``target`` and its ``-wal``.

    ``target`` exists (empty); the caller opens it with the journal's key afterwards
    (:func:`ties.store.encryption.connect`), which replays the copied WAL.
    """
    wal = journal.with_name(journal.name + "-wal")
    target_wal = target.with_name(target.name + "-wal")
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
        # The main file through the descriptor kept open for it: closing one of ours
        # would drop this process's locks on the journal (encryption.read_header).
        _copy_from(encryption.journal_fd(journal), target)
        try:
            src = os.open(wal, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            return
        try:
            _copy_from(src, target_wal, create=True)
        finally:
            os.close(src)  # (SQLite takes no locks on the -wal file itself)
    finally:
        conn.execute("COMMIT")


def _copy_from(src: int, target: Path, *, create: bool = False) -> None:
    flags = os.O_WRONLY | os.O_TRUNC | (os.O_CREAT | os.O_EXCL if create else 0)
    dst = os.open(target, flags, 0o600)
    try:
        offset = 0
        in_kernel = hasattr(os, "copy_file_range")  # Linux only
        while True:
            n = 0
            if in_kernel:
                try:
                    n = os.copy_file_range(src, dst, _CHUNK, offset, offset)
                except OSError:  # a file system or kernel without it
                    in_kernel = False
            if not in_kernel:
                data = os.pread(src, _CHUNK, offset)
                n = os.pwrite(dst, data, offset) if data else 0
            if n == 0:
                return
            offset += n
    finally:
        os.close(dst)


def copy_and_check(conn: sqlite3.Connection, journal: Path, target: Path, *, verify: bool) -> None:
    """The backup of ``journal`` in ``target``: copied as it is, made whole, quick-checked.

    The copied WAL is checkpointed into the copy and the copy marked as a rollback
    journal file (as a backup of Ties is). The check then runs on a read-only
    connection: SQLCipher's quick check of a writable one took 7.8 s against 4.8 s
    on the reference journal (its FTS5 check writes into b-trees of its own).
    """
    key = encryption.key_of(conn)
    assert key is not None
    copy_files(conn, journal, target)
    copy = encryption.connect(target, key)
    try:
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    if not verify:
        return
    # Its page cache holds the whole copy, as the journal's does (cache_kib): the check
    # reads many pages more than once, and each read from the file decrypts it again.
    check = encryption.connect_read_only(target, key)
    try:
        result = check.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        check.close()
    if result != "ok":
        lines = [x for x in str(result).splitlines() if x.strip() and not x.startswith("***")]
        raise CorruptJournalError(f"The backup failed its check: {(lines or [result])[0]}")
