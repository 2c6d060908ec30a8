"""Give and take with each person: balances over a window, a monthly timeline, and flags.

Everything is computed with a few set-based queries (one GROUP BY over the
window for everybody), so the relationship map, the Today list, the person page
and ``ties report balance`` all share one computation and stay fast on large
journals. The raw SQL is exposed as module constants so the benchmark can time
it on its own.

Rules (see docs/reciprocity.md):

* an entry counts, with its weight, for every person it names: ``gave`` to
  given, ``received`` to received, ``mutual`` to both, ``contact`` to neither;
* an entry made "on behalf of" someone also counts as ``gave`` to that someone
  (once: not again when that person is also named on the entry);
* the window is ``as_of - window_days < date <= as_of``; nothing after
  ``as_of`` counts anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ties.analysis.names import name_key
from ties.analysis.window import window_start
from ties.model import CLOSENESS_LABELS, DEFAULT_CADENCE_DAYS, Entry
from ties.store import Store
from ties.store.window_totals import window_totals

#: The thresholds of the one-sidedness flags.
ONE_SIDED_RATIO = 3
ONE_SIDED_MINIMUM = 6
#: A ``received`` entry younger than this (and not thanked) is "unthanked".
THANKS_DAYS = 30

FLAG_ORDER = ("follow_up_due", "unthanked", "dormant", "over_giving", "over_taking")

_SUMS = """
       sum(CASE WHEN direction IN ('gave', 'mutual') THEN weight ELSE 0 END),
       sum(CASE WHEN direction IN ('received', 'mutual') THEN weight ELSE 0 END),
       sum(CASE WHEN direction = 'mutual' THEN weight ELSE 0 END),
       count(*),
       sum(weight)"""

#: Weight given (``gave`` only), received (``received`` only) and mutual, entry
#: count and weight per person named on the window's entries (the sums are
#: NULL when there is none; given and received add mutual in Python: three
#: plain filtered sums cost less per row than CASE expressions, and this reads
#: some 400,000 rows on a large journal). Parameters: ``start`` (exclusive) and
#: ``as_of`` (inclusive), ISO dates. ``entry_people`` carries each entry's date,
#: direction and weight (schema v2), so this reads the ``entry_people_give_take``
#: index in person order and touches no entry row.
WINDOW_SQL = """
SELECT person_id,
       sum(weight) FILTER (WHERE direction = 'gave'),
       sum(weight) FILTER (WHERE direction = 'received'),
       sum(weight) FILTER (WHERE direction = 'mutual'),
       count(*),
       sum(weight)
FROM entry_people INDEXED BY entry_people_give_take
WHERE date > :start AND date <= :as_of
GROUP BY person_id
"""

#: Entries made on someone's behalf in the window (they count as ``gave`` to
#: that someone, unless the entry also names them), from the small
#: ``entries_behalf_window`` index.
BEHALF_WINDOW_SQL = """
SELECT e.on_behalf_of, sum(e.weight), count(*)
FROM entries e INDEXED BY entries_behalf_window
WHERE e.on_behalf_of IS NOT NULL AND e.date > :start AND e.date <= :as_of
  AND NOT EXISTS (SELECT 1 FROM entry_people x
                  WHERE x.entry_id = e.id AND x.person_id = e.on_behalf_of)
GROUP BY e.on_behalf_of
"""

#: :data:`WINDOW_SQL` for a few chosen people (``{ids}`` is a list of ``?``).
WINDOW_FOR_PEOPLE_SQL = f"""
SELECT person_id,{_SUMS}
FROM entry_people INDEXED BY entry_people_give_take
WHERE person_id IN ({{ids}}) AND date > ? AND date <= ?
GROUP BY person_id
"""

#: :data:`BEHALF_WINDOW_SQL` for a few chosen people.
BEHALF_FOR_PEOPLE_SQL = """
SELECT e.on_behalf_of, sum(e.weight), count(*)
FROM entries e INDEXED BY entries_behalf_window
WHERE e.on_behalf_of IN ({ids}) AND e.date > ? AND e.date <= ?
  AND NOT EXISTS (SELECT 1 FROM entry_people x
                  WHERE x.entry_id = e.id AND x.person_id = e.on_behalf_of)
