"""Settings → WhatsApp through WhatsAppSettingsState: real states, the real engine service
(engine.channels.whatsapp.connection) and the fake Twilio server behind TWILIO_API_BASE_URL for the test.

What must hold: the account SID is shown, secrets only as ••••last4 and never in the state sent to the
browser; each refused credential gets its own message; numbers are added as whatsapp:+E164, removed, and one
is the default; the connection test says in words what Twilio answered; other roles are refused.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import select

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.settings_whatsapp import WhatsAppSettingsState
from engine.accounts.secrets import get_secret
from engine.channels.whatsapp import connection
from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.models import AuditLog
from tests.console.conftest import redirect_path, toast_text
from tests.fakes.twilio_server import FakeTwilioServer, fake_twilio

FIXTURES = (fake_twilio,)  # the fake Twilio server on 127.0.0.1, one per test

SID = "AC" + "5e" * 16
TOKEN = "0123456789abcdef0123456789ab9f9f"
KEY_SID = "SK" + "7" * 32
KEY_SECRET = "a-key-secret-only-twilio-knows"


@pytest.fixture(autouse=True)
def _twilio_is_the_fake(fake_twilio: FakeTwilioServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_API_BASE_URL", fake_twilio.base_url)
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    reset_settings_cache()


def browser_view(state: WhatsAppSettingsState) -> str:
    """Everything the browser receives for this tab: the state's public vars, as JSON."""
    return json.dumps(state.dict(), default=str)


async def run_test_connection(state: WhatsAppSettingsState) -> Any:
    """The background handler's body on this state (under pytest `async with self` is a no-op)."""
    return await WhatsAppSettingsState.event_handlers["test_connection"].fn(state)


async def open_whatsapp(open_tab, shop, role: str = "owner") -> WhatsAppSettingsState:
    state = open_tab(WhatsAppSettingsState, shop.people[role].token, "/settings?tab=whatsapp")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


def actions(tenant_id: int) -> list[str]:
    with session_scope() as db:
        return [a.action for a in db.exec(select(AuditLog).where(AuditLog.tenant_id == tenant_id)).all()]


async def test_a_new_workspace_has_nothing_connected_and_its_webhook_addresses(open_tab, workspace) -> None:
    state = await open_whatsapp(open_tab, workspace)
    assert (state.account_sid, state.token_masked, state.senders, state.connected) == ("", "", [], False)
    # Built from the address the browser used (PUBLIC_BASE_URL unset), ready to paste into Twilio.
    assert state.inbound_url == "http://localhost:3000/webhooks/twilio/whatsapp"
    assert state.status_url == "http://localhost:3000/webhooks/twilio/status"


async def test_credentials_are_saved_and_only_shown_masked(open_tab, workspace) -> None:
    state = await open_whatsapp(open_tab, workspace)
    toast = toast_text(await state.save_credentials({"account_sid": f" {SID} ", "auth_token": TOKEN}))
    assert "success" in toast and TOKEN not in toast
    assert (state.account_sid, state.token_masked, state.connected) == (SID, "••••9f9f", True)
    assert TOKEN not in browser_view(state) and TOKEN[:12] not in browser_view(state)
    with session_scope() as db:
        assert get_secret(db, workspace.tenant_id, "twilio_auth_token") == TOKEN
        raw = " ".join(db.connection().exec_driver_sql("SELECT value FROM secret").scalars())
    assert TOKEN not in raw  # encrypted at rest
    assert "whatsapp.credentials.saved" in actions(workspace.tenant_id)

    # An API key pair is shown the same way; a fresh tab (another page load) never sees a secret either.
    await state.save_credentials({"account_sid": SID, "api_key_sid": KEY_SID, "api_key_secret": KEY_SECRET})
    again = await open_whatsapp(open_tab, workspace, "admin")
    assert (again.api_key_sid, again.api_key_masked, again.token_masked) == (KEY_SID, "••••nows", "••••9f9f")
    assert TOKEN not in browser_view(again) and KEY_SECRET not in browser_view(again)


