"""The JSON export: the whole journal in a versioned, documented format.

The layout is ordinary JSON with one record per line (see
``docs/export-format.md``), written as the store pages through the journal, so
memory does not grow with the journal's size and the importer can read it back
line by line too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ties.io.atomic import atomic_write, refuse_journal_target
from ties.io.records import entry_record_from_row, person_record
from ties.model import Circle, Person, SupportType, now_stamp
from ties.store import PeopleFilter, Store

FORMAT = "ties-export"
#: 2 added e-mails, phones, web links, addresses, birthday, dates, tags, kept vCard
#: lines, links and the photo to each person (issue #15); format 1 still imports.
VERSION = 2
SETTING_PREFIX = "setting:"

#: ``progress(done, total)`` is called now and then; raising from it stops the export.
Progress = Callable[[int, int], None]


def circle_record(c: Circle) -> dict[str, Any]:
    return {"key": c.key, "label": c.label, "position": c.position, "retired": c.retired}


def support_type_record(t: SupportType) -> dict[str, Any]:
    return {
        "key": t.key,
        "label": t.label,
        "family": t.family,
        "question": t.question,
        "position": t.position,
        "retired": t.retired,
    }


def _line(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def _settings(store: Store) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in sorted(_setting_keys(store)):
        out[key] = store.get_setting(key)
    return out


def _setting_keys(store: Store) -> Iterator[str]:
    # Settings are JSON values under "setting:<key>" in the meta table.
    for key in store.meta_keys(SETTING_PREFIX):
        yield key.removeprefix(SETTING_PREFIX)


def photo_record(data: bytes | None) -> dict[str, str] | None:
    """``{"mime", "data"}`` (base64) for a photo, or ``None``."""
    import base64

    from ties.store.person_details import photo_mime

    if data is None:
        return None
    return {"mime": photo_mime(data) or "image/jpeg", "data": base64.b64encode(data).decode()}


def person_export_record(store: Store, p: Person, linked: set[int]) -> dict[str, Any]:
    """A person as the export holds them: the JSON record, their links and their photo."""
    assert p.id is not None
    links = store.links(p.id) if p.id in linked else []
    photo = store.get_photo(p.id) if p.has_photo else None
    return person_record(p, links) | {"photo": photo_record(photo)}


def person_refs(people: list[Person]) -> dict[int, dict[str, str]]:
    """id → the ``{"name", "uuid"}`` an entry record names a person by."""
    return {p.id or 0: {"name": p.name, "uuid": p.uuid} for p in people}


def write_json(
    store: Store, out: TextIO, *, progress: Progress | None = None, exported: str | None = None
) -> int:
    """Write the export to ``out``; returns the number of entries written."""
    total = store.count_entries()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "schema_version": store.schema_version,
        "exported": exported or now_stamp(),
    }
    out.write("{\n")
    for key, value in header.items():
        out.write(f"{json.dumps(key)}: {json.dumps(value)},\n")
    out.write(f'"settings": {_line(_settings(store))},\n')

    def section(name: str, records: Iterator[Any], last: bool = False) -> None:
        out.write(f'"{name}": [\n')
        first = True
        for record in records:
            if not first:
                out.write(",\n")
            out.write(record if isinstance(record, str) else _line(record))
            first = False
        out.write("\n]" if not first else "]")
        out.write("\n" if last else ",\n")

    linked = {pid for pair in store.linked_pairs() for pid in pair}
    section("circles", (circle_record(c) for c in store.circles(include_retired=True)))
    section(
        "support_types",
        (support_type_record(t) for t in store.support_types(include_retired=True)),
    )
    people = store.list_people(PeopleFilter(archived=None))
    section("people", (person_export_record(store, p, linked) for p in people))
    refs = person_refs(people)
    done = 0
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

    def entries() -> Iterator[str]:
        nonlocal done
        for batch in store.iter_entry_rows():
            for row in batch:
                yield encode(entry_record_from_row(row, refs))
            done += len(batch)
            if progress:
                progress(done, total)

    section("entries", entries(), last=True)
    out.write("}\n")
    return done


def export_json(store: Store, target: Path, *, progress: Progress | None = None) -> int:
    """Write the export to ``target`` atomically (temporary name, then rename)."""
    refuse_journal_target(Path(target), store.path)
    with atomic_write(Path(target), "w") as fh:
        return write_json(store, fh, progress=progress)
