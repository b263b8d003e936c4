"""Erase a customer and everything about them: the erasure a privacy law (GDPR art. 17) asks for.

What goes: the customer row, their conversations, and every row of every table that points at one of them by
`customer_id`, `conversation_id` or `message_id` — messages, the agent's memory and key facts, queue rows,
agent turns, LLM calls, button taps, campaign recipients, orders and appointments. The tables are found in
SQLModel's metadata, not listed here, so a table added later with such a column is erased too (a test walks
the metadata to hold us to it). Rows are deleted children first, in the reverse of the metadata's dependency
order, so every foreign key is satisfied on SQLite and PostgreSQL alike.

What stays: the audit trail, minus anything the customer said — audit rows about the customer or their
conversations keep their action and time but lose their details — and one new audit row saying who erased
which customer id, with counts only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, delete, select, update
from sqlmodel import Session, SQLModel

from engine.accounts import audit
from engine.db import TenantScope
from engine.models import AuditLog, Conversation, Customer, Message

KEYS = ("customer_id", "conversation_id", "message_id")  # the columns that tie a row to a customer


@dataclass(frozen=True, slots=True)
class Erasure:
    customer_id: int
    deleted: dict[str, int]  # table name → rows deleted


def linked_tables() -> list[Table]:
    """Every table with a customer, conversation or message key, children before parents."""
    return [
        table
        for table in reversed(SQLModel.metadata.sorted_tables)
        if any(key in table.c for key in KEYS) and "tenant_id" in table.c
    ]


def erase_customer(
    session: Session,
    tenant_id: int,
    customer_id: int,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> Erasure:
    """Delete the customer and all that refers to them (NotFound when missing or another tenant's)."""
    scope = TenantScope(session, tenant_id)
    scope.require(Customer, customer_id)
    conversation_ids = list(
        session.execute(
            select(Conversation.id).where(
                Conversation.tenant_id == tenant_id,  # type: ignore[arg-type]
                Conversation.customer_id == customer_id,  # type: ignore[arg-type]
            )
        ).scalars()
    )
    message_ids = (
        list(
            session.execute(
                select(Message.id).where(
                    Message.tenant_id == tenant_id,  # type: ignore[arg-type]
                    Message.conversation_id.in_(conversation_ids),  # type: ignore[attr-defined]
                )
            ).scalars()
        )
        if conversation_ids
        else []
    )
    ids = {"customer_id": [customer_id], "conversation_id": conversation_ids, "message_id": message_ids}
    deleted: dict[str, int] = {}
    for table in linked_tables():
        clauses = [table.c[key].in_(values) for key, values in ids.items() if key in table.c and values]
        if not clauses:
            continue
        where = clauses[0]
        for clause in clauses[1:]:
            where = where | clause
        result = session.execute(delete(table).where(table.c.tenant_id == tenant_id, where))
        if result.rowcount:
            deleted[table.name] = int(result.rowcount)
    _forget_in_audit(session, tenant_id, customer_id, conversation_ids)
    result = session.execute(
        delete(Customer).where(Customer.tenant_id == tenant_id, Customer.id == customer_id)  # type: ignore[arg-type]
    )
    deleted["customer"] = int(result.rowcount)
    audit.record(
        session,
        tenant_id,
        "customer.erased",
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type="customer",
        target_id=customer_id,
        details={"deleted": deleted},
    )
    return Erasure(customer_id=customer_id, deleted=deleted)


def _forget_in_audit(session: Session, tenant_id: int, customer_id: int, conversation_ids: list[int]) -> None:
    """Audit rows about the customer or their conversations keep what happened and when, not the words."""
    targets = [("customer", str(customer_id))] + [("conversation", str(c)) for c in conversation_ids]
    for target_type, target_id in targets:
        session.execute(
            update(AuditLog)
            .where(
                AuditLog.tenant_id == tenant_id,  # type: ignore[arg-type]
                AuditLog.target_type == target_type,  # type: ignore[arg-type]
                AuditLog.target_id == target_id,  # type: ignore[arg-type]
            )
            .values(details={"erased": True})
        )


__all__ = ["Erasure", "erase_customer", "linked_tables"]
