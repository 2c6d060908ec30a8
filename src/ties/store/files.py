"""The journal file as a whole: atomic backups, copies set aside, integrity checks."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from ties.store import encrypted_copy, encryption
from ties.store.connection import _translate, register_sort_key
from ties.store.core import StoreCore
from ties.store.encryption import connect_like
from ties.store.errors import CorruptJournalError
from ties.store.window_totals import kept_problems

#: Bytes of a copy mapped while it is checked (SQLite caps it at its own maximum).
_CHECK_MMAP = 1 << 31


def backup_to(store: StoreCore, target: str | Path, *, verify: bool = True) -> Path:
    """Write a consistent copy of the journal to ``target``, atomically.

    Uses SQLite's online backup API into a temporary name beside the
    target, fsyncs it, checks it and only then renames it into place, so a
    crash never leaves a half-written file under the final name. An encrypted
    journal's copy is made of its encrypted pages instead (:mod:`encrypted_copy`).
    """
    target = Path(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        if encrypted_copy.can_copy(store.conn):
            # An encrypted journal's pages as they are, not decrypted and encrypted again.
            encrypted_copy.copy_and_check(store.conn, store.path, tmp, verify=verify)
        else:
            _backup_and_check(store, tmp, verify=verify)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except sqlite3.Error as exc:
        _remove_with_sidecars(tmp)
        raise (_translate(exc) or exc) from exc
    except BaseException:
        _remove_with_sidecars(tmp)
        raise
    return target


def _backup_and_check(store: StoreCore, tmp: Path, *, verify: bool) -> None:
    """SQLite's online backup API into ``tmp``, then its quick check."""
    dest = connect_like(store.conn, tmp)  # an encrypted journal's copy: same key
    try:
        store.conn.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
        if verify:  # the full integrity_check runs later (io.backup_checks)
            # Mapped, the check reads the copy's pages without a copy per page
            # (about a third faster on a 600 MB journal; SQLCipher ignores it).
            dest.execute(f"PRAGMA mmap_size = {_CHECK_MMAP}")
            result = dest.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise CorruptJournalError(f"The backup failed its check: {result}")
    finally:
        dest.close()


def _remove_with_sidecars(path: Path) -> None:
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(name).unlink()


