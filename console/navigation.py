"""The console's pages in one table: sidebar order, routes, icons, and the access key each page checks.

The access keys are the keys of `engine.security.scopes.PAGE_SCOPES`; the engine decides which role may open
which page, the console only draws the answer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    """One sidebar entry and the page behind it."""

    key: str
    label: str
    route: str
    icon: str
    group: str
    subtitle: str


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("overview", "Overview", "/", "layout_dashboard", "Workspace", "How your WhatsApp agent is doing"),
    NavItem(
        "conversations",
        "Conversations",
        "/conversations",
        "messages_square",
        "Workspace",
        "Chats with your customers, and the ones waiting for a human",
    ),
    NavItem("persona", "Persona", "/persona", "sparkles", "Agent", "Who your agent is and how it behaves"),
    NavItem(
        "knowledge", "Knowledge", "/knowledge", "book_open", "Agent", "Policies and answers the agent uses"
    ),
    NavItem("catalog", "Catalog", "/catalog", "package", "Agent", "Products, services, orders and bookings"),
    NavItem(
        "playground",
        "Playground",
        "/playground",
        "flask_conical",
        "Agent",
        "Chat with the agent before customers do",
    ),
    NavItem(
        "campaigns", "Campaigns", "/campaigns", "megaphone", "Growth", "Messages to many customers at once"
    ),
    NavItem(
        "analytics",
        "Analytics",
        "/analytics",
        "chart_line",
        "Growth",
        "What the agent resolves, and what it costs",
    ),
    NavItem(
        "settings",
        "Settings",
        "/settings",
        "settings",
        "Admin",
        "Your workspace, channels, providers and team",
    ),
)

NAV_GROUPS: tuple[str, ...] = ("Workspace", "Agent", "Growth", "Admin")

BY_KEY: dict[str, NavItem] = {item.key: item for item in NAV_ITEMS}

LOGIN_ROUTE = "/login"
