"""Backups and restore: consistent copies, rotation, and a careful way back.

A backup is always made by :meth:`Store.backup_to` (SQLite's online backup API
into a temporary name, fsync, integrity check, rename), never by copying the
file, which would be inconsistent while the window writes. Automatic backups
go to :func:`ties.paths.backup_dir` and are thinned out by a daily / weekly /
monthly rotation. Restoring treats the chosen file as untrusted until it has
been checked: SQLite header, read-only open with defensive settings, Ties
schema of a readable version, integrity check; only then is the journal
replaced atomically, after a copy of it was set aside.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ties.io import crypto
from ties.paths import backup_dir, private_dir
from ties.store import (
    CorruptJournalError,
    JournalError,
    NewerVersionError,
    NotAJournalError,
    NotFoundError,
    Store,
    schema,
)
from ties.store.journal import SQLITE_MAGIC, fsync_dir

ROTATION_SETTING = "backup_rotation"
DEFAULT_ROTATION = {"daily": 7, "weekly": 4, "monthly": 12}
#: Backups taken before an import or a restore that are kept per journal.
KEEP_SAFETY = 10
SUFFIX = ".ties"
ENCRYPTED_SUFFIX = ".ties.enc"
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<kind>auto|manual|before-import|before-restore)-"
    r"(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.ties(?:\.enc)?$"
)
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupInfo:
    """One file in the backup folder, as the restore dialog lists it."""

    path: Path
    kind: str  # auto, manual, before-import, before-restore
    taken: datetime
    size: int
    encrypted: bool


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now()).strftime(_STAMP)


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
    The encrypted form is written from a verified plain copy in the private
    backup folder, which is removed afterwards; the encrypted file is then read
    back and checked chunk by chunk before the call returns.
    """
    folder = backup_dir()
    if target is None:
        suffix = ENCRYPTED_SUFFIX if passphrase else SUFFIX
        target = _free_name(folder, store.path.stem, kind, now, suffix)
    target = Path(target).expanduser()
    if target.is_dir():
        suffix = ENCRYPTED_SUFFIX if passphrase else SUFFIX
        target = _free_name(target, store.path.stem, kind, now, suffix)
    if not target.parent.is_dir():
        raise NotFoundError(f"The folder {target.parent} does not exist.")
    if passphrase is None:
        store.backup_to(target)
        _owner_only(target)
        return target
    plain = folder / f".plain-{os.getpid()}-{time.monotonic_ns()}.ties"
    try:
        store.backup_to(plain)
        crypto.encrypt_file(plain, target, passphrase)
    finally:
        with contextlib.suppress(FileNotFoundError):
            plain.unlink()
    crypto.verify_file(target, passphrase)
    _owner_only(target)
    return target


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
            )
        )
    found.sort(key=lambda b: (b.taken, b.path.name), reverse=True)
    return found


def rotation_settings(store: Store) -> dict[str, int]:
    """How many daily, weekly and monthly automatic backups to keep (a journal setting)."""
    raw = store.get_setting(ROTATION_SETTING, None)
    out = dict(DEFAULT_ROTATION)
    if isinstance(raw, dict):
        for key in out:
            value = raw.get(key)
            if isinstance(value, int) and 0 <= value <= 1000:
                out[key] = value
    return out


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
    manual backups are never deleted.
    """
    folder = folder or backup_dir()
    stem = store.path.stem
    every = list_backups(stem, folder)
    autos = [b for b in every if b.kind == "auto"]
    keep = to_keep(autos, **rotation_settings(store))
    doomed = [b.path for b in autos if b.path not in keep]
    for kind in ("before-import", "before-restore"):
        doomed += [b.path for b in every if b.kind == kind][KEEP_SAFETY:]
    for path in doomed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return doomed


def auto_backup(store: Store, *, now: datetime | None = None, force: bool = False) -> Path | None:
    """Take the automatic backup (on quit, at most once a day) and rotate.

    Returns the new file, or ``None`` when today's backup already exists.
    """
    now = now or datetime.now()
    folder = backup_dir()
    autos = [b for b in list_backups(store.path.stem, folder) if b.kind == "auto"]
    if not force and autos and autos[0].taken > now - timedelta(days=1):
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


def open_untrusted(path: Path) -> sqlite3.Connection:
    """Open a file that may have been crafted, read-only and with defensive settings.

    The SQLite header is checked first; the connection refuses writes, does not
    trust the schema (no functions in views or triggers run), checks cell sizes
    while reading and does not memory-map the file.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        raise NotFoundError(f"There is no file at {path}.") from None
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise NotAJournalError(f"{path.name} is not a Ties journal or backup (not an SQLite file).")
    uri = f"{path.resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
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


