"""Backups and restore: consistent copies, rotation, and a careful way back.

A backup is always made by :meth:`Store.backup_to` (SQLite's online backup API
into a temporary name, fsync, quick check, rename; the full check runs later,
see :mod:`ties.io.backup_checks`), never by copying the
file, which would be inconsistent while the window writes. Automatic backups
go to :func:`ties.paths.backup_dir` and are thinned out by a daily / weekly /
monthly rotation. Restoring treats the chosen file as untrusted until it has
been checked: SQLite header, read-only open with defensive settings, Ties
schema of a readable version, integrity check; only then is the journal
replaced atomically, after a copy of it was set aside.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO, cast

from ties.io import crypto
from ties.io.atomic import atomic_write
from ties.io.backup_records import forget as forget_check
from ties.io.backup_records import record as record_check
from ties.io.open_elsewhere import replace_journal, swap_guard
from ties.paths import backup_dir, private_dir
from ties.store import (
    CorruptJournalError,
    DiskFullError,
    JournalError,
    NewerVersionError,
    NotAJournalError,
    NotFoundError,
    ReadOnlyError,
    Store,
    encryption,
    schema,
)
from ties.store.backup_reads import JournalSummary, journal_summary
from ties.store.connection import SQLITE_MAGIC
from ties.store.encryption import CipherKey
from ties.store.files import fsync_dir
from ties.store.settings import default as setting_default

ROTATION_SETTING = "backup_rotation"
DEFAULT_ROTATION = setting_default(ROTATION_SETTING)  # declared in ties.store.settings
#: Backups taken before an import or a restore that are kept per journal.
KEEP_SAFETY = 10
SUFFIX = ".ties"
ENCRYPTED_SUFFIX = ".ties.enc"
#: ``<stem>-<journal tag>-<kind>-<stamp>.ties[.enc]``; backups from before journal
#: identities have no tag (``<stem>-<kind>-<stamp>``).
_NAME = re.compile(
    r"^(?P<stem>.+?)(?:-(?P<tag>[0-9a-f]{10}))?-(?P<kind>auto|manual|before-import|before-restore)-"
    r"(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.ties(?:\.enc)?$"
)
#: The meta key of the journal's identity (a random UUID, set at its first writable backup).
JOURNAL_ID_KEY = "journal_id"
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupInfo:
    """One file in the backup folder, as the restore dialog lists it."""

    path: Path
    kind: str  # auto, manual, before-import, before-restore
    taken: datetime
    size: int
    encrypted: bool
    #: The tag of the journal it belongs to (:func:`journal_tag`); ``None`` for older names.
    tag: str | None = None


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now()).strftime(_STAMP)


def journal_tag(journal: Path) -> str:
    """The short tag of a journal's real path that its backups' names carry.

    Two journals of the same file name in different folders get different tags,
    so neither lists, recovers from or rotates away the other's backups.
    """
    real = str(Path(journal).expanduser().resolve())
    return hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:10]


def journal_id(store: Store) -> str | None:
    """The journal's identity (a UUID in its meta table), created on first use.

    A read-only journal without one has none (``None``); its backups are then
    known by their path tag only.
    """
    value = store.get_meta(JOURNAL_ID_KEY)
    if value is None and not store.readonly:
        value = uuid.uuid4().hex
        store.set_meta(JOURNAL_ID_KEY, value)
    return value


def read_journal_id(path: Path) -> str | None:
    """The identity stored in a journal or plain backup file, without trusting it.

    ``None`` when it has none or cannot be read (a damaged or encrypted file).
    """
    try:
        conn = open_untrusted(Path(path))
    except (JournalError, OSError, sqlite3.Error):
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (JOURNAL_ID_KEY,)).fetchone()
    except (sqlite3.Error, UnicodeDecodeError):
        return None
    finally:
        conn.close()
    return row[0] if row and isinstance(row[0], str) else None


def _free_name(folder: Path, stem: str, kind: str, now: datetime | None, suffix: str) -> Path:
    base = f"{stem}-{kind}-{_stamp(now)}"
    target = folder / f"{base}{suffix}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{base}-{n}{suffix}"
    return target


def backup(
    store: Store,
    target: Path | None = None,
    *,
    passphrase: str | None = None,
    kind: str = "manual",
    now: datetime | None = None,
) -> Path:
    """Write a verified backup of ``store``; encrypted when a passphrase is given.

    Without ``target`` the file goes to the backup folder under a dated name.
    The encrypted form is written from a quick-checked copy in memory (never a
    plaintext file on disk); the encrypted file is then read back and checked
    chunk by chunk before the call returns. A ``.enc`` name without a
    passphrase, and a passphrase shorter than :data:`crypto.MIN_PASSPHRASE`,
    are refused. Names carry the journal's tag (:func:`journal_tag`). An
    encrypted journal's backup is encrypted with its own key (:meth:`Store.backup_to`);
    a backup passphrase on top of it is refused.
    """
    if passphrase is not None and store.encrypted:
        raise JournalError(
            f"{store.path.name} is encrypted: its backups are encrypted with its passphrase "
            "already; back up without a backup passphrase. Nothing was written."
        )
    if passphrase is not None:
        crypto.check_new_passphrase(passphrase)
        crypto.no_core_dumps()
    stem = f"{store.path.stem}-{journal_tag(store.path)}"
    suffix = ENCRYPTED_SUFFIX if passphrase else SUFFIX
    if target is None:
        target = _free_name(backup_dir(), stem, kind, now, suffix)
    target = Path(target).expanduser()
    if target.is_dir():
        target = _free_name(target, stem, kind, now, suffix)
    if passphrase is None and target.name.lower().endswith(".enc"):
        raise JournalError(
            f"{target.name} is named as an encrypted backup, but no passphrase was given: "
            "back up with encryption, or choose a name without '.enc'. Nothing was written."
        )
    if not target.parent.is_dir():
        raise NotFoundError(f"The folder {target.parent} does not exist.")
    if _is_journal_file(target, store.path):
        raise JournalError(
            f"{target} is the journal itself; back it up to another file or a folder."
        )
    with contextlib.suppress(JournalError, sqlite3.Error):  # (a full disk: back up anyway)
        journal_id(store)  # the copy carries the journal's identity
    try:
        if passphrase is None:
            store.backup_to(target)
            _owner_only(target)
            return target
        # Never a plaintext copy on disk: the consistent copy is taken into memory,
        # checked there and encrypted from memory, chunk by chunk.
        image = _ImageReader(snapshot_bytes(store))
        with atomic_write(target) as dst:
            crypto.encrypt_stream(cast(BinaryIO, image), dst, passphrase)
        del image
    except (OSError, sqlite3.OperationalError) as exc:
        # The temporary name beside the target is ours, not the user's: name the folder.
        if isinstance(exc, OSError):
            if not exc.filename or Path(exc.filename).parent != target.parent:
                raise
        elif "unable to open" not in str(exc):
            raise
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise JournalError(
            f"The folder {target.parent} cannot be written ({reason}); nothing was backed up."
        ) from exc
    crypto.verify_file(target, passphrase)
    _owner_only(target)
    return target


class _ImageReader:
    """Reads a database image without copying it, marked as a rollback-journal file.

    Bytes 18 and 19 of an SQLite header say WAL (2) for the journal; a backup
    file says legacy (1), as :meth:`Store.backup_to` leaves its copies.
    """

    def __init__(self, image: bytes) -> None:
        self.view = memoryview(image)
        self.pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.view) if n < 0 else min(len(self.view), self.pos + n)
        chunk = bytes(self.view[self.pos : end])
        wal = len(self.view) > 19 and self.view[18] == 2 and self.view[19] == 2
        if wal and self.pos < 20:
            patched = bytearray(chunk)
            for offset in (18, 19):
                if self.pos <= offset < end:
                    patched[offset - self.pos] = 1
            chunk = bytes(patched)
        self.pos = end
        return chunk


def snapshot_bytes(store: Store) -> bytes:
    """A consistent, quick-checked copy of the journal as bytes (never written to disk)."""
    return store.snapshot_image()


def _is_journal_file(target: Path, journal: Path) -> bool:
    """Whether ``target`` is the journal (or its -wal / -shm): a backup there would replace it."""
    names = [journal.with_name(journal.name + extra) for extra in ("", "-wal", "-shm", "-journal")]
    try:
        if target.exists() and any(n.exists() and target.samefile(n) for n in names):
            return True
    except OSError:
        pass
    return target.resolve() in {n.resolve() for n in names}


def _owner_only(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.chmod(0o600)


# ------------------------------------------------------------------ rotation


def list_backups(stem: str | None = None, folder: Path | None = None) -> list[BackupInfo]:
    """Backups in the backup folder (optionally of one journal), newest first."""
    folder = folder or backup_dir()
    found: list[BackupInfo] = []
    for path in folder.iterdir():
        m = _NAME.match(path.name)
        if not m or (stem is not None and m["stem"] != stem) or not path.is_file():
            continue
        found.append(
            BackupInfo(
                path=path,
                kind=m["kind"],
                taken=datetime.strptime(m["stamp"], _STAMP),
                size=path.stat().st_size,
                encrypted=path.name.endswith(".enc"),
                tag=m["tag"],
            )
        )
    found.sort(key=lambda b: (b.taken, b.path.name), reverse=True)
    return found


def journal_backups(journal: Path, folder: Path | None = None) -> list[BackupInfo]:
    """The backups of this very journal, newest first (see :func:`journal_tag`).

    Backups named before journals had identities (no tag) are matched by the
    file name as before; a journal of the same name elsewhere has another tag.
    """
    journal = Path(journal).expanduser()
    tag = journal_tag(journal)
    return [b for b in list_backups(journal.stem, folder) if b.tag in (tag, None)]


def rotation_settings(store: Store) -> dict[str, int]:
    """How many daily, weekly and monthly automatic backups to keep (a journal setting)."""
    raw = store.get_setting(ROTATION_SETTING)
    out = dict(DEFAULT_ROTATION)
    if isinstance(raw, dict):
        for key in out:
            value = raw.get(key)
            # Never below one per tier: a rotation of 0 would delete every backup.
            if isinstance(value, int) and not isinstance(value, bool):
                out[key] = max(1, min(value, 1000))
    return out


def setting_problem(key: str, value: object) -> str | None:
    """Why an imported journal setting may not be applied (``None``: it may).

    A backup rotation must give each of daily / weekly / monthly a whole
    number from 1 to 1000: a crafted file could otherwise ask for 0 and have
    the next automatic backup delete every earlier one.
    """
    if key != ROTATION_SETTING:
        return None
    if not isinstance(value, dict) or set(value) - set(DEFAULT_ROTATION):
        return "expected daily, weekly and monthly counts"
    for tier, count in value.items():
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
            return f"{tier} must keep 1 to 1000 backups, not {count!r}"
    return None


def to_keep(backups: list[BackupInfo], daily: int, weekly: int, monthly: int) -> set[Path]:
    """Which automatic backups a daily / weekly / monthly rotation keeps.

    For each of the most recent ``daily`` days (``weekly`` ISO weeks,
    ``monthly`` months) that have a backup, the newest backup of that period
    is kept; a backup kept by any rule stays.
    """
    newest_first = sorted(backups, key=lambda b: b.taken, reverse=True)
    keep: set[Path] = set()
    rules: list[tuple[int, Callable[[datetime], object]]] = [
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    ]
    for count, period in rules:
        seen: set[object] = set()
        for b in newest_first:
            if len(seen) >= count:
                break
            key = period(b.taken)
            if key not in seen:
                seen.add(key)
                keep.add(b.path)
    return keep


def rotate(store: Store, folder: Path | None = None) -> list[Path]:
    """Delete automatic backups the rotation no longer keeps; returns what was deleted.

    Backups taken before an import or a restore are kept ``KEEP_SAFETY`` deep;
    manual backups are never deleted. Only this journal's own backups (its tag)
    are ever deleted, never those of another journal of the same name nor the
    untagged ones from before journal identities; the newest backup always stays.
    """
    folder = folder or backup_dir()
    tag = journal_tag(store.path)
    every = [b for b in list_backups(store.path.stem, folder) if b.tag == tag]
    autos = [b for b in every if b.kind == "auto"]
    keep = to_keep(autos, **rotation_settings(store))
    if every:
        keep.add(every[0].path)
    doomed = [b.path for b in autos if b.path not in keep]
    for kind in ("before-import", "before-restore"):
        doomed += [b.path for b in every if b.kind == kind][KEEP_SAFETY:]
    for path in doomed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        forget_check(path)
    return doomed


def auto_backup_due(store: Store, *, now: datetime | None = None) -> bool:
    """Whether :func:`auto_backup` would take a backup now (none of this journal in a day).

    Cheap (it lists the backup folder, nothing is read from the journal), so
    the window can decide at quit whether to wait for a backup at all.
    """
    now = now or datetime.now()
    autos = [b for b in journal_backups(store.path, backup_dir()) if b.kind == "auto"]
    return not autos or autos[0].taken <= now - timedelta(days=1)


def auto_backup(store: Store, *, now: datetime | None = None, force: bool = False) -> Path | None:
    """Take the automatic backup (on quit, at most once a day) and rotate.

    Returns the new file, or ``None`` when today's backup already exists.
    """
    now = now or datetime.now()
    folder = backup_dir()
    if not force and not auto_backup_due(store, now=now):
        return None
    path = backup(store, kind="auto", now=now)
    rotate(store, folder)
    return path


def safety_backup(store: Store, reason: str) -> Path:
    """The backup taken before an import or a restore (``reason``: import / restore)."""
    path = backup(store, kind=f"before-{reason}")
    rotate(store)
    return path


# ------------------------------------------------------------------- restore


@dataclass(frozen=True)
class Candidate:
    """What :func:`check_backup` learned about a file offered for restore."""

    path: Path
    schema_version: int
    people: int
    entries: int
    #: The identity of the journal the backup was taken of (``None``: an older backup).
    journal_id: str | None = None


class BackupPassphraseNeededError(encryption.PassphraseNeededError):
    """An encrypted journal's backup that no key this process holds opens: ask its passphrase."""


