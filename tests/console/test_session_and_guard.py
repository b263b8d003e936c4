"""Signing in, expired and revoked sessions, page access per role, and the tenant switcher."""

from __future__ import annotations

from datetime import timedelta

import pytest
from reflex.event import EventHandler, EventSpec
from sqlmodel import select

from console.navigation import NAV_ITEMS
from console.state.analytics import AnalyticsState
from console.state.conversations import ConversationsState
from console.state.guard import ALLOWED, FORBIDDEN, LOADING
from console.state.knowledge import KnowledgeState
from console.state.login import LoginState, safe_next
from console.state.overview import OverviewState
from console.state.session import SessionState, initials, login_url, token_from_cookie_header
from console.state.settings import SettingsState
from console.state.shell import ShellState
from console.state.team import TeamState
from console.template import PAGES
from engine.accounts import sessions
from engine.db import session_scope
from engine.models import UserSession, utcnow
from engine.security.scopes import PAGE_SCOPES, Role, pages_for
from engine.security.tokens import hash_token
from tests.console.conftest import add_person, make_tenant, redirect_path, sign_in, toast_text

PAGE_STATES = {page.page_key: page.state for page in PAGES}


def test_cookie_header_parsing() -> None:
    assert token_from_cookie_header("parley_session=abc123") == "abc123"
    assert token_from_cookie_header("a=1; parley_session=tok-en_9; b=2") == "tok-en_9"
    assert token_from_cookie_header("other=1") is None
    assert token_from_cookie_header("") is None
    assert token_from_cookie_header(None) is None
    assert token_from_cookie_header("parley_session=") is None


def test_login_url_keeps_only_same_site_paths() -> None:
    assert login_url("/knowledge") == "/login?next=%2Fknowledge"
    assert login_url("/login?next=/x") == "/login"
    assert login_url("https://evil.example/") == "/login"
    assert "error=your+session+has+expired" in login_url("/", "your session has expired")
    assert safe_next("//evil.example") == "/"
    assert safe_next("/settings?tab=team") == "/settings?tab=team"
    assert safe_next("/login") == "/"


def test_initials() -> None:
    assert initials("Maya Fischer", "maya@x.test") == "MF"
    assert initials("", "zoe@x.test") == "ZO"
    assert initials("Green Leaf Bakery", "green-leaf") == "GB"


def test_every_page_is_registered_with_its_guard() -> None:
    routes = {page.route: page for page in PAGES}
    assert set(routes) == {item.route for item in NAV_ITEMS}
    for page in PAGES:
        assert page.page_key in PAGE_SCOPES
        assert page.state.page_key in PAGE_SCOPES
        # The guard is the first state handler to run; only the client-side toast dismissal (an EventSpec,
        # no state) goes before it, so the last page's toasts leave and the guard's own notice stays.
        handlers = [e for e in page.on_load if isinstance(e, EventHandler)]
        assert handlers[0] is page.state.load_page, page.route
        assert all(isinstance(e, EventSpec) for e in page.on_load[: page.on_load.index(handlers[0])])


async def test_no_cookie_redirects_to_login_with_next(open_tab) -> None:
    state = open_tab(KnowledgeState, None, "/knowledge")
    event = await state.load_page()
    assert redirect_path(event) == "/login?next=%2Fknowledge"
    assert state.access == LOADING
    settings = open_tab(SettingsState, None, "/settings?tab=team")
    assert redirect_path(await settings.load_page()) == "/login?next=%2Fsettings%3Ftab%3Dteam"


async def test_expired_session_redirects_and_says_why(open_tab, workspace) -> None:
    owner = workspace.people["owner"]
    with session_scope() as db:
        row = db.exec(select(UserSession).where(UserSession.token_hash == hash_token(owner.token))).one()
        row.expires_at = utcnow() - timedelta(minutes=1)
        db.add(row)
    state = open_tab(SettingsState, owner.token, "/settings")
    event = await state.load_page()
    target = redirect_path(event)
    assert target is not None and target.startswith("/login?next=%2Fsettings")
    assert "expired" in target
    shell = await state.get_state(SessionState)
    assert shell.signed_in is False and shell.pages == []


async def test_signed_out_session_is_refused(open_tab, workspace) -> None:
    owner = workspace.people["owner"]
    state = open_tab(OverviewState, owner.token, "/")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    with session_scope() as db:
        sessions.logout(db, owner.token)
    assert redirect_path(await state.load_page()).startswith("/login")


async def test_shell_shows_who_and_where(open_tab, workspace) -> None:
    owner = workspace.people["owner"]
    state = open_tab(OverviewState, owner.token, "/")
    await state.load_page()
    shell = await state.get_state(SessionState)
    assert shell.signed_in
    assert shell.user_email == owner.email
    assert shell.user_name == "Owner Person"
    assert shell.tenant_name == "Green Leaf Bakery"
    assert shell.role_label == "Owner"
    assert shell.pages == pages_for("owner")
    assert len(shell.tenants) == 1
    # The ids that decide access are backend-only: never part of what is sent to the browser.
    sent = shell.dict()[SessionState.get_full_name()]
    assert shell._user_id == owner.user_id and shell._tenant_id == workspace.tenant_id
    assert not any("user_id" in name or "tenant_id" in name or name == "_role" for name in sent)
    assert owner.token not in repr(sent)


