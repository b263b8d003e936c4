"""The agent pipeline: one burst of customer messages in, one reply out, one agent_interaction written.

    sanitize ▶ pending answers (Did you mean…? / carry on?) ▶ spell-correct ▶ intents ▶ memory ("did you
    forget", returning customer) ▶ evidence (catalogue, knowledge, orders) ▶ context (budgeted) ▶ prompt ▶
    LLM (AgentTurn; offline composition when no model answers) ▶ handoff rules ▶ suggestions ▶ rich reply
    ▶ record (interaction, memory, conversation)

Three phases, because the model call may take seconds and must not hold a database transaction (SQLite has
one writer; the LLM ledger writes from its own connection): (A) read everything in one read-only unit of
work, (B) call the model with no session open, (C) write everything in one short unit of work.

Entry points: `process_batch(conversation, messages)` is the channel's seam (engine.conversations.pipeline
calls it; the worker sends the reply and applies the handoff); `process_message(tenant_id, conversation_id,
text)` is the Playground's and the terminal chat's (it stores both messages and applies the handoff itself).
Both return what the turn did, with a trace of the steps and their timings.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from engine.agent import memory as mem
from engine.agent.compose import APOLOGY, Part, compose_part, compose_reply, part_record
from engine.agent.context import BuiltContext, ContextInputs, HistoryTurn, build_context, context_window
from engine.agent.flags import agent_enabled
from engine.agent.handoff import HandoffDecision, HandoffSignals, handoff_notice, should_handoff
from engine.agent.intents import (
    SOCIAL,
    DetectedIntent,
    classify,
    detect_intents,
    merge_model_intents,
    prioritize,
    segments,
    substantive,
)
from engine.agent.persona import AgentConfigurationService, PersonaSettings, apply_persona
from engine.agent.prompts import build_messages, turn_instructions
from engine.agent.retrieval import (
    KNOWLEDGE_INTENTS,
    MIN_RELEVANT,
    Evidence,
    catalog_rows,
    describe_item,
    gather_async,
    money,
    prefetch_knowledge,
)
from engine.agent.sanitize import sanitize
from engine.agent.suggestions import Anchor, Suggestion, mark_accepted, suggest, validate_model_suggestions
from engine.agent.types import InboundMessage, Tracer, TurnResult
from engine.catalog import CONFIDENT, MATCH_THRESHOLD, CatalogMatch, correct_spelling
from engine.catalog import record_correction_feedback as record_feedback
from engine.catalog.history import order_dto
from engine.catalog.schemas import AppointmentDTO, CustomerHistoryDTO
from engine.catalog.spelling import SpellingResult
from engine.channels.whatsapp.rich import Option, RichMessage, RichMessageBuilder, RichMessageError
from engine.db import NotFound, TenantScope, session_scope
from engine.llm import AgentTurn, LLMError, OfflineContext, Persona, Task, TenantLLM, llm_for_tenant
from engine.llm.offline import KnowledgeHit
from engine.models import (
    AgentInteraction,
    Appointment,
    Conversation,
    Customer,
    Message,
    Order,
    Product,
    Service,
    Tenant,
    utcnow,
)

log = logging.getLogger(__name__)

HISTORY_MESSAGES = 20
SPELL_YES, SPELL_NO = "spell:yes", "spell:no"
CONTINUE, FRESH = "memory:continue", "memory:fresh"
_CONTINUE_WORDS = re.compile(r"\b(continue|carry on|go on|yes|yeah|yep|sure|ok|okay|please|that)\b", re.I)
_FRESH_WORDS = re.compile(r"\b(start fresh|fresh|new|something else|no|nope|other)\b", re.I)
_QUESTION_MARK = re.compile(r"\?\s*$")
_PAYLOAD = re.compile(r"^(product|service|suggest):([^:]+)(?::(\w+))?$")
LLMFactory = Callable[[Session, int], TenantLLM]


# ------------------------------------------------------------------------------------------------ plan


@dataclass
class TurnPlan:
    """Everything phase A read and decided; phase B and C work from it without the database."""

    tenant_id: int
    conversation_id: int
    customer_id: int
    mode: str
    now: datetime
    inbound: list[InboundMessage]
    business_name: str = ""
    currency: str = "USD"
    time_zone: str = "UTC"
    persona: PersonaSettings = field(default_factory=PersonaSettings)
    first_name: str | None = None
    memory: mem.MemoryView | None = None
    low_confidence_turns: int = 0
    texts: list[str] = field(default_factory=list)  # sanitized, one per message
    answer_text: str = ""  # what is answered: corrected, or the confirmed spelling
    spelling: SpellingResult | None = None
    spelling_feedback: tuple[list[tuple[str, str]], bool] | None = None  # (pairs, accepted)
    spelling_pending: dict[str, Any] | None = None  # set when this turn asks "Did you mean…?"
    accepted_keys: list[tuple[str, str]] = field(default_factory=list)  # (key, via)
    intents: list[DetectedIntent] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    matches: list[CatalogMatch] = field(default_factory=list)
    rows: dict[tuple[str, str], Product | Service] = field(default_factory=dict)
    history: CustomerHistoryDTO | None = None
    recent_customer: list[str] = field(default_factory=list)  # this session's earlier customer messages
    built: BuiltContext | None = None
    messages: list[dict[str, str]] = field(default_factory=list)
    llm: TenantLLM | None = None
    forgotten: str | None = None
    returning_topic: str | None = None
    offer_continue: bool = False  # this turn offers "carry on or start fresh?"
    resumed: str | None = None  # the customer chose to carry on with this topic
    short_reply: str | None = None  # answered without the model (spelling question, start fresh)
    short_options: list[Option] = field(default_factory=list)
    short_intents: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    silent: bool = False
    last_viewed: list[Product | Service] = field(default_factory=list)
    customer_facts: dict[str, Any] = field(default_factory=dict)
    # The knowledge search started before the turn knew it needed it, and suggestion candidates read early.
    prefetched: tuple[str, Future[Any]] | None = None
    suggestion_pool: list[Suggestion] = field(default_factory=list)
    temperature: float | None = None  # None: the tenant's saved setting (the preview passes the draft's)
    max_tokens: int | None = None

    @property
    def first_turn(self) -> bool:
        return bool(self.memory and self.memory.new_session)


@dataclass
class Outcome:
    """What phase B produced: the reply before handoff rules, suggestions and formatting."""

    reply: str
    confidence: float
    answered: bool
    intents: list[DetectedIntent]
    provider: str
    model: str
    degraded: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost: Decimal = Decimal("0")
    llm_ms: int = 0
    model_handoff: bool = False
    model_reason: str | None = None
    suggestion_keys: list[str] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    rich: dict[str, Any] | None = None
    parts: list[Part] = field(default_factory=list)
    list_options: list[Option] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # requests nothing answered (offline composition)
    error: str | None = None


# ------------------------------------------------------------------------------------------ entry points


def process_batch(conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
    """The channel seam (engine.conversations.pipeline): the agent, or the rule-based responder when the
    tenant switched the agent off. The worker sends the reply and moves the conversation to a person when
    `meta["handoff_reason"]` is set; the interaction is already recorded (`meta["interaction_id"]`)."""
    from engine.conversations.pipeline import describe

    with session_scope() as session:
        enabled = agent_enabled(session.get(Tenant, conversation.tenant_id))
    if not enabled:
        from engine.agent.rules import rule_based_reply

        return rule_based_reply(conversation, messages)
    inbound = [InboundMessage(describe(m), m.id, m.button_payload) for m in messages]
    result = run_turn(conversation.tenant_id, int(conversation.id or 0), inbound, mode="channel")
    return channel_message(result)


def channel_message(result: TurnResult) -> RichMessage:
    """The turn as the seam's RichMessage; `meta` carries what the worker reads (see
    engine.conversations.pipeline). The cost travels as `llm_cost`, not `cost`: the LLM ledger has already
    recorded it, and the worker would count a non-zero `cost` a second time if the reply is discarded."""
    message = result.message or RichMessageBuilder.text("…")
    meta: dict[str, Any] = {
        "responder": result.responder,
        "confidence": result.confidence,
        "intents": result.intents,
        "provider": result.provider,
        "model": result.model,
        "tokens_in": result.tokens_in,
        "tokens_out": result.tokens_out,
        "llm_cost": str(result.cost),
        "latency_ms": result.latency_ms,
        "knowledge_hits": result.knowledge_hits,
        "corrections": result.corrections,
        "suggestions": result.suggestions,
        "interaction_id": result.interaction_id,
    }
    if result.handoff and result.handoff_reason:
        meta["handoff_reason"] = result.handoff_reason
        meta["handoff_category"] = result.handoff_category
    if result.message is None:
        meta["silent"] = True
    return message.with_meta(**meta)


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
    """One turn through the three phases (see the module docstring)."""
    tracer = Tracer()
    plan = TurnPlan(
        tenant_id=tenant_id,
        conversation_id=conversation_id,
        customer_id=0,
        mode=mode,
        now=now or utcnow(),
        inbound=list(inbound),
    )
    prepare(plan, tracer, llm_factory or llm_for_tenant)
    if plan.silent:
        return TurnResult(conversation_id, "silent", None, trace=tracer.steps, notes=plan.notes)
    outcome = answer(plan, tracer)
    return finish(plan, outcome, tracer)


# ----------------------------------------------------------------------------------------- phase A: read


def prepare(plan: TurnPlan, tracer: Tracer, llm_factory: LLMFactory) -> None:
    with session_scope() as session:
        with tracer.step("sanitize") as d:
            cleaned = [sanitize(m.text) for m in plan.inbound]
            plan.texts = [c.text for c in cleaned if c.text]
            flags = sorted({f for c in cleaned for f in c.flags})
            plan.notes += flags
            d.update(messages=len(plan.texts), removed=sum(c.removed for c in cleaned), flags=flags)

        with tracer.step("spelling") as d:
            plan.persona = AgentConfigurationService.get(session, plan.tenant_id)
            text = "\n".join(plan.texts)
            tapped = any(m.button_payload for m in plan.inbound)
            if plan.persona.enable_spelling_correction and text and not tapped:
                plan.spelling = correct_spelling(session, plan.tenant_id, text)
                d["corrections"] = [c.to_dict() for c in plan.spelling.corrections]
            prefetch = _prefetch_text(plan)
            if prefetch:
                plan.prefetched = prefetch_knowledge(plan.tenant_id, prefetch)
                d["prefetched_search"] = True

        with tracer.step("load") as d:
            found = session.exec(
                select(Conversation, Customer, Tenant)
                .join(
                    Customer,
                    (Customer.id == Conversation.customer_id)
                    & (Customer.tenant_id == Conversation.tenant_id),
                )
                .join(Tenant, Tenant.id == Conversation.tenant_id)
                .where(Conversation.tenant_id == plan.tenant_id, Conversation.id == plan.conversation_id)
            ).first()
            if found is None:
                raise NotFound(f"conversation {plan.conversation_id} not found")
            conversation, customer, tenant = found
            if conversation.status != "bot":
                plan.silent = True
                plan.notes.append(f"conversation is {conversation.status}: the bot stays silent")
                d["status"] = conversation.status
                return
            plan.customer_id = conversation.customer_id
            plan.low_confidence_turns = conversation.low_confidence_turns
            plan.business_name = tenant.name if tenant else ""
            plan.currency = tenant.currency if tenant else "USD"
            plan.time_zone = tenant.time_zone if tenant else "UTC"
            plan.first_name = (customer.name or "").split()[0] if customer.name else None
            plan.customer_facts = dict(customer.key_facts or {})
            plan.memory = mem.peek_memory(
                session, plan.tenant_id, conversation, now=plan.now, customer_facts=plan.customer_facts
            )
            d.update(new_session=plan.memory.new_session, expired=plan.memory.expired)
            # The customer's orders, bookings and the conversation's history, read beside the rest.
            customer_reads = _reads.submit(_customer_reads, plan)

        with tracer.step("pending") as d:
            _payload_texts(session, plan)
            _pending_answers(session, plan, d)
        if plan.short_reply is not None:
            return

        with tracer.step("confirm") as d:
            text = "\n".join(plan.texts)
            if plan.answer_text:
                text = plan.answer_text
            elif plan.spelling is not None:
                question = plan.spelling.confirmation_question()
                if question:
                    plan.short_reply = question
                    plan.short_options = [Option(SPELL_YES, "Yes"), Option(SPELL_NO, "No")]
                    plan.spelling_pending = {
                        "original": plan.spelling.original,
                        "suggested": plan.spelling.suggested_text,
                        "pairs": [[c.original, c.corrected] for c in plan.spelling.needs_confirmation],
                    }
                    plan.short_intents = [{"name": "spelling_confirmation", "confidence": 1.0}]
                    d["asked"] = question
                    return
                text = plan.spelling.text
            plan.answer_text = text

        with tracer.step("intents") as d:
            cache: dict[str, list[CatalogMatch]] = {}

            def lookup(segment: str) -> list[CatalogMatch]:
                if segment not in cache:
                    cache[segment] = catalog_lookup(session, plan.tenant_id, segment)
                return cache[segment]

            lines = plan.answer_text.split("\n")
            plan.intents = detect_intents(lines, catalog=lookup, match_threshold=MATCH_THRESHOLD)
            if any(i.name == "forgot" for i in plan.intents):
                _forgotten(session, plan, lookup, d)
            d["intents"] = [i.to_dict() for i in plan.intents]

        with tracer.step("memory") as d:
            _returning(plan, d)
        if plan.short_reply is not None:
            return

        with tracer.step("retrieval") as d:
            pending = gather_async(
                session, plan.tenant_id, plan.intents, catalog_cache=cache, prefetched=plan.prefetched
            )
            plan.prefetched = None
            plan.evidence = pending.evidence  # knowledge still being searched: collected below
            seen: dict[str, CatalogMatch] = {}
            for ev in plan.evidence:
                for match in ev.catalog:
                    if match.key not in seen or match.confidence > seen[match.key].confidence:
                        seen[match.key] = match
            # What the requests are about first (their targets), then by confidence.
            targets = {i.target for i in plan.intents if i.target}
            plan.matches = sorted(seen.values(), key=lambda m: (m.key not in targets, -m.confidence))
            plan.rows = catalog_rows(session, plan.tenant_id, plan.matches)
            plan.last_viewed = _last_viewed(session, plan)
            for key, via in plan.accepted_keys:
                d.setdefault("accepted_suggestions", []).append({"key": key, "via": via})
            d["catalog"] = [(m.key, round(m.confidence, 3)) for m in plan.matches[:5]]
            d["knowledge_searches"] = len(pending.searches)

        with tracer.step("customer") as d:  # the wait for the reads started after "load"
            plan.history, turns = customer_reads.result()
            d.update(orders=len(plan.history.orders), history_messages=len(turns))

        with tracer.step(
            "suggestions"
        ) as d:  # read now, while the knowledge search runs; filtered at the end
            plan.suggestion_pool = _suggestion_pool(session, plan)
            d["candidates"] = [s.key for s in plan.suggestion_pool]

        with tracer.step("knowledge") as d:  # the wait for the searches started above, if any is left
            plan.evidence = pending.result()
            d["hits"] = [(s.hit.entry.title, s.confidence) for ev in plan.evidence for s in ev.knowledge[:2]]

        with tracer.step("context") as d:
            persona_prompt = apply_persona(plan.persona, business_name=plan.business_name)
            instructions = turn_instructions(
                plan.intents,
                first_turn=plan.first_turn,
                returning_topic=plan.returning_topic,
                forgotten=plan.forgotten,
                customer_name=plan.first_name,
            )
            plan.llm = llm_factory(session, plan.tenant_id)
            window = context_window(plan.llm.models or ["offline-templates"])
            plan.built = build_context(
                ContextInputs(
                    persona=persona_prompt,
                    message=plan.answer_text,
                    key_facts=plan.memory.key_facts if plan.memory else {},
                    catalog=_catalog_lines(plan),
                    knowledge=_knowledge_lines(plan),
                    customer_history=_history_lines(plan),
                    summary=plan.memory.summary if plan.memory else None,
                    summary_upto=plan.memory.summary_upto if plan.memory else None,
                    history=turns,
                    instructions=instructions,
                ),
                window=window,
                max_output_tokens=plan.persona.max_tokens,
            )
            plan.messages = build_messages(
                persona_prompt, instructions, plan.built, plan.answer_text, forgotten=plan.forgotten
            )
            d.update(budget=plan.built.budget, used=plan.built.used, cut_history=plan.built.cut_history)


def catalog_lookup(session: Session, tenant_id: int, text: str) -> list[CatalogMatch]:
    """The best products and the best services for a segment, best first: products and services apart, so a
    service ("do you clean trainers?") is not crowded out by many products matching on their category."""
    from engine.catalog import match_product, match_service

    found = match_product(session, tenant_id, text, 3) + match_service(session, tenant_id, text, 3)
    # Ties: the longer catalogue phrase is the more specific ("custom footbeds" over "footbeds").
    return sorted(found, key=lambda m: (-m.confidence, -len(m.matched_text)))


def _prefetch_text(plan: TurnPlan) -> str | None:
    """The text to search the knowledge base for right away: a one-request message (the common turn), not
    small talk, a request for a person or a button tap."""
    if len(plan.texts) != 1 or any(m.button_payload for m in plan.inbound):
        return None
    text = plan.spelling.text if plan.spelling is not None else plan.texts[0]
    parts = segments([text])
    if len(parts) != 1:
        return None
    ranked = [name for name, _ in classify(parts[0]) if name not in SOCIAL]
    if ranked:
        # A question the knowledge base answers; a product question is searched only if the catalogue is
        # unsure (later), so a search started now would mostly be wasted work on a busy core.
        return parts[0] if ranked[0] in KNOWLEDGE_INTENTS - {"service_inquiry"} else None
    return parts[0] if _QUESTION_MARK.search(parts[0]) else None


def _payload_texts(session: Session, plan: TurnPlan) -> None:
    """Taps on product/service/suggestion buttons become the request they stand for, and count as a
    suggestion taken up."""
    scope = TenantScope(session, plan.tenant_id)
    texts = list(plan.texts)
    for i, message in enumerate(plan.inbound):
        match = _PAYLOAD.match(message.button_payload or "")
        if not match:
            continue
        kind, key, action = match.group(1), match.group(2), match.group(3) or "info"
        row: Product | Service | None
        if kind == "service":
            row = scope.first(Service, Service.code == key)
        elif kind == "product":
            row = scope.first(Product, Product.sku == key)
        else:
            row = scope.first(Product, Product.sku == key) or scope.first(Service, Service.code == key)
        if row is None:
            continue
        verb = {"buy": "I'd like to buy the", "book": "I'd like to book a"}.get(
            action, "Tell me more about the"
        )
        if i < len(texts):
            texts[i] = f"{verb} {row.name}"
        plan.accepted_keys.append((key, "tap"))
    plan.texts = texts


def _pending_answers(session: Session, plan: TurnPlan, detail: dict[str, Any]) -> None:
    """The customer's answer to a question the agent asked last turn ("Did you mean…?", "carry on?")."""
    memory = plan.memory
    if memory is None:
        return
    payloads = {m.button_payload for m in plan.inbound if m.button_payload}
    text = " ".join(plan.texts)
    names = {n for line in plan.texts for n, _ in classify(line)}
    pending = memory.entities.get("spelling_pending")
    if pending:
        yes = SPELL_YES in payloads or ("affirm" in names and len(text) < 40)
        no = SPELL_NO in payloads or ("deny" in names and len(text) < 40)
        if yes or no:
            pairs = [tuple(p) for p in pending.get("pairs", [])]
            plan.spelling_feedback = (pairs, yes)  # type: ignore[assignment]
            plan.answer_text = pending["suggested"] if yes else pending["original"]
            plan.texts = [plan.answer_text]
            detail["spelling_answer"] = "accepted" if yes else "rejected"
    if memory.pending_action == "offer_continue":
        previous = memory.entities.get("previous") or {}
        if CONTINUE in payloads or (_CONTINUE_WORDS.search(text) and len(text) < 40 and "deny" not in names):
            plan.resumed = previous.get("topic")
            plan.answer_text = plan.resumed or text
            plan.texts = [plan.answer_text]
            detail["resumed"] = plan.resumed
        elif FRESH in payloads or (_FRESH_WORDS.search(text) and len(text) < 40):
            plan.short_reply = "Sure! What can I help you with today?"
            plan.short_intents = [{"name": "start_fresh", "confidence": 1.0}]
            detail["fresh"] = True


