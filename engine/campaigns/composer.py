"""Composer validation: every WhatsApp limit checked to the character before a campaign is saved.

A campaign always goes out as an approved template (business-initiated messages need one), so the template
limits apply, which are the tighter ones: body ≤ 1,024 characters (rendered with the longest fallbacks too —
text plus variables over 1,024 is Twilio's error 63021), up to 3 buttons, button titles ≤ 20, at most 2 URL
buttons and 1 call button, variable keys ≤ 16 and values ≤ 1,600, one image (JPEG, PNG), video (MP4) or PDF.
Each refusal names the field and the limit (CampaignError), so the console shows it beside the field and the
API answers 422 with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.campaigns import variables as V
from engine.campaigns.errors import CampaignError
from engine.channels.whatsapp import limits

NAME_MAX = 120
BODY_MAX = limits.INTERACTIVE_BODY_MAX  # a WhatsApp template's body: 1,024
BUTTONS_MAX = limits.BUTTONS_MAX  # 3
BUTTON_TITLE_MAX = limits.BUTTON_TITLE_MAX  # 20
BUTTON_ID_MAX = limits.OPTION_ID_MAX  # 128
URL_BUTTONS_MAX = 2
CALL_BUTTONS_MAX = 1
URL_MAX = 2000
VARIABLES_MAX = 100
VARIABLE_KEY_MAX = 16
VARIABLE_VALUE_MAX = limits.TEXT_BODY_MAX  # 1,600
REPLY_MAX = limits.TEXT_BODY_MAX
TEMPLATE_MEDIA_TYPES = frozenset({"image/jpeg", "image/png", "video/mp4", "application/pdf"})
BUTTON_TYPES = ("quick_reply", "url", "call")
ACTIONS = ("agent", "reply", "product", "person")
E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass(frozen=True, slots=True)
class Button:
    """One button. Quick replies come back as a tap (`id`) and are routed by `action`."""

    type: str
    title: str
    id: str | None = None
    url: str | None = None
    phone: str | None = None
    action: str = "agent"  # quick replies: agent | reply (canned `reply`) | product (`product_id`) | person
    reply: str | None = None
    product_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in {
                "type": self.type,
                "title": self.title,
                "id": self.id,
                "url": self.url,
                "phone": self.phone,
                "action": self.action,
                "reply": self.reply,
                "product_id": self.product_id,
            }.items()
            if v is not None
        }


@dataclass(frozen=True, slots=True)
class Content:
    """A campaign's validated message."""

    name: str
    body: str
    media_key: str | None = None
    media_type: str | None = None
    buttons: tuple[Button, ...] = ()
    fallbacks: dict[str, str] = field(default_factory=dict)

    @property
    def variable_names(self) -> list[str]:
        return V.names_in(self.body)


def _text(field_name: str, value: Any, limit: int, *, label: str, required: bool = True) -> str:
    text = "" if value is None else str(value)
    if required and not text.strip():
        raise CampaignError(field_name, f"{label} is required", limit)
    if len(text) > limit:
        raise CampaignError(
            field_name, f"{label} can be at most {limit:,} characters (this one has {len(text):,})", limit
        )
    return text


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "button"


def validate_button(index: int, raw: Mapping[str, Any]) -> Button:
    where = f"buttons[{index}]"
    kind = str(raw.get("type") or "quick_reply")
    if kind not in BUTTON_TYPES:
        raise CampaignError(f"{where}.type", f"a button is one of {', '.join(BUTTON_TYPES)}")
    title = _text(f"{where}.title", raw.get("title"), BUTTON_TITLE_MAX, label="A button's title").strip()
    if kind == "url":
        url = _text(f"{where}.url", raw.get("url"), URL_MAX, label="The link").strip()
        if not url.startswith("https://") or " " in url:
            raise CampaignError(f"{where}.url", "a link must start with https:// and have no spaces")
        return Button(type=kind, title=title, url=url)
    if kind == "call":
        phone = re.sub(r"[\s().-]", "", str(raw.get("phone") or ""))
        if not E164_RE.match(phone):
            raise CampaignError(
                f"{where}.phone",
                "a phone number in international form, like +14155550123 (up to 15 digits)",
                15,
            )
        return Button(type=kind, title=title, phone=phone)
    button_id = _text(
        f"{where}.id", raw.get("id") or f"c_{index + 1}_{_slug(title)}", BUTTON_ID_MAX, label="A button's id"
    )
    action = str(raw.get("action") or "agent")
    if action not in ACTIONS:
        raise CampaignError(f"{where}.action", f"what a tap does is one of {', '.join(ACTIONS)}")
    reply = None
    product_id = None
    if action == "reply":
        reply = _text(f"{where}.reply", raw.get("reply"), REPLY_MAX, label="The reply to a tap")
    if action == "product":
        try:
            product_id = int(raw.get("product_id") or 0)
        except (TypeError, ValueError):
            product_id = 0
        if product_id <= 0:
            raise CampaignError(f"{where}.product_id", "choose the catalog item this button shows")
    return Button(type=kind, title=title, id=button_id, action=action, reply=reply, product_id=product_id)


