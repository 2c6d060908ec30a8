"""Journal rows as flat fields, the unit that syncs, and the rules that turn merged fields
back into rows a journal can hold.

Every synced row is a kind (``circle``, ``type``, ``person``, ``entry``,
``link``, ``setting``), a key (a uuid, a circle or type key, the two linked
people's uuids, a setting name) and a dict of fields with JSON values. A
person's lists (e-mails, phones, web links, addresses, dates, tags, kept vCard
lines) are one field each, the whole list; the photo is one field (base64). An
entry's people and support types are sets: one field per member
(``p:<person uuid>`` holding the person's position, ``t:<type key>`` holding 1),
``None`` once removed. ``deleted`` is the tombstone.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ties.model import (
    DEFAULT_CIRCLES,
    DEFAULT_SUPPORT_TYPES,
    Address,
    Circle,
    Detail,
    Entry,
    ImportantDate,
    Person,
    SupportType,
)

KINDS = ("circle", "type", "person", "entry", "link", "setting")
DELETED = "deleted"
PERSON_PREFIX = "p:"
TYPE_PREFIX = "t:"

PERSON_FIELDS = (
    "name",
    "circle",
    "organization",
    "role",
    "how_met",
    "met_on",
    "life_phases",
    "closeness",
    "mutuality",
    "interests",
    "needs",
    "offers",
    "notes",
    "cadence_days",
    "archived",
    "created",
    "updated",
)
#: A person's details (issue #15). Not required: a record without them means none.
PERSON_DETAIL_FIELDS = (
    "emails",
    "phones",
    "urls",
    "addresses",
    "birthday",
    "dates",
    "tags",
    "extra",
    "photo",
)
ENTRY_FIELDS = (
    "date",
    "time",
    "kind",
    "direction",
    "weight",
    "on_behalf_of",
    "note",
    "follow_up",
    "follow_up_done",
    "thanked",
    "created",
    "updated",
)
CIRCLE_FIELDS = ("label", "position", "retired")
TYPE_FIELDS = ("label", "family", "question", "position", "retired")
SETTING_FIELDS = ("value",)
#: A link between two people: ``from`` and ``to`` are their uuids (``from`` is where a
#: directed relation starts); the row's key is the two uuids sorted, joined by a space.
LINK_FIELDS = ("from", "to", "relation", "directed", "since")
#: The fields a row must have before it can be written to a journal.
REQUIRED = {
    "circle": CIRCLE_FIELDS,
    "type": TYPE_FIELDS,
    "person": PERSON_FIELDS,
    "entry": ENTRY_FIELDS,
    "link": LINK_FIELDS,
    "setting": SETTING_FIELDS,
}
#: Settings that belong to one device and never sync.
LOCAL_SETTINGS = ("sync",)

Fields = dict[str, Any]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def circle_fields(c: Circle) -> Fields:
    return {"label": c.label, "position": c.position, "retired": bool(c.retired)}


def type_fields(t: SupportType) -> Fields:
    return {
        "label": t.label,
        "family": t.family,
        "question": t.question,
        "position": t.position,
        "retired": bool(t.retired),
    }


def link_key(a_uuid: str, b_uuid: str) -> str:
    """The key of the link between two people, whichever way round it was made."""
    return " ".join(sorted((a_uuid, b_uuid)))


def link_fields(
    a_uuid: str, b_uuid: str, relation: str, directed: bool, since: str | None
) -> Fields:
    return {
        "from": a_uuid,
        "to": b_uuid,
        "relation": relation,
        "directed": bool(directed),
        "since": since,
    }


def photo_text(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode("ascii") if data else None


def photo_bytes(text: Any) -> bytes | None:
    """The photo a field holds; ``None`` for none (or for text that is not base64)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def person_fields(p: Person, photo: bytes | None = None) -> Fields:
    """A person's fields; ``photo`` is the stored photo (``Person`` holds only whether
    there is one)."""
    return {
        "name": p.name,
        "circle": p.circle,
        "organization": p.organization,
        "role": p.role,
        "how_met": p.how_met,
        "met_on": _iso(p.met_on),
        "life_phases": list(p.life_phases),
        "closeness": p.closeness,
        "mutuality": p.mutuality,
        "interests": p.interests,
        "needs": p.needs,
        "offers": p.offers,
        "notes": p.notes,
        "cadence_days": p.cadence_days,
        "archived": bool(p.archived),
        "created": p.created,
        "updated": p.updated,
        "emails": [[d.label, d.value] for d in p.emails],
        "phones": [[d.label, d.value] for d in p.phones],
        "urls": [[d.label, d.value] for d in p.urls],
        "addresses": [
            [a.label, a.street, a.locality, a.region, a.postcode, a.country] for a in p.addresses
        ],
        "birthday": p.birthday or None,
        "dates": [[d.label, d.date, bool(d.yearly)] for d in p.dates],
        "tags": list(p.tags),
        "extra": list(p.extra),
        "photo": photo_text(photo),
    }


