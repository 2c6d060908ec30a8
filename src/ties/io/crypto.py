"""Passphrase-encrypted files: AES-256-GCM in chunks, key from Argon2id (or scrypt).

The format is described in ``docs/backup-format.md``. In short: a header
(magic, version, key-derivation function and its cost, salt, chunk size and a
random nonce prefix) followed by chunks, each sealed with AES-GCM. Every chunk
authenticates the whole header, its own index and whether it is the last one,
so a header that lowers the cost, reordered, dropped or truncated chunks and
any flipped bit are all detected. Decryption writes to a temporary name and
renames only after the last chunk verified: a wrong passphrase writes nothing.

Only the ``cryptography`` package does cryptography here; nothing is hand-rolled.
It is imported when a file is sealed or opened, not with this module (~25 ms that
``ties --help`` and every command naming :data:`ENV_PASSPHRASE` would pay).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ties.io.atomic import atomic_write
from ties.store import encryption
from ties.store.errors import JournalError

MAGIC = b"TIESENC\x00"
VERSION = 1
KDF_ARGON2ID = 1
KDF_SCRYPT = 2
#: Not a passphrase: the key is one the caller already holds (an encrypted journal's), the
#: file's key is HKDF-SHA256 of it, and the header's salt says which key (sync files).
KDF_HELD_KEY = 3
KDF_NAMES = {KDF_ARGON2ID: "Argon2id", KDF_SCRYPT: "scrypt", KDF_HELD_KEY: "a held key"}
SALT_LEN = 16
NONCE_PREFIX_LEN = 7  # + 4-byte chunk counter + 1-byte "last chunk" flag = 12-byte GCM nonce
TAG_LEN = 16
CHUNK_SIZE = 1 << 20  # plaintext bytes per chunk
MIN_CHUNK, MAX_CHUNK = 1 << 10, 1 << 24
ENV_PASSPHRASE = "TIES_BACKUP_PASSPHRASE"

# magic, version, kdf, p1, p2, p3, salt length, salt, chunk size, nonce prefix
_HEADER = struct.Struct(f">8sHBIIIB{SALT_LEN}sI{NONCE_PREFIX_LEN}s")
HEADER_LEN = _HEADER.size

#: Argon2id: memory in KiB, iterations, lanes. scrypt: log2(n), r, p.
DEFAULT_ARGON2 = (64 * 1024, 3, 4)
MIN_ARGON2 = (64 * 1024, 3, 1)
#: The most a header may ask for: what Ties writes, times a small factor (4x memory, 4x
#: time), so a crafted 83-byte file cannot make a restore spend minutes and gigabytes
#: deriving a key before it is refused. Checked before anything is derived.
MAX_ARGON2 = (256 * 1024, 12, 16)
DEFAULT_SCRYPT = (17, 8, 1)
MIN_SCRYPT = (17, 8, 1)
MAX_SCRYPT = (19, 8, 4)
#: Shortest passphrase a new encrypted file accepts (decrypting older files accepts any):
#: the encrypted journal's own minimum, so a backup and a journal ask the same.
MIN_PASSPHRASE = encryption.MIN_PASSPHRASE


class DecryptionError(JournalError):
    """Wrong passphrase, or the file was changed or damaged after it was written."""


class NotEncryptedError(JournalError):
    """The file is not a Ties encrypted file."""


def has_argon2() -> bool:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Header:
    kdf: int
    params: tuple[int, int, int]
    salt: bytes
    chunk_size: int
    nonce_prefix: bytes

    def pack(self) -> bytes:
        return _HEADER.pack(
            MAGIC,
            VERSION,
            self.kdf,
            *self.params,
            SALT_LEN,
            self.salt,
            self.chunk_size,
            self.nonce_prefix,
        )

    @classmethod
    def new(cls, kdf: int | None = None, chunk_size: int = CHUNK_SIZE) -> Header:
        if kdf is None:
            kdf = KDF_ARGON2ID if has_argon2() else KDF_SCRYPT
        params = DEFAULT_ARGON2 if kdf == KDF_ARGON2ID else DEFAULT_SCRYPT
        return cls(kdf, params, os.urandom(SALT_LEN), chunk_size, os.urandom(NONCE_PREFIX_LEN))

    @classmethod
    def unpack(cls, raw: bytes, name: str = "the file", *, held_key: bool = False) -> Header:
        """Read and check a header; ``held_key`` accepts :data:`KDF_HELD_KEY` (sync files)."""
        if len(raw) < HEADER_LEN or not raw.startswith(MAGIC):
            raise NotEncryptedError(f"{name} is not an encrypted Ties backup.")
        _magic, version, kdf, p1, p2, p3, salt_len, salt, chunk, prefix = _HEADER.unpack(
            raw[:HEADER_LEN]
        )
        if version != VERSION:
            raise DecryptionError(
                f"{name} uses encryption format {version}; this version of Ties reads {VERSION}."
            )
        if salt_len != SALT_LEN:
            raise DecryptionError(f"{name} has a damaged header (salt length {salt_len}).")
        if not MIN_CHUNK <= chunk <= MAX_CHUNK:
            raise DecryptionError(f"{name} has a damaged header (chunk size {chunk}).")
        params = (p1, p2, p3)
        if kdf == KDF_ARGON2ID:
            low, high = MIN_ARGON2, MAX_ARGON2
        elif kdf == KDF_SCRYPT:
            low, high = MIN_SCRYPT, MAX_SCRYPT
        elif kdf == KDF_HELD_KEY and held_key:
            low = high = (0, 0, 0)
        else:
            raise DecryptionError(f"{name} names an unknown key-derivation function ({kdf}).")
        if any(v < lo for v, lo in zip(params, low, strict=True)):
            raise DecryptionError(
                f"{name} asks for a weaker {KDF_NAMES[kdf]} cost {params} than Ties accepts "
                f"(at least {low}); it was not made by Ties or was tampered with."
            )
        if any(v > hi for v, hi in zip(params, high, strict=True)):
            raise DecryptionError(
                f"{name} asks for an absurd {KDF_NAMES[kdf]} cost {params} (Ties writes "
                f"at most {high}); it was not made by Ties or was tampered with. Nothing was "
                "derived or restored."
            )
        return cls(kdf, params, salt, chunk, prefix)

    def derive_key(self, passphrase: str) -> bytes:
        no_core_dumps()
        secret = passphrase.encode("utf-8")
        if self.kdf == KDF_ARGON2ID:
            from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

            memory, iterations, lanes = self.params
            return Argon2id(
                salt=self.salt,
                length=32,
                iterations=iterations,
                lanes=lanes,
                memory_cost=memory,
            ).derive(secret)
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        log_n, r, p = self.params
        return Scrypt(salt=self.salt, length=32, n=1 << log_n, r=r, p=p).derive(secret)


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect a new encrypted file."""
    if not passphrase:
        raise JournalError("The passphrase is empty.")
    if len(passphrase) < MIN_PASSPHRASE:
        raise JournalError(
            f"The passphrase is too short: use at least {MIN_PASSPHRASE} characters. "
            "Nothing was written."
        )


