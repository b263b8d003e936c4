"""The Twilio sender through twilio-python against the fake Twilio server: content, fallbacks, retries."""

from __future__ import annotations

import base64
import json

import pytest

from engine.channels.whatsapp.rich import RichMessageBuilder as B
from engine.channels.whatsapp.sender import SenderNotConfigured, TwilioSender
from engine.db import session_scope
from tests.engine.conversations.harness import WhatsAppEnv, make_tenant, wa_fixture  # noqa: F401 - fixture

CUSTOMER = "whatsapp:+447700900123"


def _sender(wa: WhatsAppEnv, **options: object) -> TwilioSender:
    options.setdefault("sleep", wa.sleeps.append)
    options.setdefault("backoff_base", 0.001)
    with session_scope() as s:
        return TwilioSender.for_tenant(s, wa.tenant_id, **options)  # type: ignore[arg-type]


def test_text_goes_to_the_messages_api_with_basic_auth_and_a_status_callback(wa: WhatsAppEnv) -> None:
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=B.text("Hello Ada"))
    assert outcome.ok and outcome.status == "queued" and outcome.provider_sid.startswith("SM")
    (request,) = wa.fake.messages
    assert request.path == f"/2010-04-01/Accounts/{wa.account_sid}/Messages.json"
    assert request.form == {
        "To": [CUSTOMER],
        "From": [wa.sender],
        "Body": ["Hello Ada"],
        "StatusCallback": ["https://parley.example.com/webhooks/twilio/status"],
    }
    user, _, password = base64.b64decode(request.headers["authorization"][6:]).decode().partition(":")
    assert (user, password) == (wa.account_sid, wa.auth_token)


def test_media_is_sent_directly_with_its_caption(wa: WhatsAppEnv) -> None:
    message = B.media("https://cdn.example/shoe.jpg", "image/jpeg", caption="The Trail Runner")
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=message)
    assert outcome.ok and outcome.provider_sid.startswith("MM")
    (request,) = wa.fake.messages
    assert request.value("MediaUrl") == "https://cdn.example/shoe.jpg"
    assert request.value("Body") == "The Trail Runner"
    assert wa.fake.contents == []


def test_interactive_content_is_created_once_per_payload_and_tenant(wa: WhatsAppEnv) -> None:
    buttons = B.button_message("Which size?", [("s42", "42"), ("s43", "43")])
    sender = _sender(wa)
    first = sender.send(from_=wa.sender, to=CUSTOMER, message=buttons)
    second = sender.send(from_=wa.sender, to="whatsapp:+447700900999", message=buttons.with_meta(turn=2))
    assert first.ok and second.ok and first.content_sid == second.content_sid
    (content,) = wa.fake.contents
    assert content.json["types"]["twilio/quick-reply"] == {
        "body": "Which size?",
        "actions": [
            {"type": "QUICK_REPLY", "title": "42", "id": "s42"},
            {"type": "QUICK_REPLY", "title": "43", "id": "s43"},
        ],
    }
    assert content.json["language"] == "en"
    assert [r.value("ContentSid") for r in wa.fake.messages] == [first.content_sid] * 2
    assert all(r.value("Body") is None for r in wa.fake.messages)
    # another payload → another content; another tenant → its own content
    sender.send(from_=wa.sender, to=CUSTOMER, message=B.list_message("Pick", "Shoes", [("a", "A", "first")]))
    assert len(wa.fake.contents) == 2
    with session_scope() as s:
        other_id, other_sender, other_sid, other_token = make_tenant(s)
    wa.fake.add_account(other_sid, other_token)
    with session_scope() as s:
        other = TwilioSender.for_tenant(s, other_id)
    assert other.send(from_=other_sender, to=CUSTOMER, message=buttons).content_sid != first.content_sid
    assert len(wa.fake.contents) == 3


def _stored_contents(tenant_id: int) -> list[tuple[str, str, str]]:
    from engine.db import TenantScope
    from engine.models import WhatsAppContent

    with session_scope() as s:
        rows = TenantScope(s, tenant_id).all(WhatsAppContent)
        return sorted((r.content_hash, r.content_sid, r.kind) for r in rows)


