"""The Conversations page through ConversationsState: real states and inbox services, the fake Twilio server.

Conversations arrive the way production receives them (signed webhooks into the ingest, the queue worker
replying through Twilio); staff act through the state's handlers, exactly as the browser's events would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from console.state import conversations as module
from console.state.conversations import ConversationsState, InboxBadgeState
from console.state.guard import ALLOWED, FORBIDDEN, LOADING
from engine.accounts import sessions
from engine.channels.whatsapp.rich import RichMessageBuilder as B
from engine.conversations import inbox
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message
from tests.console.conftest import add_person, redirect_path, router_for, sign_in, toast_text
from tests.engine.conversations.harness import WhatsAppEnv, make_tenant, wa_fixture  # noqa: F401 - fixture


@dataclass
class Inbox:
    wa: WhatsAppEnv
    tokens: dict[str, str]
    user_ids: dict[str, int]
    ids: dict[str, int]  # conversation ids by customer name


def _phone(n: int) -> str:
    return f"whatsapp:+4477009{n:05d}"


def _conversation_of(wa: WhatsAppEnv, phone: str) -> int:
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        customer = scope.first(Customer, Customer.phone == phone)
        rows = scope.all(Conversation, Conversation.customer_id == customer.id)
        return max(r.id for r in rows)


def _write(wa: WhatsAppEnv, phone: str, name: str, text: str = "hello?", **params: Any) -> int:
    assert wa.inbound(text, From=phone, ProfileName=name, **params).status_code == 200
    wa.clock.advance(1)
    return _conversation_of(wa, phone)


def _reply(wa: WhatsAppEnv, message: Any) -> None:
    wa.clock.advance(30)
    wa.worker(processor=lambda c, m: message).tick()


@pytest.fixture
def people(wa: WhatsAppEnv) -> tuple[dict[str, str], dict[str, int]]:
    tokens, ids = {}, {}
    for role in ("owner", "agent", "viewer"):
        email = f"{role}-{wa.tenant_id}@inbox.test"
        ids[role] = add_person(wa.tenant_id, email, role, full_name=f"{role.title()} Person")
        tokens[role] = sign_in(email)
    return tokens, ids


@pytest.fixture
def filled(wa: WhatsAppEnv, people) -> Inbox:
    """Three customers: Ada (rich agent replies, one failed), Ben (waiting for a human), Cleo (closed)."""
    tokens, user_ids = people
    ada = _write(wa, _phone(1), "Ada Lovelace", "do you have trail shoes?")
    _reply(
        wa,
        B.card(
            "Trail Runner",
            subtitle="$89 · in stock",
            image_url="https://cdn.example/t.jpg",
            buttons=[("buy", "Buy"), ("sizes", "Sizes")],
        ).with_meta(confidence=0.82, intents=[{"name": "product_search", "confidence": 0.9}]),
    )
    _write(wa, _phone(1), "Ada Lovelace", "Sizes")
    _reply(
        wa,
        B.list_message(
            "Which size?", "Pick a size", sections=[("EU", [("s42", "42"), ("s43", "43", "runs small")])]
        ).with_meta(confidence=0.4),
    )
    _write(
        wa,
        _phone(1),
        "Ada Lovelace",
        "",
        NumMedia="1",
        MediaUrl0="https://api.example/m/1",
        MediaContentType0="image/jpeg",
    )
    wa.fake.fail("messages", status=400, code=63016)
    _reply(wa, B.button_message("Anything else?", [("yes", "Yes"), ("no", "No")]).with_meta(confidence=0.9))
    ben = _write(wa, _phone(2), "Ben Okafor", "I want to speak to a person")
    cleo = _write(wa, _phone(3), "Cleo Park", "thanks, bye")
    with session_scope() as s:
        inbox.take_over(s, wa.tenant_id, ben, user_ids["agent"], reason="customer asked for a person")
        inbox.close(s, wa.tenant_id, cleo, user_ids["owner"])
    return Inbox(wa=wa, tokens=tokens, user_ids=user_ids, ids={"ada": ada, "ben": ben, "cleo": cleo})


async def _open(open_tab, token: str, path: str = "/conversations") -> ConversationsState:
    state = open_tab(ConversationsState, token, path)
    event = await state.load_page()
    assert state.access == ALLOWED
    assert event is ConversationsState.live_inbox  # the live inbox starts with the page
    return state


async def _drain(result: Any) -> list[Any]:
    """The events an async-generator handler yields (None for a bare `yield`)."""
    return [event async for event in result]


def _status(wa: WhatsAppEnv, conversation_id: int) -> str:
    with session_scope() as s:
        return TenantScope(s, wa.tenant_id).require(Conversation, conversation_id).status


def _outbound_count(wa: WhatsAppEnv) -> int:
    with session_scope() as s:
        return len(TenantScope(s, wa.tenant_id).all(Message, Message.direction == "outbound"))


# ------------------------------------------------------------------------------------------------- list


async def test_tabs_counts_rows_and_search(open_tab, filled: Inbox) -> None:
    state = await _open(open_tab, filled.tokens["owner"])
    assert state.tab == "handoff" and state.list_loaded and not state.inbox_empty
    assert (state.count_handoff, state.count_bot, state.count_closed) == (1, 1, 1)
    (ben,) = state.rows
    assert (ben.name, ben.status_label, ben.status_color, ben.assigned) == (
        "Ben Okafor",
        "Needs human",
        "amber",
        "Agent Person",
    )
    assert ben.preview == "I want to speak to a person" and ben.unread == 1 and ben.time
    assert ben.phone == "+44 7700 900002" and ben.initials == "BO"  # readable; stored as E.164

    await state.set_tab("bot")
    assert [r.name for r in state.rows] == ["Ada Lovelace"]
    assert state.rows[0].outbound  # the agent wrote last
    await state.set_tab("closed")
    assert [r.name for r in state.rows] == ["Cleo Park"] and state.rows[0].unread == 0
    await state.set_tab("spam")  # a forged tab is ignored
    assert state.tab == "closed"

    await state.set_search("  ada  ")
    assert state.search == "ada" and state.count_bot == 1 and state.count_closed == 0
    assert state.rows == [] and "ada" in state.tab_empty_title
    await state.set_tab("bot")
    assert [r.name for r in state.rows] == ["Ada Lovelace"]
    await state.set_search("+44 7700 900003")
    assert state.count_closed == 1 and state.count_bot == 0
    await state.clear_search()
    assert state.search == "" and state.count_bot == 1


async def test_paging(open_tab, filled: Inbox, monkeypatch) -> None:
    for n in range(4, 9):
        _write(filled.wa, _phone(n), f"Customer {n}")
    monkeypatch.setattr(module, "PAGE_SIZE", 2)
    state = await _open(open_tab, filled.tokens["owner"], "/conversations?tab=bot")
    assert state.tab == "bot" and (state.total, state.pages, state.page) == (6, 3, 1)
    assert [r.name for r in state.rows] == ["Customer 8", "Customer 7"]
    assert state.range_label == "1–2 of 6"
    await state.next_page()
    assert state.page == 2 and [r.name for r in state.rows] == ["Customer 6", "Customer 5"]
    await state.go_to_page(99)
    assert state.page == 3 and [r.name for r in state.rows] == ["Customer 4", "Ada Lovelace"]
    await state.previous_page()
    assert state.page == 2
    await state.go_to_page("nonsense")
    assert state.page == 2


async def test_an_empty_inbox_says_what_it_is_for(open_tab, wa: WhatsAppEnv, people) -> None:
    tokens, _ = people
    state = await _open(open_tab, tokens["owner"])
    assert state.inbox_empty and state.rows == [] and state.selected_id == 0
    assert state.tab_empty_title == "Nobody is waiting for a human"


# ------------------------------------------------------------------------------------------- transcript


async def test_the_transcript_is_drawn_as_whatsapp_shows_it(open_tab, filled: Inbox) -> None:
    state = await _open(open_tab, filled.tokens["owner"])
    assert await state.open_conversation(filled.ids["ada"]) is not None  # the URL follows the selection
    assert state.selected_id == filled.ids["ada"] and state.transcript_loaded
    assert (state.header.name, state.header.status, state.header.status_label) == (
        "Ada Lovelace",
        "bot",
        "Agent",
    )
    bubbles = state.bubbles
    assert [(b.outbound, b.kind) for b in bubbles] == [
        (False, "text"),
        (True, "card"),
        (False, "text"),
        (True, "list"),
        (False, "media"),
        (True, "buttons"),
    ]
    question, card, pick, size_list, photo, failed = bubbles
    assert question.show_day and question.day == "Today" and question.author == "Ada Lovelace"
    assert not card.show_day
    assert (card.title, card.subtitle, card.body, card.image_url) == (
        "Trail Runner",
        "$89 · in stock",
        "",
        "https://cdn.example/t.jpg",
    )
    assert [o.title for o in card.options] == ["Buy", "Sizes"]
    assert card.sender == "agent" and card.author == "Assistant" and card.show_author
    assert (card.confidence, card.confidence_low, card.intents, card.has_meta) == (
        "82%",
        False,
        "Product search",
        True,
    )
    assert pick.choice == "Tapped “Sizes”"
    assert (size_list.button, size_list.body) == ("Pick a size", "Which size?")
    assert [(o.section, o.title, o.description) for o in size_list.options] == [
        ("EU", "42", ""),
        ("", "43", "runs small"),
    ]
    assert size_list.confidence == "40%" and size_list.confidence_low  # under the persona's threshold
    assert photo.image_url == "https://api.example/m/1" and photo.body == ""
    assert failed.ticks == -1 and failed.tick_label == "Not delivered"
    assert "24-hour window" in failed.error and "63016" in failed.error
    assert card.ticks == 0 and card.tick_label == "Sending"  # Twilio has not called back yet

    pane = state.pane
    assert (pane.name, pane.phone) == ("Ada Lovelace", "+44 7700 900001")  # readable; stored as E.164
    assert pane.opt_label == "No marketing opt-in"
    assert pane.window_open and pane.window_label.startswith("Reply window open")
    assert pane.conversations == "1 conversation" and pane.orders == [] and pane.facts == []
    assert state.composer_enabled and "takes it over" in state.composer_note


async def test_delivery_ticks_follow_status_callbacks(open_tab, filled: Inbox) -> None:
    wa = filled.wa
    card_sid = next(iter(wa.fake.sent))
    assert wa.status(card_sid, "read").status_code == 200
    state = await _open(open_tab, filled.tokens["owner"], f"/conversations?tab=bot&c={filled.ids['ada']}")
    card = state.bubbles[1]
    assert (card.ticks, card.tick_label) == (3, "Read")


async def test_a_deep_link_opens_the_conversation_and_a_foreign_one_is_refused(
    open_tab, filled: Inbox
) -> None:
    state = await _open(open_tab, filled.tokens["owner"], f"/conversations?tab=closed&c={filled.ids['cleo']}")
    assert state.tab == "closed" and state.selected_id == filled.ids["cleo"]
    assert state.header.status == "closed" and not state.composer_enabled
    assert "closed" in state.composer_note

    with session_scope() as s:
        other_tenant = make_tenant(s)[0]
        stranger = TenantScope(s, other_tenant).add(Customer(phone=_phone(99), name="Stranger"))
        foreign = TenantScope(s, other_tenant).add(Conversation(customer_id=stranger.id)).id
    assert "error" in toast_text(await state.open_conversation(foreign))
    assert state.selected_id == 0 and state.bubbles == []
    assert await state.open_conversation("not a number") is None


async def test_older_messages_load_on_demand(open_tab, filled: Inbox, monkeypatch) -> None:
    monkeypatch.setattr(module, "TRANSCRIPT_PAGE", 4)
    state = await _open(open_tab, filled.tokens["owner"], f"/conversations?tab=bot&c={filled.ids['ada']}")
    assert len(state.bubbles) == 4 and state.has_more
    assert not state.bubbles[0].show_day or state.bubbles[0].day == "Today"
    await state.load_older()
    assert len(state.bubbles) == 6 and not state.has_more
    assert state.bubbles[0].body == "do you have trail shoes?"


# --------------------------------------------------------------------------------------------- actions


async def test_take_over_reply_hand_back_close(open_tab, filled: Inbox) -> None:
    wa = filled.wa
    ada = filled.ids["ada"]
    state = await _open(open_tab, filled.tokens["agent"], f"/conversations?tab=bot&c={ada}")
    assert state.can_reply

    assert "success" in toast_text(await state.take_over())
    assert _status(wa, ada) == "handoff"
    assert (state.header.status, state.header.mine, state.header.assigned) == (
        "handoff",
        True,
        "Agent Person",
    )
    assert state.count_handoff == 2 and state.composer_note == ""
    badge = await state.get_state(InboxBadgeState)
    assert badge.needs_human == 2

    sent_before = len(wa.fake.messages)
    events = await _drain(state.send_reply({"reply": "Hi Ada, Agent here. Which size do you need?"}))
    assert "success" in toast_text(events[-1])
    assert state.sending is False
    (request,) = wa.fake.messages[sent_before:]
    assert request.value("Body") == "Hi Ada, Agent here. Which size do you need?"
    assert request.value("To") == _phone(1)
    last = state.bubbles[-1]
    assert (last.sender, last.author, last.outbound, last.has_meta) == ("human", "Agent Person", True, False)
    assert last.ticks == 0 and last.error == ""

    assert "success" in toast_text(await state.hand_back())
    assert _status(wa, ada) == "bot" and state.header.status == "bot"

    assert "success" in toast_text(await state.close_conversation())
    assert _status(wa, ada) == "closed" and state.header.status == "closed"
    assert not state.composer_enabled
    events = await _drain(state.send_reply({"reply": "one more thing"}))
    assert "closed" in toast_text(events[-1])
    assert len(wa.fake.messages) == sent_before + 1
    assert "error" in toast_text(await state.take_over())  # a closed conversation cannot be taken over


async def test_a_refused_reply_shows_why(open_tab, filled: Inbox) -> None:
    wa = filled.wa
    state = await _open(open_tab, filled.tokens["owner"], f"/conversations?c={filled.ids['ben']}")
    wa.fake.fail("messages", status=400, code=63024)
    events = await _drain(state.send_reply({"reply": "Hello Ben"}))
    assert "error" in toast_text(events[-1]) and "not on WhatsApp" in toast_text(events[-1])
    last = state.bubbles[-1]
    assert last.ticks == -1 and "not on WhatsApp" in last.error and last.can_retry
    row = next(r for r in state.rows if r.id == filled.ids["ben"])
    assert (row.ticks, row.tick_label) == (-1, "Not delivered")  # never a delivered tick for a refused reply

    # Retry sends the same message again: one bubble, now sent, and the list follows.
    count = len(state.bubbles)
    events = await _drain(state.retry_reply(last.key))
    assert "success" in toast_text(events[-1])
    assert len(state.bubbles) == count and state.bubbles[-1].key == last.key
    assert state.bubbles[-1].ticks != -1 and state.bubbles[-1].error == "" and not state.bubbles[-1].can_retry
    row = next(r for r in state.rows if r.id == filled.ids["ben"])
    assert row.ticks != -1
    events = await _drain(state.retry_reply(last.key))  # only a refused reply can be retried
    assert "error" in toast_text(events[-1])


async def test_an_empty_reply_is_not_sent(open_tab, filled: Inbox) -> None:
    state = await _open(open_tab, filled.tokens["owner"], f"/conversations?c={filled.ids['ben']}")
    before = _outbound_count(filled.wa)
    events = await _drain(state.send_reply({"reply": "   "}))
    assert "error" in toast_text(events[-1])
    events = await _drain(state.send_reply({"reply": "x" * 1601}))
    assert "1600" in toast_text(events[-1])
    assert _outbound_count(filled.wa) == before


@pytest.mark.parametrize("role", ["viewer"])
async def test_forged_events_from_a_role_without_the_inbox_are_refused(
    open_tab, filled: Inbox, role: str
) -> None:
    """A viewer (no conversations:reply) sending the page's events over the websocket changes nothing."""
    wa = filled.wa
    state = open_tab(ConversationsState, filled.tokens[role], "/conversations")
    assert await state.load_page() is None
    assert state.access == FORBIDDEN and state.rows == [] and not state.can_reply
    before = (_status(wa, filled.ids["ada"]), _status(wa, filled.ids["ben"]), _outbound_count(wa))
    sent = len(wa.fake.messages)

    for event in (
        await state.set_tab("bot"),
        await state.set_search("ada"),
        await state.next_page(),
        await state.open_conversation(filled.ids["ada"]),
        await state.load_older(),
    ):
        assert "error" in toast_text(event)
    assert state.rows == [] and state.bubbles == [] and state.pane.name == ""

    state.selected_id = filled.ids["ada"]  # even with a forged selection
    for event in (await state.take_over(), await state.hand_back(), await state.close_conversation()):
        assert "error" in toast_text(event)
    events = await _drain(state.send_reply({"reply": "forged"}))
    assert "error" in toast_text(events[-1])
    state.selected_id = filled.ids["ben"]
    assert "error" in toast_text(await state.close_conversation())

    assert (_status(wa, filled.ids["ada"]), _status(wa, filled.ids["ben"]), _outbound_count(wa)) == before
    assert len(wa.fake.messages) == sent
    badge = open_tab(InboxBadgeState, filled.tokens[role], "/")
    await badge.load_badge()
    assert badge.needs_human == 0


