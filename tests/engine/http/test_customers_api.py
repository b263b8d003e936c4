"""/api/v1/customers: list, read, correct, and erase everything about a customer (owner/admin tokens)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from engine.accounts import api_tokens
from engine.conversations.erasure import KEYS, erase_customer, linked_tables
from engine.db import TenantScope, session_scope
from engine.models import AuditLog, Conversation, Customer, Message
from tests.engine.http.api_env import ApiEnv
from tests.factories import BUILDERS, new_user


def test_read_list_and_correct_a_customer(api: ApiEnv) -> None:
    got = api.call("GET", f"/customers/{api.customer_a}")
    assert got.status_code == 200 and got.json()["name"] == "Ada" and got.json()["tags"] == []
    changed = api.call(
        "PATCH",
        f"/customers/{api.customer_a}",
        json={"name": " Ada  King ", "opted_in": False, "tags": ["VIP", "vip"]},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["name"], body["opted_in"], body["tags"]) == ("Ada King", False, ["vip"])
    assert body["opted_out_at"] is not None
    listed = api.call("GET", "/customers", params={"tag": "vip"}).json()
    assert [c["id"] for c in listed["items"]] == [api.customer_a] and listed["next_cursor"] is None
    with session_scope() as s:
        (audit,) = TenantScope(s, api.tenant_a).all(AuditLog, AuditLog.action == "customer.updated")
    assert audit.details == {"name": True, "opted_in": False, "tags": ["vip"]}


@pytest.mark.parametrize(
    "body",
    [
        {"tags": "vip"},
        {"tags": ["x" * 41]},
        {"tags": [str(i) for i in range(21)]},
        {"opted_in": "yes"},
        {"phone": "1"},
    ],
)
def test_bad_bodies_are_422(api: ApiEnv, body: dict) -> None:
    assert api.call("PATCH", f"/customers/{api.customer_a}", json=body).status_code == 422


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_another_tenants_customer_is_404_and_the_scope_is_needed(api: ApiEnv, method: str) -> None:
    body = {"name": "x"} if method == "PATCH" else None
    assert api.call(method, f"/customers/{api.customer_b}", json=body).status_code == 404
    assert (
        api.call(method, f"/customers/{api.customer_a}", token="conversations:reply", json=body).status_code
        == 403
    )
    assert api.call(method, "/customers/0", json=body).status_code == 422


def test_erasing_needs_an_owner_or_admin_token(api: ApiEnv) -> None:
    with session_scope() as s:
        manager = new_user(s, api.tenant_a, "manager")
        token = api_tokens.create_token(
            s, api.tenant_a, name="m", scopes="customers:manage", created_by_user_id=manager
        ).token
    assert api.call("DELETE", f"/customers/{api.customer_a}", token=token).status_code == 403
    response = api.call("DELETE", f"/customers/{api.customer_a}")
    assert response.status_code == 200 and response.json()["erased"] is True
    assert api.call("GET", f"/customers/{api.customer_a}").status_code == 404


def _rows_of(
    session, tenant_id: int, customer_id: int, conversation_ids: list[int], message_ids: list[int]
) -> dict:
    ids = {"customer_id": [customer_id], "conversation_id": conversation_ids, "message_id": message_ids}
    left = {}
    for table in SQLModel.metadata.sorted_tables:
        for key, values in ids.items():
            if key in table.c and values:
                n = session.execute(
                    select(func.count()).select_from(table).where(table.c[key].in_(values))
                ).scalar_one()
                if n:
                    left[f"{table.name}.{key}"] = n
    return left


def test_erasure_leaves_no_row_in_any_table_with_a_customer_conversation_or_message_key(api: ApiEnv) -> None:
    tables = [t for t in SQLModel.metadata.sorted_tables if any(k in t.c for k in KEYS)]
    assert {t.name for t in tables} == {t.name for t in linked_tables()}  # every keyed table is erased
    with session_scope() as s:
        scope = TenantScope(s, api.tenant_a)
        customer = scope.require(Customer, api.customer_a)
        conversation = scope.require(Conversation, api.conversation_a)
        message = scope.first(Message, Message.conversation_id == conversation.id)
        # one row of every keyed table, pointed at this customer, conversation and message
        for model in {m for m in BUILDERS if m.__table__ in tables}:  # type: ignore[attr-defined]
            row = BUILDERS[model](scope)
            for key, value in (
                ("customer_id", customer.id),
                ("conversation_id", conversation.id),
                ("message_id", message.id),
            ):
                if key in model.__table__.c and model not in (Conversation, Message):  # type: ignore[attr-defined]
                    setattr(row, key, value)
            s.add(row)
        s.flush()
        conversation_ids = [c.id for c in scope.all(Conversation, Conversation.customer_id == customer.id)]
        message_ids = [m.id for m in scope.all(Message, Message.conversation_id.in_(conversation_ids))]
        assert _rows_of(s, api.tenant_a, customer.id, conversation_ids, message_ids)
        from engine.accounts import audit

        audit.record(
            s,
            api.tenant_a,
            "conversation.handoff",
            target_type="conversation",
            target_id=conversation.id,
            details={"reason": "the customer's own words"},
        )
    response = api.call("DELETE", f"/customers/{api.customer_a}")
    assert response.status_code == 200, response.text
    with session_scope() as s:
        assert _rows_of(s, api.tenant_a, api.customer_a, conversation_ids, message_ids) == {}
        assert (
            TenantScope(s, api.tenant_b).get(Customer, api.customer_b) is not None
        )  # the other tenant's stay
        trail = TenantScope(s, api.tenant_a).all(AuditLog)
    assert all("the customer's own words" not in str(a.details) for a in trail)
    (erased,) = [a for a in trail if a.action == "customer.erased"]
    assert erased.target_id == str(api.customer_a) and "customer" in erased.details["deleted"]


def test_erasure_of_a_missing_customer_is_not_found() -> None:
    from engine.db import NotFound
    from tests.factories import new_tenant

    with session_scope() as s, pytest.raises(NotFound):
        erase_customer(s, new_tenant(s), 999)
