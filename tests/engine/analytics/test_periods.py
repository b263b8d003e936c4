"""A range of local days: validation, UTC bounds across DST, the previous period and the buckets."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from engine.analytics.periods import MAX_DAYS, Period, PeriodError, last_days, make_period


def test_bounds_are_local_midnights_in_utc_across_the_clock_change() -> None:
    period = make_period(date(2026, 10, 31), date(2026, 11, 2), "America/New_York")
    assert period.since == datetime(2026, 10, 31, 4, 0, tzinfo=UTC)  # EDT, UTC-4
    assert period.until == datetime(2026, 11, 3, 5, 0, tzinfo=UTC)  # EST, UTC-5
    assert period.previous() == Period(date(2026, 10, 28), date(2026, 10, 30), "America/New_York")


@pytest.mark.parametrize(
    ("first", "last", "tz", "granularity", "field"),
    [
        (date(2026, 11, 2), date(2026, 11, 1), "UTC", "day", "from"),
        (date(2025, 1, 1), date(2026, 11, 1), "UTC", "day", "to"),
        (date(2026, 11, 1), date(2026, 11, 2), "Mars/Olympus", "day", "tz"),
        (date(2026, 11, 1), date(2026, 11, 2), "UTC", "hour", "granularity"),
    ],
)
def test_refused_ranges_name_the_field(first, last, tz, granularity, field) -> None:
    with pytest.raises(PeriodError) as refused:
        make_period(first, last, tz, granularity)
    assert refused.value.field == field


def test_defaults_and_presets() -> None:
    assert make_period(None, None, "UTC", today=date(2026, 11, 30)) == Period(
        date(2026, 11, 1), date(2026, 11, 30)
    )
    assert last_days(7, "Europe/London", today=date(2026, 11, 30)).first == date(2026, 11, 24)
    assert make_period(date(2026, 1, 1), None, "UTC", today=date(2026, 1, 1)).days == 1
    assert MAX_DAYS >= 366


def test_monthly_buckets() -> None:
    period = Period(date(2026, 1, 30), date(2026, 3, 2), "UTC", "month")
    assert period.buckets() == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