def check_backup(path: Path) -> Candidate:
    """Refuse a file that is not a healthy Ties journal this version can read."""
    path = Path(path).expanduser()
    conn = open_untrusted(path)
    try:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id != schema.APPLICATION_ID:
                raise NotAJournalError(f"{path.name} is an SQLite file, but not a Ties journal.")
            if version > schema.SCHEMA_VERSION:
                raise NewerVersionError(
                    f"{path.name} was written by a newer Ties (journal format {version}; this "
                    f"version reads up to {schema.SCHEMA_VERSION}). Nothing was restored."
                )
            if version < 1:
                raise NotAJournalError(f"{path.name} is an empty Ties journal file.")
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            missing = schema.REQUIRED_TABLES - tables
            if missing:
                raise NotAJournalError(
                    f"{path.name} is missing tables a Ties journal must have: "
                    f"{', '.join(sorted(missing))}."
                )
            # A Ties journal has no triggers or views; a file that brings its own
            # would run them against the user's journal after the restore.
            foreign = [
                f"{r[0]} '{r[1]}'"
                for r in conn.execute(
                    "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"
                )
            ]
            if foreign:
                raise NotAJournalError(
                    f"{path.name} is not a plain Ties journal: it contains "
                    f"{', '.join(foreign[:3])}. Nothing was restored."
                )
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
            if rows != ["ok"]:
                raise CorruptJournalError(f"{path.name} is damaged: {rows[0]}")
            people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
            entries = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise CorruptJournalError(f"{path.name} is damaged or not a journal: {exc}.") from exc
    finally:
        conn.close()
    return Candidate(path, version, people, entries)


def restore(
    source: Path,
    journal: Path,
    *,
    passphrase: str | None = None,
    current: Store | None = None,
) -> tuple[Candidate, Path | None]:
    """Replace ``journal`` with the backup ``source``; returns the check and the safety copy.

    ``source`` may be an encrypted backup (then ``passphrase`` is needed). The
    file is validated and copied through SQLite into a temporary name next to
    the journal, opened as a journal (which migrates an older format), and only
    then renamed over the journal. The journal as it was is first backed up to
    the backup folder. ``current`` (the open store of ``journal``, if any) is
    used for that backup and closed before the swap.
    """
    source = Path(source).expanduser()
    journal = Path(journal).expanduser()
    if not source.is_file():
        raise NotFoundError(f"There is no file at {source}.")
    if source.resolve() == journal.resolve():
        raise JournalError("That file is the journal itself; choose a backup.")
    private_dir(journal.parent)
    work = journal.with_name(f".{journal.name}.restore-{os.getpid()}")
    decrypted: Path | None = None
    try:
        if crypto.is_encrypted(source):
            if passphrase is None:
                raise crypto.DecryptionError(
                    f"{source.name} is encrypted: a passphrase is needed to restore it."
                )
            decrypted = backup_dir() / f".restore-{os.getpid()}-{time.monotonic_ns()}.ties"
            crypto.decrypt_file(source, decrypted, passphrase)
            readable = decrypted
        else:
            readable = source
        candidate = check_backup(readable)
        conn = open_untrusted(readable)
        try:
            with contextlib.suppress(FileNotFoundError):
                work.unlink()
            dest = sqlite3.connect(work)
            try:
                conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
        finally:
            conn.close()
        # Opening migrates an older format (as opening the journal would), so the
        # consistency rules below are those of the current format.
        with Store.open(work, create=False) as fresh:
            problems = fresh.integrity_problems()
            if problems:  # a backup Ties wrote always passes every rule; this one was altered
                raise CorruptJournalError(f"{source.name} is damaged: {problems[0]}")
        _owner_only(work)
        with open(work, "rb+") as fh:
            os.fsync(fh.fileno())
        safety: Path | None = None
        if current is not None:
            safety = safety_backup(current, "restore")
            current.close()
        elif journal.exists() and journal.stat().st_size:
            with _raw_store(journal, readonly=True) as old:  # any version, not migrated
                safety = safety_backup(old, "restore")
        for extra in ("-wal", "-shm"):
            side = journal.with_name(journal.name + extra)
            if side.exists() and extra == "-wal" and side.stat().st_size:
                raise JournalError(
                    f"{journal.name} is still open in another Ties window; close it and try "
                    "again. Nothing was restored."
                )
            with contextlib.suppress(FileNotFoundError):
                side.unlink()
        os.replace(work, journal)
        fsync_dir(journal.parent)
        return candidate, safety
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # damage check_backup missed
        raise CorruptJournalError(f"{source.name} is damaged: {exc}.") from exc
    finally:
        asides = list(work.parent.glob(f"{work.stem}.before-v*"))  # set aside by the migration
        for leftover in (work, decrypted, *asides):
            if leftover is not None:
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def _raw_store(path: Path, *, readonly: bool) -> Store:
    """A store over a plain connection: no version check, no migration (for copying files)."""
    from ties.store.journal import _connect

    return Store(_connect(path, readonly), path, readonly)
