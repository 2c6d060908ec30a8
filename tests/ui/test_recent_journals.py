"""File → Open recent lists the journals opened last and opens one (issue #17 item 15)."""

from __future__ import annotations

from ties.store import Store


def test_open_recent_reopens_a_journal(window, tmp_path):
    work, home = tmp_path / "work.ties", tmp_path / "home.ties"
    for path in (work, home):
        Store.open(path).close()
    assert window.open_journal(work)
    assert window.open_journal(home)
    window.fill_recent()
    actions = [a for a in window.recent_menu.actions() if a.data()]
    assert [a.data() for a in actions][:1] == [str(work.resolve())]  # not the open one
    assert str(home.resolve()) not in [a.data() for a in actions]
    actions[0].trigger()
    assert window.ctx.store.path == work.resolve()
    assert window.windowTitle() == "work"


def test_open_recent_says_when_there_is_none(window):
    window.fill_recent()
    (only,) = window.recent_menu.actions()
    assert not only.isEnabled() and only.text() == "No other journals yet"
