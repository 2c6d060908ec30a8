"""Whether another process has a journal open, so a restore never swaps it under that process.

A process that keeps the journal open (the window, a long ``ties import``)
would go on writing into the file a restore renamed away: its writes would be
acknowledged and lost. Two signs are read, both without opening the journal
through SQLite:

- the window's lock file (``<journal>.lock``, written by Qt's ``QLockFile``:
  the first line is the process id) of a live process other than this one;
- SQLite's own locks, for any process, the command line included: every
  connection that has read a journal in WAL mode holds a shared lock on the
  database file and on the ``-shm`` file for as long as it stays open. On
  Linux, macOS and the BSDs ``fcntl(F_GETLK)`` reports such a lock of another
  process (never this one's); elsewhere (Windows) SQLite itself is asked, by a
  connection that wants the file to itself and is refused while another has it
  open (:func:`ties.store.files.open_by_another_connection`).

:func:`swap_guard` takes those locks itself for the moment of a swap, so no
other process can begin a transaction between the check and the rename. On
Windows a file another process has open cannot be replaced at all:
:func:`replace_journal` turns that refusal into the same message.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

from ties.store.errors import JournalError
from ties.store.files import open_by_another_connection, process_alive

#: SQLite's unix VFS lock bytes: PENDING, RESERVED, then the SHARED range.
_PENDING_BYTE = 0x40000000
_SHARED_FIRST = _PENDING_BYTE + 2
_SHARED_SIZE = 510
#: The "dead man switch" byte of the -shm file every open WAL connection read-locks.
_SHM_DMS = 128
#: ``struct flock`` as ``F_GETLK`` fills it, per platform: its layout and where
#: l_type and l_pid are in it. Linux: l_type, l_whence, l_start, l_len, l_pid;
#: macOS and the BSDs: l_start, l_len, l_pid, l_type, l_whence (FreeBSD: l_sysid).
_FLOCKS = {
    "linux": ("hhxxxxqqixxxx", 0, 4),
    "darwin": ("qqihh", 3, 2),
    "freebsd": ("qqihhixxxx", 3, 2),
    "openbsd": ("qqihh", 3, 2),
    "netbsd": ("qqihh", 3, 2),
}


def flock_layout(platform: str = sys.platform) -> tuple[str, int, int] | None:
    """The ``struct flock`` layout of ``platform``, or ``None`` where it is not known."""
    for prefix, layout in _FLOCKS.items():
        if platform.startswith(prefix):
            return layout
    return None


class JournalInUseError(JournalError):
    """Another process has the journal open; restoring now would lose its writes."""


def lock_file(journal: Path) -> Path:
    """The window's lock file of ``journal`` (see ``ties.ui.lock``)."""
    return journal.with_name(journal.name + ".lock")


def _window_pid(journal: Path) -> int | None:
    try:
        first = lock_file(journal).read_text(encoding="utf-8", errors="replace").split("\n")[0]
        pid = int(first.strip())
    except (OSError, ValueError):
        return None
    if pid <= 0 or pid == os.getpid() or not process_alive(pid):
        return None  # a stale lock (Qt takes it over) or this very process
    return pid


def _posix_lock_holder(
    path: Path, start: int, length: int, layout: tuple[str, int, int]
) -> int | None:
    """The id of another process holding a lock that conflicts with writing ``start..``."""
    import fcntl

    fmt, type_at, pid_at = layout

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    fields: list[int] = [0] * len(struct.unpack(fmt, bytes(struct.calcsize(fmt))))
    fields[type_at] = fcntl.F_WRLCK
    fields[type_at + 1] = os.SEEK_SET  # l_whence follows l_type in every layout
    start_at = 2 if type_at == 0 else 0
    fields[start_at], fields[start_at + 1] = start, length
    try:
        answer = struct.unpack(fmt, fcntl.fcntl(fd, fcntl.F_GETLK, struct.pack(fmt, *fields)))
    except OSError:
        return None
    finally:
        os.close(fd)
    return None if answer[type_at] == fcntl.F_UNLCK else int(answer[pid_at]) or -1


def holder(journal: Path, platform: str = sys.platform) -> str | None:
    """Who else has ``journal`` open ("a Ties window (process 123)"), or ``None``."""
    journal = Path(journal)
    pid = _window_pid(journal)
    if pid is not None:
        return f"a Ties window (process {pid})"
    layout = flock_layout(platform)
    if layout is None or os.name != "posix":
        return "another process" if open_by_another_connection(journal) else None
    for path, start, length in (
        (journal, _SHARED_FIRST, _SHARED_SIZE),
        (journal.with_name(journal.name + "-shm"), _SHM_DMS, 1),
    ):
        other = _posix_lock_holder(path, start, length, layout)
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
    if os.name != "posix" or not journal.exists():  # Windows: see replace_journal
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


def replace_journal(
    source: Path, journal: Path, action: str = "restored", platform: str = sys.platform
) -> None:
    """``os.replace(source, journal)``; where the system refuses because it is open, say so.

    Windows never replaces a file another process has open: the refusal
    (``PermissionError``) means just that, and nothing was changed.
    """
    try:
        os.replace(source, journal)
    except PermissionError:
        if not platform.startswith("win"):
            raise
        raise JournalInUseError(
            f"{Path(journal).name} is open in another process; close it first and try "
            f"again. Nothing was {action}."
        ) from None
