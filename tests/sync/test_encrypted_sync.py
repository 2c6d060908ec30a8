"""An encrypted journal's sync files: sealed with a key derived from the journal's key,
read back by a copy of that journal, refused (nothing applied) by any other journal."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ties.app.sync import sync_folder
from ties.model import Entry, Person
from ties.store import Store, conversion, encryption
from ties.sync import files

from .helpers import content

PASS = "correct horse battery"
SECRET = "talked about the zqxjkv merger"
NAME = "Wilhelmina Qwertz"


@pytest.fixture(autouse=True)
def no_cached_keys() -> Iterator[None]:
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)
    yield
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)


def _folder_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def _sync_files(folder: Path) -> list[Path]:
    return [p for p in (folder / files.ROOT).rglob("*") if p.is_file()]


def _new_encrypted(path: Path) -> Path:
    Store.open(path).close()
    conversion.encrypt(path, PASS)
    return path


def _encrypted_pair(tmp: Path) -> tuple[Store, Store, Path]:
    """Two devices holding copies of one encrypted journal (same key), and a folder."""
    folder = tmp / "folder"
    folder.mkdir()
    _new_encrypted(tmp / "a.ties")
    (tmp / "b").mkdir()
    shutil.copy(tmp / "a.ties", tmp / "b" / "b.ties")
    a = Store.open(tmp / "a.ties", unlock=PASS)
    b = Store.open(tmp / "b" / "b.ties", unlock=PASS)
    assert a.encrypted and b.encrypted
    return a, b, folder


def test_encrypted_journals_write_sealed_files_and_read_each_other(tmp_path: Path) -> None:
    a, b, folder = _encrypted_pair(tmp_path)
    ana = a.add_person(Person(name=NAME, notes=SECRET))
    a.add_entry(Entry(date=date(2026, 5, 1), person_ids=[ana.id or 0], note=SECRET))
    sync_folder(a, folder)
    report = sync_folder(b, folder)
    assert report.problems == []
    assert content(a) == content(b)
    got = b.get_person_by_uuid(ana.uuid)
    assert got is not None and got.notes == SECRET
    # and back, with a snapshot
    b.add_person(Person(name="Bruno", notes=SECRET))
    sync_folder(b, folder, compact=True)
    sync_folder(a, folder, compact=True)
    assert content(a) == content(b)
    written = _sync_files(folder)
    assert written and all(p.name.endswith(files.ENCRYPTED) for p in written)
    assert any(files.SNAPSHOT in p.name for p in written)
    raw = _folder_bytes(folder)
    for secret in (SECRET, NAME, "Bruno", "ties-sync", '"note"'):
        assert secret.encode() not in raw


def test_a_new_copy_of_the_encrypted_journal_joins_from_sealed_files(tmp_path: Path) -> None:
    a, b, folder = _encrypted_pair(tmp_path)
    a.add_person(Person(name=NAME, notes=SECRET))
    sync_folder(a, folder)
    sync_folder(b, folder)
    sync_folder(a, folder, compact=True)
    sync_folder(b, folder, compact=True)
    a.close()
    (tmp_path / "c").mkdir()
    shutil.copy(tmp_path / "b" / "b.ties", tmp_path / "c" / "c.ties")
    c = Store.open(tmp_path / "c" / "c.ties", unlock=PASS)
    assert all(p.name.endswith(files.ENCRYPTED) for p in _sync_files(folder))
    report = sync_folder(c, folder)
    assert report.problems == []
    assert content(c) == content(b)


def test_a_plain_journal_writes_plain_files(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    a = Store.open(tmp_path / "a.ties")
    a.add_person(Person(name=NAME))
    sync_folder(a, folder)
    assert any(NAME.encode() in p.read_bytes() for p in _sync_files(folder))
    sync_folder(a, folder, compact=True)
    written = _sync_files(folder)
    assert written and not any(p.name.endswith(files.ENCRYPTED) for p in written)
    assert all(files.read_header(p)["version"] == files.PLAIN_VERSION for p in written)


def test_a_journal_with_another_key_applies_nothing_and_says_why(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    a = Store.open(_new_encrypted(tmp_path / "a.ties"), unlock=PASS)
    # Same passphrase, but encrypted on its own: another salt, so another key.
    other = Store.open(_new_encrypted(tmp_path / "other.ties"), unlock=PASS)
    plain = Store.open(tmp_path / "plain.ties")
    ana = a.add_person(Person(name=NAME, notes=SECRET))
    device = sync_folder(a, folder).device
    for store, words in ((other, "another journal key"), (plain, "this journal is not")):
        before = content(store)
        report = sync_folder(store, folder)
        assert store.get_person_by_uuid(ana.uuid) is None
        assert content(store) == before
        mine = [p for p in report.problems if f"Nothing from device {device}" in p]
        assert len(mine) == 1 and words in mine[0]
    # The encrypted journal is not stopped by them: it still reads what it can.
    report = sync_folder(a, folder)
    assert a.get_person_by_uuid(ana.uuid) is not None


def test_a_sealed_file_cut_short_is_read_later(tmp_path: Path) -> None:
    a, b, folder = _encrypted_pair(tmp_path)
    ana = a.add_person(Person(name=NAME))
    report = sync_folder(a, folder)
    path = files.device_files(folder / files.ROOT / report.device)[-1].path
    assert path.name.endswith(files.ENCRYPTED)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 5])
    got = sync_folder(b, folder)
    assert any("incomplete" in p and path.name in p for p in got.problems)
    assert b.get_person_by_uuid(ana.uuid) is None
    path.write_bytes(whole)
    got = sync_folder(b, folder)
    assert got.problems == []
    assert b.get_person_by_uuid(ana.uuid) is not None


def test_no_plaintext_is_written_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every byte that reaches a sync file's temporary name is already sealed."""
    a, _b, folder = _encrypted_pair(tmp_path)
    a.add_person(Person(name=NAME, notes=SECRET))
    seen: list[bytes] = []
    real_fdopen = files.os.fdopen

    class Spy:
        def __init__(self, fh: object) -> None:
            self.fh = fh

        def write(self, data: bytes) -> int:
            seen.append(bytes(data))
            return self.fh.write(data)  # type: ignore[attr-defined]

        def __getattr__(self, name: str) -> object:
            return getattr(self.fh, name)

    monkeypatch.setattr(files.os, "fdopen", lambda *a, **k: Spy(real_fdopen(*a, **k)))
    sync_folder(a, folder)
    assert seen
    assert not any(SECRET.encode() in chunk or NAME.encode() in chunk for chunk in seen)


