"""Hostile and broken input: generated and mutated lines and files never crash Ties.

Quick-add lines (the parser and the whole save path), mutated real contact
files and mutated backups: every outcome is a result or a known error
(``QuickAddError`` / ``JournalError``), and after an error the journal is
exactly as it was (compared through a full JSON export). The importers' own
random-bytes tests live in tests/io; these add mutations of real files.

``TIES_FUZZ_EXAMPLES`` raises the number of generated cases per test (the long
run in docs/reliability.md used 5,000).
"""

from __future__ import annotations

import io
import os
import random
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_kit import ROOT

from ties import quickadd
from ties.cli import main
from ties.io import backup as backups
from ties.io.export_json import write_json
from ties.io.importers import import_file
from ties.model import Entry, Person
from ties.quickadd import QuickAddError
from ties.store import JournalError, Store, ValidationError

EXAMPLES = int(os.environ.get("TIES_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
#: Restores are slow (a safety backup, a copy, a full check): fewer by default.
FUZZ_RESTORE = settings(FUZZ, max_examples=max(30, EXAMPLES // 5))
TODAY = date(2026, 6, 30)
CONTACT_SAMPLES = sorted((ROOT / "tests" / "fixtures" / "contacts").glob("*.vcf"))


def _doc(store: Store) -> str:
    """A full export: the whole journal as text, for before/after comparisons."""
    out = io.StringIO()
    write_json(store, out, exported="fixed")
    return out.getvalue()


@pytest.fixture(scope="module")
def module_journal(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("hostile") / "journal.ties"
    store = Store.open(path)
    ana = store.add_person(Person(name="Ana Ruiz", organization="Globex"))
    dup = store.add_person(Person(name="Sam Lee"))
    store.add_person(Person(name="Sam Lee", organization="Initech"))  # an ambiguous name
    assert ana.id and dup.id
    store.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id], note="coffee ☕"))
    yield store
    store.close()


# ------------------------------------------------------------------ quick-add

TOKENS = st.sampled_from(
    [
        "gave", "received", "got", "mutual", "contact", "helped", "to", "from", "with", "for",
        "call", "meeting", "gift", "favor", "introduction", "#career_guidance", "#confidant",
        "#", "#unknown", "#café", "@Ana", "@\"Ana Ruiz\"", "@\"", "@", "@@", "@\"Sam Lee\"",
        "@Zoë", "@😀", "yesterday", "today", "tomorrow", "2026-02-30", "2026-01-05",
        "9999-99-99", "0001-01-01", "last", "friday", "in", "2", "weeks", "days", "ago",
        "a", "month", "w1", "w2", "w3", "w0", "w9", "w", "14:30", "25:99", "7pm", "at",
        "thanked", ":", ";", "; follow up", "; follow up in 2 weeks", "; follow-up 2020-01-01",
        "; follow up never", "\"", "\"\"", "\\", "\n", "\t", "\x00", "\u202e", "on",
    ]
)  # fmt: skip
LINES = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(TOKENS, st.text(max_size=12)), max_size=25).map(" ".join),
    st.lists(TOKENS, max_size=25).map("".join),
)


@FUZZ
@given(line=LINES)
def test_quick_add_parser_only_ever_raises_quick_add_error(line: str) -> None:
    keys = {"career_guidance", "confidant"}
    try:
        parsed = quickadd.parse(line, TODAY, keys)
    except QuickAddError as exc:
        assert str(exc).strip()
        assert 0 <= exc.start <= exc.end <= len(line)
    else:
        parsed.describe()


@FUZZ
@given(line=LINES)
def test_quick_add_save_path_keeps_the_journal_whole(module_journal: Store, line: str) -> None:
    """The line through the whole path behind `ties log` and the quick-add box."""
    store = module_journal
    before = _doc(store)
    try:
        quickadd.commit(store, line, TODAY)
    except (QuickAddError, JournalError):
        assert _doc(store) == before
    else:
        assert store.integrity_problems() == []


def test_ties_log_with_a_ten_megabyte_line_is_one_plain_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.open(db_path).close()
    rc = main(["--db", str(db_path), "log", "gave to @" + "x" * 10_000_000])
    err = capsys.readouterr().err
    assert rc == 1
    assert err.startswith("ties: error: That line is too long") and err.count("\n") == 1


