"""Journal rows as flat fields, the unit that syncs, and the rules that turn merged fields
back into rows a journal can hold.

Every synced row is a kind (``circle``, ``type``, ``person``, ``entry``,
``setting``), a key (a uuid, a circle or type key, a setting name) and a dict
of fields with JSON values. An entry's people and support types are sets: one
field per member (``p:<person uuid>`` holding the person's position,
``t:<type key>`` holding 1), ``None`` once removed. ``deleted`` is the tombstone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ties.model import DEFAULT_CIRCLES, DEFAULT_SUPPORT_TYPES, Circle, Entry, Person, SupportType

KINDS = ("circle", "type", "person", "entry", "setting")
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
#: The fields a row must have before it can be written to a journal.
REQUIRED = {
    "circle": CIRCLE_FIELDS,
    "type": TYPE_FIELDS,
    "person": PERSON_FIELDS,
    "entry": ENTRY_FIELDS,
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


def person_fields(p: Person) -> Fields:
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


def make_person(uuid: str, fields: Fields, *, person_id: int | None = None) -> Person:
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
