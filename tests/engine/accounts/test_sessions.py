"""Console sign-in: right password only, sessions expire and can be revoked, tenants can be switched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from engine.accounts import sessions
from engine.accounts.errors import AuthenticationFailed, Forbidden
from engine.db import session_scope
from engine.models import UserSession, utcnow
from engine.security.tokens import hash_token
from tests.factories import new_tenant, new_user

PASSWORD = "correct horse battery"


@pytest.fixture
def owner() -> tuple[int, int]:
    with session_scope() as session:
        tenant = new_tenant(session)
        user = new_user(session, tenant, "owner", email="owner@example.com")
    return tenant, user


def test_the_right_password_opens_a_session_in_the_users_tenant(owner: tuple[int, int]) -> None:
    tenant, user = owner
    with session_scope() as session:
        token = sessions.login(session, "Owner@Example.com ", PASSWORD)
        me = sessions.resolve(session, token)
    assert (me.user_id, me.tenant_id, me.role) == (user, tenant, "owner")
    assert "team:manage" in me.scopes


@pytest.mark.parametrize(
    ("email", "password"),
    [("owner@example.com", "wrong password!"), ("nobody@example.com", PASSWORD), ("", "")],
)
def test_a_wrong_password_or_unknown_email_is_refused_with_the_same_message(
    owner: tuple[int, int], email: str, password: str
) -> None:
    with pytest.raises(AuthenticationFailed, match="wrong email or password"), session_scope() as session:
        sessions.login(session, email, password)


def test_only_the_hash_of_the_session_token_is_stored(owner: tuple[int, int]) -> None:
    with session_scope() as session:
        token = sessions.login(session, "owner@example.com", PASSWORD)
        stored = session.exec(select(UserSession)).one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash


def test_an_expired_session_is_refused(owner: tuple[int, int]) -> None:
    with session_scope() as session:
        token = sessions.login(session, "owner@example.com", PASSWORD)
        row = session.exec(select(UserSession)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    with pytest.raises(AuthenticationFailed, match="expired"), session_scope() as session:
        sessions.resolve(session, token)


def test_sign_out_ends_the_session(owner: tuple[int, int]) -> None:
    with session_scope() as session:
        token = sessions.login(session, "owner@example.com", PASSWORD)
        sessions.logout(session, token)
    with pytest.raises(AuthenticationFailed, match="ended"), session_scope() as session:
        sessions.resolve(session, token)


def test_a_member_of_two_tenants_can_switch_but_not_into_a_third(owner: tuple[int, int]) -> None:
    tenant, user = owner
    with session_scope() as session:
        second = new_tenant(session)
        outsider = new_tenant(session)
        from engine.accounts.users import add_membership

        add_membership(session, second, user, "viewer")
        token = sessions.login(session, "owner@example.com", PASSWORD)
        me = sessions.switch_tenant(session, token, second)
        assert (me.tenant_id, me.role) == (second, "viewer")
        assert {m.tenant_id for m in me.memberships} == {tenant, second}
        with pytest.raises(Forbidden):
            sessions.switch_tenant(session, token, outsider)
    with session_scope() as session:
        assert sessions.resolve(session, token).tenant_id == second


def test_repeated_wrong_passwords_slow_the_email_down(owner: tuple[int, int]) -> None:
    # The delays themselves (and that the right password works after one) are in tests/security.
    for _ in range(sessions.ACCOUNT_DELAY.free):
        with pytest.raises(AuthenticationFailed, match="wrong"), session_scope() as session:
            sessions.login(session, "owner@example.com", "wrong password!")
    with pytest.raises(AuthenticationFailed, match="too many failed"), session_scope() as session:
        sessions.login(session, "owner@example.com", PASSWORD)
