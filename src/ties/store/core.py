"""The open connection under a journal: what every part of the store reads and writes through.

:class:`StoreCore` holds the connection, the file, whether it is read-only, the
caches the parts keep, and :meth:`StoreCore.transaction`. The parts
(:mod:`~ties.store.people`, :mod:`~ties.store.entries`, …) are plain functions
over a ``StoreCore``; :class:`~ties.store.journal.Store` is this class with
those functions listed as its methods.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ties.model import SupportType
from ties.store.connection import _translate
from ties.store.errors import ReadOnlyError
from ties.store.window_totals import keep_window_current


class StoreCore:
    """A journal's connection, path and caches.

    Attributes:
        path: the journal file.
        readonly: true when the file or its folder cannot be written.
        found_damage: set by ``integrity_problems()`` when it finds any; then
            ``close()`` writes nothing.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._depth = 0
        #: Every support type, retired ones too (taxonomy.support_types).
        self._type_cache: list[SupportType] | None = None
        #: (data version, folded name → person ids): see people.folded_names.
        self._fold_index: tuple[tuple[int, int], dict[str, list[int]]] | None = None
        #: (PRAGMA data_version, number of entries): kept up to date by this store's own
        #: writes, recounted when another connection has written or a write rolled back.
        self._entry_count: tuple[int, int] | None = None
        self._sorted_ids: tuple[tuple[Any, ...], list[int]] | None = None  # entries.ids_in_order
        #: The last window's sums and when they were read (window_totals.window_totals).
        self._window_memo: dict[tuple[Any, ...], tuple[Any, Any]] | None = None
        self.found_damage = False

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE … COMMIT``; nested calls are savepoints.

        SQLite errors that the user can act on (disk full, read-only, damaged)
        come out as :class:`JournalError` subclasses after the rollback.
        """
        if self.readonly:
            raise ReadOnlyError(f"{self.path} is open read-only: nothing can be changed.")
        conn = self.conn
        if self._depth:
            name = f"sp{self._depth}"
            conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield conn
            except BaseException:
                self._entry_count = None
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                raise
            else:
                conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise (_translate(exc) or exc) from exc
        self._depth = 1
        try:
            keep_window_current(conn)
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._type_cache = None
            self._entry_count = None
            known = _translate(exc)
            if known:
                raise known from exc
            raise
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._type_cache = None
            self._entry_count = None
            raise
        finally:
            self._depth = 0
