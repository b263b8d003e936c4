"""Shared set-up for the WhatsApp channel tests: a tenant with Twilio credentials, the webhook router in a
FastAPI app, the fake Twilio server behind TWILIO_API_BASE_URL, a controllable clock and signed requests.

Import the fixture into a test module with
`from tests.engine.conversations.harness import wa_fixture  # noqa: F401`; tests then ask for `wa`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from engine.accounts import tenants
from engine.agent import interactions
from engine.agent.channel import ChannelAgent
from engine.channels.whatsapp.credentials import forget_credentials
from engine.channels.whatsapp.rich import RichMessage
from engine.channels.whatsapp.sender import TwilioSender
from engine.channels.whatsapp.twilio_client import reset_clients
from engine.config import reset_settings_cache
from engine.conversations import ingest
from engine.conversations.contract import TurnReply
from engine.conversations.queue import QueueWorker, WorkerSettings
from engine.conversations.text import batch_text
from engine.db import TenantScope, session_scope
from engine.http import webhooks
from engine.models import AgentInteraction, Conversation, Message, utcnow
from tests.fakes.twilio_server import FakeTwilioServer

PUBLIC_BASE = "https://parley.example.com"
INBOUND_URL = PUBLIC_BASE + webhooks.INBOUND_PATH
STATUS_URL = PUBLIC_BASE + webhooks.STATUS_PATH
_numbers = itertools.count(1)


class FakeClock:
    """UTC "now" that only moves when told to: burst windows are tested without sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def ordered(scope: TenantScope, model: Any, *where: Any) -> list[Any]:
    """The tenant's rows in id order (PostgreSQL returns unordered rows in any order)."""
    return list(scope.session.exec(scope.select(model).where(*where).order_by(model.id)).all())


def count(session: Session, model: Any, *where: Any) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


