"""vCard 2.1, 3.0 and 4.0 contacts, read through ``vobject`` after the text is made sane.

Real exports break ``vobject`` in many ways (see ``docs/import.md``), so each
card is first prepared at the byte level: line ends normalised (CR CR LF,
mixed), lines unfolded before decoding (a fold may split a UTF-8 character),
quoted-printable soft line breaks joined and decoded, every value decoded from
its own ``CHARSET`` (Shift_JIS, Windows-1252, …) with sensible fallbacks, and
only the properties Ties uses kept (no photos, no vendor XML). The clean card
is handed to ``vobject``; if it still refuses, the prepared values are used
directly. Cards are read one at a time, so memory stays bounded.
"""

from __future__ import annotations

import codecs
import io
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from ties.io.importers.contacts import Contact
from ties.io.importers.report import ImportFormatError

MAX_CARD = 16 * 1024 * 1024  # bytes in one card (photos included)
MAX_UTF16_FILE = 64 * 1024 * 1024
KEEP = {
    "FN",
    "N",
    "ORG",
    "TITLE",
    "ROLE",
    "NOTE",
    "CATEGORIES",
    "BDAY",
    "EMAIL",
    "NICKNAME",
    "X-EVOLUTION-FILE-AS",
    "VERSION",
}
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
    name: str
    params: dict[str, list[str]]
    value: str


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


def _params(head: bytes) -> tuple[str, dict[str, list[str]]]:
    parts = head.decode("ascii", errors="replace").split(";")
    name = parts[0].strip().upper()
    if "." in name:  # item1.EMAIL
        name = name.rsplit(".", 1)[1]
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        if "=" in part:
            key, _, value = part.partition("=")
            params.setdefault(key.strip().upper(), []).extend(
                v.strip().strip('"') for v in value.split(",")
            )
        elif part.strip():
            params.setdefault("TYPE", []).append(part.strip())
    return name, params


def _is_qp(params: dict[str, list[str]]) -> bool:
    values = [v.upper() for v in params.get("ENCODING", []) + params.get("TYPE", [])]
    return "QUOTED-PRINTABLE" in values


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


def _wanted(line: bytes) -> bool:
    """Whether a property line is one Ties keeps (by its name, before any decoding)."""
    end = len(line)
    for sep in (b":", b";"):
        i = line.find(sep, 0, end)
        if i >= 0:
            end = i
    name = line[:end].strip().upper()
    if b"." in name:  # item1.EMAIL
        name = name.rsplit(b".", 1)[1]
    return name.decode("ascii", errors="replace") in KEEP


def logical_lines(lines: list[bytes]) -> list[bytes]:
    """Join folded lines and quoted-printable soft breaks, at the byte level.

    Linear in the card's size: the pieces of a logical line are collected and joined
    once, and the continuation lines of properties Ties drops (a photo's thousands of
    folded lines) are skipped without being joined at all.
    """
    out: list[bytes] = []
    pieces: list[bytes] = []  # the logical line being built
    keep = False
    qp = False

    def finish() -> None:
        if pieces and keep:
            out.append(b"".join(pieces))
        pieces.clear()

    for line in lines:
        if pieces and qp and pieces[-1].endswith(b"="):
            pieces[-1] = pieces[-1][:-1]
            pieces.append(line)
            continue
        if line[:1] in (b" ", b"\t"):
            if pieces and keep:
                pieces.append(line[1:])
            continue
        finish()
        if not line.strip():
            qp = False
            continue
        pieces.append(line)
        keep = _wanted(line)
        split = _split_head(line)
        qp = bool(split) and _is_qp(_params(split[0])[1])  # type: ignore[index]
    finish()
    return out


def prepare(card: RawCard) -> list[Prop]:
    """The card's useful properties, decoded to text (values still vCard-escaped)."""
    props: list[Prop] = []
    for line in logical_lines(card.lines):
        split = _split_head(line)
        if split is None:
            continue
        name, params = _params(split[0])
        if name not in KEEP:
            continue
        data = split[1]
        charset = next(iter(params.get("CHARSET") or []), None)
        if _is_qp(params):
            text = _decode(quopri.decodestring(data), charset)
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        else:
            text = _decode(data, charset)
        props.append(Prop(name, params, text))
    return props


