"""Junk input is the user's problem, told in one line (exit 1), never a bug report (exit 70).

The cases of issue #20 item 15, each through the command line, then one
property test per importer: whatever the generated file, only the known
errors (:class:`JournalError`) come out of an import.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ties.cli import main
from ties.io.export_csv import export_csv
from ties.io.export_json import export_json
from ties.io.importers import import_file
from ties.model import Person
from ties.store import JournalError, Store

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def exports(tmp_path: Path) -> dict[str, Path]:
    """A real JSON export and CSV zip of a journal with one person."""
    with Store.open(tmp_path / "source.ties") as src:
        src.add_person(Person(name="Ana Ruiz"))
        export_json(src, tmp_path / "good.json")
        export_csv(src, tmp_path / "good.zip")
    return {"json": tmp_path / "good.json", "zip": tmp_path / "good.zip"}


def _person_line(path: Path) -> tuple[list[str], int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines, next(i for i, ln in enumerate(lines) if ln.startswith('{"uuid"'))


def _with_person(path: Path, edit: Any) -> bytes:
    lines, i = _person_line(path)
    record = json.loads(lines[i].rstrip(","))
    lines[i] = edit(record, lines[i])
    return "\n".join(lines).encode()


def _zip_flags(path: Path, *, method: int | None = None, encrypted: bool = False) -> bytes:
    """The zip with its members' compression method or encryption bit changed in place."""
    raw = bytearray(path.read_bytes())
    for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = raw.find(sig)
        while at >= 0:
            if encrypted:
                raw[at + flag_at] |= 1
            if method is not None:
                raw[at + method_at : at + method_at + 2] = method.to_bytes(2, "little")
            at = raw.find(sig, at + 1)
    return bytes(raw)


def _cases(exports: dict[str, Path]) -> dict[str, tuple[str, bytes]]:
    nested = "[" * 100_000 + "]" * 100_000
    big = str(10**30)
    return {
        "nested by line": (
            "json",
            _with_person(exports["json"], lambda r, ln: nested + ","),
        ),
        "nested whole": (
            "json",
            ('{"format": "ties-export", "people": [' + nested + "]}").encode(),
        ),
        "5,000 digits": (
            "json",
            _with_person(
                exports["json"],
                lambda r, ln: ln.replace('"closeness": 3', '"closeness": ' + "9" * 5000),
            ),
        ),
        "5,000 digits whole": (
            "json",
            ('{"format": "ties-export", "people": [{"closeness": ' + "9" * 5000 + "}]}").encode(),
        ),
        "10^30": (
            "json",
            _with_person(
                exports["json"],
                lambda r, ln: ln.replace('"cadence_days": null', '"cadence_days": ' + big),
            ),
        ),
        "encrypted zip": ("zip", _zip_flags(exports["zip"], encrypted=True)),
        "compression method 99": ("zip", _zip_flags(exports["zip"], method=99)),
    }


CASES = [
    "nested by line",
    "nested whole",
    "5,000 digits",
    "5,000 digits whole",
    "10^30",
    "encrypted zip",
    "compression method 99",
]


