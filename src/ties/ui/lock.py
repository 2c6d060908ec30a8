"""One writer per journal: a lock file beside it, so a second window cannot corrupt it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

from ties.app.journal import make_journal_folder
from ties.store import JournalError


class JournalLockedError(JournalError):
    """Another running Ties has this journal open."""


def lock_path(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


def acquire(journal: Path) -> QLockFile:
    """Lock ``journal`` for this process or raise :class:`JournalLockedError`.

    A lock left by a crashed process is taken over (Qt checks whether the
    process that wrote it is still alive). A symbolic link is followed: the lock
    is beside the real journal, where a restore looks for it.
    """
    if journal.exists():
        journal = journal.resolve()
    if not journal.parent.exists():  # a new journal in a new folder (``--db new/x.ties``)
        make_journal_folder(journal.parent)  # the command line's message when it cannot be
    lock = QLockFile(str(lock_path(journal)))
    lock.setStaleLockTime(0)
    if not lock.tryLock(100):
        if lock.error() == QLockFile.LockError.LockFailedError:
            info = lock.getLockInfo()  # (pid, host, app) in PySide6
            pid = info[0] if isinstance(info, tuple) and info else None
            who = f" (process {pid})" if isinstance(pid, int) and pid > 0 else ""
            raise JournalLockedError(
                f"{journal} is already open in another Ties window{who}. Switch to that "
                "window, or close it first: only one window may write a journal."
            )
        raise JournalLockedError(
            f"Cannot lock {journal}: the folder is not writable ({lock.error().name})."
        )
    return lock