@dataclass
class WhatsAppEnv:
    fake: FakeTwilioServer
    client: TestClient
    clock: FakeClock
    tenant_id: int
    sender: str
    account_sid: str
    auth_token: str
    customer: str = "whatsapp:+447700900123"
    sleeps: list[float] = field(default_factory=list)
    twilio_timeout: float | None = None  # seconds; short for accept-then-timeout tests
    _sids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def new_sid(self) -> str:
        return f"SM{self.tenant_id:08x}{next(self._sids):024x}"

    def inbound_form(self, body: str = "hi", *, sid: str | None = None, **params: Any) -> dict[str, str]:
        form = {
            "MessageSid": sid or self.new_sid(),
            "AccountSid": self.account_sid,
            "From": params.pop("From", self.customer),
            "To": params.pop("To", self.sender),
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "ProfileName": "Ada Lovelace",
            "WaId": "447700900123",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        form.update({k: str(v) for k, v in params.items()})
        return form

    def post(
        self,
        path: str,
        form: dict[str, str],
        *,
        token: str | None = None,
        signed_url: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        sign: bool = True,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        if sign:
            url = signed_url or PUBLIC_BASE + path
            all_headers["X-Twilio-Signature"] = signature or FakeTwilioServer.signature(
                token or self.auth_token, url, form
            )
        return self.client.post(path, data=form, headers=all_headers)

    def inbound(self, body: str = "hi", **kwargs: Any) -> httpx.Response:
        post_keys = {"token", "signed_url", "signature", "headers", "sign"}
        post_args = {k: kwargs.pop(k) for k in list(kwargs) if k in post_keys}
        return self.post(webhooks.INBOUND_PATH, self.inbound_form(body, **kwargs), **post_args)

    def status(self, message_sid: str, status: str, **extra: str) -> httpx.Response:
        return self.post(webhooks.STATUS_PATH, self.fake.status_callback(message_sid, status, **extra))

    def sender_factory(self, session: Session, tenant_id: int) -> TwilioSender:
        sender = TwilioSender.for_tenant(session, tenant_id, sleep=self.sleeps.append, backoff_base=0.001)
        if self.twilio_timeout is not None:
            sender.client.http_client.timeout = self.twilio_timeout
        return sender

    def worker(self, **settings: Any) -> QueueWorker:
        """A worker answering with the real agent, or with `processor=` (see `scripted_agent`)."""
        processor = settings.pop("processor", None)
        worker_id = settings.pop("worker_id", None)
        return QueueWorker(
            responder=scripted_agent(processor) if processor else ChannelAgent(),
            sender_factory=self.sender_factory,
            clock=self.clock,
            worker_id=worker_id,
            settings=WorkerSettings(**settings),
        )


Script = Callable[[Conversation, Sequence[Message]], "TurnReply | RichMessage"]


def scripted_agent(script: Script) -> ChannelAgent:
    """The agent's responder with a scripted answer. A script returns a TurnReply, as the agent does, or for
    brevity a bare RichMessage: it then stands in for the agent's record too, one turn written through the
    agent's own writer (engine.agent.interactions) with the confidence, intents, model and provider given as
    the message's meta — the inbox shows them beside the reply."""

    def answer(conversation: Conversation, messages: Sequence[Message]) -> TurnReply:
        reply = script(conversation, messages)
        if isinstance(reply, TurnReply):
            return reply
        meta = reply.meta
        with session_scope() as session:
            turn = interactions.record(
                TenantScope(session, conversation.tenant_id),
                AgentInteraction(
                    conversation_id=int(conversation.id or 0),
                    customer_message=batch_text(messages),
                    response=reply.body or reply.title,
                    intents=list(meta.get("intents") or []),
                    model=meta.get("model"),
                    provider=meta.get("provider"),
                    confidence=meta.get("confidence"),
                    message_type=reply.kind,
                ),
            )
        return TurnReply(message=reply, interaction_id=turn.id)

    return ChannelAgent(answer)


def make_tenant(session: Session, *, n: int | None = None) -> tuple[int, str, str, str]:
    """(tenant id, sender, account sid, auth token) of a new tenant with Twilio credentials."""
    n = n or next(_numbers)
    sender = f"whatsapp:+1202555{n:04d}"
    sid, token = f"AC{n:032x}", f"token-{n:04d}-secret"
    info = tenants.create_tenant(
        session,
        name=f"WA Tenant {n}",
        slug=f"wa-tenant-{n}",
        whatsapp_from=sender,
        twilio_account_sid=sid,
        twilio_auth_token=token,
    )
    return info.id, sender, sid, token


def webhook_app() -> FastAPI:
    app = FastAPI()
    app.include_router(webhooks.router)
    return app


@pytest.fixture(name="wa")
def wa_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[WhatsAppEnv]:
    """Everything a channel test needs; the burst window is the default 5 s on a fake clock."""
    with FakeTwilioServer() as fake_twilio:
        yield from _environment(fake_twilio, monkeypatch)


def _environment(fake_twilio: FakeTwilioServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[WhatsAppEnv]:
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC_BASE)
    monkeypatch.setenv("TWILIO_API_BASE_URL", fake_twilio.base_url)
    monkeypatch.setenv("BURST_WINDOW_SECONDS", "5")
    reset_settings_cache()
    forget_credentials()
    reset_clients()
    clock = FakeClock()
    monkeypatch.setattr(ingest, "utcnow", clock)
    fake_twilio.clock = clock  # Twilio's date_created agrees with the send windows our rows record
    with session_scope() as session:
        tenant_id, sender, sid, token = make_tenant(session)
    fake_twilio.add_account(sid, token)
    with TestClient(webhook_app()) as client:
        yield WhatsAppEnv(
            fake=fake_twilio,
            client=client,
            clock=clock,
            tenant_id=tenant_id,
            sender=sender,
            account_sid=sid,
            auth_token=token,
        )
    forget_credentials()
    reset_clients()


__all__ = [
    "FakeClock",
    "INBOUND_URL",
    "PUBLIC_BASE",
    "STATUS_URL",
    "WhatsAppEnv",
    "count",
    "ordered",
    "make_tenant",
    "wa_fixture",
    "webhook_app",
]
