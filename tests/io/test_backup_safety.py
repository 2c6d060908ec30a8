"""Issue #20, backups: KDF bounds, passphrases, plaintext, rotation, identity, modes, checks."""

from __future__ import annotations

import io
import os
import stat
import struct
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ties.io import backup, backup_checks, crypto
from ties.io.recovery import newest_good_backup
from ties.model import Person
from ties.paths import backup_dir, private_dir
from ties.store import JournalError, Store
from ties.store.connection import SQLITE_MAGIC

PASS = "long enough passphrase"


def _encrypt(data: bytes, **kw: object) -> bytes:
    out = io.BytesIO()
    crypto.encrypt_stream(io.BytesIO(data), out, PASS, **kw)  # type: ignore[arg-type]
    return out.getvalue()


# ------------------------------------------------------------- 5: KDF bounds


@pytest.mark.parametrize(
    ("kdf", "offset", "value"),
    [
        (crypto.KDF_ARGON2ID, 11, 1 << 20),  # 1 GiB of memory
        (crypto.KDF_ARGON2ID, 11, 4 << 20),  # 4 GiB, as the crafted file asked
        (crypto.KDF_ARGON2ID, 15, 64),  # 64 iterations
        (crypto.KDF_SCRYPT, 11, 22),  # scrypt n = 2**22
        (crypto.KDF_SCRYPT, 15, 32),  # r = 32
    ],
)
def test_a_costly_header_is_refused_before_anything_is_derived(
    kdf: int, offset: int, value: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    blob = bytearray(_encrypt(b"x", kdf=kdf))
    struct.pack_into(">I", blob, offset, value)

    def never(self: crypto.Header, passphrase: str) -> bytes:
        raise AssertionError("a key was derived from an out-of-bounds header")

    monkeypatch.setattr(crypto.Header, "derive_key", never)
    with pytest.raises(crypto.DecryptionError, match="absurd"):
        crypto.decrypt_stream(io.BytesIO(bytes(blob)), io.BytesIO(), PASS)


def test_what_ties_writes_is_within_the_bounds() -> None:
    for low, default, high in (
        (crypto.MIN_ARGON2, crypto.DEFAULT_ARGON2, crypto.MAX_ARGON2),
        (crypto.MIN_SCRYPT, crypto.DEFAULT_SCRYPT, crypto.MAX_SCRYPT),
    ):
        assert all(lo <= d <= hi for lo, d, hi in zip(low, default, high, strict=True))


# --------------------------------------------- 9: passphrases, names, core dumps


@pytest.mark.parametrize("short", ["", "a", "1234567"])
def test_a_short_passphrase_is_refused_for_a_new_file(short: str, tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="passphrase"):
        crypto.encrypt_stream(io.BytesIO(b"x"), io.BytesIO(), short)


def test_a_short_passphrase_writes_no_backup(store: Store, tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="too short"):
        backup.backup(store, tmp_path / "b.ties.enc", passphrase="short")
    assert list(tmp_path.glob("b.ties*")) == []


@pytest.mark.parametrize("name", ["b.ties.enc", "B.ENC", "notes.enc"])
def test_a_plain_backup_is_never_named_enc(store: Store, tmp_path: Path, name: str) -> None:
    with pytest.raises(JournalError, match="encrypted"):
        backup.backup(store, tmp_path / name)
    assert not (tmp_path / name).exists()


def test_the_process_holding_a_key_makes_no_core_dumps(tmp_path: Path) -> None:
    code = (
        "import io, resource\n"
        "from ties.io import crypto\n"
        "hard = resource.getrlimit(resource.RLIMIT_CORE)[1]\n"
        "if hard != 0:\n"
        "    resource.setrlimit(resource.RLIMIT_CORE, (1 << 20 if hard < 0 else hard, hard))\n"
        "assert hard == 0 or resource.getrlimit(resource.RLIMIT_CORE)[0] != 0\n"
        "crypto.DEFAULT_ARGON2 = crypto.MIN_ARGON2 = (8 * 1024, 1, 1)\n"
        f"crypto.encrypt_stream(io.BytesIO(b'x'), io.BytesIO(), {PASS!r})\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE)[0])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(backup.__file__).parents[2])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "0"


# --------------------------------------------------- 8: no plaintext on disk


def test_an_encrypted_backup_never_writes_the_journal_in_plain(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.add_person(Person(name="Secret Name"))
    seen: list[Path] = []
    real = crypto.encrypt_stream

    def spy(src, dst, passphrase, **kw):  # type: ignore[no-untyped-def]
        for folder in (tmp_path, backup_dir()):
            for path in folder.rglob("*"):
                if path.is_file() and path != store.path and not path.name.startswith("journal"):
                    with open(path, "rb") as fh:
                        if fh.read(16) == SQLITE_MAGIC:
                            seen.append(path)
        return real(src, dst, passphrase, **kw)

    monkeypatch.setattr(crypto, "encrypt_stream", spy)
    out = tmp_path / "out"
    out.mkdir()
    target = backup.backup(store, out / "b.ties.enc", passphrase=PASS)
    assert seen == []
    assert b"Secret Name" not in target.read_bytes()
    restored = tmp_path / "restored.ties"
    backup.restore(target, restored, passphrase=PASS)
    with Store.open(restored) as again:
        assert [p.name for p in again.list_people()] == ["Secret Name"]


def test_leftovers_of_killed_processes_are_removed_at_the_next_open(tmp_path: Path) -> None:
    journal = tmp_path / "journal.ties"
    Store.open(journal).close()
    dead = _dead_pid()
    folder = backup_dir()
    doomed = [
        tmp_path / f".journal.ties.restore-{dead}-123",
        tmp_path / f".journal.ties.restore-{dead}-123-wal",
        tmp_path / f".journal.before-v9-20260101-000000.ties.bak.tmp-{dead}",
        tmp_path / f".journal.ties.before-v9-x.restore-{dead}-5.bak",
        folder / f".plain-{dead}-77.ties",
        folder / f".restore-{dead}-78.ties",
        folder / f".journal-abc-auto-20260101-000000.ties.tmp-{dead}",
    ]
    kept = [
        tmp_path / f".journal.ties.restore-{os.getpid()}-1",  # a live process's
        tmp_path / f".other.ties.restore-{dead}-1",  # another journal's
        tmp_path / "journal.before-v9-20260101-000000.ties.bak",  # set aside on purpose
        tmp_path / "notes.txt",
    ]
    for path in doomed + kept:
        path.write_bytes(b"x")
    Store.open(journal).close()
    assert [p for p in doomed if p.exists()] == []
    assert all(p.exists() for p in kept)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# ----------------------------------------------------------- 4: rotation


def test_a_rotation_of_zero_keeps_at_least_one_per_tier(store: Store) -> None:
    store.set_setting(backup.ROTATION_SETTING, {"daily": 0, "weekly": 0, "monthly": 0})
    assert backup.rotation_settings(store) == {"daily": 1, "weekly": 1, "monthly": 1}
    t0 = datetime(2026, 5, 1, 18)
    for d in range(6):
        backup.auto_backup(store, now=t0 + timedelta(days=d))
    autos = [b for b in backup.journal_backups(store.path) if b.kind == "auto"]
    assert autos and autos[0].taken.day == 6


def test_rotation_never_deletes_the_newest_backup(store: Store) -> None:
    """Even with the rule's own counts, the file just written is never the one deleted."""
    t0 = datetime(2026, 5, 10, 18)
    backup.auto_backup(store, now=t0)
    older = backup.auto_backup(store, now=t0 - timedelta(days=400), force=True)
    assert older is not None
    backup.rotate(store)
    names = [b.taken for b in backup.journal_backups(store.path)]
    assert t0 in names


# ------------------------------------------------- 2: the journal's identity


def _two_journals(tmp_path: Path) -> tuple[Store, Store]:
    (tmp_path / "work").mkdir()
    (tmp_path / "personal").mkdir()
    work = Store.open(tmp_path / "work" / "journal.ties")
    personal = Store.open(tmp_path / "personal" / "journal.ties")
    work.add_person(Person(name="Colleague"))
    personal.add_person(Person(name="Sister"))
    return work, personal


def test_journals_of_the_same_name_never_share_backups(tmp_path: Path) -> None:
    work, personal = _two_journals(tmp_path)
    try:
        t0 = datetime(2026, 5, 1, 18)
        for d in range(3):
            backup.auto_backup(personal, now=t0 + timedelta(days=d))
        for d in range(14):
            backup.auto_backup(work, now=t0 + timedelta(days=20 + d))
        mine = backup.journal_backups(personal.path)
        assert len(mine) == 3  # 14 backups of the work journal rotated none of them away
        assert {b.path for b in mine}.isdisjoint(b.path for b in backup.journal_backups(work.path))
        good = newest_good_backup(personal.path)
        assert good is not None and good in {b.path for b in mine}
        assert backup.journal_id(work) != backup.journal_id(personal)
    finally:
        work.close()
        personal.close()


def test_restoring_another_journals_backup_is_refused_unless_asked(tmp_path: Path) -> None:
    work, personal = _two_journals(tmp_path)
    theirs = backup.backup(work, kind="manual")
    backup.backup(personal)  # gives the personal journal its identity
    work.close()
    personal.close()
    before = (tmp_path / "personal" / "journal.ties").read_bytes()
    with pytest.raises(backup.OtherJournalError, match="another journal"):
        backup.restore(theirs, tmp_path / "personal" / "journal.ties")
    assert (tmp_path / "personal" / "journal.ties").read_bytes() == before
    backup.restore(theirs, tmp_path / "personal" / "journal.ties", other_journal=True)
    with Store.open(tmp_path / "personal" / "journal.ties") as now:
        assert [p.name for p in now.list_people()] == ["Colleague"]


def test_newest_good_backup_skips_a_backup_of_another_journal_with_this_path(
    tmp_path: Path,
) -> None:
    """A journal deleted and made anew at the same path has another identity."""
    journal = tmp_path / "journal.ties"
    with Store.open(journal) as old:
        backup.backup(old)
    for extra in ("", "-wal", "-shm"):
        Path(f"{journal}{extra}").unlink(missing_ok=True)
    with Store.open(journal) as new:
        backup.journal_id(new)
    assert newest_good_backup(journal) is None


# ------------------------------------------------------------------- 7: modes


@pytest.mark.parametrize("mode", [0o2775, 0o755, 0o555])
def test_folders_ties_did_not_create_keep_their_mode(tmp_path: Path, mode: int) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    try:
        private_dir(shared)
        assert stat.S_IMODE(shared.stat().st_mode) == mode
    finally:
        shared.chmod(0o700)


# ------------------------------------------------- verification of backups


def test_a_backup_damaged_quietly_fails_its_full_check_and_is_never_newest_good(
    tmp_path: Path,
) -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "reliability"))
    from reliability_kit import damage_quietly

    journal = tmp_path / "journal.ties"
    with Store.open(journal) as store:
        store.add_person(Person(name="Zed Quiet"))
        good = backup.backup(store, kind="auto", now=datetime(2026, 5, 1))
        bad = backup.backup(store, kind="auto", now=datetime(2026, 5, 2))
    damage_quietly(bad, "Zed Quiet")
    assert backup_checks.status(bad) is None
    found = backup_checks.full_check(bad)
    assert not found.ok and "damaged" in found.problem
    assert backup_checks.status(bad) == found
    assert backup_checks.describe(found).startswith("FAILED")
    assert newest_good_backup(journal) == good
    assert backup_checks.full_check(good).ok


def test_a_check_record_no_longer_counts_once_the_file_changed(store: Store) -> None:
    path = backup.backup(store)
    backup_checks.full_check(path)
    assert backup_checks.status(path) is not None
    with open(path, "ab") as fh:
        fh.write(b"\0" * 512)
    assert backup_checks.status(path) is None


def test_the_idle_check_is_due_at_most_weekly(store: Store) -> None:
    t0 = datetime(2026, 5, 1, 18)
    first = backup.auto_backup(store, now=t0)
    assert first is not None
    assert backup_checks.background_due([first]) == first
    backup_checks.full_check(first)
    second = backup.auto_backup(store, now=t0 + timedelta(days=1))
    assert second is not None
    paths = [b.path for b in backup.journal_backups(store.path)]
    assert backup_checks.background_due(paths) is None  # one was checked this week
    later = datetime.now() + backup_checks.BACKGROUND_EVERY + timedelta(hours=1)
    assert backup_checks.background_due(paths, now=later) == second


def test_an_encrypted_backup_is_fully_checked_in_memory(store: Store, tmp_path: Path) -> None:
    path = backup.backup(store, tmp_path / "b.ties.enc", passphrase=PASS)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert backup_checks.full_check_encrypted(path, PASS).ok
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".checked")) == before


