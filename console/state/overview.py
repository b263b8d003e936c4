"""State of the Overview page.

For now it only guards the page; the KPI cards, needs-attention list and setup checklist will load here.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from console.state.guard import PageState


class OverviewState(PageState, rx.State):
    """Access to the Overview page (scope from PAGE_SCOPES["overview"])."""

    page_key: ClassVar[str] = "overview"
