"""Kill ``ties restore`` at random while another process keeps the journal open and writes.

The long run behind the figure in ``docs/reliability.md``::

    .venv/bin/python scripts/restore_race.py --rounds 100

Each round starts a *holder* process that opens the journal once (as the
window does), adds an entry now and then and prints ``ACK <token>`` after each
commit (checkpointing, so its WAL is empty between writes), then runs ``ties
restore`` of an older backup and kills it with SIGKILL after a random delay
(or lets it finish). The holder is then stopped and the
journal is opened as a user would: every acknowledged token must be in it
(a restore may never swap the journal under a process that has it open), and
the full check must pass. Prints a JSON report; exit 0 only when nothing was lost.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def holder(db: str, tag: str) -> int:
    """Keep one store open and add an entry every few milliseconds until stopped."""
    from datetime import date

    from ties.model import Entry, Person
    from ties.store import JournalError, Store

    store = Store.open(db, create=False)
    person = store.add_person(Person(name=f"Holder {tag}"))
    print("ready", flush=True)
    n = 0
    try:
        while True:
            token = f"racetoken-{tag}-{n}"
            try:
                store.add_entry(
                    Entry(date=date(2026, 1, 1), person_ids=[person.id or 0], note=token)
                )
            except JournalError as exc:
                print(f"NACK {token} {exc}", flush=True)
                return 3
            print(f"ACK {token}", flush=True)
            n += 1
            # An empty WAL, as after SQLite's own checkpoints: the case the old
            # "non-empty -wal" test missed.
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            time.sleep(0.02)
    finally:
        store.close()


@dataclass
class Report:
    rounds: int = 0
    restores_refused: int = 0
    restores_killed: int = 0
    restores_done: int = 0
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.problems or self.restores_done)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["TIES_HOME"] = str(home)
    env.pop("TIES_DB", None)
    src = os.environ.get("TIES_RACE_SRC", str(ROOT / "src"))  # another checkout's code
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    return env


def run(rounds: int, workdir: Path, *, max_delay: float = 2.0, seed: int = 0) -> Report:
    from ties.io.backup import backup
    from ties.model import Person
    from ties.store import Store

    rng = random.Random(seed)
    report = Report()
    env = _env(workdir / "home")
    os.environ["TIES_HOME"] = env["TIES_HOME"]
    db = workdir / "journal.ties"
    with Store.open(db) as store:
        store.add_person(Person(name="Before"))
        older = backup(store, workdir / "older.ties")
    acked: list[str] = []
    started = time.monotonic()
    for r in range(rounds):
        report.rounds += 1
        hold = subprocess.Popen(
            [sys.executable, __file__, "holder", "--db", str(db), "--tag", str(r)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert hold.stdout is not None
        if hold.stdout.readline().strip() != "ready":
            report.problems.append(f"holder {r} did not start: {hold.stderr.read()[-300:]}")
            break
        restore = subprocess.Popen(
            [sys.executable, "-m", "ties", "--db", str(db), "restore", str(older)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        time.sleep(rng.uniform(0, max_delay))
        if restore.poll() is None:
            restore.send_signal(signal.SIGKILL)
        code = restore.wait()
        if code == -signal.SIGKILL:
            report.restores_killed += 1
        elif code == 0:
            report.restores_done += 1
        else:
            report.restores_refused += 1
        hold.send_signal(signal.SIGTERM)
        out, _err = hold.communicate(timeout=60)
        acked += [line.split()[1] for line in out.splitlines() if line.startswith("ACK ")]
    report.seconds = round(time.monotonic() - started, 1)
    with Store.open(db, create=False) as store:
        report.problems += store.integrity_problems()
        notes = {row[0] for row in store.conn.execute("SELECT note FROM entries")}
    report.acknowledged = len(acked)
    report.lost = [t for t in acked if t not in notes][:20]
    report.leftovers = sorted(
        p.name for p in workdir.iterdir() if p.name.startswith(".journal.ties.restore-")
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "holder"])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--db")
    parser.add_argument("--tag", default="0")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.mode == "holder":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        return holder(args.db, args.tag)
    with tempfile.TemporaryDirectory(prefix="ties-restore-race-") as tmp:
        report = run(args.rounds, Path(tmp), seed=args.seed)
    print(json.dumps({**asdict(report), "ok": report.ok}, indent=2))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
