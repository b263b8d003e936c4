"""Catalog: products and services. Until the catalog issue lands, an empty state saying what comes."""

from __future__ import annotations

import reflex as rx

from console.components.states import empty_state
from console.state.catalog import CatalogState
from console.template import page


@page("/catalog", "Catalog", "catalog", CatalogState)
def catalog() -> rx.Component:
    return empty_state(
        "package",
        "Import your products and services",
        "With prices, stock and the names customers really use, the agent can recommend the right item "
        "and answer \u201chow much is it?\u201d even when the product name is misspelled.",
        features=[
            ("shopping_bag", "Products and services with photos, prices, stock and aliases"),
            ("calendar_clock", "Orders and appointments your customers can ask about"),
            (
                "file_spreadsheet",
                "CSV import with a preview that highlights bad rows before anything is saved",
            ),
        ],
        soon=True,
    )
