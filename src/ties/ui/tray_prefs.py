"""The tray's settings of this computer (kept in the window's QSettings, not in the journal).

Apart from :mod:`ties.ui.tray` so that its settings dialog
(:mod:`ties.ui.tray_settings`), which the tray opens, can read and write them.
"""

from __future__ import annotations

from pathlib import Path

from ties.ui.settings import app_settings

KEY_KEEP_RUNNING = "tray/keep_running"  # "" until the first-run question was answered
KEY_CALENDAR_FOLDER = "calendar/folder"


def keep_running() -> bool | None:
    """The "keep Ties running in the tray" setting; None until the user was asked."""
    value = app_settings().value(KEY_KEEP_RUNNING, "")
    if value in ("", None):
        return None
    return value.lower() in ("true", "1") if isinstance(value, str) else bool(value)


def set_keep_running(on: bool) -> None:
    app_settings().setValue(KEY_KEEP_RUNNING, on)


def calendar_folder() -> Path | None:
    value = str(app_settings().value(KEY_CALENDAR_FOLDER, "") or "")
    return Path(value) if value else None


def set_calendar_folder(folder: Path | None) -> None:
    app_settings().setValue(KEY_CALENDAR_FOLDER, str(folder) if folder else "")
