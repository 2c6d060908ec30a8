"""Start-up work that waits for the window: after its first paint, imports on a worker.

A cold start is measured to the window shown and the GUI thread idle
(docs/performance.md). What the first screen does not need — the tray, the
answer to later starts, their imports — is done once the window has painted,
and what it imports is imported on a worker thread first, so the GUI thread
spends only the few milliseconds that building widgets takes. Nothing is
skipped: it only comes later.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    """Watches one window for its first paint, then runs ``then`` from the event loop."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # a Qt override
        if self._then is not None and event.type() == QEvent.Type.Paint:
            then, self._then = self._then, None
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, then)  # after this paint reached the screen
        return False


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """Run ``then`` once ``window`` has been painted the first time (at once if it was)."""
    if window.isVisible() and window.windowHandle() is not None:
        handle = window.windowHandle()
        if handle.isExposed():
            QTimer.singleShot(0, then)
            return
    _FirstPaint(window, then)


class _Imported(QObject):
    """Carries "imported" from the worker thread to the GUI thread (a queued signal)."""

    done = Signal()

    def __init__(self, then: Callable[[], None]) -> None:
        super().__init__()
        self._then = then
        self.done.connect(self._run)

    @Slot()
    def _run(self) -> None:
        _PENDING.discard(self)
        self._then()


#: Receivers waiting for their worker, kept alive here until it reports.
_PENDING: set[_Imported] = set()


def import_then(modules: Sequence[str], then: Callable[[], None]) -> None:
    """Import ``modules`` on a worker thread, then run ``then`` on the GUI thread.

    A module that fails to import is left for ``then`` to import again, where the
    error is met as usual.
    """
    receiver = _Imported(then)
    _PENDING.add(receiver)

    def work() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # met again, and reported, on the GUI thread
                continue
        receiver.done.emit()

    QThreadPool.globalInstance().start(work)
