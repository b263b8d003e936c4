"""The agent behind the WhatsApp channel: signed webhooks in, the queue worker with the default seam, replies
out to the fake Twilio server."""

from __future__ import annotations

from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, Conversation, Message
from tests.engine.conversations.harness import WhatsAppEnv, ordered, wa_fixture  # noqa: F401 - fixture


def _rows(wa: WhatsAppEnv, model: type) -> list:
    with session_scope() as s:
        return ordered(TenantScope(s, wa.tenant_id), model)


def test_a_burst_is_answered_by_the_agent_and_the_interaction_linked_to_the_reply(wa: WhatsAppEnv) -> None:
    for text in ("hi", "thanks for the help yesterday!"):
        assert wa.inbound(text).status_code == 200
        wa.clock.advance(1)
    wa.clock.advance(20)
    assert wa.worker().tick().replies == 1
    (sent,) = wa.fake.messages
    assert "Ada" in sent.value("Body")
    (interaction,) = _rows(wa, AgentInteraction)
    reply = [m for m in _rows(wa, Message) if m.direction == "outbound"][0]
    assert (
        interaction.message_id == reply.id
        and interaction.customer_message == "hi\nthanks for the help yesterday!"
    )
    assert {i["name"] for i in interaction.intents} == {"greeting", "thanks"} and not interaction.handoff


def test_a_request_for_a_person_moves_the_conversation_and_the_bot_goes_quiet(wa: WhatsAppEnv) -> None:
    wa.inbound("can i talk to a human pls")
    wa.clock.advance(20)
    assert wa.worker().tick().replies == 1
    assert "passing you to a member of our team" in wa.fake.messages[0].value("Body")
    (conversation,) = _rows(wa, Conversation)
    assert (
        conversation.status == "handoff" and conversation.handoff_reason == "the customer asked for a person"
    )
    (interaction,) = _rows(wa, AgentInteraction)
    assert interaction.handoff and interaction.handoff_reason.startswith("explicit_request")
    wa.inbound("hello??")
    wa.clock.advance(20)
    assert wa.worker().tick().replies == 0 and len(wa.fake.messages) == 1
