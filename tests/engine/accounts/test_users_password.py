"""Changing your own password: the current one must be right, the new one valid and different; the other
sessions end, this one stays, and each workspace gets an audit row."""

from __future__ import annotations

import pytest
from sqlmodel import select

from engine.accounts import sessions, users
from engine.accounts.errors import AuthenticationFailed
from engine.accounts.users import PasswordRefused, change_password
from engine.db import session_scope
from engine.models import AuditLog, User
from engine.security.passwords import verify_password
from tests.factories import new_tenant, new_user

PASSWORD = "correct horse battery"
NEW = "a much longer passphrase"


@pytest.fixture
def person() -> tuple[int, int]:
    """(tenant id, user id) of an agent signed up with PASSWORD."""
    with session_scope() as session:
        tenant = new_tenant(session)
        user = new_user(session, tenant, "agent", email="agent@example.com")
    return tenant, user


def _login() -> str:
    with session_scope() as session:
        return sessions.login(session, "agent@example.com", PASSWORD if not _changed() else NEW)


def _changed() -> bool:
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == "agent@example.com")).one()
        return verify_password(user.password_hash, NEW)


def _change(user_id: int, current: str, new: str, keep: str | None = None) -> int:
    with session_scope() as session:
        return change_password(session, user_id, current, new, keep_token=keep)


def _refusal(user_id: int, current: str, new: str) -> PasswordRefused:
    with pytest.raises(PasswordRefused) as caught:
        _change(user_id, current, new)
    return caught.value


def test_a_wrong_current_password_is_refused(person: tuple[int, int]) -> None:
    _, user = person
    refused = _refusal(user, "not my password", NEW)
    assert refused.field == "current" and "current password is not right" in str(refused)
    assert not _changed()


@pytest.mark.parametrize("new", ["short", "nine char", " padded password ", ""])
def test_a_too_short_or_padded_new_password_is_refused(person: tuple[int, int], new: str) -> None:
    _, user = person
    refused = _refusal(user, PASSWORD, new)
    assert refused.field == "new"
    assert "10 characters" in str(refused) or "spaces" in str(refused)
    assert not _changed()


def test_the_same_password_again_is_refused(person: tuple[int, int]) -> None:
    _, user = person
    refused = _refusal(user, PASSWORD, PASSWORD)
    assert refused.field == "new" and "different" in str(refused)


def test_success_ends_the_other_sessions_and_keeps_this_one(person: tuple[int, int]) -> None:
    _, user = person
    here, laptop, phone = _login(), _login(), _login()
    assert _change(user, PASSWORD, NEW, keep=here) == 2
    with session_scope() as session:
        assert sessions.resolve(session, here).user_id == user
        for token in (laptop, phone):
            with pytest.raises(AuthenticationFailed, match="session has ended"):
                sessions.resolve(session, token)
    # The new password signs in, the old one no longer does.
    with session_scope() as session:
        assert sessions.resolve(session, sessions.login(session, "agent@example.com", NEW)).user_id == user
    with pytest.raises(AuthenticationFailed), session_scope() as session:
        sessions.login(session, "agent@example.com", PASSWORD)


def test_success_writes_an_audit_row_in_each_workspace(person: tuple[int, int]) -> None:
    tenant, user = person
    with session_scope() as session:
        second = new_tenant(session)
        users.add_membership(session, second, user, "viewer")
    _change(user, PASSWORD, NEW, keep=_login())
    with session_scope() as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == "account.password_changed")).all()
        assert sorted(r.tenant_id for r in rows) == sorted([tenant, second])
        assert {(r.actor_user_id, r.target_type, r.target_id, r.actor_label) for r in rows} == {
            (user, "user", str(user), "agent@example.com")
        }
        assert rows[0].details == {"other_sessions_ended": 0}
        assert NEW not in repr([r.details for r in rows]) and PASSWORD not in repr([r.details for r in rows])


def test_wrong_current_passwords_are_throttled(person: tuple[int, int]) -> None:
    _, user = person
    for _ in range(users.PASSWORD_CHECK_DELAY.free):
        _refusal(user, "guess", NEW)
    refused = _refusal(user, PASSWORD, NEW)  # even the right one, until the delay passes (tests/security)
    assert refused.field == "current" and "too many" in str(refused)


def test_a_disabled_account_cannot_change_its_password(person: tuple[int, int]) -> None:
    _, user = person
    with session_scope() as session:
        row = session.get(User, user)
        row.is_active = False
        session.add(row)
    with pytest.raises(AuthenticationFailed):
        _change(user, PASSWORD, NEW)


def test_ending_other_sessions_without_a_token_ends_them_all(person: tuple[int, int]) -> None:
    _, user = person
    first, second = _login(), _login()
    with session_scope() as session:
        assert sessions.end_other_sessions(session, user) == 2
        assert sessions.end_other_sessions(session, user, first) == 0
    with session_scope() as session:
        for token in (first, second):
            with pytest.raises(AuthenticationFailed):
                sessions.resolve(session, token)
