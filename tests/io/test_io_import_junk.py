"""Property tests: junk fed to every importer never corrupts the journal or crashes.

Whatever the bytes, an import either gives a report or a known error; after a
known error, and after any dry run, the journal is exactly as it was (compared
through a full JSON export).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ties.io.export_json import export_json, write_json
from ties.io.importers import import_file
from ties.model import Entry, Person
from ties.store import JournalError, Store

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _doc(store: Store) -> str:
    out = io.StringIO()
    write_json(store, out, exported="fixed")
    return out.getvalue()


@pytest.fixture
def journal(store: Store) -> Store:
    from datetime import date

    ana = store.add_person(Person(name="Ana Ruiz", organization="Globex"))
    store.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id or 0], note="coffee"))
    return store


VCARD_LINES = st.sampled_from(
    [
        "BEGIN:VCARD",
        "END:VCARD",
        "VERSION:2.1",
        "VERSION:3.0",
        "FN:Ana Ruiz",
        "FN:",
        "N:Ruiz;Ana;;;",
        "ORG:Globex",
        "NOTE;ENCODING=QUOTED-PRINTABLE:a=",
        "=C3=",
        " folded",
        "NOTE;CHARSET=SHIFT_JIS:\x83\x81",
        "BDAY:99999999",
        "CATEGORIES:,,,",
        "ORG:;;;",
        "PHOTO;ENCODING=b:AAAA",
        ":",
        ";;;",
        "FN;CHARSET=nonsense:x",
        "\\",
        "X:\\n\\,\\;",
    ]
)
CSV_LINES = st.sampled_from(
    [
        "First Name,Last Name,Company",
        "Name,Notes",
        "Vorname;Nachname;Firma",
        '"',
        '""',
        "a,b,c",
        ",,,,,,",
        '"unterminated,x',
        "\t\t",
        "=1+2,@x,-3",
        "Notes:",
    ]
)


def _check(store: Store, path: Path, dry_run: bool, strict: bool) -> None:
    before = _doc(store)
    try:
        import_file(store, path, dry_run=dry_run, strict=strict, backup=False)
    except JournalError:
        assert _doc(store) == before
        return
    if dry_run:
        assert _doc(store) == before


@SETTINGS
@given(
    data=st.binary(max_size=2000),
    suffix=st.sampled_from([".vcf", ".csv", ".json", ".zip"]),
    dry_run=st.booleans(),
    strict=st.booleans(),
)
def test_random_bytes(
    journal: Store, tmp_path: Path, data: bytes, suffix: str, dry_run: bool, strict: bool
) -> None:
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(data)
    _check(journal, path, dry_run, strict)


@SETTINGS
@given(
    lines=st.lists(st.one_of(VCARD_LINES, st.text(max_size=40)), max_size=30),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]),
    ending=st.sampled_from(["\n", "\r\n", "\r\r\n", "\r"]),
    dry_run=st.booleans(),
)
def test_vcard_like_junk(
    journal: Store, tmp_path: Path, lines: list[str], encoding: str, ending: str, dry_run: bool
) -> None:
    path = tmp_path / "junk.vcf"
    path.write_bytes(ending.join(lines).encode(encoding, errors="replace"))
    _check(journal, path, dry_run, strict=False)


@SETTINGS
@given(
    lines=st.lists(st.one_of(CSV_LINES, st.text(max_size=40)), max_size=20),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    dry_run=st.booleans(),
)
def test_csv_like_junk(
    journal: Store, tmp_path: Path, lines: list[str], encoding: str, dry_run: bool
) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
    _check(journal, path, dry_run, strict=False)


@SETTINGS
@given(
    cut=st.integers(min_value=0, max_value=10_000),
    flip=st.integers(min_value=0),
    byte=st.integers(min_value=0, max_value=255),
    dry_run=st.booleans(),
)
def test_damaged_own_export(
    journal: Store, tmp_path: Path, cut: int, flip: int, byte: int, dry_run: bool
) -> None:
    good = tmp_path / "good.json"
    if not good.exists():
        export_json(journal, good)
    data = bytearray(good.read_bytes())
    data[flip % len(data)] = byte
    path = tmp_path / "damaged.json"
    path.write_bytes(bytes(data[: max(1, len(data) - cut)]))
    _check(journal, path, dry_run, strict=False)
