"""An encrypted journal's backup made of its encrypted pages: whole, consistent, checked."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ties.model import Entry, Person
from ties.store import CorruptJournalError, Store, conversion, encrypted_copy, encryption

PASS = "journal passphrase"


@pytest.fixture(autouse=True)
def no_cached_keys() -> Iterator[None]:
    encryption.forget_all_keys()
    yield
    encryption.forget_all_keys()


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "j.ties"
    with Store.open(path) as store:
        ana = store.add_person(Person(name="Ana Ruiz"))
        for day in range(1, 29):
            store.add_entry(Entry(date=date(2026, 5, day), person_ids=[ana.id], note="x" * 500))
    conversion.encrypt(path, PASS)
    encryption.forget_all_keys()
    return path


def _notes(path: Path) -> list[str]:
    with Store.open(path, create=False, unlock=PASS) as store:
        assert store.integrity_problems() == []
        return [r[0] for r in store.conn.execute("SELECT note FROM entries ORDER BY id")]


@pytest.mark.parametrize("in_kernel", [True, False])
def test_the_backup_copies_encrypted_pages_and_holds_what_only_the_wal_held(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_kernel: bool
) -> None:
    if not in_kernel:  # a platform or file system without copy_file_range

        def refused(*_args: object) -> int:
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(os, "copy_file_range", refused, raising=False)
    copied: list[Path] = []
    real = encrypted_copy._copy_from
    monkeypatch.setattr(
        encrypted_copy, "_copy_from", lambda src, t, **kw: copied.append(t) or real(src, t, **kw)
    )
    with Store.open(journal, unlock=PASS) as store:
        store.conn.execute("PRAGMA wal_autocheckpoint = 0")  # the new entry stays in the WAL
        ana = store.people_named("Ana Ruiz")[0]
        store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[ana.id], note="only in the WAL"))
        wal = journal.with_name(journal.name + "-wal")
        assert wal.stat().st_size > 0
        backup = store.backup_to(tmp_path / "backup.ties")
        assert store.cipher_key is not None
        salt = store.cipher_key.salt
    tmp = f".{backup.name}.tmp-{os.getpid()}"
    assert [p.name for p in copied] == [tmp, tmp + "-wal"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert backup.read_bytes()[:16] == salt  # the journal's key and salt
    assert _notes(backup) == _notes(journal)
    assert "only in the WAL" in _notes(backup)
    with sqlite3.connect(backup) as plain, pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_a_write_and_checkpoint_by_another_connection_during_the_copy_lose_nothing(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the main file and the WAL being copied, another connection writes and
    tries to checkpoint the WAL away: the backup still holds every entry committed
    before it started ("before", which was only in the WAL), and is whole."""
    other = Store.open(journal, unlock=PASS)
    other.conn.execute("PRAGMA busy_timeout = 0")
    ana = other.people_named("Ana Ruiz")[0]
    real = encrypted_copy._copy_from

    def copy_then_write(src: int, target: Path, **kw: bool) -> None:
        real(src, target, **kw)
        if not target.name.endswith("-wal"):
            other.add_entry(Entry(date=date(2026, 7, 1), person_ids=[ana.id], note="during"))
            # Blocked by the backup's read transaction: the WAL is neither moved into
            # the main file already copied nor emptied before it is copied.
            other.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    monkeypatch.setattr(encrypted_copy, "_copy_from", copy_then_write)
    try:
        with Store.open(journal, unlock=PASS) as store:
            store.conn.execute("PRAGMA wal_autocheckpoint = 0")
            store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[ana.id], note="before"))
            backup = store.backup_to(tmp_path / "backup.ties")
    finally:
        other.close()
    notes, full = _notes(backup), _notes(journal)
    assert "before" in notes and "during" in full
    assert notes in (full, [n for n in full if n != "during"])


def test_a_damaged_page_fails_the_backups_check_and_leaves_no_file(
    journal: Path, tmp_path: Path
) -> None:
    raw = bytearray(journal.read_bytes())
    raw[len(raw) // 2] ^= 0x55  # a page of entries, which opening does not read
    journal.write_bytes(bytes(raw))
    with (
        Store.open(journal, unlock=PASS, check=False) as store,
        pytest.raises(CorruptJournalError),
    ):
        store.backup_to(tmp_path / "backup.ties")
    assert [p.name for p in tmp_path.iterdir() if "backup" in p.name] == []


def test_a_journal_with_sha512_pages_is_copied_in_its_own_format(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.ties"
    with Store.open(path) as store:
        store.add_person(Person(name="Ana Ruiz"))
    conversion.convert(
        path, None, encryption.derive_key(PASS).in_format(encryption.OLD_PAGE_HMAC), "x"
    )
    encryption.forget_all_keys()
    with Store.open(path, unlock=PASS) as store:
        backup = store.backup_to(tmp_path / "backup.ties")
    conn = encryption.require().connect(str(backup))
    conn.execute(f"PRAGMA key = '{PASS}'")  # SQLCipher 4's defaults, as the journal
    assert conn.execute("SELECT name FROM people").fetchall() == [("Ana Ruiz",)]
    conn.close()


def test_without_wal_or_inside_a_transaction_the_backup_api_copies_it(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(journal, unlock=PASS) as store:
        assert encrypted_copy.can_copy(store.conn)
        store.conn.execute("BEGIN")
        assert not encrypted_copy.can_copy(store.conn)
        store.conn.execute("ROLLBACK")
        monkeypatch.setattr(encrypted_copy, "can_copy", lambda _c: False)
        backup = store.backup_to(tmp_path / "backup.ties")
    assert _notes(backup) == _notes(journal)
