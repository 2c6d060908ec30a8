"""The quick check runs only when asked (never at open by default) and can be cut short."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from ties.model import Person
from ties.store import CorruptJournalError, Store


def _journal(path: Path, people: int = 200) -> Path:
    with Store.open(path) as store:
        for i in range(people):
            store.add_person(Person(name=f"Person {i}", notes="x" * 200))
    return path


def test_opening_does_not_run_the_quick_check(db_path: Path) -> None:
    _journal(db_path, people=3)
    ran: list[str] = []
    real = Store.quick_check
    Store.quick_check = lambda self, **kw: ran.append("check") or real(self, **kw)  # type: ignore[method-assign]
    try:
        Store.open(db_path).close()
        assert ran == []
        Store.open(db_path, check=True).close()
        assert ran == ["check"]
    finally:
        Store.quick_check = real  # type: ignore[method-assign]


def test_a_sound_journal_passes_the_quick_check(db_path: Path) -> None:
    with Store.open(_journal(db_path)) as store:
        assert store.quick_check() is True


def test_the_quick_check_finds_a_damaged_page(db_path: Path) -> None:
    _journal(db_path)
    conn = sqlite3.connect(db_path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'people'").fetchone()[0]
    conn.close()
    data = bytearray(db_path.read_bytes())
    data[(root - 1) * 4096 : root * 4096] = bytes(range(256)) * 16
    db_path.write_bytes(bytes(data))
    with Store.open(db_path) as store, pytest.raises(CorruptJournalError, match="damaged"):
        store.quick_check()


def test_a_cancelled_check_stops_and_says_it_did_not_finish(db_path: Path) -> None:
    with Store.open(_journal(db_path)) as store:
        assert store.quick_check(cancelled=lambda: True) is False
        assert store.quick_check() is True  # the connection is left as it was


def test_cancelling_from_another_thread_stops_a_running_check(db_path: Path) -> None:
    with Store.open(_journal(db_path, people=3000)) as store:
        stop = threading.Event()
        calls = 0

        def cancelled() -> bool:
            nonlocal calls
            calls += 1
            return stop.is_set()

        timer = threading.Timer(0.0, stop.set)
        timer.start()
        time.sleep(0.05)
        assert store.quick_check(cancelled=cancelled) is False
        assert calls >= 1


def test_a_write_ahead_log_left_beside_the_journal_is_noticed_at_open(db_path: Path) -> None:
    _journal(db_path, people=1)
    with Store.open(db_path) as first:
        assert first.wal_at_open is False  # closed cleanly: the log was removed
        first.add_person(Person(name="Still open"))
        with Store.open(db_path) as second:  # the first still holds its log
            assert second.wal_at_open is True
    with Store.open(db_path) as again:
        assert again.wal_at_open is False
