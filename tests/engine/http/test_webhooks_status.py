"""POST /webhooks/twilio/status: signed, out-of-order safe, on messages and campaign recipients."""

from __future__ import annotations

import pytest

from engine.channels.whatsapp.inbound import StatusCallback
from engine.channels.whatsapp.status import apply_status, moves_forward
from engine.db import TenantScope, session_scope
from engine.models import CampaignRecipient, Conversation, Message
from tests.engine.conversations.harness import WhatsAppEnv, wa_fixture  # noqa: F401 - fixture
from tests.factories import make_row

SID = "SM" + "d" * 32


def _outbound(wa: WhatsAppEnv, sid: str = SID, status: str = "queued") -> int:
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        conversation = make_row(s, wa.tenant_id, Conversation)
        message = scope.add(
            Message(
                conversation_id=conversation.id,
                direction="outbound",
                sender="agent",
                body="Your order shipped",
                provider_sid=sid,
                status=status,
            )
        )
        return message.id


def _status_form(wa: WhatsAppEnv, status: str, sid: str = SID, **extra: str) -> dict[str, str]:
    form = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": wa.account_sid,
        "From": wa.sender,
        "To": wa.customer,
        "MessageStatus": status,
        "ApiVersion": "2010-04-01",
    }
    form.update(extra)
    return form


def _post(wa: WhatsAppEnv, status: str, sid: str = SID, **extra: str) -> int:
    return wa.post("/webhooks/twilio/status", _status_form(wa, status, sid, **extra)).status_code


def _message(wa: WhatsAppEnv, message_id: int) -> Message:
    with session_scope() as s:
        return TenantScope(s, wa.tenant_id).require(Message, message_id)


def test_statuses_move_forward_and_never_back(wa: WhatsAppEnv) -> None:
    message_id = _outbound(wa)
    for status, expected in [
        ("sent", "sent"),
        ("read", "read"),
        ("delivered", "read"),  # arrived late: ignored
        ("sent", "read"),
        ("failed", "read"),  # a read message did arrive
    ]:
        assert _post(wa, status) == 200
        assert _message(wa, message_id).status == expected


def test_a_failure_records_the_error_code_and_whatsapp_reason(wa: WhatsAppEnv) -> None:
    message_id = _outbound(wa, status="sent")
    assert (
        _post(wa, "undelivered", ErrorCode="63024", ChannelStatusMessage="Invalid message recipient") == 200
    )
    message = _message(wa, message_id)
    assert (message.status, message.error_code, message.error_message) == (
        "undelivered",
        "63024",
        "Invalid message recipient",
    )


def test_an_unsigned_or_forged_status_callback_is_refused(wa: WhatsAppEnv) -> None:
    message_id = _outbound(wa)
    form = _status_form(wa, "read")
    assert wa.post("/webhooks/twilio/status", form, sign=False).status_code == 403
    assert wa.post("/webhooks/twilio/status", form, token="forged").status_code == 403
    assert _message(wa, message_id).status == "queued"


def test_a_malformed_status_callback_gets_400(wa: WhatsAppEnv) -> None:
    assert _post(wa, "exploded") == 400
    response = wa.post("/webhooks/twilio/status", {k: v for k, v in _status_form(wa, "").items()})
    assert response.status_code == 400 and "MessageStatus is missing" in response.json()["detail"]


def test_campaign_recipients_get_status_and_timestamps(wa: WhatsAppEnv) -> None:
    with session_scope() as s:
        recipient = make_row(s, wa.tenant_id, CampaignRecipient)
        recipient.provider_sid, recipient.status = SID, "sent"
        s.add(recipient)
        recipient_id = recipient.id
    assert _post(wa, "read") == 200
    assert _post(wa, "delivered") == 200  # late: status stays read
    with session_scope() as s:
        recipient = TenantScope(s, wa.tenant_id).require(CampaignRecipient, recipient_id)
    assert recipient.status == "read"
    assert recipient.read_at is not None and recipient.delivered_at is not None


def test_a_callback_that_beats_the_sid_being_recorded_is_applied_when_it_is(wa: WhatsAppEnv) -> None:
    from engine.channels.whatsapp.sender import SendOutcome
    from engine.conversations.outbound import record_outcome

    sid = "SM" + "e" * 32
    message_id = _outbound(wa, sid="SM" + "f" * 32, status="pending")
    assert _post(wa, "delivered", sid=sid) == 200  # nothing has this SID yet
    record_outcome(wa.tenant_id, message_id, SendOutcome(status="queued", body="x", provider_sid=sid))
    assert _message(wa, message_id).status == "delivered"


def test_a_callback_for_another_tenants_message_changes_nothing(wa: WhatsAppEnv) -> None:
    from tests.engine.conversations.harness import make_tenant

    message_id = _outbound(wa)
    with session_scope() as s:
        _, other_sender, _, other_token = make_tenant(s)
    form = {**_status_form(wa, "read"), "From": other_sender}
    assert wa.post("/webhooks/twilio/status", form, token=other_token).status_code == 200
    assert _message(wa, message_id).status == "queued"


@pytest.mark.parametrize(
    ("current", "new", "forward"),
    [
        ("pending", "queued", True),
        ("queued", "sent", True),
        ("sent", "failed", True),
        ("delivered", "undelivered", False),
        ("read", "delivered", False),
        ("failed", "failed", False),
        (None, "accepted", True),
    ],
)
def test_status_ranks(current: str | None, new: str, forward: bool) -> None:
    assert moves_forward(current, new) is forward


def test_apply_status_reports_what_it_found(wa: WhatsAppEnv) -> None:
    _outbound(wa)
    with session_scope() as s:
        result = apply_status(
            s,
            wa.tenant_id,
            StatusCallback(message_sid=SID, status="sent", from_=None, to=None),
            remember=False,
        )
    assert result.message_found and not result.recipient_found and result.message_status == "sent"
