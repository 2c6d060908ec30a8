"""Backups of an encrypted journal: written with its key, checked, restored and recovered."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ties.io import backup as io_backup
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
