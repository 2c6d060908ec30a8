"""Python's cyclic garbage collector paused while an analysis builds many objects.

The Today list and the map make some 100,000 objects for a large journal (a row,
a balance, a node or an item per person) and no reference cycles. Left on, the
collector walks the young objects again and again while they are made (15–20 %
of the time, measured); reference counting still frees every one of them.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the collector for the block, and switch it back on (if it was on).

    Only the switch: moving what the block kept out of the young generation on the
    way out (``gc.freeze()`` then ``gc.unfreeze()``, ~10 ms less for the Today list)
    was tried and dropped, as those two do not wait for a collection another thread
    has under way (the map's data is read on a worker): the test suite crashed in one.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
