"""``ties encrypt`` / ``decrypt`` / ``passphrase`` and passphrases on every command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ties.cli import main
from ties.store import Store, encryption

PASS = "a long passphrase"


@pytest.fixture(autouse=True)
def fresh_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("TIES_PASSPHRASE", raising=False)
    monkeypatch.delenv("TIES_NEW_PASSPHRASE", raising=False)
    encryption.forget_all_keys()
    yield
    encryption.forget_all_keys()
    encryption.set_default_unlock(None)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    db = tmp_path / "j.ties"
    assert main(["--db", str(db), "person", "add", "Ana Ruiz"]) == 0
    return db


def _encrypt(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIES_PASSPHRASE", PASS)
    assert main(["--db", str(db), "encrypt"]) == 0
    monkeypatch.delenv("TIES_PASSPHRASE")
    encryption.forget_all_keys()


def test_encrypt_then_every_command_reads_the_passphrase_from_the_environment(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TIES_PASSPHRASE", PASS)
    assert main(["--db", str(journal), "encrypt", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["encrypted"] is True and out["journal"] == str(journal)
    assert Path(out["backup"]).read_bytes()[:16] == encryption.SQLITE_MAGIC  # the plain one kept
    assert journal.read_bytes()[:16] != encryption.SQLITE_MAGIC
    encryption.forget_all_keys()
    assert main(["--db", str(journal), "people"]) == 0
    assert "Ana Ruiz" in capsys.readouterr().out


def test_passphrase_file_and_a_wrong_passphrase_is_one_line(
    journal: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _encrypt(journal, monkeypatch)
    good = tmp_path / "pass.txt"
    good.write_text(PASS + "\n")
    bad = tmp_path / "bad.txt"
    bad.write_text("not it\n")
    capsys.readouterr()
    assert main(["--db", str(journal), "people", "--passphrase-file", str(good)]) == 0
    assert "Ana Ruiz" in capsys.readouterr().out
    encryption.forget_all_keys()
    assert main(["--db", str(journal), "people", "--passphrase-file", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == "ties: error: wrong passphrase, or not a Ties journal\n"


def test_without_a_terminal_or_passphrase_it_says_where_to_give_one(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _encrypt(journal, monkeypatch)
    capsys.readouterr()
    assert main(["--db", str(journal), "people"]) == 1
    err = capsys.readouterr().err
    assert "--passphrase-file" in err and "TIES_PASSPHRASE" in err and err.count("\n") == 1


def test_the_prompt_does_not_echo(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import getpass
    import sys

    _encrypt(journal, monkeypatch)
    asked: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or PASS)
    assert main(["--db", str(journal), "people"]) == 0
    assert asked == [f"Passphrase for {journal}: "]


def test_no_option_takes_a_passphrase_on_the_command_line(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("encrypt", "decrypt", "passphrase", "people"):
        for option in ("--passphrase", "--new-passphrase", "--passphrase=x"):
            with pytest.raises(SystemExit):
                main(["--db", str(journal), command, option, PASS])
            out, err = capsys.readouterr()
            assert "not taken on the command line" in err
            assert PASS not in out + err
    assert journal.read_bytes()[:16] == encryption.SQLITE_MAGIC


def test_passphrase_changes_it_and_decrypt_removes_it(
    journal: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _encrypt(journal, monkeypatch)
    monkeypatch.setenv("TIES_PASSPHRASE", PASS)
    monkeypatch.setenv("TIES_NEW_PASSPHRASE", "short")
    assert main(["--db", str(journal), "passphrase"]) == 1
    assert "shorter than 8" in capsys.readouterr().err
    new = tmp_path / "new.txt"
    new.write_text("the new passphrase\n")
    assert main(["--db", str(journal), "passphrase", "--new-passphrase-file", str(new)]) == 0
    encryption.forget_all_keys()
    assert main(["--db", str(journal), "people"]) == 1
    assert capsys.readouterr().err == "ties: error: wrong passphrase, or not a Ties journal\n"
    monkeypatch.setenv("TIES_PASSPHRASE", "the new passphrase")
    assert main(["--db", str(journal), "encrypt"]) == 1
    assert "encrypted already" in capsys.readouterr().err
    assert main(["--db", str(journal), "decrypt"]) == 0
    assert journal.read_bytes()[:16] == encryption.SQLITE_MAGIC
    monkeypatch.delenv("TIES_PASSPHRASE")
    encryption.forget_all_keys()
    assert main(["--db", str(journal), "decrypt"]) == 1
    assert "is not encrypted" in capsys.readouterr().err
    with Store.open(journal) as store:
        assert store.people_named("Ana Ruiz")


def test_restore_asks_the_backups_passphrase_when_it_differs_and_recover_finds_it(
    journal: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _encrypt(journal, monkeypatch)
    capsys.readouterr()
    pf = tmp_path / "pass"
    pf.write_text(PASS + "\n")
    assert main(["--db", str(journal), "--passphrase-file", str(pf), "backup", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    made = Path(out["path"])
    assert out["encrypted"] is True  # with the journal's key
    assert main(["--db", str(journal), "--passphrase-file", str(pf), "backup", "--list"]) == 0
    assert "FAILED" not in capsys.readouterr().out
    new = tmp_path / "new"
    new.write_text("another passphrase\n")
    args = ["--db", str(journal), "--passphrase-file", str(pf)]
    assert main([*args, "passphrase", "--new-passphrase-file", str(new)]) == 0
    capsys.readouterr()
    encryption.forget_all_keys()
    args = ["--db", str(journal), "--passphrase-file", str(new)]
    monkeypatch.setenv("TIES_BACKUP_PASSPHRASE", "not the backup's")
    assert main([*args, "restore", str(made)]) == 1
    assert "wrong passphrase for" in capsys.readouterr().err
    monkeypatch.setenv("TIES_BACKUP_PASSPHRASE", PASS)
    assert main([*args, "restore", str(made)]) == 0
    assert "backup's passphrase" in capsys.readouterr().out
    encryption.forget_all_keys()
    # Damaged: 'ties recover' checks the encrypted backups with the passphrase.
    raw = bytearray(journal.read_bytes())
    raw[-2000] ^= 0x55
    journal.write_bytes(bytes(raw))
    args = ["--db", str(journal), "--passphrase-file", str(pf)]
    assert main([*args, "recover", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["backup"] == str(made)
