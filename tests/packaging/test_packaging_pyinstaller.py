"""The standalone build: PyInstaller builds the spec, and the result starts headless.

Slow (about half a minute to build), so left out of the default run:

    .venv/bin/python -m pytest -m slow tests/packaging/test_packaging_pyinstaller.py
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from packaging_paths import ROOT, SPEC_FILE, pyproject_version

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None, reason="pyinstaller not installed"
    ),
]

EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ties/ built from packaging/ties.spec into a temp folder."""
    out = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "build"),
            str(SPEC_FILE),
        ],
        check=True,
        cwd=ROOT,
    )
    return out / "dist" / "ties"


def run_frozen(build: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIES_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("TIES_DB", None)
    return subprocess.run(
        [str(build / f"ties{EXE_SUFFIX}"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_frozen_ties_knows_its_version(build: Path, tmp_path: Path) -> None:
    result = run_frozen(build, "--version", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ties {pyproject_version()}"
    assert (build / f"ties-gui{EXE_SUFFIX}").is_file()


def test_frozen_ties_passes_its_smoke_test_on_a_sample_journal(build: Path, tmp_path: Path) -> None:
    journal = tmp_path / "sample.ties"
    demo = run_frozen(
        build, "demo", "--db", str(journal), "--people", "40", "--entries", "600",
        "--today", "2026-06-30", home=tmp_path,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    smoke = run_frozen(build, "--db", str(journal), "--smoke-test", home=tmp_path)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert "Traceback" not in smoke.stderr
