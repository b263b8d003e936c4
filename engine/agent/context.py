"""The context builder: what the model gets to read for one turn, assembled by priority under a token budget.

Why a budget and priorities: a WhatsApp turn must stay cheap and fast, and the smallest model of the tenant's
fallback chain may have a small context window; when everything does not fit, what goes first is what an
assistant needs least. Fixed parts (the persona and the customer's own words) always go in; then, in order:

    key facts → catalogue (matched items, last viewed) → knowledge → customer history (orders,
    appointments) → conversation summary → recent history (newest first)

Each part has a cap; what a part leaves unused flows on to the next. History is cut oldest first, and what is
cut is replaced by a summary (the LLM summary the memory job wrote, else an extractive one), so a long
conversation is never simply forgotten. The tokens, cap, items and cuts of every part are recorded on the
turn's agent_interaction (`context_budget`), so "why did it not know X" has an answer.

Token counts are estimates (characters / 3.5, no tokenizer dependency), deliberately generous.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.llm.pricing import CHARS_PER_TOKEN, MESSAGE_OVERHEAD_TOKENS

MAX_PROMPT_TOKENS = 6000  # what a WhatsApp turn may cost in prompt, whatever the window allows
RESERVE_TOKENS = 300  # schema instruction, repair room, rounding of the estimates
DEFAULT_WINDOW = 8192
# Context windows by model name prefix (longest prefix wins). Unknown models get DEFAULT_WINDOW: a guess that
# is too small only costs history, a guess that is too large costs a failed call.
CONTEXT_WINDOWS: dict[str, int] = {
    "gpt-4o": 128_000,
    "gpt-4.1": 1_047_576,
    "o1-mini": 128_000,
    "o1": 200_000,
    "o3": 200_000,
    "o4-mini": 200_000,
    "meta-llama/Meta-Llama-3.1": 131_072,
    "meta-llama/Llama-3.3": 131_072,
    "meta-llama/Llama-4": 1_048_576,
    "mistralai/": 32_768,
    "Qwen/Qwen2.5": 32_768,
    "offline-templates": 4096,
}
# Caps per part, in tokens, in priority order.
PART_CAPS: dict[str, int] = {
    "key_facts": 150,
    "catalog": 700,
    "knowledge": 1000,
    "customer_history": 300,
    "summary": 300,
}
PRIORITY_ORDER = ("key_facts", "catalog", "knowledge", "customer_history", "summary", "history")
KNOWLEDGE_ENTRY_CHARS = 700
HISTORY_MESSAGE_CHARS = 600


def estimate_tokens(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN) + 1 if text else 0


def context_window(models: Sequence[tuple[str, str] | str]) -> int:
    """The smallest window among the models that may answer (the fallback chain): the prompt must fit all."""
    windows = []
    for ref in models:
        name = ref[1] if isinstance(ref, tuple) else ref
        best = max((p for p in CONTEXT_WINDOWS if name.startswith(p)), key=len, default=None)
        windows.append(CONTEXT_WINDOWS[best] if best else DEFAULT_WINDOW)
    return min(windows) if windows else DEFAULT_WINDOW


@dataclass(frozen=True)
class HistoryTurn:
    role: str  # "user" (customer) | "assistant" (agent or staff)
    text: str
    created_at: datetime | None = None
    message_id: int | None = None


@dataclass
class ContextPart:
    name: str
    text: str = ""
    tokens: int = 0
    limit: int = 0
    items: int = 0
    dropped: int = 0

    def record(self) -> dict[str, int]:
        return {"tokens": self.tokens, "limit": self.limit, "items": self.items, "dropped": self.dropped}


@dataclass
class ContextInputs:
    """Everything the builder may use, already rendered as short lines by the pipeline (best first)."""

    persona: str
    message: str
    key_facts: dict[str, Any] = field(default_factory=dict)
    catalog: Sequence[str] = ()
    knowledge: Sequence[str] = ()
    customer_history: Sequence[str] = ()
    summary: str | None = None  # the memory job's LLM summary of older turns
    summary_upto: int | None = None  # the last message id that summary covers
    history: Sequence[HistoryTurn] = ()  # oldest first, the current burst excluded
    instructions: str = ""


@dataclass
class BuiltContext:
    parts: dict[str, ContextPart]
    history: list[HistoryTurn]  # what goes in, oldest first
    window: int
    budget: int
    used: int
    cut_history: int

    def section(self, name: str) -> str:
        part = self.parts.get(name)
        return part.text if part else ""

    def record(self) -> dict[str, Any]:
        """The `context_budget` JSON of agent_interaction."""
        return {
            "window": self.window,
            "budget": self.budget,
            "used": self.used,
            "parts": {name: part.record() for name, part in self.parts.items()},
        }


def _fit_lines(name: str, lines: Sequence[str], limit: int) -> ContextPart:
    """Whole lines, best first, while they fit; the rest are dropped (never half an entry)."""
    kept: list[str] = []
    used = 0
    for line in lines:
        cost = estimate_tokens(line) + 1
        if used + cost > limit:
            break
        kept.append(line)
        used += cost
    text = "\n".join(kept)
    return ContextPart(name, text, estimate_tokens(text), limit, len(kept), len(lines) - len(kept))


def _clip(text: str, chars: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def extractive_summary(turns: Sequence[HistoryTurn], limit_tokens: int) -> str:
    """What was said in turns that did not fit, newest first, one short line each, under the limit."""
    if not turns:
        return ""
    lines: list[str] = []
    used = estimate_tokens("Earlier in this conversation:")
    for turn in reversed(turns):
        who = "Customer" if turn.role == "user" else "We"
        line = f"- {who}: {_clip(turn.text, 140)}"
        cost = estimate_tokens(line) + 1
        if used + cost > limit_tokens:
            break
        lines.append(line)
        used += cost
    if not lines:
        return ""
    return "Earlier in this conversation (most recent first):\n" + "\n".join(lines)


def build_context(inputs: ContextInputs, *, window: int, max_output_tokens: int) -> BuiltContext:
    """Assemble the parts under min(window - output - reserve, MAX_PROMPT_TOKENS) tokens by priority."""
    budget = max(512, min(window - max_output_tokens - RESERVE_TOKENS, MAX_PROMPT_TOKENS))
    parts: dict[str, ContextPart] = {}
    fixed = inputs.persona + "\n" + inputs.instructions
    parts["persona"] = ContextPart(
        "persona", inputs.persona, estimate_tokens(fixed), estimate_tokens(fixed), 1, 0
    )
    parts["message"] = ContextPart(
        "message", inputs.message, estimate_tokens(inputs.message), estimate_tokens(inputs.message), 1, 0
    )
    left = budget - parts["persona"].tokens - parts["message"].tokens - 4 * MESSAGE_OVERHEAD_TOKENS

    facts = [f"- {k}: {_clip(str(v), 100)}" for k, v in inputs.key_facts.items() if v not in (None, "")]
    sources: dict[str, Sequence[str]] = {
        "key_facts": facts,
        "catalog": inputs.catalog,
        "knowledge": [_clip(k, KNOWLEDGE_ENTRY_CHARS) for k in inputs.knowledge],
        "customer_history": inputs.customer_history,
    }
    for name in ("key_facts", "catalog", "knowledge", "customer_history"):
        limit = max(0, min(PART_CAPS[name], left))
        part = _fit_lines(name, sources[name], limit)
        parts[name] = part
        left -= part.tokens

    # History: reserve the summary's cap, fill newest first, then summarise what was cut.
    summary_cap = max(0, min(PART_CAPS["summary"], left))
    history_limit = max(0, left - summary_cap)
    kept: list[HistoryTurn] = []
    used = 0
    turns = list(inputs.history)
    for turn in reversed(turns):
        cost = estimate_tokens(_clip(turn.text, HISTORY_MESSAGE_CHARS)) + MESSAGE_OVERHEAD_TOKENS
        if used + cost > history_limit:
            break
        kept.append(
            HistoryTurn(turn.role, _clip(turn.text, HISTORY_MESSAGE_CHARS), turn.created_at, turn.message_id)
        )
        used += cost
    kept.reverse()
    cut = turns[: len(turns) - len(kept)]
    parts["history"] = ContextPart("history", "", used, history_limit, len(kept), len(cut))

    summary_text = ""
    if cut or inputs.summary:
        llm_summary = (inputs.summary or "").strip()
        covered = inputs.summary_upto or 0
        uncovered = [t for t in cut if (t.message_id or 0) > covered]
        pieces = []
        if llm_summary:
            pieces.append("Summary of the conversation so far: " + llm_summary)
        if uncovered:
            pieces.append(
                extractive_summary(uncovered, max(0, summary_cap - estimate_tokens(" ".join(pieces))))
            )
        summary_text = "\n".join(p for p in pieces if p)
        if estimate_tokens(summary_text) > summary_cap:
            summary_text = _clip(summary_text, int(summary_cap * CHARS_PER_TOKEN))
    parts["summary"] = ContextPart(
        "summary", summary_text, estimate_tokens(summary_text), summary_cap, int(bool(summary_text)), 0
    )
    ordered = {name: parts[name] for name in ("persona", "message", *PRIORITY_ORDER)}
    total = sum(p.tokens for p in ordered.values())
    return BuiltContext(
        parts=ordered, history=kept, window=window, budget=budget, used=total, cut_history=len(cut)
    )


__all__ = [
    "BuiltContext",
    "CONTEXT_WINDOWS",
    "ContextInputs",
    "ContextPart",
    "HistoryTurn",
    "MAX_PROMPT_TOKENS",
    "PART_CAPS",
    "build_context",
    "context_window",
    "estimate_tokens",
    "extractive_summary",
]
