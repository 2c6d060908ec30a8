"""Running the real ``ties`` command in a child process, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m ties ARGS`` with the test's environment (plus ``env``), its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "ties", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
