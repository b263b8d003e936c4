"""The Overview checklist is read from the data each step is about, so it cannot claim an undone step."""

from __future__ import annotations

from engine.accounts import tenants
from engine.accounts.secrets import set_secret
from engine.accounts.setup_progress import setup_progress
from engine.db import TenantScope, session_scope
from engine.models import AgentConfiguration, Conversation, Customer, KnowledgeEntry, Service, WhatsAppSender


def _bare_workspace(s) -> int:  # type: ignore[no-untyped-def]
    """Created from the console: no WhatsApp sender yet, the default persona."""
    return tenants.create_tenant(s, name="Corner Salon", slug=f"salon-{id(s)}").id


def test_a_new_workspace_has_done_nothing_and_each_step_counts_once_done() -> None:
    with session_scope() as s:
        tenant_id = _bare_workspace(s)
        progress = setup_progress(s, tenant_id)
        assert progress.done == 0 and not progress.step_done("settings")
        scope = TenantScope(s, tenant_id)
        scope.add(WhatsAppSender(address=f"whatsapp:+4420{tenant_id:07d}"))
        s.flush()
        assert not setup_progress(s, tenant_id).whatsapp  # a sender without Twilio credentials sends nothing
        set_secret(s, tenant_id, "twilio_account_sid", "AC" + "0" * 32)
        assert not setup_progress(s, tenant_id).whatsapp  # the auth token is missing too
        set_secret(s, tenant_id, "twilio_auth_token", "f" * 32)
        persona = scope.first(AgentConfiguration)
        persona.agent_name = "Maya"
        s.add(persona)
        scope.add(KnowledgeEntry(title="Opening hours", content="9 to 5", entry_type="faq"))
        scope.add(Service(code="FIT", name="Fitting", price=0, duration_minutes=30))
        customer = scope.add(Customer(phone="playground:7"))
        scope.add(Conversation(customer_id=customer.id, channel="playground"))
    with session_scope() as s:
        progress = setup_progress(s, tenant_id)
    assert progress.done == 5
    assert all(progress.step_done(k) for k in ("settings", "persona", "knowledge", "catalog", "playground"))


def test_undone_steps_read_as_undone() -> None:
    with session_scope() as s:
        tenant_id = _bare_workspace(s)  # the persona is still the default "Assistant", never saved
        scope = TenantScope(s, tenant_id)
        scope.add(KnowledgeEntry(title="Old", content="gone", entry_type="faq", is_active=False))
        customer = scope.add(Customer(phone="whatsapp:+447700900001"))
        scope.add(Conversation(customer_id=customer.id))  # a real customer is not a playground try
    with session_scope() as s:
        progress = setup_progress(s, tenant_id)
    assert (progress.persona, progress.knowledge, progress.playground, progress.done) == (
        False,
        False,
        False,
        0,
    )
