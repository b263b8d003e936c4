"""Settings → Features through FeaturesState: the agent mode (AI agent, rule-based responder, off).

What must hold: the tab shows the stored mode; a switch is written at once, audited with from and to, and is
what the engine reads for the next message; only owners and admins may switch it.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.settings_features import MODE_DESCRIPTIONS, MODE_LABELS, FeaturesState
from engine.agent.flags import AGENT_MODES, tenant_agent_mode
from engine.db import session_scope
from engine.models import AuditLog
from tests.console.conftest import redirect_path, toast_text


def mode_of(tenant_id: int) -> str:
    with session_scope() as db:
        return tenant_agent_mode(db, tenant_id)


def mode_changes(tenant_id: int) -> list[tuple[int | None, dict]]:
    with session_scope() as db:
        rows = db.exec(
            select(AuditLog)
            .where(AuditLog.tenant_id == tenant_id, AuditLog.action == "agent.mode")
            .order_by(AuditLog.id)  # type: ignore[arg-type]
        ).all()
        return [(r.actor_user_id, dict(r.details)) for r in rows]


async def open_features(open_tab, shop, role: str = "owner") -> FeaturesState:
    state = open_tab(FeaturesState, shop.people[role].token, "/settings?tab=features")
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


def test_every_mode_has_a_label_and_one_sentence() -> None:
    assert set(MODE_LABELS) == set(MODE_DESCRIPTIONS) == set(AGENT_MODES) == {"ai", "rules", "off"}
    assert all(text.endswith(".") and text.count(". ") <= 1 for text in MODE_DESCRIPTIONS.values())


async def test_a_new_workspace_runs_the_ai_agent(open_tab, workspace) -> None:
    state = await open_features(open_tab, workspace)
    assert state.mode == "ai" == mode_of(workspace.tenant_id)


@pytest.mark.parametrize("role", ["owner", "admin"])
async def test_switching_is_written_at_once_and_audited(open_tab, workspace, role: str) -> None:
    state = await open_features(open_tab, workspace, role)
    actor = workspace.people[role].user_id

    toast = toast_text(await state.set_mode("off"))
    assert "success" in toast and "Off" in toast and "next message" in toast
    assert state.mode == "off" == mode_of(workspace.tenant_id)  # what the worker reads for the next burst

    assert "Rule-based responder from the next message on" in toast_text(await state.set_mode("rules"))
    await state.set_mode("rules")  # pressed twice
    assert mode_of(workspace.tenant_id) == "rules"

    await state.set_mode("ai")
    assert [details for _, details in mode_changes(workspace.tenant_id)] == [
        {"from": "ai", "to": "off"},
        {"from": "off", "to": "rules"},
        {"from": "rules", "to": "ai"},
    ]  # the repeated switch to "rules" changed nothing, so it wrote nothing
    assert {who for who, _ in mode_changes(workspace.tenant_id)} == {actor}

    # Another tab (another person, a later page load) sees the stored mode.
    assert (await open_features(open_tab, workspace, "admin")).mode == "ai"


async def test_an_unknown_mode_is_ignored(open_tab, workspace) -> None:
    state = await open_features(open_tab, workspace)
    assert await state.set_mode("chaos") is None
    assert state.mode == "ai" == mode_of(workspace.tenant_id) and mode_changes(workspace.tenant_id) == []


@pytest.mark.parametrize("role", ["manager", "agent", "viewer"])
async def test_other_roles_are_refused_and_cannot_switch_the_agent_off(
    open_tab, workspace, role: str
) -> None:
    state = open_tab(FeaturesState, workspace.people[role].token, "/settings?tab=features")
    await state.load_page()
    assert state.access == FORBIDDEN

    assert "error" in toast_text(await state.set_mode("off"))  # a forged event over the websocket
    assert state.access == FORBIDDEN
    assert mode_of(workspace.tenant_id) == "ai" and mode_changes(workspace.tenant_id) == []


async def test_switching_without_a_session_goes_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(FeaturesState, None, "/settings?tab=features")
    assert redirect_path(await state.set_mode("off")).startswith("/login")
    assert mode_of(workspace.tenant_id) == "ai"