def entry_fields(e: Entry, uuid_of: dict[int, str]) -> Fields:
    """An entry's fields; ``uuid_of`` maps the journal's person ids to uuids."""
    out: Fields = {
        "date": e.date.isoformat(),
        "time": e.time,
        "kind": e.kind,
        "direction": e.direction,
        "weight": e.weight,
        "on_behalf_of": uuid_of[e.on_behalf_of] if e.on_behalf_of else None,
        "note": e.note,
        "follow_up": _iso(e.follow_up),
        "follow_up_done": bool(e.follow_up_done),
        "thanked": bool(e.thanked),
        "created": e.created,
        "updated": e.updated,
    }
    for pos, pid in enumerate(e.person_ids):
        out[PERSON_PREFIX + uuid_of[pid]] = pos
    for key in e.support_types:
        out[TYPE_PREFIX + key] = 1
    return out


def factory_defaults(kind: str, key: str) -> Fields | None:
    """The fields every new journal starts with for a default circle or support type.

    A device's first sync stamps these as the oldest possible change: a new device
    joining must not undo a rename or delete that another device made long ago.
    """
    if kind == "circle":
        for pos, (k, label) in enumerate(DEFAULT_CIRCLES):
            if k == key:
                return {"label": label, "position": pos, "retired": False, DELETED: False}
    if kind == "type":
        for pos, (k, label, family, question) in enumerate(DEFAULT_SUPPORT_TYPES):
            if k == key:
                return {
                    "label": label,
                    "family": family,
                    "question": question,
                    "position": pos,
                    "retired": False,
                    DELETED: False,
                }
    return None


def diff(seen: Fields | None, now: Fields | None) -> Fields:
    """The fields to stamp: what changed in the journal since the last sync saw the row.

    A row that disappeared is a tombstone; a row that (re)appeared says so
    (``deleted: False``) along with all its fields; a set member that is gone
    becomes ``None``.
    """
    if now is None:
        return {} if seen is None else {DELETED: True}
    if seen is None:
        return {**now, DELETED: False}
    out = {f: v for f, v in now.items() if f not in seen or seen[f] != v}
    for f in seen:
        if f not in now:
            out[f] = None
    return out


def complete(kind: str, fields: Fields) -> bool:
    """True when every field the journal needs has arrived (a file may still be on its way)."""
    return all(f in fields for f in REQUIRED[kind])


def is_deleted(fields: Fields) -> bool:
    return fields.get(DELETED) is True


def split_members(fields: Fields) -> tuple[list[str], list[str]]:
    """An entry's people (by position, then uuid) and support types (by key), in one pass."""
    people: list[tuple[int, str]] = []
    types: list[str] = []
    for f, v in fields.items():
        if v is None or f[1:2] != ":":
            continue
        if f.startswith(PERSON_PREFIX):
            people.append((v if isinstance(v, int) else 0, f[2:]))
        elif f.startswith(TYPE_PREFIX):
            types.append(f[2:])
    people.sort()
    types.sort()
    return [u for _, u in people], types


def members(fields: Fields, prefix: str) -> list[str]:
    """The set members of a row (people by position then uuid, types by key)."""
    found = [
        (v, f[len(prefix) :]) for f, v in fields.items() if f.startswith(prefix) and v is not None
    ]
    found.sort(key=lambda pair: (pair[0] if isinstance(pair[0], int) else 0, pair[1]))
    return [key for _, key in found]