def _forgotten(
    session: Session, plan: TurnPlan, lookup: Callable[[str], list[CatalogMatch]], detail: dict[str, Any]
) -> None:
    """ "Did you forget…?": find the last unanswered request and answer it now, with an apology."""
    assert plan.memory is not None
    found = mem.find_unanswered(
        session,
        plan.tenant_id,
        plan.conversation_id,
        plan.memory,
        exclude_message_ids=[m.message_id for m in plan.inbound if m.message_id],
    )
    others = [i for i in plan.intents if i.name != "forgot"]
    if found is None:
        plan.intents = others or plan.intents
        return
    plan.forgotten = found.text
    detail["forgotten"] = {"text": found.text, "source": found.source}
    recovered = [i for i in detect_intents([found.text], catalog=lookup) if not i.social]
    have = {i.key for i in others}
    plan.intents = prioritize(others + [i for i in recovered if i.key not in have])


def _returning(plan: TurnPlan, detail: dict[str, Any]) -> None:
    """A customer back after a break: welcomed with the previous topic, offered to carry on or start fresh."""
    memory = plan.memory
    if memory is None or not memory.new_session or not memory.previous_topic or plan.resumed:
        return
    plan.returning_topic = memory.previous_topic
    detail["returning_topic"] = memory.previous_topic
    if not substantive(plan.intents):
        name = f", {plan.first_name}" if plan.first_name else ""
        plan.short_reply = (
            f"Welcome back{name}! Last time we talked about {memory.previous_topic}. Would you like to carry "
            "on "
            "with that, or start something new?"
        )
        plan.short_options = [Option(CONTINUE, "Carry on"), Option(FRESH, "Start fresh")]
        plan.short_intents = [{"name": "greeting", "confidence": 1.0}]
        plan.offer_continue = True


