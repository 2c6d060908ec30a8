"""The map at 300 and 2,000 people: names never collide at any zoom, the most important
first, and moving one person leaves everybody else where they were (issue #17 item 8)."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from ties.demo import write_demo
from ties.store import Store
from ties.ui.context import AppContext
from ties.ui.map_canvas import MapCanvas
from ties.ui.places.map import MapPlace

TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module", params=[300, 2000])
def sample(request, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("map") / f"sample{request.param}.ties"
    write_demo(path, people=request.param, entries=3 * request.param, seed=5, today=TODAY).close()
    return path


@pytest.fixture
def place(sample: Path, qtbot, find):
    store = Store.open(sample)
    ctx = AppContext(store)
    ctx.set_today(TODAY)
    place = MapPlace(ctx)
    place.resize(1100, 800)
    qtbot.addWidget(place)
    with qtbot.waitSignal(place.map_ready, timeout=20_000):
        place.show()
    yield place
    place.close()
    store.close()


def _canvas(place: MapPlace, find) -> MapCanvas:
    return find(place, MapCanvas, "Relationship map")


def test_names_never_overlap_at_any_zoom_and_more_show_as_one_zooms_in(place, find, qtbot):
    canvas = _canvas(place, find)
    canvas.setFocus()
    counts = []
    for step in range(7):
        if step:
            qtbot.keyClick(canvas, "+")  # the keyboard zooms in about the view's centre
        rects = canvas.label_rects()
        for (a, ta), (b, tb) in itertools.combinations(rects, 2):
            assert not a.intersects(b), (canvas.scale, ta, tb)
        counts.append(len(rects))
    assert counts[0] > 0, "the fitted map shows the most important names"
    assert max(counts) > counts[0]  # zooming in makes room for more names


def test_the_closest_people_are_named_first(place, find):
    canvas = _canvas(place, find)
    canvas.zoom_to_fit()
    named = {text for _, text in canvas.label_rects()}
    by_ring = {}
    for n in canvas.layout_.nodes:
        by_ring.setdefault(n.closeness, []).append(canvas.people[n.id].name in named)
    inner, outer = by_ring[5], by_ring[1]
    assert sum(inner) / len(inner) > sum(outer) / len(outer)


def test_moving_one_person_leaves_everybody_else_in_place(place, find, qtbot):
    canvas = _canvas(place, find)
    ctx = place.ctx

    def pixels() -> dict[int, QPoint]:
        return {n.id: canvas.map_to_view(n.x, n.y).toPoint() for n in canvas.layout_.nodes}

    before = pixels()
    mover = canvas.importance_order()[len(before) // 2]
    new = 5 if mover.closeness < 5 else 4
    with qtbot.waitSignal(place.map_ready, timeout=20_000):
        place.change_closeness(mover.id, new)
    after = pixels()
    assert canvas.layout_.node(mover.id).closeness == new
    assert after[mover.id] != before[mover.id]
    assert {k: v for k, v in after.items() if k != mover.id} == {
        k: v for k, v in before.items() if k != mover.id
    }
    with qtbot.waitSignal(place.map_ready, timeout=20_000):
        ctx.undo_stack.undo()
    assert pixels() == before  # and undo puts them back on the very same spot
