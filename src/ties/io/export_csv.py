"""The CSV export: ``people.csv`` and ``entries.csv`` in one zip, for spreadsheets.

Each file is UTF-8 with a byte-order mark (so spreadsheet programs pick the
right encoding) and CRLF line ends. Text cells that a spreadsheet would run as
a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) get a leading ``'``; so do cells that already start with ``'``, which
lets :func:`unguard` take exactly one prefix off again when Ties reads its own
CSV back. Entries stream from the store in batches.
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ties.io.atomic import atomic_write, refuse_journal_target
from ties.io.export_json import person_refs
from ties.io.records import entry_record_from_row, person_record
from ties.model import PROFILE_FIELDS
from ties.store import PeopleFilter, Store

PEOPLE_FILE = "people.csv"
ENTRIES_FILE = "entries.csv"
PEOPLE_COLUMNS = (
    "uuid",
    "name",
    *PROFILE_FIELDS,
    "archived",
    "last_contact",
    "created",
    "updated",
)
ENTRY_COLUMNS = (
    "uuid",
    "date",
    "time",
    "people",
    "people_uuids",
    "kind",
    "direction",
    "support_types",
    "weight",
    "on_behalf_of",
    "on_behalf_of_uuid",
    "note",
    "follow_up",
    "follow_up_done",
    "thanked",
    "created",
    "updated",
)
LIST_SEP = "; "
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: str) -> str:
    """Prefix ``'`` to a text cell a spreadsheet could take for a formula."""
    if value.startswith((*DANGEROUS, "'")):
        return "'" + value
    return value


def unguard(value: str) -> str:
    """Undo :func:`guard` (only ever one ``'``, and only before what guard protects)."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r'":
        return value[1:]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return guard(str(value))


def person_row(p: dict[str, Any]) -> list[str]:
    p = dict(p, life_phases=LIST_SEP.join(p["life_phases"]))
    return [_cell(p[c]) for c in PEOPLE_COLUMNS]


def entry_row(e: dict[str, Any]) -> list[str]:
    behalf = e["on_behalf_of"] or {}
    flat = dict(
        e,
        people=LIST_SEP.join(r["name"] for r in e["people"]),
        people_uuids=LIST_SEP.join(r["uuid"] for r in e["people"]),
        support_types=" ".join(e["support_types"]),
        on_behalf_of=behalf.get("name"),
        on_behalf_of_uuid=behalf.get("uuid"),
    )
    return [_cell(flat[c]) for c in ENTRY_COLUMNS]


@contextlib.contextmanager
def _csv_member(zf: zipfile.ZipFile, name: str, columns: tuple[str, ...]) -> Iterator[Any]:
    """A CSV writer into the zip member ``name`` (UTF-8 with BOM, CRLF), header written."""
    with zf.open(name, "w", force_zip64=True) as member:
        text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(columns)
        yield writer
        text.flush()
        text.detach()


def export_csv(
    store: Store, target: Path, *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the zip to ``target`` atomically; returns the number of entries."""
    refuse_journal_target(Path(target), store.path)
    total = store.count_entries()
    done = 0
    people = store.list_people(PeopleFilter(archived=None))
    with atomic_write(Path(target)) as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        with _csv_member(zf, PEOPLE_FILE, PEOPLE_COLUMNS) as writer:
            writer.writerows(person_row(person_record(p)) for p in people)
        with _csv_member(zf, ENTRIES_FILE, ENTRY_COLUMNS) as writer:
            refs = person_refs(people)
            for batch in store.iter_entry_rows():
                writer.writerows(entry_row(entry_record_from_row(r, refs)) for r in batch)
                done += len(batch)
                if progress:
                    progress(done, total)
    return done
