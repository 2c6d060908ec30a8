"""A person's lists: e-mails, phones, web links, addresses, dates, tags, vCard leftovers, photo.

Each list lives in its own table, rewritten whole when the person is saved (a
person has a handful of each), and read back for many people at once in a few
queries. ``people.contact_words`` repeats the e-mails, phones and tags so the
search index finds a person by them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from ties.model import Address, Detail, ImportantDate, Person, check_partial_date
from ties.store.columns import Columns
from ties.store.core import StoreCore
from ties.store.errors import NotFoundError, ValidationError

DETAILS = Columns(
    "person_details", ("person_id", "kind", "position", "label", "value", "match_key")
)
ADDRESSES = Columns(
    "person_addresses",
    ("person_id", "position", "label", "street", "locality", "region", "postcode", "country"),
)
DATES = Columns("person_dates", ("person_id", "position", "label", "date", "yearly"))
TAGS = Columns("person_tags", ("person_id", "tag", "position"))
PHOTOS = Columns("person_photos", ("person_id", "data"))
EXTRA = Columns("person_extra", ("person_id", "position", "line"))

#: Detail kind in the table → the :class:`Person` list that holds it.
DETAIL_KINDS = {"email": "emails", "phone": "phones", "url": "urls"}
_ADDRESS_PARTS = ("label", "street", "locality", "region", "postcode", "country")
#: Tables holding one person's lists, emptied before they are written again.
_LIST_TABLES = ("person_details", "person_addresses", "person_dates", "person_tags", "person_extra")
#: A photo is stored as the caller gives it (scaled already); beyond this it is refused.
MAX_PHOTO_BYTES = 5_000_000
#: Above this many people a list reads each table whole instead of by id.
_BY_ID_LIMIT = 400


def match_key(kind: str, value: str) -> str:
    """What two details must share to be the same: e-mail ignoring case, phone digits."""
    if kind == "email":
        return value.strip().casefold()
    if kind == "phone":
        return "".join(re.findall(r"\d", value))
    return value.strip()


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags stripped, blanks dropped, repeats (ignoring case) dropped, order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for t in tags:
        t = " ".join(t.split())
        if t and t.casefold() not in seen:
            seen.add(t.casefold())
            out.append(t)
    return out


def _check(text: str, what: str, field: str, limit: int = 2000) -> None:
    if "\x00" in text:
        raise ValidationError(f"{what} cannot contain a NUL character.", field)
    if len(text) > limit:
        raise ValidationError(f"{what} is too long (at most {limit} characters).", field)


def validate_details(p: Person) -> None:
    """Raise :class:`ValidationError` for a detail, date or tag the journal cannot hold."""
    for kind, attr in DETAIL_KINDS.items():
        for d in getattr(p, attr):
            if not d.value.strip():
                raise ValidationError(f"An empty {kind} cannot be saved.", attr)
            _check(d.value, f"That {kind}", attr)
            _check(d.label, "A label", attr, 200)
    for a in p.addresses:
        if not any(getattr(a, part).strip() for part in _ADDRESS_PARTS[1:]):
            raise ValidationError("An empty address cannot be saved.", "addresses")
        for part in _ADDRESS_PARTS:
            _check(getattr(a, part), "An address", "addresses")
    if p.birthday is not None:
        try:
            check_partial_date(p.birthday)
        except ValueError as exc:
            raise ValidationError(f"Birthday: {exc}.", "birthday") from None
    for d in p.dates:
        try:
            check_partial_date(d.date)
        except ValueError as exc:
            raise ValidationError(f"{d.label or 'Date'}: {exc}.", "dates") from None
        _check(d.label, "A label", "dates", 200)
    for t in p.tags:
        _check(t, "A tag", "tags", 200)
    for line in p.extra:
        _check(line, "A kept vCard line", "extra", 1_000_000)


def contact_words(p: Person) -> str:
    """The e-mails, phones and tags, as the search index holds them."""
    words = [d.value for d in (*p.emails, *p.phones)] + clean_tags(p.tags)
    return " ".join(words)


def write_details(conn: sqlite3.Connection, people: Sequence[Person]) -> None:
    """Replace the lists of saved people (``id`` set) with what the objects hold."""
    ids = [(p.id,) for p in people]
    for table in _LIST_TABLES:
        conn.executemany(f"DELETE FROM {table} WHERE person_id = ?", ids)
    insert_details(conn, people)


def insert_details(conn: sqlite3.Connection, people: Sequence[Person]) -> None:
    """Add the lists of people who have none yet (new, or loaded in bulk)."""
    details: list[tuple[Any, ...]] = []
    addresses: list[tuple[Any, ...]] = []
    dates: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    extra: list[tuple[Any, ...]] = []
    for p in people:
        pid = p.id
        for kind, attr in DETAIL_KINDS.items():
            for i, d in enumerate(getattr(p, attr)):
                value = d.value.strip()
                details.append((pid, kind, i, d.label.strip(), value, match_key(kind, value)))
        for i, a in enumerate(p.addresses):
            addresses.append((pid, i, *(getattr(a, part).strip() for part in _ADDRESS_PARTS)))
        for i, dt in enumerate(p.dates):
            dates.append((pid, i, dt.label.strip(), dt.date, int(dt.yearly)))
        for i, t in enumerate(clean_tags(p.tags)):
            tags.append((pid, t, i))
        for i, line in enumerate(p.extra):
            extra.append((pid, i, line))
    for cols, rows in (
        (DETAILS, details),
        (ADDRESSES, addresses),
        (DATES, dates),
        (TAGS, tags),
        (EXTRA, extra),
    ):
        if rows:
            conn.executemany(cols.insert(cols.names), rows)


def attach_details(store: StoreCore, people: list[Person]) -> list[Person]:
    """Fill the lists and ``has_photo`` of people read from the ``people`` table."""
    if not people:
        return people
    by_id = {p.id: p for p in people}
    conn = store.conn
    if len(people) <= _BY_ID_LIMIT:
        marks = ",".join("?" * len(by_id))
        where, args = f" WHERE person_id IN ({marks})", list(by_id)
    else:
        where, args = "", []

    def rows(cols: Columns, order: str) -> Iterable[Sequence[Any]]:
        sql = f"SELECT {cols.select()} FROM {cols.table}{where} ORDER BY person_id, {order}"
        return conn.execute(sql, args)

    for pid, kind, _pos, label, value, _key in rows(DETAILS, "kind, position"):
        p = by_id.get(pid)
        if p is not None:
            getattr(p, DETAIL_KINDS[kind]).append(Detail(label, value))
    for pid, _pos, *parts in rows(ADDRESSES, "position"):
        p = by_id.get(pid)
        if p is not None:
            p.addresses.append(Address(*parts))
    for pid, _pos, label, day, yearly in rows(DATES, "position"):
        p = by_id.get(pid)
        if p is not None:
            p.dates.append(ImportantDate(label, day, bool(yearly)))
    for pid, tag, _pos in rows(TAGS, "position"):
        p = by_id.get(pid)
        if p is not None:
            p.tags.append(tag)
    for pid, _pos, line in rows(EXTRA, "position"):
        p = by_id.get(pid)
        if p is not None:
            p.extra.append(line)
    for (pid,) in conn.execute(f"SELECT person_id FROM person_photos{where}", args):
        p = by_id.get(pid)
        if p is not None:
            p.has_photo = True
    return people


def tags(store: StoreCore) -> list[tuple[str, int]]:
    """Every tag in use with how many people carry it, alphabetically (case ignored)."""
    return [
        (tag, n)
        for tag, n in store.conn.execute(
            "SELECT min(tag), count(*) FROM person_tags GROUP BY tag ORDER BY tag"
        )
    ]


def tagged_ids(store: StoreCore, tag: str) -> set[int]:
    """Ids of the people carrying ``tag`` (case ignored): the window's tag filters."""
    return {
        r[0]
        for r in store.conn.execute(
            "SELECT person_id FROM person_tags WHERE tag = ?", (" ".join(tag.split()),)
        )
    }


