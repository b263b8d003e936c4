"""Load the "Stride & Co." demo tenant: catalogue, knowledge base, persona, staff, customers and inbox.

`seed_demo` is idempotent: every demo row has a natural key (SKU, service code, knowledge source
"demo:<key>", customer phone, order number, message provider sid, staff email), and only missing rows are
inserted. A second run inserts nothing, returns `created=False` and no password. Rows the owner has since
edited are left as they are; the persona is applied only when the seed creates the tenant.

It writes inside the caller's transaction (use `engine.db.session_scope`) and commits nothing itself.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func
from sqlmodel import Session, select

from engine.accounts import audit
from engine.accounts.errors import AccountError
from engine.accounts.tenants import create_tenant, get_by_slug, initial_llm
from engine.accounts.users import add_membership, create_user, get_user_by_email, role_in
from engine.accounts.workspace import WorkspaceForm, update_workspace
from engine.catalog import invalidate_catalog_index
from engine.config import get_settings
from engine.db import TenantScope
from engine.demo import catalog_data, customers_data, knowledge_data, tenant_data
from engine.models import (
    AgentConfiguration,
    Appointment,
    AuditLog,
    Conversation,
    Customer,
    KnowledgeEntry,
    KnowledgeEntryVersion,
    Membership,
    Message,
    Order,
    Product,
    Service,
    User,
    WhatsAppSender,
    utcnow,
)

KNOWLEDGE_SOURCE_PREFIX = "demo:"

# The kinds reported in DemoSeedResult.counts, and the table each one counts.
COUNTED: dict[str, type[Any]] = {
    "products": Product,
    "services": Service,
    "knowledge_entries": KnowledgeEntry,
    "knowledge_versions": KnowledgeEntryVersion,
    "customers": Customer,
    "orders": Order,
    "appointments": Appointment,
    "conversations": Conversation,
    "messages": Message,
    "memberships": Membership,
    "whatsapp_senders": WhatsAppSender,
}


@dataclass(frozen=True)
class DemoSeedResult:
    tenant_id: int
    slug: str
    owner_email: str
    owner_password: str | None  # set only when this run created the owner account: show it once
    counts: dict[str, int]  # rows of each kind the demo tenant holds after this run
    created: bool  # this run created the tenant
    # Rows this run inserted, per kind: empty on a re-run.
    added: dict[str, int] = field(default_factory=dict)
    agent_email: str = tenant_data.AGENT["email"]
    agent_password: str | None = None  # set only when this run created the agent account
    whatsapp_sender: str | None = None


def seed_demo(session: Session, *, now: datetime | None = None) -> DemoSeedResult:
    """Create the demo tenant, or complete it if rows are missing; never duplicates or overwrites a row."""
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("seed_demo needs a timezone-aware 'now'")
    added: Counter[str] = Counter()

    tenant_id, created = _ensure_tenant(session, added)
    scope = TenantScope(session, tenant_id)
    _ensure_sender(session, scope, added)
    _ensure_persona(scope, created, added)
    owner, owner_password = _ensure_staff(session, tenant_id, tenant_data.OWNER, added)
    agent, agent_password = _ensure_staff(session, tenant_id, tenant_data.AGENT, added)
    _ensure_catalog(scope, now, added)
    _ensure_knowledge(scope, now, owner.id, added)
    _ensure_customers(scope, now, agent.id, added)

    inserted = {kind: n for kind, n in sorted(added.items()) if n}
    if inserted:
        audit.record(
            session,
            tenant_id,
            tenant_data.SEED_AUDIT_ACTION,
            actor_label="demo seed",
            target_type="tenant",
            target_id=tenant_id,
            details={"added": inserted},
        )
    sender = scope.first(WhatsAppSender, WhatsAppSender.address == tenant_data.TENANT["whatsapp_from"])
    return DemoSeedResult(
        tenant_id=tenant_id,
        slug=tenant_data.TENANT["slug"],
        owner_email=owner.email,
        owner_password=owner_password,
        counts=demo_counts(session, tenant_id),
        created=created,
        added=inserted,
        agent_email=agent.email,
        agent_password=agent_password,
        whatsapp_sender=sender.address if sender else None,
    )


def demo_counts(session: Session, tenant_id: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind, model in COUNTED.items():
        statement = select(func.count()).select_from(model).where(model.tenant_id == tenant_id)
        counts[kind] = int(session.exec(statement).one())
    return counts


# --- Tenant, sender, persona, staff -------------------------------------------------------------------------


def _ensure_tenant(session: Session, added: Counter[str]) -> tuple[int, bool]:
    spec = tenant_data.TENANT
    tenant = get_by_slug(session, spec["slug"])
    if tenant is not None:
        assert tenant.id is not None
        marked = TenantScope(session, tenant.id).first(
            AuditLog, AuditLog.action == tenant_data.SEED_AUDIT_ACTION
        )
        if marked is None:
            raise AccountError(
                f"a tenant with slug {spec['slug']!r} exists and was not created by the demo seed: "
                "refusing to add demo data to it"
            )
        return tenant.id, False
    info = create_tenant(
        session,
        name=spec["name"],
        slug=spec["slug"],
        # The sandbox number may already belong to another tenant: the demo then starts without a sender.
        whatsapp_from=spec["whatsapp_from"] if _sender_is_free(session) else None,
        time_zone=spec["time_zone"],
        currency=spec["currency"],
    )
    update_workspace(
        session, info.id, WorkspaceForm(weekly=tenant_data.BUSINESS_HOURS["weekly"]), actor_label="demo seed"
    )
    added["tenants"] += 1
    added["whatsapp_senders"] += len(info.whatsapp_senders)
    added["agent_configurations"] += 1
    return info.id, True


def _sender_is_free(session: Session) -> bool:
    address = tenant_data.TENANT["whatsapp_from"]
    return session.exec(select(WhatsAppSender).where(WhatsAppSender.address == address)).first() is None


def _ensure_sender(session: Session, scope: TenantScope, added: Counter[str]) -> None:
    if scope.first(WhatsAppSender) is None and _sender_is_free(session):
        scope.add(WhatsAppSender(address=tenant_data.TENANT["whatsapp_from"], label="Twilio sandbox"))
        added["whatsapp_senders"] += 1


def _persona_values(provider: str = "offline") -> dict[str, Any]:
    """The demo persona. Its model chain is OpenAI's; when the operator's defaults put the tenant on another
    provider or name a model (engine.config initial_llm), create_tenant's choice stays."""
    values = dict(tenant_data.PERSONA)
    values["monthly_budget"] = Decimal(values["monthly_budget"])
    if provider not in ("offline", "openai") or get_settings().default_llm_model:
        values.pop("default_model", None)
        values.pop("fallback_models", None)
    return values


