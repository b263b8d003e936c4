"""Rate limits count before they check (issue #14, item 4): in memory and on Redis (TEST_REDIS_URL).

Sign-in slows guessing down instead of locking the owner out: concurrent wrong guesses cannot all be
checked, the right password works once the delay has passed, and one client address guessing across many
accounts is slowed as well. Time is a fake clock handed to the `limits` storages and to our module.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import limits.storage.memory
import limits.storage.redis
import pytest

from engine.accounts import sessions, users
from engine.accounts.errors import AuthenticationFailed, SignInThrottled
from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.security import rate_limits
from engine.security.rate_limits import ProgressiveDelay, RetryAfter, hit
from tests.factories import new_tenant, new_user

PASSWORD = "correct horse battery"


class FakeTime(SimpleNamespace):
    """`time` as the storages see it: `time()` stands still until advanced; everything else is real."""

    def __init__(self) -> None:
        super().__init__(now=time.time())

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def __getattr__(self, name: str) -> object:
        return getattr(time, name)


@pytest.fixture(params=["memory", "redis"])
def clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, redis_url: str | None) -> FakeTime:
    """Each test once on the in-process store and once on Redis, with a frozen clock."""
    if request.param == "redis":
        if not redis_url:
            pytest.skip("TEST_REDIS_URL is not set")
        monkeypatch.setenv("REDIS_URL", redis_url)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    rate_limits.reset_storage()
    fake = FakeTime()
    for module in (limits.storage.memory, limits.storage.redis, rate_limits):
        monkeypatch.setattr(module, "time", fake)
    return fake


@pytest.fixture
def owner(clock: FakeTime) -> str:
    with session_scope() as session:
        new_user(session, new_tenant(session), "owner", email="owner@example.com")
    return "owner@example.com"


def _login(email: str, password: str, address: str | None = "203.0.113.7") -> str:
    with session_scope() as session:
        return sessions.login(session, email, password, client_address=address)


def _refused(email: str, password: str, address: str | None = "203.0.113.7") -> AuthenticationFailed:
    with pytest.raises(AuthenticationFailed) as caught:
        _login(email, password, address)
    return caught.value


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password actually checked (argon2 run), recorded."""
    checked: list[str] = []
    lock = threading.Lock()
    real = sessions.verify_password

    def counting(hashed: str, password: str) -> bool:
        with lock:
            checked.append(password)
        return real(hashed, password)

    monkeypatch.setattr(sessions, "verify_password", counting)
    return checked


# -- the building block --------------------------------------------------------------------------------------


def test_hit_lets_the_limit_through_then_says_how_long_to_wait(clock: FakeTime) -> None:
    assert [hit("token:1", "3/minute") for _ in range(3)] == [None, None, None]
    refused = hit("token:1", "3/minute")
    assert isinstance(refused, RetryAfter) and 0 < refused.seconds <= 60 and refused.header == "60"
    assert hit("token:2", "3/minute") is None  # keys are independent
    clock.advance(61)
    assert hit("token:1", "3/minute") is None


def test_concurrent_hits_are_counted_before_they_are_checked(clock: FakeTime) -> None:
    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(lambda _: hit("tenant:7", "5/minute"), range(30)))
    assert sum(r is None for r in results) == 5


def test_the_wait_grows_with_each_failure_up_to_the_cap() -> None:
    delay = ProgressiveDelay("t", free=5, base=1, cap=60)
    assert [delay.wait_after(n) for n in (0, 4, 5, 6, 7, 10, 11, 50)] == [0, 0, 1, 2, 4, 32, 60, 60]


# -- sign-in -------------------------------------------------------------------------------------------------


def test_thirty_concurrent_wrong_guesses_check_at_most_the_free_ones(owner: str, verified: list[str]) -> None:
    def guess(n: int) -> type[Exception]:
        try:
            _login(owner, f"guess number {n}", address=None)
        except AuthenticationFailed as exc:
            return type(exc)
        raise AssertionError("a wrong guess signed in")

    with ThreadPoolExecutor(max_workers=30) as pool:
        outcomes = list(pool.map(guess, range(30)))
    assert len(verified) <= sessions.ACCOUNT_DELAY.free
    assert outcomes.count(SignInThrottled) >= 30 - sessions.ACCOUNT_DELAY.free


def test_the_right_password_works_once_the_delay_has_passed(
    clock: FakeTime, owner: str, verified: list[str]
) -> None:
    attacker, home = "198.51.100.66", "192.0.2.10"
    for _ in range(sessions.ACCOUNT_DELAY.free):
        assert "wrong" in str(_refused(owner, "wrong password!", attacker))
    throttled = _refused(owner, PASSWORD, home)  # the owner waits too, and is not even checked
    assert isinstance(throttled, SignInThrottled) and throttled.retry_after == 1
    assert "try again in 1 seconds" in str(throttled) and PASSWORD not in verified
    clock.advance(1.01)
    assert "wrong" in str(_refused(owner, "still wrong!", attacker))  # one guess per wait; the next doubles
    for _ in range(20):  # hammering while the owner waits: refusals are not counted, the wait does not grow
        assert isinstance(_refused(owner, "hammer", attacker), SignInThrottled)
    assert isinstance(_refused(owner, PASSWORD, home), SignInThrottled)
    clock.advance(2.01)
    assert _login(owner, PASSWORD, home)  # no lockout: the current wait, then the right password works
    assert "wrong" in str(_refused(owner, "typo", home))  # and the failures are forgotten
    assert "hammer" not in verified


def test_one_address_guessing_across_accounts_is_slowed_down(clock: FakeTime) -> None:
    with session_scope() as session:
        tenant = new_tenant(session)
        new_user(session, tenant, "owner", email="victim@example.com")
    for n in range(sessions.ADDRESS_DELAY.free):
        assert "wrong" in str(_refused(f"someone{n}@example.com", "guess", address="198.51.100.9"))
    assert isinstance(_refused("victim@example.com", PASSWORD, address="198.51.100.9"), SignInThrottled)
    assert _login("victim@example.com", PASSWORD, address="192.0.2.44")  # the owner, elsewhere, is not
    clock.advance(1.01)
    assert _login("victim@example.com", PASSWORD, address="198.51.100.9")


def test_wrong_current_passwords_slow_down_and_the_right_one_works_after_the_delay(clock: FakeTime) -> None:
    with session_scope() as session:
        user = new_user(session, new_tenant(session), "agent", email="agent@example.com")

    def change(current: str) -> int:
        with session_scope() as session:
            return users.change_password(session, user, current, "a much longer passphrase")

    for _ in range(users.PASSWORD_CHECK_DELAY.free):
        with pytest.raises(users.PasswordRefused, match="not right"):
            change("guess")
    with pytest.raises(users.PasswordRefused, match="try again in 1 seconds"):
        change(PASSWORD)
    clock.advance(1.01)
    assert change(PASSWORD) == 0


def test_the_sign_in_form_counts_the_client_address(clock: FakeTime) -> None:
    from urllib.parse import parse_qs, urlsplit

    from fastapi.testclient import TestClient

    from engine.http.app import create_app

    client = TestClient(create_app(), follow_redirects=False)  # its client address is "testclient"

    def error_of(email: str) -> str:
        response = client.post("/api/auth/login", data={"email": email, "password": "guess"})
        assert response.status_code == 303
        return parse_qs(urlsplit(response.headers["location"]).query)["error"][0]

    for n in range(sessions.ADDRESS_DELAY.free):
        assert "wrong" in error_of(f"person{n}@example.com")
    assert "too many failed sign-ins" in error_of("one-more@example.com")
