"""The resolution definition in SQL (engine/analytics/resolution.outcomes) at its edges: the window's exact
end to the microsecond, a later rating replacing an earlier one, and a randomised shop checked against the
definition written out in Python (what classify did row by row before it became one statement)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from engine.accounts import tenants
from engine.analytics.resolution import DEFAULT_WINDOW, classify, summarize
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, Conversation, Customer, Message, Rating
from engine.models.ratings import RATING_PAYLOAD_PREFIX
from tests.engine.analytics.test_resolution import HOUR, NOW, Shop
from tests.factories import new_user

WINDOW = DEFAULT_WINDOW
MICRO = timedelta(microseconds=1)


def test_the_window_ends_exactly_at_its_last_microsecond() -> None:
    with session_scope() as s:
        tenant_id = tenants.create_tenant(s, name="Stride", slug="stride-edges").id
        shop = Shop(TenantScope(s, tenant_id))
        answered = NOW - 30 * HOUR + timedelta(microseconds=123456)
        at_end = shop.chat(answered)
        shop.say(at_end, answered + WINDOW)  # the last instant inside the window: came back
        just_after = shop.chat(answered)
        shop.say(just_after, answered + WINDOW + MICRO)  # a microsecond late: silence held
        same_instant = shop.chat(answered)
        shop.say(same_instant, answered)  # written with the answer, not after it
        exactly_now = shop.chat(NOW - WINDOW)  # the window ends now: decided
        not_yet = shop.chat(NOW - WINDOW + MICRO)
        found = classify(s, tenant_id, [c.id for c in TenantScope(s, tenant_id).all(Conversation)], now=NOW)
    outcome = {cid: r.outcome for cid, r in found.items()}
    assert outcome[at_end.id] == "unresolved"
    assert outcome[just_after.id] == "agent"
    assert outcome[same_instant.id] == "agent"
    assert outcome[exactly_now.id] == "agent"
    assert outcome[not_yet.id] == "pending"
    assert found[at_end.id].last_agent_answer_at == answered


def test_a_later_rating_replaces_an_earlier_one_and_no_ids_is_nothing() -> None:
    with session_scope() as s:
        tenant_id = tenants.create_tenant(s, name="Stride", slug="stride-edges-2").id
        shop = Shop(TenantScope(s, tenant_id))
        mended = shop.chat(NOW - 40 * HOUR)
        shop.rate(mended, 1, low=True, at=NOW - 39 * HOUR)
        mended_rating = TenantScope(s, tenant_id).first(Rating, Rating.conversation_id == mended.id)
        mended_rating.resolved_at = NOW - 41 * HOUR
        s.add(mended_rating)
        shop.rate(mended, 3, low=False, at=NOW - 20 * HOUR)  # asked again after the next close: good now
        soured = shop.chat(NOW - 40 * HOUR)
        shop.rate(soured, 3, low=False, at=NOW - 39 * HOUR)
        soured_rating = TenantScope(s, tenant_id).first(Rating, Rating.conversation_id == soured.id)
        soured_rating.resolved_at = NOW - 41 * HOUR
        s.add(soured_rating)
        shop.rate(soured, 1, low=True, at=NOW - 20 * HOUR)
        found = classify(s, tenant_id, [mended.id, soured.id], now=NOW)
        assert classify(s, tenant_id, [], now=NOW) == {}
    assert (found[mended.id].outcome, found[mended.id].rating_score, found[mended.id].rating_low) == (
        "agent",
        3,
        False,
    )
    assert (found[soured.id].outcome, found[soured.id].rating_score) == ("unresolved", 1)


def _reference(s, tenant_id: int, now: datetime) -> dict[int, str]:
    """The definition as the module's docstring says it, row by row in Python."""
    scope = TenantScope(s, tenant_id)
    conversations = scope.all(Conversation)
    messages = scope.all(Message)
    customer_of = {c.id: c.customer_id for c in conversations}
    handed = {t.conversation_id for t in scope.all(AgentInteraction) if t.handoff}
    ratings = sorted(
        (r for r in scope.all(Rating) if r.status == "answered"), key=lambda r: (r.answered_at, r.id)
    )
    latest = {r.conversation_id: bool(r.is_low) for r in ratings}
    found = {}
    for c in conversations:
        mine = [m for m in messages if m.conversation_id == c.id]
        person = c.id in handed or any(m.sent_by_user_id for m in mine) or c.status == "handoff"
        answers = [m.created_at for m in mine if m.direction == "outbound" and m.sender == "agent"]
        answered = max(answers) if answers else None
        back = answered is not None and any(
            m.direction == "inbound"
            and customer_of[m.conversation_id] == c.customer_id
            and not (m.button_payload or "").startswith(RATING_PAYLOAD_PREFIX)
            and answered < m.created_at <= answered + WINDOW
            for m in messages
        )
        low = latest.get(c.id)
        if low is True:
            found[c.id] = "unresolved"
        elif low is False:
            found[c.id] = "person" if person else "agent"
        elif person:
            found[c.id] = "person" if c.status == "closed" else "pending"
        elif answered is None:
            found[c.id] = "unresolved" if c.status == "closed" else "pending"
        elif back:
            found[c.id] = "unresolved"
        else:
            found[c.id] = "agent" if now - answered >= WINDOW else "pending"
    return found