def cipher_salt(path: Path) -> bytes | None:
    """The salt of an encrypted journal's file or backup (its first 16 bytes); else ``None``.

    (Not for the open journal itself: closing a descriptor of it would drop its
    locks; see :func:`ties.store.encryption.read_header`.)
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(24)
            size = os.fstat(fh.fileno()).st_size
    except OSError:
        return None
    if head.startswith(crypto.MAGIC):
        return None
    return head[: encryption.SALT_BYTES] if encryption.looks_encrypted(head, size) else None


def needs_passphrase(path: Path) -> bool:
    """Whether restoring ``path`` needs a passphrase typed for it.

    A passphrase-encrypted backup always does; an encrypted journal's backup
    only when no key this process holds (the open journal's) has its salt, i.e.
    it was taken under another passphrase.
    """
    if crypto.is_encrypted(path):
        return True
    salt = cipher_salt(path)
    return salt is not None and not encryption.keys_for_salt(salt)


def _open_cipher(path: Path, uri: str, passphrase: str | None) -> sqlite3.Connection:
    """An encrypted journal's backup, with a key this process holds or one from ``passphrase``."""
    encryption.require()
    salt = cipher_salt(path)
    assert salt is not None
    keys = encryption.keys_for_salt(salt)
    if passphrase:
        keys.append(encryption.derive_key(passphrase, salt))
    for key in keys:
        try:
            conn = encryption.connect(uri, key, uri=True)  # a wrong key fails here already
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                continue  # another key (a passphrase changed since, same salt)
            raise
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "not a database" in str(exc):
                continue
            raise
        encryption.remember_key(path, encryption.key_of(conn) or key)
        return conn
    if passphrase:
        raise encryption.WrongPassphraseError(
            f"wrong passphrase for {path.name}, or it is not a Ties backup; nothing was restored"
        )
    raise BackupPassphraseNeededError(
        f"{path.name} is encrypted with another passphrase than the journal's: "
        "its passphrase is needed to restore it"
    )


def open_untrusted(path: Path, *, passphrase: str | None = None) -> sqlite3.Connection:
    """Open a file that may have been crafted, read-only and with defensive settings.

    The SQLite header is checked first; the connection refuses writes, does not
    trust the schema (no functions in views or triggers run), checks cell sizes
    while reading and does not memory-map the file. An encrypted journal's
    backup (SQLCipher) opens with the key of a journal this process has open
    (the same salt), else with ``passphrase``.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        raise NotFoundError(f"There is no file at {path}.") from None
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if len(head) >= 100 and head.startswith(SQLITE_MAGIC):
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    elif cipher_salt(path) is not None:
        conn = _open_cipher(path, uri, passphrase)
    else:
        raise NotAJournalError(f"{path.name} is not a Ties journal or backup (not an SQLite file).")
    # Text in a crafted or damaged file need not be UTF-8; read it, never crash on it.
    conn.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
    try:
        for pragma in (
            "PRAGMA trusted_schema = OFF",
            "PRAGMA cell_size_check = ON",
            "PRAGMA mmap_size = 0",
            "PRAGMA query_only = ON",
        ):
            conn.execute(pragma)
    except sqlite3.Error:
        conn.close()
        raise
    return conn


class RestoreCancelled(JournalError):
    """The restore was cancelled before the journal was touched."""

    def __init__(self) -> None:
        super().__init__("Restore cancelled; the journal was not changed.")


#: ``progress(step, done, total)`` while a restore is prepared; ``step`` is one of
#: decrypt, check, copy, verify, safety; ``total`` is 0 when the step cannot count.
RestoreProgress = Callable[[str, int, int], None]


class _Watch:
    """Progress and cancellation for the long steps of a restore (any thread)."""

    def __init__(
        self, progress: RestoreProgress | None, cancelled: Callable[[], bool] | None
    ) -> None:
        self._progress = progress
        self._cancelled = cancelled

    def cancelled(self) -> bool:
        return self._cancelled is not None and bool(self._cancelled())

    def step(self, what: str, done: int = 0, total: int = 0) -> None:
        if self.cancelled():
            raise RestoreCancelled()
        if self._progress is not None:
            self._progress(what, done, total)

    def guard(self, conn: sqlite3.Connection) -> None:
        """Let a cancel interrupt a long statement (an integrity check) on ``conn``."""
        if self._cancelled is not None:
            conn.set_progress_handler(lambda: 1 if self.cancelled() else 0, 20_000)


class _CountingReader:
    """Reads a file for :func:`crypto.decrypt_stream`, reporting and honouring a cancel."""

    def __init__(self, raw: BinaryIO, size: int, watch: _Watch) -> None:
        self.raw = raw
        self.size = size
        self.done = 0
        self.watch = watch

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.done += len(data)
        self.watch.step("decrypt", self.done, self.size)
        return data


@functools.cache
def _own_triggers_and_views(version: int) -> frozenset[tuple[str, str, str]]:
    """The triggers and views that Ties's own format ``version`` has (type, name, SQL)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migrate in schema.MIGRATIONS[:version]:
            migrate(conn)
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        )
        return frozenset((r[0], r[1], r[2]) for r in rows)
    finally:
        conn.close()


