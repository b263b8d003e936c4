"""Display data of the Campaigns page, built from the engine's campaign views: list rows with their status
pill and progress, the results' funnel and per-button rows, and the composer's phone preview bubble.

Pure functions of engine DTOs (no database, no Reflex state), so they are tested directly and the states stay
thin. Times are already in the shop's zone: the browser never gets a datetime.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from console.state.formatting import count, when
from console.state.whatsapp_view import Bubble, BubbleOption

# status → (words on the pill, Radix colour)
STATUS: dict[str, tuple[str, str]] = {
    "draft": ("Draft", "gray"),
    "scheduled": ("Scheduled", "blue"),
    "sending": ("Sending", "grass"),
    "paused": ("Paused", "amber"),
    "sent": ("Sent", "teal"),
    "cancelled": ("Cancelled", "red"),
}
TEMPLATE: dict[str, tuple[str, str]] = {
    "none": ("Not submitted", "gray"),
    "pending": ("Waiting for WhatsApp", "amber"),
    "approved": ("Approved by WhatsApp", "grass"),
    "rejected": ("Rejected by WhatsApp", "red"),
    "paused": ("Paused by WhatsApp", "amber"),
    "disabled": ("Disabled by WhatsApp", "red"),
}
ACTIVE = ("scheduled", "sending")


@dataclasses.dataclass
class CampaignRow:
    id: int = 0
    name: str = ""
    status: str = "draft"
    status_label: str = ""
    status_color: str = "gray"
    template_label: str = ""
    template_color: str = "gray"
    progress: int = 0  # percent
    progress_text: str = ""
    when: str = ""
    recipients: str = ""
    can_pause: bool = False
    can_resume: bool = False
    can_cancel: bool = False
    has_results: bool = False


@dataclasses.dataclass
class FunnelStep:
    stage: str = ""
    people: int = 0
    share: str = ""


@dataclasses.dataclass
class ButtonRow:
    title: str = ""
    taps: str = ""
    share: str = ""


@dataclasses.dataclass
class FailureRow:
    reason: str = ""
    people: str = ""


@dataclasses.dataclass
class ButtonDraft:
    """One button in the composer: a quick reply, a link or a call."""

    type: str = "quick_reply"
    title: str = ""
    url: str = ""
    phone: str = ""
    error: str = ""  # the composer's refusal for this button, shown under it

    def to_raw(self) -> dict[str, str]:
        raw = {"type": self.type, "title": self.title}
        if self.type == "url":
            raw["url"] = self.url
        if self.type == "call":
            raw["phone"] = self.phone
        return raw


@dataclasses.dataclass
class FallbackRow:
    name: str = ""
    label: str = ""
    value: str = ""


def campaign_row(view: Any, time_zone: str) -> CampaignRow:
    label, color = STATUS.get(view.status, (view.status.title(), "gray"))
    template_label, template_color = TEMPLATE.get(view.template_status, ("Unknown", "gray"))
    counts = view.counts or {}
    total = int(counts.get("total", 0))
    done = int(counts.get("done", 0))
    if view.status in ("draft",):
        moment = f"Created {when(view.created_at, time_zone)}"
    elif view.status == "scheduled":
        moment = f"Goes out {when(view.scheduled_at, time_zone)}"
    elif view.completed_at:
        moment = f"Finished {when(view.completed_at, time_zone)}"
    else:
        moment = f"Started {when(view.started_at or view.scheduled_at, time_zone)}"
    return CampaignRow(
        id=view.id,
        name=view.name,
        status=view.status,
        status_label=label,
        status_color=color,
        template_label=template_label,
        template_color=template_color,
        progress=int(round(view.progress * 100)),
        progress_text=f"{count(done)} of {count(total)} sent" if total else "Not started",
        when=moment,
        recipients=count(total),
        can_pause=view.status in ACTIVE,
        can_resume=view.status == "paused",
        can_cancel=view.status in ("draft", "scheduled", "sending", "paused"),
        has_results=view.started_at is not None,
    )


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def funnel_steps(figures: Any) -> list[FunnelStep]:
    stages = (
        ("Sent", figures.sent),
        ("Delivered", figures.delivered),
        ("Read", figures.read),
        ("Tapped", figures.tapped),
        ("Replied", figures.replied),
        ("Ordered", figures.ordered),
    )
    return [FunnelStep(stage=s, people=int(n), share=_share(int(n), int(figures.sent))) for s, n in stages]


def button_rows(figures: Any, buttons: Sequence[dict[str, Any]]) -> list[ButtonRow]:
    """Every quick reply of the message, tapped or not, with its taps and share of the taps."""
    taps = {payload: (title, int(n)) for payload, title, n in figures.per_button}
    total = sum(n for _, n in taps.values())
    rows = []
    for b in buttons:
        if b.get("type", "quick_reply") != "quick_reply":
            continue
        title, n = taps.pop(str(b.get("id")), (b.get("title", ""), 0))
        rows.append(ButtonRow(title=b.get("title") or title, taps=count(n), share=_share(n, total)))
    rows += [ButtonRow(title=t or p, taps=count(n), share=_share(n, total)) for p, (t, n) in taps.items()]
    return rows


def failure_rows(figures: Any) -> list[FailureRow]:
    return [FailureRow(reason=words or code, people=count(n)) for code, words, n in figures.failures]


def fallback_rows(
    names: Sequence[str], fallbacks: dict[str, str], labels: dict[str, str]
) -> list[FallbackRow]:
    return [FallbackRow(name=n, label=labels.get(n, n), value=fallbacks.get(n, "")) for n in names]


def preview_bubble(
    text: str, *, media_url: str, media_kind: str, media_label: str, buttons: Sequence[ButtonDraft], time: str
) -> Bubble:
    """The message as the customer's phone draws it: picture on top (a file chip for video or PDF), the
    text, then one bar per button."""
    options = [BubbleOption(title=(b.title or "Button")) for b in buttons]
    if media_kind == "image" and media_url:
        kind = "card"
    elif options:
        kind = "card" if media_kind else "buttons"
    else:
        kind = "text"
    return Bubble(
        key="preview",
        outbound=True,
        sender="agent",
        show_author=True,
        kind=kind,
        body=text or " ",
        time=time,
        ticks=2,
        image_url=media_url if media_kind == "image" else "",
        title=("📎 " + media_label) if media_kind in ("video", "document") else "",
        options=options,
    )


__all__ = [
    "ACTIVE",
    "ButtonDraft",
    "ButtonRow",
    "CampaignRow",
    "FailureRow",
    "FallbackRow",
    "FunnelStep",
    "button_rows",
    "campaign_row",
    "failure_rows",
    "fallback_rows",
    "funnel_steps",
    "preview_bubble",
]
