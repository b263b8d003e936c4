"""Settings → Features: who answers customers — the AI agent, the rule-based responder, or your team only."""

from __future__ import annotations

import reflex as rx

from console.components.ui import field_hint, icon_tile, section_card
from console.state.settings_features import MODE_DESCRIPTIONS, MODE_LABELS, FeaturesState

ICONS = {"ai": "bot", "rules": "list_checks", "off": "user_round"}


def _mode_card(mode: str) -> rx.Component:
    return rx.radio_cards.item(
        rx.hstack(
            icon_tile(ICONS[mode], size=18, box="36px", color="gray" if mode == "off" else "grass"),
            rx.vstack(
                rx.text(MODE_LABELS[mode], size="2", weight="medium", color="var(--gray-12)"),
                rx.text(MODE_DESCRIPTIONS[mode], size="1", color_scheme="gray"),
                spacing="1",
                align="start",
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        value=mode,
        padding="14px",
        justify_content="start",
        data_testid=f"mode-{mode}",
    )


def features_tab() -> rx.Component:
    return section_card(
        "Who answers your customers",
        "Switching applies to the next message, everywhere. Suggestions, spelling help and rich messages "
        "stay in Persona → Behaviour.",
        rx.radio_cards.root(
            *[_mode_card(m) for m in ("ai", "rules", "off")],
            value=FeaturesState.mode,
            on_value_change=FeaturesState.set_mode,
            columns={"initial": "1", "md": "3"},
            spacing="3",
            width="100%",
        ),
        field_hint("Chats already with a person stay with them whichever you choose."),
        data_testid="features-tab",
    )
