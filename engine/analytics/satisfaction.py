"""Satisfaction (issue #18 item 2): how often conversations end resolved and how customers rate them — the
trend over the range, and split by who handled them (the agent alone or a person), by topic and by the
knowledge entries the agent's answers drew on — with what customers wrote.

One definition throughout: the conversations are resolution.summarize's (WhatsApp, last active in the
range), each with its outcome from resolution.outcomes (one SQL statement). A group's resolution rate is the
share of its decided conversations (not pending) that ended resolved, by the agent or by a person; "by the
agent" alone is the KPI card's figure. CSAT is the share of good ratings among those answered in the range:
resolution.csat_by_day for the trend and the total, the same ratings joined to their conversation for a
group.

Topics are topics.py's: the requests (intent names) of a conversation's agent turns, and the product or
service it was last about. The knowledge entries an answer used are agent_interaction.knowledge_entry_ids (a
plain copy of the ids in the encrypted knowledge_hits, kept in step by the model), unnested in SQL like the
intent names: the by-entry figures are an aggregate too. Only an entry deleted since has its title read from
a turn's (encrypted) hits — one turn per such entry, at most TOP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, Select, String, case, cast, func, literal_column, select, true, union_all
from sqlalchemy.sql.selectable import Subquery
from sqlmodel import Session

from engine.analytics.periods import Period, as_date, dialect, in_period, local_day
from engine.analytics.resolution import (
    RatingComment,
    ResolutionSummary,
    active_conversations,
    comments,
    csat_by_day,
    outcomes,
    resolution_window,
)
from engine.models import (
    AgentInteraction,
    ConversationContext,
    KnowledgeEntry,
    Product,
    Rating,
    Service,
    utcnow,
)

TOP = 10
MAX_INTENTS = 8  # per turn (the model lists a few; what is past this is never counted)
MAX_ENTRIES = 64  # entries per turn: a bound for PostgreSQL's estimate, far above a turn's (3 per request)
COMMENTS = 20


@dataclass(frozen=True, slots=True)
class Figures:
    """Resolution and ratings of one group of conversations (or one bucket of the trend)."""

    conversations: int = 0
    decided: int = 0  # agent + person + unresolved (pending ones wait)
    resolved: int = 0  # by the agent or by a person
    by_agent: int = 0
    rated: int = 0  # ratings answered in the range
    good: int = 0

    @property
    def resolved_pct(self) -> int | None:
        return round(self.resolved * 100 / self.decided) if self.decided else None

    @property
    def by_agent_pct(self) -> int | None:
        return round(self.by_agent * 100 / self.decided) if self.decided else None

    @property
    def csat_pct(self) -> int | None:
        return round(self.good * 100 / self.rated) if self.rated else None

    def summary(self) -> ResolutionSummary:
        """The same counts as resolution.summarize's, for the same range (the page computes them once)."""
        return ResolutionSummary(
            by_agent=self.by_agent,
            by_person=self.resolved - self.by_agent,
            unresolved=self.decided - self.resolved,
            pending=self.conversations - self.decided,
            rated=self.rated,
            rated_good=self.good,
        )

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.conversations + other.conversations,
            self.decided + other.decided,
            self.resolved + other.resolved,
            self.by_agent + other.by_agent,
            self.rated + other.rated,
            self.good + other.good,
        )


@dataclass(frozen=True, slots=True)
class Group:
    key: str  # "agent" | "person"; "intent:<code>", "product:<id>", "service:<id>"; "knowledge:<id>"
    label: str  # a product's, service's or entry's name; the intent's code (labels.intent_label says it)
    figures: Figures


@dataclass(frozen=True, slots=True)
class TrendPoint:
    day: date  # the bucket's first day
    figures: Figures  # resolution of the conversations last active in it; ratings answered in it


@dataclass(frozen=True, slots=True)
class Satisfaction:
    total: Figures = Figures()
    trend: list[TrendPoint] = field(default_factory=list)
    by_handler: list[Group] = field(default_factory=list)
    by_topic: list[Group] = field(default_factory=list)
    by_knowledge: list[Group] = field(default_factory=list)
    comments: list[RatingComment] = field(default_factory=list)


