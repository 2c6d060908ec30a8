"""Contacts from other programs (vCard, CSV) merged into the journal as people.

Every reader turns its records into :class:`Contact` values, with every field
already in its place (e-mails, phones, addresses, links, birthday, dates,
tags, photo) or kept as a raw vCard line (``extra``), and a count of what was
mapped, kept and skipped. :class:`ContactMerger` then finds the person each
contact is, in the journal or earlier in the same file:

1. the same UID (a Ties export names each person by its uuid);
2. a shared e-mail address, or a shared phone number that is one person's (a mobile or an
   unlabelled number of 7 digits or more; not a home, work, main or fax line, which
   families and colleagues share);
3. the same name and organisation, unless a detail both know differs (three
   "John Smith" with three different e-mail addresses are three people).

A match is updated with what it does not know yet (nothing the user wrote is
overwritten); anything else is added. A new person whose name is nearly that of
somebody already there is named in the report as "possibly the same person",
never merged silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from ties.io.importers.report import ImportReport
from ties.model import Address, Detail, ImportantDate, Person
from ties.store import PeopleFilter, Store, fold
from ties.store.values import MAX_TEXT

MAX_NAME = 500
#: The journal's limits for one detail (e-mail, phone, link, address line) and a label or tag.
MAX_DETAIL = 2000
MAX_LABEL = 200
#: Phone numbers with fewer digits (112, an extension) match nobody.
MIN_PHONE_DIGITS = 7
#: Phone labels of lines people share (a family's landline, an office switchboard, a fax):
#: a number with one of these labels, on either side, matches nobody.
SHARED_PHONES = frozenset(
    {"home", "work", "main", "company main", "fax", "home fax", "work fax", "assistant", "car"}
)
#: How alike two names must be (rapidfuzz ratio, 0-100) to be offered as one person.
NEAR_NAME = 88
#: At most this many people sharing a word of the name are compared with a new one.
MAX_CANDIDATES = 500
#: At most this many "possibly the same person" offers per new person.
MAX_OFFERS = 3


@dataclass(frozen=True)
class ContactLink:
    """A ``RELATED`` property naming another person by uuid, resolved after the whole file.

    ``line`` is the property as it was, kept with the person when nobody in the journal
    or the file has that uuid.
    """

    uuid: str
    relation: str
    directed: bool = False
    since: date | None = None
    line: str = ""


@dataclass
class Contact:
    """One person as another program exported them; empty strings mean unknown.

    Attributes:
        categories: the program's categories or groups; they become tags (and the
            circle, when one is named like a circle).
        birthday: ``YYYY-MM-DD`` or ``--MM-DD``.
        extra: raw vCard lines Ties has no field for, kept with the person.
        photo: JPEG or PNG bytes as the file had them.
        uid: the uuid the file names the person by (a Ties export's ``UID``).
        links: ``RELATED`` people by uuid, linked once the whole file is read.
        fields: ``(mapped|kept|skipped, kind)`` for every field read.
        dropped: why a field was not kept, for the report.
    """

    name: str
    organization: str = ""
    role: str = ""
    notes: str = ""
    categories: list[str] = field(default_factory=list)
    birthday: str | None = None
    emails: list[Detail] = field(default_factory=list)
    phones: list[Detail] = field(default_factory=list)
    urls: list[Detail] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    dates: list[ImportantDate] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    photo: bytes | None = None
    uid: str = ""
    links: list[ContactLink] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def clean(text: str | None) -> str:
    """Trim, drop NULs and control characters other than line breaks and tabs."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _line(text: str) -> str:
    return " ".join(clean(text).split())


def digits(phone: str) -> str:
    """The digits of a phone number, as phones are matched."""
    return re.sub(r"\D", "", phone)


def conflicts(c: Contact, p: Person) -> bool:
    """Whether a contact and a person of the same name differ in a detail both know."""
    mine = {e.value.casefold() for e in c.emails}
    theirs = {e.value.casefold() for e in p.emails}
    if mine and theirs and not mine & theirs:
        return True
    return bool(c.birthday and p.birthday and c.birthday != p.birthday)


class ContactMerger:
    """Adds or updates people for contacts, in the caller's transaction."""

    def __init__(self, store: Store, report: ImportReport) -> None:
        self.store = store
        self.report = report
        self.index: dict[tuple[str, str], list[int]] = {}
        self.word_names: dict[str, list[str]] = {}  # word → folded names with it
        self.word_people: dict[str, list[tuple[int, str]]] = {}  # (id, label)
        for p in store.list_people(PeopleFilter(archived=None)):
            self._remember(p)
        self.pending: list[tuple[int, str, ContactLink]] = []  # (person id, label, link)
        self.free_uids: set[str] = set()  # uuids of the file nobody in the journal has
        self.circles = {}
        for c in store.circles(include_retired=False):
            self.circles[fold(c.key)] = c.key
            self.circles[fold(c.label)] = c.key

    def _remember(self, p: Person) -> None:
        key = (fold(p.name), fold(p.organization))
        self.index.setdefault(key, []).append(p.id or 0)
        digits_ = _digits_in(key[0])
        meta = (p.id or 0, _label(p.name, p.organization))
        for word in set(key[0].split()):
            self.word_names.setdefault(f"{word}#{digits_}", []).append(key[0])
            self.word_people.setdefault(f"{word}#{digits_}", []).append(meta)

    def check(self, c: Contact) -> Contact:
        """Refuse a contact that cannot become a person (raises ``ValueError``)."""
        dropped = list(c.dropped)

        def fits(text: str, what: str, limit: int = MAX_DETAIL) -> bool:
            if len(text) <= limit:
                return True
            dropped.append(f"{what} of {len(text):,} characters (at most {limit:,})")
            return False

        def details(items: list[Detail], what: str) -> list[Detail]:
            out = [Detail(_line(d.label)[:MAX_LABEL], _line(d.value)) for d in items]
            return [d for d in out if d.value and fits(d.value, what)]

        addresses = [
            Address(_line(a.label)[:MAX_LABEL], *(clean(x) for x in _address_parts(a)))
            for a in c.addresses
        ]
        c = replace(
            c,
            name=_line(c.name),
            organization=_line(c.organization),
            role=_line(c.role),
            notes=clean(c.notes),
            emails=details(c.emails, "an e-mail"),
            phones=details(c.phones, "a phone number"),
            urls=details(c.urls, "a link"),
            addresses=[
                a
                for a in addresses
                if any(_address_parts(a)) and fits(max(_address_parts(a), key=len), "an address")
            ],
            dates=[replace(d, label=_line(d.label)[:MAX_LABEL]) for d in c.dates],
            categories=[t for t in map(_line, c.categories) if t and fits(t, "a tag", MAX_LABEL)],
            extra=[clean(x) for x in c.extra if clean(x)],
            dropped=dropped,
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

    def _by_detail(self, c: Contact) -> Person | None:
        for e in c.emails:
            found = self.store.find_people_by_detail("email", e.value)
            if found:
                return found[0]
        for ph in c.phones:
            if len(digits(ph.value)) < MIN_PHONE_DIGITS or ph.label.lower() in SHARED_PHONES:
                continue
            for p in self.store.find_people_by_detail("phone", ph.value):
                theirs = [d for d in p.phones if digits(d.value) == digits(ph.value)]
                if any(d.label.lower() not in SHARED_PHONES for d in theirs):
                    return p
        return None

    def match(self, c: Contact) -> tuple[Person | None, list[Person]]:
        """(the person this contact is, or ``None``; people of the same name who differ)."""
        if c.uid:
            p = self.store.get_person_by_uuid(c.uid)
            if p is not None:
                return p, []
            self.free_uids.add(c.uid)
        p = self._by_detail(c)
        if p is not None:
            return p, []
        ids = self.index.get((fold(c.name), fold(c.organization)), [])
        people = [self.store.get_person(pid) for pid in ids]
        for p in people:
            if not conflicts(c, p):
                return p, []
        return None, people

    def near_names(self, name: str, exclude: set[int]) -> list[tuple[int, str]]:
        """People whose name is nearly ``name`` (not the same), for "possibly the same person".

        Only people sharing a word of the name are compared (the last
        :data:`MAX_CANDIDATES` per word), in rapidfuzz's C loop; names that differ in
        their digits ("Room 101", "Room 102") are not people who could be one.
        """
        from rapidfuzz import fuzz, process

        folded = fold(name)
        mine = _digits_in(folded)
        found: dict[int, str] = {}
        for word in sorted(set(folded.split()), key=len, reverse=True):
            word = f"{word}#{mine}"  # only names with the same digits are compared
            texts = self.word_names.get(word)
            if not texts:
                continue
            start = max(0, len(texts) - MAX_CANDIDATES)
            hits = process.extract(
                folded, texts[start:], scorer=fuzz.ratio, score_cutoff=NEAR_NAME, limit=None
            )
            for other, _score, index in hits:
                pid, label = self.word_people[word][start + index]
                if other != folded and pid not in exclude:
                    found.setdefault(pid, label)
            if len(found) >= MAX_OFFERS:
                break
        return list(found.items())[:MAX_OFFERS]

    def merge(self, c: Contact, where: str = "") -> None:
        label = _label(c.name, c.organization)
        for status, kind in c.fields:
            self.report.count_field(status, kind)
        for why in c.dropped:
            self.report.dropped(f"{where}: {label}: {why}" if where else f"{label}: {why}")
        old, namesakes = self.match(c)
        pid = self._add(c, label, namesakes) if old is None else self._update(c, old, label)
        self.pending.extend((pid, label, link) for link in c.links)

    def finish(self) -> None:
        """Link the people the file's ``RELATED`` lines name; keep the lines naming nobody.

        Called once the whole file is read, so a card may name a person further down.
        """
        for pid, label, link in self.pending:
            other = self.store.get_person_by_uuid(link.uuid)
            if other is None or other.id == pid:
                person = self.store.get_person(pid)
                if link.line not in person.extra:
                    self.store.update_person(replace(person, extra=[*person.extra, link.line]))
                self.report.count_field("kept", "RELATED")
                continue
            self.report.count_field("mapped", "RELATED")
            b = other.id or 0
            have = {
                (x.relation, x.directed, x.since, x.incoming)
                for x in self.store.links(pid)
                if x.other_id == b
            }
            if (link.relation, link.directed, link.since, False) in have:
                continue  # the journal has this link already (either way round if symmetric)
            self.store.link(pid, b, link.relation, link.directed, link.since)
            self.report.note("linked", "link", f"{label} – {other.name}", link.relation)

    def _add(self, c: Contact, label: str, namesakes: list[Person]) -> int:
        uid = c.uid if c.uid in self.free_uids else ""
        self.free_uids.discard(c.uid)  # taken now (a second card with it is another person)
        person = Person(
            name=c.name,
            organization=c.organization,
            role=c.role,
            notes=c.notes,
            circle=self.circle_for(c) or "other",
            emails=list(c.emails),
            phones=list(c.phones),
            urls=list(c.urls),
            addresses=list(c.addresses),
            birthday=c.birthday,
            dates=list(c.dates),
            tags=list(c.categories),
            extra=list(c.extra),
        )
        if uid:
            person.uuid = uid
        person = self.store.add_person(person)
        if c.photo is not None:
            self.store.set_photo(person.id or 0, c.photo)
        pid = person.id or 0
        offers = [(p.id or 0, _label(p.name, p.organization)) for p in namesakes]
        offers += self.near_names(c.name, {pid, *(i for i, _ in offers)})
        for _other, other_label in offers[:MAX_OFFERS]:
            self.report.possibly_same(label, other_label)
        self._remember(person)
        self.report.note("added", "person", label)
        return pid

    def _update(self, c: Contact, old: Person, label: str) -> int:
        new = replace(old)
        filled: list[str] = []
        if not old.role and c.role:
            new.role = c.role
            filled.append("title")
        if not old.organization and c.organization:
            new.organization = c.organization
            filled.append("organisation")
        if c.notes and c.notes not in old.notes:
            new.notes = f"{old.notes}\n\n{c.notes}".strip() if old.notes else c.notes
            filled.append("notes")
        circle = self.circle_for(c)
        if old.circle == "other" and circle and circle != "other":
            new.circle = circle
            filled.append("circle")
        mails = {d.value.casefold() for d in old.emails}
        new.emails = old.emails + [d for d in c.emails if d.value.casefold() not in mails]
        phones = {digits(d.value) or d.value for d in old.phones}
        new.phones = old.phones + [
            d for d in c.phones if (digits(d.value) or d.value) not in phones
        ]
        new.urls = old.urls + [d for d in c.urls if d.value not in {u.value for u in old.urls}]
        new.addresses = old.addresses + [a for a in c.addresses if not _has_address(old, a)]
        if not old.birthday and c.birthday:
            new.birthday = c.birthday
        new.dates = old.dates + [
            d for d in c.dates if (d.label, d.date) not in {(x.label, x.date) for x in old.dates}
        ]
        tags = {fold(t) for t in old.tags}
        new.tags = old.tags + [t for t in c.categories if fold(t) not in tags]
        new.extra = old.extra + [x for x in c.extra if x not in old.extra]
        for what, before, after in (
            ("e-mail", old.emails, new.emails),
            ("phone", old.phones, new.phones),
            ("link", old.urls, new.urls),
            ("address", old.addresses, new.addresses),
            ("birthday", old.birthday, new.birthday),
            ("date", old.dates, new.dates),
            ("tag", old.tags, new.tags),
            ("kept field", old.extra, new.extra),
        ):
            if before != after:
                filled.append(what)
        photo = c.photo is not None and not old.has_photo
        if photo:
            filled.append("photo")
        if not filled:
            self.report.note("skipped", "person", label, "already in the journal")
            return old.id or 0
        if new != old:
            self.store.update_person(new)
        if photo and c.photo is not None:
            self.store.set_photo(old.id or 0, c.photo)
        self.report.note("updated", "person", label, "added " + ", ".join(filled))
        return old.id or 0


def _digits_in(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit()) if any(ch.isdigit() for ch in text) else ""


def _label(name: str, organization: str) -> str:
    """``Ana Ruiz (Globex)``: a person as the report names them."""
    return name + (f" ({organization})" if organization else "")


def _address_parts(a: Address) -> tuple[str, str, str, str, str]:
    return (a.street, a.locality, a.region, a.postcode, a.country)


def _has_address(p: Person, a: Address) -> bool:
    """Whether ``p`` has this address already, whatever its label."""
    same = (a.street, a.locality, a.region, a.postcode, a.country)
    return any((x.street, x.locality, x.region, x.postcode, x.country) == same for x in p.addresses)
