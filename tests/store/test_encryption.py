"""An encrypted journal (SQLCipher): round trips, no plaintext on disk, clean refusals."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ties.io.export_json import export_json
from ties.model import Entry, Person
from ties.store import JournalError, Store, conversion, encryption
from ties.store.encryption import (
    EncryptionUnavailableError,
    PassphraseNeededError,
    WrongPassphraseError,
)

PASS = "correct horse battery"
SECRET = "talked about my boss zqxjkv"


@pytest.fixture(autouse=True)
def no_cached_keys() -> Iterator[None]:
    """Every test unlocks for itself: no key kept from another test."""
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)
    yield
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)


def _journal(path: Path) -> Path:
    with Store.open(path) as store:
        ana = store.add_person(Person(name="Ana Ruiz", notes="met at the library"))
        store.add_entry(Entry(date=date(2026, 5, 1), person_ids=[ana.id], note=SECRET))
    return path


def _export(path: Path, out: Path, unlock: str | None = None) -> bytes:
    with Store.open(path, create=False, unlock=unlock) as store:
        export_json(store, out)
    # Byte for byte but the moment of export.
    lines = out.read_bytes().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b'"exported"'))


def test_round_trip_plain_encrypted_plain_keeps_every_byte_of_the_export(tmp_path: Path) -> None:
    db = _journal(tmp_path / "j.ties")
    before = _export(db, tmp_path / "a.json")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    encrypted = _export(db, tmp_path / "b.json", PASS)
    with Store.open(db, unlock=PASS) as store:
        key = encryption.key_of(store.conn)
    assert key is not None
    conversion.decrypt(db, key)
    after = _export(db, tmp_path / "c.json")
    assert before == encrypted == after
    assert db.read_bytes()[:16] == encryption.SQLITE_MAGIC


def test_no_note_text_in_the_journal_its_wal_or_anything_beside_it(tmp_path: Path) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    for old in tmp_path.glob("*.bak"):
        old.unlink()  # the plain journal kept as a backup: the person deletes it
    with Store.open(db, unlock=PASS) as store:
        ana = store.people_named("Ana Ruiz")[0]
        store.add_entry(Entry(date=date(2026, 5, 2), person_ids=[ana.id], note=SECRET + " again"))
        assert store.conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
        wal = db.with_name(db.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the new entry is in the WAL now
        files = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert len(files) >= 3
        for file in files:
            raw = file.read_bytes()
            assert SECRET.encode() not in raw, file
            assert b"Ana Ruiz" not in raw, file
            assert b"library" not in raw, file
        backup = store.backup_to(tmp_path / "backup.ties")
    assert db.read_bytes()[:16] != encryption.SQLITE_MAGIC
    raw = backup.read_bytes()
    assert raw[:16] != encryption.SQLITE_MAGIC and SECRET.encode() not in raw
    with Store.open(backup, create=False, unlock=PASS) as copy:
        assert copy.encrypted and len(copy.people_named("Ana Ruiz")) == 1


def test_the_key_is_sqlciphers_own_so_the_sqlcipher_shell_opens_the_file(tmp_path: Path) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    conn = encryption.require().connect(str(db))
    conn.execute(f"PRAGMA key = '{PASS}'")
    conn.execute("PRAGMA cipher_hmac_algorithm = HMAC_SHA256")
    assert conn.execute("SELECT note FROM entries").fetchone()[0] == SECRET
    # SQLCipher 4's own KDF (no change there), and its own page checks but SHA-256.
    assert conn.execute("PRAGMA cipher_kdf_algorithm").fetchone()[0] == "PBKDF2_HMAC_SHA512"
    assert int(conn.execute("PRAGMA kdf_iter").fetchone()[0]) >= 256_000
    conn.close()


def _old_format_journal(path: Path) -> Path:
    """A journal encrypted as Ties did before HMAC-SHA256 pages: SQLCipher 4's defaults."""
    db = _journal(path)
    key = encryption.derive_key(PASS).in_format(encryption.OLD_PAGE_HMAC)
    conversion.convert(db, None, key, "before-encrypt")
    encryption.forget_all_keys()
    conn = encryption.require().connect(str(db))
    conn.execute(f"PRAGMA key = '{PASS}'")  # no cipher pragma: SQLCipher 4's defaults
    assert conn.execute("SELECT note FROM entries").fetchone()[0] == SECRET
    conn.close()
    return db


