"""Settings → Account: every role changes their own password from the console, with inline errors."""

from __future__ import annotations

import pytest
from sqlmodel import select

from console.state.account import AccountState
from console.state.settings import SettingsState
from engine.accounts import sessions
from engine.accounts.errors import AuthenticationFailed
from engine.db import session_scope
from engine.models import AuditLog
from engine.security.scopes import Role
from tests.console.conftest import PASSWORD, redirect_path, sign_in, toast_text

NEW = "a much longer passphrase"


def _form(current: str = PASSWORD, new: str = NEW, confirm: str | None = None) -> dict[str, str]:
    return {
        "username": "ignored@example.com",
        "current_password": current,
        "new_password": new,
        "confirm_password": new if confirm is None else confirm,
    }


def _errors(state: AccountState) -> tuple[str, str, str]:
    return state.current_error, state.new_error, state.confirm_error


@pytest.mark.parametrize("role", [r.value for r in Role])
async def test_every_role_gets_the_account_tab(open_tab, workspace, role: str) -> None:
    person = workspace.people[role]
    settings = open_tab(SettingsState, person.token, "/settings?tab=account")
    assert await settings.load_page() is None
    assert settings.tab == "account"
    assert (await settings.set_tab("account")) is None and settings.tab == "account"


async def test_a_role_without_settings_lands_on_account(open_tab, workspace) -> None:
    settings = open_tab(SettingsState, workspace.people["viewer"].token, "/settings")
    await settings.load_page()
    assert settings.tab == "account" and not settings.can_manage
    owner = open_tab(SettingsState, workspace.people["owner"].token, "/settings")
    await owner.load_page()
    assert owner.tab == "general" and owner.can_manage


async def test_missing_fields_are_marked_inline(open_tab, workspace) -> None:
    state = open_tab(AccountState, workspace.people["agent"].token, "/settings?tab=account")
    assert await state.change_password(_form("", "")) is None
    assert _errors(state) == ("Enter your current password.", "Choose a new password.", "")


async def test_too_short_and_mismatched_are_caught_before_the_engine(open_tab, workspace) -> None:
    state = open_tab(AccountState, workspace.people["agent"].token, "/settings?tab=account")
    await state.change_password(_form(new="short"))
    assert _errors(state) == ("", "Use at least 10 characters.", "")
    await state.change_password(_form(confirm="a much longer passphrasf"))
    assert _errors(state) == ("", "", "This doesn't match the new password.")


async def test_a_wrong_current_password_is_shown_under_its_field(open_tab, workspace) -> None:
    state = open_tab(AccountState, workspace.people["agent"].token, "/settings?tab=account")
    assert await state.change_password(_form(current="not my password")) is None
    assert _errors(state) == ("Your current password is not right.", "", "")
    assert state.form_version == 0


async def test_the_same_password_again_is_refused(open_tab, workspace) -> None:
    state = open_tab(AccountState, workspace.people["agent"].token, "/settings?tab=account")
    await state.change_password(_form(new=PASSWORD))
    assert _errors(state) == ("", "The new password must be different from the current one.", "")


async def test_success_toasts_keeps_this_session_and_ends_the_others(open_tab, workspace) -> None:
    agent = workspace.people["agent"]
    elsewhere = sign_in(agent.email)
    state = open_tab(AccountState, agent.token, "/settings?tab=account")
    state.current_error = "stale"
    event = await state.change_password(_form())
    text = toast_text(event)
    assert "success" in text and "Password changed. 1 other session was signed out." in text
    assert _errors(state) == ("", "", "") and state.form_version == 1
    with session_scope() as db:
        assert sessions.resolve(db, agent.token).user_id == agent.user_id
        with pytest.raises(AuthenticationFailed):
            sessions.resolve(db, elsewhere)
        assert sessions.login(db, agent.email, NEW)
        row = db.exec(select(AuditLog).where(AuditLog.action == "account.password_changed")).one()
        assert (row.tenant_id, row.actor_user_id) == (workspace.tenant_id, agent.user_id)


async def test_without_a_session_it_goes_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(AccountState, None, "/settings?tab=account")
    target = redirect_path(await state.change_password(_form()))
    assert target is not None and target.startswith("/login?next=%2Fsettings")
    with session_scope() as db:  # nothing changed
        assert sessions.login(db, workspace.people["agent"].email, PASSWORD)
