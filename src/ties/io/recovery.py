"""Getting back to work after the journal was found damaged.

When a command or the window meets a damaged page, when the window's quick
check in the background (or ``Store.open(check=True)``) fails, or when the full check
(:func:`journal_problems`, what ``ties check`` runs) finds damage, the window
and ``ties recover`` offer this way back: the damaged file is renamed aside
untouched (someone may still rescue rows from it), and the newest automatic
backup that passes its check is restored in its place. Nothing here writes
to the damaged file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ties.io.backup import (
    BackupPassphraseNeededError,
    PreparedRestore,
    RestoreCancelled,
    RestoreProgress,
    check_backup,
    commit_restore,
    journal_backups,
    list_backups,
    open_untrusted,
    prepare_restore,
    put_back_damaged,
    read_journal_id,
    set_aside_damaged,
)
from ties.io.backup_checks import failed as failed_full_check
from ties.paths import backup_dir
from ties.store import CorruptJournalError, JournalError, NotAJournalError, Store

#: Which backups :func:`newest_good_backup` offers, best first within the same age.
RESTORABLE_KINDS = ("auto", "manual", "before-import", "before-restore")


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover` did: where the damaged file went, what replaced it."""

    damaged: Path
    restored_from: Path
    people: int
    entries: int


def journal_problems(journal: Path) -> list[str]:
    """What the full check of ``journal`` finds wrong with it; empty when it is healthy.

    The same check as ``ties check`` (:meth:`Store.integrity_problems`: SQLite's
    ``integrity_check`` and Ties' own rules), which sees damage the quick check
    at opening misses (a row missing from its index). A journal that cannot be
    opened for damage, or whose check stops at a damaged page, gets that as its
    problem. Nothing is written to the file: a store that found problems closes
    without refreshing its statistics. A journal of an older format raises
    :class:`JournalError` (it is not damaged; opening it upgrades it).
    """
    try:
        store = Store.open(journal, create=False, migrate=False)
    except (CorruptJournalError, NotAJournalError) as exc:  # a damaged header: "not SQLite"
        return [str(exc)]
    except sqlite3.DatabaseError as exc:
        return [f"sqlite: {exc}"]
    try:
        return store.integrity_problems()
    except sqlite3.DatabaseError as exc:  # the check itself met a damaged page
        store.found_damage = True
        return [f"sqlite: {exc}"]
    finally:
        store.close()


def newest_good_backup(
    journal: Path | None = None,
    folder: Path | None = None,
    *,
    cancelled: Callable[[], bool] | None = None,
    unlock: Callable[[Path], str] | None = None,
) -> Path | None:
    """The newest backup that passes its check, or ``None``.

    Args:
        journal: only backups of this journal (its path tag and, when it can be read,
            its identity; see :func:`ties.io.backup.journal_backups`); all when ``None``.
        folder: where to look; :func:`ties.paths.backup_dir` by default.
        cancelled: polled during the checks (any thread); a cancel raises
            :class:`RestoreCancelled`.

        unlock: asked (once, with the journal's path) for the passphrase of an
            encrypted journal's backup that no key this process holds opens; without
            it such backups are skipped.

    An encrypted journal's backups (SQLCipher, written with its key) are checked
    with the journal's key when this process holds it (the journal was opened,
    even if it turned out damaged), else with the passphrase ``unlock`` gives.
    Passphrase-encrypted backups (``.enc``) are skipped: they need their own
    passphrase (the restore dialog lists them for the user to choose). So are
    backups whose later full check failed, and backups of another journal.
    """
    folder = folder or backup_dir()
    expected = None
    if journal is not None:
        journal = Path(journal).expanduser().resolve()
        found = journal_backups(journal, folder)
        expected = read_journal_id(journal)
    else:
        found = list_backups(None, folder)
    asked: str | None = None
    for info in found:
        if info.encrypted or info.kind not in RESTORABLE_KINDS or failed_full_check(info.path):
            continue
        try:
            try:
                candidate = check_backup(info.path, cancelled=cancelled)
            except BackupPassphraseNeededError:
                if unlock is None or journal is None:
                    continue
                if asked is None:
                    asked = unlock(journal)
                candidate = check_backup(info.path, cancelled=cancelled, passphrase=asked)
        except RestoreCancelled:
            raise
        except JournalError:
            continue
        if expected and candidate.journal_id and candidate.journal_id != expected:
            continue
        return info.path
    return None