def satisfaction(
    session: Session,
    tenant_id: int,
    period: Period,
    *,
    now: datetime | None = None,
    knowledge: bool = True,
) -> Satisfaction:
    """Everything above for a range. `knowledge=False` leaves the by-entry table out (the console loads it
    after the page's figures, with by_knowledge_entry)."""
    now = now or utcnow()
    ids = active_conversations(tenant_id, since=period.since, until=period.until)
    judged = _judged(session, tenant_id, ids, now, cte=True)
    trend, by_handler, by_topic = _grouped(session, tenant_id, period, judged, ids)
    counted = sum((g.figures for g in by_handler), Figures())
    ratings = sum((p.figures for p in trend), Figures())  # every rating answered in the range
    total = Figures(*_counts(counted), rated=ratings.rated, good=ratings.good)
    return Satisfaction(
        total=total,
        trend=trend,
        by_handler=by_handler,
        by_topic=by_topic,
        by_knowledge=by_knowledge_entry(session, tenant_id, period, now=now) if knowledge else [],
        comments=comments(session, tenant_id, since=period.since, until=period.until, limit=COMMENTS),
    )


def by_knowledge_entry(
    session: Session, tenant_id: int, period: Period, *, now: datetime | None = None
) -> list[Group]:
    """The knowledge entries the agent's answers drew on (the TOP by conversations), each conversation
    counted once per entry: one statement over knowledge_entry_ids (the module says how)."""
    now = now or utcnow()
    ids = active_conversations(tenant_id, since=period.since, until=period.until)
    return _by_knowledge(session, tenant_id, period, lambda c: _judged(session, tenant_id, c, now), ids)


# ------------------------------------------------------------------------------------------------ helpers


def _judged(
    session: Session, tenant_id: int, conversation_ids: Any, now: datetime, *, cte: bool = False
) -> Any:
    return outcomes(
        session, tenant_id, conversation_ids, now=now, window=resolution_window(session, tenant_id), cte=cte
    )


def _ratings(tenant_id: int, period: Period) -> Subquery:
    """Ratings answered in the range, per conversation: (conversation_id, rated, good)."""
    return (
        select(
            Rating.conversation_id,
            func.count().label("rated"),
            func.sum(case((Rating.is_low.is_(True), 0), else_=1)).label("good"),  # type: ignore[union-attr]
        )
        .where(
            Rating.tenant_id == tenant_id,
            Rating.status == "answered",
            in_period(Rating.answered_at, period),
        )
        .group_by(Rating.conversation_id)
        .subquery("rated")
    )


def _figures(judged: Any, rated: Subquery) -> list[Any]:
    o = judged.c
    return [
        func.count(),
        func.sum(case((o.outcome != "pending", 1), else_=0)),
        func.sum(case((o.outcome.in_(("agent", "person")), 1), else_=0)),
        func.sum(case((o.outcome == "agent", 1), else_=0)),
        func.coalesce(func.sum(rated.c.rated), 0),
        func.coalesce(func.sum(rated.c.good), 0),
    ]


def _read(row: Any) -> Figures:
    return Figures(*(int(v or 0) for v in row))


