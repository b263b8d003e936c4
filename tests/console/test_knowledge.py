"""Knowledge page → table through KnowledgeState: real states, the real knowledge service and LanceDB index.

What must hold: filters and paging run in SQL and agree with the service; search says whether it ran hybrid
or words only (and why) and shows each hit's score and why it matched; switching off, deleting and restoring
go through the service (soft delete, with Undo); export gives back what import reads; only roles with
`agent:manage` get the page, and forged events from the others change nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.knowledge import KnowledgeState
from engine.db import session_scope
from engine.knowledge import index as kindex
from engine.knowledge import service
from engine.knowledge.embeddings import CachedEmbedder
from tests.console.conftest import make_tenant, redirect_path, toast_text

RETURNS = {
    "title": "Returns policy",
    "content": "Unworn shoes can be returned within 30 days for a full refund.",
    "entry_type": "policy",
    "category": "Returns",
    "keywords": ["refund", "send back"],
    "priority": 5,
}
DELIVERY = {
    "title": "Delivery times",
    "content": "Standard delivery takes 3 to 5 working days and costs 3.95.",
    "entry_type": "faq",
    "category": "delivery",
    "keywords": ["shipping"],
}


@pytest.fixture(autouse=True)
def knowledge_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A deterministic embedder (no model, no network) so search runs hybrid; index rebuilds inline."""
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "hashing:64")
    monkeypatch.setattr(kindex, "BACKGROUND_REBUILDS", False)
    kindex.reset_embedders()
    CachedEmbedder.clear()
    yield
    kindex.run_pending_rebuilds()
    kindex.reset_embedders()


@pytest.fixture
def lexical(monkeypatch: pytest.MonkeyPatch) -> None:
    """No embedding model configured: search matches words only."""
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "none")
    kindex.reset_embedders()


# --- helpers shared with the drawer and import tests --------------------------------------------------------


def add_entry(tenant_id: int, **fields: Any) -> int:
    with session_scope() as db:
        return service.create_entry(db, tenant_id, {**RETURNS, **fields}).id


def entry(tenant_id: int, entry_id: int) -> Any:
    with session_scope() as db:
        return service.get_entry(db, tenant_id, entry_id)


def live_count(tenant_id: int) -> int:
    with session_scope() as db:
        return service.list_entries(db, tenant_id, page_size=1).total


def toasts(result: Any) -> str:
    """The text of every toast in a handler's result (one event, a list of them, or None)."""
    events = result if isinstance(result, list | tuple) else [result]
    return " ".join(toast_text(e) for e in events)


async def run_background(state: Any, name: str, *args: Any) -> list[Any]:
    """Run a background handler's body on this state and collect what it yields.

    Reflex refuses direct calls to background tasks; under pytest `async with self` is a no-op, so the body
    runs as it would inside the state lock.
    """
    handler = type(state).event_handlers[name].fn
    out: list[Any] = []
    async for event in handler(state, *args):
        if isinstance(event, list):
            out.extend(event)
        elif event is not None:
            out.append(event)
    return out


async def open_page(open_tab, workspace, role: str = "manager") -> KnowledgeState:
    state = open_tab(KnowledgeState, workspace.people[role].token, "/knowledge")
    await state.load_page()
    assert state.access == ALLOWED
    return state


# --- the page and its guard ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "admin", "manager"])
async def test_roles_with_agent_manage_get_the_page(open_tab, workspace, role: str) -> None:
    add_entry(workspace.tenant_id)
    state = await open_page(open_tab, workspace, role)
    assert [r.title for r in state.rows] == ["Returns policy"]
    row = state.rows[0]
    assert row.type_label == "Policy" and row.category == "returns" and row.version == 1
    assert row.keywords == ["refund", "send back"] and row.is_active and not row.deleted
    assert row.updated.startswith("Today")
    assert state.is_empty is False


@pytest.mark.parametrize("role", ["agent", "viewer"])
async def test_other_roles_get_no_rows(open_tab, workspace, role: str) -> None:
    add_entry(workspace.tenant_id)
    state = open_tab(KnowledgeState, workspace.people[role].token, "/knowledge")
    await state.load_page()
    assert state.access == FORBIDDEN
    assert state.rows == [] and state.total == 0


