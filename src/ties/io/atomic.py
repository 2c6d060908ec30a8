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

from ties.store.errors import JournalError
from ties.store.files import fsync_dir

#: Files SQLite keeps beside a journal while it is open or after a crash.
JOURNAL_SIDECARS = ("-wal", "-shm", "-journal")


class WouldOverwriteJournalError(JournalError):
    """An export was asked to write over the journal it reads (or a file SQLite keeps beside it)."""


def refuse_journal_target(target: Path, journal: Path) -> None:
    """Raise :class:`WouldOverwriteJournalError` if ``target`` is ``journal`` or a sidecar of it.

    Every export checks its target with this before writing, so neither the
    command line nor the window can replace the journal with a report.
    Relative paths, ``~`` and symbolic links are resolved, and a hard link to
    the journal is caught by comparing the files themselves. A folder with the
    journal's name or any other file is fine.
    """
    target = Path(target).expanduser()
    journal = Path(journal).expanduser()
    resolved = target.resolve()
    for base in dict.fromkeys((journal.absolute(), journal.resolve())):
        if resolved == base.resolve() or _same_file(target, base):
            raise WouldOverwriteJournalError(
                f"{target} is the journal itself; choose another file for the export. "
                "Nothing was written."
            )
        for suffix in JOURNAL_SIDECARS:
            sidecar = base.with_name(base.name + suffix)
            if resolved == sidecar.resolve() or _same_file(target, sidecar):
                raise WouldOverwriteJournalError(
                    f"{target} is the journal's {suffix[1:]} file, which SQLite needs; choose "
                    "another file for the export. Nothing was written."
                )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


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