async def test_each_refused_credential_gets_its_own_message(open_tab, workspace) -> None:
    state = await open_whatsapp(open_tab, workspace)
    assert await state.save_credentials({"account_sid": "AC123", "auth_token": "short"}) is None
    assert set(state.errors) == {"account_sid", "auth_token"}
    assert state.errors["account_sid"].startswith("The account SID is AC followed by 32")
    assert await state.save_credentials({"account_sid": SID, "api_key_sid": "SK1"}) is None
    assert set(state.errors) == {"api_key_secret", "auth_token"}  # a key SID without its secret, and no token
    assert "signs" in state.errors["auth_token"]  # an API key alone cannot check Twilio's signatures
    assert (
        await state.save_credentials(
            {"account_sid": SID, "auth_token": TOKEN, "api_key_sid": "SK1", "api_key_secret": "s"}
        )
        is None
    )
    assert set(state.errors) == {"api_key_sid"}
    with session_scope() as db:
        assert get_secret(db, workspace.tenant_id, "twilio_account_sid") is None  # nothing written

    await state.save_credentials({"account_sid": SID, "auth_token": TOKEN})
    assert state.errors == {}


async def test_numbers_are_added_in_e164_removed_and_one_is_the_default(open_tab, workspace) -> None:
    state = await open_whatsapp(open_tab, workspace)
    assert "success" in toast_text(await state.add_sender({"number": "+44 7700 900555", "label": "Shop"}))
    assert state.senders == [
        {
            "address": "whatsapp:+447700900555",
            "number": "+44 7700 900555",
            "label": "Shop",
            "is_default": True,
        }
    ]  # the first number is the default; kept in E.164, shown as people read it

    # Anything that is not whatsapp:+E164 is refused next to the field, and nothing is added.
    for bad in ("07700 900123", "whatsapp:07700", "call me", ""):
        assert await state.add_sender({"number": bad}) is None
        assert state.sender_error, bad
    assert "E.164" in state.sender_error or "country code" in state.sender_error
    assert len(state.senders) == 1

    await state.add_sender({"number": "whatsapp:+1 415 555 0100"})
    assert state.sender_error == ""
    assert [(s["number"], s["is_default"]) for s in state.senders] == [
        ("+44 7700 900555", True),  # shown as people read them; stored as whatsapp:+E.164
        ("+1 415-555-0100", False),
    ]
    assert await state.add_sender({"number": "+14155550100"}) is None  # already connected
    assert "already" in state.sender_error

    await state.make_default("whatsapp:+14155550100")
    assert [s["number"] for s in state.senders if s["is_default"]] == ["+1 415-555-0100"]
    assert "success" in toast_text(await state.remove_sender("whatsapp:+14155550100"))
    assert [(s["number"], s["is_default"]) for s in state.senders] == [("+44 7700 900555", True)]
    assert "error" in toast_text(await state.remove_sender("whatsapp:+15550000000"))  # not one of ours

    recorded = actions(workspace.tenant_id)
    assert recorded.count("whatsapp.sender.added") == 2
    assert {"whatsapp.sender.default", "whatsapp.sender.removed"} <= set(recorded)


async def test_another_workspaces_number_cannot_be_touched(open_tab, workspace) -> None:
    from tests.console.conftest import make_tenant

    other = make_tenant("Northwind Cafe", "northwind")
    with session_scope() as db:
        connection.add_sender(db, other, "+33 6 12 34 56 78")
    state = await open_whatsapp(open_tab, workspace)
    assert "error" in toast_text(await state.remove_sender("whatsapp:+33612345678"))
    assert "error" in toast_text(await state.make_default("whatsapp:+33612345678"))
    assert await state.add_sender({"number": "+33612345678"}) is None  # one number, one workspace
    with session_scope() as db:
        assert [s.address for s in connection.senders(db, other)] == ["whatsapp:+33612345678"]