def validate_buttons(raw: Sequence[Mapping[str, Any]] | None) -> tuple[Button, ...]:
    items = list(raw or [])
    if len(items) > BUTTONS_MAX:
        raise CampaignError(
            f"buttons[{BUTTONS_MAX}]",
            f"a WhatsApp message can have at most {BUTTONS_MAX} buttons",
            BUTTONS_MAX,
        )
    buttons = tuple(validate_button(i, b) for i, b in enumerate(items))
    if sum(b.type == "url" for b in buttons) > URL_BUTTONS_MAX:
        raise CampaignError("buttons", f"at most {URL_BUTTONS_MAX} link buttons", URL_BUTTONS_MAX)
    if sum(b.type == "call" for b in buttons) > CALL_BUTTONS_MAX:
        raise CampaignError("buttons", f"at most {CALL_BUTTONS_MAX} call button", CALL_BUTTONS_MAX)
    titles = [b.title.casefold() for b in buttons]
    for i, title in enumerate(titles):
        if title in titles[:i]:
            raise CampaignError(f"buttons[{i}].title", "two buttons cannot have the same title")
    ids = [b.id for b in buttons if b.id]
    if len(ids) != len(set(ids)):
        raise CampaignError("buttons", "two buttons cannot have the same id")
    return buttons


def validate_fallbacks(names: list[str], raw: Mapping[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (raw or {}).items():
        if key not in V.VARIABLES:
            raise CampaignError(f"fallbacks.{key}", f"there is no variable {{{{{key}}}}}")
        out[key] = _text(f"fallbacks.{key}", value, VARIABLE_VALUE_MAX, label="A fallback", required=False)
    return out


def validate_body(body: Any, fallbacks: Mapping[str, str]) -> tuple[str, list[str]]:
    text = _text("body", body, BODY_MAX, label="The message")
    names = V.names_in(text)
    for name in names:
        if name not in V.VARIABLES:
            known = ", ".join("{{" + n + "}}" for n in V.VARIABLES)
            raise CampaignError("body", f"{{{{{name}}}}} is not a variable; use {known}")
        if len(name) > VARIABLE_KEY_MAX:
            raise CampaignError("body", f"a variable's name is at most {VARIABLE_KEY_MAX} characters", 16)
    if len(names) > VARIABLES_MAX:
        raise CampaignError("body", f"at most {VARIABLES_MAX} variables", VARIABLES_MAX)
    sample = V.render(text, {n: fallbacks.get(n) or V.VARIABLES[n][1] for n in names})
    if len(sample) > BODY_MAX:
        raise CampaignError(
            "body",
            f"with the fallbacks filled in the message has {len(sample):,} characters; "
            f"WhatsApp takes at most {BODY_MAX:,}",
            BODY_MAX,
        )
    return text, names


def validate_media(media_key: Any, media_type: Any) -> tuple[str | None, str | None]:
    if not media_key:
        return None, None
    kind = str(media_type or "")
    if kind not in TEMPLATE_MEDIA_TYPES:
        raise CampaignError(
            "media", "a campaign can carry one JPEG or PNG picture, MP4 video or PDF document"
        )
    return str(media_key)[:500], kind


def validate_content(raw: Mapping[str, Any]) -> Content:
    """The composer's fields (name, body, media_key, media_type, buttons, fallbacks) checked; raises
    CampaignError on the first problem, naming the field and the limit."""
    name = _text("name", raw.get("name"), NAME_MAX, label="The campaign's name").strip()
    fallbacks_raw = raw.get("fallbacks") or {}
    if not isinstance(fallbacks_raw, Mapping):
        raise CampaignError("fallbacks", "fallbacks are variable names with their words")
    fallbacks = validate_fallbacks([], fallbacks_raw)
    body, _names = validate_body(raw.get("body"), fallbacks)
    media_key, media_type = validate_media(raw.get("media_key"), raw.get("media_type"))
    buttons_raw = raw.get("buttons") or []
    if not isinstance(buttons_raw, Sequence) or isinstance(buttons_raw, str):
        raise CampaignError("buttons", "buttons are a list")
    buttons = validate_buttons(buttons_raw)
    return Content(
        name=name, body=body, media_key=media_key, media_type=media_type, buttons=buttons, fallbacks=fallbacks
    )


__all__ = ["BODY_MAX", "BUTTONS_MAX", "Button", "Content", "validate_button", "validate_content"]
