"""Exports a spreadsheet opens never run a formula a customer or a colleague typed (issue #14, item 3)."""

from __future__ import annotations

import csv
import io

import pytest

from engine.catalog import csv_io
from engine.catalog.products import create_product
from engine.db import session_scope
from engine.knowledge import importing
from engine.knowledge import service as knowledge
from engine.security.spreadsheet import FORMULA_PREFIXES, restore_cell, safe_cell
from tests.factories import new_tenant

ATTACKS = ['=HYPERLINK("http://x.example","open")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


@pytest.mark.parametrize("value", [*ATTACKS, "\t=1+1", "\r=1+1"])
def test_a_formula_prefix_is_quoted_and_restored(value: str) -> None:
    assert safe_cell(value) == "'" + value and restore_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["Trail runner", "", "'quoted already", "a=b", "3 - 2", 12])
def test_other_cells_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value and (not isinstance(value, str) or restore_cell(value) == value)


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_the_catalog_export_neutralises_formulas() -> None:
    with session_scope() as session:
        tenant = new_tenant(session)
        create_product(
            session, tenant, {"sku": "SKU-1", "name": ATTACKS[0], "description": ATTACKS[1], "price": "10"}
        )
        exported = csv_io.export_products_csv(session, tenant)
    cells = _cells(exported)
    assert not [c for c in cells if c.startswith(FORMULA_PREFIXES)]
    assert "'" + ATTACKS[0] in cells and "'" + ATTACKS[1] in cells


def test_the_knowledge_export_neutralises_formulas() -> None:
    with session_scope() as session:
        tenant = new_tenant(session)
        knowledge.create_entry(
            session, tenant, {"title": ATTACKS[2], "content": ATTACKS[3], "keywords": ["@mention"]}
        )
        exported = importing.export_entries(session, tenant, "csv").decode()
    cells = _cells(exported)
    assert not [c for c in cells if c.startswith(FORMULA_PREFIXES)]
    assert {"'" + ATTACKS[2], "'" + ATTACKS[3], "'@mention"} <= set(cells)


def test_importing_our_own_export_back_changes_nothing() -> None:
    from engine.catalog.products import get_product_by_sku

    with session_scope() as session:
        tenant = new_tenant(session)
        create_product(
            session, tenant, {"sku": "SKU-9", "name": "Sale", "description": "-5% off", "price": "9"}
        )
        exported = csv_io.export_products_csv(session, tenant)
        csv_io.import_products_csv(session, tenant, exported)
        assert get_product_by_sku(session, tenant, "SKU-9").description == "-5% off"
