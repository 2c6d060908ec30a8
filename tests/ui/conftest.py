"""Fixtures for window tests: a context over a fresh or sample journal, a main window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from ties.store import Store
from ties.ui.context import AppContext

TODAY = date(2026, 6, 30)


@pytest.fixture
def ctx(store: Store, qtbot) -> AppContext:
    c = AppContext(store)
    c.set_today(TODAY)
    return c


@pytest.fixture
def demo_ctx(demo_store: Store, qtbot) -> AppContext:
    c = AppContext(demo_store)
    c.set_today(TODAY)
    return c


@pytest.fixture
def window(ctx: AppContext, qtbot) -> Iterator:
    from ties.ui.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w, before_close_func=lambda w: _close_and_wait(qtbot, w))
    w.show()
    yield w


def _close_and_wait(qtbot, window) -> None:
    if not window.close():
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)


@pytest.fixture
def close_and_wait(qtbot):
    """``close_and_wait(window)``: close a main window after the backup it takes on a worker."""
    return lambda window: _close_and_wait(qtbot, window)


def _find(parent, cls, name: str):
    for w in parent.findChildren(cls):
        if w.accessibleName() == name:
            return w
    raise LookupError(f"no {cls.__name__} named {name!r}")


@pytest.fixture
def find():
    """``find(parent, QLineEdit, "Quick add entry")``: a control by its accessible name."""
    return _find


#: The offscreen platform cannot do these; they say nothing about our code.
OFFSCREEN_NOISE = (
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
    "This plugin does not support grabbing the mouse",
)


def pytest_collection_modifyitems(config, items):
    here = str(config.rootpath / "tests" / "ui")
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


def _drag_splitter(splitter, by: int) -> int:
    """Move the first handle of ``splitter`` by ``by`` px as a drag does; the new first size."""
    before = splitter.sizes()[0]
    splitter.moveSplitter(before + by, 1)  # emits splitterMoved, as a drag of the handle does
    after = splitter.sizes()[0]
    assert after > before + by // 2
    return after


@pytest.fixture
def drag_splitter():
    """``drag_splitter(splitter, 200)``: the first pane made 200 px wider, as by the mouse."""
    return _drag_splitter
