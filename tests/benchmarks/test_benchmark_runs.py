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


@pytest.mark.slow
def test_benchmark_compares_plain_and_encrypted_at_tiny_scale(tmp_path: Path) -> None:
    """``--encrypted``: an encrypted copy cached beside the journal, both figures and the ratio."""
    out = tmp_path / "result.md"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    args = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--scale", "tiny", "--repeat"]
    args += ["1", "--pairs", "1", "--rounds", "1", "--quick", "--encrypted"]
    args += ["--cache", str(tmp_path / "cache"), "--out", str(out)]
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=400)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "| Area | Measure | plain | encrypted | ratio | target | met | note |" in text
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| ")]
    compared = [r for r in rows if len(r) == 8 and r[5] in ("≤ 1.3×", "≤ 1.3× + KDF")]
    areas = {r[0].removeprefix("| ") for r in compared}
    for expected in ("what you feel", "cold start", "journal list (store)", "search", "backup"):
        assert expected in areas, f"no compared '{expected}' rows in:\n{text}"
    assert any(r[3].endswith(" ms") and r[4].endswith("×") for r in compared)
    assert "key derivation" in text and "failed" not in text
    copies = list((tmp_path / "cache").glob("tiny-*-encrypted.ties"))
    assert len(copies) == 1 and copies[0].read_bytes()[:16] != b"SQLite format 3\x00"
