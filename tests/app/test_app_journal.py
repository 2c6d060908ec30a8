"""ties.app.journal: one way to find, open and create a journal, one message per situation."""

from __future__ import annotations

from pathlib import Path

import pytest

from ties.app.journal import (
    NoJournalError,
    NotAFileError,
    chosen_journal,
    no_journal_message,
    open_journal,
)
from ties.model import Person
from ties.paths import default_journal_path
from ties.store import NotAJournalError


@pytest.mark.parametrize("readonly", [False, True])
def test_a_missing_and_an_empty_journal_have_one_message_each(
    tmp_path: Path, readonly: bool
) -> None:
    missing = tmp_path / "nope.ties"
    with pytest.raises(NoJournalError) as caught:
        open_journal(missing, create=False, readonly=readonly)
    assert str(caught.value).startswith(f"there is no journal at {missing} yet; ")
    empty = tmp_path / "empty.ties"
    empty.touch()
    with pytest.raises(NoJournalError) as caught:
        open_journal(empty, create=False, readonly=readonly)
    assert str(caught.value).startswith(f"{empty} is empty; ")
    assert not missing.exists() and empty.stat().st_size == 0  # nothing was created or written


def test_the_sample_journal_is_offered_only_when_it_exists(tmp_path: Path) -> None:
    from ties.demo import write_demo
    from ties.paths import sample_journal_path

    path = tmp_path / "nope.ties"
    assert "sample journal" not in no_journal_message(path)
    write_demo(sample_journal_path(), people=3, entries=5).close()
    assert f"--db {sample_journal_path()}" in no_journal_message(path)
    assert "sample journal" not in no_journal_message(path, offer_sample=False)


def test_a_folder_is_refused_before_sqlite_meets_it(tmp_path: Path) -> None:
    with pytest.raises(NotAFileError, match="is a folder, not a journal file"):
        open_journal(tmp_path)
    with pytest.raises(NotAFileError):
        chosen_journal(str(tmp_path))


def test_creating_tells_of_a_new_folder_and_writes_a_journal(tmp_path: Path) -> None:
    told: list[Path] = []
    path = tmp_path / "new" / "j.ties"
    with open_journal(path, on_new_folder=told.append) as store:
        store.add_person(Person(name="Ana"))
    assert told == [path.parent]
    with open_journal(path, create=False, readonly=True, on_new_folder=told.append) as store:
        assert store.readonly and store.count_people() == 1
    assert told == [path.parent]  # the folder is told of once, when it was made


def test_the_stores_refusals_pass_through(tmp_path: Path) -> None:
    path = tmp_path / "x.ties"
    path.write_text("not a database, " * 100)
    with pytest.raises(NotAJournalError):
        open_journal(path, create=False)


def test_which_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    last = tmp_path / "last.ties"
    given = tmp_path / "given.ties"
    assert chosen_journal(str(given), last=last) == given
    assert chosen_journal(None, last=last) == default_journal_path()  # last does not exist
    last.touch()
    assert chosen_journal(None, last=last) == last
    assert chosen_journal(None) == default_journal_path()  # the command line has no "last"
    monkeypatch.setenv("TIES_DB", str(given))
    assert chosen_journal(None, last=last) == given


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    from ties.store import JournalError

    blocker = tmp_path / "file.txt"
    blocker.write_text("in the way")
    path = blocker / "sub" / "j.ties"
    with pytest.raises(JournalError) as caught:
        open_journal(path)
    assert str(caught.value) == (
        f"cannot create the folder {path.parent} for the journal: Not a directory"
    )
