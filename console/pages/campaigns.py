"""Campaigns: messages to many customers. A placeholder until the campaigns issue: says what will be here."""

from __future__ import annotations

import reflex as rx

from console.components.states import empty_state
from console.state.campaigns import CampaignsState
from console.template import page


@page("/campaigns", "Campaigns", "campaigns", CampaignsState)
def campaigns() -> rx.Component:
    return empty_state(
        "megaphone",
        "Reach customers who opted in",
        "Send a WhatsApp message with an image and buttons to the customers you choose, now or at a set "
        "time, and see who received it, read it and tapped a button.",
        features=[
            (
                "image",
                "A composer with media, caption and quick-reply buttons, checked against WhatsApp's limits",
            ),
            ("users", "Audiences from opted-in customers, filtered by what they bought or asked about"),
            ("send", "Throttled sending with delivery, read and click tracking per recipient"),
        ],
        note="Campaigns only ever go to customers who opted in to receive them.",
        soon=True,
    )
