"""The contact-detail columns of Google, Outlook (English, German) and LinkedIn CSV files.

:mod:`csv_contacts` finds the name, organisation and the other one-column fields
through its synonyms (or a hand-made mapping); this module recognises the
columns that hold lists — numbered e-mails, phones, web sites, addresses and
events with their type columns (Google), the fixed phone and address columns
of Outlook, LinkedIn's profile link and "Connected On" — and puts each cell in
its place on a :class:`Contact`. Every other non-empty cell is kept as an
``X-CSV-…`` vCard line on the person (written back on vCard export), and every
cell is counted as mapped, kept or skipped under its column's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ties.io.importers.contacts import Contact
from ties.io.vcard_text import escape, parse_date
from ties.model import Address, Detail, ImportantDate
from ties.store import fold

#: Google: ``E-mail 1 - Type``/``Value``, ``Phone 2 - Label``, ``Address 1 - City``, …
_NUMBERED = re.compile(
    r"(e-mail|email|phone|website|address|event) (\d+) - "
    r"(type|label|value|formatted|street|city|po box|region|postal code|country|"
    r"extended address)"
)
_ADDRESS_PART = {
    "street": "street",
    "street 2": "street",
    "street 3": "street",
    "strasse": "street",
    "strasse 2": "street",
    "strasse 3": "street",
    "extended address": "street",
    "po box": "street",
    "postfach": "street",
    "city": "locality",
    "ort": "locality",
    "region": "region",
    "state": "region",
    "bundesland/kanton": "region",
    "postal code": "postcode",
    "postleitzahl": "postcode",
    "country": "country",
    "country/region": "country",
    "land/region": "country",
}
#: Outlook's fixed phone columns (English and German, folded) and their labels.
PHONES = {
    "business phone": "work",
    "business phone 2": "work",
    "home phone": "home",
    "home phone 2": "home",
    "mobile phone": "mobile",
    "other phone": "other",
    "primary phone": "main",
    "company main phone": "company main",
    "car phone": "car",
    "assistant's phone": "assistant",
    "radio phone": "radio",
    "callback": "callback",
    "pager": "pager",
    "business fax": "work fax",
    "home fax": "home fax",
    "other fax": "fax",
    "isdn": "isdn",
    "telex": "telex",
    "tty/tdd phone": "tty",
    "telefon geschaftlich": "work",
    "telefon geschaftlich 2": "work",
    "telefon (privat)": "home",
    "telefon (privat 2)": "home",
    "telefon privat": "home",
    "mobiltelefon": "mobile",
    "mobiltelefon 2": "mobile",
    "weiteres telefon": "other",
    "haupttelefon": "main",
    "telefon firma": "company main",
    "autotelefon": "car",
    "telefon assistent": "assistant",
    "fax geschaftlich": "work fax",
    "fax privat": "home fax",
    "weiteres fax": "fax",
    "telefon fur horbehinderte": "tty",
    "ruckmeldung": "callback",
}
EMAILS = {
    "e-mail 2 address": "other",
    "e-mail 3 address": "other",
    "e-mail 2: adresse": "other",
    "e-mail 3: adresse": "other",
}
URLS = {
    "web page": "other",
    "personal web page": "home",
    "business web page": "work",
    "webseite": "other",
    "website": "other",
    "url": "other",
    "profile url": "other",
}
DATES = {"anniversary": "anniversary", "jahrestag": "anniversary"}
#: Columns that only describe another column (the e-mail's type in Outlook).
SKIP = re.compile(r"e-mail( \d)?( type|: typ|-typ)|e-mail( \d)?( display name|: angezeigter name)")
_OUTLOOK_ADDRESS = re.compile(
    r"(business|home|other) (street(?: 2| 3)?|city|state|postal code|country/region|po box)"
)
_GERMAN_ADDRESS = re.compile(
    r"(strasse(?: 2| 3)?|ort|region|bundesland/kanton|postleitzahl|land/region|postfach)"
    r" (geschaftlich|privat)(?: (2|3))?"
)
_GERMAN_OTHER = {
    "weitere strasse": "street",
    "weitere strasse 2": "street",
    "weitere strasse 3": "street",
    "weiterer ort": "locality",
    "weiteres/r bundesland/kanton": "region",
    "weitere postleitzahl": "postcode",
    "weiteres/e land/region": "country",
    "weiteres postfach": "street",
}


@dataclass
class _AddressColumns:
    label: str = "other"
    label_column: int | None = None
    parts: list[tuple[int, str]] = field(default_factory=list)  # (column, part)
    formatted: int | None = None


@dataclass
class DetailColumns:
    """Which columns of a header hold which details; built once per file."""

    headers: list[str]
    linkedin: bool = False
    singles: dict[int, tuple[str, str]] = field(default_factory=dict)  # col → (kind, label)
    typed: dict[str, dict[str, int]] = field(default_factory=dict)  # "phone 1" → {value, type}
    addresses: dict[str, _AddressColumns] = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)
    kept: dict[int, str] = field(default_factory=dict)  # col → X-CSV- name

    def claimed(self) -> set[int]:
        """The columns read here."""
        out = set(self.singles) | self.skipped | set(self.kept)
        out |= {i for cols in self.typed.values() for i in cols.values()}
        for a in self.addresses.values():
            out |= {i for i, _ in a.parts}
            out |= {i for i in (a.label_column, a.formatted) if i is not None}
        return out

    @classmethod
    def recognise(cls, headers: list[str], claimed: set[int]) -> DetailColumns:
        folded = [fold(h) for h in headers]
        d = cls(headers, linkedin="connected on" in folded)
        for i, h in enumerate(folded):
            if i in claimed or not h:
                continue
            m = _NUMBERED.fullmatch(h)
            if m:
                kind, number, part = m[1].replace("email", "e-mail"), m[2], m[3]
                key = f"{kind} {number}"
                if kind == "address":
                    a = d.addresses.setdefault(key, _AddressColumns())
                    if part in ("type", "label"):
                        a.label_column = i
                    elif part == "formatted":
                        a.formatted = i
                    elif part in _ADDRESS_PART:
                        a.parts.append((i, _ADDRESS_PART[part]))
                    continue
                d.typed.setdefault(key, {})["value" if part == "value" else "type"] = i
                continue
            if h in PHONES:
                d.singles[i] = ("phone", PHONES[h])
            elif h in EMAILS:
                d.singles[i] = ("email", EMAILS[h])
            elif h in URLS:
                d.singles[i] = ("url", "linkedin" if d.linkedin and h == "url" else URLS[h])
            elif h in DATES:
                d.singles[i] = ("date", DATES[h])
            elif h == "connected on" and d.linkedin:
                d.singles[i] = ("date", "connected on LinkedIn")
            elif SKIP.fullmatch(h):
                d.skipped.add(i)
            elif m2 := _OUTLOOK_ADDRESS.fullmatch(h):
                label = {"business": "work", "home": "home"}.get(m2[1], "other")
                a = d.addresses.setdefault(f"outlook {m2[1]}", _AddressColumns(label))
                a.parts.append((i, _ADDRESS_PART[m2[2]]))
            elif m3 := _GERMAN_ADDRESS.fullmatch(h):
                label = "work" if m3[2] == "geschaftlich" else "home"
                part = _ADDRESS_PART[m3[1] if m3[1] != "bundesland/kanton" else "region"]
                a = d.addresses.setdefault(f"outlook {m3[2]}", _AddressColumns(label))
                a.parts.append((i, part))
            elif h in _GERMAN_OTHER:
                a = d.addresses.setdefault("outlook weitere", _AddressColumns("other"))
                a.parts.append((i, _GERMAN_OTHER[h]))
            else:
                slug = re.sub(r"[^A-Z0-9]+", "-", h.upper()).strip("-") or f"COLUMN-{i + 1}"
                d.kept[i] = f"X-CSV-{slug}"
        return d

    def apply(self, cells: list[str], c: Contact) -> None:
        """Put the cells of one row into ``c`` (and count each non-empty cell)."""

        def cell(i: int | None) -> str:
            if i is None or i >= len(cells):
                return ""
            return cells[i].strip()

        def count(status: str, i: int) -> None:
            c.fields.append((status, self.headers[i]))

        for i, (kind, label) in self.singles.items():
            value = cell(i)
            if value:
                self._put(c, kind, label, value, i, count)
        for key, cols in self.typed.items():
            value = cell(cols.get("value"))
            if not value:
                continue
            label = _label(cell(cols.get("type")))
            kind = {"e-mail": "email", "website": "url", "event": "date"}.get(
                key.split()[0], key.split()[0]
            )
            for one in (v.strip() for v in value.split(":::")):
                if one:
                    self._put(c, kind, label, one, cols["value"], count)
        for a in self.addresses.values():
            parts: dict[str, list[str]] = {}
            for i, part in a.parts:
                value = cell(i)
                if value:
                    parts.setdefault(part, []).append(value)
                    count("mapped", i)
            label = _label(cell(a.label_column)) if a.label_column is not None else a.label
            if parts:
                c.addresses.append(Address(label, *("\n".join(parts.get(p, [])) for p in _PARTS)))
                if a.formatted is not None and cell(a.formatted):
                    count("skipped", a.formatted)  # the same address, printed
            elif a.formatted is not None and cell(a.formatted):
                lines = cell(a.formatted).split("\n")
                c.addresses.append(Address(label, "\n".join(lines)))
                count("mapped", a.formatted)
        for i in self.skipped:
            if cell(i):
                count("skipped", i)
        for i, name in self.kept.items():
            value = cell(i)
            if value:
                c.extra.append(f"{name}:{escape(value)}")
                count("kept", i)

    @staticmethod
    def _put(
        c: Contact, kind: str, label: str, value: str, i: int, count: Callable[[str, int], None]
    ) -> None:
        if kind == "date":
            parsed = csv_date(value)
            if parsed is None and NO_DATE.fullmatch(value):
                count("skipped", i)  # Outlook's "no date"
                return
            if parsed is None:
                c.extra.append(f"X-CSV-DATE;X-LABEL={_param(label)}:{escape(value)}")
                count("kept", i)
                return
            yearly = not label.startswith("connected on")
            c.dates.append(ImportantDate(label, parsed, yearly))
        else:
            target = {"email": c.emails, "phone": c.phones, "url": c.urls}[kind]
            if any(d.value == value for d in target):
                count("skipped", i)
                return
            target.append(Detail(label, value))
        count("mapped", i)


#: Outlook's placeholder for an empty date.
NO_DATE = re.compile(r"0{1,2}\.0{1,2}\.0{2,4}")
_PARTS = ("street", "locality", "region", "postcode", "country")


def _param(text: str) -> str:
    return re.sub(r'[";:,]', " ", text)


_KNOWN_LABELS = frozenset(
    {"", "other", "main", "home", "work", "mobile", "anniversary", "pager", "fax"}
    | {"home fax", "work fax"}
)


def _label(text: str) -> str:
    """Google's ``* Home`` or ``Work`` as a label: ``home``, ``work``; empty is ``other``."""
    text = text.replace("*", " ").strip()
    text = " ".join(text.split(":::")[0].split())
    lowered = text.lower()
    if lowered in _KNOWN_LABELS:
        return lowered or "other"
    if lowered in ("cell", "mobil"):
        return "mobile"
    return text


_MONTH_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y")


def csv_date(text: str) -> str | None:
    """A date cell as Ties keeps dates: ISO, ``--MM-DD``, ``22.03.1980``, ``3/22/1980``,
    ``22 Dec 2025``; Outlook's ``0.0.00`` placeholder and anything else is ``None``."""
    text = text.strip()
    parsed = parse_date(text)
    if parsed:
        return parsed
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return parse_date(f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}")
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:  # Outlook in English writes month/day/year
        return parse_date(f"{m[3]}-{int(m[1]):02d}-{int(m[2]):02d}")
    for fmt in _MONTH_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None
