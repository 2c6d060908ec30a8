"""ties.app.formats: the export and import registries and the CSV mapping fields."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ties.app.formats import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    export_name,
    import_file_filter,
    map_field_names,
    map_fields,
)
from ties.io.importers import FORMATS, Mapping
from ties.store import Store


def test_map_fields_are_every_column_field_of_mapping_each_labelled() -> None:
    columns = [f.name for f in dataclasses.fields(Mapping) if f.default is None]
    assert list(map_field_names()) == columns
    labels = [label for _name, label in map_fields()]
    assert len(set(labels)) == len(labels) and all(labels)


def test_the_import_registry_knows_every_format_the_importer_detects() -> None:
    assert set(IMPORT_FORMATS) == set(FORMATS)
    for name, fmt in IMPORT_FORMATS.items():
        assert fmt.description == FORMATS[name]
    assert "*.vcf" in import_file_filter() and "*.zip" in import_file_filter()


def test_the_export_choices_of_the_command_line_are_the_registry() -> None:
    from ties.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    export = sub.choices["export"]  # type: ignore[index]
    fmt = next(a for a in export._actions if a.dest == "format")
    assert tuple(fmt.choices) == tuple(EXPORT_FORMATS)


@pytest.mark.parametrize("name", list(EXPORT_FORMATS))
def test_each_export_format_writes_its_file(name: str, store: Store, tmp_path: Path) -> None:
    import zipfile

    fmt = EXPORT_FORMATS[name]
    target = tmp_path / f"out{fmt.suffix}"
    assert fmt.write(store, target) == 0
    assert target.is_file() and zipfile.is_zipfile(target) == (fmt.container == "zip")


def test_export_names_follow_the_format() -> None:
    zipped, json = EXPORT_FORMATS["csv"], EXPORT_FORMATS["json"]
    assert export_name(Path("a/exp.csv"), zipped) == Path("a/exp.zip")
    assert export_name(Path("a/exp"), zipped) == Path("a/exp.zip")
    assert export_name(Path("a/v1.2"), json) == Path("a/v1.2.json")
    assert export_name(Path("a/r.md"), json) == Path("a/r.json")
