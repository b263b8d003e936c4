"""Display strings for money, token counts and times: states send the browser text, not Decimals or dates.

Money is shown in the tenant's currency through engine.money, the one formatter WhatsApp replies use too;
times in the tenant's time zone (CONSOLE.md, "Look").
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine.money import currency_symbol as currency_symbol  # re-exported for the catalog's price input
from engine.money import format_money, to_decimal


def money(amount: Decimal | int | str, currency: str, *, precise: bool = False) -> str:
    """$1,234.50 — engine.money's text, so the console reads exactly like a WhatsApp reply."""
    return format_money(amount, currency, precise=precise)


def price(amount: Decimal | str, currency: str) -> str:
    """A list price per million tokens: "Free", or the amount with up to four decimals under one unit."""
    return "Free" if to_decimal(amount) == 0 else format_money(amount, currency, precise=True)


def count(value: int) -> str:
    """12,345 — and 1.2M / 34.5k for big token counts."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{value / 1000:.1f}k"
    return f"{value:,}"


def zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def when(moment: datetime | None, time_zone: str, *, empty: str = "Never") -> str:
    """ "Jun 3, 2025 · 14:05" in the tenant's time zone."""
    if moment is None:
        return empty
    if moment.tzinfo is None:  # stored UTC-aware; older SQLite rows may come back naive
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    local = moment.astimezone(zone(time_zone))
    return f"{local:%b} {local.day}, {local.year} · {local:%H:%M}"


def day_label(day: date) -> str:
    """ "Jun 3" for chart axes."""
    return f"{day:%b} {day.day}"


def month_label(month: str) -> str:
    """ "June 2025" from the budget's "2025-06"."""
    try:
        return datetime.strptime(month, "%Y-%m").strftime("%B %Y")
    except ValueError:
        return month


def size_label(size: int) -> str:
    """A file's size as people read it: "512 bytes", "38 KB", "2.4 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def upload_name(upload: Any, default: str, max_chars: int) -> str:
    """An uploaded file's own name without any folder the browser sent, cut to `max_chars`."""
    return (upload.name or default).rsplit("/", 1)[-1][:max_chars]


NO_FIGURE = "—"


def percent(value: int | None) -> str:
    return NO_FIGURE if value is None else f"{value}%"


def duration(seconds: float | None) -> str:
    """A median wait as people say it: 40 s, 1.5 min, 12 min, 1 h 5 min — a tenth of a minute under ten
    minutes, as the response-time chart's bars are labelled, so the table beside them says the same."""
    if seconds is None:
        return NO_FIGURE
    if seconds < 60:
        return f"{round(seconds)} s"
    if seconds / 60 < 9.95:  # 1.5 min is not 2 min
        return f"{round(seconds / 60, 1):g} min"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def url_parts(url: str) -> list[str]:
    """A web address cut where it may wrap: after each "/" of its path and before "?" and "&", so a phone
    shows "https://shop.example/" · "webhooks/" · "twilio/" · "whatsapp" on as many lines as it needs, never
    "webhoo" · "ks". The scheme's "//" stays whole; joined, the parts are the address again."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    parts: list[str] = []
    current = scheme + sep
    for char in rest:
        if char in "?&" and current:
            parts.append(current)
            current = ""
        current += char
        if char == "/":
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    return parts
