"""``ties person add/edit/show/link/unlink/merge``, ``ties people --tag``, ``ties tags`` (#15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_kit import run

from ties.cli import main
from ties.model import Entry, Person
from ties.store import Store


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    path = tmp_path / "j.ties"
    with Store.open(path) as store:
        ana = store.add_person(Person("Ana Ruiz"))
        ben = store.add_person(Person("Ben Okafor"))
        assert ana.id and ben.id
        from datetime import date

        store.add_entry(Entry(date(2026, 1, 2), [ben.id], note="coffee"))
    return ["--db", str(path)]


def _show(db: list[str], name: str, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["person", "show", *db, name, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_person_add_takes_details_and_show_json_has_every_key(
    db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["person", "add", *db, "Cleo Park", "--email", "work:cleo@work.example"]
    argv += ["--email", "cleo@home.example", "--phone", "mobile:+44 7700 900123"]
    argv += ["--birthday", "--02-29", "--tag", "climbing", "--tag", "book club"]
    assert main(argv) == 0
    capsys.readouterr()
    rec = _show(db, "Cleo Park", capsys)
    assert rec["emails"] == [
        {"label": "work", "value": "cleo@work.example"},
        {"label": "other", "value": "cleo@home.example"},
    ]
    assert rec["phones"] == [{"label": "mobile", "value": "+44 7700 900123"}]
    assert rec["urls"] == [] and rec["addresses"] == [] and rec["dates"] == []
    assert rec["birthday"] == "--02-29" and rec["tags"] == ["climbing", "book club"]
    assert rec["links"] == [] and rec["has_photo"] is False


def test_person_edit_adds_removes_and_clears(
    db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["person", "edit", *db, "Ana Ruiz"]
    assert main([*base, "--email", "a@x.example", "--tag", "x", "--birthday", "1990-05-01"]) == 0
    assert main([*base, "--email", "b@x.example", "--email", "A@X.example", "--tag", "y"]) == 0
    capsys.readouterr()
    rec = _show(db, "Ana", capsys)
    assert [e["value"] for e in rec["emails"]] == ["a@x.example", "b@x.example"]
    assert rec["tags"] == ["x", "y"] and rec["birthday"] == "1990-05-01"
    assert main([*base, "--remove-email", "A@x.example", "--remove-tag", "X"]) == 0
    assert main([*base, "--birthday", "none"]) == 0
    capsys.readouterr()
    rec = _show(db, "Ana", capsys)
    assert [e["value"] for e in rec["emails"]] == ["b@x.example"]
    assert rec["tags"] == ["y"] and rec["birthday"] is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["person", "add", "X", "--birthday", "2026-02-30"], "not a day of the calendar"),
        (["person", "add", "X", "--birthday", "--13-01"], "not a day of the calendar"),
        (["person", "add", "X", "--email", "nope"], "not an e-mail address"),
        (["person", "add", "X", "--phone", "call me"], "not a phone number"),
        (["person", "link", "Ana Ruiz", "Ana Ruiz", "--as", "friend"], "themselves"),
        (["person", "merge", "Ana Ruiz", "Ana"], "themselves"),
        (["person", "link", "Ana Ruiz", "Nobody", "--as", "friend"], "nobody called 'Nobody'"),
        (["person", "unlink", "Ana Ruiz", "Ben Okafor"], "not linked"),
        (["person", "edit", "Ana Ruiz", "--remove-tag", "never"], "has no tag"),
    ],
)
def test_wrong_input_is_one_line_and_changes_nothing(
    db: list[str], argv: list[str], message: str
) -> None:
    path = Path(db[1])
    done = run(*argv, *db)
    assert done.returncode in (1, 2)
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    with Store.open(path) as store:
        assert store.count_people() == 2 and store.linked_pairs() == set()


def test_link_unlink_and_show(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["person", "link", *db, "Ana", "Ben", "--as", "colleague"]) == 0
    assert "linked Ana Ruiz and Ben Okafor as colleague" in capsys.readouterr().out
    [link] = _show(db, "Ben", capsys)["links"]
    assert (link["name"], link["relation"]) == ("Ana Ruiz", "colleague")
    assert link["uuid"] == _show(db, "Ana", capsys)["uuid"]
    assert (
        main(["person", "link", *db, "Ben", "Ana", "--as", "introduced me to", "--directed"]) == 0
    )
    capsys.readouterr()
    [link] = _show(db, "Ana", capsys)["links"]
    assert link["directed"] and link["incoming"] and link["relation"] == "introduced me to"
    assert main(["person", "unlink", *db, "Ana", "Ben"]) == 0
    capsys.readouterr()
    assert _show(db, "Ana", capsys)["links"] == []


def test_merge_moves_entries_and_removes_the_other(
    db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["person", "edit", *db, "Ben", "--email", "ben@x.example", "--tag", "t"]) == 0
    assert main(["person", "merge", *db, "Ana Ruiz", "Ben Okafor"]) == 0
    assert "merged Ben Okafor into Ana Ruiz: moved 1 entry" in capsys.readouterr().out
    rec = _show(db, "Ana", capsys)
    assert rec["entries"] == 1 and rec["tags"] == ["t"]
    assert rec["emails"] == [{"label": "other", "value": "ben@x.example"}]
    done = run("person", "show", *db, "Ben Okafor")
    assert done.returncode == 1 and "nobody called" in done.stderr


def test_people_tag_and_tags(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["person", "edit", *db, "Ana", "--tag", "Climbing"]) == 0
    assert main(["person", "edit", *db, "Ben", "--tag", "climbing", "--tag", "chess"]) == 0
    capsys.readouterr()
    assert main(["people", *db, "--tag", "CLIMBING", "--json"]) == 0
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["Ana Ruiz", "Ben Okafor"]
    assert main(["people", *db, "--tag", "chess", "--json"]) == 0
    assert [p["name"] for p in json.loads(capsys.readouterr().out)] == ["Ben Okafor"]
    assert main(["people", *db, "--tag", "golf"]) == 0
    assert "nobody has the tag 'golf'" in capsys.readouterr().out
    assert main(["tags", *db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"tag": "chess", "people": 1},
        {"tag": "Climbing", "people": 2},
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["person", "link", "Ana", "Ben", "--as", " "], "a link needs a relation"),
        (["person", "link", "Ana", "Ben", "--as", "friend", "--since", "2999-01-01"], "future"),
    ],
)
def test_a_link_needs_a_relation_and_a_past_date(
    db: list[str], argv: list[str], message: str
) -> None:
    done = run(*argv, *db)
    assert done.returncode == 2 and message in done.stderr
    with Store.open(Path(db[1])) as store:
        assert store.linked_pairs() == set()


def test_important_dates_are_added_and_removed_by_label(
    db: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["person", "edit", *db, "Ana Ruiz"]
    assert main([*base, "--date", "wedding=2015-06-20", "--date", "name day=--12-06"]) == 0
    capsys.readouterr()
    assert _show(db, "Ana", capsys)["dates"] == [
        {"label": "wedding", "date": "2015-06-20", "yearly": True},
        {"label": "name day", "date": "--12-06", "yearly": True},
    ]
    assert main([*base, "--remove-date", "Name Day"]) == 0
    capsys.readouterr()
    assert [d["label"] for d in _show(db, "Ana", capsys)["dates"]] == ["wedding"]
    done = run(*base, "--date", "wedding", *db)
    assert done.returncode == 2 and "LABEL=DATE" in done.stderr