# ------------------------------------------- 4: settings from an imported file


def test_an_imported_rotation_of_zero_is_shown_and_not_applied(
    store: Store, tmp_path: Path
) -> None:
    import json

    from ties.io.export_json import export_json
    from ties.io.importers import import_file

    with Store.open(tmp_path / "other.ties") as other:
        other.add_person(Person(name="From The File"))
        other.set_setting("harmless", 3)
        source = tmp_path / "crafted.json"
        export_json(other, source)
    doc = json.loads(source.read_text())
    doc["settings"][backup.ROTATION_SETTING] = {"daily": 0, "weekly": 0, "monthly": 0}
    source.write_text(json.dumps(doc))
    report = import_file(store, source)
    assert store.get_setting(backup.ROTATION_SETTING, None) is None  # not set
    assert store.get_setting("harmless") == 3
    shown = " | ".join(report.settings)
    assert f"not applied: {backup.ROTATION_SETTING}" in shown and "applied: harmless" in shown
    assert report.as_dict()["settings"] == report.settings


def test_an_encrypted_backup_holds_a_rollback_journal_file(store: Store, tmp_path: Path) -> None:
    """Like a plain backup, not a WAL file (which would need its -wal beside it)."""
    store.add_person(Person(name="Ann"))
    enc = backup.backup(store, tmp_path / "b.ties.enc", passphrase=PASS)
    plain = crypto.decrypt_file(enc, tmp_path / "plain.ties", PASS)
    data = plain.read_bytes()
    assert data.startswith(SQLITE_MAGIC) and data[18:20] == b"\x01\x01"
    assert backup.check_backup(plain).people == 1
