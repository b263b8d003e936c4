"""Knowledge page → entry drawer through KnowledgeEditorState: create with field errors beside the fields,
keywords as chips, saves refused on top of someone else's newer version, history with a readable diff and
restore, soft delete from the drawer, the preview, and forged events from roles without `agent:manage`."""

from __future__ import annotations

import pytest

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.knowledge_editor import KnowledgeEditorState
from engine.db import session_scope
from engine.knowledge import service
from tests.console.conftest import toast_text
from tests.console.test_knowledge import (  # noqa: F401 - knowledge_env is an autouse fixture
    RETURNS,
    add_entry,
    entry,
    knowledge_env,
    live_count,
    run_background,
    toasts,
)


async def open_drawer(open_tab, workspace, role: str = "manager") -> KnowledgeEditorState:
    state = open_tab(KnowledgeEditorState, workspace.people[role].token, "/knowledge")
    await state.load_page()
    assert state.access == ALLOWED and state.open is False
    return state


def versions(tenant_id: int, entry_id: int) -> list[int]:
    with session_scope() as db:
        return [v.version for v in service.list_versions(db, tenant_id, entry_id)]


async def test_create_shows_every_field_error_then_saves(open_tab, workspace) -> None:
    state = await open_drawer(open_tab, workspace)
    await state.open_new()
    assert state.open and state.is_new and state.tab == "edit" and not state.dirty

    state.set_title("   ")
    state.set_priority("1.5")
    result = await state.save()
    assert "error" in toasts(result)
    assert state.errors["title"] == "Title is required."
    assert state.errors["content"] == "Answer is required."
    assert state.errors["priority"] == "Priority must be a whole number."
    assert live_count(workspace.tenant_id) == 0

    # Once a save was refused, the draft is checked again as it is typed.
    state.set_title("Gift returns")
    assert "title" not in state.errors and "content" in state.errors
    state.set_content("Gifts can be returned within 30 days with the gift receipt.")
    state.set_priority("3")
    assert state.errors == {}
    state.set_entry_type("policy")
    state.set_category("Returns")
    state.add_keywords({"keyword": "gift receipt, present; gift receipt"})
    assert state.keywords == ["gift receipt", "present"]  # split, trimmed, no duplicates
    state.remove_keyword("present")
    state.set_keyword_draft("voucher")  # typed but not turned into a chip: Save keeps it

    result = await state.save()
    assert "success" in toasts(result) and "was added" in toasts(result)
    assert not state.is_new and state.version == 1 and not state.dirty
    saved = entry(workspace.tenant_id, state.entry_id)
    assert saved.title == "Gift returns" and saved.category == "returns" and saved.priority == 3
    assert saved.keywords == ["gift receipt", "voucher"] and saved.entry_type == "policy"


async def test_unknown_type_and_long_fields_are_refused_beside_the_field(open_tab, workspace) -> None:
    state = await open_drawer(open_tab, workspace)
    await state.open_new()
    state.set_entry_type("rumour")  # not a type: the select ignores it
    assert state.entry_type == "faq"
    state.set_title("x" * 201)
    state.set_content("Something useful.")
    state.add_keywords({"keyword": ",".join(f"word{i}" for i in range(31))})
    await state.save()
    assert "at most 200 characters" in state.errors["title"]
    assert "at most 30 keywords" in state.errors["keywords"]
    assert live_count(workspace.tenant_id) == 0


async def test_a_save_over_someone_elses_version_is_refused(open_tab, workspace) -> None:
    tenant = workspace.tenant_id
    entry_id = add_entry(tenant)
    mine = await open_drawer(open_tab, workspace, "manager")
    theirs = await open_drawer(open_tab, workspace, "owner")
    await mine.open_entry(entry_id)
    await theirs.open_entry(entry_id)

    theirs.set_content("Returns within 60 days, any reason.")
    assert "Saved as version 2" in toasts(await theirs.save())

    mine.set_title("Returns and refunds")
    assert mine.dirty
    assert await mine.save() is None
    assert mine.conflict_version == 2 and mine.dirty and mine.title == "Returns and refunds"
    saved = entry(tenant, entry_id)
    assert saved.version == 2 and saved.title == "Returns policy" and "60 days" in saved.content

    await mine.load_latest()
    assert mine.conflict_version == 0 and mine.version == 2 and "60 days" in mine.content and not mine.dirty


async def test_history_shows_a_readable_diff_and_restores_a_version(open_tab, workspace) -> None:
    tenant = workspace.tenant_id
    entry_id = add_entry(tenant)
    state = await open_drawer(open_tab, workspace)
    await state.open_entry(entry_id)
    state.set_content("Unworn shoes can be returned within 60 days for a full refund.\nReturns are free.")
    state.add_keywords({"keyword": "exchange"})
    await state.save()
    state.set_is_active(False)
    await state.save()
    assert versions(tenant, entry_id) == [3, 2, 1]

    await state.set_tab("history")
    assert state.tab == "history"
    assert [v.version for v in state.versions] == [3, 2, 1]
    assert state.versions[0].is_current and state.versions[0].author == "Manager Person"
    assert state.picked == [2, 3] and (state.diff_old, state.diff_new) == (2, 3)
    assert [d.field for d in state.diff_rows] == ["is_active"]
    assert (state.diff_rows[0].old, state.diff_rows[0].new) == ("On", "Off")

    await state.pick_version(2)  # untick 2, tick 1: compare 1 with 3
    await state.pick_version(1)
    assert sorted(state.picked) == [1, 3] and (state.diff_old, state.diff_new) == (1, 3)
    by_field = {d.field: d for d in state.diff_rows}
    assert set(by_field) == {"content", "keywords", "is_active"}
    content = by_field["content"]
    assert content.is_text
    assert [(line.kind, line.text) for line in content.lines if line.kind != "hunk"] == [
        ("del", "Unworn shoes can be returned within 30 days for a full refund."),
        ("add", "Unworn shoes can be returned within 60 days for a full refund."),
        ("add", "Returns are free."),
    ]
    assert by_field["keywords"].added == ["exchange"] and by_field["keywords"].removed == []

    state.ask_restore(1)
    assert state.restore_target == 1
    result = await state.restore_version()
    assert "Version 1 restored as version 4" in toasts(result)
    saved = entry(tenant, entry_id)
    assert saved.version == 4 and saved.content == RETURNS["content"] and saved.is_active
    assert state.version == 4 and state.content == RETURNS["content"] and state.restore_target == 0
    assert [v.version for v in state.versions] == [4, 3, 2, 1]


