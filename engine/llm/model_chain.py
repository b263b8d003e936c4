"""The tenant's model chain as a page shows it: each model with its provider's name, its list prices, its
tier and a note; and the priced models a picker may add.

Two console pages draw the chain (Persona → Models, Settings → AI providers). The rules behind those rows —
which provider a bare model name belongs to, what a model costs, that your own server charges nothing per
token, which model to suggest for a provider — live here once, so the two pages cannot disagree. Everything
is read from the dated price table (pricing.json, cached): no database, cheap enough to run on every edit of
a draft. Prices stay Decimal; the console formats them in the pricing table's currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from engine.llm.factory import REMOTE_PROVIDERS, split_model_ref
from engine.llm.pricing import ModelInfo, load_pricing, model_info

# The providers with a price list to pick from; an OpenAI-compatible server names its own models.
PRICED_PROVIDERS: tuple[str, ...] = ("openai", "together")
PROVIDER_LABELS: dict[str, str] = {
    "offline": "Offline",
    "openai": "OpenAI",
    "together": "Together AI",
    "openai_compatible": "OpenAI-compatible",
}
TIER_LABELS: dict[int, str] = {1: "FAQ answers", 2: "Several requests", 3: "Complex reasoning"}
MAX_FALLBACKS = 5
MAX_CHAIN = 1 + MAX_FALLBACKS
UNLISTED_NOTE = "Not in the price list: charged at this rate to stay on the safe side"
OWN_SERVER_NOTE = "Your server: no per-token charge"


@dataclass(frozen=True, slots=True)
class ChainModel:
    """One model of a chain or of a picker, with what the page says about it."""

    ref: str  # "provider:model", whatever the tenant's provider
    stored_ref: str  # what the configuration stores: a bare name for the tenant's own provider's models
    provider: str
    provider_label: str
    model: str
    role: str  # "Default" | "Fallback 1" … ("" in a picker)
    input_per_million: Decimal
    output_per_million: Decimal
    free: bool  # your own server: no per-token charge
    tier: int
    tier_label: str
    priced: bool  # named in the price list
    note: str


def provider_label(provider: str) -> str:
    return PROVIDER_LABELS.get(provider, provider)


def pricing_as_of() -> date | None:
    return load_pricing().as_of


def pricing_currency() -> str:
    """AI prices and budgets are in the providers' billing currency, not the shop's."""
    return load_pricing().currency


def qualify(ref: str, provider: str) -> str:
    """The reference as "provider:model", the way `split_model_ref` reads it.

    A bare name belongs to the tenant's provider; under the offline provider, to the priced provider whose
    list names it (OpenAI when none does: the engine's default model is OpenAI's).
    """
    head, sep, tail = ref.partition(":")
    if sep and head in REMOTE_PROVIDERS and tail:
        return ref
    if provider in REMOTE_PROVIDERS:
        return f"{provider}:{ref}"
    table = load_pricing()
    owner = next((p for p in PRICED_PROVIDERS if any(i.model == ref for i in table.models(p))), "openai")
    return f"{owner}:{ref}"


def owner_and_model(ref: str, provider: str) -> tuple[str, str]:
    """The provider a model reference runs on and the model's own name (a blank ref: the provider's, "")."""
    ref = (ref or "").strip()
    if not ref:
        return (provider if provider in REMOTE_PROVIDERS else "openai"), ""
    return split_model_ref(qualify(ref, provider), provider)


def stored_ref(ref: str, provider: str) -> str:
    """What the engine stores: a bare name for the selected provider's models, "provider:model" otherwise."""
    owner, model = split_model_ref(ref, provider)
    return model if owner == provider else f"{owner}:{model}"


def _row(provider: str, model: str, tenant_provider: str, role: str, info: ModelInfo) -> ChainModel:
    free = provider == "openai_compatible"
    note = OWN_SERVER_NOTE if free else ("" if info.priced else UNLISTED_NOTE)
    ref = f"{provider}:{model}"
    return ChainModel(
        ref=ref,
        stored_ref=stored_ref(ref, tenant_provider),
        provider=provider,
        provider_label=provider_label(provider),
        model=model,
        role=role,
        input_per_million=info.input_per_million,
        output_per_million=info.output_per_million,
        free=free,
        tier=info.tier,
        tier_label=TIER_LABELS.get(info.tier, f"Tier {info.tier}"),
        priced=info.priced or free,
        note=note,
    )


def model_chain(provider: str, refs: Sequence[str]) -> list[ChainModel]:
    """The chain in order (the default first), one row per ref, each model with its prices."""
    rows = []
    for index, ref in enumerate(refs):
        owner, model = owner_and_model(ref, provider)
        role = "Default" if index == 0 else f"Fallback {index}"
        rows.append(_row(owner, model, provider, role, model_info(owner, model)))
    return rows


def model_choices(provider: str, exclude: Iterable[str] = ()) -> list[ChainModel]:
    """The priced models a picker offers (price-list order, OpenAI first), less those already chosen."""
    chosen = {qualify(r, provider) for r in exclude if r}
    table = load_pricing()
    return [
        _row(p, info.model, provider, "", info)
        for p in PRICED_PROVIDERS
        for info in table.models(p)
        if f"{p}:{info.model}" not in chosen
    ]


def suggested_model(provider: str) -> str:
    """The cheapest listed model of `provider` that handles several requests per message (what most shops
    need), as "provider:model"; "" when the provider has no price list."""
    listed = [
        (info.input_per_million + info.output_per_million, info.model)
        for info in load_pricing().models(provider)
        if info.tier == 2
    ]
    return f"{provider}:{min(listed)[1]}" if provider in PRICED_PROVIDERS and listed else ""


__all__ = [
    "MAX_CHAIN",
    "MAX_FALLBACKS",
    "PRICED_PROVIDERS",
    "PROVIDER_LABELS",
    "TIER_LABELS",
    "ChainModel",
    "model_chain",
    "owner_and_model",
    "model_choices",
    "pricing_as_of",
    "pricing_currency",
    "provider_label",
    "qualify",
    "stored_ref",
    "suggested_model",
]