def no_core_dumps() -> None:
    """Keep a key out of core dumps: this process holds a passphrase or a derived key."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):  # not on this platform, or not allowed
        pass


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _nonce(header: Header, index: int, last: bool) -> bytes:
    return header.nonce_prefix + struct.pack(">IB", index, int(last))


def _aad(header_bytes: bytes, index: int, last: bool) -> bytes:
    return header_bytes + struct.pack(">IB", index, int(last))


def encrypt_stream(
    src: BinaryIO,
    dst: BinaryIO,
    passphrase: str,
    *,
    kdf: int | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> None:
    """Encrypt ``src`` into ``dst`` (both binary files)."""
    check_new_passphrase(passphrase)
    header = Header.new(kdf, chunk_size)
    header_bytes = header.pack()
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aes = AESGCM(header.derive_key(passphrase))
    dst.write(header_bytes)
    index = 0
    chunk = src.read(header.chunk_size)
    while True:
        following = src.read(header.chunk_size) if len(chunk) == header.chunk_size else b""
        last = not following
        if index >= 0xFFFFFFFF:
            raise JournalError("The file is too large to encrypt.")
        dst.write(aes.encrypt(_nonce(header, index, last), chunk, _aad(header_bytes, index, last)))
        if last:
            return
        chunk = following
        index += 1


def decrypt_stream(
    src: BinaryIO, dst: BinaryIO | None, passphrase: str, name: str = "the file"
) -> int:
    """Decrypt ``src`` into ``dst`` (or only verify when ``dst`` is None); returns the size."""
    header_bytes = src.read(HEADER_LEN)
    header = Header.unpack(header_bytes, name)

    def wrong(index: int) -> str:
        if index == 0:
            return f"Cannot decrypt {name}: wrong passphrase, or the file was changed or damaged."
        return (
            f"Cannot decrypt {name}: it was changed, truncated or damaged "
            f"(chunk {index + 1}). Nothing was written."
        )

    total = 0
    for plain in _open_chunks(
        src, header, header_bytes, header.derive_key(passphrase), name, wrong
    ):
        if dst is not None:
            dst.write(plain)
        total += len(plain)
    return total


def _open_chunks(
    src: BinaryIO,
    header: Header,
    header_bytes: bytes,
    key: bytes,
    name: str,
    wrong: Callable[[int], str],
) -> Iterator[bytes]:
    """The plaintext chunks of ``src`` after its header, each checked before it is given.

    One reader for passphrase files and held-key files: a chunk that does not
    open raises :class:`DecryptionError` with ``wrong(index)``; a cut file, with
    where it was cut.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aes = AESGCM(key)
    block = header.chunk_size + TAG_LEN
    index = 0
    sealed = src.read(block)
    if len(sealed) < TAG_LEN:
        raise DecryptionError(f"{name} is truncated: it ends right after its header.")
    while True:
        following = src.read(block) if len(sealed) == block else b""
        last = not following
        try:
            plain = aes.decrypt(
                _nonce(header, index, last), sealed, _aad(header_bytes, index, last)
            )
        except InvalidTag:
            raise DecryptionError(wrong(index)) from None
        yield plain
        if last:
            return
        if len(following) < TAG_LEN:
            raise DecryptionError(f"{name} is truncated (chunk {index + 2}).")
        sealed = following
        index += 1


