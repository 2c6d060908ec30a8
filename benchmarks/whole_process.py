"""What a person feels: whole processes, from start to exit, against a yardstick run beside them.

A function timed inside one warm process says little about ``ties today`` typed
in a terminal: starting Python, importing, opening the journal and printing
count too. So each command runs as its own process, each run paired with a run
of the yardstick (``ties --help``: Python, the imports every command shares,
the parser) started just before it, so load on a shared machine hits both
alike. A figure is the median of the pairs, with the slowest and fastest shown.

The window is measured the same way against a bare PySide6 window
(``startup.py``): shown and idle (painted, and the GUI thread asleep with
nothing to do), the longest stretch of GUI-thread work in the half second after
(what deferred work costs input given at once), and from the window closed to
the process gone (no backup due: the temporary home holds today's automatic
backup).

Commands run on a copy of the journal (``today`` keeps its window totals in it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench_qt import HERE, _child_env
from harness import Row, median, ms

AREA = "what you feel"
#: The person the commands name (the sample journal always has her).
PERSON = "Ana Ruiz"


@dataclass(frozen=True)
class Budget:
    """One command and its budget: ``ratio`` × the yardstick, or yardstick + ``plus_ms``,
    or ``limit_ms`` absolute."""

    label: str
    argv: tuple[str, ...]
    ratio: float | None = None
    plus_ms: float | None = None
    limit_ms: float | None = None

    def target(self) -> str:
        if self.ratio is not None:
            return f"≤ {self.ratio:g}× `ties --help`"
        if self.plus_ms is not None:
            return f"≤ `ties --help` + {self.plus_ms:g} ms"
        return f"≤ {self.limit_ms:g} ms"


BUDGETS = (
    Budget("`ties log --dry-run 'call with @\"Ana Ruiz\"'`",
           ("log", "--dry-run", f'call with @"{PERSON}"'), plus_ms=50),
    Budget("`ties people`", ("people",), ratio=2),
    Budget("`ties search Ana`", ("search", "Ana"), ratio=2),
    Budget("`ties person show 'Ana Ruiz'`", ("person", "show", PERSON), ratio=2),
    Budget("`ties today`", ("today",), limit_ms=500),
    Budget("`ties report balance --person Ana`", ("report", "balance", "--person", "Ana"),
           limit_ms=500),
    Budget("`ties report coverage`", ("report", "coverage"), limit_ms=500),
)  # fmt: skip


def _run(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from start to exit of ``python -m ties ARGV`` (its output thrown away)."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ties", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=120,
    )
    took = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"ties {' '.join(argv)} failed: {done.stderr.strip()[-300:]}")
    return took


def _spread(values: list[float], unit: str = "ms") -> str:
    lo, hi = min(values), max(values)
    if unit == "×":
        return f"min {lo:.2f}×, max {hi:.2f}×"
    return f"min {lo * 1000:.0f} ms, max {hi * 1000:.0f} ms"


def command_rows(journal: Path, env: dict[str, str], repeat: int) -> list[Row]:
    """Every budget of :data:`BUDGETS`, each command in pairs with ``ties --help``."""
    yardstick = ["--help"]
    rows: list[Row] = []
    helps: list[float] = []
    for budget in BUDGETS:
        argv = ["--db", str(journal), *budget.argv]
        _run(yardstick, env), _run(argv, env)  # warm-up: bytecode, the OS file cache
        pairs = [(_run(yardstick, env), _run(argv, env)) for _ in range(repeat)]
        base = [h for h, _ in pairs]
        took = [c for _, c in pairs]
        helps.extend(base)
        if budget.ratio is not None:
            ratios = [c / h for h, c in pairs]
            r = median(ratios)
            met = r <= budget.ratio
            note = f"{r:.2f}× (pairs: {_spread(ratios, '×')}); `--help` {ms(median(base))}"
        elif budget.plus_ms is not None:
            extra = [c - h for h, c in pairs]
            e = median(extra)
            met = e * 1000 <= budget.plus_ms
            note = f"`--help` + {e * 1000:.0f} ms (pairs: {_spread(extra)})"
        else:
            assert budget.limit_ms is not None
            met = median(took) * 1000 <= budget.limit_ms
            note = f"{_spread(took)}; `--help` {ms(median(base))} beside it"
        rows.append(Row(AREA, budget.label, ms(median(took)), budget.target(), met, note))
    rows.insert(
        0,
        Row(AREA, "yardstick: `ties --help`", ms(median(helps)), "", None, _spread(helps)),
    )
    return rows


def _window(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds to READY (shown and idle), from CLOSED (window closed) to the process gone,
    and BUSY: the longest stretch of GUI-thread work in the half second after READY."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "startup.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    ready = closed = None
    busy = 0.0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            now = time.perf_counter()
            if line.startswith("READY") and ready is None:
                ready = now - t0 - float(line.split()[1])  # the child says how late it tells
            elif line.startswith("BUSY"):
                busy = float(line.split()[1]) / 1000
            elif line.startswith("CLOSED"):
                closed = now
        proc.wait(timeout=120)
        gone = time.perf_counter()
    finally:
        if proc.poll() is None:
            proc.kill()
    if ready is None or proc.returncode != 0:
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"startup.py {args[0]} failed ({proc.returncode}): {err[-300:]}")
    return ready, gone - (closed if closed is not None else gone), busy


def _take_todays_backup(journal: Path, env: dict[str, str]) -> None:
    """Today's automatic backup in the child's home, so closing the window takes none."""
    code = (
        "import sys; from ties.store import Store; from ties.io.backup import auto_backup\n"
        "with Store.open(sys.argv[1], create=False) as s: auto_backup(s, force=True)"
    )
    subprocess.run([sys.executable, "-c", code, str(journal)], env=env, check=True, timeout=600)


def window_rows(journal: Path, env: dict[str, str], repeat: int) -> list[Row]:
    _take_todays_backup(journal, env)
    _window(["bare"], env), _window(["app", str(journal)], env)  # warm-up
    pairs = [(_window(["bare"], env), _window(["app", str(journal)], env)) for _ in range(repeat)]
    bare = [b[0] for b, _ in pairs]
    shown = [a[0] for _, a in pairs]
    ratios = [a[0] / b[0] for b, a in pairs]
    exits = [a[1] for _, a in pairs]
    busy = [a[2] for _, a in pairs]
    bare_busy = ms(median([b[2] for b, _ in pairs]))
    r = median(ratios)
    return [
        Row(AREA, "yardstick: bare PySide6 window, shown and idle", ms(median(bare)), "", None,
            _spread(bare)),
        Row(AREA, "window shown and idle", ms(median(shown)), "≤ 2× bare", r <= 2,
            f"{r:.2f}× (pairs: {_spread(ratios, '×')})"),
        Row(AREA, "window: longest GUI-thread work in the 0.5 s after shown and idle",
            ms(median(busy)), "", None, f"{_spread(busy)}; bare window {bare_busy}"),
        Row(AREA, "window closed → process exit (no backup due)", ms(median(exits)), "≤ 300 ms",
            median(exits) <= 0.3, _spread(exits)),
    ]  # fmt: skip


@contextlib.contextmanager
def _copy_of(journal: Path) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="ties-bench-copy-") as tmp:
        copy = Path(tmp) / journal.name
        shutil.copyfile(journal, copy)
        os.chmod(copy, 0o600)
        yield copy


def all_rows(journal: Path, pairs: int = 5, *, gui: bool = True) -> Iterator[list[Row]]:
    """The whole-process rows: the commands, then the window (unless ``gui`` is False).

    ``pairs``: runs of each measure beside its yardstick (the figures are their medians;
    the budgets are stated for at least 5).
    """
    from harness import guarded

    repeat = max(pairs, 1)
    with _copy_of(journal) as copy, tempfile.TemporaryDirectory(prefix="ties-bench-home-") as home:
        env = _child_env(Path(home))
        yield guarded(AREA, "commands", lambda: command_rows(copy, env, repeat))
        if gui:
            yield guarded(AREA, "window", lambda: window_rows(copy, env, repeat))


if __name__ == "__main__":  # ``python benchmarks/whole_process.py JOURNAL [REPEAT]``
    from harness import table

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for rows in all_rows(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5):
        print(*table(rows), sep="\n", flush=True)
