"""The agent's record of each turn (`agent_interaction`): written here and nowhere else.

Analytics, the inbox's confidence badges and the suggestion tracking all read this table, so it has one
writer. A turn is recorded when it is answered (`record`); the channel's worker stores the reply later, in its
own transaction, and asks the agent to link the two (`link_reply`); a reply thrown away because the customer
wrote again meanwhile is no turn (`discard_reply` deletes its record) but its cost stays visible, as
`discarded` llm_call rows.
"""

from __future__ import annotations

from sqlmodel import Session

from engine.conversations.contract import TurnReply
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, LLMCall

DISCARDED_REASON = "stale: the customer wrote again while this reply was generated"


def record(scope: TenantScope, interaction: AgentInteraction) -> AgentInteraction:
    """Store one turn's interaction (flushed: its id is known on return)."""
    return scope.add(interaction)


def link_reply(session: Session, tenant_id: int, reply: TurnReply, message_id: int) -> None:
    """The stored reply message belongs to the turn's interaction (inside the caller's transaction)."""
    if reply.interaction_id is None:
        return
    interaction = TenantScope(session, tenant_id).get(AgentInteraction, reply.interaction_id)
    if interaction is not None:
        interaction.message_id = message_id
        session.add(interaction)


def discard_reply(tenant_id: int, conversation_id: int, reply: TurnReply) -> None:
    """Forget a turn whose reply nobody received (a trace of it would show up in the playground and the
    analytics as a turn), and keep what it cost visible as `discarded` llm_call rows."""
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        if reply.interaction_id is not None:
            stale = scope.get(AgentInteraction, reply.interaction_id)
            if stale is not None and stale.message_id is None:
                session.delete(stale)
        if reply.llm_call_ids:
            for call in scope.all(LLMCall, LLMCall.id.in_(reply.llm_call_ids)):  # type: ignore[union-attr]
                call.status, call.error = "discarded", DISCARDED_REASON
                session.add(call)
        elif reply.unledgered_cost is not None and reply.unledgered_cost.amount > 0:
            cost = reply.unledgered_cost
            scope.add(
                LLMCall(
                    conversation_id=conversation_id,
                    provider=cost.provider[:32],
                    model=cost.model[:80],
                    status="discarded",
                    tokens_in=cost.tokens_in,
                    tokens_out=cost.tokens_out,
                    cost=cost.amount,
                    latency_ms=cost.latency_ms,
                    error=DISCARDED_REASON,
                )
            )


__all__ = ["DISCARDED_REASON", "discard_reply", "link_reply", "record"]
