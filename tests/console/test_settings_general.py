"""Settings → General through GeneralSettingsState: real states, the real engine service (workspace).

What must hold: owners and admins get the tab, other roles are refused and forged events change nothing; every
edit is checked at once by the engine's own rules and a refused field gets its message next to it; saving
writes one audit row naming what changed, from and to; business hours carry breaks and closed days; the saved
currency is what the next page shows.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from console.state.catalog import CatalogState
from console.state.guard import ALLOWED, FORBIDDEN
from console.state.settings_general import GeneralSettingsState
from engine import catalog
from engine.accounts import workspace as workspace_service
from engine.db import session_scope
from engine.models import AuditLog
from tests.console.conftest import redirect_path, toast_text

CLOSED: dict[str, list[list[str]]] = {day: [] for day in workspace_service.DAYS}


def stored(tenant_id: int) -> workspace_service.WorkspaceSettings:
    with session_scope() as db:
        return workspace_service.workspace_settings(db, tenant_id)


def audit_rows(tenant_id: int) -> list[AuditLog]:
    with session_scope() as db:
        rows = db.exec(
            select(AuditLog).where(AuditLog.tenant_id == tenant_id, AuditLog.action == "workspace.updated")
        ).all()
        return [AuditLog.model_validate(r) for r in rows]


async def open_general(open_tab, shop, role: str = "owner") -> GeneralSettingsState:
    state = open_tab(GeneralSettingsState, shop.people[role].token, "/settings?tab=general")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_the_tab_loads_the_workspace_as_it_is(open_tab, workspace, role: str) -> None:
    state = await open_general(open_tab, workspace, role)
    assert (state.name, state.time_zone, state.currency, state.language) == (
        "Green Leaf Bakery",
        "UTC",
        "USD",
        "en",
    )
    assert state.weekly == CLOSED  # no hours yet: every day listed, none open
    assert (state.errors, state.dirty) == ({}, False)


async def test_the_time_zone_list_is_searched_as_people_type(open_tab, workspace) -> None:
    state = await open_general(open_tab, workspace)
    assert state.zone_matches == []  # nothing typed, no list
    state.set_zone_query("kolk")
    assert state.zone_matches == ["Asia/Kolkata"]
    state.set_zone_query("new york")  # spaces read as the underscores of zone names
    assert "America/New_York" in state.zone_matches
    state.pick_zone("America/New_York")
    assert (state.time_zone, state.zone_query, state.dirty) == ("America/New_York", "", True)
    state.pick_zone("Mars/Olympus_Mons")  # not a zone of the list: ignored
    assert state.time_zone == "America/New_York"


async def test_each_refused_field_gets_its_own_message_as_it_is_typed(open_tab, workspace) -> None:
    state = await open_general(open_tab, workspace)
    state.set_name("   ")
    assert state.errors == {"name": "Give your workspace a name."}
    state.set_currency("ZZZ")
    state.set_language("tlh")
    assert state.errors["currency"] == "Choose a currency from the list."
    assert state.errors["agent_language"] == "Choose a language from the list."

    state.set_day_open("mon", True)
    state.set_time("mon", 0, 0, "18:00")
    assert state.errors["hours.mon"] == "Monday: 18:00 must come before 17:00."
    state.set_time("mon", 0, 0, "9am")
    assert state.errors["hours.mon"] == "Times look like 09:00 (24-hour clock)."

    # Fixing a field clears only its own message.
    state.set_name("Green Leaf Bakery & Café")
    state.set_time("mon", 0, 0, "08:30")
    assert set(state.errors) == {"currency", "agent_language"}

    # Saving with refusals left writes nothing and says so.
    assert "error" in toast_text(await state.save())
    assert set(state.errors) == {"currency", "agent_language"}
    assert stored(workspace.tenant_id).name == "Green Leaf Bakery" and audit_rows(workspace.tenant_id) == []


async def test_saving_writes_one_audit_row_with_what_changed(open_tab, workspace) -> None:
    state = await open_general(open_tab, workspace)
    state.set_name("  Green   Leaf Café ")
    state.pick_zone("Europe/Lisbon")
    state.set_currency("EUR")
    state.set_language("pt")
    assert state.dirty and state.errors == {}

    assert "success" in toast_text(await state.save())
    assert (state.dirty, state.saved_note) == (False, "Saved")
    assert state.name == "Green Leaf Café"  # spaces tidied by the engine, shown as saved
    saved = stored(workspace.tenant_id)
    assert (saved.name, saved.time_zone, saved.currency, saved.agent_language) == (
        "Green Leaf Café",
        "Europe/Lisbon",
        "EUR",
        "pt",
    )
    [row] = audit_rows(workspace.tenant_id)
    assert row.actor_user_id == workspace.people["owner"].user_id
    assert row.details["currency"] == {"from": "USD", "to": "EUR"}
    assert row.details["time_zone"] == {"from": "UTC", "to": "Europe/Lisbon"}
    assert set(row.details) == {"name", "time_zone", "currency", "agent_language"}

    # Saving again with nothing changed adds no row.
    await state.save()
    assert len(audit_rows(workspace.tenant_id)) == 1


async def test_the_saved_currency_is_what_the_next_page_shows(open_tab, workspace) -> None:
    with session_scope() as db:
        catalog.create_product(
            db, workspace.tenant_id, {"sku": "LOAF", "name": "Sourdough loaf", "price": "4.50"}
        )
    state = await open_general(open_tab, workspace)
    state.set_currency("EUR")
    await state.save()

    shelf = open_tab(CatalogState, workspace.people["owner"].token, "/catalog")
    await shelf.load_page()
    assert [p.price for p in shelf.products] == ["€4.50"]


async def test_business_hours_take_breaks_and_closed_days(open_tab, workspace) -> None:
    state = await open_general(open_tab, workspace)
    for day in ("mon", "tue", "wed", "thu", "fri", "sat"):
        state.set_day_open(day, True)
    assert state.weekly["mon"] == [["09:00", "17:00"]]  # a day switched on starts with office hours

    state.add_break("mon")  # splits the day around lunch, edited afterwards
    assert state.weekly["mon"] == [["09:00", "12:00"], ["13:00", "17:00"]]
    state.set_time("mon", 0, 1, "12:30")
    state.set_time("mon", 1, 0, "13:30")
    state.set_time("mon", 1, 1, "18:00")
    state.add_break("tue")
    state.remove_period("tue", 1)  # a break taken back: the morning stays
    state.set_time("sat", 0, 1, "13:00")
    state.set_day_open("fri", False)  # switched off again: closed
    state.add_break("sun")  # a closed day has nothing to split
    assert state.errors == {}

    assert "success" in toast_text(await state.save())
    assert workspace_service.hours_summary(stored(workspace.tenant_id).weekly) == [
        ("Monday", "09:00–12:30, 13:30–18:00"),
        ("Tuesday", "09:00–12:00"),
        ("Wednesday", "09:00–17:00"),
        ("Thursday", "09:00–17:00"),
        ("Friday", "Closed"),
        ("Saturday", "09:00–13:00"),
        ("Sunday", "Closed"),
    ]


async def test_overlapping_periods_are_refused_next_to_their_day(open_tab, workspace) -> None:
    state = await open_general(open_tab, workspace)
    state.set_day_open("wed", True)
    state.add_break("wed")
    state.set_time("wed", 1, 0, "11:00")  # the afternoon now starts before the morning ends
    assert state.errors == {"hours.wed": "Wednesday: 09:00–12:00 and 11:00–17:00 overlap."}
    assert "error" in toast_text(await state.save())
    assert stored(workspace.tenant_id).weekly == CLOSED


async def test_discard_goes_back_to_what_is_saved(open_tab, workspace) -> None:
    state = await open_general(open_tab, workspace)
    state.set_name("")
    state.set_day_open("mon", True)
    assert state.dirty and state.errors
    assert await state.discard() is None
    assert (state.name, state.weekly, state.errors, state.dirty) == ("Green Leaf Bakery", CLOSED, {}, False)


@pytest.mark.parametrize("role", ["manager", "agent", "viewer"])
async def test_other_roles_are_refused_and_forged_events_change_nothing(open_tab, workspace, role) -> None:
    state = open_tab(GeneralSettingsState, workspace.people[role].token, "/settings?tab=general")
    await state.load_page()
    assert state.access == FORBIDDEN
    assert (state.name, state.weekly) == ("", {})

    state.set_name("Forged")  # draft setters do nothing for a refused tab
    state.set_day_open("mon", True)
    assert (state.name, state.weekly, state.dirty) == ("", {}, False)

    state.name, state.currency = "Forged", "EUR"  # and a forged draft is refused on save
    assert "error" in toast_text(await state.save())
    assert stored(workspace.tenant_id).name == "Green Leaf Bakery" and audit_rows(workspace.tenant_id) == []


async def test_handlers_without_a_session_go_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(GeneralSettingsState, None, "/settings?tab=general")
    assert redirect_path(await state.save()).startswith("/login")
    assert redirect_path(await state.discard()).startswith("/login")
