"""REST: /api/v1/conversations — list, read, reply as staff, take over, hand back, close.

Scope `conversations:reply`. Everything goes through the services the inbox uses: a reply takes the
conversation over and is sent by the same outbound path, with the same 24-hour-window rules (outside the
window WhatsApp refuses free text: the reply comes back with `ticks: -1` and the error, as in the inbox);
every change of status is engine.conversations.lifecycle's, audited. The staff member named on these acts is
the token's creator (none for an operator's token).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.token_roles import token_holder
from engine.agent.labels import HANDOFF_CATEGORIES
from engine.channels.whatsapp.limits import TEXT_BODY_MAX
from engine.conversations import inbox
from engine.conversations.feed import conversation_feed
from engine.conversations.inbox_filter import HandoffFilter
from engine.http.api_docs import errors
from engine.http.deps import db_session, require_scope
from engine.http.paging import Cursor, Id, Limit, decode_cursor, encode_cursor, page_body
from engine.security.scopes import Scope

router = APIRouter(prefix="/conversations", tags=["conversations"])
reply = require_scope(Scope.CONVERSATIONS_REPLY.value)


class StaffReply(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"text": "Yes, size 42 is in."}]}
    )

    text: str = Field(min_length=1, max_length=TEXT_BODY_MAX, description="plain text, as typed in the inbox")


class TakeOver(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=255, description="why a person answers from now on")


def _plain(value: Any) -> dict[str, Any]:
    return dataclasses.asdict(value)


@router.get("", responses=errors(422))
def list_conversations(
    status: Literal["bot", "handoff", "closed"] | None = Query(default=None, description="leave out for all"),
    handoff: str | None = Query(
        default=None,
        max_length=32,
        description="only conversations handed to a person for this reason, as /api/v1/analytics/handoffs "
        f"counts them: one of {', '.join(HANDOFF_CATEGORIES)}",
    ),
    handoff_since: datetime | None = Query(default=None, description="with `handoff`: at or after (UTC)"),
    handoff_until: datetime | None = Query(default=None, description="with `handoff`: before (UTC)"),
    cursor: Cursor = None,
    limit: Limit = 25,
    principal: ApiPrincipal = Depends(reply),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Newest conversation first, `limit` at a time; follow `next_cursor` until it is null."""
    page = conversation_feed(
        session,
        principal.tenant_id,
        status=status,
        handoff=_handoff_filter(handoff, handoff_since, handoff_until),
        before_id=decode_cursor(cursor),
        limit=limit,
    )
    return page_body([_plain(i) for i in page.items], page.next_before_id)


def _handoff_filter(
    category: str | None, since: datetime | None, until: datetime | None
) -> HandoffFilter | None:
    """The listing's handoff filter, or 422 naming what is wrong (an unknown reason, a range without one)."""
    if category is None:
        if since is not None or until is not None:
            raise HTTPException(422, detail="handoff_since and handoff_until need handoff")
        return None
    if category not in HANDOFF_CATEGORIES:
        raise HTTPException(422, detail=f"handoff: one of {', '.join(HANDOFF_CATEGORIES)}")
    try:
        return HandoffFilter(category, since=_utc(since), until=_utc(until))
    except ValueError as exc:
        raise HTTPException(422, detail=f"handoff: {exc}") from exc


def _utc(moment: datetime | None) -> datetime | None:
    """In UTC; a time without a zone is read as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@router.get("/{conversation_id}", responses=errors(404, 422))
def read_transcript(
    conversation_id: Id,
    cursor: Cursor = None,
    limit: Limit = 50,
    principal: ApiPrincipal = Depends(reply),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """The conversation and its newest `limit` messages, oldest first; `next_cursor` pages back in time."""
    transcript = inbox.get_transcript(
        session, principal.tenant_id, conversation_id, limit=limit, before_id=decode_cursor(cursor)
    )
    messages = [_plain(m) for m in transcript.messages]
    older = transcript.messages[0].id if transcript.has_more and transcript.messages else None
    return {
        "conversation": _plain(transcript.conversation),
        "messages": messages,
        "next_cursor": encode_cursor(older),
    }


@router.post("/{conversation_id}/messages", status_code=201, responses=errors(404, 409, 422))
async def send_reply(
    conversation_id: Id,
    body: StaffReply,
    principal: ApiPrincipal = Depends(reply),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Send a staff reply (taking the conversation over if the agent had it). A WhatsApp refusal, such as
    free text outside the 24-hour window, is not an error of the request: the message comes back with
    `ticks: -1` and `error_code`."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    session.commit()  # the reply opens its own transactions; this one holds nothing they need to wait on
    view = await run_in_threadpool(
        inbox.send_human_reply,
        principal.tenant_id,
        conversation_id,
        holder.user_id,  # type: ignore[arg-type]
        body.text,
    )
    return _plain(view)


@router.post("/{conversation_id}/take-over", responses=errors(404, 409, 422))
def take_over(
    conversation_id: Id,
    body: TakeOver | None = None,
    principal: ApiPrincipal = Depends(reply),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """A person answers from now on: the agent stops and queued bot work is dropped."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    reason = body.reason if body else None
    summary = inbox.take_over(
        session,
        principal.tenant_id,
        conversation_id,
        holder.user_id,
        reason=reason,  # type: ignore[arg-type]
    )
    return _plain(summary)


@router.post("/{conversation_id}/hand-back", responses=errors(404, 409, 422))
def hand_back(
    conversation_id: Id, principal: ApiPrincipal = Depends(reply), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """The agent answers again."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    return _plain(inbox.hand_back(session, principal.tenant_id, conversation_id, holder.user_id))  # type: ignore[arg-type]


@router.post("/{conversation_id}/close", responses=errors(404, 422))
def close(
    conversation_id: Id, principal: ApiPrincipal = Depends(reply), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """Closed: the customer's next message opens a new conversation."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    return _plain(inbox.close(session, principal.tenant_id, conversation_id, holder.user_id))  # type: ignore[arg-type]


__all__ = ["router"]
