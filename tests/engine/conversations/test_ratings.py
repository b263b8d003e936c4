"""Ratings in the chat through the fake Twilio server (issue #18, done-when): a resolution inside the window
sends the rating buttons, a tap records the rating, a low one asks the follow-up and appears in Needs
attention; outside the window the template is used or nothing is sent; no prompt after an opt-out or during
a handoff; each close asks again, within the tenant's rate limit."""

from __future__ import annotations

import json

import pytest

from engine.conversations import inbox, lifecycle, rating_prompts, ratings
from engine.db import TenantScope, session_scope
from engine.integrations import delivery, endpoints
from engine.models import Conversation, Message, Rating, RatingSettings, utcnow
from tests.engine.conversations.harness import WhatsAppEnv, ordered, wa_fixture  # noqa: F401 - the `wa` fixture
from tests.factories import new_user, rating_settings
from tests.fakes.webhook_receiver import WebhookReceiver

HOUR = 3600.0


def _turn_on(wa: WhatsAppEnv, **settings: object) -> None:
    with session_scope() as s:
        rating_settings(s, wa.tenant_id, enabled=True, **settings)


def _conversation(wa: WhatsAppEnv, body: str = "where is my parcel?") -> int:
    wa.inbound(body)
    with session_scope() as s:
        return int(ordered(TenantScope(s, wa.tenant_id), Conversation)[-1].id)


def _close_by_staff(wa: WhatsAppEnv, conversation_id: int) -> None:
    with session_scope() as s:
        user = new_user(s, wa.tenant_id, role="agent")
        inbox.close(s, wa.tenant_id, conversation_id, user)


def _ask(wa: WhatsAppEnv) -> int:
    return rating_prompts.ask_due(clock=wa.clock, sender_factory=wa.sender_factory)


def _ratings(wa: WhatsAppEnv) -> list[Rating]:
    with session_scope() as s:
        return ordered(TenantScope(s, wa.tenant_id), Rating)


def _buttons(wa: WhatsAppEnv) -> list[dict[str, str]]:
    """The quick-reply buttons of the last content item created at the fake Twilio."""
    content = wa.fake.contents[-1].json
    return content["types"]["twilio/quick-reply"]["actions"]


def test_inside_the_window_the_buttons_go_out_a_low_tap_gets_the_follow_up_and_needs_attention(
    wa: WhatsAppEnv,
) -> None:
    _turn_on(wa)
    conversation_id = _conversation(wa)
    wa.clock.advance(60)
    _close_by_staff(wa, conversation_id)
    assert [r.status for r in _ratings(wa)] == ["due"]

    assert _ask(wa) == 1
    (prompt,) = wa.fake.messages
    assert (
        prompt.value(
            "ContentSid",
        )
        is not None
    )  # quick-reply buttons, sent as Content in the session
    (rating,) = _ratings(wa)
    assert (rating.status, rating.via, rating.resolved_by) == ("asked", "session", "staff")
    assert [b["title"] for b in _buttons(wa)] == ["😀 Great", "😐 OK", "🙁 Bad"]
    assert [b["id"] for b in _buttons(wa)] == [
        f"rate:{rating.id}:3",
        f"rate:{rating.id}:2",
        f"rate:{rating.id}:1",
    ]

    wa.clock.advance(30)
    wa.inbound("🙁 Bad", ButtonPayload=f"rate:{rating.id}:1", ButtonText="🙁 Bad")
    (rating,) = _ratings(wa)
    assert (rating.status, rating.score, rating.is_low) == ("answered", 1, True)
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        assert len(scope.all(Conversation)) == 1  # the tap did not open a new conversation
        assert scope.require(Conversation, conversation_id).status == "closed"
        assert [i.conversation_id for i in ratings.needs_attention(s, wa.tenant_id)] == [conversation_id]

    assert rating_prompts.acknowledge_taps(clock=wa.clock, sender_factory=wa.sender_factory) == 1
    assert wa.fake.messages[-1].value("Body").startswith("Sorry to hear that. What went wrong?")
    assert rating_prompts.acknowledge_taps(clock=wa.clock, sender_factory=wa.sender_factory) == 0  # once

    wa.clock.advance(60)
    wa.inbound("the courier never rang the bell")
    (rating,) = _ratings(wa)
    assert rating.comment == "the courier never rang the bell"
    with session_scope() as s:
        assert len(TenantScope(s, wa.tenant_id).all(Conversation)) == 1  # the comment stayed with the rating
        (item,) = ratings.needs_attention(s, wa.tenant_id)
        assert (item.score_label, item.comment) == ("🙁 Bad", "the courier never rang the bell")
        ratings.mark_seen(s, wa.tenant_id, item.rating_id, user_id=None)
        assert ratings.needs_attention(s, wa.tenant_id) == []


