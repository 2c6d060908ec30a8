"""Fitting a large map measures the room names need on a sample of them, not on all."""

from __future__ import annotations

import random

from ties.analysis.map_layout import MapData, MapPerson, layout_map
from ties.ui import map_canvas
from ties.ui.map_canvas import MapCanvas


def _people(n: int) -> list[MapPerson]:
    rng = random.Random(3)
    first = ["Ana", "Bartholomew", "Cy", "Daniela", "Émile", "Fatoumata", "Gu", "Hildegard"]
    last = ["Ruiz", "Okafor-Whitfield", "Lee", "Papadopoulou", "Ng", "Van der Berg"]
    return [
        MapPerson(i, f"{rng.choice(first)} {rng.choice(last)} {i}", "work", rng.randint(1, 5))
        for i in range(1, n + 1)
    ]


def _room(canvas: MapCanvas, people: list[MapPerson]) -> tuple[float, int]:
    data = MapData(people, [("work", "Work")], [], as_of=None, window_days=365)  # type: ignore[arg-type]
    canvas.set_map(data, layout_map(people, ["work"]))
    canvas._widths.clear()
    return canvas._name_room(), len(canvas._widths)


def test_a_large_map_measures_a_sample_of_names_and_keeps_nearly_the_same_room(qtbot) -> None:
    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    people = _people(5000)
    room, measured = _room(canvas, people)
    assert measured <= 2 * map_canvas.NAME_ROOM_SAMPLE  # not all 5,000
    widths = sorted(canvas._text_width(p.name) for p in people)
    every = min(map_canvas.NAME_ROOM_MAX, widths[int(0.9 * (len(widths) - 1))])
    assert abs(room - every) <= 0.05 * every  # nine in ten of everyone's names still fit


def test_a_small_map_measures_every_name(qtbot) -> None:
    canvas = MapCanvas()
    qtbot.addWidget(canvas)
    people = _people(300)
    room, _ = _room(canvas, people)
    widths = sorted(canvas._text_width(p.name) for p in people)
    assert room == min(map_canvas.NAME_ROOM_MAX, widths[int(0.9 * (len(widths) - 1))])
