"""Hostile webhook forms (issue #14 item 3): every field is cleaned at the edge, nesting is bounded, and an
unsigned request cannot tell a registered sender from an unknown one."""

from __future__ import annotations

from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message
from tests.engine.conversations.harness import (  # noqa: F401 - fixture
    WhatsAppEnv,
    ordered,
    wa_fixture,
)

PATH = "/webhooks/twilio/whatsapp"


def _stored(wa: WhatsAppEnv) -> tuple[Message, Customer]:
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        (message,) = ordered(scope, Message)
        conversation = scope.require(Conversation, message.conversation_id)
        return message, scope.require(Customer, conversation.customer_id)


def test_nul_in_the_profile_name_and_button_text_is_cleaned_and_the_message_kept(wa: WhatsAppEnv) -> None:
    response = wa.inbound(
        "yes\x00 please",
        ProfileName="Ada\x00 Lovelace\ufffe",
        ButtonText="Yes\x00",
        ButtonPayload="yes\x00",
        ListTitle="T\x01itle",
    )
    assert response.status_code == 200, response.text
    message, customer = _stored(wa)
    assert customer.name == "Ada Lovelace"
    assert message.body == "yes please"
    assert message.button_text == "Yes" and message.button_payload == "yes"


def test_deeply_nested_channel_metadata_is_cut_and_the_message_kept(wa: WhatsAppEnv) -> None:
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    response = wa.inbound("hello", ChannelMetadata=deep)
    assert response.status_code == 200, response.text
    message, _ = _stored(wa)
    assert message.body == "hello"
    kept = message.rich["inbound"]["channel_metadata"]
    assert "a" not in kept  # the nesting is not stored


def test_moderately_nested_metadata_is_kept_as_sent(wa: WhatsAppEnv) -> None:
    response = wa.inbound("hi", ChannelMetadata='{"type":"whatsapp","data":{"context":{"id":"x"}}}')
    assert response.status_code == 200
    message, _ = _stored(wa)
    assert message.rich["inbound"]["channel_metadata"]["data"]["context"] == {"id": "x"}


def test_unsigned_requests_answer_alike_for_known_and_unknown_senders(wa: WhatsAppEnv) -> None:
    known = wa.inbound("hi", sign=False)
    unknown = wa.inbound("hi", sign=False, To="whatsapp:+19995550000")
    forged_known = wa.inbound("hi", token="forged")
    forged_unknown = wa.inbound("hi", token="forged", To="whatsapp:+19995550000")
    answers = {(r.status_code, r.text) for r in (known, unknown, forged_known, forged_unknown)}
    assert len(answers) == 1
    assert known.status_code == 403


def test_status_callbacks_answer_alike_for_known_and_unknown_senders(wa: WhatsAppEnv) -> None:
    form = wa.fake.status_callback("SM" + "a" * 32, "delivered")
    known = wa.post("/webhooks/twilio/status", {**form, "From": wa.sender}, sign=False)
    unknown = wa.post("/webhooks/twilio/status", {**form, "From": "whatsapp:+19995550000"}, sign=False)
    assert (known.status_code, known.text) == (unknown.status_code, unknown.text) and known.status_code == 403
