"""REST shapes of /api/v1/analytics/satisfaction (the route is in analytics_api.py with its siblings):
engine.analytics.satisfaction's figures as JSON, and the OpenAPI example."""

from __future__ import annotations

from typing import Any

from engine.agent.labels import intent_label
from engine.analytics.satisfaction import Figures, Group, Satisfaction

HANDLERS = {"agent": "The agent alone", "person": "With a person"}


def figures(f: Figures) -> dict[str, Any]:
    return {
        "conversations": f.conversations,
        "decided": f.decided,
        "resolved": f.resolved,
        "resolved_pct": f.resolved_pct,
        "resolved_by_agent": f.by_agent,
        "resolved_by_agent_pct": f.by_agent_pct,
        "rated": f.rated,
        "rated_good": f.good,
        "csat_pct": f.csat_pct,
    }


def _topic(g: Group) -> dict[str, Any]:
    kind, _, ref = g.key.partition(":")
    label = intent_label(ref) if kind == "intent" else g.label
    return {"kind": kind, "key": g.key, "label": label, **figures(g.figures)}


def satisfaction_body(s: Satisfaction) -> dict[str, Any]:
    return {
        "totals": figures(s.total),
        "series": [{"date": p.day.isoformat(), **figures(p.figures)} for p in s.trend],
        "by_handler": [
            {"handler": g.key, "label": HANDLERS[g.key], **figures(g.figures)} for g in s.by_handler
        ],
        "by_topic": [_topic(g) for g in s.by_topic],
        "by_knowledge_entry": [
            {"entry_id": int(g.key.partition(":")[2]), "title": g.label, **figures(g.figures)}
            for g in s.by_knowledge
        ],
        "comments": [
            {
                "conversation_id": c.conversation_id,
                "score": c.score,
                "scale": c.scale,
                "low": c.low,
                "comment": c.comment,
                "answered_at": c.answered_at.isoformat(),
            }
            for c in s.comments
        ],
    }


_FIGURES = {
    "conversations": 412,
    "decided": 380,
    "resolved": 352,
    "resolved_pct": 93,
    "resolved_by_agent": 301,
    "resolved_by_agent_pct": 79,
    "rated": 120,
    "rated_good": 102,
    "csat_pct": 85,
}
EXAMPLE: dict[str, Any] = {
    "totals": _FIGURES,
    "series": [{"date": "2026-11-01", **_FIGURES}],
    "by_handler": [{"handler": "agent", "label": "The agent alone", **_FIGURES}],
    "by_topic": [{"kind": "intent", "key": "intent:order_status", "label": "Order status", **_FIGURES}],
    "by_knowledge_entry": [{"entry_id": 31, "title": "Delivery times", **_FIGURES}],
    "comments": [
        {
            "conversation_id": 812,
            "score": 1,
            "scale": 3,
            "low": True,
            "comment": "The courier never came",
            "answered_at": "2026-11-29T17:02:11+00:00",
        }
    ],
}

__all__ = ["EXAMPLE", "figures", "satisfaction_body"]
