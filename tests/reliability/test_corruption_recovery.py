"""A damaged journal is caught when read, kept aside untouched, and the newest good backup offered.

Opening runs no integrity check (it took seconds on a lifetime journal): damage is
met by the first read that touches it, as the same one-line message, and by the
checks that run in the background of the window and in ``ties check``.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from reliability_kit import damage_quietly, dump_rows, file_digest

from ties.cli import main
from ties.io import backup as backups
from ties.io.recovery import newest_good_backup, recover, set_aside_damaged
from ties.model import Entry, Person
from ties.store import CorruptJournalError, JournalError, Store


def _damage(path: Path, tables: tuple[str, ...] = ("entries", "people"), seed: int = 1) -> None:
    """Overwrite the root pages of some tables with noise, as a failing disk might."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    marks = ",".join("?" * len(tables))
    roots = [
        r[0]
        for r in conn.execute(f"SELECT rootpage FROM sqlite_master WHERE name IN ({marks})", tables)
    ]
    conn.close()
    rng = random.Random(seed)
    with open(path, "r+b") as fh:
        for page in roots:
            fh.seek((page - 1) * page_size)
            fh.write(bytes(rng.randrange(256) for _ in range(page_size)))


def _journal(path: Path, people: int = 5) -> Path:
    with Store.open(path) as store:
        for i in range(people):
            p = store.add_person(Person(name=f"Person {i} Zoë"))
            assert p.id
            store.add_entry(Entry(date=date(2026, 1, 1 + i), person_ids=[p.id], note=f"n{i}"))
    return path


def _backup(journal: Path, when: datetime) -> Path:
    with Store.open(journal) as store:
        return backups.backup(store, kind="auto", now=when)


def test_damaged_pages_are_caught_when_read_and_the_file_is_left_untouched(
    db_path: Path,
) -> None:
    _damage(_journal(db_path))
    before = file_digest(db_path)
    with Store.open(db_path) as store, pytest.raises(sqlite3.DatabaseError, match="malformed"):
        store.list_people()
    assert file_digest(db_path) == before


def test_the_quick_check_asked_for_at_open_catches_damage_before_any_read(
    db_path: Path,
) -> None:
    _damage(_journal(db_path))
    before = file_digest(db_path)
    with pytest.raises(CorruptJournalError, match="damaged"):
        Store.open(db_path, check=True)
    assert file_digest(db_path) == before


def test_ties_commands_meet_the_damage_as_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _damage(_journal(db_path))
    before = file_digest(db_path)
    for command in (["people"], ["entries"], ["search", "Person"], ["today"]):
        assert main(["--db", str(db_path), *command]) == 1, command
        err = capsys.readouterr().err
        assert err.startswith("ties: error:") and "damaged" in err, (command, err)
        assert "ties recover" in err and "Traceback" not in err
        if command[0] != "today":  # today keeps its window totals (healthy pages) first
            assert file_digest(db_path) == before, command


def test_ties_check_reports_damage_in_one_line_and_exits_non_zero(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _damage(_journal(db_path))
    rc = main(["--db", str(db_path), "check"])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.startswith("ties: error:") and "damaged" in err
    assert "Traceback" not in err


def test_newest_good_backup_skips_damaged_and_foreign_files(db_path: Path) -> None:
    journal = _journal(db_path)
    good_old = _backup(journal, datetime(2026, 1, 1, 9))
    good_new = _backup(journal, datetime(2026, 1, 2, 9))
    damaged_newer = _backup(journal, datetime(2026, 1, 3, 9))
    _damage(damaged_newer)
    truncated_newest = _backup(journal, datetime(2026, 1, 4, 9))
    truncated_newest.write_bytes(truncated_newest.read_bytes()[:5000])
    assert newest_good_backup(journal) == good_new
    assert good_old.exists()
    # A backup of another journal (another stem) is never offered for this one.
    assert newest_good_backup(journal.with_name("other.ties")) is None


def test_recover_sets_the_damaged_file_aside_and_restores_the_newest_good_backup(
    db_path: Path,
) -> None:
    journal = _journal(db_path)
    good = _backup(journal, datetime(2026, 1, 2, 9))
    expected = dump_rows(good)
    _damage(journal)
    damaged_digest = file_digest(journal)
    with Store.open(journal) as store, pytest.raises(sqlite3.DatabaseError):
        store.list_people()

    result = recover(journal)

    assert result.restored_from == good
    assert result.damaged.exists() and result.damaged != journal
    assert file_digest(result.damaged) == damaged_digest  # kept aside untouched
    with Store.open(journal) as store:
        assert store.integrity_problems() == []
        assert store.count_people() == 5
    assert dump_rows(journal) == expected


def test_recover_without_a_good_backup_leaves_everything_as_it_was(db_path: Path) -> None:
    journal = _journal(db_path)
    _damage(journal)
    digest = file_digest(journal)
    with pytest.raises(JournalError, match="no backup"):
        recover(journal)
    assert file_digest(journal) == digest
    assert list(journal.parent.glob("*.damaged-*")) == []


def test_set_aside_moves_wal_and_shm_with_the_journal(tmp_path: Path) -> None:
    journal = tmp_path / "j.ties"
    journal.write_bytes(b"x" * 10)
    (tmp_path / "j.ties-wal").write_bytes(b"w")
    (tmp_path / "j.ties-shm").write_bytes(b"s")
    aside = set_aside_damaged(journal)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [aside.name, aside.name + "-wal", aside.name + "-shm"]
    )
    assert aside.read_bytes() == b"x" * 10