def recent_history(
    session: Session,
    tenant_id: int,
    customer_id: int,
    *,
    now: datetime,
    orders: int = 3,
    appointments: int = 6,
) -> CustomerHistoryDTO:
    """The customer's latest orders and appointments in two queries (engine.catalog.customer_history pages
    and counts for the console; a turn needs only the few newest)."""
    scope = TenantScope(session, tenant_id)
    order_rows = session.exec(
        scope.select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .limit(orders)
    ).all()
    pairs = session.exec(
        select(Appointment, Service)
        .join(Service, (Service.id == Appointment.service_id) & (Service.tenant_id == Appointment.tenant_id))
        .where(Appointment.tenant_id == tenant_id, Appointment.customer_id == customer_id)
        .order_by(col(Appointment.starts_at).desc())
        .limit(appointments)
    ).all()
    dtos = [
        AppointmentDTO(
            id=int(a.id or 0),
            customer_id=a.customer_id,
            service_id=a.service_id,
            service_code=s.code,
            service_name=s.name,
            duration_minutes=s.duration_minutes,
            starts_at=a.starts_at,
            status=a.status,
            notes=a.notes,
            created_at=a.created_at,
        )
        for a, s in pairs
    ]
    upcoming = sorted(
        (d for d in dtos if d.starts_at >= now and d.status != "cancelled"), key=lambda d: d.starts_at
    )
    past = [d for d in dtos if d.starts_at < now]
    return CustomerHistoryDTO(
        customer_id=customer_id,
        orders=tuple(order_dto(o) for o in order_rows),
        upcoming_appointments=tuple(upcoming),
        past_appointments=tuple(past),
    )


