"""State of the Knowledge page.

For now it only guards the page; the knowledge table, search and import wizard will load here.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from console.state.guard import PageState


class KnowledgeState(PageState, rx.State):
    """Access to the Knowledge page (scope from PAGE_SCOPES["knowledge"])."""

    page_key: ClassVar[str] = "knowledge"
