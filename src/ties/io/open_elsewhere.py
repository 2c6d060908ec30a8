"""Whether another process has a journal open, so a restore never swaps it under that process.

A process that keeps the journal open (the window, a long ``ties import``)
would go on writing into the file a restore renamed away: its writes would be
acknowledged and lost. Two signs are read, both without opening the journal
through SQLite:

- the window's lock file (``<journal>.lock``, written by Qt's ``QLockFile``:
  the first line is the process id) of a live process other than this one;
- SQLite's own locks, for any process, the command line included: every
  connection that has read a journal in WAL mode holds a shared POSIX lock on
  the database file and on the ``-shm`` file for as long as it stays open.
  ``fcntl(F_GETLK)`` reports such a lock of another process (never this one's).

:func:`swap_guard` takes those locks itself for the moment of a swap, so no
other process can begin a transaction between the check and the rename.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

from ties.store.errors import JournalError

#: SQLite's unix VFS lock bytes: PENDING, RESERVED, then the SHARED range.
_PENDING_BYTE = 0x40000000
_SHARED_FIRST = _PENDING_BYTE + 2
_SHARED_SIZE = 510
#: The "dead man switch" byte of the -shm file every open WAL connection read-locks.
_SHM_DMS = 128
#: ``struct flock`` on Linux: l_type, l_whence, l_start, l_len, l_pid (with padding).
_FLOCK = "hhxxxxqqixxxx"


class JournalInUseError(JournalError):
    """Another process has the journal open; restoring now would lose its writes."""


def lock_file(journal: Path) -> Path:
    """The window's lock file of ``journal`` (see ``ties.ui.lock``)."""
    return journal.with_name(journal.name + ".lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _window_pid(journal: Path) -> int | None:
    try:
        first = lock_file(journal).read_text(encoding="utf-8", errors="replace").split("\n")[0]
        pid = int(first.strip())
    except (OSError, ValueError):
        return None
    if pid <= 0 or pid == os.getpid() or not _alive(pid):
        return None  # a stale lock (Qt takes it over) or this very process
    return pid


def _posix_lock_holder(path: Path, start: int, length: int) -> int | None:
    """The id of another process holding a lock that conflicts with writing ``start..``."""
    if not sys.platform.startswith("linux"):  # struct flock differs elsewhere
        return None
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        query = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, start, length, 0)
        kind, _whence, _start, _len, pid = struct.unpack(
            _FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, query)
        )
    except OSError:
        return None
    finally:
        os.close(fd)
    return None if kind == fcntl.F_UNLCK else int(pid) or -1


def holder(journal: Path) -> str | None:
    """Who else has ``journal`` open ("a Ties window (process 123)"), or ``None``."""
    journal = Path(journal)
    pid = _window_pid(journal)
    if pid is not None:
        return f"a Ties window (process {pid})"
    for path, start, length in (
        (journal, _SHARED_FIRST, _SHARED_SIZE),
        (journal.with_name(journal.name + "-shm"), _SHM_DMS, 1),
    ):
        other = _posix_lock_holder(path, start, length)
        if other is not None:
            return f"another process ({other})" if other > 0 else "another process"
    return None


def refuse_if_open_elsewhere(journal: Path, action: str = "restored") -> None:
    """Raise :class:`JournalInUseError` when another process has ``journal`` open."""
    who = holder(journal)
    if who is not None:
        raise JournalInUseError(
            f"{Path(journal).name} is open in {who}; close it first (quit the window or "
            f"let the command finish) and try again. Nothing was {action}."
        )


@contextlib.contextmanager
def swap_guard(journal: Path, action: str = "restored") -> Iterator[None]:
    """Hold SQLite's locks of ``journal`` while it is swapped; refuse if someone holds them.

    Write-locks the PENDING byte and the SHARED range of the journal (and the
    ``-shm`` "in use" byte): a process that has the journal open holds a read
    lock there and makes this fail (:class:`JournalInUseError`); a process that
    opens it meanwhile waits ("busy") until the swap is done.
    """
    journal = Path(journal)
    refuse_if_open_elsewhere(journal, action)
    if not sys.platform.startswith("linux") or not journal.exists():
        yield
        return
    import fcntl

    held: list[int] = []
    try:
        for path, start, length in (
            (journal, _PENDING_BYTE, 2 + _SHARED_SIZE),
            (journal.with_name(journal.name + "-shm"), _SHM_DMS, 1),
        ):
            try:
                fd = os.open(path, os.O_RDWR)
            except OSError:
                continue
            held.append(fd)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, length, start, os.SEEK_SET)
            except OSError:
                raise JournalInUseError(
                    f"{journal.name} is open in another process; close it first and try "
                    f"again. Nothing was {action}."
                ) from None
        yield
    finally:
        for fd in held:
            os.close(fd)
