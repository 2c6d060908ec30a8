"""When the window checks a journal: at most daily, at once after an unclean end."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from ties.app.journal_check import CHECK_EVERY, check_due, check_key

NOW = datetime(2026, 6, 30, 12, 0)


def test_a_journal_never_checked_here_is_due() -> None:
    assert check_due(None, NOW, unclean=False)


def test_a_check_within_the_day_is_not_repeated() -> None:
    assert not check_due(NOW - timedelta(hours=23), NOW, unclean=False)
    assert not check_due(NOW, NOW, unclean=False)


def test_a_day_after_the_last_check_it_is_due_again() -> None:
    assert check_due(NOW - CHECK_EVERY, NOW, unclean=False)
    assert check_due(NOW - timedelta(days=40), NOW, unclean=False)


def test_an_unclean_end_makes_it_due_at_once() -> None:
    assert check_due(NOW - timedelta(minutes=5), NOW, unclean=True)


def test_a_clock_set_back_makes_it_due() -> None:
    assert check_due(NOW + timedelta(hours=3), NOW, unclean=False)


def test_each_journal_has_its_own_key(tmp_path: Path) -> None:
    a, b = tmp_path / "a.ties", tmp_path / "b.ties"
    assert check_key(a) != check_key(b)
    assert check_key(a) == check_key(tmp_path / "." / "a.ties")
