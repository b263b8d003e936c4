"""The Catalog page in a real browser, on the seeded Stride & Co. shop (tests/e2e/catalog_seed.py).

Screenshots (1440×900) under tests/e2e/artifacts/catalog-*.png: the products table, the edit drawer and its
inline errors, the CSV import preview with bad rows highlighted, services, orders and appointments.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.catalog_seed import OWNER
from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.seed import PASSWORD

expect.set_options(timeout=20_000)

BAD_CSV = (
    b"sku,name,price,stock,aliases,category\n"
    b"STR-NEW-1,Trail Gaiters,24.00,12,gaiters|trail gaiter,accessories\n"
    b"STR-NEW-2,,18.50,4,,accessories\n"
    b"STR-NEW-3,Merino Beanie,twelve,-2,beanie|wooly hat,apparel\n"
    b"STR-NEW-4,Reflective Vest,22.00,9,hi vis|hi-vis vest,apparel\n"
    b"STR-NEW-1,Duplicate row,5.00,1,,accessories\n"
)
GOOD_CSV = (
    b"sku,name,price,stock,aliases,category\n"
    b"STR-NEW-1,Trail Gaiters,24.00,12,gaiters|trail gaiter,accessories\n"
    b"STR-NEW-3,Merino Beanie,12.00,2,beanie|wooly hat,apparel\n"
    b"STR-NEW-4,Reflective Vest,22.00,9,hi vis|hi-vis vest,apparel\n"
)


def shot(page: Page, name: str) -> None:
    page.wait_for_timeout(450)  # let drawers, dialogs and toasts finish animating
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def sign_in(page: Page, server: Server, next_path: str) -> None:
    page.goto(f"{server.url}/login?next={next_path}")
    page.get_by_placeholder("you@company.com").fill(OWNER[0])
    page.get_by_placeholder("Your password").fill(PASSWORD)
    page.get_by_test_id("sign-in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def test_products_table_search_and_edit_drawer(page: Page, server: Server) -> None:
    sign_in(page, server, "/catalog")
    table = page.get_by_test_id("products-table")
    expect(table.get_by_test_id("product-row").first).to_be_visible()
    expect(page.get_by_test_id("products-range")).to_contain_text("of 37 products")
    # (each row also holds its price and stock for a phone, under the name, hidden at this width)
    expect(table.get_by_text("Out of stock").filter(visible=True).first).to_be_visible()
    expect(table.get_by_text("£95.00").filter(visible=True).first).to_be_visible()
    shot(page, "catalog-01-products")

    # Search runs in SQL over names, SKUs and aliases.
    page.get_by_test_id("product-search").fill("cloudstpe")
    expect(page.get_by_test_id("products-range")).to_contain_text("1–1 of 1 product")
    row = table.get_by_test_id("product-row").first
    expect(row).to_contain_text("Cloudstep 90 Running Shoe")

    # The drawer: every field of the product, aliases as chips.
    row.click()
    drawer = page.get_by_test_id("catalog-drawer")
    expect(drawer.get_by_test_id("drawer-title")).to_have_text("Cloudstep 90 Running Shoe")
    expect(drawer.get_by_test_id("field-sku")).to_have_value("STR-RUN-CS90")
    expect(drawer.get_by_text("cloud step", exact=True)).to_be_visible()
    shot(page, "catalog-02-edit-drawer")

    # A refused value is explained next to its field, and nothing is saved.
    drawer.get_by_test_id("field-price").fill("ninety five")
    drawer.get_by_test_id("field-name").fill("")
    drawer.get_by_test_id("drawer-save").click()
    expect(drawer.get_by_test_id("error-price")).to_contain_text("Price must be a number like 19.99")
    expect(drawer.get_by_test_id("error-name")).to_contain_text("Name must not be empty")
    shot(page, "catalog-03-drawer-errors")

    # Fix them, add an alias with Enter, save.
    drawer.get_by_test_id("field-name").fill("Cloudstep 90 Running Shoe")
    drawer.get_by_test_id("field-price").fill("89.00")
    drawer.get_by_test_id("chip-input-aliases").fill("cs-90")
    drawer.get_by_test_id("chip-input-aliases").press("Enter")
    expect(drawer.get_by_text("cs-90", exact=True)).to_be_visible()
    drawer.get_by_test_id("drawer-save").click()
    expect(page.get_by_text("Cloudstep 90 Running Shoe was saved.")).to_be_visible()
    expect(drawer).to_have_count(0)
    expect(row).to_contain_text("£89.00")


def test_import_preview_highlights_bad_rows_then_imports(page: Page, server: Server) -> None:
    sign_in(page, server, "/catalog")
    page.get_by_test_id("import-products").click()
    dialog = page.get_by_test_id("import-dialog")
    expect(dialog.get_by_text("Drop a CSV or Excel file here, or click to choose one")).to_be_visible()
    shot(page, "catalog-04-import-upload")

    dropzone_input = dialog.locator("input[type=file]")
    dropzone_input.set_input_files(
        files=[{"name": "new-products.csv", "mimeType": "text/csv", "buffer": BAD_CSV}]
    )
    expect(dialog.get_by_test_id("import-has-errors")).to_be_visible()
    expect(dialog.get_by_test_id("stat-errors")).to_contain_text("4")
    expect(dialog.get_by_test_id("preview-bad-row")).to_have_count(3)
    expect(dialog.get_by_test_id("import-confirm")).to_be_disabled()
    shot(page, "catalog-05-import-preview-errors")

    dialog.get_by_test_id("import-start-over").click()
    dialog.locator("input[type=file]").set_input_files(
        files=[{"name": "new-products.csv", "mimeType": "text/csv", "buffer": GOOD_CSV}]
    )
    expect(dialog.get_by_test_id("import-ready")).to_contain_text("3 new")
    shot(page, "catalog-06-import-preview-ready")
    dialog.get_by_test_id("import-confirm").click()
    expect(page.get_by_text("Imported new-products.csv: 3 new, 0 updated.")).to_be_visible()
    expect(page.get_by_test_id("products-range")).to_contain_text("of 40 products")

    page.get_by_test_id("product-search").fill("wooly hat")
    expect(page.get_by_test_id("product-row")).to_have_count(1)
    expect(page.get_by_test_id("product-row").first).to_contain_text("Merino Beanie")
    expect(page.get_by_test_id("product-row").first).to_contain_text("Low · 2 left")


def test_services_orders_and_appointments(page: Page, server: Server) -> None:
    sign_in(page, server, "/catalog?tab=services")
    services = page.get_by_test_id("services-table")
    expect(services.get_by_text("Gait Analysis")).to_be_visible()
    shot(page, "catalog-07-services")

    # A booked service cannot be deleted: the dialog says why and offers to hide it.
    row = services.get_by_test_id("service-row").filter(has_text="Gait Analysis")
    row.get_by_test_id("service-actions").click()
    page.get_by_test_id("delete-service").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Gait Analysis")
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_test_id("delete-error")).to_contain_text("This service has appointments")
    shot(page, "catalog-08-delete-booked-service")
    page.get_by_test_id("deactivate-instead").click()
    expect(row.get_by_text("Hidden")).to_be_visible()

    page.get_by_test_id("tab-orders").click()
    orders = page.get_by_test_id("orders-table")
    expect(orders.get_by_test_id("order-row").first).to_be_visible()
    expect(orders.get_by_text("STR-10457")).to_be_visible()
    shot(page, "catalog-09-orders")

    page.get_by_test_id("tab-appointments").click()
    appointments = page.get_by_test_id("appointments-table")
    expect(appointments.get_by_test_id("appointment-row").first).to_be_visible()
    shot(page, "catalog-10-appointments")


def test_empty_catalog_explains_and_offers_the_first_step(page: Page, server: Server) -> None:
    """Green Leaf has no catalog: each tab says what it is for and offers the first action."""
    page.goto(f"{server.url}/login?next=/catalog")
    page.get_by_placeholder("you@company.com").fill("maya@greenleaf.test")
    page.get_by_placeholder("Your password").fill(PASSWORD)
    page.get_by_test_id("sign-in").click()
    expect(page.get_by_text("Import your products and services", exact=True)).to_be_visible()
    expect(page.get_by_test_id("empty-import")).to_be_visible()
    shot(page, "catalog-00-empty")

    page.get_by_test_id("empty-new-product").click()
    drawer = page.get_by_test_id("catalog-drawer")
    expect(drawer.get_by_test_id("drawer-title")).to_have_text("New product")
    shot(page, "catalog-11-new-product")
    drawer.get_by_role("button", name="Cancel").click()
    expect(drawer).to_have_count(0)

    page.get_by_test_id("tab-orders").click()
    expect(page.get_by_text("No orders yet", exact=True)).to_be_visible()
