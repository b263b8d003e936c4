"""Outgoing webhook deliveries on the worker: every two seconds, what is due is sent (never in a webhook's
or a console's request path, so a slow receiver slows nobody)."""

from __future__ import annotations

from engine.integrations.delivery import deliver_due


def run_webhook_deliveries() -> int:
    return deliver_due()


JOBS = ((run_webhook_deliveries, {"seconds": 2}),)

__all__ = ["JOBS", "run_webhook_deliveries"]
