"""Conversions every part of the store shares: dates to and from ISO text, and the
length limit of free text (checked before a write, never truncated)."""

from __future__ import annotations

from datetime import date

from ties.store.errors import ValidationError

MAX_TEXT = 100_000  # characters in one free-text field; longer is refused, not truncated


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _check_text(value: str, field_name: str) -> str:
    if len(value) > MAX_TEXT:
        raise ValidationError(
            f"{field_name.replace('_', ' ').capitalize()} is too long "
            f"({len(value):,} characters; at most {MAX_TEXT:,}).",
            field_name,
        )
    return value
