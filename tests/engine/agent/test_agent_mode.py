"""The agent mode (Settings → Features): AI agent, rule-based responder, or off — staff answer everything.

With the agent off, the next inbound message is left for staff: no reply is sent, the conversation moves to
"needs a person" through the lifecycle with a plain reason. The switch is audited and read per burst, so it
takes effect on the next message.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from engine.agent.flags import OFF_REASON, agent_mode, set_agent_mode
from engine.db import TenantScope, session_scope
from engine.models import AuditLog, Conversation, Message, Tenant
from tests.engine.conversations.harness import WhatsAppEnv, wa_fixture  # noqa: F401 - the `wa` fixture


def test_the_mode_is_read_from_the_older_flag_and_switching_is_audited(wa: WhatsAppEnv) -> None:
    with session_scope() as s:
        tenant = s.get(Tenant, wa.tenant_id)
        tenant.feature_flags = {"ai_agent": False}
        s.add(tenant)
    with session_scope() as s:
        assert agent_mode(s.get(Tenant, wa.tenant_id)) == "rules"
        set_agent_mode(s, wa.tenant_id, "off", actor_user_id=None)
        set_agent_mode(s, wa.tenant_id, "off")  # no change: no second audit row
        with pytest.raises(ValueError, match="agent mode"):
            set_agent_mode(s, wa.tenant_id, "sleepy")
    with session_scope() as s:
        assert s.get(Tenant, wa.tenant_id).feature_flags == {"agent_mode": "off"}
        (row,) = s.exec(select(AuditLog).where(AuditLog.action == "agent.mode")).all()
        assert row.details == {"from": "rules", "to": "off"}


def test_with_the_agent_off_the_next_message_is_left_for_staff(wa: WhatsAppEnv) -> None:
    assert wa.inbound("hello?").status_code == 200
    wa.clock.advance(10)
    assert wa.worker().tick().replies == 1  # the AI agent answers
    with session_scope() as s:
        set_agent_mode(s, wa.tenant_id, "off")
    assert wa.inbound("is anyone there?").status_code == 200
    wa.clock.advance(10)
    report = wa.worker().tick()
    assert report.replies == 0 and report.outcomes == ["handed-off"]
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        (conversation,) = scope.all(Conversation)
        assert (conversation.status, conversation.handoff_reason) == ("handoff", OFF_REASON)
        outbound = scope.all(Message, Message.direction == "outbound")
        assert len(outbound) == 1  # only the answer from before the switch
        assert s.exec(select(AuditLog).where(AuditLog.action == "conversation.handoff")).first()
    assert len(wa.fake.messages) == 1
