"""What an operation changed: one typed record, handed to every place after it.

In the manner of Anki's ``OpChanges``: a boolean per area of the journal, so a
place decides what to redo from fields rather than from strings. Every undo
command carries one (:class:`~ties.ui.context.StoreCommand`), and
:attr:`~ties.ui.context.AppContext.changed` emits it after the change, its undo
and its redo; a reopened journal or an import is :meth:`Changes.everything`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Changes:
    """Which parts of the journal an operation touched.

    Attributes:
        entries: entries were added, edited or removed (follow-ups and thanks too).
        people: people were added, edited, archived or removed (or their last
            contact moved with their entries).
        settings: journal settings, circles or support types changed.
        dismissals: Today's items were snoozed, dismissed or shown again.
    """

    entries: bool = False
    people: bool = False
    settings: bool = False
    dismissals: bool = False

    @classmethod
    def everything(cls) -> Changes:
        """All of it: another journal is open, or an import rewrote this one."""
        return cls(**{f.name: True for f in fields(cls)})

    def __or__(self, other: Changes) -> Changes:
        """Both records' areas (two operations in a row)."""
        return Changes(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    @property
    def journal_data(self) -> bool:
        """Entries, people or settings changed: what lists and figures are made of."""
        return self.entries or self.people or self.settings
