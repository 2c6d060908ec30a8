"""``ties quick`` without a running Ties: the quick-add window alone, over a locked journal.

Kept apart from :mod:`ties.ui.quick_window` because it starts the application
(:func:`ties.ui.app.make_app`), which the tray that shows the quick window is part of.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ties.ui.quick_window import QuickWindow


def run_quick(journal: Path) -> int:
    """``ties quick``: hand over to the Ties that has ``journal`` open, else open the window alone.

    Alone, the quick-add window locks the journal as the main window does,
    and Ties exits when it closes.
    """
    from ties.ui.instance import hand_over

    journal = journal.expanduser()
    if hand_over(journal.resolve(), "quick"):
        return 0
    from ties.app.journal import open_journal
    from ties.store import JournalError
    from ties.ui import jobs
    from ties.ui import lock as journal_lock
    from ties.ui.app import make_app
    from ties.ui.context import AppContext

    app = make_app()
    try:
        lock = journal_lock.acquire(journal.resolve() if journal.exists() else journal)
    except journal_lock.JournalLockedError as exc:  # open elsewhere, but not answering
        print(f"ties: error: {exc}", file=sys.stderr)
        return 1
    try:
        store = open_journal(journal, check=False)
    except JournalError as exc:
        lock.unlock()
        print(f"ties: error: {exc}", file=sys.stderr)
        return 1
    ctx = AppContext(store)
    window = QuickWindow(ctx)
    window.closed.connect(app.quit)
    window.present()
    code = app.exec()
    jobs.wait_for_all()
    store.close()
    lock.unlock()
    return code