async def test_a_role_that_loses_the_inbox_mid_session_is_refused(open_tab, filled: Inbox) -> None:
    from engine.accounts import users

    state = await _open(open_tab, filled.tokens["agent"], f"/conversations?c={filled.ids['ben']}")
    with session_scope() as s:
        users.change_role(
            s, filled.wa.tenant_id, filled.user_ids["owner"], user_id=filled.user_ids["agent"], role="viewer"
        )
    assert "error" in toast_text(await state.close_conversation())
    assert state.access == FORBIDDEN and state.bubbles == [] and not state.can_reply
    assert _status(filled.wa, filled.ids["ben"]) == "handoff"


async def test_handlers_without_a_session_go_to_sign_in(open_tab, filled: Inbox) -> None:
    state = open_tab(ConversationsState, None, "/conversations")
    assert redirect_path(await state.load_page()).startswith("/login?next=%2Fconversations")
    assert redirect_path(await state.open_conversation(filled.ids["ada"])).startswith("/login")
    assert redirect_path(await state.take_over()).startswith("/login")
    events = await _drain(state.send_reply({"reply": "hi"}))
    assert redirect_path(events[-1]).startswith("/login")
    assert _status(filled.wa, filled.ids["ada"]) == "bot"


async def test_rows_never_carry_ids_that_decide_access(open_tab, filled: Inbox) -> None:
    state = await _open(open_tab, filled.tokens["owner"], f"/conversations?c={filled.ids['ada']}")
    sent = state.dict()[ConversationsState.get_full_name()]
    assert not any(name.startswith("_") for name in sent)
    assert "tenant_id" not in repr(sent) and filled.tokens["owner"] not in repr(sent)


