"""The Knowledge page in a real browser, as the owner of "Stride Outlet" (tests/e2e/knowledge_seed.py):
the table with its filters, a search with scores and reasons, the entry drawer (History diff, Preview,
inline errors), soft delete with Undo, and the import wizard (a file with errors previewed, then a clean
one imported).

Screenshots land in tests/e2e/artifacts/ as knowledge-*.png (1440×900).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server
from tests.e2e.knowledge_seed import OWNER, RETURNS_TITLE
from tests.e2e.test_console import shot, sign_in

expect.set_options(timeout=20_000)

BAD_CSV = (
    b"title,content,entry_type,category,keywords,priority,is_active\n"
    b'"Gift wrapping","We gift-wrap any order for 2.50.",faq,orders,"gift; wrap",0,true\n'
    b'"","A row without its title.",faq,orders,,,\n'
    b'"Student discount","10% off with a valid student card.",discount,payment,,high,true\n'
    b'"Price match","We match any UK retailer\'s price on the same shoe.",policy,payment,,,maybe\n'
)
CLEAN_CSV = (
    b"title,content,entry_type,category,keywords,priority,is_active\n"
    b'"Gift wrapping","We gift-wrap any order for 2.50 and add a handwritten card.",'
    b'faq,orders,"gift; wrap",0,true\n'
    b'"Student discount","10% off full-price shoes with a valid student card, in store and online.",'
    b'policy,payment,"student; discount",0,true\n'
)


def open_knowledge(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER[0], "/knowledge")
    if "/knowledge" not in page.url:
        page.goto(f"{server.url}/knowledge")
    expect(page.get_by_test_id("knowledge-table")).to_be_visible()


def test_table_search_and_drawer_history(page: Page, server: Server) -> None:
    open_knowledge(page, server)
    table = page.get_by_test_id("knowledge-table")
    expect(table.get_by_test_id("knowledge-row")).to_have_count(25)
    expect(page.get_by_test_id("knowledge-range")).to_have_text("1–25 of 39 entries")
    expect(page.get_by_test_id("search-mode")).to_be_visible()
    shot(page, "knowledge-01-table")

    # Filters and paging run on the server.
    page.get_by_test_id("page-next").click()
    expect(page.get_by_test_id("knowledge-range")).to_have_text("26–39 of 39 entries")
    page.get_by_test_id("filter-type").click()
    page.get_by_role("option", name="Procedure").click()
    expect(page.get_by_test_id("knowledge-range")).to_contain_text("of ")
    expect(table.get_by_test_id("knowledge-row").first).to_contain_text("Procedure")
    page.get_by_role("button", name="Clear", exact=True).click()
    expect(page.get_by_test_id("knowledge-range")).to_have_text("1–25 of 39 entries")

    # Search like a customer: ranked hits with their score and why they matched.
    page.get_by_test_id("knowledge-search").fill("can I send my shoes back for a refund")
    results = page.get_by_test_id("search-results")
    # The first search of a fresh server may load the embedding model: give it time.
    expect(results.get_by_test_id("search-hit").first).to_contain_text("Returns policy", timeout=90_000)
    expect(results.get_by_test_id("hit-reasons").first).to_contain_text("Why:")
    expect(page.get_by_test_id("search-summary")).to_contain_text("for “can I send my shoes back")
    shot(page, "knowledge-02-search")
    page.get_by_role("button", name="Back to all entries").click()
    expect(table).to_be_visible()

    # The drawer: History compares the last two versions; the diff reads like a document.
    table.get_by_test_id("knowledge-row").filter(has_text=RETURNS_TITLE).click()
    drawer = page.get_by_test_id("entry-drawer")
    expect(drawer.get_by_test_id("entry-title")).to_have_value(RETURNS_TITLE)
    drawer.get_by_test_id("drawer-tab-history").click()
    expect(drawer.get_by_test_id("version-item")).to_have_count(3)
    drawer.get_by_test_id("version-item").nth(0).click()  # untick v3: compare v1 with v2
    drawer.get_by_test_id("version-item").nth(2).click()
    diff = drawer.get_by_test_id("version-diff")
    expect(diff).to_contain_text("Changes from version 1 to version 2")
    expect(diff).to_contain_text("within 45 days")
    shot(page, "knowledge-03-drawer-history")

    drawer.get_by_test_id("drawer-tab-preview").click()
    expect(drawer.get_by_test_id("preview-bubble")).to_contain_text("within 45 days")
    drawer.get_by_test_id("probe-input").fill("how long do I have to return trainers?")
    drawer.get_by_role("button", name="Test").click()
    expect(drawer.get_by_test_id("probe-result")).to_contain_text("Found at #")
    shot(page, "knowledge-04-drawer-preview")

    # Inline validation next to the field; closing a changed draft asks first.
    drawer.get_by_test_id("drawer-tab-edit").click()
    drawer.get_by_test_id("entry-title").fill("")
    drawer.get_by_test_id("entry-save").click()
    expect(drawer.get_by_test_id("error-title")).to_have_text("Title is required.")
    shot(page, "knowledge-05-drawer-errors")
    drawer.get_by_test_id("drawer-close").click()
    page.get_by_test_id("confirm-discard").click()
    expect(drawer).to_have_count(0)


def test_new_entry_delete_and_undo(page: Page, server: Server) -> None:
    open_knowledge(page, server)
    page.get_by_test_id("knowledge-new").click()
    drawer = page.get_by_test_id("entry-drawer")
    drawer.get_by_test_id("entry-title").fill("Do you sell insoles?")
    drawer.get_by_test_id("entry-content").fill(
        "Yes: cushioned and supportive insoles, from £12, in every store."
    )
    drawer.get_by_test_id("keyword-input").fill("insoles, inserts")
    drawer.get_by_test_id("keyword-input").press("Enter")
    expect(drawer.get_by_test_id("keyword-chip")).to_have_count(2)
    drawer.get_by_test_id("entry-save").click()
    expect(page.get_by_text("“Do you sell insoles?” was added")).to_be_visible()
    row = page.get_by_test_id("knowledge-row").filter(has_text="Do you sell insoles?")
    expect(row).to_be_visible()
    drawer.get_by_test_id("drawer-close").click()  # saved: closes without asking
    expect(drawer).to_have_count(0)

    with page.expect_download() as download:  # Export gives back the import format, new entry included
        page.get_by_test_id("knowledge-export").click()
        page.get_by_role("menuitem", name=re.compile("CSV")).click()
    assert re.fullmatch(r"knowledge-stride-outlet-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    assert "Do you sell insoles?" in download.value.path().read_text()

    row.click()
    drawer.get_by_test_id("entry-delete").click()
    expect(row).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_test_id("knowledge-row").filter(has_text="Do you sell insoles?")).to_be_visible()


def test_import_preview_with_errors_then_a_clean_file(page: Page, server: Server) -> None:
    open_knowledge(page, server)
    page.get_by_test_id("knowledge-import").click()
    dialog = page.get_by_test_id("import-dialog")
    expect(dialog).to_be_visible()
    shot(page, "knowledge-06-import-upload")

    dropzone = dialog.locator("input[type=file]")
    dropzone.set_input_files(files=[{"name": "faq.csv", "mimeType": "text/csv", "buffer": BAD_CSV}])
    expect(dialog.get_by_test_id("import-problem-count")).to_contain_text("3 of 4 rows need fixing")
    expect(dialog.get_by_test_id("bad-row")).to_have_count(3)
    expect(dialog.get_by_test_id("bad-cell").first).to_contain_text("Is required.")
    expect(dialog.get_by_test_id("import-confirm")).to_be_disabled()
    shot(page, "knowledge-07-import-preview-errors")

    dialog.get_by_test_id("import-start-over").click()
    dialog.locator("input[type=file]").set_input_files(
        files=[{"name": "faq.csv", "mimeType": "text/csv", "buffer": CLEAN_CSV}]
    )
    expect(dialog.get_by_test_id("import-ready")).to_contain_text("All 2 rows are ready")
    shot(page, "knowledge-08-import-preview-ready")
    dialog.get_by_test_id("import-confirm").click()
    expect(page.get_by_text(re.compile(r"Imported 2 entries from faq\.csv"))).to_be_visible()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("knowledge-row").filter(has_text="Student discount")).to_be_visible()
