"""Settings → WhatsApp's service and the webhook's token rotation, against the fake Twilio server.

The connection test calls Twilio's account endpoint through twilio-python and says what went wrong in words;
a changed auth token keeps webhooks signed with the old one working until one signed with the new one arrives.
"""

from __future__ import annotations

import base64

import pytest
from sqlmodel import select

from engine.accounts.errors import AccountError
from engine.accounts.secrets import delete_secret, get_secret
from engine.channels.whatsapp import connection
from engine.channels.whatsapp.connection import CredentialsRefused
from engine.channels.whatsapp.rest_login import rest_login
from engine.channels.whatsapp.rich import RichMessageBuilder
from engine.channels.whatsapp.sender import TwilioSender
from engine.db import session_scope
from engine.models import AuditLog
from tests.engine.conversations.harness import WhatsAppEnv, wa_fixture  # noqa: F401 - the `wa` fixture
from tests.fakes.twilio_server import RecordedRequest

NEW_TOKEN = "f" * 32
SID = "AC" + "1" * 32
KEY_SID = "SK" + "3" * 32


def _save(tenant_id: int, **kwargs: str) -> connection.WhatsAppConnection:
    with session_scope() as s:
        return connection.save_credentials(s, tenant_id, **kwargs)


def _check(tenant_id: int) -> connection.ConnectionCheck:
    with session_scope() as s:
        return connection.test_connection(s, tenant_id)


def test_the_connection_test_reads_twilio_in_words(wa: WhatsAppEnv) -> None:
    token = "a" * 32
    wa.fake.add_account(SID, token)
    saved = _save(wa.tenant_id, account_sid=SID, auth_token=token)
    assert (saved.account_sid, saved.auth_token_masked) == (SID, "••••aaaa")
    ok = _check(wa.tenant_id)
    assert (ok.ok, ok.kind, ok.title) == (True, "ok", "Connected to Twilio")
    (request,) = [r for r in wa.fake.requests if r.route == "account"]
    assert request.path == f"/2010-04-01/Accounts/{SID}.json"

    wa.fake.add_account(SID, "b" * 32)  # the token was changed on Twilio's side
    wrong = _check(wa.tenant_id)
    assert (wrong.ok, wrong.kind) == (False, "wrong_credentials")
    assert "auth token" in wrong.detail

    wa.fake.add_account(SID, token, status="suspended")
    suspended = _check(wa.tenant_id)
    assert (suspended.kind, suspended.title) == ("suspended", "Your Twilio account is suspended")


def _login_of(request: RecordedRequest) -> str:
    header = request.headers.get("Authorization") or request.headers.get("authorization") or ""
    return base64.b64decode(header.removeprefix("Basic ")).decode().partition(":")[0]


def test_an_api_key_alone_is_refused_because_twilio_signs_webhooks_with_the_auth_token(
    wa: WhatsAppEnv,
) -> None:
    with session_scope() as s:
        delete_secret(s, wa.tenant_id, "twilio_auth_token")
    with pytest.raises(CredentialsRefused) as refused:
        _save(wa.tenant_id, account_sid=SID, api_key_sid=KEY_SID, api_key_secret="key-secret")
    assert [p.field for p in refused.value.problems] == ["auth_token"]
    assert "signs" in refused.value.problems[0].message
    with session_scope() as s:
        assert get_secret(s, wa.tenant_id, "twilio_api_key_sid") is None  # nothing half-written