def _last_viewed(session: Session, plan: TurnPlan) -> list[Product | Service]:
    memory = plan.memory
    if memory is None:
        return []
    scope = TenantScope(session, plan.tenant_id)
    out: list[Product | Service] = []
    if memory.last_product_id:
        row = scope.get(Product, memory.last_product_id)
        if row is not None and ("product", row.sku) not in plan.rows:
            out.append(row)
    if memory.last_service_id:
        srow = scope.get(Service, memory.last_service_id)
        if srow is not None and ("service", srow.code) not in plan.rows:
            out.append(srow)
    return out


_reads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="agent-reads")


def _customer_reads(plan: TurnPlan) -> tuple[CustomerHistoryDTO, list[HistoryTurn]]:
    with session_scope() as session:
        history = recent_history(session, plan.tenant_id, plan.customer_id, now=plan.now)
        return history, _history(session, plan)


def _history(session: Session, plan: TurnPlan) -> list[HistoryTurn]:
    """The conversation's recent messages before this burst, oldest first (bodies decrypted)."""
    exclude = [m.message_id for m in plan.inbound if m.message_id]
    # Four columns, not ORM rows: a turn reads up to HISTORY_MESSAGES of them.
    query = (
        select(Message.id, Message.direction, Message.body, Message.created_at)
        .where(Message.tenant_id == plan.tenant_id, Message.conversation_id == plan.conversation_id)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(HISTORY_MESSAGES)
    )
    if exclude:
        query = query.where(col(Message.id).not_in(exclude))
    rows = list(session.exec(query).all())
    rows.reverse()
    turns = [
        HistoryTurn("user" if direction == "inbound" else "assistant", body or "", created_at, message_id)
        for message_id, direction, body, created_at in rows
        if (body or "").strip()
    ]
    session_start = plan.now - mem.SESSION_TTL
    plan.recent_customer = [
        t.text
        for t in turns
        if t.role == "user" and t.created_at is not None and t.created_at >= session_start
    ][-6:]
    return turns


