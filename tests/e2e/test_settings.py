"""Settings → AI providers and API tokens in a real browser, and the offline banner on every page.

The console server calls the scripted fake OpenAI-compatible server this pytest process runs on 127.0.0.1,
so "Test connection" is one real HTTP call from the console's backend. Runs after test_console.py (file
order): it switches Green Leaf off the offline provider, which the earlier screenshots show as the banner.
Full-page screenshots land in tests/e2e/artifacts/ (23-… onwards).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.test_console import ADMIN, AGENT, OWNER, sign_in
from tests.fakes.openai_server import FakeOpenAIServer, fake_openai, slow, unauthorized

FIXTURES = (fake_openai,)  # the scripted OpenAI-compatible server, one per test

expect.set_options(timeout=15_000)

KEY = "sk-e2e-secret-key-9876"


def shot(page: Page, name: str, *, full_page: bool = True, quiet: bool = False) -> None:
    """A screenshot at 1440 wide. `full_page` grows the window to the page's height first (so the sticky
    sidebar and bars sit where a person would see them); `quiet` waits for the toasts to go."""
    if quiet:
        expect(page.locator("[data-sonner-toast]")).to_have_count(0, timeout=12_000)
    page.wait_for_timeout(400)  # let dialogs, menus and the chart finish animating
    if full_page:
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": 1440, "height": max(900, int(height))})
        page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    if full_page:
        page.set_viewport_size({"width": 1440, "height": 900})


def tick(page: Page, dialog, scope: str) -> None:  # noqa: ANN001 - a Locator
    """Tick a scope card (the test id sits on the card's inner checkbox, which the card's label covers)."""
    dialog.locator("label", has=page.get_by_test_id(f"scope-{scope}")).click()


def api_status(server: Server, token: str) -> int:
    request = urllib.request.Request(
        f"{server.url}/api/v1/tenant", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own localhost server
            json.load(response)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_offline_banner_is_plain_text_for_an_agent(page: Page, server: Server) -> None:
    sign_in(page, server, AGENT, "/conversations")
    banner = page.get_by_test_id("offline-banner")
    expect(banner).to_contain_text("Offline mode")
    expect(banner).to_contain_text("An owner or admin can connect a provider.")
    expect(banner.get_by_test_id("offline-banner-link")).to_have_count(0)


def test_ai_providers_validate_save_key_and_test_connection(
    page: Page, server: Server, fake_openai: FakeOpenAIServer
) -> None:
    sign_in(page, server, OWNER, "/")
    banner = page.get_by_test_id("offline-banner")
    expect(banner).to_contain_text("Offline mode")
    expect(page.get_by_test_id("spend-card")).to_contain_text("of $50.00")

    # The banner's link leads to the tab.
    banner.get_by_test_id("offline-banner-link").click()
    page.wait_for_url(re.compile(r"/settings\?tab=ai"))
    expect(page.get_by_test_id("provider-section")).to_be_visible()
    expect(page.get_by_test_id("spend-table")).to_contain_text("gpt-4o-mini")
    expect(page.get_by_test_id("spend-state")).to_have_text("On track")
    expect(page.get_by_test_id("models-section")).to_contain_text("The offline provider calls no model")
    shot(page, "23-settings-ai-offline")

    # Mistakes are shown next to their fields, and nothing is saved.
    page.get_by_test_id("provider-openai_compatible").click()
    expect(page.get_by_test_id("base-url")).to_be_visible()
    page.get_by_test_id("budget-input").fill("lots")
    page.get_by_test_id("save-ai").click()
    expect(page.get_by_test_id("base-url-error")).to_contain_text("base URL")
    expect(page.get_by_test_id("budget-error")).to_contain_text("amount")
    expect(page.get_by_test_id("chain-error")).to_contain_text("OpenAI-compatible")
    shot(page, "24-settings-ai-validation")

    # A model server with its base URL and model; the budget fixed; saved, and the banner goes.
    page.get_by_test_id("base-url").fill(fake_openai.openai_base_url)
    page.get_by_test_id("custom-model").fill("llama3.1:8b")
    page.get_by_test_id("custom-model").press("Enter")
    row = page.get_by_test_id("chain-row").filter(has_text="llama3.1:8b")
    expect(row).to_contain_text("Free")
    row.get_by_label("Move up").click()
    expect(page.get_by_test_id("chain-row").first).to_contain_text("llama3.1:8b")
    expect(page.get_by_test_id("chain-row").first).to_contain_text("Default")
    page.get_by_test_id("budget-input").fill("80")
    expect(page.get_by_test_id("unsaved-changes")).to_be_visible()
    page.get_by_test_id("save-ai").click()
    expect(page.get_by_text("AI provider settings saved.")).to_be_visible()
    expect(page.get_by_test_id("offline-banner")).to_have_count(0)
    expect(page.get_by_test_id("spend-panel")).to_contain_text("of $80.00")

    # The server's key: typed into a password field, then shown only as ••••last4.
    key_input = page.get_by_test_id("key-input-openai_compatible")
    expect(key_input).to_have_attribute("type", "password")
    key_input.fill(KEY)
    page.get_by_test_id("key-save-openai_compatible").click()
    key_row = page.get_by_test_id("key-row-openai_compatible")
    expect(key_row.get_by_test_id("masked-key")).to_have_text("••••9876")
    expect(key_input).to_have_value("")
    assert KEY not in page.content()

    # One real call, with progress, then the latency.
    fake_openai.script(slow(0.8, "OK"))
    page.get_by_test_id("test-connection").click()
    expect(page.get_by_test_id("test-running")).to_be_visible()
    result = page.get_by_test_id("test-result")
    expect(result).to_contain_text("Connected to OpenAI-compatible")
    expect(result).to_contain_text(re.compile(r"llama3\.1:8b answered in [\d,]+ ms"))
    assert [r.model for r in fake_openai.chat_requests] == ["llama3.1:8b"]
    assert fake_openai.chat_requests[0].authorization == f"Bearer {KEY}"
    page.mouse.move(0, 0)
    shot(page, "25-settings-ai-connected", quiet=True)
    page.get_by_test_id("color-mode-toggle").click()
    expect(page.locator("html.dark")).to_have_count(1)
    shot(page, "26-settings-ai-dark", full_page=False)
    page.get_by_test_id("color-mode-toggle").click()

    # The provider's own error when it refuses.
    fake_openai.script(unauthorized())
    page.get_by_test_id("test-connection").click()
    expect(result).to_contain_text("The API key was refused")
    expect(result).to_contain_text("Incorrect API key provided (HTTP 401)")


def test_api_tokens_create_show_once_use_and_revoke(page: Page, server: Server) -> None:
    sign_in(page, server, ADMIN, "/settings?tab=tokens")
    expect(page.get_by_test_id("no-tokens")).to_be_visible()
    shot(page, "27-settings-tokens-empty", full_page=False)

    # Name and scopes are required, and say so next to the fields.
    page.get_by_test_id("no-tokens").get_by_test_id("token-create-open").click()
    dialog = page.get_by_test_id("token-dialog")
    dialog.get_by_test_id("token-submit").click()
    expect(dialog.get_by_test_id("token-name-error")).to_be_visible()
    expect(dialog.get_by_test_id("token-scopes-error")).to_be_visible()

    dialog.get_by_test_id("token-name").fill("Shop sync")
    tick(page, dialog, "analytics-view")
    tick(page, dialog, "integrations-manage")
    shot(page, "28-settings-token-create", full_page=False)
    dialog.get_by_test_id("token-submit").click()
    secret_box = dialog.get_by_test_id("new-token")
    expect(secret_box).to_contain_text("prl_")
    secret = secret_box.inner_text().strip()
    shot(page, "29-settings-token-created", full_page=False)
    assert api_status(server, secret) == 200  # it works, with its scope

    dialog.get_by_test_id("token-done").click()
    table = page.get_by_test_id("tokens-table")
    row = table.get_by_test_id("token-row").filter(has_text="Shop sync")
    expect(row).to_contain_text("Analytics")
    expect(row).to_contain_text("Integrations")
    expect(row).to_contain_text(secret[:10])
    assert secret not in page.content()  # shown once: gone with the dialog

    # A second token, then revoke the first after confirming.
    page.get_by_test_id("token-create-open").click()
    dialog.get_by_test_id("token-name").fill("Campaign tool")
    tick(page, dialog, "campaigns-manage")
    dialog.get_by_test_id("token-submit").click()
    expect(dialog.get_by_test_id("new-token")).to_be_visible()
    dialog.get_by_test_id("token-done").click()
    expect(table.get_by_test_id("token-row")).to_have_count(2)

    row.get_by_test_id("revoke-token").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Shop sync")
    page.get_by_test_id("confirm-revoke").click()
    expect(row).to_contain_text("Revoked")
    assert api_status(server, secret) == 401
    page.mouse.move(0, 0)
    shot(page, "30-settings-api-tokens", quiet=True)
