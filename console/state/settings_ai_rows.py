"""Display rows and words of Settings → AI providers: the provider cards, key rows, the model chain and its
pickers, the spend table. Page-sized DTOs the state fills and the components draw; no rules (those are in
engine.llm.service and engine.llm.model_chain).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from engine.llm.model_chain import provider_label

# (value, name, one line, icon), in the order the cards are drawn; the values are the engine's provider names.
PROVIDER_CHOICES: tuple[tuple[str, str, str, str], ...] = (
    ("offline", "Offline", "No model: answers from your knowledge base and catalog", "cloud_off"),
    ("openai", "OpenAI", "GPT-4o, GPT-4.1 and the o-series reasoning models", "sparkles"),
    ("together", "Together AI", "Open models: Llama, Mistral and Qwen", "layers"),
    ("openai_compatible", "OpenAI-compatible", "Your own server: vLLM, Ollama, llama.cpp", "server"),
)
PROVIDER_NAMES: dict[str, str] = {value: provider_label(value) for value, _, _, _ in PROVIDER_CHOICES}
REMOTE: tuple[str, ...] = ("openai", "together", "openai_compatible")

KEY_HINTS: dict[str, str] = {
    "openai": "Used for OpenAI models, in the chain or as fallbacks.",
    "together": "Used for Together AI models, in the chain or as fallbacks.",
    "openai_compatible": "Only if your server asks for one (vLLM --api-key, a gateway token).",
}
KEY_PLACEHOLDERS: dict[str, str] = {
    "openai": "sk-...",
    "together": "Paste your Together API key",
    "openai_compatible": "Optional bearer token",
}

BUDGET_STATES: dict[str, tuple[str, str, str]] = {
    # state: (label, colour, what it means)
    "ok": ("On track", "grass", "Every model in your list may answer."),
    "soft": ("Past the soft limit", "amber", "Your cheapest models answer until the month ends."),
    "hard": (
        "Budget used up",
        "red",
        "The offline provider answers until the budget is raised or the month ends.",
    ),
}

TEST_TITLES: dict[str, str] = {
    "auth_error": "The API key was refused",
    "bad_request": "The provider refused the request",
    "no_credentials": "No API key to test with",
    "rate_limited": "The provider is rate-limiting this key",
    "unavailable": "The provider did not answer properly",
    "timeout": "No answer within 15 seconds",
}

# The engine's form field → the form field its refusal is drawn under.
FIELD_KEYS: dict[str, str] = {
    "provider": "base_url",
    "base_url": "base_url",
    "default_model": "chain",
    "fallback_models": "chain",
    "monthly_budget": "budget",
    "soft_limit_ratio": "soft_limit",
}


@dataclasses.dataclass
class KeyRow:
    """One provider's key, as the key list draws it. Never the key itself."""

    provider: str = ""
    label: str = ""
    hint: str = ""
    placeholder: str = ""
    masked: str = ""
    source: str = ""  # "tenant" | "environment" | ""
    status: str = ""
    color: str = "gray"
    in_use: bool = False
    unverified: bool = False  # saved although the provider refused it when it was checked


@dataclasses.dataclass
class ChainRow:
    """One model of the chain (the default first) with its list price."""

    ref: str = ""
    model: str = ""
    provider: str = ""
    provider_label: str = ""
    role: str = ""
    position: int = 0
    price_in: str = ""
    price_out: str = ""
    tier: str = ""
    note: str = ""
    first: bool = False
    last: bool = False


@dataclasses.dataclass
class ModelPick:
    """A priced model the "Add a model" menu offers."""

    ref: str = ""
    model: str = ""
    prices: str = ""
    tier: str = ""


@dataclasses.dataclass
class SpendRow:
    """This month's spend on one model."""

    model: str = ""
    provider_label: str = ""
    calls: str = ""
    failed: str = ""
    tokens: str = ""
    cost: str = ""
    share: int = 0


def key_rows(keys: list[Any]) -> list[KeyRow]:
    """The key list from the engine's KeyStatus rows; a key saved despite a failed check says so."""
    rows = []
    for k in keys:
        unverified = k.source == "tenant" and k.verified is False
        if unverified:
            status, color = "Saved · unverified", "amber"
        elif k.source == "tenant":
            status, color = "Saved for this workspace", "grass"
        elif k.source == "environment":
            status, color = "From the server's environment", "blue"
        else:
            status, color = "Not set", "gray"
        rows.append(
            KeyRow(
                provider=k.provider,
                label=PROVIDER_NAMES.get(k.provider, k.provider),
                hint=KEY_HINTS.get(k.provider, ""),
                placeholder=KEY_PLACEHOLDERS.get(k.provider, ""),
                masked=k.masked or "",
                source=k.source or "",
                status=status,
                color=color,
                unverified=unverified,
            )
        )
    return rows


def split(ref: str) -> tuple[str, str]:
    head, _, tail = ref.partition(":")
    return head, tail
