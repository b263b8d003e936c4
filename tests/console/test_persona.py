"""The Persona page through PersonaState: real states, the real persona service, the offline provider.

What must hold: a new workspace loads the defaults; every draft edit marks unsaved changes and redraws the
system prompt live; an invalid field gets its own message and nothing is saved; Save stores the persona and
drops the cached copy (the next turn reads the new one); "Try a message" answers with the draft and saves
nothing; roles without agent:manage are refused, and their forged events change nothing.
"""

from __future__ import annotations

import pytest

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.persona import PersonaState
from engine.agent.persona import AgentConfigurationService, cache_key
from engine.cache import get_cache
from engine.db import session_scope
from tests.console.conftest import redirect_path, toast_text


def stored(tenant_id: int):
    with session_scope() as db:
        return AgentConfigurationService.get(db, tenant_id, fresh=True)


async def open_persona(open_tab, workspace, role: str = "owner") -> PersonaState:
    state = open_tab(PersonaState, workspace.people[role].token, "/persona")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


async def run_try(state: PersonaState, sample: str | None = None):
    """The background handler's body on this state (under pytest `async with self` is a no-op)."""
    form = {"sample": sample} if sample is not None else None
    return await PersonaState.event_handlers["try_message"].fn(state, form)


@pytest.mark.parametrize("role", ["owner", "admin", "manager"])
async def test_a_new_workspace_loads_the_defaults(open_tab, workspace, role: str) -> None:
    state = await open_persona(open_tab, workspace, role)
    defaults = AgentConfigurationService.defaults()
    assert state.agent_name == defaults.agent_name and state.tone == defaults.tone
    assert state.threshold == round(defaults.confidence_threshold * 100)
    assert state.dirty is False and state.errors == {}
    assert state.prompt.startswith(f"You are {defaults.agent_name}, the WhatsApp customer-service assistant")
    assert "Green Leaf Bakery" in state.prompt
    assert [r.role for r in state.model_rows] == ["Default"]
    assert state.model_rows[0].model == defaults.default_model and state.model_rows[0].price_in.startswith(
        "$"
    )
    assert any("gpt-4o" in c.ref for c in state.model_choices)
    assert len(state.hours) == 7 and state.hours_on is False


async def test_draft_edits_mark_unsaved_and_redraw_the_prompt(open_tab, workspace) -> None:
    state = await open_persona(open_tab, workspace)
    state.set_agent_name("Maya")
    assert state.dirty is True
    assert state.prompt.startswith("You are Maya,")
    state.add_trait({"trait": "patient with first-time runners"})
    state.set_tone("formal")
    state.set_restrictions("Never promise delivery dates.\n\nNever discuss competitors.")
    state.set_disclaimers("Prices include VAT.")
    state.add_topic({"topic": "refund dispute"})
    assert "- patient with first-time runners" in state.prompt
    assert "Tone: formal" in state.prompt
    assert "- Never promise delivery dates." in state.prompt
    assert '- "Prices include VAT."' in state.prompt
    assert "refund dispute" in state.prompt
    # Nothing was saved by drafting.
    assert stored(workspace.tenant_id).agent_name == AgentConfigurationService.defaults().agent_name
    # Undoing the edit by hand clears the mark; Discard resets the whole draft.
    await state.discard()
    assert state.dirty is False and state.agent_name == AgentConfigurationService.defaults().agent_name
    state.set_agent_name("Maya")
    state.set_agent_name(AgentConfigurationService.defaults().agent_name)
    assert state.dirty is False


async def test_invalid_fields_get_their_own_messages_and_nothing_is_saved(open_tab, workspace) -> None:
    state = await open_persona(open_tab, workspace)
    state.set_agent_name("   ")
    state.set_max_tokens("5")
    state.set_low_turns("99")
    state.add_fallback("gpt-nonexistent-9")
    assert set(state.errors) >= {"agent_name", "max_tokens", "low_turns", "fallbacks"}
    assert "gpt-nonexistent-9" in state.errors["fallbacks"]
    assert "error" in toast_text(await state.save())
    assert stored(workspace.tenant_id).max_tokens == AgentConfigurationService.defaults().max_tokens
    assert state.dirty is True  # the draft stays for the owner to fix


