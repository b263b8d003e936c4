"""Settings → AI providers through AIProvidersState: real states, the real engine service, the scripted fake
OpenAI-compatible server for the connection test.

What must hold: only owners and admins get the tab and forged events change nothing; keys go in encrypted and
come back only as ••••last4 (never in the state sent to the browser); each refused field gets its own message;
the model chain is saved in order with its prices; "Test connection" makes one real call and shows the
latency or the provider's own error.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.settings_ai import AIProvidersState
from console.state.settings_ai_rows import PROVIDER_CHOICES
from engine.db import session_scope
from engine.llm import service
from engine.llm.ledger import CallLedger
from tests.console.conftest import redirect_path, toast_text
from tests.engine.llm.helpers import add_spend, llm_calls
from tests.fakes.openai_server import FakeOpenAIServer, fake_openai, slow, unauthorized

FIXTURES = (fake_openai,)  # the scripted OpenAI-compatible server on 127.0.0.1, one per test

LLAMA = "together:meta-llama/Llama-3.3-70B-Instruct-Turbo"


@pytest.fixture(autouse=True)
def _keys_are_checked_by_the_fake(fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key is checked with its provider when saved: here the scripted server stands in for both."""
    from engine.config import reset_settings_cache

    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.openai_base_url)
    monkeypatch.setenv("TOGETHER_BASE_URL", fake_openai.openai_base_url)
    reset_settings_cache()


async def save_key(state: AIProvidersState, form: dict[str, Any]) -> Any:
    """Run the save_key handler to its end; the last event it sent (its toast, or None)."""
    last = None
    async for event in state.save_key(form):
        if event is not None:
            last = event
    return last


def stored(tenant_id: int) -> service.ProviderSettings:
    with session_scope() as db:
        return service.get_provider_settings(db, tenant_id)


def browser_view(state: AIProvidersState) -> str:
    """Everything the browser receives for this tab: the state's public vars, as JSON."""
    return json.dumps(state.dict(), default=str)


async def run_test_connection(state: AIProvidersState) -> Any:
    """Run the background handler's body on this state (Reflex refuses direct calls to background tasks; under
    pytest `async with self` is a no-op, so the body runs as it would inside the state lock)."""
    return await AIProvidersState.event_handlers["test_connection"].fn(state)


async def open_ai_tab(open_tab, workspace, role: str = "owner") -> AIProvidersState:
    state = open_tab(AIProvidersState, workspace.people[role].token, "/settings?tab=ai")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


def test_provider_choices_are_the_engines() -> None:
    assert [value for value, *_ in PROVIDER_CHOICES] == list(service.PROVIDER_LABELS)


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_owners_and_admins_get_the_tab(open_tab, workspace, role: str) -> None:
    state = await open_ai_tab(open_tab, workspace, role)
    assert state.provider == "offline"  # new workspaces start offline
    assert [(r.model, r.price_in, r.price_out, r.role) for r in state.chain_rows] == [
        ("gpt-4o-mini", "$0.15", "$0.60", "Default")
    ]
    assert [(k.provider, k.status) for k in state.keys] == [
        ("openai", "Not set"),
        ("together", "Not set"),
        ("openai_compatible", "Not set"),
    ]
    assert (state.budget, state.soft_limit, state.currency) == ("50.00", "80", "USD")
    assert (state.spent, state.budget_total, state.spend_state_label) == ("$0.00", "$50.00", "On track")
    assert state.pricing_date  # prices are dated
    assert any(p.model == "gpt-4o" for p in state.openai_picks)
    assert all(p.ref != "openai:gpt-4o-mini" for p in state.openai_picks)  # already chosen


@pytest.mark.parametrize("role", ["manager", "agent", "viewer"])
async def test_other_roles_are_refused_and_forged_events_change_nothing(open_tab, workspace, role) -> None:
    state = open_tab(AIProvidersState, workspace.people[role].token, "/settings?tab=ai")
    await state.load_page()
    assert state.access == FORBIDDEN
    assert state.keys == [] and state.chain_rows == [] and state.spent == ""

    # Draft setters do nothing for a tab that never loaded for an allowed role.
    state.set_provider("openai")
    state.set_budget("9999")
    state.add_model(LLAMA)
    assert (state.provider, state.budget, state.chain) == ("offline", "", [])

    # Handlers that touch the database refuse, even with a forged draft in place.
    state.provider, state.chain, state.budget, state.soft_limit = "openai", ["openai:gpt-4o"], "1", "50"
    assert "error" in toast_text(await state.save())
    assert "error" in toast_text(
        await save_key(state, {"provider": "openai", "api_key": "sk-forged-12345678"})
    )
    assert "error" in toast_text(await state.ask_delete_key("openai"))
    state.delete_key_provider = "openai"
    assert "error" in toast_text(await state.confirm_delete_key())
    assert "error" in toast_text(await run_test_connection(state))
    assert "error" in toast_text(await state.discard())

    settings = stored(workspace.tenant_id)
    assert settings.provider == "offline" and settings.monthly_budget == Decimal("50.00")
    assert all(k.masked is None for k in settings.keys)
    assert state.access == FORBIDDEN


