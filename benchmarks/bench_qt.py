"""Benchmarks of the window: cold start, memory, the journal list, quick-add, the map.

Runs offscreen (``QT_QPA_PLATFORM=offscreen``). Cold start and memory are
measured in child processes (``startup.py``), everything else in this process
through the real widgets, with a synchronous repaint so that a measure
includes fetching and drawing the rows the user would see.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from harness import Row, guarded, info, median, ms, runs, timed, under

from ties.store import EntryFilter, Store

HERE = Path(__file__).resolve().parent


# ------------------------------------------------------------------ child processes


def _child_env(home: Path) -> dict[str, str]:
    """The child's environment: offscreen, its own settings, and bytecode as installed.

    An installed Ties has its modules compiled to bytecode (pip does it); a
    source tree run with ``PYTHONDONTWRITEBYTECODE`` compiles every module on
    every start (~35 ms). So the child may write bytecode, under ``home``
    (``PYTHONPYCACHEPREFIX``), never into the source tree; the warm-up start
    writes it.
    """
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        TIES_HOME=str(home / "ties"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONPYCACHEPREFIX=str(home / "pycache"),
    )
    env.pop("TIES_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _start(args: list[str], env: dict[str, str], timeout: float = 180.0) -> tuple[float, int]:
    """Seconds from process start to READY, and the PEAK figure in kB (0 if none)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "startup.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    ready = None
    peak = 0
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("READY") and ready is None:
                ready = time.perf_counter() - t0 - float(line.split()[1])
            elif line.startswith("PEAK"):
                peak = int(line.split()[1])
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
    if ready is None or proc.returncode != 0:
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"startup.py {args[0]} failed ({proc.returncode}): {err[-300:]}")
    return ready, peak


def cold_start(journal: Path, repeat: int) -> list[Row]:
    import ties.ui.app  # noqa: F401  (not available → reported)

    area = "cold start"
    with tempfile.TemporaryDirectory(prefix="ties-bench-home-") as tmp:
        env = _child_env(Path(tmp))
        _start(["bare"], env)  # warm the OS file cache and write the bytecode, for both
        _start(["app", str(journal)], env)
        bare, app = [], []
        for _ in range(repeat):  # interleaved, so load on the machine hits both alike
            bare.append(_start(["bare"], env)[0])
            app.append(_start(["app", str(journal)], env)[0])
    b, a = median(bare), median(app)
    ratio = a / b
    return [
        info(area, "bare PySide6 window with one label", b),
        Row(
            area,
            "Ties main window on this journal, shown and idle",
            ms(a),
            "≤ 2× bare",
            ratio <= 2,
            f"{ratio:.2f}×",
        ),
    ]


def memory(journal: Path) -> list[Row]:
    import ties.ui.app  # noqa: F401

    area = "memory"
    with tempfile.TemporaryDirectory(prefix="ties-bench-home-") as tmp:
        env = _child_env(Path(tmp))
        _, bare = _start(["bare", "--places"], env)
        _, app = _start(["app", str(journal), "--places"], env)
    extra = (app - bare) / 1024
    return [
        Row(area, "peak RSS, bare window", f"{bare / 1024:.0f} MB"),
        Row(
            area,
            "peak RSS after showing every place once",
            f"{app / 1024:.0f} MB",
            "≤ bare + 150 MB",
            extra <= 150,
            f"bare + {extra:.0f} MB",
        ),
    ]


# ------------------------------------------------------------------- in process


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0]])


def _flush(app) -> None:
    app.processEvents()
    app.processEvents()