def test_stop_after_a_low_rating_is_an_opt_out_not_a_comment(wa: WhatsAppEnv) -> None:
    _turn_on(wa)
    conversation_id = _conversation(wa)
    _close_by_staff(wa, conversation_id)
    _ask(wa)
    (rating,) = _ratings(wa)
    wa.inbound("🙁 Bad", ButtonPayload=f"rate:{rating.id}:1")
    rating_prompts.acknowledge_taps(clock=wa.clock, sender_factory=wa.sender_factory)
    wa.inbound("STOP")
    assert _ratings(wa)[0].comment is None
    with session_scope() as s:
        from engine.models import CampaignAction, Customer

        scope = TenantScope(s, wa.tenant_id)
        assert scope.first(Customer).opted_out_at is not None
        assert (
            scope.first(CampaignAction, CampaignAction.kind == "opt_out") is not None
        )  # confirmation queued


def test_a_good_tap_is_thanked_and_a_spanish_customer_is_asked_in_spanish(wa: WhatsAppEnv) -> None:
    _turn_on(wa)
    conversation_id = _conversation(wa, "hola, ¿dónde está mi pedido?")
    with session_scope() as s:
        conversation = TenantScope(s, wa.tenant_id).require(Conversation, conversation_id)
        from engine.models import Customer

        customer = TenantScope(s, wa.tenant_id).require(Customer, conversation.customer_id)
        customer.language = "es"
        s.add(customer)
    _close_by_staff(wa, conversation_id)
    _ask(wa)
    assert [b["title"] for b in _buttons(wa)] == ["😀 Genial", "😐 Normal", "🙁 Mal"]
    (rating,) = _ratings(wa)
    wa.inbound("😀 Genial", ButtonPayload=f"rate:{rating.id}:3", ButtonText="😀 Genial")
    rating_prompts.acknowledge_taps(clock=wa.clock, sender_factory=wa.sender_factory)
    assert wa.fake.messages[-1].value("Body") == "¡Gracias por tu valoración!"
    with session_scope() as s:
        assert ratings.needs_attention(s, wa.tenant_id) == []
        (view,) = ratings.ratings_of(s, wa.tenant_id, conversation_id)
    assert (view.score, view.score_label, view.is_low, view.status_label) == (3, "😀 Genial", False, "Rated")


def test_outside_the_window_nothing_is_sent_without_a_template_and_the_template_with_one(
    wa: WhatsAppEnv,
) -> None:
    _turn_on(wa, min_days_between=0)
    conversation_id = _conversation(wa)
    wa.clock.advance(25 * HOUR)
    _close_by_staff(wa, conversation_id)
    sent_before = len(wa.fake.messages)

    assert _ask(wa) == 0
    (rating,) = _ratings(wa)
    assert (rating.status, rating.skip_reason) == ("skipped", "outside_window")
    assert len(wa.fake.messages) == sent_before

    _, content = wa.fake.create_content(
        wa.account_sid,
        {
            "types": {
                "twilio/quick-reply": {
                    "body": "How did we do?",
                    "actions": [{"title": "OK", "id": "rate:t:2"}],
                }
            }
        },
    )
    with session_scope() as s:  # WhatsApp approved the shop's rating template
        row = TenantScope(s, wa.tenant_id).first(RatingSettings)
        row.template_sid, row.template_status = content["sid"], "approved"
        s.add(row)
        lifecycle.reopen(s, wa.tenant_id, conversation_id, None)
    _close_by_staff(wa, conversation_id)
    assert _ask(wa) == 1
    template = wa.fake.messages[-1]
    assert template.value("ContentSid") == content["sid"] and template.value("Body") is None
    assert _ratings(wa)[-1].via == "template"
    # the template's buttons cannot carry the request's id: the tap names the customer's latest request
    wa.inbound("😐 OK", ButtonPayload="rate:t:2", ButtonText="😐 OK")
    assert (_ratings(wa)[-1].status, _ratings(wa)[-1].score) == ("answered", 2)


def test_never_after_an_opt_out(wa: WhatsAppEnv) -> None:
    _turn_on(wa)
    conversation_id = _conversation(wa)
    wa.inbound("STOP")
    _close_by_staff(wa, conversation_id)
    sent_before = len(wa.fake.messages)
    assert _ask(wa) == 0
    assert (_ratings(wa)[0].status, _ratings(wa)[0].skip_reason) == ("skipped", "opted_out")
    assert len(wa.fake.messages) == sent_before


def test_never_during_an_open_handoff(wa: WhatsAppEnv) -> None:
    _turn_on(wa)
    first = _conversation(wa)
    _close_by_staff(wa, first)
    wa.clock.advance(10)
    second = _conversation(wa, "and another thing")
    with session_scope() as s:
        lifecycle.hand_off(s, wa.tenant_id, second, reason="asked for a person")
    assert _ask(wa) == 0
    assert (_ratings(wa)[0].status, _ratings(wa)[0].skip_reason) == ("skipped", "handoff")
    assert wa.fake.contents == []


def test_every_close_asks_again_within_the_rate_limit(wa: WhatsAppEnv) -> None:
    _turn_on(wa, min_days_between=7)
    conversation_id = _conversation(wa)
    _close_by_staff(wa, conversation_id)
    assert _ask(wa) == 1
    with session_scope() as s:
        lifecycle.reopen(s, wa.tenant_id, conversation_id, None)
    wa.clock.advance(HOUR)
    _close_by_staff(wa, conversation_id)
    assert _ask(wa) == 0  # asked an hour ago: not again within the tenant's 7 days
    assert [(r.status, r.skip_reason) for r in _ratings(wa)] == [("asked", None), ("skipped", "rate_limited")]


