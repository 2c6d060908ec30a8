"""Logging to the platform log folder: error types and codes, never journal content."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from pathlib import Path

_configured = False
_where: Path | None = None


def log_file() -> Path:
    from ties.paths import log_dir

    return log_dir() / "ties.log"


def _fallback_file() -> Path:
    """A private folder in the temporary folder, for when the log folder cannot be made."""
    import getpass
    import stat
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"ties-logs-{getpass.getuser()}"
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder, 0o700)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        raise OSError(f"{folder} is not a folder of this user")
    return folder / "ties.log"


def setup() -> Path:
    """Send warnings and errors to ``ties.log`` (owner-only), once per process; its path.

    When the log folder cannot be created (a read-only home, a file in its way), the
    log goes to a private folder in the temporary folder, else to standard error: a
    bug report must never turn into a second crash.
    """
    global _configured, _where
    if _configured and _where is not None:
        return _where
    _configured = True
    handler: logging.Handler | None = None
    for where in (log_file, _fallback_file):
        try:
            path = where()
            fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
            os.close(fd)
            handler = logging.FileHandler(path, encoding="utf-8")
            break
        except OSError:
            continue
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        path = Path("<standard error>")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("ties")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    _where = path
    return path


def log_unexpected(exc: BaseException) -> Path:
    """Record a bug: the exception type and the code locations, not its message.

    Messages of SQLite or parser errors can quote journal text (names,
    notes), so only the type and the stack of file/line/function go to the log.
    """
    where_logged = setup()
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
    return where_logged
