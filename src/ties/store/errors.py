"""Errors the user can understand and act on.

Anything derived from :class:`JournalError` is a known condition: the command
line prints its message on one line and the window shows it next to the field
or in a short dialog. Any other exception is a bug and gets logged.
"""

from __future__ import annotations


class JournalError(Exception):
    """A problem with the journal or with what the user asked for."""


class NotAJournalError(JournalError):
    """The file is not SQLite, or is SQLite but not a Ties journal."""


class NewerVersionError(JournalError):
    """The journal was written by a newer Ties; we refuse to touch it."""


class CorruptJournalError(JournalError):
    """SQLite reports damaged pages."""


class ReadOnlyError(JournalError):
    """The journal (or its folder) cannot be written."""


class DiskFullError(JournalError):
    """The disk (or the journal's size limit) is full; nothing was saved."""


class NotFoundError(JournalError):
    """A person, entry, circle or support type that does not exist."""


class ValidationError(JournalError):
    """A value the user typed is not acceptable.

    Attributes:
        field: the name of the field the message belongs next to, if any.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InUseError(JournalError):
    """Refused because something still refers to the row (entries, people)."""

    def __init__(self, message: str, count: int = 0) -> None:
        super().__init__(message)
        self.count = count
