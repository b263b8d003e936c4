"""The Persona page's "Try a message": the system prompt and a sample reply for a draft persona, unsaved.

The draft goes through the same steps as a customer turn — spelling, intents, catalogue and knowledge
retrieval, context, the tenant's model (or the offline composition), handoff rules, disclaimers, rich reply —
but with no conversation: nothing is written except the LLM call itself (the ledger records it as purpose
"preview": it was billed). Model choice stays the saved one; the draft's temperature and token limit apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.agent import memory as mem
from engine.agent import variants
from engine.agent.answer import answer
from engine.agent.context import ContextInputs, build_context, context_window
from engine.agent.handoff import HandoffSignals, should_handoff
from engine.agent.intents import detect_intents, substantive
from engine.agent.persona import (
    AgentConfigurationService,
    FieldProblem,
    PersonaForm,
    PersonaSettings,
    PersonaValidationError,
    apply_persona,
)
from engine.agent.plan import LLMFactory, TurnPlan
from engine.agent.prompts import build_messages, turn_instructions
from engine.agent.read import catalog_lines, catalog_lookup, knowledge_lines
from engine.agent.reply import build_rich, reply_text
from engine.agent.retrieval import catalog_rows, gather
from engine.agent.sanitize import sanitize
from engine.agent.types import InboundMessage, Tracer
from engine.catalog import MATCH_THRESHOLD, CatalogMatch, correct_spelling
from engine.db import session_scope
from engine.llm import llm_for_tenant
from engine.models import Tenant, utcnow

DEFAULT_SAMPLE = "Hi! Do you have running shoes, and how long does delivery take?"


@dataclass(frozen=True)
class PersonaPreview:
    """What the Persona page shows beside the form. `problems` set: nothing else was produced."""

    system_prompt: str
    sample_message: str
    reply: str = ""
    message: dict[str, Any] | None = None  # the RichMessage as a dict (buttons, list) for the bubble preview
    provider: str | None = None
    model: str | None = None
    confidence: float | None = None
    handoff_reason: str | None = None
    latency_ms: int = 0
    problems: list[FieldProblem] = field(default_factory=list)
    trace: list[dict[str, Any]] = field(default_factory=list)


def render_prompt(session: Any, tenant_id: int, settings: PersonaSettings) -> str:
    tenant = session.get(Tenant, tenant_id)
    return apply_persona(settings, business_name=tenant.name if tenant else "our shop")


def preview_persona(
    session: Any,
    tenant_id: int,
    form: PersonaForm | dict[str, Any] | None,
    sample_message: str | None = None,
    *,
    with_reply: bool = True,
    llm_factory: LLMFactory | None = None,
) -> PersonaPreview:
    """The system prompt for the draft (always) and, with `with_reply`, a sample reply to `sample_message`.

    The session is only read; the model call happens after the caller's reads, with no write pending.
    """
    if isinstance(form, dict):
        form = PersonaForm.from_dict(form)
    sample = (sample_message or DEFAULT_SAMPLE).strip() or DEFAULT_SAMPLE
    try:
        draft = AgentConfigurationService.draft(session, tenant_id, form or PersonaForm())
    except PersonaValidationError as exc:
        current = AgentConfigurationService.get(session, tenant_id)
        return PersonaPreview(render_prompt(session, tenant_id, current), sample, problems=exc.problems)
    prompt = render_prompt(session, tenant_id, draft)
    if not with_reply:
        return PersonaPreview(prompt, sample)
    result = preview_reply(tenant_id, sample, draft, llm_factory=llm_factory)
    return PersonaPreview(
        system_prompt=prompt,
        sample_message=sample,
        reply=result["text"],
        message=result["message"],
        provider=result["provider"],
        model=result["model"],
        confidence=result["confidence"],
        handoff_reason=result["handoff_reason"],
        latency_ms=result["latency_ms"],
        trace=result["trace"],
    )


def preview_reply(
    tenant_id: int, text: str, persona: PersonaSettings, *, llm_factory: LLMFactory | None = None
) -> dict[str, Any]:
    """A customer turn with a draft persona and no conversation (see the module docstring)."""
    tracer = Tracer()
    plan = TurnPlan(
        tenant_id=tenant_id,
        conversation_id=0,
        customer_id=0,
        mode="preview",
        now=utcnow(),
        inbound=[InboundMessage(text)],
        persona=persona,
        temperature=persona.temperature,
        max_tokens=persona.max_tokens,
    )
    plan.memory = mem.MemoryView(
        context_id=0,
        current_topic=None,
        pending_action=None,
        entities={},
        last_product_id=None,
        last_service_id=None,
        summary=None,
        summary_upto=None,
        key_facts={},
        expired=False,
        new_session=True,
        previous_topic=None,
    )
    with session_scope() as session:
        tenant = session.get(Tenant, tenant_id)
        plan.business_name = tenant.name if tenant else ""
        plan.currency = tenant.currency if tenant else "USD"
        plan.time_zone = tenant.time_zone if tenant else "UTC"
        with tracer.step("sanitize"):
            plan.texts = [sanitize(text).text]
        with tracer.step("spelling") as d:
            plan.answer_text = plan.texts[0]
            if persona.enable_spelling_correction:
                plan.spelling = correct_spelling(session, tenant_id, plan.answer_text)
                plan.answer_text = plan.spelling.text
                d["corrections"] = [c.to_dict() for c in plan.spelling.corrections]
        with tracer.step("intents") as d:
            cache: dict[str, list[CatalogMatch]] = {}

            def lookup(segment: str) -> list[CatalogMatch]:
                if segment not in cache:
                    cache[segment] = catalog_lookup(session, tenant_id, segment)
                return cache[segment]

            plan.intents = detect_intents(
                plan.answer_text.split("\n"), catalog=lookup, match_threshold=MATCH_THRESHOLD
            )
            d["intents"] = [i.to_dict() for i in plan.intents]
        with tracer.step("retrieval"):
            plan.evidence = gather(session, tenant_id, plan.intents, catalog_cache=cache)
            plan.matches = sorted(
                {m.key: m for ev in plan.evidence for m in ev.catalog}.values(), key=lambda m: -m.confidence
            )
            plan.rows = catalog_rows(session, tenant_id, plan.matches)
            variants.apply(session, plan)  # the size and colour asked for, as in a customer's turn
        with tracer.step("context"):
            persona_prompt = apply_persona(persona, business_name=plan.business_name)
            instructions = turn_instructions(plan.intents, first_turn=True)
            plan.llm = (llm_factory or llm_for_tenant)(session, tenant_id)
            plan.built = build_context(
                ContextInputs(
                    persona=persona_prompt,
                    message=plan.answer_text,
                    catalog=catalog_lines(plan),
                    knowledge=knowledge_lines(plan),
                    instructions=instructions,
                ),
                window=context_window(plan.llm.models or ["offline-templates"]),
                max_output_tokens=persona.max_tokens,
            )
            plan.messages = build_messages(persona_prompt, instructions, plan.built, plan.answer_text)
    outcome = answer(plan, tracer)
    with tracer.step("handoff"):
        decision = should_handoff(
            HandoffSignals(
                text=plan.answer_text,
                confidence=outcome.confidence,
                threshold=persona.confidence_threshold,
                topics=persona.handoff_topics,
                max_low_confidence_turns=persona.max_low_confidence_turns,
                model_handoff=outcome.model_handoff,
                model_reason=outcome.model_reason,
                answered=outcome.answered,
                social_only=not substantive(outcome.intents),
            )
        )
    with tracer.step("reply"):
        reply, options, kind = reply_text(plan, outcome, decision, [])
        message = build_rich(
            reply, options=options, kind=kind, enabled=persona.enable_rich_messages, model_rich=outcome.rich
        )
    return {
        "text": message.body if message.kind == "text" else message.fallback_text(),
        "message": message.to_dict(),
        "provider": outcome.provider,
        "model": outcome.model,
        "confidence": round(outcome.confidence, 3),
        "handoff_reason": decision.reason if decision.needed else None,
        "latency_ms": int(tracer.total_ms()),
        "trace": [s.to_dict() for s in tracer.steps],
    }


__all__ = ["DEFAULT_SAMPLE", "PersonaPreview", "preview_persona", "preview_reply", "render_prompt"]
