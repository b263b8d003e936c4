"""Helpers shared by the LLM layer tests (plain functions, so test modules import them explicitly)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlmodel import select

from engine.db import TenantScope, session_scope
from engine.llm.ledger import CallLedger
from engine.models import AgentConfiguration, LLMCall
from engine.models.base import utcnow

TURN = {
    "reply": "We open at 9am, Monday to Saturday.",
    "intents": [{"name": "faq", "confidence": 0.92}],
    "confidence": 0.9,
    "handoff": {"needed": False, "reason": None},
    "suggestions": [],
    "facts": {},
    "rich": None,
}
MESSAGES = [
    {"role": "system", "content": "You are the assistant of Acme Shoes."},
    {"role": "user", "content": "When do you open?"},
]


@dataclass
class Sleeps:
    """Stands in for time.sleep: records each pause."""

    pauses: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)


def configure(tenant_id: int, **fields: Any) -> None:
    """Set AgentConfiguration fields and commit."""
    with session_scope() as s:
        config = TenantScope(s, tenant_id).first(AgentConfiguration)
        assert config is not None
        for key, value in fields.items():
            setattr(config, key, value)
        s.add(config)


def add_spend(tenant_id: int, cost: str, *, when: Any = None, model: str = "gpt-4o") -> None:
    """An earlier billed call, as if made this month (or at `when`)."""
    with session_scope() as s:
        TenantScope(s, tenant_id).add(
            LLMCall(
                provider="openai",
                model=model,
                status="ok",
                tokens_in=1000,
                tokens_out=100,
                cost=Decimal(cost),
                created_at=when or utcnow(),
            )
        )


def llm_calls(tenant_id: int, ledger: CallLedger | None = None) -> list[LLMCall]:
    """The tenant's LLMCall rows, oldest first, after the ledger wrote what it had queued."""
    if ledger is not None:
        ledger.flush()
    with session_scope() as s:
        query = select(LLMCall).where(LLMCall.tenant_id == tenant_id).order_by(LLMCall.id)  # type: ignore[arg-type]
        return list(s.exec(query).all())
