"""The cache, counters and locks behave the same in-process and on Redis."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from engine.cache import LockTimeout, MemoryCache, RedisCache


@pytest.fixture(params=["memory", "redis"])
def cache(request: pytest.FixtureRequest, redis_url: str | None):
    if request.param == "memory":
        return MemoryCache()
    if not redis_url:
        pytest.skip("TEST_REDIS_URL is not set")
    return RedisCache(redis_url, prefix=f"parley-test-{uuid.uuid4().hex[:8]}:")


def test_values_expire(cache) -> None:
    cache.set("persona:1", {"name": "Maya"}, ttl=0.2)
    assert cache.get("persona:1") == {"name": "Maya"}
    time.sleep(0.3)
    assert cache.get("persona:1") is None


def test_counters_count_within_their_window(cache) -> None:
    assert [cache.incr("fails", ttl=0.3) for _ in range(3)] == [1, 2, 3]
    time.sleep(0.4)
    assert cache.incr("fails", ttl=0.3) == 1


def test_a_lock_admits_one_holder_at_a_time(cache) -> None:
    inside, overlaps = [], []

    def work() -> None:
        with cache.lock("conversation:7", ttl=5, wait=5):
            if inside:
                overlaps.append(True)
            inside.append(1)
            time.sleep(0.05)
            inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []


def test_a_busy_lock_times_out(cache) -> None:
    with cache.lock("busy", ttl=5, wait=1), pytest.raises(LockTimeout), cache.lock("busy", ttl=5, wait=0.1):
        pass
