"""Composer limits, templates, consent, audiences, quiet hours, frequency cap, taps and order attribution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from engine.campaigns import audience as A
from engine.campaigns import service, templates, tracking
from engine.campaigns.actions import run_actions
from engine.campaigns.composer import validate_content
from engine.campaigns.consent import classify
from engine.campaigns.dispatch import Dispatcher
from engine.campaigns.errors import CampaignError, CampaignStateError
from engine.campaigns.rules import quiet_until, zone_for
from engine.db import TenantScope, session_scope
from engine.models import CampaignAction, CampaignRecipient, Customer, Order
from tests.engine.campaigns.conftest import add_customers, approved_campaign
from tests.engine.campaigns.test_dispatch import _run, _start
from tests.engine.conversations.harness import WhatsAppEnv

BASE = {"name": "Spring", "body": "Hello"}


@pytest.mark.parametrize(
    ("changes", "field", "limit"),
    [
        ({"body": "x" * 1025}, "body", 1024),
        ({"name": "n" * 121}, "name", 120),
        ({"buttons": [{"title": f"b{i}"} for i in range(4)]}, "buttons[3]", 3),
        ({"buttons": [{"title": "t" * 21}]}, "buttons[0].title", 20),
        ({"buttons": [{"title": "ok", "id": "i" * 129}]}, "buttons[0].id", 128),
        ({"buttons": [{"type": "call", "title": "Call", "phone": "12345"}]}, "buttons[0].phone", 15),
        (
            {"body": "Hi {{first_name}}", "fallbacks": {"first_name": "f" * 1601}},
            "fallbacks.first_name",
            1600,
        ),
        ({"body": "{{first_name}}" + "x" * 1000, "fallbacks": {"first_name": "f" * 30}}, "body", 1024),
    ],
)
def test_every_limit_is_named_with_its_number(changes: dict, field: str, limit: int) -> None:
    with pytest.raises(CampaignError) as caught:
        validate_content({**BASE, **changes})
    assert caught.value.field == field and caught.value.limit == limit
    assert str(limit) in str(caught.value).replace(",", "")


def test_limits_hold_to_the_character() -> None:
    validate_content({**BASE, "body": "x" * 1024, "buttons": [{"title": "t" * 20}] * 1})
    with pytest.raises(CampaignError, match="at most 2 link"):
        validate_content(
            {
                **BASE,
                "buttons": [{"type": "url", "title": f"L{i}", "url": "https://x.example"} for i in range(3)],
            }
        )
    with pytest.raises(CampaignError, match="not a variable"):
        validate_content({**BASE, "body": "Hi {{nickname}}"})
    with pytest.raises(CampaignError, match="JPEG or PNG"):
        validate_content({**BASE, "media_key": "k", "media_type": "image/gif"})


@pytest.mark.parametrize(
    ("text", "kind", "language"),
    [
        ("STOP", "opt_out", "en"),
        ("Unsubscribe!", "opt_out", "en"),
        ("no more messages please", "opt_out", "en"),
        ("Baja", "opt_out", "es"),
        ("não quero mais mensagens", "opt_out", "pt"),
        ("Désabonner", "opt_out", "fr"),
        ("start", "opt_in", "en"),
        ("ALTA", "opt_in", "es"),
    ],
)
def test_opt_words_in_four_languages(text: str, kind: str, language: str) -> None:
    found = classify(text)
    assert found is not None and (found.kind, found.language) == (kind, language)


def test_a_conversation_is_not_an_opt_out() -> None:
    assert classify("stop, the size I got is wrong and I want to change it") is None
    assert classify("when does the sale start?") is None


def test_stop_opts_out_at_once_with_one_confirmation_and_start_opts_back_in(wa: WhatsAppEnv) -> None:
    add_customers(wa.tenant_id, 1, phone=wa.customer, opted_in=True)
    assert wa.inbound("STOP").status_code == 200
    assert wa.inbound("stop").status_code == 200  # a second STOP changes nothing: no second confirmation
    with session_scope() as session:
        customer = TenantScope(session, wa.tenant_id).first(Customer, Customer.phone == wa.customer)
        assert customer.opted_in is False and customer.opted_out_at is not None
    assert run_actions(owner="w") == 1
    assert [m.value("Body") for m in wa.fake.messages] == [
        "You will not get any more messages from us. Reply START to subscribe again."
    ]
    wa.inbound("START")
    assert run_actions(owner="w") == 1
    with session_scope() as session:
        customer = TenantScope(session, wa.tenant_id).first(Customer, Customer.phone == wa.customer)
        assert customer.opted_in is True
    assert len(wa.fake.messages) == 2


def test_templates_must_be_approved_before_a_campaign_starts(wa: WhatsAppEnv) -> None:
    with session_scope() as session:
        view = service.create_campaign(
            session,
            wa.tenant_id,
            {"name": "Sale", "body": "Hi {{first_name}}", "buttons": [{"title": "See sizes"}]},
        )
    with session_scope() as session, pytest.raises(CampaignStateError, match="not approved"):
        service.schedule(session, wa.tenant_id, view.id)
    with session_scope() as session:
        campaign = templates.submit(session, wa.tenant_id, view.id)
        sid = campaign.content_sid
        assert campaign.template_status == "pending"
    (content,) = wa.fake.contents
    assert content.json["types"]["twilio/card"]["title"] == "Hi {{1}}"
    assert content.json["variables"] == {"1": "there"}
    wa.fake.reject(sid, "The template's wording is promotional in a utility category")
    assert templates.poll_pending() == 1
    with session_scope() as session:
        got = service.get_campaign(session, wa.tenant_id, view.id)
        assert got.template_status == "rejected" and "promotional" in (got.template_reason or "")
        with pytest.raises(CampaignStateError, match="refused"):
            service.schedule(session, wa.tenant_id, view.id)


def test_audience_filters_and_exclusions(wa: WhatsAppEnv) -> None:
    vip = add_customers(wa.tenant_id, 3, tags=["vip"])
    add_customers(wa.tenant_id, 2)
    add_customers(wa.tenant_id, 1, tags=["vip"], opted_in=False, opted_out_at=datetime.now(UTC))
    add_customers(wa.tenant_id, 1, tags=["vip"], phone="whatsapp:12")
    with session_scope() as session:
        TenantScope(session, wa.tenant_id).add(
            Order(
                customer_id=vip[0],
                order_number="A1",
                total=Decimal("10"),
                items=[{"sku": "SHOE1", "name": "Trail runner"}],
            )
        )
    with session_scope() as session:
        counted = A.count_audience(session, wa.tenant_id, A.parse_filter({"tags": ["VIP"]}))
        assert counted.count == 3 and counted.exclusions["opted_out"] == 1
        assert counted.exclusions["invalid_number"] == 1
        bought = A.count_audience(session, wa.tenant_id, A.parse_filter({"bought_sku": "shoe1"}))
        assert bought.eligible == [vip[0]]
        after = A.count_audience(session, wa.tenant_id, A.parse_filter({"last_order_after": "2000-01-01"}))
        assert after.eligible == [vip[0]]


def test_uploaded_numbers_report_bad_rows() -> None:
    upload = A.parse_numbers_csv("phone,name\n+44 7700 900123,Ada\n0044770090012,Bob\nnot a number,Cy\n,\n")
    assert upload.numbers == ["+447700900123", "+44770090012"]
    assert upload.bad_rows == [(4, "not a number", "not a number in international form, like +14155550123")]


def test_quiet_hours_in_the_customers_zone() -> None:
    now = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)  # 22:30 in London, 23:30 in Paris
    assert zone_for("whatsapp:+447700900123", "America/New_York") == ZoneInfo("Europe/London")
    until = quiet_until(now, zone_for("whatsapp:+447700900123", "UTC"), "21:00", "09:00")
    assert until == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert quiet_until(now.replace(hour=12), ZoneInfo("Europe/London"), "21:00", "09:00") is None
    # a US number falls back to the shop's zone (the US spans several)
    assert zone_for("whatsapp:+12025550123", "America/Chicago") == ZoneInfo("America/Chicago")


def test_quiet_hours_defer_and_the_frequency_cap_excludes(wa: WhatsAppEnv) -> None:
    ids = add_customers(wa.tenant_id, 3)
    first = approved_campaign(wa)
    with session_scope() as session:
        service.update_settings(session, wa.tenant_id, {"frequency_cap": 1, "frequency_days": 7})
    _start(wa, first)
    assert _run(Dispatcher(owner="w"), first) == "sent"
    second = approved_campaign(wa, name="Second")
    _start(wa, second)
    assert _run(Dispatcher(owner="w"), second) == "sent"
    with session_scope() as session:
        view = service.get_campaign(session, wa.tenant_id, second)
    assert view.exclusions == {"frequency_cap": 3} and len(wa.fake.messages) == 3
    with session_scope() as session:
        service.update_settings(
            session, wa.tenant_id, {"frequency_cap": 0, "quiet_start": "00:00", "quiet_end": "23:59"}
        )
    third = approved_campaign(wa, name="Third")
    _start(wa, third)
    Dispatcher(owner="w").tick(wait=False)
    import time

    time.sleep(0.6)
    with session_scope() as session:
        rows = list(
            session.execute(select(CampaignRecipient).where(CampaignRecipient.campaign_id == third)).scalars()
        )
    assert len(rows) == len(ids) and all(r.status == "pending" and r.not_before for r in rows)
    assert len(wa.fake.messages) == 3


def test_a_tap_is_attributed_routed_and_the_order_follows(wa: WhatsAppEnv) -> None:
    (customer_id,) = add_customers(wa.tenant_id, 1, phone=wa.customer)
    campaign_id = approved_campaign(
        wa,
        buttons=[
            {"title": "See sizes"},
            {"title": "Opening hours", "action": "reply", "reply": "9 to 5 daily"},
        ],
    )
    _start(wa, campaign_id)
    assert _run(Dispatcher(owner="w"), campaign_id) == "sent"
    (sent,) = wa.fake.messages
    with session_scope() as session:
        sid = session.execute(select(CampaignRecipient.provider_sid)).scalar_one()
    assert wa.status(sid, "delivered").status_code == 200
    assert wa.status(sid, "sent").status_code == 200  # late: never moves back, timestamps kept
    wa.inbound(
        "Opening hours",
        ButtonPayload="c_2_opening_hours",
        ButtonText="Opening hours",
        OriginalRepliedMessageSid=sid,
    )
    with session_scope() as session:
        recipient = session.execute(select(CampaignRecipient)).scalar_one()
        assert recipient.status == "clicked" and recipient.clicked_at and recipient.replied_at
        assert recipient.delivered_at and recipient.sent_at
        (action,) = session.execute(select(CampaignAction)).scalars().all()
        assert action.kind == "reply"
    assert run_actions(owner="w") == 1
    assert wa.fake.messages[-1].value("Body") == "9 to 5 daily"
    with session_scope() as session:
        order = TenantScope(session, wa.tenant_id).add(
            Order(
                customer_id=customer_id,
                order_number="B7",
                total=Decimal("89.00"),
                items=[],
                created_at=datetime.now(UTC) + timedelta(hours=1),
            )
        )
        assert (
            tracking.attribute_order(
                session, wa.tenant_id, customer_id, order.id, order.total, order.created_at
            )
            == campaign_id
        )
    from engine.analytics.campaigns import funnel

    with session_scope() as session:
        figures = funnel(session, wa.tenant_id, campaign_id)
    assert (figures.sent, figures.delivered, figures.tapped, figures.replied, figures.ordered) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert figures.revenue == Decimal("89.00")
    assert figures.per_button == [("c_2_opening_hours", "Opening hours", 1)]