def test_new_journals_authenticate_pages_with_sha256_and_sha512_alone_refuses_them(
    tmp_path: Path,
) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    with Store.open(db, unlock=PASS) as store:
        key = store.cipher_key
        assert key is not None and key.page_hmac == encryption.PAGE_HMAC == "HMAC_SHA256"
        assert store.conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == "HMAC_SHA256"
    conn = encryption.require().connect(str(db))
    conn.execute(f"PRAGMA key = '{PASS}'")
    with pytest.raises(encryption.require().DatabaseError, match="not a database"):
        conn.execute("SELECT count(*) FROM entries").fetchone()
    conn.close()


@pytest.mark.parametrize("first_try", encryption.PAGE_HMACS)
def test_a_journal_encrypted_with_sha512_pages_still_opens_works_and_is_remembered_so(
    tmp_path: Path, first_try: str
) -> None:
    db = _old_format_journal(tmp_path / "old.ties")
    salt = db.read_bytes()[:16]
    # A key in either format opens it (the other one is tried: no second KDF).
    key = encryption.derive_key(PASS, salt).in_format(first_try)
    with Store.open(db, unlock=key) as store:
        assert store.cipher_key == key.in_format(encryption.OLD_PAGE_HMAC)
        ana = store.people_named("Ana Ruiz")[0]
        store.add_entry(Entry(date=date(2026, 5, 3), person_ids=[ana.id], note="later"))
        assert store.quick_check()
        backup = store.backup_to(tmp_path / "backup.ties")
    cached = encryption.cached_key(db)
    assert cached is not None and cached.page_hmac == encryption.OLD_PAGE_HMAC
    encryption.forget_all_keys()
    with Store.open(db, unlock=PASS) as store:
        assert store.count_entries() == 2
    for file in (db, backup):  # still SQLCipher 4's defaults, the backup too
        conn = encryption.require().connect(str(file))
        conn.execute(f"PRAGMA key = '{PASS}'")
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 2
        conn.close()


def test_a_new_passphrase_moves_a_journal_to_sha256_pages(tmp_path: Path) -> None:
    db = _old_format_journal(tmp_path / "old.ties")
    with Store.open(db, unlock=PASS) as store:
        old = store.cipher_key
    assert old is not None and old.page_hmac == encryption.OLD_PAGE_HMAC
    conversion.rekey(db, old, "another passphrase")
    encryption.forget_all_keys()
    with Store.open(db, unlock="another passphrase") as store:
        key = store.cipher_key
        assert key is not None and key.page_hmac == encryption.PAGE_HMAC
        assert store.people_named("Ana Ruiz")


def test_wrong_passphrase_on_a_sha512_journal_is_the_same_one_line(tmp_path: Path) -> None:
    db = _old_format_journal(tmp_path / "old.ties")
    before = db.read_bytes()
    for attempt in ("wrong", PASS + " "):
        with pytest.raises(WrongPassphraseError) as caught:
            Store.open(db, unlock=attempt)
        assert str(caught.value) == "wrong passphrase, or not a Ties journal"
    assert db.read_bytes() == before


def _assert_refused_once_tampered(db: Path, where: int) -> None:
    """One byte of ``db`` flipped: refused in one line, never "file is not a database".

    A tampered first page is refused at open; a page further in is met when it is
    read (opening reads the header and schema only): here every page is read.
    """
    raw = bytearray(db.read_bytes())
    raw[where] ^= 0x55
    db.write_bytes(bytes(raw))
    with pytest.raises(JournalError) as caught, Store.open(db, unlock=PASS) as store:
        store.quick_check()
    assert "\n" not in str(caught.value)
    assert "file is not a database" not in str(caught.value)


@pytest.mark.parametrize("where", [0, 20, 5000, -100])
def test_tampered_sha512_journals_are_refused_cleanly(tmp_path: Path, where: int) -> None:
    _assert_refused_once_tampered(_old_format_journal(tmp_path / "old.ties"), where)


def test_wrong_passphrase_is_one_line_and_three_tries_change_nothing(tmp_path: Path) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    before = db.read_bytes()
    for attempt in ("wrong", "Correct horse battery", PASS + " "):
        with pytest.raises(WrongPassphraseError) as caught:
            Store.open(db, unlock=attempt)
        assert str(caught.value) == "wrong passphrase, or not a Ties journal"
    assert db.read_bytes() == before
    with Store.open(db, unlock=PASS) as store:
        assert store.encrypted


def test_an_encrypted_journal_without_a_passphrase_says_so(tmp_path: Path) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    with pytest.raises(PassphraseNeededError, match="is encrypted"):
        Store.open(db)
    asked: list[Path] = []
    encryption.set_default_unlock(lambda p: asked.append(p) or PASS)
    with Store.open(db) as store:
        assert store.encrypted
    assert asked == [db]


