"""Contacts from CSV files: Google, Outlook (in several languages), LinkedIn, or any mapping.

The encoding is found from the bytes (UTF-16 and UTF-8 byte-order marks, else
UTF-8 if it decodes, else Windows-1252). The header row is found by its
names, after any lines of notes (LinkedIn writes a few before it). Columns
are matched through :data:`SYNONYMS`; for other headers, a :class:`Mapping`
names the columns. The columns of lists (numbered e-mails, phones, addresses;
Outlook's fixed phone and address columns) are read by :mod:`csv_details`, and
every other non-empty cell is kept with the person. Rows are read one at a time
with a cap on field size.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from ties.io.importers.contacts import Contact
from ties.io.importers.csv_details import NO_DATE, DetailColumns, csv_date
from ties.io.importers.report import ImportFormatError
from ties.io.importers.vcard import utf16_kind
from ties.io.vcard_text import escape
from ties.model import Detail
from ties.store import fold

MAX_FIELD = 1_000_000  # characters in one cell
MAX_COLUMNS = 10_000  # cells in one row; real contact exports have a few hundred at most
MAX_PREAMBLE = 20  # lines of notes allowed before the header row
SNIFF = 256 * 1024

#: Contact fields and the (folded) header names that mean them, in many programs and languages.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "display name", "anzeigename", "nom complet", "nombre completo"),
    "first": ("first name", "given name", "vorname", "prenom", "nombre", "voornaam", "nome"),
    "middle": (
        "middle name",
        "additional name",
        "weitere vornamen",
        "deuxieme prenom",
        "segundo nombre",
    ),
    "last": (
        "last name",
        "family name",
        "surname",
        "nachname",
        "nom",
        "apellidos",
        "apellido",
        "achternaam",
        "cognome",
    ),
    "organization": (
        "company",
        "organization",
        "organisation",
        "organization 1 - name",
        "organization name",
        "firma",
        "societe",
        "entreprise",
        "empresa",
        "bedrijf",
        "societa",
    ),
    "role": (
        "job title",
        "position",
        "organization 1 - title",
        "organization title",
        "fonction",
        "puesto",
        "functie",
    ),
    "notes": ("notes", "note", "notizen", "remarques", "notas", "notities"),
    "categories": (
        "categories",
        "kategorien",
        "group membership",
        "labels",
        "categorie",
        "categorias",
    ),
    "birthday": ("birthday", "geburtstag", "anniversaire", "cumpleanos", "verjaardag"),
    "email": (
        "e-mail address",
        "email address",
        "e-mail 1 - value",
        "email",
        "e-mail",
        "e-mail-adresse",
        "adresse de messagerie",
    ),
}


class UnknownColumnsError(ImportFormatError):
    """No header row with a name column: the columns must be chosen by hand (a :class:`Mapping`)."""


@dataclass
class Mapping:
    """Which column holds what; ``None`` for a field the file does not have.

    Built from recognised headers by :func:`recognise`, or by hand (the import
    dialog's mapping step) from a file with headers Ties does not know.
    """

    name: str | None = None
    first: str | None = None
    middle: str | None = None
    last: str | None = None
    organization: str | None = None
    role: str | None = None
    notes: str | None = None
    categories: str | None = None
    birthday: str | None = None
    email: str | None = None
    columns: dict[str, int] = field(default_factory=dict)

    def usable(self) -> bool:
        return bool(self.name or self.first or self.last)


def recognise(headers: list[str]) -> Mapping:
    """Match header names to contact fields (case and accents ignored)."""
    folded = {fold(h): h for h in reversed(headers)}
    m = Mapping()
    for fld, names in SYNONYMS.items():
        for candidate in names:
            if candidate in folded:
                setattr(m, fld, folded[candidate])
                break
    return m


def program(headers: list[str]) -> str:
    """A name for the program that wrote these headers (for the preview)."""
    f = {fold(h) for h in headers}
    if "connected on" in f:
        return "LinkedIn CSV"
    if "group membership" in f or {"given name", "family name"} <= f or "labels" in f:
        return "Google CSV"
    if {"vorname", "nachname"} <= f or "job title" in f or "e-mail display name" in f:
        return "Outlook CSV"
    return "CSV"


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    kind = utf16_kind(head)
    if kind:
        return kind
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def looks_like(head: bytes) -> bool:
    """Text (a stray NUL byte allowed): a CSV file of one column or more.

    A file of one column has no delimiter to recognise it by; it is still read, and
    either its header names a column or the user says which column holds the name
    (``--map``, the import dialog's mapping step).
    """
    text = head[:SNIFF].decode(detect_encoding(head), errors="replace")
    if not text.strip():
        return False
    controls = sum(1 for c in text if (ord(c) < 32 and c not in "\t\r\n\x00") or c == "\ufffd")
    return controls <= len(text) // 100


def open_text(path: Path, raw: BinaryIO | None = None) -> tuple[TextIO, str]:
    stream: BinaryIO = raw if raw is not None else open(path, "rb")  # noqa: SIM115 - closed by caller
    head = stream.read(SNIFF)
    stream.seek(0)
    encoding = detect_encoding(head)
    # Bytes that are not UTF-8 further down (a stray byte typed in another program) are
    # kept as surrogates and decoded as Windows-1252 cell by cell, see _repair; the other
    # encodings replace what they cannot decode (cp1252 leaves 5 bytes undefined).
    errors = "surrogateescape" if encoding.startswith("utf-8") else "replace"
    wrapper = io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline="")
    return wrapper, encoding


_SURROGATE = re.compile("[\udc80-\udcff]")


def _repair(cell: str) -> str:
    """A cell with bytes that were not UTF-8, read as Windows-1252 instead."""
    if not _SURROGATE.search(cell):
        return cell
    raw = cell.encode("utf-8", errors="surrogateescape")
    return raw.decode("cp1252", errors="replace")


class _Feed:
    """The physical lines of a text, with the ones of the current record kept aside.

    The csv module reads a line at a time and never ahead, so after each row the
    lines it took are known: a row that swallowed the lines after an unclosed quote
    can be taken apart and those lines read again.
    """

    def __init__(self, text: TextIO) -> None:
        self.text = text
        self.back: list[str] = []  # lines to give out again, last first
        self.taken: list[str] = []
        self.number = 0  # the physical line number of the last line given out

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = self.back.pop() if self.back else next(self.text)
        if line.startswith("\ufeff"):  # the byte-order mark of a file joined on with cat
            line = line.lstrip("\ufeff")
        self.taken.append(line)
        self.number += 1
        return line

    def give_back(self, lines: list[str]) -> None:
        self.back.extend(reversed(lines))
        self.number -= len(lines)


class UnclosedQuote(ValueError):
    """A row whose quote is never closed: it would swallow every later row."""


def _never_closed(lines: list[str], delimiter: str) -> bool:
    """Whether the row made of ``lines`` is an unclosed quote that swallowed later lines.

    Read again strictly: a quote never closed runs into the end of the file, and one
    closed only by the quote of a later row has text right after it (``Cid,"also``);
    a cell that really spans lines does neither.
    """
    probe = [*lines[:-1], lines[-1].rstrip("\r\n") + "\n", "x\n"]
    try:
        return sum(1 for _ in csv.reader(probe, delimiter=delimiter, strict=True)) < 2
    except csv.Error:
        return True


def rows(
    text: TextIO, name: str, delimiter: str | None = None
) -> Iterator[tuple[int, list[str] | Exception]]:
    """(first line number, cells or why the row cannot be read) for each row.

    A quote that is never closed makes the csv module read the rest of the file as
    one cell: that row is reported (as an :class:`UnclosedQuote`) and the lines after
    its first are read again as rows of their own. A cell larger than ``MAX_FIELD``
    is an error. Without a ``delimiter``, it is found from the start of ``text``
    (which must then be seekable).
    """
    csv.field_size_limit(MAX_FIELD)
    if delimiter is None:
        try:
            sample = text.read(SNIFF)
            text.seek(0)
        except UnicodeDecodeError:
            raise ImportFormatError(
                f"{name}: the text is not in the encoding it starts in."
            ) from None
        delimiter = delimiter_of(sample)
    delim = delimiter
    feed = _Feed(text)
    while True:
        reader = csv.reader(feed, delimiter=delim)
        restart = False
        try:
            while True:
                start = feed.number + 1
                feed.taken = []
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                if len(feed.taken) > 1 and _never_closed(feed.taken, delim):
                    yield start, UnclosedQuote("a quote opened on this line is never closed")
                    feed.give_back(feed.taken[1:])
                    restart = True
                    break
                if len(cells) > MAX_COLUMNS:
                    raise ImportFormatError(
                        f"{name}, line {start}: {len(cells):,} columns; a contacts file "
                        f"has at most {MAX_COLUMNS:,}."
                    )
                yield start, [_repair(c) for c in cells]
        except csv.Error as exc:
            raise ImportFormatError(f"{name}, line {feed.number}: {exc}.") from None
        except UnicodeDecodeError:
            raise ImportFormatError(
                f"{name}, near line {feed.number}: the text is not in the encoding the start "
                "of the file uses."
            ) from None
        if not restart:
            return


def delimiter_of(sample: str) -> str:
    """The delimiter under which a header row is recognised; else the most common one."""
    lines = sample.splitlines()[: MAX_PREAMBLE + 1]
    for delim in (",", ";", "\t"):
        for cells in csv.reader(lines, delimiter=delim):
            if recognise(cells).usable():
                return delim
    counts = {d: sum(ln.count(d) for ln in lines) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def read_contacts(
    path: Path, mapping: Mapping | None = None, text: TextIO | None = None
) -> Iterator[tuple[str, Contact | Exception]]:
    """(line, contact or reason) for each data row; raises if no header row is recognised."""
    name = path.name
    own = text is None
    if text is None:
        text, _ = open_text(path)
    try:
        header: list[str] | None = None
        details: DetailColumns | None = None
        m = mapping
        for lineno, cells in rows(text, name):
            if isinstance(cells, Exception):
                yield f"line {lineno}", cells
                continue
            if header is None:
                if lineno > MAX_PREAMBLE + 1 and mapping is None:
                    break
                candidate = mapping if mapping is not None else recognise(cells)
                if _has_columns(candidate, cells):
                    header = cells
                    m = candidate
                    assert m is not None
                    m.columns = {h: i for i, h in reversed(list(enumerate(cells)))}
                    details = details_for(m, cells)
                continue
            if not any(c.strip() for c in cells) or cells == header:
                continue  # an empty row, or the header again (files joined with cat)
            assert m is not None
            try:
                yield f"line {lineno}", _contact(m, cells, details)
            except ValueError as exc:
                yield f"line {lineno}", exc
        if header is None:
            if mapping is not None:
                raise UnknownColumnsError(
                    f"{name}: no header row has the name, first name or last name column "
                    "the mapping names."
                )
            raise UnknownColumnsError(
                f"{name}: no header row Ties recognises (it needs a name, first name or last "
                "name column)."
            )
    finally:
        if own:
            text.close()


def headers_of(path: Path) -> list[str]:
    """The first non-empty row (after notes) of a CSV file: for the mapping step."""
    text, _ = open_text(path)
    with text:
        first: list[str] = []
        for lineno, cells in rows(text, path.name):
            if lineno > MAX_PREAMBLE + 1:
                break
            if isinstance(cells, Exception):
                continue
            if not any(c.strip() for c in cells):
                continue
            if recognise(cells).usable():
                return cells
            if not first:
                first = cells
        return first


def _has_columns(m: Mapping | None, cells: list[str]) -> bool:
    if m is None or not m.usable():
        return False
    present = set(cells)
    return all(getattr(m, f) in present for f in ("name", "first", "last") if getattr(m, f))


def _cell(m: Mapping, cells: list[str], fld: str) -> str:
    col = getattr(m, fld)
    if not col:
        return ""
    i = m.columns.get(col)
    if i is None or i >= len(cells):
        return ""  # rows shorter than the header: the missing cells are empty
    return cells[i].strip()


FIELDS = (
    "name",
    "first",
    "middle",
    "last",
    "organization",
    "role",
    "notes",
    "categories",
    "birthday",
    "email",
)


def details_for(m: Mapping, header: list[str]) -> DetailColumns:
    """The detail columns of ``header`` besides those ``m`` names (see :mod:`csv_details`).

    A Google ``E-mail 1 - Value`` column is read with its type column there, not as the
    mapping's single e-mail.
    """
    claimed = {m.columns[c] for f in FIELDS if (c := getattr(m, f)) and c in m.columns}
    email = m.columns.get(m.email) if m.email else None
    if email is not None and re.fullmatch(r"e-?mail \d+ - value", fold(m.email or "")):
        claimed.discard(email)
    return DetailColumns.recognise(header, claimed)


def _contact(m: Mapping, cells: list[str], details: DetailColumns | None = None) -> Contact:
    full = _cell(m, cells, "name")
    parts = [_cell(m, cells, f) for f in ("first", "middle", "last")]
    name = full or " ".join(p for p in parts if p)
    c = Contact(name="")
    if details is not None:
        details.apply(cells, c)
    email_col = m.columns.get(m.email) if m.email else None
    email = ""
    if email_col is None or details is None or email_col not in details.claimed():
        email = _cell(m, cells, "email")
    if not name:
        name = email or (c.emails[0].value if c.emails else "")
    if not name:
        raise ValueError("no name")
    c.name = name
    for fld in FIELDS:
        col = getattr(m, fld)
        i = m.columns.get(col) if col else None
        filled = i is not None and i < len(cells) and bool(cells[i].strip())
        if filled and (fld != "email" or email):
            c.fields.append(("mapped", col or fld))
    for part in re.split(r":::|;|,", _cell(m, cells, "categories")):
        tag = part.strip().lstrip("* ").strip()
        if tag and tag.casefold() not in {t.casefold() for t in c.categories}:
            c.categories.append(tag)
    bday_text = _cell(m, cells, "birthday")
    if bday_text:
        c.birthday = csv_date(bday_text)
        if c.birthday is None:
            c.fields = [f for f in c.fields if f[1] != m.birthday]
            if NO_DATE.fullmatch(bday_text):
                c.fields.append(("skipped", m.birthday or "birthday"))  # Outlook's "no date"
            else:
                c.extra.append(f"BDAY;VALUE=text:{escape(bday_text)}")
                c.fields.append(("kept", m.birthday or "birthday"))
    if email and not any(d.value == email for d in c.emails):
        c.emails.insert(0, Detail("other", email))
    c.organization = _cell(m, cells, "organization")
    c.role = _cell(m, cells, "role")
    c.notes = _cell(m, cells, "notes")
    return c
