"""Module-scoped match indexes of the test module's own PRODUCTS and SERVICES rows (see indexes.py)."""

from __future__ import annotations

import pytest

from engine.catalog.index import MatchIndex
from tests.engine.catalog.indexes import index_of


@pytest.fixture(scope="module")
def products(request: pytest.FixtureRequest) -> MatchIndex:
    return index_of("product", request.module.PRODUCTS)


@pytest.fixture(scope="module")
def services(request: pytest.FixtureRequest) -> MatchIndex:
    return index_of("service", request.module.SERVICES)
