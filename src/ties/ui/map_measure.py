"""Timings of the map for the benchmark: data, layout, first paint, one pan or zoom step.

Used by ``benchmarks/`` (and handy by hand)::

    from ties.ui.map_measure import measure
    print(measure(store, as_of=date(2026, 6, 30)))

Paints go to an offscreen image of the widget's size, the same code path as
the screen (:meth:`MapCanvas.paint`), so the figures do not depend on a display.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from ties.analysis.map_layout import MapData, layout_map, map_data
from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.store import Store
from ties.ui.map_canvas import MapCanvas


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def paint_once(canvas: MapCanvas, image: QImage) -> None:
    """One frame of the canvas at its current pan and zoom into ``image``."""
    painter = QPainter(image)
    try:
        canvas.paint(painter, QRectF(image.rect()), canvas.scale, canvas.ox, canvas.oy)
    finally:
        painter.end()


def measure_canvas(data: MapData, width: int = 1200, height: int = 900, steps: int = 20) -> dict:
    """Layout + first paint, then the slowest and median pan and zoom steps (milliseconds).

    A zoom step stretches the last sharp picture (what the screen shows while
    the wheel turns); ``sharp_redraw_after_zoom_ms`` is the redraw that follows
    when zooming pauses.
    """
    canvas = MapCanvas()
    canvas.resize(width, height)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    out: dict[str, float] = {"people": float(len(data.people))}
    start = time.perf_counter()
    layout = layout_map(data.people, [k for k, _ in data.circles])
    out["layout_ms"] = (time.perf_counter() - start) * 1000
    canvas.set_map(data, layout)
    paint_once(canvas, image)
    out["layout_and_first_paint_ms"] = (time.perf_counter() - start) * 1000
    out["first_paint_ms"] = out["layout_and_first_paint_ms"] - out["layout_ms"]
    pans, zooms = [], []
    for i in range(steps):
        canvas.pan_by(7.0 if i % 2 else -5.0, 3.0)
        pans.append(_ms(lambda: paint_once(canvas, image)))
    for i in range(steps):
        canvas.zoom_by(1.1 if i < steps // 2 else 1 / 1.1)
        zooms.append(_ms(lambda: paint_once(canvas, image)))
    out["pan_step_max_ms"] = max(pans)
    out["pan_step_median_ms"] = sorted(pans)[len(pans) // 2]
    out["zoom_step_max_ms"] = max(zooms)
    out["zoom_step_median_ms"] = sorted(zooms)[len(zooms) // 2]
    # once the wheel pauses, the view is redrawn sharp at the new zoom
    out["sharp_redraw_after_zoom_ms"] = canvas.render_still_ms()
    canvas.deleteLater()
    return out


def measure(
    store: Store, as_of: date, window_days: int = DEFAULT_WINDOW_DAYS, **kwargs: int
) -> dict:
    """Everything: the data query too (it runs off the GUI thread in the window)."""
    holder: list[MapData] = []
    data_ms = _ms(lambda: holder.append(map_data(store, as_of, window_days)))
    out = measure_canvas(holder[0], **kwargs)
    out["data_ms"] = data_ms
    return out
