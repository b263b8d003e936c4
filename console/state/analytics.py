"""State of the Analytics page.

For now it only guards the page; the charts and cost reports will load here.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from console.state.guard import PageState


class AnalyticsState(PageState, rx.State):
    """Access to the Analytics page (scope from PAGE_SCOPES["analytics"])."""

    page_key: ClassVar[str] = "analytics"
