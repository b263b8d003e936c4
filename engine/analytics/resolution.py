"""What "resolved by the agent" means — the one definition the Overview and the analytics pages use.

A conversation closed without a person says little: the customer may simply have given up. So a conversation
counts as resolved by the agent when

* the customer rated it well (their latest answered rating is not low) and no person was involved, or
* no person was involved, and the customer did not come back within the tenant's window (rating settings,
  `resolution_window_hours`) after the agent's last answer — in this conversation or a new one.

"A person was involved" = the agent handed off (an agent_interaction with handoff), staff wrote in it, or it
is waiting for a person now. Tapping a rating button is not "coming back".

Each conversation gets one outcome:

    agent       resolved by the agent (the definition above)
    person      a person was involved, and it was closed or rated well
    unresolved  rated low, or the customer came back to a question the agent's answer did not settle
    pending     too early to tell: the window after the agent's last answer is still open, or a person
                is still on it

Rates are over the decided ones (agent + person + unresolved); pending ones wait.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Select, func, select
from sqlmodel import Session

from engine.models import AgentInteraction, Conversation, Message, Rating, RatingSettings, utcnow
from engine.models.base import as_utc, zone_or_utc
from engine.models.ratings import RATING_PAYLOAD_PREFIX

Outcome = Literal["agent", "person", "unresolved", "pending"]
DEFAULT_WINDOW = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class Resolution:
    """One conversation's outcome and the facts that decided it."""

    conversation_id: int
    outcome: Outcome
    person_involved: bool
    last_agent_answer_at: datetime | None
    rating_score: int | None  # the latest answered rating
    rating_low: bool | None


@dataclass(frozen=True, slots=True)
class ResolutionSummary:
    """Counts over a period; `by_agent_pct` is the Overview's "Resolved by the agent"."""

    by_agent: int
    by_person: int
    unresolved: int
    pending: int
    rated: int
    rated_good: int

    @property
    def decided(self) -> int:
        return self.by_agent + self.by_person + self.unresolved

    @property
    def by_agent_pct(self) -> int | None:
        return round(self.by_agent * 100 / self.decided) if self.decided else None

    @property
    def csat_pct(self) -> int | None:
        """CSAT: the share of answered ratings that were good."""
        return round(self.rated_good * 100 / self.rated) if self.rated else None


def resolution_window(session: Session, tenant_id: int) -> timedelta:
    """The tenant's silence window after the agent's last answer (Settings → Integrations → Ratings)."""
    hours = session.execute(
        select(RatingSettings.resolution_window_hours).where(RatingSettings.tenant_id == tenant_id)
    ).scalar()
    return timedelta(hours=int(hours)) if hours else DEFAULT_WINDOW