def backup_needing_passphrase(journal: Path, folder: Path | None = None) -> Path | None:
    """The newest backup :func:`newest_good_backup` would check but cannot open as things are.

    An encrypted journal's backup taken under a passphrase whose key this process
    does not hold (changed since, or the journal could not be unlocked): the
    window asks for that passphrase on its own thread before the search starts.
    Quick: file names and the first bytes of each backup only.
    """
    from ties.io.backup import needs_passphrase

    journal = Path(journal).expanduser().resolve()
    for info in journal_backups(journal, folder or backup_dir()):
        if info.encrypted or info.kind not in RESTORABLE_KINDS or failed_full_check(info.path):
            continue
        if needs_passphrase(info.path):
            return info.path
    return None


def passphrase_opens(backup: Path, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the encrypted journal's ``backup`` (its key is then kept).

    False for a wrong passphrase, or a backup whose first page is damaged (the two
    cannot be told apart).
    """
    try:
        open_untrusted(backup, passphrase=passphrase).close()
    except JournalError:
        return False
    except sqlite3.Error:
        return True  # the key opened it; the damage is the search's to find
    return True


def recover(journal: Path, backup: Path | None = None, *, other_journal: bool = False) -> Recovery:
    """Set the damaged ``journal`` aside and restore ``backup`` (default: the newest good one).

    The two halves, :func:`prepare_recovery` (long, any thread) and
    :func:`finish_recovery` (renames), are what the window runs separately.

    Raises:
        JournalError: when no backup passes its check, or the restore fails; the
            damaged journal is then back where it was, untouched.
    """
    from ties.io.open_elsewhere import refuse_if_open_elsewhere

    refuse_if_open_elsewhere(Path(journal).expanduser().resolve(), "recovered")
    return finish_recovery(prepare_recovery(journal, backup, other_journal=other_journal))


def prepare_recovery(
    journal: Path,
    backup: Path | None = None,
    *,
    progress: RestoreProgress | None = None,
    cancelled: Callable[[], bool] | None = None,
    other_journal: bool = False,
) -> PreparedRestore:
    """Check ``backup`` (default: the newest good one) and copy it beside the damaged journal.

    Nothing is moved yet and the damaged file is not read, so a cancel
    (:class:`RestoreCancelled`) or a failure leaves everything as it was.
    """
    journal = Path(journal).expanduser().resolve()
    chosen = backup or newest_good_backup(journal, cancelled=cancelled)
    if chosen is None:
        raise JournalError(
            f"{journal.name} is damaged and no backup of it passes its check; "
            "the damaged file was left as it is."
        )
    # The chosen file is checked (first thing) before anything moves; no safety
    # backup of a damaged journal, which is kept aside instead.
    return prepare_restore(
        chosen,
        journal,
        safety=False,
        progress=progress,
        cancelled=cancelled,
        other_journal=other_journal,
    )


def finish_recovery(prepared: PreparedRestore) -> Recovery:
    """Rename the damaged journal aside and the prepared copy into its place (quick).

    The damaged journal must be closed by then. On failure it is put back
    under its name; the prepared copy is removed either way.
    """
    journal = prepared.journal
    from ties.io.open_elsewhere import swap_guard

    try:
        with swap_guard(journal, "recovered"):  # nobody else has it open, nor opens it now
            damaged = set_aside_damaged(journal)
            try:
                candidate, _safety = commit_restore(prepared)
            except BaseException:
                put_back_damaged(damaged, journal)  # never leave the journal's name empty
                raise
    finally:
        prepared.discard()
    return Recovery(damaged, prepared.source, candidate.people, candidate.entries)