def test_created_content_is_stored_in_the_whatsapp_content_table(wa: WhatsAppEnv) -> None:
    card = B.card("Trail Runner", subtitle="$89", buttons=[("buy", "Buy")])
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=card)
    assert _stored_contents(wa.tenant_id) == [(card.content_hash(), outcome.content_sid, "card")]
    assert outcome.content_hash == card.content_hash()


def test_the_content_sid_survives_a_cache_flush_through_the_table(wa: WhatsAppEnv) -> None:
    from engine.cache import get_cache, reset_cache
    from engine.channels.whatsapp.sender import content_cache_key

    card = B.card("Trail Runner", subtitle="$89", buttons=[("buy", "Buy")])
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=card)
    reset_cache()  # a restart, or Redis flushed
    again = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=card)
    assert again.content_sid == outcome.content_sid and len(wa.fake.contents) == 1
    # ... and the table's answer is cached again for the next send
    assert get_cache().get(content_cache_key(wa.tenant_id, card.content_hash())) == outcome.content_sid


def test_the_cache_is_the_fast_path_before_the_table(wa: WhatsAppEnv, monkeypatch) -> None:
    from engine.channels.whatsapp import sender as sender_module

    buttons = B.button_message("Which size?", [("s42", "42"), ("s43", "43")])
    sender = _sender(wa)
    sender.send(from_=wa.sender, to=CUSTOMER, message=buttons)
    lookups: list[str] = []
    real = sender_module.stored_content_sid
    monkeypatch.setattr(sender_module, "stored_content_sid", lambda t, d: lookups.append(d) or real(t, d))
    for _ in range(3):
        assert sender.send(from_=wa.sender, to=CUSTOMER, message=buttons).ok
    assert lookups == [] and len(wa.fake.contents) == 1


def test_content_stored_by_another_process_is_used_without_creating_it(wa: WhatsAppEnv) -> None:
    from engine.channels.whatsapp.sender import remember_content

    message = B.list_message("Pick a shoe", "Shoes", [("a", "Road"), ("b", "Trail")])
    status, created = wa.fake.create_content(wa.account_sid, {"types": message.content_types()})
    assert status == 201
    sid = created["sid"]
    assert remember_content(wa.tenant_id, message.content_hash(), sid, "list") == sid
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=message)
    assert outcome.content_sid == sid and outcome.fallback is None
    assert wa.fake.contents == []  # no Content API request from this process
    assert wa.fake.messages[0].value("ContentSid") == sid


def test_a_second_creation_of_the_same_payload_keeps_the_first_sid(wa: WhatsAppEnv) -> None:
    """Two processes without a shared lock both created content: the unique key keeps the first."""
    from engine.channels.whatsapp.sender import remember_content, stored_content_sid

    digest = B.button_message("Size?", [("s42", "42")]).content_hash()
    assert remember_content(wa.tenant_id, digest, "HX" + "1" * 32, "buttons") == "HX" + "1" * 32
    assert remember_content(wa.tenant_id, digest, "HX" + "2" * 32, "buttons") == "HX" + "1" * 32
    assert stored_content_sid(wa.tenant_id, digest) == "HX" + "1" * 32
    with session_scope() as s:
        other_id = make_tenant(s)[0]
    assert stored_content_sid(other_id, digest) is None  # per tenant
    assert remember_content(other_id, digest, "HX" + "3" * 32, "buttons") == "HX" + "3" * 32


def test_outside_the_24_hour_window_the_options_go_as_numbered_text(wa: WhatsAppEnv) -> None:
    message = B.button_message("Still interested?", [("yes", "Yes"), ("no", "No thanks")])
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=message, in_session=False)
    assert outcome.fallback == "outside the 24-hour window"
    assert wa.fake.contents == []
    assert wa.fake.messages[0].value("Body") == (
        "Still interested?\n\n1. Yes\n2. No thanks\n\nReply with the number of your choice."
    )
    assert outcome.body == wa.fake.messages[0].value("Body")


def test_when_content_creation_fails_the_options_go_as_numbered_text(wa: WhatsAppEnv) -> None:
    wa.fake.fail("content", status=400, code=20001, message="Invalid content")
    message = B.list_message("Pick a shoe", "Shoes", [("a", "Road"), ("b", "Trail")])
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=message)
    assert outcome.ok and outcome.fallback.startswith("content creation failed (20001")
    assert "1. Road\n2. Trail" in wa.fake.messages[0].value("Body")


