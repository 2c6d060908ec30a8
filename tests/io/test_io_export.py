"""JSON, CSV and Markdown exports, and reading Ties' own exports back."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ties.io.export_csv import ENTRIES_FILE, PEOPLE_FILE, export_csv, guard, unguard
from ties.io.export_json import FORMAT, VERSION, export_json, write_json
from ties.io.export_markdown import write_markdown
from ties.io.importers import ImportFormatError, ImportRefused, import_file
from ties.model import Entry, Person
from ties.store import Store


def _doc(store: Store) -> str:
    out = io.StringIO()
    write_json(store, out, exported="fixed")
    return out.getvalue()


def test_json_export_is_valid_json_with_everything(demo_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    n = export_json(demo_store, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == FORMAT and doc["version"] == VERSION == 2
    assert n == len(doc["entries"]) == demo_store.count_entries()
    assert len(doc["people"]) == demo_store.count_people(None) + 0 or doc["people"]
    assert {c["key"] for c in doc["circles"]} >= {"work", "family"}
    assert {t["key"] for t in doc["support_types"]} >= {"confidant"}
    first = doc["entries"][0]
    assert {"uuid", "date", "people", "support_types", "note"} <= first.keys()
    assert {e["uuid"] for e in doc["entries"]} == {
        e.uuid for e in demo_store.list_entries(limit=None)
    }


def test_fast_entry_records_match_the_entry_records(demo_store: Store) -> None:
    from ties.io.export_json import person_refs
    from ties.io.records import PersonRefs, entry_record, entry_record_from_row
    from ties.store import PeopleFilter

    refs = person_refs(demo_store.list_people(PeopleFilter(archived=None)))
    slow = PersonRefs(demo_store)
    demo_store.add_entry(
        Entry(
            date=date(2026, 1, 1),
            person_ids=[1, 2],
            on_behalf_of=3,
            time="09:30",
            follow_up=date(2026, 2, 1),
            support_types=["confidant", "belonging"],
        )
    )
    rows = [r for batch in demo_store.iter_entry_rows(batch=333) for r in batch]
    assert len(rows) == demo_store.count_entries()
    for row in rows:
        assert entry_record_from_row(row, refs) == entry_record(demo_store.get_entry(row[0]), slow)


def test_json_round_trip_gives_the_same_document(demo_store: Store, tmp_path: Path) -> None:
    demo_store.add_person(
        Person(name='Zoë "quoted"\nnewline', notes="line\u2028sep", archived=True)
    )
    path = tmp_path / "e.json"
    export_json(demo_store, path)
    with Store.open(tmp_path / "empty.ties") as empty:
        report = import_file(empty, path, backup=False)
        assert report.problems == []
        assert _doc(empty) == _doc(demo_store)
        again = import_file(empty, path, backup=False)
        assert again.total("added") == again.total("updated") == 0
        assert _doc(empty) == _doc(demo_store)


def test_json_merge_keeps_the_newer_edit(store: Store, tmp_path: Path) -> None:
    ana = store.add_person(Person(name="Ana", notes="old"))
    path = tmp_path / "a.json"
    export_json(store, path)
    other = Store.open(tmp_path / "other.ties")
    import_file(other, path, backup=False)
    theirs = other.get_person_by_uuid(ana.uuid)
    assert theirs is not None
    other.update_person(replace(theirs, notes="edited on the other device"))
    other.add_person(Person(name="Ben"))
    export_json(other, tmp_path / "b.json")
    report = import_file(store, tmp_path / "b.json", backup=False)
    assert report.counts[("updated", "person")] == 1
    assert report.counts[("added", "person")] == 1
    mine = store.get_person_by_uuid(ana.uuid)
    assert mine is not None and mine.notes == "edited on the other device"
    # an older copy does not overwrite the newer local edit
    store.update_person(replace(mine, notes="newest, here"))
    report = import_file(store, tmp_path / "b.json", backup=False)
    assert store.get_person_by_uuid(ana.uuid).notes == "newest, here"  # type: ignore[union-attr]
    assert any(c.reason == "the journal is newer" for c in report.changes)
    other.close()


def test_json_matches_people_by_name_and_organisation(store: Store, tmp_path: Path) -> None:
    store.add_person(Person(name="José Álvarez", organization="Globex"))
    doc = tmp_path / "x.json"
    other = Store.open(tmp_path / "o.ties")
    other.add_person(Person(name="jose alvarez", organization="GLOBEX", role="CTO"))
    export_json(other, doc)
    other.close()
    report = import_file(store, doc, backup=False)
    assert report.counts[("added", "person")] == 0
    assert store.count_people() == 1


def test_truncated_json_is_refused_and_nothing_written(demo_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    export_json(demo_store, path)
    text = path.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    with Store.open(tmp_path / "t.ties") as target:
        before = _doc(target)
        with pytest.raises((ImportFormatError, ImportRefused)):
            import_file(target, cut, backup=False)
        assert _doc(target) == before


def test_strict_refuses_a_file_with_a_bad_record(store: Store, tmp_path: Path) -> None:
    store.add_person(Person(name="Ana"))
    path = tmp_path / "e.json"
    export_json(store, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(lines) if '"name": "Ana"' in ln)
    bad = json.loads(lines[i].rstrip(","))
    bad["closeness"] = "very"
    lines[i] = json.dumps(bad) + ("," if lines[i].endswith(",") else "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store.open(path.with_suffix(".ties")) as target:
        before = _doc(target)
        with pytest.raises(ImportRefused, match="strict"):
            import_file(target, path, strict=True, backup=False)
        assert _doc(target) == before
        report = import_file(target, path, backup=False)
        assert report.unreadable == 1
        assert "closeness" in report.problems[0] and "line" in report.problems[0]


def test_reindented_json_is_still_read(store: Store, tmp_path: Path) -> None:
    store.add_person(Person(name="Ana"))
    path = tmp_path / "e.json"
    export_json(store, path)
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(json.loads(path.read_text()), indent=4), encoding="utf-8")
    with Store.open(tmp_path / "p.ties") as target:
        import_file(target, pretty, backup=False)
        assert _doc(target) == _doc(store)


# ------------------------------------------------------------------------ CSV


@pytest.mark.parametrize(
    ("raw", "guarded"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'quoted", "''quoted"),
        ("plain", "plain"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_csv_guard_and_unguard(raw: str, guarded: str) -> None:
    assert guard(raw) == guarded
    assert unguard(guard(raw)) == raw


def test_csv_export_guards_cells_and_round_trips(store: Store, tmp_path: Path) -> None:
    evil = store.add_person(
        Person(
            name="=cmd|' /C calc'!A0",
            organization="+SUM(1)",
            notes="@import\nsecond",
            role="'already quoted",
            mutuality=-1,
        )
    )
    store.add_entry(Entry(date=date(2026, 1, 5), person_ids=[evil.id or 0], note="-rm -rf"))
    path = tmp_path / "e.zip"
    export_csv(store, path)
    with zipfile.ZipFile(path) as zf:
        assert set(zf.namelist()) == {PEOPLE_FILE, ENTRIES_FILE}
        raw = zf.read(PEOPLE_FILE)
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
        entries = list(csv.DictReader(io.StringIO(zf.read(ENTRIES_FILE).decode("utf-8-sig"))))
    for row in rows + entries:
        for key, cell in row.items():
            if key != "mutuality":
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[0]["name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["mutuality"] == "-1"  # numbers are not text cells
    assert entries[0]["note"] == "'-rm -rf"
    with Store.open(tmp_path / "back.ties") as back:
        import_file(back, path, backup=False)
        assert _doc(back) == _doc(store)


# ------------------------------------------------------------------- Markdown


def test_markdown_report_has_people_and_histories(demo_store: Store) -> None:
    out = io.StringIO()
    n = write_markdown(demo_store, out, today=date(2026, 6, 30))
    text = out.getvalue()
    assert n == demo_store.count_entries()
    assert text.startswith("# ")
    person = demo_store.list_people()[0]
    assert f"### {person.name}" in text
    assert "#### History" in text
    assert text.count("\n- 20") >= demo_store.count_entries() * 0.9


def test_markdown_report_includes_the_analyses(demo_store: Store) -> None:
    from ties.analysis.coverage import compute_coverage
    from ties.analysis.render import coverage_markdown

    out = io.StringIO()
    write_markdown(demo_store, out, today=date(2026, 6, 30))
    text = out.getvalue()
    assert coverage_markdown(compute_coverage(demo_store, date(2026, 6, 30))).strip() in text
    assert "## Give and take" in text and "**Give and take:**" in text
