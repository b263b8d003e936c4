"""Seed the inbox for the browser tests: the demo shop "Stride & Co." plus chats that show every bubble kind.

Called from `tests.e2e.seed` (same process, same DATABASE_URL). On top of `engine.demo.seed_demo` it adds:
- e2e logins for the demo workspace (owner Inès, agent Leo, viewer Vera), password `tests.e2e.seed.PASSWORD`;
- Chloe's conversation, waiting for a human: a product card with an image and quick replies, a list picker,
  a tapped button and a list pick, a photo and a PDF from the customer, an agent turn that handed off with its
  confidence and intents, and a staff reply refused by WhatsApp (outside the 24-hour window);
- Marco (needs a human, unassigned), and Jonas and Sofia (the agent answering) so every tab has rows;
- agent-turn records (confidence, intents) for the demo's own agent replies, and the agent's memory
  (topic, summary, key facts, last product viewed) for Chloe and Amelia;
- Twilio credentials on the workspace, so the browser test can post a signed webhook to the running server.

Images are inline SVG (data: URLs): the browser tests run without internet.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from sqlmodel import Session

from engine.accounts import users
from engine.accounts.secrets import set_secret
from engine.channels.whatsapp.rich import Media, Option, RichMessage
from engine.db import TenantScope
from engine.demo.seed import seed_demo
from engine.models import (
    AgentInteraction,
    Appointment,
    Conversation,
    ConversationContext,
    Customer,
    Message,
    Order,
    Product,
    Service,
    utcnow,
)

OWNER = ("ines@stride.test", "Inès Duval", "owner")
AGENT = ("leo@stride.test", "Leo Brandt", "agent")
VIEWER = ("vera@stride.test", "Vera Kowalski", "viewer")
TWILIO_ACCOUNT_SID = "AC" + "e2e0" * 8
TWILIO_AUTH_TOKEN = "e2e-twilio-auth-token"
CHLOE_PHONE = "whatsapp:+447700900201"

TRAIL_SHOE_SVG = """<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 600 400'>
<defs><linearGradient id='s' x1='0' y1='0' x2='1' y2='1'><stop offset='0' stop-color='#ecfccb'/>
<stop offset='1' stop-color='#a7f3d0'/></linearGradient></defs>
<rect width='600' height='400' fill='url(#s)'/>
<path d='M0 290 L110 200 L190 250 L300 150 L420 260 L520 190 L600 240 L600 400 L0 400Z'
fill='#047857' opacity='.28'/>
<g transform='translate(95 120)'>
<path d='M18 170 C18 128 52 118 104 112 L178 70 C206 56 236 60 248 88 L268 132
C336 138 380 156 392 196 L392 212 L18 212Z' fill='#ea580c'/>
<path d='M150 112 L196 84 M166 126 L212 98 M182 140 L228 112' stroke='#fff7ed' stroke-width='9'
stroke-linecap='round'/>
<path d='M104 112 C130 150 210 168 392 196' stroke='#9a3412' stroke-width='6' fill='none' opacity='.5'/>
<path d='M8 212 L402 212 C405 230 392 242 370 242 L30 242 C14 242 6 230 8 212Z' fill='#1f2937'/>
<path d='M40 242 L60 226 L80 242 L100 226 L120 242 L140 226 L160 242 L180 226 L200 242 L220 226 L240 242
L260 226 L280 242 L300 226 L320 242 L340 226 L360 242' stroke='#4b5563' stroke-width='6' fill='none'/>
</g></svg>"""

WORN_SHOE_SVG = """<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 480 360'>
<defs><radialGradient id='f' cx='.5' cy='.35' r='.8'><stop offset='0' stop-color='#fef3c7'/>
<stop offset='1' stop-color='#d6d3d1'/></radialGradient></defs>
<rect width='480' height='360' fill='url(#f)'/>
<rect y='250' width='480' height='110' fill='#a8a29e' opacity='.45'/>
<g transform='translate(50 95) rotate(-4)'>
<path d='M14 150 C14 112 46 102 92 98 L160 62 C186 50 212 54 222 80 L240 118 C300 124 340 140 350 176 L350 190
L14 190Z' fill='#64748b'/>
<path d='M8 190 L358 190 C360 206 350 216 330 216 L26 216 C12 216 6 206 8 190Z' fill='#292524'/>
<circle cx='58' cy='132' r='17' fill='none' stroke='#dc2626' stroke-width='6'/>
</g></svg>"""


def data_url(svg: str) -> str:
    return "data:image/svg+xml;utf8," + quote(" ".join(svg.split()), safe="/:=,' ")


def _message(
    scope: TenantScope,
    conversation: Conversation,
    at: datetime,
    *,
    sender: str = "customer",
    body: str = "",
    rich: RichMessage | None = None,
    inbound: dict[str, Any] | None = None,
    media: list[dict[str, Any]] | None = None,
    status: str | None = None,
    user_id: int | None = None,
    error: tuple[str, str] | None = None,
    button: tuple[str, str] | None = None,
) -> Message:
    outbound = sender != "customer"
    data: dict[str, Any] | None = rich.to_dict() if rich else None
    if inbound is not None:
        data = {**(data or {}), "inbound": inbound}
    row = scope.add(
        Message(
            conversation_id=conversation.id,
            direction="outbound" if outbound else "inbound",
            sender=sender,
            body=body or ((rich.body or rich.title or "") if rich else ""),
            media=media if media is not None else ([rich.media.to_dict()] if rich and rich.media else []),
            rich=data,
            status=status or ("read" if outbound else "received"),
            sent_by_user_id=user_id,
            error_code=error[0] if error else None,
            error_message=error[1] if error else None,
            button_payload=button[0] if button else None,
            button_text=button[1] if button else None,
            created_at=at,
            updated_at=at,
        )
    )
    return row


def _turn(
    scope: TenantScope,
    message: Message,
    confidence: float,
    intents: list[tuple[str, float]],
    handoff_reason: str | None = None,
) -> None:
    scope.add(
        AgentInteraction(
            conversation_id=message.conversation_id,
            message_id=message.id,
            response=message.body,
            intents=[{"name": name, "confidence": value} for name, value in intents],
            model="gpt-4o-mini",
            provider="openai",
            confidence=confidence,
            handoff=handoff_reason is not None,
            handoff_reason=handoff_reason,
            message_type=(message.rich or {}).get("kind", "text"),
            tokens_in=1180,
            tokens_out=96,
            cost=Decimal("0.000235"),
            latency_ms=1420,
            created_at=message.created_at,
        )
    )


def _person(session: Session, tenant_id: int, spec: tuple[str, str, str], password: str) -> int:
    email, name, role = spec
    user = users.get_user_by_email(session, email) or users.create_user(
        session, email=email, password=password, full_name=name
    )
    assert user.id is not None
    users.add_membership(session, tenant_id, user.id, role)
    return user.id


def _customer(scope: TenantScope, phone: str, name: str, now: datetime, **fields: Any) -> Customer:
    return scope.add(
        Customer(
            phone=phone,
            wa_id=phone.removeprefix("whatsapp:+"),
            name=name,
            language="en",
            created_at=now - timedelta(days=40),
            last_seen_at=now - timedelta(minutes=5),
            **fields,
        )
    )


def _conversation(scope: TenantScope, customer: Customer, status: str, **fields: Any) -> Conversation:
    return scope.add(Conversation(customer_id=customer.id, status=status, **fields))


def _finish(scope: TenantScope, conversation: Conversation, messages: list[Message]) -> None:
    inbound = [m.created_at for m in messages if m.direction == "inbound"]
    conversation.created_at = messages[0].created_at
    conversation.last_activity_at = messages[-1].created_at
    conversation.last_inbound_at = max(inbound) if inbound else None
    scope.session.add(conversation)
    scope.session.flush()


def seed_inbox(session: Session, password: str, now: datetime | None = None) -> int:
    """Everything above; returns the demo workspace's tenant id."""
    now = now or utcnow()
    demo = seed_demo(session, now=now)
    tenant_id = demo.tenant_id
    scope = TenantScope(session, tenant_id)
    _person(session, tenant_id, OWNER, password)
    agent_id = _person(session, tenant_id, AGENT, password)
    _person(session, tenant_id, VIEWER, password)
    set_secret(session, tenant_id, "twilio_account_sid", TWILIO_ACCOUNT_SID)
    set_secret(session, tenant_id, "twilio_auth_token", TWILIO_AUTH_TOKEN)

    shoe_image = data_url(TRAIL_SHOE_SVG)
    trail = scope.first(Product, Product.sku == "STR-RUN-TRL")
    gait = scope.first(Service, Service.code == "SVC-GAIT")
    assert trail is not None and gait is not None
    trail.image_url = shoe_image
    session.add(trail)

    # Chloe: every bubble kind, handed off to a person, the person's reply refused outside the window.
    chloe = _customer(
        scope,
        CHLOE_PHONE,
        "Chloe Martin",
        now,
        opted_in=True,
        opted_in_at=now - timedelta(days=40),
        key_facts={"preferred_store": "Bristol", "runs": "muddy trails at weekends"},
    )
    conversation = _conversation(
        scope,
        chloe,
        "handoff",
        assigned_user_id=agent_id,
        handoff_reason="Reports pain from her shoes: fit advice needs a person",
    )
    start = now - timedelta(hours=27)
    card = RichMessage(
        kind="card",
        title="Ridgeline Trail Runner",
        subtitle="£115.00 · UK 6–12 · in stock",
        media=Media(url=shoe_image, content_type="image/svg+xml"),
        options=(Option("buy-trl", "Buy now"), Option("sizes-trl", "See sizes")),
    )
    sizes = RichMessage(
        kind="list",
        body="Which size would you like? The Ridgeline fits true to size.",
        button="Choose a size",
        options=(
            Option("uk8", "UK 8", section="In stock"),
            Option("uk9", "UK 9", "Most popular for your last order's size", section="In stock"),
            Option("uk9.5", "UK 9.5", section="In stock"),
            Option("uk10", "UK 10", "Only 2 left", section="Low stock"),
        ),
    )
    m = [
        _message(scope, conversation, start, body="Hi! Do you have the Ridgeline trail shoe in a UK 9?"),
        _message(scope, conversation, start + timedelta(minutes=1), sender="agent", rich=card),
        _message(
            scope,
            conversation,
            start + timedelta(minutes=3),
            body="See sizes",
            button=("sizes-trl", "See sizes"),
            inbound={"choice": {"id": "sizes-trl", "title": "See sizes", "via": "button"}},
        ),
        _message(scope, conversation, start + timedelta(minutes=3, seconds=20), sender="agent", rich=sizes),
        _message(
            scope,
            conversation,
            start + timedelta(minutes=5),
            body="UK 9",
            inbound={"choice": {"id": "uk9", "title": "UK 9", "via": "list"}},
        ),
        _message(
            scope,
            conversation,
            start + timedelta(minutes=6),
            body="Also, my current pair gave me a blister right here. Is that normal?",
            media=[{"url": data_url(WORN_SHOE_SVG), "content_type": "image/svg+xml"}],
        ),
        _message(
            scope,
            conversation,
            start + timedelta(minutes=6, seconds=30),
            sender="agent",
            body="I'm sorry about the blister, Chloe! Fit problems are worth a proper look, so I'm passing "
            "you to a colleague from our Bristol store who can advise.",
        ),
        _message(
            scope,
            conversation,
            start + timedelta(minutes=9),
            body="Here's the receipt for the old pair",
            media=[
                {
                    "url": "https://files.stride.example/receipts/receipt-STR-10512.pdf",
                    "content_type": "application/pdf",
                    "size_bytes": 184_320,
                }
            ],
        ),
        _message(
            scope,
            conversation,
            now - timedelta(minutes=25),
            sender="human",
            user_id=agent_id,
            body="Hi Chloe, Leo here from the Bristol store, sorry for the wait! A blister at the heel "
            "usually means the heel counter is slipping. Could you pop in for a free fitting this week?",
            status="failed",
            error=("63016", "Failed to send freeform message because you are outside the allowed window."),
        ),
    ]
    _finish(scope, conversation, m)
    _turn(scope, m[1], 0.91, [("product_availability", 0.93), ("size_question", 0.41)])
    _turn(scope, m[3], 0.86, [("size_question", 0.88)])
    _turn(
        scope,
        m[6],
        0.34,
        [("fit_advice", 0.61), ("complaint", 0.32)],
        "Reports pain from her shoes: fit advice needs a person",
    )
    scope.add(
        ConversationContext(
            conversation_id=conversation.id,
            current_topic="Trail shoe size and a blister",
            pending_action="Advise on fit, then hold a UK 9 Ridgeline",
            last_product_id=trail.id,
            conversation_summary="Chloe wants the Ridgeline Trail Runner in UK 9 and reports a heel blister "
            "from her current pair; the agent handed over for fit advice.",
            key_facts={"shoe_size": "UK 9", "trail_type": "muddy, technical"},
        )
    )
    scope.add(
        Order(
            customer_id=chloe.id,
            order_number="STR-10512",
            status="delivered",
            items=[{"sku": "STR-RUN-CS90", "name": "Cloudstep 90 Running Shoe", "qty": 1, "price": "95.00"}],
            total=Decimal("95.00"),
            created_at=now - timedelta(days=38),
            updated_at=now - timedelta(days=35),
        )
    )
    scope.add(
        Appointment(
            customer_id=chloe.id,
            service_id=gait.id,
            starts_at=(now + timedelta(days=2)).replace(hour=10, minute=30, second=0, microsecond=0),
            status="booked",
            notes="Bring the current pair",
        )
    )

    # Marco: a refund the agent may not grant, waiting for anyone.
    marco = _customer(scope, "whatsapp:+447700900202", "Marco Rossi", now)
    conversation = _conversation(
        scope, marco, "handoff", handoff_reason="Refund request: refunds need a person"
    )
    m = [
        _message(
            scope,
            conversation,
            now - timedelta(minutes=12),
            body="My jacket from order STR-10488 came in the wrong colour. I'd like a refund please, not an "
            "exchange.",
        ),
        _message(
            scope,
            conversation,
            now - timedelta(minutes=11),
            sender="agent",
            body="Sorry about that, Marco! Refunds are handled by our customer team, so I've passed this on. "
            "Someone will reply here shortly.",
            status="delivered",
        ),
    ]
    _finish(scope, conversation, m)
    _turn(
        scope,
        m[1],
        0.58,
        [("refund_request", 0.92), ("order_problem", 0.47)],
        "Refund request: refunds need a person",
    )

    # Jonas and Sofia: the agent is answering.
    jonas = _customer(scope, "whatsapp:+447700900203", "Jonas Weber", now)
    conversation = _conversation(scope, jonas, "bot")
    m = [
        _message(scope, conversation, now - timedelta(hours=2, minutes=4), body="Are you open on Sunday?"),
        _message(
            scope,
            conversation,
            now - timedelta(hours=2, minutes=3),
            sender="agent",
            body="Yes! Both stores are open on Sundays from 10:00 to 16:00. 😊",
        ),
    ]
    _finish(scope, conversation, m)
    _turn(scope, m[1], 0.95, [("opening_hours", 0.97)])

    sofia = _customer(scope, "whatsapp:+447700900204", "Sofia Marin", now, opted_in=True, opted_in_at=now)
    conversation = _conversation(scope, sofia, "bot")
    reserve = RichMessage(
        kind="buttons",
        body="The Stormshell jacket in M is in stock at Bristol. Shall I reserve it for you until tomorrow?",
        options=(Option("reserve", "Reserve it"), Option("later", "Not now")),
    )
    m = [
        _message(
            scope, conversation, now - timedelta(minutes=44), body="is the stormshel jacket in M in stock?"
        ),
        _message(scope, conversation, now - timedelta(minutes=43), sender="agent", rich=reserve),
        _message(
            scope,
            conversation,
            now - timedelta(minutes=41),
            body="Reserve it",
            button=("reserve", "Reserve it"),
            inbound={"choice": {"id": "reserve", "title": "Reserve it", "via": "button"}},
        ),
        _message(
            scope,
            conversation,
            now - timedelta(minutes=40),
            sender="agent",
            body="Done! It's held under your name at Bristol until 18:00 tomorrow.",
            status="delivered",
        ),
    ]
    _finish(scope, conversation, m)
    _turn(scope, m[1], 0.88, [("product_availability", 0.9)])
    _turn(scope, m[3], 0.92, [("reservation", 0.94)])

    # The demo's own agent replies get their turn records; Amelia gets the agent's memory.
    for message in scope.all(Message, Message.sender == "agent", Message.provider_sid.is_not(None)):  # type: ignore[union-attr]
        _turn(scope, message, 0.87, [("order_status", 0.9)])
    amelia = scope.first(Customer, Customer.phone == "whatsapp:+447700900101")
    if amelia is not None:
        first = scope.first(Conversation, Conversation.customer_id == amelia.id)
        if first is not None:
            scope.add(
                ConversationContext(
                    conversation_id=first.id,
                    current_topic="Delivery of STR-10457",
                    conversation_summary="Amelia checked on her rain jacket order and her gait analysis "
                    "booking.",
                    key_facts={"shoe_size": "UK 6.5"},
                )
            )
    return tenant_id


__all__ = ["AGENT", "CHLOE_PHONE", "OWNER", "TWILIO_AUTH_TOKEN", "VIEWER", "seed_inbox"]
