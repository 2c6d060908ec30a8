"""Small timing helpers and the result table shared by the benchmark modules.

Every measure is a :class:`Row`: what was measured, the figure, the target and
whether it was met. A part of Ties that is not importable (not written yet)
gives a row that says "not available" with the reason, so the benchmark runs
whatever state the code is in.
"""

from __future__ import annotations

import statistics
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


def pin_none() -> None:
    """Keep ``None`` alive for good in this process (a guard, not a measure).

    PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every
    call of a Qt method that returns nothing (``QPainter.drawEllipse``,
    ``QWidget.setEnabled``, …), so a process that makes a few thousand such
    calls aborts with "none_dealloc" (pyproject.toml now excludes 6.12.0).
    From Python 3.12 on, ``None`` is immortal. Pinning it costs nothing, so
    the benchmark's processes do it and can measure whatever PySide6 is there.
    """
    import ctypes
    import sys

    if sys.version_info < (3, 12):
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


@dataclass
class Row:
    """One line of the results table.

    Attributes:
        area: the group (journal list, search, …).
        what: the measure.
        value: the figure as shown (``"12.3 ms"``).
        target: the target as shown, or ``""``.
        met: True/False against the target, None when there is none.
        note: anything a reader needs (raw SQL figure, ratio, why unavailable).
    """

    area: str
    what: str
    value: str
    target: str = ""
    met: bool | None = None
    note: str = ""


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call takes, and what it returned."""
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def runs(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> list[float]:
    """Seconds of ``repeat`` calls after ``warmup`` discarded ones."""
    for _ in range(warmup):
        fn()
    return [timed(fn)[0] for _ in range(repeat)]


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a small sample."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def under(area: str, what: str, seconds: float, limit_ms: float, note: str = "") -> Row:
    """A row for a figure with an upper limit in milliseconds."""
    return Row(area, what, ms(seconds), f"< {limit_ms:g} ms", seconds * 1000 < limit_ms, note)


def info(area: str, what: str, seconds: float, note: str = "") -> Row:
    """A row with no target (a raw-SQL baseline, a detail)."""
    return Row(area, what, ms(seconds), "", None, note)


def unavailable(area: str, what: str, exc: BaseException) -> Row:
    reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:120]
    return Row(area, what, "not available", "", None, reason)


def guarded(area: str, what: str, fn: Callable[[], list[Row]]) -> list[Row]:
    """Rows from ``fn``; a missing module or a failure becomes one explanatory row."""
    try:
        return fn()
    except (ImportError, AttributeError, TypeError) as exc:
        return [unavailable(area, what, exc)]
    except Exception as exc:  # a benchmark must report, not stop the others
        traceback.print_exc()
        row = unavailable(area, what, exc)
        row.value = "failed"
        return [row]


def table(rows: list[Row]) -> Iterator[str]:
    """The rows as a Markdown table."""
    yield "| Area | Measure | Result | Target | Met | Note |"
    yield "|---|---|---|---|---|---|"
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        yield f"| {r.area} | {r.what} | {r.value} | {r.target} | {met} | {r.note} |"
