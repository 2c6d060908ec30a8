"""Today items the user dismissed for good or snoozed until a day."""

from __future__ import annotations

from datetime import date

from ties.model import now_stamp
from ties.store.core import StoreCore
from ties.store.values import _iso


def dismissals(store: StoreCore, today: date) -> set[str]:
    """Keys of Today items the user dismissed, or snoozed past ``today``."""
    return {
        r[0]
        for r in store.conn.execute(
            "SELECT item_key FROM dismissals WHERE until IS NULL OR until > ?",
            (today.isoformat(),),
        )
    }


def dismiss(store: StoreCore, item_key: str, until: date | None = None) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO dismissals (item_key, until, created) VALUES (?, ?, ?) "
            "ON CONFLICT(item_key) DO UPDATE SET until = excluded.until",
            (item_key, _iso(until), now_stamp()),
        )


def undismiss(store: StoreCore, item_key: str) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM dismissals WHERE item_key = ?", (item_key,))
