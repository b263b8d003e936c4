"""WhatsApp as the phone shows it: bubbles, media, buttons, lists, cards, delivery ticks and day separators.

Reusable: the Conversations page draws a transcript with it, the Playground its phone, the Persona page and
the knowledge drawer their previews. A page puts `whatsapp_styles()` once in its tree (the look lives in one
style sheet, light and dark), holds a `list[Bubble]` in its state (console/state/whatsapp_view.py:
`bubbles_from_views`, or by hand) and draws `transcript(bubbles)` or one `bubble(b)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from console.components.whatsapp_text import formatted

# ---------------------------------------------------------------------------------------------- drawing

# One style sheet for the whole look: WhatsApp's colours in light and dark mode, bubble tails, the wallpaper.
WHATSAPP_CSS = """
.wa {
  --wa-wallpaper: #efeae2; --wa-dots: rgba(17, 27, 33, 0.055);
  --wa-in: #ffffff; --wa-out: #d9fdd3; --wa-human: #dcecff;
  --wa-text: #111b21; --wa-muted: #667781; --wa-link: #027eb5; --wa-read: #53bdeb;
  --wa-chip: rgba(255, 255, 255, 0.92); --wa-shadow: 0 1px 0.5px rgba(11, 20, 26, 0.13);
  --wa-quote: rgba(11, 20, 26, 0.05); --wa-divider: rgba(11, 20, 26, 0.08);
}
.dark .wa {
  --wa-wallpaper: #0b141a; --wa-dots: rgba(233, 237, 239, 0.035);
  --wa-in: #202c33; --wa-out: #005c4b; --wa-human: #1d3b5a;
  --wa-text: #e9edef; --wa-muted: #8696a0; --wa-link: #53bdeb; --wa-read: #53bdeb;
  --wa-chip: #182229; --wa-shadow: 0 1px 0.5px rgba(0, 0, 0, 0.3);
  --wa-quote: rgba(255, 255, 255, 0.06); --wa-divider: rgba(255, 255, 255, 0.1);
}
.wa-wallpaper {
  background-color: var(--wa-wallpaper);
  background-image: radial-gradient(var(--wa-dots) 1.2px, transparent 1.3px);
  background-size: 22px 22px;
}
.wa-row { display: flex; width: 100%; padding: 0 6%; }
.wa-row[data-out="true"] { justify-content: flex-end; }
.wa-stack { display: flex; flex-direction: column; max-width: min(75%, 560px); min-width: 0; }
.wa-group { display: flex; flex-direction: column; max-width: 100%; }
.wa-group > .wa-bubble { align-self: stretch; }
.wa-group[data-kind="buttons"], .wa-group[data-kind="list"] { min-width: 250px; }
.wa-group[data-kind="card"] { width: 290px; }
.wa-row[data-out="true"] .wa-stack { align-items: flex-end; }
.wa-bubble {
  position: relative; background: var(--wa-in); color: var(--wa-text); border-radius: 8px;
  padding: 6px 8px 8px 9px; box-shadow: var(--wa-shadow); font-size: 14.2px; line-height: 19px;
  overflow-wrap: anywhere; white-space: pre-wrap; min-width: 64px; max-width: 100%;
}
.wa-bubble[data-sender="agent"] { background: var(--wa-out); }
.wa-bubble[data-sender="human"] { background: var(--wa-human); }
.wa-bubble[data-tail="true"][data-out="false"] { border-top-left-radius: 0; }
.wa-bubble[data-tail="true"][data-out="true"] { border-top-right-radius: 0; }
.wa-bubble[data-tail="true"]::before {
  content: ""; position: absolute; top: 0; width: 8px; height: 13px; background: inherit;
}
.wa-bubble[data-tail="true"][data-out="false"]::before { left: -8px;
  clip-path: polygon(0 0, 100% 0, 100% 100%); }
.wa-bubble[data-tail="true"][data-out="true"]::before { right: -8px;
  clip-path: polygon(0 0, 100% 0, 0 100%); }
