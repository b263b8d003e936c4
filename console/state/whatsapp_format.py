"""WhatsApp's text formatting, parsed into typed spans the console draws as the phone does.

WhatsApp renders `*bold*`, `_italic_`, `~strike~`, ```` ```monospace``` ````, `` `inline code` ``, lists
("- ", "* ", "1. "), "> " quotes, line breaks and links. Every bubble in the console (Playground, Persona
"Try a message", inbox, knowledge preview) shows a message through this one parser and one renderer
(console/components/whatsapp_text.py).

Why typed spans and not HTML or markdown: a message is customer- or model-written text. Parsed here into
plain dataclasses of strings and flags, it reaches the browser as data and React puts every string in a text
node, so `<script>` or `<img onerror=…>` in a message is shown as those characters and never becomes markup.
Links keep only http(s) addresses (a `javascript:` URL stays text). Nothing here imports the engine.
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlparse

MAX_LINES = 400
MAX_DEPTH = 4

_BULLET = re.compile(r"^[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")
_FENCE = "```"
# A style marker opens before a non-space and closes after one, and is not glued to a word on its outside
# (WhatsApp leaves snake_case and 2*3*4 alone).
_STYLES = {
    "*": re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"),
    "_": re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"),
    "~": re.compile(r"(?<![\w~])~(?=\S)(.+?)(?<=\S)~(?![\w~])"),
}
_MONO = re.compile(r"```(.+?)```")
_CODE = re.compile(r"(?<![\w`])`([^`\n]+)`(?![\w`])")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


@dataclasses.dataclass
class Span:
    """A run of text with one set of styles; `href` set: a link. Style fields are CSS values to draw."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    strike: bool = False
    mono: bool = False
    code: bool = False
    href: str = ""
    font_weight: str = "inherit"
    font_style: str = "inherit"
    text_decoration: str = "inherit"
    font_family: str = "inherit"
    background: str = "transparent"


@dataclasses.dataclass
class Line:
    """One line of a message: plain text, a list item (`marker` "•" or "3."), a quote, or a code block."""

    kind: str = "text"  # text · bullet · number · quote · pre · blank
    marker: str = ""
    spans: list[Span] = dataclasses.field(default_factory=list)


def _styled(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    strike: bool = False,
    mono: bool = False,
    code: bool = False,
    href: str = "",
) -> Span:
    return Span(
        text=text,
        bold=bold,
        italic=italic,
        strike=strike,
        mono=mono,
        code=code,
        href=href,
        font_weight="600" if bold else "inherit",
        font_style="italic" if italic else "inherit",
        text_decoration="line-through" if strike else "inherit",
        font_family="var(--code-font-family, monospace)" if mono or code else "inherit",
        background="var(--wa-quote, rgba(11, 20, 26, 0.05))" if code else "transparent",
    )


def safe_href(url: str) -> str:
    """The address a link may open: http(s) only, "" for anything else (javascript:, data:, …)."""
    candidate = f"https://{url}" if url.lower().startswith("www.") else url
    parsed = urlparse(candidate)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        return ""
    return candidate


def _inline(text: str, flags: dict[str, bool], depth: int = 0) -> list[Span]:
    """Spans of one line: the earliest marker wins, its inside parsed again (bold inside italic, …)."""
    spans: list[Span] = []
    rest = text
    while rest:
        found: tuple[int, int, str, re.Match[str]] | None = None
        candidates: list[tuple[str, re.Pattern[str]]] = [("mono", _MONO), ("code", _CODE), ("url", _URL)]
        if depth < MAX_DEPTH:
            candidates += [(mark, pattern) for mark, pattern in _STYLES.items()]
        for name, pattern in candidates:
            match = pattern.search(rest)
            if match and (found is None or match.start() < found[0]):
                found = (match.start(), match.end(), name, match)
        if found is None:
            spans.append(_styled(rest, **flags))
            break
        start, end, name, match = found
        if start:
            spans.append(_styled(rest[:start], **flags))
        if name in ("mono", "code"):
            spans.append(_styled(match.group(1), **{**flags, name: True}))
        elif name == "url":
            url = match.group(0).rstrip(_TRAILING)
            end = start + len(url)
            href = safe_href(url)
            spans.append(_styled(url, **flags, href=href))
        else:
            style = {"*": "bold", "_": "italic", "~": "strike"}[name]
            spans.extend(_inline(match.group(1), {**flags, style: True}, depth + 1))
        rest = rest[end:]
    return [s for s in spans if s.text]


def parse(text: str) -> list[Line]:
    """The lines of a WhatsApp message, each with its spans (see the module docstring)."""
    lines: list[Line] = []
    raw = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")[:MAX_LINES]
    index = 0
    while index < len(raw):
        line = raw[index]
        stripped = line.strip()
        if stripped.startswith(_FENCE) and stripped.count(_FENCE) == 1:
            # A block: everything to the closing fence is shown as written, in monospace.
            block = [stripped[len(_FENCE) :]]
            index += 1
            while index < len(raw) and _FENCE not in raw[index]:
                block.append(raw[index])
                index += 1
            if index < len(raw):
                block.append(raw[index].split(_FENCE, 1)[0])
            body = "\n".join(part for part in block).strip("\n")
            lines.append(Line(kind="pre", spans=[_styled(body, mono=True)] if body else []))
            index += 1
            continue
        index += 1
        if not stripped:
            lines.append(Line(kind="blank"))
            continue
        if match := _BULLET.match(stripped):
            lines.append(Line(kind="bullet", marker="•", spans=_inline(match.group(1), {})))
        elif match := _NUMBERED.match(stripped):
            lines.append(Line(kind="number", marker=f"{match.group(1)}.", spans=_inline(match.group(2), {})))
        elif match := _QUOTE.match(stripped):
            lines.append(Line(kind="quote", spans=_inline(match.group(1), {})))
        else:
            lines.append(Line(kind="text", spans=_inline(line, {})))
    return lines


def plain(lines: list[Line]) -> str:
    """The text as a phone's notification shows it: markers gone, one line per line (tests, previews)."""
    out = []
    for line in lines:
        text = "".join(s.text for s in line.spans)
        out.append(f"{line.marker} {text}".strip() if line.marker else text)
    return "\n".join(out)


__all__ = ["Line", "Span", "parse", "plain", "safe_href"]
