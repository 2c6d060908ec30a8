"""Window settings (geometry, last place, last journal) through QSettings.

Tests and ``TIES_HOME`` installs keep these settings apart from the user's
real ones: when ``TIES_HOME`` is set, an INI file inside it is used.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANIZATION = "Ties"
APPLICATION = "Ties"


def app_settings() -> QSettings:
    """The settings store for the window."""
    home = os.environ.get("TIES_HOME")
    if home:
        path = Path(home) / "config" / "window.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


def last_journal() -> Path | None:
    value = app_settings().value("journal/last", "")
    return Path(str(value)) if value else None


def remember_journal(path: Path) -> None:
    s = app_settings()
    s.setValue("journal/last", str(path))
    recent = [str(path)] + [p for p in _list(s.value("journal/recent", [])) if p != str(path)]
    s.setValue("journal/recent", recent[:8])


def recent_journals() -> list[Path]:
    return [Path(p) for p in _list(app_settings().value("journal/recent", []))]


def _list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [str(v) for v in value]
    return []
