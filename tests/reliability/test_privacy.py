"""Privacy: files are owner-only, nothing goes to the network, logs hold no journal content."""

from __future__ import annotations

import ast
import os
import socket
import stat
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from reliability_kit import ROOT

from ties import logs, paths
from ties.cli import main
from ties.io import backup as backups
from ties.io.export_csv import export_csv
from ties.io.export_json import export_json
from ties.io.export_markdown import export_markdown
from ties.io.importers import import_file
from ties.io.recovery import set_aside_damaged
from ties.model import Entry, Person
from ties.store import Store

SECRET_NAME = "Zoë Secretname"
SECRET_NOTE = "lent her 500 for the rent, do not tell anyone"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most careless umask: every mode we see is one Ties chose itself."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(autouse=True)
def fresh_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``ties.logs`` configures itself once per process; here, once per test's own home."""
    import logging

    logger = logging.getLogger("ties")
    handlers = list(logger.handlers)
    monkeypatch.setattr(logs, "_configured", False)
    yield
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()


@pytest.fixture
def filled(isolated_home: Path) -> Iterator[Store]:
    store = Store.open(paths.default_journal_path())
    ana = store.add_person(Person(name=SECRET_NAME, notes=SECRET_NOTE))
    assert ana.id
    store.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id], note=SECRET_NOTE))
    yield store
    store.close()


def test_everything_ties_writes_is_owner_only(
    open_umask: None, isolated_home: Path, tmp_path: Path
) -> None:
    journal = paths.default_journal_path()
    store = Store.open(journal)
    ana = store.add_person(Person(name=SECRET_NAME))
    assert ana.id
    store.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id], note=SECRET_NOTE))
    files = {
        "journal": journal,
        "journal -wal": journal.with_name(journal.name + "-wal"),
        "journal -shm": journal.with_name(journal.name + "-shm"),
        "automatic backup": backups.backup(store, kind="auto", now=datetime(2026, 1, 2)),
        "manual backup": backups.backup(store, tmp_path / "mine.ties"),
        "copy set aside": store.copy_aside("before-test"),
    }
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o755)
    export_json(store, exports / "j.json")
    export_csv(store, exports / "j.zip")
    export_markdown(store, exports / "j.md")
    files.update({f"export {p.suffix}": p for p in exports.iterdir()})
    try:
        raise RuntimeError(SECRET_NAME)
    except RuntimeError as exc:
        files["log"] = logs.log_unexpected(exc)
    modes = {name: oct(_mode(p)) for name, p in files.items()}
    store.close()
    backups.restore(files["manual backup"], journal)
    modes["restored journal"] = oct(_mode(journal))
    modes["damaged journal set aside"] = oct(_mode(set_aside_damaged(journal)))

    assert modes == {name: oct(0o600) for name in modes}
    folders = {
        "data": paths.data_dir(),
        "backups": paths.backup_dir(),
        "logs": paths.log_dir(),
        "journal folder (new)": journal.parent,
    }
    assert {name: oct(_mode(p)) for name, p in folders.items()} == {
        name: oct(0o700) for name in folders
    }