def _check_shape(conn: sqlite3.Connection, path: Path) -> int:
    """The cheap checks of a candidate (identity, version, tables); returns its version."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if app_id != schema.APPLICATION_ID:
        raise NotAJournalError(f"{path.name} is an SQLite file, but not a Ties journal.")
    if version > schema.SCHEMA_VERSION:
        raise NewerVersionError(
            f"{path.name} was written by a newer Ties (journal format {version}; this "
            f"version reads up to {schema.SCHEMA_VERSION}). Nothing was restored."
        )
    if version < 1:
        raise NotAJournalError(f"{path.name} is an empty Ties journal file.")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = schema.REQUIRED_TABLES - tables
    if missing:
        raise NotAJournalError(
            f"{path.name} is missing tables a Ties journal must have: {', '.join(sorted(missing))}."
        )
    # Triggers and views other than the ones Ties itself creates (the very same
    # text) would run against the user's journal after the restore.
    own = _own_triggers_and_views(version)
    foreign = [
        f"{r[0]} '{r[1]}'"
        for r in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        )
        if (r[0], r[1], r[2]) not in own
    ]
    if foreign:
        raise NotAJournalError(
            f"{path.name} is not a plain Ties journal: it contains "
            f"{', '.join(foreign[:3])}. Nothing was restored."
        )
    return version


def peek_backup(path: Path, *, passphrase: str | None = None) -> int:
    """The quick part of :func:`check_backup` (no integrity check): fast enough for a click.

    Returns the file's journal format; raises as :func:`check_backup` does for
    a file that is not a Ties journal this version can read.
    """
    path = Path(path).expanduser()
    conn = open_untrusted(path, passphrase=passphrase)
    try:
        try:
            return _check_shape(conn, path)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise CorruptJournalError(f"{path.name} is damaged or not a journal: {exc}.") from exc
    finally:
        conn.close()


def backup_summary(path: Path) -> JournalSummary:
    """People, entries and the newest entry's date of a plain backup (quick, read-only).

    Raises as :func:`peek_backup` does for a file that is not a readable journal.
    """
    path = Path(path).expanduser()
    conn = open_untrusted(path)
    try:
        try:
            _check_shape(conn, path)
            return journal_summary(conn)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise CorruptJournalError(f"{path.name} is damaged or not a journal: {exc}.") from exc
    finally:
        conn.close()


def check_backup(
    path: Path, *, cancelled: Callable[[], bool] | None = None, passphrase: str | None = None
) -> Candidate:
    """Refuse a file that is not a healthy Ties journal this version can read.

    ``cancelled`` (polled from any thread) interrupts the integrity check with
    :class:`RestoreCancelled`; ``passphrase`` opens an encrypted journal's backup
    that the open journal's key does not (see :func:`open_untrusted`).
    """
    path = Path(path).expanduser()
    conn = open_untrusted(path, passphrase=passphrase)
    watch = _Watch(None, cancelled)
    watch.guard(conn)
    try:
        try:
            version = _check_shape(conn, path)
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
            if rows != ["ok"]:
                raise CorruptJournalError(f"{path.name} is damaged: {rows[0]}")
            people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
            entries = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (JOURNAL_ID_KEY,)).fetchone()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            if watch.cancelled():
                raise RestoreCancelled() from exc
            raise CorruptJournalError(f"{path.name} is damaged or not a journal: {exc}.") from exc
    finally:
        conn.close()
    ident = row[0] if row and isinstance(row[0], str) else None
    return Candidate(path, version, people, entries, ident)


def image_problems(image: memoryview | bytes) -> list[str]:
    """SQLite's full integrity check of a database image in memory (a decrypted backup).

    ``[]`` when it is whole; otherwise the problems found (at most 20).
    """
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(image)
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


class OtherJournalError(JournalError):
    """The backup was taken of another journal (another identity)."""


def refuse_other_journal(candidate: Candidate, source: Path, expected: str | None) -> None:
    """Refuse a backup of another journal (both identities known and different)."""
    if expected is None or candidate.journal_id is None or candidate.journal_id == expected:
        return
    raise OtherJournalError(
        f"{source.name} is a backup of another journal (not of this one); nothing was "
        "restored. To replace this journal with it anyway, ask explicitly "
        "(--other-journal)."
    )


@dataclass(frozen=True)
class PreparedRestore:
    """A checked copy of a backup beside the journal, ready to be renamed over it.

    Made by :func:`prepare_restore` (the long part, any thread); put in place
    by :func:`commit_restore` (a rename); :meth:`discard` removes the copy when
    the swap does not happen.
    """

    source: Path
    journal: Path
    work: Path
    candidate: Candidate
    safety: Path | None
    #: The journal itself is damaged (its safety backup failed its check): instead of a
    #: safety backup, :func:`commit_restore` renames it aside (``<name>.damaged-<time>``).
    damaged: bool = False
    #: The key of an encrypted backup: the restored journal is that file, so it opens
    #: with the backup's passphrase (remembered for this process by the swap).
    key: CipherKey | None = None

    def discard(self) -> None:
        """Remove the temporary copy, if it is still there (harmless after the swap)."""
        _remove_work(self.work)


def _remove_work(work: Path) -> None:
    for extra in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            work.with_name(work.name + extra).unlink()


def _decrypt(source: Path, target: Path, passphrase: str, watch: _Watch) -> None:
    size = source.stat().st_size
    with open(source, "rb") as raw, atomic_write(target) as dst:
        reader = _CountingReader(raw, size, watch)
        crypto.decrypt_stream(cast(BinaryIO, reader), dst, passphrase, name=source.name)


def _copy_pages(
    readable: Path, work: Path, watch: _Watch, passphrase: str | None = None
) -> CipherKey | None:
    """Copy the candidate through SQLite (never byte for byte) into ``work``.

    An encrypted journal's backup is copied encrypted, with its own key
    (returned; ``None`` for a plain file): no plaintext copy reaches the disk.
    """

    def step(_status: int, remaining: int, total: int) -> None:
        watch.step("copy", total - remaining, total)

    conn = open_untrusted(readable, passphrase=passphrase)
    try:
        with contextlib.suppress(FileNotFoundError):
            work.unlink()
        os.close(os.open(work, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))  # 0600 from the start
        dest = encryption.connect_like(conn, work)
        try:
            conn.backup(dest, pages=1024, progress=step)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        return encryption.key_of(conn)
    finally:
        conn.close()


def prepare_restore(
    source: Path,
    journal: Path,
    *,
    passphrase: str | None = None,
    current: Store | None = None,
    safety: bool = True,
    progress: RestoreProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
    other_journal: bool = False,
) -> PreparedRestore:
    """Everything long in a restore, without touching ``journal``; see :func:`restore`.

    Decrypts (if needed), checks and copies ``source`` into a temporary file
    next to the journal, migrates and checks that copy, then (``safety``) backs
    up the journal as it is now: from ``current`` when given, else through a
    read-only connection of its own, so this may run on a worker thread while
    the window keeps the journal open. ``cancelled`` is polled between and
    inside the steps; a cancel raises :class:`RestoreCancelled` and leaves no
    file behind (a safety backup already taken is removed too).

    The journal's real path is resolved once, here: a symbolic link to the
    journal stays a link and the file it points to is the one replaced. A
    backup of another journal (another identity) is refused unless
    ``other_journal``.
    """
    source = Path(source).expanduser()
    journal = Path(journal).expanduser().resolve()
    if not source.is_file():
        raise NotFoundError(f"There is no file at {source}.")
    if source.resolve() == journal:
        raise JournalError("That file is the journal itself; choose a backup.")
    expected = None
    if not other_journal:  # (never open the file the window holds: that drops its locks)
        if current is not None:
            expected = current.get_meta(JOURNAL_ID_KEY)
        else:
            expected = read_journal_id(journal)
    try:
        private_dir(journal.parent)
    except OSError as exc:
        raise _folder_error(journal.parent, exc, source) from exc
    watch = _Watch(progress, cancelled)
    work = journal.with_name(f".{journal.name}.restore-{os.getpid()}-{time.monotonic_ns()}")
    decrypted: Path | None = None
    kept = False
    try:
        if crypto.is_encrypted(source):
            if passphrase is None:
                raise crypto.DecryptionError(
                    f"{source.name} is encrypted: a passphrase is needed to restore it."
                )
            decrypted = backup_dir() / f".restore-{os.getpid()}-{time.monotonic_ns()}.ties"
            watch.step("decrypt")
            _decrypt(source, decrypted, passphrase, watch)
            readable = decrypted
        else:
            readable = source
        # An encrypted journal's backup opens with the journal's key, else the passphrase.
        secret = passphrase if decrypted is None else None
        watch.step("check")
        candidate = check_backup(readable, cancelled=watch.cancelled, passphrase=secret)
        refuse_other_journal(candidate, source, expected)
        _need_space(journal.parent, readable.stat().st_size, source)
        watch.step("copy")
        key = _copy_pages(readable, work, watch, secret)
        watch.step("verify")
        # Opening migrates an older format (as opening the journal would), so the
        # consistency rules below are those of the current format.
        # (No quick check on opening: the full check below reads every page anyway.)
        with Store.open(work, create=False, check=False, unlock=key) as fresh:
            watch.guard(fresh.conn)
            problems = fresh.integrity_problems()
            if problems:  # a backup Ties wrote always passes every rule; this one was altered
                raise CorruptJournalError(f"{source.name} is damaged: {problems[0]}")
        _owner_only(work)
        with open(work, "rb+") as fh:
            os.fsync(fh.fileno())
        taken: Path | None = None
        damaged = False
        if safety:
            watch.step("safety")
            try:
                taken = _safety_of_current(journal, current)
            except (CorruptJournalError, NotAJournalError, sqlite3.DatabaseError):
                # The journal itself is damaged (the backup being restored passed every
                # check above): it is renamed aside, untouched, when the copy goes in.
                if watch.cancelled():
                    raise RestoreCancelled() from None
                damaged = True
            if watch.cancelled():  # the copy itself cannot be interrupted; undo it
                if taken is not None:
                    taken.unlink(missing_ok=True)
                raise RestoreCancelled()
        kept = True
        encryption.remember_key(work, None)
        return PreparedRestore(source, journal, work, candidate, taken, damaged, key)
    except OSError as exc:  # our own files: a read-only folder, a full disk
        if exc.errno not in _FOLDER_ERRNOS:
            raise
        raise _folder_error(journal.parent, exc, source) from exc
    except (DiskFullError, ReadOnlyError) as exc:
        raise _folder_error(journal.parent, exc, source) from exc
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # damage check_backup missed
        if watch.cancelled():  # a cancel interrupts a statement with "interrupted"
            raise RestoreCancelled() from exc
        if _is_folder_problem(exc):
            raise _folder_error(journal.parent, exc, source) from exc
        raise CorruptJournalError(f"{source.name} is damaged: {exc}.") from exc
    finally:
        asides = list(work.parent.glob(f"{work.stem}.before-v*"))  # set aside by the migration
        for leftover in (decrypted, *asides):
            if leftover is not None:
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        if not kept:
            _remove_work(work)


_FOLDER_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT}
_FOLDER_CODES = {8, 13, 14}  # SQLITE_READONLY, SQLITE_FULL, SQLITE_CANTOPEN


def _is_folder_problem(exc: BaseException) -> bool:
    """An SQLite error about where it writes (read-only, full, cannot create), not the backup."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _FOLDER_CODES:
        return True
    msg = str(exc).lower()
    return any(m in msg for m in ("disk is full", "readonly", "read-only", "unable to open"))


