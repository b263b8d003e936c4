"""Display rows of the Persona page: weekdays of the business hours, the model chain and its pickers, the
sample chat's bubbles. Page-sized DTOs the state fills and the components draw; the rules are the engine's
(engine.agent.persona, engine.llm.model_chain).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from console.state.formatting import price
from console.state.whatsapp_view import Bubble, BubbleOption
from engine.agent.persona import TONE_GUIDE, TONES
from engine.llm.model_chain import ChainModel

DAYS: tuple[tuple[str, str], ...] = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)
DEFAULT_OPEN, DEFAULT_CLOSE = "09:00", "18:00"
TONE_CHOICES: list[list[str]] = [[tone, TONE_GUIDE.get(tone, tone)] for tone in TONES]

# Engine field → the form field its message is drawn under.
FIELD_KEYS: dict[str, str] = {
    "agent_name": "agent_name",
    "personality_traits": "traits",
    "tone": "tone",
    "greeting_message": "greeting",
    "behavioral_restrictions": "restrictions",
    "required_disclaimers": "disclaimers",
    "default_model": "default_model",
    "fallback_models": "fallbacks",
    "temperature": "temperature",
    "max_tokens": "max_tokens",
    "confidence_threshold": "threshold",
    "handoff_topics": "topics",
    "max_low_confidence_turns": "low_turns",
    "business_hours": "hours",
}


@dataclasses.dataclass
class HoursRow:
    """One weekday of the business hours, read-only here (they are edited in Settings → General)."""

    day: str = ""
    label: str = ""
    open: bool = False
    start: str = DEFAULT_OPEN
    end: str = DEFAULT_CLOSE
    periods: str = "Closed"  # "09:00–12:30, 13:30–18:00"


@dataclasses.dataclass
class ModelRow:
    """One model of the chain (the default first) with its list price per million tokens."""

    ref: str = ""
    model: str = ""
    provider: str = ""
    role: str = ""
    price_in: str = ""
    price_out: str = ""
    note: str = ""
    first: bool = False
    last: bool = False


@dataclasses.dataclass
class ModelChoice:
    """A priced model the pickers offer."""

    ref: str = ""
    label: str = ""
    prices: str = ""
    text: str = ""


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def hours_rows(hours: dict[str, Any]) -> list[HoursRow]:
    weekly = (hours or {}).get("weekly") or {}
    rows = []
    for day, label in DAYS:
        spans = weekly.get(day) or []
        first = spans[0] if spans else None
        rows.append(
            HoursRow(
                day=day,
                label=label,
                open=bool(first),
                start=str(first[0]) if first else DEFAULT_OPEN,
                end=str(first[1]) if first else DEFAULT_CLOSE,
                periods=", ".join(f"{a}–{b}" for a, b in spans) or "Closed",
            )
        )
    return rows


def chain_prices(model: ChainModel, currency: str) -> tuple[str, str]:
    if model.free:
        return "Free", "Free"
    return price(model.input_per_million, currency), price(model.output_per_million, currency)


def sample_bubbles(text: str, message: dict[str, Any] | None, reply: str, agent_name: str) -> list[Bubble]:
    """The customer's sample and the draft's reply as two WhatsApp bubbles."""
    message = message or {"kind": "text", "body": reply}
    kind = str(message.get("kind") or "text")
    options = [
        BubbleOption(title=str(o.get("title") or ""), description=str(o.get("description") or ""))
        for o in message.get("options") or []
    ]
    body = str(message.get("body") or "")
    if kind == "card" and body == (message.get("title") or ""):
        body = ""
    return [
        Bubble(
            key="sample-in", sender="customer", author="Customer", show_author=True, body=text, time="now"
        ),
        Bubble(
            key="sample-out",
            outbound=True,
            sender="agent",
            author=agent_name or "Agent",
            show_author=True,
            kind=kind if kind in ("text", "buttons", "list", "card") else "text",
            body=body,
            time="now",
            ticks=3,
            tick_label="Preview: not sent",
            options=options,
            title=str(message.get("title") or ""),
            subtitle=str(message.get("subtitle") or ""),
            button=str(message.get("button") or ""),
        ),
    ]
