"""What lies behind a duplicate, written out before the load run's database is dropped.

A duplicate is a message the fake Twilio accepted that no reply row holds. The count alone says nothing about
its cause; the rows say it: for every customer who received one, each outbound message row (key, status,
send window, attempts, SID, recovered or not) beside every message Twilio holds for that customer (SID, body,
creation time, the `?k=` key of its status callback URL). Reading the two side by side shows which row sent
twice, or which look-up took whose message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from sqlmodel import select

from engine.db import session_scope
from engine.models import Conversation, Customer, Message
from tests.fakes.twilio_server import FakeTwilioServer


def duplicate_sids(twilio: FakeTwilioServer) -> list[str]:
    """SIDs Twilio accepted that no outbound message row holds."""
    with session_scope() as s:
        recorded = set(
            s.exec(
                select(Message.provider_sid).where(
                    Message.direction == "outbound",
                    Message.provider_sid.is_not(None),  # type: ignore[union-attr]
                )
            ).all()
        )
    return [sid for sid in list(twilio.sent) if sid not in recorded]


def _key_of(url: str | None) -> str:
    return (parse_qs(urlsplit(url or "").query).get("k") or ["-"])[0]


def _when(epoch: float | None) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%H:%M:%S.%f")[:-3] if epoch else "-"


def explain_duplicates(twilio: FakeTwilioServer, log: Callable[[str], None]) -> int:
    """Log the rows behind every duplicate; returns how many duplicates there were."""
    duplicates = duplicate_sids(twilio)
    if not duplicates:
        return 0
    recipients = sorted({str(twilio.sent[sid]["to"]) for sid in duplicates})
    log(f"{len(duplicates)} duplicate(s) to {len(recipients)} customer(s): {', '.join(duplicates)}")
    for to in recipients:
        log(f"--- customer {to}")
        with session_scope() as s:
            conversations = s.exec(
                select(Conversation.tenant_id, Conversation.id)
                .join(Customer, Customer.id == Conversation.customer_id)
                .where(Customer.phone == to)
            ).all()
            rows = s.exec(
                select(Message)
                .where(
                    Message.direction == "outbound",
                    Message.conversation_id.in_([c for _, c in conversations]),  # type: ignore[union-attr]
                    Message.tenant_id.in_({t for t, _ in conversations}),  # type: ignore[attr-defined]
                )
                .order_by(Message.id)  # type: ignore[arg-type]
            ).all()
            for row in rows:
                rich = row.rich or {}
                log(
                    f"  row {row.id} key {row.idempotency_key} status {row.status} "
                    f"sending_at {row.sending_at and row.sending_at.strftime('%H:%M:%S.%f')[:-3]} "
                    f"created {row.created_at.strftime('%H:%M:%S.%f')[:-3]} "
                    f"updated {row.updated_at.strftime('%H:%M:%S.%f')[:-3]} sid {row.provider_sid} "
                    f"recovered {bool(rich.get('recovered'))} error {row.error_code} "
                    f"{(row.error_message or '')[:80]!r} body {(row.body or '')[:40]!r}"
                )
        for sid, resource in sorted(twilio.sent.items(), key=lambda item: twilio._created_at.get(item[0], 0)):
            if resource["to"] != to:
                continue
            attempts = [
                r
                for r in twilio.message_attempts
                if r.value("To") == to
                and _key_of(r.value("StatusCallback")) == _key_of(twilio.callback_urls.get(sid))
            ]
            log(
                f"  twilio {sid} {'DUPLICATE ' if sid in duplicates else ''}created "
                f"{_when(twilio._created_at.get(sid))} key {_key_of(twilio.callback_urls.get(sid))} "
                f"creates-with-key {len(attempts)} (answers {[r.status for r in attempts]}) "
                f"body {str(resource.get('body') or '')[:40]!r}"
            )
    return len(duplicates)


__all__ = ["duplicate_sids", "explain_duplicates"]
