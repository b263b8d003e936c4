"""The reply as the customer reads it: the answer, suggestions, the handoff notice, disclaimers, and the rich
form WhatsApp can take (buttons or a list within limits, otherwise text with numbered options).

Shared by the customer turn (engine.agent.record) and the Persona page's preview (engine.agent.preview).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from engine.agent.compose import APOLOGY
from engine.agent.handoff import HandoffDecision, handoff_notice
from engine.agent.intents import substantive
from engine.agent.plan import Outcome, TurnPlan
from engine.agent.suggestions import Anchor, Suggestion, suggest, validate_model_suggestions
from engine.catalog import CONFIDENT
from engine.catalog.text import fold
from engine.channels.whatsapp.rich import Option, RichMessage, RichMessageBuilder, RichMessageError

log = logging.getLogger(__name__)


def suggestion_pool(session: Session, plan: TurnPlan) -> list[Suggestion]:
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


def pick_suggestions(
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


def reply_text(
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
    kind = outcome.options_kind if options else "buttons"
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
                language=plan.language,
            )
        )
        options = []
    elif outcome.missing:
        pieces.append("I don't have the answer to " + "; ".join(f"“{m}”" for m in outcome.missing) + " yet.")
    if not decision.needed:
        due = due_disclaimers(plan, outcome, body)
        if due:
            pieces.append("\n".join(due))
    return "\n\n".join(p for p in pieces if p), options, kind


def _answered_something(outcome: Outcome, body: str) -> bool:
    if outcome.parts:
        return any(p.answered and p.text and not p.intent.social for p in outcome.parts)
    return bool(body)


def due_disclaimers(plan: TurnPlan, outcome: Outcome, body: str) -> list[str]:
    """The required disclaimers this answer needs: those whose topic came up (the customer's message or the
    answer shares a word with it: "fit", "pain", "stock"), once a session each, never with "hi" or a handoff.
    A disclaimer about foot pain under a delivery answer reads as noise and teaches customers to skip them."""
    if not plan.persona.required_disclaimers or not body or plan.short_reply is not None:
        return []
    if not substantive(outcome.intents):
        return []
    shown = plan.memory.entities.get("disclaimers_shown") if plan.memory else None
    if shown is True:  # memory written before disclaimers were shown by topic: all were shown
        return []
    seen = set(shown or [])
    said = set(_words(" ".join([*plan.texts, plan.answer_text, body])))
    return [
        d for d in plan.persona.required_disclaimers if d not in seen and d not in body and _topical(d, said)
    ]


def disclaimers_due(plan: TurnPlan, outcome: Outcome, body: str) -> bool:
    return bool(due_disclaimers(plan, outcome, body))


_PLAIN_WORDS = (
    "the and for with our your you are is it its this that when what please see check general guidance "
    "may can will not any all from have has been be on in of or to at by an as we us"
)
_PLAIN = frozenset(_PLAIN_WORDS.split())


def _words(text: str) -> list[str]:
    return [w[:5] for w in re.findall(r"[a-z]{2,}", fold(text)) if w not in _PLAIN]


def _topical(disclaimer: str, said: set[str]) -> bool:
    return any(w in said for w in _words(disclaimer))


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


def short_title(name: str, limit: int) -> str:
    """A button or row title within WhatsApp's limit, cut at a word ("Cushioned Running…")."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space >= limit // 2 else cut).rstrip(" -–(") + "…"


__all__ = [
    "build_rich",
    "disclaimers_due",
    "due_disclaimers",
    "pick_suggestions",
    "reply_text",
    "short_title",
    "suggestion_pool",
]