def _ensure_persona(scope: TenantScope, created: bool, added: Counter[str]) -> None:
    config = scope.first(AgentConfiguration)
    if config is None:
        provider, model = initial_llm()
        values = {"default_model": model, **_persona_values(provider)}
        scope.add(AgentConfiguration(llm_provider=provider, **values))
        added["agent_configurations"] += 1
        return
    if not created:
        return  # the owner may have edited the persona since: leave it alone
    for name, value in _persona_values(config.llm_provider).items():
        setattr(config, name, value)
    config.updated_at = utcnow()
    scope.session.add(config)
    scope.session.flush()


def _ensure_staff(
    session: Session, tenant_id: int, spec: dict[str, str], added: Counter[str]
) -> tuple[User, str | None]:
    user = get_user_by_email(session, spec["email"])
    password = None
    if user is None:
        password = secrets.token_urlsafe(16)
        user = create_user(session, email=spec["email"], password=password, full_name=spec["full_name"])
        added["users"] += 1
    assert user.id is not None
    if role_in(session, tenant_id, user.id) is None:
        add_membership(session, tenant_id, user.id, spec["role"])
        added["memberships"] += 1
    return user, password


# --- Catalogue and knowledge --------------------------------------------------------------------------------


def _copied(spec: dict[str, Any]) -> dict[str, Any]:
    """A row's values from a data spec: price as Decimal, lists copied (the data modules share size lists)."""
    values = {name: list(value) if isinstance(value, list) else value for name, value in spec.items()}
    values["price"] = Decimal(spec["price"])
    return values


