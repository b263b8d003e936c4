"""The Conversations page in a real browser: the three panes, rich bubbles, live updates, staff actions.

The data is the demo shop seeded by tests/e2e/seed_inbox.py (Chloe's chat holds a card, a list, a tapped
button, a photo, a PDF, a hand-off and a refused reply). Screenshots: tests/e2e/artifacts/3x-inbox-*.png.
"""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
import uuid

from playwright.sync_api import Page, expect
from twilio.request_validator import RequestValidator

from tests.e2e.conftest import Server
from tests.e2e.seed_inbox import AGENT, CHLOE_PHONE, OWNER, TWILIO_AUTH_TOKEN, VIEWER
from tests.e2e.test_console import shot, sign_in

expect.set_options(timeout=15_000)

DEMO_SENDER = "whatsapp:+14155238886"


def open_chat(page: Page, name: str) -> None:
    page.get_by_test_id("conversation-row").filter(has_text=name).click()
    expect(page.get_by_test_id("transcript-header")).to_contain_text(name)


def post_inbound(server: Server, body: str, sender: str = CHLOE_PHONE) -> int:
    """A customer's message, signed with the workspace's auth token as Twilio signs it."""
    url = f"{server.url}/webhooks/twilio/whatsapp"
    form = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": "AC" + "e2e0" * 8,
        "From": sender,
        "To": DEMO_SENDER,
        "Body": body,
        "NumMedia": "0",
        "ProfileName": "Chloe Martin",
        "WaId": sender.removeprefix("whatsapp:+"),
    }
    signature = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(url, form)
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(form).encode(),
        headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - our own localhost server
        return response.status


def test_the_overview_counts_the_shops_chats_and_sends_waiting_ones_to_the_inbox(
    page: Page, server: Server
) -> None:
    """Runs first in this module: the seeded chats are as seed_inbox.py left them."""
    sign_in(page, server, OWNER[0], "/")
    expect(page.get_by_test_id("kpi-today")).to_have_text(re.compile(r"^\d+$"))
    expect(page.get_by_test_id("kpi-handoff")).to_have_text(re.compile(r"^\d+%$"))
    expect(page.get_by_test_id("setup-done")).to_have_text(re.compile(r"^[1-5] of 5 done$"))
    expect(page.get_by_test_id("step-knowledge-done")).to_be_visible()
    waiting = page.get_by_test_id("attention-needs-human")
    expect(waiting).to_contain_text("wait for a person")
    shot(page, "38-overview-with-chats")
    waiting.click()
    page.wait_for_url(re.compile(r"/conversations"))


def test_needs_human_tab_with_a_rich_transcript(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER[0], "/conversations")
    expect(page.get_by_test_id("tab-handoff")).to_contain_text("Needs human")
    rows = page.get_by_test_id("conversation-row")
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("needs-human-badge")).to_have_text("3")
    expect(page.get_by_test_id("no-selection")).to_contain_text("Your WhatsApp inbox")
    shot(page, "30-inbox-needs-human-list")

    open_chat(page, "Chloe Martin")
    expect(page).to_have_url(re.compile(r"[?&]c=\d+"))  # a link to this chat
    transcript = page.get_by_test_id("transcript")
    expect(transcript.locator(".wa-group[data-kind='card']")).to_contain_text("Ridgeline Trail Runner")
    expect(transcript.get_by_test_id("bubble-buttons").first).to_contain_text("See sizes")
    expect(transcript.get_by_test_id("bubble-list")).to_contain_text("UK 9.5")
    expect(transcript.get_by_text("Tapped “See sizes”")).to_be_visible()
    expect(transcript.get_by_test_id("bubble-file")).to_contain_text("receipt-STR-10512.pdf")
    expect(transcript.get_by_text(re.compile("Outside the 24-hour window"))).to_be_visible()
    meta = transcript.get_by_test_id("bubble-meta").filter(has_text="Handed to your team")
    expect(meta).to_contain_text("Confidence 34%")
    expect(meta).to_contain_text(re.compile("fit advice", re.IGNORECASE))
    # The staff reply WhatsApp refused says why, offers Retry, and the list row shows it failed.
    expect(transcript.get_by_test_id("retry-send")).to_be_visible()
    chloe = page.get_by_test_id("conversation-row").filter(has_text="Chloe Martin")
    expect(chloe.get_by_test_id("row-tick")).to_have_attribute("data-ticks", "-1")

    context = page.get_by_test_id("context-pane")
    facts = (
        "+44 7700 900201",  # the number as people read it (stored as whatsapp:+447700900201)
        "Opted in",
        "Trail shoe size and a blister",
        "UK 9",
        "STR-10512",
        "Gait Analysis",
    )
    for text in facts:
        expect(context).to_contain_text(text)
    expect(page.get_by_test_id("composer-note")).to_contain_text("Leo Brandt is on this chat")
    expect(page.get_by_test_id("handoff-reason")).to_contain_text("With Leo Brandt · Reports pain")
    shot(page, "31-inbox-needs-human-transcript")

    transcript.locator(".wa-group[data-kind='card']").evaluate("el => el.scrollIntoView({block: 'center'})")
    shot(page, "32-inbox-card")
    transcript.locator(".wa-group[data-kind='list']").evaluate("el => el.scrollIntoView({block: 'center'})")
    shot(page, "33-inbox-list-picker")