# ------------------------------------------------------------------------------------------ live inbox


async def test_live_refresh_reloads_only_when_the_marker_changes(
    open_tab, filled: Inbox, monkeypatch
) -> None:
    wa = filled.wa
    state = await _open(open_tab, filled.tokens["owner"], f"/conversations?tab=bot&c={filled.ids['ada']}")
    loads: list[int] = []
    real = inbox.list_conversations
    monkeypatch.setattr(inbox, "list_conversations", lambda *a, **k: loads.append(1) or real(*a, **k))

    assert await state.refresh_if_changed() == (True, None)
    assert await state.refresh_if_changed() == (True, None)
    assert loads == []  # nothing happened: one marker query per tick, no reload

    count = len(state.bubbles)
    _write(wa, _phone(1), "Ada Lovelace", "are you still there?")
    assert await state.refresh_if_changed() == (True, None)
    assert len(loads) == 1
    assert len(state.bubbles) == count + 1 and state.bubbles[-1].body == "are you still there?"
    assert state.rows[0].preview == "are you still there?"

    _write(wa, _phone(5), "Dora New", "first message")  # a new chat appears in the list
    assert await state.refresh_if_changed() == (True, None)
    assert [r.name for r in state.rows] == ["Dora New", "Ada Lovelace"] and len(loads) == 2
    assert await state.refresh_if_changed() == (True, None)
    assert len(loads) == 2

    card_sid = next(iter(wa.fake.sent))
    wa.clock.advance(5)  # the ingest runs on the test's clock: so does this receipt
    monkeypatch.setattr("engine.campaigns.tracking.utcnow", wa.clock)  # the webhook's receipt time
    assert wa.status(card_sid, "delivered").status_code == 200  # a receipt moves the ticks
    assert await state.refresh_if_changed() == (True, None)
    assert state.bubbles[1].ticks == 2 and len(loads) == 3


