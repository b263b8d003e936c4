"""The agent behind the WhatsApp channel: signed webhooks in, the queue worker with the default seam, replies
out to the fake Twilio server."""

from __future__ import annotations

from collections.abc import Sequence

from engine.agent.channel import ChannelAgent, process_batch
from engine.conversations.contract import TurnReply
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


def _answered_bursts(wa: WhatsAppEnv) -> list[tuple[int, int | None]]:
    """(reply id, its interaction's id) per reply the worker stored."""
    replies = [m.id for m in _rows(wa, Message) if m.direction == "outbound"]
    linked = {i.message_id: i.id for i in _rows(wa, AgentInteraction)}
    return [(reply, linked.get(reply)) for reply in replies]


def test_each_answered_burst_has_exactly_one_interaction(wa: WhatsAppEnv) -> None:
    for text in ("hi", "do you deliver on saturdays?"):
        wa.inbound(text)
        wa.clock.advance(20)
        assert wa.worker().tick().replies == 1
    pairs = _answered_bursts(wa)
    assert len(pairs) == 2 and all(interaction for _, interaction in pairs)
    assert len(_rows(wa, AgentInteraction)) == 2  # nothing recorded twice, nothing unlinked


def test_a_regenerated_burst_keeps_one_interaction_the_one_sent(wa: WhatsAppEnv) -> None:
    """The customer writes while the agent answers: the first answer is thrown away, the burst answered again
    with both messages, and only the answer sent leaves a turn behind."""
    answers: list[TurnReply] = []

    def answer_then_interrupt(conversation: Conversation, messages: Sequence[Message]) -> TurnReply:
        answers.append(process_batch(conversation, messages))
        if len(answers) == 1:
            assert wa.inbound("and do you deliver on saturdays?").status_code == 200
        return answers[-1]

    wa.inbound("hi there")
    wa.clock.advance(20)
    worker = wa.worker()
    worker.responder = ChannelAgent(answer_then_interrupt)
    assert worker.tick().replies == 1 and len(wa.fake.messages) == 1
    (interaction,) = _rows(wa, AgentInteraction)
    ((_, linked),) = _answered_bursts(wa)
    assert linked == interaction.id == answers[-1].interaction_id and len(answers) == 2
    assert interaction.customer_message == "hi there\nand do you deliver on saturdays?"
