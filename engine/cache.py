"""Cache, counters and locks: Redis when REDIS_URL is set (shared by every process), in-process otherwise.

One small interface so services never care which one runs; the in-process variant is only correct for a
single process, which is exactly the embedded default.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from engine.config import get_settings


class LockTimeout(TimeoutError):
    """Someone else holds the lock for longer than we were willing to wait."""


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
        self._locks: dict[str, threading.Lock] = {}

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

    @contextmanager
    def lock(self, name: str, ttl: float = 30, wait: float = 10) -> Iterator[None]:
        with self._mutex:
            lock = self._locks.setdefault(name, threading.Lock())
        if not lock.acquire(timeout=wait):
            raise LockTimeout(f"lock {name!r} is busy")
        try:
            yield
        finally:
            lock.release()


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
    def lock(self, name: str, ttl: float = 30, wait: float = 10) -> Iterator[None]:
        # redis-py's Lock uses a token and a Lua release script: only the holder can release.
        lock = self._redis.lock(
            self._k(f"lock:{name}"), timeout=ttl, blocking_timeout=wait, thread_local=False
        )
        if not lock.acquire(token=uuid.uuid4().hex):
            raise LockTimeout(f"lock {name!r} is busy")
        try:
            yield
        finally:
            # Expired while held: someone else may own it now, and releasing theirs would be wrong.
            with contextlib.suppress(Exception):
                lock.release()


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
