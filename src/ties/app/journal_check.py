"""When the window checks a journal in the background: at most daily, sooner after an unclean end.

Opening a journal runs no integrity check (it read every page: seconds on a lifetime
journal). Damage met while reading is said at once as the damaged-journal message;
this rule decides when the window also runs SQLite's quick check of the whole file,
on a worker, never delaying input or the exit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

#: The window checks each journal at most this often, unless it ended uncleanly.
CHECK_EVERY = timedelta(days=1)


def check_due(last: datetime | None, now: datetime, *, unclean: bool) -> bool:
    """Whether the window should check the journal now.

    ``last`` is when its check last ran to the end (None: never on this computer);
    ``unclean`` that the journal's last writer ended without closing it (a
    write-ahead log was left beside it), so it is checked at once. A clock set
    back (``last`` in the future) counts as due.
    """
    if unclean or last is None:
        return True
    return not (now - CHECK_EVERY < last <= now)


def check_key(path: Path) -> str:
    """The settings key under which the window keeps when ``path`` was last checked."""
    import hashlib  # ~5 ms (OpenSSL), paid only when a check is considered

    digest = hashlib.sha1(str(Path(path).expanduser().resolve()).encode()).hexdigest()[:16]
    return f"journal_checks/{digest}"
