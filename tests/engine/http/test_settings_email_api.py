"""/api/v1/settings/email: SMTP settings (password write-only), "no email", and a test email that reaches a
local aiosmtpd server started by the test (plain SMTP with AUTH for one user, as tests/engine/accounts'
mailer tests do)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlmodel import select

from engine.db import session_scope
from engine.models import AuditLog
from tests.engine.http.api_env import ApiEnv

BASE = "/settings/email"
PASSWORD = "pw-sEcret-4411"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"shop",
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd's start() connects to its own port, so it must be a real one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticator,
        auth_require_tls=False,
        auth_exclude_mechanism=["LOGIN"],
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _settings(port: int, password: str = PASSWORD) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": port,
        "tls": "none",
        "sender": "Green Leaf <hello@greenleaf.test>",
        "username": "shop",
        "password": password,
    }


def test_settings_are_saved_with_the_password_write_only(api: ApiEnv) -> None:
    empty = api.call("GET", BASE).json()
    assert empty["configured"] is False and empty["password"] == {"set": False, "ends_with": None}
    saved = api.call("PUT", BASE, json=_settings(2525))
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["configured"] and (body["host"], body["port"], body["tls"]) == ("127.0.0.1", 2525, "none")
    assert body["password"] == {"set": True, "ends_with": "4411"} and PASSWORD not in saved.text
    changed = api.call("PUT", BASE, json={"port": 2626}).json()  # the others, password included, stay
    assert (changed["port"], changed["username"], changed["password"]["set"]) == (2626, "shop", True)
    assert api.call("GET", BASE).json() == changed
    assert api.call("GET", BASE, token="all_b").json()["configured"] is False
    with session_scope() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.action == "email.settings.saved")).all()
        assert rows and all(r.actor_label == "api" and PASSWORD not in str(r.details) for r in rows)


def test_refusals_name_their_fields_and_save_nothing(api: ApiEnv) -> None:
    response = api.call(
        "PUT",
        BASE,
        json={
            "host": "not a host",
            "port": 99999,
            "tls": "carrier-pigeon",
            "sender": "nobody",
            "password": "x",
        },
    )
    assert response.status_code == 422, response.text
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"host", "port", "tls", "sender", "username"}
    assert api.call("GET", BASE).json()["configured"] is False
    for sender in ("\u00a1(0", "Shop <ü@shop.test>"):  # non-ASCII addresses: refused, not a 500
        response = api.call("PUT", BASE, json={"host": "smtp.example.com", "sender": sender})
        assert [d["field"] for d in response.json()["error"]["details"]] == ["sender"], sender
    for body in ({"host": 5}, {"smtp": "x"}, {"port": "many"}):
        assert api.call("PUT", BASE, json=body).status_code == 422, body
    for body in ({}, {"to": "not-an-address"}, {"to": "a@b.test", "cc": "c@d.test"}):
        response = api.call("POST", f"{BASE}/test", json=body)
        assert response.status_code == 422, body
    assert response.json()["error"]["details"][0]["loc"] == ["body", "cc"]


def test_a_test_email_reaches_the_local_server(api: ApiEnv, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    unset = api.call("POST", f"{BASE}/test", json={"to": "owner@greenleaf.test"})
    assert unset.status_code == 200 and unset.json()["sent"] is False
    assert unset.json()["message"].startswith("Email is not set up") and inbox.messages == []

    api.call("PUT", BASE, json=_settings(port))
    sent = api.call("POST", f"{BASE}/test", json={"to": "owner@greenleaf.test"})
    assert sent.json() == {"sent": True, "message": "Email sent to owner@greenleaf.test."}
    (message,) = inbox.messages
    assert message["To"] == "owner@greenleaf.test" and message["From"] == "Green Leaf <hello@greenleaf.test>"

    api.call("PUT", BASE, json={"password": "wrong-one"})
    refused = api.call("POST", f"{BASE}/test", json={"to": "owner@greenleaf.test"}).json()
    assert refused == {"sent": False, "message": "The mail server refused the user name or password."}
    assert len(inbox.messages) == 1


def test_no_email_forgets_the_settings_and_the_password(api: ApiEnv, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    api.call("PUT", BASE, json=_settings(port))
    cleared = api.call("DELETE", BASE)
    assert cleared.status_code == 200
    assert cleared.json()["configured"] is False and cleared.json()["password"]["set"] is False
    assert api.call("POST", f"{BASE}/test", json={"to": "a@b.test"}).json()["sent"] is False
    assert inbox.messages == []
    with session_scope() as s:
        assert (
            s.exec(select(AuditLog).where(AuditLog.action == "email.settings.cleared")).one().actor_label
            == "api"
        )
