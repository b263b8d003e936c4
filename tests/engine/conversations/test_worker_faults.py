"""A dead worker's conversation is taken over in seconds, and one tenant's hanging model never delays another
tenant's reply (issue #12, items 3-4). Each test names the failure it pins; each failed on 67be729."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlmodel import select

from engine.accounts.secrets import set_secret
from engine.channels.whatsapp.rich import RichMessage, RichMessageBuilder
from engine.conversations import queue
from engine.conversations.queue import WorkerSettings
from engine.db import session_scope
from engine.models import AgentConfiguration, Conversation, Message, MessageQueue
from tests.engine.conversations.harness import WhatsAppEnv, make_tenant, wa_fixture  # noqa: F401 - fixture
from tests.fakes.openai_server import FakeOpenAIServer, slow


def _claimed(tenant_id: int) -> bool:
    with session_scope() as s:
        rows = s.exec(select(MessageQueue).where(MessageQueue.tenant_id == tenant_id)).all()
        return bool(rows) and all(r.status == "claimed" for r in rows)


def _wait(condition, seconds: float) -> bool:
    give_up = time.monotonic() + seconds
    while time.monotonic() < give_up:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_the_default_lock_and_claim_are_seconds_and_agree() -> None:
    settings = WorkerSettings()
    assert settings.lock_ttl <= 15 and settings.stale_after <= timedelta(seconds=settings.lock_ttl)


def test_a_worker_that_died_waiting_on_the_model_frees_its_conversation_in_seconds(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pins: "a worker killed while it waits on the model leaves the conversation locked for five minutes
    (the Redis lock lives 300 s, a claim is stale after 2 minutes); a second live worker waits too". The dead
    worker's heartbeat stops with it: its lease runs out, its claim goes stale, another worker answers."""
    hang = threading.Event()

    def stuck(conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
        hang.wait(30)  # the dead worker's thread: never returns while the test looks
        return RichMessageBuilder.text("from the dead")

    # The kill: no heartbeat renews the dead worker's lease or refreshes its claim.
    monkeypatch.setattr(
        queue, "keep_alive", lambda lease, on_renew=None: contextlib.nullcontext(lease), raising=False
    )
    assert wa.inbound("is the trail runner waterproof?").status_code == 200
    wa.clock.advance(20)
    dead = wa.worker(processor=stuck, worker_id="dead", lock_ttl=1.0, typing=False)
    thread = threading.Thread(target=dead.tick, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: _claimed(wa.tenant_id), 5)
        live = wa.worker(processor=lambda c, m: RichMessageBuilder.text("Yes, it is."), worker_id="live")
        assert live.tick().replies == 0  # the claim and the lease are still alive
        time.sleep(1.3)  # the dead worker's lease runs out (1 s here, 15 s by default) ...
        wa.clock.advance(16)  # ... and its claim, never refreshed, is stale (15 s by default)
        assert live.tick().replies == 1
        assert [r.value("Body") for r in wa.fake.messages] == ["Yes, it is."]
    finally:
        hang.set()
        thread.join(10)
    assert [r.value("Body") for r in wa.fake.messages] == ["Yes, it is."]  # the dead one's answer is fenced


def test_a_live_workers_heartbeat_keeps_its_claim_fresh(wa: WhatsAppEnv) -> None:
    gate = threading.Event()

    def slow_answer(conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
        gate.wait(10)
        return RichMessageBuilder.text("done")

    assert wa.inbound("hello, a question?").status_code == 200
    wa.clock.advance(20)
    worker = wa.worker(processor=slow_answer, lock_ttl=0.6, typing=False)
    thread = threading.Thread(target=worker.tick, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: _claimed(wa.tenant_id), 5)
        wa.clock.advance(30)  # long past stale_after: only the heartbeat can keep the claim fresh
        assert _wait(lambda: _fresh_claim(wa), 3)
        other = wa.worker(processor=lambda c, m: RichMessageBuilder.text("dup"), worker_id="other")
        time.sleep(0.8)  # past the lease's own ttl: renewed, not expired
        assert other.tick().replies == 0  # the claim is fresh: nothing is due
        (conversation_id,) = {r.conversation_id for r in _queue_rows(wa.tenant_id)}
        assert other.process_conversation(wa.tenant_id, conversation_id) == "busy"  # the lease is alive
    finally:
        gate.set()
        thread.join(10)
    assert [r.value("Body") for r in wa.fake.messages] == ["done"]


def _queue_rows(tenant_id: int) -> list[MessageQueue]:
    with session_scope() as s:
        return list(s.exec(select(MessageQueue).where(MessageQueue.tenant_id == tenant_id)).all())


def _fresh_claim(wa: WhatsAppEnv) -> bool:
    with session_scope() as s:
        (row,) = s.exec(select(MessageQueue).where(MessageQueue.tenant_id == wa.tenant_id)).all()
        return row.claimed_at is not None and row.claimed_at >= wa.clock.now - timedelta(seconds=1)


def test_one_tenants_hanging_model_does_not_delay_another_tenants_reply(wa: WhatsAppEnv) -> None:
    """Pins: "one tenant's hanging model delayed another tenant's offline reply by 45 s: the worker answers
    conversations one after another". The hanging tenant's model (the fake OpenAI server, never answering
    in time) holds one slot of the worker's pool, bounded by its own timeout; the other tenant's offline
    reply goes out at once."""
    with FakeOpenAIServer(default=slow(60, "too late")) as hanging_model:
        with session_scope() as s:
            config = s.exec(
                select(AgentConfiguration).where(AgentConfiguration.tenant_id == wa.tenant_id)
            ).one()
            config.llm_provider, config.llm_base_url = "openai", hanging_model.openai_base_url
            config.default_model, config.fallback_models = "gpt-4o-mini", []
            if hasattr(config, "llm_timeout_seconds"):
                config.llm_timeout_seconds = 1.0
            s.add(config)
            set_secret(s, wa.tenant_id, "openai_api_key", "sk-hanging-tenant")
            other_id, other_sender, other_sid, other_token = make_tenant(s)
        wa.fake.add_account(other_sid, other_token)
        assert wa.inbound("do you have the trail runner in 42?").status_code == 200  # due first
        wa.clock.advance(1)
        other_customer = "whatsapp:+447700900777"
        response = wa.inbound("when do you open?", To=other_sender, From=other_customer, token=other_token)
        assert response.status_code == 200
        wa.clock.advance(20)
        worker = wa.worker(typing=False)  # the real agent: OpenAI for one tenant, offline for the other
        thread = threading.Thread(target=worker.tick, daemon=True)
        started = time.monotonic()
        thread.start()
        answered = _wait(lambda: wa.fake.sent_per_to()[other_customer] == 1, 3.0)
        waited = time.monotonic() - started
        assert answered, "the healthy tenant waited on the hanging tenant's model"
        assert waited < 3.0 and wa.fake.sent_per_to()[wa.customer] == 0  # the hanging one is still waiting
        thread.join(20)
        assert not thread.is_alive()
        # The hanging tenant is answered too, once its own timeouts ran out (offline fallback).
        assert wa.fake.sent_per_to()[wa.customer] == 1
