"""Issue #17 item 8: a map of a few hundred people is no hairball: the introduction
links show for the person pointed at (or chosen with Tab), and all at once only on request."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QCheckBox

from ties.model import Entry, Person
from ties.ui.context import AppContext
from ties.ui.map_canvas import MapCanvas
from ties.ui.places.map import MapPlace


@pytest.fixture
def place(ctx: AppContext, qtbot) -> MapPlace:
    ids = [
        ctx.store.add_person(Person(name=f"Person {n}", circle="work", closeness=1 + n % 5)).id
        for n in range(12)
    ]
    for n in range(0, 12, 2):  # six introductions, each naming two people
        ctx.store.add_entry(
            Entry(date=date(2026, 6, 1 + n), kind="introduction", person_ids=ids[n : n + 2])
        )
    place = MapPlace(ctx)
    place.resize(1000, 760)
    qtbot.addWidget(place)
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        place.show()
    qtbot.waitExposed(place)
    return place


def test_links_are_drawn_all_at_once_only_on_request(place, find, qtbot):
    canvas = find(place, MapCanvas, "Relationship map")
    assert len(canvas.data.links) == 6
    canvas.grab()
    assert canvas.links_drawn == 0  # by default: none over the whole map
    box = find(place, QCheckBox, "Map all links")
    assert not box.isChecked()
    box.setChecked(True)
    canvas.grab()
    assert canvas.links_drawn == 6
    box.setChecked(False)
    canvas.grab()
    assert canvas.links_drawn == 0


def test_the_pointed_at_person_still_shows_their_links(place, find, qtbot):
    canvas = find(place, MapCanvas, "Relationship map")
    canvas.grab()
    linked = canvas.data.links[0].a
    before = canvas.grab().toImage()
    canvas.hover_id = linked
    after = canvas.grab().toImage()
    assert canvas._links_of.get(linked)  # their link is known and drawn on top
    assert before != after
