"""The provider that needs no model: answers from the knowledge and catalog hits the agent already retrieved.

It is what customers get when the tenant runs without a key, past its hard budget limit, or while every
provider is down. It must still be useful: it quotes the best knowledge answer or lists the best catalog
matches with prices and availability, in the persona's tone, and its confidence comes from the retrieval
scores so the handoff rules can send weak answers to a person.

The agent passes an `OfflineContext` (the customer's message and scored hits); everything else has defaults.
Wording is English per tone (TEMPLATES); for another language the agent passes that language's templates
(`OfflineContext.wording`, read from engine/locales/<lang>.json: adding a language is adding a
file), which replace the tone's English lines key by key — a key the file lacks stays English rather than
failing the reply.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from engine.llm.base import LLMProvider
from engine.llm.schemas import AgentTurn, Handoff, Intent
from engine.llm.types import Attempt, LLMResponse, Message
from engine.money import format_money

OFFLINE_MODEL = "offline-templates"
KNOWLEDGE_KINDS = frozenset({"faq", "policy", "knowledge", "document"})
CATALOG_KINDS = frozenset({"product", "service"})
INTENT_BY_KIND = {
    "faq": "faq",
    "policy": "faq",
    "knowledge": "faq",
    "document": "faq",
    "product": "product_inquiry",
    "service": "service_inquiry",
    "order": "order_status",
    "appointment": "appointment",
}
MIN_SCORE = 0.25  # below this a hit is noise, not an answer
OFFLINE_DISCOUNT = 0.85  # a quoted snippet is less sure than a model that read it in context
AMBIGUITY_GAP = 0.05  # two answers of different kinds this close: we may have picked the wrong one
CATALOG_SPREAD = 0.75  # list catalog hits scoring at least this share of the best one
MAX_LISTED = 3
MAX_REPLY_CHARS = 1200


@dataclass(frozen=True, slots=True)
class KnowledgeHit:
    """One retrieved item. `score` is the retrieval score in [0, 1]; `id` is the catalog id (SKU or service
    code) for products and services, so it can be returned as a suggestion."""

    kind: str  # faq | policy | knowledge | document | product | service | order | appointment
    id: str
    title: str
    content: str = ""
    score: float = 0.0
    price: Decimal | None = None
    currency: str | None = None
    available: bool | None = None  # in stock / bookable; None when unknown
    internal: bool = False  # a knowledge entry marked internal: used for reasoning, never quoted


@dataclass(frozen=True, slots=True)
class Persona:
    agent_name: str = "Assistant"
    business_name: str | None = None
    tone: str = "friendly"
    greeting: str | None = None
    disclaimers: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Any, business_name: str | None = None) -> Persona:
        """From an AgentConfiguration row (duck-typed so this module needs no database import)."""
        return cls(
            agent_name=config.agent_name or "Assistant",
            business_name=business_name,
            tone=(config.tone or "friendly").lower(),
            greeting=config.greeting_message,
            disclaimers=tuple(config.required_disclaimers or ()),
        )


@dataclass(frozen=True, slots=True)
class OfflineContext:
    query: str
    hits: Sequence[KnowledgeHit] = ()
    persona: Persona = field(default_factory=Persona)
    customer_name: str | None = None
    first_message: bool = False
    handoff_threshold: float = 0.55
    wording: Mapping[str, str] | None = None  # the customer's language's templates (module docstring)


# Templates per tone. Unknown tones use "friendly". {name} is the customer's name, {agent} the agent's.
TEMPLATES: dict[str, dict[str, str]] = {
    "friendly": {
        "hello": "Hi {name}! ",
        "hello_anonymous": "Hi! ",
        "catalog_intro": "Here is what I found for you:",
        "catalog_outro": "Reply with a number and I'll tell you more.",
        "single_outro": "Would you like to know more?",
        "unsure": "I'm not completely sure this answers your question, so I've asked a teammate to check.",
        "no_answer": (
            "Thanks for your message! I can't answer that one right now, so I've passed it to a teammate "
            "who will get back to you shortly."
        ),
        "in_stock": "in stock",
        "out_of_stock": "out of stock",
        "bookable": "bookable",
        "not_bookable": "not bookable right now",
    },
    "formal": {
        "hello": "Hello {name}. ",
        "hello_anonymous": "Hello. ",
        "catalog_intro": "These are the best matches for your request:",
        "catalog_outro": "Please reply with the number of the option you would like to know more about.",
        "single_outro": "Please let us know if you would like further details.",
        "unsure": "As this may not fully answer your question, a member of our team will review it.",
        "no_answer": (
            "Thank you for your message. We are unable to answer it automatically at the moment; a member of "
            "our team will reply as soon as possible."
        ),
    },
    "concise": {
        "hello": "",
        "hello_anonymous": "",
        "catalog_intro": "Matches:",
        "catalog_outro": "Reply with a number for details.",
        "single_outro": "",
        "unsure": "A teammate will double-check this.",
        "no_answer": "Can't answer that right now; a teammate will reply soon.",
    },
    "playful": {
        "hello": "Hey {name}! ",
        "hello_anonymous": "Hey there! ",
        "catalog_intro": "Here's what I've got for you:",
        "catalog_outro": "Pick a number and I'll tell you all about it!",
        "single_outro": "Want to hear more?",
        "unsure": "Hmm, I'm not 100% sure on this one, so I've looped in a teammate.",
        "no_answer": "That one's beyond me right now! A teammate will jump in shortly.",
    },
}


def templates_for(tone: str, wording: Mapping[str, str] | None = None) -> dict[str, str]:
    """The tone's English templates, with the customer's language's lines over them when given."""
    base = TEMPLATES.get((tone or "").lower(), TEMPLATES["friendly"])
    words = {**TEMPLATES["friendly"], **base}  # availability words live in "friendly" only
    return {**words, **wording} if wording else words