def test_ratings_on_for_a_new_tenant_and_off_when_the_owner_turns_them_off(wa: WhatsAppEnv) -> None:
    with session_scope() as s:
        assert rating_settings(s, wa.tenant_id).enabled  # a new shop asks from day one
        rating_settings(s, wa.tenant_id, enabled=False)
    conversation_id = _conversation(wa)
    _close_by_staff(wa, conversation_id)
    assert _ratings(wa) == []


def test_a_low_rating_can_hand_the_conversation_back_to_a_person(wa: WhatsAppEnv) -> None:
    _turn_on(wa, reopen_on_low=True)
    conversation_id = _conversation(wa)
    _close_by_staff(wa, conversation_id)
    _ask(wa)
    (rating,) = _ratings(wa)
    wa.inbound("🙁 Bad", ButtonPayload=f"rate:{rating.id}:1")
    with session_scope() as s:
        conversation = TenantScope(s, wa.tenant_id).require(Conversation, conversation_id)
    assert (conversation.status, conversation.handoff_reason) == ("handoff", ratings.LOW_REASON)


def test_a_tap_for_another_customers_rating_is_an_ordinary_message(wa: WhatsAppEnv) -> None:
    _turn_on(wa)
    conversation_id = _conversation(wa)
    _close_by_staff(wa, conversation_id)
    _ask(wa)
    (rating,) = _ratings(wa)
    wa.inbound("🙁 Bad", ButtonPayload=f"rate:{rating.id}:1", From="whatsapp:+447700900999")
    assert _ratings(wa)[0].status == "asked"


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from engine.config import reset_settings_cache

    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE_URLS", "true")
    reset_settings_cache()
    server = WebhookReceiver().start()
    yield server
    server.stop()


def test_each_event_type_reaches_a_subscribed_endpoint_signed(
    wa: WhatsAppEnv, receiver: WebhookReceiver
) -> None:
    """Signed events of every type a conversation produces: received, sent, handed off, resolved, rated,
    opted out (campaign finished: tests/engine/campaigns)."""
    from engine.integrations.catalog import EVENT_TYPES

    _turn_on(wa)
    with session_scope() as s:
        created = endpoints.create(s, wa.tenant_id, name="CRM", url=receiver.url, events=list(EVENT_TYPES))
    conversation_id = _conversation(wa)
    with session_scope() as s:
        user = new_user(s, wa.tenant_id, role="agent")
        inbox.take_over(s, wa.tenant_id, conversation_id, user)
    with session_scope() as s:
        lifecycle.hand_back(s, wa.tenant_id, conversation_id, None)
        lifecycle.hand_off(s, wa.tenant_id, conversation_id, reason="wants a refund", category="refund")
    _close_by_staff(wa, conversation_id)
    _ask(wa)  # the prompt is a reply sent too
    (rating,) = _ratings(wa)
    wa.inbound("😀 Great", ButtonPayload=f"rate:{rating.id}:3")
    wa.inbound("STOP")
    delivery.deliver_due(now=max(wa.clock.now, utcnow()))  # staff acts on the wall clock, Twilio on the fake

    kinds = [r.json["type"] for r in receiver.received]
    for kind in (
        "message.received",
        "reply.sent",
        "conversation.handed_off",
        "conversation.resolved",
        "rating.received",
        "customer.opted_out",
    ):
        assert kind in kinds, kind
    for got in receiver.received:
        from engine.integrations.signing import verify

        assert verify(
            created.secret, got.headers["Parley-Signature"], got.body, now=int(__import__("time").time())
        )
    (rated,) = receiver.of_type("rating.received")
    assert rated.json["data"] == {
        "conversation_id": conversation_id,
        "rating_id": rating.id,
        "score": 3,
        "scale": 3,
        "low": False,
    }
    handed = [r.json["data"] for r in receiver.of_type("conversation.handed_off")]
    assert {"conversation_id": conversation_id, "category": "refund"} in handed  # no reason_text: not ticked
    first = receiver.of_type("message.received")[0].json["data"]
    assert "text" not in first and first["customer"]["phone"] == wa.customer.removeprefix("whatsapp:")
    assert json.loads(receiver.of_type("conversation.resolved")[0].body)["data"]["resolved_by"] == "staff"
    with session_scope() as s:  # the sent reply's text is stored, the webhook did not carry it
        assert TenantScope(s, wa.tenant_id).first(Message, Message.sender == "system") is not None


def test_the_rating_words_come_from_the_customers_language_file() -> None:
    """Adding a language is adding a file (engine/locales): Italian and Swahili are asked in
    theirs, a language with no file in English."""
    assert ratings.words("it")[3] == ["😀 Ottimo", "😐 Discreto", "🙁 Scarso"]
    assert str(ratings.words("sw")["thanks"]).startswith("Asante")
    assert ratings.words("nl")["question"] == ratings.words("en")["question"]
    assert ratings.words(None)[2] == ["👍 Good", "👎 Bad"]
