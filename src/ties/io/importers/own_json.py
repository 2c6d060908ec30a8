"""Reading Ties' own JSON export back: merge by UUID, the newer edit of each row wins.

The export puts one record per line, so a file of any size is read line by
line with bounded memory. A file in another layout (re-indented, or saved on
one line by ``jq -c`` or ``json.dump``) is still ordinary JSON and is parsed
whole, up to :data:`MAX_WHOLE` bytes. Either way the JSON must be complete: a
file that stops before its closing ``}`` is refused as truncated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from ties.io.export_json import FORMAT, VERSION
from ties.io.importers.report import ImportFormatError, ImportReport
from ties.model import (
    Address,
    Circle,
    Detail,
    Entry,
    ImportantDate,
    Person,
    SupportType,
    check_partial_date,
)
from ties.store import JournalError, PeopleFilter, Store, fold

MAX_LINE = 2_000_000  # bytes in one record line
MAX_WHOLE = 256 * 1024 * 1024  # a file not in the line layout is parsed whole up to this size
MAX_INT = 2**53  # whole numbers beyond this are no count, position or weight Ties writes
SECTIONS = ("circles", "support_types", "people", "entries")
_OPEN = re.compile(r'^"(\w+)": ?\[(\])?(,?)$')

Record = tuple[str, int | str, Any]  # section, line number (or where, as text), value


def looks_like(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and FORMAT.encode() in head[:4096]


_FORMAT_KEY = re.compile(rb'"format"\s*:\s*"' + FORMAT.encode() + rb'"')


def declares_format(path: Path) -> bool:
    """Whether a JSON file of at most :data:`MAX_WHOLE` bytes names the export format anywhere.

    For exports whose keys a tool sorted (``jq -S``): ``"format"`` is then not
    near the start, where :func:`looks_like` looks.
    """
    if path.stat().st_size > MAX_WHOLE:
        return False
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            if _FORMAT_KEY.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _records_by_line(fh: BinaryIO, name: str) -> Iterator[Record]:
    section: str | None = None
    seen_format = False
    closed = False  # the export's final "}" was read
    lineno = 0
    while True:
        raw = fh.readline(MAX_LINE + 1)
        if not raw:
            break
        lineno += 1
        if len(raw) > MAX_LINE:
            if not seen_format:  # the whole export on one line, say: read it whole
                raise _Layout
            raise ImportFormatError(
                f"{name}, line {lineno}: a record longer than {MAX_LINE:,} bytes, more than "
                "Ties reads as one record."
            )
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            raise ImportFormatError(f"{name}, line {lineno}: not UTF-8 text.") from None
        if not line:
            continue
        if closed:
            raise ImportFormatError(
                f"{name}, line {lineno}: more text after the end of the export."
            )
        if raw[:1] in (b" ", b"\t"):  # indented: re-formatted by some tool, not our layout
            if not seen_format:
                raise _Layout
            raise ImportFormatError(f"{name}, line {lineno}: not in the layout of a Ties export.")
        if section is None:
            if line == "{":
                continue
            if line == "}" and seen_format:
                closed = True
                continue
            m = _OPEN.match(line) if seen_format else None
            if m:
                if m.group(2) is None:
                    section = m.group(1)
                continue
            try:
                pair = json.loads("{" + line.rstrip(",") + "}")
            except (ValueError, RecursionError):
                if not seen_format:
                    raise _Layout from None
                raise ImportFormatError(f"{name}, line {lineno}: not a Ties export line.") from None
            if not seen_format:
                if pair.get("format") != FORMAT:
                    raise _Layout
                seen_format = True
            yield ("header", lineno, pair)
            continue
        if line in ("]", "],"):
            section = None
            continue
        try:
            value = json.loads(line.rstrip(","))
        except json.JSONDecodeError as exc:
            yield (section, lineno, _Bad(f"not valid JSON ({exc.msg})"))
            continue
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, deep nesting
            yield (section, lineno, _Bad(_why(exc)))
            continue
        yield (section, lineno, value)
    if not seen_format:
        raise _Layout
    if section is not None:
        raise ImportFormatError(f"{name} is truncated: it ends inside '{section}'.")
    if not closed:
        raise ImportFormatError(f"{name} is truncated: it ends before the export's closing '}}'.")


class _Layout(Exception):
    """The file is not in the one-record-per-line layout."""


def _why(exc: BaseException) -> str:
    """What is wrong with JSON the parser gave up on for a reason other than its syntax."""
    if isinstance(exc, RecursionError):
        return "values nested too deeply"
    if "digits" in str(exc):
        return "a number with thousands of digits"
    return f"not valid JSON ({exc})"


class _Bad:
    def __init__(self, why: str) -> None:
        self.why = why


def _records_whole(path: Path, name: str) -> Iterator[Record]:
    if path.stat().st_size > MAX_WHOLE:
        raise ImportFormatError(
            f"{name} is not laid out like a Ties export (one record per line) and is too large "
            f"to read whole ({path.stat().st_size:,} bytes; at most {MAX_WHOLE:,})."
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{name} is not UTF-8 text: {exc}") from None
    try:
        doc = json.loads(text)
    except RecursionError:
        raise ImportFormatError(f"{name} is not a Ties export: {_why(RecursionError())}.") from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):  # the text ran out before the JSON was complete
            raise ImportFormatError(
                f"{name} is truncated: the JSON stops before its end."
            ) from None
        raise ImportFormatError(f"{name} is not valid JSON: {exc}") from None
    except ValueError as exc:  # a number of more digits than Python converts
        raise ImportFormatError(f"{name} is not a Ties export: {_why(exc)}.") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ImportFormatError(f"{name} is JSON, but not a Ties export.")
    yield ("header", 0, {k: v for k, v in doc.items() if k not in SECTIONS})
    for section in SECTIONS:
        items = doc.get(section, [])
        if not isinstance(items, list):
            raise ImportFormatError(f"{name}: '{section}' is not a list.")
        for n, item in enumerate(items, 1):
            yield (section, f"{section} record {n}", item)


def read_records(path: Path) -> Iterator[Record]:
    name = path.name
    try:
        with open(path, "rb") as fh:
            yield from _records_by_line(fh, name)
        return
    except _Layout:
        pass
    yield from _records_whole(path, name)


# --------------------------------------------------------------- conversion


def _text(d: dict[str, Any], key: str, default: str = "") -> str:
    value = d.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValueError(f"'{key}' is not text")
    return value


def _int(d: dict[str, Any], key: str, default: int | None) -> int | None:
    value = d.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"'{key}' is not a whole number")
    if abs(value) > MAX_INT:
        raise ValueError(f"'{key}' is out of range")
    return value


def _bool(d: dict[str, Any], key: str) -> bool:
    value = d.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"'{key}' is not true or false")
    return value


def _date(d: dict[str, Any], key: str) -> date | None:
    value = d.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"'{key}' is not a date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{key}' is not a YYYY-MM-DD date") from None


def _uuid(d: dict[str, Any]) -> str:
    value = _text(d, "uuid")
    if not re.fullmatch(r"[0-9A-Za-z-]{8,64}", value):
        raise ValueError("missing or malformed 'uuid'")
    return value


def _stamp(d: dict[str, Any], key: str) -> str:
    value = _text(d, key)
    if len(value) > 40:
        raise ValueError(f"'{key}' is not a timestamp")
    return value


def _objects(d: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = d.get(key) or []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise ValueError(f"'{key}' is not a list of objects")
    return value


def _texts(d: dict[str, Any], key: str) -> list[str]:
    value = d.get(key) or []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ValueError(f"'{key}' is not a list of text")
    return list(value)


def _partial_date(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"'{key}' is not a date")
    try:
        check_partial_date(value)
    except ValueError as exc:
        raise ValueError(f"'{key}': {exc}") from None
    return value


def _details(d: dict[str, Any], key: str) -> list[Detail]:
    return [Detail(_text(x, "label"), _text(x, "value")) for x in _objects(d, key)]


def person_from(d: dict[str, Any]) -> Person:
    """A person record of any export version (format 1 has no contact details)."""
    phases = d.get("life_phases") or []
    if not isinstance(phases, list) or not all(isinstance(s, str) for s in phases):
        raise ValueError("'life_phases' is not a list of text")
    birthday = d.get("birthday")
    return Person(
        uuid=_uuid(d),
        name=_text(d, "name"),
        circle=_text(d, "circle", "other") or "other",
        organization=_text(d, "organization"),
        role=_text(d, "role"),
        how_met=_text(d, "how_met"),
        met_on=_date(d, "met_on"),
        life_phases=list(phases),
        closeness=_int(d, "closeness", 3) or 3,
        mutuality=_int(d, "mutuality", 0) or 0,
        interests=_text(d, "interests"),
        needs=_text(d, "needs"),
        offers=_text(d, "offers"),
        notes=_text(d, "notes"),
        cadence_days=_int(d, "cadence_days", None),
        archived=_bool(d, "archived"),
        created=_stamp(d, "created"),
        updated=_stamp(d, "updated"),
        emails=_details(d, "emails"),
        phones=_details(d, "phones"),
        urls=_details(d, "urls"),
        addresses=[Address(*(_text(a, k) for k in ADDRESS_KEYS)) for a in _objects(d, "addresses")],
        birthday=None if birthday in (None, "") else _partial_date(birthday, "birthday"),
        dates=[
            ImportantDate(
                _text(x, "label"),
                _partial_date(x.get("date"), "dates"),
                x.get("yearly", True) is not False,
            )
            for x in _objects(d, "dates")
        ],
        tags=_texts(d, "tags"),
        extra=_texts(d, "extra"),
    )


ADDRESS_KEYS = ("label", "street", "locality", "region", "postcode", "country")
PHOTO_TYPES = ("image/jpeg", "image/png")


def photo_from(d: dict[str, Any]) -> tuple[bool, bytes | None]:
    """(whether the record has a ``photo`` key, the photo's bytes or ``None`` for null)."""
    import base64
    import binascii

    if "photo" not in d:
        return False, None
    value = d["photo"]
    if value is None:
        return True, None
    if not isinstance(value, dict) or value.get("mime") not in PHOTO_TYPES:
        raise ValueError('\'photo\' is not {"mime": image/jpeg or image/png, "data": …}')
    try:
        return True, base64.b64decode(_text(value, "data"), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("'photo' data is not base64") from None


def _ref(value: Any) -> tuple[str, str]:
    if not isinstance(value, dict):
        raise ValueError("a person reference is not an object")
    return _text(value, "uuid"), _text(value, "name")


# ------------------------------------------------------------------- merging


class JsonMerger:
    """Applies the records of a Ties export to a journal, in the caller's transaction."""

    def __init__(self, store: Store, report: ImportReport) -> None:
        self.store = store
        self.report = report
        self.people: dict[str, int] = {}  # uuid in the file → id in the journal
        self.claimed: set[int] = set()
        self.by_name: dict[tuple[str, str], list[int]] = {}
        #: Links named by the people written from the file, made once every person is known:
        #: (person id, other's uuid, other's name, relation, directed, incoming, since).
        self.pending_links: list[tuple[int, str, str, str, bool, bool, date | None]] = []
        for p in store.list_people(PeopleFilter(archived=None)):
            self.by_name.setdefault((fold(p.name), fold(p.organization)), []).append(p.id or 0)

    def header(self, where: str, d: dict[str, Any]) -> None:
        if "format" in d and d.get("format") != FORMAT:
            raise ImportFormatError(f"{self.report.source} is JSON, but not a Ties export.")
        version = d.get("version")
        if version is not None and (not isinstance(version, int) or version > VERSION):
            raise ImportFormatError(
                f"{self.report.source} is a Ties export of format {version}; this version "
                f"reads format {VERSION}. Please update Ties."
            )
        settings = d.get("settings")
        if isinstance(settings, dict):
            from ties.io.backup import setting_problem

            for key, value in settings.items():
                if isinstance(key, str) and self.store.get_setting(key, None) is None:
                    problem = setting_problem(key, value)  # shown, applied only when valid
                    if problem:
                        self.report.settings.append(f"not applied: {key} ({problem})")
                        continue
                    self.store.set_setting(key, value)
                    self.report.settings.append(f"applied: {key} = {json.dumps(value)[:80]}")

    def circle(self, d: dict[str, Any]) -> None:
        c = Circle(
            key=_text(d, "key"),
            label=_text(d, "label"),
            position=_int(d, "position", 0) or 0,
            retired=_bool(d, "retired"),
        )
        old = {x.key: x for x in self.store.circles(include_retired=True)}.get(c.key)
        if old == c:
            self.report.note("skipped", "circle", c.label, "unchanged")
            return
        self.store.save_circle(c)
        self.report.note("updated" if old else "added", "circle", c.label)

    def support_type(self, d: dict[str, Any]) -> None:
        t = SupportType(
            key=_text(d, "key"),
            label=_text(d, "label"),
            family=_text(d, "family"),
            question=_text(d, "question"),
            position=_int(d, "position", 0) or 0,
            retired=_bool(d, "retired"),
        )
        old = {x.key: x for x in self.store.support_types(include_retired=True)}.get(t.key)
        if old == t:
            self.report.note("skipped", "support type", t.label, "unchanged")
            return
        self.store.save_support_type(t)
        self.report.note("updated" if old else "added", "support type", t.label)

    def person(self, d: dict[str, Any]) -> None:
        incoming = person_from(d)
        label = incoming.name
        local = self.store.get_person_by_uuid(incoming.uuid)
        if local is None:
            for pid in self.by_name.get((fold(incoming.name), fold(incoming.organization)), []):
                if pid not in self.claimed:
                    local = self.store.get_person(pid)
                    break
        photo = photo_from(d)
        if local is None:
            added = self.store.add_person(incoming)
            assert added.id is not None
            self.people[incoming.uuid] = added.id
            self.claimed.add(added.id)
            self._extras(added.id, d, photo)
            self.report.note("added", "person", label)
            return
        assert local.id is not None
        self.people[incoming.uuid] = local.id
        self.claimed.add(local.id)
        if incoming.updated <= local.updated:
            reason = "unchanged" if incoming.updated == local.updated else "the journal is newer"
            self.report.note("skipped", "person", label, reason)
            return
        self.store.update_person(
            replace(incoming, id=local.id, uuid=local.uuid, created=local.created), touch=False
        )
        self._extras(local.id, d, photo)
        self.report.note("updated", "person", label, "newer in the file")

    def _extras(self, pid: int, d: dict[str, Any], photo: tuple[bool, bytes | None]) -> None:
        """The photo now, the links once every person of the file is known.

        A record without a ``photo`` key (format 1) leaves the photo alone; ``null``
        removes one the journal has (the record is the newer edit).
        """
        given, data = photo
        if given and (data is not None or self.store.get_photo(pid) is not None):
            self.store.set_photo(pid, data)
        for x in _objects(d, "links"):
            uuid, name = _ref(x)
            relation = _text(x, "relation")
            if not relation:
                raise ValueError("a link without a relation")
            self.pending_links.append(
                (
                    pid,
                    uuid,
                    name,
                    relation,
                    _bool(x, "directed"),
                    _bool(x, "incoming"),
                    _date(x, "since"),
                )
            )

    def finish_links(self) -> None:
        """Make the links the file's people named (a link both sides name is made once)."""
        for pid, uuid, name, relation, directed, incoming, since in self.pending_links:
            other = self.people.get(uuid)
            if other is None:
                local = self.store.get_person_by_uuid(uuid)
                if local is None:
                    self.report.problem(
                        "links",
                        f"a link to {name or uuid}, who is neither in the file nor the journal",
                    )
                    continue
                other = local.id or 0
            if other == pid:
                continue
            a, b = (other, pid) if incoming else (pid, other)
            have = next((x for x in self.store.links(a) if x.other_id == b), None)
            want = (relation, directed, since, directed and not incoming)
            if (
                have is not None
                and (have.relation, have.directed, have.since, have.directed and not have.incoming)
                == want
            ):
                continue
            self.store.link(a, b, relation, directed, since)

    def _person_id(self, ref: tuple[str, str]) -> int:
        uuid, name = ref
        pid = self.people.get(uuid)
        if pid is None:
            local = self.store.get_person_by_uuid(uuid)
            if local is None:
                raise ValueError(
                    f"names a person who is neither in the file nor the journal ({name or uuid})"
                )
            pid = self.people[uuid] = local.id or 0
        return pid

    def entry(self, d: dict[str, Any]) -> None:
        refs = d.get("people")
        if not isinstance(refs, list) or not refs:
            raise ValueError("an entry without people")
        person_ids = [self._person_id(_ref(r)) for r in refs]
        behalf = d.get("on_behalf_of")
        types = d.get("support_types") or []
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise ValueError("'support_types' is not a list of keys")
        day = _date(d, "date")
        if day is None:
            raise ValueError("an entry without a date")
        incoming = Entry(
            uuid=_uuid(d),
            date=day,
            time=d.get("time") if isinstance(d.get("time"), str) else None,
            person_ids=person_ids,
            kind=_text(d, "kind", "conversation"),
            direction=_text(d, "direction", "contact"),
            support_types=list(types),
            weight=_int(d, "weight", 1) or 1,
            on_behalf_of=self._person_id(_ref(behalf)) if behalf else None,
            note=_text(d, "note"),
            follow_up=_date(d, "follow_up"),
            follow_up_done=_bool(d, "follow_up_done"),
            thanked=_bool(d, "thanked"),
            created=_stamp(d, "created"),
            updated=_stamp(d, "updated"),
        )
        label = f"{day.isoformat()} {', '.join(str(_ref(r)[1]) for r in refs)}"
        local = self.store.get_entry_by_uuid(incoming.uuid)
        if local is None:
            self.store.add_entry(incoming)
            self.report.note("added", "entry", label)
            return
        if incoming.updated <= local.updated:
            reason = "unchanged" if incoming.updated == local.updated else "the journal is newer"
            self.report.note("skipped", "entry", label, reason)
            return
        self.store.update_entry(replace(incoming, id=local.id, created=local.created), touch=False)
        self.report.note("updated", "entry", label, "newer in the file")


def import_records(
    store: Store,
    records: Iterator[Record],
    report: ImportReport,
    tick: Callable[[], None],
) -> None:
    merger = JsonMerger(store, report)
    handlers: dict[str, Callable[[dict[str, Any]], None]] = {
        "circles": merger.circle,
        "support_types": merger.support_type,
        "people": merger.person,
        "entries": merger.entry,
    }
    singular = {
        "circles": "circle",
        "support_types": "support type",
        "people": "person",
        "entries": "entry",
    }
    for section, where, value in records:
        tick()
        if section == "header":
            merger.header(str(where), value)
            continue
        handler = handlers.get(section)
        place = where if isinstance(where, str) else f"line {where}" if where else section
        if handler is None:
            report.problem(place, f"unknown section '{section}'")
            continue
        if isinstance(value, _Bad):
            report.problem(place, f"{singular[section]}: {value.why}")
            continue
        if not isinstance(value, dict):
            report.problem(place, f"{singular[section]} is not an object")
            continue
        try:
            handler(value)
        except (OverflowError, RecursionError) as exc:
            why = _why(exc) if isinstance(exc, RecursionError) else "a number out of range"
            report.problem(place, f"{singular[section]}: {why}")
        except (ValueError, JournalError) as exc:
            if isinstance(exc, ImportFormatError):
                raise
            report.problem(place, f"{singular[section]}: {exc}")
    try:
        merger.finish_links()
    except JournalError as exc:
        report.problem("links", str(exc))
