"""Kill journal writers with SIGKILL at random moments; prove nothing acknowledged is lost.

The long run behind the figures in ``docs/reliability.md``::

    .venv/bin/python scripts/crash_test.py --kills 1000

Each round starts ``--writers`` processes that log entries through the real
command line (``ties log``, called in a loop inside the process, so a kill can
land anywhere: while opening, mid-transaction, mid-fsync, while closing) and
print ``ACK <token>`` only after a command has returned success. The round kills
every writer with SIGKILL after a random delay. After each round the journal is
opened as a user would open it and checked: SQLite's integrity check and the
store's own rules (no entry without its people, support types that agree with
the label, …), and every acknowledged token must be in the journal exactly once
with both its people and both its support types.

``--mode cli`` instead starts one ``ties`` process per entry and counts a write
as acknowledged when that process exited 0 (slower; fewer writes per kill).

``--parallel 1000`` instead lets ``--writers`` processes log 1,000 entries each
into one journal at the same time (no kills): none may fail for a lock.

The tests ``tests/reliability/test_crash_kills.py`` and
``test_concurrent_writers.py`` run the same code with small counts.
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
TOKEN_PREFIX = "crashtoken"


def quick_add_line(tag: str, n: int) -> str:
    """One quick-add line: two people (one new now and then), two support types, a token."""
    return (
        f'gave #career_guidance #encouragement to @"Writer {tag} ñ{n % 4}" @Shared '
        f"w2: {TOKEN_PREFIX}-{tag}-{n} café 東京"
    )


def writer(db: str, tag: str, count: int | None) -> int:
    """Log entries through the real CLI until killed (or ``count`` are done)."""
    import contextlib
    import io

    from ties.cli import main

    print("ready", flush=True)
    n = 0
    while count is None or n < count:
        token = f"{TOKEN_PREFIX}-{tag}-{n}"
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(["--db", db, "log", quick_add_line(tag, n)])
        if rc != 0:
            print(f"NACK {token} {rc} {err.getvalue().strip()}", flush=True)
            return 3
        print(f"ACK {token}", flush=True)
        n += 1
    return 0


@dataclass
class Report:
    """What a run did and found; the figures that go in docs/reliability.md."""

    mode: str
    kills: int = 0
    kills_while_running: int = 0
    rounds: int = 0
    acknowledged: int = 0
    committed_unacknowledged: int = 0
    entries_in_journal: int = 0
    failed_writes: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (
            self.failed_writes or self.lost or self.duplicated or self.incomplete or self.problems
        )


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["TIES_HOME"] = str(home)
    env.pop("TIES_DB", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return env


def start_writer(
    db: Path, tag: str, env: dict[str, str], count: int | None = None
) -> subprocess.Popen:
    cmd = [sys.executable, str(Path(__file__).resolve()), "writer", "--db", str(db), "--tag", tag]
    if count is not None:
        cmd += ["--count", str(count)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def start_cli_log(db: Path, tag: str, n: int, env: dict[str, str]) -> subprocess.Popen:
    code = "import sys; from ties.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", code, "--db", str(db), "log", quick_add_line(tag, n)]
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )


def collect(proc: subprocess.Popen, acked: list[str], report: Report) -> None:
    out, err = proc.communicate()
    for line in out.splitlines():
        if line.startswith("ACK "):
            acked.append(line.split()[1])
        elif line.startswith("NACK "):
            report.failed_writes.append(line)
    if proc.returncode not in (0, -signal.SIGKILL):
        report.failed_writes.append(f"writer exited {proc.returncode}: {err.strip()[-300:]}")


def verify(db: Path, acked: list[str], report: Report) -> None:
    """Open the journal as a user would and check every promise."""
    from ties.store import Store

    with Store.open(db, create=False) as store:
        report.problems = store.integrity_problems()
        rows = store.conn.execute(
            "SELECT e.note, e.types_label, (SELECT count(*) FROM entry_people p "
            "WHERE p.entry_id = e.id) FROM entries e"
        ).fetchall()
    seen: dict[str, int] = {}
    for note, types, people in rows:
        token = next((w for w in note.split() if w.startswith(TOKEN_PREFIX)), None)
        if token is None:
            continue
        seen[token] = seen.get(token, 0) + 1
        if people != 2 or types != "career_guidance encouragement":
            report.incomplete.append(token)
    acked_set = set(acked)
    report.acknowledged = len(acked_set)
    report.entries_in_journal = len(rows)
    report.lost = sorted(acked_set - set(seen))
    report.duplicated = sorted(t for t, n in seen.items() if n > 1)
    report.committed_unacknowledged = len(set(seen) - acked_set)


def run(
    kills: int,
    workdir: Path,
    *,
    writers: int = 2,
    max_delay: float = 0.5,
    seed: int = 0,
    mode: str = "loop",
    verify_every: int = 10,
) -> Report:
    """Kill ``kills`` writers at random moments, verifying the journal as it goes."""
    from ties.store import Store

    rng = random.Random(seed)
    report = Report(mode=mode)
    db = workdir / "journal.ties"
    env = child_env(workdir / "home")
    Store.open(db).close()  # the journal exists before the first kill
    acked: list[str] = []
    started = time.monotonic()
    n = 0
    while report.kills < kills:
        report.rounds += 1
        batch = min(writers, kills - report.kills)
        if mode == "loop":
            procs = [start_writer(db, f"r{report.rounds}w{i}", env) for i in range(batch)]
            for p in procs:
                assert p.stdout is not None
                p.stdout.readline()  # "ready": the kill lands in the writing, not the import
        else:
            procs = []
            for i in range(batch):
                procs.append(start_cli_log(db, f"r{report.rounds}w{i}", n, env))
                n += 1
        for p in procs:
            time.sleep(rng.uniform(0, max_delay / batch))
            if p.poll() is None:
                report.kills_while_running += 1
            p.send_signal(signal.SIGKILL)
            report.kills += 1
        for i, p in enumerate(procs):
            if mode == "loop":
                collect(p, acked, report)
            else:
                p.wait()
                if p.returncode == 0:
                    acked.append(f"{TOKEN_PREFIX}-r{report.rounds}w{i}-{n - batch + i}")
                elif p.returncode != -signal.SIGKILL:
                    assert p.stderr is not None
                    report.failed_writes.append(f"exit {p.returncode}: {p.stderr.read()[-300:]}")
            if p.stderr is not None:
                p.stderr.close()
        if report.rounds % verify_every == 0 or report.kills >= kills:
            verify(db, acked, report)
            if not report.ok:
                break
    report.seconds = round(time.monotonic() - started, 1)
    return report


def parallel(workdir: Path, *, writers: int = 2, count: int = 1000) -> Report:
    """``writers`` processes log ``count`` entries each into one journal, all at once."""
    from ties.store import Store

    db = workdir / "journal.ties"
    env = child_env(workdir / "home")
    Store.open(db).close()
    report = Report(mode=f"parallel x{writers}")
    started = time.monotonic()
    procs = [start_writer(db, f"p{i}", env, count=count) for i in range(writers)]
    acked: list[str] = []
    for p in procs:
        collect(p, acked, report)
        if p.returncode != 0:
            report.failed_writes.append(f"writer exited {p.returncode}")
    verify(db, acked, report)
    report.seconds = round(time.monotonic() - started, 1)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    w = sub.add_parser("writer", help="(internal) log entries until killed")
    w.add_argument("--db", required=True)
    w.add_argument("--tag", required=True)
    w.add_argument("--count", type=int)
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--writers", type=int, default=2, help="writers started per round")
    parser.add_argument("--max-delay", type=float, default=0.5, help="seconds, per round")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=["loop", "cli"], default="loop")
    parser.add_argument("--workdir", type=Path, help="keep the journal here (default: a temp dir)")
    parser.add_argument(
        "--parallel",
        type=int,
        metavar="COUNT",
        help="instead of killing: --writers processes log COUNT entries each, at once",
    )
    args = parser.parse_args(argv)
    if args.command == "writer":
        return writer(args.db, args.tag, args.count)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        if args.parallel:
            report = parallel(workdir, writers=args.writers, count=args.parallel)
            print(json.dumps({**asdict(report), "ok": report.ok}, indent=2))
            return 0 if report.ok else 1
        report = run(
            args.kills,
            workdir,
            writers=args.writers,
            max_delay=args.max_delay,
            seed=args.seed,
            mode=args.mode,
        )
    print(json.dumps({**asdict(report), "ok": report.ok}, indent=2))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
