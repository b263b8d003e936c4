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

from sqlalchemy import Interval, Select, case, exists, func, literal, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import CTE, Subquery
from sqlmodel import Session

from engine.models import AgentInteraction, Conversation, Message, Rating, RatingSettings, utcnow
from engine.models.base import UTCDateTime, as_utc, zone_or_utc
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


def outcomes(
    session: Session,
    tenant_id: int,
    conversation_ids: Iterable[int] | Select[Any],
    *,
    now: datetime,
    window: timedelta,
    cte: bool = False,
) -> Subquery | CTE:
    """The definition as one SQL statement: a subquery with one row per conversation of this tenant among
    `conversation_ids` (a list, or a SELECT of ids), its facts and its `outcome`. Every fact is an aggregate
    or an EXISTS over the (conversation_id, created_at) indexes, so a period's outcomes are counted by the
    database instead of read row by row (benchmarks/analytics.py: the page's resolution figures). Other
    figures (engine/analytics/satisfaction.py) join it to group outcomes by handler, topic or knowledge entry.

    Columns: conversation_id, customer_id, status, last_activity_at, person (1/0), answered_at (the agent's
    last answer), score and low (1/0; both NULL without an answered rating), outcome."""
    ids: Select[Any] | list[int] = (
        conversation_ids
        if isinstance(conversation_ids, Select)
        else sorted({int(i) for i in conversation_ids}) or [-1]
    )
    conversation = Conversation.__table__.c  # type: ignore[attr-defined]
    message = Message.__table__.c  # type: ignore[attr-defined]
    turn = AgentInteraction.__table__.c  # type: ignore[attr-defined]
    rating = Rating.__table__.c  # type: ignore[attr-defined]
    handed = exists().where(
        turn.tenant_id == tenant_id, turn.conversation_id == conversation.id, turn.handoff.is_(True)
    )
    staff = exists().where(
        message.tenant_id == tenant_id,
        message.conversation_id == conversation.id,
        message.sent_by_user_id.is_not(None),
    )
    answered = (
        select(func.max(message.created_at))
        .where(
            message.tenant_id == tenant_id,
            message.conversation_id == conversation.id,
            message.direction == "outbound",
            message.sender == "agent",
        )
        .scalar_subquery()
    )
    # The latest answered rating (a later one replaces an earlier: each close asks again). Descending order
    # puts a NULL answered_at where ascending order's "later rows win" put it on each database.
    latest = (
        select(rating.score)
        .where(
            rating.tenant_id == tenant_id,
            rating.conversation_id == conversation.id,
            rating.status == "answered",
        )
        .order_by(rating.answered_at.desc(), rating.id.desc())
        .limit(1)
    )
    facts = (
        select(
            conversation.id.label("conversation_id"),
            conversation.customer_id.label("customer_id"),
            conversation.status.label("status"),
            conversation.last_activity_at.label("last_activity_at"),
            case((handed | staff | (conversation.status == "handoff"), 1), else_=0).label("person"),
            answered.label("answered_at"),
            latest.scalar_subquery().label("score"),
            latest.with_only_columns(case((rating.is_low, 1), else_=0)).scalar_subquery().label("low"),
        )
        .where(conversation.tenant_id == tenant_id, conversation.id.in_(ids))
        .offset(0)  # a fence: each fact is computed once per conversation, not once per use below
        .subquery("facts")
    )
    f = facts.c
    outcome = case(
        (f.low == 1, "unresolved"),
        (f.low == 0, case((f.person == 1, "person"), else_="agent")),
        (f.person == 1, case((f.status == "closed", "person"), else_="pending")),
        (f.answered_at.is_(None), case((f.status == "closed", "unresolved"), else_="pending")),
        (_came_back(session, tenant_id, f.customer_id, f.answered_at, window), "unresolved"),
        (f.answered_at <= literal(now - window, UTCDateTime()), "agent"),
        else_="pending",
    )
    # the fence again: a query that groups or joins these rows reads each outcome once, instead of
    # evaluating the CASE (and its EXISTS) once per reference
    judged = select(*facts.c, outcome.label("outcome")).offset(0)
    # as a CTE a statement can read the outcomes twice and PostgreSQL computes them once
    return judged.cte("outcomes") if cte else judged.subquery("outcomes")


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
    window = window or resolution_window(session, tenant_id)
    found = outcomes(session, tenant_id, conversation_ids, now=now or utcnow(), window=window)
    rows = session.execute(
        select(found.c.conversation_id, found.c.outcome, found.c.person, found.c.answered_at)
        .add_columns(found.c.score, found.c.low)
        .order_by(found.c.conversation_id)
    ).all()
    return {
        int(cid): Resolution(
            int(cid),
            outcome,
            bool(person),
            as_utc(answered_at),
            None if score is None else int(score),
            None if low is None else bool(low),
        )
        for cid, outcome, person, answered_at, score, low in rows
    }


