"""The Analytics page's rows: engine.analytics's report turned into the strings and numbers the browser draws.

Pure functions, so the console state stays a thin loader and each table's CSV is built from the same rows the
screen shows (what you see is what you export). Money is in the providers' billing currency with the price
table's date; times are in words (formatting.duration); codes become words through engine.agent.labels.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from console.state.formatting import NO_FIGURE, day_label, duration, money, percent
from engine.agent.labels import HANDOFF_CATEGORIES, humanize, intent_label, model_label
from engine.analytics.gaps import GapView
from engine.analytics.report import AnalyticsReport, Kpi
from engine.llm.model_chain import provider_label

CURRENCY_NAMES = {"USD": "US dollars", "EUR": "euros", "GBP": "pounds sterling"}
SERIES = ("m1", "m2", "m3", "other")  # the cost chart's bars: the three dearest models and the rest
OTHER = "Other models"

# (key, label, what it means: the card's tooltip, the unit the value is shown in, good when it goes up?)
KPIS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("conversations", "Conversations", "WhatsApp chats that started in the range.", "count", True),
    (
        "resolved_pct",
        "Resolved by the agent",
        "Of the chats decided in the range, the share the agent settled: rated well, or the customer did not "
        "come back after its answer, with no person involved.",
        "pct",
        True,
    ),
    (
        "handoff_pct",
        "Handoff rate",
        "Of the chats the agent answered, the share it passed to a person.",
        "pct",
        False,
    ),
    (
        "first_response_p50",
        "First response",
        "Half of your customers got their first reply faster than this.",
        "seconds",
        False,
    ),
    ("spend", "AI spend", "What your AI providers billed for the range, retries included.", "money", False),
)


def _value(kpi: Kpi, unit: str, currency: str) -> str:
    if kpi.value is None:
        return NO_FIGURE
    if unit == "pct":
        return percent(round(kpi.value))
    if unit == "seconds":
        return duration(kpi.value)
    if unit == "money":
        return money(Decimal(str(kpi.value)), currency, precise=True)
    return f"{int(kpi.value):,}"


def kpi_cards(report: AnalyticsReport) -> list[dict[str, str]]:
    cards = []
    for key, label, meaning, unit, up_is_good in KPIS:
        kpi: Kpi = getattr(report, key)
        change = kpi.change_pct
        if change is None:
            change_text, color = "No earlier figure to compare", "gray"
        elif change == 0:
            change_text, color = "Same as the previous period", "gray"
        else:
            better = (change > 0) == up_is_good
            change_text = f"{'+' if change > 0 else ''}{change}% vs previous period"
            color = "grass" if better else "red"
        cards.append(
            {
                "key": key,
                "label": label,
                "meaning": meaning,
                "value": _value(kpi, unit, report.costs.currency),
                "change": change_text,
                "color": color,
            }
        )
    return cards


def conversation_series(report: AnalyticsReport) -> list[dict[str, Any]]:
    return [
        {"day": day_label(d.day), "agent": d.by_agent, "person": d.with_person, "total": d.conversations}
        for d in report.traffic.days
    ]


def conversation_rows(report: AnalyticsReport) -> list[dict[str, str]]:
    return [
        {
            "day": d.day.isoformat(),
            "conversations": str(d.conversations),
            "agent": str(d.by_agent),
            "person": str(d.with_person),
            "messages_in": str(d.messages_in),
            "messages_out": str(d.messages_out),
        }
        for d in report.traffic.days
    ]


def time_rows(report: AnalyticsReport) -> list[dict[str, Any]]:
    perf = report.performance
    rows = []
    for what, t in (
        ("First response", perf.first_response),
        ("Agent replies", perf.agent_reply),
        ("Your team's replies", perf.person_reply),
    ):
        rows.append(
            {
                "what": what,
                "p50": duration(t.p50),
                "p95": duration(t.p95),
                "p99": duration(t.p99),
                "count": f"{t.count:,}",
                "p50_s": round(t.p50 or 0, 1),
                "p95_s": round(t.p95 or 0, 1),
            }
        )
    return rows


def _names(report: AnalyticsReport) -> list[tuple[str, str]]:
    """(provider, model) of the chart's three named series: the dearest models of the range."""
    return [(m.provider, m.model) for m in report.costs.per_model[:3]]


def cost_series_names(report: AnalyticsReport) -> list[str]:
    names = [model_label(m, p) or m for p, m in _names(report)]
    return names + [""] * (3 - len(names)) + [OTHER]


def cost_series(report: AnalyticsReport) -> list[dict[str, Any]]:
    """Cost per day (or week, month) as chart points: floats for drawing only; the table keeps Decimals."""
    named = {key: SERIES[i] for i, key in enumerate(_names(report))}
    points: dict[str, dict[str, Any]] = {}
    order = [d.day for d in report.traffic.days] or sorted({d for d, _, _, _ in report.costs.per_day})
    for day in order:
        points[day.isoformat()] = {"day": day_label(day), **dict.fromkeys(SERIES, 0.0)}
    for day, provider, model, cost in report.costs.per_day:
        point = points.setdefault(day.isoformat(), {"day": day_label(day), **dict.fromkeys(SERIES, 0.0)})
        series = named.get((provider, model), "other")
        point[series] = round(point[series] + float(cost), 6)
    return list(points.values())


