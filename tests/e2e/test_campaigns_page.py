"""A campaign from the composer to its results in a real browser (issue #17): a manager writes a message
with a picture and two buttons, sees the phone preview follow, gets WhatsApp's approval from the fake
Content API, sends a test to their own number, confirms the send (people and cost), watches the progress
bar reach 100% — the dispatcher runs in the console process (the embedded scheduler, as REDIS_URL is
unset) — and opens the results with the funnel filled by the fake's status callbacks (six
sent, delivered and read; nothing failed). The florist's customers carry bare numbers (+44…), as customers
from a CSV or the console do: the dispatcher sends to their `whatsapp:` address.

The fake Twilio server starts at import, before the session's server, so TWILIO_API_BASE_URL is in its
environment (run the module on its own: another module starting its own fake Twilio in the same session
takes that variable). PUBLIC_BASE_URL stays unset, as the other browser tests sign their webhooks with the
server's own address; without it the app asks for no status callbacks, so this fake adds the server's
status URL to every message it accepts and posts sent → delivered → read there, signed as Twilio does.
Screenshots at 1440 and 390 px land in tests/e2e/artifacts/ (80-…).
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.campaigns_seed import MANAGER, TWILIO_SID, TWILIO_TOKEN
from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.test_console import sign_in
from tests.e2e.twilio_fake import FAKE

expect.set_options(timeout=30_000)


FAKE.add_account(TWILIO_SID, TWILIO_TOKEN)


def _png(path: Path, width: int = 480, height: int = 300) -> Path:
    """A soft green-to-rose picture, written without an imaging library."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            t, u = x / width, y / height
            row += bytes((int(120 + 120 * t), int(190 - 40 * u), int(150 + 60 * u)))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
    path.write_bytes(data + chunk(b"IEND", b""))
    return path


def shots(page: Page, name: str) -> None:
    page.wait_for_timeout(600)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(600)
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: {overflow}px of horizontal scroll at 390 px"
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_timeout(300)


def test_compose_send_and_follow_a_campaign(page: Page, server: Server, tmp_path: Path) -> None:
    FAKE.status_url = f"{server.url}/webhooks/twilio/status"
    answered: list[int] = []

    def post(url: str, form: dict[str, str], signature: str) -> None:
        sent = httpx.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=20)
        answered.append(sent.status_code)

    # a few seconds after acceptance, as Twilio's come: the embedded dispatcher has finished writing by then
    FAKE.post_status_callbacks(post, statuses=("delivered", "read"), delay=6.0)
    sign_in(page, server, MANAGER[0], "/campaigns")
    page.goto(f"{server.url}/campaigns")
    expect(page.get_by_text("Reach customers who opted in")).to_be_visible()
    shots(page, "80-campaigns-empty")

    page.get_by_test_id("campaign-new").first.click()
    page.get_by_test_id("campaign-name-input").fill("Spring bouquets")
    page.get_by_test_id("campaign-body").fill(
        "Hi {{first_name}}, spring is here! *20% off* every bouquet until Sunday."
    )
    preview = page.get_by_test_id("campaign-preview")
    expect(preview).to_contain_text("Hi Radia, spring is here!")  # the newest opted-in customer
    page.get_by_test_id("campaign-media-drop").locator("input[type=file]").set_input_files(
        str(_png(tmp_path / "spring.png"))
    )
    expect(page.get_by_test_id("campaign-media-name")).to_contain_text("spring.png")
    expect(preview.locator("img")).to_be_visible()
    page.get_by_test_id("campaign-add-button").click()
    page.get_by_test_id("campaign-button-title").nth(0).fill("See bouquets")
    page.get_by_test_id("campaign-add-button").click()
    page.get_by_test_id("campaign-button-title").nth(1).fill("Talk to us")
    expect(preview.get_by_test_id("bubble-buttons")).to_contain_text("See bouquets")
    expect(preview.get_by_test_id("bubble-buttons")).to_contain_text("Talk to us")
    page.get_by_placeholder("vip, wholesale").fill("vip")
    expect(page.get_by_test_id("campaign-audience-count")).to_have_text("6")

    page.get_by_test_id("campaign-submit").click()
    expect(page.get_by_test_id("campaign-template-status")).to_have_text("Approved by WhatsApp")
    page.get_by_test_id("campaign-test-number").fill("+44 7700 900999")
    page.get_by_test_id("campaign-send-test").click()
    expect(page.get_by_text("Test sent to +44 7700 900999")).to_be_visible()
    shots(page, "81-campaigns-composer")

    page.get_by_test_id("campaign-review").click()
    expect(page.get_by_test_id("confirm-people")).to_have_text("6 people will receive “Spring bouquets”.")
    expect(page.get_by_test_id("confirm-cost")).to_contain_text("Estimated cost: $")
    shots(page, "82-campaigns-confirm")
    page.get_by_test_id("confirm-send").click()

    expect(page.get_by_test_id("campaign-progress").first).to_have_text("100%", timeout=90_000)
    expect(page.get_by_test_id("campaign-status").first).to_have_text("Sent")
    shots(page, "83-campaigns-list")

    # the fake posts delivered → read for every accepted message a few seconds after it: wait for the six
    # recipients' (and the test message's) callbacks before opening the results
    for _ in range(60):
        if answered.count(200) >= 2 * 7:
            break
        page.wait_for_timeout(500)
    assert answered.count(200) >= 2 * 7, answered
    page.get_by_test_id("campaign-results").first.click()
    expect(page.get_by_test_id("results-title")).to_have_text("Spring bouquets")
    expect(page.get_by_test_id("results-recipients")).to_have_text("6")
    expect(page.get_by_test_id("results-failed")).to_have_text("0")
    steps = page.get_by_test_id("funnel-step")
    expect(steps).to_have_count(6)
    for stage in ("Sent", "Delivered", "Read"):  # the six recipients, each 100% of those sent
        expect(steps.filter(has_text=stage)).to_have_text(re.compile(rf"^{stage}\s*6\s*100%$"))
    expect(steps.filter(has_text="Tapped")).to_have_text(re.compile(r"^Tapped\s*0\s*0%$"))
    expect(page.get_by_test_id("button-row")).to_have_count(2)
    shots(page, "84-campaigns-results")
    with page.expect_download() as download:
        page.get_by_test_id("results-export").click()
    text = Path(download.value.path()).read_text()
    assert text.startswith("name,phone,status") and text.count("\n") == 7
