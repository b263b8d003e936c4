"""WhatsApp messages as display data: the `Bubble` a page holds in its state, built from the engine's message
views by `bubbles_from_views` (or by hand), with times already in the shop's zone.

Display data, not drawing: states build bubbles and components draw them (console/components/whatsapp.py), so
the import arrows point down (state never imports components). Every string is already formatted, so the
browser never gets a datetime.
"""

from __future__ import annotations

import dataclasses
import mimetypes
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.state.whatsapp_format import Line, parse
from engine.agent.labels import handoff_reason, intents_line, model_label
from engine.channels.whatsapp.errors import error_words
from engine.channels.whatsapp.media import is_twilio_api_url
from engine.config import get_settings

# Customer media stay at Twilio behind the tenant's credentials; the browser loads them through this route
# (engine/http/media_routes.py), which checks the session and the workspace.
MEDIA_ROUTE = "/api/media/{message_id}/{index}"

# Under this confidence an agent reply's quiet line is drawn in amber (the persona's handoff threshold).
DEFAULT_CONFIDENCE_THRESHOLD = 0.55

TICK_LABELS = {-1: "Not delivered", 0: "Sending", 1: "Sent", 2: "Delivered", 3: "Read"}

# Past this length a provider's message is a technical dump (addresses, retries): a sentence replaces it.
MAX_PROBLEM_CHARS = 160


@dataclasses.dataclass
class BubbleOption:
    """A quick-reply button or a list row."""

    title: str = ""
    description: str = ""
    section: str = ""  # set on the first row of each list section


@dataclasses.dataclass
class BubbleFile:
    """An attachment that is not an image: a chip with an icon, its name and its type, or (`audio`) a
    player for a voice note."""

    url: str = ""
    name: str = ""
    label: str = ""
    icon: str = "file"
    content_type: str = ""
    audio: bool = False


@dataclasses.dataclass
class Bubble:
    """One message, ready to draw. `ticks`: -1 failed, 0 sending, 1 sent, 2 delivered, 3 read."""

    key: str = ""
    outbound: bool = False
    sender: str = "customer"  # customer · agent · human · system
    author: str = ""
    show_author: bool = False  # first bubble of a run from this author
    kind: str = "text"  # text · media · buttons · list · card · location
    body: str = ""
    time: str = ""
    day: str = ""
    show_day: bool = False
    ticks: int = 0
    tick_label: str = ""
    error: str = ""
    fallback: str = ""
    image_url: str = ""
    files: list[BubbleFile] = dataclasses.field(default_factory=list)
    options: list[BubbleOption] = dataclasses.field(default_factory=list)
    title: str = ""
    subtitle: str = ""
    button: str = ""
    choice: str = ""  # an inbound answer to our buttons or list: "Tapped “Buy”"
    location: str = ""
    location_coords: str = ""
    confidence: str = ""
    confidence_low: bool = False
    intents: str = ""
    handoff_reason: str = ""
    model: str = ""
    has_meta: bool = False
    can_retry: bool = False  # a reply that was not delivered: the inbox offers to send it again
    lines: list[Line] = dataclasses.field(default_factory=list)  # `body` with its WhatsApp formatting

    def __post_init__(self) -> None:
        self.lines = parse(self.body) if self.body else []


# ---------------------------------------------------------------------------------------------- building


def zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local(moment: datetime, time_zone: str) -> datetime:
    if moment.tzinfo is None:  # stored UTC-aware; older SQLite rows may come back naive
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(time_zone))


def day_label(moment: datetime, now: datetime, time_zone: str) -> str:
    """ "Today", "Yesterday", "Monday" within a week, else "23 November 2026" — WhatsApp's separators."""
    day = local(moment, time_zone).date()
    today = local(now, time_zone).date()
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    if today - day < timedelta(days=7) and day < today:
        return f"{day:%A}"
    return f"{day.day} {day:%B %Y}"