def test_a_new_journal_in_a_new_folder_is_owner_only(open_umask: None, tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "journal.ties"
    rc = main(["--db", str(path), "log", "gave #career_guidance to @Ana"])
    assert rc == 0
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


# ------------------------------------------------------------------------ logs


def test_log_unexpected_records_type_and_place_never_the_message(isolated_home: Path) -> None:
    def deep_in_the_code() -> None:
        raise ValueError(f"cannot save {SECRET_NAME}: {SECRET_NOTE}")

    try:
        deep_in_the_code()
    except ValueError as exc:
        path = logs.log_unexpected(exc)
    text = path.read_text(encoding="utf-8")
    assert "ValueError" in text and "deep_in_the_code" in text
    assert "Secretname" not in text and "rent" not in text and "Zoë" not in text


def test_a_bug_in_a_command_logs_no_content(
    filled: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A command that crashes with journal text in the exception: the log and stderr stay clean."""
    from ties import quickadd

    def broken_save(store, q):  # type: ignore[no-untyped-def]
        raise KeyError(f"{q.people} {q.note}")

    monkeypatch.setattr(quickadd, "save", broken_save)
    rc = main(["--db", str(filled.path), "log", f'gave to @"{SECRET_NAME}": {SECRET_NOTE}'])
    err = capsys.readouterr().err
    assert rc == 70
    assert "KeyError" in err
    log_text = logs.log_file().read_text(encoding="utf-8")
    for text in (err, log_text):
        assert "Secretname" not in text and "rent" not in text


# --------------------------------------------------------------------- network

BLOCKED: list[str] = []


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make every way Python opens a network connection fail (and remember the attempt).

    Local (AF_UNIX) sockets stay allowed: they never leave the machine and
    Qt's event machinery may use them.
    """
    attempts: list[str] = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family=-1, *args, **kwargs):  # type: ignore[no-untyped-def]
            if family in (socket.AF_INET, socket.AF_INET6, -1):
                attempts.append(f"socket({family})")
                raise OSError("network access is forbidden in this test")
            super().__init__(family, *args, **kwargs)

    def refuse(name: str):  # type: ignore[no-untyped-def]
        def blocked(*args, **kwargs):  # type: ignore[no-untyped-def]
            attempts.append(f"{name}{args[:1]}")
            raise OSError("network access is forbidden in this test")

        return blocked

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "create_server"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield attempts
    assert attempts == [], f"Ties tried to use the network: {attempts}"


def test_the_guard_really_blocks(no_network: list[str]) -> None:
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(OSError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    no_network.clear()  # these two were ours


def test_backup_export_import_restore_without_network(
    no_network: list[str], filled: Store, tmp_path: Path
) -> None:
    auto = backups.backup(filled, kind="auto")
    backups.backup(filled, tmp_path / "enc.ties.enc", passphrase="correct horse battery")
    export_json(filled, tmp_path / "out.json")
    export_csv(filled, tmp_path / "out.zip")
    export_markdown(filled, tmp_path / "out.md")
    with Store.open(tmp_path / "other.ties") as other:
        import_file(other, tmp_path / "out.json", backup=True)
        import_file(other, tmp_path / "out.zip", backup=False)
        sample = ROOT / "tests" / "fixtures" / "contacts" / "v30-google-contacts.vcf"
        import_file(other, sample, backup=False)
        assert other.resolve_person(SECRET_NAME) is not None
    backups.restore(auto, tmp_path / "restored.ties")
    for argv in (["check"], ["entries"], ["search", "rent"], ["backup"]):
        assert main(["--db", str(filled.path), *argv]) == 0


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_tray_reminders_quick_add_and_calendar_without_network(
    no_network: list[str],
    filled: Store,
    tmp_path: Path,
    qtbot,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The tray, a reminder sent (to no bus: it fails quietly), quick add, calendar, autostart."""
    from PySide6.QtCore import Qt

    from ties.io import autostart
    from ties.io.ics import export_ics, keep_calendar
    from ties.ui.context import AppContext
    from ties.ui.instance import InstanceServer, hand_over
    from ties.ui.main_window import MainWindow
    from ties.ui.tray import TrayAgent

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    filled.add_entry(
        Entry(
            date=date(2026, 1, 2),
            person_ids=[filled.list_people()[0].id],  # type: ignore[list-item]
            follow_up=date(2026, 1, 9),
        )
    )
    window = MainWindow(AppContext(filled))
    qtbot.addWidget(window)
    agent = TrayAgent(window, available=True, ask=lambda _parent: False)
    failed: list[str] = []
    agent.notifier.failed.connect(failed.append)
    agent.start()
    qtbot.waitUntil(lambda: agent.count is not None, timeout=10_000)
    agent._remind(date(2026, 6, 30))
    qtbot.waitUntil(lambda: bool(failed), timeout=15_000)
    agent.notifier.close()
    agent.quick_add()
    qtbot.keyClicks(agent.quick_window.quick.line, "call with @Ben yesterday")
    agent.quick_window.quick.completer.popup().hide()
    qtbot.keyClick(agent.quick_window.quick.line, Qt.Key.Key_Return)
    assert filled.resolve_person("Ben") is not None
    server = InstanceServer(filled.path, agent)
    assert server.listen()
    assert hand_over(tmp_path / "nobody-has-this.ties", "show") is False
    server.close()
    export_ics(filled, tmp_path / "out.ics")
    keep_calendar(filled, tmp_path)
    autostart.enable(["ties", "--tray"], platform="linux")
    autostart.disable(platform="linux")
    assert (
        main(["--db", str(filled.path), "export", "--format", "ics", "-o", str(tmp_path / "c.ics")])
        == 0
    )


#: Qt's local sockets (Unix sockets, Windows named pipes) never leave the machine: the one
#: part of QtNetwork Ties may use (ui/instance.py: a later start hands over to the first).
LOCAL_ONLY = {"PySide6.QtNetwork.QLocalServer", "PySide6.QtNetwork.QLocalSocket"}


def test_no_module_of_ties_imports_a_network_library() -> None:
    """A static check that backs the runtime one: nothing can even reach for the network."""
    forbidden = {
        "socket", "ssl", "urllib", "http", "requests", "httpx", "aiohttp", "ftplib",
        "smtplib", "xmlrpc", "webbrowser", "PySide6.QtNetwork", "PySide6.QtWebEngineCore",
    }  # fmt: skip
    offenders = []
    for path in (ROOT / "src" / "ties").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [f"{node.module}.{a.name}" for a in node.names]
                if not set(names) <= LOCAL_ONLY:
                    names.append(node.module)
                else:
                    names = []
            for name in names:
                if name in forbidden or name.split(".")[0] in forbidden:
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []
