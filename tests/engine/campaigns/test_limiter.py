"""The pace: even spacing, never more than the rate in any window of actual starts, deadlines, 429s."""

from __future__ import annotations

import pytest

from engine.campaigns.limiter import SlidingWindowLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def limiter(rate: int, clock: Clock, margin: float = 0.0) -> SlidingWindowLimiter:
    return SlidingWindowLimiter(rate, margin=margin, clock=clock, sleep=clock.sleep)


def test_sends_are_spaced_evenly_over_the_window_plus_its_margin() -> None:
    clock = Clock()
    pace = limiter(10, clock, margin=0.03)
    starts = [pace.reserve() for _ in range(5)]
    assert starts == pytest.approx([100.0, 100.103, 100.206, 100.309, 100.412])


def test_after_a_stall_the_overdue_sends_catch_up_a_little_faster_never_in_one_burst() -> None:
    """A process that stalls wakes with many reserved slots overdue; they go at 4/3 of the pace, and the log
    of actual starts still keeps every one-second window at the rate."""
    clock = Clock()
    pace = limiter(5, clock)
    for _ in range(10):
        pace.reserve()  # slots 100.0, 100.2, … 101.8
    clock.now = 101.9  # a stall: all ten are overdue
    starts = []
    while len(starts) < 10:
        wait = pace.admit()
        if wait:
            clock.now += wait
        else:
            starts.append(clock.now)
    # every 0.15 s (the pace is 0.2 s), not at once
    assert starts[:5] == pytest.approx([101.9, 102.05, 102.2, 102.35, 102.5], abs=0.002)
    assert starts[5] == pytest.approx(102.9, abs=0.002)  # the sixth waits until the first left the window
    assert max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts) == 5


def test_acquire_never_puts_more_than_the_rate_into_any_window() -> None:
    clock = Clock()
    pace = limiter(20, clock, margin=0.03)
    starts = []
    for _ in range(100):
        assert pace.acquire()
        starts.append(clock.now)
    most = max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts)
    assert most <= 20
    assert starts[-1] - starts[0] == pytest.approx(99 * 1.03 / 20)


def test_a_slot_after_the_deadline_is_refused_and_a_lost_lease_ends_the_wait() -> None:
    clock = Clock()
    pace = limiter(2, clock)
    assert pace.reserve(deadline=100.4) == 100.0
    assert pace.reserve(deadline=100.4) is None  # the next slot (100.5) is past it
    lease = {"end": 200.0}

    def deadline() -> float:
        return lease["end"]

    real_sleep = clock.sleep

    def sleep_and_lose(seconds: float) -> None:  # the lease is lost while the send waits for its slot
        real_sleep(seconds)
        lease["end"] = 0.0

    pace.sleep = sleep_and_lose
    assert pace.acquire(deadline) is False


def test_a_429_halves_the_pace_and_calm_seconds_bring_it_back() -> None:
    clock = Clock()
    pace = limiter(80, clock)
    pace.slow_down()
    assert pace.rate == 40
    clock.now += 3.0
    pace.reserve()
    assert pace.rate == 64  # three calm seconds: three tenths of 80 back
    clock.now += 5.0
    pace.reserve()
    assert pace.rate == 80
