"""ties export / import / backup: what a new user ran into (review findings)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ties.cli import main
from ties.io.crypto import ENV_PASSPHRASE
from ties.store import Store


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "j.ties"
    argv = ["demo", "--db", str(path), "--people", "8", "--entries", "40"]
    assert main([*argv, "--today", "2026-06-30"]) == 0
    return path


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_export_onto_the_open_journal_is_refused(
    journal: Path,
    tmp_path: Path,
    fmt: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    before = journal.read_bytes()
    for out in ("j.ties", "./j.ties-wal", str(journal)):
        capsys.readouterr()
        assert main(["--db", "j.ties", "export", "--format", fmt, "-o", out]) == 1
        err = capsys.readouterr().err
        assert err.startswith("ties: error: ") and "journal" in err and "Traceback" not in err
        assert err.count("\n") == 1
    assert journal.read_bytes() == before
    with Store.open(journal, create=False) as s:
        assert s.count_entries() == 40


def test_dry_run_against_a_missing_journal_creates_nothing(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "e.json"
    assert main(["export", "--db", str(journal), "-f", "json", "-o", str(export)]) == 0
    missing = tmp_path / "new" / "m.ties"
    (tmp_path / "new").mkdir()
    capsys.readouterr()
    assert main(["import", "--db", str(missing), str(export), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would import e.json (Ties JSON export): would add 48")
    assert f"there is no journal at {missing} yet" in out and "nothing was written" in out
    assert list((tmp_path / "new").iterdir()) == []
    assert main(["import", "--db", str(missing), str(export), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["journal_exists"] is False and report["added"] == 48
    assert list((tmp_path / "new").iterdir()) == []


def test_unknown_csv_headers_name_them_and_map_takes_them(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Who,Where\nAnn Example,Paris\n")
    before = journal.read_bytes()
    assert main(["import", "--db", str(journal), str(path)]) == 1
    err = capsys.readouterr().err
    assert "'Who', 'Where'" in err and "--map" in err and "File → Import" in err
    assert "choose the columns by hand" not in err
    assert journal.read_bytes() == before
    assert main(["import", "--db", str(journal), str(path), "--map", "nme=Who"]) == 1
    assert "FIELD=COLUMN" in capsys.readouterr().err
    card = tmp_path / "a.vcf"
    card.write_text("BEGIN:VCARD\nFN:A\nEND:VCARD\n")
    assert main(["import", "--db", str(journal), str(card), "--map", "name=Who"]) == 1
    assert "--map is for CSV contacts; a.vcf is a vCard" in capsys.readouterr().err
    argv = ["import", "--db", str(journal), str(path), "--map", "name=Who"]
    assert main([*argv, "--map", "organization=Where"]) == 0
    assert "added 1 (1 person)" in capsys.readouterr().out
    with Store.open(journal, create=False) as s:
        [p] = [p for p in s.list_people() if p.name == "Ann Example"]
        assert p.organization == "Paris"


def test_an_empty_passphrase_variable_is_called_empty(
    journal: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ENV_PASSPHRASE, "")
    target = tmp_path / "b.enc"
    assert main(["backup", "--db", str(journal), str(target), "--encrypt"]) == 1
    err = capsys.readouterr().err
    assert f"${ENV_PASSPHRASE} is set but empty" in err and "or set $" not in err
    assert not target.exists()


def test_import_of_a_folder_or_our_markdown_report_says_what_it_is(
    journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "adir.vcf"
    folder.mkdir()
    assert main(["import", "--db", str(journal), str(folder)]) == 1
    assert "is a folder" in capsys.readouterr().err
    report = tmp_path / "r.csv"
    assert main(["export", "--db", str(journal), "-f", "markdown", "-o", str(report)]) == 0
    capsys.readouterr()
    assert main(["import", "--db", str(journal), str(report)]) == 1
    assert "is a Ties Markdown report; import the JSON or CSV export instead" in (
        capsys.readouterr().err
    )
