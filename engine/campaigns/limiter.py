"""The dispatcher's pace: never more than `rate` sends in any one-second window, and slower after a 429.

A sliding-window log rather than a fixed-second counter: with fixed windows 80 sends at 0.99 s and 80 more at
1.01 s are legal, yet 160 sit inside one second. Here each send takes a slot only when the send `rate` slots
earlier began at least a window ago; the window is a little over a second (`margin`) to absorb the network's
jitter between our clock and Twilio's. Twilio's 429 halves the rate at once; each calm second after it gives
back a tenth of the configured rate. Sends are also spaced evenly (1/rate apart): a burst of a whole second's
sends queues at the far end, and that queueing is exactly the jitter that would push one more send into a
window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    def __init__(
        self,
        rate: int,
        *,
        window: float = 1.0,
        margin: float = 0.03,
        slack: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.configured = max(1, int(rate))
        self.rate = float(self.configured)
        self.window = window + margin
        self.clock = clock
        self.sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()
        self._slowed_at: float | None = None
        self._tat = 0.0  # the theoretical start of the next send at an even pace
        self.slack = slack

    def _recover(self, now: float) -> None:
        if self._slowed_at is None or self.rate >= self.configured:
            return
        calm = now - self._slowed_at
        if calm >= 1.0:
            self.rate = min(float(self.configured), self.rate + self.configured * 0.1 * int(calm))
            self._slowed_at = now if self.rate < self.configured else None

    def acquire(self, deadline: float | None = None) -> bool:
        """Wait for a slot; False when `deadline` (clock time) would pass first."""
        while True:
            with self._lock:
                now = self.clock()
                self._recover(now)
                allowed = max(1, int(self.rate))
                while self._starts and now - self._starts[0] >= self.window:
                    self._starts.popleft()
                # even spacing with a little slack (GCRA): a stall of the sending threads is caught up in
                # small steps, never in one burst
                tat = max(self._tat, now)
                spacing = tat - now - self.slack
                if len(self._starts) < allowed and spacing <= 0:
                    self._starts.append(now)
                    self._tat = tat + 1.0 / self.rate
                    return True
                wait = spacing
                if len(self._starts) >= allowed:
                    wait = max(wait, self.window - (now - self._starts[len(self._starts) - allowed]))
            if deadline is not None and now + wait > deadline:
                return False
            self.sleep(max(wait, 0.0005))

    def slow_down(self) -> None:
        """Twilio said 429: halve the pace now."""
        with self._lock:
            self.rate = max(1.0, self.rate / 2)
            self._slowed_at = self.clock()


__all__ = ["SlidingWindowLimiter"]
