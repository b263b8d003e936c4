"""Settings → Team through TeamState: only owners manage the team, and every handler checks again."""

from __future__ import annotations

import pytest

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.team import TeamState
from engine.accounts import sessions, users
from engine.db import session_scope
from tests.console.conftest import add_person, make_tenant, redirect_path, sign_in, toast_text


def member_emails(tenant_id: int) -> set[str]:
    with session_scope() as db:
        return {m.email for m in users.list_members(db, tenant_id)}


def role_of(tenant_id: int, email: str) -> str:
    with session_scope() as db:
        return next(m.role for m in users.list_members(db, tenant_id) if m.email == email)


async def owner_team(open_tab, workspace) -> TeamState:
    state = open_tab(TeamState, workspace.people["owner"].token, "/settings?tab=team")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


async def test_owner_sees_members_with_role_badges(open_tab, workspace) -> None:
    state = await owner_team(open_tab, workspace)
    rows = {m.email: m for m in state.members}
    assert set(rows) == member_emails(workspace.tenant_id)
    assert rows["owner@greenleaf.test"].is_you
    assert not rows["agent@greenleaf.test"].is_you
    assert rows["agent@greenleaf.test"].role_name == "Agent"
    assert rows["viewer@greenleaf.test"].name == "Viewer Person"
    assert state.member_count == 5


@pytest.mark.parametrize("role", ["admin", "manager", "agent", "viewer"])
async def test_only_owners_get_the_team(open_tab, workspace, role: str) -> None:
    state = open_tab(TeamState, workspace.people[role].token, "/settings?tab=team")
    await state.load_page()
    assert state.access == FORBIDDEN
    assert state.members == []


@pytest.mark.parametrize("role", ["admin", "viewer", "agent"])
async def test_forged_team_events_are_refused(open_tab, workspace, role: str) -> None:
    """A client that skips the UI and sends the events anyway changes nothing."""
    person = workspace.people[role]
    state = open_tab(TeamState, person.token, "/settings?tab=team")
    before = member_emails(workspace.tenant_id)
    target = str(workspace.people["manager"].user_id)

    assert "error" in toast_text(await state.open_invite())
    assert state.invite_open is False
    assert "error" in toast_text(await state.invite({"email": "new@greenleaf.test", "role": "owner"}))
    assert "error" in toast_text(await state.change_role(target, "owner"))
    assert "error" in toast_text(await state.ask_remove(target, "manager@greenleaf.test"))
    assert state.remove_open is False
    state.remove_user_id = target  # even with a forged confirmation target
    assert "error" in toast_text(await state.confirm_remove())

    assert member_emails(workspace.tenant_id) == before
    assert role_of(workspace.tenant_id, "manager@greenleaf.test") == "manager"
    assert state.access == FORBIDDEN


async def test_team_handlers_without_session_go_to_login(open_tab, workspace) -> None:
    state = open_tab(TeamState, None, "/settings")
    assert redirect_path(await state.invite({"email": "x@y.z", "role": "agent"})).startswith("/login")
    assert redirect_path(await state.confirm_remove()).startswith("/login")


async def test_invite_new_person_shows_temporary_password_once(open_tab, workspace) -> None:
    state = await owner_team(open_tab, workspace)
    await state.open_invite()
    assert state.invite_open
    event = await state.invite({"email": "  New.Baker@GreenLeaf.test ", "role": "manager"})
    assert "success" in toast_text(event)
    assert state.created_email == "new.baker@greenleaf.test"
    assert len(state.created_password) >= 12
    assert state.invite_open  # the dialog stays open to show the password
    assert "new.baker@greenleaf.test" in {m.email for m in state.members}
    assert role_of(workspace.tenant_id, "new.baker@greenleaf.test") == "manager"

    state.set_invite_open(False)
    assert state.created_password == "" and state.invite_open is False


async def test_invited_until_the_first_sign_in(open_tab, workspace) -> None:
    """A new account is "Invited" (said in the toast and beside the name) until it signs in once; someone who
    has signed in elsewhere is "added"."""
    state = await owner_team(open_tab, workspace)
    await state.open_invite()
    event = await state.invite({"email": "new.baker@greenleaf.test", "role": "agent"})
    assert "new.baker@greenleaf.test was invited as Agent." in toast_text(event)
    rows = {m.email: m for m in state.members}
    assert rows["new.baker@greenleaf.test"].invited
    assert not rows["owner@greenleaf.test"].invited  # signed in by the fixture

    with session_scope() as db:
        sessions.login(db, "new.baker@greenleaf.test", state.created_password)
    await state.load_page()
    assert not {m.email: m for m in state.members}["new.baker@greenleaf.test"].invited

    other = make_tenant("Northwind Cafe", "northwind")
    add_person(other, "barista@northwind.test", "agent")
    sign_in("barista@northwind.test")
    await state.open_invite()
    event = await state.invite({"email": "barista@northwind.test", "role": "viewer"})
    assert "barista@northwind.test was added as Viewer." in toast_text(event)


