"""``startup.py app`` for an encrypted journal, unattended: ``python startup_unlocked.py JOURNAL``.

The passphrase comes from ``$TIES_PASSPHRASE`` as if it were remembered in the
system keyring, so the window opens without showing its unlock dialog and still
derives the key as a real start does. A plain journal opens as with ``startup.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import startup
    from harness import pin_none

    pin_none()
    from ties.ui import unlock

    kept = os.environ.get("TIES_PASSPHRASE")
    unlock._keyring_get = lambda _path: kept  # type: ignore[assignment]
    sys.exit(startup.app_window(sys.argv[1], "--places" in sys.argv))
