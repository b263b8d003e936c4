"""How fast and how well the agent answers: response times and the quality signals of its turns.

- First response: per WhatsApp conversation started in the range, from the customer's first message to the
  first answer (agent or person). A welcome sent before the customer wrote is no answer.
- Reply time: every answer, from the oldest customer message it answered (the first one since the previous
  answer) to the answer; by the agent and by a person separately. System messages (campaigns) are no answers.
- Knowledge hit rate: turns whose answer drew on at least one knowledge entry.
- Spelling: "Did you mean…?" questions the customer said yes / no to (the audit log of engine.catalog).
- Suggestions: offered vs taken up (tapped or asked about); "forgot": "did you forget…?" turns where the
  earlier request was found and answered; rich messages: turns by the kind of message sent.
All are SQL aggregates over the range's rows; percentiles nearest-rank (engine.analytics.periods).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from engine.analytics.periods import (
    PERCENTILES,
    Period,
    dialect,
    grouped_percentiles,
    in_period,
    percentiles,
    seconds_between,
)
from engine.catalog.spelling import FEEDBACK_ACCEPTED, FEEDBACK_REJECTED
from engine.models import AgentInteraction, AuditLog, Conversation, Message

ANSWERING = ("agent", "human")


@dataclass(frozen=True, slots=True)
class Times:
    """Seconds at the 50th, 95th and 99th percentile, and how many waits they are over."""

    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    count: int = 0


@dataclass(frozen=True, slots=True)
class Rate:
    part: int = 0
    whole: int = 0

    @property
    def pct(self) -> int | None:
        return round(self.part * 100 / self.whole) if self.whole else None


@dataclass(frozen=True, slots=True)
class Performance:
    first_response: Times = Times()
    agent_reply: Times = Times()
    person_reply: Times = Times()
    turns: int = 0
    knowledge_hits: Rate = Rate()
    spelling_accepted: Rate = Rate()
    suggestions_accepted: Rate = Rate()
    forgot_recovered: Rate = Rate()
    message_kinds: list[tuple[str, int]] = field(default_factory=list)  # (kind, turns), most used first


def _times(session: Session, values: object) -> Times:
    count, found = percentiles(session, values.subquery(), PERCENTILES)  # type: ignore[attr-defined]
    return Times(found[50], found[95], found[99], count) if count else Times()


def first_response(session: Session, tenant_id: int, period: Period) -> Times:
    name = dialect(session)
    mine = (Message.tenant_id == tenant_id, in_period(Message.created_at, period))
    first_in = (
        select(Message.conversation_id.label("cid"), func.min(Message.created_at).label("at"))
        .where(*mine, Message.direction == "inbound")
        .group_by(Message.conversation_id)
        .subquery()
    )
    begun = select(Conversation.id).where(
        Conversation.tenant_id == tenant_id,
        Conversation.channel == "whatsapp",
        in_period(Conversation.created_at, period),
    )
    started = select(first_in.c.cid, first_in.c.at).where(first_in.c.cid.in_(begun)).subquery()
    # the first answer at or after the customer's first message (a welcome sent before it is no answer),
    # found once per conversation through the (conversation_id, created_at) index
    answered = (
        select(started.c.at, func.min(Message.created_at).label("answer"))
        .join(Message, and_(Message.conversation_id == started.c.cid, Message.created_at >= started.c.at))
        .where(
            Message.tenant_id == tenant_id,
            Message.direction == "outbound",
            Message.sender.in_(ANSWERING),  # type: ignore[attr-defined]
        )
        .group_by(started.c.cid, started.c.at)
        .subquery()
    )
    waits = select(seconds_between(answered.c.answer, answered.c.at, name).label("v"))
    return _times(session, waits)


def reply_times(session: Session, tenant_id: int, period: Period) -> tuple[Times, Times]:
    """(agent, person): each answer's wait since the first customer message it answered.

    One pass over the range's messages, no self-join: a running count of answers numbers each stretch of
    customer messages and the answer that closes it (`grp`), and the stretch's first customer message is a
    window minimum over that number — so every answer carries the moment its question was asked."""
    name = dialect(session)
    is_answer = case((Message.direction == "outbound", 1), else_=0)
    numbered = (
        select(
            Message.conversation_id.label("cid"),
            Message.created_at.label("at"),
            Message.direction.label("direction"),
            Message.sender.label("sender"),
            (
                func.sum(is_answer).over(
                    partition_by=Message.conversation_id,
                    order_by=(Message.created_at, Message.id),
                    rows=(None, 0),
                )
                - is_answer
            ).label("grp"),
        )
        .where(
            Message.tenant_id == tenant_id,
            not_playground(tenant_id, Message.conversation_id),
            in_period(Message.created_at, period),
            (Message.direction == "inbound") | Message.sender.in_(ANSWERING),  # type: ignore[attr-defined]
        )
        .subquery()
    )
    asked = (
        select(
            numbered.c.sender,
            numbered.c.at,
            numbered.c.direction,
            func.min(case((numbered.c.direction == "inbound", numbered.c.at)))
            .over(partition_by=(numbered.c.cid, numbered.c.grp))
            .label("asked"),
        )
    ).subquery()
    waits = (
        select(asked.c.sender.label("k"), seconds_between(asked.c.at, asked.c.asked, name).label("v"))
        .where(asked.c.direction == "outbound", asked.c.asked.is_not(None))
        .subquery()
    )
    found = grouped_percentiles(session, waits, PERCENTILES)

    def times(sender: str) -> Times:
        count, at = found.get(sender, (0, {}))
        return Times(at.get(50), at.get(95), at.get(99), count) if count else Times()

    return times("agent"), times("human")


def not_playground(tenant_id: int, column: Any) -> ColumnElement[bool]:
    """The row belongs to a WhatsApp conversation, not the Playground (staff testing their agent): NOT IN
    the tenant's few other conversations, a hashed set, so a range scan stays index-only (no join per row)."""
    others = select(Conversation.id).where(
        Conversation.tenant_id == tenant_id, Conversation.channel != "whatsapp"
    )
    return and_(column.is_not(None), column.not_in(others))


