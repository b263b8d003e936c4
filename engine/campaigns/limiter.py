"""The dispatcher's pace: never more than `rate` sends in any one-second window, and slower after a 429.

Two parts. The pace: each send reserves its start time under a lock and sleeps until it, once — the next
slot of an even pace, one every `window / rate` seconds (GCRA's "theoretical arrival time"). Reserving
rather than polling matters at 400/s: polling senders wake each other for every slot (a thundering herd that
ate the CPU the sends needed); reserved ones wake once, on time. The cap: as it actually starts, a send is
admitted only if the send `rate` places earlier in the log of actual starts began at least a window ago,
else it waits, and never sooner than 3/4 of a pace interval after the previous start. A stalled process wakes
with many slots overdue at once; the pace alone would let them all go together and, with the next second's
own slots, put more than `rate` into one window at Twilio. The log cannot be fooled by a stall, and the
catch-up runs at 4/3 of the pace rather than in one burst (a burst bunches further on its way to Twilio).

The window is a little over a second (`margin`): a send reaches Twilio a few milliseconds after it starts,
and those delays differ, so sends a whole second apart here may sit closer together at Twilio. Even spacing
over `1 + margin` seconds costs `margin` of the configured rate (3%). Twilio's 429 halves the rate at once;
each calm second after it gives back a tenth of the configured rate.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

Deadline = float | Callable[[], float] | None
CATCH_UP = 0.75  # after a stall, overdue sends go at 4/3 of the pace at most, not all at once


def _value(deadline: Deadline) -> float | None:
    return deadline() if callable(deadline) else deadline


class SlidingWindowLimiter:
    def __init__(
        self,
        rate: int,
        *,
        window: float = 1.0,
        margin: float = 0.03,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.configured = max(1, int(rate))
        self.rate = float(self.configured)
        self.window = window + margin
        self.clock = clock
        self.sleep = sleep
        self._starts: deque[float] = deque()  # reserved start times, in order
        self._started: deque[float] = deque()  # actual start times, in order
        self._lock = threading.Lock()
        self._slowed_at: float | None = None
        self._tat = 0.0  # the start of the next send at an even pace

    def _recover(self, now: float) -> None:
        if self._slowed_at is None or self.rate >= self.configured:
            return
        calm = now - self._slowed_at
        if calm >= 1.0:
            self.rate = min(float(self.configured), self.rate + self.configured * 0.1 * int(calm))
            self._slowed_at = now if self.rate < self.configured else None

    def reserve(self, deadline: Deadline = None) -> float | None:
        """The clock time this send may start at (taken: nobody else gets it); None after `deadline`."""
        with self._lock:
            now = self.clock()
            self._recover(now)
            allowed = max(1, int(self.rate))
            while self._starts and self._starts[0] <= now - self.window:
                self._starts.popleft()
            start = max(self._tat, now)
            if len(self._starts) >= allowed:
                start = max(start, self._starts[-allowed] + self.window)
            limit = _value(deadline)
            if limit is not None and start > limit:
                return None
            self._starts.append(start)
            self._tat = start + self.window / self.rate
            return start

    def admit(self) -> float:
        """Called as a send actually starts: 0 when it may go now (and it is logged), else how long to wait
        before asking again (the one-second window already holds `rate` actual starts)."""
        with self._lock:
            now = self.clock()
            allowed = max(1, int(self.rate))
            while self._started and self._started[0] <= now - self.window:
                self._started.popleft()
            if len(self._started) >= allowed:
                return max(self._started[-allowed] + self.window - now, 0.0005)
            if self._started and now - self._started[-1] < CATCH_UP / self.rate:
                return max(CATCH_UP / self.rate - (now - self._started[-1]), 0.0005)
            self._started.append(now)
            return 0.0

    def acquire(self, deadline: Deadline = None) -> bool:
        """Wait for this send's slot; False when the slot lies after `deadline` (a clock time, or a function
        giving the current one: a lease renewed while we wait extends it, a lease lost ends it)."""
        start = self.reserve(deadline)
        if start is None:
            return False
        wait = start - self.clock()
        while True:
            if wait > 0:
                self.sleep(wait)
            limit = _value(deadline)
            if limit is not None and self.clock() > limit:
                return False
            wait = self.admit()
            if not wait:
                return True

    def slow_down(self) -> None:
        """Twilio said 429: halve the pace now."""
        with self._lock:
            self.rate = max(1.0, self.rate / 2)
            self._slowed_at = self.clock()


__all__ = ["SlidingWindowLimiter"]
