"""Dates as people type them: ``yesterday``, ``last week``, ``dec 3``, ``3/12``, ``2026-01-05``.

Quick-add (the window and ``ties log``) and the command line's date options read
dates here. Built-in rules cover what people write most and cost microseconds;
what they miss goes to ``dateparser`` (English, offline), imported only then, so
a line with an everyday date never pays for it (its import and first parse take
about 0.2 s; later parses about 1 ms).

Day and month order for ``3/12`` follow the user's locale: ``TIES_DATE_ORDER``
(``DMY`` or ``MDY``) if set, else the territory of ``LC_ALL``, ``LC_TIME`` or
``LANG`` (the first one set, as POSIX reads them), else the locale Python runs
in: month first in the United States and the few places that write dates the
same way, day first everywhere else and when nothing says.
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30}
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
#: Territories whose people write the month first (3/12 is March 12).
MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI"})

_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s(?P<year>\d{4}))?"
MONTH_DAY = re.compile(rf"{_MONTH}\s{_DAY}{_YEAR}")
DAY_MONTH = re.compile(rf"{_DAY}\s(?:of\s)?{_MONTH}{_YEAR}")
NUMERIC = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<year>\d{4}|\d{2}))?\.?")
COUNT = r"(\d{1,4}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def day_first(env: Mapping[str, str] | None = None) -> bool:
    """Whether ``3/12`` means 3 December for this user (see the module's docstring)."""
    env = os.environ if env is None else env
    order = env.get("TIES_DATE_ORDER", "").strip().upper()
    if order in ("DMY", "MDY"):
        return order == "DMY"
    name = next((env[k] for k in ("LC_ALL", "LC_TIME", "LANG") if env.get(k)), "")
    if not name:
        try:
            name = locale.getlocale(locale.LC_TIME)[0] or ""
        except ValueError:
            name = ""
    m = re.match(r"[A-Za-z]{2,3}[_-](?P<territory>[A-Za-z]{2})\b", name)
    return not (m and m.group("territory").upper() in MONTH_FIRST)


def _count(word: str) -> int:
    return NUMBER_WORDS.get(word) or int(word)


def _nearest(month: int, day: int, year: str | None, today: date, future: bool) -> date:
    """The day in ``year``, or without one the last one up to today (``future``: the next)."""
    if year:
        return date(int(year), month, day)
    found = []
    for y in range(today.year - 4, today.year + 5):  # 29 February: the nearest leap year
        try:
            found.append(date(y, month, day))
        except ValueError:
            continue
    if not found:
        raise ValueError(f"{day}/{month}")
    if future:
        return min((d for d in found if d >= today), default=found[-1])
    return max((d for d in found if d <= today), default=found[0])


def builtin(text: str, today: date, *, future: bool = False, dmy: bool = True) -> date:
    """The built-in rules: fast, exact, no imports. ValueError when they do not apply."""
    t = " ".join(text.lower().split())
    if not t:
        raise ValueError("empty date")
    if t.startswith("on "):
        t = t[3:]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        return date.fromisoformat(t)
    fixed = {"today": 0, "yesterday": -1, "tomorrow": 1}
    fixed |= {"day before yesterday": -2, "the day before yesterday": -2}
    fixed |= {"last week": -7, "last month": -30, "next week": 7, "next month": 30}
    if t in fixed:
        return today + timedelta(days=fixed[t])
    m = re.fullmatch(COUNT + r" (day|days|week|weeks|month|months) ago", t)
    if m:
        return today - timedelta(days=_count(m.group(1)) * UNITS[m.group(2)])
    m = re.fullmatch(r"in " + COUNT + r" (day|days|week|weeks|month|months)", t)
    if m:
        return today + timedelta(days=_count(m.group(1)) * UNITS[m.group(2)])
    m = re.fullmatch(r"(last |next )?(" + "|".join(WEEKDAYS) + ")", t)
    if m:
        wd = WEEKDAYS.index(m.group(2))
        if future or m.group(1) == "next ":
            ahead = (wd - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
        back = (today.weekday() - wd) % 7 or 7
        return today - timedelta(days=back)
    m = MONTH_DAY.fullmatch(t) or DAY_MONTH.fullmatch(t)
    if m:
        month = MONTHS[m.group("month")]
        return _nearest(month, int(m.group("day")), m.group("year"), today, future)
    m = NUMERIC.fullmatch(t)
    if m:
        a, b = int(m.group("a")), int(m.group("b"))
        day, month = (a, b) if dmy else (b, a)
        year = m.group("year")
        if year and len(year) == 2:
            year = str(2000 + int(year))
        return _nearest(month, day, year, today, future)
    raise ValueError(t)


#: Words that may start a date dateparser reads; anything else is not offered to it,
#: so a typo costs nothing and a name ("may") is never taken for a date.
_FALLBACK_HINT = re.compile(
    r"\d|ago|before|after|last|next|this|yesterday|today|tomorrow|week|month|year|fortnight|"
    + "|".join(WEEKDAYS)
)


def with_dateparser(text: str, today: date, *, future: bool, dmy: bool) -> date:
    """What the built-in rules miss, read by ``dateparser``; ValueError if it cannot."""
    if not _FALLBACK_HINT.search(text.lower()):
        raise ValueError(text)
    try:
        import dateparser  # imported here: about 0.1 s, paid only by unusual dates
    except ImportError:  # a build without it: the built-in rules are all there is
        raise ValueError(text) from None
    settings = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12),
        "DATE_ORDER": "DMY" if dmy else "MDY",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_TIME_AS_PERIOD": False,
    }
    try:
        found = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError, ArithmeticError):  # "10**30 days ago" and the like
        raise ValueError(text) from None
    if found is None:
        raise ValueError(text)
    return found.date()


def read_date(text: str, today: date, *, future: bool = False, dmy: bool | None = None) -> date:
    """A date in words: the built-in rules, then ``dateparser``. ValueError if neither reads it.

    Past-facing words (``yesterday``, ``3 days ago``, ``monday``, ``dec 3``) are for
    entry dates; with ``future=True`` (follow-ups) weekday names, ``dec 3`` and
    ``3/12`` point forward.
    """
    order = day_first() if dmy is None else dmy
    try:
        return builtin(text, today, future=future, dmy=order)
    except ValueError:
        if re.fullmatch(r"\s*(on\s+)?\d{4}-\d{2}-\d{2}\s*", text.lower()):
            raise  # an impossible ISO date stays an error, not a guess
        return with_dateparser(text, today, future=future, dmy=order)
