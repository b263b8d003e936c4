"""Phase C of a turn: decide the handoff, build the reply, and write everything in one short unit of work —
memory, spelling feedback, accepted suggestions, the conversation's counters, the Playground's reply row, the
handoff (through engine.conversations.lifecycle) and the turn's agent_interaction (engine.agent.interactions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from engine.agent import classify, guard, interactions, labels, variants
from engine.agent import memory as mem
from engine.agent.compose import part_record
from engine.agent.handoff import HandoffDecision, HandoffSignals, should_handoff
from engine.agent.intents import substantive
from engine.agent.language import locale
from engine.agent.plan import Outcome, TurnPlan
from engine.agent.reply import build_rich, due_disclaimers, pick_suggestions, reply_text
from engine.agent.suggestions import Suggestion, mark_accepted
from engine.agent.types import Tracer, TurnResult
from engine.catalog import CONFIDENT
from engine.catalog import record_correction_feedback as record_feedback
from engine.channels.whatsapp.rich import Option, RichMessage
from engine.conversations import lifecycle
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, Conversation, Customer, Message

PERSON_PAYLOAD = "handoff:request"  # the "talk to a person" button offered to a frustrated customer


def finish(plan: TurnPlan, outcome: Outcome, tracer: Tracer) -> TurnResult:
    """The handoff decision, the reply, and every write of the turn in one unit of work (module docstring)."""
    memory = plan.memory
    social_only = not substantive(outcome.intents) and plan.short_reply is None
    with tracer.step("handoff") as d:
        if plan.short_reply is not None:
            decision = HandoffDecision(False, low_confidence_turns=plan.low_confidence_turns)
        else:
            signals, previous = _signals(plan)
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
                    signals=signals,
                    previous_signals=previous,
                    repeated_answer=_repeated(plan, outcome),
                    frustration_action=plan.persona.frustration_action,
                    tapped_person=any(m.button_payload == PERSON_PAYLOAD for m in plan.inbound),
                )
            )
        d.update(decision.to_dict(), language=plan.language)

    with session_scope() as session:
        scope = TenantScope(session, plan.tenant_id)
        with tracer.step("suggestions") as d:
            suggestions = pick_suggestions(session, plan, outcome, decision)
            d["suggested"] = [s.key for s in suggestions]
        with tracer.step("reply") as d:
            text, options, kind = reply_text(plan, outcome, decision, suggestions)
            if decision.offer_person:
                offer = locale(plan.language)["offer_person"]
                text = f"{text}\n\n{offer['text']}"
                options = [*options[:2], Option(PERSON_PAYLOAD, offer["button"])]
                kind = "buttons"
            message = build_rich(
                text,
                options=options,
                kind=kind,
                enabled=plan.persona.enable_rich_messages,
                model_rich=outcome.rich if not decision.needed else None,
            )
            if plan.short_rich is not None and plan.persona.enable_rich_messages:
                message = plan.short_rich  # a tapped product's card (engine.agent.choices)
            d.update(
                kind=message.kind,
                options=len(message.options),
                chars=len(message.body or message.title or ""),
            )
            if message.meta.get("rich_error"):
                plan.notes.append(f"rich: {message.meta['rich_error']}")
        with tracer.step("guard") as d:  # nothing of the instructions, nothing internal, no strangers' links
            message, blocked = _guarded(plan, outcome, decision, message)
            if blocked:
                d["blocked"] = blocked
                plan.notes.append(labels.guard_note(blocked))

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
            if plan.language_seen and plan.customer_id:
                session.execute(
                    update(Customer)
                    .where(
                        Customer.tenant_id == plan.tenant_id,  # type: ignore[arg-type]
                        Customer.id == plan.customer_id,  # type: ignore[arg-type]
                    )
                    .values(language=plan.language_seen)
                )
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
            if decision.needed and plan.mode != "channel":  # the channel's worker hands off after sending
                lifecycle.hand_off(
                    session,
                    plan.tenant_id,
                    plan.conversation_id,
                    reason=decision.reason or "handoff",
                    category=decision.category,
                    now=plan.now,
                )
            latency_ms = int(tracer.total_ms())
            interaction = interactions.record(
                scope,
                _interaction(
                    plan, outcome, decision, suggestions, message, latency_ms, reply_id, blocked=blocked
                ),
            )
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


def _signals(plan: TurnPlan) -> tuple[list[classify.MessageSignals] | None, list[classify.MessageSignals]]:
    """This burst's signals (started in phase A, waited for) and the session's earlier messages' (each judged
    on its own text: their vectors are mostly in the embedding cache from their own turns)."""
    current = plan.signals.result() if plan.signals is not None else None
    previous = classify.classify_messages(plan.recent_customer, [plan.language] * len(plan.recent_customer))
    return current, previous


def _norm(text: str) -> str:
    return " ".join((text or "").lower().split())


def _repeated(plan: TurnPlan, outcome: Outcome) -> bool:
    """The bot is about to give — or already gave twice — the same answer to this customer this session."""
    earlier = [_norm(r) for r in plan.recent_replies if r.strip()]
    reply = _norm(outcome.reply)
    if reply and len(reply) >= 20 and any(e.startswith(reply) for e in earlier):
        return True
    return len(earlier) != len(set(earlier))


def _guarded(
    plan: TurnPlan, outcome: Outcome, decision: HandoffDecision, message: RichMessage
) -> tuple[RichMessage, list[str]]:
    """The reply, or a safe fallback when engine.agent.guard blocks it (and why: kinds and domains only).

    The fallback keeps what the shop itself adds (apology, handoff notice, disclaimers) around a fixed
    sentence in the customer's language, without the model's rich part or suggestions; if even that fails
    the check (it echoes the customer, who pasted the instructions), the sentence alone is sent.
    """
    verdict = guard.check(guard.message_text(message), plan.protected)
    if not verdict.blocked:
        return message, []
    fallback = guard.fallback_text(getattr(plan, "language", None), "\n".join(plan.texts))
    safe = replace(
        outcome, reply=fallback, rich=None, list_options=[], suggestion_keys=[], missing=[], parts=[]
    )
    text, _options, _kind = reply_text(plan, safe, decision, [])
    safe_message = build_rich(text, options=[], kind="buttons", enabled=False)
    if guard.check(guard.message_text(safe_message), plan.protected).blocked:
        safe_message = build_rich(fallback, options=[], kind="buttons", enabled=False)
    return safe_message, verdict.reasons


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
    due = due_disclaimers(plan, outcome, outcome.reply.strip()) if decision.needed is False else []
    if due:  # each shown once a session, when its topic comes up
        shown = (row.extracted_entities or {}).get("disclaimers_shown")
        changes["disclaimers_shown"] = [*(shown if isinstance(shown, list) else []), *due]
    variants.remember(row, plan, changes)  # size/colour wanted, what was shown and picked
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
    *,
    blocked: Sequence[str] = (),
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
    if blocked:  # the output guard replaced the reply (reasons are kinds and domains, never the words)
        budget = {**budget, "guard": {"blocked": list(blocked)}}
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
        recall=plan.recall,
        created_at=plan.now,
    )


__all__ = ["finish"]