def classify(
    session: Session,
    tenant_id: int,
    conversation_ids: Iterable[int] | Select[Any],
    *,
    now: datetime | None = None,
    window: timedelta | None = None,
) -> dict[int, Resolution]:
    """The outcome of each conversation (of this tenant; other ids are ignored). `conversation_ids` may be a
    SELECT of ids: a period's thousands of conversations then stay a subquery, not thousands of bound
    parameters (5,000 ids as a list cost ~0.7 s of statement compiling on SQLite)."""
    now = now or utcnow()
    ids: Select[Any] | list[int]
    if isinstance(conversation_ids, Select):
        ids = conversation_ids
    else:
        ids = sorted({int(i) for i in conversation_ids})
        if not ids:
            return {}
    window = window or resolution_window(session, tenant_id)
    rows = session.execute(
        select(Conversation.id, Conversation.customer_id, Conversation.status).where(
            Conversation.tenant_id == tenant_id,
            Conversation.id.in_(ids),  # type: ignore[union-attr]
        )
    ).all()
    handed = set(
        session.execute(
            select(AgentInteraction.conversation_id).where(
                AgentInteraction.tenant_id == tenant_id,
                AgentInteraction.conversation_id.in_(ids),  # type: ignore[union-attr]
                AgentInteraction.handoff.is_(True),  # type: ignore[attr-defined]
            )
        ).scalars()
    )
    staff = set(
        session.execute(
            select(Message.conversation_id).where(
                Message.tenant_id == tenant_id,
                Message.conversation_id.in_(ids),  # type: ignore[attr-defined]
                Message.sent_by_user_id.is_not(None),  # type: ignore[union-attr]
            )
        ).scalars()
    )
    last_answer = {
        int(cid): as_utc(at)
        for cid, at in session.execute(
            select(Message.conversation_id, func.max(Message.created_at))
            .where(
                Message.tenant_id == tenant_id,
                Message.conversation_id.in_(ids),  # type: ignore[attr-defined]
                Message.direction == "outbound",
                Message.sender == "agent",
            )
            .group_by(Message.conversation_id)
        ).all()
    }
    ratings = _latest_ratings(session, tenant_id, ids)
    customers = select(Conversation.customer_id).where(
        Conversation.tenant_id == tenant_id,
        Conversation.id.in_(ids),  # type: ignore[union-attr]
    )
    earliest = min((at for at in last_answer.values() if at is not None), default=None)
    inbound = _inbound_times(session, tenant_id, customers, earliest) if rows else {}

    found: dict[int, Resolution] = {}
    for cid, customer_id, status in rows:
        cid = int(cid)
        person = cid in handed or cid in staff or status == "handoff"
        answered_at = last_answer.get(cid)
        score, low = ratings.get(cid, (None, None))
        outcome = _outcome(
            person=person,
            status=status,
            answered_at=answered_at,
            low=low,
            came_back=_came_back(inbound.get(int(customer_id), []), answered_at, window),
            now=now,
            window=window,
        )
        found[cid] = Resolution(cid, outcome, person, answered_at, score, low)
    return found


def summarize(
    session: Session,
    tenant_id: int,
    *,
    since: datetime,
    until: datetime | None = None,
    now: datetime | None = None,
    channel: str = "whatsapp",
) -> ResolutionSummary:
    """Outcomes of the conversations active in [since, until): WhatsApp ones by default (the Playground is
    staff testing their agent), with the CSAT of the ratings answered in the same period."""
    now = now or utcnow()
    until = until or now
    ids = select(Conversation.id).where(
        Conversation.tenant_id == tenant_id,
        Conversation.channel == channel,
        Conversation.last_activity_at >= since,
        Conversation.last_activity_at < until,
    )
    outcomes = [r.outcome for r in classify(session, tenant_id, ids, now=now).values()]
    rated, good = csat_counts(session, tenant_id, since=since, until=until)
    return ResolutionSummary(
        by_agent=outcomes.count("agent"),
        by_person=outcomes.count("person"),
        unresolved=outcomes.count("unresolved"),
        pending=outcomes.count("pending"),
        rated=rated,
        rated_good=good,
    )


def csat_counts(session: Session, tenant_id: int, *, since: datetime, until: datetime) -> tuple[int, int]:
    """(ratings answered, of which good) in [since, until)."""
    rows = session.execute(
        select(Rating.is_low).where(
            Rating.tenant_id == tenant_id,
            Rating.status == "answered",
            Rating.answered_at >= since,  # type: ignore[operator]
            Rating.answered_at < until,  # type: ignore[operator]
        )
    ).scalars()
    lows = list(rows)
    return len(lows), sum(1 for low in lows if not low)


@dataclass(frozen=True, slots=True)
class RatingComment:
    conversation_id: int
    score: int
    scale: int
    low: bool
    comment: str
    answered_at: datetime


def comments(
    session: Session, tenant_id: int, *, since: datetime, until: datetime, limit: int = 50
) -> list[RatingComment]:
    """What customers wrote after rating, newest first (the analytics page lists them beside CSAT)."""
    rows = session.execute(
        select(Rating)
        .where(
            Rating.tenant_id == tenant_id,
            Rating.status == "answered",
            Rating.comment.is_not(None),  # type: ignore[union-attr]
            Rating.answered_at >= since,  # type: ignore[operator]
            Rating.answered_at < until,  # type: ignore[operator]
        )
        .order_by(Rating.answered_at.desc(), Rating.id.desc())  # type: ignore[union-attr]
        .limit(limit)
    ).scalars()
    return [
        RatingComment(
            r.conversation_id, int(r.score or 0), r.scale, bool(r.is_low), r.comment or "", r.answered_at
        )  # type: ignore[arg-type]
        for r in rows
    ]


