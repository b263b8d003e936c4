"""The agent pipeline: one burst of customer messages in, one reply out, one agent_interaction written.

    sanitize ▶ pending answers (Did you mean…? / carry on?) ▶ spell-correct ▶ intents ▶ memory ("did you
    forget", returning customer) ▶ evidence (catalogue, knowledge, orders) ▶ context (budgeted) ▶ prompt ▶
    LLM (AgentTurn; offline composition when no model answers) ▶ handoff rules ▶ suggestions ▶ rich reply
    ▶ record (interaction, memory, conversation)

Three phases, each its own module, because the model call may take seconds and must not hold a database
transaction (SQLite has one writer; the LLM ledger writes from its own connection): (A) read everything in one
read-only unit of work (engine.agent.read), (B) call the model with no session open (engine.agent.answer),
(C) write everything in one short unit of work (engine.agent.record). The TurnPlan they share is in
engine.agent.plan.

Entry points: `run_turn` runs one turn (the channel's responder, engine.agent.channel, calls it; the worker
sends the reply and applies the handoff); `process_message(tenant_id, conversation_id, text)` is the
Playground's and the terminal chat's (it stores both messages, and the turn applies the handoff itself).
Both return what the turn did, with a trace of the steps and their timings.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from engine.agent import memory as mem
from engine.agent.answer import answer
from engine.agent.plan import LLMFactory, TurnPlan
from engine.agent.read import prepare
from engine.agent.record import finish
from engine.agent.types import InboundMessage, Tracer, TurnResult
from engine.db import TenantScope, session_scope
from engine.llm import llm_for_tenant
from engine.models import Conversation, Message, utcnow
from engine.observability import instrument


def process_message(
    tenant_id: int,
    conversation_id: int,
    text: str,
    *,
    button_payload: str | None = None,
    llm_factory: LLMFactory | None = None,
    now: datetime | None = None,
) -> TurnResult:
    """A customer message typed in the Playground or the terminal chat: stored, answered, reply stored.

    Unlike the channel, nothing is sent: the reply row is stored as `sent`, and a handoff is applied here.
    A conversation a person owns stays silent (responder "silent"), as on WhatsApp.
    """
    now = now or utcnow()
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        conversation = scope.require(Conversation, conversation_id)
        row = scope.add(
            Message(
                conversation_id=conversation_id,
                direction="inbound",
                sender="customer",
                body=text,
                button_payload=button_payload,
                status="received",
                created_at=now,
                updated_at=now,
            )
        )
        conversation.last_activity_at = now
        conversation.last_inbound_at = now
        session.add(conversation)
        message_id = int(row.id or 0)
    return run_turn(
        tenant_id,
        conversation_id,
        [InboundMessage(text, message_id, button_payload)],
        mode="playground",
        llm_factory=llm_factory,
        now=now,
    )


def run_turn(
    tenant_id: int,
    conversation_id: int,
    inbound: Sequence[InboundMessage],
    *,
    mode: str = "channel",
    llm_factory: LLMFactory | None = None,
    now: datetime | None = None,
) -> TurnResult:
    """One turn through the three phases (see the module docstring), observed for operations (a span per
    step, the turn and step histograms, one `agent.turn` event: engine.observability.instrument)."""
    tracer = Tracer(observed=True)
    plan = TurnPlan(
        tenant_id=tenant_id,
        conversation_id=conversation_id,
        customer_id=0,
        mode=mode,
        now=now or utcnow(),
        inbound=list(inbound),
    )
    with instrument.turn(tenant_id, conversation_id, mode) as observed:
        prepare(plan, tracer, llm_factory or llm_for_tenant)
        if plan.silent:
            observed.done("silent")
            return TurnResult(conversation_id, "silent", None, trace=tracer.steps, notes=plan.notes)
        outcome = answer(plan, tracer)
        result = finish(plan, outcome, tracer)
        observed.done(
            result.responder,
            provider=result.provider,
            model=result.model,
            degraded=result.degraded,
            handoff=result.handoff,
            handoff_category=result.handoff_category,
            confidence=result.confidence,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            cost=str(result.cost),
            llm_ms=result.llm_ms,
            interaction_id=result.interaction_id,
        )
        return result


def reset_session(tenant_id: int, conversation_id: int) -> None:
    """Expire the conversation's working memory now (the Playground's "pretend 30 minutes passed")."""
    with session_scope() as session:
        mem.reset_conversation_memory(session, tenant_id, conversation_id)


__all__ = ["InboundMessage", "TurnPlan", "process_message", "reset_session", "run_turn"]
