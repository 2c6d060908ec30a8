"""Give and take with each person: balances over a window, a monthly timeline, and flags.

Everything is computed from a few set-based reads (one GROUP BY over the
window for everybody, named in :mod:`ties.store.balance_reads`), so the
relationship map, the Today list, the person page and ``ties report balance``
all share one computation and stay fast on large journals. The rules are the
pure functions :func:`balances_from_rows` and :func:`timeline_from_rows`,
which the tests call with hand-built rows; the sentences are in
:mod:`ties.analysis.render`.

Rules (see docs/reciprocity.md):

* an entry counts, with its weight, for every person it names: ``gave`` to
  given, ``received`` to received, ``mutual`` to both, ``contact`` to neither;
* an entry made "on behalf of" someone also counts as ``gave`` to that someone
  (once: not again when that person is also named on the entry);
* the window is ``as_of - window_days < date <= as_of``; nothing after
  ``as_of`` counts anywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from ties.analysis.names import name_key
from ties.analysis.window import DEFAULT_WINDOW_DAYS, window_start
from ties.model import DEFAULT_CADENCE_DAYS, Entry
from ties.store import Store
from ties.store import balance_reads as reads
from ties.store.balance_reads import BehalfRow, FlaggedRow, MonthSums, PersonRow, UnthankedRow
from ties.store.window_totals import window_totals

#: The thresholds of the one-sidedness flags.
ONE_SIDED_RATIO = 3
ONE_SIDED_MINIMUM = 6
#: A ``received`` entry younger than this (and not thanked) is "unthanked".
THANKS_DAYS = 30

FLAG_ORDER = ("follow_up_due", "unthanked", "dormant", "over_giving", "over_taking")


@dataclass(slots=True)
class PersonBalance:
    """One person's figures in the window.

    ``given``, ``received`` and ``mutual`` are sums of weights (mutual entries
    count in both given and received, and ``mutual`` says how much of each they
    make up); ``entries`` and ``weight`` count every direction, contacts too.
    """

    person_id: int
    name: str
    uuid: str
    given: int
    received: int
    mutual: int
    balance: int
    last_contact: date | None
    flags: list[str]
    entries: int
    weight: int
    closeness: int = 3
    mutuality: int = 0
    archived: bool = False
    cadence_days: int = 0
    days_since_contact: int | None = None
    follow_ups_due: list[int] = field(default_factory=list)  # entry ids
    unthanked: list[int] = field(default_factory=list)  # entry ids


@dataclass
class MonthPoint:
    """One month of a person's timeline; ``balance`` is the running total at its end."""

    month: str  # "YYYY-MM"
    given: int
    received: int
    balance: int
    entries: int = 0

    @property
    def first_day(self) -> date:
        return date(int(self.month[:4]), int(self.month[5:7]), 1)

    @property
    def last_day(self) -> date:
        return _month_end(self.first_day)


def _month_end(first: date) -> date:
    if first.month == 12:  # (December 9999 has no next month to step back from)
        return first.replace(day=31)
    return first.replace(month=first.month + 1, day=1) - timedelta(days=1)


def cadences(store: Store) -> dict[int, int]:
    """Days between contacts by closeness: the defaults, overridden by the settings.

    The setting ``cadence_days`` is a JSON object such as ``{"5": 14, "4": 30}``;
    values that are not positive whole numbers are ignored.
    """
    out = dict(DEFAULT_CADENCE_DAYS)
    custom = store.get_setting("cadence_days")
    if isinstance(custom, dict):
        for key, value in custom.items():
            try:
                closeness = int(key)
            except (TypeError, ValueError):
                continue
            if closeness in out and isinstance(value, int) and value > 0:
                out[closeness] = value
    return out


def one_sided_flag(given: int, received: int) -> str | None:
    """``over_giving``, ``over_taking`` or None, by the thresholds of the issue."""
    if given >= ONE_SIDED_RATIO * received and given >= ONE_SIDED_MINIMUM:
        return "over_giving"
    if received >= ONE_SIDED_RATIO * given and received >= ONE_SIDED_MINIMUM:
        return "over_taking"
    return None


def is_dormant(days_since_contact: int | None, cadence: int) -> bool:
    """Dormant when strictly more days than the cadence have passed since the last contact."""
    return days_since_contact is not None and days_since_contact > cadence


def _created_day(stamp: str | None) -> date | None:
    try:
        return date.fromisoformat(stamp[:10]) if stamp else None
    except ValueError:
        return None


def days_since_added(as_of: date, created: str | None) -> int | None:
    """The quiet time of someone never contacted: days since they were added (their
    ``created`` stamp), or None when that is unknown or after ``as_of``."""
    added = _created_day(created)
    return (as_of - added).days if added is not None and added <= as_of else None


