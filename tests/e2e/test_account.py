"""Settings → Account in a real browser: a viewer (who has no other Settings tab) changes the temporary-style
password, sees inline errors first, then signs out and back in with the new password.

Screenshots land in tests/e2e/artifacts/ (40-… onwards).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server
from tests.e2e.seed import PASSWORD
from tests.e2e.test_console import OWNER, sign_in
from tests.e2e.test_settings import shot

expect.set_options(timeout=15_000)

VIEWER = "tom@greenleaf.test"
NEW_PASSWORD = "tom-new-passphrase-42"


def _sign_in_with(page: Page, server: Server, email: str, password: str) -> None:
    page.goto(f"{server.url}/login?next=/settings")
    page.get_by_placeholder("you@company.com").fill(email)
    page.get_by_placeholder("Your password").fill(password)
    page.get_by_test_id("sign-in").click()


def test_owner_sees_account_beside_the_workspace_tabs(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER, "/settings?tab=account")
    expect(page.get_by_test_id("tab-team")).to_be_visible()
    expect(page.get_by_test_id("tab-account")).to_have_attribute("data-state", "active")
    expect(page.get_by_test_id("account-profile")).to_contain_text(OWNER)
    expect(page.get_by_test_id("account-profile")).to_contain_text("Owner")
    shot(page, "40-settings-account-owner")


def test_a_viewer_changes_their_password_and_signs_in_with_it(page: Page, server: Server) -> None:
    sign_in(page, server, VIEWER, "/")
    # The sidebar has no Settings for a viewer: their account is in the menu under their name.
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("your-account").click()
    page.wait_for_url(re.compile(r"/settings"))
    # Only their own tab: the workspace tabs are for owners and admins.
    expect(page.get_by_test_id("tab-account")).to_have_attribute("data-state", "active")
    for tab in ("general", "whatsapp", "ai", "team", "tokens", "features"):
        expect(page.get_by_test_id(f"tab-{tab}")).to_have_count(0)
    expect(page.get_by_test_id("account-profile")).to_contain_text(VIEWER)
    shot(page, "41-settings-account-viewer")

    # Mistakes are shown under their fields.
    page.get_by_test_id("account-current").fill("not my password")
    page.get_by_test_id("account-new").fill(NEW_PASSWORD)
    page.get_by_test_id("account-confirm").fill(NEW_PASSWORD + "x")
    page.get_by_test_id("account-submit").click()
    expect(page.get_by_test_id("account-confirm-error")).to_contain_text("doesn't match")
    page.get_by_test_id("account-confirm").fill(NEW_PASSWORD)
    page.get_by_test_id("account-submit").click()
    expect(page.get_by_test_id("account-current-error")).to_contain_text("current password is not right")
    expect(page.get_by_test_id("account-confirm-error")).to_have_count(0)
    shot(page, "42-settings-account-errors")

    # The right current password: changed, a toast, and the form is empty again.
    page.get_by_test_id("account-current").fill(PASSWORD)
    page.get_by_test_id("account-new").fill(NEW_PASSWORD)
    page.get_by_test_id("account-confirm").fill(NEW_PASSWORD)
    page.get_by_test_id("account-submit").click()
    expect(page.get_by_text("Password changed.")).to_be_visible()
    expect(page.get_by_test_id("account-current-error")).to_have_count(0)
    expect(page.get_by_test_id("account-current")).to_have_value("")
    shot(page, "43-settings-account-changed", full_page=False)

    # Sign out; the old password is refused, the new one works.
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("sign-out").click()
    page.wait_for_url(re.compile(r"/login"))
    _sign_in_with(page, server, VIEWER, PASSWORD)
    expect(page.get_by_test_id("login-error")).to_contain_text("Wrong email or password")
    # The refused page keeps the email; only the password is typed again.
    expect(page.get_by_placeholder("you@company.com")).to_have_value(VIEWER)
    page.get_by_placeholder("Your password").fill(NEW_PASSWORD)
    page.get_by_test_id("sign-in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*/settings"))
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    expect(page.get_by_test_id("tab-account")).to_have_attribute("data-state", "active")