def _ensure_catalog(scope: TenantScope, now: datetime, added: Counter[str]) -> None:
    skus = {p.sku for p in scope.all(Product)}
    for spec in catalog_data.PRODUCTS:
        if spec["sku"] in skus:
            continue
        values = _copied(spec)
        if values.get("variants"):  # the stock is the variants' sum, as ProductInput keeps it
            values["stock"] = sum(int(v["stock"]) for v in values["variants"])
        scope.add(Product(**values, created_at=now, updated_at=now))
        added["products"] += 1
    codes = {s.code for s in scope.all(Service)}
    for spec in catalog_data.SERVICES:
        if spec["code"] in codes:
            continue
        values = _copied(spec)
        scope.add(Service(**values, created_at=now, updated_at=now))
        added["services"] += 1
    if added["products"] or added["services"]:
        invalidate_catalog_index(scope.tenant_id, scope.session)


def _ensure_knowledge(scope: TenantScope, now: datetime, owner_id: int | None, added: Counter[str]) -> None:
    # Soft-deleted entries count as present: an entry the owner deleted is not brought back.
    sources = {e.source for e in scope.all(KnowledgeEntry) if e.source}
    for spec in knowledge_data.KNOWLEDGE:
        source = KNOWLEDGE_SOURCE_PREFIX + spec["key"]
        if source in sources:
            continue
        fields = {
            "entry_type": spec["entry_type"],
            "title": spec["title"],
            "content": spec["content"],
            "keywords": list(spec["keywords"]),
            "category": spec["category"],
            "priority": spec.get("priority", 0),
            "is_active": True,
        }
        entry = scope.add(KnowledgeEntry(**fields, version=1, source=source, created_at=now, updated_at=now))
        assert entry.id is not None
        scope.add(
            KnowledgeEntryVersion(
                **fields, entry_id=entry.id, version=1, created_by_user_id=owner_id, created_at=now
            )
        )
        added["knowledge_entries"] += 1
        added["knowledge_versions"] += 1


# --- Customers, orders, appointments, conversations ---------------------------------------------------------


def _shop_zone() -> ZoneInfo | Any:
    try:
        return ZoneInfo(tenant_data.TENANT["time_zone"])
    except ZoneInfoNotFoundError:  # a system without tz data: UTC is close enough for a demo
        return UTC


