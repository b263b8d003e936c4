"""A webhook receiver on 127.0.0.1 for every test here (private addresses allowed, as on a closed network)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine.config import reset_settings_cache
from tests.fakes.webhook_receiver import WebhookReceiver

DOCS = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE_URLS", "true")
    reset_settings_cache()
    server = WebhookReceiver().start()
    yield server
    server.stop()
    reset_settings_cache()


@pytest.fixture(scope="session")
def documented_verify() -> Callable[[str, str, bytes], bool]:
    """docs/webhooks.md's Python verification code, run as a shop would paste it."""
    python = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.S)
    assert python, "docs/webhooks.md shows how to verify a signature in Python"
    namespace: dict[str, object] = {}
    exec(compile(python.group(1), str(DOCS), "exec"), namespace)  # noqa: S102 - our own documentation
    return namespace["verify_parley_signature"]  # type: ignore[return-value]
