"""ties backup / restore / export / import, as a user runs them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ties.cli import main
from ties.io import crypto
from ties.io.crypto import ENV_PASSPHRASE
from ties.store import Store


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "DEFAULT_ARGON2", (8 * 1024, 1, 1))
    monkeypatch.setattr(crypto, "MIN_ARGON2", (8 * 1024, 1, 1))


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "j.ties"
    assert (
        main(
            [
                "demo",
                "--db",
                str(path),
                "--people",
                "20",
                "--entries",
                "200",
                "--today",
                "2026-06-30",
            ]
        )
        == 0
    )
    return path


def test_backup_list_and_restore(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.ties"
    assert main(["backup", "--db", str(journal), str(target)]) == 0
    assert "verified" in capsys.readouterr().out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert main(["backup", "--db", str(journal)]) == 0
    capsys.readouterr()
    assert main(["backup", "--db", str(journal), "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [b["kind"] for b in listed] == ["manual"]
    with Store.open(journal) as s:
        s.delete_entry(s.list_entries(limit=1)[0].id or 0)
    assert main(["restore", "--db", str(journal), str(target)]) == 0
    assert "kept in" in capsys.readouterr().out
    with Store.open(journal) as s:
        assert s.count_entries() == 200


def test_encrypted_backup_with_env_passphrase(
    journal: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    enc = tmp_path / "b.enc"
    monkeypatch.setenv(ENV_PASSPHRASE, "s3cret-passphrase")
    assert main(["backup", "--db", str(journal), str(enc), "--encrypt"]) == 0
    assert crypto.is_encrypted(enc)
    monkeypatch.setenv(ENV_PASSPHRASE, "wrong")
    before = journal.read_bytes()
    assert main(["restore", "--db", str(journal), str(enc)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ties: error: ") and "wrong passphrase" in err
    assert journal.read_bytes() == before
    monkeypatch.setenv(ENV_PASSPHRASE, "s3cret-passphrase")
    assert main(["restore", "--db", str(journal), str(enc)]) == 0


def test_passphrase_is_never_an_argument(journal: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != ENV_PASSPHRASE}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ties",
            "backup",
            "--db",
            str(journal),
            str(tmp_path / "x"),
            "--encrypt",
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert proc.returncode == 1
    assert ENV_PASSPHRASE in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x").exists()
    help_text = subprocess.run(
        [sys.executable, "-m", "ties", "backup", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    # --passphrase-file (an encrypted journal's passphrase, read from a file) is not one.
    assert ENV_PASSPHRASE in help_text and "--passphrase" not in help_text.replace(
        "--passphrase-file", ""
    )


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_export_formats(
    journal: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--db", str(journal), "--format", fmt, "-o", str(out)]) == 0
    assert "exported 20 people and 200 entries" in capsys.readouterr().out
    assert out.stat().st_size > 0


def test_export_then_import_dry_run_and_real(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "e.json"
    assert main(["export", "--db", str(journal), "-f", "json", "-o", str(out)]) == 0
    fresh = tmp_path / "fresh.ties"
    capsys.readouterr()
    assert main(["import", "--db", str(fresh), str(out), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("would import e.json (Ties JSON export): would add 220")
    assert "nothing was written" in text
    with Store.open(fresh) as s:
        assert s.count_people() == 0
    assert main(["import", "--db", str(fresh), str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["added"] == 220 and report["backup"]
    with Store.open(fresh) as s:
        assert s.count_entries() == 200


def test_import_bad_file_is_one_line_error(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.vcf"
    bad.write_text("this is not a vcard")
    before = journal.read_bytes()
    assert main(["import", "--db", str(journal), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "BEGIN:VCARD" in err
    assert journal.read_bytes() == before


def test_import_strict(journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.vcf"
    path.write_text("BEGIN:VCARD\nFN:Ok Person\nEND:VCARD\nBEGIN:VCARD\nN:;;;;\nEND:VCARD\n")
    assert main(["import", "--db", str(journal), str(path), "--strict"]) == 1
    assert "strict" in capsys.readouterr().err
    assert main(["import", "--db", str(journal), str(path)]) == 0
    out = capsys.readouterr().out
    assert "unreadable: card 2 (line 4): no name" in out


def test_export_ics_from_the_command_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`ties export --format ics`: a calendar read back by icalendar, the same file twice."""
    from icalendar import Calendar

    from ties.cli import main

    db = tmp_path / "j.ties"
    assert main(["--db", str(db), "log", "call with @Ana yesterday; follow up in 2 weeks"]) == 0
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert main(["--db", str(db), "export", "--format", "ics", "-o", str(first)]) == 0
    assert "exported 1 calendar items to" in capsys.readouterr().out
    assert main(["--db", str(db), "export", "-f", "ics", "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    events = list(Calendar.from_ical(first.read_bytes()).walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Follow up with Ana"]


def test_quick_is_told_apart_from_other_commands() -> None:
    from ties.app.options import wants_window
    from ties.cli import _quick_db

    assert _quick_db(["quick"]) == ""
    assert _quick_db(["--db", "x.ties", "quick"]) == "x.ties"
    assert _quick_db(["quick", "--db=y.ties"]) == "y.ties"
    assert _quick_db(["quick", "extra"]) is None
    assert _quick_db(["log", "quick"]) is None
    assert wants_window(["--tray"]) and wants_window(["--db", "x", "--tray"])
