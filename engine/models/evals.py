"""Playground test cases: a customer message and the checks its reply must pass, saved per tenant.

A shop owner writes them in the Playground ("must mention the 30-day returns", "must not hand off") and runs
them before changing the persona; `python -m engine eval --tenant SLUG` runs the same cases and fails on a
failing one, so a persona change can be gated. The message, the checks and the last run (which quotes the
agent's reply) are encrypted like every other text that reads like a conversation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column

from engine.models.base import (
    Field,
    TenantOwned,
    created_at_field,
    encrypted_json_dict,
    encrypted_json_list,
    tenant_keys,
    time_field,
)
from engine.security.crypto import EncryptedText


class PlaygroundTestCase(TenantOwned, table=True):
    """One saved case. `checks`: [{"kind", "value"}] (engine.agent.evals); `last_run`: the last run's
    outcome (status, reply, per-check results), what the next run is compared with."""

    __tablename__ = "playground_test_case"
    __table_args__ = tenant_keys("playground_test_case")

    message: str = Field(sa_column=Column(EncryptedText, nullable=False))
    checks: list[dict[str, Any]] = encrypted_json_list()
    last_run: dict[str, Any] = encrypted_json_dict()
    created_by_user_id: int | None = Field(default=None)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    last_run_at: datetime | None = time_field()
