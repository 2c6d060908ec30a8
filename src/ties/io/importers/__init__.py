"""Importing into a journal: Ties' own exports, vCard and CSV contacts.

:func:`import_file` recognises the file by its content, reads it record by
record and writes everything in ONE transaction: a record that cannot be read
is listed (card or line) and skipped, ``strict`` refuses the whole file
instead, and a file with nothing readable is an error. With ``dry_run`` the
same work runs on an in-memory copy of the journal and is thrown away, which is
how the window's preview and ``ties import --dry-run`` know exactly what would
happen without taking the journal's write lock (``ties log`` goes on working,
and a read-only journal can be previewed). A real import runs that dry run
first and, only when the file would import, takes a backup of the journal
before writing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ties.io.importers import csv_contacts, own_csv, own_json, vcard
from ties.io.importers.contacts import ContactMerger
from ties.io.importers.csv_contacts import Mapping
from ties.io.importers.report import (
    ImportCancelled,
    ImportFormatError,
    ImportRefused,
    ImportReport,
)
from ties.store import JournalError, NotFoundError, Store

__all__ = [
    "FORMATS",
    "ImportCancelled",
    "ImportFormatError",
    "ImportRefused",
    "ImportReport",
    "Mapping",
    "detect_format",
    "import_file",
]

MAX_FILE = 2 * 1024 * 1024 * 1024  # contacts files above this are refused outright
MAX_OWN_FILE = 64 * 1024 * 1024 * 1024
HEAD = 64 * 1024
FORMATS = {
    "json": "Ties JSON export",
    "ties-csv": "Ties CSV export",
    "vcard": "vCard",
    "csv": "CSV contacts",
}
#: The first lines of :func:`ties.io.export_markdown.write_markdown`'s report.
MARKDOWN_REPORT = re.compile(
    rb"\A(?:\xef\xbb\xbf)?# [^\n]*\r?\n\r?\nA Ties journal report, \d{4}-\d{2}-\d{2}:"
)
_CLAIMS = {".json": "json", ".vcf": "vcard", ".vcard": "vcard", ".csv": "csv", ".zip": "ties-csv"}


class _Rollback(Exception):
    pass


def detect_format(path: Path) -> str:
    """One of :data:`FORMATS`, from the content; an error names what the file seems to be."""
    path = Path(path)
    if path.is_dir():
        raise ImportFormatError(f"{path} is a folder; give the file inside it to import.")
    if not path.exists():
        raise NotFoundError(f"There is no file at {path}.")
    if not path.is_file():
        # Reading a FIFO would wait for a writer forever; a device may never end.
        raise ImportFormatError(
            f"{path.name} is not a regular file (a pipe, device or socket); save the contacts "
            "to a file and import that."
        )
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(HEAD)
    if not head:
        raise ImportFormatError(f"{path.name} is empty.")
    if own_json.looks_like(head):
        return "json"
    if head.startswith(b"PK\x03\x04"):
        if own_csv.looks_like(path):
            return "ties-csv"
        if not own_csv.readable_zip(path):
            raise ImportFormatError(
                f"{path.name} is a damaged or truncated zip file (its table of contents cannot "
                "be read); export it again."
            )
        raise ImportFormatError(f"{path.name} is a zip file, but not a Ties CSV export.")
    if size > MAX_FILE:
        raise ImportFormatError(
            f"{path.name} is {size / 2**30:.1f} GiB; contacts files above "
            f"{MAX_FILE // 2**30} GiB are not imported."
        )
    if head.startswith(b"SQLite format 3\x00"):
        raise ImportFormatError(f"{path.name} is an SQLite file; use 'ties restore' for backups.")
    if MARKDOWN_REPORT.search(head[:4096]):
        raise ImportFormatError(
            f"{path.name} is a Ties Markdown report; import the JSON or CSV export instead."
        )
    if vcard.looks_like(head):
        return "vcard"
    claimed = _CLAIMS.get(path.suffix.lower())
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and own_json.declares_format(path):
        return "json"
    if claimed == "json" or head.lstrip().startswith((b"{", b"[")):
        raise ImportFormatError(f"{path.name} is not a Ties JSON export.")
    if claimed == "vcard":
        raise ImportFormatError(f"{path.name} has no BEGIN:VCARD line; it is not a vCard file.")
    if csv_contacts.looks_like(head):
        return "csv"
    raise ImportFormatError(
        f"{path.name} is not a file Ties imports (a Ties export, vCard or CSV contacts)."
    )


def import_file(
    store: Store,
    path: Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    mapping: Mapping | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    backup: bool = True,
) -> ImportReport:
    """Import ``path`` into ``store`` in one transaction (or only preview it).

    Args:
        mapping: the columns of a CSV file whose headers Ties does not recognise.
        progress: called with the number of records read so far, now and then.
        cancelled: polled between records; when it returns true, everything is
            rolled back and :class:`ImportCancelled` is raised.
        backup: take a backup before writing (always, except in tests that
            need none).
    """
    path = Path(path)
    kind = detect_format(path) if mapping is None else "csv"
    if not dry_run and backup:
        # The safety backup is taken only for a file that would import: the same
        # work runs first as a dry run (rolled back), so a truncated file or a
        # --strict refusal does not push a useful backup out of the rotation.
        _run(store, path, kind, True, strict, mapping, progress, cancelled)
        from ties.io.backup import safety_backup

        saved = str(safety_backup(store, "import"))
        report = _run(store, path, kind, False, strict, mapping, progress, cancelled)
        report.backup = saved
        return report
    if dry_run:
        with _scratch_copy(store) as copy:
            return _run(copy, path, kind, True, strict, mapping, progress, cancelled)
    return _run(store, path, kind, dry_run, strict, mapping, progress, cancelled)


@contextlib.contextmanager
def _scratch_copy(store: Store) -> Iterator[Store]:
    """The journal copied into memory, for a dry run that must not lock or write the file.

    The copy is read through SQLite's backup API in one read transaction (no write lock,
    so other processes go on writing), and is gone when the block ends.
    """
    memory = store.memory_copy()
    try:
        yield Store(memory, store.path, False)
    finally:
        memory.close()


def _run(
    store: Store,
    path: Path,
    kind: str,
    dry_run: bool,
    strict: bool,
    mapping: Mapping | None,
    progress: Callable[[int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> ImportReport:
    """Read ``path`` and merge it in one transaction, rolled back when ``dry_run``."""
    report = ImportReport(source=path.name, format=FORMATS[kind], dry_run=dry_run)
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None and count % 200 == 0:
            progress(count)

    try:
        with store.transaction():
            if kind in ("json", "ties-csv"):
                records = (
                    own_json.read_records(path) if kind == "json" else own_csv.read_records(path)
                )
                own_json.import_records(store, records, report, tick)
            else:
                if kind == "vcard":
                    contacts = vcard.read_contacts(path)
                else:
                    contacts = csv_contacts.read_contacts(path, mapping)
                    _name_csv_format(path, report, mapping)
                merger = ContactMerger(store, report)
                for where, item in contacts:
                    tick()
                    if isinstance(item, Exception):
                        report.problem(where, str(item))
                        continue
                    try:
                        merger.merge(merger.check(item), where)
                    except (ValueError, JournalError) as exc:
                        report.problem(where, str(exc))
                merger.finish()
            _judge(report, strict)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if progress is not None:
        progress(count)
    return report


def _name_csv_format(path: Path, report: ImportReport, mapping: Mapping | None) -> None:
    if mapping is not None:
        report.format = "CSV (columns chosen by hand)"
        return
    with contextlib.suppress(JournalError):
        report.format = csv_contacts.program(csv_contacts.headers_of(path))


def _judge(report: ImportReport, strict: bool) -> None:
    if report.unreadable and strict:
        first = report.problems[0] if report.problems else ""
        raise ImportRefused(
            f"{report.source}: {report.unreadable} record(s) could not be read (first: {first}); "
            "--strict refused the whole file. Nothing was written."
        )
    if report.readable == 0:
        detail = f" ({report.problems[0]})" if report.problems else ""
        raise ImportRefused(
            f"{report.source}: nothing in it could be read{detail}. Nothing was written."
        )
