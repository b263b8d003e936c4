"""Settings → WhatsApp and the CLI: a tenant's Twilio account, sender numbers, webhook URLs, and the test.

One service both call, so the console and `python -m engine set-twilio / add-sender / remove-sender` refuse
the same things in the same words. Secrets go through engine.accounts.secrets (encrypted; only the last four
characters come back). Why the previous auth token is kept on a change: Twilio signs each webhook with the
token that is current *on Twilio's side*, and the shop changes it there and here at slightly different
moments. engine.channels.whatsapp.credentials accepts the previous token until a request signed with the new
one arrives, so no webhook is refused in between; that request retires the old token.

The connection test calls Twilio's account endpoint (GET /2010-04-01/Accounts/{sid}.json) through
twilio-python with the stored credentials, honouring TWILIO_API_BASE_URL, and says what went wrong in a
shop owner's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlmodel import Session, select
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from engine.accounts import audit
from engine.accounts.errors import AccountError
from engine.accounts.secrets import delete_secret, get_secret, masked_secrets, set_secret
from engine.accounts.tenants import ACCOUNT_SID_RE, validate_whatsapp_address
from engine.channels.whatsapp.credentials import PREVIOUS_TOKEN, forget_credentials
from engine.channels.whatsapp.rest_login import rest_login
from engine.channels.whatsapp.twilio_client import BaseUrlHttpClient
from engine.config import get_settings
from engine.db import TenantScope
from engine.models import WhatsAppSender

INBOUND_PATH = "/webhooks/twilio/whatsapp"
STATUS_PATH = "/webhooks/twilio/status"
API_KEY_SID_RE = re.compile(r"^SK[0-9a-fA-F]{32}$")
TOKEN_RE = re.compile(r"^[0-9a-fA-F]{32}$")
TEST_TIMEOUT = 8.0  # seconds: long enough for Twilio, short enough for a button


@dataclass(frozen=True, slots=True)
class SenderInfo:
    address: str
    label: str
    is_default: bool
    id: int | None = None  # the row's id, for the REST API's /settings/whatsapp/senders/{id}


@dataclass(frozen=True)
class WhatsAppConnection:
    """What the WhatsApp tab shows: never a secret, only its last four characters."""

    account_sid: str
    auth_token_masked: str  # "" when none is stored
    api_key_sid: str
    api_key_masked: str
    previous_token_pending: bool  # a changed token not yet confirmed by a signed webhook
    senders: list[SenderInfo] = field(default_factory=list)
    inbound_url: str = ""
    status_url: str = ""

    @property
    def connected(self) -> bool:
        return bool(self.account_sid and (self.auth_token_masked or self.api_key_masked))


@dataclass(frozen=True, slots=True)
class ConnectionCheck:
    ok: bool
    kind: str  # ok · not_configured · wrong_credentials · suspended · closed · unreachable · error
    title: str
    detail: str


# --------------------------------------------------------------------------------------------- reading


def webhook_urls(request_base_url: str | None = None) -> tuple[str, str]:
    """(inbound, status) webhook URLs: PUBLIC_BASE_URL when set (what Twilio must call), else the address the
    console was opened at."""
    base = (get_settings().public_base_url or request_base_url or "http://localhost:3000").rstrip("/")
    return base + INBOUND_PATH, base + STATUS_PATH


def senders(session: Session, tenant_id: int) -> list[SenderInfo]:
    rows = TenantScope(session, tenant_id).all(WhatsAppSender)
    rows.sort(key=lambda r: (not r.is_default, r.id or 0))
    return [SenderInfo(r.address, r.label or "", bool(r.is_default), r.id) for r in rows]


def whatsapp_connection(
    session: Session, tenant_id: int, *, request_base_url: str | None = None
) -> WhatsAppConnection:
    masked = masked_secrets(session, tenant_id)
    inbound, status = webhook_urls(request_base_url)
    return WhatsAppConnection(
        account_sid=get_secret(session, tenant_id, "twilio_account_sid") or "",
        auth_token_masked=masked.get("twilio_auth_token", ""),
        api_key_sid=get_secret(session, tenant_id, "twilio_api_key_sid") or "",
        api_key_masked=masked.get("twilio_api_key_secret", ""),
        previous_token_pending=PREVIOUS_TOKEN in masked,
        senders=senders(session, tenant_id),
        inbound_url=inbound,
        status_url=status,
    )


# --------------------------------------------------------------------------------------------- writing


@dataclass(frozen=True, slots=True)
class CredentialProblem:
    field: str  # account_sid · auth_token · api_key_sid · api_key_secret
    message: str


class SenderTaken(AccountError):
    """The number is already connected to a workspace (this one or another): a conflict, not a typo."""


class CredentialsRefused(AccountError):
    def __init__(self, problems: list[CredentialProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def validate_credentials(
    account_sid: str,
    auth_token: str = "",
    api_key_sid: str = "",
    api_key_secret: str = "",
    *,
    has_token: bool,
) -> list[CredentialProblem]:
    """Every problem at once. A token is needed unless one is stored already or an API key pair is given."""
    problems = []
    if not ACCOUNT_SID_RE.match(account_sid):
        problems.append(
            CredentialProblem("account_sid", "the account SID is AC followed by 32 letters and digits")
        )
    if auth_token and not TOKEN_RE.match(auth_token):
        problems.append(CredentialProblem("auth_token", "the auth token is 32 letters and digits"))
    if bool(api_key_sid) != bool(api_key_secret):
        which = "api_key_secret" if api_key_sid else "api_key_sid"
        problems.append(CredentialProblem(which, "give both the API key SID and its secret, or neither"))
    elif api_key_sid and not API_KEY_SID_RE.match(api_key_sid):
        problems.append(
            CredentialProblem("api_key_sid", "the API key SID is SK followed by 32 letters and digits")
        )
    if not auth_token and not has_token:  # Twilio signs every webhook with it: without it none is believed
        problems.append(
            CredentialProblem(
                "auth_token",
                "paste your auth token: Twilio signs the messages it forwards with it (an API key alone "
                "can send but cannot prove who is writing to you)",
            )
        )
    return problems


def save_credentials(
    session: Session,
    tenant_id: int,
    *,
    account_sid: str,
    auth_token: str = "",
    api_key_sid: str = "",
    api_key_secret: str = "",
    actor_user_id: int | None = None,
    actor_label: str = "console",
) -> WhatsAppConnection:
    """Store the account SID and whichever secrets are given (blank ones are left as they are). A changed
    auth token keeps the one it replaces as the previous token until a webhook confirms the new one."""
    account_sid, auth_token = account_sid.strip(), auth_token.strip()
    api_key_sid, api_key_secret = api_key_sid.strip(), api_key_secret.strip()
    current_token = get_secret(session, tenant_id, "twilio_auth_token")
    problems = validate_credentials(
        account_sid, auth_token, api_key_sid, api_key_secret, has_token=bool(current_token)
    )
    if problems:
        raise CredentialsRefused(problems)
    previous_sid = get_secret(session, tenant_id, "twilio_account_sid")
    rotated = bool(
        auth_token and current_token and auth_token != current_token and previous_sid == account_sid
    )
    set_secret(session, tenant_id, "twilio_account_sid", account_sid)
    if auth_token:
        if rotated and current_token:
            set_secret(session, tenant_id, PREVIOUS_TOKEN, current_token)
        elif auth_token != current_token:
            delete_secret(session, tenant_id, PREVIOUS_TOKEN)  # another account: its old token means nothing
        set_secret(session, tenant_id, "twilio_auth_token", auth_token)
    if api_key_sid:
        set_secret(session, tenant_id, "twilio_api_key_sid", api_key_sid)
        set_secret(session, tenant_id, "twilio_api_key_secret", api_key_secret)
    audit.record(
        session,
        tenant_id,
        "whatsapp.credentials.saved",
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type="tenant",
        target_id=tenant_id,
        details={
            "account_sid": account_sid,
            "auth_token": "changed" if auth_token and auth_token != current_token else "unchanged",
            "api_key_sid": api_key_sid or None,
        },
    )
    forget_credentials()
    return whatsapp_connection(session, tenant_id)


def _sender_row(session: Session, tenant_id: int, address: str) -> WhatsAppSender:
    address = _address(address)
    row = TenantScope(session, tenant_id).first(WhatsAppSender, WhatsAppSender.address == address)
    if row is None:
        raise AccountError(f"{address} is not one of this workspace's WhatsApp numbers")
    return row


def _address(value: str) -> str:
    value = value.strip().replace(" ", "").replace("-", "")
    if value.startswith("+"):
        value = "whatsapp:" + value
    return validate_whatsapp_address(value)


def add_sender(
    session: Session,
    tenant_id: int,
    address: str,
    *,
    label: str = "",
    actor_user_id: int | None = None,
    actor_label: str = "console",
) -> SenderInfo:
    """Add a WhatsApp number (`whatsapp:+E164`, or `+E164`); the first one becomes the default."""
    address = _address(address)
    if session.exec(select(WhatsAppSender).where(WhatsAppSender.address == address)).first():
        raise SenderTaken(f"{address} is already connected to a workspace")
    scope = TenantScope(session, tenant_id)
    first = scope.first(WhatsAppSender) is None
    row = scope.add(WhatsAppSender(address=address, label=label.strip()[:80] or None, is_default=first))
    _audit(session, tenant_id, "whatsapp.sender.added", address, actor_user_id, actor_label)
    forget_credentials()
    return SenderInfo(row.address, row.label or "", row.is_default, row.id)


def remove_sender(
    session: Session,
    tenant_id: int,
    address: str,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "console",
) -> None:
    """Remove a number; when it was the default, the oldest remaining number becomes the default."""
    scope = TenantScope(session, tenant_id)
    row = _sender_row(session, tenant_id, address)
    was_default = row.is_default
    scope.delete(row)
    if was_default:
        rest = sorted(scope.all(WhatsAppSender), key=lambda r: r.id or 0)
        if rest:
            rest[0].is_default = True
            session.add(rest[0])
            session.flush()
    _audit(session, tenant_id, "whatsapp.sender.removed", row.address, actor_user_id, actor_label)
    forget_credentials()


def set_default_sender(
    session: Session,
    tenant_id: int,
    address: str,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "console",
) -> None:
    chosen = _sender_row(session, tenant_id, address)
    for row in TenantScope(session, tenant_id).all(WhatsAppSender):
        if row.is_default != (row.id == chosen.id):
            row.is_default = row.id == chosen.id
            session.add(row)
    session.flush()
    _audit(session, tenant_id, "whatsapp.sender.default", chosen.address, actor_user_id, actor_label)


def _audit(
    session: Session, tenant_id: int, action: str, address: str, actor_user_id: int | None, actor_label: str
) -> None:
    audit.record(
        session,
        tenant_id,
        action,
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type="whatsapp_sender",
        target_id=address,
    )


# ------------------------------------------------------------------------------------------------ test


def test_connection(session: Session, tenant_id: int) -> ConnectionCheck:
    """Fetch the account from Twilio with the stored credentials; nothing is sent to anyone."""
    login = rest_login(session, tenant_id)
    if login is None:
        return ConnectionCheck(
            False, "not_configured", "Nothing to test yet", "Save your account SID and auth token first."
        )
    sid = login.account_sid
    http = BaseUrlHttpClient(get_settings().twilio_api_base_url, timeout=TEST_TIMEOUT)
    client = Client(login.username, login.password, sid, http_client=http)
    try:
        account = client.api.v2010.accounts(sid).fetch()
    except TwilioRestException as exc:
        if exc.status in (401, 403) or exc.code == 20003:
            return ConnectionCheck(
                False,
                "wrong_credentials",
                "Twilio did not accept these credentials",
                "Check the account SID and auth token (or API key) against your Twilio Console.",
            )
        if exc.status == 404:
            return ConnectionCheck(
                False, "wrong_credentials", "Twilio has no such account", f"No account {sid} was found."
            )
        return ConnectionCheck(
            False, "error", "Twilio answered with an error", f"{exc.msg} (HTTP {exc.status})"
        )
    except TwilioException as exc:
        return _unreachable(str(exc))
    except OSError as exc:  # requests' connection errors are OSErrors
        return _unreachable(str(exc))
    name = account.friendly_name or sid
    status = (account.status or "").lower()
    if status == "suspended":
        return ConnectionCheck(
            False,
            "suspended",
            "Your Twilio account is suspended",
            f"{name} is suspended, so no WhatsApp message can be sent or received. Twilio's support can "
            "tell you why.",
        )
    if status == "closed":
        return ConnectionCheck(False, "closed", "Your Twilio account is closed", f"{name} has been closed.")
    return ConnectionCheck(
        True, "ok", "Connected to Twilio", f"{name} is active and accepts your credentials."
    )


def _unreachable(detail: str) -> ConnectionCheck:
    return ConnectionCheck(
        False,
        "unreachable",
        "Twilio could not be reached",
        f"The server could not connect to Twilio. Check its internet access and try again. ({detail[:160]})",
    )


__all__ = [
    "ConnectionCheck",
    "CredentialProblem",
    "CredentialsRefused",
    "SenderInfo",
    "SenderTaken",
    "WhatsAppConnection",
    "add_sender",
    "remove_sender",
    "save_credentials",
    "senders",
    "set_default_sender",
    "test_connection",
    "webhook_urls",
    "whatsapp_connection",
]
