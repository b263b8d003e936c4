"""Rate limits that hold under concurrency: the `limits` library, on Redis when REDIS_URL is set.

Every check here *counts first and tests after*, in one atomic step of the storage (a Lua script on Redis, a
per-key lock in memory): 30 concurrent requests cannot all read "under the limit" before any of them is
counted, which is what a read-then-increment throttle allows. Without REDIS_URL the counters live in the
process (correct for the single embedded process, not for several).

Two building blocks:

- `hit(key, limit)` — a moving-window limit ("60/minute") for one key (a token, a customer number, a tenant).
  Returns None when the request may go on, else a `RetryAfter` (seconds to wait, and the Retry-After header
  value). The REST API (429 with Retry-After) and the webhook path (queue the excess, answer it later) are
  meant to call this.
- `ProgressiveDelay` — for guesses at a secret (sign-in, the current password). The first `free` failures
  cost nothing; after that each attempt must wait `base`, then twice that, then four times..., up to `cap`
  seconds, counted from the previous attempt that was let through. No lockout: whoever waits the delay gets
  one attempt, and the right password then works (it clears the subject's failures). A refused attempt does
  not push the wait further, so hammering does not lock the owner out either.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from engine.config import get_settings

_guard = threading.Lock()
_storage: Storage | None = None
_identity: str | None = None


@dataclass(frozen=True)
class RetryAfter:
    """A refusal: how long to wait before the next attempt can be let through."""

    seconds: float

    @property
    def header(self) -> str:
        """The Retry-After header value: whole seconds, at least 1."""
        return str(max(1, math.ceil(self.seconds)))


def storage() -> Storage:
    """The shared counter store: Redis (REDIS_URL, keys under REDIS_KEY_PREFIX) or this process's memory."""
    global _storage, _identity
    settings = get_settings()
    url = settings.redis_url
    identity = f"{settings.redis_key_prefix}{url}" if url else "memory"
    with _guard:
        if _storage is None or identity != _identity:
            _storage = (
                storage_from_string(url, key_prefix=f"{settings.redis_key_prefix}limits")
                if url
                else storage_from_string("memory://")
            )
            _identity = identity
        return _storage


def reset_storage() -> None:
    """Forget the store (tests, or after REDIS_URL changes); memory counters are dropped with it."""
    global _storage, _identity
    with _guard:
        _storage, _identity = None, None


def _item(limit: str | RateLimitItem) -> RateLimitItem:
    return parse(limit) if isinstance(limit, str) else limit


def hit(key: str, limit: str | RateLimitItem, *, cost: int = 1) -> RetryAfter | None:
    """Count one request (or `cost`) against `key` under `limit` ("30/minute", "1000/hour"), then test.

    None: go on. A RetryAfter: refused, and nothing was counted (a refused request does not extend the wait).
    """
    item = _item(limit)
    limiter = MovingWindowRateLimiter(storage())
    if limiter.hit(item, key, cost=cost):
        return None
    stats = limiter.get_window_stats(item, key)
    return RetryAfter(min(float(item.get_expiry()), max(0.0, stats.reset_time - time.time())))


def clear(key: str, limit: str | RateLimitItem) -> None:
    """Forget what `key` used of `limit` (e.g. after the owner proved who they are)."""
    MovingWindowRateLimiter(storage()).clear(_item(limit), key)


@dataclass(frozen=True)
class ProgressiveDelay:
    """Failures of one kind (`name`) per subject (an account, a client address): see the module docstring.

    `free`: failures that cost no wait; while failures are below it, at most `free` attempts are let through
    per `burst` seconds, so 30 concurrent guesses check at most `free` before the first of them has failed.
    (Short on purpose: an attempt let through here but refused by another limit never fails, and must not
    hold its place for long.) `base`/`cap`: the first and the longest wait, whole seconds. `memory`:
    failures are forgotten this long after the first one.
    """

    name: str
    free: int = 5
    base: int = 1
    cap: int = 60
    memory: int = 3600
    burst: int = 10

    def _keys(self, subject: str) -> tuple[str, str]:
        subject = subject.strip().lower()
        return f"delay/{self.name}/failures/{subject}", f"delay/{self.name}/gate/{subject}"

    def failures(self, subject: str) -> int:
        return int(storage().get(self._keys(subject)[0]))

    def wait_after(self, failures: int) -> int:
        """The wait before the next attempt, given the failures so far (0 while they are free)."""
        if failures < self.free:
            return 0
        return int(min(self.cap, self.base * 2 ** min(failures - self.free, 30)))

    def admit(self, subject: str) -> RetryAfter | None:
        """Take the subject's next attempt slot, atomically; None when this attempt may be checked.

        While failures are free, at most `free` attempts fit in `burst` seconds; after that, one attempt per
        wait. Both are one moving-window entry list, so the step from one regime to the other needs no lock,
        and the wait counts from the last attempt let through. The RetryAfter is an upper bound.
        """
        failures_key, gate_key = self._keys(subject)
        wait = self.wait_after(int(storage().get(failures_key)))
        limit, window = (self.free, self.burst) if wait == 0 else (1, wait)
        if storage().acquire_entry(gate_key, limit, window):
            return None
        return RetryAfter(float(window))

    def failed(self, subject: str) -> None:
        storage().incr(self._keys(subject)[0], self.memory)

    def succeeded(self, subject: str) -> None:
        """The subject proved itself: its failures and its waiting slot are forgotten."""
        for key in self._keys(subject):
            storage().clear(key)


__all__ = ["ProgressiveDelay", "RetryAfter", "clear", "hit", "reset_storage", "storage"]
