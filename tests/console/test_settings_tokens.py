"""Settings → API tokens through ApiTokensState: create with scopes (the secret shown once), list, revoke."""

from __future__ import annotations

import json

import pytest

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.settings_tokens import SCOPE_CHOICES, ApiTokensState
from engine.accounts import api_tokens
from engine.accounts.errors import AuthenticationFailed
from engine.db import session_scope
from engine.security.scopes import API_SCOPES
from tests.console.conftest import make_tenant, redirect_path, toast_text


def tokens_of(tenant_id: int) -> list[api_tokens.TokenInfo]:
    with session_scope() as db:
        return api_tokens.list_tokens(db, tenant_id)


def authenticate(token: str) -> api_tokens.ApiPrincipal:
    with session_scope() as db:
        return api_tokens.authenticate(db, token)


async def open_tokens(open_tab, workspace, role: str = "owner") -> ApiTokensState:
    state = open_tab(ApiTokensState, workspace.people[role].token, "/settings?tab=tokens")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


async def issue(state: ApiTokensState, name: str, scopes: list[str]) -> str:
    await state.open_create()
    state.set_new_scopes(scopes)
    assert "success" in toast_text(await state.create({"name": name}))
    token = state.created_token
    state.set_create_open(False)
    return token


def test_every_api_scope_has_a_checkbox() -> None:
    assert {value for value, _, _ in SCOPE_CHOICES} == set(API_SCOPES)


async def test_token_is_created_with_scopes_and_shown_once(open_tab, workspace) -> None:
    state = await open_tokens(open_tab, workspace)
    assert state.tokens == []

    await state.open_create()
    assert state.create_open
    state.set_new_scopes(
        ["analytics:view", "team:manage", "conversations:reply"]
    )  # console-only scope dropped
    assert state.new_scopes == ["analytics:view", "conversations:reply"]
    toast = toast_text(await state.create({"name": "  Shop sync  "}))
    assert "success" in toast

    secret = state.created_token
    assert secret.startswith("prl_") and len(secret) > 30
    assert state.created_name == "Shop sync"
    assert secret not in toast
    principal = authenticate(secret)
    assert principal.tenant_id == workspace.tenant_id
    assert principal.scopes == {"analytics:view", "conversations:reply"}

    [row] = state.tokens
    assert (row.name, row.scopes, row.last_used, row.revoked) == (
        "Shop sync",
        ["Analytics", "Conversations"],
        "Never used",
        False,
    )
    assert row.prefix == secret[:10] + "…"
    assert state.active_count == 1

    # Closing the dialog forgets the secret: it is not in the state any more, and never in the list.
    state.set_create_open(False)
    assert (state.created_token, state.create_open) == ("", False)
    assert secret not in json.dumps(state.dict(), default=str)
    again = await open_tokens(open_tab, workspace, "admin")
    assert secret not in json.dumps(again.dict(), default=str)
    assert [t.name for t in again.tokens] == ["Shop sync"]
    assert again.tokens[0].last_used != "Never used"  # used by authenticate() above


async def test_name_and_scopes_are_required(open_tab, workspace) -> None:
    state = await open_tokens(open_tab, workspace)
    await state.open_create()
    assert await state.create({"name": "  "}) is None
    assert state.name_error and state.scopes_error
    state.set_new_scopes(["campaigns:manage"])
    assert state.scopes_error == ""
    assert await state.create({"name": "x" * 81}) is None
    assert "80" in state.name_error
    assert state.created_token == "" and tokens_of(workspace.tenant_id) == []


async def test_revoke_asks_first_then_the_token_stops_working(open_tab, workspace) -> None:
    state = await open_tokens(open_tab, workspace)
    secret = await issue(state, "Reporting", ["analytics:view"])
    row = state.tokens[0]

    await state.ask_revoke(row.token_id, row.name)
    assert state.revoke_open and state.revoke_name == "Reporting"
    state.set_revoke_open(False)  # cancelled: nothing happens
    assert not state.revoke_open and not tokens_of(workspace.tenant_id)[0].revoked

    await state.ask_revoke(row.token_id, row.name)
    assert "success" in toast_text(await state.confirm_revoke())
    assert state.tokens[0].revoked and state.active_count == 0
    with pytest.raises(AuthenticationFailed, match="revoked"):
        authenticate(secret)


async def test_another_workspaces_token_cannot_be_revoked(open_tab, workspace) -> None:
    other = make_tenant("Northwind Cafe", "northwind")
    with session_scope() as db:
        foreign = api_tokens.create_token(db, other, name="Theirs", scopes=["analytics:view"])
    state = await open_tokens(open_tab, workspace)
    state.revoke_id, state.revoke_name = str(foreign.info.id), "Theirs"  # a forged target
    assert "error" in toast_text(await state.confirm_revoke())
    assert not tokens_of(other)[0].revoked
    assert state.tokens == []  # and it never shows up here


@pytest.mark.parametrize("role", ["manager", "agent", "viewer"])
async def test_other_roles_are_refused_and_forged_events_change_nothing(open_tab, workspace, role) -> None:
    owner_tab = await open_tokens(open_tab, workspace)
    await issue(owner_tab, "Owner's", ["analytics:view"])
    token_id = owner_tab.tokens[0].token_id

    state = open_tab(ApiTokensState, workspace.people[role].token, "/settings?tab=tokens")
    await state.load_page()
    assert state.access == FORBIDDEN and state.tokens == []
    assert "error" in toast_text(await state.open_create())
    assert not state.create_open
    state.set_new_scopes(["analytics:view"])  # the draft setter does nothing either
    assert state.new_scopes == []
    state.new_scopes = ["campaigns:manage"]
    assert "error" in toast_text(await state.create({"name": "Forged"}))
    assert state.created_token == ""
    assert "error" in toast_text(await state.ask_revoke(token_id, "Owner's"))
    state.revoke_id = token_id
    assert "error" in toast_text(await state.confirm_revoke())

    assert [(t.name, t.revoked) for t in tokens_of(workspace.tenant_id)] == [("Owner's", False)]


async def test_token_handlers_without_a_session_go_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(ApiTokensState, None, "/settings?tab=tokens")
    assert redirect_path(await state.create({"name": "x"})).startswith("/login")
    assert redirect_path(await state.confirm_revoke()).startswith("/login")
