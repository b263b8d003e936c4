"""Ratings in the chat: the tenant's rules, the words in the customer's language, and what a tap does.

A rating button's id is "rate:<rating id>:<score>" (a template's buttons cannot carry the id, so theirs are
"rate:t:<score>" and name the customer's latest open request). Ingest recognises the tap by that prefix and
calls `record_tap` in the webhook's transaction: the score is stored, "rating received" is emitted, and a low
score waits for the job to ask one optional follow-up ("What went wrong?"); the customer's next words within
a day are its comment. A low rating is listed under "Needs attention" on the Overview until someone looks at
it, and can hand the conversation back to a person (a tenant setting, or a click).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from engine.conversations import lifecycle
from engine.db import TenantScope
from engine.integrations.events import emit
from engine.locales import locale
from engine.models import Conversation, Customer, Rating, RatingSettings, utcnow
from engine.models.ratings import RATING_PAYLOAD_PREFIX

COMMENT_WINDOW = timedelta(hours=24)  # the customer's words after the follow-up count as its comment
TAP_WINDOW = timedelta(days=7)  # a template's tap names the customer's latest request in this time
TITLE_MAX = 20  # WhatsApp's quick-reply title limit
QUESTION_MAX = 300
LOW_REASON = "the customer rated the conversation low"


class RatingError(ValueError):
    """A settings change or action refused; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class RatingRules:
    """A tenant's rating settings as the console and the job read them."""

    enabled: bool
    scale: int
    titles: list[str]  # the shop's own titles, best first (empty: the customer's language's)
    question: str | None
    low_at_most: int
    reopen_on_low: bool
    min_days_between: int
    resolution_window_hours: int
    template_sid: str | None
    template_status: str


@dataclass(frozen=True, slots=True)
class RatingView:
    id: int
    conversation_id: int
    status: str  # due | asked | answered | skipped
    status_label: str
    score: int | None
    scale: int
    score_label: str | None  # the button's title, e.g. "😀 Great"
    is_low: bool
    comment: str | None
    resolved_by: str
    asked_at: datetime | None
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """A low rating nobody has looked at yet: Overview → Needs attention."""

    rating_id: int
    conversation_id: int
    customer: str
    score_label: str
    comment: str | None
    answered_at: datetime | None
    conversation_open: bool


@dataclass(frozen=True, slots=True)
class TapRoute:
    """Where an inbound rating tap (or follow-up comment) belongs: the rated conversation."""

    rating_id: int
    conversation_id: int
    kind: str  # tap | comment
    score: int | None = None


SKIP_WORDS = {
    "off": "ratings are off",
    "opted_out": "the customer opted out",
    "handoff": "a person is on the conversation",
    "rate_limited": "asked recently",
    "outside_window": "outside the 24-hour window and no approved template",
    "reopened": "the conversation was reopened",
    "send_failed": "the message could not be sent",
}
STATUS_WORDS = {"due": "About to ask", "asked": "Asked", "answered": "Rated", "skipped": "Not asked"}


# ------------------------------------------------------------------------------------------------ settings


def rules(session: Session, tenant_id: int) -> RatingRules:
    row = TenantScope(session, tenant_id).first(RatingSettings)
    if row is None:
        row = RatingSettings(tenant_id=tenant_id, enabled=False)
    return RatingRules(
        enabled=row.enabled,
        scale=row.scale,
        titles=list(row.titles),
        question=row.question,
        low_at_most=row.low_at_most,
        reopen_on_low=row.reopen_on_low,
        min_days_between=row.min_days_between,
        resolution_window_hours=row.resolution_window_hours,
        template_sid=row.template_sid,
        template_status=row.template_status,
    )


