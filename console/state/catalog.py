"""State of the Catalog page.

For now it only guards the page; products, services, orders and appointments will load here.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from console.state.guard import PageState


class CatalogState(PageState, rx.State):
    """Access to the Catalog page (scope from PAGE_SCOPES["catalog"])."""

    page_key: ClassVar[str] = "catalog"
