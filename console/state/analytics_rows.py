"""The Analytics page's rows: engine.analytics's report turned into the strings and numbers the browser draws.

Pure functions, so the console state stays a thin loader and each table's CSV is built from the same rows the
screen shows (what you see is what you export). Money is in the providers' billing currency with the price
table's date; times are in words (formatting.duration); codes become words through engine.agent.labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from console.state.conversations_filter import handoff_href
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


# The response-time chart's unit, chosen from the data: (name on the axis, seconds in one, used up to).
TIME_UNITS: tuple[tuple[str, int, float], ...] = (
    ("seconds", 1, 90),
    ("minutes", 60, 120 * 60),
    ("hours", 3600, float("inf")),
)
# A bar more than ten times the next tallest would flatten every other bar to a line: it leaves the scale
# (drawn up to the top, its wait said in words and under the chart), at most two of the six; the table keeps
# every figure.
OUTLIER_RATIO = 10
MAX_OFF_SCALE = 2
NICE_STEPS = (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)


@dataclass(frozen=True, slots=True)
class TimeScale:
    unit: str  # seconds · minutes · hours: what the axis counts in
    per: int  # seconds in one unit
    top: float  # the top of the axis, in the unit
    top_seconds: float

    def plot(self, seconds: float | None) -> float:
        """A bar's height in the unit, stopped at the top of the axis."""
        return round(min(seconds or 0.0, self.top_seconds) / self.per, 3)

    def off(self, seconds: float | None) -> bool:
        return seconds is not None and seconds > self.top_seconds


def _nice_ceiling(value: float) -> float:
    """The round number just above `value` (8.3 → 10, 41 → 50, 0.07 → 0.08): the axis ends on a tick."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(step * magnitude for step in NICE_STEPS if step * magnitude >= value - 1e-9)


def time_scale(seconds: list[float | None]) -> TimeScale:
    """The axis for a set of waits: outliers left off (see OUTLIER_RATIO), then the unit the tallest bar reads
    best in (seconds under a minute and a half, minutes under two hours, hours beyond)."""
    kept = sorted((s for s in seconds if s), reverse=True)
    # Cut at the deepest of the first MAX_OFF_SCALE gaps that is an outlier's: one slow reply is often both
    # the team's median and its 95th, so the two tallest bars can be twins standing far above the rest.
    cuts = [i + 1 for i in range(min(MAX_OFF_SCALE, len(kept) - 1)) if kept[i] > OUTLIER_RATIO * kept[i + 1]]
    kept = kept[max(cuts, default=0) :]
    if not kept:
        return TimeScale("seconds", 1, 1.0, 1.0)
    tallest = kept[0]
    unit, per, _ = next(u for u in TIME_UNITS if tallest < u[2])
    top = _nice_ceiling(tallest / per * 1.05)  # a little headroom for the bar's label
    return TimeScale(unit, per, top, top * per)


TIME_MEASURES = (
    ("First response", "first_response"),
    ("Agent replies", "agent_reply"),
    ("Your team's replies", "person_reply"),
)


def time_rows(report: AnalyticsReport) -> list[dict[str, Any]]:
    """The response-time table and chart. Every row carries the chart's scale (`unit`, `top`: the same on
    each row) and, for a bar past the top, `note` says its figure, so the chart reads without the table."""
    perf = report.performance
    measures = [(what, getattr(perf, key)) for what, key in TIME_MEASURES]
    scale = time_scale([v for _, t in measures for v in (t.p50, t.p95)])
    rows = []
    for what, t in measures:
        off = [(label, v) for label, v in (("half within", t.p50), ("95% within", t.p95)) if scale.off(v)]
        rows.append(
            {
                "what": what,
                "p50": duration(t.p50),
                "p95": duration(t.p95),
                "p99": duration(t.p99),
                "count": f"{t.count:,}",
                "p50_v": scale.plot(t.p50),
                "p95_v": scale.plot(t.p95),
                "p50_label": _bar_label(t.p50, scale),
                "p95_label": _bar_label(t.p95, scale),
                "unit": scale.unit,
                "top": scale.top,
                "note": f"{what}: " + ", ".join(f"{label} {duration(v)}" for label, v in off) if off else "",
            }
        )
    return rows


def _short(value: float, unit: str) -> str:
    """1.5 min, 12 min, 2.5 h, 26 h: a tenth where it tells bars apart, none where it is noise."""
    return f"{value:.1f}".removesuffix(".0") + f" {unit}" if value < 9.95 else f"{round(value)} {unit}"


def _bar_label(seconds: float | None, scale: TimeScale) -> str:
    """A bar's wait, short enough to sit above a phone's narrow bar on one line (no-break spaces: the chart
    wraps a label at its spaces): 40 s, 2 min, 26 h; an arrow when the bar stops at the top of the axis."""
    if seconds is None:
        return ""
    if seconds < 59.5:
        text = f"{round(seconds)} s"
    elif seconds < 3570:
        text = _short(seconds / 60, "min")
    else:
        text = _short(seconds / 3600, "h")
    return ("↑ " + text if scale.off(seconds) else text).replace(" ", "\u00a0")


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
    """Each reason links to its chats in the inbox, for the range on screen; a code the inbox cannot filter
    by (one no label names yet) gets no link rather than one to chats that are not its own."""
    return [
        {
            "category": r.category,
            "label": HANDOFF_CATEGORIES.get(r.category) or humanize(r.category),
            "count": str(r.count),
            "share": f"{r.share_pct}%",
            "href": handoff_href(r.category, report.period) if r.category in HANDOFF_CATEGORIES else "",
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
