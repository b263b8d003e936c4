"""The ratings of the open conversation, as rows for the inbox's context pane (engine.conversations.ratings):
what the customer tapped and wrote, or why they were not asked."""

from __future__ import annotations

from console.state.formatting import when
from engine.conversations import ratings
from engine.db import session_scope

BY = {"staff": "after your team closed it", "agent": "after the agent resolved it"}


def rating_rows(tenant_id: int, conversation_id: int, time_zone: str) -> list[dict[str, str]]:
    with session_scope() as db:
        views = ratings.ratings_of(db, tenant_id, conversation_id)
    rows = []
    for v in reversed(views):  # newest first
        rows.append(
            {
                "label": v.score_label or v.status_label,
                "detail": v.status_label if v.score_label else "",
                "comment": v.comment or "",
                "when": when(v.answered_at or v.asked_at, time_zone, empty=""),
                "tone": "red" if v.is_low else ("grass" if v.score is not None else "gray"),
                "by": BY.get(v.resolved_by, ""),
            }
        )
    return rows
