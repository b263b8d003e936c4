"""What the /api/v1/settings routers share: their scope, the refusal they raise, and how a secret is shown.

Why a refusal of our own rather than mapping each service's error in engine.http.api_v1: the settings services
raise broad errors (AccountError, ValueError subclasses) that other routes may meet with other meanings; the
settings routes catch exactly the ones they expect and re-raise `SettingsRefused`, whose one handler
(registered by engine.http.settings_api.install) answers in the API's error shape with `details` naming each
field as the request body spells it.

Secrets: a response says whether one is stored and its last four characters — never more. The stored
`last4` (engine.accounts.secrets) is the only source, so no route can echo a secret by mistake.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from engine.http.deps import require_scope
from engine.security.scopes import Scope

manage = require_scope(Scope.INTEGRATIONS_MANAGE.value)
API_ACTOR = "api"  # what the audit trail names as the author of a change made through a token


class SettingsRefused(Exception):
    """A settings change refused by its service: `status` (409 or 422) and, per field, what is wrong."""

    def __init__(self, status: int, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.problems = problems or []


def refused(status: int, problems: list[tuple[str, str]]) -> SettingsRefused:
    """A refusal whose message lists every (field, message) pair, as the other routes' 422s do."""
    return SettingsRefused(status, "; ".join(f"{f}: {m}" for f, m in problems), problems)


def settings_refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SettingsRefused)
    error: dict[str, Any] = {"status": exc.status, "message": str(exc)}
    if exc.problems:
        error["details"] = [{"field": f, "message": m} for f, m in exc.problems]
    return JSONResponse({"error": error}, status_code=exc.status)


class SecretState(BaseModel):
    """A stored secret, as far as a response may tell: whether there is one, and how it ends."""

    set: bool = Field(description="a value is stored (encrypted)")
    ends_with: str | None = Field(default=None, description="its last four characters, to tell keys apart")


def secret_state(masked: str) -> SecretState:
    """From engine.accounts.secrets' mask ("••••1234", or "" when none is stored)."""
    return SecretState(set=bool(masked), ends_with=masked.lstrip("•") or None if masked else None)


def mask_identifier(value: str) -> str:
    """An account or key SID with its middle hidden ("AC••••cdef"): enough to recognise, not to reuse."""
    return f"{value[:2]}••••{value[-4:]}" if value else ""


__all__ = [
    "API_ACTOR",
    "SecretState",
    "SettingsRefused",
    "manage",
    "mask_identifier",
    "refused",
    "secret_state",
    "settings_refused",
]
