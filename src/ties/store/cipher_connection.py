"""SQLCipher connections whose errors are ``sqlite3``'s (imported only for an encrypted journal).

``sqlcipher3`` raises its own exception classes, which ``except sqlite3.Error``
would not catch; its connections are wrapped here so that every error comes out as
the ``sqlite3`` exception of the same name, and the rest of Ties needs no change.
Importing ``sqlcipher3`` (and OpenSSL with it) costs every process ~30 ms: only
:mod:`ties.store.encryption` imports this module, when a journal is encrypted.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlcipher3 import dbapi2 as cipher

_Cursor = cipher.Cursor
_CipherErrors = (cipher.Error, MemoryError)


def _as_sqlite3(exc: BaseException) -> sqlite3.Error:
    cls = getattr(sqlite3, type(exc).__name__, sqlite3.DatabaseError)
    if not (isinstance(cls, type) and issubclass(cls, sqlite3.Error)):
        cls = sqlite3.DatabaseError
    args = exc.args
    if isinstance(exc, MemoryError) or args == ("SQL logic error",):
        # What SQLCipher says when a page fails its checksum (damage, tampering):
        # SQLITE_NOMEM or a bare SQLITE_ERROR. Worded here so that the store's
        # error translation calls the journal damaged.
        cls = sqlite3.DatabaseError
        args = ("database disk image is malformed (a page failed SQLCipher's check)",)
    new = cls(*args)
    for attr in ("sqlite_errorcode", "sqlite_errorname"):
        if hasattr(exc, attr):
            setattr(new, attr, getattr(exc, attr))
    return new


#: Rows a cursor iterated in a ``for`` loop fetches at a time: few first (a loop that
#: stops at its first row), more as it goes on.
_ITER_CHUNKS = (8, 64, 512)


class CipherCursor(cipher.Cursor):
    """A cursor whose errors are ``sqlite3`` errors.

    Each method translates once per call; iterating the cursor goes through
    ``fetchmany`` in chunks rather than a Python ``__next__`` per row, which
    cost encrypted journals a third of the time of a query returning
    hundreds of rows.
    """

    def execute(self, *args: Any) -> Any:
        try:
            return _Cursor.execute(self, *args)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def executemany(self, *args: Any) -> Any:
        try:
            return _Cursor.executemany(self, *args)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def executescript(self, *args: Any) -> Any:
        try:
            return _Cursor.executescript(self, *args)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def fetchone(self) -> Any:
        try:
            return _Cursor.fetchone(self)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def fetchmany(self, *args: Any) -> Any:
        try:
            return _Cursor.fetchmany(self, *args)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def fetchall(self) -> Any:
        try:
            return _Cursor.fetchall(self)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]  # rows in chunks, not self
        return self._rows()

    def _rows(self) -> Iterator[Any]:
        fetch = _Cursor.fetchmany
        for size in itertools.chain(_ITER_CHUNKS, itertools.repeat(_ITER_CHUNKS[-1])):
            try:
                chunk = fetch(self, size)
            except _CipherErrors as exc:
                raise _as_sqlite3(exc) from exc
            if not chunk:
                return
            yield from chunk


class CipherConnection(cipher.Connection):
    """An SQLCipher connection that raises ``sqlite3`` errors and knows its key."""

    ties_key: Any = None  # the CipherKey it was made with (None: no key)
    ties_cache_kib = 0

    def cursor(self, factory: Any = CipherCursor) -> Any:
        try:
            return super().cursor(factory)
        except _CipherErrors as exc:  # a closed connection, say
            raise _as_sqlite3(exc) from exc

    def execute(self, *args: Any) -> Any:
        # One Python call per statement (the built-in one would call ``cursor``
        # and the cursor's ``execute``, two more).
        try:
            cursor = CipherCursor(self)
            return _Cursor.execute(cursor, *args)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def executemany(self, *args: Any) -> Any:
        try:
            cursor = CipherCursor(self)
            return _Cursor.executemany(cursor, *args)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def executescript(self, *args: Any) -> Any:
        try:
            cursor = CipherCursor(self)
            return _Cursor.executescript(cursor, *args)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().create_function(*args, **kwargs)
        except cipher.Error as exc:
            raise _as_sqlite3(exc) from exc

    def commit(self) -> None:
        try:
            super().commit()
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def rollback(self) -> None:
        try:
            super().rollback()
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc

    def backup(self, target: Any, **kwargs: Any) -> None:
        try:
            super().backup(target, **kwargs)
        except _CipherErrors as exc:
            raise _as_sqlite3(exc) from exc
