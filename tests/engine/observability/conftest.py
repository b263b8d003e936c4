"""Fixtures for the operations tests: the WhatsApp channel behind the whole engine app (its middleware and
/metrics included), captured logs, and an in-memory span exporter."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from engine.http.app import create_app
from engine.observability import logs, tracing
from tests.engine.conversations import harness
from tests.engine.http.api_env import api  # noqa: F401 - the REST API fixture
from tests.fakes.twilio_server import FakeTwilioServer


@pytest.fixture(name="app_wa")
def app_wa_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[harness.WhatsAppEnv]:
    """The channel harness (tests/engine/conversations/harness.py) with the engine's whole app in front."""
    monkeypatch.setattr(harness, "webhook_app", create_app)
    with FakeTwilioServer() as fake_twilio:
        yield from harness._environment(fake_twilio, monkeypatch)


class CapturedLogs:
    """Everything the root logger rendered, as text and as parsed JSON lines."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def events(self, name: str | None = None) -> list[dict[str, Any]]:
        out = [json.loads(line) for line in self.text.splitlines() if line.strip()]
        return [e for e in out if name is None or e.get("event") == name]


@pytest.fixture
def json_logs() -> Iterator[CapturedLogs]:
    """LOG_FORMAT=json into a buffer, at INFO; the root logger's handlers put back afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    logs.configure("json", level="INFO", stream=stream)
    try:
        yield CapturedLogs(stream)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    tracing.install(exporter=exporter)
    try:
        yield exporter
    finally:
        tracing.uninstall()
