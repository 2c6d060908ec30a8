"""The Today list: the few things worth doing now, each with the action that settles it.

Built from :func:`ties.analysis.reciprocity.balances` (one pass over the
window for everybody), the coverage analysis when it is there, and the
full-text index for suggested introductions. Every item has a stable ``key``:
dismissing or snoozing it (``Store.dismiss``) is remembered in the journal, and
the same situation gives the same key on the next run. No Qt here: the window
and ``ties today`` both call :func:`today_items`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ties.analysis import collector
from ties.analysis.coverage import TypeCoverage, coverage_gaps
from ties.analysis.names import name_key
from ties.analysis.reciprocity import EntryRows, PersonBalance, ThanksRows, balances_and_entries
from ties.analysis.render import ago_words, cadence_words, window_words
from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.store import Store
from ties.store import today_reads as reads
from ties.store.search import fold
from ties.store.today_reads import DateRow, MatchRow

#: The groups of the list, in the order they are shown, with their headings.
GROUPS: tuple[tuple[str, str], ...] = (
    ("follow_up", "Follow-ups due"),
    ("date", "Birthdays and dates"),
    ("dormant", "Ties gone quiet"),
    ("one_sided", "One-sided relationships"),
    ("unthanked", "Thanks to say"),
    ("coverage_gap", "Gaps in your support"),
    ("match", "Introductions to suggest"),
)
GROUP_TITLES = dict(GROUPS)

#: What each action does (the window offers one button per action):
#: mark_done → the follow-up is done; log_follow_up → log a contact today and
#: mark the follow-up done; log_contact → log a contact today; mark_thanked →
#: the entry is thanked; log_introduction → log an introduction between the
#: two people; open_person → show the person's page.
ACTIONS = (
    "mark_done",
    "log_follow_up",
    "log_contact",
    "mark_thanked",
    "log_introduction",
    "open_person",
)

#: Suggested introductions: at most this many per person in need, and in all.
MATCHES_PER_PERSON = 2
MAX_MATCHES = 30
MAX_MY_MATCHES = 10

#: Words too common to say two texts are about the same thing.
STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been being
    but by can could did do does doing done for from get gets getting give good great
    had has have having help helping helps her here him his how i if in into is it its
    just know knows knowing like lot lots make me more most my need needs needed new
    no not now of off offer offers on one or other our out over own really same she
    should so some someone something such than that the their them then there these
    they this those through to too under up very want wants was way we well were what
    when where which while who why will with would you your
    """.split()
)


@dataclass(slots=True)
class TodayItem:
    """One thing to do.

    Attributes:
        key: stable identity, for dismissing and snoozing (see docs/reciprocity.md).
        group: one of :data:`GROUPS`' keys.
        title: a short line ("Follow up with Ana Ruiz").
        detail: why it is here, in plain words.
        person_ids: the people it is about (two for an introduction).
        entry_id: the entry it is about (follow-ups and thanks).
        actions: what the window offers, from :data:`ACTIONS`.
        closeness: of the (first) person, for ordering and display.
        words: for matches, the words the texts matched on.
        due: for follow-ups, the follow-up date.
    """

    key: str
    group: str
    title: str
    detail: str
    person_ids: list[int] = field(default_factory=list)
    entry_id: int | None = None
    actions: list[str] = field(default_factory=list)
    closeness: int | None = None
    words: list[str] = field(default_factory=list)
    due: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "group": self.group,
            "title": self.title,
            "detail": self.detail,
            "person_ids": self.person_ids,
            "entry_id": self.entry_id,
            "actions": self.actions,
            "words": self.words,
            "due": self.due.isoformat() if self.due else None,
        }


def today_items(
    store: Store,
    as_of: date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    *,
    include_dismissed: bool = False,
    include_gaps: bool = True,
) -> list[TodayItem]:
    """Everything worth doing on ``as_of``, grouped in :data:`GROUPS` order.

    Items the user dismissed, or snoozed until after ``as_of``, are left out
    unless ``include_dismissed``. ``include_gaps=False`` leaves out the coverage
    gaps (the benchmark times the list with and without them).
    """
    with collector.paused():  # ~100,000 objects, no cycles (see ties.analysis.collector)
        return _today_items(
            store, as_of or date.today(), window_days, include_dismissed, include_gaps, None
        )[0]