def _need_space(folder: Path, size: int, source: Path) -> None:
    """Refuse at once when the journal's folder has no room for the restored copy."""
    try:
        free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    except (OSError, AttributeError):
        return
    if free < size:
        raise DiskFullError(
            f"There is not enough free space in {folder} to restore {source.name}: about "
            f"{_mb(size)} is needed and {_mb(free)} is free. Nothing was restored; the backup "
            "is fine."
        )


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _folder_error(folder: Path, exc: BaseException, source: Path) -> JournalError:
    """Say what is really wrong with the journal's folder (never "the backup is damaged")."""
    if isinstance(exc, JournalError) and not isinstance(exc, (DiskFullError, ReadOnlyError)):
        return exc
    if isinstance(exc, DiskFullError) and "free space" in str(exc):
        return exc
    code = getattr(exc, "errno", None)
    msg = str(exc).lower()
    if code == errno.ENOSPC or isinstance(exc, DiskFullError) or "full" in msg:
        try:
            size = source.stat().st_size
        except OSError:
            size = 0
        return DiskFullError(
            f"The disk holding {folder} is full: restoring {source.name} needs about "
            f"{_mb(size)} free there. Nothing was restored and no temporary file was left; "
            "the backup is fine."
        )
    return ReadOnlyError(
        f"The folder {folder} cannot be written ({getattr(exc, 'strerror', None) or exc}); "
        f"nothing was restored. The backup {source.name} is fine."
    )


