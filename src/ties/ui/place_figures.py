"""One way for a place to ask for slow figures: worked out off the GUI thread, shown when fresh.

In the manner of Anki's ``QueryOp`` (``qt/aqt/operations/__init__.py``): a
place says how to work its figures out and what to do with them, and this
object owns the life cycle every analytic place needs, so none writes it again:

- **stale while hidden**: a change of the journal while the place is hidden
  only marks it stale; showing it then computes once — after the window's
  first paint when the place comes with a window not yet painted (a worker
  busy with Python would hold the GIL the first paint needs);
- **debounce**: requests closer together than :meth:`PlaceFigures.debounced`
  make one job (a burst of changes, a spin box held down);
- **latest only**: an answer overtaken by a newer request is dropped
  (:class:`~ties.ui.jobs.LatestOnly`);
- **another journal**: an answer about the previous journal never arrives;
- **one failure policy**: a :class:`~ties.store.JournalError` is shown in the
  place as its message; anything else is a bug, logged (type and code
  location, through :mod:`ties.logs`) with a plain message in the place.

Example::

    self.figures = (
        PlaceFigures(self, ctx, self._work, what="Coverage", show_message=self.status.setText)
        .success(self._show)
        .with_progress(self._busy)
        .debounced(250)
    )

``work`` runs on the GUI thread when a job starts: it reads the place's
selectors and returns the function the worker runs over its own read
connection, so the worker never touches a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from ties.logs import log_unexpected
from ties.store import JournalError, Store
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.deferred import after_first_paint
from ties.ui.jobs import Job, LatestOnly

#: What a worker runs: the figures from a read connection (``job`` says whether to stop).
Compute = Callable[[Store, Job], Any]


def _any_change(_changes: Changes) -> bool:
    return True


class PlaceFigures(QObject):
    """A place's slow figures and their life cycle (see the module's docstring).

    Attributes:
        stale: the figures on screen may be out of date; showing the place recomputes.
    """

    def __init__(
        self,
        place: QWidget,
        ctx: AppContext,
        work: Callable[[], Compute],
        *,
        what: str,
        show_message: Callable[[str], None],
    ) -> None:
        super().__init__(place)
        self.place = place
        self.ctx = ctx
        self.stale = True
        self._work = work
        self._what = what
        self._show_message = show_message
        self._on_success: Callable[[Any], None] = lambda _result: None
        self._on_busy: Callable[[bool], None] = lambda _busy: None
        self._needs: Callable[[Changes], bool] = _any_change
        self._jobs = LatestOnly(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(0)
        self._debounced = False
        self._after_paint = False
        self._jobs.ready.connect(lambda result: self._on_success(result))
        self._jobs.failed.connect(self._failed)
        self._jobs.busy.connect(lambda busy: self._on_busy(busy))
        self._debounce.timeout.connect(self._debounce_over)
        ctx.changed.connect(self._journal_changed)
        ctx.journal_opened.connect(self._journal_opened)
        place.installEventFilter(self)

    # ------------------------------------------------------------ the builder

    def success(self, fn: Callable[[Any], None]) -> PlaceFigures:
        """Call ``fn(result)`` on the GUI thread with each fresh answer."""
        self._on_success = fn
        return self

    def with_progress(self, fn: Callable[[bool], None]) -> PlaceFigures:
        """Call ``fn(True)`` when a job starts and ``fn(False)`` when the newest one ends."""
        self._on_busy = fn
        return self

    def debounced(self, msecs: int) -> PlaceFigures:
        """Gather requests for ``msecs`` before starting one job."""
        self._debounce.setInterval(msecs)
        self._debounced = msecs > 0
        return self

    def when(self, needs: Callable[[Changes], bool]) -> PlaceFigures:
        """Which journal changes make the figures out of date (every one unless told)."""
        self._needs = needs
        return self

    # --------------------------------------------------------------- requests

    @property
    def running(self) -> bool:
        """A job whose answer would still be shown is on its way."""
        return self._jobs.running

    def request(self) -> None:
        """The figures are out of date: recompute if the place shows, else when it is shown."""
        if not self.place.isVisible():
            self.stale = True
        elif self._debounced:
            self._debounce.start()
        else:
            self.refresh()

    def refresh(self) -> None:
        """Recompute now, whether or not the place shows (a Refresh button, a test)."""
        self.stale = False
        self._debounce.stop()
        store = self.ctx.store
        self._jobs.start(store.path, self._work(), readonly=store.readonly, interruptible=True)

    def discard(self) -> None:
        """Drop the answer on its way (what it was asked about is gone)."""
        self._jobs.discard()
        self._debounce.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.place and event.type() == QEvent.Type.Show and self.stale:
            window = self.place.window()
            handle = window.windowHandle()
            if handle is not None and handle.isExposed():
                self.refresh()
            elif not self._after_paint:  # shown with its window: that window paints first
                self._after_paint = True
                after_first_paint(window, self._painted)
        return False

    def _painted(self) -> None:
        self._after_paint = False
        if self.stale and self.place.isVisible():
            self.refresh()

    def _debounce_over(self) -> None:
        if self.place.isVisible():
            self.refresh()
        else:
            self.stale = True

    def _journal_changed(self, changes: Changes) -> None:
        if self._needs(changes):
            self.request()

    def _journal_opened(self) -> None:
        """Another journal: drop every answer about the previous one.

        The ``changed(Changes.everything())`` that follows asks again if the place shows.
        """
        self.discard()
        self.stale = True

    # ---------------------------------------------------------------- failure

    def _failed(self, exc: object) -> None:
        """The one failure policy: a known journal error says itself; a bug is logged.

        Unlike Anki's ``QueryOp.failure``, a place cannot bring its own: three
        policies (re-raise, log, report) is what this replaced.
        """
        if isinstance(exc, JournalError):
            self._show_message(str(exc))
            return
        if isinstance(exc, BaseException):  # (what a job reports always is)
            with suppress(OSError):  # no log folder: the message still says what happened
                log_unexpected(exc)
        self._show_message(
            QCoreApplication.translate(
                "PlaceFigures", "{what} could not be worked out (details were logged)."
            ).format(what=self._what)
        )
