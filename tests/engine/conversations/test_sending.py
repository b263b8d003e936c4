"""Every reply sent exactly once, and a reply that cannot be sent reaches a person (issue #12, items 1-2).

Through the fake Twilio server and the real twilio client: a create call that times out after Twilio accepted
the message, a worker that dies between Twilio's acceptance and our record of it, and a Twilio that answers
5xx for longer than the retries last. Each test names the failure it pins; each failed on 67be729.
"""

from __future__ import annotations

from typing import Any

import pytest
from twilio.rest.api.v2010.account.message import MessageList

from engine.channels.whatsapp.rich import RichMessageBuilder
from engine.conversations import inbox
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Message
from tests.engine.conversations.harness import WhatsAppEnv, ordered, wa_fixture  # noqa: F401 - fixture


class Crash(BaseException):
    """The process dying: not an Exception, so nothing in the worker catches it."""


def _replies(wa: WhatsAppEnv) -> list[Message]:
    with session_scope() as s:
        rows = ordered(TenantScope(s, wa.tenant_id), Message)
    return [m for m in rows if m.direction == "outbound"]


def _conversation(wa: WhatsAppEnv) -> Conversation:
    with session_scope() as s:
        (conversation,) = ordered(TenantScope(s, wa.tenant_id), Conversation)
        return conversation


def _due_burst(wa: WhatsAppEnv, text: str = "where is my order?") -> None:
    assert wa.inbound(text).status_code == 200
    wa.clock.advance(20)


def _answer(text: str = "It ships today."):
    return lambda conversation, messages: RichMessageBuilder.text(text)


def test_a_create_that_times_out_after_twilio_accepted_it_is_found_not_resent(wa: WhatsAppEnv) -> None:
    """Pins: "a Twilio call that times out after Twilio accepted the message is retried: the customer got the
    same reply four times while the row says failed". Now the retry looks the message up first."""
    wa.twilio_timeout = 0.5
    wa.fake.accept_then_timeout(delay=1.5)
    _due_burst(wa)
    assert wa.worker(processor=_answer()).tick().replies == 1
    assert wa.fake.sent_per_to()[wa.customer] == 1  # one reply on the customer's phone
    (reply,) = _replies(wa)
    assert reply.provider_sid in wa.fake.sent and reply.status == "queued"
    assert reply.rich.get("recovered") is True and reply.idempotency_key
    looked_up = [r for r in wa.fake.requests if r.route == "list"]
    assert looked_up and looked_up[0].value("To") == wa.customer and looked_up[0].value("From") == wa.sender
    assert _conversation(wa).status == "bot"


def test_the_status_callback_names_the_messages_idempotency_key(wa: WhatsAppEnv) -> None:
    _due_burst(wa)
    wa.worker(processor=_answer()).tick()
    (reply,) = _replies(wa)
    (sent,) = wa.fake.messages
    assert sent.value("StatusCallback").endswith(f"/webhooks/twilio/status?k={reply.idempotency_key}")
    assert wa.status(reply.provider_sid, "delivered").status_code == 200  # the signature covers the query


