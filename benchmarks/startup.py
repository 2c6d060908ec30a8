"""Child process for cold start and memory: ``python startup.py bare|app [JOURNAL] [--places]``.

The parent starts this script and stops its clock when the line ``READY`` arrives:
the main window is shown and the event loop has gone idle (a zero timer fires
only once every pending event, the first paint included, has been handled,
and we let one more round of deferred work run). With ``--places`` the child
then shows every place once, waits for the background jobs to finish, and
prints ``PEAK <kB>``, its peak resident memory.

``bare`` is the yardstick: a PySide6 window that shows one label.
"""

from __future__ import annotations

import resource
import sys
import time


def _peak_kb() -> int:
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


def _when_idle(app, then) -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: QTimer.singleShot(0, then))


def bare(places: bool) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    label = QLabel("Ties")
    label.resize(400, 300)
    label.show()

    def ready() -> None:
        print("READY", flush=True)
        if places:
            _settle(app, 1.0)
            print("PEAK", _peak_kb(), flush=True)
        app.quit()

    _when_idle(app, ready)
    return app.exec()


def app_window(journal: str, places: bool) -> int:
    import ties.ui.app as gui

    real_make_app = gui.make_app

    def make_app():
        qapp = real_make_app()
        _when_idle(qapp, lambda: ready(qapp))
        return qapp

    def ready(qapp) -> None:
        window = next((w for w in qapp.topLevelWidgets() if hasattr(w, "show_place")), None)
        if window is None or not window.isVisible():
            _when_idle(qapp, lambda: ready(qapp))  # not shown yet: wait for the next idle
            return
        print("READY", flush=True)
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