def balances(
    store: Store,
    as_of: date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    person_ids: Iterable[int] | None = None,
) -> list[PersonBalance]:
    """Every person's (or the chosen people's) give and take in the window, sorted by name.

    Archived people are included, with their figures, but never get flags.
    """
    return balances_and_entries(store, as_of, window_days, person_ids)[0]


#: The entries with a follow-up due the balances found, by entry id: the fields the
#: Today list shows.
EntryRows = dict[int, FlaggedRow]

#: The unthanked entries the balances found, by entry id: (a person, the entry, its
#: day). What Today shows of them is read for the entries it shows.
ThanksRows = dict[int, UnthankedRow]


class Found(NamedTuple):
    """:func:`balances_and_entries`' answer: the balances and the entries that flag them."""

    balances: list[PersonBalance]
    rows: EntryRows
    thanks: ThanksRows


#: One person's window: (person id, given, received, mutual, entries, weight),
#: given and received including mutual.
Sums = tuple[int, int, int, int, int, int]


def balances_and_entries(
    store: Store,
    as_of: date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    person_ids: Iterable[int] | None = None,
    *,
    by_name: bool = True,
    entry_flags: bool = True,
    flagged_only: bool = False,
) -> Found:
    """:func:`balances`, plus the follow-up and unthanked entries it found.

    The Today list needs those rows; reading them in the same queries saves
    looking the entries up a second time. ``by_name=False`` leaves the list in
    person id order (sorting 10,000 names by their folded form is a good part
    of the cost, and the Today list orders its items itself). ``entry_flags=False``
    reads no follow-ups or thanks, so no one gets those two flags (the map, which
    shows only the balance and dormant flags). ``flagged_only`` lists only the people
    with a flag (the Today list: nothing to do about the others).
    """
    as_of = as_of or date.today()
    start, hi = window_start(as_of, window_days).isoformat(), as_of.isoformat()
    wanted: set[int] | None = None if person_ids is None else set(person_ids)
    figures: Figures
    if wanted is None:
        # Everybody: the window's sums per person, kept up to date by the store
        # (the same ones balance_reads.WINDOW_SQL adds up; see ties.store.window_totals).
        figures = window_figures(store, as_of, window_days)
    elif wanted:
        figures = figures_from_rows(*reads.window_sums_of(store, wanted, start, hi))
    else:
        return Found([], {}, {})
    since = window_start(as_of, THANKS_DAYS).isoformat()
    only = wanted if wanted is not None and len(wanted) <= reads.CHUNK else None  # a person page
    return _balances(
        as_of,
        figures,
        reads.balance_people(store, hi, only),
        reads.follow_ups_due(store, hi, only) if entry_flags else [],
        reads.unthanked(store, since, hi, only) if entry_flags else [],
        cadences(store),
        wanted,
        by_name=by_name,
        flagged_only=flagged_only,
    )


#: Person id → their window: [given, received, mutual, entries, weight], as in
#: :class:`PersonBalance`.
Figures = dict[int, list[int]]


def window_figures(store: Store, as_of: date, window_days: int = DEFAULT_WINDOW_DAYS) -> Figures:
    """Everybody's give and take in the window, on-behalf entries included: the figures
    :func:`balances` starts from, without the people (the map reads these alone)."""
    start, hi = window_start(as_of, window_days).isoformat(), as_of.isoformat()
    figures: Figures = {
        pid: [gave + mutual, got + mutual, mutual, count, weight]
        for pid, count, weight, gave, got, mutual in window_totals(
            store, start, hi, sides=False
        ).people
    }
    return _add_behalf(figures, reads.behalf_window(store, start, hi))


def figures_from_rows(sums: Iterable[Sums], behalf: Iterable[BehalfRow]) -> Figures:
    """The window's sums per person with the on-behalf entries added to what I gave."""
    return _add_behalf({pid: values for pid, *values in sums}, behalf)


def _add_behalf(figures: Figures, behalf: Iterable[BehalfRow]) -> Figures:
    for pid, weight, count in behalf:
        row = figures.get(pid)
        if row is None:
            row = figures[pid] = [0, 0, 0, 0, 0]
        row[0] += weight  # given
        row[3] += count
        row[4] += weight
    return figures


def balances_from_rows(
    as_of: date,
    sums: Iterable[Sums],
    behalf: Iterable[BehalfRow],
    people: Iterable[PersonRow],
    due: Iterable[FlaggedRow],
    unthanked: Iterable[UnthankedRow],
    cadence_by_closeness: Mapping[int, int],
    wanted: Collection[int] | None = None,
    *,
    by_name: bool = True,
    flagged_only: bool = False,
) -> Found:
    """The balances and flags from the rows the store read (a pure function).

    ``sums`` are the window's per person; ``behalf`` the entries made on
    someone's behalf (added to what I gave them); ``people`` whoever to list
    (only those in ``wanted`` when it is given); ``due`` and ``unthanked`` the
    flagged entries per person; ``cadence_by_closeness`` from :func:`cadences`.
    """
    return _balances(
        as_of,
        figures_from_rows(sums, behalf),
        people,
        due,
        unthanked,
        cadence_by_closeness,
        wanted,
        by_name=by_name,
        flagged_only=flagged_only,
    )


