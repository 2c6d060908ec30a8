"""The vCard export: the people of a journal as an address book (vCard 4.0, or 3.0).

Every contact field Ties models is written in a form address books read (labels
as TYPE values, other labels and important dates as Apple's ``X-ABLabel`` and
``X-ABDATE``, which Apple and Google both read), and the properties an import
kept because Ties has no place for them (``Person.extra``) are written back
unchanged. The card order of properties is fixed, so exporting the same people
twice gives the same text (apart from ``REV``).

The writer pages through the people with their details and photos one at a
time; memory does not grow with the journal.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from ties.io.atomic import atomic_write, refuse_journal_target
from ties.io.vcard_text import (
    RELATED_TYPE,
    components,
    escape,
    fold,
    format_date,
    param_value,
    type_for,
)
from ties.model import Address, Detail, Person, PersonLink
from ties.store import PeopleFilter, Store
from ties.store.person_details import photo_mime

VERSIONS = ("4.0", "3.0")
PRODID = "-//Ties//Ties journal//EN"
#: Properties a card has once: the writer makes them unless a kept line stands for them.
_SINGLE = ("N", "UID")
Progress = Callable[[int, int], None]


def _prop_name(line: str) -> str:
    """``EMAIL`` from ``item1.EMAIL;TYPE=home:x``."""
    end = len(line)
    for sep in (";", ":"):
        i = line.find(sep)
        if 0 <= i < end:
            end = i
    return line[:end].rsplit(".", 1)[-1].upper()


def generated_n(name: str) -> str:
    """The N value a card gets from a name alone: the last word as the family name."""
    words = name.split()
    if len(words) < 2:
        return f"{escape(name)};;;;"
    return f"{escape(words[-1])};{escape(' '.join(words[:-1]))};;;"


def _kept_n_fits(line: str, name: str) -> bool:
    """Whether a kept N line still belongs to the name (it is stale after a rename)."""
    value = line.split(":", 1)[1] if ":" in line else ""
    words = set(name.replace(",", " ").split())
    parts = [w for c in components(value) for w in c.replace(",", " ").split()]
    return bool(parts) and all(w in words for w in parts)


class _Items:
    """Apple-style property groups (``item1.``), numbered per card."""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"item{self.n}."


def _labelled(
    out: list[str], items: _Items, kind: str, label: str, value: str, version: str
) -> None:
    t = type_for(kind, label)
    extra = ";TYPE=INTERNET" if kind == "EMAIL" and version == "3.0" else ""
    if t is None:  # a free-text label
        group = items.next()
        out.append(f"{group}{kind}{extra}:{value}")
        out.append(f"{group}X-ABLabel:{escape(label)}")
        return
    if version == "3.0":
        extra = ";TYPE=" + ",".join(x for x in ("INTERNET" if kind == "EMAIL" else "", t) if x)
        if extra == ";TYPE=":
            extra = ""
        out.append(f"{kind}{extra.upper()}:{value}")
        return
    out.append(f"{kind};TYPE={t}:{value}" if t else f"{kind}:{value}")


def _details(out: list[str], items: _Items, kind: str, details: Iterable[Detail], v: str) -> None:
    for d in details:
        # A URL is a URI value: only a backslash is escaped (it is read as an escape).
        value = escape(d.value) if kind != "URL" else d.value.replace("\\", "\\\\")
        _labelled(out, items, kind, d.label, value, v)


def _addresses(out: list[str], items: _Items, addresses: Iterable[Address], v: str) -> None:
    for a in addresses:
        value = ";".join(
            ["", "", *(escape(x) for x in (a.street, a.locality, a.region, a.postcode, a.country))]
        )
        _labelled(out, items, "ADR", a.label, value, v)


def related_line(link: PersonLink) -> str | None:
    """A link as ``RELATED``, or ``None`` when the other person's card carries it.

    A directed link is written once, on the card of the person it starts from.
    """
    if link.incoming or not link.other_uuid:
        return None
    params = [f"TYPE={RELATED_TYPE.get(link.relation, 'contact')}"]
    if RELATED_TYPE.get(link.relation) is None:
        params.append(f"X-TIES-RELATION={param_value(link.relation)}")
    if link.directed:
        params.append("X-TIES-DIRECTED=true")
    if link.since:
        params.append(f"X-TIES-SINCE={link.since.isoformat()}")
    return f"RELATED;{';'.join(params)}:urn:uuid:{link.other_uuid}"


def card_lines(
    person: Person,
    photo: bytes | None = None,
    version: str = "4.0",
    *,
    rev: bool = True,
    links: Iterable[PersonLink] = (),
) -> list[str]:
    """The logical (unfolded) lines of one person's card (``links``: the person's links)."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version} is not one Ties writes (4.0 or 3.0).")
    kept = {_prop_name(line) for line in person.extra}
    out = ["BEGIN:VCARD", f"VERSION:{version}", f"PRODID:{PRODID}"]
    if "UID" not in kept:
        out.append(f"UID:urn:uuid:{person.uuid}")
    out.append(f"FN:{escape(person.name)}")
    kept_n = [x for x in person.extra if _prop_name(x) == "N"]
    n_fits = bool(kept_n) and _kept_n_fits(kept_n[0], person.name)
    if not n_fits:
        out.append(f"N:{generated_n(person.name)}")
    orgs = [x for x in person.extra if _prop_name(x) == "ORG"]
    org_kept = any(
        (components(x.split(":", 1)[1]) if ":" in x else [""])[0] == person.organization
        for x in orgs
    )
    if person.organization and not org_kept:
        out.append(f"ORG:{escape(person.organization)}")
    if person.role:
        out.append(f"TITLE:{escape(person.role)}")
    items = _Items()
    _details(out, items, "EMAIL", person.emails, version)
    _details(out, items, "TEL", person.phones, version)
    _addresses(out, items, person.addresses, version)
    _details(out, items, "URL", person.urls, version)
    if person.birthday:
        out.append(f"BDAY:{format_date(person.birthday, version)}")
    anniversary_done = version != "4.0"
    for d in person.dates:
        value = format_date(d.date, version)
        if not anniversary_done and d.label == "anniversary" and d.yearly:
            out.append(f"ANNIVERSARY:{value}")
            anniversary_done = True
            continue
        group = items.next()
        param = "" if d.yearly else ";X-TIES-YEARLY=false"
        out.append(f"{group}X-ABDATE{param}:{value}")
        out.append(f"{group}X-ABLabel:{escape(d.label)}")
    if person.tags:
        out.append("CATEGORIES:" + ",".join(escape(t) for t in person.tags))
    if person.notes:
        out.append(f"NOTE:{escape(person.notes)}")
    if photo:
        mime = photo_mime(photo) or "image/jpeg"
        data = base64.b64encode(photo).decode("ascii")
        if version == "4.0":
            out.append(f"PHOTO:data:{mime};base64,{data}")
        else:
            out.append(f"PHOTO;ENCODING=b;TYPE={mime.split('/')[1].upper()}:{data}")
    out.extend(x for x in map(related_line, links) if x)
    once: set[str] = set()
    for line in person.extra:
        name = _prop_name(line)
        if name in _SINGLE:
            if name in once or (name == "N" and not n_fits):
                continue  # one N and one UID per card; a stale N gives way to the name
            once.add(name)
        out.append(line)
    if rev and person.updated:
        out.append("REV:" + _rev(person.updated))
    out.append("END:VCARD")
    return out