def clean_text(props: list[Prop]) -> str:
    """A minimal vCard 3.0 that ``vobject`` can read."""
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    for p in props:
        if p.name == "VERSION":
            continue
        value = p.value.replace("\r", "").replace("\n", "\\n")
        lines.append(f"{p.name}:{value}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


# ----------------------------------------------------------------- values


def _unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _components(text: str) -> list[str]:
    parts = re.split(r"(?<!\\);", text)
    return [_unescape(p).strip() for p in parts]


def _birthday(text: str) -> tuple[date | None, str]:
    text = text.strip()
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?", text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])), ""
        except ValueError:
            return None, text
    return None, text


def _first(props: list[Prop], name: str) -> str:
    for p in props:
        if p.name == name and p.value.strip():
            return p.value
    return ""


def _from_vobject(text: str) -> dict[str, object] | None:
    import vobject

    try:
        card = vobject.readOne(text, ignoreUnreadable=True)
    except Exception:  # vobject raises many kinds; the prepared values are the fallback
        return None
    out: dict[str, object] = {}
    try:
        contents = card.contents
        if "n" in contents:
            n = contents["n"][0].value
            out["n"] = [_join(n.given), _join(n.additional), _join(n.family)]
        if "title" in contents:
            out["title"] = str(contents["title"][0].value)
        if "note" in contents:
            out["notes"] = [str(n.value) for n in contents["note"]]
    except Exception:
        return None
    return out


def _join(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v)
    return str(value or "")


def contact_from(props: list[Prop]) -> Contact:
    """Build a contact: vobject's reading where it succeeds, the prepared values otherwise."""
    parsed = _from_vobject(clean_text(props)) or {}
    # FN and ORG are read here: vobject splits them at unescaped commas, which
    # vCard 2.1 files and Google's exports use as plain text.
    fn = " ".join(_unescape(_first(props, "FN")).split())
    n_parts = parsed.get("n")
    if not isinstance(n_parts, list):
        comps = _components(_first(props, "N")) + [""] * 5
        n_parts = [comps[1], comps[2], comps[0]]  # given, additional, family
    from_n = " ".join(" ".join(str(x).split()) for x in n_parts if str(x).strip())
    org = (_components(_first(props, "ORG")) or [""])[0]
    emails = [_unescape(p.value).strip() for p in props if p.name == "EMAIL" and p.value.strip()]
    name = (
        fn
        or from_n
        or _unescape(_first(props, "NICKNAME")).strip()
        or _unescape(_first(props, "X-EVOLUTION-FILE-AS")).strip()
        or org
        or (emails[0] if emails else "")
    )
    title = str(parsed.get("title") or _unescape(_first(props, "TITLE"))).strip()
    role = title or _unescape(_first(props, "ROLE")).strip()
    notes_raw = parsed.get("notes")
    if not isinstance(notes_raw, list):
        notes_raw = [_unescape(p.value) for p in props if p.name == "NOTE"]
    notes: list[str] = []
    for note in notes_raw:
        note = str(note).strip()
        if note and note not in notes:
            notes.append(note)
    categories = [
        c
        for p in props
        if p.name == "CATEGORIES"
        for c in (_unescape(x).strip() for x in re.split(r"(?<!\\),", p.value))
        if c
    ]
    bday, bday_text = _birthday(_unescape(_first(props, "BDAY")))
    return Contact(
        name=name,
        organization=org,
        role=role,
        notes="\n\n".join(notes),
        categories=categories,
        birthday=bday,
        birthday_text=bday_text,
        emails=emails,
    )


def read_contacts(path: Path) -> Iterator[tuple[str, Contact | Exception]]:
    """(where, contact or the reason it could not be read) for every card in the file."""
    for card in raw_cards(path):
        where = f"card {card.number} (line {card.line})"
        try:
            props = prepare(card)
            yield where, contact_from(props)
        except (ValueError, UnicodeError) as exc:
            yield where, exc