async def test_the_connection_test_says_what_twilio_answered(
    open_tab, workspace, fake_twilio: FakeTwilioServer
) -> None:
    state = await open_whatsapp(open_tab, workspace)
    assert "error" in toast_text(await run_test_connection(state))
    assert (state.test_state, state.test_title) == ("error", "Nothing to test yet")

    fake_twilio.add_account(SID, TOKEN)
    await state.save_credentials({"account_sid": SID, "auth_token": TOKEN})
    assert "success" in toast_text(await run_test_connection(state))
    assert (state.testing, state.test_state, state.test_title) == (False, "ok", "Connected to Twilio")
    assert "is active" in state.test_detail
    assert [r.path for r in fake_twilio.requests if r.route == "account"] == [
        f"/2010-04-01/Accounts/{SID}.json"
    ]

    fake_twilio.add_account(SID, "f" * 32)  # the token was changed on Twilio's side
    assert "error" in toast_text(await run_test_connection(state))
    assert (state.test_state, state.test_title) == ("error", "Twilio did not accept these credentials")
    assert "auth token" in state.test_detail

    fake_twilio.add_account(SID, TOKEN, status="suspended")
    await run_test_connection(state)
    assert state.test_title == "Your Twilio account is suspended"

    fake_twilio.add_account(SID, TOKEN)
    await state.save_credentials({"account_sid": SID, "auth_token": TOKEN})
    assert state.test_state == ""  # a new save forgets the old result


async def test_an_unreachable_twilio_is_said_so(open_tab, workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    state = await open_whatsapp(open_tab, workspace)
    await state.save_credentials({"account_sid": SID, "auth_token": TOKEN})
    monkeypatch.setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    reset_settings_cache()
    await run_test_connection(state)
    assert (state.test_state, state.test_title) == ("error", "Twilio could not be reached")


@pytest.mark.parametrize("role", ["manager", "agent", "viewer"])
async def test_other_roles_are_refused_and_forged_events_change_nothing(
    open_tab, workspace, role: str, fake_twilio: FakeTwilioServer
) -> None:
    owner = await open_whatsapp(open_tab, workspace)
    await owner.save_credentials({"account_sid": SID, "auth_token": TOKEN})
    await owner.add_sender({"number": "+447700900555"})

    state = open_tab(WhatsAppSettingsState, workspace.people[role].token, "/settings?tab=whatsapp")
    await state.load_page()
    assert state.access == FORBIDDEN
    assert (state.account_sid, state.token_masked, state.senders) == ("", "", [])
    assert "9f9f" not in browser_view(state)

    forged = {"account_sid": "AC" + "6" * 32, "auth_token": "e" * 32}
    assert "error" in toast_text(await state.save_credentials(forged))
    assert "error" in toast_text(await state.add_sender({"number": "+14155550100"}))
    assert "error" in toast_text(await state.remove_sender("whatsapp:+447700900555"))
    assert "error" in toast_text(await state.make_default("whatsapp:+447700900555"))
    assert "error" in toast_text(await run_test_connection(state))
    assert not [r for r in fake_twilio.requests if r.route == "account"]

    with session_scope() as db:
        view = connection.whatsapp_connection(db, workspace.tenant_id)
    assert (view.account_sid, view.auth_token_masked) == (SID, "••••9f9f")
    assert [s.address for s in view.senders] == ["whatsapp:+447700900555"]


async def test_handlers_without_a_session_go_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(WhatsAppSettingsState, None, "/settings?tab=whatsapp")
    assert redirect_path(await state.save_credentials({"account_sid": SID})).startswith("/login")
    assert redirect_path(await state.add_sender({"number": "+447700900555"})).startswith("/login")
    assert redirect_path(await run_test_connection(state)).startswith("/login")