def test_a_random_shop_matches_the_definition_row_by_row() -> None:
    rng = random.Random(19)
    with session_scope() as s:
        tenant_id = tenants.create_tenant(s, name="Stride", slug="stride-random").id
        scope = TenantScope(s, tenant_id)
        staff = new_user(s, tenant_id, role="agent")
        customers = [scope.add(Customer(phone=f"whatsapp:+4477009{i:05d}")) for i in range(12)]
        for n in range(60):
            started = NOW - timedelta(minutes=rng.randrange(0, 60 * 60))
            conversation = scope.add(
                Conversation(
                    customer_id=rng.choice(customers).id,
                    status=rng.choice(["bot", "bot", "closed", "closed", "handoff"]),
                    created_at=started,
                    last_activity_at=started,
                )
            )
            at = started
            for _ in range(rng.randrange(0, 5)):
                at += timedelta(minutes=rng.randrange(1, 16 * 60), microseconds=rng.randrange(10**6))
                kind = rng.random()
                if kind < 0.45:
                    tap = f"{RATING_PAYLOAD_PREFIX}{n}:3" if rng.random() < 0.2 else None
                    scope.add(
                        Message(conversation_id=conversation.id, direction="inbound", created_at=at)
                        if tap is None
                        else Message(
                            conversation_id=conversation.id,
                            direction="inbound",
                            created_at=at,
                            button_payload=tap,
                        )
                    )
                elif kind < 0.9:
                    scope.add(
                        Message(
                            conversation_id=conversation.id,
                            direction="outbound",
                            sender="agent",
                            created_at=at,
                        )
                    )
                else:
                    scope.add(
                        Message(
                            conversation_id=conversation.id,
                            direction="outbound",
                            sender="human",
                            sent_by_user_id=staff,
                            created_at=at,
                        )
                    )
            if rng.random() < 0.15:
                scope.add(AgentInteraction(conversation_id=conversation.id, handoff=True, created_at=at))
            for k in range(rng.choice([0, 0, 0, 1, 2])):
                scope.add(
                    Rating(
                        conversation_id=conversation.id,
                        customer_id=conversation.customer_id,
                        status=rng.choice(["answered", "answered", "asked"]),
                        score=rng.randrange(1, 4),
                        is_low=rng.random() < 0.4,
                        answered_at=at + timedelta(minutes=k + 1),
                        resolved_at=at + timedelta(seconds=k),
                    )
                )
        expected = _reference(s, tenant_id, NOW)
        found = classify(s, tenant_id, list(expected), now=NOW, window=WINDOW)
        summary = summarize(s, tenant_id, since=NOW - 100 * HOUR, until=NOW + HOUR, now=NOW)
    assert {cid: r.outcome for cid, r in found.items()} == expected
    assert len(set(expected.values())) == 4  # every outcome occurs: the comparison covers each branch
    outcomes = list(expected.values())
    assert (summary.by_agent, summary.by_person, summary.unresolved, summary.pending) == (
        outcomes.count("agent"),
        outcomes.count("person"),
        outcomes.count("unresolved"),
        outcomes.count("pending"),
    )