def relative_time(moment: datetime | None, now: datetime, time_zone: str) -> str:
    """Inbox-list time: "now", "5m", "3h", then "Yesterday", "Mon" within a week, "Nov 3" (", 2025" if
    another year)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 12 * 3600:
        return f"{int(seconds // 3600)}h"
    label = day_label(moment, now, time_zone)
    there = local(moment, time_zone)
    if label == "Today":
        return f"{there:%H:%M}"
    if label == "Yesterday":
        return label
    if " " not in label:  # a weekday
        return label[:3]
    year = f", {there.year}" if there.year != local(now, time_zone).year else ""
    return f"{there:%b} {there.day}{year}"


def _file_name(url: str) -> str:
    path = urlparse(url).path.rstrip("/")
    name = path.rsplit("/", 1)[-1] if path else ""
    return name or "attachment"


FILE_ICONS = {
    "audio": "file_audio",
    "video": "file_video",
    "application/pdf": "file_text",
    "text": "file_text",
}


def media_url(message_id: int, index: int) -> str:
    """The console's own address for media item `index` of a message (the authorised Twilio proxy)."""
    return MEDIA_ROUTE.format(message_id=message_id, index=index)


def _served_url(view: Any, index: int, url: str) -> str:
    """Where the browser loads a media item: a customer's Twilio media through our proxy (Twilio wants the
    tenant's credentials, which never reach the browser); any other address (our own uploads, catalogue
    images the agent sent) as it is."""
    message_id = getattr(view, "id", None)
    if (
        getattr(view, "direction", "") == "inbound"
        and isinstance(message_id, int)
        and message_id > 0
        and is_twilio_api_url(url, get_settings().twilio_api_base_url)
    ):
        return media_url(message_id, index)
    return url


def _file(media: dict[str, Any], *, url: str | None = None, index: int = 0) -> BubbleFile:
    content_type = str(media.get("content_type") or "application/octet-stream")
    clean_type = content_type.split(";")[0].strip().lower()
    major = clean_type.split("/")[0]
    icon = FILE_ICONS.get(clean_type) or FILE_ICONS.get(major) or "file"
    kind = {"audio": "Voice note / audio", "video": "Video"}.get(major)
    if kind is None:
        subtype = clean_type.split("/")[-1].upper()
        kind = "PDF document" if subtype == "PDF" else f"{subtype} file"
    size = media.get("size_bytes")
    if isinstance(size, int) and size > 0:
        kind += f" · {size / 1_048_576:.1f} MB" if size >= 1_048_576 else f" · {max(1, size // 1024)} KB"
    original = str(media.get("url") or "")
    served = url if url is not None else original
    if served != original:
        # A Twilio media URL ends in a media SID, not a file name: name it from its type instead.
        extension = {"audio/ogg": ".ogg"}.get(clean_type) or mimetypes.guess_extension(clean_type) or ""
        name = f"attachment-{index + 1}{extension}"
    else:
        name = _file_name(original)
    return BubbleFile(
        url=served, name=name, label=kind, icon=icon, content_type=clean_type, audio=major == "audio"
    )


def _options(raw: Sequence[dict[str, Any]]) -> list[BubbleOption]:
    options, section = [], None
    for item in raw:
        current = item.get("section") or ""
        options.append(
            BubbleOption(
                title=str(item.get("title") or item.get("item") or ""),
                description=str(item.get("description") or ""),
                section=current if current and current != section else "",
            )
        )
        section = current
    return options


def _error(code: str | None, message: str | None) -> str:
    """Why WhatsApp or Twilio refused a message, in words (the known codes said plainly, else its message)."""
    if not code and not message:
        return ""
    hint = error_words(code)
    if not hint and message and len(message) > MAX_PROBLEM_CHARS:
        hint = "WhatsApp refused the message; the details are in the server log"
    text = hint[0].upper() + hint[1:] if hint else (message or "The message was refused")
    return f"{text} (error {code})" if code and code not in ("not_configured", "network") else text


def _choice(choice: dict[str, Any] | None, body: str) -> str:
    title = str((choice or {}).get("title") or "")
    if not title:
        return ""
    via = (choice or {}).get("via")
    if via == "list":
        return f"Picked “{title}” from the list"
    if via == "number" or title.strip().lower() != body.strip().lower():
        return f"Picked “{title}”"
    return f"Tapped “{title}”"


def _location(location: dict[str, Any] | None) -> tuple[str, str]:
    if not location:
        return "", ""
    label = " · ".join(str(location[k]) for k in ("label", "address") if location.get(k))
    try:
        coords = f"{float(location['latitude']):.5f}, {float(location['longitude']):.5f}"
    except (KeyError, TypeError, ValueError):
        coords = ""
    return label or "Shared location", coords


