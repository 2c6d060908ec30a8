"""Every journal format that ever shipped opens (and upgrades) with its content intact.

One fixture per shipped schema version lives in ``tests/fixtures/journals``
(``v<N>.ties`` written by that version's code, ``v<N>.json`` the rows it held).
A new schema version adds a file there (``scripts/make_fixture_journal.py``)
and this test picks it up.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from reliability_kit import FIXTURE_JOURNALS, dump_rows

from ties.store import Store, schema

FIXTURES = sorted(FIXTURE_JOURNALS.glob("v*.ties"), key=lambda p: int(p.stem[1:]))

#: Tables of sums derived from the entries that a later version replaced (v7 keeps sums
#: per period instead of v4's one window): not the user's content, so they may go.
REPLACED_DERIVED = frozenset({"window_span", "window_support", "window_people"})


def _expected(fixture: Path) -> dict:
    import json

    return json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))


def test_fixtures_cover_every_version_from_the_first() -> None:
    """v1, v2, … without gaps; a version still in development may not have one yet.

    Shipping a new schema version includes running scripts/make_fixture_journal.py.
    """
    versions = [int(p.stem[1:]) for p in FIXTURES]
    assert versions and versions == list(range(1, len(versions) + 1))
    assert versions[-1] <= schema.SCHEMA_VERSION
    for p in FIXTURES:
        assert p.with_suffix(".json").exists(), f"{p.name} has no expected rows"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_upgrades_with_content_intact(fixture: Path, tmp_path: Path) -> None:
    expected = _expected(fixture)
    journal = tmp_path / "journal.ties"
    shutil.copyfile(fixture, journal)
    with Store.open(journal) as store:
        assert store.schema_version == schema.SCHEMA_VERSION
        assert store.integrity_problems() == []
        # Non-ASCII text is still findable through the rebuilt-or-kept search index.
        assert store.search("Kraków")
        assert store.search("张博")
    rows = dump_rows(journal)
    for table, old_rows in expected["tables"].items():
        if table in REPLACED_DERIVED or table == "period_window":  # where the window ends: today
            continue
        assert table in rows, f"table {table} disappeared"
        new_rows = rows[table]
        if table.startswith("period_"):  # the kept window (v9) moves with the day: derived
            new_rows = [r for r in new_rows if r.get("period") != "window"]
            old_rows = [r for r in old_rows if r.get("period") != "window"]
        assert len(new_rows) == len(old_rows), table
        # Later versions may add columns; every column the old version had keeps its value.
        projected = sorted(
            ({k: r.get(k) for k in old_rows[0]} for r in new_rows),
            key=lambda r: str(sorted(r.items())),
        )
        assert projected == sorted(old_rows, key=lambda r: str(sorted(r.items()))), table
    if expected["schema_version"] < schema.SCHEMA_VERSION:
        assert list(tmp_path.glob("journal.before-v*.bak")), "no copy set aside before migrating"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_reopening_an_upgraded_fixture_is_a_no_op(fixture: Path, tmp_path: Path) -> None:
    journal = tmp_path / "journal.ties"
    shutil.copyfile(fixture, journal)
    Store.open(journal).close()
    rows = dump_rows(journal)
    sql = _schema_sql(journal)
    version = _user_version(journal)
    asides = sorted(tmp_path.glob("*.bak"))
    with Store.open(journal) as store:
        assert store.schema_version == schema.SCHEMA_VERSION
    assert dump_rows(journal) == rows
    assert sorted(tmp_path.glob("*.bak")) == asides, "a second copy was set aside"
    assert _schema_sql(journal) == sql
    assert _user_version(journal) == version == schema.SCHEMA_VERSION


def _schema_sql(path: Path) -> list[tuple[str, str]]:
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def _user_version(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(
    "fixture", [p for p in FIXTURES if int(p.stem[1:]) < 7], ids=lambda p: p.stem
)
def test_an_older_journal_gets_its_period_sums(fixture: Path, tmp_path: Path) -> None:
    """v7 sums every month, year and all time of the entries already there."""
    from ties.store.window_totals import kept_problems, summed, window_totals

    journal = tmp_path / "journal.ties"
    shutil.copyfile(fixture, journal)
    with Store.open(journal) as store:
        assert store.conn.execute("SELECT count(*) FROM period_people").fetchone()[0] > 0
        assert kept_problems(store.conn) == []
        for start, as_of in (("2025-06-30", "2026-06-30"), ("1999-01-01", "2030-01-01")):
            kept = window_totals(store, start, as_of)
            rows = summed(store.conn, start, as_of)
            assert kept.held and kept.people
            assert sorted(kept.sides) == sorted(rows.sides)
            assert sorted(kept.people) == sorted(rows.people)
        assert not store.conn.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'window_%'"
        ).fetchall()
