"""The SQLite store: schema, migrations and the one API every layer writes through.

No Qt here (a test enforces it).
"""

from ties.store.entry_query import EntryFilter
from ties.store.errors import (
    CorruptJournalError,
    DiskFullError,
    InUseError,
    JournalError,
    NewerVersionError,
    NotAJournalError,
    NotFoundError,
    ReadOnlyError,
    ValidationError,
)
from ties.store.journal import Store
from ties.store.merge import Merge
from ties.store.people import DeletedPerson, PeopleFilter
from ties.store.search import fold, fts_query

__all__ = [
    "CorruptJournalError",
    "DeletedPerson",
    "DiskFullError",
    "EntryFilter",
    "InUseError",
    "JournalError",
    "Merge",
    "NewerVersionError",
    "NotAJournalError",
    "NotFoundError",
    "PeopleFilter",
    "ReadOnlyError",
    "Store",
    "ValidationError",
    "fold",
    "fts_query",
]
