"""State of the Campaigns page.

For now it only guards the page; the campaign list and composer will load here.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from console.state.guard import PageState


class CampaignsState(PageState, rx.State):
    """Access to the Campaigns page (scope from PAGE_SCOPES["campaigns"])."""

    page_key: ClassVar[str] = "campaigns"
