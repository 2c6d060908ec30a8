"""The files in a sync folder: one subfolder a device, append-only change files, snapshots.

Layout (``docs/sync-format.md``)::

    FOLDER/ties-sync/<device>/changes-00000001.jsonl
    FOLDER/ties-sync/<device>/snapshot-00000042.jsonl.gz

Each file is a header line, one record a line, and an ``{"end": n}`` trailer:
a file without its trailer is still arriving (or was cut short) and is not
read. Files are written under a temporary name and renamed, so a sync engine
never sees a half-written file from this device. An encrypted journal's files
(``….enc``) are those same bytes sealed in :mod:`ties.io.crypto`'s framing with a
key derived from the journal's key (:class:`FileKey`). No Qt and no SQL here.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "ties-sync"
#: Version 2 added encrypted files (``.enc``); plain files still say 1, as they did.
VERSION = 2
PLAIN_VERSION = 1
ENCRYPTED = ".enc"
#: HKDF's info for a sync file's key: the journal's key is never used as it is.
KEY_PURPOSE = b"ties-sync files v2"
ROOT = "ties-sync"
CHANGES = "changes"
SNAPSHOT = "snapshot"
_NAME = re.compile(r"^(changes|snapshot)-(\d{8})\.(jsonl|jsonl\.gz)(\.enc)?$")
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


class KeyMismatchError(SyncFileError):
    """Encrypted with another journal key than this journal's (or this journal is plain)."""


@dataclass(frozen=True, repr=False)
class FileKey:
    """The key of this journal's sync files: HKDF-SHA256 of the encrypted journal's key.

    ``salt`` is the journal's SQLCipher salt (the first 16 bytes of the journal file,
    not secret); it goes into each file's header and says which journal key sealed it.
    """

    key: bytes
    salt: bytes

    @classmethod
    def from_journal_key(cls, raw: bytes, salt: bytes) -> FileKey:
        from ties.io import crypto

        return cls(crypto.held_file_key(raw, salt, KEY_PURPOSE), salt)

    def __repr__(self) -> str:  # never print a key
        return "FileKey(…)"


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


def file_name(kind: str, seq: int, encrypted: bool = False) -> str:
    gz = ".gz" if kind == SNAPSHOT else ""
    return f"{kind}-{seq:08d}.jsonl{gz}" + (ENCRYPTED if encrypted else "")


def is_encrypted_name(name: str) -> bool:
    return name.endswith(ENCRYPTED)


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
        if _CONFLICT.search(name) and name.endswith((".jsonl", ".gz", ENCRYPTED)):
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


