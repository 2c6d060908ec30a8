"""Contacts from other programs (vCard, CSV) merged into the journal as people.

Every reader turns its records into :class:`Contact` values; :class:`ContactMerger`
matches them to people already in the journal (same name and organisation,
ignoring case and accents) and either adds a person, fills in what the journal
does not know yet, or skips the contact when it brings nothing new. It never
overwrites what the user wrote.

Details that differ mean different people: three "John Smith" with three
different e-mail addresses (or two different birthdays) become three people.
Until the journal has fields for contact details, a contact's e-mail addresses
are kept in the person's notes (``E-mail: …``), which is also where they are
looked up when the same file is imported again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from ties.io.importers.report import ImportReport
from ties.model import Person
from ties.store import PeopleFilter, Store, fold
from ties.store.values import MAX_TEXT

MAX_NAME = 500


@dataclass
class Contact:
    """One person as another program exported them; empty strings mean unknown."""

    name: str
    organization: str = ""
    role: str = ""
    notes: str = ""
    categories: list[str] = field(default_factory=list)
    birthday: date | None = None
    birthday_text: str = ""
    emails: list[str] = field(default_factory=list)


def clean(text: str | None) -> str:
    """Trim, drop NULs and control characters other than line breaks and tabs."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\n\t" or ord(c) >= 32).strip()


_EMAIL = re.compile(r"(?:mailto:)?[^\s@]+@[^\s@]+")
_BIRTHDAY = re.compile(r"^Birthday: (.+)$", re.M)


def display_birthday(c: Contact) -> str:
    if c.birthday:
        return c.birthday.isoformat()
    return c.birthday_text


def notes_for(c: Contact) -> str:
    """The notes a new person gets: the contact's notes plus what has no field of its own."""
    return "\n".join(note_parts(c))


def note_parts(c: Contact) -> list[str]:
    parts = [c.notes] if c.notes else []
    if display_birthday(c):
        parts.append(f"Birthday: {display_birthday(c)}")
    parts.extend(f"E-mail: {e}" for e in c.emails)
    return parts


def emails_in(text: str) -> set[str]:
    """The e-mail addresses written in a text (a person's notes), lower-cased."""
    if "@" not in text:
        return set()
    words = (w.strip("<>()[],;:\"'.") for w in text.split() if "@" in w)
    return {w.lower().removeprefix("mailto:") for w in words if _EMAIL.fullmatch(w)}


def birthday_in(notes: str) -> str:
    m = _BIRTHDAY.search(notes)
    return m[1].strip() if m else ""


def conflicts(c: Contact, notes: str) -> bool:
    """Whether a contact and a person of the same name differ in a detail both know."""
    mine = {e.lower() for e in c.emails}
    theirs = emails_in(notes)
    if mine and theirs and not mine & theirs:
        return True
    known = birthday_in(notes)
    return bool(display_birthday(c) and known and known != display_birthday(c))


class ContactMerger:
    """Adds or updates people for contacts, in the caller's transaction."""

    def __init__(self, store: Store, report: ImportReport) -> None:
        self.store = store
        self.report = report
        self.index: dict[tuple[str, str], list[int]] = {}
        for p in store.list_people(PeopleFilter(archived=None)):
            self.index.setdefault((fold(p.name), fold(p.organization)), []).append(p.id or 0)
        self.circles = {}
        for c in store.circles(include_retired=False):
            self.circles[fold(c.key)] = c.key
            self.circles[fold(c.label)] = c.key

    def check(self, c: Contact) -> Contact:
        """Refuse a contact that cannot become a person (raises ``ValueError``)."""
        c = replace(
            c,
            name=" ".join(clean(c.name).split()),
            organization=" ".join(clean(c.organization).split()),
            role=" ".join(clean(c.role).split()),
            notes=clean(c.notes),
        )
        if not c.name:
            raise ValueError("no name")
        if len(c.name) > MAX_NAME:
            raise ValueError(f"the name is {len(c.name):,} characters long (at most {MAX_NAME})")
        for label, value in (
            ("organisation", c.organization),
            ("title", c.role),
            ("note", c.notes),
        ):
            if len(value) > MAX_TEXT:
                raise ValueError(
                    f"the {label} is {len(value):,} characters long (at most {MAX_TEXT:,})"
                )
        return c

    def circle_for(self, c: Contact) -> str | None:
        for cat in c.categories:
            key = self.circles.get(fold(cat))
            if key:
                return key
        return None

    def match(self, c: Contact, ids: list[int]) -> Person | None:
        """The person of this name the contact is: one sharing an e-mail, else one whose
        known details do not contradict it; ``None`` when it is somebody new."""
        people = [self.store.get_person(pid) for pid in ids]
        mine = {e.lower() for e in c.emails}
        for p in people:
            if mine & emails_in(p.notes):
                return p
        for p in people:
            if not conflicts(c, p.notes):
                return p
        return None

    def merge(self, c: Contact) -> None:
        label = c.name + (f" ({c.organization})" if c.organization else "")
        key = (fold(c.name), fold(c.organization))
        old = self.match(c, self.index.get(key, []))
        if old is None:
            person = self.store.add_person(
                Person(
                    name=c.name,
                    organization=c.organization,
                    role=c.role,
                    notes=notes_for(c),
                    circle=self.circle_for(c) or "other",
                )
            )
            self.index.setdefault(key, []).append(person.id or 0)
            self.report.note("added", "person", label)
            return
        new = replace(old)
        filled: list[str] = []
        if not old.role and c.role:
            new.role = c.role
            filled.append("title")
        extra = "\n".join(p for p in note_parts(c) if p not in old.notes)
        if extra:
            new.notes = f"{old.notes}\n\n{extra}".strip() if old.notes else extra
            filled.append("notes")
        circle = self.circle_for(c)
        if old.circle == "other" and circle and circle != "other":
            new.circle = circle
            filled.append("circle")
        if not filled:
            self.report.note("skipped", "person", label, "already in the journal")
            return
        self.store.update_person(new)
        self.report.note("updated", "person", label, "added " + ", ".join(filled))
