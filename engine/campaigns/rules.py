"""WhatsApp's and the shop's sending rules: valid numbers, the frequency cap and quiet hours.

Quiet hours are read in the customer's own time zone when their number's country has just one (a short table
of calling codes below; countries spanning zones — the US, Brazil, Spain with the Canaries… — fall back to the
shop's zone), else in the shop's time zone. A recipient inside quiet hours is not skipped: it gets a
`not_before` at the end of the quiet hours, and the dispatcher sends it then.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")

# Calling code → the one time zone of that country (countries with one zone only).
SINGLE_ZONE: dict[str, str] = {
    "44": "Europe/London",
    "33": "Europe/Paris",
    "49": "Europe/Berlin",
    "39": "Europe/Rome",
    "31": "Europe/Amsterdam",
    "32": "Europe/Brussels",
    "41": "Europe/Zurich",
    "43": "Europe/Vienna",
    "46": "Europe/Stockholm",
    "47": "Europe/Oslo",
    "45": "Europe/Copenhagen",
    "48": "Europe/Warsaw",
    "353": "Europe/Dublin",
    "30": "Europe/Athens",
    "36": "Europe/Budapest",
    "420": "Europe/Prague",
    "40": "Europe/Bucharest",
    "90": "Europe/Istanbul",
    "972": "Asia/Jerusalem",
    "971": "Asia/Dubai",
    "966": "Asia/Riyadh",
    "91": "Asia/Kolkata",
    "92": "Asia/Karachi",
    "880": "Asia/Dhaka",
    "81": "Asia/Tokyo",
    "82": "Asia/Seoul",
    "86": "Asia/Shanghai",
    "852": "Asia/Hong_Kong",
    "65": "Asia/Singapore",
    "60": "Asia/Kuala_Lumpur",
    "63": "Asia/Manila",
    "66": "Asia/Bangkok",
    "84": "Asia/Ho_Chi_Minh",
    "27": "Africa/Johannesburg",
    "234": "Africa/Lagos",
    "254": "Africa/Nairobi",
    "20": "Africa/Cairo",
    "212": "Africa/Casablanca",
    "54": "America/Argentina/Buenos_Aires",
    "56": "America/Santiago",
    "57": "America/Bogota",
    "51": "America/Lima",
    "58": "America/Caracas",
    "502": "America/Guatemala",
    "506": "America/Costa_Rica",
    "507": "America/Panama",
    "593": "America/Guayaquil",
    "598": "America/Montevideo",
    "595": "America/Asuncion",
}


def e164(phone: str | None) -> str | None:
    """`whatsapp:+447700900123` or `+447700900123` → `+447700900123`; None when it is not E.164."""
    number = (phone or "").removeprefix("whatsapp:").strip()
    return number if E164_RE.match(number) else None


def zone_for(phone: str | None, shop_zone: str) -> ZoneInfo:
    number = e164(phone) or ""
    for size in (3, 2, 1):
        name = SINGLE_ZONE.get(number[1 : 1 + size])
        if name:
            return ZoneInfo(name)
    try:
        return ZoneInfo(shop_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _clock(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


def quiet_until(now: datetime, zone: ZoneInfo, start: str, end: str) -> datetime | None:
    """When quiet hours end, if `now` (UTC-aware) is inside them in `zone`; None when sending is fine.
    Quiet hours may wrap midnight (21:00–09:00). Equal start and end: no quiet hours."""
    begin, finish = _clock(start), _clock(end)
    if begin == finish:
        return None
    local = now.astimezone(zone)
    clock = local.time()
    inside = (begin <= clock < finish) if begin < finish else (clock >= begin or clock < finish)
    if not inside:
        return None
    day = local.date() if clock < finish else local.date() + timedelta(days=1)
    return datetime.combine(day, finish, tzinfo=zone).astimezone(now.tzinfo)


__all__ = ["SINGLE_ZONE", "e164", "quiet_until", "zone_for"]