@dataclass(slots=True)
class TodayGroup:
    """One group of the list as ``ties today`` prints it: its first items and how many."""

    group: str
    heading: str
    total: int
    items: list[TodayItem]


def today_groups(
    store: Store,
    as_of: date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    *,
    limit: int | None = None,
) -> list[TodayGroup]:
    """The groups of :func:`today_items` that have items, each with at most ``limit`` of
    them (the first ones, in the same order) and its whole count.

    The same items as the whole list; only what the entries to thank say is read
    for the ones shown (a million-entry journal had 6,000 to thank in a month).
    """
    with collector.paused():
        items, thanks_total = _today_items(
            store, as_of or date.today(), window_days, False, True, limit
        )
    out = []
    for group, heading in GROUPS:
        mine = [i for i in items if i.group == group]
        total = thanks_total if group == "unthanked" else len(mine)
        if total:
            out.append(TodayGroup(group, heading, total, mine[:limit] if limit else mine))
    return out


def _today_items(
    store: Store,
    as_of: date,
    window_days: int,
    include_dismissed: bool,
    include_gaps: bool,
    thanks_limit: int | None,
) -> tuple[list[TodayItem], int]:
    """The items, and how many entries there are to thank (of which at most
    ``thanks_limit`` are made into items)."""
    # Only the people with a flag: the groups are about them alone (the archived have none).
    found = balances_and_entries(store, as_of, window_days, by_name=False, flagged_only=True)
    figures = found.balances
    hidden = set() if include_dismissed else store.dismissals(as_of)
    items: list[TodayItem] = []
    items += _follow_ups(found.rows, figures, as_of)
    items += _dates(store, as_of)
    items += _dormant(figures)
    items += _one_sided(figures, window_days)
    thanks, thanks_total = _unthanked(store, found.thanks, figures, as_of, hidden, thanks_limit)
    items += thanks
    if include_gaps:
        items += _coverage_gaps(store, as_of, window_days)
    if hidden:
        items = [i for i in items if i.key not in hidden]
    items += _matches(store, hidden)
    return items, thanks_total


# ------------------------------------------------------------------ the groups


@dataclass(slots=True)
class _EntryLine:
    """The few fields of an entry an item shows (cheaper than a full :class:`Entry`)."""

    id: int
    uuid: str
    day: date
    follow_up: date | None
    note: str
    people_label: str
    person_ids: list[int]


def _entries_of(rows: EntryRows, figures: list[PersonBalance], attr: str) -> list[_EntryLine]:
    """The entries the people of ``figures`` have in ``attr``, by id; their people by name."""
    people = _people_of(figures, attr)
    parsed: dict[str, date] = {}

    def day(text: str) -> date:
        found = parsed.get(text)
        if found is None:
            found = parsed[text] = date.fromisoformat(text)
        return found

    out = []
    for eid in sorted(people):
        row = rows[eid]
        uuid, entry_day, follow_up, note, label = row[2:]  # (after person and entry id)
        out.append(
            _EntryLine(
                eid,
                uuid,
                day(entry_day),
                day(follow_up) if follow_up else None,
                note,
                label,
                people[eid],
            )
        )
    return out


def _people_of(figures: list[PersonBalance], attr: str) -> dict[int, list[int]]:
    """Entry id → the people of ``figures`` who have it in ``attr``, in :func:`balances` order."""
    people: dict[int, list[int]] = {}
    by_id: dict[int, PersonBalance] = {}
    shared = False
    for b in figures:
        flagged = getattr(b, attr)
        if not flagged:
            continue
        pid = b.person_id
        by_id[pid] = b
        for eid in flagged:
            ids = people.get(eid)
            if ids is None:
                people[eid] = [pid]
            else:
                ids.append(pid)
                shared = True
    if shared:
        keys: dict[int, tuple[str, str, int]] = {}  # folding a name is slow: once per person

        def key(p: int) -> tuple[str, str, int]:
            found = keys.get(p)
            if found is None:
                name = by_id[p].name
                found = keys[p] = (name_key(name), name, p)
            return found

        for ids in people.values():
            if len(ids) > 1:  # by name, then id, as balances() lists people
                ids.sort(key=key)
    return people


