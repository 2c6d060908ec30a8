"""Writers killed with SIGKILL at random moments lose nothing they acknowledged.

The same harness as ``scripts/crash_test.py`` (which runs 1,000 kills for the
figures in docs/reliability.md), with a CI-sized count.
"""

from __future__ import annotations

from pathlib import Path

from reliability_kit import load_script

crash = load_script("crash_test")


def test_thirty_kills_mid_write_lose_nothing_acknowledged(tmp_path: Path) -> None:
    report = crash.run(30, tmp_path, writers=2, max_delay=0.4, seed=30, verify_every=5)
    assert report.kills == 30
    assert report.kills_while_running == 30, "a writer finished before it could be killed"
    assert report.acknowledged >= 5, "too few writes to mean anything"
    assert report.failed_writes == []  # no "database is locked", no other error
    assert report.lost == []
    assert report.duplicated == []
    assert report.incomplete == []  # every entry kept both people and both types
    assert report.problems == []  # integrity_check, foreign keys, the store's own rules


def test_killed_ties_log_processes_lose_nothing_acknowledged(tmp_path: Path) -> None:
    """One real ``ties`` process per entry; success means it exited 0."""
    report = crash.run(8, tmp_path, writers=2, max_delay=0.5, seed=8, mode="cli")
    assert report.kills == 8
    assert report.failed_writes == []
    assert report.lost == []
    assert report.duplicated == []
    assert report.incomplete == []
    assert report.problems == []
