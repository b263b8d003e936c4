"""Draws a message's WhatsApp formatting (console/state/whatsapp_format.py) inside any bubble.

The lines and spans arrive as data; each span is a React text node in a styled `span` (or an `a` for an
http(s) link), so nothing in a message can become markup. Used by `whatsapp._text`, which every bubble kind
with a body goes through.
"""

from __future__ import annotations

from typing import Any

import reflex as rx


def _span(s: Any) -> rx.Component:
    style = {
        "font_weight": s.font_weight,
        "font_style": s.font_style,
        "text_decoration": s.text_decoration,
        "font_family": s.font_family,
        "background": s.background,
    }
    return rx.cond(
        s.href != "",
        rx.el.a(
            s.text,
            href=s.href,
            target="_blank",
            rel="noopener noreferrer nofollow",
            color="var(--wa-link)",
            text_decoration="underline",
            **{k: v for k, v in style.items() if k != "text_decoration"},
        ),
        rx.el.span(s.text, border_radius="4px", **style),
    )


def _line(line: Any) -> rx.Component:
    spans = rx.foreach(line.spans, _span)
    return rx.match(
        line.kind,
        ("blank", rx.el.div("\u00a0", data_line="blank")),
        (
            "pre",
            rx.el.div(
                spans,
                font_family="var(--code-font-family, monospace)",
                font_size="13px",
                white_space="pre-wrap",
                data_line="pre",
            ),
        ),
        (
            "quote",
            rx.el.div(
                spans,
                border_left="3px solid var(--wa-muted)",
                padding_left="8px",
                color="var(--wa-muted)",
                data_line="quote",
            ),
        ),
        (
            "text",
            rx.el.div(spans, data_line="text"),
        ),
        rx.el.div(
            rx.el.span(line.marker, min_width="18px", flex_shrink="0", color="var(--wa-muted)"),
            rx.el.span(spans, min_width="0"),
            display="flex",
            gap="4px",
            padding_left="4px",
            data_line=line.kind,
        ),
    )


def formatted(lines: Any) -> rx.Component:
    """The lines of one message (a `list[Line]` var), as the phone shows them."""
    return rx.el.div(rx.foreach(lines, _line), class_name="wa-formatted")


__all__ = ["formatted"]