async def test_delete_from_the_drawer_and_restore(open_tab, workspace) -> None:
    tenant = workspace.tenant_id
    entry_id = add_entry(tenant)
    state = await open_drawer(open_tab, workspace)
    await state.open_entry(entry_id)
    follow_up = await state.delete()
    assert state.open is False
    assert follow_up.handler.fn.__name__ == "delete_entry"  # the table deletes it and offers Undo

    with session_scope() as db:
        service.delete_entry(db, tenant, entry_id)
    await state.open_entry(entry_id)
    assert state.deleted and state.open
    state.set_title("Edited while deleted")  # the form is read-only: nothing to save
    result = await state.save()
    assert "error" in toasts(result) or state.errors.get("form")
    result = await state.restore_deleted()
    assert "is back" in toasts(result) and not state.deleted
    assert not entry(tenant, entry_id).deleted


async def test_closing_with_unsaved_changes_asks_first(open_tab, workspace) -> None:
    entry_id = add_entry(workspace.tenant_id)
    state = await open_drawer(open_tab, workspace)
    await state.open_entry(entry_id)
    state.set_title("Returns, refunds and exchanges")
    state.set_open(False)
    assert state.open and state.confirm_discard
    state.keep_editing()
    assert state.open and not state.confirm_discard and state.dirty
    state.set_open(False)
    state.discard()
    assert not state.open and not state.dirty
    assert entry(workspace.tenant_id, entry_id).title == "Returns policy"

    await state.open_entry(entry_id)
    state.set_open(False)  # nothing changed: closes at once
    assert not state.open and not state.confirm_discard


async def test_preview_shows_what_the_agent_reads_and_whether_it_finds_it(open_tab, workspace) -> None:
    tenant = workspace.tenant_id
    entry_id = add_entry(tenant)
    add_entry(
        tenant, title="Delivery times", content="Standard delivery takes 3 to 5 working days.", keywords=[]
    )
    state = await open_drawer(open_tab, workspace)
    await state.open_entry(entry_id, "preview")
    assert state.tab == "preview"
    assert state.preview_index_text.startswith("Returns policy\nrefund, send back\nUnworn shoes")
    assert state.preview_reply == RETURNS["content"]

    await run_background(state, "probe", {"question": "can I get a refund?"})
    assert state.probe_done and state.probe_found and state.probe_rank == 1 and state.probe_mode == "hybrid"
    assert "refund" in state.probe_summary

    state.set_content("Changed in the draft only.")
    assert state.preview_reply == "Changed in the draft only." and state.dirty


async def test_another_workspaces_entry_does_not_open(open_tab, workspace) -> None:
    from tests.console.conftest import make_tenant

    other = make_tenant("Northwind Cafe", "northwind")
    theirs = add_entry(other)
    state = await open_drawer(open_tab, workspace)
    result = await state.open_entry(theirs)
    assert "no longer exists" in toasts(result) and not state.open and state.title == ""


@pytest.mark.parametrize("role", ["agent", "viewer"])
async def test_forged_drawer_events_are_refused(open_tab, workspace, role: str) -> None:
    tenant = workspace.tenant_id
    entry_id = add_entry(tenant)
    with session_scope() as db:
        service.update_entry(db, tenant, entry_id, {"content": "Version two."})
    state = open_tab(KnowledgeEditorState, workspace.people[role].token, "/knowledge")
    await state.load_page()
    assert state.access == FORBIDDEN

    assert "don't have access" in toast_text(await state.open_entry(entry_id))
    assert state.open is False and state.title == ""
    # Even with a forged draft in this tab's state, nothing reaches the database.
    state.entry_id, state.version, state.is_new, state.open = entry_id, 2, False, True
    state.title = "Forged"
    for result in (
        await state.save(),
        await state.delete(),
        await state.restore_deleted(),
        await state.set_tab("history"),
        await state.pick_version(1),
        await state.open_new(),
    ):
        assert "don't have access" in toasts(result)
    state.restore_target = 1
    assert "don't have access" in toasts(await state.restore_version())
    probe = await run_background(state, "probe", {"question": "refund"})
    assert "don't have access" in toasts(probe)
    state.set_title("Typed")  # draft-only handlers do nothing without page access
    assert state.title != "Typed"
    assert state.versions == [] and state.diff_rows == []
    saved = entry(tenant, entry_id)
    assert saved.title == "Returns policy" and saved.version == 2 and not saved.deleted
    assert live_count(tenant) == 1
