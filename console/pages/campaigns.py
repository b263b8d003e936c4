"""Campaigns: messages to many customers — the list with live progress, the composer with its phone preview,
and each campaign's results. Layout only: console/state/campaigns*.py hold the data and call the engine."""

from __future__ import annotations

import reflex as rx

from console.components.campaigns_composer import composer_view
from console.components.campaigns_list import list_view
from console.components.campaigns_results import results_view
from console.components.whatsapp import whatsapp_styles
from console.state.campaigns import CampaignsState
from console.state.campaigns_composer import ComposerState
from console.template import page


@page("/campaigns", "Campaigns", "campaigns", CampaignsState, extra_on_load=[ComposerState.load_page])
def campaigns() -> rx.Component:
    return rx.fragment(
        whatsapp_styles(),
        rx.match(
            CampaignsState.view,
            ("compose", composer_view()),
            ("results", results_view()),
            list_view(),
        ),
    )
