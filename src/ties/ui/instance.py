"""One running Ties per journal: a later start hands its request to the first and exits.

The first window listens on a local socket named after the journal (a Unix
socket or a Windows named pipe: nothing leaves the machine). ``ties quick``
and a second ``ties`` send one line — ``quick`` or ``show`` — and the first
instance opens its quick-add window or raises its main window. The journal
lock (``ui/lock.py``) stays what guarantees a single writer; this only turns
"already open" into something useful.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ties import paths

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

REQUESTS = ("quick", "show", "today")
CONNECT_MS = 500


def server_name(journal: Path) -> str:
    """A name per user and journal (short: Unix socket paths are limited)."""
    key = f"{os.getuid() if hasattr(os, 'getuid') else os.getlogin()}:{journal}"
    return "ties-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def quick_journal(db: str | None) -> Path:
    """The journal a start means, as ``ui/app.journal_path`` decides, with light imports only.

    ``ties quick`` must reach a running Ties in well under 300 ms, so it does not
    import the window to find out which journal is meant.
    """
    if db:
        return Path(db).expanduser()
    if os.environ.get("TIES_DB"):
        return paths.default_journal_path()
    from ties.ui.settings import last_journal

    last = last_journal()
    if last is not None and last.exists():
        return last
    return paths.default_journal_path()


def socket_file(name: str) -> Path | None:
    """Where a server of this name listens on Linux: Qt's temporary folder (``$TMPDIR``,
    else ``/tmp``) holds its socket. None elsewhere (Windows has named pipes)."""
    if not sys.platform.startswith("linux"):
        return None
    return Path(os.environ.get("TMPDIR") or "/tmp") / name


def hand_over(journal: Path, request: str, timeout_ms: int = CONNECT_MS) -> bool:
    """Send ``request`` to the Ties that has ``journal`` open; False when none answers.

    Where no socket file is there, nobody listens: False without loading QtNetwork
    (~8 ms of every start of the window).
    """
    if request not in REQUESTS:
        raise ValueError(f"unknown request {request!r}")
    name = server_name(journal)
    where = socket_file(name)
    if where is not None and not where.exists():
        return False
    from PySide6.QtNetwork import QLocalSocket

    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(f"{request}\n".encode("ascii"))
    ok = sock.waitForBytesWritten(timeout_ms)
    sock.waitForReadyRead(timeout_ms)  # the answer "ok" once it was acted on
    answered = bytes(sock.readAll().data()).startswith(b"ok")
    sock.disconnectFromServer()
    return ok and answered


class InstanceServer(QObject):
    """Listens for requests from later starts.

    Signals:
        requested(str): one of :data:`REQUESTS`.
    """

    requested = Signal(str)

    def __init__(self, journal: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtNetwork import QLocalServer

        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.name = server_name(journal)
        self.server.newConnection.connect(self._connection)

    def listen(self) -> bool:
        """Start listening (a stale socket left by a crash is removed first)."""
        if self.server.listen(self.name):
            return True
        self.server.removeServer(self.name)
        return self.server.listen(self.name)

    def _connection(self) -> None:
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            if sock is None:
                return
            sock.readyRead.connect(self._reader(sock))
            sock.disconnected.connect(sock.deleteLater)

    def _reader(self, sock: QLocalSocket) -> Callable[[], None]:
        def read() -> None:
            if not sock.canReadLine():
                return
            line = bytes(sock.readLine().data()).decode("ascii", "replace").strip()
            if line in REQUESTS:
                self.requested.emit(line)
                sock.write(b"ok\n")
            else:
                sock.write(b"unknown\n")
            sock.flush()

        return read

    def close(self) -> None:
        self.server.close()