def _note(e: _EntryLine) -> str:
    return _quote(e.note)


def _quote(note: str) -> str:
    text = " ".join(note[:200].split())
    return f"“{text[:80]}…”" if len(text) > 80 else (f"“{text}”" if text else "")


def _follow_ups(rows: EntryRows, figures: list[PersonBalance], as_of: date) -> list[TodayItem]:
    closeness = {b.person_id: b.closeness for b in figures}
    out: list[TodayItem] = []
    for e in _entries_of(rows, figures, "follow_ups_due"):
        assert e.follow_up is not None
        late = (as_of - e.follow_up).days
        when = "due today" if late == 0 else f"due {ago_words(late)}"
        parts = [f"From {e.day.isoformat()}", _note(e), when]
        out.append(
            TodayItem(
                key=f"follow_up:{e.uuid}",
                group="follow_up",
                title=f"Follow up with {e.people_label}",
                detail="; ".join(p for p in parts if p) + ".",
                person_ids=list(e.person_ids),
                entry_id=e.id,
                actions=["mark_done", "log_follow_up"],
                closeness=max((closeness.get(p, 0) for p in e.person_ids), default=None),
                due=e.follow_up,
            )
        )
    # Value, then urgency: the closest people first; among equals, the longest overdue.
    out.sort(key=lambda i: (-(i.closeness or 0), i.due, name_key(i.title), i.title))
    return out


def _dates(store: Store, as_of: date) -> list[TodayItem]:
    lead = store.get_setting("date_lead_days")
    lead = lead if isinstance(lead, int) and not isinstance(lead, bool) else 7
    lead = max(0, min(lead, 366))
    last = as_of + timedelta(days=lead)
    rows = reads.dates_on(store, month_days_ahead(as_of, lead), as_of.isoformat(), last.isoformat())
    return date_items(rows, as_of, lead)


def month_days_ahead(as_of: date, lead_days: int) -> list[str]:
    """The "MM-DD" of ``as_of`` and the ``lead_days`` after it; with "02-29" when
    February 28 is among them in a year without one (a leap-day birthday is then kept
    on the 28th)."""
    days = [(as_of + timedelta(days=n)).strftime("%m-%d") for n in range(lead_days + 1)]
    if "02-28" in days and "02-29" not in days:
        days.append("02-29")
    return sorted(set(days))


def next_occurrence(text: str, yearly: bool, as_of: date) -> date | None:
    """The first day on or after ``as_of`` a date (``YYYY-MM-DD`` or ``--MM-DD``) falls on.

    A yearly date comes back every year from its own year on (Feb 29 on Feb 28 in
    other years); a one-off date only on itself. ``None``: it will not come again.
    """
    year = None if text.startswith("--") else int(text[:4])
    month, day = int(text[-5:-3]), int(text[-2:])
    if not yearly:
        if year is None:
            return None
        once = date(year, month, day)
        return once if once >= as_of else None
    for y in (as_of.year, as_of.year + 1):
        try:
            when = date(y, month, day)
        except ValueError:  # 29 February in a year without one
            when = date(y, 2, 28)
        if when >= as_of and (year is None or y >= year):
            return when
    return None


