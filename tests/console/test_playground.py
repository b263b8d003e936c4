"""The Playground page through PlaygroundState: real states, the real agent pipeline, the offline provider.

The shop is the agent tests' small one (products with relations, a service, knowledge), so offline replies
have knowledge hits, catalog matches and tappable suggestions. What must hold: a message produces the reply
in the phone and the trace beside it; tapping a button sends its payload as the customer's answer; "New
conversation" starts over; test cases run and report pass/fail and what changed; roles without agent:manage
are refused, and forged events (taps on options never offered included) change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.playground import PlaygroundState
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Message
from tests.console.conftest import add_person, redirect_path, sign_in, toast_text
from tests.engine.agent.conftest import build_shop


@dataclass
class Shop:
    tenant_id: int
    tokens: dict[str, str]


@pytest.fixture
def shop() -> Shop:
    built = build_shop("pg-shop")
    tokens = {}
    for role in ("owner", "manager", "agent", "viewer"):
        email = f"{role}@acme.test"
        add_person(built.tenant_id, email, role, full_name=f"{role.title()} Tester")
        tokens[role] = sign_in(email)
    return Shop(built.tenant_id, tokens)


async def open_playground(open_tab, shop: Shop, role: str = "owner") -> PlaygroundState:
    state = open_tab(PlaygroundState, shop.tokens[role], "/playground")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


async def say(state: PlaygroundState, text: str, payload: str = ""):
    """The background turn's body on this state (under pytest `async with self` is a no-op)."""
    return await PlaygroundState.event_handlers["run_turn"].fn(state, text, payload)


async def tap(state: PlaygroundState, bubble_key: str, index: int):
    """A tap returns the background turn as an event (or a refusal): run it like the browser would."""
    event = await state.tap(bubble_key, index)
    if toast_text(event):
        return event
    args = dict((str(k), v._var_value) for k, v in event.args)
    return await say(state, args["text"], args["payload"])


def messages(tenant_id: int, conversation_id: int) -> list[Message]:
    with session_scope() as db:
        return TenantScope(db, tenant_id).all(Message, Message.conversation_id == conversation_id)


async def test_a_message_produces_the_reply_and_its_trace(open_tab, shop: Shop) -> None:
    state = await open_playground(open_tab, shop)
    assert state.bubbles == [] and state.turns == [] and state.agent_name == "Maya"
    assert await say(state, "what time do u open on sundya?") is None
    assert state.sending is False
    customer, reply = state.bubbles
    assert customer.body == "what time do u open on sundya?" and not customer.outbound
    assert reply.outbound and reply.sender == "agent" and "Sunday 11:00-17:00" in reply.body
    assert reply.confidence  # the quiet line under the reply
    (turn,) = state.turns
    assert state.current == turn and state.selected == 0
    assert turn.customer == "what time do u open on sundya?"
    names = [s.name for s in turn.steps]
    assert {"sanitize", "spelling", "context", "llm", "handoff", "reply"} <= set(names)
    assert all(0 < s.pct <= 100 for s in turn.steps) and all(s.ms.endswith("ms") for s in turn.steps)
    assert [k.title for k in turn.knowledge] == ["Store opening hours"] and turn.knowledge[0].pct > 0
    assert "sundya → sunday" in turn.corrections
    assert [i.name for i in turn.intents] == ["store hours"]
    assert turn.model == "offline-templates" and turn.provider == "offline" and turn.degraded
    assert turn.cost.startswith("$") and turn.tokens == "0 in · 0 out"
    assert turn.handoff is False and turn.confidence.endswith("%")
    # The conversation is a playground one, kept out of the inbox.
    with session_scope() as db:
        conversation = TenantScope(db, shop.tenant_id).get(Conversation, state._conversation_id)
    assert conversation.channel == "playground"


async def test_a_button_tap_sends_its_payload_as_the_customers_answer(open_tab, shop: Shop) -> None:
    state = await open_playground(open_tab, shop)
    await say(state, "do you have the cloudstep 90?")
    reply = state.bubbles[-1]
    assert reply.kind == "buttons" and [o.title for o in reply.options][:1] == ["Support Insoles"]
    assert state.turns[0].catalog[0].title == "Cloudstep 90 Running Shoe"
    assert state.turns[0].catalog[0].why.startswith("Found by ")  # a shop owner's words, not a field name
    assert await tap(state, reply.key, 0) is None
    inbound = [m for m in messages(shop.tenant_id, state._conversation_id) if m.direction == "inbound"]
    assert (inbound[-1].body, inbound[-1].button_payload) == ("Support Insoles", "suggest:INS-1")
    assert len(state.turns) == 2 and state.current.customer == "Support Insoles"
    assert "Support Insoles" in state.bubbles[-1].body
    # Earlier turns stay reachable in the trace.
    await state.select_turn(0)
    assert state.current.customer == "do you have the cloudstep 90?"


