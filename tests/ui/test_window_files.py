"""Window files: the settings file is owner-only, the lock is beside the real journal (#20)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ties.ui import settings


def test_the_settings_file_is_owner_only_and_stays_so(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        settings.remember_journal(tmp_path / "a.ties")
        path = Path(settings.app_settings().fileName())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        settings.remember("window/flag", True)
        settings.remember_journal(tmp_path / "b.ties")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_the_window_lock_of_a_symlinked_journal_is_beside_the_real_file(tmp_path: Path) -> None:
    from ties.store import Store
    from ties.ui import lock as journal_lock

    real = tmp_path / "real" / "journal.ties"
    real.parent.mkdir()
    Store.open(real).close()
    link = tmp_path / "link.ties"
    link.symlink_to(real)
    held = journal_lock.acquire(link)
    try:
        assert journal_lock.lock_path(real).exists()
        assert not journal_lock.lock_path(link).exists()
    finally:
        held.unlock()