def save_rules(
    session: Session,
    tenant_id: int,
    *,
    enabled: bool,
    scale: int,
    titles: list[str],
    question: str | None,
    low_at_most: int,
    reopen_on_low: bool,
    min_days_between: int,
    resolution_window_hours: int,
) -> RatingRules:
    """Validate and save; every refusal names its field in words."""
    if scale not in (2, 3):
        raise RatingError("Choose 2 or 3 buttons (WhatsApp shows at most 3 in a chat).", "scale")
    cleaned = [" ".join(t.split()) for t in titles if t and t.strip()]
    if cleaned and len(cleaned) != scale:
        raise RatingError(f"Write {scale} button titles, best first, or leave them all empty.", "titles")
    if any(len(t) > TITLE_MAX for t in cleaned):
        raise RatingError(f"Keep each button title to {TITLE_MAX} characters.", "titles")
    if len(set(cleaned)) != len(cleaned):
        raise RatingError("Give each button a different title.", "titles")
    question = " ".join((question or "").split()) or None
    if question and len(question) > QUESTION_MAX:
        raise RatingError(f"Keep the question under {QUESTION_MAX} characters.", "question")
    if not 1 <= low_at_most < scale:
        raise RatingError("A low rating must be below the best score.", "low_at_most")
    if not 0 <= min_days_between <= 365:
        raise RatingError("Ask a customer at most once in 0 to 365 days.", "min_days_between")
    if not 1 <= resolution_window_hours <= 168:
        raise RatingError("The quiet time after an answer is 1 to 168 hours.", "resolution_window_hours")
    scope = TenantScope(session, tenant_id)
    row = scope.first(RatingSettings) or RatingSettings(tenant_id=tenant_id)
    row.enabled = bool(enabled)
    row.scale = scale
    row.titles = cleaned
    row.question = question
    row.low_at_most = low_at_most
    row.reopen_on_low = bool(reopen_on_low)
    row.min_days_between = min_days_between
    row.resolution_window_hours = resolution_window_hours
    row.updated_at = utcnow()
    scope.add(row)
    return rules(session, tenant_id)


def words(language: str | None) -> dict[str | int, Any]:
    """The rating's wording in the customer's language (engine/locales `rating`; English for a
    language with none): the question, the buttons by scale (3 and 2), the follow-up and the thanks."""
    found = locale((language or "en")[:2]).get("rating") or locale("en")["rating"]
    return {**found, 3: found["three"], 2: found["two"]}


def titles_for(settings: RatingRules, language: str | None) -> list[str]:
    """The buttons' titles, best first: the shop's own, or the customer's language's."""
    if settings.titles and len(settings.titles) == settings.scale:
        return list(settings.titles)
    return list(words(language)[settings.scale])  # type: ignore[call-overload]


def question_for(settings: RatingRules, language: str | None) -> str:
    return settings.question or str(words(language)["question"])


def buttons(rating_id: int | str, settings: RatingRules, language: str | None) -> list[tuple[str, str]]:
    """(id, title) per button, best first: the score is scale, scale-1, … 1."""
    titles = titles_for(settings, language)
    return [(f"{RATING_PAYLOAD_PREFIX}{rating_id}:{settings.scale - i}", t) for i, t in enumerate(titles)]


def parse_tap(payload: str | None) -> tuple[int | None, int] | None:
    """(rating id or None for a template's button, score) from a button id; None for any other button."""
    if not payload or not payload.startswith(RATING_PAYLOAD_PREFIX):
        return None
    parts = payload[len(RATING_PAYLOAD_PREFIX) :].split(":")
    if len(parts) != 2 or not parts[1].isdigit():
        return None
    rating = int(parts[0]) if parts[0].isdigit() else None
    return rating, int(parts[1])


# ------------------------------------------------------------------------------------------------ inbound


