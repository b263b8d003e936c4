"""The offline banner on every page, and the Overview spend card, from engine.llm.service."""

from __future__ import annotations

from decimal import Decimal

import pytest

from console.state.banner import OfflineBannerState
from console.state.overview import OverviewState
from console.state.settings_ai import AIProvidersState
from console.template import PAGES
from engine.config import reset_settings_cache
from tests.console.conftest import toast_text
from tests.console.test_settings_ai import save_key
from tests.engine.llm.helpers import add_spend, configure
from tests.fakes.openai_server import FakeOpenAIServer, fake_openai

FIXTURES = (fake_openai,)  # the scripted OpenAI-compatible server that checks a saved key


def test_every_page_loads_the_banner() -> None:
    for spec in PAGES:
        names = [getattr(getattr(e, "fn", None), "__name__", "") for e in spec.on_load]
        assert "load_banner" in names, spec.route


async def banner_for(open_tab, workspace, role: str) -> OfflineBannerState:
    state = open_tab(OfflineBannerState, workspace.people[role].token, "/")
    assert await state.load_banner() is None
    return state


async def test_new_workspaces_see_the_offline_banner(open_tab, workspace) -> None:
    owner = await banner_for(open_tab, workspace, "owner")
    assert (owner.offline, owner.reason, owner.title) == (True, "configured", "Offline mode")
    assert "knowledge base" in owner.message
    assert owner.can_fix and owner.link_label == "Connect an AI provider"


@pytest.mark.parametrize("role", ["manager", "agent", "viewer"])
async def test_roles_that_cannot_fix_it_get_plain_text(open_tab, workspace, role: str) -> None:
    state = await banner_for(open_tab, workspace, role)
    assert state.offline and not state.can_fix


async def test_no_session_no_banner_and_no_redirect(open_tab, workspace) -> None:
    state = open_tab(OfflineBannerState, None, "/")
    state.offline = True
    assert await state.load_banner() is None
    assert not state.offline


async def test_saving_a_provider_clears_the_banner_in_the_same_tab(
    open_tab, workspace, fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.openai_base_url)  # the key is checked when saved
    reset_settings_cache()
    settings = open_tab(AIProvidersState, workspace.people["owner"].token, "/settings?tab=ai")
    await settings.load_page()
    banner = await settings.get_state(OfflineBannerState)
    await banner.load_banner()
    assert banner.offline

    settings.set_provider("openai")
    await settings.save()
    assert banner.offline and banner.reason == "no_credentials" and banner.title == "No AI key"
    # save_key yields (the checking spinner, the field emptied, then its toast): run it to its end.
    toast = await save_key(settings, {"provider": "openai", "api_key": "sk-test-12345678"})
    assert "success" in toast_text(toast)
    assert not banner.offline


async def test_budget_used_up_shows_the_budget_banner(open_tab, workspace) -> None:
    configure(workspace.tenant_id, llm_provider="openai_compatible", llm_base_url="http://127.0.0.1:9/v1")
    assert not (await banner_for(open_tab, workspace, "owner")).offline
    configure(workspace.tenant_id, monthly_budget=Decimal("5.00"))
    add_spend(workspace.tenant_id, "5.00")
    state = await banner_for(open_tab, workspace, "admin")
    assert (state.offline, state.reason, state.link_label) == (True, "budget", "Review the budget")


# -- Overview spend card -----------------------------------------------------------------------------------


async def overview_for(open_tab, workspace, role: str) -> OverviewState:
    state = open_tab(OverviewState, workspace.people[role].token, "/")
    await state.load_page()
    return state


async def test_overview_spend_card(open_tab, workspace) -> None:
    add_spend(workspace.tenant_id, "2.50")
    state = await overview_for(open_tab, workspace, "owner")
    assert state.spend_visible and state.spend_loaded and state.can_manage_ai
    assert (state.spent, state.budget, state.remaining, state.used_pct) == ("$2.50", "$50.00", "$47.50", 5)
    assert (state.spend_state_label, state.spend_state_color) == ("On track", "grass")

    viewer = await overview_for(open_tab, workspace, "viewer")  # analytics:view sees spend, cannot change it
    assert viewer.spend_visible and not viewer.can_manage_ai and viewer.spent == "$2.50"

    agent = await overview_for(open_tab, workspace, "agent")  # the inbox role sees no money
    assert not agent.spend_visible and agent.spent == ""


async def test_a_month_of_a_few_cents_reads_as_analytics_does(open_tab, workspace) -> None:
    """Under a unit, what was spent keeps its four decimals on the Overview, as Analytics and Settings show
    it: "$0.0263", not a rounded "$0.03" beside Analytics' "$0.0263"."""
    add_spend(workspace.tenant_id, "0.0263")
    state = await overview_for(open_tab, workspace, "owner")
    assert (state.spent, state.remaining) == ("$0.0263", "$49.97")


async def test_overview_spend_card_over_budget(open_tab, workspace) -> None:
    configure(workspace.tenant_id, monthly_budget=Decimal("10.00"))
    add_spend(workspace.tenant_id, "12.00")
    state = await overview_for(open_tab, workspace, "admin")
    assert (state.used_pct, state.remaining, state.spend_state_label, state.spend_state_color) == (
        100,
        "$0.00",
        "Budget used up",
        "red",
    )
