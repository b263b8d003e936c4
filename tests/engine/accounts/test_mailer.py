"""Email: SMTP settings stored (password encrypted); a test email and an invitation reach a local SMTP server.

The server is aiosmtpd on 127.0.0.1 (a free port) with plain SMTP and an AUTH that accepts one user; the
invitation is sent after the membership is committed, and says whether it went.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlmodel import select

from engine.accounts import mailer
from engine.accounts.invitations import invite_and_email
from engine.accounts.mailer import MailForm, MailSettingsRefused
from engine.accounts.tenants import create_tenant
from engine.accounts.users import add_membership, create_user
from engine.db import session_scope
from engine.models import AuditLog, Secret


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"shop",
        b"pw-1234",
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


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
        auth_exclude_mechanism=["LOGIN"],  # one mechanism: a refusal is answered at once
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _tenant_and_owner() -> tuple[int, int]:
    with session_scope() as s:
        tenant_id = create_tenant(s, name="Green Leaf", slug="green-leaf").id
        owner = create_user(s, email="owner@greenleaf.test", password="x" * 12)
        add_membership(s, tenant_id, int(owner.id or 0), "owner")
        return tenant_id, int(owner.id or 0)


def _configure(tenant_id: int, port: int, password: str = "pw-1234") -> mailer.MailSettings:
    form = MailForm("127.0.0.1", port, "none", "Green Leaf <hello@greenleaf.test>", "shop", password)
    with session_scope() as s:
        return mailer.save_mail_settings(s, tenant_id, form)


def test_a_test_email_arrives_and_the_password_is_stored_encrypted(smtp) -> None:
    inbox, port = smtp
    tenant_id, _ = _tenant_and_owner()
    settings = _configure(tenant_id, port)
    assert settings.configured and settings.password_masked == "••••1234"
    with session_scope() as s:
        result = mailer.send_test_email(s, tenant_id, to="owner@greenleaf.test")
        row = s.exec(select(Secret).where(Secret.kind == "smtp_password")).one()
        assert (
            row.value == "pw-1234"
        )  # decrypted by the column type; raw storage is covered by tests/security
        assert s.exec(select(AuditLog).where(AuditLog.action == "email.settings.saved")).first()
    assert result == mailer.SendResult(True, "Email sent to owner@greenleaf.test.")
    (message,) = inbox.messages
    assert message["From"] == "Green Leaf <hello@greenleaf.test>" and "Green Leaf" in message["Subject"]


def test_a_wrong_password_and_no_server_are_said_in_words(smtp) -> None:
    _, port = smtp
    tenant_id, _ = _tenant_and_owner()
    with session_scope() as s:
        assert mailer.send_test_email(s, tenant_id, to="a@b.test").message.startswith("Email is not set up")
    _configure(tenant_id, port, password="wrong")
    with session_scope() as s:
        assert mailer.send_test_email(s, tenant_id, to="a@b.test") == mailer.SendResult(
            False, "The mail server refused the user name or password."
        )
        mailer.clear_mail_settings(s, tenant_id)
        assert not mailer.mail_settings(s, tenant_id).configured


def test_refusals_name_their_fields() -> None:
    tenant_id, _ = _tenant_and_owner()
    with pytest.raises(MailSettingsRefused) as refused, session_scope() as s:
        mailer.save_mail_settings(
            s, tenant_id, MailForm("not a host", "99999", "carrier-pigeon", "nobody", "", "pw")
        )
    assert {p.field for p in refused.value.problems} == {"host", "port", "tls", "sender", "username"}


def test_an_invitation_is_emailed_when_mail_is_set_up(smtp) -> None:
    inbox, port = smtp
    tenant_id, owner_id = _tenant_and_owner()
    without = invite_and_email(
        tenant_id, owner_id, email="first@greenleaf.test", role="agent", sign_in_url="http://x/login"
    )
    assert not without.email.sent and without.invite.temporary_password
    _configure(tenant_id, port)
    outcome = invite_and_email(
        tenant_id, owner_id, email="sam@greenleaf.test", role="agent", sign_in_url="http://x/login"
    )
    assert outcome.email.sent
    (message,) = inbox.messages
    body = message.get_payload()
    assert message["To"] == "sam@greenleaf.test" and "as Agent" in body
    assert f"temporary password is: {outcome.invite.temporary_password}" in body
