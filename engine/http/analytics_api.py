"""REST: /api/v1/analytics — the figures of the Analytics page for a range of days. Scope `analytics:view`.

Every route takes `from` and `to` (local dates, both included; default: the last 30 days), `granularity`
(day, week or month: how the series are bucketed) and `tz` (an IANA zone; default: the tenant's). A range
that ends before it starts, is longer than engine.analytics.periods.MAX_DAYS or names an unknown zone is 422
naming the parameter. Money is a decimal string in the provider's billing currency, given beside it with the
date of the price table. Figures are computed by engine/analytics, the same functions the console calls.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlmodel import Session

from engine.accounts.api_tokens import ApiPrincipal
from engine.agent.labels import HANDOFF_CATEGORIES, humanize, intent_label, model_label
from engine.analytics import gaps
from engine.analytics.costs import costs
from engine.analytics.handoffs import handoffs
from engine.analytics.performance import Times, performance
from engine.analytics.periods import Period, PeriodError, make_period
from engine.analytics.report import tenant_zone
from engine.analytics.satisfaction import satisfaction
from engine.analytics.topics import topics
from engine.analytics.traffic import traffic
from engine.http.analytics_satisfaction import EXAMPLE as SATISFACTION_EXAMPLE
from engine.http.analytics_satisfaction import satisfaction_body
from engine.http.api_docs import errors
from engine.http.deps import db_session, require_scope
from engine.security.scopes import Scope

router = APIRouter(prefix="/analytics", tags=["analytics"])
view = require_scope(Scope.ANALYTICS_VIEW.value)

From = Annotated[date | None, Query(alias="from", description="first local day, included (YYYY-MM-DD)")]
To = Annotated[date | None, Query(description="last local day, included (YYYY-MM-DD)")]
Grain = Annotated[Literal["day", "week", "month"], Query(description="how series are bucketed")]
Zone = Annotated[str | None, Query(max_length=64, description="IANA time zone; default: the tenant's")]

RANGE_EXAMPLE = {"from": "2026-11-01", "to": "2026-11-30", "granularity": "day", "tz": "Europe/London"}


def asked_period(
    first: From = None,
    to: To = None,
    granularity: Grain = "day",
    tz: Zone = None,
    principal: ApiPrincipal = Depends(view),
    session: Session = Depends(db_session),
) -> Period:
    """The range every route takes, read once here; a bad one is 422 naming the parameter."""
    try:
        return make_period(first, to, tz or tenant_zone(session, principal.tenant_id), granularity)
    except PeriodError as exc:
        raise HTTPException(422, detail=f"{exc.field}: {exc.message}") from exc


Asked = Annotated[Period, Depends(asked_period)]


def _range(period: Period) -> dict[str, Any]:
    return {
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "granularity": period.granularity,
        "tz": period.tz,
    }


def _ok(example: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"content": {"application/json": {"example": {"range": RANGE_EXAMPLE, **example}}}},
        **errors(422),
    }


def _times(t: Times) -> dict[str, Any]:
    return {"p50_seconds": t.p50, "p95_seconds": t.p95, "p99_seconds": t.p99, "count": t.count}


@router.get(
    "/conversations",
    responses=_ok(
        {
            "totals": {"conversations": 412, "with_person": 63, "messages_in": 2210, "messages_out": 2188},
            "resolution": {
                "by_agent": 301,
                "by_person": 58,
                "unresolved": 21,
                "pending": 32,
                "by_agent_pct": 79,
            },
            "series": [
                {
                    "date": "2026-11-01",
                    "conversations": 14,
                    "by_agent": 12,
                    "with_person": 2,
                    "messages_in": 70,
                    "messages_out": 66,
                }
            ],
        }
    ),
)
def conversations(
    period: Asked,
    principal: ApiPrincipal = Depends(view),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Conversations and messages per day (or week, month), who handled them (the agent alone or a person) and
    how they ended (resolved by the agent, by a person, unresolved, too early to tell)."""
    t = traffic(session, principal.tenant_id, period)
    return {
        "range": _range(period),
        "totals": {
            "conversations": t.conversations,
            "with_person": t.with_person,
            "messages_in": t.messages_in,
            "messages_out": t.messages_out,
        },
        "resolution": {
            "by_agent": t.resolved_by_agent,
            "by_person": t.resolved_by_person,
            "unresolved": t.unresolved,
            "pending": t.pending,
            "by_agent_pct": t.resolved_by_agent_pct,
            "csat_pct": t.csat_pct,
        },
        "series": [
            {
                "date": d.day.isoformat(),
                "conversations": d.conversations,
                "by_agent": d.by_agent,
                "with_person": d.with_person,
                "messages_in": d.messages_in,
                "messages_out": d.messages_out,
            }
            for d in t.days
        ],
    }


