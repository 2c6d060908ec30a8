"""An encrypted journal: SQLCipher connections, keys from a passphrase, how to unlock.

Only encrypted journals go through ``sqlcipher3``; plain ones keep Python's own
``sqlite3`` (see README, "Encryption"). The key is derived once per unlock in
Python with SQLCipher 4's own default KDF (PBKDF2-HMAC-SHA512, 256 000
iterations, the file's first 16 bytes as salt) and handed to SQLCipher as a raw
key, so every further connection (background readers, backups) opens at once and
the passphrase itself is not kept.

Journals encrypted from now on authenticate their pages with HMAC-SHA256
(:data:`PAGE_HMAC`) instead of SQLCipher 4's default HMAC-SHA512, which cost a
quarter of the time of every page read for the first time (docs/performance.md,
"Encrypted journals"); journals encrypted before (:data:`OLD_PAGE_HMAC`) open and
work as they are. A key carries the page format of its file; :func:`connect` tries
the other format when a file refuses it (one page read, never a second KDF). The
file stays compatible with the ``sqlcipher`` shell: ``PRAGMA key = 'passphrase'``,
then ``PRAGMA cipher_hmac_algorithm = HMAC_SHA256`` for a newer journal.

``sqlcipher3`` raises its own exception classes, which ``except sqlite3.Error``
would not catch; its connections here are wrapped so that every error comes out
as the ``sqlite3`` exception of the same name, and the rest of Ties needs no change.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ties.store.errors import JournalError

#: Why encryption is unavailable here ("" when it is): found by looking for the package,
#: which is imported only when a journal is encrypted (its import and OpenSSL's cost
#: every command ~30 ms).
UNAVAILABLE_REASON = (
    ""
    if importlib.util.find_spec("sqlcipher3") is not None
    else "encryption needs the sqlcipher3 package, which is not installed here"
)

SQLITE_MAGIC = b"SQLite format 3\x00"
KDF_ITERATIONS = 256_000  # SQLCipher 4's default for PBKDF2-HMAC-SHA512
#: How the pages of a journal encrypted now are authenticated (SQLCipher's
#: ``cipher_hmac_algorithm``): with the CPU's SHA extensions about twice as fast as
#: SHA-512, and a 256-bit tag under a 256-bit key. See docs/reliability.md.
PAGE_HMAC = "HMAC_SHA256"
#: SQLCipher 4's default, which journals encrypted before 2026-12 use: still opened.
OLD_PAGE_HMAC = "HMAC_SHA512"
PAGE_HMACS = (PAGE_HMAC, OLD_PAGE_HMAC)
KEY_BYTES = 32
SALT_BYTES = 16
WRONG_PASSPHRASE = "wrong passphrase, or not a Ties journal"
#: Shortest new passphrase accepted (as for an encrypted backup, ``ties.io.crypto``): the
#: KDF slows guessing, it cannot save "1234".
MIN_PASSPHRASE = 8
NO_RECOVERY = "A forgotten passphrase cannot be recovered: without it the journal is lost."
#: Decrypted pages a connection may keep: the whole journal (and a quarter more for its
#: growth), from 128 MiB up to 1 GiB. See :func:`cache_kib`.
CIPHER_CACHE_MIN_KIB = 131_072
CIPHER_CACHE_MAX_KIB = 1_048_576


class EncryptionUnavailableError(JournalError):
    """The journal is encrypted (or should become so) but sqlcipher3 cannot be imported."""


class PassphraseNeededError(JournalError):
    """The journal is encrypted and nothing was given to unlock it with."""


class WrongPassphraseError(JournalError):
    """The key does not open the file: a wrong passphrase, or not a journal at all."""


def available() -> bool:
    """Whether encrypted journals can be opened and made on this machine."""
    return not UNAVAILABLE_REASON


def require() -> Any:
    """The sqlcipher3 module, or an error saying why encryption is unavailable."""
    return _connections().cipher


def _connections() -> Any:
    """:mod:`ties.store.cipher_connection` (it imports ``sqlcipher3``), imported when an
    encrypted journal is first met."""
    if UNAVAILABLE_REASON:
        raise EncryptionUnavailableError(UNAVAILABLE_REASON)
    try:
        from ties.store import cipher_connection
    except ImportError as exc:  # pragma: no cover - a broken install of the package
        raise EncryptionUnavailableError(
            f"encryption needs the sqlcipher3 package, which cannot be loaded here ({exc})"
        ) from exc
    return cipher_connection


@dataclass(frozen=True, repr=False)
class CipherKey:
    """A derived key, the salt it belongs to (the file's first 16 bytes) and its page format.

    ``page_hmac`` is the file's ``cipher_hmac_algorithm`` (:data:`PAGE_HMACS`): the
    format a new file is written in, and the one tried first on an existing file.
    """

    raw: bytes
    salt: bytes
    page_hmac: str = PAGE_HMAC

    def pragma_value(self) -> str:
        """The ``PRAGMA key`` value: SQLCipher's raw key with explicit salt, no KDF run."""
        return f"\"x'{(self.raw + self.salt).hex()}'\""

    def in_format(self, page_hmac: str) -> CipherKey:
        """The same key for a file whose pages are authenticated with ``page_hmac``."""
        if page_hmac not in PAGE_HMACS:
            raise ValueError(f"unknown page format {page_hmac!r}")
        return dataclasses.replace(self, page_hmac=page_hmac)

    def other_format(self) -> CipherKey:
        """The same key in the other page format (a journal encrypted before, or after)."""
        return self.in_format(OLD_PAGE_HMAC if self.page_hmac == PAGE_HMAC else PAGE_HMAC)

    def __repr__(self) -> str:  # never print a key in a log or a traceback
        return "CipherKey(…)"


def derive_key(passphrase: str, salt: bytes | None = None) -> CipherKey:
    """Run the KDF once: the same key SQLCipher 4 derives from ``passphrase`` and ``salt``."""
    if not passphrase:
        raise JournalError("the passphrase is empty")
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    import hashlib  # (OpenSSL's bindings: ~12 ms, only when a key is derived)

    raw = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    return CipherKey(raw, salt)


def looks_encrypted(header: bytes, size: int) -> bool:
    """Whether a file's first bytes and size could be an SQLCipher database.

    Not the SQLite header; not a plain SQLite file whose first bytes were
    damaged (bytes 21-23 of every SQLite header are 64, 32, 32, which SQLCipher
    encrypts); and whole pages (SQLCipher writes 4096-byte pages; 1024 for files
    of SQLCipher 3): a text file or a truncated copy is not taken for an
    encrypted journal and gets the "not a journal" message, not a passphrase prompt.
    """
    if len(header) < 24 or size % 1024:
        return False
    return header[:16] != SQLITE_MAGIC and header[21:24] != b"\x40\x20\x20"


_header_fds: dict[Path, int] = {}
_keys_lock = threading.Lock()  # (the kept descriptors' too)


def read_header(path: Path) -> tuple[bytes, int]:
    """The first 24 bytes and the size of ``path``, read without closing a descriptor.

    Closing any descriptor of a file drops every POSIX lock this process holds on
    it (its SQLite connections' locks), so the descriptor used here stays open,
    one per journal file (a new one when the file was replaced).
    """
    try:
        if not hasattr(os, "pread"):  # Windows: no POSIX locks that closing could drop
            with open(path, "rb") as file:
                return file.read(24), os.fstat(file.fileno()).st_size
        fd = journal_fd(path)
        return os.pread(fd, 24, 0), os.fstat(fd).st_size
    except OSError:
        return b"", 0


def journal_fd(path: Path) -> int:
    """A read-only descriptor of the journal file ``path`` that this process never closes.

    See :func:`read_header`: one per journal file, a new one when the file was
    replaced (an older one stays open). Raises :class:`OSError`.
    """
    key = _norm(path)
    with _keys_lock:
        fd = _header_fds.get(key)
        if fd is None or os.fstat(fd).st_ino != os.stat(path).st_ino:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            _header_fds[key] = fd
        return fd


# ------------------------------------------------------------------ unlocking

#: What Store.open accepts to unlock an encrypted journal: a passphrase, a key already
#: derived, or a callable asked only when the file turns out to be encrypted.
Unlock = str | CipherKey | Callable[[Path], str]

_default_unlock: Callable[[Path], str] | None = None
_keys: dict[Path, CipherKey] = {}


def set_default_unlock(ask: Callable[[Path], str] | None) -> None:
    """How this process asks for a passphrase when a caller of Store.open gave none.

    The command line registers its prompt / ``TIES_PASSPHRASE`` /
    ``--passphrase-file`` reader, the window its unlock dialog.
    """
    global _default_unlock
    _default_unlock = ask


def cached_key(path: Path) -> CipherKey | None:
    """The key this process last opened ``path`` with, if any."""
    with _keys_lock:
        return _keys.get(_norm(path))


def remember_key(path: Path, key: CipherKey | None) -> None:
    """Keep (or with None, forget) the key of ``path`` for this process's later opens."""
    with _keys_lock:
        if key is None:
            _keys.pop(_norm(path), None)
        else:
            _keys[_norm(path)] = key


def keys_for_salt(salt: bytes) -> list[CipherKey]:
    """The keys this process holds whose salt is ``salt`` (a backup of an open journal).

    A backup of an encrypted journal is written with the journal's key, salt
    included, so the journal's key opens it without asking again.
    """
    with _keys_lock:
        found = [k for k in _keys.values() if k.salt == salt]
    return list({k.raw: k for k in found}.values())


def forget_all_keys() -> None:
    """Drop every key this process holds (the window's lock after idle, tests)."""
    with _keys_lock:
        _keys.clear()


def key_for(path: Path, salt: bytes, unlock: Unlock | None) -> CipherKey:
    """The key to try on an encrypted ``path``: given, derived, or asked for."""
    if isinstance(unlock, CipherKey):
        return unlock
    if unlock is None:
        unlock = _default_unlock
    if unlock is None:
        raise PassphraseNeededError(f"{path} is encrypted: a passphrase is needed to open it")
    passphrase = unlock if isinstance(unlock, str) else unlock(path)
    key = derive_key(passphrase, salt)
    del passphrase
    return key


def _norm(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


# ----------------------------------------------------------------- connections


def connect(
    target: str | Path,
    key: CipherKey | None,
    *,
    uri: bool = False,
    timeout: float = 5.0,
    cache_kib_at_least: int = 0,
) -> sqlite3.Connection:
    """An SQLCipher connection keyed with ``key`` (None: a plain file through SQLCipher).

    Temporary tables and indexes stay in memory (``temp_store = MEMORY``): SQLCipher
    encrypts the database and its WAL, and nothing of the journal goes to a
    plaintext temporary file. An existing file whose first page refuses the key's
    page format is tried in the other one (:data:`PAGE_HMACS`) before the key is
    called wrong; the connection's :func:`key_of` then carries the format that opened it.
    """
    try:
        return _connect_as(target, key, uri, timeout, cache_kib_at_least)
    except sqlite3.DatabaseError as exc:
        if key is None or "not a database" not in str(exc):
            raise
        try:
            return _connect_as(target, key.other_format(), uri, timeout, cache_kib_at_least)
        except sqlite3.DatabaseError:
            pass
        raise


def connect_read_only(path: Path, key: CipherKey | None) -> sqlite3.Connection:
    """A read-only SQLCipher connection to ``path`` (None: a plain file), to check it:
    SQLCipher's SQLite 3.51 writes b-trees of its own while checking a writable one."""
    return connect(f"{path.resolve().as_uri()}?mode=ro", key, uri=True)


def _connect_as(
    target: str | Path, key: CipherKey | None, uri: bool, timeout: float, cache_kib_at_least: int
) -> sqlite3.Connection:
    connections = _connections()
    conn = connections.cipher.connect(
        str(target),
        uri=uri,
        isolation_level=None,
        timeout=timeout,
        factory=connections.CipherConnection,
        check_same_thread=True,
    )
    conn.ties_key = key
    try:
        # SQLCipher writes a wrong key's failed page checks to stderr: the person gets
        # one line from Ties instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            conn.execute(f"PRAGMA key = {key.pragma_value()}")
            conn.execute(f"PRAGMA cipher_hmac_algorithm = {key.page_hmac}")
            kib = max(cache_kib(_file_size(target, uri)), cache_kib_at_least)
            # (The first statement that reads page 1: a wrong key or format fails here.)
            conn.execute(f"PRAGMA cache_size = -{kib}")
            conn.ties_cache_kib = kib
        conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    return conn


def cache_kib(size: int) -> int:
    """The page cache (KiB) of a connection to an encrypted journal of ``size`` bytes.

    Every page read from the file is decrypted and its HMAC-SHA512 checked (about
    2 ms per MB here); the operating system's cache, which makes re-reading a
    plain journal cheap, holds only ciphertext. So an encrypted connection keeps
    decrypted pages itself, enough for the whole journal: with 128 MiB, queries
    over the million-entry reference journal (620 MB) evicted each other's pages
    and ran 3-5x slower than on the plain journal. SQLite grows the cache only as
    pages are read; 1 GiB at most.
    """
    wanted = size // 1024 * 5 // 4
    return max(CIPHER_CACHE_MIN_KIB, min(CIPHER_CACHE_MAX_KIB, wanted))


def _file_size(target: str | Path, uri: bool) -> int:
    """The size of the file a connection is made to (a path, or a ``file:`` URI)."""
    text = str(target)
    if uri and text.startswith("file:"):
        # (Ties imports no network library, urllib included: decoded here.)
        path = text.removeprefix("file:").split("?", 1)[0].split("#", 1)[0]
        if path.startswith("//"):
            path = "/" + path[2:].split("/", 1)[-1]  # file://host/path: the host is local
        raw = re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), path.encode())
        text = raw.decode("utf-8", "surrogateescape")
    try:
        return os.stat(text).st_size
    except OSError:
        return 0


def key_of(conn: object) -> CipherKey | None:
    """The key an open connection was made with; None for a plain journal."""
    return getattr(conn, "ties_key", None)


def connect_like(conn: object, target: str | Path) -> sqlite3.Connection:
    """A connection to ``target`` of the same kind as ``conn`` (for a backup's copy).

    The online backup API copies only between connections of one SQLite build,
    and a copy of an encrypted journal is encrypted with the same key.
    """
    key = key_of(conn)
    if key is None and not hasattr(conn, "ties_key"):  # Python's own sqlite3
        return sqlite3.connect(target)
    # A fresh file keyed with the journal's key: its salt is the journal's too, so
    # the backup opens with the same passphrase. Its page cache is the journal's size:
    # the copy is written in one transaction and then checked page by page, and with
    # less the reference journal's backup took 4x as long as a plain one.
    return connect(target, key, cache_kib_at_least=getattr(conn, "ties_cache_kib", 0))
