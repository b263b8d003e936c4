"""A tenant connected to the campaign fake Twilio server (quiet hours off), customers, approved campaigns."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from engine.campaigns import service, templates
from engine.db import TenantScope, session_scope
from engine.models import Customer
from tests.engine.conversations.harness import WhatsAppEnv, _environment
from tests.fakes.twilio_campaigns import CampaignTwilioServer

_numbers = itertools.count(1000)


@pytest.fixture(name="wa")
def campaign_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[WhatsAppEnv]:
    with CampaignTwilioServer() as fake:
        for env in _environment(fake, monkeypatch):
            with session_scope() as session:
                service.update_settings(
                    session, env.tenant_id, {"quiet_start": "00:00", "quiet_end": "00:00"}
                )
            yield env


def add_customers(tenant_id: int, n: int, **fields: Any) -> list[int]:
    ids = []
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        for _ in range(n):
            values = {
                "phone": f"whatsapp:+44770{next(_numbers):07d}",
                "name": "Ada Lovelace",
                "opted_in": True,
            }
            values.update(fields)
            ids.append(int(scope.add(Customer(**values)).id or 0))
    return ids


def approved_campaign(wa: WhatsAppEnv, **raw: Any) -> int:
    raw.setdefault("name", "Spring sale")
    raw.setdefault("body", "Hi {{first_name}}, our spring sale starts today!")
    with session_scope() as session:
        view = service.create_campaign(session, wa.tenant_id, raw)
    with session_scope() as session:
        campaign = templates.submit(session, wa.tenant_id, view.id)
        sid = campaign.content_sid
    wa.fake.approve(sid)  # type: ignore[attr-defined]
    with session_scope() as session:
        templates.refresh(session, wa.tenant_id, view.id)
    return view.id