async def test_invite_existing_account_needs_no_password(open_tab, workspace) -> None:
    other = make_tenant("Northwind Cafe", "northwind")
    state = await owner_team(open_tab, workspace)
    add_person(other, "barista@northwind.test", "agent")
    await state.open_invite()
    event = await state.invite({"email": "barista@northwind.test", "role": "viewer"})
    assert "success" in toast_text(event)
    assert state.created_password == ""
    assert state.invite_open is False
    assert role_of(workspace.tenant_id, "barista@northwind.test") == "viewer"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the email address"),
        ("not-an-email", "is not a valid email address"),
        ("agent@greenleaf.test", "already a member"),
    ],
)
async def test_invite_validation_is_inline(open_tab, workspace, email: str, message: str) -> None:
    state = await owner_team(open_tab, workspace)
    await state.open_invite()
    before = member_emails(workspace.tenant_id)
    assert await state.invite({"email": email, "role": "agent"}) is None
    assert message in state.invite_error
    assert state.invite_error.endswith(".")
    assert state.invite_open and state.created_password == ""
    assert member_emails(workspace.tenant_id) == before
    state.set_invite_open(False)
    assert state.invite_error == ""


async def test_unknown_role_is_refused_inline(open_tab, workspace) -> None:
    state = await owner_team(open_tab, workspace)
    await state.invite({"email": "someone@greenleaf.test", "role": "superuser"})
    assert "unknown role" in state.invite_error.lower()
    assert "someone@greenleaf.test" not in member_emails(workspace.tenant_id)


async def test_change_role(open_tab, workspace) -> None:
    state = await owner_team(open_tab, workspace)
    agent = workspace.people["agent"]
    event = await state.change_role(str(agent.user_id), "manager")
    assert "success" in toast_text(event) and "Manager" in toast_text(event)
    assert role_of(workspace.tenant_id, agent.email) == "manager"
    assert next(m for m in state.members if m.email == agent.email).role == "manager"


async def test_last_owner_cannot_step_down(open_tab, workspace) -> None:
    state = await owner_team(open_tab, workspace)
    owner = workspace.people["owner"]
    event = await state.change_role(str(owner.user_id), "viewer")
    assert "error" in toast_text(event) and "at least one owner" in toast_text(event)
    assert role_of(workspace.tenant_id, owner.email) == "owner"
    assert "error" in toast_text(await state.change_role("not-a-number", "viewer"))


async def test_remove_member_after_confirmation(open_tab, workspace) -> None:
    state = await owner_team(open_tab, workspace)
    viewer = workspace.people["viewer"]
    await state.ask_remove(str(viewer.user_id), viewer.email)
    assert state.remove_open and state.remove_email == viewer.email
    state.set_remove_open(False)
    assert viewer.email in member_emails(workspace.tenant_id)

    await state.ask_remove(str(viewer.user_id), viewer.email)
    event = await state.confirm_remove()
    assert "success" in toast_text(event)
    assert viewer.email not in member_emails(workspace.tenant_id)
    assert viewer.email not in {m.email for m in state.members}
    assert state.remove_open is False


async def test_last_owner_cannot_be_removed(open_tab, workspace) -> None:
    state = await owner_team(open_tab, workspace)
    owner = workspace.people["owner"]
    await state.ask_remove(str(owner.user_id), owner.email)
    event = await state.confirm_remove()
    assert "error" in toast_text(event) and "last owner" in toast_text(event)
    assert owner.email in member_emails(workspace.tenant_id)


async def test_demoted_mid_session_loses_the_team_at_the_next_event(open_tab, workspace) -> None:
    """The role is re-read on every event: a tab opened as owner keeps no power after a demotion."""
    first = workspace.people["owner"]
    second = workspace.people["admin"]
    with session_scope() as db:
        users.change_role(db, workspace.tenant_id, first.user_id, user_id=second.user_id, role="owner")
    state = open_tab(TeamState, second.token, "/settings?tab=team")
    await state.load_page()
    assert state.access == ALLOWED and state.members

    with session_scope() as db:
        users.change_role(db, workspace.tenant_id, first.user_id, user_id=second.user_id, role="agent")
    event = await state.invite({"email": "late@greenleaf.test", "role": "owner"})
    assert "error" in toast_text(event)
    assert state.access == FORBIDDEN and state.members == []
    assert "late@greenleaf.test" not in member_emails(workspace.tenant_id)
