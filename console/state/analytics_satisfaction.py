"""The Analytics page's Satisfaction rows: engine.analytics.satisfaction's figures as the strings and numbers
the browser draws, and each of its tables' CSV columns. Pure functions (like analytics_rows.py): what the
screen shows is what a CSV holds. Codes become words (engine.agent.labels), times the tenant's zone."""

from __future__ import annotations

from typing import Any

from console.state.formatting import NO_FIGURE, day_label, percent, when
from engine.agent.labels import intent_label
from engine.analytics.satisfaction import Figures, Group, Satisfaction
from engine.conversations.ratings import words

HANDLERS = {"agent": "The agent alone", "person": "With a person"}
KINDS = {"intent": "Request", "product": "Product", "service": "Service"}


def _cells(f: Figures) -> dict[str, str]:
    return {
        "conversations": f"{f.conversations:,}",
        "resolved": percent(f.resolved_pct),
        "csat": percent(f.csat_pct),
        "rated": f"{f.rated:,}",
    }


def summary(s: Satisfaction) -> dict[str, str]:
    t = s.total
    return {
        "resolved": percent(t.resolved_pct),
        "by_agent": percent(t.by_agent_pct),
        "csat": percent(t.csat_pct),
        "rated": f"{t.rated:,} rating{'' if t.rated == 1 else 's'}",
        "decided": f"{t.decided:,} of {t.conversations:,} chats decided",
    }


def trend_series(s: Satisfaction) -> list[dict[str, Any]]:
    """Chart points; a bucket with nothing decided or rated has no point (a gap, not a fall to 0%)."""
    return [
        {"day": day_label(p.day), "resolved": p.figures.by_agent_pct, "csat": p.figures.csat_pct}
        for p in s.trend
    ]


def handler_rows(s: Satisfaction) -> list[dict[str, str]]:
    return [{"name": HANDLERS.get(g.key, g.key), **_cells(g.figures)} for g in s.by_handler]


def _topic_name(g: Group) -> tuple[str, str]:
    kind, _, ref = g.key.partition(":")
    return KINDS.get(kind, kind), intent_label(ref) if kind == "intent" else g.label


def topic_rows(s: Satisfaction) -> list[dict[str, str]]:
    rows = []
    for g in s.by_topic:
        kind, name = _topic_name(g)
        rows.append({"name": name, "kind": kind, **_cells(g.figures)})
    return rows


def knowledge_rows(groups: list[Group]) -> list[dict[str, str]]:
    return [{"name": g.label, **_cells(g.figures)} for g in groups]


def _score(score: int, scale: int) -> str:
    titles = words("en").get(scale)
    index = scale - score
    if isinstance(titles, list) and 0 <= index < len(titles):
        return str(titles[index])
    return f"{score} of {scale}"


def comment_rows(s: Satisfaction, time_zone: str) -> list[dict[str, str]]:
    return [
        {
            "comment": c.comment,
            "score": _score(c.score, c.scale),
            "color": "red" if c.low else "grass",
            "when": when(c.answered_at, time_zone, empty=NO_FIGURE),
            "href": f"/conversations?tab=all&c={c.conversation_id}",
        }
        for c in s.comments
    ]


_FIGURE_COLUMNS = [
    ("Conversations", "conversations"),
    ("Resolved", "resolved"),
    ("CSAT", "csat"),
    ("Ratings", "rated"),
]

# Each table's CSV: (file stem, [(column title, row key)]); keys are the state's row lists.
CSV_TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "satisfaction_handlers": ("satisfaction-by-handler", [("Handled by", "name"), *_FIGURE_COLUMNS]),
    "satisfaction_topics": ("satisfaction-by-topic", [("Kind", "kind"), ("Topic", "name"), *_FIGURE_COLUMNS]),
    "satisfaction_knowledge": (
        "satisfaction-by-knowledge-entry",
        [("Knowledge entry", "name"), *_FIGURE_COLUMNS],
    ),
    "satisfaction_comments": (
        "rating-comments",
        [("Answered", "when"), ("Rating", "score"), ("Comment", "comment")],
    ),
}
SOURCES = {
    "satisfaction_handlers": "sat_handler_rows",
    "satisfaction_topics": "sat_topic_rows",
    "satisfaction_knowledge": "sat_knowledge_rows",
    "satisfaction_comments": "sat_comment_rows",
}


def csv_columns(table: str) -> tuple[str, list[str], list[str]]:
    stem, columns = CSV_TABLES[table]
    return stem, [title for title, _ in columns], [key for _, key in columns]


__all__ = [
    "CSV_TABLES",
    "SOURCES",
    "comment_rows",
    "csv_columns",
    "handler_rows",
    "knowledge_rows",
    "summary",
    "topic_rows",
    "trend_series",
]
