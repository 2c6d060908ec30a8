"""Run in ``dbus-run-session``: a stand-in notification server, dbus-monitor, Ties' Notifier.

Prints one JSON line: what the server received, whether the click came back
to Qt, and what dbus-monitor saw on the session bus. Used by
tests/ui/test_notifications.py (not collected itself: no ``test_`` prefix).
"""

import asyncio
import json
import subprocess
import sys
import threading
import time

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal

calls: list[dict[str, object]] = []


def _signed(**annotations: str):  # type: ignore[no-untyped-def]
    """Give a method its D-Bus signature: dbus-fast reads it from the annotations."""

    def give(fn):  # type: ignore[no-untyped-def]
        fn.__annotations__ = annotations
        return fn

    return give


class FakeNotifications(ServiceInterface):
    """The freedesktop Notifications interface; clicks every notification it gets."""

    def __init__(self) -> None:
        super().__init__("org.freedesktop.Notifications")

    @method(name="Notify")
    @_signed(
        app="s",
        rid="u",
        icon="s",
        summary="s",
        body="s",
        actions="as",
        hints="a{sv}",
        timeout="i",
        **{"return": "u"},
    )
    def notify(self, app, rid, icon, summary, body, actions, hints, timeout):  # type: ignore[no-untyped-def]
        calls.append({"app": app, "summary": summary, "body": body, "actions": list(actions)})
        asyncio.get_running_loop().call_later(0.2, self.action_invoked, 1, "default")
        return 1

    @method(name="GetCapabilities")
    @_signed(**{"return": "as"})
    def get_capabilities(self):  # type: ignore[no-untyped-def]
        return ["body", "actions"]

    @method(name="GetServerInformation")
    @_signed(**{"return": "ssss"})
    def get_server_information(self):  # type: ignore[no-untyped-def]
        return ["fake", "ties-tests", "1", "1.2"]

    @method(name="CloseNotification")
    @_signed(nid="u")
    def close_notification(self, nid):  # type: ignore[no-untyped-def]
        return None

    @signal(name="ActionInvoked")
    @_signed(nid="u", key="s", **{"return": "us"})
    def action_invoked(self, nid, key):  # type: ignore[no-untyped-def]
        return [nid, key]

    @signal(name="NotificationClosed")
    @_signed(nid="u", reason="u", **{"return": "uu"})
    def notification_closed(self, nid, reason):  # type: ignore[no-untyped-def]
        return [nid, reason]


def serve(ready: threading.Event) -> None:
    async def main() -> None:
        bus = await MessageBus().connect()
        bus.export("/org/freedesktop/Notifications", FakeNotifications())
        await bus.request_name("org.freedesktop.Notifications")
        ready.set()
        await asyncio.sleep(30)

    asyncio.run(main())


def main() -> None:
    monitor = subprocess.Popen(
        ["dbus-monitor", "--session", "interface='org.freedesktop.Notifications'"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    time.sleep(0.3)
    ready = threading.Event()
    threading.Thread(target=serve, args=(ready,), daemon=True).start()
    ready.wait(10)

    from PySide6.QtCore import QCoreApplication, QTimer

    from ties.analysis.reminders import build_reminder
    from ties.analysis.today import TodayItem
    from ties.ui.notifications import Notifier

    app = QCoreApplication([])
    notifier = Notifier()
    result: dict[str, object] = {"clicked": False, "sent": False, "failed": None}
    notifier.sent.connect(lambda: result.update(sent=True))
    notifier.failed.connect(lambda why: (result.update(failed=why), app.quit()))
    notifier.clicked.connect(lambda: (result.update(clicked=True), app.quit()))
    items = [
        TodayItem(key=f"k{i}", group="follow_up", title=f"Follow up with P{i}", detail="")
        for i in range(5)
    ]
    reminder = build_reminder(items)
    assert reminder is not None
    notifier.send(reminder)
    QTimer.singleShot(10_000, app.quit)
    app.exec()
    notifier.close()
    time.sleep(0.3)
    monitor.terminate()
    seen = monitor.communicate(timeout=5)[0]
    result["calls"] = calls
    result["monitor_saw_notify"] = "member=Notify" in seen and reminder.title in seen
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
