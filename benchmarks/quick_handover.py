"""How long ``ties quick`` takes to show the quick-add window of a running Ties (target < 300 ms).

Runs a Ties (window hidden, as in the tray) in this process, starts
``ties quick`` as a user's keyboard shortcut would, and times from the start of
that process to the quick-add window being shown. Prints one line per run and
the median::

    QT_QPA_PLATFORM=offscreen PYTHONPATH=src python benchmarks/quick_handover.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="ties-bench-"))
    os.environ["TIES_HOME"] = str(home)
    from PySide6.QtCore import QCoreApplication, QEvent, QObject

    from ties.store import Store
    from ties.ui.app import make_app
    from ties.ui.context import AppContext
    from ties.ui.instance import InstanceServer
    from ties.ui.main_window import MainWindow
    from ties.ui.tray import TrayAgent

    app = make_app()
    journal = home / "journal.ties"
    store = Store.open(journal)
    window = MainWindow(AppContext(store))
    agent = TrayAgent(window, available=False)
    server = InstanceServer(journal.resolve(), agent)
    server.requested.connect(agent.handle)
    assert server.listen()
    shown: list[float] = []

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Show and obj is agent.quick_window:
                shown.append(time.perf_counter())
            return False

    watch = Watch()
    app.installEventFilter(watch)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "src"))
    times = []
    for _ in range(args.runs):
        shown.clear()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "ties", "--db", str(journal), "quick"], env=env
        )
        while not shown and time.perf_counter() - start < 10:
            QCoreApplication.processEvents()
            time.sleep(0.001)
        proc.wait(10)
        took = (shown[0] - start) * 1000 if shown else float("inf")
        times.append(took)
        print(f"ties quick → window shown: {took:.0f} ms")
        if agent.quick_window is not None:
            agent.quick_window.close()
    print(f"median {statistics.median(times):.0f} ms over {len(times)} runs (target < 300 ms)")
    server.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
