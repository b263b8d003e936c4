"""The agent as the burst queue's responder (engine.conversations.contract.Responder).

The job wiring (engine.jobs.queue) hands a `ChannelAgent` to the worker: it answers a burst with the AI agent,
or with the rule-based responder when the tenant switched the agent off, and keeps the agent's record of the
turn (engine.agent.interactions) in step with what the worker did with the reply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlmodel import Session

from engine.agent import interactions
from engine.agent.flags import OFF_REASON, agent_mode
from engine.agent.pipeline import run_turn
from engine.agent.rules import rule_based_reply
from engine.agent.types import InboundMessage, TurnResult
from engine.conversations.contract import HandoffRequest, TurnReply
from engine.conversations.text import describe
from engine.db import session_scope
from engine.models import Conversation, Message, Tenant

Answer = Callable[[Conversation, Sequence[Message]], TurnReply]


def process_batch(conversation: Conversation, messages: Sequence[Message]) -> TurnReply:
    """One burst answered: the agent, the rule-based responder, or nobody — with the agent off, the burst is
    left for staff (a silent reply asking for a person, which the worker applies through the lifecycle)."""
    with session_scope() as session:
        mode = agent_mode(session.get(Tenant, conversation.tenant_id))
    if mode == "off":
        return TurnReply(message=None, responder="silent", handoff=HandoffRequest(OFF_REASON, "agent_off"))
    if mode == "rules":
        return rule_based_reply(conversation, messages)
    inbound = [InboundMessage(describe(m), m.id, m.button_payload) for m in messages]
    return turn_reply(run_turn(conversation.tenant_id, int(conversation.id or 0), inbound, mode="channel"))


def turn_reply(result: TurnResult) -> TurnReply:
    """A channel turn as the worker's contract. No cost travels: the LLM ledger has recorded every call."""
    handoff = None
    if result.handoff and result.handoff_reason:
        handoff = HandoffRequest(result.handoff_reason, result.handoff_category)
    return TurnReply(
        message=result.message,
        responder=result.responder,
        handoff=handoff,
        interaction_id=result.interaction_id,
    )


class ChannelAgent:
    """The responder the worker runs; `answer` is replaceable (tests script it, the real one is the agent)."""

    def __init__(self, answer: Answer = process_batch) -> None:
        self._answer = answer

    def answer(self, conversation: Conversation, messages: Sequence[Message]) -> TurnReply:
        return self._answer(conversation, messages)

    def link_reply(self, session: Session, tenant_id: int, reply: TurnReply, message_id: int) -> None:
        interactions.link_reply(session, tenant_id, reply, message_id)

    def discard_reply(self, tenant_id: int, conversation_id: int, reply: TurnReply) -> None:
        interactions.discard_reply(tenant_id, conversation_id, reply)


__all__ = ["ChannelAgent", "process_batch", "turn_reply"]
