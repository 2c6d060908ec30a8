"""The records of backups' full checks: kept beside each backup, read for the lists.

A full check's outcome (:mod:`ties.io.backup_checks` runs it) is kept in a
small hidden file beside the backup (``.<backup name>.checked``, JSON). A
record only counts while the backup's size and modification time are those it
was made for. Apart from the checks themselves so that :mod:`ties.io.backup`
(which removes a rotated backup's record) and the checks (which use
:mod:`ties.io.backup`) import no circle.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ties.io.atomic import atomic_write

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