def whatsapp_turn(tenant_id: int) -> ColumnElement[bool]:
    """The turn answered a WhatsApp conversation (see not_playground)."""
    return not_playground(tenant_id, AgentInteraction.conversation_id)


def performance(session: Session, tenant_id: int, period: Period) -> Performance:
    t = AgentInteraction
    turns_where = (t.tenant_id == tenant_id, in_period(t.created_at, period), whatsapp_turn(tenant_id))
    turns, hits, offered, accepted, asked, recovered = session.execute(
        select(
            func.count(),
            func.count().filter(t.knowledge_hit_count > 0),
            func.coalesce(func.sum(t.suggestion_count), 0),
            func.coalesce(func.sum(t.suggestions_accepted), 0),
            func.count(t.recall),
            func.count().filter(t.recall == "recovered"),
        ).where(*turns_where)
    ).one()
    kinds = session.execute(
        select(t.message_type, func.count()).where(*turns_where).group_by(t.message_type)
    ).all()
    spelling = dict(
        session.execute(
            select(AuditLog.action, func.count())
            .where(
                AuditLog.tenant_id == tenant_id,
                AuditLog.action.in_((FEEDBACK_ACCEPTED, FEEDBACK_REJECTED)),  # type: ignore[attr-defined]
                in_period(AuditLog.created_at, period),
            )
            .group_by(AuditLog.action)
        ).all()
    )
    said_yes = int(spelling.get(FEEDBACK_ACCEPTED, 0))
    agent_reply, person_reply = reply_times(session, tenant_id, period)
    return Performance(
        first_response=first_response(session, tenant_id, period),
        agent_reply=agent_reply,
        person_reply=person_reply,
        turns=int(turns or 0),
        knowledge_hits=Rate(int(hits or 0), int(turns or 0)),
        spelling_accepted=Rate(said_yes, said_yes + int(spelling.get(FEEDBACK_REJECTED, 0))),
        suggestions_accepted=Rate(int(accepted or 0), int(offered or 0)),
        forgot_recovered=Rate(int(recovered or 0), int(asked or 0)),
        message_kinds=sorted(((k or "text", int(n)) for k, n in kinds), key=lambda kv: (-kv[1], kv[0])),
    )


__all__ = ["Performance", "Rate", "Times", "first_response", "performance", "reply_times"]
