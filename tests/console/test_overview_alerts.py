"""The Overview's "Needs attention" lists the workspace's open alerts in words (engine.observability.alerts),
its own only, and forgets them when the figure is back to normal."""

from __future__ import annotations

from console.state.overview import OverviewState
from engine.db import TenantScope, session_scope
from engine.models import utcnow
from engine.models.alerts import AlertIncident
from tests.console.test_wording import raw_identifiers
from tests.factories import new_tenant


def _incident(tenant_id: int, kind: str, value: float) -> int:
    with session_scope() as s:
        row = TenantScope(s, tenant_id).add(
            AlertIncident(kind=kind, open_kind=kind, value=value, last_seen_at=utcnow())
        )
        return int(row.id or 0)


async def test_open_alerts_are_listed_in_words_and_leave_when_resolved(open_tab, workspace) -> None:
    queue = _incident(workspace.tenant_id, "queue_age", 300)
    _incident(workspace.tenant_id, "cost_per_hour", 7.25)
    with session_scope() as s:
        other = new_tenant(s)
    _incident(other, "error_rate", 0.5)  # another workspace's: never shown here

    state = open_tab(OverviewState, workspace.people["owner"].token, "/")
    await state.load_page()
    assert [a["title"] for a in state.alerts] == [
        "Customers are waiting for an answer",
        "AI spending is unusually high",
    ]
    assert state.alerts[1]["detail"] == "The AI cost US$7.25 in the last hour (alert above US$5.00)."
    for alert in state.alerts:
        assert raw_identifiers(f"{alert['title']} {alert['detail']}") == []

    with session_scope() as s:
        row = TenantScope(s, workspace.tenant_id).require(AlertIncident, queue)
        row.resolved_at, row.open_kind = utcnow(), None
        s.add(row)
    await state.load_page()
    assert [a["title"] for a in state.alerts] == ["AI spending is unusually high"]