async def test_no_session_goes_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(KnowledgeState, None, "/knowledge")
    assert redirect_path(await state.load_page()).startswith("/login?next=%2Fknowledge")
    assert redirect_path(await state.set_type_filter("faq")).startswith("/login")


async def test_a_new_workspace_gets_the_empty_state(open_tab, workspace) -> None:
    state = await open_page(open_tab, workspace)
    assert state.loaded and state.live_total == 0 and state.is_empty
    add_entry(workspace.tenant_id)
    await state.reload()
    assert not state.is_empty and state.total == 1


# --- filters and paging -------------------------------------------------------------------------------------


async def test_filters_and_paging_in_sql(open_tab, workspace) -> None:
    tenant = workspace.tenant_id
    for i in range(23):
        add_entry(
            tenant,
            title=f"Entry {i:02d}",
            entry_type="faq" if i % 2 else "policy",
            category="delivery" if i % 3 == 0 else "returns",
            is_active=i % 5 != 0,
        )
    state = await open_page(open_tab, workspace)
    assert state.total == 23 and len(state.rows) == 23  # 25 a page by default

    await state.set_page_size("10")
    assert state.page == 1 and len(state.rows) == 10 and state.pages == 3
    assert state.range_label == "1–10 of 23 entries"
    await state.go_to_page(3)
    assert len(state.rows) == 3 and state.range_label == "21–23 of 23 entries"
    await state.go_to_page(99)
    assert state.page == 3  # clamped to the last page
    newest_first = [r.title for r in state.rows]
    assert newest_first == ["Entry 02", "Entry 01", "Entry 00"]

    await state.set_type_filter("faq")
    assert state.page == 1 and state.total == 11 and {r.type_label for r in state.rows} == {"FAQ"}
    assert state.filtered
    await state.set_category_filter("delivery")
    assert state.total == 4 and {r.category for r in state.rows} == {"delivery"}
    assert state.categories == ["delivery", "returns"]
    await state.set_active_filter("inactive")
    assert state.total == 1 and [r.title for r in state.rows] == ["Entry 15"] and not state.rows[0].is_active
    await state.set_type_filter("nonsense")
    assert state.type_filter == "all"

    await state.clear_filters()
    assert state.total == 23 and not state.filtered
    with session_scope() as db:
        assert state.total == service.list_entries(db, tenant).total


async def test_switching_an_entry_off_saves_a_version(open_tab, workspace) -> None:
    entry_id = add_entry(workspace.tenant_id)
    state = await open_page(open_tab, workspace)
    result = await state.set_active(entry_id, False)
    assert "success" in toasts(result) and "no longer uses it" in toasts(result)
    saved = entry(workspace.tenant_id, entry_id)
    assert saved.is_active is False and saved.version == 2
    assert state.rows[0].is_active is False and state.rows[0].version == 2
    await state.set_active(entry_id, True)
    assert entry(workspace.tenant_id, entry_id).is_active


async def test_delete_offers_undo_and_the_bin_restores(open_tab, workspace) -> None:
    tenant = workspace.tenant_id
    keep = add_entry(tenant, **DELIVERY)
    gone = add_entry(tenant)
    state = await open_page(open_tab, workspace)

    result = await state.delete_entry(gone)
    assert "was deleted" in toasts(result) and "Undo" in toasts(result) and "restore_entry" in toasts(result)
    assert [r.id for r in state.rows] == [keep] and state.deleted_total == 1
    assert entry(tenant, gone).deleted and live_count(tenant) == 1

    await state.set_show_deleted(True)
    assert [r.id for r in state.rows] == [gone] and state.rows[0].deleted and state.rows[0].deleted_when

    result = await state.restore_entry(gone)  # the toast's Undo, or the Restore button in the bin
    assert "is back" in toasts(result)
    assert not entry(tenant, gone).deleted and live_count(tenant) == 2
    assert state.deleted_total == 0 and state.show_deleted is False  # the bin is empty: back to the list
    assert {r.id for r in state.rows} == {keep, gone}


async def test_another_workspaces_entry_cannot_be_touched(open_tab, workspace) -> None:
    other = make_tenant("Northwind Cafe", "northwind")
    theirs = add_entry(other)
    state = await open_page(open_tab, workspace)
    for result in (
        await state.delete_entry(theirs),
        await state.set_active(theirs, False),
        await state.restore_entry(theirs),
    ):
        assert "error" in toasts(result) and "not found" in toasts(result)
    saved = entry(other, theirs)
    assert not saved.deleted and saved.is_active and saved.version == 1