def journal_place(store: Store, repeat: int) -> list[Row]:
    """Open, scroll to the end, sort by person, filter by support type: through the widget."""
    from PySide6.QtCore import Qt

    from ties.ui.changes import Changes
    from ties.ui.context import AppContext
    from ties.ui.models.entries import COL_PEOPLE
    from ties.ui.places.journal import JournalPlace

    app = _app()
    area = "journal list (window)"
    ctx = AppContext(store)
    place = JournalPlace(ctx)
    place.resize(1100, 800)
    place.show()
    _flush(app)
    table, model = place.table, place.model

    def paint() -> None:
        _flush(app)
        table.viewport().repaint()

    def open_list() -> None:
        ctx.changed.emit(Changes(entries=True))  # what every edit does: forget and re-read
        table.scrollToTop()
        paint()

    def to_end() -> None:
        table.scrollToBottom()
        paint()

    def to_top() -> None:
        table.scrollToTop()
        paint()

    def first_open() -> None:
        """A new connection (nothing counted yet) builds the place and shows the list."""
        fresh = Store.open(store.path, check=False)
        try:
            other = JournalPlace(AppContext(fresh))
            other.resize(1100, 800)
            other.show()
            _flush(app)
            other.table.viewport().repaint()
            other.close()
            other.deleteLater()
            _flush(app)
        finally:
            fresh.close()

    rows: list[Row] = []
    rows.append(
        under(
            area,
            "first open: build the place, count, first screen",
            median(runs(first_open, repeat)),
            100,
            "a new connection, so the entries are counted",
        )
    )
    rows.append(
        under(
            area,
            "open again after an edit (refresh + first screen)",
            median(runs(open_list, repeat)),
            100,
            "the store keeps the total up to date",
        )
    )
    ends = []
    for _ in range(repeat):
        open_list()
        ends.append(timed(to_end)[0])
    rows.append(under(area, "scroll to the end", median(ends), 100))

    def sort_person() -> None:
        model.sort(COL_PEOPLE, Qt.SortOrder.AscendingOrder)
        to_top()

    def sort_date() -> None:
        model.sort(0, Qt.SortOrder.DescendingOrder)
        paint()

    took = []
    for _ in range(repeat):
        sort_date()
        took.append(timed(sort_person)[0])
    rows.append(under(area, "sort by person", median(took), 100))
    took = []
    for _ in range(repeat):
        took.append(timed(to_end)[0])
        to_top()
    rows.append(under(area, "sort by person, scroll to the end", median(took), 100))
    sort_date()

    from bench_store import common_support_type

    key = common_support_type(store)

    def set_filter(f: EntryFilter) -> None:
        place.filters.changed.emit(f)  # what the filter bar sends when a field changes
        paint()

    took = []
    for _ in range(repeat):
        set_filter(EntryFilter())
        took.append(timed(lambda: set_filter(EntryFilter(support_type=key)))[0])
    rows.append(under(area, f"filter by support type ('{key}')", median(took), 100))
    set_filter(EntryFilter(support_type=key))
    took = []
    for _ in range(repeat):
        took.append(timed(to_end)[0])
        to_top()
    rows.append(under(area, "filtered by support type, scroll to the end", median(took), 100))
    set_filter(EntryFilter())
    rows += _quick_add_shown(app, ctx, place, paint, repeat)
    place.close()
    place.deleteLater()
    _flush(app)
    return rows


def _quick_add_shown(app, ctx, place, paint, repeat: int) -> list[Row]:
    """Enter in the quick-add box until the list shows the new entry (then undo)."""
    from ties.ui.models.entries import ENTRY_ID_ROLE

    text = 'received meeting #encouragement from @"Ana Ruiz" today: benchmark entry'
    took = []
    for _ in range(repeat):
        place.table.scrollToTop()
        paint()
        saved: list[int] = []
        place.quick_add.saved.connect(saved.append)
        t0 = time.perf_counter()
        place.quick_add.line.setText(text)
        place.quick_add.commit()
        shown = False
        while time.perf_counter() - t0 < 5:
            paint()
            top = place.model.index(0, 0)
            if saved and place.model.data(top, ENTRY_ID_ROLE) == saved[-1]:
                shown = True
                break
        took.append(time.perf_counter() - t0)
        place.quick_add.saved.disconnect(saved.append)
        if saved:
            ctx.undo_stack.undo()  # takes the entry out again, through the window's own path
            _flush(app)
        if not shown:
            raise RuntimeError("the journal list never showed the quick-added entry")
    return [
        info(
            "quick-add",
            "Enter until the journal list shows the entry",
            median(took),
            "commit, list refresh, repaint",
        )
    ]


