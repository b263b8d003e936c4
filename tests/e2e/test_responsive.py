"""The console on a phone (390×844) and an upright tablet (768×1024): the sidebar is a drawer behind the menu
button, and no page scrolls sideways (`document.documentElement.scrollWidth <= window.innerWidth`).

Walks Overview, Conversations (one pane at a time: open a chat, reply, the customer's details, back),
Knowledge and Playground (a message sent), then checks every other page and the sign-in page for overflow.
Each page's visible words are scanned for raw identifiers (tests/console/test_wording.py: snake_case codes,
"tenant", None/null/nan), and every page, every Catalog and Settings tab and the sign-in page included, must
read well (tests/e2e/layout_checks.py): no word or web address broken across lines, no box (tab bar, table)
scrolling sideways inside it, no placeholder cut off, buttons, badges and words at 4.5:1. The phone is also
walked in dark mode. Screenshots: tests/e2e/artifacts/responsive-<width>-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.console.test_wording import raw_identifiers
from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.layout_checks import reads_well
from tests.e2e.seed_inbox import OWNER
from tests.e2e.test_console import sign_in

expect.set_options(timeout=30_000)

VIEWPORTS = {"phone": (390, 844), "tablet": (768, 1024)}
OTHER_PAGES = ("/catalog", "/persona", "/settings", "/campaigns", "/analytics")
TABS = {  # a page's tabs: the test id of the group, then each tab's key and words
    "/catalog": (
        "catalog-tabs",
        {"products": "Products", "services": "Services", "orders": "Orders", "appointments": "Appointments"},
    ),
    "/settings": (
        "settings-tabs",
        {
            "general": "General",
            "whatsapp": "WhatsApp",
            "ai": "AI providers",
            "team": "Team",
            "tokens": "API tokens",
            "features": "Features",
            "email": "Email",
            "integrations": "Integrations",
            "account": "Account",
        },
    ),
}
PHONE_MAX = 519  # below Radix's `xs` breakpoint a page's tabs are one picker


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def small(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, int]]:
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-US")
    page = context.new_page()
    yield page, width
    context.close()


# The outermost elements that stick out past the right edge while their parent does not: where to look.
OVERFLOWING = """(() => {
  const edge = window.innerWidth + 0.5;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= edge) continue;
    const parent = el.parentElement && el.parentElement.getBoundingClientRect();
    if (parent && parent.right > edge) continue;
    const id = el.getAttribute('data-testid') || el.id || String(el.className).slice(0, 60);
    const size = `right=${Math.round(box.right)} width=${Math.round(box.width)}`;
    out.push(`${el.tagName.toLowerCase()}[${id}] ${size}`);
  }
  return out.slice(0, 8);
})()"""


def sideways_scroll(page: Page, where: str) -> str | None:
    """None when the page fits the screen; else what scrolls and which elements stick out."""
    page.wait_for_timeout(400)
    content, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if content <= screen:
        return None
    culprits = page.evaluate(OVERFLOWING)
    return f"{where} scrolls sideways: {content}px content in {screen}px; sticking out: {culprits}"


def no_sideways_scroll(page: Page, where: str) -> None:
    problem = sideways_scroll(page, where)
    assert problem is None, problem


# The page's words as a person reads them: text nodes outside code, style and script elements.
VISIBLE_WORDS = """(() => {
  const skip = new Set(['CODE', 'PRE', 'KBD', 'STYLE', 'SCRIPT', 'NOSCRIPT', 'TEXTAREA']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el; el = el.parentElement) {
        if (skip.has(el.tagName)) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
  return parts.join(' ');
})()"""


def raw_words(page: Page, where: str) -> str | None:
    found = raw_identifiers(page.evaluate(VISIBLE_WORDS))
    return f"{where} shows raw identifiers: {found}" if found else None


def plain_words(page: Page, where: str) -> None:
    problem = raw_words(page, where)
    assert problem is None, problem


def snap(page: Page, width: int, name: str) -> None:
    page.wait_for_timeout(350)
    page.screenshot(path=str(ARTIFACTS / f"responsive-{width}-{name}.png"))


def test_pages_fit_small_screens(small: tuple[Page, int], server: Server) -> None:
    page, width = small
    problems: list[str] = []  # every page is looked at before failing, so one run names them all
    page.goto(f"{server.url}/login")
    expect(page.get_by_test_id("sign-in")).to_be_visible()
    no_sideways_scroll(page, "/login")
    problems += reads_well(page, "/login")
    snap(page, width, "01-login")

    sign_in(page, server, OWNER[0], "/")
    expect(page.get_by_test_id("sidebar")).not_to_be_in_viewport()
    no_sideways_scroll(page, "/")
    plain_words(page, "/")
    problems += reads_well(page, "/")
    snap(page, width, "02-overview")

    walk_the_inbox(page, server, width)
    page.goto(f"{server.url}/")
    expect(page.get_by_test_id("user-menu")).to_be_visible()

    # The navigation lives in a drawer behind the menu button; following a link closes it.
    page.get_by_test_id("menu-button").click()
    expect(page.get_by_test_id("sidebar")).to_be_in_viewport()
    snap(page, width, "03-menu")
    page.get_by_test_id("nav-knowledge").click()
    page.wait_for_url(f"{server.url}/knowledge")
    expect(page.get_by_test_id("sidebar")).not_to_be_in_viewport()
    expect(page.get_by_test_id("knowledge-row").first).to_be_visible()
    no_sideways_scroll(page, "/knowledge")
    # The entries' titles keep room to be read (the columns a narrow screen leaves out make way for them),
    # and the filters sit side by side.
    title = page.get_by_test_id("knowledge-row").first.locator("td").first.bounding_box()
    assert title and title["width"] >= 150, f"/knowledge at {width}px: the title column is {title}"
    search = page.get_by_test_id("knowledge-search").locator("xpath=..").bounding_box()  # with its icons
    panel = page.get_by_test_id("knowledge-panel").bounding_box()
    if width < 600:  # the search box takes the phone's whole line
        assert search and panel and search["width"] >= panel["width"] - 2, (search, panel)
    kind, category = (page.get_by_test_id(t).bounding_box() for t in ("filter-type", "filter-category"))
    assert kind and category and abs(kind["y"] - category["y"]) < 4, "the filters are not on one line"
    plain_words(page, "/knowledge")
    problems += reads_well(page, "/knowledge")  # the search's hint is not cut by its mode badge
    snap(page, width, "04-knowledge")

    for path in OTHER_PAGES:
        page.goto(f"{server.url}{path}")
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        page.wait_for_timeout(800)
        snap(page, width, "06" + path.replace("/", "-"))
        problems += [p for p in (sideways_scroll(page, path), raw_words(page, path)) if p]
        problems += reads_well(page, path)
        if path in TABS:
            problems += walk_the_tabs(page, width, path)

    problems += walk_the_dialogs(page, server, width)

    page.goto(f"{server.url}/playground")
    expect(page.get_by_test_id("phone")).to_be_visible()
    page.get_by_test_id("new-conversation").click()  # the other screen size's chat is still open
    expect(page.get_by_test_id("phone-chat").get_by_test_id("bubble")).to_have_count(0)
    composer = page.get_by_test_id("composer")
    composer.fill("what time do you open on sunday?")
    composer.press("Enter")
    expect(page.get_by_test_id("phone-chat").get_by_test_id("bubble")).to_have_count(2, timeout=120_000)
    snap(page, width, "05-playground")
    problems += [p for p in (sideways_scroll(page, "/playground"), raw_words(page, "/playground")) if p]
    problems += reads_well(page, "/playground")
    assert not problems, "\n".join(problems)


DARK_PAGES = (
    "/",
    "/conversations?tab=handoff",
    "/knowledge",
    "/catalog?tab=orders",
    "/persona",
    "/settings?tab=general",
    "/settings?tab=whatsapp",
    "/settings?tab=team",
    "/campaigns",
)


def test_dark_mode_reads_well_on_a_phone(browser: Browser, server: Server) -> None:
    """Dark mode at 390 px, the sign-in page included: buttons, badges and words at 4.5:1 against their
    background (the accent's white-on-green buttons read 3.0:1 there), nothing cut or broken."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, server, OWNER[0], "/")
        page.get_by_test_id("color-mode-toggle").click()
        expect(page.locator("html.dark")).to_have_count(1)
        problems: list[str] = []
        for path in DARK_PAGES:
            page.goto(f"{server.url}{path}")
            expect(page.get_by_test_id("user-menu")).to_be_visible()
            page.wait_for_timeout(800)
            where = f"{path} (dark)"
            problems += [p for p in (sideways_scroll(page, where), raw_words(page, where)) if p]
            problems += reads_well(page, where)
            snap(page, 390, "12-dark" + path.replace("/", "-").replace("?tab=", "-"))
        context.clear_cookies()  # signed out: the sign-in page keeps the mode
        page.goto(f"{server.url}/login")
        expect(page.get_by_test_id("sign-in")).to_be_visible()
        expect(page.locator("html.dark")).to_have_count(1)
        problems += reads_well(page, "/login (dark)")
        snap(page, 390, "12-dark-login")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def walk_the_dialogs(page: Page, server: Server, width: int) -> list[str]:
    """The import wizard (Catalog's and Knowledge's) and a token's scopes open in dialogs that must fit too:
    at 390 px the import dialog scrolled 8 px sideways and its three step titles broke over three lines."""
    problems: list[str] = []
    for path, opener, dialog in (
        ("/catalog?tab=products", "import-products", "import-dialog"),
        ("/settings?tab=tokens", "token-create-open", "token-dialog"),
    ):
        page.goto(f"{server.url}{path}")
        page.get_by_test_id(opener).first.click()
        expect(page.get_by_test_id(dialog)).to_be_visible()
        snap(page, width, f"11-{dialog}")
        problems += reads_well(page, f"{path} {dialog}")
        page.keyboard.press("Escape")
        expect(page.get_by_test_id(dialog)).to_have_count(0)
    return problems


def walk_the_tabs(page: Page, width: int, path: str) -> list[str]:
    """Open each of the page's tabs as a person would at this width: on a phone through the one picker (the
    tab bar is hidden), else by the tabs, every one of them on screen (none hidden in a sideways scroll)."""
    group, labels = TABS[path]
    keys = list(labels)
    problems: list[str] = []
    picker = page.get_by_test_id(f"{group}-picker")
    if width <= PHONE_MAX:
        expect(picker).to_be_visible()
        expect(page.get_by_test_id(f"tab-{keys[0]}")).to_be_hidden()
        box = picker.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{path}: the tab picker {box}"
    else:
        expect(picker).to_be_hidden()
        for key in keys:
            box = page.get_by_test_id(f"tab-{key}").bounding_box()
            if not box or box["x"] < 0 or box["x"] + box["width"] > width:
                problems.append(f"{path} at {width}px: the {key} tab is off screen ({box})")
    for key in keys:
        if width <= PHONE_MAX:
            picker.click()
            page.get_by_role("option", name=labels[key]).click()
        else:
            page.get_by_test_id(f"tab-{key}").click()
        page.wait_for_timeout(700)
        if width <= PHONE_MAX:
            expect(picker).to_contain_text(labels[key])
        snap(page, width, f"10{path.replace('/', '-')}-{key}")
        problems += reads_well(page, f"{path} {key} tab")
    return problems


def walk_the_inbox(page: Page, server: Server, width: int) -> None:
    """Below 1024 px the inbox shows one pane at a time: the list, a chat (with a reply sent), the customer's
    details, and back again, never wider than the screen."""
    page.goto(f"{server.url}/conversations?tab=handoff")
    inbox = page.get_by_test_id("inbox")
    expect(inbox).to_have_attribute("data-view", "list")
    rows = page.get_by_test_id("conversation-row")
    expect(rows.first).to_be_visible()
    no_sideways_scroll(page, "/conversations list")
    plain_words(page, "/conversations list")
    assert not reads_well(page, "/conversations list"), reads_well(page, "/conversations list")
    snap(page, width, "07-inbox-list")

    rows.first.click()
    expect(inbox).to_have_attribute("data-view", "chat")
    expect(page.get_by_test_id("transcript-header")).to_be_visible()
    expect(rows.first).not_to_be_visible()  # the list steps aside for the chat
    reply = f"Thanks, see you on Saturday! ({width}px)"
    page.get_by_test_id("reply-input").fill(reply)
    page.get_by_test_id("send-reply").click()
    expect(page.get_by_test_id("transcript").get_by_text(reply)).to_be_visible(timeout=60_000)
    page.wait_for_timeout(600)  # the toast settles
    no_sideways_scroll(page, "/conversations chat")
    plain_words(page, "/conversations chat")
    assert not reads_well(page, "/conversations chat"), reads_well(page, "/conversations chat")
    snap(page, width, "08-inbox-chat")

    page.get_by_test_id("show-context").click()
    expect(inbox).to_have_attribute("data-view", "context")
    expect(page.get_by_test_id("context-customer")).to_be_visible()
    expect(page.get_by_test_id("transcript")).not_to_be_visible()
    no_sideways_scroll(page, "/conversations context")
    plain_words(page, "/conversations context")
    assert not reads_well(page, "/conversations context"), reads_well(page, "/conversations context")
    snap(page, width, "09-inbox-context")

    page.get_by_test_id("back-to-chat").click()
    expect(page.get_by_test_id("transcript")).to_be_visible()
    page.get_by_test_id("back-to-list").click()
    expect(inbox).to_have_attribute("data-view", "list")
    expect(rows.first).to_be_visible()


def test_the_app_is_installable(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/login")
    manifest = page.locator("link[rel=manifest]").get_attribute("href")
    assert manifest == "/manifest.webmanifest"
    data = page.request.get(f"{server.url}{manifest}").json()
    assert data["display"] == "standalone" and {i["sizes"] for i in data["icons"]} >= {"192x192", "512x512"}
    for icon in data["icons"]:
        assert page.request.get(f"{server.url}{icon['src']}").ok