GROUP BY e.on_behalf_of
"""

#: Everybody's profile figures, with the last contact on or before ``as_of``
#: (``people.last_contact`` is kept up to date by the store; only people
#: contacted after ``as_of`` need the index lookup).
PEOPLE_SQL = """
SELECT p.id, p.name, p.uuid, p.closeness, p.mutuality, p.cadence_days, p.archived, p.created,
       CASE WHEN p.last_contact IS NULL OR p.last_contact <= :as_of THEN p.last_contact
            ELSE (SELECT max(ep.date) FROM entry_people ep
                  WHERE ep.person_id = p.id AND ep.date <= :as_of) END
FROM people p
"""

#: Follow-ups due on ``as_of``: a date on or before it, not done, any age. The
#: entry's fields after its id are what the Today list shows.
FOLLOW_UPS_DUE_SQL = """
SELECT ep.person_id, e.id, e.uuid, e.date, e.follow_up, substr(e.note, 1, 200), e.people_label
FROM entries e JOIN entry_people ep ON ep.entry_id = e.id
WHERE e.follow_up IS NOT NULL AND e.follow_up_done = 0 AND e.follow_up <= :as_of
  AND e.date <= :as_of
"""

#: ``received`` entries of the last 30 days that are not thanked (found through
#: the people index, so only those entries' rows are read).
UNTHANKED_SQL = """
SELECT ep.person_id, e.id, e.uuid, e.date, e.follow_up, substr(e.note, 1, 200), e.people_label
FROM entry_people ep INDEXED BY entry_people_give_take
     CROSS JOIN entries e ON e.id = ep.entry_id
WHERE ep.direction = 'received' AND ep.date > :since AND ep.date <= :as_of
  AND e.thanked = 0
"""

#: One person's given and received per month, up to ``as_of``.
TIMELINE_SQL = """
SELECT substr(day, 1, 7) AS month,
       sum(CASE WHEN direction IN ('gave', 'mutual') THEN weight ELSE 0 END),
       sum(CASE WHEN direction IN ('received', 'mutual') THEN weight ELSE 0 END),
       count(*)