.wa-bubble[data-media="true"] { padding: 3px 3px 6px 3px; }
.wa-bubble[data-media="true"] .wa-text { padding: 4px 5px 0 6px; }
.wa-spacer { display: inline-block; width: 44px; height: 1px; }
.wa-row[data-out="true"] .wa-spacer { width: 64px; }
.wa-stamp {
  position: absolute; right: 8px; bottom: 4px; display: inline-flex; align-items: center; gap: 3px;
  font-size: 11px; line-height: 15px; color: var(--wa-muted); white-space: nowrap;
}
.wa-tick-read { color: var(--wa-read); }
.wa-tick-failed { color: var(--red-10); }
.wa-author { font-size: 12px; font-weight: 500; color: var(--wa-muted); margin: 0 4px 3px; display: flex;
  align-items: center; gap: 4px; }
.wa-title { font-weight: 600; }
.wa-subtitle { color: var(--wa-muted); font-size: 13px; }
.wa-image { display: block; width: 100%; max-width: 300px; max-height: 300px; object-fit: cover;
  border-radius: 6px; background: var(--wa-quote); min-height: 120px; }
.wa-card-image { display: block; width: 100%; height: 150px; object-fit: cover; border-radius: 6px;
  background: var(--wa-quote); }
.wa-actions { display: flex; flex-direction: column; gap: 2px; margin-top: 2px; width: 100%; }
.wa-action {
  background: var(--wa-in); border-radius: 8px; box-shadow: var(--wa-shadow); color: var(--wa-link);
  font-size: 14px; font-weight: 500; padding: 8px 12px; display: flex; align-items: center;
  justify-content: center; gap: 6px;
}
.wa-row[data-out="true"] .wa-action[data-sender="agent"] { background: var(--wa-out); }
.wa-row[data-out="true"] .wa-action[data-sender="human"] { background: var(--wa-human); }
.wa-list-button { border-top: 1px solid var(--wa-divider); margin: 8px -8px -2px -9px;
  padding: 8px 12px 0;
  color: var(--wa-link); font-weight: 500; display: flex; align-items: center; justify-content: center;
  gap: 6px; }
.wa-sheet { background: var(--wa-chip); border-radius: 10px; box-shadow: var(--wa-shadow);
  margin-top: 4px;
  width: 100%; overflow: hidden; }
.wa-sheet-head { font-size: 12px; color: var(--wa-muted); padding: 8px 12px 4px; display: flex;
  align-items: center;
  gap: 6px; }
.wa-sheet-section { font-size: 12px; font-weight: 600; color: var(--grass-11); padding: 8px 12px 2px; }
.wa-sheet-row { display: flex; align-items: center; gap: 10px; padding: 7px 12px;
  border-top: 1px solid var(--wa-divider); }
.wa-radio { width: 16px; height: 16px; border-radius: 50%; border: 2px solid var(--wa-muted);
  flex-shrink: 0;
  opacity: 0.6; margin-left: auto; }
.wa-quote { background: var(--wa-quote); border-left: 3px solid var(--grass-9); border-radius: 6px;
  padding: 4px 8px; margin-bottom: 4px; font-size: 12.5px; color: var(--wa-muted); display: flex;
  align-items: center; gap: 5px; }
.wa-file { display: flex; align-items: center; gap: 10px; background: var(--wa-quote); border-radius: 6px;
  padding: 8px 10px; text-decoration: none; color: var(--wa-text); min-width: 220px; }
.wa-voice { display: flex; align-items: center; gap: 8px; padding: 4px 4px 0 4px; min-width: 280px; }
.wa-voice-icon { width: 34px; height: 34px; border-radius: 50%; background: var(--grass-9); color: white;
  display: flex; align-items: center; justify-content: center; flex-shrink: 0; }
.wa-audio { height: 36px; width: 240px; max-width: 100%; }
.wa-bubble > * + .wa-file, .wa-bubble > * + .wa-voice { margin-top: 4px; }
.wa-file-icon { width: 34px; height: 40px; border-radius: 4px; background: var(--red-9); color: white;
  display: flex; align-items: center; justify-content: center; flex-shrink: 0; }
.wa-map { height: 110px; border-radius: 6px; display: flex; align-items: center; justify-content: center;
  background: linear-gradient(135deg, var(--grass-4), var(--cyan-4)); color: var(--red-10);
  min-width: 240px; }