def test_a_refused_content_sid_falls_back_and_is_forgotten(wa: WhatsAppEnv) -> None:
    message = B.button_message("Size?", [("s42", "42")])
    sender = _sender(wa)
    first = sender.send(from_=wa.sender, to=CUSTOMER, message=message)
    wa.fake.fail("messages", status=400, code=63027)
    outcome = sender.send(from_=wa.sender, to=CUSTOMER, message=message)
    assert outcome.ok and outcome.fallback.startswith("content refused (63027")
    assert wa.fake.messages[-1].value("Body").startswith("Size?\n\n1. 42")
    assert _stored_contents(wa.tenant_id) == []  # forgotten in the table too, not only in the cache
    third = sender.send(from_=wa.sender, to=CUSTOMER, message=message)
    assert len(wa.fake.contents) == 2  # created again after the refusal
    assert third.content_sid != first.content_sid
    assert _stored_contents(wa.tenant_id) == [(message.content_hash(), third.content_sid, "buttons")]


def test_429_and_5xx_are_retried_with_backoff(wa: WhatsAppEnv) -> None:
    wa.fake.fail("messages", status=429, code=20429)
    wa.fake.fail("messages", status=503)
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=B.text("hi"))
    assert outcome.ok and outcome.attempts == 3
    assert len(wa.fake.message_attempts) == 3 and len(wa.fake.messages) == 1
    assert len(wa.sleeps) == 2 and wa.sleeps[1] > wa.sleeps[0] * 0.9


def test_retries_give_up_and_the_error_comes_back_as_the_outcome(wa: WhatsAppEnv) -> None:
    wa.fake.fail("messages", status=500, times=10)
    outcome = _sender(wa, max_attempts=3).send(from_=wa.sender, to=CUSTOMER, message=B.text("hi"))
    assert not outcome.ok and outcome.attempts == 3 and len(wa.fake.message_attempts) == 3


@pytest.mark.parametrize("code", [63016, 63024, 21211])
def test_permanent_errors_are_not_retried(wa: WhatsAppEnv, code: int) -> None:
    wa.fake.fail("messages", status=400, code=code)
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=B.text("hi"))
    assert (outcome.status, outcome.error_code, outcome.attempts) == ("failed", str(code), 1)
    assert outcome.error_message and wa.sleeps == []


def test_the_typing_indicator_uses_messaging_v2(wa: WhatsAppEnv) -> None:
    sender = _sender(wa)
    assert sender.typing("SM" + "9" * 32)
    (request,) = wa.fake.typing
    assert request.path == "/v2/Indicators/Typing.json"
    assert request.form == {"channel": ["whatsapp"], "messageId": ["SM" + "9" * 32]}
    wa.fake.fail("typing", status=500)
    assert sender.typing("SM" + "9" * 32) is False  # best effort, never raises


def test_sends_are_throttled_per_sender(wa: WhatsAppEnv) -> None:
    now = [1000.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    sender = _sender(wa, rate_per_second=2, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        assert sender.send(from_=wa.sender, to=CUSTOMER, message=B.text("hi")).ok
    assert len(sleeps) == 2  # 2 in second 1000, 2 in 1001, 1 in 1002
    assert int(now[0]) == 1002


def test_a_tenant_without_credentials_cannot_send(wa: WhatsAppEnv) -> None:
    from tests.factories import new_tenant

    with session_scope() as s:
        tenant_id = new_tenant(s)
        with pytest.raises(SenderNotConfigured):
            TwilioSender.for_tenant(s, tenant_id)


def test_the_fake_answers_unknown_accounts_like_twilio(wa: WhatsAppEnv) -> None:
    from engine.accounts.secrets import set_secret

    with session_scope() as s:
        set_secret(s, wa.tenant_id, "twilio_auth_token", "wrong")
    outcome = _sender(wa).send(from_=wa.sender, to=CUSTOMER, message=B.text("hi"))
    assert (outcome.status, outcome.error_code) == ("failed", "20003")
    assert json.loads(json.dumps(wa.fake.message_attempts[0].form))["Body"] == ["hi"]