def _when_words(days: int, when: date) -> str:
    if days == 0:
        return "Today"
    if days == 1:
        return "Tomorrow"
    return f"In {days} days, {_WEEKDAYS[when.weekday()]} {when.day} {_MONTHS[when.month - 1]}"


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_items(rows: list[DateRow], as_of: date, lead_days: int) -> list[TodayItem]:
    """Birthdays and dates from ``as_of`` to ``lead_days`` after it, soonest first."""
    out: list[TodayItem] = []
    for row in rows:
        when = next_occurrence(row.date, row.yearly, as_of)
        if when is None or (when - as_of).days > lead_days:
            continue
        days = (when - as_of).days
        parts = [_when_words(days, when)]
        year = None if row.date.startswith("--") else int(row.date[:4])
        birthday = row.label == "birthday"
        if year is not None and row.yearly and when.year > year:
            n = when.year - year
            parts.append(f"turns {n}" if birthday else f"{n} year{'s' if n != 1 else ''}")
        title = f"{row.name}'s birthday" if birthday else f"{row.name}: {row.label or 'a date'}"
        out.append(
            TodayItem(
                key=f"date:{row.uuid}:{row.label}:{when.isoformat()}",
                group="date",
                title=title,
                detail=", ".join(parts) + ".",
                person_ids=[row.person_id],
                actions=["log_contact", "open_person"],
                closeness=row.closeness,
                due=when,
            )
        )
    out.sort(key=lambda i: (i.due, -(i.closeness or 0), i.title, i.key))
    return out


def _dormant(figures: list[PersonBalance]) -> list[TodayItem]:
    out = []
    for b in figures:
        if "dormant" not in b.flags:
            continue
        if b.last_contact is None:
            detail = "No contact logged yet"
            stamp = "never"
        else:
            detail = f"Last contact {ago_words(b.days_since_contact)}"
            stamp = b.last_contact.isoformat()
        detail += f"; you meant to keep in touch {cadence_words(b.closeness, b.cadence_days)}."
        out.append(
            TodayItem(
                key=f"dormant:{b.uuid}:{stamp}",
                group="dormant",
                title=b.name,
                detail=detail,
                person_ids=[b.person_id],
                actions=["log_contact", "open_person"],
                closeness=b.closeness,
            )
        )
    # Closest first; among equals, the longest silence first.
    quiet = {b.person_id: b.last_contact or date.min for b in figures if "dormant" in b.flags}
    out.sort(
        key=lambda i: (
            -(i.closeness or 0),
            quiet[i.person_ids[0]],
            name_key(i.title),
            i.title,
            i.person_ids,
        )
    )
    return out


def _one_sided(figures: list[PersonBalance], window_days: int) -> list[TodayItem]:
    out = []
    gap: dict[int, int] = {}  # how one-sided: the difference between given and received
    span = window_words(window_days)
    for b in figures:
        if not b.flags:
            continue
        for flag in ("over_giving", "over_taking"):
            if flag not in b.flags:
                continue
            gap[b.person_id] = abs(b.given - b.received)
            if flag == "over_giving":
                why = (
                    f"You gave {b.given} and received {b.received} {span}: "
                    "you are doing most of the giving."
                )
            else:
                why = (
                    f"You received {b.received} and gave {b.given} {span}: "
                    "you are doing most of the taking; a way to give back would balance it."
                )
            if b.mutuality == -1:
                why += (
                    " The interest does not feel mutual either: stepping back from this "
                    "relationship is an option."
                )
            out.append(
                TodayItem(
                    key=f"one_sided:{b.uuid}:{flag}",
                    group="one_sided",
                    title=b.name,
                    detail=why,
                    person_ids=[b.person_id],
                    actions=["open_person"],
                    closeness=b.closeness,
                )
            )
    # The closest first; among equals, the most one-sided first.
    out.sort(
        key=lambda i: (
            -(i.closeness or 0),
            -gap[i.person_ids[0]],
            name_key(i.title),
            i.title,
            i.person_ids,
        )
    )
    return out