def _safety_of_current(journal: Path, current: Store | None) -> Path | None:
    """The before-restore backup of the journal as it is now (``None``: no journal yet).

    Raises :class:`CorruptJournalError` (or an SQLite error) when the journal
    itself is damaged: the copy of it fails its check.
    """
    if current is not None:
        return _fully_checked(safety_backup(current, "restore"))
    if journal.exists() and journal.stat().st_size:
        with _raw_store(journal, readonly=True) as old:  # any version, not migrated
            return _fully_checked(safety_backup(old, "restore"))
    return None


def _fully_checked(path: Path) -> Path:
    """Run the full check on a safety backup now: it tells whether the journal is damaged.

    (A backup is verified with the quick check only; a row missing from its
    index is seen by the full check alone.) A copy that fails is removed; one
    that passes has its full check recorded (:mod:`ties.io.backup_records`).
    """
    try:
        check_backup(path)
    except JournalError as exc:
        path.unlink(missing_ok=True)
        forget_check(path)
        raise CorruptJournalError(str(exc)) from exc
    record_check(path, True)
    return path


def commit_restore(
    prepared: PreparedRestore, *, current: Store | None = None
) -> tuple[Candidate, Path | None]:
    """Put a prepared restore in place: close ``current``, rename the copy over the journal.

    Short (no reading or copying), so the window runs it on its own thread
    with the journal closed for a moment only. Returns the check of the
    backup and where the journal as it was is kept: its safety backup, or,
    for a damaged journal (:attr:`PreparedRestore.damaged`), the journal
    itself renamed aside (:func:`set_aside_damaged`). Raises
    :class:`JournalError` (and leaves the journal as it was) when another
    connection still holds unsaved changes of the journal; the caller then
    :meth:`discards <PreparedRestore.discard>` the copy.
    """
    journal = prepared.journal
    if current is not None:
        current.close(optimize=False)
    with swap_guard(journal):
        return _swap(prepared)


