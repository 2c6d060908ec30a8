"""Import edge cases found in review: layouts, truncation, messages, when the backup is taken."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from ties.io.backup import list_backups
from ties.io.export_csv import export_csv
from ties.io.export_json import FORMAT, write_json
from ties.io.export_markdown import export_markdown
from ties.io.importers import ImportFormatError, ImportRefused, detect_format, import_file, own_json
from ties.io.importers.csv_contacts import UnknownColumnsError
from ties.store import Store


def _doc(store: Store) -> str:
    out = io.StringIO()
    write_json(store, out, exported="fixed")
    return out.getvalue()


@pytest.fixture
def export(demo_store: Store, tmp_path: Path) -> Path:
    path = tmp_path / "e.json"
    path.write_text(_doc(demo_store), encoding="utf-8")
    return path


def _one_line(src: Path, dst: Path) -> Path:
    with open(src, encoding="utf-8") as fh, open(dst, "w", encoding="utf-8") as out:
        json.dump(json.load(fh), out)
    return dst


def test_an_export_saved_on_one_line_imports_like_the_original(
    export: Path, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _one_line(export, tmp_path / "one.json")
    assert b"\n" not in one.read_bytes()
    monkeypatch.setattr(own_json, "MAX_LINE", 10_000)  # the file is longer than one record line
    assert one.stat().st_size > 10_000
    report = import_file(store, one, backup=False)
    with Store.open(tmp_path / "other.ties") as other:
        expected = import_file(other, export, backup=False)
    assert report.summary() == expected.summary() and report.unreadable == 0


@pytest.mark.parametrize("indent", [None, 2])
def test_an_export_with_sorted_keys_is_recognised(
    export: Path, tmp_path: Path, store: Store, indent: int | None
) -> None:
    doc = json.loads(export.read_text(encoding="utf-8"))
    doc["settings"] = {"note": {"format": FORMAT}}  # the format named deeper in, too
    path = tmp_path / "sorted.json"
    path.write_text(json.dumps(doc, sort_keys=True, indent=indent), encoding="utf-8")
    assert FORMAT.encode() not in path.read_bytes()[:4096]
    assert detect_format(path) == "json"
    assert import_file(store, path, backup=False).unreadable == 0
    del doc["format"]
    path.write_text(json.dumps(doc, sort_keys=True, indent=indent), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not a Ties"):
        import_file(store, path, backup=False)


def test_an_over_long_record_in_a_real_export_is_not_called_a_foreign_file(
    export: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(own_json, "MAX_LINE", 300)
    with pytest.raises(ImportFormatError) as caught:
        import_file(store, export, backup=False)
    assert "not a Ties export" not in str(caught.value)
    assert str(own_json.MAX_LINE) in str(caught.value).replace(",", "")


@pytest.mark.parametrize("cut", [1, 2])
def test_an_export_without_its_closing_brace_is_truncated(
    export: Path, tmp_path: Path, store: Store, cut: int
) -> None:
    data = export.read_bytes()
    assert data.endswith(b"]\n}\n")
    bad = tmp_path / "bad.json"
    bad.write_bytes(data[:-cut])  # "}\n" minus its newline still imports; minus "}" does not
    before = _doc(store)
    if cut == 1:
        import_file(store, bad, backup=False, dry_run=True)
        return
    with pytest.raises(ImportFormatError, match="is truncated"):
        import_file(store, bad)
    assert _doc(store) == before
    assert list_backups(store.path.stem) == []


def test_a_one_line_export_cut_short_is_truncated(
    export: Path, tmp_path: Path, store: Store
) -> None:
    one = _one_line(export, tmp_path / "one.json")
    bad = tmp_path / "bad.json"
    bad.write_bytes(one.read_bytes()[:-1])
    with pytest.raises(ImportFormatError, match="is truncated"):
        import_file(store, bad, backup=False)


def test_text_after_the_end_of_the_export_is_refused(
    export: Path, tmp_path: Path, store: Store
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(export.read_bytes() + b'{"more": 1}\n')
    with pytest.raises(ImportFormatError, match="after the end"):
        import_file(store, bad, backup=False)


def test_failed_imports_take_no_backup(export: Path, tmp_path: Path, store: Store) -> None:
    truncated = tmp_path / "t.json"
    truncated.write_bytes(export.read_bytes()[: export.stat().st_size // 2])
    with pytest.raises(ImportFormatError):
        import_file(store, truncated)
    strict = tmp_path / "s.vcf"
    strict.write_text("BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:\nEND:VCARD\n")
    with pytest.raises(ImportRefused):
        import_file(store, strict, strict=True)
    assert list_backups(store.path.stem) == []
    assert store.count_people() == 0
    report = import_file(store, strict)  # without --strict it imports, after a backup
    [b] = list_backups(store.path.stem)
    assert b.kind == "before-import" and report.backup == str(b.path)
    with Store.open(b.path, create=False) as copy:
        assert copy.count_people() == 0
    assert store.count_people() == 1


def test_a_folder_is_called_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "adir.vcf"
    folder.mkdir()
    with pytest.raises(ImportFormatError, match="is a folder"):
        detect_format(folder)


def test_a_truncated_zip_is_called_damaged(demo_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "e.zip"
    export_csv(demo_store, path)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ImportFormatError, match="damaged or truncated") as caught:
        detect_format(cut)
    assert "not a Ties CSV export" not in str(caught.value)


def test_a_zip_with_a_damaged_member_is_a_format_error(
    demo_store: Store, tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "e.zip"
    export_csv(demo_store, path)
    stored = tmp_path / "stored.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
    data = bytearray(stored.read_bytes())
    at = data.index(b"\r\n") + 2  # the first data row of people.csv, stored as is
    data[at] = ord("0") if data[at] != ord("0") else ord("1")  # a uuid digit: the CRC fails
    stored.write_bytes(bytes(data))
    before = _doc(store)
    with pytest.raises(ImportFormatError, match="damaged"):
        import_file(store, stored, backup=False)
    assert _doc(store) == before


@pytest.mark.parametrize("suffix", [".md", ".csv", ".txt"])
def test_our_markdown_report_is_recognised(demo_store: Store, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"report{suffix}"
    export_markdown(demo_store, path)
    with pytest.raises(ImportFormatError, match="is a Ties Markdown report; import the JSON"):
        detect_format(path)


def test_unknown_csv_headers_no_longer_ask_for_what_the_cli_cannot_do(
    tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Who,Where\nAnn,Paris\n")
    with pytest.raises(UnknownColumnsError) as caught:
        import_file(store, path, backup=False)
    assert "header" in str(caught.value)  # the window offers its mapping step on this word
    assert "by hand" not in str(caught.value)
