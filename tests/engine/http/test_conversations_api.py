"""/api/v1/conversations: list with a cursor, transcript, staff reply, take over, hand back, close."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, AuditLog, Conversation, Customer, utcnow
from tests.engine.http.api_env import ApiEnv


def _more_conversations(api: ApiEnv, n: int) -> list[int]:
    with session_scope() as s:
        scope = TenantScope(s, api.tenant_a)
        ids = []
        for i in range(n):
            customer = scope.add(Customer(phone=f"whatsapp:+44770091{i:04d}"))
            ids.append(
                scope.add(Conversation(customer_id=customer.id, status="handoff" if i % 2 else "bot")).id
            )
        return ids


def test_the_list_walks_every_conversation_once_with_the_cursor(api: ApiEnv) -> None:
    made = _more_conversations(api, 7) + [api.conversation_a]
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.call("GET", "/conversations", params=params).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    handoff = api.call("GET", "/conversations", params={"status": "handoff"}).json()["items"]
    assert handoff and {c["status"] for c in handoff} == {"handoff"}


def test_the_list_keeps_the_conversations_handed_off_for_one_reason(api: ApiEnv) -> None:
    """The same meaning as the inbox's filter and Analytics' count (engine.conversations.inbox_filter)."""
    frustrated, asked, recent = _more_conversations(api, 3)
    now = utcnow()
    with session_scope() as s:
        scope = TenantScope(s, api.tenant_a)
        for conversation_id, category, days_ago in (
            (frustrated, "frustration", 10),
            (asked, "explicit_request", 1),
        ):
            scope.add(
                AgentInteraction(
                    conversation_id=conversation_id,
                    handoff=True,
                    handoff_reason=f"{category}: the agent's words",  # the category is read from it
                    created_at=now - timedelta(days=days_ago),
                )
            )
        scope.add(AgentInteraction(conversation_id=recent, handoff=False, handoff_reason="frustration: calm"))

    def ids(**params: str) -> list[int]:
        response = api.call("GET", "/conversations", params=params)
        assert response.status_code == 200, response.text
        return [c["id"] for c in response.json()["items"]]

    assert ids(handoff="frustration") == [frustrated]  # a turn that did not hand off does not count
    assert ids(handoff="explicit_request") == [asked]
    since = (now - timedelta(days=5)).isoformat()
    assert ids(handoff="frustration", handoff_since=since) == []
    assert ids(handoff="explicit_request", handoff_since=since) == [asked]
    assert ids(handoff="frustration", handoff_until=since) == [frustrated]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"handoff": "angry"}, "handoff: one of"),
        ({"handoff_since": "2026-01-01T00:00:00"}, "need handoff"),
        (
            {"handoff": "frustration", "handoff_since": "2026-02-01T00:00:00", "handoff_until": "2026-01-01"},
            "ends before it starts",
        ),
    ],
)
def test_a_bad_handoff_filter_is_422_saying_why(api: ApiEnv, params: dict, says: str) -> None:
    response = api.call("GET", "/conversations", params=params)
    assert response.status_code == 422 and says in response.text


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"status": "open"}, {"cursor": "nonsense!"}, {"cursor": "x" * 65}],
)
def test_bad_list_parameters_are_422(api: ApiEnv, params: dict) -> None:
    assert api.call("GET", "/conversations", params=params).status_code == 422


def test_the_transcript_is_read_and_another_tenants_id_is_404(api: ApiEnv) -> None:
    response = api.call("GET", f"/conversations/{api.conversation_a}")
    assert response.status_code == 200
    body = response.json()
    assert body["conversation"]["id"] == api.conversation_a
    assert [m["body"] for m in body["messages"]] == ["Do you have size 42?"]
    assert api.call("GET", f"/conversations/{api.conversation_b}").status_code == 404
    assert api.call("GET", "/conversations/" + "9" * 25).status_code == 422


def test_take_over_hand_back_and_close_go_through_the_lifecycle(api: ApiEnv) -> None:
    path = f"/conversations/{api.conversation_a}"
    taken = api.call("POST", path + "/take-over", json={"reason": "VIP"})
    assert taken.status_code == 200 and taken.json()["status"] == "handoff"
    assert api.call("POST", path + "/hand-back").json()["status"] == "bot"
    assert api.call("POST", path + "/close").json()["status"] == "closed"
    assert api.call("POST", path + "/hand-back").status_code == 409  # a closed conversation stays closed
    with session_scope() as s:
        actions = {a.action for a in TenantScope(s, api.tenant_a).all(AuditLog)}
    assert {"conversation.take_over", "conversation.hand_back", "conversation.close"} <= actions


@pytest.mark.parametrize("action", ["take-over", "hand-back", "close", "messages"])
def test_status_changes_refuse_other_tenants_ids_and_tokens_without_the_scope(
    api: ApiEnv, action: str
) -> None:
    body = {"text": "hello"} if action == "messages" else None
    other = api.call("POST", f"/conversations/{api.conversation_b}/{action}", json=body)
    assert other.status_code == 404
    refused = api.call(
        "POST", f"/conversations/{api.conversation_a}/{action}", token="analytics:view", json=body
    )
    assert refused.status_code == 403


def test_a_staff_reply_goes_through_the_outbound_path(api: ApiEnv) -> None:
    response = api.call(
        "POST", f"/conversations/{api.conversation_a}/messages", json={"text": "Yes, in stock."}
    )
    assert response.status_code == 201, response.text
    message = response.json()
    assert (message["direction"], message["sender"], message["body"]) == (
        "outbound",
        "human",
        "Yes, in stock.",
    )
    # the tenant has no Twilio account: the outbound path records the refusal on the message, as in the inbox
    assert message["ticks"] == -1
    summary = api.call("GET", f"/conversations/{api.conversation_a}").json()["conversation"]
    assert summary["status"] == "handoff"  # replying took the conversation over


@pytest.mark.parametrize(
    "body", [{}, {"text": ""}, {"text": "x" * 1601}, {"text": 5}, {"text": "a", "extra": 1}]
)
def test_bad_reply_bodies_are_422(api: ApiEnv, body: dict) -> None:
    assert api.call("POST", f"/conversations/{api.conversation_a}/messages", json=body).status_code == 422


def test_a_reply_to_a_closed_conversation_is_409(api: ApiEnv) -> None:
    api.call("POST", f"/conversations/{api.conversation_a}/close")
    response = api.call("POST", f"/conversations/{api.conversation_a}/messages", json={"text": "hi"})
    assert response.status_code == 409
