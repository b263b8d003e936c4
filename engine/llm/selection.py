"""select_model(): the cheapest of the tenant's models that is good enough for the task.

The rule is the table below, on purpose: a reviewer (or an owner asking "why did it use the expensive model?")
reads one line per task. Model strength is the `tier` of pricing.json; price is the cost of a typical turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from engine.llm.pricing import ModelInfo, model_info


class Task(StrEnum):
    FAQ = "faq"
    MULTI_INTENT = "multi_intent"
    SUMMARY = "summary"
    COMPLEX = "complex"


@dataclass(frozen=True, slots=True)
class Rule:
    task: Task
    min_tier: int
    why: str


# tier 1: answers one question from the knowledge it is given · 2: several requests in one message ·
# 3: reasoning (complaints, multi-step requests, exceptions to policy)
RULES: tuple[Rule, ...] = (
    Rule(Task.FAQ, 1, "one question answered from retrieved knowledge: the smallest model is enough"),
    Rule(Task.SUMMARY, 1, "compressing a conversation needs no reasoning"),
    Rule(Task.MULTI_INTENT, 2, "several requests in one message: small models drop some of them"),
    Rule(Task.COMPLEX, 3, "complaints and multi-step requests need the strongest model"),
)
RULE_BY_TASK = {rule.task: rule for rule in RULES}

COMPLEX_HINTS = (
    "refund",
    "complaint",
    "complain",
    "lawyer",
    "cancel my",
    "broken",
    "damaged",
    "never arrived",
    "charged twice",
    "manager",
    "unacceptable",
)
LONG_MESSAGE_CHARS = 400


Candidate = tuple[str, str]
"""(provider, model): the same model name can be served by two providers."""


@dataclass(frozen=True, slots=True)
class ModelChoice:
    """What was chosen and why, for the interaction record and the console."""

    provider: str
    model: str
    task: Task
    reason: str
    order: tuple[Candidate, ...]  # the fallback chain that follows from the choice, the choice first


def infer_task(intents: Sequence[str] = (), message: str = "", *, summary: bool = False) -> Task:
    """A first guess at the task when the caller has no better one (intent names from the detector)."""
    if summary:
        return Task.SUMMARY
    lowered = message.lower()
    if any(hint in lowered for hint in COMPLEX_HINTS) or len(message) > LONG_MESSAGE_CHARS:
        return Task.COMPLEX
    if len(set(intents)) >= 2:
        return Task.MULTI_INTENT
    return Task.FAQ


def select_model(
    task: Task | str,
    models: Sequence[str | Candidate],
    *,
    provider: str = "openai",
    budget_state: str = "ok",
) -> ModelChoice:
    """Choose among the tenant's models (default first, then fallbacks) for a task.

    `models` are names served by `provider`, or (provider, model) pairs when the chain mixes providers.
    Past the budget's soft limit the tier requirement is dropped and the cheapest model answers. The returned
    `order` puts the choice first and keeps the others in the tenant's order (cheapest first past the soft
    limit): it is the fallback chain to use.
    """
    pairs: list[Candidate] = list(dict.fromkeys(m if isinstance(m, tuple) else (provider, m) for m in models))
    if not pairs:
        raise ValueError("the tenant has no model configured")
    task = Task(task)
    rule = RULE_BY_TASK[task]
    infos: list[ModelInfo] = [model_info(p, m) for p, m in pairs]
    by_price = sorted(infos, key=lambda i: (i.typical_turn_cost, -i.tier))  # stable: ties keep tenant order

    if budget_state in ("soft", "hard"):
        chosen = by_price[0]
        reason = f"budget past its soft limit: cheapest model ({_price(chosen)})"
        ordered = by_price
    else:
        fitting = [i for i in by_price if i.tier >= rule.min_tier]
        if fitting:
            chosen = fitting[0]
            reason = f"{task.value}: {rule.why}; cheapest with tier >= {rule.min_tier} ({_price(chosen)})"
        else:
            chosen = max(infos, key=lambda i: (i.tier, -i.typical_turn_cost))
            reason = (
                f"{task.value}: no model reaches tier {rule.min_tier}; strongest available "
                f"(tier {chosen.tier}, {_price(chosen)})"
            )
        ordered = [chosen] + [i for i in infos if i is not chosen]
    return ModelChoice(
        provider=chosen.provider,
        model=chosen.model,
        task=task,
        reason=reason,
        order=tuple((i.provider, i.model) for i in ordered),
    )


def _price(info: ModelInfo) -> str:
    suffix = "" if info.priced else ", unpriced"
    return f"{info.model} ~{info.typical_turn_cost}/turn{suffix}"


def rule_table() -> list[dict[str, object]]:
    """The rules as rows, for the console and docs."""
    return [{"task": r.task.value, "min_tier": r.min_tier, "why": r.why} for r in RULES]


__all__ = ["Candidate", "ModelChoice", "RULES", "Rule", "Task", "infer_task", "rule_table", "select_model"]
