"""What the first screen does not need comes after it: the tray, the answer to later starts,
the Today analysis, the heavy libraries. Deferred, never skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ties.ui import deferred
from ties.ui.app import show_with_tray
from ties.ui.context import AppContext
from ties.ui.main_window import MainWindow
from ties.ui.tray import TrayAgent


@pytest.fixture
def unshown(ctx: AppContext, qtbot) -> Iterator[MainWindow]:
    """A main window not yet shown (``show_with_tray`` shows it)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    quits = app.quitOnLastWindowClosed()
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    yield w
    w.hide()
    app.setQuitOnLastWindowClosed(quits)  # the tray turns it off for its run


def test_the_tray_is_installed_once_the_window_has_painted(
    unshown: MainWindow, qtbot, tmp_path: Path
) -> None:
    show_with_tray(unshown, tmp_path / "j.ties")
    assert unshown.isVisible()
    assert unshown.findChild(TrayAgent) is None  # not before the first screen
    qtbot.waitUntil(lambda: unshown.findChild(TrayAgent) is not None, timeout=10_000)
    agent = unshown.findChild(TrayAgent)
    assert agent is not None and agent.window is unshown


def test_a_window_closed_before_its_tray_came_gets_none(
    unshown: MainWindow, qtbot, tmp_path: Path
) -> None:
    show_with_tray(unshown, tmp_path / "j.ties")
    unshown.hide()  # closed at once (hide: no closing backup in this test)
    qtbot.wait(300)
    assert unshown.findChild(TrayAgent) is None


def test_import_then_runs_on_the_gui_thread_after_the_import(qtbot) -> None:
    import threading

    ran: list[bool] = []
    deferred.import_then(
        ("ties.analysis.today",),
        lambda: ran.append(threading.current_thread() is threading.main_thread()),
    )
    qtbot.waitUntil(lambda: bool(ran), timeout=10_000)
    assert ran == [True] and "ties.analysis.today" in sys.modules


def test_a_failing_import_is_met_again_by_then(qtbot) -> None:
    ran: list[int] = []
    deferred.import_then(("ties.no_such_module",), lambda: ran.append(1))
    qtbot.waitUntil(lambda: bool(ran), timeout=10_000)


#: Imported only when first used, or on a worker after the first paint — never by the
#: modules that build the window.
NOT_AT_START = (
    "ties.analysis.today",
    "ties.analysis.reminders",
    "ties.ui.tray",
    "ties.ui.notifications",
    "ties.ui.dialogs.quick_log",
    "ties.quickadd",
    "PySide6.QtNetwork",
    "ties.ui.sync",
    "ties.app.sync",
    "ties.io.backup",
    "dateparser",
    "icalendar",
    "desktop_notifier",
    "keyring",
    "PIL",
    "asyncio",
    "cryptography",
)


