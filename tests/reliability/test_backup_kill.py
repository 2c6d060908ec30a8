"""A backup killed half-way: earlier backups intact, no half file under a final name."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from reliability_kit import child_env, file_digest

from ties.io import backup as backups
from ties.model import Entry, Person
from ties.store import Store

BACKER = """
import sys
from pathlib import Path
from ties.io import backup
from ties.store import Store
store = Store.open(sys.argv[1])
print("ready", flush=True)
while True:
    path = backup.backup(store, kind="manual")
    print(path, flush=True)
"""


def _big_journal(path: Path) -> Path:
    """A few MB, so that one backup takes long enough to be interrupted."""
    with Store.open(path) as store:
        people = [Person(name=f"P{i} ñ", notes="x" * 2000, id=i + 1) for i in range(300)]
        entries = (
            Entry(
                date=date(2026, 1, 1 + i % 28),
                person_ids=[1 + i % 300],
                note=f"entry {i} " + "é" * 300,
                id=i + 1,
            )
            for i in range(3000)
        )
        store.bulk_insert(people, entries)
    return path


def test_backups_killed_at_random_moments(tmp_path: Path, isolated_home: Path) -> None:
    journal = _big_journal(tmp_path / "journal.ties")
    env = child_env(isolated_home)
    rng = random.Random(5)
    with Store.open(journal) as store:
        first = backups.backup(store, kind="manual")  # the previous backup that must survive
    known: dict[Path, str] = {first: file_digest(first)}
    folder = isolated_home / "data" / "backups"
    kills = 0
    # At least six kills, and more (up to 20) until one has landed in the middle of a
    # backup: on a loaded machine a kill can miss every copy by chance.
    while kills < 6 or (kills < 20 and not any(p.name.startswith(".") for p in folder.iterdir())):
        proc = subprocess.Popen(
            [sys.executable, "-c", BACKER, str(journal)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        kills += 1
        out, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err
        finished = [Path(line) for line in out.split()]
        # Every backup that had returned is whole, and earlier ones did not change.
        for path, digest in known.items():
            assert file_digest(path) == digest, f"{path.name} changed after a later kill"
        for path in finished:
            backups.check_backup(path)
            known[path] = file_digest(path)
    listed = backups.list_backups(folder=folder)
    # Whatever sits under a backup's name passes its check: no half-written file.
    for info in listed:
        candidate = backups.check_backup(info.path)
        assert candidate.entries == 3000
    assert {i.path for i in listed} >= set(known)
    # Interrupted runs left at most temporary files, which no listing offers.
    for path in folder.iterdir():
        if path not in {i.path for i in listed}:
            assert path.name.startswith("."), path.name
    assert kills >= 6
    leftovers = [p for p in folder.iterdir() if p.name.startswith(".")]
    assert leftovers, "no kill landed in the middle of a backup; the test proved nothing"