def test_with_an_api_key_every_rest_call_logs_in_with_the_key_not_the_auth_token(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twilio recommends API keys for REST calls: sending, the connection test and media all use the key once
    one is stored; the auth token stays for checking webhook signatures only."""
    with session_scope() as s:
        sid = get_secret(s, wa.tenant_id, "twilio_account_sid")
    assert sid is not None
    wa.fake.add_api_key(sid, KEY_SID, "key-secret")
    _save(wa.tenant_id, account_sid=sid, api_key_sid=KEY_SID, api_key_secret="key-secret")
    wa.fake.add_account(sid, "9" * 32)  # the stored auth token no longer opens the REST API

    assert _check(wa.tenant_id).ok
    with session_scope() as s:
        sender = TwilioSender.for_tenant(s, wa.tenant_id)
    assert sender.send(
        from_=wa.sender, to=wa.customer, message=RichMessageBuilder.text("Your order is ready")
    ).ok
    assert wa.fake.sent_per_to()[wa.customer] == 1
    logins = {_login_of(r) for r in wa.fake.requests if r.route in ("account", "messages")}
    assert logins == {KEY_SID}
    with session_scope() as s:
        login = rest_login(s, wa.tenant_id)
    assert login is not None and login.uses_api_key and KEY_SID not in repr(login)

    monkeypatch.setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    from engine.config import reset_settings_cache

    reset_settings_cache()
    down = _check(wa.tenant_id)
    assert (down.ok, down.kind, down.title) == (False, "unreachable", "Twilio could not be reached")


def test_refused_credentials_name_each_field(wa: WhatsAppEnv) -> None:
    with pytest.raises(CredentialsRefused) as refused:
        _save(wa.tenant_id, account_sid="AC123", auth_token="short", api_key_sid="SK" + "1" * 32)
    assert {p.field for p in refused.value.problems} == {"account_sid", "auth_token", "api_key_secret"}


def test_senders_are_added_removed_and_one_is_the_default(wa: WhatsAppEnv) -> None:
    with session_scope() as s:
        connection.add_sender(s, wa.tenant_id, "+44 7700 900555", label="Shop")
        with pytest.raises(AccountError, match="already connected"):
            connection.add_sender(s, wa.tenant_id, wa.sender)
        with pytest.raises(AccountError, match="E.164"):
            connection.add_sender(s, wa.tenant_id, "whatsapp:07700")
    with session_scope() as s:
        first, second = connection.senders(s, wa.tenant_id)
        assert (first.address, first.is_default, second.address) == (
            wa.sender,
            True,
            "whatsapp:+447700900555",
        )
        connection.set_default_sender(s, wa.tenant_id, "whatsapp:+447700900555")
    with session_scope() as s:
        assert connection.senders(s, wa.tenant_id)[0].address == "whatsapp:+447700900555"
        connection.remove_sender(s, wa.tenant_id, "whatsapp:+447700900555")
    with session_scope() as s:
        (left,) = connection.senders(s, wa.tenant_id)
        assert left.is_default and left.address == wa.sender
        actions = [a.action for a in s.exec(select(AuditLog)).all()]
    assert actions.count("whatsapp.sender.added") == 1 and "whatsapp.sender.removed" in actions


def test_webhook_urls_come_from_public_base_url_or_the_request(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.config import reset_settings_cache

    monkeypatch.setenv("PUBLIC_BASE_URL", "https://shop.example/")
    reset_settings_cache()
    assert connection.webhook_urls("http://localhost:3000") == (
        "https://shop.example/webhooks/twilio/whatsapp",
        "https://shop.example/webhooks/twilio/status",
    )
    monkeypatch.delenv("PUBLIC_BASE_URL")
    reset_settings_cache()
    assert (
        connection.webhook_urls("http://10.0.0.5:3000")[0] == "http://10.0.0.5:3000/webhooks/twilio/whatsapp"
    )


def test_a_rotated_token_keeps_old_signatures_until_the_new_one_is_seen(wa: WhatsAppEnv) -> None:
    old = wa.auth_token
    assert wa.inbound("before", token=old).status_code == 200  # the old token is cached now
    saved = _save(wa.tenant_id, account_sid=wa.account_sid, auth_token=NEW_TOKEN)
    assert saved.previous_token_pending
    assert wa.inbound("still old on Twilio", token=old).status_code == 200
    assert wa.inbound("new on Twilio", token=NEW_TOKEN).status_code == 200  # confirms the new token
    with session_scope() as s:
        assert get_secret(s, wa.tenant_id, "twilio_auth_token_previous") is None
        assert s.exec(select(AuditLog).where(AuditLog.action == "whatsapp.token.confirmed")).first()
    assert wa.inbound("old again", token=old).status_code == 403
    assert wa.inbound("new again", token=NEW_TOKEN).status_code == 200