def _unthanked(
    store: Store,
    thanks: ThanksRows,
    figures: list[PersonBalance],
    as_of: date,
    hidden: Iterable[str] = (),
    limit: int | None = None,
) -> tuple[list[TodayItem], int]:
    """The entries to thank, as items (the first ``limit`` of them), and how many there are.

    They are ranked from the indexes' figures alone (closeness, day, id); what an item
    says of its entry is read for the items made.
    """
    people = _people_of(figures, "unthanked")
    thanked_keys = [k.removeprefix("thanks:") for k in hidden if k.startswith("thanks:")]
    if thanked_keys:  # dismissed or snoozed: not counted either
        for eid in reads.ids_of_uuids(store, thanked_keys):
            people.pop(eid, None)
    closeness = {b.person_id: b.closeness for b in figures if b.unthanked}
    # An entry's closeness is its closest person's (looked up once per entry).
    best = {
        eid: closeness[ids[0]] if len(ids) == 1 else max(closeness[p] for p in ids)
        for eid, ids in people.items()
    }
    # The closest people first; among equals, newest first: thanks are best said soon.
    # (Three stable sorts on plain keys: newest id, then newest day, then closest.)
    day_of = {eid: thanks[eid][2] for eid in people}
    ranked = sorted(people, reverse=True)
    ranked.sort(key=day_of.__getitem__, reverse=True)
    ranked.sort(key=best.__getitem__, reverse=True)
    shown = ranked if limit is None else ranked[:limit]
    cards = reads.entry_cards(store, shown)
    when: dict[str, str] = {}  # many entries share a day: word it once
    quotes: dict[str, str] = {}  # and many a short note ("lunch", "advice on the move")
    out: list[TodayItem] = []
    append = out.append
    for eid in shown:
        card = cards.get(eid)
        if card is None:  # deleted since the balances were read
            continue
        _eid, uuid, day, _follow_up, note, label = card
        said = when.get(day)
        if said is None:
            received = date.fromisoformat(day)
            said = when[day] = (
                f"Received {ago_words((as_of - received).days)} ({received.isoformat()})"
            )
        quote = quotes.get(note)
        if quote is None:
            quote = quotes[note] = _quote(note)
        append(
            TodayItem(
                f"thanks:{uuid}",
                "unthanked",
                f"Thank {label}",
                f"{said} {quote}." if quote else f"{said}.",
                people[eid],
                eid,
                ["mark_thanked"],
                best[eid],
            )
        )
    return out, len(ranked)


def _coverage_gaps(store: Store, as_of: date, window_days: int) -> list[TodayItem]:
    """Support types nobody gave in the window, when the coverage analysis exists.

    An empty journal has no gaps worth reporting yet: everything would be one.
    """
    if not reads.has_entries(store):
        return []
    return gap_items(coverage_gaps(store, as_of, window_days), window_days)


def gap_items(gaps: list[TypeCoverage], window_days: int) -> list[TodayItem]:
    """One item per support type nobody gave, naming up to three who might."""
    out = []
    for st in gaps:
        label = getattr(st, "label", st.key)
        question = getattr(st, "question", "")
        detail = question + ("." if question and not question.endswith(".") else "")
        who = list(getattr(st, "suggestions", []))[:3]
        if who:
            detail += " Who might: " + ", ".join(w.name for w in who) + "."
        out.append(
            TodayItem(
                key=f"gap:{st.key}",
                group="coverage_gap",
                title=f"Nobody gave you {label.lower()} {window_words(window_days)}",
                detail=detail.strip(),
                person_ids=[w.person_id for w in who],
                actions=["open_person"] if who else [],
            )
        )
    return out


# --------------------------------------------------------------------- matches


def significant_words(text: str) -> list[str]:
    """The words of a text worth matching on: folded, no stopwords, at least 3 letters."""
    seen: dict[str, None] = {}
    for w in re.findall(r"\w+", fold(text)):
        if len(w) >= 3 and not w.isdigit() and w not in STOPWORDS:
            seen.setdefault(w, None)
    return list(seen)


#: Ids of the people whose ``needs`` or ``offers`` (the first argument) mention a word.
Mentioning = Callable[[str, str], set[int]]


def _matches(store: Store, hidden: set[str]) -> list[TodayItem]:
    """Needs that fit someone's offers, or my own offers, found through ``people_fts``."""
    rows = reads.match_people(store)
    if not rows:
        return []
    cache: dict[tuple[str, str], set[int]] = {}

    def mentioning(column: str, word: str) -> set[int]:
        found = cache.get((column, word))
        if found is None:
            found = cache[(column, word)] = reads.people_mentioning(store, column, word)
        return found

    my_offers = str(store.get_setting("my_offers") or "")
    return matches(rows, mentioning, my_offers, hidden, _Linked(store))


