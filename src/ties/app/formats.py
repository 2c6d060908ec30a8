"""What Ties exports and imports: one registry of each, and the CSV mapping fields.

``ties export``/``ties import`` and the window's Export and Import dialogs
read their choices, file suffixes and descriptions from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ties.store import Store

#: ``progress(done, total)``, called now and then; raising from it stops the work.
Progress = Callable[[int, int], None]
Writer = Callable[..., int]


@dataclass(frozen=True)
class ExportFormat:
    """One export format.

    Attributes:
        name: what ``--format`` takes.
        title: the format's short name, as the window's list shows it.
        description: what it is for, as the window's list shows it.
        help: what it is for, as ``ties export --help`` says it.
        suffix: the file name's ending.
        container: ``"file"`` (one file) or ``"zip"`` (several files in a zip).
        writer: ``"module:function"`` writing the journal to a path, returning the number
            of ``counts`` written.
        counts: what the writer's number counts, as the report names it (``"entries"``,
            ``"people"``, ``"calendar items"``).
        options: the keyword options the writer takes besides ``progress``
            (``person_ids``: only these people; ``version``: the vCard version).
    """

    name: str
    title: str
    description: str
    help: str
    suffix: str
    container: Literal["file", "zip"]
    writer: str
    counts: str = "entries"
    options: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.title} ({self.description})"

    def write(
        self, store: Store, target: Path, *, progress: Progress | None = None, **options: object
    ) -> int:
        """Write with the writer; ``options`` the format does not take are an error."""
        unknown = set(options) - set(self.options)
        if unknown:
            raise ValueError(f"the {self.title} export takes no {', '.join(sorted(unknown))}")
        module, _, function = self.writer.partition(":")
        fn: Writer = getattr(importlib.import_module(module), function)
        return fn(store, target, progress=progress, **options)


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "json",
            "JSON",
            "everything, for another device",
            "every field, for moving to another device; see docs/export-format.md",
            ".json",
            "file",
            "ties.io.export_json:export_json",
        ),
        ExportFormat(
            "csv",
            "CSV",
            "people.csv and entries.csv in a zip",
            "a zip of people.csv and entries.csv for spreadsheets",
            ".zip",
            "zip",
            "ties.io.export_csv:export_csv",
        ),
        ExportFormat(
            "markdown",
            "Markdown",
            "a readable report",
            "a readable report",
            ".md",
            "file",
            "ties.io.export_markdown:export_markdown",
        ),
        ExportFormat(
            "vcard",
            "vCard",
            "contacts for an address book",
            "the people as contacts (vCard 4.0, or 3.0 with --vcard-version) for a phone's or "
            "desktop's address book; --person NAME exports only that person",
            ".vcf",
            "file",
            "ties.io.export_vcard:export_vcard",
            counts="people",
            options=("person_ids", "version"),
        ),
        ExportFormat(
            "ics",
            "Calendar",
            "follow-ups and yearly dates, for a calendar app",
            "follow-ups and yearly dates for a calendar app; see docs/window.md",
            ".ics",
            "file",
            "ties.io.ics:export_ics",
            counts="calendar items",
        ),
    )
}

#: The vCard versions ``ties export --format vcard --vcard-version`` writes; the first is
#: the default.
VCARD_VERSIONS: tuple[str, ...] = ("4.0", "3.0")


def export_help() -> str:
    """``json (…), csv (…), … or ics (…)``: the formats as ``ties export --help`` lists them."""
    parts = [f"{f.name} ({f.help})" for f in EXPORT_FORMATS.values()]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def export_name(path: Path, fmt: ExportFormat) -> Path:
    """``path`` ending in the format's suffix: another export's suffix (or .csv for the
    zipped CSV) is replaced, anything else is kept and the suffix appended."""
    if path.suffix.lower() == fmt.suffix:
        return path
    known = {f.suffix for f in EXPORT_FORMATS.values()} | {".csv", ".markdown", ".txt", ".vcard"}
    if path.suffix.lower() in known:
        return path.with_suffix(fmt.suffix)
    return path.with_name(path.name + fmt.suffix)


@dataclass(frozen=True)
class ImportFormat:
    """One format ``ties import`` recognises (by content: the suffixes only name files).

    ``name`` is what :func:`ties.io.importers.detect_format` returns.
    """

    name: str
    description: str
    suffixes: tuple[str, ...]
    container: Literal["file", "zip"]


IMPORT_FORMATS: dict[str, ImportFormat] = {
    f.name: f
    for f in (
        ImportFormat("json", "Ties JSON export", (".json",), "file"),
        ImportFormat("ties-csv", "Ties CSV export", (".zip",), "zip"),
        ImportFormat("vcard", "vCard", (".vcf", ".vcard"), "file"),
        ImportFormat("csv", "CSV contacts", (".csv",), "file"),
    )
}


def import_file_filter() -> str:
    """The Import dialog's file-type filter, from the suffixes above."""
    suffixes = " ".join(f"*{s}" for f in IMPORT_FORMATS.values() for s in f.suffixes)
    return f"Contacts and exports ({suffixes});;All files (*)"


#: Every contact field a CSV column can be mapped to, with the window's label, in the
#: order of :class:`ties.io.importers.Mapping`'s fields. ``ties import --map`` and the
#: Import dialog both read this list (a test holds it equal to Mapping's fields; it is
#: written out, not read from Mapping, so that building the command line's help does
#: not load every importer).
MAP_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Full name"),
    ("first", "First name"),
    ("middle", "Middle name"),
    ("last", "Last name"),
    ("organization", "Organisation"),
    ("role", "Title"),
    ("notes", "Notes"),
    ("categories", "Categories"),
    ("birthday", "Birthday"),
    ("email", "E-mail"),
)


def map_fields() -> tuple[tuple[str, str], ...]:
    """:data:`MAP_FIELDS`: ``(field, label)`` for every field a CSV column can hold."""
    return MAP_FIELDS


def map_field_names() -> tuple[str, ...]:
    return tuple(name for name, _label in MAP_FIELDS)
