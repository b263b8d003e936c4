"""A tapped service offers its free times; a tapped time books it (engine.agent.choices routes the taps).

The times are the shop's business hours minus booked appointments, stepped by the service's duration
(engine.catalog.reservations.free_slots); each is a list row whose id carries the time in UTC, so the pick
books exactly what was shown — or, when someone took it meanwhile, says so and offers the times still free.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from engine.agent.plan import TurnPlan
from engine.catalog import CatalogError
from engine.catalog.reservations import book_slot, free_slots
from engine.channels.whatsapp.rich import Option
from engine.db import in_savepoint
from engine.models import Service
from engine.models.base import zone_or_utc
from engine.money import format_money

SLOT_FORMAT = "%Y%m%dT%H%M"


def _weekly(plan: TurnPlan) -> dict[str, Any]:
    return dict((plan.persona.business_hours or {}).get("weekly") or {})


def _local_label(when: datetime, time_zone: str) -> str:
    local = when.astimezone(zone_or_utc(time_zone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def offer_times(session: Session, plan: TurnPlan, service: Service) -> None:
    if not service.is_bookable:
        plan.short_reply = f"Sorry, *{service.name}* can't be booked right now."
        return
    slots = free_slots(
        session, plan.tenant_id, service.code, weekly=_weekly(plan), time_zone=plan.time_zone, now=plan.now
    )
    price = format_money(service.price, plan.currency)
    if not slots:
        plan.short_reply = (
            f"I can't see a free time for *{service.name}* in the next week. A teammate will find one "
            "with you."
        )
        return
    rows = [
        Option(
            f"slot:{service.code}:{slot.astimezone(UTC):{SLOT_FORMAT}}",
            _local_label(slot, plan.time_zone)[:24],
            f"{service.duration_minutes} min · {price}"[:72],
        )
        for slot in slots
    ]
    plan.short_reply = (
        f"*{service.name}* takes {service.duration_minutes} min and costs {price}. These times are free — "
        "which suits you?"
    )
    plan.short_options = rows
    plan.shown = {"kind": "times", "service": service.code, "rows": [o.title for o in rows]}
    plan.short_intents = [{"name": "appointment", "confidence": 1.0, "target": service.code}]


def book_time(session: Session, plan: TurnPlan, service: Service, action: str) -> None:
    try:
        starts_at = datetime.strptime(action, SLOT_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return
    code = service.code
    try:
        booked = in_savepoint(
            session,
            lambda: book_slot(
                session,
                plan.tenant_id,
                customer_id=plan.customer_id,
                service_code=code,
                starts_at=starts_at,
                weekly=_weekly(plan),
                time_zone=plan.time_zone,
                now=plan.now,
            ),
        )
    except CatalogError as exc:
        offer_times(session, plan, service)
        plan.short_reply = f"Sorry, {exc.errors[0].message}. " + (plan.short_reply or "")
        return
    local = booked.starts_at.astimezone(zone_or_utc(plan.time_zone))
    plan.short_reply = (
        f"You're booked in! *{service.name}* on {local:%A} {local.day} {local:%B} at {local:%H:%M} "
        f"({service.duration_minutes} min). See you then — reply here if you need to change it."
    )
    plan.shown = {"kind": "booked", "service": service.code, "appointment": booked.id}
    plan.short_intents = [{"name": "appointment", "confidence": 1.0, "target": service.code}]


__all__ = ["SLOT_FORMAT", "book_time", "offer_times"]
