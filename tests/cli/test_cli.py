"""The command line as a user meets it: real subprocesses where exit codes and stderr matter."""

from __future__ import annotations

import argparse
import json
import re
import stat
from pathlib import Path

import pytest
from cli_kit import run

from ties.cli import build_parser, main

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.ties"
    assert (
        main(
            [
                "demo",
                "--db",
                str(path),
                "--people",
                "50",
                "--entries",
                "600",
                "--today",
                "2026-06-30",
            ]
        )
        == 0
    )
    return path


def _subcommands(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix}{name}"
                found[full] = sub
                found.update(_subcommands(sub, full + " "))
    return found


def test_every_command_has_help_and_is_documented() -> None:
    commands = _subcommands(build_parser())
    assert {"log", "entries", "search", "check", "people", "person add", "demo"} <= set(commands)
    docs = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))
    missing_help = [name for name, p in commands.items() if not (p.description or "").strip()]
    undocumented = [name for name in commands if f"ties {name}" not in docs]
    assert missing_help == []
    assert undocumented == []


def test_readme_examples_work_on_the_demo(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(demo_db)]
    assert (
        main(
            [
                "log",
                *db,
                'gave #career_guidance to @"Ana Ruiz" yesterday w2: '
                "reviewed her CV; follow up in 2 weeks",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "log",
                *db,
                "received #confidant #encouragement from @Ben on 2026-01-05 w3: "
                "talked about my boss",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Ana Ruiz" in out and "Ben Okafor" in out and "added new person" not in out
    assert main(["search", *db, "--json", "boss"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert any(h["kind"] == "entry" and "boss" in h["snippet"] for h in hits)
    assert main(["entries", *db, "--person", "Ana Ruiz", "--json", "--limit", "1"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["note"] == "reviewed her CV" and entry["support_types"] == ["career_guidance"]
    assert main(["check", *db]) == 0
    assert capsys.readouterr().out.strip() == "ok"


def test_people_json_and_person_add(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo_db)]
    assert (
        main(
            [
                "person",
                "add",
                *db,
                "Zoë Quist",
                "--circle",
                "school",
                "--closeness",
                "4",
                "--phase",
                "university",
                "--phase",
                "first job",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["people", *db, "--json", "--circle", "school"]) == 0
    people = json.loads(capsys.readouterr().out)
    zoe = next(p for p in people if p["name"] == "Zoë Quist")
    assert zoe["life_phases"] == ["university", "first job"] and zoe["closeness"] == 4


def test_db_before_or_after_the_command(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(demo_db), "people", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) > 10


def test_ties_db_environment_variable(demo_db: Path) -> None:
    result = run("people", env={"TIES_DB": str(demo_db)})
    assert result.returncode == 0 and "Ana Ruiz" in result.stdout


def test_user_mistakes_are_one_line_without_traceback(demo_db: Path, tmp_path: Path) -> None:
    bad_file = tmp_path / "notes.txt"
    bad_file.write_text("not a journal")
    cases = [
        (["log", "--db", str(demo_db), "gave #nope to @Ana"], "Valid types"),
        (["log", "--db", str(demo_db), "gave to"], "at least one person"),
        (["entries", "--db", str(tmp_path / "missing.ties")], "no journal"),
        (["people", "--db", str(bad_file)], "not a Ties journal"),
        (["entries", "--db", str(demo_db), "--since", "someday"], "not a date"),
        (["entries", "--db", str(demo_db), "--person", "Nobody Atall"], "nobody called"),
        (["person", "add", "--db", str(demo_db), "x", "--closeness", "9"], "closeness"),
        (["demo", "--db", str(bad_file)], "not a Ties journal"),
        (["demo", "--db", str(tmp_path / "d.ties"), "--years", "nan"], "--years"),
        (["demo", "--db", str(tmp_path / "d.ties"), "--years", "0"], "--years"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.returncode != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith("ties") and message in last


def test_demo_refuses_a_real_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.ties"
    assert main(["person", "add", "--db", str(path), "My Friend"]) == 0
    assert main(["demo", "--db", str(path)]) == 1
    assert "your own data" in capsys.readouterr().err
    assert main(["people", "--db", str(path), "--json"]) == 0
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["My Friend"]


def test_demo_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outs = []
    for name in ("a.ties", "b.ties"):
        path = str(tmp_path / name)
        assert (
            main(
                [
                    "demo",
                    "--db",
                    path,
                    "--people",
                    "30",
                    "--entries",
                    "300",
                    "--seed",
                    "5",
                    "--today",
                    "2026-01-01",
                ]
            )
            == 0
        )
        capsys.readouterr()
        assert main(["entries", "--db", path, "--all", "--json"]) == 0
        outs.append(capsys.readouterr().out)
    assert outs[0] == outs[1]
    entries = json.loads(outs[0])
    assert len(entries) == 300
    assert {e["direction"] for e in entries} == {"gave", "received", "mutual", "contact"}


def test_demo_journal_is_private_wal_and_checks_ok(demo_db: Path) -> None:
    assert stat.S_IMODE(demo_db.stat().st_mode) == 0o600
    with demo_db.open("rb") as fh:
        header = fh.read(100)
    assert header[18:20] == b"\x02\x02"  # WAL read/write versions in the SQLite header
    assert run("check", "--db", str(demo_db)).stdout.strip() == "ok"


def test_check_reports_problems_with_exit_code(demo_db: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE entries SET types_label = 'bogus' WHERE id = 1")
    conn.commit()
    conn.close()
    result = run("check", "--db", str(demo_db))
    assert result.returncode == 1
    assert re.search(r"1 entries whose support types disagree", result.stdout)


def test_version_flag() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("ties ")