def _catalog_lines(plan: TurnPlan) -> list[str]:
    lines = []
    for match in plan.matches[:5]:
        row = plan.rows.get((match.kind, match.key))
        if row is not None:
            lines.append(describe_item(row, plan.currency, confidence=match.confidence))
    for row in plan.last_viewed:
        lines.append("Last viewed: " + describe_item(row, plan.currency))
    return lines


def _knowledge_lines(plan: TurnPlan) -> list[str]:
    seen: set[int] = set()
    scored = sorted(
        (s for ev in plan.evidence for s in ev.knowledge if s.confidence >= MIN_RELEVANT),
        key=lambda s: -s.confidence,
    )
    lines = []
    for s in scored:
        entry = s.hit.entry
        if entry.id in seen:
            continue
        seen.add(entry.id)
        lines.append(f"[{entry.title}] {entry.content}")
    return lines


def _history_lines(plan: TurnPlan) -> list[str]:
    history = plan.history
    if history is None:
        return []
    lines = []
    for order in history.orders:
        items = ", ".join(f"{line.qty}× {line.name}" for line in order.items[:4])
        lines.append(
            f"Order {order.order_number} ({order.created_at:%d %b %Y}): {order.status}; {items}; total "
            f"{money(order.total, plan.currency)}"
        )
    for appointment in history.upcoming_appointments:
        lines.append(
            f"Upcoming: {appointment.service_name} on {appointment.starts_at:%a %d %b %H:%M} UTC "
            f"({appointment.status})"
        )
    for appointment in history.past_appointments[:2]:
        lines.append(
            f"Past: {appointment.service_name} on {appointment.starts_at:%d %b %Y} ({appointment.status})"
        )
    return lines


# --------------------------------------------------------------------------------------- phase B: answer


def _task(intents: Sequence[DetectedIntent], text: str) -> Task:
    names = [i.name for i in substantive(intents)]
    if "complaint" in names or "payment_issue" in names:
        return Task.COMPLEX
    if len(names) >= 2:
        return Task.MULTI_INTENT
    from engine.llm import infer_task

    return infer_task(names, text)


def answer(plan: TurnPlan, tracer: Tracer) -> Outcome:
    """The model's AgentTurn, or the offline composition when no model answered (no session open here)."""
    if plan.short_reply is not None:
        return Outcome(
            reply=plan.short_reply,
            confidence=1.0,
            answered=True,
            intents=[],
            provider="agent",
            model="rules",
        )
    assert plan.llm is not None
    hits = _top_hits(plan)
    with tracer.step("llm") as d:
        task = _task(plan.intents, plan.answer_text)
        try:
            response = plan.llm.generate(
                plan.messages,
                task=task,
                offline_context=OfflineContext(
                    query=plan.answer_text, hits=hits, customer_name=plan.first_name, first_message=False
                ),
                conversation_id=plan.conversation_id or None,
                purpose="reply" if plan.mode != "preview" else "preview",
                on_fatal="offline",
                temperature=plan.temperature,
                max_tokens=plan.max_tokens,
            )
        except LLMError as exc:  # nothing answered and the offline provider could not stand in
            log.warning(
                "agent turn for conversation %s fell back to templates: %s", plan.conversation_id, exc
            )
            d.update(task=task.value, error=str(exc))
            outcome = _offline(plan, tracer)
            outcome.error = str(exc)
            return outcome
        d.update(
            task=task.value,
            provider=response.provider,
            model=response.model,
            degraded=response.degraded,
            attempts=response.attempt_count,
            tokens_in=response.tokens_in,
            tokens_out=response.tokens_out,
        )
        if response.selection is not None:
            d["selection"] = response.selection.reason
    llm_ms = int(tracer.ms("llm"))
    turn = response.output if isinstance(response.output, AgentTurn) else None
    if response.is_offline or turn is None:
        outcome = _offline(plan, tracer)
        outcome.degraded = response.degraded or "offline"
        outcome.llm_ms = llm_ms
        if response.error is not None:
            outcome.error = str(response.error)
        return outcome
    intents = merge_model_intents(plan.intents, turn.intents)
    return Outcome(
        reply=turn.reply,
        confidence=float(turn.confidence),
        answered=True,
        intents=intents,
        provider=response.provider,
        model=response.model,
        degraded=response.degraded,
        tokens_in=response.tokens_in,
        tokens_out=response.tokens_out,
        cost=response.cost,
        llm_ms=llm_ms,
        model_handoff=turn.handoff.needed,
        model_reason=turn.handoff.reason,
        suggestion_keys=list(turn.suggestions),
        facts=dict(turn.facts),
        rich=turn.rich.model_dump() if turn.rich is not None else None,
    )


def _top_hits(plan: TurnPlan) -> list[KnowledgeHit]:
    from engine.agent.retrieval import offline_hits

    hits: list[KnowledgeHit] = []
    for ev in plan.evidence:
        hits += offline_hits(ev, plan.rows, plan.currency)
    hits.sort(key=lambda h: -h.score)
    return hits[:6]


