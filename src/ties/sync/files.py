"""The files in a sync folder: one subfolder a device, append-only change files, snapshots.

Layout (``docs/sync-format.md``)::

    FOLDER/ties-sync/<device>/changes-00000001.jsonl
    FOLDER/ties-sync/<device>/snapshot-00000042.jsonl.gz

Each file is a header line, one record a line, and an ``{"end": n}`` trailer:
a file without its trailer is still arriving (or was cut short) and is not
read. Files are written under a temporary name and renamed, so a sync engine
never sees a half-written file from this device. No Qt and no SQL here.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "ties-sync"
VERSION = 1
ROOT = "ties-sync"
CHANGES = "changes"
SNAPSHOT = "snapshot"
_NAME = re.compile(r"^(changes|snapshot)-(\d{8})\.(jsonl|jsonl\.gz)$")
#: What Syncthing, Dropbox, Nextcloud and ownCloud call a copy they made of a file
#: two devices changed at once.
_CONFLICT = re.compile(r"(\.sync-conflict-|conflicted copy|\(conflict\)|_conflict-)", re.I)
_DEVICE = re.compile(r"^[a-z0-9]{6,32}$")


class SyncFileError(Exception):
    """A file in the sync folder cannot be used (the message says which and why)."""


class IncompleteFile(SyncFileError):
    """The file has no trailer yet: a sync engine is still bringing it, or it was cut."""


class NewerFormatError(SyncFileError):
    """Written by a newer Ties in a sync format this one does not read."""


@dataclass
class SyncFile:
    path: Path
    device: str
    kind: str  # changes or snapshot
    seq: int
    conflict_copy: bool = False

    @property
    def label(self) -> str:
        return f"{self.device}/{self.path.name}"


@dataclass
class Contents:
    header: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)


def file_name(kind: str, seq: int) -> str:
    return f"{kind}-{seq:08d}.jsonl" + (".gz" if kind == SNAPSHOT else "")


def is_device_id(name: str) -> bool:
    return bool(_DEVICE.match(name))


def device_files(device_dir: Path) -> list[SyncFile]:
    """The device's files in order; conflict copies are listed after the others."""
    device = device_dir.name
    plain: list[SyncFile] = []
    copies: list[SyncFile] = []
    try:
        names = os.listdir(device_dir)
    except FileNotFoundError:
        return []
    for name in names:
        if name.startswith("."):
            continue  # our own temporary files, and the sync engines'
        m = _NAME.match(name)
        if m:
            plain.append(SyncFile(device_dir / name, device, m.group(1), int(m.group(2))))
            continue
        if _CONFLICT.search(name) and (name.endswith(".jsonl") or name.endswith(".gz")):
            kind = SNAPSHOT if name.startswith(SNAPSHOT) else CHANGES
            digits = re.search(r"-(\d{8})", name)
            seq = int(digits.group(1)) if digits else 0
            copies.append(SyncFile(device_dir / name, device, kind, seq, conflict_copy=True))
    plain.sort(key=lambda f: (f.seq, f.kind))
    copies.sort(key=lambda f: f.path.name)
    return plain + copies


def device_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and is_device_id(p.name))


def _lines(path: Path) -> Iterator[str]:
    if path.name.endswith(".gz"):
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                yield from fh
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise IncompleteFile(f"{path.name} is incomplete ({exc})") from exc
    else:
        with path.open(encoding="utf-8", newline="\n") as fh:
            yield from fh


def check_header(header: Any, name: str) -> dict[str, Any]:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SyncFileError(f"{name} is not a Ties sync file")
    version = header.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise NewerFormatError(
            f"{name} was written by a newer version of Ties (sync format {version}; this "
            f"version reads up to {VERSION}). Update Ties on this computer; nothing was synced."
        )
    return header


def read_header(path: Path) -> dict[str, Any]:
    """Only the first line: who wrote the file and what that device had seen."""
    for line in _lines(path):
        try:
            return check_header(json.loads(line), path.name)
        except json.JSONDecodeError as exc:
            raise IncompleteFile(f"{path.name} is incomplete") from exc
    raise IncompleteFile(f"{path.name} is empty")


def read(path: Path) -> Contents:
    """Header and records; raises :class:`IncompleteFile` when the trailer is missing."""
    header: dict[str, Any] | None = None
    records: list[dict[str, Any]] = []
    ended = False
    try:
        for line in _lines(path):
            if ended:
                raise SyncFileError(f"{path.name} has lines after its end")
            if not line.endswith("\n"):
                raise IncompleteFile(f"{path.name} is incomplete (its last line is cut)")
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise IncompleteFile(f"{path.name} is incomplete or damaged") from exc
            if header is None:
                header = check_header(value, path.name)
            elif isinstance(value, dict) and "end" in value and len(value) == 1:
                if value["end"] != len(records):
                    raise SyncFileError(f"{path.name} is damaged (records are missing)")
                ended = True
            elif isinstance(value, dict) and isinstance(value.get("t"), str):
                records.append(value)
            else:
                raise SyncFileError(f"{path.name} holds a line that is not a change")
    except UnicodeDecodeError as exc:
        raise SyncFileError(f"{path.name} is not UTF-8 text") from exc
    if header is None or not ended:
        raise IncompleteFile(f"{path.name} is incomplete (still arriving?)")
    return Contents(header, records)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(path: Path, header: dict[str, Any], records: Iterable[dict[str, Any]]) -> int:
    """Write a file under a temporary name, flush it to disk, then rename it into place.

    Returns the number of records. An OSError (read-only, disk full) leaves no file.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    n = 0
    try:
        raw = os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
        fh: Any = (
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if path.name.endswith(".gz") else raw
        )
        try:
            fh.write((_dump({**header, "format": FORMAT, "version": VERSION}) + "\n").encode())
            for record in records:
                fh.write((_dump(record) + "\n").encode())
                n += 1
            fh.write((_dump({"end": n}) + "\n").encode())
            if fh is not raw:
                fh.close()
            raw.flush()
            os.fsync(raw.fileno())
        finally:
            raw.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n