def _availability(hit: KnowledgeHit, t: Mapping[str, str]) -> str:
    if hit.available is None:
        return ""
    if hit.kind == "service":
        return t["bookable"] if hit.available else t["not_bookable"]
    return t["in_stock"] if hit.available else t["out_of_stock"]


def _catalog_label(hit: KnowledgeHit, t: Mapping[str, str]) -> str:
    """Like "Name — $12.00 (in stock)": what a customer needs to choose."""
    parts = [hit.title]
    if hit.price is not None:
        parts.append(format_money(hit.price, hit.currency))
    label = " — ".join(parts)
    status = _availability(hit, t)
    return f"{label} ({status})" if status else label


# A line of a customer-facing entry the shop marked as not for customers ("Internal: …", "Staff only: …",
# "Never tell customers that …", "(do not share)"). Such a line is for the agent's reasoning, never quoted.
_INTERNAL_LINE = re.compile(
    r"(?i)^\W*(?:internal|staff[ -]only|confidential|private|not for customers|do not (?:share|tell|quote))\b"
    r"|\b(?:never|don'?t|do not) (?:tell|share with|quote to|mention (?:this )?to|reveal (?:this )?to) "
    r"(?:the |our )?customers?\b"
    r"|\b(?:internal only|staff only|not for customers|for staff only)\b"
)


def internal_lines(text: str) -> list[str]:
    """The lines of an entry's text marked as not for customers (see _INTERNAL_LINE)."""
    return [line for line in (text or "").splitlines() if line.strip() and _INTERNAL_LINE.search(line)]


def customer_facing(text: str) -> str:
    """An entry's text without the lines marked as not for customers: what the offline provider may quote."""
    return "\n".join(line for line in (text or "").splitlines() if not _INTERNAL_LINE.search(line))


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quotable(hit: KnowledgeHit) -> KnowledgeHit:
    content = customer_facing(hit.content)
    if content == hit.content:
        return hit
    return replace(hit, content=content.strip())


