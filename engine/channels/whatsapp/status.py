"""Delivery status callbacks applied to messages, never moving a status backwards.

Campaign recipients are engine.campaigns.tracking's (their one owner): the webhook calls it, and it calls
`apply_status` here for the message.

A callback whose SID no message holds yet names its message by the idempotency key in the callback URL
(`?k=`): the SID is recorded there, which settles a send that ended unclearly (see `_claim_by_key`).

Twilio's callbacks arrive out of order ("delivered" before "sent" is routine), so each status has a rank and
only a higher rank replaces the current one; the timestamps a late callback carries are still filled in.
A callback can also beat our own write of the message's SID (Twilio answers the create call and fires "sent"
within milliseconds); such callbacks wait in the cache and are replayed when the SID is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from engine.cache import get_cache
from engine.channels.whatsapp.inbound import StatusCallback
from engine.db import TenantScope
from engine.models import Message, utcnow

# Failures outrank "sent" (a sent message can still fail) but not "delivered"/"read" (it arrived).
STATUS_RANK: dict[str, int] = {
    "pending": 0,
    "received": 0,
    "receiving": 0,
    "accepted": 1,
    "scheduled": 1,
    "queued": 2,
    "sending": 3,
    "sent": 4,
    "failed": 5,
    "undelivered": 5,
    "canceled": 5,
    "delivered": 6,
    "read": 7,
    "clicked": 8,  # campaign recipients only: set by a button tap
}
FAILED = frozenset({"failed", "undelivered", "canceled"})
EARLY_TTL = 600.0
IN_FLIGHT = "sending"  # engine.conversations.outbound's mark on a message whose create call is under way


def rank(status: str | None) -> int:
    return STATUS_RANK.get((status or "").lower(), 0)


def moves_forward(current: str | None, new: str) -> bool:
    return rank(new) > rank(current)


@dataclass(frozen=True, slots=True)
class StatusResult:
    message_found: bool
    recipient_found: bool
    message_status: str | None = None
    recipient_status: str | None = None

    @property
    def found(self) -> bool:
        return self.message_found or self.recipient_found


def _apply_to_message(message: Message, cb: StatusCallback, now: datetime) -> bool:
    changed = False
    if moves_forward(message.status, cb.status):
        message.status = cb.status
        changed = True
    if cb.status in FAILED and cb.error_code and message.status in FAILED:
        message.error_code = cb.error_code[:16]
        message.error_message = cb.error_message or message.error_message
        changed = True
    if changed:
        message.updated_at = now
    return changed


def _claim_by_key(scope: TenantScope, cb: StatusCallback, now: datetime) -> Message | None:
    """The message the callback's key names, given the callback's SID when it holds none yet.

    This is the evidence that settles a send which ended unclearly (a timeout after Twilio accepted it, a
    process killed mid-call): Twilio posts "queued"/"sent" within seconds of accepting, and the key in the
    URL names our row, where a look-up in Twilio's Messages list can only match the body. The sender waiting
    on an unclear send (engine.conversations.outbound) finds the SID here and sends nothing again."""
    message = scope.first(
        Message,
        Message.idempotency_key == cb.idempotency_key,
        Message.direction == "outbound",
    )
    if message is None or message.provider_sid:
        return None if message is None or message.provider_sid != cb.message_sid else message
    message.provider_sid = cb.message_sid
    if message.status in ("pending", IN_FLIGHT):
        message.status = "queued"  # our own in-flight mark: Twilio has it (the callback moves it on)
        message.updated_at = now
    return message


def apply_status(
    session: Session,
    tenant_id: int,
    cb: StatusCallback,
    *,
    now: datetime | None = None,
    remember: bool = True,
) -> StatusResult:
    """Apply one callback to the message with that SID (it may be absent).

    When it does not exist yet and `remember` is set, the callback is kept for `replay_early_statuses` (or
    for engine.campaigns, which takes its own through `take_early`).
    """
    now = now or utcnow()
    scope = TenantScope(session, tenant_id)
    message = scope.first(Message, Message.provider_sid == cb.message_sid)
    if message is None and cb.idempotency_key:
        message = _claim_by_key(scope, cb, now)
    if message is not None and _apply_to_message(message, cb, now):
        session.add(message)
    session.flush()
    result = StatusResult(
        message_found=message is not None,
        recipient_found=False,
        message_status=message.status if message else None,
    )
    if not result.found and remember:
        key = _early_key(tenant_id, cb.message_sid)
        cache = get_cache()
        pending = list(cache.get(key) or [])
        pending.append([cb.status, cb.error_code, cb.error_message])
        cache.set(key, pending[-10:], EARLY_TTL)
    return result


def replay_early_statuses(session: Session, tenant_id: int, message_sid: str) -> int:
    """Apply callbacks that arrived before `message_sid` was recorded; returns how many there were."""
    key = _early_key(tenant_id, message_sid)
    cache = get_cache()
    pending = cache.get(key)
    if not pending:
        return 0
    cache.delete(key)
    for status, error_code, error_message in pending:
        apply_status(
            session,
            tenant_id,
            StatusCallback(
                message_sid=message_sid,
                status=status,
                from_=None,
                to=None,
                error_code=error_code,
                error_message=error_message,
            ),
            remember=False,
        )
    return len(pending)


def take_early(tenant_id: int, message_sid: str) -> list[tuple[str, str | None, str | None]]:
    """The callbacks kept for `message_sid` before it was recorded, removed from the cache."""
    key = _early_key(tenant_id, message_sid)
    cache = get_cache()
    pending = cache.get(key)
    if not pending:
        return []
    cache.delete(key)
    return [(str(s), c, m) for s, c, m in pending]


def _early_key(tenant_id: int, message_sid: str) -> str:
    return f"wa:status-early:{tenant_id}:{message_sid}"


__all__ = [
    "STATUS_RANK",
    "StatusResult",
    "apply_status",
    "moves_forward",
    "rank",
    "replay_early_statuses",
    "take_early",
]
