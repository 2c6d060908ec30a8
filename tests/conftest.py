"""Shared fixtures: every test gets its own data folder; nothing touches real user data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ties.store import Store

#: The fixed "today" of the sample journals built in tests.
DEMO_TODAY = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every Ties folder (data, logs, backups) at a temp dir."""
    home = tmp_path / "ties-home"
    monkeypatch.setenv("TIES_HOME", str(home))
    monkeypatch.delenv("TIES_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.ties"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    """A small, deterministic sample journal (60 people, 1,500 entries)."""
    from ties.demo import write_demo

    s = write_demo(tmp_path / "demo.ties", people=60, entries=1500, seed=3, today=DEMO_TODAY)
    yield s
    s.close()
