"""Settings: one page, nine tabs, each with its own state and component module. Every member opens the page,
but only owners and admins see the workspace tabs; everyone else sees their Account."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from console.components.account import account_tab
from console.components.ai_providers import ai_tab
from console.components.api_tokens import tokens_tab
from console.components.settings_email import email_tab
from console.components.settings_features import features_tab
from console.components.settings_general import general_tab
from console.components.settings_integrations import integrations_tab
from console.components.settings_whatsapp import whatsapp_tab
from console.components.tabs import Tab, page_tabs
from console.components.team import team_tab
from console.state.settings import PERSONAL_TABS, SETTINGS_TABS, SettingsState
from console.state.settings_ai import AIProvidersState
from console.state.settings_email import EmailSettingsState
from console.state.settings_features import FeaturesState
from console.state.settings_general import GeneralSettingsState
from console.state.settings_integrations import IntegrationsState
from console.state.settings_tokens import ApiTokensState
from console.state.settings_whatsapp import WhatsAppSettingsState
from console.state.team import TeamState
from console.template import page

BUILT: dict[str, Callable[[], rx.Component]] = {
    "general": general_tab,
    "whatsapp": whatsapp_tab,
    "ai": ai_tab,
    "team": team_tab,
    "tokens": tokens_tab,
    "features": features_tab,
    "email": email_tab,
    "integrations": integrations_tab,
    "account": account_tab,
}


def settings_tabs() -> rx.Component:
    """Workspace tabs only for roles that manage settings; personal tabs for everyone."""
    return page_tabs(
        [
            Tab(key, label, icon, shown=None if key in PERSONAL_TABS else SettingsState.can_manage)
            for key, label, icon in SETTINGS_TABS
        ],
        value=SettingsState.tab,
        on_change=SettingsState.set_tab,
        panels={key: build() for key, build in BUILT.items()},
        padding_top="24px",
        testid="settings-tabs",
    )


@page(
    "/settings",
    "Settings",
    "settings",
    SettingsState,
    extra_on_load=[
        GeneralSettingsState.load_page,
        WhatsAppSettingsState.load_page,
        AIProvidersState.load_page,
        TeamState.load_page,
        ApiTokensState.load_page,
        FeaturesState.load_page,
        EmailSettingsState.load_page,
        IntegrationsState.load_page,
    ],
)
def settings() -> rx.Component:
    return settings_tabs()
