"""Page titles sit at the same place in every place that has one (issue #17 item 15)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def test_the_title_does_not_move_between_places(window, ctx, qtbot):
    from ties.model import Person

    ctx.store.add_person(Person(name="Ana"))  # not the welcome page
    window.resize(1280, 800)
    spots = {}
    for place in ("today", "journal", "people"):
        window.show_place(place)
        qtbot.wait(20)
        widget = window.places[place]
        (title,) = [
            w
            for w in widget.findChildren(QLabel)
            if w.objectName() == "placeTitle" and w.text() == place.capitalize()
        ]
        spots[place] = title.mapTo(window, title.rect().topLeft())
    assert len(set((p.x(), p.y()) for p in spots.values())) == 1, spots