def test_ties_recover_command(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = _journal(db_path)
    good = _backup(journal, datetime(2026, 1, 2, 9))
    assert main(["--db", str(journal), "recover"]) == 1  # healthy: refused
    assert "nothing to recover" in capsys.readouterr().err
    _damage(journal)
    assert main(["--db", str(journal), "entries"]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "ties recover" in err
    assert main(["--db", str(journal), "recover", "--dry-run"]) == 0
    assert str(good) in capsys.readouterr().out
    assert main(["--db", str(journal), "recover", "--json"]) == 0
    import json

    result = json.loads(capsys.readouterr().out)
    assert result["backup"] == str(good) and Path(result["damaged"]).exists()
    assert main(["--db", str(journal), "check"]) == 0


def _quietly_damaged(path: Path) -> Path:
    """A journal whose damage the quick check at opening does not see (a name unreadable)."""
    journal = _journal(path)
    damage_quietly(journal, "Person 2")
    with Store.open(journal) as store:  # the quick check passes …
        assert any("missing from index" in p for p in store.integrity_problems())  # … not this
    return journal


@pytest.mark.parametrize(
    "command",
    [
        ["people", "--circle", "other"],
        ["search", "Person"],
        ["log", 'call @"Person 2 Zoë"'],
        ["person", "edit", "Person 2 Zoë", "--role", "x"],
    ],
)
def test_damage_met_while_a_command_runs_is_the_damaged_journal_message(
    db_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    journal = _quietly_damaged(db_path)
    digest = file_digest(journal)
    rc = main(["--db", str(journal), *command])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.startswith("ties: error: The journal file is damaged")
    assert "ties recover" in err and "unexpected" not in err
    assert "\ufffd" not in err  # the unreadable text itself is not quoted
    assert file_digest(journal) == digest  # nothing was written


def _damaged_with_a_good_backup(
    db_path: Path,
) -> tuple[Path, Path, dict[str, list[dict[str, object]]], str]:
    """A journal with one good backup, then damaged where only the full check sees it.

    Returns the journal, the backup, the backup's rows and the damaged file's digest.
    """
    journal = _journal(db_path)
    good = _backup(journal, datetime(2026, 1, 2, 9))
    expected = dump_rows(good)
    damage_quietly(journal, "Person 2")
    return journal, good, expected, file_digest(journal)


def test_ties_recover_uses_the_full_check(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal, good, expected, damaged_digest = _damaged_with_a_good_backup(db_path)
    assert main(["--db", str(journal), "check"]) == 1
    capsys.readouterr()

    assert main(["--db", str(journal), "recover", "--json"]) == 0

    import json

    result = json.loads(capsys.readouterr().out)
    assert result["backup"] == str(good)
    assert file_digest(Path(result["damaged"])) == damaged_digest  # set aside untouched
    assert main(["--db", str(journal), "check"]) == 0
    assert dump_rows(journal) == expected


def test_restore_onto_a_damaged_journal_sets_it_aside_and_blames_no_backup(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal, good, expected, damaged_digest = _damaged_with_a_good_backup(db_path)

    assert main(["--db", str(journal), "restore", str(good)]) == 0

    out, err = capsys.readouterr()
    [aside] = journal.parent.glob(f"{journal.stem}.damaged-*")
    assert aside.name in out and err == ""
    assert "the journal was damaged; it is kept, untouched, as" in out
    assert file_digest(aside) == damaged_digest  # renamed aside, not a byte changed
    assert dump_rows(journal) == expected
    assert main(["--db", str(journal), "check"]) == 0
    # No safety backup of the damaged journal was kept (it failed its check), nor a temp file.
    assert [b.kind for b in backups.list_backups(journal.stem)] == ["auto"]
    assert not [p for p in backups.backup_dir().iterdir() if p.name.startswith(".")]


def test_a_prepared_restore_onto_a_damaged_journal_leaves_it_alone_until_the_swap(
    db_path: Path,
) -> None:
    """The window's path: prepare on a worker (journal untouched), then the quick swap."""
    journal = _journal(db_path)
    good = _backup(journal, datetime(2026, 1, 2, 9))
    damage_quietly(journal, "Person 2")
    digest = file_digest(journal)

    prepared = backups.prepare_restore(good, journal)
    assert prepared.damaged and prepared.safety is None
    assert file_digest(journal) == digest and not list(journal.parent.glob("*.damaged-*"))
    prepared.discard()  # the window's Cancel after preparing: nothing to undo
    assert file_digest(journal) == digest and not list(journal.parent.glob("*.damaged-*"))

    with Store.open(journal) as current:  # the window's store, open until the swap
        prepared = backups.prepare_restore(good, journal, current=current)
        assert prepared.damaged
        candidate, kept = backups.commit_restore(prepared, current=current)
    assert kept is not None and kept.name.startswith(f"{journal.stem}.damaged-")
    assert file_digest(kept) == digest and candidate.people == 5
    assert main(["--db", str(journal), "check"]) == 0
