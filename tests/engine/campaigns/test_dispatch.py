"""Dispatch through the fake Twilio server: everyone once, at the pace, across crashes and two workers."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import select, update

from engine.campaigns import service
from engine.campaigns.dispatch import Dispatcher
from engine.db import session_scope
from engine.models import Campaign, CampaignRecipient, utcnow
from tests.engine.campaigns.conftest import add_customers, approved_campaign
from tests.engine.conversations.harness import WhatsAppEnv


def _start(wa: WhatsAppEnv, campaign_id: int) -> None:
    with session_scope() as session:
        service.schedule(session, wa.tenant_id, campaign_id)


def _run(dispatcher: Dispatcher, campaign_id: int, timeout: float = 30) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        dispatcher.tick(wait=True)
        with session_scope() as session:
            status = session.get(Campaign, campaign_id).status
        if status in ("sent", "cancelled", "paused"):
            return status
        time.sleep(0.05)
    raise AssertionError("campaign did not finish")


def _recipients(campaign_id: int) -> list[CampaignRecipient]:
    with session_scope() as session:
        return list(
            session.execute(
                select(CampaignRecipient).where(CampaignRecipient.campaign_id == campaign_id)
            ).scalars()
        )


def test_everyone_opted_in_gets_the_template_once_with_their_own_variables(wa: WhatsAppEnv) -> None:
    add_customers(wa.tenant_id, 5)
    add_customers(wa.tenant_id, 2, opted_in=False)
    campaign_id = approved_campaign(wa)
    _start(wa, campaign_id)
    assert _run(Dispatcher(owner="w1"), campaign_id) == "sent"
    sent = wa.fake.messages
    assert len(sent) == 5 and len({m.value("To") for m in sent}) == 5
    assert all(
        m.value(
            "ContentSid",
        ).startswith("HX")
        for m in sent
    )
    assert sent[0].value("ContentVariables") == '{"1": "Ada"}'
    recipients = _recipients(campaign_id)
    assert all(r.status == "queued" and r.provider_sid for r in recipients)
    with session_scope() as session:
        view = service.get_campaign(session, wa.tenant_id, campaign_id)
    assert view.exclusions == {"never_opted_in": 2} and view.progress == 1.0


def test_throttled_to_the_setting_in_any_one_second_window(wa: WhatsAppEnv) -> None:
    add_customers(wa.tenant_id, 45)
    campaign_id = approved_campaign(wa)
    with session_scope() as session:
        service.update_settings(session, wa.tenant_id, {"messages_per_second": 20})
    _start(wa, campaign_id)
    began = time.monotonic()
    assert _run(Dispatcher(owner="w1"), campaign_id) == "sent"
    assert len(wa.fake.messages) == 45
    assert wa.fake.max_per_window(1.0) <= 20
    assert time.monotonic() - began >= 2.0  # 45 at 20/s needs two full windows


def test_429_slows_down_and_nobody_is_lost(wa: WhatsAppEnv) -> None:
    add_customers(wa.tenant_id, 12)
    campaign_id = approved_campaign(wa)
    wa.fake.fail("messages", status=429, code=20429, times=3)
    _start(wa, campaign_id)
    dispatcher = Dispatcher(owner="w1")
    assert _run(dispatcher, campaign_id) == "sent"
    assert len(wa.fake.messages) == 12
    assert Counter(m.value("To") for m in wa.fake.messages).most_common(1)[0][1] == 1
    (limiter,) = dispatcher._limiters.values()
    assert limiter.rate < limiter.configured  # still recovering from the 429s


def test_a_refused_number_is_recorded_in_words(wa: WhatsAppEnv) -> None:
    add_customers(wa.tenant_id, 2)
    campaign_id = approved_campaign(wa)
    wa.fake.fail("messages", status=400, code=63024, times=1)
    _start(wa, campaign_id)
    assert _run(Dispatcher(owner="w1"), campaign_id) == "sent"
    failed = [r for r in _recipients(campaign_id) if r.status == "failed"]
    assert len(failed) == 1 and failed[0].error_code == "63024"
    assert failed[0].error_message == "this number is not on WhatsApp"


def test_a_worker_killed_mid_batch_is_resumed_without_duplicates_or_skips(wa: WhatsAppEnv) -> None:
    ids = add_customers(wa.tenant_id, 10)
    campaign_id = approved_campaign(wa)
    _start(wa, campaign_id)
    dead = Dispatcher(owner="dead", lease_seconds=0.3)
    dead.tick()  # materializes, then: simulate the crash by hand below
    dead.stopping.set()
    dead.join()
    # the dead worker had claimed three recipients and Twilio accepted two of them before it died
    with session_scope() as session:
        session.execute(
            update(CampaignRecipient)
            .where(CampaignRecipient.campaign_id == campaign_id)
            .values(status="pending", provider_sid=None)
        )
        session.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id)
            .values(status="sending", dispatch_owner="dead", lease_until=utcnow() - timedelta(seconds=1))
        )
        claimed = list(
            session.execute(
                select(CampaignRecipient)
                .where(CampaignRecipient.campaign_id == campaign_id)
                .order_by(CampaignRecipient.id)
                .limit(3)
            ).scalars()
        )
        for r in claimed:
            r.status, r.claimed_by, r.claimed_at = "sending", "dead", utcnow()
            session.add(r)
    wa.fake.requests.clear()
    client = __import__("engine.campaigns.transport", fromlist=["x"]).CampaignTransport
    with session_scope() as session:
        transport = client.for_tenant(session, wa.tenant_id)
        campaign = session.get(Campaign, campaign_id)
    for r in claimed[:2]:
        assert (
            transport.send(campaign.sender_address, r.phone, campaign.content_sid, r.variables).kind == "ok"
        )
    assert _run(Dispatcher(owner="fresh"), campaign_id) == "sent"
    per_number = Counter(m.value("To") for m in wa.fake.messages)
    assert len(per_number) == len(ids) and max(per_number.values()) == 1
    assert all(r.provider_sid for r in _recipients(campaign_id))


def test_two_workers_at_once_send_everyone_once(wa: WhatsAppEnv) -> None:
    add_customers(wa.tenant_id, 40)
    campaign_id = approved_campaign(wa)
    _start(wa, campaign_id)
    first, second = Dispatcher(owner="a"), Dispatcher(owner="b")
    done = threading.Event()

    def spin(d: Dispatcher) -> None:
        while not done.is_set():
            d.tick(wait=True)
            time.sleep(0.01)

    threads = [threading.Thread(target=spin, args=(d,)) for d in (first, second)]
    for t in threads:
        t.start()
    end = time.monotonic() + 30
    while time.monotonic() < end:
        with session_scope() as session:
            if session.get(Campaign, campaign_id).status == "sent":
                break
        time.sleep(0.05)
    done.set()
    for t in threads:
        t.join()
    per_number = Counter(m.value("To") for m in wa.fake.messages)
    assert len(per_number) == 40 and max(per_number.values()) == 1


def test_pause_takes_effect_within_a_second_and_resume_finishes(wa: WhatsAppEnv) -> None:
    add_customers(wa.tenant_id, 30)
    campaign_id = approved_campaign(wa)
    with session_scope() as session:
        service.update_settings(session, wa.tenant_id, {"messages_per_second": 10})
    _start(wa, campaign_id)
    dispatcher = Dispatcher(owner="w1")
    dispatcher.tick()
    time.sleep(0.6)
    with session_scope() as session:
        service.pause(session, wa.tenant_id, campaign_id)
    paused_at = len(wa.fake.messages)
    time.sleep(1.0)
    assert len(wa.fake.messages) - paused_at <= 3  # at most the batch in flight
    assert len(wa.fake.messages) < 30
    dispatcher.join(2)
    statuses = Counter(r.status for r in _recipients(campaign_id))
    assert statuses == {"queued": len(wa.fake.messages), "pending": 30 - len(wa.fake.messages)}
    with session_scope() as session:
        service.resume(session, wa.tenant_id, campaign_id)
    assert _run(dispatcher, campaign_id) == "sent"
    assert len({m.value("To") for m in wa.fake.messages}) == 30 == len(wa.fake.messages)


def test_cancel_stops_it_and_the_rest_are_cancelled(wa: WhatsAppEnv) -> None:
    add_customers(wa.tenant_id, 20)
    campaign_id = approved_campaign(wa)
    with session_scope() as session:
        service.update_settings(session, wa.tenant_id, {"messages_per_second": 5})
    _start(wa, campaign_id)
    dispatcher = Dispatcher(owner="w1")
    dispatcher.tick()
    time.sleep(0.5)
    with session_scope() as session:
        service.cancel(session, wa.tenant_id, campaign_id)
    dispatcher.join(3)
    count = len(wa.fake.messages)
    assert count < 20
    statuses = Counter(r.status for r in _recipients(campaign_id))
    # the ones claimed and waiting for their slot were given back and cancelled too: nobody left hanging
    assert statuses == {"queued": count, "cancelled": 20 - count}


def test_customers_with_a_bare_number_get_it_on_whatsapp(wa: WhatsAppEnv) -> None:
    """Customers from a CSV, the API or the console carry `+44…`; Twilio sends on WhatsApp only to
    `whatsapp:+44…` (else 21211, "not a valid phone number", for every one of them)."""
    add_customers(wa.tenant_id, 1, phone="+447700900555")
    add_customers(wa.tenant_id, 1, phone="whatsapp:+447700900556")
    campaign_id = approved_campaign(wa)
    _start(wa, campaign_id)
    assert _run(Dispatcher(owner="w1"), campaign_id) == "sent"
    assert sorted(m.value("To") for m in wa.fake.messages) == [
        "whatsapp:+447700900555",
        "whatsapp:+447700900556",
    ]
    assert all(m.value("From").startswith("whatsapp:+") for m in wa.fake.messages)
    assert {r.status for r in _recipients(campaign_id)} == {"queued"}
