"""Knowledge page → import wizard through KnowledgeImportState: uploads checked on the server (size, and
that the bytes are what the name says), a preview that marks bad rows and fields and writes nothing, then a
clean file written all at once; documents split into sections; web pages; forged events refused."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import reflex as rx

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.knowledge_import import (
    KnowledgeImportState,
    check_document_file,
    check_table_file,
    error_groups,
)
from engine.db import session_scope
from engine.knowledge import importing, service
from engine.knowledge.types import RowError
from tests.console.test_knowledge import (  # noqa: F401 - knowledge_env is an autouse fixture
    add_entry,
    knowledge_env,
    live_count,
    run_background,
    toasts,
)

HEADER = "title,content,entry_type,category,keywords,priority,is_active\n"
CLEAN_CSV = (
    HEADER
    + '"Opening hours","Open Monday to Saturday, 9:00 to 18:00.",info,store,"hours; open",5,true\n'
    + '"Gift returns","Gifts can be returned within 30 days with the receipt.",policy,Returns,gift,0,yes\n'
    + '"Click and collect","Orders are ready to collect in two hours.",faq,,collect,,\n'
).encode()
BAD_CSV = (
    HEADER
    + '"Opening hours","Open Monday to Saturday.",info,store,hours,5,true\n'
    + '"","Missing its title.",faq,,,,\n'
    + '"Typo in type","Fine content.",rumour,,,high,maybe\n'
    + '"Fine row","Fine content.",faq,,,,\n'
).encode()
MARKDOWN = b"""# Care guide

## Leather shoes
Wipe with a damp cloth and use a neutral cream once a month.