def _appointment_start(now: datetime, in_days: int, local_time: str) -> datetime:
    """`in_days` from the shop's today at `local_time` shop time, in UTC; Sundays move to Monday."""
    zone = _shop_zone()
    day: date = now.astimezone(zone).date() + timedelta(days=in_days)
    if day.weekday() == 6:
        day += timedelta(days=1)
    hour, minute = (int(part) for part in local_time.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def order_lines(items: list[tuple[str, int]]) -> tuple[list[dict[str, Any]], Decimal]:
    """Order JSON lines ({sku, name, qty, price}) and their total, priced from the catalogue."""
    products = {p["sku"]: p for p in catalog_data.PRODUCTS}
    lines: list[dict[str, Any]] = []
    total = Decimal("0.00")
    for sku, qty in items:
        product = products[sku]
        price = Decimal(product["price"])
        lines.append({"sku": sku, "name": product["name"], "qty": qty, "price": str(price)})
        total += price * qty
    return lines, total


def _ensure_customers(scope: TenantScope, now: datetime, agent_id: int | None, added: Counter[str]) -> None:
    services = {s.code: s for s in scope.all(Service)}
    for spec in customers_data.CUSTOMERS:
        customer = scope.first(Customer, Customer.phone == spec["phone"])
        if customer is None:
            customer = _add_customer(scope, spec, now)
            added["customers"] += 1
        assert customer.id is not None
        for order in spec["orders"]:
            added["orders"] += _ensure_order(scope, customer.id, order, now)
        for appointment in spec["appointments"]:
            added["appointments"] += _ensure_appointment(scope, customer.id, services, appointment, now)
        for conversation in spec["conversations"]:
            messages = _ensure_conversation(scope, customer.id, conversation, now, agent_id)
            if messages:
                added["conversations"] += 1
                added["messages"] += messages


def _add_customer(scope: TenantScope, spec: dict[str, Any], now: datetime) -> Customer:
    first_contact = max(
        [o["days_ago"] for o in spec["orders"]]
        + [m[2] / 1440 for c in spec["conversations"] for m in c["messages"]]
        + [0]
    )
    created_at = now - timedelta(days=first_contact + 1)
    inbound = [m[2] for c in spec["conversations"] for m in c["messages"] if m[0] == "customer"]
    return scope.add(
        Customer(
            phone=spec["phone"],
            wa_id=spec["phone"].removeprefix("whatsapp:+"),
            name=spec["name"],
            language=spec.get("language"),
            opted_in=spec["opted_in"],
            opted_in_at=created_at if spec["opted_in"] else None,
            key_facts=dict(spec["key_facts"]),
            created_at=created_at,
            last_seen_at=now - timedelta(minutes=min(inbound)) if inbound else None,
        )
    )


def _ensure_order(scope: TenantScope, customer_id: int, spec: dict[str, Any], now: datetime) -> int:
    if scope.first(Order, Order.order_number == spec["order_number"]) is not None:
        return 0
    lines, total = order_lines(spec["items"])
    scope.add(
        Order(
            customer_id=customer_id,
            order_number=spec["order_number"],
            status=spec["status"],
            items=lines,
            total=total,
            created_at=now - timedelta(days=spec["days_ago"], hours=3),
            updated_at=now - timedelta(days=spec["updated_days_ago"], hours=1),
        )
    )
    return 1


def _ensure_appointment(
    scope: TenantScope,
    customer_id: int,
    services: dict[str, Service],
    spec: dict[str, Any],
    now: datetime,
) -> int:
    service = services.get(spec["service"])
    if service is None or service.id is None:
        return 0  # the owner removed that service: nothing to book against
    existing = scope.first(
        Appointment, Appointment.customer_id == customer_id, Appointment.service_id == service.id
    )
    if existing is not None:
        return 0
    starts_at = _appointment_start(now, spec["in_days"], spec["local_time"])
    scope.add(
        Appointment(
            customer_id=customer_id,
            service_id=service.id,
            starts_at=starts_at,
            status=spec["status"],
            notes=spec.get("notes"),
            created_at=min(now, starts_at) - timedelta(days=4),
        )
    )
    return 1


def _provider_sid(conversation_key: str, index: int) -> str:
    return f"SMdemo{conversation_key}m{index:03d}"


def _ensure_conversation(
    scope: TenantScope,
    customer_id: int,
    spec: dict[str, Any],
    now: datetime,
    agent_id: int | None,
) -> int:
    """Add the conversation and its messages unless its first message is already stored; returns messages."""
    if scope.first(Message, Message.provider_sid == _provider_sid(spec["key"], 1)) is not None:
        return 0
    stamps = [now - timedelta(minutes=m[2]) for m in spec["messages"]]
    inbound = [t for t, m in zip(stamps, spec["messages"], strict=True) if m[0] == "customer"]
    status = spec["status"]
    conversation = scope.add(
        Conversation(
            customer_id=customer_id,
            status=status,
            assigned_user_id=agent_id if spec.get("assign_to") == "agent" else None,
            handoff_reason=spec.get("handoff_reason"),
            created_at=stamps[0],
            last_activity_at=stamps[-1],
            last_inbound_at=max(inbound) if inbound else None,
            closed_at=stamps[-1] + timedelta(minutes=30) if status == "closed" else None,
        )
    )
    assert conversation.id is not None
    last = len(spec["messages"])
    for index, ((sender, body, _), stamp) in enumerate(zip(spec["messages"], stamps, strict=True), start=1):
        inbound_message = sender == "customer"
        delivery = "received" if inbound_message else ("delivered" if index == last else "read")
        scope.add(
            Message(
                conversation_id=conversation.id,
                direction="inbound" if inbound_message else "outbound",
                sender=sender,
                body=body,
                provider_sid=_provider_sid(spec["key"], index),
                status=delivery,
                sent_by_user_id=agent_id if sender == "human" else None,
                created_at=stamp,
                updated_at=stamp,
            )
        )
    return last
