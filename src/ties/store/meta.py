"""The journal's own key/value table: its name, flags, and settings stored as JSON."""

from __future__ import annotations

import json
from typing import Any

from ties.store import settings
from ties.store.core import StoreCore


def get_meta(store: StoreCore, key: str, default: str | None = None) -> str | None:
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(store: StoreCore, key: str, value: str | None) -> None:
    with store.transaction() as conn:
        if value is None:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))
        else:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def meta_keys(store: StoreCore, prefix: str = "") -> list[str]:
    """Keys in the meta table that start with ``prefix`` (exports list the settings)."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT key FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key",
            (len(prefix), prefix),
        )
    ]


def get_setting(store: StoreCore, key: str, default: Any = settings.REGISTRY_DEFAULT) -> Any:
    """A JSON value kept in the journal (cadences, rotation, …; ``ties.store.settings``).

    Without ``default``, a setting the journal does not hold is the one
    declared in :mod:`ties.store.settings`; ``default=None`` tells "not set".
    """
    raw = get_meta(store, f"setting:{key}")
    if raw is not None:
        return json.loads(raw)
    return settings.default(key) if default is settings.REGISTRY_DEFAULT else default


def set_setting(store: StoreCore, key: str, value: Any) -> None:
    set_meta(store, f"setting:{key}", None if value is None else json.dumps(value))