def _grouped(
    session: Session, tenant_id: int, period: Period, judged: Any, ids: Any
) -> tuple[list[TrendPoint], list[Group], list[Group]]:
    """The trend, the handlers and the topics in one statement over the outcomes (a CTE read twice,
    computed once): rows grouped by (local day of last activity, person involved), then by topic. The
    ratings' trend is resolution.csat_by_day's, put in the same buckets."""
    rated = _ratings(tenant_id, period)
    day = local_day(judged.c.last_activity_at, period, dialect(session))
    by_day = (
        select(
            literal_column("'day'", String).label("part"),
            cast(day, String).label("a"),
            cast(judged.c.person, String).label("b"),
            *_figures(judged, rated),
        )
        .select_from(judged.outerjoin(rated, rated.c.conversation_id == judged.c.conversation_id))
        .group_by(day, judged.c.person)
    )
    rows = session.execute(union_all(by_day, _by_topic(session, tenant_id, judged, rated, ids))).all()
    buckets = {b: Figures() for b in period.buckets()}
    handlers = {0: Figures(), 1: Figures()}
    groups: list[Group] = []
    for part, a, b, *figures in rows:
        found = _read(figures)
        if part != "day":
            groups.append(Group(f"{part}:{a}", str(b), found))
            continue
        handlers[int(b)] = handlers[int(b)] + found
        bucket = period.bucket(as_date(a))
        buckets[bucket] = buckets.get(bucket, Figures()) + Figures(*_counts(found))
    for day_, n, good in csat_by_day(
        session, tenant_id, since=period.since, until=period.until, time_zone=period.tz
    ):
        bucket = period.bucket(day_)
        buckets[bucket] = buckets.get(bucket, Figures()) + Figures(rated=n, good=good)
    trend = [TrendPoint(b, f) for b, f in sorted(buckets.items())]
    by_handler = [Group("agent", "agent", handlers[0]), Group("person", "person", handlers[1])]

    def top(of: list[Group]) -> list[Group]:
        return sorted(of, key=lambda g: (-g.figures.conversations, g.label))[:TOP]

    requests = [g for g in groups if g.key.startswith("intent:")]
    return trend, by_handler, top(requests) + top([g for g in groups if not g.key.startswith("intent:")])


def _counts(f: Figures) -> tuple[int, int, int, int]:
    """A group's conversation counts without its ratings (the trend takes ratings by the day answered)."""
    return f.conversations, f.decided, f.resolved, f.by_agent


def _by_topic(session: Session, tenant_id: int, judged: Any, rated: Subquery, ids: Any) -> Select[Any]:
    """Requests and catalog items, grouped: each conversation counted once under each of its topics (the
    caller keeps the TOP of each kind by conversations)."""
    if dialect(session) == "postgresql":
        # PostgreSQL guesses 100 elements per JSON array: over a month of turns that estimate (millions of
        # rows) made it JIT-compile the statement, seconds on a busy machine. A turn has a few intents.
        elements = func.json_array_elements_text(AgentInteraction.intent_names).table_valued("value")
        names = select(elements.c.value).limit(MAX_INTENTS).lateral("names")
    else:
        names = func.json_each(AgentInteraction.intent_names).table_valued("value")
    intents = (
        select(
            AgentInteraction.conversation_id.label("conversation_id"),  # type: ignore[union-attr]
            literal_column("'intent'", String).label("kind"),
            cast(names.c.value, String).label("ref"),
            cast(names.c.value, String).label("label"),
        )
        .select_from(AgentInteraction)
        .join(names, true())
        .where(
            AgentInteraction.tenant_id == tenant_id,
            AgentInteraction.conversation_id.in_(ids),  # type: ignore[union-attr]
        )
        .distinct()
    )
    items = [
        select(
            ConversationContext.conversation_id.label("conversation_id"),  # type: ignore[attr-defined]
            literal_column(f"'{kind}'", String).label("kind"),
            cast(model.id, String).label("ref"),
            cast(model.name, String).label("label"),
        )
        .select_from(ConversationContext)
        .join(model, (model.tenant_id == ConversationContext.tenant_id) & (model.id == column))
        .where(ConversationContext.tenant_id == tenant_id)
        for model, column, kind in (
            (Product, ConversationContext.last_product_id, "product"),
            (Service, ConversationContext.last_service_id, "service"),
        )
    ]
    topics = union_all(intents, *items).subquery("topics")
    return (
        select(topics.c.kind, topics.c.ref, topics.c.label, *_figures(judged, rated))
        .select_from(
            judged.join(topics, topics.c.conversation_id == judged.c.conversation_id).outerjoin(
                rated, rated.c.conversation_id == judged.c.conversation_id
            )
        )
        .group_by(topics.c.kind, topics.c.ref, topics.c.label)
    )


