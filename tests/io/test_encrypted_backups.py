"""Backups of an encrypted journal: written with its key, checked, restored and recovered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ties.app import backups
from ties.io import backup as io_backup
from ties.io import backup_checks, recovery
from ties.model import Entry, Person
from ties.store import JournalError, Store, conversion, encryption

PASS = "journal passphrase"
SECRET = "talked about my boss zqxjkv"


@pytest.fixture(autouse=True)
def no_cached_keys() -> Iterator[None]:
    """Every test unlocks for itself: no key kept from another test."""
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)
    yield
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "j.ties"
    with Store.open(path) as store:
        ana = store.add_person(Person(name="Ana Ruiz"))
        store.add_entry(Entry(date=date(2026, 5, 1), person_ids=[ana.id], note=SECRET))
    conversion.encrypt(path, PASS)
    encryption.forget_all_keys()
    return path


def test_a_backup_passphrase_on_an_encrypted_journal_is_refused(
    journal: Path, tmp_path: Path
) -> None:
    with (
        Store.open(journal, unlock=PASS) as store,
        pytest.raises(JournalError, match="encrypted with its passphrase already"),
    ):
        io_backup.backup(store, tmp_path / "b.ties.enc", passphrase="backup passphrase")
    assert not (tmp_path / "b.ties.enc").exists()


def _backup(journal: Path, unlock: str = PASS, kind: str = "manual") -> Path:
    with Store.open(journal, unlock=unlock) as store:
        return io_backup.backup(store, kind=kind)


def _people(journal: Path, unlock: str) -> list[str]:
    with Store.open(journal, create=False, unlock=unlock) as store:
        return [p.name for p in store.list_people()]


def test_an_encrypted_journals_backup_is_encrypted_and_checked_with_its_key(
    journal: Path,
) -> None:
    with Store.open(journal, unlock=PASS) as store:
        made = io_backup.backup(store)
        raw = made.read_bytes()
        assert not raw.startswith(b"SQLite format 3\x00") and SECRET.encode() not in raw
        # The open journal's key opens it: no passphrase asked, the full check passes.
        assert not io_backup.needs_passphrase(made)
        assert io_backup.check_backup(made).people == 1
        assert backup_checks.full_check(made).ok
    encryption.forget_all_keys()  # another process, the journal not open: its passphrase
    assert io_backup.needs_passphrase(made)
    with pytest.raises(io_backup.BackupPassphraseNeededError):
        io_backup.check_backup(made)
    assert io_backup.check_backup(made, passphrase=PASS).people == 1


def test_restoring_a_backup_under_an_older_passphrase_asks_for_it(
    journal: Path, tmp_path: Path
) -> None:
    old = _backup(journal)
    with Store.open(journal, unlock=PASS) as store:
        key = store.cipher_key
        store.add_person(Person(name="Added Later"))
    assert key is not None
    conversion.rekey(journal, key, "new passphrase")
    encryption.forget_all_keys()
    with Store.open(journal, unlock="new passphrase"):
        pass  # the journal open under its new passphrase: the old backup's differs
    assert io_backup.needs_passphrase(old)
    before = journal.read_bytes()
    with pytest.raises(io_backup.BackupPassphraseNeededError):
        io_backup.restore(old, journal)
    with pytest.raises(encryption.WrongPassphraseError, match=old.name):
        io_backup.restore(old, journal, passphrase="not the one")
    assert journal.read_bytes() == before  # refused: nothing changed
    io_backup.restore(old, journal, passphrase=PASS)
    # The journal is the backup's file: it opens with the backup's passphrase, at once
    # in this process (its key is kept) and afterwards with the passphrase.
    assert _people(journal, "whatever") == ["Ana Ruiz"]
    encryption.forget_all_keys()
    assert _people(journal, PASS) == ["Ana Ruiz"]
    assert SECRET.encode() not in journal.read_bytes()


def test_restore_use_case_asks_the_backups_passphrase_only_when_it_differs(
    journal: Path,
) -> None:
    same = _backup(journal)
    asked: list[Path] = []

    def ask(path: Path) -> str:
        asked.append(path)
        return PASS

    with Store.open(journal, unlock=PASS):
        pass
    restored = backups.restore_journal(same, journal, passphrase=ask)
    assert asked == [] and restored.notes == ()
    encryption.forget_all_keys()
    with Store.open(journal, unlock=PASS) as store:
        key = store.cipher_key
    assert key is not None
    conversion.rekey(journal, key, "new passphrase")
    encryption.forget_all_keys()
    with Store.open(journal, unlock="new passphrase"):
        pass
    restored = backups.restore_journal(same, journal, passphrase=ask)
    assert asked == [same]
    assert any("backup's passphrase" in line for line in restored.lines())


def _damage(journal: Path) -> None:
    with Store.open(journal, unlock=PASS) as store:
        ana = store.people_named("Ana Ruiz")[0]
        for _n in range(200):
            store.add_entry(Entry(date=date(2026, 5, 2), person_ids=[ana.id], note="x" * 900))
    encryption.forget_all_keys()
    raw = bytearray(journal.read_bytes())
    raw[len(raw) // 2] ^= 0x55  # a page of entries, which opening does not read
    journal.write_bytes(bytes(raw))


def test_recover_finds_the_newest_good_encrypted_backup(journal: Path) -> None:
    good = _backup(journal, kind="auto")
    _damage(journal)
    encryption.forget_all_keys()
    # Without the journal's key nor a way to ask, encrypted backups are not offered...
    assert recovery.newest_good_backup(journal) is None
    # ...with the passphrase (asked once), the encrypted backup is found and restored.
    asked: list[Path] = []
    found = recovery.newest_good_backup(journal, unlock=lambda p: asked.append(p) or PASS)
    assert found == good and asked == [journal.resolve()]
    result = recovery.recover(journal, found)
    assert result.restored_from == good and result.people == 1
    assert SECRET.encode() not in journal.read_bytes()
    encryption.forget_all_keys()
    assert _people(journal, PASS) == ["Ana Ruiz"]


def test_recover_uses_the_key_of_a_journal_that_opened_damaged(journal: Path) -> None:
    good = _backup(journal, kind="auto")
    _damage(journal)
    # Its problems are found through its key (the window or 'ties recover' opened it)...
    encryption.set_default_unlock(lambda _p: PASS)
    assert recovery.journal_problems(journal)
    encryption.set_default_unlock(None)
    # ...which then opens its backups: nothing more to ask.
    assert recovery.newest_good_backup(journal) == good


def test_a_damaged_encrypted_journal_is_said_in_one_line(journal: Path) -> None:
    _damage(journal)
    with pytest.raises(JournalError) as caught:  # the quick check, asked for (ties check)
        Store.open(journal, unlock=PASS, check=True).close()
    assert "damaged" in str(caught.value) and "\n" not in str(caught.value)
