"""Fixtures for the LLM layer: the scripted OpenAI-compatible server, a fresh ledger per test, a tenant.

Backoff pauses go to a recorder instead of time.sleep, so resilience tests assert the real pause arithmetic
(Retry-After, exponential backoff with jitter) without waiting for it.
"""

from __future__ import annotations

import random

import pytest

from engine.accounts.tenants import TenantInfo, create_tenant
from engine.db import session_scope
from engine.llm.ledger import CallLedger
from tests.engine.llm.helpers import Sleeps
from tests.fakes.openai_server import fake_openai  # noqa: F401 - the server fixture


@pytest.fixture
def ledger(_llm_isolation: CallLedger) -> CallLedger:
    return _llm_isolation


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(7)


@pytest.fixture
def tenant() -> TenantInfo:
    """A committed tenant: the ledger writes LLMCall rows from its own connection, which must see it."""
    with session_scope() as s:
        return create_tenant(s, name="Acme Shoes", slug="acme")
