"""``ties report balance``: the documented JSON, the window flags and plain errors."""

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
        ben = s.add_person(Person(name="Ben Okafor", closeness=3)).id
        assert ana and ben
        for day, people, direction, weight in [
            ("2025-06-30", [ana], "gave", 3),  # outside a 365-day window ending 2026-06-30
            ("2025-07-01", [ana], "gave", 2),
            ("2026-01-15", [ana, ben], "mutual", 1),
            ("2026-06-01", [ana], "received", 1),
        ]:
            s.add_entry(
                Entry(
                    date=date.fromisoformat(day),
                    person_ids=people,
                    direction=direction,
                    weight=weight,
                    thanked=True,
                )
            )
    return db_path


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_shape_and_figures(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "report", "balance", "--db", str(journal), "--as-of", "2026-06-30")
    assert data["as_of"] == "2026-06-30" and data["window_days"] == 365
    assert [p["name"] for p in data["people"]] == ["Ana Ruiz", "Ben Okafor"]
    ana = data["people"][0]
    assert set(ana) == {
        "name",
        "uuid",
        "given",
        "received",
        "mutual",
        "balance",
        "last_contact",
        "flags",
    }
    assert (ana["given"], ana["received"], ana["mutual"], ana["balance"]) == (3, 2, 1, 1)
    assert ana["last_contact"] == "2026-06-01"
    assert ana["flags"] == ["dormant"]  # 29 days > 14 for the inner circle
    ben = data["people"][1]
    assert ben["flags"] == ["dormant"]  # 166 days > 90 for closeness 3
    assert (ben["given"], ben["received"], ben["mutual"]) == (1, 1, 1)


def test_window_days_and_person_timeline(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        capsys,
        "report",
        "balance",
        "--db",
        str(journal),
        "--as-of",
        "2026-06-30",
        "--window-days",
        "366",
        "--person",
        "ana ruiz",
    )
    (ana,) = data["people"]
    assert ana["given"] == 6  # the 2025-06-30 entry is inside a 366-day window
    timeline = ana["timeline"]
    assert timeline[0] == {"month": "2025-06", "given": 3, "received": 0, "balance": 3}
    assert timeline[-1] == {"month": "2026-06", "given": 0, "received": 1, "balance": 4}
    assert len(timeline) == 13


def test_text_output(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "report",
                "balance",
                "--db",
                str(journal),
                "--as-of",
                "2026-06-30",
                "--person",
                "Ana Ruiz",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Ana Ruiz" in out and "dormant" in out and "2025-06" in out
    assert "You have given about one and a half times what you received in the last year" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--person", "Nobody"], "nobody called 'Nobody'"),
        (["--window-days", "0"], "must be at least 1"),
        (["--as-of", "30/06/2026"], "is not a date"),
    ],
)
def test_bad_input_is_one_line(
    journal: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) if "--person" not in args else _nothing():
        code = main(["report", "balance", "--db", str(journal), *args])
        assert code == 1
    err = capsys.readouterr().err
    assert message in err and err.startswith(("ties: error:", "usage:"))
    assert "Traceback" not in err


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_missing_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "balance", "--db", str(tmp_path / "none.ties")]) == 1
    assert capsys.readouterr().err.startswith("ties: error: there is no journal")