## Suede shoes
Brush when dry. Never put suede in the washing machine.
"""


def upload(name: str, data: bytes) -> list[rx.UploadFile]:
    return [rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))]


async def open_wizard(
    open_tab, workspace, source: str = "table", role: str = "manager"
) -> KnowledgeImportState:
    state = open_tab(KnowledgeImportState, workspace.people[role].token, "/knowledge")
    await state.load_page()
    assert state.access == ALLOWED
    await state.open_wizard(source)
    assert state.open and state.step == "source" and state.source == source
    return state


async def upload_and_check(
    state: KnowledgeImportState, name: str, data: bytes, source: str = "table"
) -> None:
    receive = state.receive_table if source == "table" else state.receive_document
    follow_up = await receive(upload(name, data))
    if state.file_error:
        return
    assert state.step == "checking" and follow_up.fn.__name__ == "check_staged"
    await run_background(state, "check_staged")


# --- server-side file checks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("entries.csv", b"", "empty"),
        ("entries.csv", b"%PDF-1.7 binary", "This is a PDF"),
        ("entries.xls", b"\xd0\xcf\x11\xe0old", "Save this spreadsheet as .xlsx"),
        ("entries.csv", b"PK\x03\x04zipped", "Save this spreadsheet as .xlsx"),
        ("entries.xlsx", b"title,content\n", "not an Excel workbook"),
        ("entries.csv", b"title,content\x00\x01\x02", "Upload a CSV, Excel or JSON file"),
        ("entries.exe", b"title,content\n", "Upload a CSV, Excel or JSON file"),
        ("entries.json", b"title,content\nA,B\n", "does not hold JSON"),
        ("big.csv", b"t" * (importing.MAX_IMPORT_BYTES + 1), "the limit is 20.0 MB"),
    ],
)
def test_table_files_are_checked_by_content(name: str, data: bytes, problem: str) -> None:
    fmt, message = check_table_file(name, data)
    assert fmt == "" and message is not None and problem in message


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("manual.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("manual.docx", b"PK\x03\x04", "Upload a PDF, Markdown"),
        ("notes.md", b"# Title\n\x00\x00binary", "not text"),
    ],
)
def test_documents_are_checked_by_content(name: str, data: bytes, problem: str) -> None:
    kind, message = check_document_file(name, data)
    assert kind == "" and message is not None and problem in message


def test_good_files_pass_with_their_format() -> None:
    assert check_table_file("entries.csv", CLEAN_CSV) == ("csv", None)
    assert check_table_file("entries.json", b'[{"title": "a", "content": "b"}]') == ("json", None)
    assert check_document_file("care.md", MARKDOWN) == ("markdown", None)
    assert check_document_file("care.pdf", b"%PDF-1.4 ...") == ("pdf", None)


def test_errors_are_grouped_by_field_and_message() -> None:
    errors = [RowError(0, "file", "has no rows")] + [
        RowError(n, "title", "is required") for n in range(1, 16)
    ]
    file_problems, groups = error_groups(errors + [RowError(3, "priority", "must be a whole number")])
    assert file_problems == ["The file has no rows."]
    assert groups[0].message == "Title is required." and groups[0].count == 15
    assert groups[0].rows == "Lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 3 more"
    assert groups[1].rows == "Line 3" and groups[1].field == "Priority"


# --- the wizard ---------------------------------------------------------------------------------------------


async def test_a_file_with_problems_is_previewed_and_nothing_is_written(open_tab, workspace) -> None:
    state = await open_wizard(open_tab, workspace)
    await upload_and_check(state, "kb.csv", BAD_CSV)
    assert state.step == "preview" and state.has_problems
    assert state.rows_total == 4 and state.bad_rows == 2 and state.error_count == 4
    assert state.file_name == "kb.csv" and state.file_format == "CSV"

    # Only the bad rows are drawn (numbered as the file's lines), the bad cells carrying their message.
    assert [r.number for r in state.rows] == [3, 4] and all(r.has_error for r in state.rows)
    columns = state.columns
    assert columns[:3] == ["Title", "Answer", "Type"]
    missing_title = dict(zip(columns, state.rows[0].cells, strict=True))
    assert missing_title["Title"].error == "Is required." and missing_title["Answer"].error == ""
    typo = dict(zip(columns, state.rows[1].cells, strict=True))
    assert typo["Type"].value == "rumour" and "Must be one of faq" in typo["Type"].error
    assert typo["Priority"].error == "Must be a whole number."
    assert typo["Active"].error == "Must be true or false."
    assert {g.field for g in state.groups} == {"Title", "Type", "Priority", "Active"}

    # Nothing was written, and a file with problems cannot be confirmed.
    assert live_count(workspace.tenant_id) == 0
    assert await run_background(state, "confirm") == []
    assert state.step == "preview" and live_count(workspace.tenant_id) == 0

    state.start_over()
    assert state.step == "source" and state.open and state.rows == []


async def test_the_good_rows_can_be_imported_and_the_skipped_ones_downloaded(open_tab, workspace) -> None:
    state = await open_wizard(open_tab, workspace)
    await upload_and_check(state, "kb.csv", BAD_CSV)
    assert state.can_skip and (state.good_rows, state.bad_rows) == (2, 2)
    download = state.download_skipped()
    assert download is not None and "kb-skipped-rows.csv" in str(download)
    assert state.confirm_good_rows() is not None and state.skip_bad
    events = await run_background(state, "confirm")
    assert "Imported 2 entries from kb.csv. Skipped 2 rows." in toasts(events)
    with session_scope() as db:
        titles = {e.title for e in service.list_entries(db, workspace.tenant_id).items}
    assert titles == {"Opening hours", "Fine row"}


async def test_a_clean_file_is_previewed_then_written_all_at_once(open_tab, workspace) -> None:
    state = await open_wizard(open_tab, workspace)
    await upload_and_check(state, "kb.csv", CLEAN_CSV)
    assert state.step == "preview" and not state.has_problems
    assert state.rows_total == 3 and state.confirm_label == "Import 3 entries"
    preview = [dict(zip(state.columns, (c.value for c in r.cells), strict=True)) for r in state.rows]
    assert preview[1]["Category"] == "returns" and preview[1]["Type"] == "Policy"  # as it will be saved
    assert preview[2]["Type"] == "FAQ" and preview[2]["Active"] == "true"
    assert live_count(workspace.tenant_id) == 0  # the preview wrote nothing

    events = await run_background(state, "confirm")
    assert "Imported 3 entries from kb.csv" in toasts(events)
    assert any(getattr(e, "fn", None) and e.fn.__name__ == "reload" for e in events)
    assert state.open is False and state.step == "source" and state._staged == b""
    with session_scope() as db:
        titles = {e.title for e in service.list_entries(db, workspace.tenant_id).items}
        hits = service.search(db, workspace.tenant_id, "gift receipt").hits
    assert titles == {"Opening hours", "Gift returns", "Click and collect"}
    assert hits and hits[0].entry.title == "Gift returns"  # in search at once


async def test_replace_mode_moves_current_entries_to_deleted(open_tab, workspace) -> None:
    old = add_entry(workspace.tenant_id)
    state = await open_wizard(open_tab, workspace)
    await upload_and_check(state, "kb.json", json.dumps([{"title": "New", "content": "Only this."}]).encode())
    assert state.file_format == "JSON" and not state.has_problems
    state.set_mode("replace")
    events = await run_background(state, "confirm")
    assert "1 earlier entry moved to Deleted" in toasts(events)
    with session_scope() as db:
        assert [e.title for e in service.list_entries(db, workspace.tenant_id).items] == ["New"]
        assert service.get_entry(db, workspace.tenant_id, old).deleted


async def test_a_refused_upload_says_why_and_stages_nothing(open_tab, workspace) -> None:
    state = await open_wizard(open_tab, workspace)
    await state.receive_table(upload("prices.xls", b"\xd0\xcf\x11\xe0..."))
    assert state.step == "source" and "Save this spreadsheet" in state.file_error and state._staged == b""
    await state.receive_table(upload("a.csv", b"x") + upload("b.csv", b"y"))
    assert state.file_error == "Choose one file."
    await upload_and_check(state, "empty.csv", HEADER.encode())
    assert state.step == "preview" and state.file_problems == ["The file has no rows."]


async def test_a_document_is_split_into_sections_then_imported(open_tab, workspace) -> None:
    state = await open_wizard(open_tab, workspace, "document")
    await upload_and_check(state, "care-guide.md", MARKDOWN, "document")
    assert state.step == "preview" and state.file_format == "Markdown"
    assert state.section_total == 2 and state.confirm_label == "Import 2 sections"
    assert [s.title for s in state.sections] == ["Care guide › Leather shoes", "Care guide › Suede shoes"]
    state.set_category("Care")
    events = await run_background(state, "confirm")
    assert "Imported care-guide.md: 2 added" in toasts(events)
    with session_scope() as db:
        items = service.list_entries(db, workspace.tenant_id).items
    assert {e.category for e in items} == {"care"} and {e.entry_type for e in items} == {"document"}
    assert {e.source for e in items} == {"file:care-guide.md"}

    # The same file again updates in place instead of adding copies.
    await state.open_wizard("document")
    await upload_and_check(
        state, "care-guide.md", MARKDOWN.replace(b"once a month", b"every week"), "document"
    )
    state.set_category("care")
    events = await run_background(state, "confirm")
    assert "1 updated, 1 unchanged" in toasts(events)
    assert live_count(workspace.tenant_id) == 2


async def test_web_page_addresses_are_checked(open_tab, workspace) -> None:
    state = await open_wizard(open_tab, workspace, "url")
    await run_background(state, "import_url", {"url": "ftp://example.test/faq"})
    assert state.url_error == "Enter the full address, starting with https://" and state.step == "source"
    await run_background(state, "import_url", {"url": "http://127.0.0.1:9/internal"})
    assert state.url_error == "This URL points at a private network address." and state.step == "source"
    assert live_count(workspace.tenant_id) == 0


@pytest.mark.parametrize("role", ["agent", "viewer"])
async def test_forged_import_events_are_refused(open_tab, workspace, role: str) -> None:
    state = open_tab(KnowledgeImportState, workspace.people[role].token, "/knowledge")
    await state.load_page()
    assert state.access == FORBIDDEN
    assert "don't have access" in toasts(await state.open_wizard("table"))
    assert state.open is False
    assert "don't have access" in toasts(await state.receive_table(upload("kb.csv", CLEAN_CSV)))
    assert state._staged == b""
    # Even a forged staged file in this tab's state is never written.
    state.open, state.step, state.source = True, "preview", "table"
    state._staged, state._staged_name, state._staged_format = (
        __import__("zlib").compress(CLEAN_CSV),
        "kb.csv",
        "csv",
    )
    assert "don't have access" in toasts(await run_background(state, "confirm"))
    state.open, state.step = True, "source"
    assert "don't have access" in toasts(await run_background(state, "import_url", {"url": "https://x.test"}))
    assert live_count(workspace.tenant_id) == 0