@pytest.mark.parametrize("cut", [100, 4096 + 17, 4096 * 2])
def test_truncated_encrypted_journals_are_refused_cleanly(tmp_path: Path, cut: int) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    db.write_bytes(db.read_bytes()[:cut])
    with pytest.raises(JournalError) as caught, Store.open(db, unlock=PASS) as store:
        store.integrity_problems()
        raise AssertionError("a truncated journal opened")
    assert "\n" not in str(caught.value)
    assert "file is not a database" not in str(caught.value)


@pytest.mark.parametrize("where", [0, 20, 5000, -100])
def test_tampered_encrypted_journals_are_refused_cleanly(tmp_path: Path, where: int) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    _assert_refused_once_tampered(db, where)


def test_a_text_file_is_not_taken_for_an_encrypted_journal(tmp_path: Path) -> None:
    junk = tmp_path / "notes.ties"
    junk.write_text("hello, this is not a journal\n")
    with pytest.raises(JournalError, match="not a Ties journal"):
        Store.open(junk, unlock=lambda _p: pytest.fail("asked for a passphrase"))


def test_without_sqlcipher_plain_journals_work_and_encrypted_ones_say_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _journal(tmp_path / "j.ties")
    plain = _journal(tmp_path / "plain.ties")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    monkeypatch.setattr(encryption, "UNAVAILABLE_REASON", "no sqlcipher3 here")
    assert not encryption.available()
    with Store.open(plain) as store:
        assert not store.encrypted
    with pytest.raises(EncryptionUnavailableError, match="no sqlcipher3 here"):
        Store.open(db, unlock=PASS)
    with pytest.raises(EncryptionUnavailableError):
        conversion.encrypt(plain, PASS)


def test_rekey_keeps_the_old_passphrase_on_the_backup(tmp_path: Path) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    with Store.open(db, unlock=PASS) as store:
        key = encryption.key_of(store.conn)
    assert key is not None
    backup = conversion.rekey(db, key, "a new passphrase")
    encryption.forget_all_keys()
    with pytest.raises(WrongPassphraseError):
        Store.open(db, unlock=PASS)
    with Store.open(db, unlock="a new passphrase") as store:
        assert store.people_named("Ana Ruiz")
    with Store.open(backup, create=False, unlock=PASS) as old:
        assert old.people_named("Ana Ruiz")


HOLD_OPEN = """
import sys
from ties.store import Store
store = Store.open(sys.argv[1])
store.conn.execute("SELECT count(*) FROM entries").fetchone()
print("open", flush=True)
sys.stdin.read()
store.close()
"""


def test_converting_a_journal_open_in_another_process_is_refused_and_changes_nothing(
    tmp_path: Path,
) -> None:
    import os
    import subprocess
    import sys

    db = _journal(tmp_path / "j.ties")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "open"
        with pytest.raises(JournalError, match="open in another window"):
            conversion.encrypt(db, PASS)
        assert not list(tmp_path.glob("*.bak"))
        assert not list(tmp_path.glob(".*converting*"))
    finally:
        other.communicate("")
    assert db.read_bytes()[:16] == encryption.SQLITE_MAGIC
    with Store.open(db) as store:
        assert store.conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 1


def test_a_wrong_key_for_decrypt_changes_nothing(tmp_path: Path) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    before = db.read_bytes()
    with pytest.raises(WrongPassphraseError):
        conversion.decrypt(db, encryption.derive_key("wrong", before[:16]))
    assert db.read_bytes() == before
    assert len(list(tmp_path.glob("*.bak"))) == 1  # only the plain one from encrypting


def test_kdf_is_sqlciphers_default_and_the_key_never_prints() -> None:
    key = encryption.derive_key(PASS, b"\x01" * 16)
    assert encryption.KDF_ITERATIONS >= 256_000
    assert len(key.raw) == 32
    assert PASS not in repr(key) and key.raw.hex() not in repr(key)
    with pytest.raises(JournalError):
        encryption.derive_key("")


def test_migrating_an_encrypted_journal_keeps_it_encrypted(tmp_path: Path) -> None:
    import shutil

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "journals" / "v1.ties"
    db = tmp_path / "old.ties"
    shutil.copy(fixture, db)
    # Encrypt the old-format file as it is (no Store.open, which would migrate it first).
    conversion.encrypt(db, PASS)
    for old in tmp_path.glob("*.bak"):
        old.unlink()
    encryption.forget_all_keys()
    with Store.open(db, unlock=PASS) as store:
        assert store.encrypted
    aside = list(tmp_path.glob("*before-v*.bak"))
    assert len(aside) == 1
    assert aside[0].read_bytes()[:16] != encryption.SQLITE_MAGIC


