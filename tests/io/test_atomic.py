"""atomic_write: the target is either the old file or the whole new one, never a part."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ties.io.atomic import atomic_write, temp_name


def test_text_write_replaces_target_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old\n")
    with atomic_write(target, "w") as fh:
        fh.write("new\nlines\n")
    assert target.read_bytes() == b"new\nlines\n"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not temp_name(target).exists()


def test_binary_write(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    with atomic_write(target) as fh:
        fh.write(b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"


def test_failure_keeps_old_target_and_removes_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_write(target, "w") as fh:
        fh.write("half")
        raise RuntimeError("stopped")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_stale_temp_from_a_crash_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    temp_name(target).write_text("left by a crash")
    with atomic_write(target, "w") as fh:
        fh.write("fresh")
    assert target.read_text() == "fresh"
    assert list(tmp_path.iterdir()) == [target]