# --- search -------------------------------------------------------------------------------------------------


async def test_search_is_hybrid_with_scores_and_reasons(open_tab, workspace) -> None:
    tenant = workspace.tenant_id
    returns = add_entry(tenant)
    add_entry(tenant, **DELIVERY)
    state = await open_page(open_tab, workspace)
    await run_background(state, "refresh_index_status")
    assert state.index_mode == "hybrid" and state.index_model == "Simple test search model"

    await run_background(state, "search", "refund for my shoes")
    assert state.search_active and not state.searching
    assert state.search_mode == "hybrid" and state.search_model == "Simple test search model"
    assert state.search_for == "refund for my shoes"
    top = state.hits[0]
    assert top.rank == 1 and top.entry.id == returns and top.strength == 100
    assert top.score == "Best match"
    labels = [r["label"] for r in top.reasons]  # in words, never ranks or scores (issue 15)
    assert labels == ["Matched 'refund' and 'shoes', close in meaning"]
    assert top.summary == "matched 'refund' and 'shoes', close in meaning"

    # The type filter applies to search too; clearing the box goes back to the table.
    await state.set_type_filter("faq")
    await run_background(state, "search", "refund for my shoes")
    assert returns not in [h.entry.id for h in state.hits]
    await run_background(state, "search", "   ")
    assert not state.search_active and state.hits == []


async def test_search_without_a_model_says_words_only(open_tab, workspace, lexical) -> None:
    add_entry(workspace.tenant_id)
    state = await open_page(open_tab, workspace)
    await run_background(state, "refresh_index_status")
    assert state.index_mode == "lexical" and "No search model" in state.index_note

    await run_background(state, "search", "refund")
    assert state.search_mode == "lexical" and state.search_model == ""
    assert state.search_note == "No search model is set up: search matches words only."
    assert state.hits and state.hits[0].reasons[0]["label"] == "Matched 'refund'"

    await state.clear_search()
    assert state.query == "" and not state.search_active


async def test_deleted_and_switched_off_entries_never_show_in_search(open_tab, workspace) -> None:
    tenant = workspace.tenant_id
    off = add_entry(tenant, is_active=False)
    gone = add_entry(tenant, title="Refund exceptions")
    state = await open_page(open_tab, workspace)
    await state.delete_entry(gone)
    await run_background(state, "search", "refund")
    assert {h.entry.id for h in state.hits}.isdisjoint({off, gone})


# --- export -------------------------------------------------------------------------------------------------


async def test_export_gives_back_the_import_format(open_tab, workspace) -> None:
    add_entry(workspace.tenant_id)
    add_entry(workspace.tenant_id, **DELIVERY)
    state = await open_page(open_tab, workspace)
    download, toast = await state.export("csv")
    assert "Exported 2 entries as CSV" in toast_text(toast)
    script = str(download.args)
    assert "knowledge-green-leaf-" in script and ".csv" in script
    with session_scope() as db:
        from engine.knowledge import importing

        data = importing.export_entries(db, workspace.tenant_id, "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert {r["title"] for r in rows} == {"Returns policy", "Delivery times"}


# --- forged events ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agent", "viewer"])
async def test_forged_table_events_are_refused(open_tab, workspace, role: str) -> None:
    """A client that skips the UI and sends the events anyway reads and changes nothing."""
    tenant = workspace.tenant_id
    entry_id = add_entry(tenant)
    state = open_tab(KnowledgeState, workspace.people[role].token, "/knowledge")

    for result in (
        await state.set_active(entry_id, False),
        await state.delete_entry(entry_id),
        await state.restore_entry(entry_id),
        await state.export("json"),
        await state.reload(),
        await state.set_show_deleted(True),
        await state.go_to_page(2),
    ):
        assert "error" in toasts(result) and "don't have access" in toasts(result)
    refused = await run_background(state, "search", "refund")
    assert "don't have access" in toasts(refused)
    assert state.hits == [] and state.rows == [] and state.access == FORBIDDEN
    saved = entry(tenant, entry_id)
    assert saved.is_active and not saved.deleted and saved.version == 1
