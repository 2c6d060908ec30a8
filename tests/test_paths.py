"""Folders Ties makes are private: the owner's only, parents included."""

from __future__ import annotations

import stat
from pathlib import Path

from ties.paths import private_dir


def test_every_missing_folder_is_made_owner_only(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    target = shared / "new" / "deeper" / "journal-folder"
    assert private_dir(target) == target
    for folder in (shared / "new", shared / "new" / "deeper", target):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # was there already: left alone