async def test_live_refresh_stops_off_the_page_and_when_the_session_ends(open_tab, filled: Inbox) -> None:
    state = await _open(open_tab, filled.tokens["owner"])
    state.router = router_for(filled.tokens["owner"], "/knowledge")
    assert await state.refresh_if_changed() == (False, None)

    state = await _open(open_tab, filled.tokens["owner"])
    with session_scope() as s:
        sessions.logout(s, filled.tokens["owner"])
    keep, event = await state.refresh_if_changed()
    assert not keep and redirect_path(event).startswith("/login")
    assert state.access == LOADING and state.rows == []


async def test_the_live_loop_polls_until_replaced(open_tab, filled: Inbox, monkeypatch) -> None:
    state = await _open(open_tab, filled.tokens["owner"])
    ticks: list[int] = []

    async def no_wait(seconds: float) -> None:
        ticks.append(1)
        if len(ticks) == 3:
            state._live_token = "a newer loop"

    monkeypatch.setattr(module.asyncio, "sleep", no_wait)
    loop = ConversationsState.live_inbox.fn  # what Reflex runs as the background task
    events = await _drain(loop(state))
    assert events == [] and len(ticks) == 3 and state.live is True  # ended quietly for the newer loop

    ticks.clear()
    monkeypatch.setattr(module, "POLL_SECONDS", 0.0)
    state.router = router_for(filled.tokens["owner"], "/")  # the tab moved to the overview
    events = await _drain(loop(state))
    assert events == [] and len(ticks) == 1 and state.live is False


async def test_the_sidebar_badge_counts_chats_waiting_for_a_human(open_tab, filled: Inbox) -> None:
    badge = open_tab(InboxBadgeState, filled.tokens["agent"], "/")
    await badge.load_badge()
    assert badge.needs_human == 1
    nobody = open_tab(InboxBadgeState, None, "/")
    await nobody.load_badge()
    assert nobody.needs_human == 0


async def test_the_composer_says_who_has_the_chat(open_tab, filled: Inbox) -> None:
    state = await _open(open_tab, filled.tokens["owner"], f"/conversations?c={filled.ids['ben']}")
    assert state.composer_note == "Agent Person is on this chat. You can still reply, or take it over."
    await state.take_over()
    assert state.header.mine and state.composer_note == ""
    with session_scope() as s:
        conversation = TenantScope(s, filled.wa.tenant_id).require(Conversation, filled.ids["ben"])
        conversation.assigned_user_id = None
        s.add(conversation)
    await state.open_conversation(filled.ids["ben"])
    assert state.composer_note.startswith("Nobody has taken this chat yet")
