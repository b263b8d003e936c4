"""Settings → Email through EmailSettingsState: the workspace's SMTP server, and "Send a test email" to a
local SMTP server the test starts (aiosmtpd on 127.0.0.1, accepting user "shop" with password "pw-1234").

What must hold: settings are saved and audited; the password goes in encrypted and comes back only as
••••last4, never in the state sent to the browser (the signed-in address a test goes to is backend-only); each
refused field gets its own message; the test email arrives, and a refusal is said in words; only owners and
admins may change any of it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import select

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.settings_email import EmailSettingsState
from console.state.team import TeamState
from engine.accounts import mailer
from engine.db import session_scope
from engine.models import AuditLog
from tests.console.conftest import redirect_path, toast_text
from tests.engine.accounts.test_mailer import Inbox, smtp

FIXTURES = (smtp,)  # (inbox, port) of a local SMTP server, one per test

PASSWORD = "pw-1234"
SENDER = "Green Leaf <hello@greenleaf.test>"


def browser_view(state: EmailSettingsState) -> str:
    """Everything the browser receives for this tab: the state's public vars, as JSON."""
    return json.dumps(state.dict(), default=str)


async def send_test(state: EmailSettingsState, to: str = "") -> Any:
    """The background handler's body on this state (under pytest `async with self` is a no-op)."""
    return await EmailSettingsState.event_handlers["send_test"].fn(state, {"to": to})


async def open_email(open_tab, shop, role: str = "owner") -> EmailSettingsState:
    state = open_tab(EmailSettingsState, shop.people[role].token, "/settings?tab=email")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


async def configure(state: EmailSettingsState, port: int, password: str = PASSWORD) -> Any:
    state.set_tls("none")
    state.set_port(str(port))
    return await state.save({"host": "127.0.0.1", "sender": SENDER, "username": "shop", "password": password})


def stored(tenant_id: int) -> mailer.MailSettings:
    with session_scope() as db:
        return mailer.mail_settings(db, tenant_id)


async def test_a_new_workspace_sends_no_email(open_tab, workspace) -> None:
    state = await open_email(open_tab, workspace)
    assert (state.configured, state.host, state.port, state.tls) == (False, "", "587", "starttls")
    state.set_tls("ssl")  # the port follows the security choice until it is typed
    assert state.port == "465"
    state.set_tls("carrier-pigeon")
    assert state.tls == "ssl"


async def test_settings_are_saved_and_the_password_never_comes_back(
    open_tab, workspace, smtp: tuple[Inbox, int]
) -> None:
    _, port = smtp
    state = await open_email(open_tab, workspace)
    assert "success" in toast_text(await configure(state, port))
    assert (state.configured, state.host, state.port, state.sender, state.username) == (
        True,
        "127.0.0.1",
        str(port),
        SENDER,
        "shop",
    )
    assert state.password_masked == "••••1234"
    assert PASSWORD not in browser_view(state)
    with session_scope() as db:
        raw = " ".join(db.connection().exec_driver_sql("SELECT value FROM secret").scalars())
        [row] = db.exec(select(AuditLog).where(AuditLog.action == "email.settings.saved")).all()
        assert row.actor_user_id == workspace.people["owner"].user_id
        assert PASSWORD not in json.dumps(row.details)
    assert PASSWORD not in raw  # encrypted at rest

    # Saving again with the password left blank keeps it; a fresh tab still shows only the mask.
    await state.save(
        {"host": "127.0.0.1", "sender": "hello@greenleaf.test", "username": "shop", "password": ""}
    )
    again = await open_email(open_tab, workspace, "admin")
    assert (again.sender, again.password_masked) == ("hello@greenleaf.test", "••••1234")
    assert PASSWORD not in browser_view(again)


async def test_the_address_a_test_goes_to_stays_on_the_server(open_tab, workspace) -> None:
    state = await open_email(open_tab, workspace)
    assert state._email == workspace.people["owner"].email
    sent = state.dict()[EmailSettingsState.get_full_name()]
    assert not any("email" in name for name in sent)
    assert workspace.people["owner"].email not in json.dumps(sent)