async def test_handlers_without_a_session_go_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(AIProvidersState, None, "/settings?tab=ai")
    assert redirect_path(await state.save()).startswith("/login")
    assert redirect_path(await save_key(state, {"provider": "openai", "api_key": "x" * 12})).startswith(
        "/login"
    )
    assert redirect_path(await run_test_connection(state)).startswith("/login")


async def test_key_is_saved_encrypted_and_only_shown_masked(open_tab, workspace) -> None:
    secret = "sk-live-abcdefghijklmnop1234"
    state = await open_ai_tab(open_tab, workspace)
    toast = toast_text(await save_key(state, {"provider": "openai", "api_key": secret}))
    assert "success" in toast and "1234)" in toast and secret not in toast

    row = next(k for k in state.keys if k.provider == "openai")
    assert (row.masked, row.source, row.status) == ("••••1234", "tenant", "Saved for this workspace")
    assert secret not in browser_view(state) and "abcdefgh" not in browser_view(state)
    with session_scope() as db:
        raw = db.connection().exec_driver_sql("SELECT value FROM secret").scalar()
    assert "abcdefgh" not in raw  # encrypted at rest

    # A fresh tab (another page load) shows the same mask and still never the key.
    again = await open_ai_tab(open_tab, workspace, "admin")
    assert next(k for k in again.keys if k.provider == "openai").masked == "••••1234"
    assert secret not in browser_view(again)

    # Removing asks first, then the key is gone.
    await again.ask_delete_key("openai")
    assert again.delete_key_open and again.delete_key_label == "OpenAI"
    assert "success" in toast_text(await again.confirm_delete_key())
    assert next(k for k in again.keys if k.provider == "openai").masked == ""
    assert all(k.masked is None for k in stored(workspace.tenant_id).keys)


async def test_environment_key_is_shown_as_such(open_tab, workspace, monkeypatch) -> None:
    from engine.config import reset_settings_cache

    monkeypatch.setenv("TOGETHER_API_KEY", "tg-from-the-environment-9999")
    reset_settings_cache()
    state = await open_ai_tab(open_tab, workspace)
    row = next(k for k in state.keys if k.provider == "together")
    assert (row.masked, row.source, row.status) == ("", "environment", "From the server's environment")
    assert "9999" not in browser_view(state)


@pytest.mark.parametrize("value", ["", "short", "has spaces in it"])
async def test_bad_keys_get_a_message_next_to_the_field(open_tab, workspace, value: str) -> None:
    state = await open_ai_tab(open_tab, workspace)
    assert await save_key(state, {"provider": "together", "api_key": value}) is None
    assert state.key_errors["together"]
    assert all(k.masked is None for k in stored(workspace.tenant_id).keys)


async def test_each_refused_field_gets_its_own_message(open_tab, workspace) -> None:
    state = await open_ai_tab(open_tab, workspace)
    state.set_provider("openai_compatible")  # needs a base URL
    state.set_budget("lots")
    state.set_soft_limit("most of it")
    assert state.dirty
    assert "error" in toast_text(await state.save())
    assert set(state.errors) == {"base_url", "chain", "budget", "soft_limit"}
    assert "base URL" in state.errors["base_url"]
    assert "OpenAI-compatible" in state.errors["chain"]  # the default must run on the chosen provider
    assert "amount" in state.errors["budget"]
    assert "percentage" in state.errors["soft_limit"]
    assert stored(workspace.tenant_id).provider == "offline"  # nothing written

    # Fixing one field clears only its message; the engine's own rules still speak for the others.
    state.set_base_url("ftp://models.internal")
    assert "base_url" not in state.errors
    state.set_budget("-5")
    state.set_soft_limit("0")
    state.add_custom_model({"model": "llama3.1:8b"})
    state.move_model("openai_compatible:llama3.1:8b", -1)
    await state.save()
    assert "http" in state.errors["base_url"]
    assert "zero or more" in state.errors["budget"]
    assert "soft limit" in state.errors["soft_limit"]
    assert "chain" not in state.errors
    assert stored(workspace.tenant_id).provider == "offline"