class _Plaintext(io.RawIOBase):
    """The checked plaintext of an encrypted file, read chunk by chunk (never on disk)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            try:
                self._left = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._left))
        buffer[:n] = self._left[:n]
        self._left = self._left[n:]
        return n


def _open_sealed(fh: Any, path: Path, key: FileKey | None) -> Any:
    """A binary reader of the plaintext of the encrypted file open as ``fh``."""
    from ties.io import crypto

    name = path.name
    try:
        header, header_bytes = crypto.read_held_key_header(fh, name)
    except crypto.NotEncryptedError as exc:
        raise IncompleteFile(f"{name} is incomplete (its header is cut)") from exc
    except crypto.DecryptionError as exc:
        raise SyncFileError(str(exc)) from exc
    if key is None:
        raise KeyMismatchError(
            f"{name} is encrypted (its device's journal is) and this journal is not"
        )
    if header.salt != key.salt:
        raise KeyMismatchError(f"{name} is encrypted with another journal key than this journal's")
    chunks = crypto.open_held_key(fh, header, header_bytes, key.key, name)
    return io.BufferedReader(_Plaintext(chunks), buffer_size=1 << 16)


def _lines(path: Path, key: FileKey | None = None) -> Iterator[str]:
    from ties.io.crypto import DecryptionError

    sealed = is_encrypted_name(path.name)
    try:
        with path.open("rb") as raw:
            binary: Any = _open_sealed(raw, path, key) if sealed else raw
            # gzip by its magic bytes, not by name: a sync engine's conflict copy of
            # ``snapshot-….jsonl.gz.enc`` ends in ``.sync-conflict-….enc``.
            if binary.peek(2)[:2] == b"\x1f\x8b":
                binary = gzip.GzipFile(fileobj=binary, mode="rb")
            yield from io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise IncompleteFile(f"{path.name} is incomplete ({exc})") from exc
    except DecryptionError as exc:
        # The right key (the salt matched): a file still arriving, or cut short.
        raise IncompleteFile(f"{path.name} is incomplete or damaged ({exc})") from exc


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


def read_header(path: Path, key: FileKey | None = None) -> dict[str, Any]:
    """Only the first line: who wrote the file and what that device had seen."""
    for line in _lines(path, key):
        try:
            return check_header(json.loads(line), path.name)
        except json.JSONDecodeError as exc:
            raise IncompleteFile(f"{path.name} is incomplete") from exc
    raise IncompleteFile(f"{path.name} is empty")


def _parse_all(lines: list[str]) -> list[Any] | None:
    """Every line's JSON value in one ``json.loads`` (10,000 calls cost a tenth of a
    second), or None when any line is not exactly one clean value (then each line is
    parsed alone, to say which and why)."""
    if not lines or not all(line.endswith("\n") for line in lines):
        return None
    try:
        values = json.loads("[" + ",".join(lines) + "]")
    except json.JSONDecodeError:
        return None
    return values if len(values) == len(lines) else None


def read(path: Path, key: FileKey | None = None) -> Contents:
    """Header and records; raises :class:`IncompleteFile` when the trailer is missing,
    :class:`KeyMismatchError` for an encrypted file this journal's key does not open."""
    header: dict[str, Any] | None = None
    records: list[dict[str, Any]] = []
    ended = False
    try:
        lines = list(_lines(path, key))
    except UnicodeDecodeError as exc:
        raise SyncFileError(f"{path.name} is not UTF-8 text") from exc
    parsed = _parse_all(lines)
    for i, line in enumerate(lines):
        if ended:
            raise SyncFileError(f"{path.name} has lines after its end")
        if parsed is not None:
            value = parsed[i]
        else:
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
    if header is None or not ended:
        raise IncompleteFile(f"{path.name} is incomplete (still arriving?)")
    return Contents(header, records)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(
    path: Path,
    header: dict[str, Any],
    records: Iterable[dict[str, Any]],
    key: FileKey | None = None,
) -> int:
    """Write a file under a temporary name, flush it to disk, then rename it into place.

    With ``key`` (an encrypted journal; ``path`` ends in ``.enc``) the bytes are sealed
    as they are written: no plaintext reaches the disk. Returns the number of records.
    An OSError (read-only, disk full) leaves no file.
    """
    from ties.io import crypto

    tmp = path.with_name(f".{path.name}.tmp")
    name = path.name.removesuffix(ENCRYPTED)
    version = VERSION if key is not None else PLAIN_VERSION
    n = 0
    try:
        raw = os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
        try:
            # Lines are gathered into blocks: one write per 256 KiB, not per line.
            out: Any = raw
            sealer = None
            if key is not None:
                sealer = out = crypto.HeldKeySealer(raw, key.key, key.salt)
            zipper = None
            if name.endswith(".gz"):
                zipper = out = gzip.GzipFile(fileobj=out, mode="wb", mtime=0)
            block: list[str] = [_dump({**header, "format": FORMAT, "version": version})]
            size = 0
            for record in records:
                line = _dump(record)
                block.append(line)
                size += len(line)
                n += 1
                if size > 1 << 18:
                    out.write(("\n".join(block) + "\n").encode())
                    block, size = [], 0
            block.append(_dump({"end": n}))
            out.write(("\n".join(block) + "\n").encode())
            if zipper is not None:
                zipper.close()
            if sealer is not None:
                sealer.close()
            raw.flush()
            os.fsync(raw.fileno())
        finally:
            raw.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n
