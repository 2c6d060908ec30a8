"""The quick-add grammar: one line of text becomes one journal entry.

Used by ``ties log`` and by the window's quick-add box, so both understand a
line the same way. The grammar (documented in ``docs/quick-add.md``)::

    [direction] [kind] #type… [to|from|with] @person… [for @person] [date] [time]
    [wN] [thanked] [: note] [; follow up <when>]

For example ``gave #career_guidance to @"Ana Ruiz" yesterday w2: reviewed her
CV; follow up in 2 weeks``.

:func:`parse` never touches the journal and never raises anything but
:class:`QuickAddError`, which carries the span of the offending text so the
window can underline it.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from ties import datewords
from ties.model import EARLIEST_ENTRY, KINDS, Entry, Person

if TYPE_CHECKING:
    from ties.store import Store

MAX_LINE = 10_000

DIRECTION_WORDS = {
    "gave": "gave",
    "give": "gave",
    "given": "gave",
    "helped": "gave",
    "received": "received",
    "receive": "received",
    "got": "received",
    "mutual": "mutual",
    "together": "mutual",
    "contact": "contact",
    "met": "contact",
    "talked": "contact",
}
KIND_WORDS = {k: k for k in KINDS} | {
    "chat": "conversation",
    "coffee": "meeting",
    "lunch": "meeting",
    "dinner": "meeting",
    "phone": "call",
    "email": "message",
    "text": "message",
    "favour": "favor",
    "intro": "introduction",
    "present": "gift",
}
FILLER = {"to", "from", "with", "on", "about", "at", "and", "a", "an", "the", "of", "by", "in"}
DATE_STARTERS = {"on", "a", "an", "in", "last", "next"}

TOKEN = re.compile(
    r"""(?P<person>@"[^"]*"?|@[^\s"@#:;]+)
      |(?P<type>\#[^\s"@#:;]*)
      |(?P<word>[^\s"@#]+)
      |(?P<quote>"[^"]*"?)""",
    re.VERBOSE,
)
FOLLOW_UP = re.compile(r";\s*follow[\s-]*up\b(?P<when>.*)$", re.IGNORECASE | re.DOTALL)
#: Clauses that may end a line after the note, each after a ``;``.
LAST_CLAUSE = re.compile(r";(?P<clause>[^;]*)$")
THANKED_CLAUSE = re.compile(r"\s*thanked(\s+(them|her|him))?\s*", re.IGNORECASE)


class QuickAddError(ValueError):
    """The line cannot be understood.

    Attributes:
        start, end: the span of the text that is wrong (character offsets).
    """

    def __init__(self, message: str, start: int = 0, end: int = 0) -> None:
        super().__init__(message)
        self.start = start
        self.end = end


@dataclass
class QuickEntry:
    """What a line says, before anyone is looked up in the journal."""

    date: date
    people: list[str] = field(default_factory=list)
    support_types: list[str] = field(default_factory=list)
    direction: str = "contact"
    kind: str = "conversation"
    weight: int = 1
    time: str | None = None
    on_behalf_of: str | None = None
    note: str = ""
    follow_up: _dt.date | None = None  # the field `date` shadows the type here
    thanked: bool = False
    #: the word written for the kind when it is another name for it ("coffee" → meeting)
    kind_word: str = ""
    #: how a date that could read two ways was read ("3/12 read day first")
    date_reading: str = ""

    @property
    def kind_text(self) -> str:
        """The kind as stored, and the word written for it: "meeting (coffee)"."""
        return f"{self.kind} ({self.kind_word})" if self.kind_word else self.kind

    def describe(self) -> str:
        """A plain-words preview, as the window shows it before Enter."""
        who = ", ".join(self.people) or "nobody yet"
        when = self.date.isoformat() + (f" {self.time}" if self.time else "")
        if self.date_reading:
            when += f" ({self.date_reading})"
        parts = [when, f"{self.direction}", self.kind_text, f"with {who}"]
        if self.support_types:
            parts.append("support: " + ", ".join(self.support_types))
        parts.append(f"weight {self.weight}")
        if self.on_behalf_of:
            parts.append(f"on behalf of {self.on_behalf_of}")
        if self.follow_up:
            parts.append(f"follow up {self.follow_up.isoformat()}")
        if self.thanked:
            parts.append("thanked")
        if self.note:
            parts.append(f"note: {self.note}")
        return " · ".join(parts)


@dataclass
class LogResult:
    entry: Entry
    created: list[Person]


def _split_note(text: str) -> tuple[str, int | None]:
    """Position of the first ``:`` that is outside quotes, or None."""
    in_quote = False
    for i, ch in enumerate(text):
        if ch == '"':
            in_quote = not in_quote
        elif ch == ":" and not in_quote:
            # a time such as 14:30 is not a note separator
            if i > 0 and text[i - 1].isdigit() and i + 1 < len(text) and text[i + 1].isdigit():
                continue
            return text, i
    return text, None


def parse_when(
    text: str, today: date, *, future: bool = False, day_first: bool | None = None
) -> date:
    """A date in the words quick-add accepts (see :mod:`ties.datewords`).

    Past-facing words (``yesterday``, ``3 days ago``, ``monday``, ``dec 3``) are for
    entry dates; with ``future=True`` (follow-ups) ``in 2 weeks``, ``tomorrow``,
    weekday names and ``dec 3`` point forward. ``day_first`` says how ``3/12``
    reads (``None``: from the user's locale).
    """
    return datewords.read_date(text, today, future=future, dmy=day_first)


def parse(
    text: str,
    today: date | None = None,
    type_keys: set[str] | None = None,
    *,
    day_first: bool | None = None,
) -> QuickEntry:
    """Understand one quick-add line.

    Args:
        text: the line.
        today: the date relative words count from (default: today).
        type_keys: the valid support type keys; unknown ``#types`` are an error
            listing them. ``None`` accepts any key.
        day_first: whether ``3/12`` is 3 December (``None``: the user's locale,
            :func:`ties.datewords.day_first`).

    Raises:
        QuickAddError: with a message a person can act on and the span at fault.
    """
    today = today or date.today()
    if len(text) > MAX_LINE:
        raise QuickAddError(f"That line is too long (at most {MAX_LINE:,} characters).", 0, 0)
    dmy = datewords.day_first() if day_first is None else day_first
    body = text
    follow_up: date | None = None
    thanked_clause = False
    # "…: note; thanked; follow up friday": known clauses at the end, last first (a ';'
    # inside the note that starts no known clause stays in the note)
    while (last := LAST_CLAUSE.search(body)) is not None and THANKED_CLAUSE.fullmatch(
        last.group("clause")
    ):
        thanked_clause = True
        body = body[: last.start()]
    fm = FOLLOW_UP.search(body)
    if fm:
        when = fm.group("when").strip()
        when_start = fm.start("when") + len(fm.group("when")) - len(fm.group("when").lstrip())
        try:
            follow_up = parse_when(when, today, future=True, day_first=dmy)
        except ValueError:
            raise QuickAddError(
                f"Cannot read the follow-up date '{when}'. Try 'follow up in 2 weeks', "
                "'follow up tomorrow', 'follow up friday' or 'follow up 2026-03-01'.",
                when_start,
                when_start + len(when),
            ) from None
        body = body[: fm.start()]
        while (last := LAST_CLAUSE.search(body)) is not None and THANKED_CLAUSE.fullmatch(
            last.group("clause")
        ):  # "; thanked" before the follow-up
            thanked_clause = True
            body = body[: last.start()]
    _, colon = _split_note(body)
    head = body if colon is None else body[:colon]
    note = "" if colon is None else body[colon + 1 :].strip()
    entry = QuickEntry(date=today, note=note, follow_up=follow_up, thanked=thanked_clause)
    direction: str | None = None
    direction_span = (0, 0)
    kind: str | None = None
    date_set = False
    pending_behalf = False
    words: list[tuple[str, int, int]] = []  # words waiting to be read as a date

    def flush_words() -> None:
        nonlocal date_set
        if not words:
            return
        while words and words[-1][0] in FILLER:  # "… to" before a name
            words.pop()
        if not words:
            return
        phrase = " ".join(w for w, _, _ in words)
        start, end = words[0][1], words[-1][2]
        words.clear()
        try:
            value = parse_when(phrase, today, day_first=dmy)
        except ValueError:
            if re.fullmatch(r"(on )?\d{4}-\d{2}-\d{2}", phrase):
                raise QuickAddError(f"'{phrase}' is not a valid date.", start, end) from None
            raise QuickAddError(
                f"I don't understand '{phrase}'. Write people as @Name, support as #type, "
                "a direction (gave, received, mutual, contact), "
                "a date (yesterday, last week, dec 3, 2026-01-05), "
                "w1-w3 for weight, then ':' and a note.",
                start,
                end,
            ) from None
        if date_set:
            raise QuickAddError("The date is given twice.", start, end)
        if value > today:
            raise QuickAddError(
                f"'{phrase}' is after today: an entry records what happened. For something "
                "planned, end the line with '; follow up on …'.",
                start,
                end,
            )
        if value < EARLIEST_ENTRY:
            raise QuickAddError(
                f"'{phrase}' is before {EARLIEST_ENTRY.year}: entries start then.", start, end
            )
        entry.date = value
        date_set = True
        if datewords.NUMERIC.fullmatch(phrase.removeprefix("on ")):
            order = "day/month" if dmy else "month/day"
            entry.date_reading = f"{phrase.removeprefix('on ')} read as {order}"

    tokens = list(TOKEN.finditer(head))
    for i, m in enumerate(tokens):
        start, end = m.span()
        tok = m.group()
        if m.lastgroup == "person":
            flush_words()
            name = tok[1:]
            if name.startswith('"'):
                if len(name) < 2 or not name.endswith('"'):
                    raise QuickAddError('A quoted name is missing its closing ".', start, end)
                name = name[1:-1]
            else:  # "met @Ann, @Bob and @Cy." names Ann, Bob and Cy
                name = name.rstrip(",.!?)")
            name = " ".join(name.split())
            if not name:
                raise QuickAddError("A name is missing after @.", start, end)
            if pending_behalf:
                if entry.on_behalf_of:
                    raise QuickAddError("Only one 'for @person' per entry.", start, end)
                entry.on_behalf_of = name
                pending_behalf = False
            elif name.casefold() not in (p.casefold() for p in entry.people):
                entry.people.append(name)
            continue
        if m.lastgroup == "type":
            flush_words()
            key = tok[1:].lower()
            if not key:
                raise QuickAddError("A support type is missing after #.", start, end)
            if type_keys is not None and key not in type_keys:
                raise QuickAddError(
                    f"Unknown support type '#{key}'. Valid types: {', '.join(sorted(type_keys))}.",
                    start,
                    end,
                )
            if key not in entry.support_types:
                entry.support_types.append(key)
            continue
        if m.lastgroup == "quote":
            raise QuickAddError('Quotes belong to names: write @"Full Name".', start, end)
        low = tok.lower()
        if pending_behalf:
            raise QuickAddError("'for' must be followed by @person (on behalf of).", start, end)
        if low == "for":
            flush_words()
            pending_behalf = True
            continue
        if re.fullmatch(r"w[1-3]", low):
            flush_words()
            entry.weight = int(low[1])
            continue
        if re.fullmatch(r"w\d+", low):
            raise QuickAddError("Weight is w1 (small), w2 (medium) or w3 (large).", start, end)
        if re.fullmatch(r"\d{1,2}:\d{2}", low):
            flush_words()
            hh, mm = (int(x) for x in low.split(":"))
            if hh > 23 or mm > 59:
                raise QuickAddError(f"'{tok}' is not a time of day.", start, end)
            entry.time = f"{hh:02d}:{mm:02d}"
            continue
        if low in DIRECTION_WORDS and not words:
            if direction and direction != DIRECTION_WORDS[low]:
                raise QuickAddError(
                    "Give one direction: gave, received, mutual or contact.", start, end
                )
            direction = DIRECTION_WORDS[low]
            direction_span = (start, end)
            continue
        if low in KIND_WORDS and not words:
            if kind and kind != KIND_WORDS[low]:
                raise QuickAddError("Give one kind of interaction.", start, end)
            kind = KIND_WORDS[low]
            if low != kind:
                entry.kind_word = low
            continue
        if low == "thanked" and not words:
            entry.thanked = True
            continue
        if low in FILLER and not words and low not in DATE_STARTERS:
            continue
        words.append((low, start, end))
        # a date phrase is complete as soon as it reads as one ("3 days ago"), by the
        # built-in rules only (dateparser reads what is left when the phrase ends)
        phrase = " ".join(w for w, _, _ in words)
        try:
            datewords.builtin(phrase, today, dmy=dmy)
        except ValueError:
            continue
        following = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        if re.fullmatch(r"\d{4}", following) and not re.search(r"\d{4}", phrase):
            continue  # "dec 3 2025": the year follows
        flush_words()
    if pending_behalf:
        raise QuickAddError(
            "'for' must be followed by @person (on behalf of).", len(head), len(head)
        )
    flush_words()
    if not entry.people:
        raise QuickAddError(
            'Name at least one person with @, e.g. @Ben or @"Ana Ruiz".', 0, len(head)
        )
    if direction is None:
        if entry.support_types:
            raise QuickAddError(
                "Say which way the support went: gave, received or mutual.", 0, len(head)
            )
        direction = "contact"
    elif direction == "contact" and entry.support_types:
        # a contact records that we were in touch, not support: its #types would never count
        raise QuickAddError(
            "A contact carries no support: say gave, received or mutual for #types.",
            *direction_span,
        )
    entry.direction = direction
    entry.kind = kind or "conversation"
    if entry.follow_up is not None and entry.follow_up < entry.date:
        raise QuickAddError(
            "The follow-up date is before the entry's date.", fm.start() if fm else 0, len(text)
        )
    if entry.direction != "received" and entry.thanked:
        raise QuickAddError("'thanked' is for support you received.", 0, len(head))
    return entry


def preview(store: Store, q: QuickEntry) -> list[str]:
    """Names in the line that are not in the journal yet (they will be created).

    Ambiguous names raise ``ValidationError`` listing the candidates.
    """
    names = [*q.people, *([q.on_behalf_of] if q.on_behalf_of else [])]
    return [n for n in names if store.resolve_person(n) is None]


def archived_names(store: Store, q: QuickEntry) -> list[str]:
    """People the line names who are archived: the entry is saved, but the analyses
    leave archived people out, so the window and `ties log` say so."""
    names = [*q.people, *([q.on_behalf_of] if q.on_behalf_of else [])]
    found = [store.resolve_person(n) for n in names]
    return [p.name for p in found if p is not None and p.archived]


def with_journal_names(store: Store, q: QuickEntry) -> QuickEntry:
    """The line with each name as the journal spells it ("ana ruiz" → "Ana Ruiz").

    Names nobody has yet stay as typed (they would be added). For a preview that
    shows what saving would write.
    """

    def spelled(name: str) -> str:
        found = store.resolve_person(name)
        return found.name if found is not None else name

    return replace(
        q,
        people=[spelled(n) for n in q.people],
        on_behalf_of=spelled(q.on_behalf_of) if q.on_behalf_of else None,
    )


def _entry(q: QuickEntry, person_ids: list[int], behalf: int | None) -> Entry:
    return Entry(
        date=q.date,
        person_ids=person_ids,
        direction=q.direction,
        kind=q.kind,
        support_types=list(q.support_types),
        weight=q.weight,
        time=q.time,
        on_behalf_of=behalf,
        note=q.note,
        follow_up=q.follow_up,
        thanked=q.thanked,
    )


def save(store: Store, q: QuickEntry) -> LogResult:
    """Save a parsed line, creating unknown people, all in one transaction."""
    created: list[Person] = []

    def person_id(name: str) -> int:
        p = store.resolve_person(name)
        if p is None:
            p = store.add_person(Person(name=name))
            created.append(p)
        assert p.id is not None
        return p.id

    with store.transaction():
        ids: list[int] = []
        for name in q.people:
            pid = person_id(name)
            if pid not in ids:
                ids.append(pid)
        behalf = person_id(q.on_behalf_of) if q.on_behalf_of else None
        saved = store.add_entry(_entry(q, ids, behalf))
    return LogResult(saved, created)


def commit(store: Store, text: str, today: date | None = None) -> LogResult:
    """Parse a line and save it; the one path behind ``ties log`` and the quick-add box."""
    keys = {t.key for t in store.support_types()}
    return save(store, parse(text, today, keys))