class _Linked:
    """Whether two people are linked, asked of the journal pair by pair: the few pairs a
    match reaches, not every link of a large journal read into a set."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __contains__(self, pair: object) -> bool:
        if not isinstance(pair, frozenset) or len(pair) != 2:
            return False
        a, b = pair
        return reads.are_linked(self.store, int(a), int(b))


def matches(
    rows: list[MatchRow],
    mentioning: Mentioning,
    my_offers: str,
    hidden: set[str],
    linked: Container[frozenset[int]] = frozenset(),
) -> list[TodayItem]:
    """The suggested introductions from the people's needs and offers (pure over its inputs).

    Two people already ``linked`` (they know each other) are never suggested.

    People in need are taken closest first, and the search stops once
    :data:`MAX_MATCHES` pairs are found, so a large journal costs no more than
    a small one: ``mentioning`` (the full-text index, or a stand-in) is asked
    only for the words of the people reached.
    """
    if not rows:
        return []
    people = {r[0]: r for r in rows}
    keys: dict[int, str] = {}  # folding a name is slow: once per person

    def key_of(pid: int) -> str:
        found = keys.get(pid)
        if found is None:
            found = keys[pid] = name_key(people[pid][1])
        return found

    def needers() -> Iterator[MatchRow]:
        """Closest first, then by name: each closeness sorted only when it is reached."""
        by_closeness: dict[int, list[MatchRow]] = {}
        for r in rows:
            if r[4].strip():
                by_closeness.setdefault(r[3], []).append(r)
        for closeness in sorted(by_closeness, reverse=True):
            yield from sorted(by_closeness[closeness], key=lambda r: (key_of(r[0]), r[0]))

    out: list[TodayItem] = []
    for nid, name, uuid, _closeness, needs, _ in needers():
        if len(out) >= MAX_MATCHES:
            break
        words = significant_words(needs)
        hits: Counter[int] = Counter()
        matched: dict[int, list[str]] = {}
        for w in words:
            for oid in mentioning("offers", w):
                if oid != nid and oid in people:
                    hits[oid] += 1
                    matched.setdefault(oid, []).append(w)
        ranked = sorted(hits, key=lambda o: (-hits[o], -people[o][3], key_of(o), o))
        taken = 0
        for oid in ranked:
            if taken >= MATCHES_PER_PERSON or len(out) >= MAX_MATCHES:
                break
            other = people[oid]
            key = f"match:{uuid}:{other[2]}"
            if key in hidden or frozenset((nid, oid)) in linked:
                continue
            taken += 1
            out.append(
                TodayItem(
                    key=key,
                    group="match",
                    title=f"Introduce {name} to {other[1]}",
                    detail=(
                        f"{name} needs “{_short(needs)}”; {other[1]} offers "
                        f"“{_short(other[5])}”. Matched on: {', '.join(matched[oid])}."
                    ),
                    person_ids=[nid, oid],
                    actions=["log_introduction", "open_person"],
                    closeness=people[nid][3],
                    words=matched[oid],
                )
            )
    out += _my_matches(my_offers, people, hidden, mentioning)
    return out


def _my_matches(
    my_offers: str,
    people: dict[int, MatchRow],
    hidden: set[str],
    mentioning: Mentioning,
) -> list[TodayItem]:
    words = significant_words(my_offers)
    if not words:
        return []
    matched: dict[int, list[str]] = {}
    for w in words:
        for pid in mentioning("needs", w):
            if pid in people:
                matched.setdefault(pid, []).append(w)
    ranked = sorted(
        matched, key=lambda p: (-len(matched[p]), -people[p][3], name_key(people[p][1]), p)
    )
    out: list[TodayItem] = []
    for pid in ranked:
        if len(out) >= MAX_MY_MATCHES:
            break
        _, name, uuid, closeness, needs, _ = people[pid]
        key = f"match:{uuid}:me"
        if key in hidden:
            continue
        out.append(
            TodayItem(
                key=key,
                group="match",
                title=f"You could help {name}",
                detail=(
                    f"{name} needs “{_short(needs)}”, and your own offers mention it. "
                    f"Matched on: {', '.join(matched[pid])}."
                ),
                person_ids=[pid],
                actions=["open_person"],
                closeness=closeness,
                words=matched[pid],
            )
        )
    return out


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
