"""The console on a phone (390×844) and an upright tablet (768×1024): the sidebar is a drawer behind the menu
button, and no page scrolls sideways (`document.documentElement.scrollWidth <= window.innerWidth`).

Walks Overview, Knowledge (with the import dialog open) and Playground (a message sent), then checks every
other page and the sign-in page for overflow. Screenshots: tests/e2e/artifacts/responsive-<width>-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.seed_inbox import OWNER
from tests.e2e.test_console import sign_in

expect.set_options(timeout=30_000)

VIEWPORTS = {"phone": (390, 844), "tablet": (768, 1024)}
OTHER_PAGES = ("/catalog", "/persona", "/settings", "/campaigns", "/analytics")


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def small(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, int]]:
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    yield page, width
    context.close()


def no_sideways_scroll(page: Page, where: str) -> None:
    page.wait_for_timeout(400)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where} scrolls sideways: {widths[0]}px content in {widths[1]}px"


def snap(page: Page, width: int, name: str) -> None:
    page.wait_for_timeout(350)
    page.screenshot(path=str(ARTIFACTS / f"responsive-{width}-{name}.png"))


def test_pages_fit_small_screens(small: tuple[Page, int], server: Server) -> None:
    page, width = small
    page.goto(f"{server.url}/login")
    expect(page.get_by_test_id("sign-in")).to_be_visible()
    no_sideways_scroll(page, "/login")
    snap(page, width, "01-login")

    sign_in(page, server, OWNER[0], "/")
    expect(page.get_by_test_id("sidebar")).not_to_be_in_viewport()
    no_sideways_scroll(page, "/")
    snap(page, width, "02-overview")

    # The navigation lives in a drawer behind the menu button; following a link closes it.
    page.get_by_test_id("menu-button").click()
    expect(page.get_by_test_id("sidebar")).to_be_in_viewport()
    snap(page, width, "03-menu")
    page.get_by_test_id("nav-knowledge").click()
    page.wait_for_url(f"{server.url}/knowledge")
    expect(page.get_by_test_id("sidebar")).not_to_be_in_viewport()
    expect(page.get_by_test_id("knowledge-row").first).to_be_visible()
    no_sideways_scroll(page, "/knowledge")
    snap(page, width, "04-knowledge")

    page.goto(f"{server.url}/playground")
    expect(page.get_by_test_id("phone")).to_be_visible()
    composer = page.get_by_test_id("composer")
    composer.fill("what time do you open on sunday?")
    composer.press("Enter")
    expect(page.get_by_test_id("phone-chat").get_by_test_id("bubble")).to_have_count(2, timeout=180_000)
    no_sideways_scroll(page, "/playground")
    snap(page, width, "05-playground")

    for path in OTHER_PAGES:
        page.goto(f"{server.url}{path}")
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        page.wait_for_timeout(800)
        no_sideways_scroll(page, path)
        snap(page, width, "06" + path.replace("/", "-"))


def test_the_app_is_installable(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/login")
    manifest = page.locator("link[rel=manifest]").get_attribute("href")
    assert manifest == "/manifest.webmanifest"
    data = page.request.get(f"{server.url}{manifest}").json()
    assert data["display"] == "standalone" and {i["sizes"] for i in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert page.request.get(f"{server.url}{icon['src']}").ok
