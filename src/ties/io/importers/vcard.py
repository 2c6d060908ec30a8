"""vCard 2.1, 3.0 and 4.0 contacts, read property by property, losing nothing.

Real exports break strict parsers (``vobject`` among them) in many ways (see
``docs/import.md``), so each card is read at the byte level: line ends
normalised (CR CR LF, mixed, CR only), lines unfolded before decoding (a fold
may split a UTF-8 character), quoted-printable soft line breaks joined and
decoded, every value decoded from its own ``CHARSET`` (Shift_JIS,
Windows-1252, …) with sensible fallbacks. Each property then goes to its place
on the person (names, organisation, title, e-mails, phones, addresses, links,
birthday, dates, tags, notes, photo), or, when Ties has none for it, is kept
as a clean line with the person and written back on vCard export; every
property is counted as mapped, kept or skipped. Cards are read one at a time,
so memory stays bounded.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import contextlib
import io
import quopri
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from ties.io.export_vcard import generated_n
from ties.io.importers.contacts import Contact, ContactLink
from ties.io.importers.report import ImportFormatError
from ties.io.photos import PhotoError, fit_photo
from ties.io.vcard_text import (
    RELATION_OF_TYPE,
    components,
    label_from,
    param_text,
    parse_date,
    split_unescaped,
    unescape,
)
from ties.model import Address, Detail, ImportantDate
from ties.store.person_details import photo_mime

MAX_CARD = 16 * 1024 * 1024  # bytes in one card (photos included)
MAX_UTF16_FILE = 64 * 1024 * 1024
#: What may stand before ``BEGIN:VCARD`` on its line: spaces, and the byte-order marks and
#: no-break spaces that files joined with ``cat`` or pasted from a web page carry.
_LEAD = rb"(?:\s|\xef\xbb\xbf|\xc2\xa0|\xa0)*"
_BEGIN = re.compile(_LEAD + rb"BEGIN\s*:\s*VCARD\s*$", re.I)
_END = re.compile(_LEAD + rb"END\s*:\s*VCARD\s*$", re.I)
#: ``END:VCARD`` and the next ``BEGIN:VCARD`` on one line: a file without a final line end
#: joined to the next one.
_JOINED = re.compile(rb"(?i)(END\s*:\s*VCARD)(" + _LEAD + rb"BEGIN\s*:\s*VCARD)")
_HEAD_BEGIN = re.compile(rb"(?im)(?:\A|[\r\n])" + _LEAD + rb"BEGIN\s*:\s*VCARD\s*(?:$|\r)")
#: Line ends: LF, CR LF, CR CR LF (a CR LF file through a text-mode copy) and a lone CR
#: (classic Mac OS).
_EOL = re.compile(rb"\r\r\n|\r\n|\n|\r")
CHUNK = 1024 * 1024


def utf16_kind(head: bytes) -> str | None:
    """``utf-16`` (with a byte-order mark), ``utf-16-le``/``-be`` (without one), else ``None``.

    A file without a mark is taken for UTF-16 when nearly every other byte of its start is
    NUL, which is what ASCII text (``BEGIN:VCARD``, CSV headers) looks like in UTF-16.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) < 8:
        return None
    half = len(sample) // 2
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    if odd >= half * 0.9 and even < half * 0.1:
        return "utf-16-le"
    if even >= half * 0.9 and odd < half * 0.1:
        return "utf-16-be"
    return None