def check_passphrase(source: Path, passphrase: str) -> None:
    """Refuse a wrong passphrase by opening the first chunk only (one key derivation).

    Restore asks this before asking to replace the journal (issue #17 item 11), so
    the question never comes before a wrong passphrase is known.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    name = source.name
    with open(source, "rb") as src:
        header_bytes = src.read(HEADER_LEN)
        header = Header.unpack(header_bytes, name)
        aes = AESGCM(header.derive_key(passphrase))
        block = header.chunk_size + TAG_LEN
        sealed = src.read(block)
        if len(sealed) < TAG_LEN:
            raise DecryptionError(f"{name} is truncated: it ends right after its header.")
        last = len(sealed) < block or not src.read(1)
    try:
        aes.decrypt(_nonce(header, 0, last), sealed, _aad(header_bytes, 0, last))
    except InvalidTag:
        raise DecryptionError(
            f"Cannot decrypt {name}: wrong passphrase, or the file was changed or damaged."
        ) from None


def encrypt_file(source: Path, target: Path, passphrase: str, *, kdf: int | None = None) -> Path:
    """Encrypt ``source`` into ``target`` atomically (temporary name, fsync, rename)."""
    with open(source, "rb") as src, atomic_write(target) as dst:
        encrypt_stream(src, dst, passphrase, kdf=kdf)
    return target


def decrypt_file(source: Path, target: Path, passphrase: str) -> Path:
    """Decrypt ``source`` into ``target``; on any error nothing is left at ``target``."""
    with open(source, "rb") as src, atomic_write(target) as dst:
        decrypt_stream(src, dst, passphrase, name=source.name)
    return target


def verify_file(source: Path, passphrase: str) -> int:
    """Check every chunk of an encrypted file without writing anything; returns its size."""
    with open(source, "rb") as src:
        return decrypt_stream(src, None, passphrase, name=source.name)


# ------------------------------------------------- files sealed with a key already held


def held_file_key(key: bytes, salt: bytes, purpose: bytes) -> bytes:
    """The AES-256 key of files sealed with ``key`` (HKDF-SHA256; ``purpose`` is the info).

    Not the held key itself: a file format never shares its key with the journal.
    """
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=purpose).derive(key)


class HeldKeySealer:
    """A binary writer that seals what is written into ``dst`` in this module's framing.

    The same header and chunks as a passphrase file, with :data:`KDF_HELD_KEY` and
    ``salt`` naming the held key. Plaintext is held in memory one chunk at a time
    and never written anywhere; :meth:`close` seals the last chunk.
    """

    def __init__(
        self, dst: BinaryIO, file_key: bytes, salt: bytes, chunk_size: int = CHUNK_SIZE
    ) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(salt) != SALT_LEN:
            raise ValueError("the salt must be 16 bytes")
        self._header = Header(
            KDF_HELD_KEY, (0, 0, 0), salt, chunk_size, os.urandom(NONCE_PREFIX_LEN)
        )
        self._header_bytes = self._header.pack()
        self._aes = AESGCM(file_key)
        self._dst = dst
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        dst.write(self._header_bytes)

    def _seal(self, chunk: bytes, last: bool) -> None:
        if self._index >= 0xFFFFFFFF:
            raise JournalError("The file is too large to encrypt.")
        nonce = _nonce(self._header, self._index, last)
        aad = _aad(self._header_bytes, self._index, last)
        self._dst.write(self._aes.encrypt(nonce, chunk, aad))
        self._index += 1

    def write(self, data: bytes) -> int:
        self._buffer += data
        size = self._header.chunk_size
        # Keep at least one byte back: the last chunk is sealed as the last one at close.
        while len(self._buffer) > size:
            self._seal(bytes(self._buffer[:size]), False)
            del self._buffer[:size]
        return len(data)

    def flush(self) -> None:
        """Nothing to flush before :meth:`close` (a chunk is sealed once it is whole)."""

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._seal(bytes(self._buffer), True)
            self._buffer.clear()


def read_held_key_header(src: BinaryIO, name: str) -> tuple[Header, bytes]:
    """The header of a file sealed with a held key, and its bytes (for :func:`open_held_key`)."""
    header_bytes = src.read(HEADER_LEN)
    header = Header.unpack(header_bytes, name, held_key=True)
    if header.kdf != KDF_HELD_KEY:
        raise DecryptionError(f"{name} is encrypted with a passphrase, not with a journal's key.")
    return header, header_bytes


def open_held_key(
    src: BinaryIO, header: Header, header_bytes: bytes, file_key: bytes, name: str
) -> Iterator[bytes]:
    """The plaintext chunks of a file sealed with a held key, each checked before it is given.

    Raises :class:`DecryptionError` for a wrong key, a changed, reordered or cut file.
    """
    return _open_chunks(
        src,
        header,
        header_bytes,
        file_key,
        name,
        lambda index: (
            f"Cannot decrypt {name}: another key, or the file was cut, changed or damaged "
            f"(chunk {index + 1})."
        ),
    )
