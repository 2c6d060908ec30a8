"""Encrypting, decrypting and rekeying a journal file: beside it, checked, then swapped.

The converted copy is written with SQLCipher's ``sqlcipher_export`` into a
temporary file beside the journal while the journal is held alone (exclusive
lock), checked (integrity, the same rows in every table), fsynced, and only
then put in place with ``os.replace`` and a synced folder. The old file stays as
a backup under a ``.before-…`` name (a hard link made before the swap), so a kill
at any moment leaves a readable journal under the journal's own name: the old
one until the rename, the new one after it.

A journal encrypted or rekeyed here is written in the current page format
(:data:`ties.store.encryption.PAGE_HMAC`), so a new passphrase (``ties
passphrase``) also moves a journal encrypted before to it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

from ties.store import encryption, schema
from ties.store.connection import BUSY_TIMEOUT_MS, _translate
from ties.store.encryption import CipherKey, WrongPassphraseError
from ties.store.errors import JournalError, NotAJournalError, NotFoundError
from ties.store.files import fsync_dir, process_alive

TEMP_MARK = ".converting-"


def convert(path: str | Path, old: CipherKey | None, new: CipherKey | None, reason: str) -> Path:
    """Rewrite the journal at ``path`` from key ``old`` to key ``new`` (None: plain).

    Returns the backup the old file was kept as. Raises a :class:`JournalError`
    with one line for a wrong key, a journal open in another program, or a
    copy that fails its check; the journal is then unchanged.
    """
    module = encryption.require()
    path = Path(path).expanduser()
    if not path.is_file() or path.stat().st_size == 0:
        raise NotFoundError(f"There is no journal at {path}.")
    remove_stale_temporaries(path)
    tmp = path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}")
    try:
        source = encryption.connect(path, old, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.DatabaseError as exc:  # a wrong key is met as soon as a page is read
        if "not a database" in str(exc):
            raise WrongPassphraseError(encryption.WRONG_PASSPHRASE) from None
        raise
    try:
        _hold_alone(source, path)
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        target_key = "" if new is None else new.pragma_value().strip('"')
        source.execute("ATTACH DATABASE ? AS converted KEY ?", (str(tmp), target_key))
        if new is not None:  # the page format of journals encrypted now (an old one's too)
            source.execute(f"PRAGMA converted.cipher_hmac_algorithm = {new.page_hmac}")
        source.execute("SELECT sqlcipher_export('converted')")
        for pragma in ("user_version", "application_id"):
            value = int(source.execute(f"PRAGMA main.{pragma}").fetchone()[0])
            source.execute(f"PRAGMA converted.{pragma} = {value}")
        source.execute("DETACH DATABASE converted")
        _check_copy(source, tmp, new)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        backup = _backup_name(path, reason)
        _keep_as_backup(path, backup)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except sqlite3.Error as exc:
        known = _translate(exc) or JournalError(f"The journal could not be converted: {exc}")
        raise known from exc
    except module.Error as exc:
        raise JournalError(f"The journal could not be converted: {exc}") from exc
    finally:
        source.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    encryption.remember_key(path, new)
    return backup


def _hold_alone(source: sqlite3.Connection, path: Path) -> None:
    """Check the key, then keep the journal to ourselves until the swap is done.

    Leaving WAL mode needs the only connection to the file, so a journal open in
    a window or another command is refused here, before anything is written;
    the exclusive lock then keeps others from starting to write to the old file.
    """
    try:
        app_id = source.execute("PRAGMA application_id").fetchone()[0]
        tables = source.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise WrongPassphraseError(encryption.WRONG_PASSPHRASE) from None
        raise
    if app_id != schema.APPLICATION_ID or not tables:
        raise NotAJournalError(f"{path} is not a Ties journal.")
    source.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = source.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        mode = "wal"
    if str(mode).lower() != "delete":
        raise JournalError(
            f"{path} is open in another window or program: close it there first, then try again."
        )
    source.execute("PRAGMA locking_mode = EXCLUSIVE")
    source.execute("BEGIN EXCLUSIVE")
    source.execute("COMMIT")  # the exclusive lock stays until the connection closes


def _check_copy(source: sqlite3.Connection, tmp: Path, key: CipherKey | None) -> None:
    """The copy opens with its key, passes SQLite's check and holds the same rows."""
    names = [
        r[0]
        for r in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    # Read-only: SQLCipher's checks of a writable connection also write into b-trees of
    # their own (its FTS5 check), about 60% slower on the reference journal.
    copy = encryption.connect_read_only(tmp, key)
    try:
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise JournalError(f"The converted copy failed its check ({result}); nothing changed.")
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            mine = source.execute(f"SELECT count(*) FROM main.{quoted}").fetchone()[0]
            theirs = copy.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]
            if mine != theirs:
                raise JournalError(
                    f"The converted copy lost rows of {name} ({theirs} of {mine}); nothing changed."
                )
        for pragma in ("user_version", "application_id"):
            if (
                source.execute(f"PRAGMA main.{pragma}").fetchone()[0]
                != copy.execute(f"PRAGMA {pragma}").fetchone()[0]
            ):
                raise JournalError(f"The converted copy lost its {pragma}; nothing changed.")
    finally:
        copy.close()


def _backup_name(path: Path, reason: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.{reason}-{stamp}-{n}{path.suffix}.bak")
    return candidate


def _keep_as_backup(path: Path, backup: Path) -> None:
    """A second name for the old file before the swap (a copy where links are refused)."""
    try:
        os.link(path, backup)
    except OSError:
        shutil.copy2(path, backup)
        with open(backup, "rb+") as fh:
            os.fsync(fh.fileno())
    fsync_dir(path.parent)


def remove_stale_temporaries(path: Path) -> None:
    """Copies a killed conversion left beside the journal: never the journal itself."""
    prefix = f".{path.name}{TEMP_MARK}"
    with contextlib.suppress(OSError):
        for other in path.parent.iterdir():
            if other.name.startswith(prefix):
                pid = other.name[len(prefix) :].split("-", 1)[0]  # also its -journal
                if pid.isdigit() and (int(pid) == os.getpid() or not process_alive(int(pid))):
                    with contextlib.suppress(OSError):
                        other.unlink()


def encrypt(path: str | Path, passphrase: str) -> Path:
    """Encrypt a plain journal with a new passphrase; returns the plain backup kept."""
    return convert(path, None, encryption.derive_key(passphrase), "before-encrypt")


def decrypt(path: str | Path, key: CipherKey) -> Path:
    """Write an encrypted journal back as a plain one; returns the encrypted backup kept."""
    return convert(path, key, None, "before-decrypt")


def rekey(path: str | Path, key: CipherKey, new_passphrase: str) -> Path:
    """Change an encrypted journal's passphrase; the backup keeps the old one."""
    return convert(path, key, encryption.derive_key(new_passphrase), "before-passphrase")
