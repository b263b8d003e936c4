"""The Playground in a real browser: a chat in the WhatsApp phone through the real pipeline (the offline
provider), a rich reply tapped, the trace of each turn, a new conversation, test cases with Run all, WhatsApp
formatting drawn as the phone draws it, and a saved case failing on a wrong reply then passing on a right one.

The data is the demo shop "Stride & Co." seeded by tests/e2e/seed_inbox.py. Screenshots:
tests/e2e/artifacts/playground-*.png.
"""

from __future__ import annotations

import contextlib

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.layout_checks import reads_well
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


def product_names_have_room_on_a_phone(page: Page) -> None:
    """At 390 px the trace's catalog matches keep their names readable: the score bar goes under the name
    instead of squeezing it to a word per line (it had 70 px for "Cloudstep 90 Running Shoe")."""
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        catalog = page.get_by_test_id("trace").get_by_test_id("trace-catalog")
        catalog.scroll_into_view_if_needed()
        page.wait_for_timeout(400)
        page.screenshot(path=str(ARTIFACTS / "playground-09-trace-390.png"), full_page=True)
        name = catalog.get_by_test_id("scored-title").first
        box, row = name.bounding_box(), catalog.get_by_test_id("scored-row").first.bounding_box()
        assert box and row and box["width"] >= 150, f"the product's name is squeezed to {box} in {row}"
        height = name.evaluate(
            "e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)"
        )
        assert height < 1.5, f"'{name.inner_text()}' takes {height:.1f} lines at 390 px"
        problems = reads_well(page, "the trace at 390 px")
        assert not problems, problems
    finally:
        page.set_viewport_size({"width": 1440, "height": 900})


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
    # Each step says what it did, once: no two rows with the same name ("Suggestions" was twice).
    labels = [t.split("\n")[0].strip() for t in trace.get_by_test_id("trace-step").all_inner_texts()]
    assert len(labels) == len(set(labels)), f"steps named twice: {labels}"

    send(page, "do you have the cloudstep 90?")
    expect(trace.get_by_test_id("trace-catalog")).to_contain_text("Cloudstep 90")
    product_names_have_room_on_a_phone(page)
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
    page.get_by_test_id("check-value").fill("30 days")  # "Must mention", the first kind
    page.get_by_test_id("add-case").click()
    expect(page.get_by_test_id("case-row")).to_have_count(2)
    page.get_by_test_id("run-all").click()
    expect(page.get_by_test_id("run-summary")).to_contain_text("passed", timeout=120_000)
    let_toasts_clear(page)
    shot(page, "playground-03-full")

    page.get_by_test_id("new-conversation").click()
    expect(page.get_by_test_id("phone-chat").get_by_test_id("bubble")).to_have_count(0)
    expect(trace).to_contain_text("The trace of each turn shows here")


def _set_entry_active(page: Page, server: Server, title: str, active: bool) -> None:
    """Switch a demo knowledge entry off or on from the Knowledge page (the owner's way; the index follows),
    so the same question gets a wrong, then a right, reply without a model; then back to the Playground."""
    page.goto(f"{server.url}/knowledge")
    page.get_by_test_id("filter-category").click()
    page.get_by_role("option", name="hours", exact=True).click()
    switch = page.get_by_test_id("knowledge-row").filter(has_text=title).get_by_test_id("row-active")
    expect(switch).to_have_attribute("aria-checked", "false" if active else "true")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true" if active else "false")
    page.goto(f"{server.url}/playground")
    expect(page.get_by_test_id("cases")).to_be_visible()


def test_formatting_and_a_saved_case_failing_then_passing(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER[0], "/playground")
    page.get_by_test_id("new-conversation").click()
    expect(page.get_by_test_id("phone-chat").get_by_test_id("bubble")).to_have_count(0)

    # WhatsApp formatting: *bold* is drawn bold, _italic_ italic, and markup stays text.
    send(page, "Do you have the *Tempo Pro 2* in _blue_? <img src=x onerror=alert(1)>")
    chat = page.get_by_test_id("phone-chat")
    bold = chat.locator("span", has_text="Tempo Pro 2").first
    expect(bold).to_have_css("font-weight", "600")
    expect(chat.locator("span", has_text="blue").first).to_have_css("font-style", "italic")
    expect(chat).to_contain_text("<img src=x onerror=alert(1)>")
    expect(chat.locator("img[src=x]")).to_have_count(0)
    expect(chat).not_to_contain_text("*Tempo Pro 2*")

    # A saved case with checks written in words: fails while the opening-hours entry is off, passes on.
    page.get_by_test_id("case-message").fill("what time do you open on sunday?")
    page.get_by_test_id("check-value").fill("11:00")
    page.get_by_test_id("add-check").click()
    expect(page.get_by_test_id("draft-check")).to_contain_text("Must mention “11:00”")
    page.get_by_test_id("add-case").click()
    row = page.get_by_test_id("case-row").filter(has_text="what time do you open on sunday?")
    expect(row).to_have_count(1)

    _set_entry_active(page, server, "Store opening hours", False)
    try:
        row = page.get_by_test_id("case-row").filter(has_text="what time do you open on sunday?")
        page.get_by_test_id("run-all").click()
        expect(row.get_by_test_id("case-status")).to_contain_text("Fail", timeout=120_000)
        expect(row.get_by_test_id("case-check").first).to_contain_text("the reply does not say “11:00”")
        expect(page.get_by_test_id("run-all")).to_be_enabled(timeout=120_000)
        let_toasts_clear(page)
        shot(page, "playground-04-case-fails")
    finally:
        _set_entry_active(page, server, "Store opening hours", True)
    row = page.get_by_test_id("case-row").filter(has_text="what time do you open on sunday?")
    page.get_by_test_id("run-all").click()
    expect(row.get_by_test_id("case-status")).to_contain_text("Pass", timeout=120_000)
    expect(row.get_by_test_id("case-changed")).to_contain_text("Now passing")
    expect(page.get_by_test_id("run-all")).to_be_enabled(timeout=120_000)
    let_toasts_clear(page)
    shot(page, "playground-05-case-passes")
    page.get_by_test_id("phone-chat").scroll_into_view_if_needed()
    shot(page, "playground-06-formatting", full_page=False)

    # Saved in the database: a reload keeps the case and its last run.
    page.reload()
    expect(page.get_by_test_id("case-row").filter(has_text="what time do you open on sunday?")).to_have_count(
        1
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("cases").scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / "playground-07-cases-390.png"))
    # On a phone each case is a card read top to bottom, its checks on screen (not in a sideways table).
    expect(page.get_by_test_id("cases-table")).to_be_hidden()
    card = page.get_by_test_id("case-card").filter(has_text="what time do you open on sunday?").first
    expect(card).to_contain_text("Pass")
    check = card.get_by_test_id("case-check").first.bounding_box()
    assert check and check["x"] + check["width"] <= 390, f"a check runs off the phone's screen: {check}"
    page.get_by_test_id("phone").scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / "playground-08-phone-390.png"))
    page.set_viewport_size({"width": 1440, "height": 900})