def _encrypted_with_many_pages(path: Path) -> Path:
    """An encrypted journal with pages of entries that opening it does not read."""
    db = _journal(path)
    with Store.open(db) as store:
        ana = store.people_named("Ana Ruiz")[0]
        for _n in range(200):
            store.add_entry(Entry(date=date(2026, 5, 1), person_ids=[ana.id], note="x" * 900))
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    return db


def test_a_tampered_page_met_after_opening_reads_as_damage(tmp_path: Path) -> None:
    from ties.store.connection import translate_error
    from ties.store.errors import CorruptJournalError

    db = _encrypted_with_many_pages(tmp_path / "j.ties")
    raw = bytearray(db.read_bytes())
    raw[len(raw) // 2] ^= 0x55  # a page of entries, which opening does not read
    db.write_bytes(bytes(raw))
    with Store.open(db, unlock=PASS, check=False) as store, pytest.raises(Exception) as caught:
        store.conn.execute("PRAGMA integrity_check").fetchall()
    assert isinstance(translate_error(caught.value), CorruptJournalError)


def test_the_check_of_an_encrypted_journal_reads_on_a_connection_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read-only and closed after: the journal's connection does not keep every page
    the check decrypted (the window's peak was 970 MB for a 675 MB journal)."""
    from ties.store.errors import CorruptJournalError

    db = _encrypted_with_many_pages(tmp_path / "j.ties")
    made: list[object] = []
    real = encryption.connect

    def spy(target, key, **kw):  # type: ignore[no-untyped-def]
        conn = real(target, key, **kw)
        made.append((str(target), conn))
        return conn

    monkeypatch.setattr(encryption, "connect", spy)
    with Store.open(db, unlock=PASS, check=False) as store:
        made.clear()
        assert store.quick_check() is True
        ((target, conn),) = made
        assert target.endswith("?mode=ro")
        with pytest.raises(sqlite3.ProgrammingError):  # closed after the check
            conn.execute("SELECT 1")
        assert store.quick_check(cancelled=lambda: True) is False
    raw = bytearray(db.read_bytes())
    raw[len(raw) // 2] ^= 0x55  # a page of entries, which opening does not read
    db.write_bytes(bytes(raw))
    with Store.open(db, unlock=PASS, check=False) as store:
        with pytest.raises(CorruptJournalError) as caught:
            store.quick_check()
        assert "\n" not in str(caught.value)


def test_errors_of_an_encrypted_connection_are_sqlite3_errors(tmp_path: Path) -> None:
    import sqlite3

    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    store = Store.open(db, unlock=PASS)
    with pytest.raises(sqlite3.OperationalError):
        store.conn.execute("SELECT * FROM no_such_table")
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        store.conn.execute("SELECT 1")
    store.close()  # twice, as a journal swap does: no error


def test_one_open_asks_for_the_passphrase_once(tmp_path: Path) -> None:
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    asked: list[Path] = []
    with pytest.raises(WrongPassphraseError):
        Store.open(db, unlock=lambda p: asked.append(p) or "wrong")
    assert asked == [db]


def test_an_encrypted_connection_keeps_decrypted_pages_for_the_whole_journal(
    tmp_path: Path,
) -> None:
    """The OS caches only ciphertext: the page cache is sized to the journal, within bounds."""
    mib = 1024 * 1024
    assert encryption.cache_kib(0) == encryption.CIPHER_CACHE_MIN_KIB
    assert encryption.cache_kib(620 * mib) == 620 * 1024 * 5 // 4
    assert encryption.cache_kib(50_000 * mib) == encryption.CIPHER_CACHE_MAX_KIB
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    with open(db, "ab") as fh:  # a journal of 400 MB, as far as its size goes
        fh.truncate(400 * mib)
    for readonly in (False, True):
        with Store.open(db, unlock=PASS, readonly=readonly) as store:
            kib = -store.conn.execute("PRAGMA cache_size").fetchone()[0]
            assert kib == 400 * 1024 * 5 // 4


def test_a_backups_connection_keeps_as_many_decrypted_pages_as_the_journals(
    tmp_path: Path,
) -> None:
    """The copy is written in one transaction and then checked: it gets the journal's cache."""
    db = _journal(tmp_path / "j.ties")
    conversion.encrypt(db, PASS)
    encryption.forget_all_keys()
    with open(db, "ab") as fh:
        fh.truncate(300 * 1024 * 1024)
    with Store.open(db, unlock=PASS) as store:
        dest = encryption.connect_like(store.conn, tmp_path / "copy.ties")
        try:
            kib = -dest.execute("PRAGMA cache_size").fetchone()[0]
        finally:
            dest.close()
    assert kib == encryption.cache_kib(300 * 1024 * 1024) > encryption.CIPHER_CACHE_MIN_KIB
