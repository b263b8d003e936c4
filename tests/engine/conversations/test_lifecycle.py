"""engine.conversations.lifecycle: every change of a conversation's status, each with its companions — the
audit row, the queued bot work stopped, the handoff fields, and the inbox change marker moved.

The first test reads the sources: no module but the lifecycle assigns a conversation's status.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from engine.conversations import inbox, lifecycle
from engine.conversations.lifecycle import ConversationActionError
from engine.db import TenantScope, session_scope
from engine.models import AuditLog, Conversation, Customer, Message, MessageQueue, utcnow
from tests.factories import new_tenant, new_user

ROOT = Path(__file__).resolve().parents[3]
LIFECYCLE = ROOT / "engine" / "conversations" / "lifecycle.py"
STATUSES = {"bot", "handoff", "closed"}


# ------------------------------------------------------------------------------------------ static proof


def _status_writes(tree: ast.AST) -> Iterator[int]:
    """Lines that set a conversation's status: `<conversation…>.status = …` (alone or in a tuple), a status
    literal of a conversation assigned to any `.status`, `setattr(…, "status", …)`, `status=` in an
    `update(Conversation)` statement, and a conversation status literal passed as `status=` to any call."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                pairs = [(target, node.value)]
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    pairs = list(zip(target.elts, node.value.elts, strict=False))
                for left, right in pairs:
                    if not (isinstance(left, ast.Attribute) and left.attr == "status"):
                        continue
                    owner = ast.unparse(left.value).lower()
                    literal = isinstance(right, ast.Constant) and right.value in STATUSES
                    if "conversation" in owner or literal:
                        yield node.lineno
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else None
            if name == "setattr" and any(
                isinstance(a, ast.Constant) and a.value == "status" for a in node.args
            ):
                yield node.lineno
            status = [k.value for k in node.keywords if k.arg == "status"]
            if status and _updates_conversation(node):
                yield node.lineno
            elif any(isinstance(v, ast.Constant) and v.value in STATUSES for v in status):
                yield node.lineno  # changes.update(status="handoff"), later applied to a conversation


def _updates_conversation(call: ast.Call) -> bool:
    """Whether the call hangs off `update(Conversation)` (….where(…).values(…))."""
    node: ast.AST = call.func
    while isinstance(node, (ast.Attribute, ast.Call)):
        if isinstance(node, ast.Call):
            func, args = node.func, node.args
            if isinstance(func, ast.Name) and func.id == "update":
                return any(isinstance(a, ast.Name) and a.id == "Conversation" for a in args)
            node = func
        else:
            node = node.value
    return False