def route_inbound(
    session: Session,
    tenant_id: int,
    customer_id: int,
    *,
    button_payload: str | None,
    has_open_conversation: bool,
    now: datetime,
) -> TapRoute | None:
    """Whether this inbound message answers a rating: a tap, or (with no open conversation) the comment
    after a low rating's follow-up. None: an ordinary message."""
    tap = parse_tap(button_payload)
    scope = TenantScope(session, tenant_id)
    if tap is not None:
        rating_id, score = tap
        if rating_id is not None:
            row = scope.get(Rating, rating_id)
        else:
            row = session.exec(
                scope.select(Rating)
                .where(
                    Rating.customer_id == customer_id,
                    Rating.status.in_(("asked", "answered")),  # type: ignore[attr-defined]
                    Rating.asked_at >= now - TAP_WINDOW,  # type: ignore[operator]
                )
                .order_by(Rating.asked_at.desc(), Rating.id.desc())  # type: ignore[union-attr]
            ).first()
        if row is None or row.customer_id != customer_id or not 1 <= score <= row.scale:
            return None
        return TapRoute(int(row.id or 0), row.conversation_id, "tap", score)
    if has_open_conversation:
        return None
    waiting = session.exec(
        scope.select(Rating)
        .where(
            Rating.customer_id == customer_id,
            Rating.is_low.is_(True),  # type: ignore[union-attr]
            Rating.comment.is_(None),  # type: ignore[union-attr]
            Rating.follow_up_asked_at >= now - COMMENT_WINDOW,  # type: ignore[operator]
        )
        .order_by(Rating.follow_up_asked_at.desc())  # type: ignore[union-attr]
    ).first()
    if waiting is None:
        return None
    return TapRoute(int(waiting.id or 0), waiting.conversation_id, "comment")


def record_tap(session: Session, tenant_id: int, route: TapRoute, *, now: datetime) -> Rating:
    """The customer's score (a second tap changes it); emits "rating received". A low score may hand the
    conversation back to a person (the tenant's setting)."""
    scope = TenantScope(session, tenant_id)
    row = scope.require(Rating, route.rating_id)
    settings = rules(session, tenant_id)
    first = row.answered_at is None
    row.score = int(route.score or 0)
    row.is_low = row.score <= settings.low_at_most
    row.status = "answered"
    row.answered_at = now
    session.add(row)
    session.flush()
    emit(
        session,
        tenant_id,
        "rating.received",
        {
            "conversation_id": row.conversation_id,
            "rating_id": row.id,
            "score": row.score,
            "scale": row.scale,
            "low": row.is_low,
        },
        now=now,
    )
    if first and row.is_low and settings.reopen_on_low:
        _reopen_for_person(session, tenant_id, row, None, now)
    return row


def record_comment(session: Session, tenant_id: int, route: TapRoute, text: str, *, now: datetime) -> Rating:
    row = TenantScope(session, tenant_id).require(Rating, route.rating_id)
    row.comment = (text or "").strip()[:2000] or None
    session.add(row)
    session.flush()
    return row


def record(session: Session, tenant_id: int, route: TapRoute, text: str, *, now: datetime) -> Rating:
    """Ingest's one call: a tap's score, or the follow-up's comment."""
    if route.kind == "tap":
        return record_tap(session, tenant_id, route, now=now)
    return record_comment(session, tenant_id, route, text, now=now)


# ------------------------------------------------------------------------------------------------ reading


def ratings_of(session: Session, tenant_id: int, conversation_id: int) -> list[RatingView]:
    """Every rating request of one conversation, oldest first (the inbox's transcript and context pane)."""
    scope = TenantScope(session, tenant_id)
    rows = scope.all(Rating, Rating.conversation_id == conversation_id)
    customer = None
    if rows:
        customer = scope.get(Customer, rows[0].customer_id)
    settings = rules(session, tenant_id)
    return [_view(r, settings, customer.language if customer else None) for r in sorted(rows, key=_order)]


