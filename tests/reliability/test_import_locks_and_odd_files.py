"""A dry-run import locks nothing; a pipe is never waited on; a bug report never crashes.

Issue #20 items 13, 14 and 16 (the log folder). The FIFO cases run the real
program in a child with a timeout: before the fix they hung forever.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_kit import child_env, run_ties_unprivileged

from ties import logs
from ties.cli import main
from ties.io.importers import import_file
from ties.model import Person
from ties.store import Store


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.vcf"
    path.write_text("".join(f"BEGIN:VCARD\nFN:Person {i}\nEND:VCARD\n" for i in range(5)))
    return path


def test_a_dry_run_does_not_hold_the_write_lock(store: Store, contacts: Path) -> None:
    """While the dry run reads the file, another process can write at once (no busy wait)."""
    writes: list[str] = []

    def meanwhile() -> bool:
        other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            writes.append("ok")
        finally:
            other.close()
        return False

    report = import_file(store, contacts, dry_run=True, cancelled=meanwhile)
    assert writes == ["ok"] * 5
    assert report.total("added") == 5 and store.list_people() == []


def test_a_dry_run_of_a_read_only_journal(tmp_path: Path, contacts: Path) -> None:
    with Store.open(tmp_path / "j.ties") as store:
        store.add_person(Person(name="Person 0"))
    with Store.open(tmp_path / "j.ties", readonly=True) as store:
        report = import_file(store, contacts, dry_run=True)
    assert (report.total("added"), report.total("skipped")) == (4, 1)


def test_ties_import_dry_run_in_a_read_only_folder(tmp_path: Path, contacts: Path) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    journal = folder / "journal.ties"
    with Store.open(journal) as store:
        store.add_person(Person(name="Person 0"))
    journal.chmod(0o444)
    folder.chmod(0o555)
    try:
        done = run_ties_unprivileged(
            ["--db", str(journal), "import", "--dry-run", str(contacts)], tmp_path / "home"
        )
    finally:
        folder.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert "would import" in done.stdout and "would add 4" in done.stdout


def _ties(argv: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from ties.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env=child_env(home),
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize(
    "argv",
    [["log", "coffee with @Ana"], ["import", "CONTACTS"], ["people"]],
    ids=["log", "import", "people"],
)
def test_a_fifo_as_the_journal_is_refused_at_once(
    tmp_path: Path, contacts: Path, argv: list[str]
) -> None:
    fifo = tmp_path / "journal.ties"
    os.mkfifo(fifo)
    argv = [str(contacts) if a == "CONTACTS" else a for a in argv]
    done = _ties(["--db", str(fifo), *argv], tmp_path / "home")
    assert done.returncode == 1
    assert "not a regular file" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_the_import_file_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "contacts.vcf"
    os.mkfifo(fifo)
    done = _ties(["--db", str(tmp_path / "j.ties"), "import", str(fifo)], tmp_path / "home")
    assert done.returncode == 1
    assert "not a regular file" in done.stderr


@pytest.fixture
def fresh_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    logger = logging.getLogger("ties")
    handlers = list(logger.handlers)
    monkeypatch.setattr(logs, "_configured", False)
    yield
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()


def test_a_log_folder_that_cannot_be_made_is_no_second_crash(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fresh_log: None,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where Ties' folders would go")
    monkeypatch.setenv("TIES_HOME", str(blocker))
    from ties import quickadd

    def broken_save(store, q):  # type: ignore[no-untyped-def]
        raise KeyError("a bug")

    monkeypatch.setattr(quickadd, "save", broken_save)
    rc = main(["--db", str(tmp_path / "j.ties"), "log", "coffee with @Ana"])
    err = capsys.readouterr().err
    assert rc == 70
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    logged = err.split("logged to ")[1].strip()
    assert "KeyError" in Path(logged).read_text(encoding="utf-8")


def test_a_journal_opened_through_a_symlink_is_the_real_file(tmp_path: Path) -> None:
    """Issue #20, item 6: every file operation works on the journal itself, not the link."""
    from ties.model import Person
    from ties.store import Store

    real = tmp_path / "real" / "journal.ties"
    real.parent.mkdir()
    with Store.open(real) as store:
        store.add_person(Person(name="Ana"))
    link = tmp_path / "link.ties"
    link.symlink_to(real)
    with Store.open(link) as store:
        assert store.path == real
        store.add_person(Person(name="Ben"))
    assert link.is_symlink() and not (tmp_path / "link.ties-wal").exists()
    with Store.open(real) as store:
        assert sorted(p.name for p in store.list_people()) == ["Ana", "Ben"]