async def test_model_chain_is_saved_in_order_with_prices(open_tab, workspace) -> None:
    state = await open_ai_tab(open_tab, workspace, "admin")
    state.set_provider("openai")
    assert state.chain == ["openai:gpt-4o-mini"]
    state.add_model(LLAMA)  # a fallback on another provider
    state.add_model("openai:gpt-4.1-nano")
    state.add_model("openai:not-a-listed-model")  # only listed models come from the menu
    assert state.chain == ["openai:gpt-4o-mini", LLAMA, "openai:gpt-4.1-nano"]
    state.move_model("openai:gpt-4.1-nano", -1)
    state.move_model("openai:gpt-4.1-nano", -1)  # above the default: it becomes the default
    state.move_model("openai:gpt-4.1-nano", -1)  # already first: nothing happens
    state.remove_model("openai:gpt-4o-mini")
    state.add_custom_model({"model": "gpt-4o-2024-08-06"})  # a dated snapshot, priced as its family
    assert [(r.role, r.model) for r in state.chain_rows] == [
        ("Default", "gpt-4.1-nano"),
        ("Fallback 1", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
        ("Fallback 2", "gpt-4o-2024-08-06"),
    ]
    assert state.chain_rows[1].provider_label == "Together AI" and state.chain_rows[1].price_in == "$0.88"
    state.set_budget("$120.5")
    state.set_soft_limit("75%")

    assert "success" in toast_text(await state.save())
    assert state.errors == {} and not state.dirty
    settings = stored(workspace.tenant_id)
    assert settings.provider == "openai"
    assert settings.default_model == "gpt-4.1-nano"
    assert settings.fallback_models == [
        "together:meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "gpt-4o-2024-08-06",
    ]
    assert (settings.monthly_budget, settings.soft_limit_ratio) == (Decimal("120.50"), 0.75)
    assert [(r.model, r.price_in, r.price_out) for r in state.chain_rows] == [
        ("gpt-4.1-nano", "$0.10", "$0.40"),
        ("meta-llama/Llama-3.3-70B-Instruct-Turbo", "$0.88", "$0.88"),
        ("gpt-4o-2024-08-06", "$2.50", "$10.00"),
    ]
    assert (state.budget_total, state.soft_limit_amount) == ("$120.50", "$90.38")
    assert next(k for k in state.keys if k.provider == "together").in_use  # a fallback needs its key

    # At most five fallbacks, and no model twice.
    for pick in [p.ref for p in state.openai_picks][:4]:
        state.add_model(pick)
    assert len(state.chain) == 6
    state.add_model(state.together_picks[0].ref)
    assert len(state.chain) == 6 and "five" in state.errors["chain"]
    state.add_custom_model({"model": "gpt-4.1-nano"})
    assert "already" in state.errors["chain"]


async def test_saving_the_budget_offline_leaves_the_models_alone(open_tab, workspace) -> None:
    state = await open_ai_tab(open_tab, workspace)
    state.set_budget("75")
    assert "success" in toast_text(await state.save())
    settings = stored(workspace.tenant_id)
    assert (settings.provider, settings.default_model, settings.fallback_models) == (
        "offline",
        "gpt-4o-mini",
        [],
    )
    assert settings.monthly_budget == Decimal("75.00")
    assert state.budget_total == "$75.00"


async def test_switching_provider_suggests_a_model_and_discard_restores(open_tab, workspace) -> None:
    state = await open_ai_tab(open_tab, workspace)
    state.set_provider("together")
    assert state.chain[0] == "together:meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8"  # cheapest tier 2
    assert state.chain[1] == "openai:gpt-4o-mini"
    assert await state.discard() is None
    assert (state.provider, state.chain, state.dirty) == ("offline", ["openai:gpt-4o-mini"], False)


async def test_spend_is_shown_against_the_budget(open_tab, workspace) -> None:
    add_spend(workspace.tenant_id, "12.5", model="gpt-4o")
    add_spend(workspace.tenant_id, "30", model="gpt-4o-mini")
    state = await open_ai_tab(open_tab, workspace)
    assert (state.spent, state.budget_total, state.remaining) == ("$42.50", "$50.00", "$7.50")
    assert (state.used_pct, state.soft_pct) == (85, 80)
    assert (state.spend_state, state.spend_state_label, state.spend_state_color) == (
        "soft",
        "Past the soft limit",
        "amber",
    )
    assert [(r.model, r.cost, r.calls) for r in state.spend_rows] == [
        ("gpt-4o-mini", "$30.00", "1"),
        ("gpt-4o", "$12.50", "1"),
    ]
    assert state.spend_days and state.spend_days[0]["cost"] == 42.5
    assert state.spend_calls == "2 AI calls"


async def test_test_connection_against_a_real_server(
    open_tab, workspace, fake_openai: FakeOpenAIServer, _llm_isolation: CallLedger
) -> None:
    """The button end to end at the state level: save a server, test it, see the latency; it is billed."""
    state = await open_ai_tab(open_tab, workspace)
    state.set_provider("openai_compatible")
    state.set_base_url(fake_openai.openai_base_url)
    state.add_custom_model({"model": "llama3.1:8b"})
    state.move_model("openai_compatible:llama3.1:8b", -1)
    assert "success" in toast_text(await state.save())

    fake_openai.script(slow(0.05, "OK"))
    toast = toast_text(await run_test_connection(state))
    assert "success" in toast and " ms" in toast
    assert not state.testing
    assert (state.test_state, state.test_title) == ("ok", "Connected to OpenAI-compatible")
    assert state.test_detail.startswith("llama3.1:8b answered in ") and state.test_detail.endswith(" ms.")
    assert [r.model for r in fake_openai.chat_requests] == ["llama3.1:8b"]
    assert fake_openai.pending == 0
    assert [(c.purpose, c.status) for c in llm_calls(workspace.tenant_id, _llm_isolation)] == [("test", "ok")]
    assert state.spend_calls == "1 AI call"  # the spend panel was refreshed after the call


async def test_test_connection_shows_the_providers_error(
    open_tab, workspace, fake_openai: FakeOpenAIServer
) -> None:
    """OpenAI through its base URL with a key saved from the tab: that key is sent, the 401 is shown."""
    state = await open_ai_tab(open_tab, workspace)
    state.set_provider("openai")
    state.set_base_url(fake_openai.openai_base_url)
    await state.save()
    await save_key(state, {"provider": "openai", "api_key": "sk-revoked-key-4321"})

    fake_openai.script(unauthorized())
    toast = toast_text(await run_test_connection(state))
    assert "error" in toast
    assert (state.test_state, state.test_title) == ("error", "The API key was refused")
    assert "Incorrect API key provided" in state.test_detail and "HTTP 401" in state.test_detail
    assert fake_openai.chat_requests[0].authorization == "Bearer sk-revoked-key-4321"
    assert len(fake_openai.chat_requests) == 1  # one call, no retry
    assert "sk-revoked-key-4321" not in browser_view(state)


async def test_test_connection_offline_and_without_key(open_tab, workspace) -> None:
    state = await open_ai_tab(open_tab, workspace)
    assert "success" in toast_text(await run_test_connection(state))
    assert state.test_title == "The offline provider is ready"

    state.set_provider("together")
    await state.save()
    assert "error" in toast_text(await run_test_connection(state))
    assert (state.test_state, state.test_title) == ("error", "No API key to test with")


async def test_a_second_click_while_testing_does_nothing(open_tab, workspace, fake_openai) -> None:
    state = await open_ai_tab(open_tab, workspace)
    state.testing = True
    assert await run_test_connection(state) is None
    assert fake_openai.chat_requests == []


async def test_a_refused_key_is_not_saved_unless_saved_anyway_and_then_marked_unverified(
    open_tab, workspace, fake_openai: FakeOpenAIServer
) -> None:
    """The key is checked with the provider first (one listing of its models, no retry): a refused key gets
    the reason in words beside the field and a "save anyway" choice; saved anyway, it is marked unverified."""
    fake_openai.rejected_keys.add("sk-refused-key-0001")
    state = await open_ai_tab(open_tab, workspace)
    assert await save_key(state, {"provider": "openai", "api_key": "sk-refused-key-0001"}) is None
    assert state.key_errors["openai"].startswith("Not saved: the provider does not accept this key")
    assert state.key_offer == "openai" and state.checking_key == ""
    assert all(k.masked is None for k in stored(workspace.tenant_id).keys)

    toast = toast_text(
        await save_key(state, {"provider": "openai", "api_key": "sk-refused-key-0001", "anyway": "yes"})
    )
    assert "warning" in toast and "unverified" in toast
    row = next(k for k in state.keys if k.provider == "openai")
    assert (row.masked, row.status, row.color, row.unverified) == (
        "••••0001",
        "Saved · unverified",
        "amber",
        True,
    )
    assert state.key_offer == "" and "openai" not in state.key_errors

    # A key the provider accepts replaces it, and the mark goes.
    toast = toast_text(await save_key(state, {"provider": "openai", "api_key": "sk-accepted-key-0002"}))
    assert "success" in toast and "accepted" in toast
    row = next(k for k in state.keys if k.provider == "openai")
    assert (row.status, row.unverified) == ("Saved for this workspace", False)
