"""REST: /api/v1/campaigns — create, read with counts, list, send or schedule, pause, resume, cancel,
results, recipients (cursor-paged), template submission, a test to one number, the live audience count and
the cost estimate. Scope `campaigns:manage`.

The campaign services raise CampaignError (a value breaks a limit: 422 naming the field and the limit) and
CampaignStateError (not now: 409); they are mapped here, at the edge, never in engine/campaigns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlmodel import Session

from engine.accounts.api_tokens import ApiPrincipal
from engine.analytics.campaigns import funnel
from engine.campaigns import audience, estimate, media, sample_send, service, templates
from engine.campaigns.errors import CampaignError, CampaignStateError
from engine.http.api_docs import errors
from engine.http.deps import db_session, require_scope
from engine.http.paging import Cursor, Id, Limit, decode_cursor, encode_cursor, page_body
from engine.security.scopes import Scope

router = APIRouter(prefix="/campaigns", tags=["campaigns"])
manage = require_scope(Scope.CAMPAIGNS_MANAGE.value)
T = TypeVar("T")

EXAMPLE = {
    "name": "Spring sale",
    "body": "Hi {{first_name}}, our spring sale starts today: 20% off all trail shoes.",
    "buttons": [
        {"type": "quick_reply", "title": "See sizes", "action": "agent"},
        {"type": "url", "title": "Shop now", "url": "https://shop.example/spring"},
    ],
    "fallbacks": {"first_name": "there"},
    "audience": {"tags": ["vip"], "last_order_after": "2026-01-01"},
}


class CampaignBody(BaseModel):
    """A campaign's message and audience. Every WhatsApp limit is checked: a fourth button, a 21-character
    button title or a 1,025-character body answers 422 naming the field and the limit."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    name: str = Field(max_length=1000)
    body: str = Field(max_length=10000, description="the text; {{first_name}}, {{last_product}}... allowed")
    media_key: str | None = Field(default=None, max_length=500, description="from POST /campaigns/media")
    media_type: str | None = Field(default=None, max_length=64)
    buttons: list[dict[str, Any]] = Field(default_factory=list, max_length=20)
    fallbacks: dict[str, str] = Field(default_factory=dict)
    audience: dict[str, Any] = Field(default_factory=dict)
    sender_address: str | None = Field(default=None, max_length=40)


class ScheduleBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"send_at": None}, {"send_at": "2026-12-24T09:00:00Z"}]},
    )

    send_at: AwareDatetime | None = Field(default=None, description="null: now")


class AudienceBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"audience": {"tags": ["vip"]}}]}
    )

    audience: dict[str, Any] = Field(default_factory=dict)


class TestBody(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"to": "+447700900123"}]})

    to: str = Field(max_length=40, description="the number to send the test to, in international form")


@contextmanager
def _mapped() -> Iterator[None]:
    try:
        yield
    except CampaignError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    except CampaignStateError as exc:
        raise HTTPException(409, detail=str(exc)) from exc


def _call(fn: Callable[[], T]) -> T:
    with _mapped():
        return fn()


def _plain(view: Any) -> dict[str, Any]:
    out = dataclasses.asdict(view)
    for key, value in out.items():
        if isinstance(value, datetime):
            out[key] = value.isoformat()
    return out