def bubbles_from_views(
    views: Sequence[Any],
    *,
    time_zone: str = "UTC",
    now: datetime | None = None,
    customer_name: str = "",
    agent_name: str = "Agent",
    confidence_threshold: float = DEFAULT_CONFIDENCE_THRESHOLD,
    previous: Any | None = None,
) -> list[Bubble]:
    """Bubbles for engine `MessageView`s (oldest first). `previous` is the message just before the first one,
    when the transcript is a later page, so separators and author runs continue across pages."""
    now = now or datetime.now(UTC)
    bubbles: list[Bubble] = []
    last_day, last_author = "", ""
    if previous is not None:
        last_day = day_label(previous.created_at, now, time_zone)
        last_author = f"{previous.direction}:{previous.sender}:{previous.sent_by_user_id or ''}"
    for view in views:
        outbound = view.direction == "outbound"
        day = day_label(view.created_at, now, time_zone)
        author_key = f"{view.direction}:{view.sender}:{view.sent_by_user_id or ''}"
        if view.sender == "human":
            author = view.sent_by_name or "Staff"
        elif view.sender == "agent":
            author = agent_name
        elif view.sender == "system":
            author = "Parley"
        else:
            author = customer_name or "Customer"
        media = list(view.media or [])
        served = [_served_url(view, i, str(m.get("url") or "")) for i, m in enumerate(media)]
        image_at = [i for i, m in enumerate(media) if str(m.get("content_type") or "").startswith("image/")]
        files = [_file(m, url=served[i], index=i) for i, m in enumerate(media) if i not in image_at[:1]]
        location, coords = _location(view.location)
        kind, body, options = view.kind, view.body or "", list(view.options or [])
        card_title = view.title or ""
        if view.fallback:  # the customer got numbered text, not the interactive message
            kind, options, image_at, files = "text", [], [], []
        elif kind == "card" and body == (view.title or ""):
            # A card's title travels as its body: draw it once — a one-line title as the card's title, a
            # longer one (a product card's name, description and sizes) as formatted text, as the phone does.
            body, card_title = ("", body) if "\n" not in body and "*" not in body else (body, "")
        elif kind == "media" and any(body == m.get("url") for m in media):
            body = ""  # no caption: the stored body is the file's address
        choice = _choice(view.choice, view.body or "")
        confidence = view.confidence
        intents = [i.get("name", "") for i in (view.intents or []) if i.get("name")]
        error = _error(view.error_code, view.error_message) if outbound and view.ticks == -1 else ""
        has_meta = view.sender == "agent" and (
            confidence is not None or bool(intents) or bool(view.handoff_reason)
        )
        bubbles.append(
            Bubble(
                key=str(view.id),
                outbound=outbound,
                sender=view.sender,
                author=author,
                show_author=author_key != last_author or day != last_day,
                kind=kind,
                body=body,
                time=f"{local(view.created_at, time_zone):%H:%M}",
                day=day,
                show_day=day != last_day,
                ticks=view.ticks if outbound else 0,
                tick_label=TICK_LABELS.get(view.ticks, "") if outbound else "",
                error=error,
                fallback=f"Sent as numbered text: {view.fallback}" if view.fallback else "",
                image_url=served[image_at[0]] if image_at else "",
                files=files,
                options=_options(options),
                title=card_title if kind == "card" else view.title or "",
                subtitle=view.subtitle or "",
                button=view.button or "",
                choice=choice,
                location=location,
                location_coords=coords,
                confidence=f"{round(confidence * 100)}%" if confidence is not None else "",
                confidence_low=confidence is not None and confidence < confidence_threshold,
                intents=intents_line(intents),
                handoff_reason=handoff_reason(view.handoff_reason),
                model=model_label(view.model),
                has_meta=has_meta,
                can_retry=outbound and view.ticks == -1,
            )
        )
        last_day, last_author = day, author_key
    return bubbles


send_problem = _error

__all__ = [
    "Bubble",
    "BubbleFile",
    "BubbleOption",
    "bubbles_from_views",
    "day_label",
    "media_url",
    "relative_time",
    "send_problem",
]
