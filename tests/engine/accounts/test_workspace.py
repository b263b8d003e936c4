"""Settings → General's service: one home for name, zone, currency, hours, language; audited; used at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from engine.accounts import workspace
from engine.accounts.tenants import create_tenant
from engine.accounts.workspace import WorkspaceError, WorkspaceForm, update_workspace, workspace_settings
from engine.agent.handoff import team_availability
from engine.agent.persona import AgentConfigurationService, apply_persona
from engine.db import session_scope
from engine.models import AuditLog

WEEKDAY = {"mon": [["09:00", "12:30"], ["13:30", "18:00"]], "sun": []}


def _tenant() -> int:
    with session_scope() as s:
        return create_tenant(s, name="Green Leaf", slug="green-leaf").id


def test_a_save_is_validated_stored_audited_and_read_by_the_agent_at_once() -> None:
    tenant_id = _tenant()
    with session_scope() as s:
        AgentConfigurationService.get(s, tenant_id)  # cached before the change
    with session_scope() as s:
        saved = update_workspace(
            s,
            tenant_id,
            WorkspaceForm(
                name="  Green   Leaf Bakery ",
                time_zone="Asia/Kolkata",
                currency="inr",
                agent_language="hi",
                weekly=WEEKDAY,
            ),
            actor_user_id=None,
        )
    assert (saved.name, saved.time_zone, saved.currency, saved.agent_language) == (
        "Green Leaf Bakery",
        "Asia/Kolkata",
        "INR",
        "hi",
    )
    assert saved.weekly["mon"] == [["09:00", "12:30"], ["13:30", "18:00"]] and saved.weekly["tue"] == []
    with session_scope() as s:
        (row,) = s.exec(select(AuditLog).where(AuditLog.action == "workspace.updated")).all()
        assert row.details["currency"] == {"from": "USD", "to": "INR"}
        persona = AgentConfigurationService.get(s, tenant_id)  # the cache was cleared on commit
    assert persona.business_hours == {"timezone": "Asia/Kolkata", "weekly": saved.weekly}
    assert "Write in Hindi" in apply_persona(persona, business_name="Green Leaf Bakery")
    # 12:45 in Kolkata on a Monday is the lunch break: the team is back at 13:30 today.
    lunch = datetime(2026, 11, 23, 7, 15, tzinfo=UTC)
    assert team_availability(persona.business_hours, lunch) == (False, "at 13:30 today")


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (WorkspaceForm(name="   "), "name"),
        (WorkspaceForm(time_zone="Mars/Olympus"), "time_zone"),
        (WorkspaceForm(currency="ABC"), "currency"),
        (WorkspaceForm(agent_language="tlh"), "agent_language"),
        (WorkspaceForm(weekly={"mon": [["18:00", "09:00"]]}), "hours.mon"),
        (WorkspaceForm(weekly={"tue": [["09:00", "13:00"], ["12:00", "17:00"]]}), "hours.tue"),
        (WorkspaceForm(weekly={"wed": [["9am", "5pm"]]}), "hours.wed"),
        (WorkspaceForm(weekly={"someday": []}), "hours"),
    ],
)
def test_each_refusal_names_its_field_and_nothing_is_written(form: WorkspaceForm, field: str) -> None:
    tenant_id = _tenant()
    with pytest.raises(WorkspaceError) as refused, session_scope() as s:
        update_workspace(s, tenant_id, form)
    assert [p.field for p in refused.value.problems] == [field]
    with session_scope() as s:
        assert workspace_settings(s, tenant_id).name == "Green Leaf"
        assert s.exec(select(AuditLog).where(AuditLog.action == "workspace.updated")).first() is None


def test_no_hours_means_always_available_and_the_choices_are_complete() -> None:
    tenant_id = _tenant()
    with session_scope() as s:
        update_workspace(s, tenant_id, {"weekly": WEEKDAY})
    with session_scope() as s:
        assert update_workspace(s, tenant_id, {"weekly": {}}).has_hours is False
        assert AgentConfigurationService.get(s, tenant_id).business_hours == {}
    assert "Europe/London" in workspace.time_zone_choices() and "UTC" in workspace.time_zone_choices()
    codes = dict(workspace.currency_choices())
    assert codes["GBP"] == "British Pound" and codes["JPY"] and "XXX" not in codes
    assert workspace.hours_summary({"mon": [["09:00", "17:00"]]})[:2] == [
        ("Monday", "09:00–17:00"),
        ("Tuesday", "Closed"),
    ]
