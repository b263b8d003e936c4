"""Webhook rate limits (issue #14, item 4): per customer number and per tenant, the excess queued and answered
later, never dropped. Pins "no rate limit on the webhook path" (failed before: every message of a flood was
due within the burst window). Runs on memory, and on Redis when TEST_REDIS_URL is set (the conftest points
REDIS_URL at it, so the counters are Redis's).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from engine.conversations import ingest
from engine.db import session_scope
from engine.models import Message, MessageQueue
from engine.models.base import as_utc
from engine.security import rate_limits
from tests.engine.conversations.harness import WhatsAppEnv, wa_fixture  # noqa: F401 - the fixture


def _queue(tenant_id: int) -> list[MessageQueue]:
    with session_scope() as s:
        rows = s.exec(
            select(MessageQueue).where(MessageQueue.tenant_id == tenant_id).order_by(MessageQueue.id)
        ).all()
        return list(rows)


def _stored(tenant_id: int) -> int:
    with session_scope() as s:
        return len(s.exec(select(Message.id).where(Message.tenant_id == tenant_id)).all())


def test_a_flooding_number_is_queued_for_later_never_dropped(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch, redis_url: str | None
) -> None:
    monkeypatch.setattr(ingest, "CUSTOMER_RATE", "5/minute")
    if redis_url:
        assert "Redis" in type(rate_limits.storage()).__name__
    for n in range(8):
        assert wa.inbound(f"message number {n} of a flood?").status_code == 200
    assert _stored(wa.tenant_id) == 8  # every message stored ...
    rows = _queue(wa.tenant_id)
    assert len(rows) == 8 and {r.status for r in rows} == {"pending"}  # ... and queued
    due = {as_utc(r.due_at) for r in rows}
    assert len(due) == 1  # one burst, one due time
    # The sixth message was over the limit: the burst waits for the window to move (about a minute).
    assert min(due) >= wa.clock.now + timedelta(seconds=50)


def test_under_the_limit_nothing_waits_longer(wa: WhatsAppEnv) -> None:
    for n in range(3):
        assert wa.inbound(f"question {n}?").status_code == 200
    (due,) = {as_utc(r.due_at) for r in _queue(wa.tenant_id)}
    assert due <= wa.clock.now + timedelta(seconds=15)  # the burst window's own cap


def test_the_tenant_limit_holds_across_numbers(wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "TENANT_RATE", "4/minute")
    for n in range(6):
        response = wa.inbound("is the shop open today?", From=f"whatsapp:+4477009002{n:02d}")
        assert response.status_code == 200
    rows = _queue(wa.tenant_id)
    assert len(rows) == 6 and _stored(wa.tenant_id) == 6
    late = [r for r in rows if as_utc(r.due_at) >= wa.clock.now + timedelta(seconds=50)]
    assert len(late) == 2  # the fifth and sixth customers wait; the first four are answered at once


def test_the_excess_is_answered_once_the_limit_allows(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.channels.whatsapp.rich import RichMessageBuilder

    monkeypatch.setattr(ingest, "CUSTOMER_RATE", "2/minute")
    for n in range(4):
        assert wa.inbound(f"part {n} of my question?").status_code == 200
    worker = wa.worker(processor=lambda c, m: RichMessageBuilder.text(f"answered {len(m)}"), typing=False)
    wa.clock.advance(20)
    assert worker.tick().replies == 0  # held back
    wa.clock.advance(60)
    assert worker.tick().replies == 1
    assert [r.value("Body") for r in wa.fake.messages] == ["answered 4"]  # all four, in one reply


def test_a_broken_limit_store_never_loses_a_message(wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(rate_limits, "hit", broken)
    assert wa.inbound("still there?").status_code == 200
    assert _stored(wa.tenant_id) == 1 and len(_queue(wa.tenant_id)) == 1
