"""PlaceFigures: the one life cycle of a place's slow figures.

Stale while hidden, computed once on show, debounced, latest only, another
journal's answer dropped, and one failure policy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLabel, QWidget

from ties.store import JournalError, Store
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.jobs import Job
from ties.ui.place_figures import PlaceFigures


class Recorder:
    """A place's side of it: what it asked for and what reached it."""

    def __init__(self) -> None:
        self.asked = 0
        self.shown: list[object] = []
        self.messages: list[str] = []
        self.answer: Callable[[int], object] = lambda n: n
        self.gates: dict[int, threading.Event] = {}

    def work(self) -> Callable[[Store, Job], object]:
        """Called on the GUI thread per job: request n answers n (after its gate opens)."""
        self.asked += 1
        n = self.asked
        gate = self.gates.get(n)

        def compute(_store: Store, _job: Job) -> object:
            if gate is not None:
                assert gate.wait(10)
            return self.answer(n)

        return compute


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def place(qtbot) -> QWidget:
    w = QWidget()
    qtbot.addWidget(w)
    return w


def _figures(place: QWidget, ctx: AppContext, rec: Recorder) -> PlaceFigures:
    return PlaceFigures(
        place, ctx, rec.work, what="The test place", show_message=rec.messages.append
    ).success(rec.shown.append)


def _settle(qtbot) -> None:
    """Let every job end and its signals reach the GUI thread."""
    assert QThreadPool.globalInstance().waitForDone(10_000)
    qtbot.wait(50)


def test_stale_while_hidden_then_computed_once_on_show(
    place: QWidget, ctx: AppContext, rec: Recorder, qtbot
) -> None:
    figures = _figures(place, ctx, rec)
    for _ in range(3):
        ctx.changed.emit(Changes(entries=True))
    assert rec.asked == 0 and figures.stale
    place.show()
    qtbot.waitUntil(lambda: rec.shown == [1], timeout=5000)
    assert rec.asked == 1 and not figures.stale
    place.hide()
    place.show()  # nothing changed meanwhile: no new job
    _settle(qtbot)
    assert rec.asked == 1


def test_a_change_while_showing_recomputes_at_once(
    place: QWidget, ctx: AppContext, rec: Recorder, qtbot
) -> None:
    _figures(place, ctx, rec)
    place.show()
    qtbot.waitUntil(lambda: rec.shown == [1], timeout=5000)
    ctx.changed.emit(Changes(people=True))
    qtbot.waitUntil(lambda: rec.shown == [1, 2], timeout=5000)


def test_only_the_latest_of_two_quick_requests_is_applied(
    place: QWidget, ctx: AppContext, rec: Recorder, qtbot
) -> None:
    figures = _figures(place, ctx, rec)
    rec.gates[1] = threading.Event()
    figures.refresh()
    figures.refresh()  # overtakes the first, which is still running
    qtbot.waitUntil(lambda: rec.shown == [2], timeout=5000)
    rec.gates[1].set()  # the old answer arrives late
    _settle(qtbot)
    assert rec.shown == [2]
    assert not figures.running


def test_requests_within_the_debounce_make_one_job(
    place: QWidget, ctx: AppContext, rec: Recorder, qtbot
) -> None:
    figures = _figures(place, ctx, rec).debounced(100)
    figures.stale = False
    place.show()
    for _ in range(5):
        figures.request()
    assert rec.asked == 0
    qtbot.waitUntil(lambda: rec.shown == [1], timeout=5000)
    _settle(qtbot)
    assert rec.asked == 1


def test_another_journal_drops_the_answer_in_flight(
    place: QWidget, ctx: AppContext, rec: Recorder, qtbot
) -> None:
    figures = _figures(place, ctx, rec)
    busy: list[bool] = []
    figures.with_progress(busy.append)
    rec.gates[1] = threading.Event()
    figures.refresh()
    assert figures.running
    ctx.journal_opened.emit()
    assert not figures.running and figures.stale
    rec.gates[1].set()
    _settle(qtbot)
    assert rec.shown == []
    assert busy == [True, False]  # no "working" left on screen either


