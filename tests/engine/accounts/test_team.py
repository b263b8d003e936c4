"""Owners manage the team; nobody can lock a tenant out of its last owner."""

from __future__ import annotations

import pytest

from engine.accounts import sessions, users
from engine.accounts.errors import AccountError, Forbidden
from engine.db import session_scope
from tests.factories import new_tenant, new_user


@pytest.fixture
def team() -> dict[str, int]:
    with session_scope() as session:
        tenant = new_tenant(session)
        return {
            "tenant": tenant,
            "owner": new_user(session, tenant, "owner"),
            "admin": new_user(session, tenant, "admin"),
            "agent": new_user(session, tenant, "agent"),
        }


def test_an_owner_invites_a_new_person_who_can_then_sign_in(team: dict[str, int]) -> None:
    with session_scope() as session:
        result = users.invite_member(
            session, team["tenant"], team["owner"], email="New@Shop.example", role="manager"
        )
    assert result.member.email == "new@shop.example" and result.member.role == "manager"
    assert result.temporary_password
    with session_scope() as session:
        token = sessions.login(session, "new@shop.example", result.temporary_password)
        assert sessions.resolve(session, token).role == "manager"


def test_inviting_an_existing_account_adds_a_membership_without_a_password(team: dict[str, int]) -> None:
    with session_scope() as session:
        other = new_tenant(session)
        new_user(session, other, "owner", email="known@example.com")
        result = users.invite_member(
            session, team["tenant"], team["owner"], email="known@example.com", role="agent"
        )
    assert result.temporary_password is None


@pytest.mark.parametrize("actor", ["admin", "agent"])
def test_only_owners_manage_the_team(team: dict[str, int], actor: str) -> None:
    with pytest.raises(Forbidden, match="only an owner"), session_scope() as session:
        users.invite_member(session, team["tenant"], team[actor], email="x@example.com", role="viewer")
    with pytest.raises(Forbidden), session_scope() as session:
        users.remove_member(session, team["tenant"], team[actor], user_id=team["agent"])


def test_roles_change_and_members_leave(team: dict[str, int]) -> None:
    with session_scope() as session:
        assert (
            users.change_role(
                session, team["tenant"], team["owner"], user_id=team["agent"], role="viewer"
            ).role
            == "viewer"
        )
        users.remove_member(session, team["tenant"], team["owner"], user_id=team["admin"])
        assert {m.user_id for m in users.list_members(session, team["tenant"])} == {
            team["owner"],
            team["agent"],
        }


def test_the_last_owner_can_be_neither_demoted_nor_removed(team: dict[str, int]) -> None:
    with pytest.raises(AccountError, match="at least one owner"), session_scope() as session:
        users.change_role(session, team["tenant"], team["owner"], user_id=team["owner"], role="admin")
    with pytest.raises(AccountError, match="last owner"), session_scope() as session:
        users.remove_member(session, team["tenant"], team["owner"], user_id=team["owner"])


def test_bad_input_is_refused_with_a_reason(team: dict[str, int]) -> None:
    with pytest.raises(AccountError, match="not a valid email"), session_scope() as session:
        users.invite_member(session, team["tenant"], team["owner"], email="nope", role="agent")
    with pytest.raises(AccountError, match="unknown role"), session_scope() as session:
        users.invite_member(session, team["tenant"], team["owner"], email="a@b.example", role="boss")
    with pytest.raises(AccountError, match="already a member"), session_scope() as session:
        users.invite_member(
            session, team["tenant"], team["owner"], email=users_email(team["agent"]), role="agent"
        )


def users_email(user_id: int) -> str:
    from engine.models import User

    with session_scope() as session:
        return session.get(User, user_id).email
