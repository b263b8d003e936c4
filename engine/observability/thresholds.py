"""The alert thresholds, once: the Prometheus rules (deploy/prometheus/parley-rules.yml) and the in-app alerts
(engine/observability/alerts.py) read the same numbers, and tests/engine/observability/test_rules.py checks
the rules file still says them.

Rates and latencies are the same for one tenant and for the whole deployment. Spend is not (a deployment's
hour is the sum of its tenants'), so the Prometheus rule has its own figure, PLATFORM_COST_PER_HOUR_USD.
`min_volume`: below that many events in the window there is no verdict — one failed reply out of two is not a
50 % error rate worth waking anyone for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Threshold:
    kind: str
    limit: float  # past it (strictly greater) is an incident
    window_minutes: int  # how far back the figure looks (0: now)
    min_volume: int  # fewer events than this in the window: no verdict
    title: str  # the shop owner's words on the Overview and in the notice
    what: str  # what the figure is, with {value} and {limit} filled in words


ERROR_RATE = Threshold(
    "error_rate",
    0.05,
    60,
    20,
    "Replies are not being delivered",
    "{value} of the replies in the last hour could not be delivered (alert above {limit}).",
)
REPLY_P95 = Threshold(
    "reply_p95",
    15.0,
    60,
    10,
    "Replies are slow",
    "1 reply in 20 took longer than {value} in the last hour (alert above {limit}).",
)
COST_PER_HOUR = Threshold(
    "cost_per_hour",
    5.0,
    60,
    1,
    "AI spending is unusually high",
    "The AI cost {value} in the last hour (alert above {limit}).",
)
HANDOFF_RATE = Threshold(
    "handoff_rate",
    0.5,
    60,
    20,
    "Many chats are handed to a person",
    "{value} of the agent's answers in the last hour handed the chat to a person (alert above {limit}).",
)
PROVIDER_FAILURES = Threshold(
    "provider_failures",
    0.25,
    15,
    8,
    "The AI provider is failing",
    "{value} of the requests to the AI provider failed in the last 15 minutes (alert above {limit}).",
)
QUEUE_AGE = Threshold(
    "queue_age",
    120.0,
    0,
    1,
    "Customers are waiting for an answer",
    "A customer's message has waited {value} for the agent (alert above {limit}).",
)

THRESHOLDS: tuple[Threshold, ...] = (
    ERROR_RATE,
    REPLY_P95,
    COST_PER_HOUR,
    HANDOFF_RATE,
    PROVIDER_FAILURES,
    QUEUE_AGE,
)
BY_KIND = {t.kind: t for t in THRESHOLDS}
KINDS = tuple(BY_KIND)
PLATFORM_COST_PER_HOUR_USD = 50.0  # the whole deployment's model spend in an hour (Prometheus rule only)

# How each figure is said: shares as percentages, times in seconds, money in US dollars (the providers bill
# in them, engine/llm/pricing.json).
UNITS = {
    "error_rate": "share",
    "reply_p95": "seconds",
    "cost_per_hour": "usd",
    "handoff_rate": "share",
    "provider_failures": "share",
    "queue_age": "seconds",
}


def say(kind: str, value: float) -> str:
    unit = UNITS[kind]
    if unit == "share":
        return f"{value * 100:.0f}%"
    if unit == "seconds":
        return f"{value:.0f} s" if value < 120 else f"{value / 60:.0f} min"
    return f"US${value:,.2f}"


def describe(kind: str, value: float) -> str:
    threshold = BY_KIND[kind]
    return threshold.what.format(value=say(kind, value), limit=say(kind, threshold.limit))


__all__ = ["BY_KIND", "KINDS", "PLATFORM_COST_PER_HOUR_USD", "THRESHOLDS", "Threshold", "describe", "say"]
