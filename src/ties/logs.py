"""Logging to the platform log folder: error types and codes, never journal content."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

_configured = False


def log_file() -> Path:
    from ties.paths import log_dir

    return log_dir() / "ties.log"


def setup() -> None:
    """Send warnings and errors to ``ties.log`` (owner-only), once per process."""
    global _configured
    if _configured:
        return
    _configured = True
    path = log_file()
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(fd)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("ties")
    root.setLevel(logging.INFO)
    root.addHandler(handler)


def log_unexpected(exc: BaseException) -> Path:
    """Record a bug: the exception type and the code locations, not its message.

    Messages of SQLite or parser errors can quote journal text (names,
    notes), so only the type and the stack of file/line/function go to the log.
    """
    setup()
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(
        f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(frames[-12:])
    )
    logging.getLogger("ties").error(
        "unexpected %s.%s at %s (python %s)",
        type(exc).__module__,
        type(exc).__qualname__,
        where,
        sys.version.split()[0],
    )
    return log_file()
