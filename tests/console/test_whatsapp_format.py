"""The one WhatsApp formatter of the console: styles, lists, quotes, code, links, and no markup injection."""

from __future__ import annotations

import reflex as rx

from console.components.whatsapp_text import formatted
from console.state.whatsapp_format import Line, parse, plain, safe_href
from console.state.whatsapp_view import Bubble


def _spans(text: str) -> list[tuple[str, str]]:
    """(text, styles) of a one-line message, styles as letters: b i s m c l."""
    (line,) = parse(text)
    out = []
    for s in line.spans:
        flags = "".join(
            letter
            for letter, on in (
                ("b", s.bold),
                ("i", s.italic),
                ("s", s.strike),
                ("m", s.mono),
                ("c", s.code),
                ("l", bool(s.href)),
            )
            if on
        )
        out.append((s.text, flags))
    return out


def test_bold_italic_strike_and_nesting() -> None:
    assert _spans("Hi *Sam*, it's _here_ ~now~") == [
        ("Hi ", ""),
        ("Sam", "b"),
        (", it's ", ""),
        ("here", "i"),
        (" ", ""),
        ("now", "s"),
    ]
    assert _spans("*_both_*") == [("both", "bi")]
    span = parse("*bold*")[0].spans[0]
    assert span.font_weight == "600" and span.font_style == "inherit"


def test_markers_inside_words_and_unclosed_stay_text() -> None:
    assert _spans("snake_case_name and 2*3*4") == [("snake_case_name and 2*3*4", "")]
    assert _spans("so * not bold*") == [("so * not bold*", "")]
    assert _spans("price *£45") == [("price *£45", "")]


def test_monospace_code_and_block() -> None:
    assert _spans("run ```reflex run``` then `ls`") == [
        ("run ", ""),
        ("reflex run", "m"),
        (" then ", ""),
        ("ls", "c"),
    ]
    assert _spans("```*not bold* inside```") == [("*not bold* inside", "m")]
    lines = parse("Code:\n```\nline 1\n*line 2*\n```\nafter")
    assert [line.kind for line in lines] == ["text", "pre", "text"]
    assert lines[1].spans[0].text == "line 1\n*line 2*" and lines[1].spans[0].mono


def test_lists_quotes_and_line_breaks() -> None:
    lines = parse("Options:\n- Tempo Pro 2\n* Trail Blazer\n1. Reserve\n2) Ask\n> quoted *bit*\n\nBye")
    assert [(line.kind, line.marker) for line in lines] == [
        ("text", ""),
        ("bullet", "•"),
        ("bullet", "•"),
        ("number", "1."),
        ("number", "2."),
        ("quote", ""),
        ("blank", ""),
        ("text", ""),
    ]
    assert [(s.text, s.bold) for s in lines[5].spans] == [("quoted ", False), ("bit", True)]
    assert plain(lines).splitlines()[1] == "• Tempo Pro 2"


def test_links_open_only_http() -> None:
    spans = parse("Track it at https://track.example/abc?x=1. Or www.stride.example")[0].spans
    links = [(s.text, s.href) for s in spans if s.href]
    assert links == [
        ("https://track.example/abc?x=1", "https://track.example/abc?x=1"),
        ("www.stride.example", "https://www.stride.example"),
    ]
    assert safe_href("javascript:alert(1)") == ""
    assert safe_href("data:text/html,<b>x</b>") == ""
    assert all(not s.href for s in parse("javascript:alert(1)")[0].spans)


def test_markup_in_a_message_is_text_not_html() -> None:
    text = '<script>alert("x")</script> *hi* <img src=x onerror="alert(1)">'
    lines = parse(text)
    assert (
        "".join(s.text for s in lines[0].spans)
        == '<script>alert("x")</script> hi <img src=x onerror="alert(1)">'
    )
    # The renderer puts span text in text nodes: the compiled component holds no raw-HTML escape hatch.
    rendered = str(formatted(rx.Var.create(lines)))
    assert "dangerouslySetInnerHTML" not in rendered


def test_a_bubble_parses_its_body() -> None:
    bubble = Bubble(body="*Tempo Pro 2* — £95")
    assert isinstance(bubble.lines[0], Line)
    assert bubble.lines[0].spans[0].bold and bubble.lines[0].spans[0].text == "Tempo Pro 2"
    assert Bubble().lines == []


def test_many_lines_are_capped() -> None:
    assert len(parse("x\n" * 5000)) == 400
