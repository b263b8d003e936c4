"""Phase B of a turn: the model's AgentTurn, or the offline composition when no model answers.

No database session is open here: the call may take seconds, and the LLM ledger writes from its own
connection. The result is an Outcome (engine.agent.plan), before handoff rules, suggestions and formatting.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from engine.agent import variants
from engine.agent.compose import Part, compose_part, compose_reply, part_record
from engine.agent.intents import DetectedIntent, merge_model_intents, substantive
from engine.agent.language import offline_wording, social_wording, variant_wording
from engine.agent.plan import Outcome, TurnPlan
from engine.agent.reply import short_title
from engine.agent.retrieval import money
from engine.agent.types import Tracer
from engine.channels.whatsapp.rich import Option
from engine.llm import AgentTurn, LLMError, OfflineContext, Persona, Task
from engine.llm.offline import KnowledgeHit
from engine.models import Product, Service

log = logging.getLogger(__name__)


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
                    query=plan.answer_text,
                    hits=hits,
                    customer_name=plan.first_name,
                    first_message=False,
                    wording=offline_wording(plan.language),
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
        wording = offline_wording(plan.language)  # the customer's language (engine/locales)
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
                wording=wording,
            )
            for ev in plan.evidence
        ]
        # The size/colour answer leads when the customer asked for one, with its next steps as options.
        parts, options, options_kind = _with_variant_answer(plan, parts)
        greeting = plan.persona.greeting_message if plan.first_turn else None
        reply, confidence, answered, missing = compose_reply(
            parts,
            tone=plan.persona.tone,
            first_name=plan.first_name,
            greeting=greeting,
            opener=plan.first_turn and not plan.returning_topic,
            wording=wording,
            small_talk=social_wording(plan.language),
        )
        d["parts"] = [part_record(p) for p in parts]
    listed = [p for p in parts if p.answered and p.intent.name in ("product_inquiry", "service_inquiry")]
    if not options and len(listed) == 1 and len(listed[0].suggestions) > 1:
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
        intents=_intents_with(plan.intents, parts),
        provider="offline",
        model="offline-templates",
        parts=parts,
        suggestion_keys=[],
        list_options=options,
        options_kind=options_kind,
        facts=_rule_facts(plan.answer_text),
        missing=missing,
    )


FOLLOW_UP_WORDS = 6


def _with_variant_answer(plan: TurnPlan, parts: list[Part]) -> tuple[list[Part], list[Option], str]:
    """The size/colour answer (engine.agent.variants) in place of the product part — or, for a follow-up
    such as "and in black?", in place of what no template could answer — with its options."""
    view = plan.variant
    language = variant_wording(plan.language)
    if view is None or (plan.language != "en" and language is None):  # no file: the model reads the facts
        return parts, [], "list"
    text, options = variants.answer_text(view, plan.currency, plan.persona.tone, language)
    about = [p for p in parts if p.intent.name == "product_inquiry"]
    if not about and view.follow_up:
        # "and in slate grey?" is about the product, whatever a template made of its words; a longer
        # message keeps the parts that did answer something else.
        short = len(plan.answer_text.split()) <= FOLLOW_UP_WORDS
        about = [p for p in parts if not p.intent.social and (short or not p.answered)]
    if not about and not view.follow_up:
        return parts, [], "list"
    intent = about[0].intent if about else variants.answer_intent(plan, plan.answer_text)
    if view.follow_up and intent.name != "product_inquiry":
        intent = variants.answer_intent(plan, intent.text)
    keys = [row.sku for row, _ in view.items]
    part = Part(intent, text, variants.ANSWER_CONFIDENCE, True, keys, [f"product:{k}" for k in keys])
    out: list[Part] = []
    for p in parts:
        if p in about:
            if part not in out:
                out.append(part)
            continue
        out.append(p)
    if part not in out:
        out.insert(0, part)
    return out, options, "buttons" if view.single else "list"


def _intents_with(intents: list[DetectedIntent], parts: list[Part]) -> list[DetectedIntent]:
    """The turn's intents, with a part's own intent when the composition answered a follow-up as a product
    question ("and in black?")."""
    have = {i.key for i in intents}
    extra = [p.intent for p in parts if p.intent.key not in have and not p.intent.social]
    kept = [i for i in intents if i.name not in ("other", "faq") or not extra]
    return extra + kept


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


__all__ = ["answer"]