@router.post("", status_code=201, responses=errors(422))
def create_campaign(
    body: CampaignBody, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """A draft campaign. Submit its template next (POST /campaigns/{id}/template)."""
    return _plain(_call(lambda: service.create_campaign(session, principal.tenant_id, body.model_dump())))


@router.get("", responses=errors(422))
def list_campaigns(
    cursor: Cursor = None,
    limit: Limit = 25,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Newest first with progress counts; follow `next_cursor` until it is null."""
    views, next_id = service.list_campaigns(
        session, principal.tenant_id, before_id=decode_cursor(cursor), limit=limit
    )
    return page_body([_plain(v) for v in views], next_id)


@router.post("/audience/count", responses=errors(422))
def count_audience(
    body: AudienceBody, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """How many customers an audience reaches now, and how many it leaves out by reason."""
    rules = service.settings_for(session, principal.tenant_id)
    counted = _call(
        lambda: audience.count_audience(
            session,
            principal.tenant_id,
            audience.parse_filter(body.audience),
            cap=rules.frequency_cap,
            cap_days=rules.frequency_days,
        )
    )
    return {"count": counted.count, "matched": counted.matched, "exclusions": counted.exclusions}


@router.post("/estimate", responses=errors(422))
def estimate_audience(
    body: AudienceBody, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """What sending to this audience now would cost: recipients per country × that country's WhatsApp
    template price with Twilio's fee, from the price table shipped with Parley (its date in `as_of`)."""
    cost = _call(lambda: estimate.estimate_cost(session, principal.tenant_id, body.audience))
    return {
        "recipients": cost.recipients,
        "cost": str(cost.cost),
        "currency": cost.currency,
        "as_of": cost.as_of,
        "label": cost.label,
        "by_country": [
            {"country": c, "recipients": n, "cost": str(amount)} for c, n, amount in cost.by_country
        ],
        "exclusions": cost.exclusions,
    }


@router.post("/media", status_code=201, responses=errors(400, 413, 422))
async def upload_media(
    file: UploadFile = File(description="a JPEG or PNG picture (5 MB), MP4 video (16 MB) or PDF (100 MB)"),
    principal: ApiPrincipal = Depends(manage),
) -> dict[str, Any]:
    """Store a campaign's picture, video or document; use the answer's `media_key` and `media_type` in the
    campaign. The file's real type is read from its bytes (its name and declared type are ignored)."""
    data = await file.read(media.UPLOAD_MAX + 1)
    if len(data) > media.UPLOAD_MAX:
        raise HTTPException(413, detail=f"the file is larger than {media.UPLOAD_MAX // media.MB} MB")
    stored = _call(lambda: media.store(principal.tenant_id, data))
    return {
        "media_key": stored.key,
        "media_type": stored.content_type,
        "size": stored.size,
        "kind": stored.kind,
    }


@router.get("/{campaign_id}", responses=errors(404, 422))
def get_campaign(
    campaign_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """One campaign with its recipients counted by stage and its progress (0 to 1)."""
    return _plain(service.get_campaign(session, principal.tenant_id, campaign_id))


@router.post("/{campaign_id}/template", responses=errors(404, 409, 422))
def submit_template(
    campaign_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """Create the message at Twilio's Content API and submit it for WhatsApp's approval (status pending)."""
    _call(lambda: templates.submit(session, principal.tenant_id, campaign_id, media_url=media.signed_url))
    return _plain(service.get_campaign(session, principal.tenant_id, campaign_id))


@router.post("/{campaign_id}/send", responses=errors(404, 409, 422))
def send_campaign(
    campaign_id: Id,
    body: ScheduleBody,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Send now (`send_at` null) or at `send_at`; 409 until WhatsApp approved the template."""
    return _plain(_call(lambda: service.schedule(session, principal.tenant_id, campaign_id, body.send_at)))


@router.post("/{campaign_id}/test", responses=errors(404, 409, 422))
def send_test(
    campaign_id: Id,
    body: TestBody,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Send the campaign to one number as a customer would get it: the approved template with sample values,
    or before approval plain text with the media (WhatsApp then delivers it only to a number that wrote to
    the shop in the last 24 hours). 409 with Twilio's or WhatsApp's words when it cannot go."""
    service.require(session, principal.tenant_id, campaign_id)
    sent = _call(
        lambda: sample_send.send_sample(
            session, principal.tenant_id, campaign_id, body.to, media_url=media.signed_url
        )
    )
    return {"to": sent.to, "provider_sid": sent.provider_sid, "as_template": sent.as_template}


def _move(name: str, fn: Callable[[Session, int, int], Any]) -> None:
    @router.post(
        f"/{{campaign_id}}/{name}",
        responses=errors(404, 409, 422),
        name=f"{name}_campaign",
        summary=f"{name.capitalize()} a campaign",
    )
    def action(
        campaign_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
    ) -> dict[str, Any]:
        return _plain(_call(lambda: fn(session, principal.tenant_id, campaign_id)))


_move("pause", service.pause)
_move("resume", service.resume)
_move("cancel", service.cancel)


@router.get("/{campaign_id}/results", responses=errors(404, 422))
def campaign_results(
    campaign_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """The funnel sent → delivered → read → tapped → replied → ordered (with revenue), taps per button,
    opt-outs and failures by reason."""
    service.require(session, principal.tenant_id, campaign_id)
    figures = funnel(session, principal.tenant_id, campaign_id)
    out = dataclasses.asdict(figures)
    out["revenue"] = str(figures.revenue)
    out["per_button"] = [{"payload": p, "title": t, "taps": n} for p, t, n in figures.per_button]
    out["failures"] = [{"code": c, "reason": w, "recipients": n} for c, w, n in figures.failures]
    return out


@router.get("/{campaign_id}/recipients", responses=errors(404, 422))
def campaign_recipients(
    campaign_id: Id,
    cursor: Cursor = None,
    limit: int = Query(default=100, ge=1, le=1000),
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Recipients in order with their status, SID and failure in words, `limit` at a time."""
    rows, next_id = service.recipients_page(
        session, principal.tenant_id, campaign_id, after_id=decode_cursor(cursor), limit=limit
    )
    fields = (
        "id",
        "customer_id",
        "phone",
        "status",
        "provider_sid",
        "error_code",
        "error_message",
        "sent_at",
        "delivered_at",
        "read_at",
        "clicked_at",
        "replied_at",
        "ordered_at",
        "failed_at",
    )
    items = [
        {f: (v.isoformat() if isinstance(v := getattr(r, f), datetime) else v) for f in fields} for r in rows
    ]
    return {"items": items, "next_cursor": encode_cursor(next_id)}


__all__ = ["router"]
