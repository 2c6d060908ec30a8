"""A table's column list, written once, and the SQL text and row mapping made from it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any


@dataclass(frozen=True)
class Columns:
    """The columns of ``table`` in the order a SELECT made by :meth:`select` returns them.

    ``at[name]`` is a column's position in such a row. Rows are mapped to dataclasses
    by name through :meth:`getter` (as fast as bare indices; ``sqlite3.Row`` doubles
    the cost of reading a page of entries).
    """

    table: str
    names: tuple[str, ...]
    at: dict[str, int] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", {n: i for i, n in enumerate(self.names)})

    def getter(self, *names: str) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
        """A function that takes the named columns out of a row, in the order named."""
        get = itemgetter(*(self.at[n] for n in names))
        if len(names) == 1:
            return lambda row: (get(row),)
        return get

    def select(self, alias: str = "") -> str:
        """The column list for a SELECT (``e.id, e.uuid, …`` with an alias)."""
        prefix = f"{alias}." if alias else ""
        return ", ".join(prefix + n for n in self.names)

    def insert(self, names: Sequence[str]) -> str:
        """``INSERT INTO table (names…) VALUES (?, …)``; every name must be a column."""
        unknown = [n for n in names if n not in self.at]
        if unknown:
            raise KeyError(f"{self.table} has no column {unknown[0]}")
        marks = ", ".join("?" * len(names))
        return f"INSERT INTO {self.table} ({', '.join(names)}) VALUES ({marks})"

    def update(self, names: Sequence[str]) -> str:
        """``UPDATE table SET a = ?, … WHERE id = ?``."""
        unknown = [n for n in names if n not in self.at]
        if unknown:
            raise KeyError(f"{self.table} has no column {unknown[0]}")
        return f"UPDATE {self.table} SET {', '.join(n + ' = ?' for n in names)} WHERE id = ?"