def test_a_sealed_sync_file_is_not_taken_for_a_backup(tmp_path: Path) -> None:
    """Key derivation 3 ("a held key") opens only where a held key is expected."""
    import io

    from ties.io import crypto

    out = io.BytesIO()
    sealer = crypto.HeldKeySealer(out, b"k" * 32, b"s" * 16, chunk_size=crypto.MIN_CHUNK)
    sealer.write(b"x" * 5000)
    sealer.close()
    sealed = out.getvalue()
    with pytest.raises(crypto.DecryptionError, match="unknown key-derivation"):
        crypto.decrypt_stream(io.BytesIO(sealed), None, PASS)
    header, header_bytes = crypto.read_held_key_header(io.BytesIO(sealed), "f")
    src = io.BytesIO(sealed[len(header_bytes) :])
    plain = b"".join(crypto.open_held_key(src, header, header_bytes, b"k" * 32, "f"))
    assert plain == b"x" * 5000
    # A chunk dropped from the middle is detected.
    block = crypto.MIN_CHUNK + crypto.TAG_LEN
    cut = sealed[: len(header_bytes) + block] + sealed[len(header_bytes) + 2 * block :]
    src = io.BytesIO(cut[len(header_bytes) :])
    with pytest.raises(crypto.DecryptionError):
        b"".join(crypto.open_held_key(src, header, header_bytes, b"k" * 32, "f"))


def test_a_conflict_copy_of_a_sealed_snapshot_is_read(tmp_path: Path) -> None:
    """Syncthing puts its mark before the last extension: ``….jsonl.gz.sync-conflict-….enc``."""
    a, b, folder = _encrypted_pair(tmp_path)
    ana = a.add_person(Person(name=NAME))
    device = sync_folder(a, folder, compact=True).device
    snapshot = [f for f in files.device_files(folder / files.ROOT / device)][-1].path
    assert snapshot.name.endswith(".jsonl.gz.enc")
    copy = snapshot.with_name(
        snapshot.name.removesuffix(".enc") + ".sync-conflict-20261207-101010-ABCDEFG.enc"
    )
    snapshot.rename(copy)
    report = sync_folder(b, folder)
    assert report.problems == []
    assert b.get_person_by_uuid(ana.uuid) is not None
