"""POST /webhooks/twilio/whatsapp over HTTP: signatures, proxies, duplicates, every parameter, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from engine.accounts.secrets import set_secret
from engine.db import TenantScope, session_scope
from engine.http import webhooks
from engine.models import (
    ButtonEvent,
    CampaignRecipient,
    Conversation,
    Customer,
    Message,
    MessageQueue,
)
from tests.engine.conversations.harness import (  # noqa: F401 - fixture
    INBOUND_URL,
    PUBLIC_BASE,
    WhatsAppEnv,
    count,
    make_tenant,
    ordered,
    wa_fixture,
)
from tests.factories import make_row
from tests.fakes.twilio_server import FakeTwilioServer

PATH = "/webhooks/twilio/whatsapp"


def _nothing_stored() -> bool:
    with session_scope() as s:
        return (
            count(s, Message) == count(s, Customer) == count(s, Conversation) == count(s, MessageQueue) == 0
        )


def _messages(tenant_id: int) -> list[Message]:
    with session_scope() as s:
        return ordered(TenantScope(s, tenant_id), Message)


def test_a_signed_message_is_stored_and_acknowledged_with_an_empty_twiml_response(wa: WhatsAppEnv) -> None:
    response = wa.inbound("Do you have the trail runner in 42?")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.endswith("<Response></Response>")
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        (message,) = ordered(scope, Message)
        customer = scope.require(Customer, scope.require(Conversation, message.conversation_id).customer_id)
        (queued,) = ordered(scope, MessageQueue)
    assert message.body == "Do you have the trail runner in 42?"
    assert (message.direction, message.sender, message.status) == ("inbound", "customer", "received")
    assert message.rich["inbound"]["to"] == wa.sender
    assert (customer.phone, customer.name, customer.wa_id) == (wa.customer, "Ada Lovelace", "447700900123")
    # a complete question waits half the 5 s window
    assert queued.due_at == wa.clock.now + timedelta(seconds=2.5)
    assert queued.status == "pending" and queued.message_id == message.id


def test_nothing_is_stored_when_the_signature_is_wrong(wa: WhatsAppEnv) -> None:
    response = wa.inbound("hi", token="not-the-auth-token")
    assert response.status_code == 403
    assert response.json()["detail"] == webhooks.REFUSED
    assert _nothing_stored()


def test_nothing_is_stored_when_the_signature_is_missing(wa: WhatsAppEnv) -> None:
    response = wa.inbound("hi", sign=False)
    assert response.status_code == 403
    assert response.json()["detail"] == webhooks.REFUSED
    assert _nothing_stored()


def test_a_signature_over_other_parameters_is_refused(wa: WhatsAppEnv) -> None:
    form = wa.inbound_form("transfer me 100")
    signature = FakeTwilioServer.signature(wa.auth_token, INBOUND_URL, {**form, "Body": "hi"})
    response = wa.post(PATH, form, signature=signature)
    assert response.status_code == 403 and _nothing_stored()


def test_behind_a_proxy_the_public_base_url_is_what_was_signed(wa: WhatsAppEnv) -> None:
    # The app sees http://testserver/...; Twilio signed https://parley.example.com/...
    assert wa.inbound("signed for the public URL", signed_url=PUBLIC_BASE + PATH).status_code == 200
    internal = wa.inbound("signed for the internal URL", signed_url="http://testserver" + PATH)
    assert internal.status_code == 403
    assert [m.body for m in _messages(wa.tenant_id)] == ["signed for the public URL"]


def test_without_a_public_base_url_the_forwarded_scheme_and_host_are_used(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.config import reset_settings_cache

    monkeypatch.delenv("PUBLIC_BASE_URL")
    reset_settings_cache()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "chat.shop.example"}
    ok = wa.inbound("via proxy", signed_url="https://chat.shop.example" + PATH, headers=forwarded)
    assert ok.status_code == 200
    assert wa.inbound("direct", signed_url="http://testserver" + PATH).status_code == 200
    assert wa.inbound("wrong host", signed_url="https://chat.shop.example" + PATH).status_code == 403


def test_a_duplicate_message_sid_answers_200_and_changes_nothing(wa: WhatsAppEnv) -> None:
    sid = wa.new_sid()
    first = wa.inbound("hello?", sid=sid)
    wa.clock.advance(1)
    again = wa.inbound("hello?", sid=sid)
    assert first.status_code == again.status_code == 200
    assert again.text == first.text
    with session_scope() as s:
        assert count(s, Message) == count(s, MessageQueue) == count(s, Conversation) == 1
        (queued,) = s.exec(select(MessageQueue)).all()
        assert queued.due_at == wa.clock.now - timedelta(seconds=1) + timedelta(seconds=2.5)  # not pushed


def test_media_zero_to_n_is_stored_with_content_types(wa: WhatsAppEnv) -> None:
    media = {
        "NumMedia": "2",
        "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
        "MediaContentType0": "image/jpeg",
        "MediaUrl1": "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2",
        "MediaContentType1": "application/pdf",
    }
    assert wa.inbound("", **media).status_code == 200
    (message,) = _messages(wa.tenant_id)
    assert message.media == [
        {"url": media["MediaUrl0"], "content_type": "image/jpeg"},
        {"url": media["MediaUrl1"], "content_type": "application/pdf"},
    ]
    assert message.body is None


def test_location_reply_to_forwarded_and_referral_parameters_are_kept(wa: WhatsAppEnv) -> None:
    params = {
        "Latitude": "51.5072",
        "Longitude": "-0.1276",
        "Address": "Trafalgar Square",
        "Label": "Shop",
        "OriginalRepliedMessageSid": "SM" + "a" * 32,
        "OriginalRepliedMessageSender": wa.sender,
        "Forwarded": "true",
        "ReferralSourceUrl": "https://fb.me/ad",
        "ReferralHeadline": "Spring sale",
        "MessageType": "location",
        "ChannelMetadata": '{"type": "whatsapp", "data": {"context": {"ProfileName": "Ada"}}}',
        "SomethingNew": "kept",
    }
    assert wa.inbound("", **params).status_code == 200
    (message,) = _messages(wa.tenant_id)
    inbound = message.rich["inbound"]
    assert inbound["location"] == {
        "latitude": 51.5072,
        "longitude": -0.1276,
        "address": "Trafalgar Square",
        "label": "Shop",
    }
    assert inbound["replied_to"] == {"sid": "SM" + "a" * 32, "sender": wa.sender}
    assert inbound["forwarded"] is True
    assert inbound["referral"] == {"ReferralSourceUrl": "https://fb.me/ad", "ReferralHeadline": "Spring sale"}
    assert inbound["message_type"] == "location"
    assert inbound["channel_metadata"]["type"] == "whatsapp"
    assert inbound["extra"] == {"SomethingNew": "kept"}


def _offer_buttons(wa: WhatsAppEnv) -> int:
    """A conversation whose last outbound message offered two buttons; returns the conversation id."""
    assert wa.inbound("hi").status_code == 200
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        conversation = ordered(scope, Conversation)[0]
        scope.add(
            Message(
                conversation_id=conversation.id,
                direction="outbound",
                sender="agent",
                body="Which size?",
                rich={
                    "kind": "buttons",
                    "body": "Which size?",
                    "options": [{"id": "size-42", "title": "42"}, {"id": "size-43", "title": "43"}],
                },
                provider_sid="SM" + "b" * 32,
                status="delivered",
            )
        )
        return conversation.id


def test_a_button_reply_is_mapped_to_the_option_and_counted(wa: WhatsAppEnv) -> None:
    conversation_id = _offer_buttons(wa)
    response = wa.inbound("43", ButtonPayload="size-43", ButtonText="43", MessageType="button")
    assert response.status_code == 200
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        reply = ordered(scope, Message, Message.direction == "inbound")[-1]
        (event,) = ordered(scope, ButtonEvent)
    assert (reply.button_payload, reply.button_text) == ("size-43", "43")
    assert reply.rich["inbound"]["choice"] == {"id": "size-43", "title": "43", "via": "button"}
    assert (event.payload, event.title, event.conversation_id) == ("size-43", "43", conversation_id)


@pytest.mark.parametrize(("body", "expected"), [("2", "size-43"), (" 1. ", "size-42"), ("43", "size-43")])
def test_a_numbered_or_typed_answer_is_mapped_back_to_the_option(
    wa: WhatsAppEnv, body: str, expected: str
) -> None:
    _offer_buttons(wa)
    assert wa.inbound(body).status_code == 200
    reply = [m for m in _messages(wa.tenant_id) if m.direction == "inbound"][-1]
    assert reply.button_payload == expected
    assert reply.rich["inbound"]["choice"]["via"] in ("number", "title")


def test_a_list_reply_is_mapped_by_its_list_id(wa: WhatsAppEnv) -> None:
    _offer_buttons(wa)
    assert wa.inbound("42", ListId="size-42", ListTitle="42").status_code == 200
    reply = [m for m in _messages(wa.tenant_id) if m.direction == "inbound"][-1]
    assert reply.rich["inbound"]["choice"] == {"id": "size-42", "title": "42", "via": "list"}
    assert reply.rich["inbound"]["list_id"] == "size-42"


def test_a_tap_on_a_campaign_message_marks_the_recipient_clicked(wa: WhatsAppEnv) -> None:
    with session_scope() as s:
        recipient = make_row(s, wa.tenant_id, CampaignRecipient)
        recipient.provider_sid = "SM" + "c" * 32
        recipient.status = "delivered"
        s.add(recipient)
    response = wa.inbound(
        "Shop now", ButtonPayload="shop", ButtonText="Shop now", OriginalRepliedMessageSid="SM" + "c" * 32
    )
    assert response.status_code == 200
    with session_scope() as s:
        recipient = ordered(TenantScope(s, wa.tenant_id), CampaignRecipient)[0]
        (event,) = ordered(TenantScope(s, wa.tenant_id), ButtonEvent)
    assert recipient.status == "clicked" and recipient.clicked_at is not None
    assert event.campaign_id == recipient.campaign_id and event.payload == "shop"


def test_an_unknown_to_sender_is_refused_like_a_bad_signature_and_nothing_is_stored(wa: WhatsAppEnv) -> None:
    response = wa.inbound("hi", To="whatsapp:+19995550000")
    assert response.status_code == 403
    assert response.json()["detail"] == webhooks.REFUSED
    assert _nothing_stored()


def test_each_tenant_is_checked_with_its_own_auth_token(wa: WhatsAppEnv) -> None:
    with session_scope() as s:
        other_id, other_sender, _, other_token = make_tenant(s)
    assert wa.inbound("to the other shop", To=other_sender, token=other_token).status_code == 200
    assert wa.inbound("wrong token", To=other_sender, token=wa.auth_token).status_code == 403
    assert [m.body for m in _messages(other_id)] == ["to the other shop"]
    assert _messages(wa.tenant_id) == []


def test_a_rotated_auth_token_is_picked_up_without_a_restart(wa: WhatsAppEnv) -> None:
    assert wa.inbound("before").status_code == 200  # caches the old token
    with session_scope() as s:
        set_secret(s, wa.tenant_id, "twilio_auth_token", "rotated-token")
    assert wa.inbound("after", token="rotated-token").status_code == 200
    assert wa.inbound("old token", token=wa.auth_token).status_code == 403


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"MessageSid": ""}, "MessageSid is missing"),
        ({"MessageSid": "not-a-sid"}, "is not a Twilio message SID"),
        ({"From": "+447700900123"}, "From must be a whatsapp:+<number> address"),
        ({"NumMedia": "two"}, "NumMedia must be an integer"),
        ({"NumMedia": "1"}, "MediaUrl0 is missing"),
        ({"NumMedia": "1", "MediaUrl0": "ftp://x/y"}, "MediaUrl0 is not an http(s) URL"),
        ({"Latitude": "51.5"}, "Latitude and Longitude must come together"),
        ({"Latitude": "951.5", "Longitude": "0"}, "Latitude must be between"),
    ],
)
def test_a_malformed_form_gets_400_with_the_reason(wa: WhatsAppEnv, change: dict, reason: str) -> None:
    form = {**wa.inbound_form("hi"), **change}
    response = wa.post(PATH, form)
    assert response.status_code == 400
    assert reason in response.json()["detail"]
    assert _nothing_stored()


def test_a_body_that_is_not_a_form_gets_400(wa: WhatsAppEnv) -> None:
    response = wa.client.post(PATH, json=wa.inbound_form("hi"), headers={"X-Twilio-Signature": "x"})
    assert response.status_code == 400
    assert "x-www-form-urlencoded" in response.json()["detail"]
    missing_to = wa.client.post(PATH, data={"Body": "hi"}, headers={"X-Twilio-Signature": "x"})
    assert missing_to.status_code == 400 and _nothing_stored()


def test_a_burst_stays_in_one_conversation_and_pushes_the_window_up_to_three_windows(wa: WhatsAppEnv) -> None:
    start = wa.clock.now
    for text in ("hi", "so", "I was wondering", "about the", "trail", "runner"):
        assert wa.inbound(text).status_code == 200
        wa.clock.advance(4)
    with session_scope() as s:
        rows = ordered(TenantScope(s, wa.tenant_id), MessageQueue)
        assert count(s, Conversation) == 1
    assert len({r.due_at for r in rows}) == 1  # one due time for the whole burst
    assert rows[0].due_at == start + timedelta(seconds=15)  # capped at 3 × 5 s from the first message


def test_messages_of_a_conversation_a_person_owns_are_stored_but_not_queued(wa: WhatsAppEnv) -> None:
    assert wa.inbound("hi").status_code == 200
    with session_scope() as s:
        conversation = ordered(TenantScope(s, wa.tenant_id), Conversation)[0]
        conversation.status = "handoff"
        s.add(conversation)
    assert wa.inbound("are you there?").status_code == 200
    with session_scope() as s:
        assert count(s, Message) == 2 and count(s, MessageQueue) == 1


def test_after_a_conversation_is_closed_the_next_message_opens_a_new_one(wa: WhatsAppEnv) -> None:
    assert wa.inbound("hi").status_code == 200
    with session_scope() as s:
        conversation = ordered(TenantScope(s, wa.tenant_id), Conversation)[0]
        conversation.status = "closed"
        s.add(conversation)
    assert wa.inbound("hello again").status_code == 200
    with session_scope() as s:
        conversations = ordered(TenantScope(s, wa.tenant_id), Conversation)
        assert [c.status for c in conversations] == ["closed", "bot"]
        assert count(s, Customer) == 1


def test_stop_and_start_set_the_customers_opt_out(wa: WhatsAppEnv) -> None:
    assert wa.inbound("STOP").status_code == 200
    with session_scope() as s:
        customer = ordered(TenantScope(s, wa.tenant_id), Customer)[0]
        assert customer.opted_out_at is not None and customer.opted_in is False
    assert wa.inbound("start").status_code == 200
    with session_scope() as s:
        customer = ordered(TenantScope(s, wa.tenant_id), Customer)[0]
        assert customer.opted_out_at is None and customer.opted_in is True
