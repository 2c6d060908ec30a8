"""``ties today``: the list as text and as JSON, with dismissals left out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ties.cli import main
from ties.model import Entry, Person
from ties.store import Store


@pytest.fixture
def journal(db_path: Path) -> Path:
    with Store.open(db_path) as s:
        ana = s.add_person(Person(name="Ana Ruiz", closeness=5)).id
        assert ana
        for day in ("2026-06-01", "2026-06-02"):
            s.add_entry(
                Entry(
                    date=date.fromisoformat(day),
                    person_ids=[ana],
                    direction="received",
                    note=f"help on {day}",
                )
            )
    return db_path


def test_json_lists_items_and_honours_dismissals(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["today", "--db", str(journal), "--as-of", "2026-06-10", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2026-06-10" and data["window_days"] == 365
    thanks = [i for i in data["items"] if i["group"] == "unthanked"]
    assert len(thanks) == 2
    assert set(thanks[0]) == {
        "key",
        "group",
        "title",
        "detail",
        "person_ids",
        "entry_id",
        "actions",
        "words",
        "due",
        "people",
        "entry_uuid",
    }
    assert thanks[0]["actions"] == ["mark_thanked"]
    with Store.open(journal) as s:
        entry = s.get_entry(thanks[0]["entry_id"])
        assert thanks[0]["entry_uuid"] == entry.uuid
        assert [p["uuid"] for p in thanks[0]["people"]] == [
            s.get_person(pid).uuid for pid in thanks[0]["person_ids"]
        ]
        s.dismiss(thanks[0]["key"])
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert [i["key"] for i in again["items"] if i["group"] == "unthanked"] == [thanks[1]["key"]]


def test_text_groups_and_limit(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["today", "--db", str(journal), "--as-of", "2026-06-20", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "Thanks to say (2)" in out and "… and 1 more" in out
    assert "Ties gone quiet (1)" in out and "Ana Ruiz" in out


def test_nothing_to_do(store: Store, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["today", "--db", str(db_path)]) == 0
    assert "Nothing to do" in capsys.readouterr().out


def test_bad_date(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["today", "--db", str(journal), "--as-of", "tomorrowish"])
    assert "is not a date" in capsys.readouterr().err
