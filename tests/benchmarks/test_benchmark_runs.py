"""The benchmark still runs end to end (at a tiny scale; the figures are not checked).

Slow (about half a minute: it builds a 20,000-entry journal and starts the
window in child processes), so it is left out of the default run:
``pytest -m slow tests/benchmarks``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_benchmark_runs_at_tiny_scale(tmp_path: Path) -> None:
    out = tmp_path / "result.md"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--scale",
            "tiny",
            "--repeat",
            "1",
            "--pairs",
            "1",
            "--cache",
            str(tmp_path / "cache"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    areas = {line.split(" | ")[0].removeprefix("| ") for line in rows[1:]}
    expected_areas = ("search", "quick-add", "journal list (store)", "cold start", "backup")
    for expected in (*expected_areas, "what you feel"):
        assert expected in areas, f"no '{expected}' rows in:\n{text}"
    assert "| failed |" not in text
    assert list((tmp_path / "cache").glob("tiny-*.ties")), "the journal was not cached"
