"""``ties report coverage``: the documented JSON, the window flags, the text form, plain errors."""

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
        ben = s.add_person(Person(name="Ben", closeness=4, circle="work", organization="Acme")).id
        cara = s.add_person(Person(name="Cara", closeness=1, circle="industry")).id
        assert ben and cara
        for day, who, direction, types, weight in [
            ("2025-06-30", ben, "received", ["confidant"], 3),  # just outside 365 days
            ("2025-07-01", ben, "received", ["confidant"], 2),
            ("2026-06-01", ben, "mutual", ["confidant"], 2),
            ("2026-06-20", cara, "gave", ["expertise"], 1),
        ]:
            s.add_entry(
                Entry(
                    date=date.fromisoformat(day),
                    person_ids=[who],
                    direction=direction,
                    support_types=types,
                    weight=weight,
                )
            )
    return db_path


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "report", "coverage", "--db", str(journal), "--as-of", "2026-06-30")
    assert list(data) == [
        "as_of",
        "window_days",
        "support_types",
        "families",
        "ties",
        "diversity",
        "closure",
    ]
    assert (data["as_of"], data["window_days"]) == ("2026-06-30", 365)
    by_key = {t["key"]: t for t in data["support_types"]}
    assert len(by_key) == 11  # every default type, covered or not
    confidant = by_key["confidant"]
    assert confidant["family"] == "psychosocial" and confidant["covered"] is True
    assert [(p["name"], p["entries"], p["weight"]) for p in confidant["providers"]] == [
        ("Ben", 2, 4)
    ]
    assert [(p["name"], p["entries"], p["weight"]) for p in confidant["given_to"]] == [
        ("Ben", 1, 2)
    ]
    assert confidant["suggestions"] == []
    expertise = by_key["expertise"]
    assert expertise["covered"] is False and expertise["providers"] == []
    assert [g["name"] for g in expertise["given_to"]] == ["Cara"]
    assert [s["name"] for s in expertise["suggestions"]] == ["Ben", "Cara"]
    assert all(s["why"] and s["uuid"] for s in expertise["suggestions"])
    assert data["families"] == {
        "instrumental": {"providers": 0, "weight": 0},
        "psychosocial": {"providers": 1, "weight": 4},
    }
    assert data["ties"] == {"active": 2, "weak": 1, "strong": 1}
    assert data["diversity"] == {"circles": 0.5, "organizations": 0.0, "largest_circle": "work"}


def test_window_days(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("report", "coverage", "--db", str(journal), "--as-of", "2026-06-30")
    data = _json(capsys, *args, "--window-days", "366")
    confidant = next(t for t in data["support_types"] if t["key"] == "confidant")
    assert data["window_days"] == 366 and confidant["providers"][0]["weight"] == 7
    data = _json(capsys, *args, "--window-days", "30")  # 2026-06-01 is its first day
    confidant = next(t for t in data["support_types"] if t["key"] == "confidant")
    assert confidant["providers"][0]["weight"] == 2
    data = _json(capsys, *args, "--window-days", "29")
    confidant = next(t for t in data["support_types"] if t["key"] == "confidant")
    assert confidant["covered"] is False


def test_text(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "coverage", "--db", str(journal), "--as-of", "2026-06-30"]) == 0
    out = capsys.readouterr().out
    assert "Support coverage, 2025-07-01 to 2026-06-30 (365 days)" in out
    assert "[x] Confidant: Someone outside my department I can confide in" in out
    assert "from Ben (2 entries, weight 4)" in out
    assert "[ ] Expertise" in out and "maybe Ben: a strong tie (close)" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--window-days", "0"], "must be at least 1"),
        (["--as-of", "2026-02-30"], "is not a date"),
    ],
)
def test_bad_flags(
    journal: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["report", "coverage", "--db", str(journal), *extra])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "coverage", "--db", str(tmp_path / "none.ties")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ties: error: ") and "Traceback" not in err
    assert not (tmp_path / "none.ties").exists()


@pytest.mark.parametrize("kind", ["coverage", "balance"])
def test_reports_follow_one_write_policy(
    journal: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """Reports never write (the kept sums are current), so none waits on a writer."""
    import sqlite3
    import time

    args = ["report", kind, "--db", str(journal), "--as-of", "2026-06-30", "--json"]

    def content() -> list[str]:
        conn = sqlite3.connect(f"{journal.resolve().as_uri()}?mode=ro", uri=True)
        try:
            # (closing a journal may refresh the planner's statistics: not the figures)
            return [line for line in conn.iterdump() if "sqlite_stat" not in line]
        finally:
            conn.close()

    before = content()
    assert main(args) == 0
    free = capsys.readouterr().out
    other = sqlite3.connect(journal, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        started = time.monotonic()
        assert main(args) == 0
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert waited < 5  # read at once (the busy timeout is 15 s)
    assert capsys.readouterr().out == free != ""
    assert content() == before  # nothing written


def test_tag_limits_the_figures_to_the_tagged_people(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ties.store import Store

    everyone = _json(capsys, "report", "coverage", "--db", str(journal), "--as-of", "2026-06-30")
    with Store.open(journal) as store:
        some = store.list_people()[:1]
        from dataclasses import replace

        store.update_person(replace(some[0], tags=["inner"]))
        name = some[0].name
    tagged = _json(
        capsys,
        "report",
        "coverage",
        "--db",
        str(journal),
        "--as-of",
        "2026-06-30",
        "--tag",
        "inner",
    )
    assert list(tagged) == list(everyone)
    named = {p["name"] for t in tagged["support_types"] for p in t["providers"] + t["given_to"]}
    assert named <= {name}
    assert tagged["ties"]["active"] <= 1 < everyone["ties"]["active"]
    assert main(["report", "coverage", "--db", str(journal), "--tag", "nobody-has-it"]) == 1
