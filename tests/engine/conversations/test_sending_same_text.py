"""Two replies with the same text to one customer, both unsettled: each keeps its own message at Twilio.

Pins the duplicate of the PostgreSQL + Redis load run (issue #12): every model reply there had the same text,
and a look-up accepted any message with that body created up to two minutes before the send began. A reply
whose create failed unclearly took an earlier reply's message (itself still unrecorded: its worker had been
killed mid-send) for its own, and recovery of the earlier reply then found nothing and sent it again. Now the
window starts at the send (less a few seconds of clock skew), the status callback's key names the message
outright, and same-text candidates inside the skew are paired in order after a bounded wait for a callback.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from twilio.rest.api.v2010.account.message import MessageList

from engine.channels.whatsapp.rich import RichMessageBuilder
from engine.channels.whatsapp.sender import SendOutcome
from engine.conversations.outbound import create_outbound, deliver, record_outcome, resend_stale_pending
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Message
from tests.engine.conversations.harness import PUBLIC_BASE, WhatsAppEnv, ordered, wa_fixture  # noqa: F401 - fixture
from tests.engine.conversations.test_sending import Crash, _answer, _due_burst

TEXT = "Happy to help: the trail runner is in stock in sizes 38 to 46."


def _new_reply(wa: WhatsAppEnv) -> int:
    with session_scope() as s:
        (conversation,) = ordered(TenantScope(s, wa.tenant_id), Conversation)
        row = create_outbound(s, wa.tenant_id, conversation.id, RichMessageBuilder.text(TEXT), now=wa.clock())
        return int(row.id)


def _row(wa: WhatsAppEnv, message_id: int) -> Message:
    with session_scope() as s:
        return TenantScope(s, wa.tenant_id).require(Message, message_id)


def _accepted_then_killed(wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch, message_id: int) -> str:
    """The first reply's create: Twilio accepts it, and the worker dies before hearing back."""
    real_create = MessageList.create

    def accepted_then_killed(self: MessageList, *args: Any, **kwargs: Any) -> Any:
        real_create(self, *args, **kwargs)
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(MessageList, "create", accepted_then_killed)
        with pytest.raises(Crash):
            deliver(wa.tenant_id, message_id, sender_factory=wa.sender_factory, clock=wa.clock)
    (sid,) = wa.fake.sent
    return sid


def wa_stale() -> timedelta:
    return timedelta(seconds=15)


@pytest.mark.parametrize("gap", [30.0, 2.0], ids=["later-reply", "inside-the-clock-skew"])
def test_a_second_same_text_reply_never_takes_the_first_ones_message(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch, gap: float
) -> None:
    _due_burst(wa)
    first = _new_reply(wa)
    first_sid = _accepted_then_killed(wa, monkeypatch, first)
    assert _row(wa, first).status == "sending" and _row(wa, first).provider_sid is None

    wa.clock.advance(gap)
    second = _new_reply(wa)
    wa.fake.fail("messages", status=503, times=1)  # its create ends unclearly, and Twilio does not have it
    outcome = deliver(wa.tenant_id, second, sender_factory=wa.sender_factory, clock=wa.clock)
    assert outcome.ok
    if gap > 5:  # outside the window: never the first reply's message (before: two minutes' window took it)
        assert _row(wa, second).provider_sid != first_sid

    wa.clock.advance(30)  # the killed sender's lease and the row's freshness run out: recovery
    resend_stale_pending(stale_after=wa_stale(), sender_factory=wa.sender_factory, clock=wa.clock)
    if gap > 5:
        assert _row(wa, first).provider_sid == first_sid  # found, not sent again
        assert _row(wa, first).rich.get("recovered") is True
    # Inside the skew, with no callback to tell them apart, the second reply takes the unowned same-text
    # message and the first sends one: the same text either way, and one message per reply.
    held = {_row(wa, first).provider_sid, _row(wa, second).provider_sid}
    assert held == set(wa.fake.sent)  # every message at Twilio is one reply's, and each reply has one
    assert wa.fake.sent_per_to()[wa.customer] == 2


