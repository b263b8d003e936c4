"""Settings → Integrations through IntegrationsState: an endpoint added with its events, the secret shown once
(then gone from the state), a test delivery that reaches a real receiver and appears in the log, resend with
the same event id, pause and remove; the rating rules saved and refused in words; managers and below see none
of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from console.state.guard import ALLOWED, FORBIDDEN
from console.state.settings_integrations import IntegrationsState
from engine.config import reset_settings_cache
from engine.conversations import ratings
from engine.db import session_scope
from engine.integrations import delivery
from tests.console.conftest import toast_text
from tests.fakes.webhook_receiver import WebhookReceiver


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE_URLS", "true")
    reset_settings_cache()
    server = WebhookReceiver().start()
    yield server
    server.stop()


async def open_integrations(open_tab, shop, role: str = "owner") -> IntegrationsState:
    state = open_tab(IntegrationsState, shop.people[role].token, "/settings?tab=integrations")
    assert await state.load_page() is None
    return state


async def send_test(state: IntegrationsState, endpoint_id: int) -> Any:
    return await IntegrationsState.event_handlers["send_test"].fn(state, endpoint_id)


async def add(state: IntegrationsState, url: str, *events: str) -> Any:
    for event in events:
        state.toggle_event(event, True)
    return await state.create({"name": "Our CRM", "url": url})


async def test_add_test_read_the_log_and_resend(open_tab, workspace, receiver: WebhookReceiver) -> None:
    state = await open_integrations(open_tab, workspace)
    assert state.access == ALLOWED and state.hooks == []
    await add(state, receiver.url, "conversation.resolved", "rating.received")
    (row,) = state.hooks
    assert row["name"] == "Our CRM" and row["active"]
    assert row["events"] == "A conversation was resolved or closed, A customer rated a conversation"
    assert state.secret.startswith("whsec_") and state.secret_for == "Our CRM"
    secret = state.secret
    state.hide_secret()
    assert secret not in json.dumps(state.dict(), default=str)  # shown once, then gone

    toast = toast_text(await send_test(state, row["id"]))
    assert "Test delivered: your endpoint answered 200" in toast
    (got,) = receiver.received
    assert got.json["type"] == "endpoint.test"
    (line,) = state.log_rows
    assert (line["event"], line["status"], line["code"], line["ok"]) == (
        "Test delivery",
        "Delivered",
        "200",
        True,
    )

    await state.resend(line["id"])
    delivery.deliver_due()
    await state.refresh_log()
    assert [r["status"] for r in state.log_rows] == ["Delivered", "Delivered"]
    assert receiver.received[1].json["id"] == got.json["id"]

    await state.set_active(row["id"], False)
    assert state.hooks[0]["active"] is False
    assert "Turn the endpoint on" in toast_text(await send_test(state, row["id"]))
    await state.remove(row["id"])
    assert state.hooks == [] and state.log_rows == []


async def test_refusals_are_said_next_to_the_field(open_tab, workspace, receiver: WebhookReceiver) -> None:
    state = await open_integrations(open_tab, workspace)
    await add(state, receiver.url)
    assert state.errors == {"events": "Pick at least one event to send."}
    await add(state, "not a web address", "rating.received")
    assert "url" in state.errors
    assert state.hooks == [] and state.secret == ""


async def test_rating_rules_are_saved_and_refused_in_words(open_tab, workspace) -> None:
    state = await open_integrations(open_tab, workspace)
    assert state.rating_enabled is True  # a new shop asks from day one
    state.set_rating_enabled(False)
    state.set_rating_scale("2")
    form = {
        "title_0": "👍 Yes",
        "title_1": "👎 No",
        "question": "Did we help?",
        "low_at_most": "1",
        "min_days_between": "3",
        "resolution_window_hours": "6",
    }
    assert "success" in toast_text(await state.save_ratings(form))
    with session_scope() as db:
        rules = ratings.rules(db, workspace.tenant_id)
    assert (rules.enabled, rules.scale, rules.titles, rules.question) == (
        False,
        2,
        ["👍 Yes", "👎 No"],
        "Did we help?",
    )
    assert (rules.min_days_between, rules.resolution_window_hours) == (3, 6)
    await state.save_ratings({**form, "title_1": "👍 Yes"})
    assert state.rating_error == "Give each button a different title."
    await state.save_ratings({**form, "resolution_window_hours": "900"})
    assert "1 to 168 hours" in state.rating_error


async def test_only_owners_and_admins(open_tab, workspace) -> None:
    state = await open_integrations(open_tab, workspace, role="manager")
    assert state.access == FORBIDDEN
    assert "access" in toast_text(await state.create({"name": "x", "url": "https://example.com"}))