def test_building_the_window_imports_none_of_the_deferred_modules() -> None:
    code = (
        "import sys\n"
        "import ties.ui.app, ties.ui.main_window, ties.ui.places.today\n"
        f"print(sorted(m for m in {NOT_AT_START!r} if m in sys.modules))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[]"


def test_nothing_deferred_is_imported_before_the_first_paint(tmp_path: Path) -> None:
    """The real start (``ui/app.py``) up to the main window's first paint; the Today
    analysis may already be loading on its worker, the rest must not be."""
    from ties.store import Store

    db = tmp_path / "j.ties"
    Store.open(db).close()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QEvent, QObject\n"
        "from ties.ui import app as gui\n"
        "seen = []\n"
        "class Paint(QObject):\n"
        "    def eventFilter(self, obj, event):\n"
        "        if event.type() == QEvent.Type.Paint and not seen:\n"
        f"            seen.append(sorted(m for m in {NOT_AT_START[2:]!r} if m in sys.modules))\n"
        "        return False\n"
        "qapp = gui.make_app()\n"
        "window = gui.open_window(Path(sys.argv[1]))\n"
        "window.restore_state()\n"
        "probe = Paint()\n"
        "window.installEventFilter(probe)\n"
        "gui.show_with_tray(window, Path(sys.argv[1]))\n"
        "while not seen:\n"
        "    qapp.processEvents()\n"
        "print(seen[0])\n"
        "window.hide()\n"
        "window.ctx.store.close()\n"
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        TIES_HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Unix sockets where Qt puts them")
def test_the_socket_file_looked_for_is_where_a_server_listens(tmp_path: Path, qtbot) -> None:
    from ties.ui.instance import InstanceServer, server_name, socket_file

    journal = tmp_path / "j.ties"
    server = InstanceServer(journal)
    where = socket_file(server_name(journal))
    assert where is not None and not where.exists()
    assert server.listen()
    try:
        assert server.server.fullServerName() == str(where) and where.exists()
    finally:
        server.close()


def test_nobody_to_hand_over_to_costs_no_qtnetwork(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from ties.ui.instance import hand_over\n"
        "print(hand_over(Path(sys.argv[1]), 'show'), 'PySide6.QtNetwork' in sys.modules)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "nobody.ties")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    expected = "False False" if sys.platform.startswith("linux") else "False True"
    assert out.stdout.strip() == expected


def test_the_first_place_works_its_figures_out_after_the_first_paint(
    demo_ctx: AppContext, qtbot, monkeypatch: pytest.MonkeyPatch, close_and_wait
) -> None:
    """A worker busy with Python holds the GIL that the first paint needs: it starts after."""
    from PySide6.QtCore import QEvent, QObject

    from ties.ui.place_figures import PlaceFigures

    order: list[str] = []
    real = PlaceFigures.refresh
    monkeypatch.setattr(PlaceFigures, "refresh", lambda self: (order.append("job"), real(self)))

    class Paint(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "paint" not in order:
                order.append("paint")
            return False

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window, before_close_func=close_and_wait)
    probe = Paint()
    window.installEventFilter(probe)
    window.show_place("today")
    assert window.places.built("today")
    window.show()
    qtbot.waitUntil(lambda: "job" in order, timeout=10_000)
    assert order[:2] == ["paint", "job"]
    place = window.places["today"]
    qtbot.waitUntil(lambda: place.loaded, timeout=10_000)  # the figures still come


def test_the_sync_starts_by_itself_once_the_window_has_painted(
    unshown: MainWindow, qtbot, tmp_path: Path
) -> None:
    from ties.app.sync import choose_folder

    folder = tmp_path / "Sync"
    folder.mkdir()
    choose_folder(unshown.ctx.store, folder)
    assert unshown._sync is None  # nothing of it before the first screen
    unshown.show()
    qtbot.waitUntil(lambda: unshown._sync is not None, timeout=10_000)
    sync = unshown._sync
    assert sync is not None and sync.folder() == folder
    qtbot.waitUntil(lambda: sync.label.text().startswith("Synced"), timeout=20_000)


def test_a_journal_with_entries_builds_no_welcome_page(demo_ctx: AppContext, qtbot) -> None:
    from ties.ui.welcome import WelcomePage

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show_place("today")
    assert window.findChildren(WelcomePage) == []
    assert window.welcome.isHidden()  # built when asked for, all the same


def test_reopening_the_last_journal_writes_no_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every start remembers its journal: the settings file is written only when that changes."""
    from ties.ui import settings

    writes: list[int] = []
    real = settings._owner_only
    monkeypatch.setattr(settings, "_owner_only", lambda s: (writes.append(1), real(s)))
    work, home = tmp_path / "work.ties", tmp_path / "home.ties"
    settings.remember_journal(work)
    settings.remember_journal(home)
    assert len(writes) == 2
    settings.remember_journal(home)  # opened again: nothing to write
    assert len(writes) == 2
    assert settings.last_journal() == home and settings.recent_journals()[:2] == [home, work]
    settings.remember_journal(work)  # another one: written, first again
    assert len(writes) == 3 and settings.recent_journals()[:2] == [work, home]
