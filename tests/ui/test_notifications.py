"""The reminder really goes out over D-Bus and its click comes back; the clock, injected."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ties.ui import notifications
from ties.ui.notifications import ReminderClock, pause_today

PROBE = Path(__file__).with_name("notification_probe.py")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("dbus-monitor")),
    reason="needs dbus-run-session and dbus-monitor",
)
def test_the_reminder_goes_out_over_dbus_and_a_click_comes_back() -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2] / "src"))
    done = subprocess.run(
        ["dbus-run-session", "--", sys.executable, str(PROBE)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("{"))
    result = json.loads(line)
    assert result["failed"] is None
    assert result["sent"] is True
    assert result["monitor_saw_notify"] is True
    (call,) = result["calls"]
    assert call["app"] == "Ties"
    assert call["summary"] == "Ties: 5 things for today"
    assert call["body"].splitlines()[-1] == "and 2 more"
    assert result["clicked"] is True  # ActionInvoked "default" reached the Qt signal


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_clock_fires_once_a_day_and_after_a_sleep(qtbot) -> None:
    clock = FakeClock(datetime(2026, 6, 30, 8, 0, tzinfo=BERLIN))
    rc = ReminderClock(clock=clock, interval_ms=10)
    fired: list[date] = []
    rc.due.connect(fired.append)
    assert not rc.check()
    clock.now = datetime(2026, 6, 30, 9, 0, tzinfo=BERLIN)
    assert rc.check()
    assert not rc.check()  # not twice the same day
    clock.now = datetime(2026, 7, 2, 14, 0, tzinfo=BERLIN)  # slept through the 1st
    assert rc.check()
    assert fired == [date(2026, 6, 30), date(2026, 7, 2)]


def test_paused_day_and_switched_off_reminders_do_not_fire(qtbot) -> None:
    clock = FakeClock(datetime(2026, 6, 30, 10, 0, tzinfo=BERLIN))
    rc = ReminderClock(clock=clock)
    pause_today(date(2026, 6, 30))
    assert not rc.check()
    pause_today(None)
    notifications.app_settings().setValue(notifications.KEY_ENABLED, False)
    assert not rc.check()
    notifications.app_settings().setValue(notifications.KEY_ENABLED, True)
    assert rc.check()
