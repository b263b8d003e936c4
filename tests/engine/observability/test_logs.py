"""JSON logs (engine/observability/logs.py): one event per webhook, agent turn, step, LLM call, handoff
decision and job run, with the tenant, conversation and request ids; never a message body or a secret."""

from __future__ import annotations

import base64
import json
import logging

import pytest

from engine.config import reset_settings_cache
from engine.observability import instrument, logs
from tests.engine.conversations.harness import WhatsAppEnv
from tests.engine.http.api_env import ApiEnv
from tests.engine.observability.conftest import CapturedLogs

BODY = "My card number is 4111 1111 1111 1111, can you refund order 77?"


def _answer_one_message(app_wa: WhatsAppEnv) -> None:
    assert app_wa.inbound(BODY).status_code == 200
    app_wa.clock.advance(20)
    assert app_wa.worker().tick().replies == 1


def test_a_webhook_and_its_reply_write_one_json_event_each_with_their_ids(
    app_wa: WhatsAppEnv, json_logs: CapturedLogs
) -> None:
    _answer_one_message(app_wa)

    (webhook,) = [e for e in json_logs.events("webhook") if e["route"] == "/webhooks/twilio/whatsapp"]
    assert webhook["status"] == 200 and webhook["method"] == "POST"
    assert len(webhook["request_id"]) == 32 and webhook["level"] == "info" and webhook["timestamp"]
    (stored,) = json_logs.events("webhook.inbound")  # the tenant, known once the signature is checked
    assert stored["request_id"] == webhook["request_id"] and stored["tenant_id"] == app_wa.tenant_id
    assert stored["conversation_id"] > 0 and stored["queued"] is True and stored["duplicate"] is False

    (turn,) = json_logs.events("agent.turn")
    assert turn["tenant_id"] == app_wa.tenant_id and turn["conversation_id"] == stored["conversation_id"]
    assert turn["mode"] == "channel" and turn["responder"] in ("agent", "rules")
    assert turn["provider"] == "offline" and turn["ms"] > 0

    (decision,) = json_logs.events("agent.handoff_decision")
    assert decision["conversation_id"] == turn["conversation_id"] and decision["needed"] in (True, False)

    steps = json_logs.events("agent.step")
    assert {"sanitize", "context", "reply", "record"} <= {s["step"] for s in steps}
    assert all(s["conversation_id"] == turn["conversation_id"] for s in steps)

    calls = json_logs.events("llm.call")
    assert calls and all(c["tenant_id"] == app_wa.tenant_id for c in calls)
    assert {"provider", "model", "status", "tokens_in", "tokens_out", "cost", "latency_ms"} <= set(calls[0])


def test_no_message_body_and_no_secret_reaches_the_log(
    app_wa: WhatsAppEnv, json_logs: CapturedLogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    openai_key = "sk-live-4f9b2c7d1e8a6b3c5d7e9f0a"
    monkeypatch.setenv("OPENAI_API_KEY", openai_key)
    reset_settings_cache()
    logs.configure("json", level="DEBUG", stream=json_logs.stream)  # DEBUG: everything that could leak
    _answer_one_message(app_wa)
    # Things that do get logged by mistake: a key in an error message, a body in an event's fields.
    logging.getLogger("engine.llm").warning("provider refused key %s", openai_key)
    logs.event("debugging", body=BODY, auth_token=app_wa.auth_token, note=f"Bearer {openai_key}")

    text = json_logs.text
    basic = base64.b64encode(f"{app_wa.account_sid}:{app_wa.auth_token}".encode()).decode()
    for secret in (BODY, "4111 1111", openai_key, app_wa.auth_token, basic):
        assert secret not in text, secret
    assert text.count(logs.REDACTED) >= 3
    assert all(json.loads(line) for line in text.splitlines())  # every line is one JSON object


def test_the_twilio_sdk_request_logging_is_silenced_at_info(
    app_wa: WhatsAppEnv, json_logs: CapturedLogs
) -> None:
    _answer_one_message(app_wa)  # the reply goes out through the Twilio SDK to the fake server
    assert app_wa.fake.messages, "the reply was sent through Twilio"
    assert not [e for e in json_logs.events() if str(e.get("logger", "")).startswith("twilio")]
    assert logging.getLogger("twilio.http_client").getEffectiveLevel() == logging.WARNING


def test_a_job_run_is_one_event_with_its_outcome(json_logs: CapturedLogs) -> None:
    def purge() -> int:
        return 3

    def broken() -> None:
        raise RuntimeError("disk full")

    assert instrument.observed_job("purge", purge)() == 3
    with pytest.raises(RuntimeError):
        instrument.observed_job("broken", broken)()
    runs = {e["job"]: e for e in json_logs.events("job.run")}
    assert runs["purge"]["outcome"] == "ok" and runs["broken"]["outcome"] == "error"


def test_text_format_is_one_readable_line_with_the_same_fields() -> None:
    import io

    stream = io.StringIO()
    root = logging.getLogger()
    saved = list(root.handlers)
    try:
        logs.configure("text", level="INFO", stream=stream)
        with logs.bound(tenant_id=7, conversation_id=42):
            logs.event("handoff", category="sensitive", reply="the customer's words")
    finally:
        root.handlers[:] = saved
    line = stream.getvalue().strip()
    assert line.startswith("20") and "handoff" in line
    assert "tenant_id=7" in line and "conversation_id=42" in line and "category=sensitive" in line
    assert "the customer's words" not in line


def test_an_api_call_is_one_event_naming_the_tokens_tenant(api: ApiEnv, json_logs: CapturedLogs) -> None:
    token = api.tokens["all"]
    assert api.call("GET", "/tenant").status_code == 200
    (event,) = [e for e in json_logs.events("http.request") if e["route"] == "/api/v1/tenant"]
    assert event["tenant_id"] == api.tenant_a and event["status"] == 200 and event["method"] == "GET"
    assert token not in json_logs.text


def test_a_library_record_is_one_json_line_without_uvicorns_coloured_copy(json_logs: CapturedLogs) -> None:
    extra = {"color_message": "Started server process [\x1b[36m%d\x1b[0m]"}
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42, extra=extra)
    (line,) = [e for e in json_logs.events() if e.get("logger") == "uvicorn.error"]
    assert line["event"] == "Started server process [42]" and "color_message" not in line
