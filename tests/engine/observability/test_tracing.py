"""OpenTelemetry traces (engine/observability/tracing.py): webhook ▶ queue ▶ agent turn ▶ a span per pipeline
step, in one trace across the queue, exported only when tracing is configured."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from engine.config import reset_settings_cache
from engine.db import TenantScope, session_scope
from engine.models import MessageQueue
from engine.observability import tracing
from tests.engine.conversations.harness import WhatsAppEnv, ordered

WEBHOOK = "POST /webhooks/twilio/whatsapp"


def _by_name(spans: tuple[ReadableSpan, ...], name: str) -> list[ReadableSpan]:
    return [s for s in spans if s.name == name]


def test_one_trace_runs_from_the_webhook_through_the_queue_to_each_step_of_the_turn(
    app_wa: WhatsAppEnv, spans: InMemorySpanExporter
) -> None:
    assert app_wa.inbound("Hi, are you open today?").status_code == 200
    with session_scope() as session:
        (queued,) = ordered(TenantScope(session, app_wa.tenant_id), MessageQueue)
    (webhook,) = _by_name(spans.get_finished_spans(), WEBHOOK)
    trace_id = format(webhook.context.trace_id, "032x")
    assert queued.traceparent and queued.traceparent.split("-")[1] == trace_id  # stored on the queue row

    app_wa.clock.advance(20)
    assert app_wa.worker().tick().replies == 1
    finished = spans.get_finished_spans()
    (burst,) = _by_name(finished, "queue.burst")
    (turn,) = _by_name(finished, "agent.turn")
    assert webhook.kind == SpanKind.SERVER and burst.kind == SpanKind.CONSUMER
    assert burst.context.trace_id == turn.context.trace_id == webhook.context.trace_id
    assert burst.parent.span_id == webhook.context.span_id
    assert turn.parent.span_id == burst.context.span_id
    assert turn.attributes["tenant_id"] == app_wa.tenant_id and turn.attributes["mode"] == "channel"

    steps = [s for s in finished if s.name.startswith("agent.step.")]
    assert {"agent.step.sanitize", "agent.step.context", "agent.step.llm", "agent.step.reply"} <= {
        s.name for s in steps
    }
    assert all(s.parent.span_id == turn.context.span_id for s in steps)  # the playground's steps, as children
    assert webhook.attributes["http.route"] == "/webhooks/twilio/whatsapp"
    assert webhook.attributes["tenant_id"] == app_wa.tenant_id  # known once the signature named it


def test_a_burst_of_two_webhooks_continues_the_first_and_links_the_second(
    app_wa: WhatsAppEnv, spans: InMemorySpanExporter
) -> None:
    app_wa.inbound("hello")
    app_wa.clock.advance(1)
    app_wa.inbound("do you deliver?")
    first, second = _by_name(spans.get_finished_spans(), WEBHOOK)
    app_wa.clock.advance(20)
    assert app_wa.worker().tick().replies == 1
    (burst,) = _by_name(spans.get_finished_spans(), "queue.burst")
    assert burst.parent.span_id == first.context.span_id
    assert [link.context.span_id for link in burst.links] == [second.context.span_id]


def test_without_an_endpoint_tracing_is_off_and_nothing_is_stored(
    app_wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    reset_settings_cache()
    assert tracing.configure() is False and not tracing.enabled()
    app_wa.inbound("hello")
    with session_scope() as session:
        (queued,) = ordered(TenantScope(session, app_wa.tenant_id), MessageQueue)
    assert queued.traceparent is None
    with tracing.span("anything") as span:
        assert span is None


def test_with_an_endpoint_spans_are_exported_over_otlp_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """The exporter is built from the environment (endpoint + /v1/traces) and batches in the background."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector.internal:4318")
    reset_settings_cache()
    try:
        assert tracing.configure() is True and tracing.enabled()
        processor = tracing._provider._active_span_processor._span_processors[0]  # type: ignore[union-attr]
        assert isinstance(processor, BatchSpanProcessor)
        exporter = processor._batch_processor._exporter  # type: ignore[attr-defined]
        assert isinstance(exporter, OTLPSpanExporter)
        assert exporter._endpoint == "http://collector.internal:4318/v1/traces"
    finally:
        tracing.uninstall()
