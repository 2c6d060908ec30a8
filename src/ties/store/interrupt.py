"""Stopping a connection's SQL from another thread, for work whose answer is no longer wanted."""

from __future__ import annotations

from collections.abc import Callable

from ties.store.core import StoreCore

#: SQLite asks every this many virtual machine steps (well under a millisecond).
STEPS = 1000


def stop_when(store: StoreCore, cancelled: Callable[[], bool]) -> None:
    """From now on, a statement on ``store`` fails with "interrupted" once ``cancelled()``.

    ``cancelled`` is polled from the thread running the statement (it may read a
    flag another thread sets). A transaction cut short this way is rolled back.
    """
    store.conn.set_progress_handler(lambda: 1 if cancelled() else 0, STEPS)