def csat_by_day(
    session: Session, tenant_id: int, *, since: datetime, until: datetime, time_zone: str = "UTC"
) -> list[tuple[date, int, int]]:
    """(day in the tenant's zone, ratings answered, of which good), oldest first: CSAT's trend."""
    zone = zone_or_utc(time_zone)
    rows = session.execute(
        select(Rating.answered_at, Rating.is_low).where(
            Rating.tenant_id == tenant_id,
            Rating.status == "answered",
            Rating.answered_at >= since,  # type: ignore[operator]
            Rating.answered_at < until,  # type: ignore[operator]
        )
    ).all()
    days: dict[date, list[int]] = {}
    for at, low in rows:
        day = as_utc(at).astimezone(zone).date()  # type: ignore[union-attr]
        counts = days.setdefault(day, [0, 0])
        counts[0] += 1
        counts[1] += 0 if low else 1
    return [(day, n, good) for day, (n, good) in sorted(days.items())]


# ------------------------------------------------------------------------------------------------ helpers


def _outcome(
    *,
    person: bool,
    status: str,
    answered_at: datetime | None,
    low: bool | None,
    came_back: bool,
    now: datetime,
    window: timedelta,
) -> Outcome:
    if low is True:
        return "unresolved"
    if low is False:
        return "person" if person else "agent"
    if person:
        return "person" if status == "closed" else "pending"
    if answered_at is None:
        return "unresolved" if status == "closed" else "pending"
    if came_back:
        return "unresolved"
    return "agent" if now - answered_at >= window else "pending"


def _came_back(times: list[datetime], answered_at: datetime | None, window: timedelta) -> bool:
    if answered_at is None:
        return False
    return any(answered_at < at <= answered_at + window for at in times)


def _latest_ratings(
    session: Session, tenant_id: int, ids: list[int] | Select[Any]
) -> dict[int, tuple[int, bool]]:
    rows = session.execute(
        select(Rating.conversation_id, Rating.score, Rating.is_low, Rating.answered_at)
        .where(
            Rating.tenant_id == tenant_id,
            Rating.conversation_id.in_(ids),  # type: ignore[attr-defined]
            Rating.status == "answered",
        )
        .order_by(Rating.answered_at, Rating.id)
    ).all()
    return {int(cid): (int(score), bool(low)) for cid, score, low, _ in rows}  # later rows win


def _inbound_times(
    session: Session, tenant_id: int, customers: Select[Any], since: datetime | None
) -> dict[int, list[datetime]]:
    """The customers' own messages (rating taps left out) since the earliest answer we judge."""
    if since is None:
        return {}
    rows = session.execute(
        select(Conversation.customer_id, Message.created_at)
        .join(
            Conversation, (Conversation.id == Message.conversation_id) & (Conversation.tenant_id == tenant_id)
        )
        .where(
            Message.tenant_id == tenant_id,
            Message.direction == "inbound",
            Message.created_at > since,
            Conversation.customer_id.in_(customers),  # type: ignore[attr-defined]
            (Message.button_payload.is_(None))  # type: ignore[union-attr]
            | ~Message.button_payload.startswith(RATING_PAYLOAD_PREFIX),  # type: ignore[union-attr]
        )
        .order_by(Message.created_at)
    ).all()
    found: dict[int, list[datetime]] = {}
    for customer_id, at in rows:
        found.setdefault(int(customer_id), []).append(as_utc(at))  # type: ignore[arg-type]
    return found


__all__ = [
    "DEFAULT_WINDOW",
    "RatingComment",
    "comments",
    "csat_by_day",
    "Outcome",
    "Resolution",
    "ResolutionSummary",
    "classify",
    "csat_counts",
    "resolution_window",
    "summarize",
]