def answer(context: OfflineContext) -> AgentTurn:
    """The offline AgentTurn for a customer message and its retrieval hits."""
    persona = context.persona
    t = templates_for(persona.tone, context.wording)
    # Only what customers may read is ever quoted: internal entries are left out, and so are the lines of
    # customer-facing entries marked as not for customers.
    hits = sorted(
        (_quotable(h) for h in context.hits if h.score >= MIN_SCORE and not h.internal),
        key=lambda h: h.score,
        reverse=True,
    )
    hits = [h for h in hits if h.kind in CATALOG_KINDS or (h.content or h.title).strip()]

    opener = ""
    if context.first_message and persona.greeting:
        opener = persona.greeting.strip() + "\n\n"
    elif context.customer_name:
        opener = t["hello"].format(name=context.customer_name.split()[0], agent=persona.agent_name)

    if not hits:
        body = t["no_answer"]
        turn_confidence = 0.0
        intents: list[Intent] = []
        suggestions: list[str] = []
        handoff = Handoff(needed=True, reason="offline: nothing in the knowledge base or catalog matched")
    else:
        top = hits[0]
        suggestions = [h.id for h in hits if h.kind in CATALOG_KINDS][:MAX_LISTED]
        if top.kind in CATALOG_KINDS:
            listed = [h for h in hits if h.kind in CATALOG_KINDS and h.score >= top.score * CATALOG_SPREAD]
            listed = listed[:MAX_LISTED]
            if len(listed) == 1:
                detail = _clip(top.content, 300)
                body = _catalog_label(top, t) + (f"\n{detail}" if detail else "")
                if t["single_outro"]:
                    body += f"\n\n{t['single_outro']}"
            else:
                lines = "\n".join(f"{i}. {_catalog_label(h, t)}" for i, h in enumerate(listed, 1))
                body = f"{t['catalog_intro']}\n{lines}\n\n{t['catalog_outro']}"
        else:
            body = _clip(top.content or top.title, MAX_REPLY_CHARS)

        turn_confidence = top.score * OFFLINE_DISCOUNT
        runner_up = next(
            (h for h in hits[1:] if INTENT_BY_KIND.get(h.kind) != INTENT_BY_KIND.get(top.kind)), None
        )
        if runner_up is not None and top.score - runner_up.score < AMBIGUITY_GAP:
            turn_confidence *= 0.8
        turn_confidence = round(min(max(turn_confidence, 0.0), 1.0), 3)

        best_by_intent: dict[str, float] = {}
        for hit in hits:
            name = INTENT_BY_KIND.get(hit.kind, "other")
            best_by_intent[name] = max(best_by_intent.get(name, 0.0), hit.score)
        intents = [Intent(name=n, confidence=round(s, 3)) for n, s in best_by_intent.items()][:3]

        if turn_confidence < context.handoff_threshold:
            body = f"{body}\n\n{t['unsure']}"
            handoff = Handoff(
                needed=True, reason=f"offline: low retrieval confidence ({turn_confidence:.2f})"
            )
        else:
            handoff = Handoff(needed=False)

    reply = opener + body
    if persona.disclaimers:
        reply += "\n\n" + "\n".join(d.strip() for d in persona.disclaimers if d.strip())
    return AgentTurn(
        reply=reply.strip(),
        intents=intents,
        confidence=turn_confidence,
        handoff=handoff,
        suggestions=suggestions,
        facts={},
        rich=None,
    )


class OfflineProvider(LLMProvider):
    """Template answers, free and instant; `generate` takes the retrieval context as an extra argument."""

    name = "offline"

    def available_models(self) -> list[str]:
        return [OFFLINE_MODEL]

    def generate(
        self,
        messages: Sequence[Message],
        model: str = OFFLINE_MODEL,
        *,
        response_schema: type[BaseModel] | None = AgentTurn,
        temperature: float | None = None,
        max_tokens: int | None = None,
        timeout: float | None = None,
        context: OfflineContext | None = None,
    ) -> LLMResponse:
        started = time.perf_counter()
        if context is None:
            query = next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")
            context = OfflineContext(query=query)
        turn = answer(context)
        latency_ms = int((time.perf_counter() - started) * 1000)
        parsed = turn.model_dump(mode="json")
        structured = response_schema is not None
        return LLMResponse(
            text=json.dumps(parsed) if structured else turn.reply,
            provider=self.name,
            model=OFFLINE_MODEL,
            parsed=parsed if structured else None,
            output=turn if structured else None,
            latency_ms=latency_ms,
            finish_reason="stop",
            attempts=[Attempt(provider=self.name, model=OFFLINE_MODEL, status="ok", latency_ms=latency_ms)],
        )


__all__ = [
    "KnowledgeHit",
    "OFFLINE_MODEL",
    "OfflineContext",
    "OfflineProvider",
    "Persona",
    "TEMPLATES",
    "answer",
    "customer_facing",
    "internal_lines",
    "templates_for",
]