def cost_rows(report: AnalyticsReport) -> list[dict[str, str]]:
    c = report.costs
    return [
        {
            "model": model_label(m.model, m.provider) or m.model,
            "provider": provider_label(m.provider),
            "calls": f"{m.calls:,}",
            "tokens_in": f"{m.tokens_in:,}",
            "tokens_out": f"{m.tokens_out:,}",
            "cost": money(m.cost, c.currency, precise=True),
            "amount": str(m.cost),
        }
        for m in c.per_model
    ]


def currency_note(report: AnalyticsReport) -> str:
    c = report.costs
    name = CURRENCY_NAMES.get(c.currency.upper(), c.currency.upper())
    as_of = c.prices_as_of
    return f"In {name}, as your AI providers bill · prices as of {as_of:%b} {as_of.day}, {as_of.year}"


def handoff_rows(report: AnalyticsReport) -> list[dict[str, str]]:
    return [
        {
            "category": r.category,
            "label": HANDOFF_CATEGORIES.get(r.category) or humanize(r.category),
            "count": str(r.count),
            "share": f"{r.share_pct}%",
            "href": f"/conversations?tab=handoff&reason={quote(r.category)}",
        }
        for r in report.handoffs.reasons
    ]


def quality_rows(report: AnalyticsReport) -> list[dict[str, str]]:
    p = report.performance
    recall = p.forgot_recovered
    kinds = ", ".join(f"{humanize(k).lower()} {n:,}" for k, n in p.message_kinds) or "none yet"
    return [
        {
            "label": "Answers drawn from your knowledge",
            "value": percent(p.knowledge_hits.pct),
            "detail": f"{p.knowledge_hits.part:,} of {p.knowledge_hits.whole:,} answers",
        },
        {
            "label": "Spelling corrections accepted",
            "value": percent(p.spelling_accepted.pct),
            "detail": f"{p.spelling_accepted.part:,} yes of {p.spelling_accepted.whole:,} “Did you mean…?”",
        },
        {
            "label": "Suggestions taken up",
            "value": percent(p.suggestions_accepted.pct),
            "detail": f"{p.suggestions_accepted.part:,} of {p.suggestions_accepted.whole:,} suggested",
        },
        {
            "label": "“Did you forget?” answered",
            "value": percent(recall.pct),
            "detail": f"found the earlier request {recall.part:,} of {recall.whole:,} times",
        },
        {"label": "Messages sent by kind", "value": f"{p.turns:,}", "detail": kinds},
    ]


def topic_rows(report: AnalyticsReport) -> list[dict[str, str]]:
    rows = [
        {"kind": "Request", "name": intent_label(c.key), "count": f"{c.count:,}"}
        for c in report.topics.intents
    ]
    rows += [
        {"kind": "Product or service", "name": c.label, "count": f"{c.count:,}"} for c in report.topics.items
    ]
    return rows


def gap_rows(found: list[GapView]) -> list[dict[str, str]]:
    reasons = {
        "no_hit": "nothing in your knowledge",
        "low_confidence": "the agent was unsure",
        "no_answer": "passed to your team",
    }
    return [
        {
            "id": str(g.id),
            "question": g.question,
            "count": f"{g.size:,}",
            "examples": " · ".join(g.examples[:3]),
            "why": ", ".join(
                f"{reasons.get(k, humanize(k).lower())} ({n})" for k, n in sorted(g.reasons.items())
            ),
            "href": f"/knowledge?draft={quote(g.question)}",
        }
        for g in found
    ]


# Each table's CSV: (file stem, [(column title, row key)]).
CSV_TABLES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "conversations": (
        "conversations-per-day",
        [
            ("Date", "day"),
            ("Conversations", "conversations"),
            ("Agent alone", "agent"),
            ("With a person", "person"),
            ("Messages in", "messages_in"),
            ("Messages out", "messages_out"),
        ],
    ),
    "times": (
        "response-times",
        [("Measure", "what"), ("Median", "p50"), ("95th", "p95"), ("99th", "p99"), ("Count", "count")],
    ),
    "costs": (
        "cost-by-model",
        [
            ("Model", "model"),
            ("Provider", "provider"),
            ("Calls", "calls"),
            ("Tokens in", "tokens_in"),
            ("Tokens out", "tokens_out"),
            ("Cost", "amount"),
        ],
    ),
    "handoffs": ("handoff-reasons", [("Reason", "label"), ("Handoffs", "count"), ("Share", "share")]),
    "quality": ("answer-quality", [("Measure", "label"), ("Value", "value"), ("Detail", "detail")]),
    "topics": ("topics", [("Kind", "kind"), ("Topic", "name"), ("Count", "count")]),
    "gaps": (
        "knowledge-gaps",
        [("Question", "question"), ("Times asked", "count"), ("Also asked as", "examples"), ("Why", "why")],
    ),
}


def csv_columns(table: str) -> tuple[str, list[str], list[str]]:
    stem, columns = CSV_TABLES[table]
    return stem, [title for title, _ in columns], [key for _, key in columns]
