"""The reliability promises on an encrypted journal, and kills while converting one.

The same harness as test_crash_kills and test_concurrent_writers (scripts/crash_test.py),
run on a journal encrypted with SQLCipher: the writers are real ``ties`` processes that
read the passphrase from ``$TIES_PASSPHRASE``. And ``ties encrypt`` / ``decrypt`` /
``passphrase`` killed with SIGKILL at random moments always leave a journal that opens
(with the old passphrase or the new one) and holds every row.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_kit import child_env, load_script

from ties.store import Store, conversion, encryption

crash = load_script("crash_test")

PASS = "reliable passphrase"
NEW = "another passphrase"


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TIES_PASSPHRASE", PASS)
    monkeypatch.setenv("TIES_NEW_PASSPHRASE", NEW)
    encryption.forget_all_keys()
    encryption.set_default_unlock(lambda _p: PASS)
    yield
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)


def _encrypted(db: Path) -> Path:
    Store.open(db).close()
    conversion.encrypt(db, PASS)
    for old in db.parent.glob("*.bak"):
        old.unlink()
    return db


def test_kills_mid_write_on_an_encrypted_journal_lose_nothing(tmp_path: Path) -> None:
    _encrypted(tmp_path / "journal.ties")
    # Longer delays than the plain test: each writer derives the key once (~0.15 s).
    report = crash.run(12, tmp_path, writers=2, max_delay=1.5, seed=12, verify_every=4)
    assert report.kills == 12
    assert report.acknowledged >= 3, "too few writes to mean anything"
    assert report.failed_writes == []
    assert report.lost == report.duplicated == report.incomplete == report.problems == []
    assert (tmp_path / "journal.ties").read_bytes()[:16] != encryption.SQLITE_MAGIC


def test_two_writers_on_an_encrypted_journal_lose_nothing(tmp_path: Path) -> None:
    db = _encrypted(tmp_path / "journal.ties")
    report = crash.parallel(tmp_path, writers=2, count=15)
    assert report.failed_writes == []
    assert report.acknowledged == report.entries_in_journal == 30
    assert report.lost == report.duplicated == report.incomplete == report.problems == []
    assert db.read_bytes()[:16] != encryption.SQLITE_MAGIC


def _rows(db: Path) -> dict[str, int]:
    """Rows per table, opened as a user would with whichever passphrase it has now."""
    for unlock in (PASS, NEW):
        encryption.forget_all_keys()
        try:
            with Store.open(db, create=False, unlock=unlock) as store:
                assert store.integrity_problems() == []
                names = [
                    r[0]
                    for r in store.conn.execute(
                        "SELECT name FROM sqlite_master WHERE type='table' "
                        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'"
                    )
                ]
                return {
                    n: store.conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
                    for n in names
                }
        except encryption.WrongPassphraseError:
            continue
    raise AssertionError("the journal opens with neither passphrase")


def _key(db: Path, passphrase: str) -> encryption.CipherKey:
    return encryption.derive_key(passphrase, db.read_bytes()[:16])


def _reset(db: Path, command: str) -> None:
    """Bring the journal back to where ``command`` starts from (a finished run converted it)."""
    encryption.forget_all_keys()
    encrypted = db.read_bytes()[:16] != encryption.SQLITE_MAGIC
    if command == "encrypt" and encrypted:
        conversion.decrypt(db, _key(db, PASS))
    elif (command == "decrypt" and not encrypted) or (command == "passphrase" and not encrypted):
        conversion.encrypt(db, PASS)
    elif command == "passphrase":
        try:
            Store.open(db, create=False, unlock=NEW).close()
        except encryption.WrongPassphraseError:
            return
        conversion.rekey(db, _key(db, NEW), PASS)
    encryption.forget_all_keys()


def _run(db: Path, command: str, env: dict[str, str], kill_after: float | None) -> int:
    code = "import sys; from ties.cli import main; sys.exit(main())"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "--db", str(db), command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.returncode in (0, -signal.SIGKILL), err
    return proc.returncode


@pytest.mark.parametrize("command", ["encrypt", "decrypt", "passphrase"])
def test_conversions_killed_at_random_moments_leave_a_whole_journal(
    tmp_path: Path, command: str
) -> None:
    import time

    from ties.demo import write_demo

    db = tmp_path / "journal.ties"
    write_demo(db, people=40, entries=800, seed=5).close()
    _reset(db, command)
    expected = _rows(db)
    env = child_env(tmp_path / "home")
    assert _run(db, command, env, None) == 0  # a first run writes the modules' bytecode
    assert _rows(db) == expected
    _reset(db, command)
    started = time.monotonic()
    assert _run(db, command, env, None) == 0  # how long a whole run takes here, warm
    whole = time.monotonic() - started
    assert _rows(db) == expected
    rng = random.Random(command)
    finished = killed = 0
    for _round in range(8):
        _reset(db, command)
        # Most of a run is Python starting; the kills land in its last part, the conversion.
        returncode = _run(db, command, env, rng.uniform(0.3 * whole, 1.3 * whole))
        finished += returncode == 0
        killed += returncode == -signal.SIGKILL
        assert _rows(db) == expected
    print(f"{command}: {killed} killed, {finished} finished, a whole run {whole:.2f} s")
    assert killed >= 1, "no kill landed"
    # A killed conversion's copy is removed by the next one (its process is gone).
    conversion.remove_stale_temporaries(db)
    assert not [p for p in tmp_path.iterdir() if ".converting-" in p.name]
    for backup in tmp_path.glob("*.bak"):
        assert _rows(backup) == expected