def test_new_messages_appear_without_a_reload(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER[0], "/conversations")
    open_chat(page, "Chloe Martin")
    expect(page.get_by_text("Live", exact=True)).to_be_visible()
    assert post_inbound(server, "Yes please, Saturday morning works for a fitting!") == 200
    transcript = page.get_by_test_id("transcript")
    expect(transcript.get_by_text("Yes please, Saturday morning works for a fitting!")).to_be_visible(
        timeout=20_000
    )
    expect(page.get_by_test_id("conversation-row").filter(has_text="Chloe Martin")).to_contain_text(
        "Saturday morning"
    )
    shot(page, "34-inbox-live-message")


def test_take_over_hand_back_and_close(page: Page, server: Server) -> None:
    sign_in(page, server, AGENT[0], "/conversations?tab=bot")
    expect(page.get_by_test_id("tab-bot")).to_have_attribute("data-active", "true")
    open_chat(page, "Sofia Marin")
    expect(page.get_by_test_id("transcript").get_by_text("Tapped “Reserve it”")).to_be_visible()
    expect(page.get_by_test_id("composer-note")).to_contain_text("Sending a reply takes it over")
    shot(page, "35-inbox-agent-tab")

    open_chat(page, "Jonas Weber")
    status = page.get_by_test_id("transcript-status")
    page.get_by_test_id("take-over").click()
    expect(status).to_have_text("Needs human")
    expect(page.get_by_test_id("handoff-reason")).to_contain_text("With Leo Brandt")
    page.get_by_test_id("hand-back").click()
    expect(status).to_have_text("Agent")

    expect(page.get_by_test_id("close-conversation")).to_contain_text("Close")  # labelled, not a bare icon
    page.get_by_test_id("close-conversation").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Close this conversation?")
    shot(page, "36-inbox-close-confirm")
    page.get_by_test_id("confirm-close").click()
    expect(status).to_have_text("Closed")
    expect(page.get_by_test_id("composer-note")).to_contain_text("closed")
    expect(page.get_by_test_id("reply-input")).to_be_disabled()
    expect(page.get_by_test_id("send-reply")).to_be_disabled()


def test_dark_mode_and_search(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER[0], "/conversations")
    page.get_by_test_id("inbox-search").fill("marco")
    expect(page.get_by_test_id("conversation-row")).to_have_count(1)
    open_chat(page, "Marco Rossi")
    expect(page.get_by_test_id("take-over")).to_be_visible()  # waiting for anyone: take it
    expect(page.get_by_test_id("hand-back")).to_be_visible()
    page.get_by_test_id("color-mode-toggle").click()
    expect(page.locator("html.dark")).to_have_count(1)
    shot(page, "37-inbox-dark")
    page.get_by_test_id("color-mode-toggle").click()
    page.get_by_test_id("inbox-search").fill("nobody like this")
    expect(page.get_by_test_id("list-empty")).to_contain_text("No customer matches")


def test_a_viewer_cannot_open_the_inbox(page: Page, server: Server) -> None:
    sign_in(page, server, VIEWER[0], "/")
    expect(page.get_by_test_id("sidebar").get_by_text("Conversations", exact=True)).to_have_count(0)
    page.goto(f"{server.url}/conversations")
    expect(page.get_by_test_id("no-access")).to_be_visible()
    expect(page.get_by_test_id("inbox")).to_have_count(0)
