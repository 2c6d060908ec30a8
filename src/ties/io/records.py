"""Plain-dict forms of people and entries, the shape of every JSON output.

``ties people --json``, ``ties entries --json`` and the JSON export all use
these, so a field is spelled the same everywhere.
"""

from __future__ import annotations

from typing import Any

from ties.model import Detail, Entry, Person, PersonLink
from ties.store import Store


def _details(items: list[Detail]) -> list[dict[str, str]]:
    return [{"label": d.label, "value": d.value} for d in items]


def link_record(x: PersonLink) -> dict[str, Any]:
    """A link as seen from one person: ``name``, ``uuid``, ``relation``, and how it is held.

    ``directed`` links read "this person <relation> the other", or the other way
    round when ``incoming``; ``since`` is a date or null.
    """
    return {
        "name": x.other_name,
        "uuid": x.other_uuid,
        "relation": x.relation,
        "directed": x.directed,
        "incoming": x.incoming,
        "since": x.since.isoformat() if x.since else None,
    }


def person_record(p: Person, links: list[PersonLink] | None = None) -> dict[str, Any]:
    """The person as JSON; ``links`` (read separately from the store) adds a ``links`` key."""
    record = {
        "uuid": p.uuid,
        "name": p.name,
        "circle": p.circle,
        "organization": p.organization,
        "role": p.role,
        "how_met": p.how_met,
        "met_on": p.met_on.isoformat() if p.met_on else None,
        "life_phases": list(p.life_phases),
        "closeness": p.closeness,
        "mutuality": p.mutuality,
        "interests": p.interests,
        "needs": p.needs,
        "offers": p.offers,
        "notes": p.notes,
        "cadence_days": p.cadence_days,
        "archived": p.archived,
        "last_contact": p.last_contact.isoformat() if p.last_contact else None,
        "created": p.created,
        "updated": p.updated,
        "emails": _details(p.emails),
        "phones": _details(p.phones),
        "urls": _details(p.urls),
        "addresses": [
            {
                "label": a.label,
                "street": a.street,
                "locality": a.locality,
                "region": a.region,
                "postcode": a.postcode,
                "country": a.country,
            }
            for a in p.addresses
        ],
        "birthday": p.birthday,
        "dates": [{"label": d.label, "date": d.date, "yearly": d.yearly} for d in p.dates],
        "tags": list(p.tags),
        "extra": list(p.extra),
        "has_photo": p.has_photo,
    }
    if links is not None:
        record["links"] = [link_record(x) for x in links]
    return record


class PersonRefs:
    """Looks up id → (name, uuid) once per person, for writing many entries."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[int, dict[str, str]] = {}

    def __call__(self, person_id: int) -> dict[str, str]:
        ref = self._cache.get(person_id)
        if ref is None:
            p = self.store.get_person(person_id)
            ref = self._cache[person_id] = {"name": p.name, "uuid": p.uuid}
        return ref


def entry_record(e: Entry, refs: PersonRefs) -> dict[str, Any]:
    return {
        "uuid": e.uuid,
        "date": e.date.isoformat(),
        "time": e.time,
        "people": [refs(pid) for pid in e.person_ids],
        "kind": e.kind,
        "direction": e.direction,
        "support_types": list(e.support_types),
        "weight": e.weight,
        "on_behalf_of": refs(e.on_behalf_of) if e.on_behalf_of else None,
        "note": e.note,
        "follow_up": e.follow_up.isoformat() if e.follow_up else None,
        "follow_up_done": e.follow_up_done,
        "thanked": e.thanked,
        "created": e.created,
        "updated": e.updated,
    }


def entry_record_from_row(row: tuple[Any, ...], refs: dict[int, dict[str, str]]) -> dict[str, Any]:
    """:func:`entry_record` built straight from a :meth:`Store.iter_entry_rows` row.

    The fast path of the exports: same keys, same values, no ``Entry`` object.
    ``refs`` maps every person id to its ``{"name", "uuid"}``.
    """
    behalf = row[7]
    return {
        "uuid": row[1],
        "date": row[2],
        "time": row[3],
        "people": [refs[pid] for pid in row[16]],
        "kind": row[4],
        "direction": row[5],
        "support_types": row[13].split() if row[13] else [],
        "weight": row[6],
        "on_behalf_of": refs[behalf] if behalf else None,
        "note": row[8],
        "follow_up": row[9],
        "follow_up_done": bool(row[10]),
        "thanked": bool(row[11]),
        "created": row[14],
        "updated": row[15],
    }