async def test_save_persists_and_invalidates_the_cache(open_tab, workspace) -> None:
    state = await open_persona(open_tab, workspace)
    with session_scope() as db:  # the pipeline's read fills the cache
        AgentConfigurationService.get(db, workspace.tenant_id)
    assert get_cache().get(cache_key(workspace.tenant_id))["agent_name"] != "Maya"
    state.set_agent_name("Maya")
    state.add_trait({"trait": "warm"})
    state.set_threshold([70])
    state.set_toggle("rich_on", False)
    state.add_fallback("gpt-4.1-nano")
    state.move_model("gpt-4.1-nano", -1)
    assert "success" in toast_text(await state.save())
    assert state.dirty is False and state.errors == {}
    # The stale copy is gone: whatever the cache holds now is the saved persona.
    cached = get_cache().get(cache_key(workspace.tenant_id))
    assert cached is None or cached["agent_name"] == "Maya"
    with session_scope() as db:
        saved = AgentConfigurationService.get(db, workspace.tenant_id)
    assert saved.agent_name == "Maya" and saved.personality_traits == ("warm",)
    assert saved.confidence_threshold == 0.7 and saved.enable_rich_messages is False
    assert (saved.default_model, saved.fallback_models) == ("gpt-4.1-nano", ("gpt-4o-mini",))
    # A fresh tab shows what was saved.
    again = await open_persona(open_tab, workspace)
    assert again.agent_name == "Maya" and again.threshold == 70 and again.hours_on is False
    assert [r.role for r in again.model_rows] == ["Default", "Fallback 1"]


async def test_try_a_message_answers_with_the_draft_and_saves_nothing(open_tab, workspace) -> None:
    state = await open_persona(open_tab, workspace)
    state.set_agent_name("Maya")
    state.set_disclaimers("Prices include VAT.")
    assert await run_try(state, "Hello! What are your opening hours?") is None
    assert state.trying is False and state.tried is True and state.reply_error == ""
    customer, reply = state.reply_bubbles
    assert customer.body == "Hello! What are your opening hours?" and not customer.outbound
    assert reply.outbound and reply.author == "Maya" and reply.body
    assert "offline" in state.reply_meta
    assert stored(workspace.tenant_id).agent_name != "Maya"
    assert state.dirty is True
    # An invalid draft is not tried: the fields say why.
    state.set_max_tokens("1")
    assert "error" in toast_text(await run_try(state))
    assert "max_tokens" in state.errors


@pytest.mark.parametrize("role", ["agent", "viewer"])
async def test_other_roles_are_refused_and_forged_events_change_nothing(open_tab, workspace, role) -> None:
    state = open_tab(PersonaState, workspace.people[role].token, "/persona")
    await state.load_page()
    assert state.access == FORBIDDEN and state.prompt == "" and state.model_rows == []
    state.set_agent_name("Forged")
    state.add_trait({"trait": "forged"})
    state.set_threshold([5])
    assert (state.agent_name, state.traits, state.dirty) == ("", [], False)
    # Handlers that write or call the model refuse, even with a forged draft in place.
    state.agent_name, state.loaded = "Forged", True
    assert "error" in toast_text(await state.save())
    assert "error" in toast_text(await run_try(state, "hi"))
    assert "error" in toast_text(await state.discard())
    assert stored(workspace.tenant_id).agent_name != "Forged"
    assert state.access == FORBIDDEN


async def test_handlers_without_a_session_go_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(PersonaState, None, "/persona")
    assert redirect_path(await state.save()).startswith("/login")
    assert redirect_path(await run_try(state, "hi")).startswith("/login")


async def test_business_hours_are_the_workspaces_shown_read_only(open_tab, workspace) -> None:
    from engine.accounts.workspace import update_workspace

    with session_scope() as db:
        update_workspace(
            db,
            workspace.tenant_id,
            {"time_zone": "Europe/London", "weekly": {"mon": [["09:00", "12:30"], ["13:30", "18:00"]]}},
        )
    state = await open_persona(open_tab, workspace)
    assert state.hours_on is True and state.hours_zone == "Europe/London"
    assert (state.hours[0].label, state.hours[0].periods) == ("Monday", "09:00–12:30, 13:30–18:00")
    assert state.hours[1].periods == "Closed"
    assert "business_hours" not in state._form()