async def test_forged_taps_only_pick_options_the_agent_offered(open_tab, shop: Shop) -> None:
    state = await open_playground(open_tab, shop)
    await say(state, "do you have the cloudstep 90?")
    assert "error" in toast_text(await state.tap(state.bubbles[-1].key, 7))
    assert "error" in toast_text(await state.tap("999999", 0))
    assert "error" in toast_text(await say(state, "Free shoes", "product:RUN-1:free"))
    assert len(messages(shop.tenant_id, state._conversation_id)) == 2


async def test_new_conversation_resets_the_chat_and_the_trace(open_tab, shop: Shop) -> None:
    state = await open_playground(open_tab, shop)
    await say(state, "how much is delivery?")
    first = state._conversation_id
    assert "info" in toast_text(await state.new_conversation())
    assert state._conversation_id != first
    assert state.bubbles == [] and state.turns == [] and state.selected == -1
    with session_scope() as db:
        assert TenantScope(db, shop.tenant_id).get(Conversation, first).status == "closed"
    # Reopening the page continues the open conversation.
    await say(state, "hello")
    again = await open_playground(open_tab, shop)
    assert again._conversation_id == state._conversation_id and len(again.bubbles) == 2


async def test_a_handoff_shows_and_hand_back_lets_the_agent_answer(open_tab, shop: Shop) -> None:
    state = await open_playground(open_tab, shop)
    await say(state, "can I speak to a real person please")
    assert state.status == "handoff" and state.current.handoff and state.current.handoff_text
    await say(state, "hello?")
    assert state.turns[-1].responder == "silent" and "silent" in state.turns[-1].handoff_text
    assert "success" in toast_text(await state.hand_back())
    assert state.status == "bot"


async def test_test_cases_are_saved_checked_per_check_and_compared_with_the_last_run(
    open_tab, shop: Shop
) -> None:
    state = await open_playground(open_tab, shop)
    state.set_case_message("what time do you open on sunday?")
    state.set_check_kind("mention")
    state.set_check_value("11:00")
    await state.add_check()
    state.set_check_kind("handoff")
    state.set_check_value("no")  # typed but not added: saving takes it too
    assert "success" in toast_text(await state.add_case())
    assert [c.label for c in state.cases[0].checks] == ["Must mention “11:00”", "Does not hand off"]
    state.set_check_kind("max_length")
    state.set_check_value("lots")
    await state.add_check()
    assert "between 1 and 4096" in state.check_error and state.draft_checks == []
    state.set_check_kind("mention")
    state.set_check_value("pizza")
    assert "success" in toast_text(await state.add_case({"message": "I want to talk to a human"}))
    await say(state, "can I speak to a real person please")
    await state.save_turn_as_case()
    assert [c.checks[-1].label for c in state.cases] == [
        "Does not hand off",
        "Must mention “pizza”",
        "Hands off to a person",
    ]
    run_all = PlaygroundState.event_handlers["run_all"].fn
    assert "error" in toast_text(await run_all(state))
    assert [c.status for c in state.cases] == ["pass", "fail", "pass"]
    assert [(v.status, v.detail) for v in state.cases[1].checks] == [
        ("fail", "the reply does not say “pizza”")
    ]
    assert {c.changed for c in state.cases} == {"First run"} and state.run_summary == "2 passed · 1 failed"
    await state.remove_case(state.cases[1].id)
    assert "success" in toast_text(await run_all(state))
    assert [c.changed for c in state.cases] == ["Same reply", "Same reply"]
    # Saved in the database, not the tab: another tab of another manager sees them with their last run.
    other = await open_playground(open_tab, shop, "manager")
    assert [(c.message, c.status) for c in other.cases] == [
        ("what time do you open on sunday?", "pass"),
        ("can I speak to a real person please", "pass"),
    ]


@pytest.mark.parametrize("role", ["agent", "viewer"])
async def test_other_roles_are_refused_and_forged_events_change_nothing(open_tab, shop: Shop, role) -> None:
    state = open_tab(PlaygroundState, shop.tokens[role], "/playground")
    await state.load_page()
    assert state.access == FORBIDDEN and state._conversation_id == 0
    state._conversation_id = 1  # even pointing at a real conversation
    assert "error" in toast_text(await say(state, "hello"))
    assert "error" in toast_text(await state.tap("1", 0))
    assert "error" in toast_text(await state.new_conversation())
    assert "error" in toast_text(await state.hand_back())
    assert "error" in toast_text(await state.add_case({"message": "x"}))
    assert "error" in toast_text(await PlaygroundState.event_handlers["run_all"].fn(state))
    with session_scope() as db:
        assert TenantScope(db, shop.tenant_id).all(Message, Message.direction == "inbound") == []
        assert TenantScope(db, shop.tenant_id).all(Conversation, Conversation.channel == "playground") == []


async def test_handlers_without_a_session_go_to_sign_in(open_tab, shop: Shop) -> None:
    state = open_tab(PlaygroundState, None, "/playground")
    assert redirect_path(await say(state, "hi")).startswith("/login")
    assert redirect_path(await state.new_conversation()).startswith("/login")
