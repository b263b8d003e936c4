"""The burst queue end to end: signed webhooks in over HTTP, the worker, replies out to the fake Twilio.

Time is a fake clock (no sleeping): the burst window is 5 s, so advancing 20 s closes any burst (cap 15 s).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from decimal import Decimal

import pytest

from engine.agent import interactions
from engine.channels.whatsapp.rich import RichMessage, RichMessageBuilder
from engine.channels.whatsapp.sender import TwilioSender
from engine.conversations import inbox
from engine.conversations.contract import HandoffRequest, TurnReply, UnledgeredCost
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, AuditLog, Conversation, LLMCall, Message, MessageQueue
from tests.engine.conversations.harness import WhatsAppEnv, ordered, wa_fixture  # noqa: F401 - fixture


class Crash(BaseException):
    """Stands in for the process dying: not an Exception, so nothing in the worker catches it."""


class Recorder:
    """A processor that remembers each batch it was given and answers with a fixed reply."""

    def __init__(self, reply: RichMessage | None = None) -> None:
        self.batches: list[list[str]] = []
        self.reply = reply or RichMessageBuilder.text("Here you go!")

    def __call__(self, conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
        self.batches.append([m.body or "" for m in messages])
        return self.reply


def _rows(tenant_id: int, model: type) -> list:
    with session_scope() as s:
        return ordered(TenantScope(s, tenant_id), model)


def _burst(wa: WhatsAppEnv, *texts: str, gap: float = 1.0) -> None:
    for text in texts:
        assert wa.inbound(text).status_code == 200
        wa.clock.advance(gap)


def test_a_burst_of_four_messages_is_one_batch_and_one_reply(wa: WhatsAppEnv) -> None:
    processor = Recorder()
    worker = wa.worker(processor=processor)
    _burst(wa, "hi", "I ordered the trail runner", "last week", "where is it?")
    assert worker.tick().replies == 0  # the window is still open
    assert wa.fake.messages == []
    wa.clock.advance(20)
    report = worker.tick()
    assert report.replies == 1
    assert processor.batches == [["hi", "I ordered the trail runner", "last week", "where is it?"]]
    (sent,) = wa.fake.messages
    assert (sent.value("To"), sent.value("From"), sent.value("Body")) == (
        wa.customer,
        wa.sender,
        "Here you go!",
    )
    assert {r.status for r in _rows(wa.tenant_id, MessageQueue)} == {"processed"}
    reply = [m for m in _rows(wa.tenant_id, Message) if m.direction == "outbound"]
    assert len(reply) == 1 and reply[0].provider_sid == sent_sid(wa) and reply[0].status == "queued"
    (interaction,) = _rows(wa.tenant_id, AgentInteraction)
    assert interaction.message_id == reply[0].id and "where is it?" in interaction.customer_message
    assert wa.worker(processor=processor).tick().replies == 0  # nothing left to answer


def sent_sid(wa: WhatsAppEnv) -> str:
    return next(iter(wa.fake.sent))


def test_the_typing_indicator_shows_while_the_window_is_open_once_per_message(wa: WhatsAppEnv) -> None:
    worker = wa.worker(processor=Recorder())
    _burst(wa, "hi")
    first_sid = _rows(wa.tenant_id, Message)[0].provider_sid
    assert worker.tick().typing == 1
    assert worker.tick().typing == 0  # still on screen: not sent again
    _burst(wa, "do you ship to Spain?")
    assert worker.tick().typing == 1
    second_sid = _rows(wa.tenant_id, Message)[1].provider_sid
    assert [r.value("messageId") for r in wa.fake.typing] == [first_sid, second_sid]


def test_two_workers_racing_send_one_reply(wa: WhatsAppEnv) -> None:
    gate = threading.Event()

    class Slow(Recorder):
        def __call__(self, conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
            gate.wait(0.1)  # keep the first worker inside the batch while the second one tries
            return super().__call__(conversation, messages)

    processor = Slow()
    workers = [wa.worker(processor=processor, worker_id=f"w{i}") for i in range(2)]
    _burst(wa, "hi", "where is my order?")
    wa.clock.advance(20)
    reports = []
    threads = [threading.Thread(target=lambda w=w: reports.append(w.tick())) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    gate.set()
    assert sum(r.replies for r in reports) == 1
    assert len(processor.batches) == 1 and len(wa.fake.messages) == 1


def test_rows_claimed_by_a_live_worker_cannot_be_claimed_by_another(wa: WhatsAppEnv) -> None:
    _burst(wa, "hi", "where is my order?")
    wa.clock.advance(20)
    first, second = wa.worker(worker_id="a"), wa.worker(worker_id="b")
    (conversation,) = _rows(wa.tenant_id, Conversation)
    claim = first._claim(wa.tenant_id, conversation.id, "a:1", due_only=True)
    assert claim is not None and len(claim.row_ids) == 2
    assert second._claim(wa.tenant_id, conversation.id, "b:1", due_only=True) is None
    wa.clock.advance(121)  # the first worker's claim is now stale: it is presumed dead
    retaken = second._claim(wa.tenant_id, conversation.id, "b:2", due_only=True)
    assert retaken is not None and retaken.row_ids == claim.row_ids
    assert first._finish(wa.tenant_id, claim, status="processed") == 0  # fenced: the token no longer holds


def test_a_crash_between_claim_and_reply_is_answered_once_after_restart(wa: WhatsAppEnv) -> None:
    def crash(conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
        raise Crash

    _burst(wa, "hi", "is the trail runner waterproof?")
    wa.clock.advance(20)
    with pytest.raises(Crash):
        wa.worker(processor=crash).tick()
    assert {r.status for r in _rows(wa.tenant_id, MessageQueue)} == {"claimed"}  # not lost
    restarted = Recorder()
    assert wa.worker(processor=restarted).tick().replies == 0  # the claim is not stale yet
    wa.clock.advance(121)
    assert wa.worker(processor=restarted).tick().replies == 1
    assert wa.worker(processor=restarted).tick().replies == 0
    assert restarted.batches == [["hi", "is the trail runner waterproof?"]]
    assert len(wa.fake.messages) == 1
    assert {r.attempts for r in _rows(wa.tenant_id, MessageQueue)} == {2}


def test_a_crash_after_the_reply_was_committed_sends_it_once_after_restart(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise Crash

    _burst(wa, "hi?")
    wa.clock.advance(20)
    with monkeypatch.context() as patch:
        patch.setattr(TwilioSender, "send", crash)
        with pytest.raises(Crash):
            wa.worker(processor=Recorder()).tick()
    (pending,) = [m for m in _rows(wa.tenant_id, Message) if m.direction == "outbound"]
    assert pending.status == "sending" and pending.idempotency_key and wa.fake.messages == []
    restarted = wa.worker(processor=Recorder())
    assert restarted.tick().resent == 0  # might still be in flight
    wa.clock.advance(121)
    assert wa.worker(processor=Recorder()).tick().resent == 1
    assert wa.worker(processor=Recorder()).tick().resent == 0
    assert len(wa.fake.messages) == 1
    (sent,) = [m for m in _rows(wa.tenant_id, Message) if m.direction == "outbound"]
    assert sent.status == "queued" and sent.provider_sid


def test_a_message_during_generation_regenerates_the_reply_and_keeps_the_discarded_cost(
    wa: WhatsAppEnv,
) -> None:
    calls: list[list[str]] = []

    def processor(conversation: Conversation, messages: Sequence[Message]) -> TurnReply:
        calls.append([m.body or "" for m in messages])
        if len(calls) == 1:
            assert wa.inbound("actually, size 43").status_code == 200  # arrives mid-generation
        with session_scope() as s:
            call = TenantScope(s, conversation.tenant_id).add(
                LLMCall(
                    conversation_id=conversation.id,
                    provider="openai",
                    model="gpt-4o-mini",
                    status="ok",
                    cost=Decimal("0.0021"),
                )
            )
        return TurnReply(RichMessageBuilder.text(f"answer {len(calls)}"), llm_call_ids=(int(call.id),))

    _burst(wa, "do you have the trail runner in 42?")
    wa.clock.advance(20)
    report = wa.worker(processor=processor).tick()
    assert report.replies == 1
    assert calls == [
        ["do you have the trail runner in 42?"],
        ["do you have the trail runner in 42?", "actually, size 43"],
    ]
    assert [r.value("Body") for r in wa.fake.messages] == ["answer 2"]
    calls_by_status = {c.status: c for c in _rows(wa.tenant_id, LLMCall)}
    assert calls_by_status["discarded"].cost == Decimal("0.0021")
    assert calls_by_status["discarded"].error.startswith("stale")
    assert calls_by_status["ok"].cost == Decimal("0.0021")
    assert {r.status for r in _rows(wa.tenant_id, MessageQueue)} == {"processed"}


def test_a_discarded_answer_without_call_rows_is_recorded_from_its_unledgered_cost(wa: WhatsAppEnv) -> None:
    calls = []

    def processor(conversation: Conversation, messages: Sequence[Message]) -> TurnReply:
        calls.append(1)
        if len(calls) == 1:
            wa.inbound("one more thing")
        cost = UnledgeredCost("together", "m", Decimal("0.01"), tokens_in=9)
        return TurnReply(RichMessageBuilder.text("ok"), unledgered_cost=cost)

    _burst(wa, "hello there, a question?")
    wa.clock.advance(20)
    wa.worker(processor=processor).tick()
    (discarded,) = _rows(wa.tenant_id, LLMCall)
    assert (discarded.status, discarded.cost, discarded.provider, discarded.tokens_in) == (
        "discarded",
        Decimal("0.01"),
        "together",
        9,
    )


def test_a_discarded_answer_leaves_no_turn_behind_only_the_one_sent(wa: WhatsAppEnv) -> None:
    """The agent records its own interaction; a reply thrown away for a fresher one is no turn."""
    calls: list[int] = []

    def processor(conversation: Conversation, messages: Sequence[Message]) -> TurnReply:
        with session_scope() as s:
            turn = interactions.record(
                TenantScope(s, conversation.tenant_id),
                AgentInteraction(conversation_id=conversation.id, response=f"answer {len(calls) + 1}"),
            )
        calls.append(int(turn.id))
        if len(calls) == 1:
            wa.inbound("and in blue?")
        return TurnReply(RichMessageBuilder.text(f"answer {len(calls)}"), interaction_id=turn.id)

    _burst(wa, "is the trail runner waterproof?")
    wa.clock.advance(20)
    assert wa.worker(processor=processor).tick().replies == 1
    (kept,) = _rows(wa.tenant_id, AgentInteraction)
    (sent,) = [m for m in _rows(wa.tenant_id, Message) if m.direction == "outbound"]
    assert (kept.id, kept.response, kept.message_id) == (calls[1], "answer 2", sent.id)


def test_a_silent_reply_sends_nothing_and_closes_the_burst(wa: WhatsAppEnv) -> None:
    _burst(wa, "hello?")
    wa.clock.advance(20)
    assert wa.worker(processor=lambda c, m: TurnReply(None, responder="silent")).tick().outcomes == [
        "skipped"
    ]
    assert wa.fake.messages == []
    assert {r.status for r in _rows(wa.tenant_id, MessageQueue)} == {"skipped"}


def test_a_take_over_during_generation_drops_the_bot_reply(wa: WhatsAppEnv) -> None:
    def processor(conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
        with session_scope() as s:
            inbox.take_over(s, conversation.tenant_id, conversation.id, user_id=None)  # type: ignore[arg-type]
        return RichMessageBuilder.text("too late")

    _burst(wa, "I want a refund!")
    wa.clock.advance(20)
    assert wa.worker(processor=processor).tick().outcomes == ["skipped"]
    assert wa.fake.messages == []
    assert {r.status for r in _rows(wa.tenant_id, MessageQueue)} == {"skipped"}


def test_pipeline_errors_are_retried_then_handed_to_a_person(wa: WhatsAppEnv) -> None:
    def broken(conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
        raise RuntimeError("model exploded")

    worker = wa.worker(processor=broken, max_attempts=2)
    _burst(wa, "hi?")
    wa.clock.advance(20)
    assert worker.tick().outcomes == ["error"]
    (row,) = _rows(wa.tenant_id, MessageQueue)
    assert row.status == "pending" and row.attempts == 1
    wa.clock.advance(11)
    assert worker.tick().outcomes == ["failed"]
    (row,) = _rows(wa.tenant_id, MessageQueue)
    (conversation,) = _rows(wa.tenant_id, Conversation)
    assert row.status == "failed"
    assert conversation.status == "handoff" and "pipeline error" in conversation.handoff_reason


def test_a_reply_asking_for_a_person_hands_the_conversation_over_after_sending(wa: WhatsAppEnv) -> None:
    reply = TurnReply(
        RichMessageBuilder.text("Let me get a colleague."),
        handoff=HandoffRequest("asked for a refund", "topic"),
    )
    _burst(wa, "I want a refund")
    wa.clock.advance(20)
    wa.worker(processor=lambda c, m: reply).tick()
    (conversation,) = _rows(wa.tenant_id, Conversation)
    assert (conversation.status, conversation.handoff_reason) == ("handoff", "asked for a refund")
    (audit,) = [a for a in _rows(wa.tenant_id, AuditLog) if a.action == "conversation.handoff"]
    assert (audit.actor_label, audit.details) == (
        "agent",
        {"category": "topic", "reason": "asked for a refund"},
    )
    assert len(wa.fake.messages) == 1
    _burst(wa, "hello?")
    assert len(_rows(wa.tenant_id, MessageQueue)) == 1  # a person owns it now: not queued for the bot


def test_a_permanent_twilio_error_is_recorded_on_the_reply(wa: WhatsAppEnv) -> None:
    wa.fake.fail("messages", status=400, code=63024)
    _burst(wa, "hi?")
    wa.clock.advance(20)
    wa.worker(processor=Recorder()).tick()
    (reply,) = [m for m in _rows(wa.tenant_id, Message) if m.direction == "outbound"]
    assert (reply.status, reply.error_code) == ("failed", "63024")
    assert reply.error_message.endswith("Invalid message recipient")


def test_buttons_go_through_the_content_api_and_the_tap_maps_back(wa: WhatsAppEnv) -> None:
    reply = RichMessageBuilder.button_message("Which size?", [("size-42", "42"), ("size-43", "43")])
    _burst(wa, "trail runner please")
    wa.clock.advance(20)
    wa.worker(processor=Recorder(reply)).tick()
    (sent,) = wa.fake.messages
    assert sent.value("ContentSid") in wa.fake.content
    assert wa.inbound("43", ButtonPayload="size-43", ButtonText="43").status_code == 200
    tapped = [m for m in _rows(wa.tenant_id, Message) if m.direction == "inbound"][-1]
    assert tapped.button_payload == "size-43"
    outbound = [m for m in _rows(wa.tenant_id, Message) if m.direction == "outbound"][0]
    assert outbound.content_sid == sent.value("ContentSid") and outbound.rich["content_hash"]


def test_delivery_callbacks_for_the_reply_update_its_ticks(wa: WhatsAppEnv) -> None:
    _burst(wa, "hi?")
    wa.clock.advance(20)
    wa.worker(processor=Recorder()).tick()
    sid = sent_sid(wa)
    (conversation,) = _rows(wa.tenant_id, Conversation)
    for status, ticks in (("sent", 1), ("delivered", 2)):
        assert wa.status(sid, status).status_code == 200
        with session_scope() as s:
            assert inbox.get_transcript(s, wa.tenant_id, conversation.id).messages[-1].ticks == ticks
    assert wa.status(sid, "read").status_code == 200
    assert wa.status(sid, "delivered").status_code == 200
    (conversation,) = _rows(wa.tenant_id, Conversation)
    with session_scope() as s:
        transcript = inbox.get_transcript(s, wa.tenant_id, conversation.id)
    assert [(m.direction, m.ticks) for m in transcript.messages] == [("inbound", 0), ("outbound", 3)]


def test_the_default_offline_seam_answers_politely(wa: WhatsAppEnv) -> None:
    _burst(wa, "what is the meaning of life?")
    wa.clock.advance(20)
    assert wa.worker().tick().replies == 1
    body = wa.fake.messages[0].value("Body")
    assert "Ada" in body and "Thanks for your message" in body
    (interaction,) = _rows(wa.tenant_id, AgentInteraction)
    assert interaction.provider == "offline"


def test_a_tenant_without_twilio_credentials_records_why_nothing_was_sent(wa: WhatsAppEnv) -> None:
    from engine.accounts.secrets import delete_secret

    _burst(wa, "hi?")
    with session_scope() as s:
        delete_secret(s, wa.tenant_id, "twilio_account_sid")
    wa.clock.advance(20)
    wa.worker(processor=Recorder()).tick()
    (reply,) = [m for m in _rows(wa.tenant_id, Message) if m.direction == "outbound"]
    assert (reply.status, reply.error_code) == ("failed", "not_configured")


def test_a_window_pushed_after_the_tick_looked_is_not_claimed(wa: WhatsAppEnv) -> None:
    _burst(wa, "hi there, one question?")
    wa.clock.advance(3)
    worker = wa.worker(processor=Recorder())
    due = worker.due_conversations(wa.clock.now)
    assert len(due) == 1
    _burst(wa, "and", gap=0)  # arrives between the query and the claim: the window moves on
    assert worker.process_conversation(*due[0]) == "nothing"


def test_on_postgresql_rows_locked_by_another_claim_are_skipped_not_waited_for(wa: WhatsAppEnv) -> None:
    from sqlmodel import select

    from engine.db import get_engine

    if get_engine().dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's; SQLite claims under a lock instead")
    _burst(wa, "hi?")
    wa.clock.advance(20)
    (conversation,) = _rows(wa.tenant_id, Conversation)
    with session_scope() as other:  # another worker's claim transaction, still open
        assert len(other.exec(select(MessageQueue).with_for_update()).all()) == 1
        assert wa.worker()._claim(wa.tenant_id, conversation.id, "x:1", due_only=True) is None
    assert wa.worker()._claim(wa.tenant_id, conversation.id, "x:2", due_only=True) is not None