async def test_each_refused_field_gets_its_own_message(open_tab, workspace) -> None:
    state = await open_email(open_tab, workspace)
    state.set_port("99999")
    assert await state.save({"host": "not a host", "sender": "nobody", "password": "pw"}) is None
    assert set(state.errors) == {"host", "port", "sender", "username"}
    assert state.errors["username"] == "A password needs a user name."
    assert state.errors["port"] == "A port is a number from 1 to 65535."
    assert not stored(workspace.tenant_id).configured  # nothing written


async def test_a_test_email_arrives_and_a_refusal_is_said_in_words(
    open_tab, workspace, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    state = await open_email(open_tab, workspace)
    assert "error" in toast_text(await send_test(state))
    assert (state.sending, state.test_ok) == (False, False)
    assert state.test_note.startswith("Email is not set up")

    await configure(state, port)
    assert "success" in toast_text(await send_test(state))  # to the signed-in person when no address is given
    assert (state.test_ok, state.test_note) == (True, f"Email sent to {workspace.people['owner'].email}.")
    assert "success" in toast_text(await send_test(state, "baker@greenleaf.test"))
    assert [m["To"] for m in inbox.messages] == [workspace.people["owner"].email, "baker@greenleaf.test"]
    assert all(m["From"] == SENDER for m in inbox.messages)

    await configure(state, port, password="wrong-password")
    assert "error" in toast_text(await send_test(state))
    assert (state.test_ok, state.test_note) == (False, "The mail server refused the user name or password.")
    assert len(inbox.messages) == 2


async def test_turning_email_off_forgets_the_server(open_tab, workspace, smtp: tuple[Inbox, int]) -> None:
    _, port = smtp
    state = await open_email(open_tab, workspace)
    await configure(state, port)
    assert "success" in toast_text(await state.turn_off())
    assert (state.configured, state.host, state.password_masked) == (False, "", "")
    assert not stored(workspace.tenant_id).configured


async def test_an_invitation_says_whether_it_was_emailed(
    open_tab, workspace, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    team = open_tab(TeamState, workspace.people["owner"].token, "/settings?tab=team")
    await team.load_page()
    await team.open_invite()
    toast = toast_text(await team.invite({"email": "noah@greenleaf.test", "role": "agent"}))
    assert team.invite_email_note == (
        "No invitation email was sent: this workspace has no mail server (Settings → Email)."
    )
    assert "No invitation email was sent" in toast and team.created_password  # handed over by hand, then

    await configure(await open_email(open_tab, workspace), port)
    await team.open_invite()
    await team.invite({"email": "ava@greenleaf.test", "role": "agent"})
    assert team.invite_email_note == "An invitation email was sent to ava@greenleaf.test."
    [invitation] = inbox.messages
    assert invitation["To"] == "ava@greenleaf.test"
    assert "/login" in str(invitation.get_payload())  # where to sign in

    await configure(await open_email(open_tab, workspace), port, password="wrong-password")
    await team.open_invite()
    await team.invite({"email": "leo@greenleaf.test", "role": "agent"})
    assert team.invite_email_note == (
        "The invitation email could not be sent: the mail server refused the user name or password."
    )


@pytest.mark.parametrize("role", ["manager", "agent", "viewer"])
async def test_other_roles_are_refused_and_forged_events_change_nothing(
    open_tab, workspace, role: str, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    await configure(await open_email(open_tab, workspace), port)

    state = open_tab(EmailSettingsState, workspace.people[role].token, "/settings?tab=email")
    await state.load_page()
    assert state.access == FORBIDDEN
    assert (state.configured, state.host, state.password_masked) == (False, "", "")
    state.set_tls("none")  # draft setters do nothing for a refused tab
    state.set_port("2525")
    assert (state.tls, state.port) == ("starttls", "587")

    forged = {"host": "mail.attacker.test", "sender": "x@attacker.test", "username": "x", "password": "y"}
    assert "error" in toast_text(await state.save(forged))
    assert "error" in toast_text(await state.turn_off())
    assert "error" in toast_text(await send_test(state, "x@attacker.test"))
    assert inbox.messages == []
    assert stored(workspace.tenant_id).host == "127.0.0.1"


async def test_handlers_without_a_session_go_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(EmailSettingsState, None, "/settings?tab=email")
    assert redirect_path(await state.save({"host": "127.0.0.1"})).startswith("/login")
    assert redirect_path(await send_test(state)).startswith("/login")
