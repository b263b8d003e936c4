"""The date range a figure covers, in the tenant's time zone, and the SQL that buckets rows into its days.

A shop owner's "Tuesday" starts at midnight where the shop is, not in UTC: a range is a first and a last
local day, turned into UTC instants for the WHERE clause (so the (tenant_id, created_at) indexes serve it).
Bucketing a timestamp into its local day is done by the database: PostgreSQL knows time zones
(`timezone(zone, ts)`), SQLite does not, so there the range is cut at the zone's offset changes (found from
zoneinfo, a handful per year) and each piece shifts by its own fixed offset — exact across DST, one CASE.

Percentiles are nearest-rank (the smallest value with at least p% of values at or under it), computed with
window functions that both databases have, so one statement serves both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Date, and_, case, cast, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery
from sqlmodel import Session

from engine.models.base import UTCDateTime

Granularity = Literal["day", "week", "month"]
GRANULARITIES: tuple[str, ...] = ("day", "week", "month")
MAX_DAYS = 400  # a little over a year: enough for "this year against last", small enough to stay fast
PERCENTILES = (50, 95, 99)


class PeriodError(ValueError):
    """A range that cannot be reported on; `field` names the input that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Period:
    first: date  # the first local day, included
    last: date  # the last local day, included
    tz: str = "UTC"
    granularity: Granularity = "day"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def since(self) -> datetime:
        """Local midnight of the first day, in UTC."""
        return datetime.combine(self.first, datetime.min.time(), self.zone).astimezone(UTC)

    @property
    def until(self) -> datetime:
        """Local midnight after the last day, in UTC (excluded)."""
        return datetime.combine(self.last + timedelta(days=1), datetime.min.time(), self.zone).astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The same number of days just before: what the KPI cards compare against."""
        return Period(
            self.first - timedelta(days=self.days), self.first - timedelta(days=1), self.tz, self.granularity
        )

    def bucket(self, day: date) -> date:
        """The first day of the week (Monday) or month `day` falls in; the day itself for daily figures."""
        if self.granularity == "week":
            return day - timedelta(days=day.weekday())
        if self.granularity == "month":
            return day.replace(day=1)
        return day

    def buckets(self) -> list[date]:
        """Every bucket of the range in order, empty ones included (a chart with gaps misleads)."""
        seen: list[date] = []
        for offset in range(self.days):
            key = self.bucket(self.first + timedelta(days=offset))
            if not seen or seen[-1] != key:
                seen.append(key)
        return seen


def make_period(
    first: date | None,
    last: date | None,
    tz: str | None = None,
    granularity: str = "day",
    *,
    today: date | None = None,
) -> Period:
    """A checked range: the last 30 days up to today (in `tz`) when no days are given. Raises PeriodError."""
    zone_name = (tz or "UTC").strip() or "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PeriodError(
            "tz", f"unknown time zone {zone_name!r} (use an IANA name such as Europe/London)"
        ) from None
    if granularity not in GRANULARITIES:
        raise PeriodError("granularity", "granularity must be day, week or month")
    today = today or datetime.now(zone).date()
    last = last or today
    first = first or last - timedelta(days=29)
    if first > last:
        raise PeriodError("from", "the range starts after it ends: `from` must be on or before `to`")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError("to", f"the range is longer than {MAX_DAYS} days")
    return Period(first, last, zone_name, granularity)  # type: ignore[arg-type]


def last_days(days: int, tz: str | None, *, today: date | None = None, granularity: str = "day") -> Period:
    """The presets: today and the days before it (7, 30, 90)."""
    zone_name = tz or "UTC"
    try:
        today = today or datetime.now(ZoneInfo(zone_name)).date()
    except (ZoneInfoNotFoundError, ValueError):
        zone_name, today = "UTC", today or datetime.now(UTC).date()
    return make_period(today - timedelta(days=days - 1), today, zone_name, granularity, today=today)


# ---------------------------------------------------------------------------------------------- SQL helpers


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _offset_changes(period: Period) -> list[tuple[datetime, int]]:
    """[(from this UTC instant, the zone's offset in minutes)], covering the whole range."""
    zone = period.zone
    start, end = period.since - timedelta(days=1), period.until + timedelta(days=1)

    def offset(at: datetime) -> int:
        return int(at.astimezone(zone).utcoffset().total_seconds() // 60)  # type: ignore[union-attr]

    changes = [(start, offset(start))]
    at = start
    while at < end:
        step = at + timedelta(hours=1)
        if offset(step) != changes[-1][1]:
            low, high = at, step  # the change is in (low, high]: find its minute
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                low, high = (low, mid) if offset(mid) != changes[-1][1] else (mid, high)
            changes.append((high, offset(high)))
        at = step
    return changes


def local_day(column: Any, period: Period, dialect_name: str) -> ColumnElement[Any]:
    """The local calendar day of a UTC timestamp column, as the database computes it (see the module)."""
    if dialect_name == "postgresql":
        return cast(func.timezone(period.tz, column), Date)
    changes = _offset_changes(period)

    def shifted(minutes: int) -> ColumnElement[Any]:
        return func.date(column, f"{minutes:+d} minutes")

    if len(changes) == 1:
        return shifted(changes[0][1])
    whens = [
        (column < literal(changes[i + 1][0], UTCDateTime()), shifted(minutes))
        for i, (_, minutes) in enumerate(changes[:-1])
    ]
    return case(*whens, else_=shifted(changes[-1][1]))


def as_date(value: Any) -> date:
    """A bucket read back: PostgreSQL gives a date, SQLite text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def seconds_between(later: Any, earlier: Any, dialect_name: str) -> ColumnElement[Any]:
    """Seconds from `earlier` to `later`, to the millisecond (SQLite's julianday is a float of days)."""
    if dialect_name == "postgresql":
        return func.round(func.extract("epoch", later - earlier), 3)
    return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0, 3)


def percentiles(
    session: Session, values: Subquery, ps: tuple[int, ...] = PERCENTILES
) -> tuple[int, dict[int, float | None]]:
    """(how many values, their nearest-rank percentiles) of `values.c.v` — a subquery with one column `v` —
    in one statement: PostgreSQL's percentile_disc (which is nearest-rank), window functions on SQLite."""
    found: dict[int, float | None] = dict.fromkeys(ps)
    if dialect(session) == "postgresql":
        row = session.execute(
            select(
                func.count(), *[func.percentile_disc(p / 100).within_group(values.c.v) for p in ps]
            ).select_from(values)
        ).one()
        for p, v in zip(ps, row[1:], strict=True):
            found[p] = None if v is None else float(v)
        return int(row[0] or 0), found
    ranked = select(
        values.c.v.label("v"),
        func.row_number().over(order_by=values.c.v).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    wanted = [(ranked.c.n * p + 99) // 100 for p in ps]  # ceil(n·p/100) in integer arithmetic
    rows = session.execute(
        select(ranked.c.rn, ranked.c.n, ranked.c.v).where(
            or_(ranked.c.rn == 1, *[ranked.c.rn == w for w in wanted])
        )
    ).all()
    count = 0
    for rn, n, v in rows:
        count = int(n)
        for p in ps:
            if int(rn) == (int(n) * p + 99) // 100:
                found[p] = float(v)
    return count, found


def grouped_percentiles(
    session: Session, values: Subquery, ps: tuple[int, ...] = PERCENTILES
) -> dict[Any, tuple[int, dict[int, float | None]]]:
    """`percentiles` per key of `values.c.k`: one grouped statement on PostgreSQL, one per key on SQLite."""
    if dialect(session) == "postgresql":
        rows = session.execute(
            select(
                values.c.k,
                func.count(),
                *[func.percentile_disc(p / 100).within_group(values.c.v) for p in ps],
            ).group_by(values.c.k)
        ).all()
        return {
            row[0]: (
                int(row[1]),
                {p: None if v is None else float(v) for p, v in zip(ps, row[2:], strict=True)},
            )
            for row in rows
        }
    keys = session.execute(select(values.c.k).distinct()).scalars().all()
    return {
        key: percentiles(session, select(values.c.v).where(values.c.k == key).subquery(), ps) for key in keys
    }


def in_period(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.since, column < period.until)


__all__ = [
    "GRANULARITIES",
    "MAX_DAYS",
    "Period",
    "PeriodError",
    "as_date",
    "dialect",
    "in_period",
    "last_days",
    "local_day",
    "make_period",
    "grouped_percentiles",
    "percentiles",
    "seconds_between",
]
