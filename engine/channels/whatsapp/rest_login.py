"""The login for a tenant's REST calls to Twilio: its API key pair when one is stored, else the auth token.

Twilio recommends API keys for REST calls (revocable one by one, no full-account power); the auth token is
still needed because Twilio signs its webhooks with it. So sending, media downloads and the connection test
all ask here, and only the webhook signature check reads the auth token itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from engine.accounts.secrets import get_secret


@dataclass(frozen=True, slots=True)
class RestLogin:
    account_sid: str
    username: str = field(repr=False)  # the API key SID, or the account SID with the auth token
    password: str = field(repr=False)

    @property
    def uses_api_key(self) -> bool:
        return self.username != self.account_sid

    @property
    def basic_auth(self) -> tuple[str, str]:
        return self.username, self.password


def rest_login(session: Session, tenant_id: int) -> RestLogin | None:
    """None when the workspace has no account SID, or neither an API key pair nor an auth token."""
    sid = get_secret(session, tenant_id, "twilio_account_sid")
    if not sid:
        return None
    key_sid = get_secret(session, tenant_id, "twilio_api_key_sid")
    key_secret = get_secret(session, tenant_id, "twilio_api_key_secret")
    if key_sid and key_secret:
        return RestLogin(sid, key_sid, key_secret)
    token = get_secret(session, tenant_id, "twilio_auth_token")
    return RestLogin(sid, sid, token) if token else None
