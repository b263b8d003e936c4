"""Roles and API scopes: the one table that says who may do what."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    INTEGRATIONS_MANAGE = "integrations:manage"
    ANALYTICS_VIEW = "analytics:view"
    CAMPAIGNS_MANAGE = "campaigns:manage"
    CONVERSATIONS_REPLY = "conversations:reply"
    # Customers' records: read, correct, and erase on request (privacy law). Owners and admins only.
    CUSTOMERS_MANAGE = "customers:manage"
    # Console-only powers, never granted to API tokens.
    TEAM_MANAGE = "team:manage"
    SETTINGS_MANAGE = "settings:manage"
    AGENT_MANAGE = "agent:manage"
    CONSOLE_VIEW = "console:view"


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    VIEWER = "viewer"


API_SCOPES: frozenset[str] = frozenset(
    s.value
    for s in (
        Scope.INTEGRATIONS_MANAGE,
        Scope.ANALYTICS_VIEW,
        Scope.CAMPAIGNS_MANAGE,
        Scope.CONVERSATIONS_REPLY,
        Scope.CUSTOMERS_MANAGE,
    )
)

_ALL = frozenset(s.value for s in Scope)

ROLE_SCOPES: dict[Role, frozenset[str]] = {
    Role.OWNER: _ALL,
    Role.ADMIN: _ALL - {Scope.TEAM_MANAGE.value},
    Role.MANAGER: frozenset(
        s.value
        for s in {
            Scope.CONSOLE_VIEW,
            Scope.ANALYTICS_VIEW,
            Scope.CAMPAIGNS_MANAGE,
            Scope.CONVERSATIONS_REPLY,
            Scope.INTEGRATIONS_MANAGE,
            Scope.AGENT_MANAGE,
        }
    ),
    Role.AGENT: frozenset({Scope.CONSOLE_VIEW.value, Scope.CONVERSATIONS_REPLY.value}),
    Role.VIEWER: frozenset({Scope.CONSOLE_VIEW.value, Scope.ANALYTICS_VIEW.value}),
}

ROLE_LABELS: dict[Role, str] = {
    Role.OWNER: "Owner — everything, including the team and billing",
    Role.ADMIN: "Admin — everything but the team",
    Role.MANAGER: "Manager — persona, knowledge, catalog, campaigns, inbox",
    Role.AGENT: "Agent — the inbox: reply to customers, take over, hand back",
    Role.VIEWER: "Viewer — read-only overview and analytics",
}


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {value!r}; choose one of {allowed}") from None


def parse_api_scopes(values: list[str] | str) -> list[str]:
    """Validate scopes for an API token: known API scopes only, deduplicated, in canonical order."""
    items = values.split(",") if isinstance(values, str) else values
    cleaned = [v.strip() for v in items if v.strip()]
    if not cleaned:
        raise ValueError("at least one scope is required")
    unknown = [v for v in cleaned if v not in API_SCOPES]
    if unknown:
        allowed = ", ".join(sorted(API_SCOPES))
        raise ValueError(f"unknown scope {unknown[0]!r}; choose from {allowed}")
    return sorted(set(cleaned))


def role_scopes(role: str) -> frozenset[str]:
    return ROLE_SCOPES[parse_role(role)]


def role_has(role: str, scope: str) -> bool:
    return scope in role_scopes(role)


# Console pages and the scope each needs; the console hides the others and refuses them server-side.
PAGE_SCOPES: dict[str, str] = {
    "overview": Scope.CONSOLE_VIEW.value,
    "conversations": Scope.CONVERSATIONS_REPLY.value,
    "persona": Scope.AGENT_MANAGE.value,
    "knowledge": Scope.AGENT_MANAGE.value,
    "catalog": Scope.AGENT_MANAGE.value,
    # Results are for everyone who reads figures; composing and sending check campaigns:manage per action.
    "campaigns": Scope.ANALYTICS_VIEW.value,
    "analytics": Scope.ANALYTICS_VIEW.value,
    "playground": Scope.AGENT_MANAGE.value,
    "settings": Scope.SETTINGS_MANAGE.value,
    "team": Scope.TEAM_MANAGE.value,
}


def pages_for(role: str) -> list[str]:
    scopes = role_scopes(role)
    return [page for page, scope in PAGE_SCOPES.items() if scope in scopes]