def test_no_module_but_the_lifecycle_assigns_a_conversation_status() -> None:
    offenders = []
    for folder in ("engine", "console"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == LIFECYCLE:
                continue
            source = path.read_text()
            offenders += [f"{path.relative_to(ROOT)}:{line}" for line in _status_writes(ast.parse(source))]
    assert offenders == []


def test_the_static_check_catches_each_way_of_writing_a_status() -> None:
    source = (
        "conversation.status = 'handoff'\n"
        "old.status, old.closed_at = 'closed', now\n"
        "row.status = 'bot'\n"
        "setattr(c, 'status', x)\n"
        "s.execute(update(Conversation).where(x).values(status='bot'))\n"
        "changes.update(status='handoff')\n"
        "message.status = outcome.status\n"  # a message's delivery status: not a conversation
    )
    assert sorted(_status_writes(ast.parse(source))) == [1, 2, 3, 4, 5, 6]
    assert list(_status_writes(ast.parse(LIFECYCLE.read_text())))  # it does write


# ------------------------------------------------------------------------------------------- behaviour


@dataclass
class Chat:
    tenant_id: int
    conversation_id: int
    customer_id: int
    user_id: int


@pytest.fixture
def chat() -> Chat:
    with session_scope() as s:
        tenant_id = new_tenant(s)
        user_id = new_user(s, tenant_id, role="agent")
        scope = TenantScope(s, tenant_id)
        customer = scope.add(Customer(phone="whatsapp:+447700900123", name="Ada"))
        conversation = scope.add(Conversation(customer_id=int(customer.id or 0)))
        return Chat(tenant_id, int(conversation.id or 0), int(customer.id or 0), user_id)


def _queue(s: Session, chat: Chat) -> None:
    scope = TenantScope(s, chat.tenant_id)
    message = scope.add(Message(conversation_id=chat.conversation_id, direction="inbound", body="hi"))
    scope.add(
        MessageQueue(conversation_id=chat.conversation_id, message_id=int(message.id or 0), due_at=utcnow())
    )


def _state(chat: Chat) -> tuple[Conversation, list[str], list[AuditLog], str]:
    with session_scope() as s:
        scope = TenantScope(s, chat.tenant_id)
        conversation = scope.require(Conversation, chat.conversation_id)
        s.expunge(conversation)
        queue = [r.status for r in scope.all(MessageQueue)]
        # the database returns rows in no promised order (PostgreSQL differs from SQLite): oldest first
        audits = sorted(scope.all(AuditLog, AuditLog.target_type == "conversation"), key=lambda a: a.id or 0)
        for row in audits:
            s.expunge(row)
        return conversation, queue, audits, inbox.inbox_marker(s, chat.tenant_id)


def _later(minutes: int) -> object:
    return utcnow() + timedelta(minutes=minutes)


def test_the_agent_hands_off_with_its_reason_and_category(chat: Chat) -> None:
    with session_scope() as s:
        _queue(s, chat)
    *_, marker = _state(chat)
    with session_scope() as s:
        lifecycle.hand_off(
            s,
            chat.tenant_id,
            chat.conversation_id,
            reason="asked for a refund",
            category="topic",
            now=_later(1),
        )
    conversation, queue, (audit,), after = _state(chat)
    assert (conversation.status, conversation.handoff_reason) == ("handoff", "asked for a refund")
    assert queue == ["skipped"]  # the bot does not answer what a person now owns
    assert (audit.action, audit.actor_label, audit.actor_user_id) == ("conversation.handoff", "agent", None)
    assert audit.details == {"category": "topic", "reason": "asked for a refund"}
    assert after != marker


def test_a_hand_off_leaves_a_conversation_the_bot_does_not_hold(chat: Chat) -> None:
    with session_scope() as s:
        lifecycle.take_over(s, chat.tenant_id, chat.conversation_id, chat.user_id, reason="mine")
        lifecycle.hand_off(s, chat.tenant_id, chat.conversation_id, reason="the agent gave up")
    conversation, _, audits, _ = _state(chat)
    assert (conversation.handoff_reason, conversation.assigned_user_id) == ("mine", chat.user_id)
    assert [a.action for a in audits] == ["conversation.take_over"]


def test_staff_take_over_assigns_stops_the_queue_and_is_audited(chat: Chat) -> None:
    with session_scope() as s:
        _queue(s, chat)
    *_, marker = _state(chat)
    with session_scope() as s:
        lifecycle.take_over(s, chat.tenant_id, chat.conversation_id, chat.user_id, now=_later(1))
    conversation, queue, (audit,), after = _state(chat)
    assert (conversation.status, conversation.assigned_user_id) == ("handoff", chat.user_id)
    assert conversation.handoff_reason == "taken over by staff" and queue == ["skipped"]
    assert (audit.action, audit.actor_user_id) == ("conversation.take_over", chat.user_id)
    assert after != marker


def test_hand_back_clears_the_handoff_and_the_low_confidence_count(chat: Chat) -> None:
    with session_scope() as s:
        lifecycle.hand_off(
            s, chat.tenant_id, chat.conversation_id, reason="unsure", category="low_confidence"
        )
        TenantScope(s, chat.tenant_id).require(Conversation, chat.conversation_id).low_confidence_turns = 3
    *_, marker = _state(chat)
    with session_scope() as s:
        lifecycle.hand_back(s, chat.tenant_id, chat.conversation_id, chat.user_id, now=_later(1))
    conversation, _, audits, after = _state(chat)
    assert (conversation.status, conversation.handoff_reason, conversation.assigned_user_id) == (
        "bot",
        None,
        None,
    )
    assert conversation.low_confidence_turns == 0
    assert [a.action for a in audits] == ["conversation.handoff", "conversation.hand_back"]
    assert after != marker


def test_close_stops_the_queue_and_refuses_staff_actions_after(chat: Chat) -> None:
    with session_scope() as s:
        _queue(s, chat)
        lifecycle.close(s, chat.tenant_id, chat.conversation_id, chat.user_id, now=_later(1))
    conversation, queue, (audit,), _ = _state(chat)
    assert conversation.status == "closed" and conversation.closed_at is not None and queue == ["skipped"]
    assert (audit.action, audit.actor_user_id) == ("conversation.close", chat.user_id)
    for action in (lifecycle.take_over, lifecycle.hand_back):
        with session_scope() as s, pytest.raises(ConversationActionError, match="closed"):
            action(s, chat.tenant_id, chat.conversation_id, chat.user_id)


def test_reopen_gives_a_closed_conversation_back_to_the_bot(chat: Chat) -> None:
    with session_scope() as s, pytest.raises(ConversationActionError, match="not closed"):
        lifecycle.reopen(s, chat.tenant_id, chat.conversation_id, chat.user_id)
    with session_scope() as s:
        lifecycle.take_over(s, chat.tenant_id, chat.conversation_id, chat.user_id)
        lifecycle.close(s, chat.tenant_id, chat.conversation_id, chat.user_id)
    *_, marker = _state(chat)
    with session_scope() as s:
        lifecycle.reopen(s, chat.tenant_id, chat.conversation_id, chat.user_id, now=_later(2))
    conversation, _, audits, after = _state(chat)
    assert (conversation.status, conversation.closed_at, conversation.assigned_user_id) == ("bot", None, None)
    assert audits[-1].action == "conversation.reopen" and after != marker


def test_reopen_is_refused_while_the_customer_has_another_open_conversation(chat: Chat) -> None:
    with session_scope() as s:
        lifecycle.close(s, chat.tenant_id, chat.conversation_id, chat.user_id)
        TenantScope(s, chat.tenant_id).add(Conversation(customer_id=chat.customer_id))
    with session_scope() as s, pytest.raises(ConversationActionError, match="already has an open"):
        lifecycle.reopen(s, chat.tenant_id, chat.conversation_id, chat.user_id)


def test_another_tenants_conversation_is_not_found(chat: Chat) -> None:
    from engine.db import NotFound

    with session_scope() as s:
        other = new_tenant(s)
    with session_scope() as s, pytest.raises(NotFound):
        lifecycle.close(s, other, chat.conversation_id, None)