def decode_utf16(data: bytes, kind: str) -> str:
    """UTF-16 text, also when exports of both byte orders were joined into one file.

    A joined export of the same byte order leaves its mark as U+FEFF in the text (dropped at
    the start of a line, see ``_LEAD``); one of the other order shows up as U+FFFE, and
    from there on the bytes are decoded the other way round.
    """
    text = data.decode(kind, errors="replace")
    if "\ufffe" not in text:
        return text
    order = "utf-16-be" if data.startswith(codecs.BOM_UTF16_BE) else "utf-16-le"
    marks = {"utf-16-le": codecs.BOM_UTF16_BE, "utf-16-be": codecs.BOM_UTF16_LE}
    parts: list[str] = []
    start = 2 if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else 0
    while True:
        at = start
        while True:  # the other order's mark, at a character boundary
            at = data.find(marks[order], at)
            if at < 0 or (at - start) % 2 == 0:
                break
            at += 1
        end = len(data) if at < 0 else at
        parts.append(data[start:end].decode(order, errors="replace"))
        if at < 0:
            return "".join(parts)
        order = "utf-16-be" if order == "utf-16-le" else "utf-16-le"
        start = at + 2


def looks_like(head: bytes) -> bool:
    kind = utf16_kind(head)
    if kind:
        head = head[: len(head) // 2 * 2].decode(kind, errors="ignore").encode("utf-8")
    return _HEAD_BEGIN.search(head[:65536]) is not None


@dataclass
class RawCard:
    number: int
    line: int
    lines: list[bytes]
    complete: bool


def _open_binary(path: Path) -> BinaryIO:
    fh = open(path, "rb")  # noqa: SIM115 - returned to the caller, closed there
    kind = utf16_kind(fh.read(4096))
    if kind:
        size = path.stat().st_size
        fh.close()
        if size > MAX_UTF16_FILE:
            raise ImportFormatError(
                f"{path.name} is a UTF-16 vCard file larger than "
                f"{MAX_UTF16_FILE:,} bytes; Ties does not read it."
            )
        return io.BytesIO(decode_utf16(path.read_bytes(), kind).encode("utf-8"))
    fh.seek(0)
    return fh


def physical_lines(fh: BinaryIO, name: str) -> Iterator[bytes]:
    """The lines of ``fh`` without their line ends, whatever those are, read in chunks.

    A line end split by a chunk boundary (CR | LF) is seen whole; a line longer than
    :data:`MAX_CARD` is an error rather than a memory hog.
    """
    pending: list[bytes] = []  # pieces of the line not finished yet
    pending_size = 0
    held = b""  # trailing CRs of a chunk: the line end may go on in the next one
    lineno = 0
    while True:
        chunk = fh.read(CHUNK)
        if not chunk:
            break
        chunk = held + chunk
        stripped = chunk.rstrip(b"\r")
        held = chunk[len(stripped) :]
        parts = _EOL.split(stripped)
        if len(parts) == 1:
            pending.append(parts[0])
            pending_size += len(parts[0])
            if pending_size > MAX_CARD:
                raise ImportFormatError(
                    f"{name}, line {lineno + 1} is longer than {MAX_CARD // (1024 * 1024)} MiB; "
                    "this is not a contacts file Ties can read."
                )
            continue
        parts[0] = b"".join(pending) + parts[0]
        last = parts.pop()
        pending, pending_size = [last], len(last)
        lineno += len(parts)
        yield from parts
    rest = _EOL.split(b"".join(pending) + held)
    if rest and not rest[-1]:
        rest.pop()
    yield from rest


def _split_joined(line: bytes) -> list[bytes]:
    if len(line) < 512 and b"BEGIN" in line.upper():
        m = _JOINED.search(line)
        if m:
            return [line[: m.end(1)], *_split_joined(line[m.start(2) :])]
    return [line]


def raw_cards(path: Path) -> Iterator[RawCard]:
    """Split a file into cards by BEGIN/END lines; a card missing END ends at the next BEGIN."""
    number = 0
    current: RawCard | None = None
    size = 0
    lineno = 0
    with _open_binary(path) as fh:
        for physical in physical_lines(fh, path.name):
            lineno += 1
            for line in _split_joined(physical):
                if _BEGIN.match(line):
                    if current is not None:
                        yield current
                    number += 1
                    current = RawCard(number, lineno, [], False)
                    size = 0
                    continue
                if current is None:
                    continue
                if _END.match(line):
                    current.complete = True
                    yield current
                    current = None
                    continue
                size += len(line)
                if size > MAX_CARD:
                    raise ImportFormatError(
                        f"{path.name}, card {number} (line {current.line}) is larger than "
                        f"{MAX_CARD // (1024 * 1024)} MiB; this is not a contacts file Ties can "
                        "read."
                    )
                current.lines.append(line)
    if current is not None:
        yield current


# ------------------------------------------------------------- preparation


@dataclass
class Prop:
    """One property of a card, decoded to text (the value still vCard-escaped).

    ``head`` is the property's name and parameters as written (for a property kept
    as it is); ``group`` is Apple's ``item1`` prefix, lower-cased, or ``""``.
    """

    name: str
    params: dict[str, list[str]]
    value: str
    group: str = ""
    head: str = ""


def _split_head(line: bytes) -> tuple[bytes, bytes] | None:
    colon = line.find(b":")
    if colon < 0:
        return None
    if b'"' not in line[:colon]:  # the usual case, without a loop over a photo's bytes
        return line[:colon], line[colon + 1 :]
    quoted = False
    for i, ch in enumerate(line):
        if ch == 0x22:
            quoted = not quoted
        elif ch == 0x3A and not quoted:
            return line[:i], line[i + 1 :]
    return None


def _head_parts(head: str) -> list[str]:
    """``NAME;P=1;P="a;b"`` split at the semicolons outside quotes."""
    if '"' not in head:
        return head.split(";")
    parts: list[str] = []
    start = 0
    quoted = False
    for i, ch in enumerate(head):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            parts.append(head[start:i])
            start = i + 1
    parts.append(head[start:])
    return parts


def _params(head: bytes) -> tuple[str, dict[str, list[str]]]:
    name, _group, params, _parts = _parse_head(head.decode("utf-8", errors="replace"))
    return name, params


def _parse_head(text: str) -> tuple[str, str, dict[str, list[str]], list[str]]:
    """(name, group, parameters, the raw parameter texts) of a property's head."""
    parts = _head_parts(text)
    name = parts[0].strip().upper()
    group = ""
    if "." in name:  # item1.EMAIL
        group, name = name.rsplit(".", 1)
        group = group.lower()
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        if "=" in part:
            key, _, value = part.partition("=")
            params.setdefault(key.strip().upper(), []).extend(
                v.strip().strip('"') for v in value.split(",")
            )
        elif part.strip():
            params.setdefault("TYPE", []).append(part.strip())
    return name, group, params, parts[1:]


def _is_qp(params: dict[str, list[str]]) -> bool:
    values = [v.upper() for v in params.get("ENCODING", []) + params.get("TYPE", [])]
    return "QUOTED-PRINTABLE" in values


def _is_base64(params: dict[str, list[str]]) -> bool:
    values = [v.upper() for v in params.get("ENCODING", []) + params.get("TYPE", [])]
    return "B" in values or "BASE64" in values


def _decode(data: bytes, charset: str | None) -> str:
    """Decode a value: its declared charset (damaged bytes replaced), else UTF-8, else cp1252."""
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def logical_lines(lines: list[bytes]) -> list[bytes]:
    """Join folded lines and quoted-printable soft breaks, at the byte level.

    Linear in the card's size: the pieces of a logical line are collected and joined
    once (a photo's thousands of folded lines included).
    """
    out: list[bytes] = []
    pieces: list[bytes] = []  # the logical line being built
    qp = False

    def finish() -> None:
        if pieces:
            out.append(b"".join(pieces))
        pieces.clear()

    for line in lines:
        if pieces and qp and pieces[-1].endswith(b"="):
            pieces[-1] = pieces[-1][:-1]
            pieces.append(line)
            continue
        if line[:1] in (b" ", b"\t"):
            if pieces:
                pieces.append(line[1:])
            continue
        finish()
        if not line.strip():
            qp = False
            continue
        pieces.append(line)
        qp = b"QUOTED-PRINTABLE" in line[:200].upper() and _is_qp(
            _params((_split_head(line) or (line, b""))[0])[1]
        )
    finish()
    return out


def _split_adr(line: bytes, split: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
    """An ADR whose unquoted LABEL parameter holds colons (Nextcloud): the value starts
    after the last colon that leaves the seven components of an address."""
    best = split
    at = line.find(b":")
    while at >= 0:
        rest = line[at + 1 :]
        if len(re.findall(rb"(?<!\\);", rest)) == 6:
            best = (line[:at], rest)
        at = line.find(b":", at + 1)
    return best


def prepare(card: RawCard) -> list[Prop]:
    """Every property of the card, decoded to text (values still vCard-escaped)."""
    props: list[Prop] = []
    for line in logical_lines(card.lines):
        split = _split_head(line)
        if split is None:
            continue
        if line[:4].upper() == b"ADR;" and re.search(rb'(?i);LABEL=[^"]', split[0]):
            split = _split_adr(line, split)
        head = split[0].decode("utf-8", errors="replace")
        name, group, params, _ = _parse_head(head)
        if not name or name in ("BEGIN", "END"):
            continue
        data = split[1]
        charset = next(iter(params.get("CHARSET") or []), None)
        if _is_qp(params):
            text = _decode(quopri.decodestring(data), charset)
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        elif _is_base64(params) or data[:5].lower() == b"data:":
            text = data.decode("ascii", errors="replace")
        else:
            text = _decode(data, charset)
        props.append(Prop(name, params, text, group, head))
    return props


# ----------------------------------------------------------------- values

#: Properties a card carries about itself, not about the person: left out, and counted.
STAMPS = {"PRODID", "REV", "VERSION"}
#: Dates other programs write for an anniversary.
ANNIVERSARIES = {"ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"}
#: Decoded photos above this are not stored (Ties cannot scale an image without Qt).
MAX_PHOTO = 8 * 1024 * 1024  # as read; it is then scaled (io/photos.py)
#: A property kept as it is may be this long at most (a vendor's XML blob is fine).
MAX_KEPT = 64 * 1024
_UUID = re.compile(r"(?:urn:uuid:)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
_DROPPED_PARAMS = {"CHARSET", "ENCODING"}


def kept_line(p: Prop) -> str:
    """A property Ties has no place for, as one clean line to keep with the person.

    The value is decoded (quoted-printable and charsets are gone, so the line means the
    same in a vCard 4.0 file); a base64 value is marked ``ENCODING=b``; a 2.1 bare
    parameter (``;WORK``) becomes ``TYPE=WORK``; a group is renamed ``ties-…`` so it
    never joins a group the export writes.
    """
    raw = _parse_head(p.head)[3]
    params: list[str] = []
    for part in raw:
        if not part.strip():
            continue
        key = part.partition("=")[0].strip().upper() if "=" in part else ""
        if key in _DROPPED_PARAMS:
            continue
        if not key and part.strip().upper() in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT"):
            continue
        params.append(part.strip() if key else f"TYPE={part.strip()}")
    if _is_base64(p.params) and not p.value.lower().startswith("data:"):
        params.append("ENCODING=b")
    group = ""
    if p.group:
        group = (p.group if p.group.startswith("ties-") else f"ties-{p.group}") + "."
    head = ";".join([group + p.name, *params])
    return f"{head}:{p.value}"


def _types(p: Prop) -> list[str]:
    return [t for v in p.params.get("TYPE", []) for t in v.split(",") if t]


def _detail_value(p: Prop) -> str:
    value = " ".join(unescape(p.value).split()) if p.name != "NOTE" else unescape(p.value)
    lowered = value.lower()
    for prefix in ("mailto:", "tel:"):
        if lowered.startswith(prefix) and p.name in ("EMAIL", "TEL"):
            value = value[len(prefix) :]
    return value.strip()


def _photo(p: Prop) -> tuple[bytes | None, str]:
    """(the photo's bytes, or ``None`` and why not)."""
    value = p.value.strip()
    if value.lower().startswith("data:"):
        meta, _, value = value.partition(",")
        if ";base64" not in meta.lower():
            return None, "a photo in a form Ties does not read"
    elif not _is_base64(p.params):
        return None, "link"
    value = "".join(value.split())
    try:  # the kind of image from its first bytes, before decoding it all
        head = base64.b64decode(value[:16] + "=" * (-len(value[:16]) % 4))
    except (ValueError, binascii.Error):
        return None, "a photo whose data is damaged"
    if photo_mime(head) is None:
        return None, "a photo that is not a JPEG or PNG image"
    size = len(value) * 3 // 4
    if size > MAX_PHOTO:
        return None, (
            f"a photo of {size // 1024:,} KB (Ties stores photos up to "
            f"{MAX_PHOTO // 1024:,} KB before scaling)"
        )
    try:
        data = base64.b64decode(value)
    except (ValueError, binascii.Error):
        return None, "a photo whose data is damaged"
    try:
        return fit_photo(data), ""
    except PhotoError:
        return None, "a photo whose data is damaged"


class _CardReader:
    """Turns the properties of one card into a :class:`Contact`, counting every field.

    Each property goes to the handler :data:`_HANDLERS` names for it; a property with
    none is kept as it is (:func:`kept_line`).
    """

    def __init__(self, props: list[Prop]) -> None:
        self.props = props
        self.c = Contact(name="")
        self.labels: dict[str, str] = {}
        self.used_groups: set[str] = set()
        self.notes: list[str] = []
        for p in props:
            if p.name == "X-ABLABEL" and p.group:
                self.labels[p.group] = unescape(p.value).strip()
        self.fn = next((p for p in props if p.name == "FN" and unescape(p.value).strip()), None)
        self.n = next((p for p in props if p.name == "N" and p.value.strip(" ;")), None)
        self.has_adr = any(p.name == "ADR" for p in props)
        self.has_title = any(p.name == "TITLE" and p.value.strip() for p in props)

    # ------------------------------------------------------------ bookkeeping

    def count(self, status: str, p: Prop) -> None:
        self.c.fields.append((status, p.name))

    def keep(self, p: Prop) -> None:
        line = kept_line(p)
        if len(line) > MAX_KEPT:
            self.count("skipped", p)
            self.c.dropped.append(f"{p.name} ({len(line) // 1024:,} KB, too large to keep)")
            return
        if line not in self.c.extra:
            self.c.extra.append(line)
        self.count("kept", p)

    def label(self, p: Prop, kind: str) -> str:
        ab = self.labels.get(p.group, "") if p.group else ""
        if ab:
            self.used_groups.add(p.group)
        return label_from(_types(p), kind, ab)

    # ------------------------------------------------------------ the card

    def read(self) -> Contact:
        c = self.c
        c.name = " ".join(unescape(self.fn.value).split()) if self.fn else self._name_from_n()
        for p in self.props:
            if p.name in STAMPS:
                if p.name != "VERSION":
                    self.count("skipped", p)
            elif p.name == "X-ABLABEL" and p.group:
                continue  # counted with the property it labels (or kept below)
            elif not p.value.strip() and p.name != "PHOTO":
                self.count("skipped", p)
            else:
                handler = _HANDLERS.get(p.name)
                if handler is None:
                    self.keep(p)
                else:
                    handler(self, p)
        for p in self.props:  # labels of groups whose other properties were all kept
            if p.name == "X-ABLABEL" and p.group and p.group not in self.used_groups:
                self.keep(p)
        c.notes = "\n\n".join(self.notes)
        if not c.name:
            c.name = (
                " ".join(_first_text(self.props, "NICKNAME").split())
                or " ".join(_first_text(self.props, "X-EVOLUTION-FILE-AS").split())
                or c.organization
                or (c.emails[0].value if c.emails else "")
            )
        return c

    def _name_from_n(self) -> str:
        parts = components(self.n.value) + [""] * 5 if self.n else [""] * 5
        order = (parts[3], parts[1], parts[2], parts[0], parts[4])  # prefix given middle family
        return " ".join(" ".join(x.replace(",", " ").split()) for x in order if x.strip())

    # ------------------------------------------------------------ handlers

    def _fn(self, p: Prop) -> None:
        self.count("mapped" if p is self.fn else "skipped", p)

    def _n(self, p: Prop) -> None:
        if p is not self.n:
            self.keep(p)
        elif self.fn is None or p.value.rstrip(";") == generated_n(self.c.name).rstrip(";"):
            self.count("mapped", p)
        else:
            self.keep(p)  # a title, middle name or suffix the name alone does not give

    def _org(self, p: Prop) -> None:
        parts = components(p.value)
        first = " ".join(parts[0].split())
        more = any(x.strip() for x in parts[1:])
        if not self.c.organization and first:
            self.c.organization = first
            if more:
                self.keep(p)  # the department goes with the whole ORG
            else:
                self.count("mapped", p)
        elif first == self.c.organization and not more:
            self.count("skipped", p)  # the same organisation again
        else:
            self.keep(p)

    def _title(self, p: Prop) -> None:
        text = " ".join(unescape(p.value).split())
        if p.name == "ROLE" and self.has_title:
            self.keep(p)
        elif not self.c.role:
            self.c.role = text
            self.count("mapped", p)
        elif text == self.c.role:
            self.count("skipped", p)
        else:
            self.keep(p)

    def _note(self, p: Prop) -> None:
        text = unescape(p.value).strip()
        if text and text not in self.notes:
            self.notes.append(text)
            self.count("mapped", p)
        else:
            self.count("skipped", p)

    def _categories(self, p: Prop) -> None:
        seen = {t.casefold() for t in self.c.categories}
        for tag in split_unescaped(p.value, ","):
            tag = " ".join(unescape(tag).split())
            if tag and tag.casefold() not in seen:
                self.c.categories.append(tag)
                seen.add(tag.casefold())
        self.count("mapped", p)

    def _bday(self, p: Prop) -> None:
        value = parse_date(unescape(p.value), bool(p.params.get("X-APPLE-OMIT-YEAR")))
        if value and self.c.birthday is None:
            self.c.birthday = value
            self.count("mapped", p)
        elif value == self.c.birthday:
            self.count("skipped", p)
        else:
            self.keep(p)  # a text birthday ("spring 1970"), or a second one

    def _date(self, p: Prop) -> None:
        value = parse_date(unescape(p.value), bool(p.params.get("X-APPLE-OMIT-YEAR")))
        if value is None:
            self.keep(p)
            return
        if p.name in ANNIVERSARIES:
            label = "anniversary"
        elif p.group and self.labels.get(p.group):
            label = self.label(p, "DATE")
        else:
            label = "date"
        yearly = (p.params.get("X-TIES-YEARLY") or ["true"])[0].lower() != "false"
        item = ImportantDate(label, value, yearly)
        if item in self.c.dates:
            self.count("skipped", p)
            return
        self.c.dates.append(item)
        self.count("mapped", p)

    def _detail(self, p: Prop) -> None:
        c = self.c
        value = _detail_value(p)
        if p.name == "X-SOCIALPROFILE":
            kind, label = "URL", (_types(p) or ["social"])[0].lower()
        else:
            kind, label = p.name, self.label(p, p.name)
        target = {"EMAIL": c.emails, "TEL": c.phones, "URL": c.urls}[kind]
        if any(d.value == value for d in target):
            self.count("skipped", p)
            return
        target.append(Detail(label, value))
        self.count("mapped", p)

    def _adr(self, p: Prop) -> None:
        parts = [x.strip() for x in components(p.value) + [""] * 7]
        box, ext = (" ".join(x.split()) for x in parts[:2])  # one line each
        street = "\n".join(x for x in (box, ext, parts[2]) if x)
        a = Address(self.label(p, "ADR"), street, *parts[3:7])
        if (
            not any((a.street, a.locality, a.region, a.postcode, a.country))
            or a in self.c.addresses
        ):
            self.count("skipped", p)
            return
        self.c.addresses.append(a)
        self.count("mapped", p)

    def _label_prop(self, p: Prop) -> None:
        if self.has_adr:
            self.count("skipped", p)  # the printed form of an ADR the card has
        else:
            self.keep(p)

    def _photo(self, p: Prop) -> None:
        data, why = _photo(p) if p.value.strip() else (None, "")
        if data is not None and self.c.photo is None:
            self.c.photo = data
            self.count("mapped", p)
        elif why == "link" or (data is not None and data != self.c.photo):
            self.keep(p)  # a link (never fetched), or a second photo
        else:
            self.count("skipped", p)
            if why:
                self.c.dropped.append(why)

    def _related(self, p: Prop) -> None:
        m = _UUID.fullmatch(unescape(p.value).strip().lower())
        if not m:
            self.keep(p)  # a name, a URL: nobody Ties can link
            return
        raw = {
            part.partition("=")[0].strip().upper(): part.partition("=")[2]
            for part in _parse_head(p.head)[3]
            if "=" in part
        }
        types = [t.lower() for t in _types(p)]
        relation = param_text(raw.get("X-TIES-RELATION", "")) or next(
            (RELATION_OF_TYPE[t] for t in types if t in RELATION_OF_TYPE), "knows"
        )
        since = None
        with contextlib.suppress(ValueError):
            since = date.fromisoformat(param_text(raw.get("X-TIES-SINCE", "")))
        directed = param_text(raw.get("X-TIES-DIRECTED", "")).lower() == "true"
        self.c.links.append(ContactLink(m[1], relation, directed, since, kept_line(p)))

    def _uid(self, p: Prop) -> None:
        m = _UUID.fullmatch(unescape(p.value).strip().lower())
        if m and not self.c.uid:
            self.c.uid = m[1]
            self.count("mapped", p)
        else:
            self.keep(p)


_HANDLERS: dict[str, Callable[[_CardReader, Prop], None]] = {
    "FN": _CardReader._fn,
    "N": _CardReader._n,
    "ORG": _CardReader._org,
    "TITLE": _CardReader._title,
    "ROLE": _CardReader._title,
    "NOTE": _CardReader._note,
    "CATEGORIES": _CardReader._categories,
    "BDAY": _CardReader._bday,
    "X-ABDATE": _CardReader._date,
    **{name: _CardReader._date for name in ANNIVERSARIES},
    "EMAIL": _CardReader._detail,
    "TEL": _CardReader._detail,
    "URL": _CardReader._detail,
    "X-SOCIALPROFILE": _CardReader._detail,
    "ADR": _CardReader._adr,
    "LABEL": _CardReader._label_prop,
    "PHOTO": _CardReader._photo,
    "UID": _CardReader._uid,
    "RELATED": _CardReader._related,
}


def _first_text(props: list[Prop], name: str) -> str:
    for p in props:
        if p.name == name and p.value.strip():
            return unescape(p.value)
    return ""


def contact_from(props: list[Prop]) -> Contact:
    """The contact a card's properties describe, with every field counted."""
    return _CardReader(props).read()


def read_contacts(path: Path) -> Iterator[tuple[str, Contact | Exception]]:
    """(where, contact or the reason it could not be read) for every card in the file."""
    for card in raw_cards(path):
        where = f"card {card.number} (line {card.line})"
        try:
            props = prepare(card)
            yield where, contact_from(props)
        except (ValueError, UnicodeError) as exc:
            yield where, exc
