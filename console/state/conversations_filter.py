"""The inbox's handoff filter as the URL carries it: `/conversations?handoff=<category>&from=<day>&to=<day>`.

Analytics' "Why chats went to your team" links here, one link per reason with the range on screen, so a shop
owner reads the chats behind a count. What arrives in the URL is checked before anything is queried: a
category the agent does not record (engine.agent.labels.HANDOFF_CATEGORIES) is ignored and the normal inbox
shows; days that do not make a range in the tenant's time zone (engine.analytics.periods.make_period) are
ignored and the filter covers every day. The chip shows the reason in the shop owner's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from engine.agent.labels import HANDOFF_CATEGORIES
from engine.analytics.periods import Period, PeriodError, make_period
from engine.conversations.inbox import HandoffFilter


@dataclass(frozen=True, slots=True)
class InboxFilter:
    category: str
    period: Period | None = None

    @property
    def reason(self) -> str:
        return HANDOFF_CATEGORIES[self.category]

    @property
    def chip(self) -> str:
        """ "Customer sounds frustrated · Nov 3 – Dec 2, 2026": the reason, and when, when the link said."""
        return f"{self.reason} · {range_label(self.period)}" if self.period else self.reason

    @property
    def query(self) -> str:
        """The URL parameters that bring the filter back (after a reload or in a shared link)."""
        params = {"handoff": self.category}
        if self.period:
            params |= {"from": self.period.first.isoformat(), "to": self.period.last.isoformat()}
        return urlencode(params)

    def for_engine(self) -> HandoffFilter:
        if self.period is None:
            return HandoffFilter(self.category)
        return HandoffFilter(self.category, since=self.period.since, until=self.period.until)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except (TypeError, ValueError):
        return None


def parse(params: dict[str, str], time_zone: str) -> InboxFilter | None:
    """The filter the URL asks for, or None (no `handoff`, or a value that is not a reason we record)."""
    category = str(params.get("handoff") or "").strip()
    if category not in HANDOFF_CATEGORIES:
        return None
    first, last = _day(str(params.get("from") or "")), _day(str(params.get("to") or ""))
    if first is None or last is None:
        return InboxFilter(category)
    try:
        return InboxFilter(category, make_period(first, last, time_zone))
    except PeriodError:
        return InboxFilter(category)


def range_label(period: Period) -> str:
    """ "Nov 3 – Dec 2, 2026" (the year once unless the range spans two), as Analytics says its range."""
    first, last = period.first, period.last
    start = f"{first:%b} {first.day}" + (f", {first.year}" if first.year != last.year else "")
    return f"{start} – {last:%b} {last.day}, {last.year}"


def handoff_href(category: str, period: Period | None = None) -> str:
    """The inbox filtered by one handoff reason (and range): what Analytics' handoff table links to."""
    return f"/conversations?{InboxFilter(category, period).query}"


__all__ = ["InboxFilter", "handoff_href", "parse", "range_label"]