def test_the_status_callback_settles_an_unclear_send_by_its_key(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twilio posts "queued" for the accepted message with `?k=` in the URL: the row gets its SID at once, so
    neither recovery nor a later same-text reply has to guess from the body."""
    _due_burst(wa)
    first = _new_reply(wa)
    first_sid = _accepted_then_killed(wa, monkeypatch, first)
    url = wa.fake.callback_urls[first_sid]
    assert url.endswith(f"?k={_row(wa, first).idempotency_key}")
    callback = wa.fake.status_callback(first_sid, "queued")
    assert wa.post(url.removeprefix(PUBLIC_BASE), callback, signed_url=url).status_code == 200
    row = _row(wa, first)
    assert row.provider_sid == first_sid and row.status == "queued"

    wa.clock.advance(2)
    second = _new_reply(wa)
    wa.fake.fail("messages", status=503, times=1)
    deliver(wa.tenant_id, second, sender_factory=wa.sender_factory, clock=wa.clock)
    wa.clock.advance(30)
    assert resend_stale_pending(stale_after=wa_stale(), sender_factory=wa.sender_factory, clock=wa.clock) == 0
    assert {_row(wa, first).provider_sid, _row(wa, second).provider_sid} == set(wa.fake.sent)
    assert wa.fake.sent_per_to()[wa.customer] == 2
    # the second reply looked once and took nothing: the first one's SID is ours, recorded by its callback
    assert len([r for r in wa.fake.requests if r.route == "list"]) == 1


def test_a_worker_reply_recovered_through_the_callback_is_not_looked_up(wa: WhatsAppEnv) -> None:
    """An accept-then-timeout while callbacks flow: the sender finds its SID recorded by the callback."""
    wa.fake.post_status_callbacks(
        lambda url, form, signature: wa.client.post(
            url.removeprefix(PUBLIC_BASE),
            data=form,
            headers={"X-Twilio-Signature": signature},
        ),
        statuses=("queued",),
        delay=0.0,
    )
    wa.twilio_timeout = 0.5
    wa.fake.accept_then_timeout(delay=1.5)
    _due_burst(wa)
    assert wa.worker(processor=_answer()).tick().replies == 1
    with session_scope() as s:
        (reply,) = [m for m in ordered(TenantScope(s, wa.tenant_id), Message) if m.direction == "outbound"]
    assert reply.provider_sid in wa.fake.sent and wa.fake.sent_per_to()[wa.customer] == 1


def test_an_earlier_replys_message_before_the_window_does_not_make_a_reply_send_twice(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load run's duplicate: a reply's create was accepted and its outcome never recorded (its worker's
    PostgreSQL connection was terminated), and the customer's next reply, with the same text, ended unclearly
    (accepted, then a 5xx). The look-up counted the earlier unsettled reply as owning one of the candidates —
    but that reply's message was created before this send's window, so the only candidate was this reply's
    own: positional pairing found "nothing" and sent it again, and the earlier reply's recovery took its own
    message, leaving the first copy of the second reply held by no row."""
    _due_burst(wa)
    first = _new_reply(wa)
    first_sid = _accepted_then_killed(wa, monkeypatch, first)

    wa.clock.advance(10)  # past the clock skew: the first message is outside the second reply's window
    second = _new_reply(wa)
    wa.fake.fail("messages", status=503, accept=True)  # Twilio has it; the answer says otherwise
    outcome = deliver(wa.tenant_id, second, sender_factory=wa.sender_factory, clock=wa.clock)
    assert outcome.ok and outcome.recovered
    assert wa.fake.sent_per_to()[wa.customer] == 2  # before: 3, the second reply sent twice

    wa.clock.advance(30)
    resend_stale_pending(stale_after=wa_stale(), sender_factory=wa.sender_factory, clock=wa.clock)
    assert _row(wa, first).provider_sid == first_sid
    assert {_row(wa, first).provider_sid, _row(wa, second).provider_sid} == set(wa.fake.sent)


def test_a_sid_another_reply_recorded_first_leaves_this_reply_to_recovery(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writers of one SID (a callback by key, a concurrent look-up): the unique key refuses the second,
    which is left `sending` for recovery — not an error that leaves the row half-written."""
    _due_burst(wa)
    first = _new_reply(wa)
    first_sid = _accepted_then_killed(wa, monkeypatch, first)
    assert record_outcome(
        wa.tenant_id, first, SendOutcome(status="queued", body=TEXT, provider_sid=first_sid)
    )
    second = _new_reply(wa)
    taken = SendOutcome(status="queued", body=TEXT, provider_sid=first_sid, recovered=True)
    assert record_outcome(wa.tenant_id, second, taken) is False
    assert _row(wa, second).provider_sid is None and _row(wa, second).status == "pending"
    wa.clock.advance(30)
    resend_stale_pending(stale_after=wa_stale(), sender_factory=wa.sender_factory, clock=wa.clock)
    assert {_row(wa, first).provider_sid, _row(wa, second).provider_sid} == set(wa.fake.sent)
    assert wa.fake.sent_per_to()[wa.customer] == 2
