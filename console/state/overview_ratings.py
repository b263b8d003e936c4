"""The Overview's ratings: the CSAT card (share of good ratings, 30 days) and the low ratings waiting under
"Needs attention", each with its comment, a link to the transcript, "Back to a person" and "Seen".

Figures come from engine.analytics.resolution (the one definition), low ratings from
engine.conversations.ratings; this state holds page-sized rows and re-checks the person in every handler.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import reflex as rx

from console.state.formatting import NO_FIGURE, percent, when
from console.state.guard import PageState
from engine.accounts import tenants
from engine.accounts.sessions import SignedIn
from engine.analytics.resolution import csat_counts
from engine.conversations import ratings
from engine.conversations.display import phone_display
from engine.db import NotFound, session_scope
from engine.security.scopes import PAGE_SCOPES

CSAT_WINDOW = timedelta(days=30)
REPLY_SCOPE = PAGE_SCOPES["conversations"]  # acting on a low rating is inbox work


class OverviewRatingsState(PageState, rx.State):
    page_key: ClassVar[str] = "overview"

    csat: str = NO_FIGURE
    rated: int = 0
    rated_good: int = 0
    ratings_on: bool = False
    low: list[dict[str, Any]] = []

    def on_allowed(self, who: SignedIn) -> Any:
        self._load(who.tenant_id)
        return None

    def on_refused(self) -> None:
        self.csat, self.rated, self.rated_good, self.low = NO_FIGURE, 0, 0, []

    def _load(self, tenant_id: int) -> None:
        with session_scope() as db:
            now = _now()
            rated, good = csat_counts(
                db, tenant_id, since=now - CSAT_WINDOW, until=now + timedelta(seconds=1)
            )
            items = ratings.needs_attention(db, tenant_id, limit=5)
            self.ratings_on = ratings.rules(db, tenant_id).enabled
            time_zone = tenants.display_settings(db, tenant_id).time_zone
        self.rated, self.rated_good = rated, good
        self.csat = percent(round(good * 100 / rated) if rated else None)
        self.low = [
            {
                "id": item.rating_id,
                "customer": phone_display(item.customer),  # a name, else the number, readable
                "score": item.score_label,
                "comment": item.comment or "",
                "when": when(item.answered_at, time_zone, empty=""),
                "href": f"/conversations?tab=all&c={item.conversation_id}",
                "open": item.conversation_open,
            }
            for item in items
        ]

    @rx.event
    async def seen(self, rating_id: int):
        who, refusal = await self.authorize_or_refuse(REPLY_SCOPE)
        if who is None:
            return refusal
        with session_scope() as db:
            ratings.mark_seen(db, who.tenant_id, int(rating_id), user_id=who.user_id)
        self._load(who.tenant_id)
        return None

    @rx.event
    async def to_person(self, rating_id: int):
        who, refusal = await self.authorize_or_refuse(REPLY_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                conversation_id = ratings.reopen_for_person(
                    db, who.tenant_id, int(rating_id), user_id=who.user_id
                )
        except (ratings.RatingError, NotFound) as exc:
            return rx.toast.error(str(exc))
        self._load(who.tenant_id)
        return [
            rx.toast.success("Reopened and waiting for a person in the inbox."),
            rx.redirect(f"/conversations?tab=handoff&c={conversation_id}"),
        ]


def _now() -> datetime:
    return datetime.now(UTC)
