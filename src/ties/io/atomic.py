"""Writing a file so that a crash leaves either the old file or the whole new one.

Every file Ties writes outside the journal (exports, encrypted and decrypted
backups) goes through :func:`atomic_write`: a temporary name beside the target
(same folder, so the rename cannot cross file systems), owner-only permissions
from the start, flush and fsync, ``os.replace`` over the target, then an fsync
of the folder so the rename itself survives a power cut. On any error the
temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, TextIO, overload

from ties.store.journal import fsync_dir


def temp_name(target: Path) -> Path:
    """The hidden temporary name beside ``target`` that this process writes first."""
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


@overload
def atomic_write(
    target: Path, mode: Literal["wb"] = "wb", *, encoding: None = None, newline: None = None
) -> contextlib.AbstractContextManager[BinaryIO]: ...


@overload
def atomic_write(
    target: Path, mode: Literal["w"], *, encoding: str = "utf-8", newline: str | None = "\n"
) -> contextlib.AbstractContextManager[TextIO]: ...


def atomic_write(
    target: Path,
    mode: Literal["w", "wb"] = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
) -> contextlib.AbstractContextManager[IO[Any]]:
    """Open a temporary file for ``target``; on a clean exit it replaces ``target``.

    ``mode`` is ``"wb"`` (bytes) or ``"w"`` (text, UTF-8 with ``\\n`` line ends
    unless ``encoding`` / ``newline`` say otherwise). Example::

        with atomic_write(path, "w") as fh:
            fh.write(text)
    """
    if mode == "w":
        encoding = encoding or "utf-8"
        newline = "\n" if newline is None else newline
    return _atomic_write(Path(target), mode, encoding, newline)


@contextlib.contextmanager
def _atomic_write(
    target: Path, mode: str, encoding: str | None, newline: str | None
) -> Iterator[IO[Any]]:
    tmp = temp_name(target)
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # left by an earlier crash of a process with the same id
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    fsync_dir(target.parent)
