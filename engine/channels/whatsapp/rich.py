"""Channel-neutral rich messages, built and validated against WhatsApp's limits before anything is sent.

Why validate here and not let Twilio refuse: a refused message reaches the customer as silence, and Twilio
reports it minutes later in a status callback. An error naming the field and the limit at build time is
something the agent (or a test) can act on at once.

A `RichMessage` also knows its plain-text fallback (numbered options), used outside the 24-hour window or when
the Content API cannot take it, and `resolve_choice` maps the customer's answer ("2", a tapped button, a list
pick, or the option's title typed out) back to the option.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import urlparse

from engine.channels.whatsapp import limits
from engine.money import format_money

Kind = Literal["text", "media", "buttons", "list", "card"]
INTERACTIVE_KINDS: frozenset[str] = frozenset({"buttons", "list", "card"})
NUMBER_PROMPT = "Reply with the number of your choice."


class RichMessageError(ValueError):
    """A rich message breaks a WhatsApp limit. `field` is a path like `buttons[3].title`; `limit` the cap."""

    def __init__(self, field: str, message: str, limit: int | None = None, actual: int | None = None) -> None:
        self.field = field
        self.limit = limit
        self.actual = actual
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True, slots=True)
class Option:
    """One button or list row. `id` comes back as ButtonPayload when tapped; `section` groups list rows."""

    id: str
    title: str
    description: str | None = None
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.description:
            data["description"] = self.description
        if self.section:
            data["section"] = self.section
        return data


@dataclass(frozen=True, slots=True)
class Media:
    url: str
    content_type: str
    size_bytes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "content_type": self.content_type, "size_bytes": self.size_bytes}


@dataclass(frozen=True, slots=True)
class RichMessage:
    """What the agent wants to say, independent of how it travels.

    kind: text (body) · media (one attachment, body is the caption) · buttons (body + ≤3 quick replies) ·
    list (body + list button label + 1-10 rows) · card (title, subtitle, optional image, ≤3 quick replies).
    `meta` carries the turn's bookkeeping (confidence, handoff reason, LLM call ids); it is not content and is
    left out of the content hash.
    """

    kind: Kind
    body: str = ""
    options: tuple[Option, ...] = ()
    media: Media | None = None
    title: str | None = None
    subtitle: str | None = None
    button: str | None = None  # the list picker's button label
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_interactive(self) -> bool:
        return self.kind in INTERACTIVE_KINDS

    # serialisation -------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON kept in `message.rich`: enough to resend it, render it and map answers back."""
        data: dict[str, Any] = {"kind": self.kind, "body": self.body}
        if self.options:
            data["options"] = [o.to_dict() for o in self.options]
        if self.media:
            data["media"] = self.media.to_dict()
        for key in ("title", "subtitle", "button"):
            value = getattr(self, key)
            if value:
                data[key] = value
        if self.meta:
            data["meta"] = self.meta
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RichMessage:
        media = data.get("media")
        return cls(
            kind=data.get("kind", "text"),
            body=data.get("body") or "",
            options=tuple(
                Option(
                    id=str(o["id"]),
                    title=str(o["title"]),
                    description=o.get("description"),
                    section=o.get("section"),
                )
                for o in data.get("options") or ()
            ),
            media=Media(media["url"], media["content_type"], media.get("size_bytes")) if media else None,
            title=data.get("title"),
            subtitle=data.get("subtitle"),
            button=data.get("button"),
            meta=dict(data.get("meta") or {}),
        )

    def with_meta(self, **meta: Any) -> RichMessage:
        return replace(self, meta={**self.meta, **meta})

    # what travels --------------------------------------------------------------------------------------

    def fallback_text(self) -> str:
        """Plain text with numbered options: what the customer gets when the interactive form cannot be sent.

        Clipped to the text limit so the fallback itself can never be refused for length.
        """
        parts: list[str] = []
        if self.kind == "card":
            parts.append("\n".join(p for p in (self.title, self.subtitle) if p))
            if self.body:
                parts.append(self.body)
        elif self.body:
            parts.append(self.body)
        if self.kind == "media" and self.media and not self.body:
            parts.append(self.media.url)
        if self.options:
            lines = []
            section = None
            for number, option in enumerate(self.options, 1):
                if option.section and option.section != section:
                    section = option.section
                    lines.append(f"*{section}*")
                line = f"{number}. {option.title}"
                if option.description:
                    line += f" — {option.description}"
                lines.append(line)
            parts.append("\n".join(lines))
            parts.append(NUMBER_PROMPT)
        text = "\n\n".join(p for p in parts if p).strip()
        if len(text) > limits.TEXT_BODY_MAX:
            text = text[: limits.TEXT_BODY_MAX - 1].rstrip() + "…"
        return text

    def content_types(self) -> dict[str, Any]:
        """The Content API `types` object for an interactive message (text and media are sent directly)."""
        if self.kind == "buttons":
            return {
                "twilio/quick-reply": {
                    "body": self.body,
                    "actions": [{"type": "QUICK_REPLY", "title": o.title, "id": o.id} for o in self.options],
                }
            }
        if self.kind == "list":
            return {
                "twilio/list-picker": {
                    "body": self.body,
                    "button": self.button,
                    "items": [
                        {"item": o.title, "id": o.id, "description": o.description or ""}
                        for o in self.options
                    ],
                }
            }
        if self.kind == "card":
            card: dict[str, Any] = {"title": self.title}
            if self.subtitle:
                card["subtitle"] = self.subtitle
            if self.media:
                card["media"] = [self.media.url]
            if self.options:
                card["actions"] = [
                    {"type": "QUICK_REPLY", "title": o.title, "id": o.id} for o in self.options
                ]
            return {"twilio/card": card}
        raise RichMessageError("kind", f"{self.kind} messages are sent directly, not through the Content API")

    def content_hash(self, language: str = "en") -> str:
        """Identity of the Content API payload: equal payloads share one content SID per tenant."""
        canonical = json.dumps(
            {"language": language, "types": self.content_types()}, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


# ------------------------------------------------------------------------------------------------ builder

OptionLike = Option | str | tuple[str, str] | tuple[str, str, str] | Mapping[str, Any]


def _check_text(field_name: str, value: str | None, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise RichMessageError(field_name, "must not be empty", limit=limit, actual=0)
    if len(value) > limit:
        raise RichMessageError(
            field_name,
            f"is {len(value)} characters; WhatsApp allows at most {limit}",
            limit=limit,
            actual=len(value),
        )
    return value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "option"


def _option(value: OptionLike, index: int) -> Option:
    if isinstance(value, Option):
        return value
    if isinstance(value, str):
        return Option(id=f"{index + 1}-{_slug(value)}", title=value)
    if isinstance(value, tuple):
        return Option(id=value[0], title=value[1], description=value[2] if len(value) > 2 else None)
    if isinstance(value, Mapping):
        title = value.get("title") or value.get("item") or ""
        return Option(
            id=str(value.get("id") or f"{index + 1}-{_slug(str(title))}"),
            title=str(title),
            description=value.get("description") or None,
            section=value.get("section") or None,
        )
    raise RichMessageError(f"options[{index}]", f"cannot make an option from {type(value).__name__}")


def _check_options(
    name: str,
    values: Iterable[OptionLike],
    *,
    max_count: int,
    title_max: int,
    min_count: int = 1,
    description_max: int | None = None,
) -> tuple[Option, ...]:
    options = [_option(v, i) for i, v in enumerate(values)]
    if len(options) < min_count:
        raise RichMessageError(
            name,
            f"needs at least {min_count} option(s), got {len(options)}",
            limit=min_count,
            actual=len(options),
        )
    if len(options) > max_count:
        raise RichMessageError(
            name,
            f"has {len(options)} options; WhatsApp allows at most {max_count}",
            limit=max_count,
            actual=len(options),
        )
    seen: dict[str, int] = {}
    checked = []
    for i, option in enumerate(options):
        title = _check_text(f"{name}[{i}].title", option.title, title_max)
        option_id = _check_text(f"{name}[{i}].id", option.id, limits.OPTION_ID_MAX)
        if option_id in seen:
            raise RichMessageError(
                f"{name}[{i}].id", f"duplicates {name}[{seen[option_id]}].id ({option_id!r})"
            )
        seen[option_id] = i
        description = option.description
        if description is not None:
            if description_max is None:
                raise RichMessageError(f"{name}[{i}].description", "is not supported on this message type")
            description = _check_text(
                f"{name}[{i}].description", description, description_max, required=False
            )
        checked.append(
            Option(id=option_id, title=title, description=description or None, section=option.section)
        )
    return tuple(checked)


def _check_url(field_name: str, url: str) -> str:
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise RichMessageError(field_name, f"must be a public http(s) URL, got {url!r}")
    return url


def _money(price: Decimal | int | str | None, currency: str | None) -> str | None:
    return None if price is None else format_money(price, currency)


def _clip(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class RichMessageBuilder:
    """Builds validated `RichMessage`s. Every method raises `RichMessageError` naming the field and the limit.

    Stateless: the methods are static so `RichMessageBuilder.button_message(...)` reads as what it makes.
    """

    @staticmethod
    def text(body: str) -> RichMessage:
        return RichMessage(kind="text", body=_check_text("body", body, limits.TEXT_BODY_MAX))

    @staticmethod
    def media(
        url: str, content_type: str, *, caption: str | None = None, size_bytes: int | None = None
    ) -> RichMessage:
        """One attachment. `content_type` must be the file's real type (sniffed, not from its name)."""
        url = _check_url("media.url", url)
        kind = (content_type or "").split(";")[0].strip().lower()
        if kind not in limits.MEDIA_TYPES:
            raise RichMessageError(
                "media.content_type",
                f"{content_type!r} is not a type WhatsApp accepts ({', '.join(sorted(limits.MEDIA_TYPES))})",
            )
        max_bytes = limits.MEDIA_TYPES[kind]
        if size_bytes is not None and size_bytes > max_bytes:
            raise RichMessageError(
                "media.size_bytes",
                f"{kind} is {size_bytes} bytes; WhatsApp allows at most {max_bytes}",
                limit=max_bytes,
                actual=size_bytes,
            )
        return RichMessage(
            kind="media",
            body=_check_text("caption", caption, limits.TEXT_BODY_MAX, required=False),
            media=Media(url=url, content_type=kind, size_bytes=size_bytes),
        )

    @staticmethod
    def button_message(body: str, buttons: Sequence[OptionLike]) -> RichMessage:
        """Body plus up to three quick-reply buttons (the in-session limit)."""
        return RichMessage(
            kind="buttons",
            body=_check_text("body", body, limits.INTERACTIVE_BODY_MAX),
            options=_check_options(
                "buttons", buttons, max_count=limits.BUTTONS_MAX, title_max=limits.BUTTON_TITLE_MAX
            ),
        )

    @staticmethod
    def list_message(
        body: str,
        button: str,
        items: Sequence[OptionLike] | None = None,
        *,
        sections: Sequence[tuple[str, Sequence[OptionLike]]]
        | Mapping[str, Sequence[OptionLike]]
        | None = None,
    ) -> RichMessage:
        """A list picker: `items`, or `sections` of (title, items); 1-10 rows in all."""
        if (items is None) == (sections is None):
            raise RichMessageError("items", "give either items or sections")
        rows: list[Option] = []
        if sections is not None:
            pairs = list(sections.items()) if isinstance(sections, Mapping) else list(sections)
            if len(pairs) > limits.LIST_SECTIONS_MAX:
                raise RichMessageError(
                    "sections",
                    f"has {len(pairs)} sections; WhatsApp allows at most {limits.LIST_SECTIONS_MAX}",
                    limit=limits.LIST_SECTIONS_MAX,
                    actual=len(pairs),
                )
            for s, (title, section_items) in enumerate(pairs):
                title = _check_text(f"sections[{s}].title", title, limits.LIST_SECTION_TITLE_MAX)
                for i, value in enumerate(section_items):
                    option = _option(value, len(rows) + i)
                    rows.append(replace(option, section=title))
        else:
            rows = [_option(v, i) for i, v in enumerate(items or ())]
        return RichMessage(
            kind="list",
            body=_check_text("body", body, limits.INTERACTIVE_BODY_MAX),
            button=_check_text("button", button, limits.LIST_BUTTON_MAX),
            options=_check_options(
                "items",
                rows,
                min_count=limits.LIST_ITEMS_MIN,
                max_count=limits.LIST_ITEMS_MAX,
                title_max=limits.LIST_ITEM_TITLE_MAX,
                description_max=limits.LIST_ITEM_DESCRIPTION_MAX,
            ),
        )

    @staticmethod
    def card(
        title: str,
        *,
        subtitle: str | None = None,
        image_url: str | None = None,
        buttons: Sequence[OptionLike] = (),
    ) -> RichMessage:
        """A card: title (WhatsApp shows it as the body), optional subtitle and image, ≤3 quick replies."""
        title = _check_text("title", title, limits.CARD_TITLE_MAX)
        subtitle = _check_text("subtitle", subtitle, limits.CARD_SUBTITLE_MAX, required=False) or None
        media = None
        if image_url:
            url = _check_url("image_url", image_url)
            guessed = mimetypes.guess_type(urlparse(url).path)[0]
            media = Media(url=url, content_type=guessed if guessed in limits.MEDIA_TYPES else "image/jpeg")
        options = (
            _check_options(
                "buttons", buttons, max_count=limits.CARD_BUTTONS_MAX, title_max=limits.BUTTON_TITLE_MAX
            )
            if buttons
            else ()
        )
        if not (subtitle or media or options):
            raise RichMessageError("card", "needs a subtitle, an image or a button besides the title")
        return RichMessage(kind="card", title=title, subtitle=subtitle, media=media, options=options)

    @staticmethod
    def product_card(
        product: Any,
        *,
        currency: str | None = "USD",
        buttons: Sequence[OptionLike] | None = None,
        description_chars: int = 300,
    ) -> RichMessage:
        """A product (anything with name, sku, price, description, image_url, stock) as a card.

        The description is clipped to `description_chars` (the catalogue's text is not written for a chat
        bubble); the name, price and buttons are validated, not clipped.
        """
        sku = str(getattr(product, "sku", None) or getattr(product, "id", ""))
        name = str(product.name)
        description = _clip(getattr(product, "description", "") or "", description_chars)
        title = f"{name}\n{description}" if description else name
        stock = getattr(product, "stock", None)
        availability = None if stock is None else ("in stock" if stock > 0 else "out of stock")
        subtitle = " · ".join(
            p for p in (_money(getattr(product, "price", None), currency), availability) if p
        )
        default = [(f"product:{sku}:buy", "Buy now"), (f"product:{sku}:info", "More info")]
        return RichMessageBuilder.card(
            title,
            subtitle=subtitle or None,
            image_url=getattr(product, "image_url", None),
            buttons=default if buttons is None else buttons,
        )

    @staticmethod
    def service_card(
        service: Any,
        *,
        currency: str | None = "USD",
        buttons: Sequence[OptionLike] | None = None,
        description_chars: int = 300,
    ) -> RichMessage:
        """A service (name, code, price, duration_minutes, description, image_url, is_bookable) as a card."""
        code = str(getattr(service, "code", None) or getattr(service, "id", ""))
        description = _clip(getattr(service, "description", "") or "", description_chars)
        name = str(service.name)
        title = f"{name}\n{description}" if description else name
        duration = getattr(service, "duration_minutes", None)
        bookable = getattr(service, "is_bookable", None)
        subtitle = " · ".join(
            p
            for p in (
                _money(getattr(service, "price", None), currency),
                f"{duration} min" if duration else None,
                None if bookable is None else ("bookable" if bookable else "not bookable right now"),
            )
            if p
        )
        default = [(f"service:{code}:book", "Book now"), (f"service:{code}:info", "More info")]
        return RichMessageBuilder.card(
            title,
            subtitle=subtitle or None,
            image_url=getattr(service, "image_url", None),
            buttons=default if buttons is None else buttons,
        )

    @staticmethod
    def from_agent(reply: str, rich: Mapping[str, Any] | None) -> RichMessage:
        """The agent's reply plus its optional `rich` object (AgentTurn.rich) as a RichMessage.

        A model is not a validator: when its rich part breaks a limit, the customer still gets the reply, as
        text with the options numbered, and the reason is kept in `meta["rich_error"]`.
        """
        reply = (reply or "").strip()
        if not rich:
            return RichMessageBuilder.text(_clip_keep_lines(reply, limits.TEXT_BODY_MAX))
        kind = rich.get("type")
        try:
            if kind == "buttons":
                return RichMessageBuilder.button_message(
                    reply, rich.get("buttons") or rich.get("options") or []
                )
            if kind == "list":
                sections = rich.get("sections")
                if sections:
                    return RichMessageBuilder.list_message(
                        reply,
                        rich.get("button") or "Options",
                        sections=[(s.get("title") or "", s.get("items") or []) for s in sections],
                    )
                return RichMessageBuilder.list_message(
                    reply, rich.get("button") or "Options", rich.get("items") or rich.get("options") or []
                )
            if kind == "card":
                return RichMessageBuilder.card(
                    rich.get("title") or reply,
                    subtitle=rich.get("subtitle"),
                    image_url=rich.get("media_url") or rich.get("image_url"),
                    buttons=rich.get("buttons") or (),
                )
            raise RichMessageError("rich.type", f"unknown rich type {kind!r}")
        except RichMessageError as exc:
            raw = rich.get("buttons") or rich.get("items") or rich.get("options") or []
            options = []
            for i, value in enumerate(raw if isinstance(raw, list) else []):
                try:
                    options.append(_option(value, i))
                except RichMessageError:
                    continue
            degraded = RichMessage(kind="text", body=reply, options=tuple(options))
            return RichMessage(kind="text", body=degraded.fallback_text(), meta={"rich_error": str(exc)})


def _clip_keep_lines(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------------------------------ choice mapping

_NUMBER_RE = re.compile(r"^\s*(?:option|no\.?|number|#)?\s*(\d{1,2})\s*[.)]?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Choice:
    option: Option
    via: str  # button · list · number · title


def resolve_choice(
    options: Sequence[Option],
    *,
    button_payload: str | None = None,
    list_id: str | None = None,
    body: str | None = None,
) -> Choice | None:
    """The option the customer picked: tapped id, list id, the title typed out, then its number."""
    if not options:
        return None
    by_id = {o.id: o for o in options}
    if button_payload and button_payload in by_id:
        return Choice(by_id[button_payload], "button")
    if list_id and list_id in by_id:
        return Choice(by_id[list_id], "list")
    text = (body or "").strip()
    if not text:
        return None
    folded = text.casefold()
    for option in options:  # before numbers: a size "42" typed out is that option, not the 42nd
        if option.title.casefold() == folded:
            return Choice(option, "title")
    match = _NUMBER_RE.match(text)
    if match and 1 <= int(match.group(1)) <= len(options):
        return Choice(options[int(match.group(1)) - 1], "number")
    return None


__all__ = [
    "Choice",
    "INTERACTIVE_KINDS",
    "Media",
    "Option",
    "RichMessage",
    "RichMessageBuilder",
    "RichMessageError",
    "resolve_choice",
]