def copy_aside(store: StoreCore, reason: str) -> Path:
    """Keep a copy next to the journal (before a migration or a restore)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = store.path.with_name(f"{store.path.stem}.{reason}-{stamp}{store.path.suffix}.bak")
    return backup_to(store, target)


def quick_check(store: StoreCore, *, cancelled: Callable[[], bool] | None = None) -> bool:
    """SQLite's quick check of the whole file; raises :class:`CorruptJournalError` on damage.

    It reads every page (about 2 s for a million entries), so nothing waits for it:
    the window runs it on a worker, at most daily. ``cancelled`` (polled from any
    thread while it runs) stops it early; then it returns False, having found nothing.
    """
    if cancelled is not None and cancelled():
        return False
    own = _check_connection(store)
    conn = own or store.conn
    if cancelled is not None:
        conn.set_progress_handler(lambda: 1 if cancelled() else 0, 100_000)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if cancelled is not None and cancelled() and "interrupt" in str(exc).lower():
            return False
        known = _translate(exc)
        if isinstance(known, CorruptJournalError):  # a page the check could not even read
            raise CorruptJournalError(f"{store.path} is damaged: {exc}") from exc
        raise (known or exc) from exc
    finally:
        if own is not None:
            own.close()
        elif cancelled is not None:
            conn.set_progress_handler(None, 0)
    if result != "ok":
        # One line: SQLCipher's first row holds every problem on its own line.
        lines = [x for x in str(result).splitlines() if x.strip()]
        said = [x for x in lines if not x.startswith("***")] or lines or [""]
        raise CorruptJournalError(f"{store.path} is damaged: {said[0]}")
    return True


#: The page cache (KiB) of an encrypted journal's check: it reads each page once.
CHECK_CACHE_KIB = 8192


def _check_connection(store: StoreCore) -> sqlite3.Connection | None:
    """A read-only connection of its own for checking an encrypted journal, or None.

    The check reads every page. On the journal's connection an encrypted journal
    kept every page it decrypted (the window's peak: 945 MB for the million-entry
    journal against 179 MB plain), and SQLCipher's SQLite 3.51, checking the
    full-text indexes, writes b-trees of its own on a writable connection (7.8 s
    against 4.8 s read-only). A plain journal's check stays on its connection,
    whose cache is small. None where no such connection opens (a folder that cannot
    hold the shared-memory file): the journal's own connection checks then.
    """
    key = encryption.key_of(store.conn)
    if key is None or store.conn.in_transaction:
        return None
    try:
        conn = encryption.connect_read_only(store.path, key)
    except sqlite3.Error:
        return None
    try:
        conn.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
    except sqlite3.Error:
        conn.close()
        return None
    return conn


def integrity_problems(store: StoreCore) -> list[str]:
    """SQLite's full integrity check plus the journal's own consistency rules."""
    problems: list[str] = []
    rows = [r[0] for r in store.conn.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        problems.extend(f"sqlite: {r}" for r in rows)
    problems.extend(
        f"foreign key: {r[0]} row {r[1]} refers to a missing {r[2]}"
        for r in store.conn.execute("PRAGMA foreign_key_check")
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
        "entries whose people sort key is out of date": (
            "SELECT count(*) FROM entries WHERE people_key != ties_sort_key(people_label)"
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
        "pairs of people linked twice (both ways)": (
            "SELECT count(*) FROM person_links l WHERE l.a_id < l.b_id AND EXISTS "
            "(SELECT 1 FROM person_links r WHERE r.a_id = l.b_id AND r.b_id = l.a_id)"
        ),
    }
    for label, sql in checks.items():
        n = store.conn.execute(sql).fetchone()[0]
        if n:
            problems.append(f"{n} {label}")
    problems.extend(kept_problems(store.conn))
    # FTS5's own check is an INSERT command, which a read-only connection refuses
    # ("attempt to write a readonly database"): it is not a problem of the journal.
    for table in () if store.readonly else ("people_fts", "entries_fts"):
        try:
            store.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"search index {table}: {exc}")
    store.found_damage = bool(problems)
    return problems


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


def memory_copy(store: StoreCore) -> sqlite3.Connection:
    """The journal copied into a new in-memory database (the caller closes it).

    Read through SQLite's backup API in one read transaction, so it takes no
    write lock; foreign keys are on, as in the journal. (An import's dry run.)
    """
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        store.conn.backup(memory)
        memory.execute("PRAGMA foreign_keys = ON")
        register_sort_key(memory)  # an import's dry run writes entries into it
    except BaseException:
        memory.close()
        raise
    return memory


def snapshot_image(store: StoreCore) -> bytes:
    """A consistent copy of the journal, quick-checked, as bytes (``Store.snapshot_image``).

    Taken with SQLite's online backup API into memory, so an encrypted backup
    never puts a plaintext copy of the journal on disk. (Its header still says
    WAL, as the journal's does; whoever writes it out marks it as a rollback
    journal file, see :func:`ties.io.backup.backup`.)
    """
    mem = sqlite3.connect(":memory:")
    try:
        store.conn.backup(mem)
        result = mem.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise CorruptJournalError(f"The backup failed its check: {result}")
        return mem.serialize()
    except sqlite3.Error as exc:
        raise (_translate(exc) or exc) from exc
    finally:
        mem.close()


#: Temporary files Ties writes, named after the process that writes them: restore
#: working copies (and what a migration sets aside of them), ``backup_to`` and
#: atomic-write temporaries, and the plaintext of a restore being decrypted.
_LEFTOVER = re.compile(r"^\.(?:plain-|restore-|.*?(?:\.restore-|\.tmp-))(?P<pid>\d+)")


def process_alive(pid: int) -> bool:
    """Whether a process ``pid`` runs (another user's counts): the one test of it in Ties.

    Used to tell a killed process's temporary files and lock files from a live
    one's. An error other than "no such process" counts as alive, so nothing a
    running process may still need is removed or ignored.
    """
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no such process (or no such number)
        return False
    except OSError:
        return True
    return True


def _pid_alive(pid: int) -> bool:
    return pid == os.getpid() or process_alive(pid)


def remove_leftovers(journal: Path, backups: Path | None = None) -> list[Path]:
    """Remove temporary files that a killed Ties process left (returns what was removed).

    Looks beside ``journal`` (only names that start with the journal's own
    hidden name) and in the ``backups`` folder (hidden temporaries only); a
    file is removed only when the process named in it is no longer running.
    Files of a live process, the user's files and the copies Ties keeps on
    purpose (``.bak`` before a migration, backups) are never touched.
    """
    removed: list[Path] = []
    places: list[tuple[Path, tuple[str, ...]]] = [
        (journal.parent, (f".{journal.name}", f".{journal.stem}."))
    ]
    if backups is not None:
        places.append((backups, (".",)))
    for folder, prefixes in places:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if not name.startswith(prefixes):
                continue
            m = _LEFTOVER.match(name)
            if not m or _pid_alive(int(m["pid"])):
                continue
            path = folder / name
            if path.name.endswith(".bak") and ".restore-" not in path.name:
                continue  # a finished copy set aside on purpose
            with contextlib.suppress(OSError):
                if path.is_file():
                    path.unlink()
                    removed.append(path)
    return removed


def open_by_another_connection(path: Path) -> bool | None:
    """Whether any other connection has the WAL journal at ``path`` open; ``None``: can't tell.

    For platforms where the file locks can't be read directly (Windows): a
    connection in exclusive locking mode asks for the file's exclusive lock at
    its first read, which SQLite refuses ("database is locked") while any other
    connection holds its shared lock: of another process, and of this one too.
    It never waits. An encrypted journal, which reads as "not a database"
    without its key, can't be told (``None``).
    """
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None
        )
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        return True if "locked" in text or "busy" in text else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return False