def _balances(
    as_of: date,
    figures: Figures,
    people: Iterable[PersonRow],
    due: Iterable[FlaggedRow],
    unthanked: Iterable[UnthankedRow],
    cadence_by_closeness: Mapping[int, int],
    wanted: Collection[int] | None = None,
    *,
    by_name: bool = True,
    flagged_only: bool = False,
) -> Found:
    """:func:`balances_from_rows` over the window's figures already summed."""
    rows: EntryRows = {}
    thanks: ThanksRows = {}
    due_ids = _ids_by_person(due, rows)
    thanks_ids = _ids_by_person(unthanked, thanks)
    # Many people share a last-contact day: parse each day, and count from it, once.
    days: dict[str, tuple[date, int]] = {}
    out: list[PersonBalance] = []
    append = out.append
    cadence_of = cadence_by_closeness.get
    zero = _ZERO
    for pid, name, uuid, closeness, mutuality, cadence, archived, created, last in people:
        if wanted is not None and pid not in wanted:
            continue
        given, received, mutual, entries, weight = figures.get(pid, zero)
        last_contact = None
        since_contact = quiet_days = None
        if last:
            seen = days.get(last)
            if seen is None:
                day = date.fromisoformat(last)
                seen = days[last] = (day, (as_of - day).days)
            last_contact, since_contact = seen
            quiet_days = since_contact
        else:
            # Never contacted: the quiet time counts from the day they were added.
            quiet_days = days_since_added(as_of, created)
        cadence_days = cadence or cadence_of(closeness, 90)
        due_of, thanks_of = due_ids.get(pid), thanks_ids.get(pid)
        person_due = sorted(due_of) if due_of else []
        person_thanks = sorted(thanks_of) if thanks_of else []
        flags: list[str] = []
        if not archived:  # in FLAG_ORDER
            if person_due:
                flags.append("follow_up_due")
            if person_thanks:
                flags.append("unthanked")
            if is_dormant(quiet_days, cadence_days):
                flags.append("dormant")
            side = one_sided_flag(given, received) if given or received else None
            if side:
                flags.append(side)
        if flagged_only and not flags:
            continue
        append(
            PersonBalance(
                pid,
                name,
                uuid,
                given,
                received,
                mutual,
                given - received,
                last_contact,
                flags,
                entries,
                weight,
                closeness,
                mutuality,
                bool(archived),
                cadence_days,
                since_contact,
                person_due,
                person_thanks,
            )
        )
    if by_name:
        out.sort(key=lambda b: (name_key(b.name), b.name, b.person_id))
    return Found(out, rows, thanks)


_ZERO = (0, 0, 0, 0, 0)


def _ids_by_person(found: Iterable[Any], rows: dict[int, Any]) -> dict[int, set[int]]:
    """Person id → their entry ids, from rows that begin (person id, entry id); each row
    kept in ``rows`` by entry id."""
    out: dict[int, set[int]] = {}
    for row in found:
        pid, eid = row[0], row[1]
        out.setdefault(pid, set()).add(eid)
        rows[eid] = row
    return out


def timeline(store: Store, person_id: int, as_of: date | None = None) -> list[MonthPoint]:
    """A person's whole history month by month, up to ``as_of``, with a running balance.

    Months without entries between the first one and ``as_of``'s month are
    included (with zeros), so the series can be drawn as it is.
    """
    as_of = as_of or date.today()
    return timeline_from_rows(reads.timeline_months(store, person_id, as_of.isoformat()), as_of)


def timeline_from_rows(rows: list[MonthSums], as_of: date) -> list[MonthPoint]:
    """The months from the first with entries to ``as_of``'s, gaps as zeros (a pure function)."""
    if not rows:
        return []
    found = {r.month: (r.given, r.received, r.entries) for r in rows}
    first = date.fromisoformat(rows[0].month + "-01")
    last = as_of.replace(day=1)
    out: list[MonthPoint] = []
    running = 0
    month = first
    while month <= last:
        key = month.isoformat()[:7]
        given, received, count = found.get(key, (0, 0, 0))
        running += given - received
        out.append(MonthPoint(key, given, received, running, count))
        if month.year == date.max.year and month.month == 12:
            break
        month = _month_end(month) + timedelta(days=1)
    return out


def month_entries(
    store: Store, person_id: int, first: date, last: date, limit: int | None = None
) -> list[Entry]:
    """The entries that count for a person between two days (inclusive), newest first.

    Named on them or made on their behalf; at most ``limit`` of them.
    """
    ids = reads.month_entry_ids(store, person_id, first.isoformat(), last.isoformat(), limit)
    found = store.get_entries(ids)
    found.sort(key=lambda e: (e.date, e.time or "", e.id or 0), reverse=True)
    return found