def test_changes_the_place_does_not_depend_on_leave_it_fresh(
    place: QWidget, ctx: AppContext, rec: Recorder, qtbot
) -> None:
    _figures(place, ctx, rec).when(lambda changes: changes.settings)
    place.show()
    qtbot.waitUntil(lambda: rec.shown == [1], timeout=5000)
    ctx.changed.emit(Changes(entries=True, dismissals=True))
    _settle(qtbot)
    assert rec.asked == 1
    ctx.changed.emit(Changes(settings=True))
    qtbot.waitUntil(lambda: rec.shown == [1, 2], timeout=5000)


def test_a_journal_error_is_shown_as_its_message(
    place: QWidget, ctx: AppContext, rec: Recorder, qtbot
) -> None:
    def fail(_n: int) -> object:
        raise JournalError("The disk is full.")

    rec.answer = fail
    _figures(place, ctx, rec).refresh()
    qtbot.waitUntil(lambda: bool(rec.messages), timeout=5000)
    assert rec.messages == ["The disk is full."] and rec.shown == []


def test_a_bug_is_logged_and_named_plainly(
    place: QWidget, ctx: AppContext, rec: Recorder, qtbot, caplog
) -> None:
    caplog.set_level(logging.ERROR, logger="ties")

    def fail(_n: int) -> object:
        raise KeyError("Ana Ruiz")  # a message that could quote the journal

    rec.answer = fail
    _figures(place, ctx, rec).refresh()
    qtbot.waitUntil(lambda: bool(rec.messages), timeout=5000)
    assert rec.messages == ["The test place could not be worked out (details were logged)."]
    assert "unexpected builtins.KeyError" in caplog.text
    assert "Ana Ruiz" not in caplog.text


# ------------------------------------------------------------- the real places


def test_today_shows_a_failure_in_its_status(
    ctx: AppContext, qtbot, find, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    from ties.analysis import today as analysis
    from ties.ui.places import today

    def broken(*_args: object) -> list:
        raise ZeroDivisionError

    monkeypatch.setattr(analysis, "today_items", broken)
    place = today.TodayPlace(ctx)
    qtbot.addWidget(place)
    place.show()
    status = find(place, QLabel, "Today status")
    qtbot.waitUntil(lambda: "logged" in status.text(), timeout=5000)
    assert status.text() == "Today could not be worked out (details were logged)."
    assert "ZeroDivisionError" in caplog.text


def test_map_shows_a_journal_error_in_its_message(
    ctx: AppContext, qtbot, find, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.ui.places import map as map_module

    def broken(*_args: object, **_kw: object) -> object:
        raise JournalError("The journal could not be read.")

    monkeypatch.setattr(map_module, "map_data", broken)
    place = map_module.MapPlace(ctx)
    qtbot.addWidget(place)
    place.show()
    message = find(place, QLabel, "Map message")
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert message.text() == "The journal could not be read."


def test_coverage_computes_when_shown_not_while_hidden(
    ctx: AppContext, qtbot, find, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.ui.places import coverage

    calls: list[date] = []
    real = coverage.compute_coverage

    def counted(store: Store, as_of: date, window: int, **options):  # type: ignore[no-untyped-def]
        calls.append(as_of)
        return real(store, as_of, window, **options)

    monkeypatch.setattr(coverage, "compute_coverage", counted)
    place = coverage.CoveragePlace(ctx)
    qtbot.addWidget(place)
    ctx.changed.emit(Changes(entries=True))
    ctx.changed.emit(Changes.everything())
    _settle(qtbot)
    assert calls == []
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        place.show()
    _settle(qtbot)
    assert calls == [ctx.today()]
    assert find(place, QLabel, "Coverage status").text() == ""
