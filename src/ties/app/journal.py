"""Which journal to use, and opening or creating it: one function, one message per situation.

The command line prints these messages as ``ties: error: …``; the window shows
the same text in its message box.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ties.store import JournalError, NotFoundError, Store
from ties.store.encryption import Unlock


class NoJournalError(NotFoundError):
    """The journal asked for is not there (or is a 0-byte file) and was not to be created."""


class NotAFileError(JournalError):
    """The path given as the journal is a folder."""


def chosen_journal(db: str | None, *, last: Path | None = None) -> Path:
    """``--db``, else ``$TIES_DB``, else ``last`` (the window's last journal), else the default.

    ``last`` counts only if it still exists. A folder is refused here, before SQLite meets it.
    """
    from ties.paths import default_journal_path

    if db:
        path = Path(db).expanduser()
    elif os.environ.get("TIES_DB") or last is None or not last.exists():
        path = default_journal_path()
    else:
        path = last
    refuse_folder(path)
    return path


def path_was_given(db: str | None) -> bool:
    """Whether the journal's path was chosen by the person (--db, $TIES_DB), not the default."""
    return bool(db or os.environ.get("TIES_DB"))


def refuse_folder(path: Path) -> None:
    if path.is_dir():
        raise NotAFileError(f"{path} is a folder, not a journal file")


def is_missing(path: Path) -> bool:
    """No journal there yet: no file, or a 0-byte one (which a new journal starts as)."""
    return not path.exists() or (path.is_file() and path.stat().st_size == 0)


def no_journal_message(path: Path, *, offer_sample: bool = True) -> str:
    """The one message for a journal that is not there (or is empty) and was not to be created."""
    from ties.paths import sample_journal_path

    where = f"{path} is empty" if path.exists() else f"there is no journal at {path} yet"
    message = f"{where}; add someone with 'ties person add NAME'"
    sample = sample_journal_path()
    if offer_sample and sample.exists():
        message += f", or explore the sample journal with --db {sample}"
    return message


def make_journal_folder(folder: Path) -> None:
    """Create a new journal's folder (owner-only), or say in one line why it cannot be."""
    from ties.paths import private_dir

    try:
        private_dir(folder)
    except OSError as exc:
        raise JournalError(
            f"cannot create the folder {folder} for the journal: {exc.strerror or exc}"
        ) from exc


def new_folder_message(folder: Path) -> str:
    """Said when a journal's missing folder was created, so a typo in a path does not go unseen."""
    return f"created the folder {folder} (owner-only) for the new journal"


def open_journal(
    path: Path,
    *,
    create: bool = True,
    readonly: bool = False,
    check: bool = False,
    migrate: bool = True,
    offer_sample: bool = True,
    on_new_folder: Callable[[Path], None] | None = None,
    unlock: Unlock | None = None,
) -> Store:
    """Open the journal at ``path`` (creating it, and its folder, when ``create``).

    Every caller (each command, the window at start and on File → Open) comes
    here, so each situation has one message: a folder, a missing or 0-byte
    journal (:func:`no_journal_message`), and the store's own refusals (not a
    journal, newer version, damaged, read-only). ``readonly`` opens without
    writing anything; ``check`` runs SQLite's quick check first;
    ``on_new_folder`` is told of a folder created for a new journal;
    ``offer_sample`` adds the sample journal to the missing-journal message.
    An encrypted journal is unlocked with ``unlock`` (a passphrase, a key, or
    a callable asked only then: the command line's reader, the window's dialog);
    without one, the process's default (:func:`ties.store.encryption.set_default_unlock`)
    or the key this process already opened it with.
    """
    path = Path(path).expanduser()
    refuse_folder(path)
    if (not create or readonly) and is_missing(path):
        raise NoJournalError(no_journal_message(path, offer_sample=offer_sample))
    new_folder = create and not path.parent.exists()
    if new_folder:
        make_journal_folder(path.parent)
    store = Store.open(
        path, create=create, readonly=readonly, check=check, migrate=migrate, unlock=unlock
    )
    if new_folder and on_new_folder is not None:
        on_new_folder(path.parent)
    return store
