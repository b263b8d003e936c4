"""The quality sets measure the agent's judgement (intents, spelling, handoff, catalogue and knowledge
matching), which does not depend on the database engine: CI runs the unit suite twice (SQLite, then
PostgreSQL with TEST_DATABASE_URL), and the quality sets — the held-out one alone takes over a minute — run
in the SQLite pass only.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this folder's tests on the PostgreSQL pass (the hook sees every item: filter by path)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="quality sets run in the SQLite pass only (TEST_DATABASE_URL is set)")
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)
