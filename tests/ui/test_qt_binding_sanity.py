"""Guards the PySide6 pin: 6.12.0 dropped a reference to None on every void call.

On Python 3.11 that frees None after some thousands of calls and the window
dies with "none_dealloc"; pyproject.toml excludes that release.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_void_calls_do_not_leak_references_to_none() -> None:
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(5000):
        obj.setObjectName("x")
    assert abs(sys.getrefcount(None) - before) < 50
