"""The console in a real browser: sign-in through the HttpOnly cookie, every page, the Team tab, access rules.

Every page is saved as a screenshot under tests/e2e/artifacts/ (1440×900): look at them after changing the UI.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.seed import PASSWORD

# The machines running this are small and shared: give the server time before calling a page broken.
expect.set_options(timeout=15_000)

OWNER = "maya@greenleaf.test"
ADMIN = "priya@greenleaf.test"
AGENT = "sam@greenleaf.test"

# route, a text that proves the page's own content rendered, screenshot name
OWNER_PAGES: tuple[tuple[str, str, str], ...] = (
    ("/", "Get Parley ready for customers", "03-overview"),
    ("/conversations", "Your WhatsApp inbox", "04-conversations"),
    ("/persona", "System prompt", "05-persona"),
    ("/knowledge", "Teach the agent your policies and FAQs", "06-knowledge"),
    ("/catalog", "Import your products and services", "07-catalog"),
    ("/playground", "Turn trace", "08-playground"),
    ("/campaigns", "Reach customers who opted in", "09-campaigns"),
    ("/analytics", "Questions the agent could not answer", "10-analytics"),
    ("/settings", "Your workspace", "11-settings-general"),
    ("/settings?tab=whatsapp", "Twilio account", "12-settings-whatsapp"),
    ("/settings?tab=team", "Team members", "13-settings-team"),
)


def shot(page: Page, name: str) -> None:
    page.wait_for_timeout(350)  # let dialogs, menus and toasts finish animating
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def sign_in(page: Page, server: Server, email: str, next_path: str = "/") -> None:
    page.goto(f"{server.url}/login?next={next_path}")
    page.get_by_placeholder("you@company.com").fill(email)
    page.get_by_placeholder("Your password").fill(PASSWORD)
    page.get_by_test_id("sign-in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def test_sign_in_page_and_refused_password(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/login")
    expect(page.get_by_text("Sign in to your workspace")).to_be_visible()
    shot(page, "01-login")

    page.get_by_placeholder("you@company.com").fill(OWNER)
    page.get_by_placeholder("Your password").fill("not the password")
    page.get_by_test_id("sign-in").click()
    page.wait_for_url(re.compile(r"/login/?\?.*error="))
    expect(page.get_by_test_id("login-error")).to_contain_text("Wrong email or password")
    expect(page.get_by_placeholder("you@company.com")).to_have_value(OWNER)
    shot(page, "02-login-error")


def test_pages_need_a_session(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/knowledge")
    page.wait_for_url(re.compile(r"/login/?\?next=%2Fknowledge"))
    expect(page.get_by_text("Sign in to your workspace")).to_be_visible()


def test_session_cookie_is_http_only(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER)
    cookie = next(c for c in page.context.cookies() if c["name"] == "parley_session")
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find("parley_session") == -1


def test_owner_sees_every_page(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER, "/")
    sidebar = page.get_by_test_id("sidebar")
    for label in ("Overview", "Conversations", "Persona", "Knowledge", "Catalog", "Playground", "Settings"):
        expect(sidebar.get_by_text(label, exact=True)).to_be_visible()
    for route, marker, name in OWNER_PAGES:
        page.goto(f"{server.url}{route}")
        expect(page.get_by_text(marker, exact=True).first).to_be_visible()
        shot(page, name)


def test_team_invite_change_role_and_remove(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER, "/settings?tab=team")
    table = page.get_by_test_id("members-table")
    expect(table.get_by_text("sam@greenleaf.test")).to_be_visible()

    # A mistake is shown next to the field.
    page.get_by_test_id("invite-open").click()
    dialog = page.get_by_test_id("invite-dialog")
    dialog.get_by_placeholder("name@company.com").fill("sam@greenleaf.test")
    dialog.get_by_test_id("invite-submit").click()
    expect(dialog.get_by_test_id("invite-error")).to_contain_text("already a member")
    shot(page, "14-team-invite-error")

    # A new person gets a temporary password, shown once.
    dialog.get_by_placeholder("name@company.com").fill("noah@greenleaf.test")
    dialog.get_by_test_id("invite-role-manager").click()
    dialog.get_by_test_id("invite-submit").click()
    expect(dialog.get_by_test_id("temporary-password")).to_be_visible()
    assert len(dialog.get_by_test_id("temporary-password").inner_text().strip()) >= 12
    shot(page, "15-team-temporary-password")
    dialog.get_by_test_id("invite-done").click()
    row = table.get_by_test_id("member-row").filter(has_text="noah@greenleaf.test")
    # (the row holds its role twice: in the Role column, and under the name for a phone, where that is hidden)
    expect(row.get_by_text("Manager", exact=True).filter(visible=True)).to_be_visible()

    # Change the new member's role from the row menu.
    row.get_by_test_id("member-actions").click()
    page.get_by_text("Change role").click()
    page.get_by_test_id("role-viewer").click()
    expect(row.get_by_text("Viewer", exact=True).filter(visible=True)).to_be_visible()
    # The role menu closes with an animation; a click while it runs would land on the closing menu.
    expect(page.get_by_role("menu")).to_have_count(0)

    # Remove, after confirming.
    row.get_by_test_id("member-actions").click()
    page.get_by_test_id("remove-member").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("noah@greenleaf.test")
    shot(page, "16-team-remove-confirm")
    page.get_by_test_id("confirm-remove").click()
    expect(table.get_by_text("noah@greenleaf.test")).to_have_count(0)


def test_workspace_switcher_dark_mode_and_sign_out(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER, "/")
    page.get_by_test_id("workspace-switcher").click()
    expect(page.get_by_role("menuitem", name=re.compile("Northwind Cafe"))).to_be_visible()
    shot(page, "17-workspace-switcher")
    page.get_by_role("menuitem", name=re.compile("Northwind Cafe")).click()
    expect(page.get_by_test_id("workspace-switcher")).to_contain_text("Northwind Cafe")
    expect(page.get_by_test_id("workspace-switcher")).to_contain_text("Admin")
    # An admin of Northwind may use Settings but not its Team tab.
    page.goto(f"{server.url}/settings?tab=team")
    expect(page.get_by_test_id("team-not-allowed")).to_be_visible()

    page.goto(f"{server.url}/")
    expect(page.get_by_text("Get Parley ready for customers")).to_be_visible()
    page.get_by_test_id("color-mode-toggle").click()
    expect(page.locator("html.dark")).to_have_count(1)
    shot(page, "18-overview-dark")
    page.get_by_test_id("color-mode-toggle").click()

    page.get_by_test_id("user-menu").click()
    shot(page, "19-user-menu")
    page.get_by_test_id("sign-out").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto(f"{server.url}/settings")
    page.wait_for_url(re.compile(r"/login/?\?next=%2Fsettings"))


def test_agent_sees_only_the_inbox(page: Page, server: Server) -> None:
    sign_in(page, server, AGENT, "/")
    sidebar = page.get_by_test_id("sidebar")
    expect(sidebar.get_by_text("Conversations", exact=True)).to_be_visible()
    for hidden in ("Persona", "Knowledge", "Catalog", "Campaigns", "Analytics", "Playground", "Settings"):
        expect(sidebar.get_by_text(hidden, exact=True)).to_have_count(0)
    shot(page, "20-agent-overview")
    page.goto(f"{server.url}/knowledge")
    expect(page.get_by_test_id("no-access")).to_be_visible()
    shot(page, "21-agent-no-access")
    # Settings opens only on their own Account tab: the team stays out of reach.
    page.goto(f"{server.url}/settings?tab=team")
    expect(page.get_by_test_id("tab-account")).to_have_attribute("data-state", "active")
    expect(page.get_by_test_id("tab-team")).to_have_count(0)
    expect(page.get_by_test_id("members-table")).to_have_count(0)


def test_admin_cannot_manage_the_team(page: Page, server: Server) -> None:
    sign_in(page, server, ADMIN, "/settings?tab=team")
    expect(page.get_by_test_id("team-not-allowed")).to_be_visible()
    expect(page.get_by_test_id("members-table")).to_have_count(0)
    shot(page, "22-admin-team-not-allowed")
