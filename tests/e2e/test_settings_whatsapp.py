"""Connect a workspace to WhatsApp entirely from the console, then switch the agent off (issue #11).

The console server sends every Twilio request to the fake Twilio server this module starts at import
(before the session's server starts, so TWILIO_API_BASE_URL is in its environment). The owner saves the
account SID and auth token, adds a number, runs the connection test (green), and a signed inbound webhook to
that number is answered through the fake. Then Features → Off: the next message is left for staff.
Screenshots at 1440 and 390 px wide land in tests/e2e/artifacts/ (60-…).
"""

from __future__ import annotations

import os
import time
import uuid

import httpx
from playwright.sync_api import Page, expect
from twilio.request_validator import RequestValidator

from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.test_console import OWNER, sign_in
from tests.e2e.twilio_fake import FAKE

expect.set_options(timeout=20_000)

os.environ.setdefault("BURST_WINDOW_SECONDS", "1")

SID, TOKEN = "AC" + "5e7" * 10 + "ab", "9f" * 16
SENDER, CUSTOMER = "whatsapp:+447700900555", "whatsapp:+447700900321"
SECOND = "whatsapp:+447700900654"  # a new customer: a fresh conversation the bot holds
FAKE.add_account(SID, TOKEN)


def shots(page: Page, name: str) -> None:
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def post_inbound(server: Server, body: str, customer: str = CUSTOMER, name: str = "Rosa Diaz") -> int:
    url = f"{server.url}/webhooks/twilio/whatsapp"
    form = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": SID,
        "From": customer,
        "To": SENDER,
        "Body": body,
        "NumMedia": "0",
        "ProfileName": name,
        "WaId": customer.removeprefix("whatsapp:+"),
    }
    signature = RequestValidator(TOKEN).compute_signature(url, form)
    return httpx.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=15).status_code


def replies_to_customer(customer: str = CUSTOMER) -> int:
    return sum(1 for r in FAKE.messages if r.value("To") == customer)


def test_connect_whatsapp_from_the_console_and_get_an_answer(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER, "/settings?tab=whatsapp")
    tab = page.get_by_test_id("whatsapp-tab")
    expect(tab).to_be_visible()
    expect(page.get_by_test_id("wa-inbound-url")).to_contain_text("/webhooks/twilio/whatsapp")
    page.get_by_test_id("wa-account-sid").fill(SID)
    page.get_by_test_id("wa-auth-token").fill(TOKEN)
    page.get_by_test_id("wa-save").click()
    expect(page.get_by_test_id("wa-auth-token")).to_have_attribute(
        "placeholder", f"Saved ••••{TOKEN[-4:]} · paste to replace"
    )
    page.get_by_test_id("wa-sender-number").fill("+44 7700 900555")
    page.get_by_test_id("wa-sender-add").click()
    expect(page.get_by_test_id("wa-sender").filter(has_text="+44 7700 900555")).to_be_visible()
    page.get_by_test_id("wa-test").click()
    expect(page.get_by_test_id("wa-test-result")).to_contain_text("Connected to Twilio")
    shots(page, "60-settings-whatsapp")

    assert post_inbound(server, "Hi! Do you deliver on Sundays?") == 200
    deadline = time.monotonic() + 45
    while replies_to_customer() == 0 and time.monotonic() < deadline:
        time.sleep(1)
    assert replies_to_customer() == 1, "the inbound message was not answered through Twilio"
    (reply,) = [r for r in FAKE.messages if r.value("To") == CUSTOMER]
    assert reply.value("From") == SENDER and reply.account == SID


def test_switch_the_agent_off_and_the_next_message_waits_for_staff(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER, "/settings?tab=features")
    expect(page.get_by_test_id("features-tab")).to_be_visible()
    page.get_by_test_id("mode-off").click()
    expect(page.get_by_text("Off from the next message on.")).to_be_visible()
    shots(page, "61-settings-features")
    assert post_inbound(server, "Is anyone there? I need a person please", SECOND, "Tom Reyes") == 200
    time.sleep(10)  # several burst windows and worker ticks
    assert replies_to_customer(SECOND) == 0, "the agent answered although it is switched off"
    page.goto(f"{server.url}/conversations")
    expect(page.get_by_text("Is anyone there? I need a person please").first).to_be_visible()
    page.get_by_test_id("conversation-row").filter(has_text="Tom").first.click()
    expect(page.get_by_text("switched off", exact=False).first).to_be_visible()
    shots(page, "62-agent-off-inbox")


def test_general_and_email_tabs_look_finished(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER, "/settings?tab=general")
    expect(page.get_by_test_id("general-tab")).to_be_visible()
    page.get_by_test_id("ws-zone-search").fill("kolk")
    page.get_by_role("button", name="Asia/Kolkata").click()
    expect(page.get_by_test_id("ws-zone-now")).to_contain_text("Asia/Kolkata")
    page.get_by_test_id("ws-open-mon").click()
    page.get_by_role("button", name="Add a break").first.click()
    page.get_by_test_id("ws-save").click()
    expect(page.get_by_text("Workspace settings saved", exact=False)).to_be_visible()
    shots(page, "63-settings-general")
    page.goto(f"{server.url}/settings?tab=email")
    expect(page.get_by_test_id("email-tab")).to_be_visible()
    shots(page, "64-settings-email")
