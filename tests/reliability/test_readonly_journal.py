"""A journal that cannot be written opens read-only: reads work, writes are refused plainly.

Root ignores file permissions, and CI runs as root, so the permission cases
run in a forked child that drops root's permission-bypassing capabilities
(``reliability_kit.run_unprivileged``); for a normal user it is just a child.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from reliability_kit import dump_rows, run_ties_unprivileged, run_unprivileged

from ties import quickadd
from ties.cli import main
from ties.model import Entry, Person
from ties.store import ReadOnlyError, Store


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    folder = tmp_path / "journal-folder"
    folder.mkdir()
    path = folder / "journal.ties"
    with Store.open(path) as store:
        ana = store.add_person(Person(name="Ana Ruiz"))
        assert ana.id
        store.add_entry(Entry(date=date(2026, 5, 1), person_ids=[ana.id], note="first"))
    return path


def _every_write_refused(store: Store) -> list[str]:
    """Try each kind of write; return the messages of the errors (all must be ReadOnlyError)."""
    ana = store.resolve_person("Ana Ruiz")
    assert ana is not None and ana.id is not None
    entry = store.list_entries()[0]
    attempts = [
        lambda: store.add_person(Person(name="Bo")),
        lambda: store.update_person(ana),
        lambda: store.add_entry(Entry(date=date(2026, 5, 2), person_ids=[ana.id])),
        lambda: store.delete_entry(entry.id),
        lambda: store.set_meta("name", "x"),
        lambda: quickadd.commit(store, "gave #career_guidance to @Ana: hi", date(2026, 5, 3)),
    ]
    messages = []
    for attempt in attempts:
        try:
            attempt()
        except ReadOnlyError as exc:
            messages.append(str(exc))
        else:
            raise AssertionError("a write went through on a read-only journal")
    return messages


def _open_and_try(path: str) -> dict:
    with Store.open(path) as store:
        return {
            "readonly": store.readonly,
            "people": [p.name for p in store.list_people()],
            "refused": _every_write_refused(store),
        }


def test_opening_read_only_on_request_refuses_every_write(journal: Path) -> None:
    before = dump_rows(journal)
    with Store.open(journal, readonly=True) as store:
        assert store.readonly
        assert [p.name for p in store.list_people()] == ["Ana Ruiz"]
        messages = _every_write_refused(store)
    assert all("read-only" in m for m in messages)
    assert dump_rows(journal) == before


def test_read_only_file_opens_read_only(journal: Path) -> None:
    before = dump_rows(journal)
    journal.chmod(0o444)
    result = run_unprivileged(_open_and_try, str(journal))
    assert result["readonly"] is True
    assert result["people"] == ["Ana Ruiz"]
    assert len(result["refused"]) == 6
    assert dump_rows(journal) == before


def test_read_only_folder_opens_read_only(journal: Path) -> None:
    before = dump_rows(journal)
    journal.parent.chmod(0o555)
    try:
        result = run_unprivileged(_open_and_try, str(journal))
    finally:
        journal.parent.chmod(0o700)
    assert result["readonly"] is True
    assert result["people"] == ["Ana Ruiz"]
    assert dump_rows(journal) == before


def test_read_only_folder_with_unfinished_wal_is_a_plain_error(
    journal: Path, tmp_path: Path
) -> None:
    """A journal last closed by a crash, in a folder we cannot write: say so, don't crash."""
    with Store.open(journal) as store:  # a second, open connection keeps the -wal file
        store.add_person(Person(name="Bo"))
        copy = tmp_path / "copy"
        copy.mkdir()
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{journal}{suffix}", copy / f"journal.ties{suffix}")
    assert (copy / "journal.ties-wal").stat().st_size > 0
    copy.chmod(0o555)

    def attempt(path: str) -> str:
        try:
            Store.open(path).close()
        except ReadOnlyError as exc:
            return str(exc)
        return "opened"

    try:
        message = run_unprivileged(attempt, str(copy / "journal.ties"))
    finally:
        copy.chmod(0o700)
    assert "read-only" in message and "not closed cleanly" in message


def _cli(argv: list[str]) -> dict:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return {"rc": rc, "out": out.getvalue(), "err": err.getvalue()}


def test_ties_log_on_read_only_journal_is_one_plain_line(journal: Path) -> None:
    journal.chmod(0o444)
    log = run_unprivileged(_cli, ["--db", str(journal), "log", "gave #career_guidance to @Ana"])
    entries = run_unprivileged(_cli, ["--db", str(journal), "entries"])
    assert log["rc"] == 1
    assert log["err"].startswith("ties: error:") and "read-only" in log["err"]
    assert log["err"].count("\n") == 1
    assert entries["rc"] == 0 and "first" in entries["out"]


def test_a_journal_needing_an_upgrade_that_is_read_only_is_refused_plainly(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.store import schema

    def next_version(conn) -> None:  # type: ignore[no-untyped-def]
        conn.execute("CREATE TABLE later (x)")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, next_version))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    before = dump_rows(journal)
    with pytest.raises(ReadOnlyError, match="needs upgrading"):
        Store.open(journal, readonly=True)
    assert dump_rows(journal) == before


def test_ties_check_on_a_read_only_journal_says_ok(journal: Path) -> None:
    journal.chmod(0o444)
    check = run_unprivileged(_cli, ["--db", str(journal), "check"])
    assert check["rc"] == 0, check
    assert check["out"].strip() == "ok"


@pytest.mark.parametrize("what", ["file", "folder"])
def test_the_window_opens_a_read_only_journal_read_only(
    journal: Path, tmp_path: Path, what: str
) -> None:
    """The real ``ties`` window (offscreen, --smoke-test: every place once), not a crash."""
    before = dump_rows(journal)
    target = journal if what == "file" else journal.parent
    target.chmod(0o444 if what == "file" else 0o555)
    try:
        done = run_ties_unprivileged(["--db", str(journal), "--smoke-test"], tmp_path / "home")
    finally:
        target.chmod(0o600 if what == "file" else 0o700)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert dump_rows(journal) == before
