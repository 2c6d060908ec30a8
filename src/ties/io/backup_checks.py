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

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ties.io.atomic import atomic_write
from ties.store import JournalError

#: How often the window runs the full check on the newest backup of a journal.
BACKGROUND_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class FullCheck:
    """The outcome of one full check of a backup file."""

    checked: datetime
    ok: bool
    problem: str = ""


def record_path(backup: Path) -> Path:
    return backup.with_name(f".{backup.name}.checked")


def _stamp(backup: Path) -> list[int]:
    st = backup.stat()
    return [st.st_size, st.st_mtime_ns]


def status(backup: Path) -> FullCheck | None:
    """The full check recorded for ``backup``, or ``None`` (never checked, or changed since)."""
    try:
        raw = json.loads(record_path(backup).read_text(encoding="utf-8"))
        if raw.get("file") != _stamp(backup):
            return None
        return FullCheck(
            datetime.fromisoformat(raw["checked"]), bool(raw["ok"]), str(raw.get("problem", ""))
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record(backup: Path, ok: bool, problem: str = "", *, now: datetime | None = None) -> FullCheck:
    """Keep the outcome of a full check of ``backup`` beside it."""
    result = FullCheck((now or datetime.now()).replace(microsecond=0), ok, problem)
    data = {
        "checked": result.checked.isoformat(),
        "ok": ok,
        "problem": problem,
        "file": _stamp(backup),
    }
    with atomic_write(record_path(backup), "w") as fh:
        json.dump(data, fh)
    return result


def forget(backup: Path) -> None:
    """Remove the record of a backup that was deleted."""
    with contextlib.suppress(FileNotFoundError):
        record_path(backup).unlink()


def failed(backup: Path) -> bool:
    """Whether the backup's latest full check found it damaged."""
    found = status(backup)
    return found is not None and not found.ok


def full_check(backup: Path, *, cancelled: Callable[[], bool] | None = None) -> FullCheck:
    """Run the full ``integrity_check`` on a plain backup and record the outcome.

    An encrypted backup is checked chunk by chunk when it is written; its
    pages need the passphrase and are checked when it is restored.
    """
    from ties.io.backup import RestoreCancelled, check_backup

    backup = Path(backup)
    try:
        check_backup(backup, cancelled=cancelled)
    except RestoreCancelled:
        raise
    except JournalError as exc:
        return record(backup, False, str(exc))
    return record(backup, True)


def background_due(backups: list[Path], *, now: datetime | None = None) -> Path | None:
    """The backup the idle window should fully check now (the newest plain one), or ``None``.

    ``backups`` are one journal's, newest first. Nothing is due when any of
    them was fully checked within :data:`BACKGROUND_EVERY` (at most weekly per
    journal) or the newest plain one has a record already.
    """
    now = now or datetime.now()
    plain = [b for b in backups if not b.name.endswith(".enc") and b.exists()]
    if not plain:
        return None
    for b in backups:
        found = status(b)
        if found is not None and now - found.checked < BACKGROUND_EVERY:
            return None
    return plain[0] if status(plain[0]) is None else None


def describe(found: FullCheck | None) -> str:
    """How the backup list shows a backup's full check."""
    if found is None:
        return "not fully checked"
    when = found.checked.strftime("%Y-%m-%d %H:%M")
    return f"fully checked {when}" if found.ok else f"FAILED full check {when}"


def full_check_encrypted(backup: Path, passphrase: str) -> FullCheck:
    """The full check of an encrypted backup: decrypted into memory only, never to disk."""
    import io
    import sqlite3

    from ties.io import crypto

    backup = Path(backup)
    image = io.BytesIO()
    with open(backup, "rb") as src:
        crypto.decrypt_stream(src, image, passphrase, name=backup.name)
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(image.getbuffer())
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    finally:
        conn.close()
        image.close()
    if rows != ["ok"]:
        return record(backup, False, f"{backup.name} is damaged: {rows[0]}")
    return record(backup, True)


def check_newest(journal: Path) -> tuple[Path, FullCheck] | None:
    """Fully check the newest plain backup of ``journal`` (what ``ties check --full`` adds)."""
    from ties.io.backup import journal_backups
    from ties.paths import backup_dir_if_any

    folder = backup_dir_if_any()
    if folder is None:
        return None
    plain = [b.path for b in journal_backups(journal, folder) if not b.encrypted]
    if not plain:
        return None
    return plain[0], full_check(plain[0])
