"""The full check of backups, out of the user's wait, and what it found.

A backup is verified inline with SQLite's ``quick_check`` (plus the header,
application id and format checks). The full ``integrity_check`` reads every
index too and takes longer, so it runs later: on the newest backup when the
window is idle (at most weekly per journal), and when asked for with
``ties check --full`` or ``ties backup --verify full``. Its result is kept in a
small hidden file beside the backup (``.<backup name>.checked``, JSON); the
backup list shows it, and a backup whose full check failed is never offered
as the newest good one. A record only counts while the backup's size and
modification time are those it was made for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ties.io.backup import RestoreCancelled, check_backup, image_problems, journal_backups
from ties.io.backup_records import (
    BACKGROUND_EVERY,
    FullCheck,
    background_due,
    describe,
    failed,
    forget,
    record,
    record_path,
    status,
)
from ties.store import JournalError

__all__ = [
    "BACKGROUND_EVERY",
    "FullCheck",
    "background_due",
    "check_newest",
    "describe",
    "failed",
    "forget",
    "full_check",
    "full_check_encrypted",
    "record",
    "record_path",
    "status",
]


def full_check(backup: Path, *, cancelled: Callable[[], bool] | None = None) -> FullCheck:
    """Run the full ``integrity_check`` on a plain backup and record the outcome.

    An encrypted backup is checked chunk by chunk when it is written; its
    pages need the passphrase and are checked when it is restored.
    """
    backup = Path(backup)
    try:
        check_backup(backup, cancelled=cancelled)
    except RestoreCancelled:
        raise
    except JournalError as exc:
        return record(backup, False, str(exc))
    return record(backup, True)


def full_check_encrypted(backup: Path, passphrase: str) -> FullCheck:
    """The full check of an encrypted backup: decrypted into memory only, never to disk."""
    import io

    from ties.io import crypto

    backup = Path(backup)
    image = io.BytesIO()
    try:
        with open(backup, "rb") as src:
            crypto.decrypt_stream(src, image, passphrase, name=backup.name)
        rows = image_problems(image.getbuffer())
    finally:
        image.close()
    if rows:
        return record(backup, False, f"{backup.name} is damaged: {rows[0]}")
    return record(backup, True)


def check_newest(journal: Path) -> tuple[Path, FullCheck] | None:
    """Fully check the newest plain backup of ``journal`` (what ``ties check --full`` adds)."""
    from ties.paths import backup_dir_if_any

    folder = backup_dir_if_any()
    if folder is None:
        return None
    plain = [b.path for b in journal_backups(journal, folder) if not b.encrypted]
    if not plain:
        return None
    return plain[0], full_check(plain[0])