def active_conversations(
    tenant_id: int, *, since: datetime, until: datetime, channel: str = "whatsapp"
) -> Select[Any]:
    """The SELECT of the ids of the conversations a period judges: last active in [since, until)."""
    return select(Conversation.id).where(
        Conversation.tenant_id == tenant_id,
        Conversation.channel == channel,
        Conversation.last_activity_at >= since,
        Conversation.last_activity_at < until,
    )


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
    ids = active_conversations(tenant_id, since=since, until=until, channel=channel)
    found = outcomes(session, tenant_id, ids, now=now, window=resolution_window(session, tenant_id))
    counts = dict(
        session.execute(select(found.c.outcome, func.count()).group_by(found.c.outcome)).tuples().all()
    )
    rated, good = csat_counts(session, tenant_id, since=since, until=until)
    return ResolutionSummary(
        by_agent=int(counts.get("agent", 0)),
        by_person=int(counts.get("person", 0)),
        unresolved=int(counts.get("unresolved", 0)),
        pending=int(counts.get("pending", 0)),
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


def _came_back(
    session: Session, tenant_id: int, customer_id: Any, answered_at: Any, window: timedelta
) -> ColumnElement[bool]:
    """EXISTS: the customer wrote again (a rating tap is not writing) in (answered_at, answered_at + window],
    in this conversation or another of theirs: per conversation, a range on the (conversation_id,
    created_at) index of each of the customer's conversations."""
    other = aliased(Conversation)
    message = Message.__table__.c  # type: ignore[attr-defined]
    return (
        select(literal(1))
        .select_from(Message.__table__)
        .join(other, (other.id == message.conversation_id) & (other.tenant_id == tenant_id))
        .where(
            other.customer_id == customer_id,
            message.tenant_id == tenant_id,
            message.direction == "inbound",
            message.created_at > answered_at,
            message.created_at <= _plus(session, answered_at, window),
            message.button_payload.is_(None) | ~message.button_payload.startswith(RATING_PAYLOAD_PREFIX),
        )
        .exists()
    )


def _plus(session: Session, at: Any, window: timedelta) -> ColumnElement[Any]:
    """`at + window` in SQL. SQLite keeps a timestamp as text ('YYYY-MM-DD HH:MM:SS.ffffff'): whole seconds
    are added to its first 19 characters and its fraction kept, so the result compares as text exactly like
    the stored values (julianday arithmetic would be a float, off by microseconds at the window's edge)."""
    seconds = int(window.total_seconds())
    if session.get_bind().dialect.name == "postgresql":
        return at + literal(timedelta(seconds=seconds), Interval())
    return func.strftime("%Y-%m-%d %H:%M:%S", at, f"{seconds:+d} seconds").concat(func.substr(at, 20))


__all__ = [
    "DEFAULT_WINDOW",
    "RatingComment",
    "comments",
    "csat_by_day",
    "Outcome",
    "Resolution",
    "ResolutionSummary",
    "active_conversations",
    "classify",
    "outcomes",
    "csat_counts",
    "resolution_window",
    "summarize",
]