def _offline(plan: TurnPlan, tracer: Tracer) -> Outcome:
    """One part per request from its own evidence, composed into one reply (engine.agent.compose)."""
    with tracer.step("compose") as d:
        persona = Persona(
            agent_name=plan.persona.agent_name,
            business_name=plan.business_name,
            tone=plan.persona.tone,
            greeting=plan.persona.greeting_message,
        )
        parts = [
            compose_part(
                ev,
                persona=persona,
                history=plan.history,
                rows=plan.rows,
                currency=plan.currency,
                time_zone=plan.time_zone,
            )
            for ev in plan.evidence
        ]
        greeting = plan.persona.greeting_message if plan.first_turn else None
        reply, confidence, answered, missing = compose_reply(
            parts,
            tone=plan.persona.tone,
            first_name=plan.first_name,
            greeting=greeting,
            opener=plan.first_turn and not plan.returning_topic,
        )
        d["parts"] = [part_record(p) for p in parts]
    options: list[Option] = []
    listed = [p for p in parts if p.answered and p.intent.name in ("product_inquiry", "service_inquiry")]
    if len(listed) == 1 and len(listed[0].suggestions) > 1:
        # The template listed several items, numbered: make the numbers (and taps) choose them.
        for key in listed[0].suggestions[:10]:
            kind = "service" if ("service", key) in plan.rows else "product"
            row = plan.rows.get((kind, key))
            if row is not None:
                options.append(
                    Option(f"{kind}:{key}:info", short_title(row.name, 24), _option_note(row, plan.currency))
                )
    return Outcome(
        reply=reply,
        confidence=confidence,
        answered=answered,
        intents=list(plan.intents),
        provider="offline",
        model="offline-templates",
        parts=parts,
        suggestion_keys=[],
        list_options=options,
        facts=_rule_facts(plan.answer_text),
        missing=missing,
    )


def short_title(name: str, limit: int) -> str:
    """A button or row title within WhatsApp's limit, cut at a word ("Cushioned Running…")."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space >= limit // 2 else cut).rstrip(" -–(") + "…"


def _option_note(row: Product | Service, currency: str) -> str:
    if isinstance(row, Product):
        return f"{money(row.price, currency)} · {'in stock' if row.stock > 0 else 'out of stock'}"[:72]
    return f"{money(row.price, currency)} · {row.duration_minutes} min"[:72]


_SIZE_FACT = re.compile(
    r"\b(?:i(?:'| a)?m (?:a |an )?|my (?:shoe )?size is |i wear (?:a |an )?)(?:size )?"
    r"((?:uk|eu|us)\s?\d{1,2}(?:\.5)?|\d{1,2}(?:\.5)?)\b",
    re.I,
)


def _rule_facts(text: str) -> dict[str, str]:
    """Facts the offline path can learn without a model (the model returns them in AgentTurn.facts)."""
    match = _SIZE_FACT.search(text or "")
    return {"shoe_size": match.group(1).upper()} if match else {}


# --------------------------------------------------------------------------------------- phase C: write


def finish(plan: TurnPlan, outcome: Outcome, tracer: Tracer) -> TurnResult:
    memory = plan.memory
    social_only = not substantive(outcome.intents) and plan.short_reply is None
    with tracer.step("handoff") as d:
        if plan.short_reply is not None:
            decision = HandoffDecision(False, low_confidence_turns=plan.low_confidence_turns)
        else:
            decision = should_handoff(
                HandoffSignals(
                    text="\n".join(plan.texts) or plan.answer_text,
                    confidence=outcome.confidence,
                    threshold=plan.persona.confidence_threshold,
                    topics=plan.persona.handoff_topics,
                    max_low_confidence_turns=plan.persona.max_low_confidence_turns,
                    low_confidence_turns=plan.low_confidence_turns,
                    recent_customer_messages=plan.recent_customer,
                    model_handoff=outcome.model_handoff,
                    model_reason=outcome.model_reason,
                    answered=outcome.answered,
                    social_only=social_only,
                    intents=[i.name for i in outcome.intents],
                )
            )
        d.update(decision.to_dict())

    with session_scope() as session:
        scope = TenantScope(session, plan.tenant_id)
        with tracer.step("suggestions") as d:
            suggestions = _suggestions(session, plan, outcome, decision)
            d["suggested"] = [s.key for s in suggestions]
        with tracer.step("reply") as d:
            text, options, kind = _reply_text(plan, outcome, decision, suggestions)
            message = build_rich(
                text,
                options=options,
                kind=kind,
                enabled=plan.persona.enable_rich_messages,
                model_rich=outcome.rich if not decision.needed else None,
            )
            d.update(
                kind=message.kind,
                options=len(message.options),
                chars=len(message.body or message.title or ""),
            )
            if message.meta.get("rich_error"):
                plan.notes.append(f"rich: {message.meta['rich_error']}")

        with tracer.step("record") as d:
            # A detached stand-in: memory needs the ids only; the row is updated with one statement below.
            conversation = Conversation(
                id=plan.conversation_id, tenant_id=plan.tenant_id, customer_id=plan.customer_id
            )
            row, _view = mem.load_memory(
                session, plan.tenant_id, conversation, now=plan.now, customer_facts=plan.customer_facts
            )
            _remember(session, plan, outcome, decision, suggestions, row)
            changes: dict[str, Any] = {"low_confidence_turns": decision.low_confidence_turns}
            if decision.needed and plan.mode != "channel":
                changes.update(status="handoff", handoff_reason=(decision.reason or "handoff")[:255])
            if plan.spelling_feedback is not None:
                pairs, accepted = plan.spelling_feedback
                for original, corrected in pairs:
                    record_feedback(
                        session,
                        plan.tenant_id,
                        original,
                        corrected,
                        accepted,
                        conversation_id=plan.conversation_id,
                    )
            offered = (memory.entities.get("suggested") if memory else None) or []
            accepted_keys = [(k, via) for k, via in plan.accepted_keys]
            accepted_keys += [(m.key, "asked") for m in plan.matches if m.confidence >= CONFIDENT]
            for via in ("tap", "asked"):
                keys = [k for k, v in accepted_keys if v == via]
                if keys:
                    mark_accepted(session, plan.tenant_id, offered, keys, via=via, now=plan.now)
            reply_id = None
            if plan.mode != "channel":
                reply_row = scope.add(
                    Message(
                        conversation_id=plan.conversation_id,
                        direction="outbound",
                        sender="agent",
                        body=message.body or message.title or "",
                        rich=message.to_dict(),
                        status="sent",
                        created_at=plan.now,
                        updated_at=plan.now,
                    )
                )
                reply_id = reply_row.id
                changes["last_activity_at"] = plan.now
            session.execute(
                update(Conversation)
                .where(
                    Conversation.tenant_id == plan.tenant_id,  # type: ignore[arg-type]
                    Conversation.id == plan.conversation_id,  # type: ignore[arg-type]
                )
                .values(**changes)
            )
            latency_ms = int(tracer.total_ms())
            interaction = _interaction(plan, outcome, decision, suggestions, message, latency_ms, reply_id)
            scope.add(interaction)
            # Now that the interaction has an id, this turn's suggestions can be tracked.
            if suggestions:
                listed = list((row.extracted_entities or {}).get("suggested", []))
                listed += [{"key": s.key, "interaction_id": interaction.id} for s in suggestions]
                mem.set_entities(row, suggested=listed[-mem.MAX_SUGGESTED :])
            session.add(row)
            d["interaction_id"] = interaction.id

    latency_ms = int(tracer.total_ms())
    return TurnResult(
        conversation_id=plan.conversation_id,
        responder="agent",
        message=message,
        intents=interaction.intents,
        confidence=interaction.confidence,
        handoff=decision.needed,
        handoff_category=decision.category,
        handoff_reason=decision.reason,
        provider=outcome.provider,
        model=outcome.model,
        degraded=outcome.degraded,
        tokens_in=outcome.tokens_in,
        tokens_out=outcome.tokens_out,
        cost=outcome.cost,
        latency_ms=latency_ms,
        llm_ms=outcome.llm_ms,
        knowledge_hits=interaction.knowledge_hits,
        catalog_matches=[m.to_dict() for m in plan.matches[:5]],
        corrections=interaction.corrections,
        spelling_question=plan.short_reply if plan.spelling_pending else None,
        suggestions=interaction.suggestions,
        parts=[part_record(p) for p in outcome.parts],
        context_budget=interaction.context_budget,
        trace=tracer.steps,
        notes=plan.notes + ([f"llm error: {outcome.error}"] if outcome.error else []),
        interaction_id=interaction.id,
        reply_message_id=reply_id,
    )


def _suggestion_pool(session: Session, plan: TurnPlan) -> list[Suggestion]:
    """Candidate suggestions from the catalogue's relations and the customer's orders (phase A)."""
    if not plan.persona.enable_proactive_suggestions:
        return []
    if not {i.name for i in plan.intents} & {"product_inquiry", "service_inquiry"}:
        return []
    offered = [
        str(o.get("key")) for o in ((plan.memory.entities.get("suggested") if plan.memory else None) or [])
    ]
    anchors = [Anchor(m.kind, m.key, m.name) for m in plan.matches if m.confidence >= CONFIDENT][:2]
    if not anchors and plan.matches:
        anchors = [Anchor(plan.matches[0].kind, plan.matches[0].key, plan.matches[0].name)]
    bought = [
        (line.sku, o.order_number) for o in (plan.history.orders if plan.history else ()) for line in o.items
    ]
    return suggest(
        session,
        plan.tenant_id,
        anchors=anchors,
        bought=bought,
        exclude=offered,
        limit=6,
        known={key: row for (kind, key), row in plan.rows.items() if kind == "product"},
    )


def _suggestions(
    session: Session, plan: TurnPlan, outcome: Outcome, decision: HandoffDecision
) -> list[Suggestion]:
    """Complementary items when the customer is looking at products or services (and no person is needed):
    the model's (validated) first, then the pool read in phase A, without what the reply already lists."""
    if not plan.persona.enable_proactive_suggestions or decision.needed or plan.short_reply is not None:
        return []
    if not {i.name for i in outcome.intents} & {"product_inquiry", "service_inquiry"}:
        return []
    found = validate_model_suggestions(session, plan.tenant_id, outcome.suggestion_keys)
    listed = {o.id.split(":")[1] for o in outcome.list_options}
    unique: dict[str, Suggestion] = {}
    for s in [*found, *plan.suggestion_pool]:
        if s.key not in listed:
            unique.setdefault(s.key, s)
    return list(unique.values())[:3]


