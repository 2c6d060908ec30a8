"""Export and import use cases, and the one text that reports an import.

``ties export``/``ties import`` and the window's Export and Import dialogs call
these; the formats come from :mod:`ties.app.formats`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ties.app.formats import EXPORT_FORMATS, Progress
from ties.app.journal import open_journal
from ties.io.importers import ImportReport, Mapping
from ties.model import Person
from ties.store import CorruptJournalError, JournalError, NotFoundError, PeopleFilter, Store

#: Finds the person a name given on the command line means (raising when none).
Resolver = Callable[[Store, str], Person]


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    path: Path
    people: int
    entries: int
    counts: str = "entries"  # what ``entries`` counts: a calendar holds "calendar items"

    def message(self) -> str:
        if self.counts == "people":
            return f"exported {self.people:,} people to {self.path}"
        if self.counts != "entries":
            return f"exported {self.entries:,} {self.counts} to {self.path}"
        return f"exported {self.people:,} people and {self.entries:,} entries to {self.path}"


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    """Damage met while reading the whole journal is a known error, not a bug."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise CorruptJournalError(f"the journal is damaged: {exc}; nothing was exported") from exc


def export_target_problem(target: Path) -> str | None:
    """Why ``target`` cannot be written as an export, or None: one wording for both adapters."""
    if target.is_dir():
        return f"{target} is a folder; give a file name"
    if not target.parent.is_dir():
        return f"the folder {target.parent} does not exist"
    return None


def export_store(
    store: Store,
    format_name: str,
    target: Path,
    *,
    progress: Progress | None = None,
    people: list[str] | None = None,
    vcard_version: str | None = None,
    resolve: Resolver | None = None,
) -> Exported:
    """Write the journal open in ``store`` to ``target`` in the named format.

    ``people`` (names or uuids, as ``--person`` gives them) and ``vcard_version`` are for
    the vCard export only: the named people instead of everybody, and 3.0 instead of
    4.0. ``resolve`` turns a name into a person (the command line's own, with its
    messages); by default an exact name or uuid.
    """
    fmt = EXPORT_FORMATS[format_name]
    options: dict[str, object] = {}
    if people:
        if "person_ids" not in fmt.options:
            raise JournalError(f"--person is for the vCard export, not {fmt.title}.")
        find = resolve or _person
        options["person_ids"] = [find(store, name).id for name in people]
    if vcard_version is not None:
        if "version" not in fmt.options:
            raise JournalError(f"--vcard-version is for the vCard export, not {fmt.title}.")
        options["version"] = vcard_version
    with _reading():
        written = fmt.write(store, target, progress=progress, **options)
        if fmt.counts == "people":
            return Exported(target, written, 0, fmt.counts)
        people_count = store.count_people(PeopleFilter(archived=None))
    return Exported(target, people_count, written, fmt.counts)


def _person(store: Store, name: str) -> Person:
    """The person a name or uuid means; one clear message when none."""
    person = store.get_person_by_uuid(name.strip().lower()) or store.resolve_person(name)
    if person is None:
        raise NotFoundError(f"There is no person named '{name}' in the journal.")
    return person


def export_journal(
    journal: Path,
    format_name: str,
    target: Path,
    *,
    people: list[str] | None = None,
    vcard_version: str | None = None,
    resolve: Resolver | None = None,
) -> Exported:
    """Open the journal read-only and export it (its own check is the export's full read)."""
    with _reading(), open_journal(journal, create=False, readonly=True, check=False) as store:
        return export_store(
            store,
            format_name,
            target,
            people=people,
            vcard_version=vcard_version,
            resolve=resolve,
        )


@dataclass(frozen=True)
class Imported:
    """An import's report, and whether the journal existed before it."""

    report: ImportReport
    journal: Path
    journal_existed: bool = True

    def text(self) -> str:
        missing = None if self.journal_existed else self.journal
        return import_report_text(self.report, missing_journal=missing)


def import_store(
    store: Store,
    source: Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    mapping: Mapping | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import ``source`` into the open journal (or only preview it): the window's import.

    ``progress`` is told how many records were read; ``cancelled`` is polled between them.
    """
    from ties.io.importers import import_file

    return import_file(
        store,
        source,
        dry_run=dry_run,
        strict=strict,
        mapping=mapping,
        progress=progress,
        cancelled=cancelled,
    )


def import_into(
    journal: Path,
    source: Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    mapping: Mapping | None = None,
    on_new_folder: Callable[[Path], None] | None = None,
) -> Imported:
    """Import ``source`` into the journal at ``journal`` (creating it), or only preview it.

    A dry run creates nothing, not even a missing journal: it previews against a
    new, empty journal in a temporary folder, which is what a real import would
    start from.
    """
    existed = journal.exists()
    if dry_run and not existed:
        with (
            tempfile.TemporaryDirectory(prefix="ties-dry-run-") as tmp,
            Store.open(Path(tmp) / journal.name) as store,
        ):
            report = import_store(store, source, dry_run=True, mapping=mapping, strict=strict)
    else:
        with open_journal(journal, on_new_folder=on_new_folder) as store:
            report = import_store(store, source, dry_run=dry_run, strict=strict, mapping=mapping)
    return Imported(report, journal, existed)


def import_report_text(report: ImportReport, *, missing_journal: Path | None = None) -> str:
    """The one text of an import (``ties import`` prints it, the window's preview shows it).

    A dry run speaks in the conditional ("would add"): nothing has been written
    yet. ``missing_journal`` is the journal a dry run found missing.
    """
    preview = report.dry_run
    head = "would import" if preview else "imported"
    lines = [f"{head} {report.source} ({report.format}): {report.summary(preview)}"]
    width = 12 if preview else 8
    for c in report.changes:
        if c.kind in ("circle", "support type") and c.action == "skipped":
            continue
        reason = f" ({c.reason})" if c.reason else ""
        lines.append(f"  {c.verb(preview):<{width}} {c.kind:<12} {c.label}{reason}")
    for problem in report.problems:
        lines.append(f"  unreadable: {problem}")
    for setting in report.settings:
        lines.append(f"  setting {_setting_line(setting, preview)}")
    fields = report.field_summary()
    if fields:
        lines.append(f"fields: {fields}")
    for note in report.notes:
        lines.append(f"  left out: {note}")
    for name, other in report.possible:
        lines.append(
            f"  possibly the same person: {name} and {other} (not merged; "
            "'ties person merge' joins them)"
        )
    if report.backup:
        lines.append(f"a backup from before the import is in {report.backup}")
    if preview and missing_journal is not None:
        lines.append(
            f"there is no journal at {missing_journal} yet: a real import would create it with "
            "what is listed above; dry run: nothing was written"
        )
    elif preview:
        lines.append("dry run: nothing was written")
    return "\n".join(lines)


def _setting_line(setting: str, preview: bool) -> str:
    """``applied: key = value`` as the report keeps it; a preview says ``would apply``."""
    if preview:
        for done, would in (("not applied: ", "would not apply: "), ("applied: ", "would apply: ")):
            if setting.startswith(done):
                return would + setting[len(done) :]
    return setting
