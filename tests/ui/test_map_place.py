"""The Map place: hover card, click to open, drag to another ring (undoable), filters, export."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage
from PySide6.QtWidgets import QCheckBox, QComboBox

from ties.model import Entry, Person
from ties.store import Store
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.map_canvas import MapCanvas
from ties.ui.places.map import MapPlace


def _journal(store: Store) -> dict[str, int]:
    ids = {}
    for i, (name, circle, closeness) in enumerate(
        [("Ana Ruiz", "work", 4), ("Ben Okafor", "friends", 2), ("Cleo Park", "friends", 3)]
        + [(f"Extra {n}", "industry", 1 + n % 5) for n in range(12)]
    ):
        ids[name] = store.add_person(Person(name=name, circle=circle, closeness=closeness)).id
        store.add_entry(
            Entry(
                date=date(2026, 6, 1 + i),
                person_ids=[ids[name]],
                direction="received",
                support_types=["encouragement" if name == "Ben Okafor" else "expertise"],
            )
        )
    store.add_person(Person(name="Gone Away", circle="work", archived=True))
    store.add_entry(
        Entry(
            date=date(2026, 6, 20),
            person_ids=[ids["Ana Ruiz"], ids["Ben Okafor"]],
            kind="introduction",
            direction="gave",
        )
    )
    return ids


def _shown(place: MapPlace, size: tuple[int, int], qtbot) -> MapPlace:
    """The place on screen at ``size``, its first picture drawn."""
    place.resize(*size)
    qtbot.addWidget(place)
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        place.show()
    return place


@pytest.fixture
def place(ctx: AppContext, qtbot) -> MapPlace:
    _journal(ctx.store)
    return _shown(MapPlace(ctx), (1000, 800), qtbot)


def _at(place: MapPlace, person_id: int) -> QPoint:
    node = place.canvas.layout_.node(person_id)
    pos = place.canvas.map_to_view(node.x, node.y)
    return QPoint(round(pos.x()), round(pos.y()))


def _id(ctx: AppContext, name: str) -> int:
    return ctx.store.people_named(name)[0].id


def test_the_map_shows_everybody_active_on_their_ring(place, ctx, find):
    canvas = find(place, MapCanvas, "Relationship map")
    ids = {n.id: n for n in canvas.layout_.nodes}
    assert len(ids) == 15  # archived Gone Away is hidden
    ana = canvas.people[_id(ctx, "Ana Ruiz")]
    assert ana.support == "instrumental" and ana.closeness == 4
    assert ids[ana.id].closeness == 4
    assert [(lk.kind) for lk in canvas.data.links] == ["introduction"]
    assert "15 people" in find(place, type(place.summary), "Map summary").text()
    assert canvas.label_count() > 0


def test_hover_shows_a_card_and_leaving_hides_it(place, ctx, qtbot, find):
    canvas = place.canvas
    qtbot.mouseMove(canvas, _at(place, _id(ctx, "Ana Ruiz")))
    qtbot.waitUntil(lambda: place.card.isVisible())
    text = place.card.text()
    assert "Ana Ruiz" in text and "Work" in text and "close" in text
    assert "Last contact" in text and "Balance" in text and "Expertise" in text
    assert "received 1" in text
    assert canvas.hover_id == _id(ctx, "Ana Ruiz")
    qtbot.mouseMove(canvas, QPoint(3, 3))
    qtbot.waitUntil(lambda: not place.card.isVisible())
    assert canvas.hover_id is None


def test_click_opens_the_person(place, ctx, qtbot):
    ben = _id(ctx, "Ben Okafor")
    with qtbot.waitSignal(ctx.person_requested, timeout=2000) as signal:
        qtbot.mouseClick(place.canvas, Qt.MouseButton.LeftButton, pos=_at(place, ben))
    assert signal.args == [ben]


def _ring_point(place: MapPlace, person_id: int, closeness: int) -> QPoint:
    canvas = place.canvas
    node = canvas.layout_.node(person_id)
    ring = next(r for r in canvas.layout_.rings if r.closeness == closeness)
    mid = (ring.inner + ring.outer) / 2
    pos = canvas.map_to_view(mid * math.cos(node.angle), mid * math.sin(node.angle))
    return QPoint(round(pos.x()), round(pos.y()))


def _drag(qtbot, canvas: MapCanvas, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    steps = 6
    for i in range(1, steps + 1):
        p = QPointF(start) + (QPointF(end) - QPointF(start)) * (i / steps)
        qtbot.mouseMove(canvas, p.toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)


def test_drag_to_another_ring_changes_closeness_and_undo_puts_it_back(
    place,
    ctx,
    qtbot,
):
    ben = _id(ctx, "Ben Okafor")
    before = ctx.store.get_person(ben)
    assert before.closeness == 2
    target = _ring_point(place, ben, 5)
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        _drag(qtbot, place.canvas, _at(place, ben), target)
    assert ctx.store.get_person(ben).closeness == 5
    assert ctx.undo_stack.undoText() == "Change closeness"
    assert place.canvas.layout_.node(ben).closeness == 5  # redrawn on the inner ring

    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        ctx.undo_stack.undo()
    after_undo = ctx.store.get_person(ben)
    assert after_undo.closeness == 2 and after_undo.updated == before.updated
    assert place.canvas.layout_.node(ben).closeness == 2

    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        ctx.undo_stack.redo()
    assert ctx.store.get_person(ben).closeness == 5


def test_a_drop_on_the_same_ring_changes_nothing(place, ctx, qtbot):
    ana = _id(ctx, "Ana Ruiz")
    with qtbot.assertNotEmitted(place.canvas.closeness_dropped):
        _drag(qtbot, place.canvas, _at(place, ana), _ring_point(place, ana, 4))
    assert ctx.store.get_person(ana).closeness == 4
    assert ctx.undo_stack.count() == 0


def test_filters_for_circle_support_window_and_archived(place, ctx, qtbot, find):
    circle = find(place, QComboBox, "Map circle filter")
    with qtbot.waitSignal(place.map_ready):
        circle.setCurrentIndex(circle.findData("friends"))
    assert {place.canvas.people[n.id].circle for n in place.canvas.layout_.nodes} == {"friends"}
    assert [s.key for s in place.canvas.layout_.sectors] == ["friends"]
    with qtbot.waitSignal(place.map_ready):
        circle.setCurrentIndex(0)

    support = find(place, QComboBox, "Map support filter")
    with qtbot.waitSignal(place.map_ready):
        support.setCurrentIndex(support.findData("family:instrumental"))
    assert place.canvas.dimmed == {_id(ctx, "Ben Okafor")}  # he gave encouragement only
    with qtbot.waitSignal(place.map_ready):
        support.setCurrentIndex(support.findData("type:encouragement"))
    assert set(place.canvas.people) - place.canvas.dimmed == {_id(ctx, "Ben Okafor")}

    window = find(place, QComboBox, "Map window")
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        window.setCurrentIndex(window.findData(90))
    assert place.data.window_days == 90

    archived = find(place, QCheckBox, "Map show archived")
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        archived.setChecked(True)
    assert _id(ctx, "Gone Away") in place.canvas.people


def test_zoom_pan_and_fit(place, qtbot, find):
    from PySide6.QtWidgets import QPushButton

    canvas = place.canvas
    fitted = canvas.scale
    qtbot.mouseClick(find(place, QPushButton, "Map zoom in"), Qt.MouseButton.LeftButton)
    assert canvas.scale > fitted
    canvas.pan_by(40, -20)
    qtbot.mouseClick(find(place, QPushButton, "Map zoom to fit"), Qt.MouseButton.LeftButton)
    assert canvas.scale == pytest.approx(fitted)


def test_export_png_and_svg(place, tmp_path: Path):
    png, svg = tmp_path / "map.png", tmp_path / "map.svg"
    place.export_png(png)
    place.export_svg(svg)
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 1400
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "Ana Ruiz" in text


def test_a_change_elsewhere_redraws_the_map(place, ctx, qtbot):
    from ties.ui.context import StoreCommand

    new = Person(name="Zed New", circle="school", closeness=5)
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        ctx.push(
            StoreCommand(
                ctx, "Add", lambda: ctx.store.add_person(new), lambda: None, Changes(people=True)
            )
        )
    assert any(p.name == "Zed New" for p in place.canvas.people.values())


def test_names_on_the_sample_map_never_overlap(demo_ctx, qtbot):
    place = _shown(MapPlace(demo_ctx), (900, 700), qtbot)
    canvas = place.canvas
    assert canvas.label_count() > 10
    height = QFontMetricsF(canvas._font).height()
    boxes = [
        QRectF(x, y, canvas._text_width(text), height)
        for x, y, text in canvas._node_labels(canvas.scale, canvas.ox, canvas.oy, canvas.rect())
    ]
    discs = [
        QRectF(
            (n.x - n.r) * canvas.scale,
            (n.y - n.r) * canvas.scale,
            2 * n.r * canvas.scale,
            2 * n.r * canvas.scale,
        )
        for n in canvas.layout_.nodes
    ]
    for i, box in enumerate(boxes):
        assert not any(box.intersects(other) for other in boxes[i + 1 :])
        assert not any(box.intersects(disc) for disc in discs)


def test_organisation_links_on_request(place, ctx, qtbot, find):
    ctx.store.update_person(
        replace(ctx.store.get_person(_id(ctx, "Extra 1")), organization="Globex")
    )
    ctx.store.update_person(
        replace(ctx.store.get_person(_id(ctx, "Extra 2")), organization="globex")
    )
    assert {lk.kind for lk in place.canvas.data.links} == {"introduction"}
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        find(place, QCheckBox, "Map organisation links").setChecked(True)
    org = [lk for lk in place.canvas.data.links if lk.kind == "organization"]
    assert [(lk.a, lk.b) for lk in org] == [
        tuple(sorted((_id(ctx, "Extra 1"), _id(ctx, "Extra 2"))))
    ]


def test_the_map_follows_a_dark_palette(place):
    from PySide6.QtGui import QColor, QPalette

    assert not place.canvas.style_.dark
    palette = QPalette(place.palette())
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e2228"))
    place.canvas.setPalette(palette)
    assert place.canvas.style_.dark
    image = place.canvas.render_image(400, 300, ratio=1.0)
    assert image.pixelColor(2, 2).lightness() < 60


def test_another_journal_clears_the_old_picture(qtbot, tmp_path) -> None:
    from ties.demo import write_demo
    from ties.store import Store
    from ties.ui.context import AppContext
    from ties.ui.places.map import MapPlace

    ctx = AppContext(write_demo(tmp_path / "a.ties", people=30, entries=200, seed=2))
    place = MapPlace(ctx)
    qtbot.addWidget(place)
    place.show()
    qtbot.waitUntil(lambda: place.data is not None, timeout=10_000)
    assert place.data.people and place.canvas.label_count() > 0
    ctx.replace_store(Store.open(tmp_path / "b.ties"))
    assert place.canvas.label_count() == 0  # nothing of the previous journal to click
    qtbot.waitUntil(lambda: place.data is not None, timeout=10_000)
    assert place.data.people == []
    ctx.store.close()


def test_the_summary_counts_only_the_links_shown(place, qtbot, find):
    summary = find(place, type(place.summary), "Map summary")
    assert "1 introduction links" in summary.text()  # Ana (work) and Ben (friends)
    circle = find(place, QComboBox, "Map circle filter")
    with qtbot.waitSignal(place.map_ready):
        circle.setCurrentIndex(circle.findData("friends"))  # Ana is not on the picture
    assert "0 introduction links" in summary.text()
    assert place.canvas.data.links == []


def test_the_hover_card_keeps_i_a_capital(place, ctx, qtbot):
    from ties.ui.map_card import card_html

    ana = replace(place.canvas.people[_id(ctx, "Ana Ruiz")], balance_class="over_taking")
    html = card_html(ana, "Work", date(2026, 6, 30), ["Expertise"], 365)
    assert "— I take much more" in html
    balanced = replace(ana, balance_class="balanced")
    assert "— balanced" in card_html(balanced, "Work", date(2026, 6, 30), [], 365)


def test_circle_names_never_cover_ring_names(demo_ctx, qtbot):
    place = _shown(MapPlace(demo_ctx), (1100, 720), qtbot)
    canvas = place.canvas
    for factor in (1.0, 1.5, 2.5):
        labels = canvas._fixed_labels(canvas.scale * factor)
        rings = [box for box, _, kind in labels if kind == "ring"]
        circles = [(box, text) for box, text, kind in labels if kind == "circle"]
        assert rings and circles
        for box, text in circles:
            assert not any(box.intersects(ring) for ring in rings), (factor, text)


def test_at_the_minimum_width_the_toolbar_wraps_and_names_fit(place, qtbot, find):
    place.resize(700, 520)  # the place in a window at its minimum size
    qtbot.waitUntil(lambda: place.bar.direction() == place.bar.Direction.TopToBottom)
    for name in ("Map window", "Map support filter", "Map circle filter"):
        box = find(place, QComboBox, name)
        assert box.width() >= box.sizeHint().width(), name  # "Last 12 months", not "Last 1"
    for name in ("Map show archived", "Map organisation links"):
        box = find(place, QCheckBox, name)
        assert box.width() >= box.sizeHint().width(), name
    canvas = place.canvas
    canvas.zoom_to_fit()
    height = QFontMetricsF(canvas._font).height()
    labels = canvas._node_labels(canvas.scale, canvas.ox, canvas.oy, canvas.rect())
    assert labels
    for x, y, text in labels:
        assert x + canvas.ox >= 0 and x + canvas.ox + canvas._text_width(text) <= canvas.width()
        assert y + canvas.oy >= 0 and y + canvas.oy + height <= canvas.height()
    place.resize(1400, 800)
    qtbot.waitUntil(lambda: place.bar.direction() == place.bar.Direction.LeftToRight)


def test_the_legend_can_be_hidden_to_free_the_left_and_stays_hidden(place, ctx, qtbot, find):
    place.resize(760, 600)  # narrow: the legend lies over the map's left
    canvas = place.canvas
    qtbot.waitUntil(lambda: canvas.width() < 760)
    canvas.zoom_to_fit()
    with_legend = canvas.ox
    legend = find(place, QCheckBox, "Map show legend")
    assert legend.isChecked() and canvas.show_legend
    legend.click()
    assert not canvas.show_legend
    # the map moves back to the middle of the room the legend left
    assert canvas.ox < with_legend
    assert canvas.ox == pytest.approx(canvas.width() / 2)

    again = MapPlace(ctx)
    qtbot.addWidget(again)
    assert not find(again, QCheckBox, "Map show legend").isChecked()
    assert not again.canvas.show_legend


def test_an_exported_picture_keeps_its_legend_when_the_window_hides_it(place, tmp_path: Path):
    shown, hidden = tmp_path / "shown.png", tmp_path / "hidden.png"
    place.export_png(shown)
    place.legend_box.setChecked(False)
    place.export_png(hidden)
    assert QImage(str(shown)) == QImage(str(hidden))
    assert not place.canvas.show_legend  # the window's choice is kept


@pytest.mark.parametrize("size", [(700, 520), (900, 700), (1280, 800)])
def test_names_keep_clear_of_circle_and_ring_names(demo_ctx, qtbot, size):
    """A person's name right against "Online · 23" read as one label with it."""
    place = _shown(MapPlace(demo_ctx), size, qtbot)
    canvas = place.canvas
    canvas.zoom_to_fit()
    height = QFontMetricsF(canvas._font).height()
    fixed = [box for box, _, _ in canvas._fixed_labels(canvas.scale)]
    labels = canvas._node_labels(canvas.scale, canvas.ox, canvas.oy, canvas.rect())
    assert labels
    for x, y, text in labels:
        box = QRectF(x, y, canvas._text_width(text), height).adjusted(-2, -2, 2, 2)
        assert not any(box.intersects(f) for f in fixed), text