def _reply_text(
    plan: TurnPlan, outcome: Outcome, decision: HandoffDecision, suggestions: Sequence[Suggestion]
) -> tuple[str, list[Option], str]:
    """The final text and its options: apology, welcome back, the answer, suggestions, the handoff notice,
    disclaimers (the first reply of a session)."""
    if plan.short_reply is not None:
        return plan.short_reply, plan.short_options, "buttons"
    pieces: list[str] = []
    if plan.forgotten:
        pieces.append(APOLOGY)
    if plan.returning_topic and not plan.resumed:
        name = f", {plan.first_name}" if plan.first_name else ""
        pieces.append(f"Welcome back{name}!")
    if plan.resumed:
        pieces.append(f"Great, let's carry on with {plan.resumed}.")
    body = outcome.reply.strip()
    others = substantive([i for i in outcome.intents if i.name != "human_request"])
    if decision.needed and (
        decision.category in ("topic", "frustration")
        or (decision.category == "explicit_request" and not others)
    ):
        body = ""  # a sensitive topic or an upset customer gets a person, not a template
    if body:
        pieces.append(body)
    options: list[Option] = list(outcome.list_options)
    kind = "list" if options else "buttons"
    if suggestions and not decision.needed:
        lines = [f"• {s.name} — {s.reason}" for s in suggestions]
        pieces.append("You might also like:\n" + "\n".join(lines))
        if not options:
            options = [Option(f"suggest:{s.key}", short_title(s.name, 20)) for s in suggestions[:3]]
            kind = "buttons"
    if decision.needed:
        pieces.append(
            handoff_notice(
                decision.category,
                plan.persona.business_hours,
                plan.now,
                missing=outcome.missing or ([plan.answer_text] if not outcome.answered else []),
                answered_something=_answered_something(outcome, body),
            )
        )
        options = []
    elif outcome.missing:
        pieces.append("I don't have the answer to " + "; ".join(f"“{m}”" for m in outcome.missing) + " yet.")
    if not decision.needed and _disclaimers_due(plan, outcome, body):
        missing = [d for d in plan.persona.required_disclaimers if d not in body]
        if missing:
            pieces.append("\n".join(missing))
    return "\n\n".join(p for p in pieces if p), options, kind


def _answered_something(outcome: Outcome, body: str) -> bool:
    if outcome.parts:
        return any(p.answered and p.text and not p.intent.social for p in outcome.parts)
    return bool(body)


