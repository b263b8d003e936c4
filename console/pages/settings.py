"""Settings: one page, seven tabs. AI providers, Team, API tokens and Account work; the others say what they
will hold when their issues land. Every member opens the page, but only owners and admins see the workspace
tabs; everyone else sees their Account."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from console.components.account import account_tab
from console.components.ai_providers import ai_tab
from console.components.api_tokens import tokens_tab
from console.components.states import empty_state
from console.components.team import team_tab
from console.state.settings import PERSONAL_TABS, SETTINGS_TABS, SettingsState
from console.state.settings_ai import AIProvidersState
from console.state.settings_tokens import ApiTokensState
from console.state.team import TeamState
from console.template import page

# Tabs with their own state and content; the others are placeholders (COMING).
BUILT: dict[str, Callable[[], rx.Component]] = {
    "ai": ai_tab,
    "team": team_tab,
    "tokens": tokens_tab,
    "account": account_tab,
}

# What each not-yet-built tab will hold: (icon, title, body, features).
COMING: dict[str, tuple[str, str, str, list[tuple[str, str]]]] = {
    "general": (
        "building_2",
        "Your workspace",
        "The name customers see, your time zone and currency, and the business hours the agent keeps.",
        [
            ("globe", "Time zone for every timestamp in the console"),
            ("banknote", "Currency for prices, orders and spend"),
            ("clock", "Business hours, used by the agent's handoff rules"),
        ],
    ),
    "whatsapp": (
        "smartphone",
        "Connect WhatsApp through Twilio",
        "Paste your Twilio account SID and auth token, add your WhatsApp sender numbers, and copy the "
        "webhook addresses into Twilio. A connection test tells you when it all works.",
        [
            ("key_round", "Account SID and auth token, stored encrypted and shown masked"),
            ("link", "Webhook and status callback URLs with copy buttons"),
            ("plug", "A connection test that sends nothing to customers"),
        ],
    ),
    "features": (
        "toggle_right",
        "Features",
        "Switch the agent on or off for this workspace, and try new capabilities before they are on for "
        "everyone.",
        [("bot", "Agent on/off: when off, every chat waits for a human")],
    ),
}


def coming_tab(key: str) -> rx.Component:
    icon, title, body, features = COMING[key]
    return empty_state(icon, title, body, features=features, soon=True)


def for_role(key: str, component: rx.Component) -> rx.Component:
    """Workspace tabs only for roles that manage settings; personal tabs for everyone."""
    return component if key in PERSONAL_TABS else rx.cond(SettingsState.can_manage, component)


def settings_tabs() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            *[
                for_role(
                    key,
                    rx.tabs.trigger(
                        rx.hstack(rx.icon(icon, size=15), rx.text(label), spacing="2", align="center"),
                        value=key,
                        data_testid=f"tab-{key}",
                    ),
                )
                for key, label, icon in SETTINGS_TABS
            ],
            size="2",
        ),
        *[
            rx.tabs.content(
                for_role(key, BUILT[key]() if key in BUILT else coming_tab(key)),
                value=key,
                padding_top="24px",
            )
            for key, _, _ in SETTINGS_TABS
        ],
        value=SettingsState.tab,
        on_change=SettingsState.set_tab,
        width="100%",
    )


@page(
    "/settings",
    "Settings",
    "settings",
    SettingsState,
    extra_on_load=[AIProvidersState.load_page, TeamState.load_page, ApiTokensState.load_page],
)
def settings() -> rx.Component:
    return settings_tabs()
