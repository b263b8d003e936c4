"""The Persona page in a real browser: the form in sections, the live system prompt, "Try a message",
inline errors, Save.

The data is the demo shop "Stride & Co." seeded by tests/e2e/seed_inbox.py (its persona, knowledge and
catalog). Screenshots: tests/e2e/artifacts/persona-*.png.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.seed_inbox import OWNER, VIEWER
from tests.e2e.test_console import sign_in

expect.set_options(timeout=20_000)


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    page.wait_for_timeout(400)
    if full_page:
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": 1440, "height": max(900, int(height))})
        page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    if full_page:
        page.set_viewport_size({"width": 1440, "height": 900})


def test_persona_draft_preview_sample_reply_and_save(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER[0], "/persona")
    prompt = page.get_by_test_id("system-prompt")
    expect(prompt).to_contain_text("the WhatsApp customer-service assistant of Stride")
    expect(page.get_by_test_id("model-row").first).to_contain_text("Default")
    shot(page, "persona-01-saved", full_page=False)

    # A draft change: the prompt follows it at once, and the page marks it unsaved.
    page.get_by_test_id("persona-name").fill("Sole")
    expect(prompt).to_contain_text("You are Sole, the WhatsApp customer-service assistant")
    expect(page.get_by_test_id("unsaved-changes")).to_be_visible()
    trait = page.get_by_test_id("chip-input-trait")
    trait.fill("knows every running shoe we sell")
    trait.press("Enter")
    expect(prompt).to_contain_text("- knows every running shoe we sell")
    page.get_by_test_id("tone-playful").click()
    expect(prompt).to_contain_text("Tone: playful")

    # "Try a message": the reply the draft would give, nothing saved.
    page.get_by_test_id("sample-input").fill("Hi! How long does standard delivery take?")
    page.get_by_test_id("try-message").click()
    reply = page.get_by_test_id("sample-reply")
    # The first answer may load the knowledge index's embedding model: allow for a slow, shared machine.
    expect(reply).to_be_visible(timeout=180_000)
    expect(reply.get_by_test_id("bubble")).to_have_count(2)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "persona-02-draft-and-sample-reply", full_page=False)
    shot(page, "persona-03-full")

    # A refused field says why, next to it; Save refuses the whole draft.
    tokens = page.get_by_test_id("persona-max-tokens")
    tokens.fill("5")
    expect(page.get_by_test_id("error-max_tokens")).to_contain_text("between 16 and 16384")
    tokens.evaluate("el => el.scrollIntoView({block: 'center'})")
    shot(page, "persona-04-field-error", full_page=False)
    tokens.fill("600")
    expect(page.get_by_test_id("error-max_tokens")).to_have_count(0)

    page.get_by_test_id("save-persona").click()
    expect(page.get_by_text("Persona saved")).to_be_visible()
    expect(page.get_by_test_id("unsaved-changes")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("persona-name")).to_have_value("Sole")
    expect(prompt).to_contain_text("Tone: playful")


def test_a_viewer_cannot_open_the_persona(page: Page, server: Server) -> None:
    sign_in(page, server, VIEWER[0], "/persona")
    expect(page.get_by_test_id("no-access")).to_be_visible()
