"""OpenTelemetry traces of a customer message: webhook ▶ queue ▶ agent turn, with a span per pipeline step.

Off and free unless OTEL_EXPORTER_OTLP_ENDPOINT is set: `span()` then returns at once without touching the
OpenTelemetry API, and `traceparent()` is None (nothing is stored on the queue row). Set, spans are batched
and exported over OTLP/HTTP (the exporter reads the endpoint and OTEL_EXPORTER_OTLP_HEADERS itself).

The provider is this module's own, not the global one, so tests can install an in-memory exporter
(`install`) and put it back without the "override not allowed" of `set_tracer_provider`.

Crossing the queue: the webhook's span context is written on the message's queue row as a W3C traceparent
(engine/conversations/ingest.py); the worker opens its span as a child of the burst's first message and links
the others (`span_from`), so one trace reads webhook ▶ queue wait ▶ turn ▶ steps ▶ send.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanProcessor
from opentelemetry.trace import Link, Span, SpanKind, Tracer
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from engine.config import get_settings

_propagator = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None
_tracer: Tracer | None = None


def configure() -> bool:
    """Start exporting when OTEL_EXPORTER_OTLP_ENDPOINT is set (once per process); True when tracing is on."""
    if _tracer is not None:
        return True
    settings = get_settings()
    if not settings.otel_exporter_otlp_endpoint:
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    install(BatchSpanProcessor(OTLPSpanExporter()))
    return True


def install(
    processor: SpanProcessor | None = None, *, exporter: SpanExporter | None = None
) -> TracerProvider:
    """Trace through `processor` (or a simple processor around `exporter`, as tests do)."""
    global _provider, _tracer
    if processor is None:
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor

        assert exporter is not None, "give a processor or an exporter"
        processor = SimpleSpanProcessor(exporter)
    provider = TracerProvider(resource=Resource.create({"service.name": get_settings().otel_service_name}))
    provider.add_span_processor(processor)
    _provider, _tracer = provider, provider.get_tracer("parley")
    return provider


def uninstall() -> None:
    """Back to off (tests)."""
    global _provider, _tracer
    if _provider is not None:
        _provider.shutdown()
    _provider = _tracer = None


def enabled() -> bool:
    return _tracer is not None


@contextmanager
def span(name: str, *, kind: SpanKind = SpanKind.INTERNAL, **attributes: Any) -> Iterator[Span | None]:
    """A child of the current span (None when tracing is off)."""
    if _tracer is None:
        yield None
        return
    with _tracer.start_as_current_span(name, kind=kind, attributes=_plain(attributes)) as current:
        yield current


@contextmanager
def server_span(name: str, headers: Mapping[str, str], **attributes: Any) -> Iterator[Span | None]:
    """An incoming request's span, continuing the caller's trace when it sent a traceparent."""
    if _tracer is None:
        yield None
        return
    parent = _propagator.extract(carrier=dict(headers))
    with _tracer.start_as_current_span(
        name, context=parent, kind=SpanKind.SERVER, attributes=_plain(attributes)
    ) as current:
        yield current


def annotate(**attributes: Any) -> None:
    """Add what became known mid-request (the tenant the webhook's signature named) to the current span."""
    if _tracer is None:
        return
    trace.get_current_span().set_attributes(_plain(attributes))


def traceparent() -> str | None:
    """The current span as a W3C traceparent, to be stored where the work goes next (the queue row)."""
    if _tracer is None:
        return None
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def span_from(name: str, traceparents: Sequence[str | None], **attributes: Any) -> Iterator[Span | None]:
    """Work picked up from a queue: a child of the first stored traceparent, linked to the others (a burst of
    several messages came through several webhooks)."""
    if _tracer is None:
        yield None
        return
    contexts = [_propagator.extract({"traceparent": tp}) for tp in traceparents if tp]
    span_contexts = [trace.get_current_span(c).get_span_context() for c in contexts]
    parent = contexts[0] if contexts else otel_context.Context()
    links = [Link(sc) for sc in span_contexts[1:] if sc.is_valid]
    with _tracer.start_as_current_span(
        name, context=parent, kind=SpanKind.CONSUMER, links=links, attributes=_plain(attributes)
    ) as current:
        yield current


def _plain(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Span attributes are ids, counts and names: None dropped, everything else a primitive."""
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        if value is None:
            continue
        out[key] = value if isinstance(value, bool | int | float | str) else str(value)
    return out


__all__ = [
    "annotate",
    "configure",
    "enabled",
    "install",
    "server_span",
    "span",
    "span_from",
    "traceparent",
    "uninstall",
]
