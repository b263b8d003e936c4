"""The Satisfaction section's rows (console/state/analytics_satisfaction.py): words for codes, percentages,
gaps where nothing was decided, the tenant's time zone, and CSV columns matching the rows' keys."""

from __future__ import annotations

from datetime import UTC, date, datetime

from console.state import analytics_satisfaction as sat
from engine.analytics.resolution import RatingComment
from engine.analytics.satisfaction import Figures, Group, Satisfaction, TrendPoint


def test_rows_in_words() -> None:
    s = Satisfaction(
        total=Figures(5, 4, 3, 2, 3, 2),
        trend=[
            TrendPoint(date(2026, 11, 2), Figures(2, 1, 1, 1, 1, 1)),
            TrendPoint(date(2026, 11, 3), Figures()),
        ],
        by_handler=[Group("agent", "agent", Figures(3, 3, 2, 2, 2, 1)), Group("person", "person", Figures())],
        by_topic=[Group("intent:order_status", "order_status", Figures(2, 2, 2, 2, 1, 1))],
        comments=[
            RatingComment(7, 1, 3, True, "late", datetime(2026, 11, 3, 16, 0, tzinfo=UTC)),
            RatingComment(8, 2, 2, False, "fine", datetime(2026, 11, 3, 17, 0, tzinfo=UTC)),
        ],
    )
    assert sat.summary(s) == {
        "resolved": "75%",
        "by_agent": "50%",
        "csat": "67%",
        "rated": "3 ratings",
        "decided": "4 of 5 chats decided",
    }
    assert sat.trend_series(s) == [
        {"day": "Nov 2", "resolved": 100, "csat": 100},
        {"day": "Nov 3", "resolved": None, "csat": None},  # a gap, not 0%
    ]
    assert sat.handler_rows(s)[0] == {
        "name": "The agent alone",
        "conversations": "3",
        "resolved": "67%",
        "csat": "50%",
        "rated": "2",
    }
    assert sat.handler_rows(s)[1]["resolved"] == "—"
    assert sat.topic_rows(s)[0]["name"] == "Order status" and sat.topic_rows(s)[0]["kind"] == "Request"
    comments = sat.comment_rows(s, "America/New_York")
    assert comments[0] == {
        "comment": "late",
        "score": "🙁 Bad",
        "color": "red",
        "when": "Nov 3, 2026 · 11:00",
        "href": "/conversations?tab=all&c=7",
    }
    assert (comments[1]["score"], comments[1]["color"]) == ("👍 Good", "grass")  # 2 of 2: the scale's best
    for table, (_, columns) in sat.CSV_TABLES.items():
        rows = {"satisfaction_handlers": sat.handler_rows(s), "satisfaction_topics": sat.topic_rows(s)}.get(
            table
        )
        if rows:
            assert all(key in rows[0] for _, key in columns)
