"""Catalog: products, services, orders and appointments in four tabs; items edited in a side drawer and
imported from CSV through a previewing wizard."""

from __future__ import annotations

import reflex as rx

from console.components.catalog import (
    appointments_panel,
    catalog_tabs,
    delete_dialog,
    orders_panel,
    products_panel,
    services_panel,
)
from console.components.catalog_drawer import catalog_drawer
from console.components.catalog_import import import_dialog
from console.state.catalog import CatalogState
from console.state.catalog_editor import CatalogEditorState
from console.state.catalog_import import CatalogImportState
from console.template import page


@page(
    "/catalog",
    "Catalog",
    "catalog",
    CatalogState,
    extra_on_load=[CatalogEditorState.load_page, CatalogImportState.load_page],
)
def catalog() -> rx.Component:
    return rx.fragment(
        catalog_tabs(
            {
                "products": products_panel(),
                "services": services_panel(),
                "orders": orders_panel(),
                "appointments": appointments_panel(),
            }
        ),
        catalog_drawer(),
        import_dialog(),
        delete_dialog(),
    )