MAP_CHILD = """
import json, os, sys
from datetime import date
sys.path.insert(0, sys.argv[3])
from harness import pin_none
pin_none()
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from ties.store import Store
from ties.ui.map_measure import measure
with Store.open(sys.argv[1], check=False) as store:
    print(json.dumps(measure(store, date.fromisoformat(sys.argv[2]))))
"""


#: Child processes the map's figures are measured in (the middle one by total is kept).
MAP_RUNS = 3


def _map_child(journal: Path, as_of: date, env: dict[str, str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", MAP_CHILD, str(journal), as_of.isoformat(), str(HERE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"map measure failed ({proc.returncode}): {proc.stderr[-300:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _map_figures(journal: Path, as_of: date, runs: int = MAP_RUNS) -> dict:
    """``ties.ui.map_measure.measure`` in child processes (a crash there stays there): the
    first map of a fresh process, each time. The modules' bytecode is written by a
    warm-up run first, as an installed Ties has it (see :func:`_child_env`): otherwise the
    first map would include compiling the modules it imports. Of ``runs`` runs, the one
    with the middle total (data, layout and first paint) is kept."""
    with tempfile.TemporaryDirectory(prefix="ties-bench-home-") as tmp:
        env = _child_env(Path(tmp))
        _map_child(journal, as_of, env)  # warm-up: bytecode, the OS file cache
        found = [_map_child(journal, as_of, env) for _ in range(max(1, runs))]
    found.sort(key=lambda f: f["data_ms"] + f["layout_and_first_paint_ms"])
    return found[len(found) // 2]


def map_view(
    journal: Path, as_of: date, small: Path | None, small_as_of: date, runs: int = MAP_RUNS
) -> list[Row]:
    import ties.ui.map_measure  # noqa: F401  (not available → reported)

    area = "map"
    big = _map_figures(journal, as_of, runs)
    took = (big["data_ms"] + big["layout_and_first_paint_ms"]) / 1000
    rows = [
        under(
            area,
            f"data + layout + first paint, {int(big['people']):,} people",
            took,
            500,
            f"data {big['data_ms']:.0f} ms (off the GUI thread in the window), layout "
            f"{big['layout_ms']:.0f} ms, paint {big['first_paint_ms']:.0f} ms",
        ),
        under(
            area,
            "layout + first paint (GUI thread part)",
            big["layout_and_first_paint_ms"] / 1000,
            500,
        ),
    ]
    if small is not None:
        fig = _map_figures(small, small_as_of, runs)
        typical = max(fig["pan_step_median_ms"], fig["zoom_step_median_ms"])
        worst = max(fig["pan_step_max_ms"], fig["zoom_step_max_ms"])
        n = int(fig["people"])
        rows.append(
            under(
                area,
                f"pan or zoom step repaint, {n} people (median of 20 each)",
                typical / 1000,
                16,
                f"median pan {fig['pan_step_median_ms']:.1f} ms, zoom "
                f"{fig['zoom_step_median_ms']:.1f} ms; slowest step {worst:.1f} ms; sharp "
                f"redraw after zoom {fig['sharp_redraw_after_zoom_ms']:.1f} ms",
            )
        )
        fig = big
        rows.append(
            info(
                area,
                f"pan / zoom step, {int(fig['people']):,} people (median)",
                max(fig["pan_step_median_ms"], fig["zoom_step_median_ms"]) / 1000,
                f"slowest {max(fig['pan_step_max_ms'], fig['zoom_step_max_ms']):.1f} ms; "
                f"sharp redraw after zoom {fig['sharp_redraw_after_zoom_ms']:.1f} ms",
            )
        )
    return rows


def all_rows(
    store: Store, journal: Path, repeat: int, as_of: date, small: Path, small_as_of: date
) -> Iterator[list[Row]]:
    yield guarded("cold start", "ties.ui.app.run", lambda: cold_start(journal, repeat))
    yield guarded("memory", "ties.ui.app.run", lambda: memory(journal))
    yield guarded(
        "map",
        "ties.ui.map_measure",
        lambda: map_view(journal, as_of, small, small_as_of, min(MAP_RUNS, repeat)),
    )
    yield guarded("journal list (window)", "JournalPlace", lambda: journal_place(store, repeat))