@pytest.mark.parametrize("role", [r.value for r in Role])
async def test_each_role_opens_exactly_its_pages(open_tab, workspace, role: str) -> None:
    person = workspace.people[role]
    allowed = set(pages_for(role))
    for key, state_cls in PAGE_STATES.items():
        state = open_tab(state_cls, person.token, "/")
        event = await state.load_page()
        assert redirect_path(event) is None
        # Settings opens for every member (their own Account tab); its workspace tabs follow the scope.
        expected = ALLOWED if key in allowed or key == "settings" else FORBIDDEN
        assert state.access == expected, (role, key)
        if key == "settings":
            assert state.can_manage == ("settings" in allowed), role
    shell = await state.get_state(SessionState)
    assert shell.pages == pages_for(role)


async def test_agent_sees_inbox_but_not_knowledge(open_tab, workspace) -> None:
    agent = workspace.people["agent"]
    knowledge = open_tab(KnowledgeState, agent.token, "/knowledge")
    await knowledge.load_page()
    assert knowledge.access == FORBIDDEN
    inbox = open_tab(ConversationsState, agent.token, "/conversations")
    await inbox.load_page()
    assert inbox.access == ALLOWED
    analytics = open_tab(AnalyticsState, agent.token, "/analytics")
    await analytics.load_page()
    assert analytics.access == FORBIDDEN


async def test_settings_tab_from_query_and_forged_tab_ignored(open_tab, workspace) -> None:
    owner = workspace.people["owner"]
    state = open_tab(SettingsState, owner.token, "/settings?tab=team")
    await state.load_page()
    assert state.tab == "team"
    await state.set_tab("nonsense")
    assert state.tab == "team"
    await state.set_tab("whatsapp")
    assert state.tab == "whatsapp"


async def test_settings_handlers_refuse_an_agent(open_tab, workspace) -> None:
    agent = workspace.people["agent"]
    state = open_tab(SettingsState, agent.token, "/settings?tab=team")
    await state.load_page()
    assert state.tab == "account" and not state.can_manage  # their own Account tab, not the team
    event = await state.set_tab("team")
    assert "error" in toast_text(event)
    assert state.tab == "account"
    assert state.access == ALLOWED


async def test_switch_tenant(open_tab, workspace) -> None:
    owner = workspace.people["owner"]
    other_id = make_tenant("Northwind Cafe", "northwind")
    add_person(other_id, owner.email, "viewer")
    team = open_tab(TeamState, owner.token, "/settings?tab=team")
    await team.load_page()
    assert team.members
    shell = await team.get_state(SessionState)
    assert [t["name"] for t in shell.tenants] == ["Green Leaf Bakery", "Northwind Cafe"]

    actions = await team.get_state(ShellState)
    await actions.switch_tenant(str(other_id))
    assert team.members == [] and team.access == LOADING  # Green Leaf's rows are gone from the tab
    assert shell.tenant_name == "Northwind Cafe"
    assert shell.role == "viewer"
    assert shell.pages == pages_for("viewer")
    # The page re-checks against the new tenant's role: a viewer there gets only their Account tab.
    settings = open_tab(SettingsState, owner.token, "/settings?tab=team")
    await settings.load_page()
    assert settings.access == ALLOWED and not settings.can_manage and settings.tab == "account"


async def test_switch_to_a_foreign_tenant_is_refused(open_tab, workspace) -> None:
    owner = workspace.people["owner"]
    stranger_tenant = make_tenant("Elsewhere Ltd", "elsewhere")
    state = open_tab(OverviewState, owner.token, "/")
    await state.load_page()
    shell = await state.get_state(SessionState)
    actions = await state.get_state(ShellState)
    event = await actions.switch_tenant(str(stranger_tenant))
    assert "error" in toast_text(event)
    assert shell.tenant_name == "Green Leaf Bakery"
    assert "error" in toast_text(await actions.switch_tenant("not-a-number"))


async def test_switch_tenant_without_session_goes_to_login(open_tab, workspace) -> None:
    actions = open_tab(ShellState, None, "/")
    assert redirect_path(await actions.switch_tenant(str(workspace.tenant_id))).startswith("/login")


async def test_sign_out_wipes_the_tab_before_posting(open_tab, workspace) -> None:
    owner = workspace.people["owner"]
    team = open_tab(TeamState, owner.token, "/settings?tab=team")
    await team.load_page()
    assert team.members
    actions = await team.get_state(ShellState)
    event = await actions.sign_out()
    assert "parley-sign-out" in str(event.args)
    shell = await team.get_state(SessionState)
    assert team.members == [] and shell.signed_in is False and shell.user_email == ""


async def test_an_ended_session_wipes_every_page(open_tab, workspace) -> None:
    owner = workspace.people["owner"]
    team = open_tab(TeamState, owner.token, "/settings?tab=team")
    await team.load_page()
    with session_scope() as db:
        sessions.logout(db, owner.token)
    overview = await team.get_state(OverviewState)
    assert redirect_path(await overview.load_page()).startswith("/login")
    assert team.members == [] and team.access == LOADING


async def test_login_page_reads_error_and_forwards_signed_in_people(open_tab, workspace) -> None:
    state = open_tab(LoginState, None, "/login?error=wrong+email+or+password&next=%2Fknowledge&email=a%40b.c")
    assert await state.load_page() is None
    assert state.error == "Wrong email or password."
    assert state.next_path == "/knowledge"
    assert state.email == "a@b.c"

    owner = workspace.people["owner"]
    state = open_tab(LoginState, owner.token, "/login?next=%2Fsettings")
    assert redirect_path(await state.load_page()) == "/settings"

    state = open_tab(LoginState, None, "/login?next=https%3A%2F%2Fevil.example")
    await state.load_page()
    assert state.next_path == "/"


def test_fresh_login_token_works(workspace) -> None:
    assert sign_in(workspace.people["viewer"].email)
