"""Issue #15 in the window: details edited in place, links, photo, merge and the tag filter."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QToolButton

from ties.model import Detail, Entry, Person
from ties.ui.dialogs.merge_people import MergePeopleDialog
from ties.ui.person_details import contact_html, phone_url, web_url
from ties.ui.photos import MAX_SIDE
from ties.ui.places.people import PeoplePlace


@pytest.fixture
def place(ctx, qtbot):
    p = PeoplePlace(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 800)
    p.show()
    return p


def _ana(ctx):
    return ctx.store.add_person(Person(name="Ana Ruiz", circle="work"))


def test_details_are_edited_in_place_and_undone_in_one_step(ctx, place, qtbot, find):
    ana = _ana(ctx)
    place.show_person(ana.id)
    page = place.page
    page.tabs.setCurrentIndex(1)
    qtbot.mouseClick(find(page, QPushButton, "Add e-mail"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(find(page, QLineEdit, "E-mail 1"), "ana@example.org")
    find(page, QComboBox, "E-mail 1 label").setCurrentText("work")
    qtbot.mouseClick(find(page, QPushButton, "Add phone"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(find(page, QLineEdit, "Phone 1"), "+34 600 11 22 33")
    qtbot.mouseClick(find(page, QPushButton, "Add address"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(find(page, QLineEdit, "Address 1 street"), "Calle Mayor 1")
    qtbot.keyClicks(find(page, QLineEdit, "Address 1 locality"), "Madrid")
    qtbot.keyClicks(find(page, QLineEdit, "Birthday"), "--04-17")
    qtbot.keyClicks(find(page, QLineEdit, "Tags"), "climbing, book club")
    qtbot.mouseClick(find(page, QPushButton, "Add date"), Qt.MouseButton.LeftButton)
    find(page, QComboBox, "Date 1 label").setCurrentText("anniversary")
    qtbot.keyClicks(find(page, QLineEdit, "Date 1"), "2019-06-01")
    assert find(page, QPushButton, "Save person").isEnabled()
    assert page.save()

    saved = ctx.store.get_person(ana.id)
    assert saved.emails == [Detail("work", "ana@example.org")]
    assert saved.phones == [Detail("home", "+34 600 11 22 33")]
    assert (saved.addresses[0].street, saved.addresses[0].locality) == ("Calle Mayor 1", "Madrid")
    assert saved.birthday == "--04-17"
    assert saved.tags == ["climbing", "book club"]
    assert [(d.label, d.date) for d in saved.dates] == [("anniversary", "2019-06-01")]
    contact = find(page, QLabel, "Person contact").text()
    assert "mailto:ana@example.org" in contact and "tel:+34600112233" in contact

    ctx.undo_stack.undo()  # the whole edit is one step
    back = ctx.store.get_person(ana.id)
    assert (back.emails, back.phones, back.addresses, back.birthday, back.tags, back.dates) == (
        [],
        [],
        [],
        None,
        [],
        [],
    )
    assert find(page, QLineEdit, "Tags").text() == ""
    ctx.undo_stack.redo()
    assert ctx.store.get_person(ana.id).tags == ["climbing", "book club"]


def test_a_bad_birthday_is_shown_by_its_field_and_nothing_is_saved(ctx, place, qtbot, find):
    ana = _ana(ctx)
    place.show_person(ana.id)
    page = place.page
    qtbot.keyClicks(find(page, QLineEdit, "Birthday"), "--02-30")
    assert not page.save()
    assert "calendar" in find(page, QLabel, "Birthday error").text()
    assert ctx.store.get_person(ana.id).birthday is None


def test_a_removed_row_is_left_out_and_blank_rows_are_ignored(ctx, place, qtbot, find):
    ana = ctx.store.add_person(
        Person(name="Ana Ruiz", emails=[Detail("work", "a@x.org"), Detail("home", "b@y.org")])
    )
    place.show_person(ana.id)
    page = place.page
    qtbot.mouseClick(find(page, QToolButton, "Remove e-mail 1"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(page, QPushButton, "Add phone"), Qt.MouseButton.LeftButton)  # blank
    assert page.save()
    saved = ctx.store.get_person(ana.id)
    assert saved.emails == [Detail("home", "b@y.org")] and saved.phones == []


def test_a_link_is_added_from_the_page_and_undone(ctx, place, qtbot, find):
    ana = _ana(ctx)
    ben = ctx.store.add_person(Person(name="Ben Okafor"))
    place.show_person(ana.id)
    page = place.page
    page.tabs.setCurrentIndex(1)
    qtbot.keyClicks(find(page, QLineEdit, "Link to person"), "Ben Okafor")
    find(page, QComboBox, "Link relation").setCurrentText("colleague")
    qtbot.mouseClick(find(page, QPushButton, "Add link"), Qt.MouseButton.LeftButton)
    assert [(x.other_id, x.relation) for x in ctx.store.links(ana.id)] == [(ben.id, "colleague")]
    shown = find(page, QLabel, "Person links list").text()
    assert "Ben Okafor" in shown and "colleague" in shown
    assert find(page, QLineEdit, "Link to person").text() == ""
    ctx.undo_stack.undo()
    assert ctx.store.links(ana.id) == []
    assert "Ben Okafor" not in find(page, QLabel, "Person links list").text()


def test_a_link_to_nobody_says_so_and_changes_nothing(ctx, place, qtbot, find):
    ana = _ana(ctx)
    place.show_person(ana.id)
    page = place.page
    qtbot.keyClicks(find(page, QLineEdit, "Link to person"), "Nobody Here")
    qtbot.mouseClick(find(page, QPushButton, "Add link"), Qt.MouseButton.LeftButton)
    assert "nobody called Nobody Here" in find(page, QLabel, "Link message").text()
    assert ctx.undo_stack.count() == 0


def test_removing_a_link_from_the_page_is_undoable(ctx, place):
    ana = _ana(ctx)
    ben = ctx.store.add_person(Person(name="Ben Okafor"))
    ctx.store.link(ana.id, ben.id, "introduced me to", directed=True)
    place.show_person(ana.id)
    place.page.links.list.linkActivated.emit(f"unlink:{ben.id}")
    assert ctx.store.links(ana.id) == []
    ctx.undo_stack.undo()
    (back,) = ctx.store.links(ana.id)
    assert (back.other_id, back.relation, back.directed, back.incoming) == (
        ben.id,
        "introduced me to",
        True,
        False,
    )


def test_a_photo_is_scaled_stored_shown_and_undone(ctx, place, tmp_path, find):
    ana = _ana(ctx)
    big = QImage(1600, 1200, QImage.Format.Format_RGB32)
    big.fill(QColor("#3a7"))
    path = tmp_path / "ana.png"
    assert big.save(str(path))
    place.show_person(ana.id)
    page = place.page
    assert page.set_photo_from(str(path))
    data = ctx.store.get_photo(ana.id)
    assert data is not None
    stored = QImage.fromData(data)
    assert max(stored.width(), stored.height()) == MAX_SIDE
    assert not find(page, QLabel, "Person photo").pixmap().isNull()
    thumb = place.model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
    assert thumb is not None and not thumb.isNull()
    ctx.undo_stack.undo()
    assert ctx.store.get_photo(ana.id) is None
    assert find(page, QLabel, "Person photo").text() == "AR"


def test_a_file_that_is_no_image_is_refused_with_a_message(ctx, place, tmp_path, find):
    ana = _ana(ctx)
    path = tmp_path / "notes.png"
    path.write_text("not an image")
    place.show_person(ana.id)
    assert not place.page.set_photo_from(str(path))
    assert "not an image" in find(place.page, QLabel, "Person message").text()
    assert ctx.store.get_photo(ana.id) is None and ctx.undo_stack.count() == 0


def test_merge_shows_a_preview_and_is_one_undo_step(ctx, place, qtbot, find):
    keep = ctx.store.add_person(
        Person(name="Ana Ruiz", emails=[Detail("work", "ana@work.example")])
    )
    other = ctx.store.add_person(
        Person(name="Ana R.", phones=[Detail("mobile", "+34 600 000 000")], tags=["climbing"])
    )
    carl = ctx.store.add_person(Person(name="Carl Lin"))
    ctx.store.link(other.id, carl.id, "friend")
    ctx.store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[other.id], note="coffee"))
    ctx.store.add_entry(Entry(date=date(2026, 6, 2), person_ids=[keep.id, other.id], note="both"))
    dlg = MergePeopleDialog(ctx, place, keep.id)
    qtbot.addWidget(dlg)
    assert find(dlg, QLineEdit, "Person to keep").text() == "Ana Ruiz"
    assert not find(dlg, QPushButton, "Merge").isEnabled()
    line = find(dlg, QLineEdit, "Person to merge into them")
    line.setText("Ana R.")
    line.editingFinished.emit()
    merged = find(dlg, QLabel, "Merged preview").text()
    assert "ana@work.example" in merged and "+34 600 000 000" in merged and "climbing" in merged
    assert "ana@work.example" not in find(dlg, QLabel, "Other preview").text()
    assert "Entries</td><td>2<" in merged  # the entry naming both counts once
    qtbot.mouseClick(find(dlg, QPushButton, "Merge"), Qt.MouseButton.LeftButton)

    after = ctx.store.get_person(keep.id)
    assert [d.value for d in after.phones] == ["+34 600 000 000"] and after.tags == ["climbing"]
    assert [x.other_id for x in ctx.store.links(keep.id)] == [carl.id]
    assert ctx.store.person_entry_count(keep.id) == 2
    assert ctx.store.count_people() == 2
    assert ctx.undo_stack.count() == 1

    ctx.undo_stack.undo()
    assert ctx.store.count_people() == 3
    assert ctx.store.get_person(other.id).tags == ["climbing"]
    assert ctx.store.get_person(keep.id).phones == []
    assert [x.other_id for x in ctx.store.links(other.id)] == [carl.id]
    assert ctx.store.person_entry_count(other.id) == 2
    assert ctx.store.person_entry_count(keep.id) == 1


def test_merge_refuses_one_person_twice(ctx, place, qtbot, find):
    ana = _ana(ctx)
    dlg = MergePeopleDialog(ctx, place, ana.id)
    qtbot.addWidget(dlg)
    line = find(dlg, QLineEdit, "Person to merge into them")
    line.setText("Ana Ruiz")
    line.editingFinished.emit()
    assert "two different people" in find(dlg, QLabel, "Merge message").text()
    assert not find(dlg, QPushButton, "Merge").isEnabled()


def test_the_tag_filter_narrows_the_people_list(ctx, place, find):
    ctx.store.add_person(Person(name="Ana Ruiz", tags=["climbing"]))
    ctx.store.add_person(Person(name="Ben Okafor", tags=["book club", "climbing"]))
    ctx.store.add_person(Person(name="Carl Lin"))
    place.reload_tags()
    place.model.refresh()
    combo = find(place, QComboBox, "Filter by tag")
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == ["Any tag", "#book club (1)", "#climbing (2)"]
    combo.setCurrentIndex(combo.findData("climbing"))
    combo.activated.emit(combo.currentIndex())
    names = [place.model.person_at(r).name for r in range(place.model.rowCount())]
    assert names == ["Ana Ruiz", "Ben Okafor"]
    assert find(place, QLabel, "People count").text() == "2 of 3"


def test_contact_links_are_what_the_desktop_opens():
    p = Person(
        name="Ana",
        emails=[Detail("work", "ana@example.org")],
        phones=[Detail("mobile", "+44 (0)20 7946-0000")],
        urls=[Detail("", "example.org/ana")],
    )
    html = contact_html(p)
    assert "href='mailto:ana@example.org'" in html
    assert phone_url("+44 (0)20 7946-0000") == "tel:+440207946 0000".replace(" ", "")
    assert web_url("example.org/ana") == "https://example.org/ana"
    assert web_url("http://x.org") == "http://x.org"
    assert contact_html(Person(name="Nobody")) == ""


# ------------------------------------------------------------------------ map and journal


def _map(ctx, qtbot):
    from ties.ui.places.map import MapPlace

    place = MapPlace(ctx)
    place.resize(1000, 800)
    qtbot.addWidget(place)
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        place.show()
    return place


def _map_people(ctx):
    ids = {}
    for i, name in enumerate(("Ana Ruiz", "Ben Okafor", "Cleo Park", "Dan Wu")):
        ids[name] = ctx.store.add_person(
            Person(name=name, closeness=2 + i % 3, tags=["climbing"] if i < 2 else [])
        ).id
        ctx.store.add_entry(Entry(date=date(2026, 6, 1 + i), person_ids=[ids[name]]))
    return ids


def _hover(place, qtbot, pid):
    node = place.canvas.layout_.node(pid)
    pos = place.canvas.map_to_view(node.x, node.y)
    qtbot.mouseMove(place.canvas, pos.toPoint())
    qtbot.waitUntil(lambda: place.canvas.hover_id == pid)


def test_the_map_draws_the_links_of_the_person_pointed_at(ctx, qtbot):
    ids = _map_people(ctx)
    ctx.store.link(ids["Ana Ruiz"], ids["Cleo Park"], "colleague")
    place = _map(ctx, qtbot)
    _hover(place, qtbot, ids["Ben Okafor"])  # no links: nothing extra drawn
    assert place.canvas.person_links == []
    _hover(place, qtbot, ids["Ana Ruiz"])
    assert place.canvas.person_links == [(ids["Cleo Park"], "colleague")]
    with_link = place.canvas.grab().toImage()
    ctx.store.unlink(ids["Ana Ruiz"], ids["Cleo Park"])
    place.canvas.set_person_links(ids["Ana Ruiz"], [])
    without = place.canvas.grab().toImage()
    assert with_link != without  # the dashed line and its label were drawn


def test_the_map_card_shows_the_photo(ctx, qtbot):
    ids = _map_people(ctx)
    img = QImage(40, 40, QImage.Format.Format_RGB32)
    img.fill(QColor("#c33"))
    from ties.ui.photos import scaled_photo_bytes

    ctx.store.set_photo(ids["Ana Ruiz"], scaled_photo_bytes(img))
    place = _map(ctx, qtbot)
    _hover(place, qtbot, ids["Ben Okafor"])
    qtbot.waitUntil(lambda: place.card.isVisible())
    assert place.card.photo.isHidden()  # no photo: no empty frame for one
    _hover(place, qtbot, ids["Ana Ruiz"])
    assert not place.card.photo.isHidden() and not place.card.photo.pixmap().isNull()


def test_the_map_tag_filter_keeps_the_tagged_people(ctx, qtbot, find):
    ids = _map_people(ctx)
    place = _map(ctx, qtbot)
    combo = find(place, QComboBox, "Map tag filter")
    with qtbot.waitSignal(place.map_ready):
        combo.setCurrentIndex(combo.findData("climbing"))
    assert {n.id for n in place.canvas.layout_.nodes} == {ids["Ana Ruiz"], ids["Ben Okafor"]}


def test_the_journal_tag_filter_keeps_entries_with_tagged_people(ctx, qtbot, find):
    from ties.ui.places.journal import JournalPlace

    _map_people(ctx)
    place = JournalPlace(ctx)
    qtbot.addWidget(place)
    place.show()
    combo = find(place, QComboBox, "Filter by person tag")
    assert combo.isVisible()
    combo.setCurrentIndex(combo.findData("climbing"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: place.model.rowCount() == 2)


def test_tag_filters_hide_while_no_one_has_a_tag(ctx, qtbot, find):
    from ties.ui.places.journal import JournalPlace

    place = JournalPlace(ctx)
    qtbot.addWidget(place)
    place.show()
    assert find(place, QComboBox, "Filter by person tag").isHidden()


def test_remove_photo_from_the_menu_is_undoable(ctx, place, tmp_path):
    from ties.ui.photos import scaled_photo_bytes

    ana = _ana(ctx)
    img = QImage(30, 20, QImage.Format.Format_RGB32)
    img.fill(QColor("#36c"))
    data = scaled_photo_bytes(img)
    ctx.store.set_photo(ana.id, data)
    place.show_person(ana.id)
    page = place.page
    assert page.remove_photo_action.isEnabled()
    page.remove_photo_action.trigger()
    assert ctx.store.get_photo(ana.id) is None
    assert not page.remove_photo_action.isEnabled()
    ctx.undo_stack.undo()
    assert ctx.store.get_photo(ana.id) == data


def test_a_click_on_a_contact_opens_only_mail_phone_and_web_links(ctx, place, monkeypatch, find):
    from ties.ui import person_details

    opened: list[str] = []
    monkeypatch.setattr(
        person_details.QDesktopServices, "openUrl", lambda url: opened.append(url.toString())
    )
    ana = ctx.store.add_person(Person(name="Ana Ruiz", emails=[Detail("work", "ana@x.org")]))
    place.show_person(ana.id)
    contact = find(place.page, QLabel, "Person contact")
    contact.linkActivated.emit("mailto:ana@x.org")
    contact.linkActivated.emit("tel:+34600")
    contact.linkActivated.emit("https://example.org")
    contact.linkActivated.emit("file:///etc/passwd")
    assert opened == ["mailto:ana@x.org", "tel:+34600", "https://example.org"]


def test_who_knows_whom_draws_every_link_between_people_on_request(ctx, qtbot, find):
    from PySide6.QtWidgets import QCheckBox

    ids = _map_people(ctx)
    ctx.store.link(ids["Ana Ruiz"], ids["Cleo Park"], "colleague")
    ctx.store.link(ids["Ben Okafor"], ids["Dan Wu"], "family")
    place = _map(ctx, qtbot)
    assert [lk for lk in place.canvas.data.links if lk.kind == "person"] == []
    before = place.canvas.grab().toImage()
    box = find(place, QCheckBox, "Map people links")
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        box.setChecked(True)
    pairs = {(lk.a, lk.b, lk.relation) for lk in place.canvas.data.links if lk.kind == "person"}
    assert pairs == {
        (ids["Ana Ruiz"], ids["Cleo Park"], "colleague"),
        (ids["Ben Okafor"], ids["Dan Wu"], "family"),
    }
    assert "2 links between people" in place.summary.text()
    qtbot.wait(150)  # the cached picture is redrawn once zooming settles
    assert place.canvas.grab().toImage() != before