def _by_knowledge(session: Session, tenant_id: int, period: Period, judged: Any, ids: Any) -> list[Group]:
    """The entries the agent's answers drew on, each conversation counted once per entry: the outcomes of
    the conversations with hits, joined to their distinct (conversation, entry) pairs and grouped by entry."""
    in_range = (
        AgentInteraction.tenant_id == tenant_id,
        AgentInteraction.conversation_id.in_(ids),  # type: ignore[union-attr]
        AgentInteraction.knowledge_hit_count > 0,
    )
    used = select(AgentInteraction.conversation_id).where(*in_range)
    entry = _entry_ids(session)
    entry_id = cast(entry.c.value, Integer)
    pairs = (  # each (conversation, entry) once, with the latest turn that used it (for a deleted title)
        select(
            AgentInteraction.conversation_id.label("conversation_id"),  # type: ignore[union-attr]
            entry_id.label("entry_id"),
            func.max(AgentInteraction.id).label("turn_id"),
        )
        .select_from(AgentInteraction)
        .join(entry, true())
        .where(*in_range)
        .group_by(AgentInteraction.conversation_id, entry_id)
        .subquery("entries")
    )
    found = judged(used)
    rated = _ratings(tenant_id, period)
    figures = _figures(found, rated)
    rows = session.execute(
        select(pairs.c.entry_id, func.max(pairs.c.turn_id), *figures)
        .select_from(
            found.join(pairs, pairs.c.conversation_id == found.c.conversation_id).outerjoin(
                rated, rated.c.conversation_id == found.c.conversation_id
            )
        )
        .group_by(pairs.c.entry_id)
        .order_by(figures[0].desc(), pairs.c.entry_id)
        .limit(TOP)
    ).all()
    latest = {int(e): int(turn) for e, turn, *_ in rows}
    titles = _titles(session, tenant_id, latest)
    return [Group(f"knowledge:{e}", titles.get(e) or f"Entry {e}", _read(f)) for e, _, *f in rows]


def _entry_ids(session: Session) -> Any:
    """knowledge_entry_ids as rows (`value`), to join laterally to each turn."""
    if dialect(session) == "postgresql":
        # the same honest estimate as the intents' (PostgreSQL guesses 100 elements per JSON array)
        elements = func.json_array_elements_text(AgentInteraction.knowledge_entry_ids).table_valued("value")
        return select(elements.c.value).limit(MAX_ENTRIES).lateral("entry")
    return func.json_each(AgentInteraction.knowledge_entry_ids).table_valued("value")


def _titles(session: Session, tenant_id: int, latest: dict[int, int]) -> dict[int, str]:
    """The entries' current titles (entry id → its latest turn in the range); an entry deleted since keeps
    the title that turn recorded, read from its encrypted hits (one turn per such entry, by primary key)."""
    titles = {
        int(entry_id): str(title or "")
        for entry_id, title in session.execute(
            select(KnowledgeEntry.id, KnowledgeEntry.title).where(
                KnowledgeEntry.tenant_id == tenant_id,
                KnowledgeEntry.id.in_(latest),  # type: ignore[union-attr]
            )
        ).all()
    }
    gone = [e for e in latest if not titles.get(e)]
    hits = dict(
        session.execute(
            select(AgentInteraction.id, AgentInteraction.knowledge_hits).where(
                AgentInteraction.tenant_id == tenant_id,
                AgentInteraction.id.in_({latest[e] for e in gone}),  # type: ignore[union-attr]
            )
        ).all()
        if gone
        else []
    )
    for e in gone:
        turn = [h for h in hits.get(latest[e]) or [] if isinstance(h, dict)]
        titles[e] = next((str(h.get("title") or "") for h in turn if str(h.get("id")) == str(e)), "")
    return titles


__all__ = ["Figures", "Group", "Satisfaction", "TrendPoint", "by_knowledge_entry", "satisfaction"]