@pytest.mark.parametrize("field", ["name", "notes", "organization"])
def test_ten_megabyte_fields_are_refused_with_a_clear_message(store: Store, field: str) -> None:
    before = _doc(store)
    person = Person(name="Ana")
    setattr(person, field, "ñ" * 10_000_000)
    with pytest.raises(ValidationError, match="too long") as caught:
        store.add_person(person)
    assert caught.value.field == field
    assert len(str(caught.value)) < 200
    assert _doc(store) == before


def test_ten_megabyte_entry_note_is_refused(store: Store) -> None:
    ana = store.add_person(Person(name="Ana"))
    assert ana.id
    before = _doc(store)
    with pytest.raises(ValidationError, match="too long"):
        store.add_entry(Entry(date=TODAY, person_ids=[ana.id], note="x" * 10_000_000))
    assert _doc(store) == before


# ------------------------------------------------------- mutated real files


def _mutate(data: bytes, rng: random.Random, kind: str) -> bytes:
    buf = bytearray(data)
    if not buf:
        return bytes(buf)
    if kind == "flip":
        for _ in range(rng.randint(1, 20)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    elif kind == "truncate":
        del buf[rng.randrange(len(buf)) :]
    elif kind == "splice":
        a, b = sorted(rng.randrange(len(buf)) for _ in range(2))
        at = rng.randrange(len(buf))
        buf[at:at] = buf[a:b] * rng.randint(1, 5)
    elif kind == "delete":
        a, b = sorted(rng.randrange(len(buf)) for _ in range(2))
        del buf[a:b]
    return bytes(buf)


@FUZZ
@given(
    sample=st.sampled_from(CONTACT_SAMPLES),
    kind=st.sampled_from(["flip", "truncate", "splice", "delete"]),
    seed=st.integers(0, 2**32 - 1),
    strict=st.booleans(),
)
def test_mutated_real_vcards(
    module_journal: Store, tmp_path_factory: pytest.TempPathFactory,
    sample: Path, kind: str, seed: int, strict: bool,
) -> None:  # fmt: skip
    store = module_journal
    path = tmp_path_factory.mktemp("vcf") / sample.name
    path.write_bytes(_mutate(sample.read_bytes(), random.Random(seed), kind))
    before = _doc(store)
    try:
        import_file(store, path, strict=strict, backup=False)
    except JournalError as exc:
        assert str(exc).strip()
        assert _doc(store) == before
    else:
        assert store.integrity_problems() == []


# ------------------------------------------------------------ untrusted SQLite


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("backup")
    with Store.open(folder / "source.ties") as store:
        for i in range(30):
            p = store.add_person(Person(name=f"Person {i} ü", notes="n" * 500))
            assert p.id
            store.add_entry(Entry(date=TODAY, person_ids=[p.id], note=f"note {i} " * 20))
        return store.backup_to(folder / "good.ties")


@FUZZ_RESTORE
@given(
    kind=st.sampled_from(["flip", "truncate", "splice", "delete"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_mutated_backups_are_refused_or_restored_whole(
    tmp_path_factory: pytest.TempPathFactory, good_backup: Path, kind: str, seed: int
) -> None:
    folder = tmp_path_factory.mktemp("restore")
    journal = folder / "journal.ties"
    with Store.open(journal) as store:
        store.add_person(Person(name="Mine"))
        before = _doc(store)
    bad = folder / "bad.ties"
    bad.write_bytes(_mutate(good_backup.read_bytes(), random.Random(seed), kind))
    try:
        backups.restore(bad, journal)
    except JournalError as exc:
        assert str(exc).strip()
        with Store.open(journal) as store:
            assert _doc(store) == before
    else:
        with Store.open(journal) as store:
            assert store.integrity_problems() == []


def _crafted(folder: Path, name: str, sql: list[str]) -> Path:
    """A real journal with extra objects of an attacker's choosing."""
    path = folder / name
    Store.open(path).close()
    conn = sqlite3.connect(path)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


CRAFTED = {
    "trigger": [
        "CREATE TRIGGER evil AFTER INSERT ON entries BEGIN "
        "INSERT INTO meta (key, value) VALUES ('pwned', 'yes'); END"
    ],
    "view": ["CREATE VIEW people_v AS SELECT name FROM people"],
    "newer-version": ["PRAGMA user_version = 999"],
    "foreign-app": ["PRAGMA application_id = 1"],
    "missing-table": ["DROP TABLE entry_support"],
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_crafted_sqlite_files_are_refused_before_anything_runs(tmp_path: Path, case: str) -> None:
    crafted = _crafted(tmp_path, f"{case}.ties", CRAFTED[case])
    journal = tmp_path / "journal.ties"
    with Store.open(journal) as store:
        store.add_person(Person(name="Mine"))
        before = _doc(store)
    with pytest.raises(JournalError):
        backups.restore(crafted, journal)
    with Store.open(journal) as store:
        assert _doc(store) == before
        ana = store.add_person(Person(name="Ana"))
        assert ana.id
        store.add_entry(Entry(date=TODAY, person_ids=[ana.id]))
        assert store.get_meta("pwned") is None
        objects = store.conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        ).fetchall()
        assert set(objects) == _own_objects(tmp_path)  # nothing but what Ties itself creates


def _own_objects(folder: Path) -> set[tuple[str, str, str]]:
    """The triggers and views of a fresh journal."""
    with Store.open(folder / "fresh-for-comparison.ties") as fresh:
        rows = fresh.conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        ).fetchall()
    assert all(r[1].startswith(("period_", "sync_")) for r in rows)
    return set(rows)


def test_untrusted_files_are_opened_read_only_with_defensive_settings(tmp_path: Path) -> None:
    crafted = _crafted(tmp_path, "x.ties", [])
    conn = backups.open_untrusted(crafted)
    try:
        assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        assert conn.execute("PRAGMA cell_size_check").fetchone()[0] == 1
        assert conn.execute("PRAGMA query_only").fetchone()[0] == 1
        with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
            conn.execute("CREATE TABLE t (x)")
    finally:
        conn.close()


# ------------------------------------------------------------------ size limits


def test_a_two_gigabyte_vcard_is_refused_without_reading_it(store: Store, tmp_path: Path) -> None:
    import tracemalloc

    huge = tmp_path / "huge.vcf"
    with open(huge, "wb") as fh:
        fh.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\n")
        fh.truncate(2 * 1024**3 + 1)  # sparse: takes no disk space
    before = _doc(store)
    tracemalloc.start()
    try:
        with pytest.raises(JournalError) as caught:
            import_file(store, huge, backup=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "GiB" in str(caught.value) and "not imported" in str(caught.value)
    assert peak < 50 * 1024**2
    assert _doc(store) == before


MILLION_COLUMNS = """
import resource, sys
from pathlib import Path
from ties.io.importers import import_file
from ties.store import JournalError, Store
store = Store.open(sys.argv[2])
try:
    import_file(store, Path(sys.argv[1]), backup=False)
    print("imported")
except JournalError as exc:
    print(exc)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux
"""


def test_a_million_column_csv_is_refused_in_bounded_memory(store: Store, tmp_path: Path) -> None:
    """Peak memory of a whole process importing it (tracemalloc would take ten times as long)."""
    import subprocess
    import sys

    from reliability_kit import child_env

    wide = tmp_path / "wide.csv"
    wide.write_text("Name," + ",".join(f"c{i}" for i in range(1_000_000)) + "\n")
    before = _doc(store)
    done = subprocess.run(
        [sys.executable, "-c", MILLION_COLUMNS, str(wide), str(store.path)],
        capture_output=True,
        text=True,
        env=child_env(tmp_path / "home"),
        check=True,
    )
    message, peak_kib = done.stdout.strip().splitlines()
    assert "1,000,001 columns" in message and len(message) < 200
    assert int(peak_kib) < 400 * 1024  # the file is 8 MB; nothing close to a copy per column
    assert _doc(store) == before


@pytest.mark.parametrize("name", ["\x00", "Ana\x00Ruiz", " \x00 "])
def test_names_with_nul_are_refused_plainly(store: Store, name: str) -> None:
    before = _doc(store)
    with pytest.raises(ValidationError, match="NUL"):
        store.add_person(Person(name=name))
    with pytest.raises((QuickAddError, JournalError)):
        quickadd.commit(store, f"gave to @{name}", TODAY)
    assert _doc(store) == before
