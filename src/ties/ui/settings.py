"""Window settings (geometry, last place, last journal) through QSettings.

Tests and ``TIES_HOME`` installs keep these settings apart from the user's
real ones: when ``TIES_HOME`` is set, an INI file inside it is used.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import QSettings

from ties.paths import private_dir

ORGANIZATION = "Ties"
APPLICATION = "Ties"


def app_settings() -> QSettings:
    """The settings store for the window."""
    home = os.environ.get("TIES_HOME")
    if home:
        path = Path(home) / "config" / "window.ini"
        private_dir(path.parent)
        found = QSettings(str(path), QSettings.Format.IniFormat)
    else:
        found = QSettings(ORGANIZATION, APPLICATION)
    with contextlib.suppress(OSError):  # written by an older Ties, or by a setValue elsewhere
        if os.stat(found.fileName()).st_mode & 0o077:
            os.chmod(found.fileName(), 0o600)
    return found


def last_journal() -> Path | None:
    value = app_settings().value("journal/last", "")
    return Path(str(value)) if value else None


def remember_journal(path: Path) -> None:
    """The journal opened last, first of the recent ones; nothing written when it already is
    (every start of the window remembers its journal: writing cost ~20 ms on a busy disk)."""
    s = app_settings()
    before = _list(s.value("journal/recent", []))
    recent = [str(path)] + [p for p in before if p != str(path)]
    if str(s.value("journal/last", "")) == str(path) and before[:8] == recent[:8]:
        return
    s.setValue("journal/last", str(path))
    s.setValue("journal/recent", recent[:8])
    _owner_only(s)


def _owner_only(s: QSettings) -> None:
    """The settings file lists journal paths: written now, readable by the owner only."""
    s.sync()
    with contextlib.suppress(OSError):
        os.chmod(s.fileName(), 0o600)


#: The colour schemes Settings offers; "system" follows the desktop.
SCHEMES = ("system", "light", "dark")


def color_scheme() -> str:
    """The colour scheme chosen in Settings → Appearance ("system" unless chosen)."""
    value = str(app_settings().value("appearance/scheme", "system"))
    return value if value in SCHEMES else "system"


def remember_color_scheme(scheme: str) -> None:
    if scheme in SCHEMES:
        app_settings().setValue("appearance/scheme", scheme)


def recent_journals() -> list[Path]:
    return [Path(p) for p in _list(app_settings().value("journal/recent", []))]


def remembered_flag(key: str, default: bool) -> bool:
    """A check box's last state (QSettings gives INI values back as text)."""
    value = app_settings().value(key, default)
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def remember(key: str, value: object) -> None:
    s = app_settings()
    s.setValue(key, value)
    _owner_only(s)


def remembered_split(key: str) -> list[int] | None:
    """A splitter's panes as the person last left them (in thousandths), if they did."""
    parts = _list(app_settings().value(key, []))
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        return None
    # written as thousandths of the whole: anything else is a hand-edited or damaged file
    if len(sizes) < 2 or not all(0 < s <= 1000 for s in sizes) or not 990 <= sum(sizes) <= 1010:
        return None
    return sizes


def remember_split(key: str, sizes: list[int]) -> None:
    total = sum(sizes)
    if total > 0 and all(s > 0 for s in sizes):
        remember(key, [str(round(1000 * s / total)) for s in sizes])


def _list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [str(v) for v in value]
    return []
