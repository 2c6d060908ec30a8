"""ties backup --verify / --list, ties check --full, ties restore --other-journal (issue #20)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ties.cli import main
from ties.io import crypto
from ties.io.crypto import ENV_PASSPHRASE
from ties.model import Person
from ties.store import Store


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "DEFAULT_ARGON2", (8 * 1024, 1, 1))
    monkeypatch.setattr(crypto, "MIN_ARGON2", (8 * 1024, 1, 1))


def _journal(path: Path, name: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(path) as store:
        store.add_person(Person(name=name))
    return path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> object:
    assert main(argv) == code
    return json.loads(capsys.readouterr().out)


def test_backup_verify_full_and_the_list_show_the_full_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = _journal(tmp_path / "j.ties", "Ann")
    quick = _json(capsys, ["backup", "--db", str(journal), "--json"])
    assert "full_check" not in quick  # type: ignore[operator]
    full = _json(capsys, ["backup", "--db", str(journal), "--verify", "full", "--json"])
    assert full["full_check"]["ok"] is True  # type: ignore[index]
    listed = _json(capsys, ["backup", "--db", str(journal), "--list", "--json"])
    checks = {b["path"]: b["full_check"] for b in listed}  # type: ignore[attr-defined]
    assert checks[quick["path"]] is None  # type: ignore[index]
    assert checks[full["path"]]["ok"] is True  # type: ignore[index]
    assert main(["backup", "--db", str(journal), "--list"]) == 0
    out = capsys.readouterr().out
    assert "[not fully checked]" in out and "[fully checked " in out


def test_an_encrypted_backup_is_fully_checked_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = _journal(tmp_path / "j.ties", "Ann")
    monkeypatch.setenv(ENV_PASSPHRASE, "a long passphrase")
    target = tmp_path / "b.ties.enc"
    out = _json(
        capsys,
        ["backup", "--db", str(journal), str(target), "--encrypt", "--verify", "full", "--json"],
    )
    assert out["encrypted"] is True and out["full_check"]["ok"] is True  # type: ignore[index]


def test_check_full_checks_the_newest_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = _journal(tmp_path / "j.ties", "Ann")
    none = _json(capsys, ["check", "--db", str(journal), "--full", "--json"])
    assert none == {"ok": True, "problems": [], "backup": None}
    assert main(["backup", "--db", str(journal)]) == 0
    capsys.readouterr()
    out = _json(capsys, ["check", "--db", str(journal), "--full", "--json"])
    assert out["ok"] is True and out["backup"]["ok"] is True  # type: ignore[index]
    plain = _json(capsys, ["check", "--db", str(journal), "--json"])
    assert "backup" not in plain  # type: ignore[operator]


def test_restore_of_another_journals_backup_needs_other_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = _journal(tmp_path / "work" / "journal.ties", "Colleague")
    personal = _journal(tmp_path / "personal" / "journal.ties", "Sister")
    assert main(["backup", "--db", str(personal)]) == 0
    theirs = tmp_path / "work-backup.ties"
    assert main(["backup", "--db", str(work), str(theirs)]) == 0
    capsys.readouterr()
    before = personal.read_bytes()
    assert main(["restore", "--db", str(personal), str(theirs)]) == 1
    err = capsys.readouterr().err
    assert "another journal" in err and "--other-journal" in err
    assert personal.read_bytes() == before
    assert main(["restore", "--db", str(personal), str(theirs), "--other-journal"]) == 0
    with Store.open(personal) as store:
        assert [p.name for p in store.list_people()] == ["Colleague"]