.wa-day { align-self: center; background: var(--wa-chip); color: var(--wa-muted); font-size: 12px;
  font-weight: 500; padding: 5px 12px; border-radius: 8px; box-shadow: var(--wa-shadow);
  margin: 10px 0 6px;
  text-transform: none; }
.wa-system { align-self: center; background: var(--wa-chip); color: var(--wa-muted); font-size: 12.5px;
  padding: 5px 12px; border-radius: 8px; box-shadow: var(--wa-shadow); margin: 4px 0; max-width: 80%;
  text-align: center; }
.wa-meta { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; margin: 3px 4px 0;
  font-size: 11.5px;
  color: var(--gray-11); justify-content: flex-end; }
.wa-meta-low { color: var(--amber-11); }
.wa-meta-handoff { color: var(--orange-11); }
.wa-problem { margin: 3px 4px 0; font-size: 12px; color: var(--red-11); display: flex;
  align-items: center; flex-wrap: wrap; justify-content: flex-end;
  gap: 4px 6px; max-width: min(420px, 100%); text-align: right; overflow-wrap: anywhere; }
.wa-note { margin: 3px 4px 0; font-size: 11.5px; color: var(--wa-muted); font-style: italic; }
"""


def whatsapp_styles() -> rx.Component:
    """The style sheet the bubbles use; put it once in a page that draws them."""
    return rx.el.style(WHATSAPP_CSS)


def _stamp(b: Any) -> rx.Component:
    tick = rx.match(
        b.ticks,
        (-1, rx.icon("circle_alert", size=14, class_name="wa-tick-failed")),
        (0, rx.icon("clock_3", size=12)),
        (1, rx.icon("check", size=15)),
        (2, rx.icon("check_check", size=15)),
        (3, rx.icon("check_check", size=15, class_name="wa-tick-read")),
        rx.fragment(),
    )
    return rx.el.span(
        b.time,
        rx.cond(b.outbound, rx.tooltip(rx.el.span(tick, display="inline-flex"), content=b.tick_label)),
        class_name="wa-stamp",
        data_testid="bubble-stamp",
    )


def _text(b: Any) -> rx.Component:
    """The body with its WhatsApp formatting (*bold*, lists, links…): one renderer, whatsapp_text.py."""
    return rx.el.div(formatted(b.lines), rx.el.span(class_name="wa-spacer"), class_name="wa-text")


def _image(b: Any) -> rx.Component:
    return rx.el.a(
        rx.el.img(src=b.image_url, alt="Image", class_name="wa-image", loading="lazy"),
        href=b.image_url,
        target="_blank",
        rel="noreferrer",
        title="Open full size",
        data_testid="bubble-image",
    )


def _file_chip(f: Any) -> rx.Component:
    return rx.el.a(
        rx.el.div(rx.icon(f.icon, size=18), class_name="wa-file-icon"),
        rx.el.div(
            rx.el.div(f.name, font_size="13.5px", font_weight="500", class_name="rt-truncate"),
            rx.el.div(f.label, font_size="12px", color="var(--wa-muted)"),
            min_width="0",
        ),
        href=f.url,
        target="_blank",
        rel="noreferrer",
        class_name="wa-file",
        data_testid="bubble-file",
    )


def _voice(f: Any) -> rx.Component:
    """A voice note or audio file: a player, as WhatsApp shows one (loaded only when played)."""
    return rx.el.div(
        rx.el.div(rx.icon("mic", size=16), class_name="wa-voice-icon"),
        rx.el.audio(src=f.url, controls=True, preload="none", class_name="wa-audio", title=f.label),
        class_name="wa-voice",
        data_testid="bubble-audio",
    )


def _attachment(f: Any) -> rx.Component:
    return rx.cond(f.audio, _voice(f), _file_chip(f))


def _media_body(b: Any) -> rx.Component:
    return rx.fragment(
        rx.cond(b.image_url != "", _image(b)),
        rx.foreach(b.files, _attachment),
        rx.cond(
            b.body != "",
            _text(b),
            rx.el.div(rx.el.span(class_name="wa-spacer"), height="14px"),
        ),
    )


def _card_body(b: Any) -> rx.Component:
    return rx.fragment(
        rx.cond(
            b.image_url != "",
            rx.el.img(src=b.image_url, alt=b.title, class_name="wa-card-image", loading="lazy"),
        ),
        rx.el.div(
            rx.cond(b.title != "", rx.el.div(b.title, class_name="wa-title")),
            rx.cond(b.body != "", rx.el.div(formatted(b.lines), margin_top="4px")),
            rx.cond(b.subtitle != "", rx.el.div(b.subtitle, class_name="wa-subtitle")),  # the footer
            rx.el.span(class_name="wa-spacer"),
            class_name="wa-text",
        ),
    )


def _location_body(b: Any) -> rx.Component:
    return rx.fragment(
        rx.el.div(rx.icon("map_pin", size=30, fill="currentColor", stroke="white"), class_name="wa-map"),
        rx.el.div(
            rx.el.div(b.location, font_weight="500"),
            rx.el.div(b.location_coords, class_name="wa-subtitle"),
            rx.cond(b.body != "", rx.el.div(b.body)),
            rx.el.span(class_name="wa-spacer"),
            class_name="wa-text",
        ),
    )


def _list_body(b: Any) -> rx.Component:
    return rx.fragment(
        _text(b),
        rx.el.div(rx.icon("list", size=16), b.button, class_name="wa-list-button"),
    )


def _quote(b: Any) -> rx.Component:
    """An inbound reply to our buttons or list: WhatsApp quotes what was picked."""
    return rx.cond(
        b.choice != "",
        rx.el.div(
            rx.icon("reply", size=13),
            b.choice,
            class_name="wa-quote",
        ),
    )


def _bubble_box(b: Any) -> rx.Component:
    content = rx.match(
        b.kind,
        ("media", _media_body(b)),
        ("card", _card_body(b)),
        ("location", _location_body(b)),
        ("list", _list_body(b)),
        rx.fragment(_quote(b), _text(b)),
    )
    return rx.el.div(
        content,
        _stamp(b),
        class_name="wa-bubble",
        data_out=rx.cond(b.outbound, "true", "false"),
        data_sender=b.sender,
        data_tail=rx.cond(b.show_author, "true", "false"),
        data_media=rx.cond(
            (b.kind == "media") | (b.kind == "card") | (b.kind == "location"), "true", "false"
        ),
        data_testid="bubble",
        data_kind=b.kind,
    )


def _buttons(b: Any) -> rx.Component:
    """Quick replies under a button message or a card: one tappable bar each, as on the phone."""
    return rx.cond(
        ((b.kind == "buttons") | (b.kind == "card")) & (b.options.length() > 0),
        rx.el.div(
            rx.foreach(
                b.options,
                lambda o: rx.el.div(
                    rx.icon("reply", size=15), o.title, class_name="wa-action", data_sender=b.sender
                ),
            ),
            class_name="wa-actions",
            data_testid="bubble-buttons",
        ),
    )


def _list_sheet(b: Any) -> rx.Component:
    """The sheet the customer opens from a list message, drawn open so staff see every row."""
    return rx.cond(
        (b.kind == "list") & (b.options.length() > 0),
        rx.el.div(
            rx.el.div(rx.icon("list", size=13), b.button, " — list options", class_name="wa-sheet-head"),
            rx.foreach(
                b.options,
                lambda o: rx.fragment(
                    rx.cond(o.section != "", rx.el.div(o.section, class_name="wa-sheet-section")),
                    rx.el.div(
                        rx.el.div(
                            rx.el.div(o.title, font_size="14px", color="var(--wa-text)"),
                            rx.cond(
                                o.description != "",
                                rx.el.div(o.description, font_size="12.5px", color="var(--wa-muted)"),
                            ),
                            min_width="0",
                        ),
                        rx.el.span(class_name="wa-radio"),
                        class_name="wa-sheet-row",
                    ),
                ),
            ),
            class_name="wa-sheet",
            data_testid="bubble-list",
        ),
    )


def _meta_line(b: Any) -> rx.Component:
    """Under an agent reply: how sure it was, what it understood, and why it handed off."""
    return rx.cond(
        b.has_meta,
        rx.el.div(
            rx.icon("sparkles", size=12),
            rx.cond(
                b.confidence != "",
                rx.el.span(
                    "Confidence ",
                    b.confidence,
                    class_name=rx.cond(b.confidence_low, "wa-meta-low", ""),
                    font_weight="500",
                ),
            ),
            rx.cond(b.intents != "", rx.el.span("· ", b.intents)),
            rx.cond(
                b.handoff_reason != "",
                rx.el.span(
                    rx.icon("hand", size=12, display="inline", vertical_align="-2px"),
                    " Handed to your team: ",
                    b.handoff_reason,
                    class_name="wa-meta-handoff",
                ),
            ),
            class_name="wa-meta",
            data_testid="bubble-meta",
        ),
    )


def _problems(b: Any, on_retry: Callable[[Any], Any] | None = None) -> rx.Component:
    retry = (
        rx.cond(
            b.can_retry,
            rx.button(
                rx.icon("rotate_cw", size=12),
                "Retry",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=on_retry(b.key),
                data_testid="retry-send",
            ),
        )
        if on_retry is not None
        else rx.fragment()
    )
    return rx.fragment(
        rx.cond(
            b.error != "",
            rx.el.div(
                rx.icon("circle_alert", size=13, flex_shrink="0"),
                rx.el.span(b.error),
                retry,
                class_name="wa-problem",
                data_testid="bubble-problem",
            ),
        ),
        rx.cond(b.fallback != "", rx.el.div(b.fallback, class_name="wa-note")),
    )


def _author(b: Any) -> rx.Component:
    return rx.cond(
        b.show_author & b.outbound,
        rx.el.div(
            rx.cond(b.sender == "agent", rx.icon("sparkles", size=12), rx.icon("user_round", size=12)),
            b.author,
            class_name="wa-author",
        ),
    )


def bubble(b: Any, *, on_retry: Callable[[Any], Any] | None = None) -> rx.Component:
    """One message row: separator when the day changes, author on the first of a run, the bubble, its
    buttons or list sheet, and the quiet lines under it. `on_retry(key)`: the event a refused staff reply's
    Retry button sends (the inbox; the playground has none)."""
    system = rx.el.div(b.body, class_name="wa-system")
    message = rx.el.div(
        rx.el.div(
            _author(b),
            rx.el.div(
                _bubble_box(b),
                _buttons(b),
                _list_sheet(b),
                class_name="wa-group",
                data_kind=b.kind,
            ),
            _problems(b, on_retry),
            _meta_line(b),
            class_name="wa-stack",
        ),
        class_name="wa-row",
        data_out=rx.cond(b.outbound, "true", "false"),
        margin_top=rx.cond(b.show_author, "8px", "2px"),
    )
    return rx.fragment(
        rx.cond(b.show_day, rx.el.div(b.day, class_name="wa-day")),
        rx.cond(b.sender == "system", system, message),
    )


def transcript(
    bubbles: Any,
    *,
    header: rx.Component | None = None,
    footer: rx.Component | None = None,
    scroll_id: str = "wa-transcript",
    on_retry: Callable[[Any], Any] | None = None,
    **props: Any,
) -> rx.Component:
    """A scrolling WhatsApp wallpaper with the bubbles, pinned to the newest message.

    The scroller is a reversed column, so it opens at the bottom and stays there as messages arrive.
    `header` is drawn above the first bubble (e.g. "load earlier messages").
    """
    return rx.el.div(
        rx.el.div(
            header if header is not None else rx.fragment(),
            rx.foreach(bubbles, lambda b: bubble(b, on_retry=on_retry)),
            footer if footer is not None else rx.fragment(),
            display="flex",
            flex_direction="column",
            padding="12px 0 16px",
        ),
        id=scroll_id,
        class_name="wa wa-wallpaper",
        display="flex",
        flex_direction="column-reverse",
        overflow_y="auto",
        **props,
    )


BubbleRenderer = Callable[[Any], rx.Component]

__all__ = [
    "WHATSAPP_CSS",
    "bubble",
    "transcript",
    "whatsapp_styles",
]
