"""Cache, counters and locks: Redis when REDIS_URL is set (shared by every process), in-process otherwise.

One small interface so services never care which one runs; the in-process variant is only correct for a
single process, which is exactly the embedded default.

Locks are leases: each lives `ttl` seconds unless its holder renews it (`Lease.renew`), so a holder that dies
— a killed worker — frees it within seconds instead of minutes. Long work holds a short lease and keeps it
alive with `keep_alive`, a heartbeat thread that renews every lease registered with it (redis-py's
`Lock.extend`; the in-process variant extends its own expiry the same way) and runs an optional callback after
each renewal (the queue worker refreshes its claims there, so a claim and its lock live and die together).
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from engine.config import get_settings

log = logging.getLogger(__name__)


class LockTimeout(TimeoutError):
    """Someone else holds the lock for longer than we were willing to wait."""


class Lease:
    """A held lock: renew it before `ttl` runs out, or lose it. `held` turns False once a renewal failed
    (it expired and may belong to someone else now): check it before an action that must not happen twice."""

    def __init__(self, name: str, ttl: float, renew: Callable[[float], bool]) -> None:
        self.name = name
        self.ttl = ttl
        self._renew = renew
        self.held = True

    def renew(self, ttl: float | None = None) -> bool:
        """Push the expiry `ttl` (default: the lease's own) seconds from now; False when it was lost."""
        if not self.held:
            return False
        try:
            ok = bool(self._renew(ttl or self.ttl))
        except Exception:  # noqa: BLE001 - Redis unreachable: we cannot tell, so we do not claim it
            log.warning("renewing lock %s failed", self.name, exc_info=True)
            ok = False
        if not ok:
            self.held = False
            log.warning("lock %s was lost (expired before it was renewed)", self.name)
        return ok


class Cache(Protocol):
    def get(self, key: str) -> Any | None: ...
    def set(self, key: str, value: Any, ttl: float) -> None: ...
    def delete(self, key: str) -> None: ...
    def incr(self, key: str, ttl: float) -> int: ...
    def lock(self, name: str, ttl: float = 30, wait: float = 10) -> Any: ...


class MemoryCache:
    def __init__(self) -> None:
        self._data: dict[str, tuple[float, Any]] = {}
        self._mutex = threading.Lock()
        self._held: dict[str, tuple[str, float]] = {}  # lock name → (holder token, monotonic expiry)
        self._released = threading.Condition(self._mutex)

    def _alive(self, key: str) -> tuple[float, Any] | None:
        item = self._data.get(key)
        if item is not None and item[0] <= time.monotonic():
            self._data.pop(key, None)
            return None
        return item

    def get(self, key: str) -> Any | None:
        with self._mutex:
            item = self._alive(key)
            return None if item is None else item[1]

    def set(self, key: str, value: Any, ttl: float) -> None:
        with self._mutex:
            self._data[key] = (time.monotonic() + ttl, value)

    def delete(self, key: str) -> None:
        with self._mutex:
            self._data.pop(key, None)

    def incr(self, key: str, ttl: float) -> int:
        with self._mutex:
            item = self._alive(key)
            expires, value = item if item else (time.monotonic() + ttl, 0)
            self._data[key] = (expires, value + 1)
            return value + 1

    def _extend(self, name: str, token: str, ttl: float) -> bool:
        with self._mutex:
            holder = self._held.get(name)
            if holder is None or holder[0] != token or holder[1] <= time.monotonic():
                return False
            self._held[name] = (token, time.monotonic() + ttl)
            return True

    @contextmanager
    def lock(self, name: str, ttl: float = 30, wait: float = 10) -> Iterator[Lease]:
        token = uuid.uuid4().hex
        give_up = time.monotonic() + max(0.0, wait)
        with self._mutex:
            while True:
                holder = self._held.get(name)
                now = time.monotonic()
                if holder is None or holder[1] <= now:  # free, or its holder stopped renewing it
                    self._held[name] = (token, now + ttl)
                    break
                if now >= give_up:
                    raise LockTimeout(f"lock {name!r} is busy")
                self._released.wait(min(give_up, holder[1]) - now)
        try:
            yield Lease(name, ttl, lambda seconds: self._extend(name, token, seconds))
        finally:
            with self._mutex:
                if self._held.get(name, ("", 0.0))[0] == token:
                    del self._held[name]
                self._released.notify_all()


class RedisCache:
    def __init__(self, url: str, prefix: str = "parley:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def _k(self, key: str) -> str:
        return self._prefix + key

    def get(self, key: str) -> Any | None:
        raw = self._redis.get(self._k(key))
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, ttl: float) -> None:
        self._redis.set(self._k(key), json.dumps(value, default=str), px=int(ttl * 1000))

    def delete(self, key: str) -> None:
        self._redis.delete(self._k(key))

    def incr(self, key: str, ttl: float) -> int:
        pipe = self._redis.pipeline()
        pipe.incr(self._k(key))
        pipe.pexpire(self._k(key), int(ttl * 1000), nx=True)
        value, _ = pipe.execute()
        return int(value)

    @contextmanager
    def lock(self, name: str, ttl: float = 30, wait: float = 10) -> Iterator[Lease]:
        # redis-py's Lock uses a token and Lua scripts: only the holder can extend or release it.
        lock = self._redis.lock(
            self._k(f"lock:{name}"), timeout=ttl, blocking_timeout=wait, thread_local=False
        )
        if not lock.acquire(token=uuid.uuid4().hex):
            raise LockTimeout(f"lock {name!r} is busy")
        try:
            yield Lease(name, ttl, lambda seconds: lock.extend(seconds, replace_ttl=True))
        finally:
            # Expired while held: someone else may own it now, and releasing theirs would be wrong.
            with contextlib.suppress(Exception):
                lock.release()


class _Heartbeat:
    """One daemon thread per process renewing every registered lease at a third of its ttl.

    Why one thread and not one per lease: a worker holds a lease per conversation it answers (eight at once)
    and one per message it sends; a single loop renews them all and dies with the process, which is the
    point — a killed worker's leases then run out on their own.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[Lease, Callable[[], None] | None, float]] = {}
        self._mutex = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, lease: Lease, on_renew: Callable[[], None] | None) -> int:
        with self._mutex:
            key = id(lease)
            self._entries[key] = (lease, on_renew, time.monotonic() + lease.ttl / 3)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="lease-heartbeat", daemon=True)
                self._thread.start()
        self._wake.set()
        return key

    def remove(self, key: int) -> None:
        with self._mutex:
            self._entries.pop(key, None)

    def _run(self) -> None:
        while True:
            self._wake.wait(0.25)
            self._wake.clear()
            now = time.monotonic()
            with self._mutex:
                due = [(k, e) for k, e in self._entries.items() if e[2] <= now]
            for key, (lease, on_renew, _) in due:
                with self._mutex:
                    if key not in self._entries:
                        continue  # released meanwhile
                    self._entries[key] = (lease, on_renew, now + lease.ttl / 3)
                if lease.renew() and on_renew is not None:
                    try:
                        on_renew()
                    except Exception:  # noqa: BLE001 - a failed refresh is retried at the next beat
                        log.warning("heartbeat callback for %s failed", lease.name, exc_info=True)


_heartbeat = _Heartbeat()


@contextmanager
def keep_alive(lease: Lease, on_renew: Callable[[], None] | None = None) -> Iterator[Lease]:
    """Renew `lease` every ttl/3 seconds while the block runs (and call `on_renew` after each renewal)."""
    key = _heartbeat.add(lease, on_renew)
    try:
        yield lease
    finally:
        _heartbeat.remove(key)


_cache: Cache | None = None
_cache_url: str | None = None
_guard = threading.Lock()


def get_cache() -> Cache:
    global _cache, _cache_url
    settings = get_settings()
    url = settings.redis_url
    identity = f"{settings.redis_key_prefix}{url}" if url else None
    with _guard:
        if _cache is None or identity != _cache_url:
            _cache = RedisCache(url, prefix=settings.redis_key_prefix) if url else MemoryCache()
            _cache_url = identity
        return _cache


def reset_cache() -> None:
    """Drop the process cache (tests, or after REDIS_URL changes)."""
    global _cache, _cache_url
    with _guard:
        _cache, _cache_url = None, None