def _disclaimers_due(plan: TurnPlan, outcome: Outcome, body: str) -> bool:
    """Required disclaimers go with the first real answer of a session (not with "hi" or a handoff)."""
    if not plan.persona.required_disclaimers or not body or plan.short_reply is not None:
        return False
    if not substantive(outcome.intents):
        return False
    shown = plan.memory.entities.get("disclaimers_shown") if plan.memory else None
    return not shown


def build_rich(
    text: str,
    *,
    options: Sequence[Option],
    kind: str,
    enabled: bool,
    model_rich: dict[str, Any] | None = None,
) -> RichMessage:
    """The reply as WhatsApp can take it: buttons or a list when enabled and within limits; otherwise text
    with the options numbered (the numbers still choose them)."""
    from engine.channels.whatsapp import limits

    if enabled and model_rich and not options:
        return RichMessageBuilder.from_agent(text, model_rich)
    if options and enabled:
        try:
            if kind == "buttons" and len(options) <= limits.BUTTONS_MAX:
                return RichMessageBuilder.button_message(
                    text, [Option(o.id, o.title[: limits.BUTTON_TITLE_MAX]) for o in options]
                )
            return RichMessageBuilder.list_message(
                text, "See options", list(options)[: limits.LIST_ITEMS_MAX]
            )
        except RichMessageError as exc:
            log.info("rich reply fell back to text: %s", exc)
    if options:
        numbered = RichMessage(kind="text", body=text, options=tuple(options)).fallback_text()
        return RichMessage(kind="text", body=numbered, options=tuple(options))
    clipped = text if len(text) <= limits.TEXT_BODY_MAX else text[: limits.TEXT_BODY_MAX - 1].rstrip() + "…"
    return RichMessageBuilder.text(clipped or "…")


def _topic(plan: TurnPlan, outcome: Outcome) -> str | None:
    main = substantive(outcome.intents)
    if not main:
        return None
    top = main[0]
    if top.target_name:
        return top.target_name
    ev = next((e for e in plan.evidence if e.intent.key == top.key), None)
    if ev is not None and ev.knowledge and ev.knowledge[0].confidence >= 0.5:
        return ev.knowledge[0].hit.entry.title
    return top.label if top.name not in ("other", "faq") else (top.text[:120] or None)


def _remember(
    session: Session,
    plan: TurnPlan,
    outcome: Outcome,
    decision: HandoffDecision,
    suggestions: Sequence[Suggestion],
    row: Any,
) -> None:
    """The turn into the conversation's memory (engine.agent.memory)."""
    mem.touch(row, plan.now)
    topic = _topic(plan, outcome)
    if topic:
        row.current_topic = topic[:200]
    confident = [m for m in plan.matches if m.confidence >= CONFIDENT]
    product = next((m for m in confident if m.kind == "product"), None)
    service = next((m for m in confident if m.kind == "service"), None)
    if product is not None:
        row.last_product_id = product.id
    if service is not None:
        row.last_service_id = service.id
    if outcome.facts:
        mem.remember_facts(session, plan.tenant_id, row, outcome.facts, customer_id=plan.customer_id)
    changes: dict[str, Any] = {}
    if plan.spelling_pending is not None:
        changes["spelling_pending"] = plan.spelling_pending
    elif (row.extracted_entities or {}).get("spelling_pending"):
        changes["spelling_pending"] = None
    if plan.offer_continue:
        row.pending_action = "offer_continue"
    elif row.pending_action == "offer_continue":
        row.pending_action = None
        changes["previous"] = None
    elif plan.returning_topic and not plan.offer_continue:
        changes["previous"] = None  # welcomed back while asking something new: the offer is moot
    if decision.needed is False and _disclaimers_due(plan, outcome, outcome.reply.strip()):
        changes["disclaimers_shown"] = True
    mem.set_entities(row, **changes)
    if plan.forgotten:
        mem.clear_unanswered(row, [plan.forgotten])
    for part in outcome.parts:
        if not part.answered and part.intent.text:
            mem.add_unanswered(row, part.intent.text, part.intent.name, plan.now)
    if outcome.provider != "offline" and decision.category in ("low_confidence", "no_answer"):
        main = substantive(outcome.intents)
        mem.add_unanswered(row, plan.answer_text, main[0].name if main else "other", plan.now)
    session.add(row)


def _interaction(
    plan: TurnPlan,
    outcome: Outcome,
    decision: HandoffDecision,
    suggestions: Sequence[Suggestion],
    message: RichMessage,
    latency_ms: int,
    reply_id: int | None,
) -> AgentInteraction:
    answered = {p.intent.key: p.answered for p in outcome.parts}
    intents = [
        {**i.to_dict(), **({"answered": answered[i.key]} if i.key in answered else {})}
        for i in outcome.intents
    ]
    if plan.short_intents:
        intents = plan.short_intents
    knowledge = []
    for ev in plan.evidence:
        for s in ev.knowledge:
            knowledge.append({**s.to_dict(), "intent": ev.intent.name})
    corrections = [c.to_dict() for c in plan.spelling.corrections] if plan.spelling else []
    budget = plan.built.record() if plan.built else {}
    if outcome.parts:
        budget = {**budget, "parts_answered": [part_record(p) for p in outcome.parts]}
    return AgentInteraction(
        conversation_id=plan.conversation_id,
        message_id=reply_id,
        customer_message="\n".join(plan.texts)[:4000],
        response=message.body or message.title,
        intents=intents,
        model=outcome.model[:80],
        provider=outcome.provider[:32],
        confidence=round(float(outcome.confidence), 3),
        handoff=decision.needed,
        handoff_reason=f"{decision.category}: {decision.reason}"[:255] if decision.needed else None,
        message_type=message.kind,
        tokens_in=outcome.tokens_in,
        tokens_out=outcome.tokens_out,
        cost=outcome.cost,
        latency_ms=latency_ms,
        knowledge_hits=knowledge,
        corrections=corrections,
        suggestions=[s.to_dict() for s in suggestions],
        context_budget=budget,
        created_at=plan.now,
    )


def reset_session(tenant_id: int, conversation_id: int) -> None:
    """Expire the conversation's working memory now (the Playground's "pretend 30 minutes passed")."""
    with session_scope() as session:
        mem.reset_conversation_memory(session, tenant_id, conversation_id)


__all__ = [
    "InboundMessage",
    "TurnPlan",
    "build_rich",
    "channel_message",
    "process_batch",
    "process_message",
    "reset_session",
    "run_turn",
]
