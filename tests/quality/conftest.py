"""The quality sets measure the agent's judgement (intents, spelling, handoff, catalogue and knowledge
matching), which does not depend on the database engine: CI runs the unit suite twice (SQLite, then
PostgreSQL with TEST_DATABASE_URL), and the quality sets — the held-out one alone takes over a minute — run
in the SQLite pass only.

They also measure the classifier, not the machine's load: the message classifier's wait budget
(engine.agent.classify.WAIT_BUDGET_SECONDS, 30 ms in production, after which the lexicon verdict stands) is
raised here, so a starved CPU cannot turn an exemplar vote into a lexicon-only one and move the figures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
QUALITY_WAIT_BUDGET_SECONDS = 30.0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip this folder's tests on the PostgreSQL pass (the hook sees every item: filter by path)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="quality sets run in the SQLite pass only (TEST_DATABASE_URL is set)")
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def classifier_waits_for_its_vote(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Quality figures do not depend on how busy the machine is (module docstring)."""
    from engine.agent import classify

    monkeypatch.setattr(classify, "WAIT_BUDGET_SECONDS", QUALITY_WAIT_BUDGET_SECONDS)
    yield
