"""Backup, restore and recover use cases, and the text that reports each.

The work is :mod:`ties.io.backup`'s and :mod:`ties.io.recovery`'s; these
functions add what ``ties backup/restore/recover`` and the window's dialogs
share: opening the journal, refusing what cannot be done, and the messages.
The window runs the long halves on workers (``prepare_restore`` then
``commit_restore``) but reports them with the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ties.app.journal import open_journal
from ties.io import backup as io_backup
from ties.io import backup_checks
from ties.io.backup import BackupInfo, Candidate
from ties.io.backup_checks import FullCheck
from ties.io.recovery import Recovery
from ties.store import JournalError, NotFoundError, Store


class NothingToRecover(JournalError):
    """The journal passes its full check, or no backup of it does: recover refuses."""


def human_size(n: float) -> str:
    """``512 bytes``, ``1.5 KB``, ``3.2 MB``: a file's size as people read it."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{int(n):,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def backups_of(journal: Path) -> list[BackupInfo]:
    """The backups of this very journal in the backup folder, newest first.

    Matched by the journal's path tag (:func:`ties.io.backup.journal_backups`):
    a journal of the same name in another folder has its own.
    """
    return io_backup.journal_backups(journal)


def contents_text(b: BackupInfo) -> str:
    """The backup list's "holds" column: people, entries and the newest entry's date.

    An encrypted backup cannot say without its passphrase; a damaged one says so.
    """
    if b.encrypted:
        return "encrypted: known after the passphrase"
    try:
        found = io_backup.backup_summary(b.path)
    except (JournalError, OSError):
        return "cannot be read"
    people = f"{found.people:,} {'person' if found.people == 1 else 'people'}"
    entries = f"{found.entries:,} {'entry' if found.entries == 1 else 'entries'}"
    last = f", last {found.last_entry.isoformat()}" if found.last_entry else ""
    return f"{people}, {entries}{last}"


def full_check_text(b: BackupInfo) -> str:
    """The backup list's "full check" column: when the backup was fully checked, and how."""
    return backup_checks.describe(backup_checks.status(b.path))


def full_check_json(found: FullCheck | None) -> dict[str, Any] | None:
    """A full check as ``--json`` gives it (``None``: never fully checked)."""
    if found is None:
        return None
    return {"checked": found.checked.isoformat(), "ok": found.ok, "problem": found.problem}


def listing_json(b: BackupInfo) -> dict[str, Any]:
    """One backup as ``ties backup --list --json`` gives it."""
    return {
        "path": str(b.path),
        "kind": b.kind,
        "taken": b.taken.isoformat(),
        "size": b.size,
        "encrypted": is_encrypted(b),
        "full_check": full_check_json(backup_checks.status(b.path)),
    }


def is_encrypted(b: BackupInfo) -> bool:
    """Encrypted with a passphrase of its own (``.enc``) or with the journal's key (SQLCipher)."""
    return b.encrypted or io_backup.cipher_salt(b.path) is not None


def is_encrypted_file(path: Path) -> bool:
    """A backup file just written: encrypted with the journal's key (SQLCipher)?"""
    return io_backup.cipher_salt(path) is not None


def listing_line(b: BackupInfo) -> str:
    lock = " (encrypted)" if is_encrypted(b) else ""
    return (
        f"{b.taken:%Y-%m-%d %H:%M}  {b.kind:<14} {human_size(b.size):>10}  {b.path}{lock}"
        f"  [{full_check_text(b)}]"
    )


def back_up_store(store: Store, target: Path | None, *, passphrase: str | None = None) -> Path:
    """A verified backup of the open journal, to ``target`` or the backup folder."""
    return io_backup.backup(store, target, passphrase=passphrase)


def back_up_journal(journal: Path, target: Path | None, *, passphrase: str | None = None) -> Path:
    """Open the journal (it must exist) and back it up.

    The copy is checked with ``PRAGMA quick_check`` (the full check is
    :func:`full_check_backup`, or the window's when idle); checking the journal
    first as well would only double the time on a large journal.
    """
    with open_journal(journal, create=False, check=False) as store:
        return back_up_store(store, target, passphrase=passphrase)


def full_check_backup(path: Path, *, passphrase: str | None = None) -> FullCheck:
    """The full integrity check of a backup just written (``--verify full``), recorded.

    An encrypted backup is decrypted into memory only for it.
    """
    if passphrase is None:
        return backup_checks.full_check(path)
    return backup_checks.full_check_encrypted(path, passphrase)


def backed_up_message(path: Path, full: FullCheck | None = None) -> str:
    """What a backup says it did; ``full`` is its full check when one was run."""
    how = "fully checked" if full is not None else "verified"
    return f"backed up to {path} ({human_size(path.stat().st_size)}, {how})"


