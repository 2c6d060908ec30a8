"""The small grammar vCard reading and writing share: escapes, folding, labels and dates.

Kept apart from the reader (``ties.io.importers.vcard``) and the writer
(``ties.io.export_vcard``) so that both spell a label, a date and an escape the
same way, which is what makes an export read back into the same person.
"""

from __future__ import annotations

import re
from datetime import date

#: TYPE values (lower case) and the detail label each means, per property.
EMAIL_TYPES = {"home": "home", "work": "work", "other": "other"}
TEL_TYPES = {
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "home": "home",
    "work": "work",
    "fax": "fax",
    "pager": "pager",
    "main": "main",
    "other": "other",
}
URL_TYPES = {"home": "home", "work": "work", "other": "other"}
ADR_TYPES = {"home": "home", "work": "work", "other": "other"}
#: The TYPE each label is written as (per property); other labels go into ``X-ABLabel``.
TYPE_OF = {
    "EMAIL": {"home": "home", "work": "work"},
    "TEL": {"mobile": "cell", "home": "home", "work": "work", "fax": "fax", "pager": "pager"},
    "URL": {"home": "home", "work": "work"},
    "ADR": {"home": "home", "work": "work"},
}
TYPES_OF = {"EMAIL": EMAIL_TYPES, "TEL": TEL_TYPES, "URL": URL_TYPES, "ADR": ADR_TYPES}
#: Apple's built-in labels, ``_$!<Anniversary>!$_``.
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
FOLD_AT = 75  # octets per line, as RFC 6350 asks


def escape(text: str) -> str:
    """A text value escaped for a vCard line (backslash, comma, semicolon, line breaks)."""
    return (
        text.replace("\\", "\\\\")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def unescape(text: str) -> str:
    """The text of an escaped value; an unknown escape (``\\"``) keeps the character."""
    if "\\" not in text:
        return text
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


def split_unescaped(text: str, sep: str) -> list[str]:
    """``text`` split at each ``sep`` not escaped by a backslash (parts still escaped)."""
    parts: list[str] = []
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == sep:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def components(text: str) -> list[str]:
    """The unescaped components of a structured value (N, ADR, ORG)."""
    return [unescape(p) for p in split_unescaped(text, ";")]


def fold(line: str) -> str:
    """One logical line folded at 75 octets (never inside a UTF-8 character), CRLF ended."""
    data = line.encode("utf-8")
    if len(data) <= FOLD_AT:
        return line + "\r\n"
    pieces: list[bytes] = []
    start = 0
    limit = FOLD_AT
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and end > start and (data[end] & 0xC0) == 0x80:
            end -= 1  # do not cut a character in two
        pieces.append(data[start:end])
        start = end
        limit = FOLD_AT - 1  # continuation lines start with a space
    return "\r\n ".join(p.decode("utf-8") for p in pieces) + "\r\n"


def label_from(types: list[str], kind: str, ab_label: str = "") -> str:
    """The detail label a property's TYPE values (or its Apple ``X-ABLabel``) mean.

    ``kind`` is the property (``EMAIL``, ``TEL``, ``URL``, ``ADR``); a label Ties does
    not know from the TYPE list is ``other`` unless ``X-ABLabel`` names one.
    """
    if ab_label:
        m = _APPLE_LABEL.fullmatch(ab_label.strip())
        text = m[1] if m else ab_label.strip()
        if text:
            return text.lower() if m else text
    known = TYPES_OF.get(kind, {})
    lowered = [t.lower() for t in types]
    if kind == "TEL" and "fax" in lowered:
        place = next((known[t] for t in lowered if t in ("home", "work")), "")
        return f"{place} fax".strip()
    for t in lowered:
        if t in known and t != "other":
            return known[t]
    return "other"


def type_for(kind: str, label: str) -> str | None:
    """The TYPE a label is written as, or ``None`` when it needs an ``X-ABLabel``."""
    if label in ("", "other"):
        return ""
    return TYPE_OF.get(kind, {}).get(label)


_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:T[\d:.Z+-]*)?")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")


def parse_date(text: str, omit_year: bool = False) -> str | None:
    """A vCard date as Ties keeps it (``YYYY-MM-DD`` or ``--MM-DD``), or ``None``.

    Reads ``19800322``, ``1980-03-22``, ``1980-03-22T00:00:00Z``, ``--0322`` and
    ``--03-22``; ``omit_year`` (Apple's ``X-APPLE-OMIT-YEAR``, with the year 1604 it
    writes for "no year") drops the year.
    """
    text = text.strip()
    m = _DATE.fullmatch(text)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if omit_year:
            return _no_year(month, day)
        try:
            date(year, month, day)
        except ValueError:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}" if year >= 1 else None
    m = _NO_YEAR.fullmatch(text)
    if m:
        return _no_year(int(m[1]), int(m[2]))
    return None


def _no_year(month: int, day: int) -> str | None:
    try:
        date(2000, month, day)  # a leap year: 29 February is a birthday too
    except ValueError:
        return None
    return f"--{month:02d}-{day:02d}"


def format_date(value: str, version: str) -> str:
    """A Ties date as a vCard writes it: ``19800322``/``--0322`` (4.0), ``1980-03-22`` (3.0)."""
    if version == "4.0":
        return (
            value.replace("-", "")
            if not value.startswith("--")
            else "--" + value[2:].replace("-", "")
        )
    return value


#: RFC 6350 RELATED types for Ties' relations, and back (other types read as "knows").
RELATED_TYPE = {
    "friend": "friend",
    "colleague": "colleague",
    "family": "kin",
    "partner": "sweetheart",
    "knows": "acquaintance",
}
RELATION_OF_TYPE = {
    "friend": "friend",
    "colleague": "colleague",
    "co-worker": "colleague",
    "kin": "family",
    "parent": "family",
    "child": "family",
    "sibling": "family",
    "spouse": "partner",
    "sweetheart": "partner",
    "acquaintance": "knows",
}


def param_value(text: str) -> str:
    """A parameter value, quoted, with RFC 6868 caret escapes (``^'`` ``^n`` ``^^``)."""
    text = text.replace("^", "^^").replace('"', "^'").replace("\n", "^n")
    return f'"{text}"'


def param_text(raw: str) -> str:
    """The text of a parameter value as :func:`param_value` wrote it (or plain)."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    return re.sub(r"\^(.)", lambda m: {"n": "\n", "'": '"', "^": "^"}.get(m[1], m[0]), raw)
