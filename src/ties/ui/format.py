"""How the window writes dates, people and support types, in one place so every view agrees."""

from __future__ import annotations

from datetime import date

from ties.analysis.render import ago_words
from ties.model import CLOSENESS_LABELS, WEIGHT_WORDS


def day(value: date | None, today: date | None = None) -> str:
    """A short, readable date: "Mon 3 Mar 2026"; today and yesterday by name."""
    if value is None:
        return ""
    if today is not None:
        if value == today:
            return "Today"
        delta = (today - value).days
        if delta == 1:
            return "Yesterday"
    return f"{value:%a} {value.day} {value:%b %Y}"


def long_day(value: date | None) -> str:
    if value is None:
        return "—"
    return f"{value:%A} {value.day} {value:%B %Y}"


def ago(value: date | None, today: date) -> str:
    """ "3 days ago", "5 months ago", "never": the words of ``ago_words`` for a date."""
    return ago_words(None if value is None else (today - value).days)


def closeness(value: int) -> str:
    return f"{value} · {CLOSENESS_LABELS.get(value, '?')}"


def weight(value: int) -> str:
    return WEIGHT_WORDS.get(value, str(value))


def direction(value: str) -> str:
    """Arrows read faster than words in a long list."""
    return {
        "gave": "→ gave",
        "received": "← received",
        "mutual": "⇄ mutual",
        "contact": "· contact",
    }.get(value, value)


def type_labels(keys: list[str], labels: dict[str, str]) -> str:
    return ", ".join(labels.get(k, k) for k in keys)