FROM (
    SELECT date AS day, direction, weight
    FROM entry_people INDEXED BY entry_people_give_take
    WHERE person_id = :pid AND date <= :as_of
    UNION ALL
    SELECT e.date, 'gave', e.weight
    FROM entries e INDEXED BY entries_behalf_window
    WHERE e.on_behalf_of = :pid AND e.date <= :as_of
      AND NOT EXISTS (SELECT 1 FROM entry_people x
                      WHERE x.entry_id = e.id AND x.person_id = e.on_behalf_of)
)
GROUP BY month
ORDER BY month
"""

#: Ids of a person's entries in a date range: named on them, or made on their behalf.
MONTH_ENTRIES_SQL = """
SELECT entry_id, date FROM entry_people
WHERE person_id = :pid AND date >= :first AND date <= :last
UNION
SELECT id, date FROM entries INDEXED BY entries_behalf_window
WHERE on_behalf_of = :pid AND date >= :first AND date <= :last
ORDER BY 2 DESC, 1 DESC
LIMIT :limit
"""


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
    custom = store.get_setting("cadence_days") or {}
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


def balances(
    store: Store,
    as_of: date | None = None,
    window_days: int = 365,
    person_ids: Iterable[int] | None = None,
) -> list[PersonBalance]:
    """Every person's (or the chosen people's) give and take in the window, sorted by name.

    Archived people are included, with their figures, but never get flags.
    """
    return balances_and_entries(store, as_of, window_days, person_ids)[0]


#: The fields of a flagged entry the Today list shows: uuid, date, follow-up, note
#: (first 200 characters) and people label, by entry id.
EntryRows = dict[int, tuple[str, str, str | None, str, str]]


def balances_and_entries(
    store: Store,
    as_of: date | None = None,
    window_days: int = 365,
    person_ids: Iterable[int] | None = None,
    *,
    by_name: bool = True,
) -> tuple[list[PersonBalance], EntryRows]:
    """:func:`balances`, plus the rows of the follow-up and unthanked entries it found.

    The Today list needs those rows; reading them in the same queries saves
    looking the entries up a second time. ``by_name=False`` leaves the list in
    person id order (sorting 10,000 names by their folded form is a good part
    of the cost, and the Today list orders its items itself).
    """
    as_of = as_of or date.today()
    start = window_start(as_of, window_days)
    conn = store.conn
    wanted: set[int] | None = None if person_ids is None else set(person_ids)
    figures: dict[int, list[int]] = {}
    window = {"start": start.isoformat(), "as_of": as_of.isoformat()}
    if wanted is None:
        # Everybody: the window's sums per person, kept up to date by the store
        # (the same ones :data:`WINDOW_SQL` adds up; see ties.store.window_totals).
        totals = window_totals(store, window["start"], window["as_of"], sides=False)
        for pid, count, weight, gave, got, mutual in totals.people:
            figures[pid] = [gave + mutual, got + mutual, mutual, count, weight]
        behalf = conn.execute(BEHALF_WINDOW_SQL, window).fetchall()
    elif wanted:
        behalf = []
        ids = sorted(wanted)
        for chunk_start in range(0, len(ids), 400):
            chunk = ids[chunk_start : chunk_start + 400]
            marks = ",".join("?" * len(chunk))
            args = [*chunk, start.isoformat(), as_of.isoformat()]
            for r in conn.execute(WINDOW_FOR_PEOPLE_SQL.format(ids=marks), args):
                figures[r[0]] = list(r[1:])
            behalf += conn.execute(BEHALF_FOR_PEOPLE_SQL.format(ids=marks), args).fetchall()
    else:
        return [], {}
    for pid, weight, count in behalf:
        row = figures.setdefault(pid, [0, 0, 0, 0, 0])
        row[0] += weight  # given
        row[3] += count
        row[4] += weight
    rows: EntryRows = {}
    since = window_start(as_of, THANKS_DAYS)
    params: dict[str, Any] = {"as_of": as_of.isoformat(), "since": since.isoformat()}
    people_sql, due_sql, thanks_sql = PEOPLE_SQL, FOLLOW_UPS_DUE_SQL, UNTHANKED_SQL
    if wanted is not None and len(wanted) <= 400:  # a person page: only their rows
        marks = ",".join(f":p{i}" for i in range(len(wanted)))
        params.update({f"p{i}": pid for i, pid in enumerate(sorted(wanted))})
        people_sql += f" WHERE p.id IN ({marks})"
        due_sql += f" AND ep.person_id IN ({marks})"
        thanks_sql += f" AND ep.person_id IN ({marks})"
    due = _ids_by_person(conn, due_sql, params, rows)
    unthanked = _ids_by_person(conn, thanks_sql, params, rows)
    cadence_by_closeness = cadences(store)
    days: dict[str, date] = {}  # many people share a last-contact day: parse each once
    out: list[PersonBalance] = []
    for pid, name, uuid, closeness, mutuality, cadence, archived, created, last in conn.execute(
        people_sql, params
    ):
        if wanted is not None and pid not in wanted:
            continue
        given, received, mutual, entries, weight = figures.get(pid, _ZERO)
        last_contact = None
        since_contact = quiet_days = None
        if last:
            last_contact = days.get(last)
            if last_contact is None:
                last_contact = days[last] = date.fromisoformat(last)
            since_contact = quiet_days = (as_of - last_contact).days
        else:
            # Never contacted: the quiet time counts from the day they were added.
            added = _created_day(created)
            quiet_days = (as_of - added).days if added is not None and added <= as_of else None
        cadence_days = cadence or cadence_by_closeness.get(closeness, 90)
        person_due = sorted(due[pid]) if pid in due else []
        person_thanks = sorted(unthanked[pid]) if pid in unthanked else []
        flags: list[str] = []
        if not archived:  # in FLAG_ORDER
            if person_due:
                flags.append("follow_up_due")
            if person_thanks:
                flags.append("unthanked")
            if is_dormant(quiet_days, cadence_days):
                flags.append("dormant")
            side = one_sided_flag(given, received)
            if side:
                flags.append(side)
        out.append(
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
    return out, rows


_ZERO = (0, 0, 0, 0, 0)


def _ids_by_person(
    conn: Any, sql: str, params: dict[str, Any], rows: EntryRows
) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for pid, eid, *fields in conn.execute(sql, params):
        out.setdefault(pid, set()).add(eid)
        rows[eid] = tuple(fields)
    return out


def timeline(store: Store, person_id: int, as_of: date | None = None) -> list[MonthPoint]:
    """A person's whole history month by month, up to ``as_of``, with a running balance.

    Months without entries between the first one and ``as_of``'s month are
    included (with zeros), so the series can be drawn as it is.
    """
    as_of = as_of or date.today()
    rows = store.conn.execute(
        TIMELINE_SQL, {"pid": person_id, "as_of": as_of.isoformat()}
    ).fetchall()
    if not rows:
        return []
    found = {r[0]: (r[1], r[2], r[3]) for r in rows}
    first = date.fromisoformat(rows[0][0] + "-01")
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
    params = {
        "pid": person_id,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "limit": -1 if limit is None else limit,
    }
    ids = [r[0] for r in store.conn.execute(MONTH_ENTRIES_SQL, params)]
    found = store.get_entries(ids)
    found.sort(key=lambda e: (e.date, e.time or "", e.id or 0), reverse=True)
    return found


# ------------------------------------------------------------------ plain words


def window_words(window_days: int) -> str:
    """``in the last year``, ``in the last 2 years``, ``in the last 90 days``."""
    if window_days % 365 == 0:
        years = window_days // 365
        return "in the last year" if years == 1 else f"in the last {years} years"
    if window_days == 1:
        return "in the last day"
    return f"in the last {window_days:,} days"


def ago_words(days: int | None) -> str:
    """How long ago, in the unit a person would use: ``yesterday``, ``5 weeks ago``.

    The one rule for this wording: the command line, Today, the person page, the
    people list and the map card all say it through here (the window via
    ``ties.ui.format.ago``), so the same person reads the same everywhere.
    """
    if days is None:
        return "never"
    if days < 0:
        return "in the future"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{round(days / 7)} weeks ago"
    if days < 730:
        return f"{round(days / 30.44)} months ago"
    return f"{round(days / 365.25)} years ago"


def _times(ratio: float) -> str:
    if ratio < 1.5:
        return "a bit more than"
    if ratio < 1.75:
        return "about one and a half times"
    if ratio < 2.5:
        return "about twice"
    if ratio < 3.5:
        return "about three times"
    return f"about {round(ratio)} times"


def balance_words(given: int, received: int, window_days: int = 365) -> str:
    """The balance as a person would say it: "You have given about twice what you received …"."""
    span = window_words(window_days)
    if given == 0 and received == 0:
        return f"Nothing given or received {span}"
    if received == 0:
        return f"You have given and received nothing {span}"
    if given == 0:
        return f"You have received and given nothing back {span}"
    ratio = given / received
    if 0.8 <= ratio <= 1.25:
        return f"Give and take are about even {span}"
    if ratio > 1:
        return f"You have given {_times(ratio)} what you received {span}"
    return f"You have received {_times(1 / ratio)} what you gave {span}"


def summary(b: PersonBalance, window_days: int = 365) -> str:
    """One line for the person page: the balance and the last contact, in plain words."""
    contact = (
        "no contact logged yet"
        if b.last_contact is None
        else f"last contact {ago_words(b.days_since_contact)}"
    )
    return f"{balance_words(b.given, b.received, window_days)}; {contact}"


def cadence_words(closeness: int, cadence_days: int) -> str:
    label = CLOSENESS_LABELS.get(closeness, str(closeness))
    every = "every day" if cadence_days == 1 else f"every {cadence_days:,} days"
    return f"{every} for {label}"
