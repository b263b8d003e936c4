"""The contract between the burst queue and whatever answers a burst (the agent, in production).

The worker (engine.conversations.queue) claims a burst, asks the responder for a `TurnReply`, and — in one
transaction — stores the reply, marks the burst processed and applies the handoff through
engine.conversations.lifecycle. It reads nothing else: the decision travels as typed fields, never as keys of
`RichMessage.meta`.

The responder owns its own records. The agent is the only writer of `agent_interaction`: it records the turn
while answering, and the worker asks it to link the stored reply to that record (`link_reply`, inside the
worker's transaction) or to forget an answer thrown away because the customer wrote again meanwhile
(`discard_reply`). The worker gets its responder through the job wiring (engine.jobs.queue), so this package
never imports the agent: the arrows point down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from sqlmodel import Session

from engine.channels.whatsapp.rich import RichMessage
from engine.models import Conversation, Message


@dataclass(frozen=True, slots=True)
class HandoffRequest:
    """The responder wants a person to take the conversation after its reply is sent."""

    reason: str  # shown in the inbox ("the customer asked for a person")
    category: str | None = None  # explicit_request · topic · frustration · low_confidence · no_answer · …


@dataclass(frozen=True, slots=True)
class UnledgeredCost:
    """What an answer cost that no llm_call row holds (a responder that bypasses engine.llm's ledger).

    Only needed when the answer is discarded: the spend must stay visible, so it is then recorded as one
    `discarded` llm_call. Answers from the agent's models leave it unset — the ledger already has every call.
    """

    provider: str
    model: str
    amount: Decimal
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: int = 0


@dataclass(frozen=True, slots=True)
class TurnReply:
    """One burst's answer. `message` None: stay silent (a person owns the conversation)."""

    message: RichMessage | None
    responder: str = "agent"  # agent · rules · silent
    handoff: HandoffRequest | None = None
    interaction_id: int | None = None  # the agent_interaction the responder recorded for this turn
    llm_call_ids: tuple[int, ...] = ()  # llm_call rows to mark `discarded` if the answer is thrown away
    unledgered_cost: UnledgeredCost | None = None

    @property
    def silent(self) -> bool:
        return self.message is None


class Responder(Protocol):
    """What the worker needs from the agent. `answer` may take seconds (LLM calls): it runs with no database
    transaction open and opens its own sessions; `link_reply` runs inside the worker's transaction."""

    def answer(self, conversation: Conversation, messages: Sequence[Message]) -> TurnReply: ...

    def link_reply(self, session: Session, tenant_id: int, reply: TurnReply, message_id: int) -> None: ...

    def discard_reply(self, tenant_id: int, conversation_id: int, reply: TurnReply) -> None: ...


__all__ = ["HandoffRequest", "Responder", "TurnReply", "UnledgeredCost"]