def full_check_failure(full: FullCheck | None) -> str | None:
    """The error when a backup's full check failed (``None``: it passed or did not run)."""
    if full is None or full.ok:
        return None
    return f"the backup failed its full check: {full.problem}"


@dataclass(frozen=True)
class Restored:
    """What a restore did: the journal, the backup it came from, what was kept of the old one."""

    journal: Path
    source: Path
    candidate: Candidate
    kept: Path | None
    #: What changed of the journal's encryption (see :func:`encryption_notes`).
    notes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        lines = [
            f"restored {self.journal} from {self.source.name} ({self.candidate.people:,} people, "
            f"{self.candidate.entries:,} entries)"
        ]
        if self.kept and ".damaged-" in self.kept.name:
            lines.append(f"the journal was damaged; it is kept, untouched, as {self.kept}")
        elif self.kept:
            lines.append(f"the journal as it was is kept in {self.kept}")
        return [*lines, *self.notes]


def restore_source(path: Path) -> Path:
    """The backup file to restore, refused when there is none."""
    source = Path(path).expanduser()
    if not source.is_file():
        raise NotFoundError(f"there is no file at {source}")
    return source


def restore_journal(
    source: Path,
    journal: Path,
    *,
    passphrase: Callable[[Path], str] | None = None,
    other_journal: bool = False,
) -> Restored:
    """Replace ``journal`` with the backup ``source`` (asking ``passphrase`` if it needs one).

    An encrypted journal's backup opens with the journal's key when it was taken
    under the same passphrase; under another one (before a change of passphrase),
    ``passphrase`` is asked for the backup's (:func:`ties.io.backup.needs_passphrase`).

    A backup of another journal (another identity) is refused unless ``other_journal``;
    so is a journal another process has open.
    """
    from ties.io import crypto

    source = restore_source(source)
    secret = passphrase(source) if passphrase and io_backup.needs_passphrase(source) else None
    was_encrypted = io_backup.cipher_salt(journal) is not None
    candidate, kept = io_backup.restore(
        source, journal, passphrase=secret, other_journal=other_journal
    )
    notes = encryption_notes(
        journal, was_encrypted, asked=secret is not None and not crypto.is_encrypted(source)
    )
    return Restored(journal, source, candidate, kept, notes)


def encryption_notes(journal: Path, was_encrypted: bool, *, asked: bool) -> tuple[str, ...]:
    """What a restore changed of the journal's encryption: it is the backup's file now.

    ``asked``: a passphrase was typed for the backup (it was taken under another one).
    """
    now = io_backup.cipher_salt(journal) is not None
    if was_encrypted and not now:
        return ("the journal is NOT encrypted now, as the backup was not: encrypt it again",)
    if now and not was_encrypted:
        return ("the journal is encrypted now, as the backup was: it opens with its passphrase",)
    if now and asked:
        return ("the journal opens with the backup's passphrase now (the one typed for it)",)
    return ()


def recovery_source(
    journal: Path, chosen: Path | None = None, *, unlock: Callable[[Path], str] | None = None
) -> Path:
    """The backup ``ties recover`` would restore, or an error saying why there is none.

    Refuses a missing journal and one that passes the full check (as ``ties
    check``, not only the quick one every open runs: a row missing from its
    index is damage too). ``unlock`` gives the passphrase of an encrypted
    journal's backups when the journal's own key is not known (it could not be opened).
    """
    from ties.io.recovery import journal_problems, newest_good_backup

    if not journal.exists():
        raise NotFoundError(f"there is no journal at {journal}")
    if not journal_problems(journal):
        raise NothingToRecover(
            f"{journal.name} passes its check; nothing to recover (see 'ties restore')"
        )
    source = Path(chosen).expanduser() if chosen else newest_good_backup(journal, unlock=unlock)
    if source is None:
        raise NothingToRecover(
            f"{journal.name} is damaged and no backup of it passes its check; "
            "the damaged file was left as it is"
        )
    return source


def recover_journal(journal: Path, source: Path, *, other_journal: bool = False) -> Recovery:
    """Set the damaged journal aside and restore ``source`` (from :func:`recovery_source`).

    A backup of another journal is refused unless ``other_journal``.
    """
    from ties.io.recovery import recover

    return recover(journal, source, other_journal=other_journal)


def recovered_lines(journal: Path, result: Recovery) -> list[str]:
    return [
        f"the damaged journal is kept at {result.damaged}",
        f"restored {journal} from {result.restored_from.name} "
        f"({result.people:,} people, {result.entries:,} entries)",
    ]
