"""Settings → Integrations in a real browser (issue #18, done-when): the owner registers an endpoint, copies
its secret, sends a test delivery that a receiver started by this test gets signed, and sees it in the log.
Then the rating settings (on for a new shop) are saved there and the Overview's ratings card says so.
Screenshots 90-91 and 93 at 1440 wide, 92 at 390 (no sideways scroll)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from engine.integrations.signing import verify
from tests.e2e.conftest import Server
from tests.e2e.test_console import OWNER, sign_in
from tests.e2e.test_settings import shot
from tests.fakes.webhook_receiver import WebhookReceiver

expect.set_options(timeout=15_000)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server
    server.stop()


def test_register_an_endpoint_send_a_test_and_see_it_in_the_log(
    page: Page, server: Server, receiver: WebhookReceiver
) -> None:
    sign_in(page, server, OWNER, "/settings?tab=integrations")
    tab = page.get_by_test_id("integrations-tab")
    expect(tab).to_be_visible()
    expect(page.get_by_test_id("endpoints-empty")).to_be_visible()

    page.get_by_test_id("endpoint-name").fill("Order system")
    page.get_by_test_id("endpoint-url").fill(receiver.url)
    page.get_by_test_id("event-conversation-resolved").click()
    page.get_by_test_id("event-rating-received").click()
    page.get_by_test_id("endpoint-add").click()

    secret_box = page.get_by_test_id("endpoint-secret")
    expect(secret_box).to_contain_text("whsec_")
    secret = secret_box.inner_text().strip()
    row = page.get_by_test_id("endpoint-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Order system")
    expect(row).to_contain_text("A conversation was resolved or closed, A customer rated a conversation")
    shot(page, "90-settings-integrations-secret")

    page.get_by_role("button", name="Done").click()
    expect(secret_box).to_have_count(0)
    row.get_by_test_id("endpoint-test").click()
    expect(page.get_by_text("Test delivered: your endpoint answered 200.")).to_be_visible()

    deadline = time.monotonic() + 10
    while not receiver.received and time.monotonic() < deadline:
        time.sleep(0.1)
    (got,) = receiver.received
    assert got.json["type"] == "endpoint.test"
    assert verify(secret, got.headers["Parley-Signature"], got.body, now=int(time.time()))

    log = page.get_by_test_id("delivery-log")
    expect(log).to_contain_text("Deliveries to Order system")
    line = log.get_by_test_id("delivery-row")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Test delivery")
    expect(line).to_contain_text("Delivered")
    expect(line).to_contain_text("200")
    shot(page, "91-settings-integrations-log", quiet=True)

    # ratings: on for a new shop, saved here, and the Overview's card says they are being asked
    expect(page.get_by_test_id("ratings-on")).to_have_attribute("aria-checked", "true")
    page.get_by_test_id("ratings-save").click()
    expect(page.get_by_text("Rating settings saved.")).to_be_visible()
    page.goto(f"{server.url}/")
    card = page.get_by_test_id("csat-card")
    expect(card).to_contain_text("Customer ratings")
    expect(card).to_contain_text("No ratings yet: customers are asked after each resolved chat.")
    expect(page.get_by_test_id("kpi-resolved")).to_be_visible()
    shot(page, "93-overview-ratings", quiet=True)
    page.goto(f"{server.url}/settings?tab=integrations")
    expect(page.get_by_test_id("endpoint-row")).to_have_count(1)

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(400)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(server.log.parent / "92-settings-integrations-390.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})
