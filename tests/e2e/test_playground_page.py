"""The Playground in a real browser: a chat in the WhatsApp phone through the real pipeline (the offline
provider), a rich reply tapped, the trace of each turn, a new conversation, and test cases with Run all.

The data is the demo shop "Stride & Co." seeded by tests/e2e/seed_inbox.py. Screenshots:
tests/e2e/artifacts/playground-*.png.
"""

from __future__ import annotations

import contextlib

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server
from tests.e2e.seed_inbox import OWNER
from tests.e2e.test_console import sign_in
from tests.e2e.test_persona_page import shot

expect.set_options(timeout=30_000)


def send(page: Page, text: str) -> None:
    bubbles = page.get_by_test_id("phone-chat").get_by_test_id("bubble")
    before = bubbles.count()
    composer = page.get_by_test_id("composer")
    composer.fill(text)
    composer.press("Enter")
    # The first answer may load the knowledge index's embedding model: allow for a slow, shared machine.
    expect(bubbles).to_have_count(before + 2, timeout=180_000)
    expect(page.get_by_test_id("typing")).to_have_count(0)


def let_toasts_clear(page: Page) -> None:
    """Wait for toasts to fade before a screenshot; on a busy machine they may linger, which is no failure."""
    with contextlib.suppress(AssertionError):
        expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=15_000)


def test_chat_with_rich_replies_and_the_trace(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER[0], "/playground")
    expect(page.get_by_test_id("phone")).to_be_visible()
    page.get_by_test_id("new-conversation").click()
    expect(page.get_by_test_id("phone-chat").get_by_test_id("bubble")).to_have_count(0)
    shot(page, "playground-01-empty", full_page=False)

    send(page, "what time do you open on sundya?")
    trace = page.get_by_test_id("trace")
    expect(trace.get_by_test_id("trace-step").first).to_be_visible()
    expect(trace).to_contain_text("sundya → sunday")
    expect(trace.get_by_test_id("trace-model")).to_contain_text("offline")

    send(page, "do you have the cloudstep 90?")
    expect(trace.get_by_test_id("trace-catalog")).to_contain_text("Cloudstep 90")
    taps = page.get_by_test_id("tap-option").or_(page.get_by_test_id("tap-row"))
    expect(taps.first).to_be_visible()
    title = taps.first.inner_text().strip()
    bubbles = page.get_by_test_id("phone-chat").get_by_test_id("bubble")
    before = bubbles.count()
    taps.first.click()
    expect(bubbles).to_have_count(before + 2)
    expect(page.get_by_test_id("typing")).to_have_count(0)
    expect(trace).to_contain_text(title)
    let_toasts_clear(page)
    shot(page, "playground-02-chat-and-trace", full_page=False)

    # An earlier turn's trace, then save it as a test case and run all.
    page.locator(".pg-turn").first.click()
    expect(trace).to_contain_text("sundya → sunday")
    page.get_by_test_id("save-turn-case").click()
    page.get_by_test_id("case-message").fill("Can I return shoes I have worn outside?")
    page.get_by_test_id("case-expect").fill("30 days")
    page.get_by_test_id("add-case").click()
    expect(page.get_by_test_id("case-row")).to_have_count(2)
    page.get_by_test_id("run-all").click()
    expect(page.get_by_test_id("run-summary")).to_contain_text("passed", timeout=120_000)
    let_toasts_clear(page)
    shot(page, "playground-03-full")

    page.get_by_test_id("new-conversation").click()
    expect(page.get_by_test_id("phone-chat").get_by_test_id("bubble")).to_have_count(0)
    expect(trace).to_contain_text("The trace of each turn shows here")
