"""The customer's answers to what the agent asked or offered last turn, read before anything is detected.

A tapped product, service or suggestion button becomes the request it stands for; "yes"/"no" answers a
"Did you mean…?"; "carry on"/"start fresh" answers the welcome back; "did you forget…?" brings back the last
unanswered request. Each either rewrites the text to answer or answers at once (`plan.short_reply`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from engine.agent import memory as mem
from engine.agent.intents import classify, detect_intents, prioritize, substantive
from engine.agent.plan import CONTINUE, FRESH, SPELL_NO, SPELL_YES, TurnPlan
from engine.catalog import CatalogMatch
from engine.channels.whatsapp.rich import Option
from engine.db import TenantScope
from engine.models import Product, Service

_CONTINUE_WORDS = re.compile(r"\b(continue|carry on|go on|yes|yeah|yep|sure|ok|okay|please|that)\b", re.I)


_FRESH_WORDS = re.compile(r"\b(start fresh|fresh|new|something else|no|nope|other)\b", re.I)


_PAYLOAD = re.compile(r"^(product|service|suggest):([^:]+)(?::(\w+))?$")


def payload_texts(session: Session, plan: TurnPlan) -> None:
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


def pending_answers(session: Session, plan: TurnPlan, detail: dict[str, Any]) -> None:
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


def recall_forgotten(
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
    plan.recall = "not_found" if found is None else "recovered"
    if found is None:
        plan.intents = others or plan.intents
        return
    plan.forgotten = found.text
    detail["forgotten"] = {"text": found.text, "source": found.source}
    recovered = [i for i in detect_intents([found.text], catalog=lookup) if not i.social]
    have = {i.key for i in others}
    plan.intents = prioritize(others + [i for i in recovered if i.key not in have])


def welcome_back(plan: TurnPlan, detail: dict[str, Any]) -> None:
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


__all__ = ["payload_texts", "pending_answers", "recall_forgotten", "welcome_back"]