def test_a_worker_killed_after_twilio_accepted_the_reply_does_not_send_it_twice(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pins: "a worker killed during the send re-sends after recovery: two replies". The row is `sending`
    with its key before the call, and recovery finds the message at Twilio instead of sending it again."""
    real_create = MessageList.create

    def accepted_then_killed(self: MessageList, *args: Any, **kwargs: Any) -> Any:
        real_create(self, *args, **kwargs)  # Twilio has it ...
        raise Crash  # ... and the process dies before recording it

    _due_burst(wa)
    with monkeypatch.context() as patch:
        patch.setattr(MessageList, "create", accepted_then_killed)
        with pytest.raises(Crash):
            wa.worker(processor=_answer()).tick()
    assert wa.fake.sent_per_to()[wa.customer] == 1
    wa.clock.advance(121)
    restarted = wa.worker(processor=_answer())
    assert restarted.tick().resent == 1
    assert restarted.tick().resent == 0
    assert wa.fake.sent_per_to()[wa.customer] == 1  # still one: found, not re-sent
    (reply,) = _replies(wa)
    assert reply.provider_sid in wa.fake.sent and reply.status == "queued"


def test_a_worker_killed_before_twilio_had_the_reply_sends_it_once_after_recovery(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(self: MessageList, *args: Any, **kwargs: Any) -> Any:
        raise Crash

    _due_burst(wa)
    with monkeypatch.context() as patch:
        patch.setattr(MessageList, "create", killed)
        with pytest.raises(Crash):
            wa.worker(processor=_answer()).tick()
    wa.clock.advance(121)
    assert wa.worker(processor=_answer()).tick().resent == 1
    assert wa.fake.sent_per_to()[wa.customer] == 1


def test_a_reply_twilio_keeps_refusing_with_5xx_goes_to_a_person_and_can_be_retried(wa: WhatsAppEnv) -> None:
    """Pins: "a reply that failed on Twilio 5xx is marked failed after four attempts and never sent again; the
    conversation stays with the bot, so nobody answers the customer". Now it is retried with back-off, then
    handed to a person with the reason in words, and Retry sends the same row once."""
    wa.fake.fail("messages", status=503, times=50)
    _due_burst(wa)
    wa.worker(processor=_answer()).tick()
    (reply,) = _replies(wa)
    assert reply.status == "failed" and wa.fake.sent_per_to()[wa.customer] == 0
    assert len(wa.fake.message_attempts) >= 5 and len(wa.sleeps) >= 4  # retried, with back-off
    assert "Twilio could not take the message after" in reply.error_message
    conversation = _conversation(wa)
    assert conversation.status == "handoff"
    assert conversation.handoff_reason == "the reply could not be delivered"
    with session_scope() as s:
        assert inbox.needs_human_count(s, wa.tenant_id) == 1
        view = inbox.get_transcript(s, wa.tenant_id, conversation.id).messages[-1]
    assert view.ticks == -1 and view.error_message == reply.error_message

    wa.fake.reset()  # Twilio is back
    wa.fake.add_account(wa.account_sid, wa.auth_token)
    view = inbox.retry_reply(
        wa.tenant_id, conversation.id, reply.id, user_id=None, sender_factory=wa.sender_factory
    )
    assert view.ticks == 0 and view.error_message is None
    (again,) = _replies(wa)
    assert again.id == reply.id and again.status == "queued" and again.provider_sid in wa.fake.sent
    assert wa.fake.sent_per_to()[wa.customer] == 1


def test_retry_send_refuses_a_message_that_was_delivered(wa: WhatsAppEnv) -> None:
    from engine.conversations.outbound import OutboundError, retry_send

    _due_burst(wa)
    wa.worker(processor=_answer()).tick()
    (reply,) = _replies(wa)
    with pytest.raises(OutboundError):
        retry_send(wa.tenant_id, reply.id, sender_factory=wa.sender_factory)


def test_a_retry_after_an_unclear_failure_looks_first_and_sends_nothing_twice(wa: WhatsAppEnv) -> None:
    """The last try timed out after acceptance and the look-up could not run: the row says failed, but a
    person's Retry finds the message at Twilio instead of sending a copy."""
    from engine.conversations.outbound import retry_send

    wa.twilio_timeout = 0.5
    wa.fake.accept_then_timeout(delay=1.2)
    wa.fake.fail("list", status=500, times=50)
    _due_burst(wa)
    wa.worker(processor=_answer()).tick()
    (reply,) = _replies(wa)
    assert reply.status == "failed" and wa.fake.sent_per_to()[wa.customer] == 1
    wa.fake._failures.clear()
    outcome = retry_send(wa.tenant_id, reply.id, sender_factory=wa.sender_factory)
    assert outcome.recovered and wa.fake.sent_per_to()[wa.customer] == 1
    (reply,) = _replies(wa)
    assert reply.status == "queued" and reply.provider_sid in wa.fake.sent


def test_a_429_is_not_looked_up_only_retried(wa: WhatsAppEnv) -> None:
    wa.fake.fail("messages", status=429, code=20429, times=2)
    _due_burst(wa)
    wa.worker(processor=_answer()).tick()
    assert wa.fake.sent_per_to()[wa.customer] == 1
    assert [r for r in wa.fake.requests if r.route == "list"] == []  # a 429 is a refusal: nothing to find