@pytest.mark.parametrize("case", CASES)
def test_junk_is_one_plain_line_and_exit_1(
    tmp_path: Path,
    exports: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    suffix, data = _cases(exports)[case]
    path = tmp_path / f"junk.{suffix}"
    path.write_bytes(data)
    db = tmp_path / "j.ties"
    with Store.open(db) as store:
        store.add_person(Person(name="Kept"))
    capsys.readouterr()
    rc = main(["--db", str(db), "import", str(path)])
    out, err = capsys.readouterr()
    assert "unexpected" not in err and "Traceback" not in err
    if rc == 0:  # read, with the bad record named as unreadable
        assert "unreadable" in out
    else:
        assert rc == 1
        assert len(err.strip().splitlines()) == 1, err
    with Store.open(db) as store:
        assert "Kept" in [p.name for p in store.list_people()]


# ------------------------------------------------------ one property per importer


def _only_known_errors(store: Store, path: Path) -> None:
    with contextlib.suppress(JournalError):
        import_file(store, path, backup=False, dry_run=True)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
PERSON_KEYS = st.sampled_from(
    ["uuid", "name", "closeness", "mutuality", "cadence_days", "met_on", "life_phases",
     "archived", "created", "updated", "circle"]
)  # fmt: skip


@SETTINGS
@given(
    changes=st.dictionaries(PERSON_KEYS, JSON_VALUES, max_size=4),
    depth=st.sampled_from([0, 0, 0, 5_000, 50_000]),
    whole=st.booleans(),
)
def test_json_importer(
    store: Store,
    tmp_path: Path,
    exports: dict[str, Path],
    changes: dict[str, Any],
    depth: int,
    whole: bool,
) -> None:
    lines, i = _person_line(exports["json"])
    record = json.loads(lines[i].rstrip(","))
    record.update(changes)
    text = json.dumps(record)
    if depth:
        text = text[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    lines[i] = text + ","
    doc = "\n".join(lines)
    if whole:  # the same export re-indented: read whole, not line by line
        doc = "\n".join("  " + ln for ln in lines)
    path = tmp_path / "gen.json"
    path.write_text(doc, encoding="utf-8")
    _only_known_errors(store, path)


@SETTINGS
@given(
    rows=st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=25), max_size=5),
    method=st.sampled_from([None, None, 0, 8, 12, 14, 93, 99]),
    encrypted=st.booleans(),
    duplicate=st.booleans(),
)
def test_ties_csv_importer(
    store: Store,
    tmp_path: Path,
    exports: dict[str, Path],
    rows: list[list[str]],
    method: int | None,
    encrypted: bool,
    duplicate: bool,
) -> None:
    with zipfile.ZipFile(exports["zip"]) as zf:
        people = zf.read("people.csv").decode("utf-8-sig")
        entries = zf.read("entries.csv")
    header = people.splitlines()[0]
    buf = io.StringIO()
    import csv

    csv.writer(buf).writerows(rows)
    made = tmp_path / "made.zip"
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("people.csv", header + "\n" + buf.getvalue())
        zf.writestr("entries.csv", entries)
        if duplicate:
            with pytest.warns(UserWarning):
                zf.writestr("people.csv", people)
    path = tmp_path / "gen.zip"
    path.write_bytes(_zip_flags(made, method=method, encrypted=encrypted))
    _only_known_errors(store, path)


@SETTINGS
@given(
    lines=st.lists(
        st.sampled_from(
            ["BEGIN:VCARD", "END:VCARD", "FN:Ana", "\ufeffBEGIN:VCARD", "\u00a0BEGIN:VCARD",
             "PHOTO;ENCODING=b:AAAA", " AAAA", "NOTE;ENCODING=QUOTED-PRINTABLE:a=", "=C3=A9",
             "END:VCARDBEGIN:VCARD", 'X;A="b:c":d']
        )
        | st.text(max_size=30),
        max_size=25,
    ),
    eols=st.lists(st.sampled_from(["\n", "\r", "\r\n", "\r\r\n"]), min_size=1, max_size=4),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]),
)  # fmt: skip
def test_vcard_importer(
    store: Store, tmp_path: Path, lines: list[str], eols: list[str], encoding: str
) -> None:
    text = "".join(ln + eols[i % len(eols)] for i, ln in enumerate(lines))
    path = tmp_path / "gen.vcf"
    path.write_bytes(text.encode(encoding, errors="replace"))
    _only_known_errors(store, path)


@SETTINGS
@given(
    lines=st.lists(
        st.sampled_from(
            ["Name,Notes", "Name", '"Name","Notes"', 'Ann,"open', 'Bob,"x""y"', "\ufeffName,Notes",
             "Cid,\x00", '"', "Dan,caf\udce9"]
        )
        | st.text(max_size=30),
        max_size=20,
    ),
    eol=st.sampled_from(["\n", "\r", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252"]),
)  # fmt: skip
def test_csv_importer(
    store: Store, tmp_path: Path, lines: list[str], eol: str, encoding: str
) -> None:
    text = eol.join(lines)
    path = tmp_path / "gen.csv"
    path.write_bytes(
        text.encode(encoding, errors="surrogateescape" if encoding == "utf-8" else "replace")
    )
    _only_known_errors(store, path)