def _rev(stamp: str) -> str:
    """``2026-12-07T18:11:40.123456Z`` → ``20261207T181140Z``."""
    head = stamp.split(".", 1)[0].rstrip("Z")
    return head.replace("-", "").replace(":", "") + "Z"


def card_text(
    person: Person,
    photo: bytes | None = None,
    version: str = "4.0",
    *,
    rev: bool = True,
    links: Iterable[PersonLink] = (),
) -> str:
    """One person's card, folded and CRLF-ended, as it goes into the file."""
    lines = card_lines(person, photo, version, rev=rev, links=links)
    return "".join(fold(line) for line in lines)


def people_to_export(store: Store, person_ids: list[int] | None) -> list[Person]:
    """The people an export writes: the named ones (in the order given), else everybody."""
    if person_ids is None:
        return store.list_people(PeopleFilter(archived=None))
    return [store.get_person(pid) for pid in person_ids]


def write_vcards(
    store: Store,
    out: TextIO,
    *,
    person_ids: list[int] | None = None,
    version: str = "4.0",
    progress: Progress | None = None,
) -> int:
    """Write the cards to ``out``; returns how many were written."""
    people = people_to_export(store, person_ids)
    total = len(people)
    linked = {pid for pair in store.linked_pairs() for pid in pair}
    done = 0
    for person in people:
        photo = store.get_photo(person.id or 0) if person.has_photo else None
        links = store.links(person.id or 0) if (person.id or 0) in linked else ()
        out.write(card_text(person, photo, version, links=links))
        done += 1
        if progress is not None and done % 500 == 0:
            progress(done, total)
    if progress is not None:
        progress(done, total)
    return done


def export_vcard(
    store: Store,
    target: Path,
    *,
    progress: Progress | None = None,
    person_ids: list[int] | None = None,
    version: str = "4.0",
) -> int:
    """Write the cards to ``target`` atomically; returns how many were written."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version {version} is not one Ties writes (4.0 or 3.0).")
    refuse_journal_target(Path(target), store.path)
    with atomic_write(Path(target), "w", newline="") as fh:
        return write_vcards(store, fh, person_ids=person_ids, version=version, progress=progress)
