"""``ties sync FOLDER`` and ``ties inbox``: the documented summary, JSON and errors."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from ties.cli import main


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    f = tmp_path / "Sync"
    f.mkdir()
    return f


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:  # type: ignore[type-arg]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_sync_two_journals_and_report_json(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = str(tmp_path / "a.ties"), str(tmp_path / "b.ties")
    assert main(["--db", a, "log", "call with @Ana: hello"]) == 0
    capsys.readouterr()
    first = _json(capsys, ["--db", a, "sync", str(folder), "--json"])
    assert first["sent"] > 0 and first["file_written"].startswith(first["device"])
    assert first["problems"] == [] and first["inbox"] is None
    joined = _json(capsys, ["--db", b, "sync", str(folder), "--json"])  # created by sync
    assert joined["applied"] >= 2
    assert [d["this_device"] for d in joined["devices"]].count(False) == 1
    assert main(["--db", b, "entries", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["note"] for e in entries] == ["hello"]
    assert main(["--db", b, "sync", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Synced with 1 other device:")


def test_sync_refuses_a_missing_folder_and_one_holding_the_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "j.ties")
    assert main(["--db", db, "sync", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["--db", db, "log", "call with @Ana"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "sync", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ties: error: The journal") and "inside the sync folder" in err


def test_inbox_lists_then_saves(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "j.ties")
    assert main(["--db", db, "log", "call with @Ana"]) == 0
    inbox = folder / "inbox.txt"
    inbox.write_text("met with @Ana: lunch\nnot a line\n", encoding="utf-8")
    old = time.time() - 3600
    os.utime(inbox, (old, old))
    capsys.readouterr()
    listed = _json(capsys, ["--db", db, "inbox", str(folder), "--json"])
    assert [ln["line"] for ln in listed["pending"]] == [1, 2]
    assert listed["pending"][0]["preview"] and listed["pending"][1]["error"]
    saved = _json(capsys, ["--db", db, "sync", str(folder), "--inbox", "--json"])
    assert [ln["line"] for ln in saved["inbox"]["saved"]] == [1]
    assert inbox.read_text(encoding="utf-8") == "[x] met with @Ana: lunch\nnot a line\n"
    assert main(["--db", db, "inbox", str(folder)]) == 0
    assert "error  line 2" in capsys.readouterr().out
