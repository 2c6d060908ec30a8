"""Hybrid logical clocks: time stamps that order changes even when wall clocks disagree.

A stamp is ``"<milliseconds>-<counter>-<device>"`` with fixed-width numbers, so
stamps compare correctly as plain text. A clock never goes backwards and jumps
past every stamp it receives: a change made after seeing another one always
wins over it, whatever the two wall clocks said (Kulkarni et al., 2014; the
clock cr-sqlite uses for last-writer-wins).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

MS_DIGITS = 13
COUNTER_DIGITS = 6
#: The largest counter a stamp can carry; the clock moves its time on instead.
MAX_COUNTER = 10**COUNTER_DIGITS - 1
#: A stamp further ahead of this device's clock than this is reported as a clock problem.
SKEW_WARNING_MS = 24 * 3600 * 1000


@dataclass(frozen=True, order=True)
class Stamp:
    ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.ms:0{MS_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.device}"


def parse(text: str) -> Stamp:
    """The stamp written as ``text``; ValueError when it is not one."""
    ms, counter, device = text.split("-", 2)
    if len(ms) != MS_DIGITS or len(counter) != COUNTER_DIGITS or not device:
        raise ValueError(f"not a clock stamp: {text!r}")
    return Stamp(int(ms), int(counter), device)


def iso_ms(stamp: str) -> int | None:
    """Milliseconds of a stored ``now_stamp`` (``2026-01-02T03:04:05.123456Z``), or None."""
    from datetime import datetime

    try:
        return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)
    except (ValueError, AttributeError):
        return None


def wall_ms() -> int:
    return int(time.time() * 1000)


class Clock:
    """One device's clock; ``last`` is the latest stamp it issued or received."""

    def __init__(self, device: str, last: str = "", now: int | None = None) -> None:
        self.device = device
        self._now = now
        self.last = parse(last) if last else Stamp(0, 0, device)

    def _wall(self) -> int:
        return self._now if self._now is not None else wall_ms()

    def tick(self, at_ms: int | None = None) -> str:
        """A new stamp, later than every stamp seen so far.

        ``at_ms`` is when the change was made, when known (a row's ``updated``
        time): a change found at sync time then still counts from when it was made.
        It is never taken later than this device's clock (an imported row may say
        2099), so one odd time stamp cannot make this device win every later merge.
        """
        wall = self._wall() if at_ms is None else min(at_ms, self._wall())
        if wall > self.last.ms:
            self.last = Stamp(wall, 0, self.device)
        elif self.last.counter < MAX_COUNTER:
            self.last = Stamp(self.last.ms, self.last.counter + 1, self.device)
        else:
            self.last = Stamp(self.last.ms + 1, 0, self.device)
        return str(self.last)

    def receive(self, stamp: str) -> None:
        """Move past a stamp another device issued (its change happened before our next)."""
        other = parse(stamp)
        if (other.ms, other.counter) > (self.last.ms, self.last.counter):
            self.last = Stamp(other.ms, other.counter, self.device)

    def ahead_ms(self, stamp: str) -> int:
        """How far ``stamp`` is ahead of this device's wall clock (negative: behind)."""
        return parse(stamp).ms - self._wall()
