"""Monthly spend control per tenant, in money.

Spend is the sum of LLMCall costs since the start of the month in the tenant's time zone (every attempt that
was billed, including discarded invalid answers). Before a call its cost is estimated and checked against what
is left (the fallback chain's `admit`); past the soft limit the cheapest models answer; at the hard limit the
offline provider answers and the owner is alerted once a month (an audit_log row the console surfaces).
A budget of zero means no paid calls at all.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from sqlalchemy import case, func
from sqlmodel import Session, select

from engine.accounts import audit
from engine.db import TenantScope, session_scope
from engine.llm.ledger import month_key, month_start, query_month_spend
from engine.llm.pricing import load_pricing
from engine.models import AgentConfiguration, AuditLog, LLMCall, Tenant
from engine.models.base import utcnow

logger = logging.getLogger("engine.llm.budget")

BudgetState = Literal["ok", "soft", "hard"]
ALERT_ACTIONS = {"soft": "llm.budget.soft_limit", "hard": "llm.budget.hard_limit"}
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    tenant_id: int
    month: str  # "2025-06", in the tenant's time zone
    currency: str
    budget: Decimal
    soft_limit: Decimal
    spent: Decimal
    state: BudgetState

    @property
    def remaining(self) -> Decimal:
        return max(self.budget - self.spent, Decimal(0))

    @property
    def used_ratio(self) -> float:
        return float(self.spent / self.budget) if self.budget > 0 else 1.0

    def allows(self, estimate: Decimal) -> bool:
        """Whether a call estimated at `estimate` fits in what is left this month."""
        return self.state != "hard" and estimate <= self.remaining


def evaluate(
    tenant_id: int,
    *,
    budget: Decimal,
    soft_limit_ratio: float,
    spent: Decimal,
    month: str,
    currency: str = "USD",
) -> BudgetStatus:
    """The budget state for a spend figure (pure: the cached and the database paths share it)."""
    budget = Decimal(budget)
    ratio = Decimal(str(min(max(soft_limit_ratio, 0.0), 1.0)))
    soft_limit = (budget * ratio).quantize(CENT, rounding=ROUND_HALF_UP)
    state: BudgetState
    if spent >= budget:
        state = "hard"
    elif spent >= soft_limit:
        state = "soft"
    else:
        state = "ok"
    return BudgetStatus(
        tenant_id=tenant_id,
        month=month,
        currency=currency,
        budget=budget,
        soft_limit=soft_limit,
        spent=spent,
        state=state,
    )


def _tenant_and_config(session: Session, tenant_id: int) -> tuple[Tenant, AgentConfiguration]:
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise LookupError(f"tenant {tenant_id} not found")
    config = TenantScope(session, tenant_id).first(AgentConfiguration)
    return tenant, config or AgentConfiguration(tenant_id=tenant_id)


def month_spend(session: Session, tenant_id: int, *, now: datetime | None = None) -> Decimal:
    """This month's spend straight from the database (the console; the hot path uses the ledger's cache)."""
    tenant = session.get(Tenant, tenant_id)
    time_zone = tenant.time_zone if tenant else "UTC"
    return query_month_spend(session, tenant_id, month_start(now or utcnow(), time_zone))


def budget_status(session: Session, tenant_id: int, *, now: datetime | None = None) -> BudgetStatus:
    tenant, config = _tenant_and_config(session, tenant_id)
    now = now or utcnow()
    spent = query_month_spend(session, tenant_id, month_start(now, tenant.time_zone))
    return evaluate(
        tenant_id,
        budget=config.monthly_budget,
        soft_limit_ratio=config.budget_soft_limit_ratio,
        spent=spent,
        month=month_key(now, tenant.time_zone),
        # Providers bill in the price list's currency; converting would need exchange rates we don't have.
        currency=load_pricing().currency,
    )


# -- owner alerts --------------------------------------------------------------------------------------------

_alerted: set[tuple[int, str, str]] = set()
_alert_lock = threading.Lock()


def alert_once(status: BudgetStatus, *, time_zone: str = "UTC", now: datetime | None = None) -> bool:
    """Record the owner alert for the soft or hard limit, once per tenant and month; True if written now.

    Runs in its own transaction: the alert must stand even if the turn that crossed the limit fails later.
    """
    if status.state == "ok":
        return False
    key = (status.tenant_id, status.month, status.state)
    with _alert_lock:
        if key in _alerted:
            return False
        _alerted.add(key)
    action = ALERT_ACTIONS[status.state]
    since = month_start(now or utcnow(), time_zone)
    try:
        with session_scope() as session:
            existing = TenantScope(session, status.tenant_id).first(
                AuditLog, AuditLog.action == action, AuditLog.created_at >= since
            )
            if existing is not None:
                return False
            audit.record(
                session,
                status.tenant_id,
                action,
                actor_label="llm budget",
                target_type="budget",
                target_id=status.month,
                details={
                    "month": status.month,
                    "budget": str(status.budget),
                    "spent": str(status.spent),
                    "soft_limit": str(status.soft_limit),
                    "currency": status.currency,
                    "message": (
                        "Monthly AI budget reached: customers are answered by the offline provider until the "
                        "budget is raised or the month ends."
                        if status.state == "hard"
                        else "Monthly AI budget past its soft limit: the cheapest models are used."
                    ),
                },
            )
    except Exception:
        with _alert_lock:
            _alerted.discard(key)  # try again on the next call
        logger.exception("budget alert for tenant %s could not be recorded", status.tenant_id)
        return False
    logger.warning(
        "tenant %s budget %s: spent %s of %s %s",
        status.tenant_id,
        status.state,
        status.spent,
        status.budget,
        status.currency,
    )
    return True


def forget_alerts() -> None:
    """Tests reuse tenant ids across cases."""
    with _alert_lock:
        _alerted.clear()


# -- the console's summary -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelSpend:
    provider: str
    model: str
    calls: int
    failed: int
    tokens_in: int
    tokens_out: int
    cost: Decimal


@dataclass(frozen=True, slots=True)
class SpendSummary:
    """Page-sized figures for Settings → AI providers and the dashboard (no ORM objects)."""

    status: BudgetStatus
    calls: int
    failed_calls: int
    offline_answers: int
    by_model: list[ModelSpend] = field(default_factory=list)
    by_day: list[tuple[date, Decimal]] = field(default_factory=list)
    pricing_as_of: date | None = None

    @property
    def state(self) -> BudgetState:
        return self.status.state


def spend_summary(session: Session, tenant_id: int, *, now: datetime | None = None) -> SpendSummary:
    """This month's spend: total against the budget, per model, per (UTC) day, failures, offline answers."""
    status = budget_status(session, tenant_id, now=now)
    tenant = session.get(Tenant, tenant_id)
    since = month_start(now or utcnow(), tenant.time_zone if tenant else "UTC")
    in_month = (LLMCall.tenant_id == tenant_id, LLMCall.created_at >= since)

    failed = func.sum(case((LLMCall.status.in_(("error", "retry")), 1), else_=0))  # type: ignore[attr-defined]
    rows = session.exec(
        select(  # type: ignore[call-overload]
            LLMCall.provider,
            LLMCall.model,
            func.count(),
            failed,
            func.coalesce(func.sum(LLMCall.tokens_in), 0),
            func.coalesce(func.sum(LLMCall.tokens_out), 0),
            func.coalesce(func.sum(LLMCall.cost), 0),
        )
        .where(*in_month)
        .group_by(LLMCall.provider, LLMCall.model)
    ).all()
    by_model = sorted(
        (
            ModelSpend(
                provider=provider,
                model=model,
                calls=int(calls),
                failed=int(failures or 0),
                tokens_in=int(t_in),
                tokens_out=int(t_out),
                cost=_money(cost),
            )
            for provider, model, calls, failures, t_in, t_out, cost in rows
        ),
        key=lambda m: m.cost,
        reverse=True,
    )
    day = func.date(LLMCall.created_at)
    day_rows = session.exec(
        select(day, func.coalesce(func.sum(LLMCall.cost), 0))  # type: ignore[call-overload]
        .where(*in_month)
        .group_by(day)
        .order_by(day)
    ).all()
    by_day = [
        (
            d if isinstance(d, date) else date.fromisoformat(str(d)),
            Decimal(str(c)).quantize(Decimal("0.000001")),
        )
        for d, c in day_rows
    ]
    return SpendSummary(
        status=status,
        calls=sum(m.calls for m in by_model if m.provider != "offline"),
        failed_calls=sum(m.failed for m in by_model),
        offline_answers=sum(m.calls for m in by_model if m.provider == "offline"),
        by_model=by_model,
        by_day=by_day,
        pricing_as_of=load_pricing().as_of,
    )


__all__ = [
    "BudgetStatus",
    "ModelSpend",
    "SpendSummary",
    "alert_once",
    "budget_status",
    "evaluate",
    "forget_alerts",
    "month_spend",
    "spend_summary",
]


def _money(value: object) -> Decimal:
    """A summed cost back at the column's precision (SQLite sums numerics as floats)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.000001"))
