"""The one order of people's names that every list and report uses."""

from __future__ import annotations

from ties.store.search import fold


def name_key(name: str) -> str:
    """Sort key for names: case- and accent-insensitive ("Émile" sorts with "Emil")."""
    return name.casefold() if name.isascii() else fold(name)
