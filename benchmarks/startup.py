"""Child process for cold start and memory: ``python startup.py bare|app [JOURNAL] [--places]``.

The parent starts this script and stops its clock at the moment the line
``READY <s>`` names (it arrives ``s`` seconds after it): the main window has been
painted and the GUI thread's event loop went to sleep with nothing left to do
(see :class:`_Watch`). Work a start puts behind ``QTimer.singleShot(0)`` is
therefore counted; work put behind a longer timer or on a worker is not, so the
child then watches the GUI thread for :data:`WATCH_S` and prints ``BUSY <ms>``,
the longest stretch of GUI-thread work in it: what input given right after READY
could wait for at worst. Then it closes the window and prints ``CLOSED``; the
parent times the rest, to the process gone.

With ``--places`` the child then shows every place once, waits for the
background jobs to finish, and prints ``PEAK <kB>``, its peak resident memory.

``bare`` is the yardstick: a PySide6 window that shows one label.
"""

from __future__ import annotations

import resource
import sys
import time

#: A pass of the event loop in which the GUI thread slept this long began idle (seconds).
QUIET_S = 0.015
#: How long the GUI thread is watched after READY (seconds).
WATCH_S = 0.5


def _peak_kb() -> int:
    """This process's peak resident memory (kB).

    Linux's ``ru_maxrss`` keeps the peak of the image before ``exec``, so a window
    started by a benchmark process that had grown to 700 MB reported 700 MB. The
    memory map's own high-water mark (``VmHWM``) starts again at ``exec``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _settle(app, seconds: float) -> None:
    """Handle events until background jobs are done (or ``seconds`` pass)."""
    from PySide6.QtCore import QThreadPool

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if QThreadPool.globalInstance().activeThreadCount() == 0:
            app.processEvents()
            if QThreadPool.globalInstance().activeThreadCount() == 0:
                return
        time.sleep(0.01)


class _Watch:
    """READY: the window painted and the GUI thread asleep with nothing to do; then BUSY.

    Qt's event dispatcher signals ``aboutToBlock`` before each pass of the event
    loop and ``awake`` after it (GLib's dispatcher does so on every pass, whether
    or not it then sleeps). A pass sleeps, if it does, before it handles what
    woke it, so a pass in which the GUI thread slept at least :data:`QUIET_S`
    (its wall time less its CPU time) began with nothing to do: no posted event,
    queued call, due timer or window-system event. READY is the start of the
    first such pass that began with the window exposed (Qt paints a widget
    window when it handles the expose), reported as ``READY <s> <cpu>``: the
    seconds since that start, which the parent takes off its clock, and the
    process's CPU seconds so far (all threads; load moves it less).

    BUSY is the most CPU time the GUI thread then spent between two such signals
    in the :data:`WATCH_S` after READY: what input given right after READY could
    wait for at worst, so that work deferred behind a timer is seen too.
    """

    def __init__(self, find_window, then) -> None:
        from PySide6.QtCore import QAbstractEventDispatcher

        self.find_window = find_window
        self.then = then
        self.ready_at: float | None = None
        self.mark = (time.perf_counter(), time.thread_time())
        self.pass_start: tuple[float, float] | None = None
        self.longest = 0.0
        self.waking = False
        self.timer = None
        self.dispatcher = QAbstractEventDispatcher.instance()
        self.dispatcher.aboutToBlock.connect(self._about_to_block)
        self.dispatcher.awake.connect(self._awake)

    def _lap(self) -> tuple[float, float]:
        """Wall and GUI-thread CPU seconds since the last signal."""
        now = (time.perf_counter(), time.thread_time())
        wall, cpu = now[0] - self.mark[0], now[1] - self.mark[1]
        self.mark = now
        if self.ready_at is not None:
            self.longest = max(self.longest, cpu)
        return wall, cpu

    def _about_to_block(self) -> None:
        self._lap()
        self.pass_start = self.mark if self.ready_at is not None or self._painted() else None
        if self.ready_at is not None:
            self._maybe_end()
        elif not self.waking:  # nothing may come to end a quiet pass: a timer does
            self.waking = True
            self._wake_in(2 * QUIET_S)

    def _awake(self) -> None:
        start = self.pass_start
        wall, cpu = self._lap()
        if self.ready_at is None and start is not None and wall - cpu >= QUIET_S:
            self.ready_at = start[0]
            late = time.perf_counter() - start[0]
            print(f"READY {late:.4f} {time.process_time():.4f}", flush=True)
            self.longest = 0.0
            self._wake_in(WATCH_S)
        elif self.ready_at is not None:
            self._maybe_end()

    def _painted(self) -> bool:
        window = self.find_window()
        handle = window.windowHandle() if window is not None else None
        return handle is not None and window.isVisible() and handle.isExposed()

    def _maybe_end(self) -> None:
        assert self.ready_at is not None
        if self.then is None:
            return
        waited = time.perf_counter() - self.ready_at
        if waited < WATCH_S:
            if self.timer is not None and not self.timer.isActive():
                self._wake_in(WATCH_S - waited)  # woken early: the watch must still end
            return
        then, self.then = self.then, None
        self.dispatcher.aboutToBlock.disconnect(self._about_to_block)
        self.dispatcher.awake.disconnect(self._awake)
        print(f"BUSY {self.longest * 1000:.1f}", flush=True)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, then)

    def _wake_in(self, seconds: float) -> None:
        """Wake the loop then, so that a quiet pass or the watch ends even if nothing else
        happens."""
        from PySide6.QtCore import Qt, QTimer

        if self.timer is None:
            self.timer = QTimer()
            self.timer.setSingleShot(True)
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.timeout.connect(self._woken)
        self.timer.start(max(1, int(seconds * 1000) + 1))

    def _woken(self) -> None:
        self.waking = False


def bare(places: bool) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    label = QLabel("Ties")
    label.resize(400, 300)
    label.show()

    def done() -> None:
        if places:
            _settle(app, 1.0)
            print("PEAK", _peak_kb(), flush=True)
        label.close()
        print("CLOSED", flush=True)
        app.quit()

    watch = _Watch(lambda: label, done)  # noqa: F841 (kept alive until exec returns)
    return app.exec()


def app_window(journal: str, places: bool) -> int:
    import ties.ui.app as gui

    real_make_app = gui.make_app
    state: dict = {}

    def main_window():
        return next((w for w in state["app"].topLevelWidgets() if hasattr(w, "show_place")), None)

    def make_app():
        qapp = real_make_app()
        state["app"] = qapp
        state["watch"] = _Watch(main_window, done)
        return qapp

    def done() -> None:
        qapp, window = state["app"], main_window()
        if places:
            from ties.ui.main_window import PLACES

            for name in PLACES:
                window.show_place(name)
                _settle(qapp, 60.0)
            print("PEAK", _peak_kb(), flush=True)
        window.close()
        print("CLOSED", flush=True)  # the parent times the rest: from here to the process gone
        qapp.quit()

    gui.make_app = make_app
    return gui.run(["--db", journal])


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from harness import pin_none

    pin_none()  # see harness.pin_none: PySide6 6.12 on Python 3.11 would abort the child
    mode = sys.argv[1]
    with_places = "--places" in sys.argv
    if mode == "bare":
        sys.exit(bare(with_places))
    sys.exit(app_window(sys.argv[2], with_places))
