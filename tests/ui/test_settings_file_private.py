"""The window's settings file lists journal paths: it is the owner's only (issue #20, item 9)."""

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