def needs_attention(session: Session, tenant_id: int, *, limit: int = 10) -> list[AttentionItem]:
    """Low ratings nobody has dealt with, newest first."""
    rows = session.execute(
        select(Rating, Customer.name, Customer.phone, Customer.language, Conversation.status)
        .join(Customer, (Customer.id == Rating.customer_id) & (Customer.tenant_id == Rating.tenant_id))
        .join(
            Conversation,
            (Conversation.id == Rating.conversation_id) & (Conversation.tenant_id == Rating.tenant_id),
        )
        .where(
            Rating.tenant_id == tenant_id,
            Rating.is_low.is_(True),  # type: ignore[union-attr]
            Rating.attention_cleared_at.is_(None),  # type: ignore[union-attr]
        )
        .order_by(Rating.answered_at.desc(), Rating.id.desc())  # type: ignore[union-attr]
        .limit(limit)
    ).all()
    settings = rules(session, tenant_id)
    items = []
    for row, name, phone, language, status in rows:
        items.append(
            AttentionItem(
                rating_id=int(row.id or 0),
                conversation_id=row.conversation_id,
                customer=name or phone.removeprefix("whatsapp:"),
                score_label=score_label(row, settings, language) or "",
                comment=row.comment,
                answered_at=row.answered_at,
                conversation_open=status != "closed",
            )
        )
    return items


def score_label(row: Rating, settings: RatingRules, language: str | None) -> str | None:
    if row.score is None:
        return None
    titles = titles_for(settings, language) if settings.scale == row.scale else []
    index = row.scale - row.score
    return titles[index] if 0 <= index < len(titles) else f"{row.score} of {row.scale}"


# ------------------------------------------------------------------------------------------------ actions


def mark_seen(session: Session, tenant_id: int, rating_id: int, *, user_id: int | None) -> None:
    """Staff looked at a low rating: it leaves Needs attention."""
    row = TenantScope(session, tenant_id).require(Rating, rating_id)
    row.attention_cleared_at = utcnow()
    session.add(row)
    session.flush()


def reopen_for_person(
    session: Session, tenant_id: int, rating_id: int, *, user_id: int | None
) -> Conversation:
    """Back to a person: the rated conversation reopened and handed off (refused, in words, when the
    customer has another open conversation)."""
    row = TenantScope(session, tenant_id).require(Rating, rating_id)
    conversation = _reopen_for_person(session, tenant_id, row, user_id, utcnow())
    if conversation is None:
        raise RatingError("This customer already has an open conversation: answer them there.")
    row.attention_cleared_at = utcnow()
    session.add(row)
    session.flush()
    return int(conversation.id or 0)


def _reopen_for_person(
    session: Session, tenant_id: int, row: Rating, user_id: int | None, now: datetime
) -> Conversation | None:
    conversation = TenantScope(session, tenant_id).require(Conversation, row.conversation_id)
    if conversation.status == "closed":
        try:
            lifecycle.reopen(session, tenant_id, row.conversation_id, user_id, actor_label="rating", now=now)
        except lifecycle.ConversationActionError:
            return None
    return lifecycle.hand_off(
        session,
        tenant_id,
        row.conversation_id,
        reason=LOW_REASON,
        category="low_rating",
        actor_label="rating",
        now=now,
    )


def _view(row: Rating, settings: RatingRules, language: str | None) -> RatingView:
    status_label = STATUS_WORDS.get(row.status, row.status)
    if row.status == "skipped" and row.skip_reason:
        status_label = f"Not asked: {SKIP_WORDS.get(row.skip_reason, row.skip_reason)}"
    return RatingView(
        id=int(row.id or 0),
        conversation_id=row.conversation_id,
        status=row.status,
        status_label=status_label,
        score=row.score,
        scale=row.scale,
        score_label=score_label(row, settings, language),
        is_low=bool(row.is_low),
        comment=row.comment,
        resolved_by=row.resolved_by,
        asked_at=row.asked_at,
        answered_at=row.answered_at,
    )


def _order(row: Rating) -> tuple[datetime, int]:
    return (row.created_at, int(row.id or 0))


__all__ = [
    "AttentionItem",
    "RatingError",
    "RatingRules",
    "RatingView",
    "TapRoute",
    "buttons",
    "mark_seen",
    "needs_attention",
    "parse_tap",
    "question_for",
    "ratings_of",
    "record",
    "record_comment",
    "record_tap",
    "reopen_for_person",
    "route_inbound",
    "rules",
    "save_rules",
    "titles_for",
    "words",
]
