"""REST: /api/v1/customers — list, read, correct (name, opt-in, tags), and erase on request.

Scope `customers:manage`. Erasing deletes the customer and everything about them
(engine.conversations.erasure) and is audited; besides the scope it needs a token whose creator is an owner
or admin of the tenant now (an operator's command-line token counts as an owner's) — 403 otherwise.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from sqlmodel import Session

from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.token_roles import may_erase_customers, token_holder
from engine.conversations import customers, erasure
from engine.http.api_docs import errors
from engine.http.deps import db_session, require_scope
from engine.http.paging import Cursor, Id, Limit, decode_cursor, page_body
from engine.security.scopes import Scope

router = APIRouter(prefix="/customers", tags=["customers"])
manage = require_scope(Scope.CUSTOMERS_MANAGE.value)
API_ACTOR = "api"


class CustomerUpdate(BaseModel):
    """Any of the three; `tags` replaces the whole list."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Ada Lovelace", "opted_in": True, "tags": ["vip"]}]},
    )

    name: str | None = Field(default=None, max_length=customers.NAME_MAX)
    opted_in: StrictBool | None = Field(default=None, description="may campaigns write to them")
    tags: list[str] | None = Field(default=None, max_length=customers.TAGS_MAX)


def _plain(value: Any) -> dict[str, Any]:
    return dataclasses.asdict(value)


@router.get("", responses=errors(422))
def list_customers(
    cursor: Cursor = None,
    limit: Limit = 25,
    search: str | None = Query(default=None, max_length=120, description="part of the name or number"),
    tag: str | None = Query(default=None, max_length=customers.TAG_CHARS),
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Newest customer first, `limit` at a time; follow `next_cursor` until it is null."""
    page = customers.list_customers(
        session,
        principal.tenant_id,
        before_id=decode_cursor(cursor),
        limit=limit,
        tag=tag.strip().lower() if tag else None,
        search=search,
    )
    return page_body([_plain(c) for c in page.items], page.next_before_id)


@router.get("/{customer_id}", responses=errors(404, 422))
def get_customer(
    customer_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """One customer: number, name, language, opt-in and its dates, tags."""
    return _plain(customers.get_customer(session, principal.tenant_id, customer_id))


@router.patch("/{customer_id}", responses=errors(404, 422))
def update_customer(
    customer_id: Id,
    body: CustomerUpdate,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Correct the name, record an opt-in or opt-out, set the tags; audited."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    changed = customers.update_customer(
        session,
        principal.tenant_id,
        customer_id,
        body.model_dump(exclude_unset=True),
        actor_user_id=holder.user_id,
        actor_label=API_ACTOR,
    )
    return _plain(changed)


@router.delete("/{customer_id}", responses=errors(404, 422))
def erase_customer(
    customer_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """Erase the customer and everything about them — messages, the agent's memory and key facts, agent
    turns, LLM calls, queue rows, taps, campaign recipients, orders, appointments — for good. Audited (counts
    only). Needs a token created by an owner or admin."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    if not may_erase_customers(holder):
        raise HTTPException(403, detail="erasing a customer needs a token created by an owner or admin")
    done = erasure.erase_customer(
        session, principal.tenant_id, customer_id, actor_user_id=holder.user_id, actor_label=API_ACTOR
    )
    return {"erased": True, "id": done.customer_id, "deleted": done.deleted}


__all__ = ["router"]
