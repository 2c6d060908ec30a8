"""What every part of :class:`~ties.store.journal.Store` may rely on.

``Store`` is composed of mixins, one module a part (people, entries, …). Each
part uses the attributes ``Store.__init__`` sets and, here and there, a method
that another part defines; :class:`StoreBase` declares both, so that the type
checker can follow a part on its own. The method declarations exist only for
the type checker: at run time every one of them is ``Store``'s real method.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ties.model import Circle, Entry, Person, SupportType


class StoreBase:
    """The attributes ``Store.__init__`` sets that the parts read and write."""

    conn: sqlite3.Connection
    path: Path
    readonly: bool
    _type_cache: list[SupportType] | None
    _fold_index: tuple[tuple[int, int], dict[str, list[int]]] | None
    _entry_count: tuple[int, int] | None
    _sorted_ids: tuple[tuple[Any, ...], list[int]] | None
    found_damage: bool

    if TYPE_CHECKING:
        # Defined by Store (journal.py) and by the other parts; declared for mypy only.

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

        def circles(self, include_retired: bool = False) -> list[Circle]: ...

        def support_types(self, include_retired: bool = False) -> list[SupportType]: ...

        def unknown_type_message(self, key: str) -> str: ...

        def add_entry(self, entry: Entry) -> Entry: ...

        def update_entry(self, entry: Entry, *, touch: bool = True) -> Entry: ...

        def get_entries(self, ids: Sequence[int]) -> list[Entry]: ...

        def _count_changed(self, delta: int) -> None: ...

        def _person_values(self, p: Person) -> tuple[Any, ...]: ...

        @staticmethod
        def _fts_out(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> None: ...

        @staticmethod
        def _fts_in(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> None: ...

        @classmethod
        def _relabel_indexed_entry(cls, conn: sqlite3.Connection, eid: int) -> None: ...

        @staticmethod
        def _refresh_entry_label(conn: sqlite3.Connection, eid: int) -> None: ...

        def _refresh_people_labels_for(self, conn: sqlite3.Connection, person_id: int) -> None: ...

        @staticmethod
        def _refresh_last_contact(conn: sqlite3.Connection, person_ids: Iterable[int]) -> None: ...