def _swap(prepared: PreparedRestore) -> tuple[Candidate, Path | None]:
    journal = prepared.journal
    wal = journal.with_name(journal.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise JournalError(
            f"{journal.name} is still open in another Ties window; close it and try "
            "again. Nothing was restored."
        )
    kept = prepared.safety
    if prepared.damaged and journal.exists():
        for extra in ("-wal", "-shm"):  # empty, and nobody has the journal open
            with contextlib.suppress(FileNotFoundError):
                journal.with_name(journal.name + extra).unlink()
        kept = set_aside_damaged(journal)
        try:
            replace_journal(prepared.work, journal)
        except BaseException:
            put_back_damaged(kept, journal)
            raise
    else:
        for extra in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                journal.with_name(journal.name + extra).unlink()
        replace_journal(prepared.work, journal)
    fsync_dir(journal.parent)
    # The journal is the backup's file now: its key (None: a plain file) opens it.
    encryption.remember_key(journal, prepared.key)
    return prepared.candidate, kept


def damaged_name(journal: Path) -> Path:
    """A free name beside ``journal`` for it once found damaged: ``<stem>.damaged-<time>.ties``."""
    journal = Path(journal)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = journal.with_name(f"{journal.stem}.damaged-{stamp}{journal.suffix}")
    n = 1
    while target.exists():
        n += 1
        target = journal.with_name(f"{journal.stem}.damaged-{stamp}-{n}{journal.suffix}")
    return target


def set_aside_damaged(journal: Path) -> Path:
    """Rename a damaged journal (and its -wal / -shm) to ``<stem>.damaged-<stamp><suffix>``.

    The bytes are not touched: a rename in the same folder, never a copy
    through SQLite (which would need to read, and might rewrite, the file).
    """
    journal = Path(journal)
    target = damaged_name(journal)
    _rename_with_sidecars(journal, target)
    return target


def put_back_damaged(damaged: Path, journal: Path) -> None:
    """Undo :func:`set_aside_damaged` after a failed swap."""
    if journal.exists():  # the swap only renames over the journal as its very last step
        return
    _rename_with_sidecars(damaged, journal)


def _rename_with_sidecars(source: Path, target: Path) -> None:
    """Rename a journal file and its -wal / -shm beside it (the file itself last), durably."""
    for extra in ("-wal", "-shm"):
        side = source.with_name(source.name + extra)
        if side.exists():
            os.replace(side, target.with_name(target.name + extra))
    replace_journal(source, target)
    fsync_dir(target.parent)


def restore(
    source: Path,
    journal: Path,
    *,
    passphrase: str | None = None,
    current: Store | None = None,
    other_journal: bool = False,
) -> tuple[Candidate, Path | None]:
    """Replace ``journal`` with the backup ``source``; returns the check and the safety copy.

    ``source`` may be an encrypted backup (then ``passphrase`` is needed). The
    file is validated and copied through SQLite into a temporary name next to
    the journal, opened as a journal (which migrates an older format), and only
    then renamed over the journal. The journal as it was is first backed up to
    the backup folder; when that backup fails its check because the journal
    itself is damaged, the journal is instead renamed aside untouched
    (``<name>.damaged-<time>.ties``, beside it) and that name is returned.
    ``current`` (the open store of ``journal``, if any) is
    used for that backup and closed before the swap. The window runs the two
    halves, :func:`prepare_restore` and :func:`commit_restore`, separately.
    """
    from ties.io.open_elsewhere import refuse_if_open_elsewhere

    refuse_if_open_elsewhere(Path(journal).expanduser().resolve())  # before the long part
    prepared = prepare_restore(
        source, journal, passphrase=passphrase, current=current, other_journal=other_journal
    )
    try:
        return commit_restore(prepared, current=current)
    finally:
        prepared.discard()


def _raw_store(path: Path, *, readonly: bool) -> Store:
    """A store over the journal's connection: no version check, no migration (for copying).

    An encrypted journal opens with the key this process holds for it, else its
    passphrase is asked as every open asks it; a wrong one is said as such (never
    taken for damage, which would set the journal aside).
    """
    from ties.store.connection import encryption_key_to_try
    from ties.store.journal import _connect

    key = encryption.cached_key(path) or encryption_key_to_try(path, None, None)
    if key is None:
        return Store(_connect(path, readonly), path, readonly)
    try:
        conn = _connect(path, readonly, key)
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise encryption.WrongPassphraseError(encryption.WRONG_PASSPHRASE) from None
        raise
    encryption.remember_key(path, key)  # its backups share its salt: they open with it
    return Store(conn, path, readonly)
