"""The one place that decides where Ties keeps files.

Everything is resolved through platformdirs so the journal lives where the
platform expects user data. ``TIES_HOME`` moves all of it (tests and portable
installs); ``TIES_DB`` or ``--db`` picks a journal file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

APP_NAME = "ties"
APP_AUTHOR = "Ties"


def _platform_dir(kind: str) -> Path:
    home = os.environ.get("TIES_HOME")
    if home:
        return Path(home) / kind
    import platformdirs

    getters: dict[str, Callable[[str, str], str]] = {
        "data": platformdirs.user_data_dir,
        "log": platformdirs.user_log_dir,
        "cache": platformdirs.user_cache_dir,
        "config": platformdirs.user_config_dir,
    }
    return Path(getters[kind](APP_NAME, APP_AUTHOR))


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only.

    Every folder made here is 0700, the missing parents too (``mkdir(parents=True)``
    would give them the umask's 0755); folders that were there already are left
    alone (a shared 2775 folder or a read-only 0555 one keeps its mode: Ties did
    not create it).
    """
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(mode=0o700, exist_ok=True)
        with contextlib.suppress(OSError):
            made.chmod(0o700)
    return path


def data_dir() -> Path:
    return private_dir(_platform_dir("data"))


def log_dir() -> Path:
    return private_dir(_platform_dir("log"))


def cache_dir() -> Path:
    return private_dir(_platform_dir("cache"))


def backup_dir() -> Path:
    return private_dir(data_dir() / "backups")


def backup_dir_if_any() -> Path | None:
    """The backup folder when it exists (nothing is created: for looking, not writing)."""
    folder = _platform_dir("data") / "backups"
    return folder if folder.is_dir() else None


def default_journal_path() -> Path:
    """The journal used when neither ``--db`` nor ``TIES_DB`` names one."""
    env = os.environ.get("TIES_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "journal.ties"


def sample_journal_path() -> Path:
    """Where "Explore a sample journal" keeps its demo, apart from the user's own."""
    return data_dir() / "sample-journal.ties"