@router.get(
    "/handoffs",
    responses=_ok(
        {
            "conversations": 380,
            "handed_off": 57,
            "rate_pct": 15,
            "taken_over": 6,
            "reasons": [
                {
                    "category": "no_answer",
                    "label": "No answer in your knowledge or catalog",
                    "count": 21,
                    "share_pct": 33,
                }
            ],
        }
    ),
)
def handoff_figures(
    period: Asked,
    principal: ApiPrincipal = Depends(view),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """The share of answered conversations the agent handed to a person, and why, by category (staff taking
    a conversation over is the category `staff`)."""
    h = handoffs(session, principal.tenant_id, period)
    return {
        "range": _range(period),
        "conversations": h.conversations,
        "handed_off": h.handed_off,
        "rate_pct": h.rate_pct,
        "taken_over": h.taken_over,
        "reasons": [
            {
                "category": r.category,
                "label": HANDOFF_CATEGORIES.get(r.category) or humanize(r.category),
                "count": r.count,
                "share_pct": r.share_pct,
            }
            for r in h.reasons
        ],
    }


@router.get(
    "/costs",
    responses=_ok(
        {
            "currency": "USD",
            "prices_as_of": "2025-06-01",
            "total": "12.418220",
            "per_conversation": "0.030141",
            "tokens_in": 5120000,
            "tokens_out": 610000,
            "per_model": [
                {
                    "provider": "openai",
                    "model": "gpt-4o-mini",
                    "label": "gpt-4o-mini",
                    "calls": 1204,
                    "tokens_in": 5120000,
                    "tokens_out": 610000,
                    "cost": "12.418220",
                }
            ],
            "per_provider": [{"provider": "openai", "cost": "12.418220"}],
            "series": [
                {"date": "2026-11-01", "provider": "openai", "model": "gpt-4o-mini", "cost": "0.412000"}
            ],
            "top_conversations": [{"conversation_id": 812, "calls": 9, "tokens": 21000, "cost": "0.094100"}],
        }
    ),
)
def cost_figures(
    period: Asked,
    principal: ApiPrincipal = Depends(view),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Tokens and money per model, provider, day and conversation (every billed call, retries included), in
    the providers' billing currency with the date of the price table."""
    c = costs(session, principal.tenant_id, period)
    return {
        "range": _range(period),
        "currency": c.currency,
        "prices_as_of": c.prices_as_of.isoformat(),
        "total": str(c.total),
        "per_conversation": str(c.per_conversation),
        "calls": c.calls,
        "conversations": c.conversations,
        "tokens_in": c.tokens_in,
        "tokens_out": c.tokens_out,
        "per_model": [
            {
                "provider": m.provider,
                "model": m.model,
                "label": model_label(m.model, m.provider) or m.model,
                "calls": m.calls,
                "tokens_in": m.tokens_in,
                "tokens_out": m.tokens_out,
                "cost": str(m.cost),
            }
            for m in c.per_model
        ],
        "per_provider": [{"provider": p, "cost": str(v)} for p, v in c.per_provider],
        "series": [
            {"date": d.isoformat(), "provider": p, "model": m, "cost": str(v)} for d, p, m, v in c.per_day
        ],
        "top_conversations": [
            {"conversation_id": x.conversation_id, "calls": x.calls, "tokens": x.tokens, "cost": str(x.cost)}
            for x in c.top_conversations
        ],
    }


@router.get(
    "/topics",
    responses=_ok(
        {
            "intents": [{"intent": "order_status", "label": "Order status", "turns": 311}],
            "items": [{"key": "product:14", "name": "Trail runner", "conversations": 41}],
        }
    ),
)
def topic_figures(
    period: Asked,
    principal: ApiPrincipal = Depends(view),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """What customers write about: the most frequent intents of the agent's turns, and the products and
    services conversations were about."""
    t = topics(session, principal.tenant_id, period)
    return {
        "range": _range(period),
        "intents": [{"intent": c.key, "label": intent_label(c.key), "turns": c.count} for c in t.intents],
        "items": [{"key": c.key, "name": c.label, "conversations": c.count} for c in t.items],
    }


@router.get(
    "/performance",
    responses=_ok(
        {
            "first_response": {"p50_seconds": 6.2, "p95_seconds": 41.0, "p99_seconds": 180.5, "count": 398},
            "agent_reply": {"p50_seconds": 5.8, "p95_seconds": 12.1, "p99_seconds": 30.0, "count": 2011},
            "person_reply": {"p50_seconds": 420.0, "p95_seconds": 3600.0, "p99_seconds": 7200.0, "count": 96},
            "turns": 2110,
            "knowledge_hit_pct": 64,
            "spelling_accepted_pct": 81,
            "suggestions_accepted_pct": 12,
            "forgot_recovered_pct": 75,
            "message_kinds": [{"kind": "text", "turns": 1800}, {"kind": "buttons", "turns": 310}],
        }
    ),
)
def performance_figures(
    period: Asked,
    principal: ApiPrincipal = Depends(view),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Response times (first response, agent and person replies: p50/p95/p99 in seconds) and the quality of
    the agent's turns: knowledge hit rate, spelling and suggestion acceptance, "did you forget" recoveries and
    the kinds of message sent."""
    p = performance(session, principal.tenant_id, period)
    return {
        "range": _range(period),
        "first_response": _times(p.first_response),
        "agent_reply": _times(p.agent_reply),
        "person_reply": _times(p.person_reply),
        "turns": p.turns,
        "knowledge_hit_pct": p.knowledge_hits.pct,
        "spelling_accepted_pct": p.spelling_accepted.pct,
        "suggestions_accepted_pct": p.suggestions_accepted.pct,
        "forgot_recovered_pct": p.forgot_recovered.pct,
        "message_kinds": [{"kind": k, "turns": n} for k, n in p.message_kinds],
    }


@router.get(
    "/knowledge-gaps",
    responses=_ok(
        {
            "computed_at": "2026-11-30T03:00:00Z",
            "groups": [
                {
                    "id": 7,
                    "question": "Do you gift wrap?",
                    "count": 9,
                    "examples": ["can you wrap it"],
                    "reasons": {"no_hit": 7, "no_answer": 2},
                    "last_seen_at": "2026-11-29T17:02:11Z",
                }
            ],
        }
    ),
)
def knowledge_gap_figures(
    period: Asked,
    principal: ApiPrincipal = Depends(view),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Customer questions the agent could not answer, grouped by meaning by the nightly job, largest group
    first; groups last seen in the range."""
    found = gaps.list_gaps(session, principal.tenant_id, since=period.since, until=period.until)
    return {
        "range": _range(period),
        "computed_at": found[0].computed_at.isoformat() if found else None,
        "groups": [
            {
                "id": g.id,
                "question": g.question,
                "count": g.size,
                "examples": g.examples,
                "reasons": g.reasons,
                "last_seen_at": g.last_seen_at.isoformat(),
            }
            for g in found
        ],
    }


@router.get("/satisfaction", responses=_ok(SATISFACTION_EXAMPLE))
def satisfaction_figures(
    period: Asked,
    principal: ApiPrincipal = Depends(view),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Resolution rate and CSAT (the share of good ratings) for the range and per day (or week, month), by
    handler (the agent alone or with a person), by topic (requests and catalog items) and by the knowledge
    entry the agent's answers used, with the customers' latest comments. A conversation counts in the range
    it was last active in; a rating in the range it was answered in; rates are over the decided
    conversations (pending ones, still inside the resolution window or waiting for a person, are left out)."""
    return {"range": _range(period), **satisfaction_body(satisfaction(session, principal.tenant_id, period))}