def make_circle(key: str, fields: Fields) -> Circle:
    return Circle(key, str(fields["label"]), int(fields["position"]), bool(fields["retired"]))


def stub_circle(key: str) -> Circle:
    """A circle a person is in whose own fields have not arrived yet."""
    return Circle(key, key, 999, False)


def make_type(key: str, fields: Fields) -> SupportType:
    return SupportType(
        key,
        str(fields["label"]),
        str(fields["family"]),
        str(fields["question"]),
        int(fields["position"]),
        bool(fields["retired"]),
    )


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def make_person(uuid: str, fields: Fields, *, person_id: int | None = None) -> Person:
    """The person the merged fields describe (its photo is :func:`photo_bytes`)."""
    return Person(
        id=person_id,
        uuid=uuid,
        name=str(fields["name"]),
        circle=str(fields["circle"]),
        organization=str(fields["organization"]),
        role=str(fields["role"]),
        how_met=str(fields["how_met"]),
        met_on=_date(fields["met_on"]),
        life_phases=[str(s) for s in fields["life_phases"] or []],
        closeness=int(fields["closeness"]),
        mutuality=int(fields["mutuality"]),
        interests=str(fields["interests"]),
        needs=str(fields["needs"]),
        offers=str(fields["offers"]),
        notes=str(fields["notes"]),
        cadence_days=fields["cadence_days"],
        archived=bool(fields["archived"]),
        created=str(fields["created"]),
        updated=str(fields["updated"]),
        emails=[Detail(str(a), str(b)) for a, b in _list(fields.get("emails"))],
        phones=[Detail(str(a), str(b)) for a, b in _list(fields.get("phones"))],
        urls=[Detail(str(a), str(b)) for a, b in _list(fields.get("urls"))],
        addresses=[Address(*(str(x) for x in a)) for a in _list(fields.get("addresses"))],
        birthday=fields.get("birthday") or None,
        dates=[ImportantDate(str(a), str(b), bool(c)) for a, b, c in _list(fields.get("dates"))],
        tags=[str(t) for t in _list(fields.get("tags"))],
        extra=[str(x) for x in _list(fields.get("extra"))],
        has_photo=bool(fields.get("photo")),
    )


@dataclass
class EntryPlan:
    """An entry as the journal will hold it, or why it cannot be held yet."""

    entry: Entry | None
    #: Something it names has not arrived (a person, a type, the person on whose behalf).
    waiting: bool = False
    missing: list[str] = field(default_factory=list)


def make_entry(
    uuid: str,
    fields: Fields,
    id_of_person: dict[str, int],
    known_types: set[str],
    *,
    entry_id: int | None = None,
) -> EntryPlan:
    """The entry the merged fields describe, naming only people and types the journal has.

    A follow-up that a merge left before the entry's date moves to that date.
    An entry none of whose people has arrived is not written (``waiting``).
    """
    people, types = split_members(fields)
    person_ids = [id_of_person[u] for u in people if u in id_of_person]
    kept_types = sorted(k for k in types if k in known_types)
    behalf_uuid = fields["on_behalf_of"]
    behalf = id_of_person.get(behalf_uuid) if behalf_uuid else None
    missing = [u for u in people if u not in id_of_person] + [
        k for k in types if k not in known_types
    ]
    if behalf_uuid and behalf is None:
        missing.append(behalf_uuid)
    if not person_ids:
        return EntryPlan(None, True, missing)
    day = date.fromisoformat(fields["date"])
    follow = _date(fields["follow_up"])
    if follow is not None and follow < day:
        follow = day
    entry = Entry(
        id=entry_id,
        uuid=uuid,
        date=day,
        person_ids=person_ids,
        direction=str(fields["direction"]),
        kind=str(fields["kind"]),
        support_types=kept_types,
        weight=int(fields["weight"]),
        time=fields["time"],
        on_behalf_of=behalf,
        note=str(fields["note"]),
        follow_up=follow,
        follow_up_done=bool(fields["follow_up_done"]),
        thanked=bool(fields["thanked"]),
        created=str(fields["created"]),
        updated=str(fields["updated"]),
    )
    return EntryPlan(entry, bool(missing), missing)
