"""Findings of a new-user review of the command line: each one a user mistake or a rough edge
that must end in one clear line (or a quiet no-op), never a traceback or a half-written journal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_kit import run

from ties.analysis.render import table
from ties.cli import main
from ties.model import Person
from ties.store import Store


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A small journal: Ann, Bob, and two people called Ben Okafor (as an import can leave)."""
    path = tmp_path / "j.ties"
    with Store.open(path) as store:
        store.add_person(Person(name="Ann"))
        store.add_person(Person(name="Bob"))
        store.add_person(Person(name="Ben Okafor", organization="Northwind", circle="work"))
        store.add_person(Person(name="Ben Okafor", circle="other"))
        store.add_person(Person(name="Cara Sato"))
        store.add_person(Person(name="Cara Lin"))
    return path


def ties(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def people(db: Path) -> list[dict[str, object]]:
    with Store.open(db, create=False) as store:
        return [
            {"name": p.name, "uuid": p.uuid, "updated": p.updated, "circle": p.circle}
            for p in store.list_people()
        ]


def bens(db: Path) -> list[str]:
    return [str(p["uuid"]) for p in people(db) if p["name"] == "Ben Okafor"]


# ---------------------------------------------------------------- same names


def test_rename_refuses_a_name_already_in_the_journal(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ties(capsys, journal, "person", "edit", "Bob", "--rename", "ann")
    assert code == 1 and "'Ann' is already in the journal" in err and not out
    assert sorted(str(p["name"]) for p in people(journal)).count("Bob") == 1
    # a new spelling of one's own name is no clash
    assert ties(capsys, journal, "person", "edit", "Bob", "--rename", "BOB")[0] == 0
    assert "BOB" in [p["name"] for p in people(journal)]


def test_rename_to_nothing_is_refused(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = ties(capsys, journal, "person", "edit", "Bob", "--rename", " ")
    assert code == 1 and "--rename needs a name" in err


@pytest.mark.parametrize(
    "command",
    [
        ["person", "show"],
        ["person", "edit", "--role", "chef"],
        ["person", "archive"],
        ["person", "delete"],
        ["entries", "--person"],
        ["report", "balance", "--person"],
    ],
)
def test_people_who_share_a_name_are_picked_by_uuid(
    journal: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    northwind, other = bens(journal)
    where = 2 if command[0] == "person" else len(command)
    by_name = [*command[:where], "Ben Okafor", *command[where:]]
    code, out, err = ties(capsys, journal, *by_name)
    assert code == 1 and not out
    assert f"Ben Okafor (Northwind) {northwind}" in err and f"Ben Okafor (other) {other}" in err
    assert "name one by its uuid" in err and err.count("\n") == 1
    by_uuid = [*command[:where], other, *command[where:]]
    assert ties(capsys, journal, *by_uuid)[0] == 0


def test_show_by_uuid_shows_that_person(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, other = bens(journal)
    code, out, _ = ties(capsys, journal, "person", "show", other.upper(), "--json")
    assert code == 0 and json.loads(out)["uuid"] == other


def test_quick_add_ambiguity_says_how_to_tell_them_apart(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = ties(capsys, journal, "log", 'gave to @"Ben Okafor"')
    assert code == 1 and "ties person show" in err and "--rename" in err


def test_a_first_name_outside_quick_add_is_answered_in_option_syntax(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = ties(capsys, journal, "report", "balance", "--person", "Cara")
    assert code == 1 and '--person "Cara Lin"' in err and "@" not in err
    code, _, err = ties(capsys, journal, "person", "show", "Cara")
    assert code == 1 and 'e.g. "Cara Lin"' in err and "@" not in err


# ---------------------------------------------------------------- numbers out of range


@pytest.mark.parametrize(
    "args",
    [
        ["person", "add", "Zed", "--cadence-days", "99999999999999999999"],
        ["entries", "--limit", "99999999999999999999"],
        ["search", "ana", "--limit", "99999999999999999999"],
        ["today", "--limit", "99999999999999999999"],
        ["demo", "--people", "99999999999999"],
        ["demo", "--entries", "99999999999999"],
        ["demo", "--entries", "-1"],
        ["today", "--limit", "2", "--all"],
        ["entries", "--limit", "2", "--all"],
    ],
)
def test_out_of_range_numbers_are_one_line_usage_errors(
    journal: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    before = people(journal)
    with pytest.raises(SystemExit) as stop:
        main([*args, "--db", str(journal)])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err.startswith(f"ties: error: {args[0]}") and err.count("\n") == 1, err
    assert people(journal) == before


def test_demo_refuses_a_history_before_the_journal_begins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.ties"
    code, _, err = ties(capsys, path, "demo", "--today", "1901-01-02", "--people", "5")
    assert code == 1 and "--today must be between" in err and err.count("\n") == 1
    assert not path.exists()
    with pytest.raises(SystemExit) as exit_:
        ties(capsys, path, "demo", "--today", "0001-01-02", "--people", "5")
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "is before 1900-01-01" in err and err.count("\n") == 1
    assert not path.exists()


def test_demo_caps_are_refused_by_write_demo_too(tmp_path: Path) -> None:
    from ties.demo import MAX_DEMO_PEOPLE, write_demo
    from ties.store import JournalError

    with pytest.raises(JournalError, match="at most"):
        write_demo(tmp_path / "x.ties", people=MAX_DEMO_PEOPLE + 1)
    assert not (tmp_path / "x.ties").exists()


# ---------------------------------------------------------------- --db paths


def test_db_that_is_a_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    for args in (["people"], ["person", "add", "A"], ["demo"], ["import", "x.json"]):
        code, _, err = ties(capsys, folder, *args)
        assert code == 1 and "is a folder, not a journal file" in err, args


def test_db_in_a_missing_folder_is_created_and_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "no" / "such" / "x.ties"
    code, out, err = ties(capsys, path, "people")
    assert code == 1 and "no journal" in err and not (tmp_path / "no").exists()
    code, out, err = ties(capsys, path, "person", "add", "A")
    assert code == 0 and out.startswith("added A")
    assert err == f"ties: created the folder {path.parent} (owner-only) for the new journal\n"
    code, _, err = ties(capsys, path, "person", "add", "B")
    assert code == 0 and not err
    other = tmp_path / "new" / "demo.ties"
    code, _, err = ties(capsys, other, "demo", "--people", "3", "--entries", "5")
    assert code == 0 and f"created the folder {other.parent}" in err


def test_the_default_journal_folder_is_created_on_first_use(
    isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not isolated_home.exists()
    assert main(["person", "add", "A"]) == 0
    assert (isolated_home / "data" / "journal.ties").exists()


# ---------------------------------------------------------------- smaller findings


def test_people_with_an_unknown_circle_is_an_error_listing_circles(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ties(capsys, journal, "people", "--circle", "nope")
    assert code == 1 and not out
    assert "unknown circle 'nope'" in err and "family" in err and "work" in err


def test_no_archived_people_is_said_so(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ties(capsys, journal, "people", "--archived")
    assert code == 0 and out.strip() == "no archived people"
    code, out, _ = ties(capsys, journal, "people", "--circle", "family")
    assert code == 0 and out.strip() == "nobody matches"


def test_entries_type_takes_a_leading_hash(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ties(capsys, journal, "log", "gave #long_view to @Ann")[0] == 0
    code, out, err = ties(capsys, journal, "entries", "--type", "#long_view", "--json")
    assert code == 0, err
    assert [e["support_types"] for e in json.loads(out)] == [["long_view"]]


def test_delete_refusal_names_the_flag_and_plurals_agree(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ties(capsys, journal, "log", "gave to @Ann")[0] == 0
    code, _, err = ties(capsys, journal, "person", "delete", "Ann")
    assert code == 1 and "--with-entries" in err and "1 entry;" in err
    code, out, _ = ties(capsys, journal, "person", "delete", "Ann", "--with-entries")
    assert code == 0 and out.strip() == "deleted Ann and 1 entry naming only them"


def test_edit_without_changes_writes_nothing(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = people(journal)
    code, out, _ = ties(capsys, journal, "person", "edit", "Bob")
    assert code == 0 and out.strip() == "nothing to change for Bob"
    code, out, _ = ties(capsys, journal, "person", "edit", "Bob", "--circle", "other")
    assert code == 0 and out.strip() == "nothing to change for Bob"
    assert people(journal) == before


def test_met_on_and_cadence_can_be_cleared(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["person", "edit", "Bob", "--json"]
    code, out, _ = ties(capsys, journal, *args, "--met-on", "2020-01-02", "--cadence-days", "30")
    assert code == 0 and json.loads(out)["met_on"] == "2020-01-02"
    assert json.loads(out)["cadence_days"] == 30
    code, out, _ = ties(capsys, journal, *args, "--met-on", "none", "--cadence-days", "")
    assert code == 0
    assert json.loads(out)["met_on"] is None and json.loads(out)["cadence_days"] is None


def test_balance_window_counts_days_in_words(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = ties(capsys, journal, "report", "balance", "--window-days", "1")
    assert code == 0 and "Window: 1 day up to" in out
    code, out, _ = ties(capsys, journal, "report", "balance", "--window-days", "36500")
    assert code == 0 and "Window: 36,500 days up to" in out


def test_usage_errors_are_one_line() -> None:
    for args, start in (
        (["person", "add"], "ties: error: person add: "),
        (["person"], "ties: error: person: "),
        (["entries", "--bogus"], "ties: error: entries: "),
        (["report", "balance", "--window-days", "0"], "ties: error: report balance: "),
        (["nosuchcommand"], "ties: error: "),
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith(start) and result.stderr.count("\n") == 1, result.stderr
        assert "--help" in result.stderr


def test_tables_line_up_wide_characters() -> None:
    from ties.analysis.render import display_width

    text = table([["王小明", "🎉 team"], ["Ann", "x"]], ["name", "org"])
    lines = text.splitlines()
    assert display_width("王小明") == 6
    header, _, first, second = lines
    # the second column starts at the same terminal column on every line
    assert display_width(first[: first.index("🎉")]) == display_width(header[: header.index("org")])
    assert display_width(second[: second.index("x")]) == display_width(
        header[: header.index("org")]
    )


def test_a_dry_run_shows_names_as_the_journal_spells_them_and_the_time(
    journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ties(capsys, journal, "log", "--dry-run", 'call @"cara sato" 9:30 w2: hi')
    assert code == 0 and not err
    assert "with Cara Sato" in out and " 09:30 " in out
    code, out, _ = ties(capsys, journal, "log", "--dry-run", "call @Zed: hi")
    assert "with Zed" in out and "would add new person: Zed" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--db"],
        ["--color-scheme", "x"],
        ["--screenshots"],
        ["--db", ""],
    ],
)
def test_the_windows_options_fail_in_one_line_too(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("ties: error: ") and result.stderr.count("\n") == 1
    assert "usage:" not in result.stderr


def test_an_empty_option_value_is_refused_not_read_as_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A script whose variable is unset must not write to the default journal or list everyone."""
    default = tmp_path / "default.ties"
    path = tmp_path / "x.ties"
    with Store.open(path) as store:
        store.add_person(Person(name="Ana"))
    result = run("--db", "", "person", "add", "Zed", env={"TIES_DB": str(default)})
    assert result.returncode == 2 and "--db: is empty" in result.stderr
    assert not default.exists()
    for args in (
        ["report", "balance", "--person", ""],
        ["entries", "--person", " "],
        ["entries", "--type", ""],
        ["people", "--circle", ""],
    ):
        with pytest.raises(SystemExit) as exit_:
            ties(capsys, path, *args)
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and "is empty" in err and err.count("\n") == 1, args


def test_digits_of_other_scripts_are_not_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "coverage", "--window-days", "٣"])
    assert "is not a whole number" in capsys.readouterr().err


def test_control_characters_in_names_and_notes_are_shown_not_obeyed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name from a vCard may carry a terminal escape: printed, it must not clear the screen."""
    path = tmp_path / "x.ties"
    assert ties(capsys, path, "person", "add", "Evil\x1b[2J")[0] == 0
    assert ties(capsys, path, "person", "add", "Del\x7fC1\x9b")[0] == 0
    code, out, _ = ties(capsys, path, "people", "--json")
    assert "Del\x7fC1\x9b" in [p["name"] for p in json.loads(out)]  # still valid JSON, as is
    code, out, _ = ties(capsys, path, "people")
    assert "Del\\x7fC1\\x9b" in out and "\x7f" not in out and "\x9b" not in out
    assert ties(capsys, path, "log", "contact with @Ana: note\x07 \x1b]0;title\x07")[0] == 0
    for args in (["people"], ["search", "Evil"], ["person", "show", "Evil\x1b[2J"]):
        code, out, err = ties(capsys, path, *args)
        assert code == 0, err
        assert "\x1b" not in out and "Evil\\x1b[2J" in out, args
    code, out, _ = ties(capsys, path, "entries")
    assert "\x1b" not in out and "\x07" not in out and "note\\x07 \\x1b]0;title\\x07" in out
    code, out, _ = ties(capsys, path, "entries", "--json")
    assert json.loads(out)[0]["note"] == "note\x07 \x1b]0;title\x07"  # the data, unchanged
    code, _, err = ties(capsys, path, "person", "show", "Nobody\x1b[2J")
    assert code == 1 and "\x1b" not in err


def test_logging_for_an_archived_person_says_it_will_not_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.ties"
    assert ties(capsys, path, "person", "add", "Dan Moreau")[0] == 0
    assert ties(capsys, path, "person", "archive", "Dan Moreau")[0] == 0
    code, out, err = ties(capsys, path, "log", 'received #expertise from @"Dan Moreau"')
    assert code == 0 and out.startswith("logged:")
    assert "Dan Moreau is archived" in err and "ties person unarchive 'Dan Moreau'" in err
    code, _, err = ties(capsys, path, "log", 'received #expertise from @"Dan Moreau"', "--json")
    assert code == 0 and "archived" in err  # the note is on stderr: the JSON stays clean
    code, _, err = ties(capsys, path, "person", "add", "dan moreau")
    assert code == 1 and "archived" in err and "ties person unarchive" in err


def test_log_dry_run_json_has_the_shape_of_a_real_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/cli.md promises one `--json` shape for `ties log`; a script may try a line first."""
    path = tmp_path / "x.ties"
    assert ties(capsys, path, "person", "add", "Ana Ruiz")[0] == 0
    line = "received #confidant from @Ana and @Newbie w2: talked it through"
    code, out, _ = ties(capsys, path, "log", "--dry-run", "--json", line)
    assert code == 0
    dry = json.loads(out)
    code, out, _ = ties(capsys, path, "log", "--json", line)
    assert code == 0
    real = json.loads(out)
    assert dry.keys() == real.keys() and dry["entry"].keys() == real["entry"].keys()
    made_by_saving = {"uuid", "created", "updated", "people"}
    for key in real["entry"].keys() - made_by_saving:
        assert dry["entry"][key] == real["entry"][key], key
    assert dry["entry"]["uuid"] is None and dry["entry"]["created"] is None
    assert dry["entry"]["people"][0] == real["entry"]["people"][0]  # Ana, known already
    assert dry["entry"]["people"][1] == {"name": "Newbie", "uuid": None}
    assert dry["new_people"] == [{"name": "Newbie", "uuid": None}]
    assert [p["name"] for p in real["new_people"]] == ["Newbie"]


def test_entries_show_on_whose_behalf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.ties"
    assert ties(capsys, path, "log", "gave #introductions to @Eve for @Cara")[0] == 0
    code, out, _ = ties(capsys, path, "entries")
    assert code == 0 and "Eve (for Cara)" in out


def test_met_on_cannot_be_in_the_future(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.ties"
    with pytest.raises(SystemExit) as exit_:
        ties(capsys, path, "person", "add", "Futura", "--met-on", "2099-01-01")
    assert exit_.value.code == 2 and "is in the future" in capsys.readouterr().err
    assert not path.exists()
    assert ties(capsys, path, "person", "add", "Futura", "--met-on", "yesterday")[0] == 0
    assert ties(capsys, path, "person", "edit", "Futura", "--met-on", "none")[0] == 0


def test_an_empty_file_is_named_as_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.ties"
    path.write_bytes(b"")
    code, _, err = ties(capsys, path, "people")
    assert code == 1 and f"{path} is empty; add someone with 'ties person add NAME'" in err
    assert path.read_bytes() == b""


def test_log_dry_run_agrees_with_saving_on_repeated_names_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.ties"
    missing = tmp_path / "not-yet.ties"
    code, out, _ = ties(capsys, missing, "log", "--dry-run", "--json", "gave #expertise to @Zed")
    assert code == 0 and json.loads(out)["new_people"] == [{"name": "Zed", "uuid": None}]
    assert not missing.exists()  # a dry run never makes the journal
    assert ties(capsys, path, "person", "add", "Ana Ruiz")[0] == 0
    line = 'gave #expertise to @Zed @ana @"ana ruiz" for @zed'
    code, out, _ = ties(capsys, path, "log", "--dry-run", "--json", line)
    dry = json.loads(out)
    code, out, _ = ties(capsys, path, "log", "--json", line)
    real = json.loads(out)
    assert [p["name"] for p in dry["entry"]["people"]] == ["Zed", "Ana Ruiz"]
    assert [p["name"] for p in real["entry"]["people"]] == ["Zed", "Ana Ruiz"]
    assert [p["name"] for p in dry["new_people"]] == [p["name"] for p in real["new_people"]]
    assert dry["entry"]["on_behalf_of"] == {"name": "Zed", "uuid": None}