def ids_by_detail(store: StoreCore, kind: str, value: str) -> list[int]:
    """Ids of people with this e-mail (case ignored), phone (same digits) or web link."""
    if kind not in DETAIL_KINDS:
        raise ValidationError(f"Unknown kind of detail '{kind}': email, phone or url.", "kind")
    key = match_key(kind, value)
    if not key:
        return []
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT DISTINCT person_id FROM person_details WHERE kind = ? AND match_key = ? "
            "ORDER BY person_id",
            (kind, key),
        )
    ]


def get_photo(store: StoreCore, person_id: int) -> bytes | None:
    """The person's photo as stored (JPEG or PNG bytes), or ``None``."""
    row = store.conn.execute(
        "SELECT data FROM person_photos WHERE person_id = ?", (person_id,)
    ).fetchone()
    return bytes(row[0]) if row else None


def photo_mime(data: bytes) -> str | None:
    """``image/jpeg`` or ``image/png`` from the bytes' signature, else ``None``."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def set_photo(store: StoreCore, person_id: int, data: bytes | None) -> bytes | None:
    """Store (or with ``None`` remove) a person's photo; returns the one it replaces, for undo.

    The bytes are kept as given: scaling to at most 512 px is the caller's job.
    """
    if data is not None:
        if photo_mime(data) is None:
            raise ValidationError("A photo must be a JPEG or PNG image.", "photo")
        if len(data) > MAX_PHOTO_BYTES:
            raise ValidationError("That photo is too large (at most 5 MB); scale it down.", "photo")
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone() is None:
            raise NotFoundError(f"There is no person with id {person_id}.")
        old = get_photo(store, person_id)
        conn.execute("DELETE FROM person_photos WHERE person_id = ?", (person_id,))
        if data is not None:
            conn.execute(PHOTOS.insert(PHOTOS.names), (person_id, sqlite3.Binary(data)))
    return old


def merged_lists(keep: Person, other: Person) -> Person:
    """KEEP with OTHER's details, dates, tags and kept lines added (repeats collapsed)."""

    def details(kind: str, mine: list[Detail], theirs: list[Detail]) -> list[Detail]:
        have = {match_key(kind, d.value) for d in mine}
        out = list(mine)
        for d in theirs:
            key = match_key(kind, d.value)
            if key not in have:
                have.add(key)
                out.append(d)
        return out

    def union(mine: list[Any], theirs: list[Any]) -> list[Any]:
        return mine + [x for x in theirs if x not in mine]

    return replace(
        keep,
        emails=details("email", keep.emails, other.emails),
        phones=details("phone", keep.phones, other.phones),
        urls=details("url", keep.urls, other.urls),
        addresses=union(keep.addresses, other.addresses),
        birthday=keep.birthday or other.birthday,
        dates=union(keep.dates, other.dates),
        tags=clean_tags(keep.tags + other.tags),
        extra=union(keep.extra, other.extra),
    )
