"""The reply without a model: one part per request, composed into one structured message.

The offline provider (engine.llm.offline) answers one question from its hits. A burst often holds several
("where's my order? and are you open sunday?"), so each request gets its own part — the offline provider's
template over that request's own hits, or a template over the customer's orders and appointments — and the
parts are joined, most urgent first, numbered when there are several. Each part knows whether it really
answered and how sure it is, so the handoff rules see the weakest part, and the memory can record what was
left unanswered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.agent.intents import DetectedIntent, order_number
from engine.agent.retrieval import Evidence, offline_hits
from engine.catalog.schemas import AppointmentDTO, CustomerHistoryDTO, OrderDTO
from engine.catalog.text import fold
from engine.llm.offline import OfflineContext, Persona, answer, templates_for
from engine.models import Product, Service
from engine.models.base import zone_or_utc

SOCIAL_REPLIES: dict[str, dict[str, str]] = {
    "friendly": {
        "greeting": "Hi{name}! How can I help you today?",
        "thanks": "You're welcome{name}! Anything else I can help with?",
        "goodbye": "Bye for now{name}, and thanks for getting in touch!",
        "affirm": "Great! What else can I help you with?",
        "deny": "No problem. Is there anything else I can help with?",
        "frustration": (
            "I'm sorry about that{name}. Tell me what went wrong and I'll do my best to sort it out — or I "
            "can pass you to a member of our team."
        ),
    },
    "formal": {
        "greeting": "Hello{name}. How may I help you today?",
        "thanks": "You are welcome{name}. Is there anything else we can help with?",
        "goodbye": "Thank you for contacting us{name}. Goodbye.",
        "affirm": "Thank you. How else may we help?",
        "deny": "Understood. Is there anything else we can help with?",
        "frustration": "We apologise{name}. Please tell us what went wrong, or ask for a member of our team.",
    },
    "concise": {
        "greeting": "Hi{name}. What do you need?",
        "thanks": "You're welcome.",
        "goodbye": "Bye.",
        "affirm": "OK.",
        "deny": "OK.",
        "frustration": "Sorry. What went wrong? I can also get a teammate.",
    },
    "playful": {
        "greeting": "Hey{name}! 👋 What can I do for you?",
        "thanks": "Anytime{name}! 😊 Anything else?",
        "goodbye": "Catch you later{name}! 👋",
        "affirm": "Awesome! What's next?",
        "deny": "No worries! Anything else?",
        "frustration": "Oh no, sorry{name}! Tell me what went wrong and I'll fix it, or grab a teammate.",
    },
}
ORDER_STATUS = {
    "pending": "received and waiting to be prepared",
    "paid": "confirmed and being prepared",
    "processing": "being prepared in our warehouse",
    "packed": "packed and about to be dispatched",
    "shipped": "on its way",
    "dispatched": "on its way",
    "out_for_delivery": "out for delivery today",
    "delivered": "marked as delivered",
    "cancelled": "cancelled",
    "refunded": "refunded",
    "returned": "returned",
}
_EXISTING_BOOKING = (
    "still booked",
    "my appointment",
    "my booking",
    "when is my",
    "is my",
    "booked for",
    "moved",
)
_CHANGE_BOOKING = ("cancel", "move my", "reschedule", "change my", "rearrange")
APOLOGY = "Sorry we missed this earlier!"
COMPLAINT_OPENER = "I'm really sorry about that."
CATEGORY_LISTING = 0.7


@dataclass
class Part:
    """The answer to one request."""

    intent: DetectedIntent
    text: str
    confidence: float
    answered: bool
    suggestions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def social_reply(
    name: str, tone: str, first_name: str | None, wording: Mapping[str, str] | None = None
) -> str:
    """A small-talk reply in the tone, or in the customer's language when `wording` (its locale's
    `social` lines, engine.agent.language.social_wording) is given."""
    replies = {**SOCIAL_REPLIES.get(tone, SOCIAL_REPLIES["friendly"]), **(wording or {})}
    return replies.get(name, replies["affirm"]).format(name=f" {first_name}" if first_name else "")


def _items(order: OrderDTO) -> str:
    names = [line.name for line in order.items if line.name][:3]
    return ", ".join(names)


def _local(when: datetime, time_zone: str) -> datetime:
    return when.astimezone(zone_or_utc(time_zone))


def order_part(intent: DetectedIntent, history: CustomerHistoryDTO | None, time_zone: str) -> Part:
    """The order's status from the customer's own orders (never another customer's: only this history)."""
    orders = list(history.orders) if history else []
    wanted = intent.target or order_number(intent.text)
    order = None
    if wanted:
        order = next((o for o in orders if o.order_number.upper() == wanted.upper()), None)
        if order is None:
            # A question back, not an answer: sent, but in the "unsure" band (a second miss: a person).
            return Part(
                intent,
                f"I can't find an order {wanted} for this WhatsApp number. Could you check the number? A "
                "teammate can also look it up with the email address you ordered with.",
                0.62,
                True,
            )
    elif orders:
        order = orders[0]
    if order is None:
        return Part(
            intent,
            "I can't see any orders for this WhatsApp number. Could you send me your order number? It's in "
            "your order confirmation email.",
            0.7,
            True,
        )
    status = ORDER_STATUS.get(order.status.lower(), order.status.replace("_", " "))
    items = _items(order)
    what = f" ({items})" if items else ""
    latest = "" if wanted else "latest "
    text = f"Your {latest}order {order.order_number}{what} is {status}"
    if order.status.lower() in ("shipped", "dispatched"):
        text += f" — dispatched on {_local(order.updated_at, time_zone):%a %d %b}"
    elif order.status.lower() == "delivered":
        text += f" on {_local(order.updated_at, time_zone):%a %d %b}"
    return Part(intent, text + ".", 0.9, True, sources=[f"order:{order.order_number}"])


def appointment_part(
    intent: DetectedIntent,
    evidence: Evidence,
    history: CustomerHistoryDTO | None,
    rows: dict[tuple[str, str], Product | Service],
    currency: str,
    time_zone: str,
) -> Part | None:
    """Existing bookings from the customer's history, or what booking a matched service involves."""
    from engine.agent.retrieval import money

    folded = fold(intent.text)
    if any(w in folded for w in _CHANGE_BOOKING):
        return None  # moving or cancelling: the knowledge base has the how (and a person does it)
    upcoming: Sequence[AppointmentDTO] = history.upcoming_appointments if history else ()
    if upcoming and (any(w in folded for w in _EXISTING_BOOKING) or not evidence.catalog):
        lines = [
            f"Your {a.service_name} is booked for {_local(a.starts_at, time_zone):%A %d %B at %H:%M}."
            for a in upcoming[:2]
        ]
        return Part(
            intent, " ".join(lines), 0.88, True, sources=[f"appointment:{a.id}" for a in upcoming[:2]]
        )
    service_match = next((m for m in evidence.catalog if m.kind == "service"), None)
    if service_match is not None:
        row = rows.get(("service", service_match.key))
        if isinstance(row, Service):
            if not row.is_bookable:
                return Part(intent, f"{row.name} can't be booked right now, sorry.", 0.7, True)
            text = (
                f"You can book a {row.name} ({row.duration_minutes} min, {money(row.price, currency)}). "
                "Which day and time would suit you? A teammate will confirm the slot."
            )
            return Part(
                intent,
                text,
                min(0.85, float(service_match.confidence)),
                True,
                suggestions=[row.code],
                sources=[f"service:{row.code}"],
            )
    return None


def compose_part(
    evidence: Evidence,
    *,
    persona: Persona,
    history: CustomerHistoryDTO | None,
    rows: dict[tuple[str, str], Product | Service],
    currency: str,
    time_zone: str,
    wording: Mapping[str, str] | None = None,
) -> Part:
    """One request answered from its evidence (templates; no model; `wording`: the customer's language's
    offline templates)."""
    intent = evidence.intent
    if intent.social or intent.name in ("affirm", "deny"):
        return Part(intent, "", 0.9, True)
    if intent.name == "human_request":
        return Part(intent, "", 1.0, True)
    if intent.name == "order_status":
        return order_part(intent, history, time_zone)
    if intent.name == "appointment":
        found = appointment_part(intent, evidence, history, rows, currency, time_zone)
        if found is not None:
            return found
    hits = offline_hits(evidence, rows, currency)
    if intent.name == "appointment" and any(w in fold(intent.text) for w in _CHANGE_BOOKING):
        hits = [h for h in hits if h.kind not in ("product", "service")] or hits  # how to move or cancel
    listing = False
    if intent.name in ("product_inquiry", "service_inquiry"):
        # The catalogue answers product questions, unless the knowledge base is clearly the better answer
        # ("do you have a size guide?").
        listing = sum(m.matched_field == "category" for m in evidence.catalog) >= 2
        if listing or evidence.best_knowledge < max(0.75, evidence.best_catalog + 0.1):
            hits = [h for h in hits if h.kind in ("product", "service")] or hits
        else:
            hits = [h for h in hits if h.kind not in ("product", "service")]
    quiet = Persona(
        agent_name=persona.agent_name, business_name=persona.business_name, tone=persona.tone, greeting=None
    )
    turn = answer(
        OfflineContext(query=intent.text, hits=hits, persona=quiet, handoff_threshold=0.0, wording=wording)
    )
    answered = bool(hits) and turn.confidence > 0
    confidence = float(turn.confidence)
    if listing and answered:
        # "running shoes?" answered with the range's items to choose from: a complete answer, although each
        # item only matched on its category.
        confidence = max(confidence, CATEGORY_LISTING)
    text = turn.reply
    if not answered:
        text = ""
    elif intent.name == "complaint":
        text = f"{COMPLAINT_OPENER} {text}"
    if intent.name == "cancel_order" or (intent.name == "complaint" and _about_order(intent)):
        order = order_part(intent, history, time_zone)
        if order.answered and order.confidence >= 0.8:
            lead = f"{COMPLAINT_OPENER} " if intent.name == "complaint" and not text else ""
            text = f"{lead}{order.text}\n{text}".strip()
            confidence = max(float(turn.confidence), order.confidence * 0.9)
            return Part(intent, text, confidence, True, list(turn.suggestions), list(order.sources))
    sources = [f"{h.kind}:{h.id}" for h in hits[:3]]
    return Part(intent, text, confidence, answered, list(turn.suggestions), sources)


_ORDER_WORDS = ("order", "parcel", "package", "delivery", "arrived")


def _about_order(intent: DetectedIntent) -> bool:
    if intent.target and order_number(intent.target):
        return True
    return any(w in fold(intent.text) for w in _ORDER_WORDS)


def compose_reply(
    parts: Sequence[Part],
    *,
    tone: str,
    first_name: str | None,
    greeting: str | None,
    opener: bool = False,
    wording: Mapping[str, str] | None = None,
    small_talk: Mapping[str, str] | None = None,
) -> tuple[str, float, bool, list[str]]:
    """(reply, confidence, every request answered, the requests left unanswered).

    One part: its text; several: numbered and labelled, most urgent first. Unanswered requests are not
    mentioned here: the caller says what happens to them (a teammate takes over). `opener`: greet by name
    (the first reply of a session). `wording` / `small_talk`: the customer's language's offline templates and
    small-talk replies (engine.agent.language), English by tone when None.
    """
    social = [p for p in parts if p.intent.social or p.intent.name in ("affirm", "deny")]
    real = [p for p in parts if p not in social and p.intent.name != "human_request"]
    wants_human = any(p.intent.name == "human_request" for p in parts)
    if not real:
        if wants_human:
            return "", 1.0, True, []
        names = [p.intent.name for p in social]
        if "greeting" in names and greeting:
            return greeting, 0.9, True, []
        order = ("frustration", "thanks", "goodbye", "greeting", "affirm", "deny")
        name = next((n for n in order if n in names), "greeting")
        return social_reply(name, tone, first_name, small_talk), 0.9, True, []
    missing = [p for p in real if not p.answered]
    t = templates_for(tone, wording)
    hello = ""
    if opener or any(p.intent.name == "greeting" for p in social):
        hello = t["hello"].format(name=first_name) if first_name else t["hello_anonymous"]
    shown = [p for p in real if p.answered and p.text]
    if len(real) == 1:
        body = shown[0].text if shown else ""
    else:
        body = "\n\n".join(f"*{n}. {p.intent.label}*\n{p.text}" for n, p in enumerate(shown, 1))
    confidence = min(p.confidence for p in real)
    return (hello + body).strip(), round(confidence, 3), not missing, [p.intent.text for p in missing]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def part_record(part: Part) -> dict[str, Any]:
    return {
        "intent": part.intent.name,
        "answered": part.answered,
        "confidence": round(part.confidence, 3),
        "sources": part.sources,
    }


__all__ = [
    "APOLOGY",
    "Part",
    "compose_part",
    "compose_reply",
    "order_part",
    "part_record",
    "social_reply",
]
