"""The Playground page's pieces: the phone (WhatsApp look, tappable replies), the turn trace, the test cases.

The bubbles are the Conversations page's (`console.components.whatsapp`); only the buttons and list rows
differ: here they are tappable, and a tap sends the option as the customer's reply.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from console.components.playground_cases import cases_panel
from console.components.ui import card, icon_tile
from console.components.whatsapp import _author, _bubble_box, _meta_line, _problems
from console.state.playground import IntentChip, PlaygroundState, Scored, StepBar

S = PlaygroundState
PHONE_WIDTH = "392px"
SCREEN_HEIGHT = "600px"

PLAYGROUND_CSS = """
.pg-phone { border-radius: 44px; padding: 12px; background: #1f2328;
  box-shadow: 0 24px 48px -12px rgba(15, 23, 42, 0.35), inset 0 0 0 2px #3b4149; }
.pg-screen { border-radius: 34px; overflow: hidden; display: flex; flex-direction: column;
  background: var(--wa-wallpaper); }
.pg-status { height: 30px; display: flex; align-items: center; justify-content: space-between;
  padding: 0 24px; font-size: 12px; font-weight: 600; color: white; background: #075e54; }
.dark .pg-status { background: #1f2c34; }
.pg-header { display: flex; align-items: center; gap: 10px; padding: 8px 12px 10px; color: white;
  background: #075e54; }
.dark .pg-header { background: #1f2c34; }
.pg-avatar { width: 36px; height: 36px; border-radius: 50%; background: #dcf8c6; color: #075e54;
  display: flex; align-items: center; justify-content: center; flex-shrink: 0; }
.pg-composer { display: flex; align-items: center; gap: 6px; padding: 8px; background: var(--wa-wallpaper); }
.pg-input { flex: 1; border: none; outline: none; border-radius: 22px; padding: 10px 16px; font-size: 14.5px;
  background: var(--wa-in); color: var(--wa-text); box-shadow: var(--wa-shadow); min-width: 0; }
.pg-send { width: 42px; height: 42px; border-radius: 50%; border: none; background: #00a884; color: white;
  display: flex; align-items: center; justify-content: center; cursor: pointer; flex-shrink: 0; }
.pg-send:disabled { opacity: 0.55; cursor: default; }
.pg-tap { cursor: pointer; transition: filter 120ms ease, transform 80ms ease; user-select: none; }
.pg-tap:hover { filter: brightness(0.96); }
.pg-tap:active { transform: scale(0.98); }
.pg-row-tap { cursor: pointer; }
.pg-row-tap:hover { background: var(--wa-quote); }
.pg-typing { display: inline-flex; gap: 4px; align-items: center; padding: 4px 2px; }
.pg-typing span { width: 7px; height: 7px; border-radius: 50%; background: var(--wa-muted);
  animation: pg-blink 1.2s infinite ease-in-out; }
.pg-typing span:nth-child(2) { animation-delay: 0.15s; }
.pg-typing span:nth-child(3) { animation-delay: 0.3s; }
@keyframes pg-blink { 0%, 80%, 100% { opacity: 0.25; } 40% { opacity: 1; } }
.pg-bar { height: 8px; border-radius: 4px; background: var(--accent-9); min-width: 3px; }
.pg-bar[data-slow="true"] { background: var(--blue-9); }
.pg-track { height: 8px; border-radius: 4px; background: var(--gray-a3); flex: 1; overflow: hidden; }
.pg-turn { all: unset; cursor: pointer; font-size: 12px; font-weight: 500; min-width: 26px; height: 26px;
  border-radius: 13px; display: inline-flex; align-items: center; justify-content: center; padding: 0 8px;
  color: var(--gray-11); background: var(--gray-a3); }
.pg-turn[data-active="true"] { background: var(--accent-11); color: var(--accent-1); }
.pg-turn:focus-visible { outline: 2px solid var(--accent-8); outline-offset: 2px; }
"""


# -- the phone ---------------------------------------------------------------------------------------------


def _tappable_buttons(b: Any) -> rx.Component:
    """Quick replies under an agent's button message or card: tapping one answers with it."""
    return rx.cond(
        b.outbound & ((b.kind == "buttons") | (b.kind == "card")) & (b.options.length() > 0),
        rx.el.div(
            rx.foreach(
                b.options,
                lambda o, i: rx.el.div(
                    rx.icon("reply", size=15),
                    o.title,
                    class_name="wa-action pg-tap",
                    data_sender=b.sender,
                    role="button",
                    tab_index=0,
                    on_click=S.tap(b.key, i),
                    data_testid="tap-option",
                ),
            ),
            class_name="wa-actions",
            data_testid="bubble-buttons",
        ),
    )


def _tappable_list(b: Any) -> rx.Component:
    """A list message's rows, drawn open: tapping a row picks it."""
    return rx.cond(
        b.outbound & (b.kind == "list") & (b.options.length() > 0),
        rx.el.div(
            rx.el.div(
                rx.icon("list", size=13), b.button, " — tap a row to pick it", class_name="wa-sheet-head"
            ),
            rx.foreach(
                b.options,
                lambda o, i: rx.fragment(
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
                        class_name="wa-sheet-row pg-row-tap",
                        role="button",
                        tab_index=0,
                        on_click=S.tap(b.key, i),
                        data_testid="tap-row",
                    ),
                ),
            ),
            class_name="wa-sheet",
            data_testid="bubble-list",
        ),
    )


def phone_bubble(b: Any) -> rx.Component:
    """The shared bubble with tappable options (see console.components.whatsapp.bubble)."""
    message = rx.el.div(
        rx.el.div(
            _author(b),
            _bubble_box(b),
            _tappable_buttons(b),
            _tappable_list(b),
            _problems(b),
            _meta_line(b),
            class_name="wa-stack",
        ),
        class_name="wa-row",
        data_out=rx.cond(b.outbound, "true", "false"),
        margin_top=rx.cond(b.show_author, "8px", "2px"),
    )
    return rx.fragment(
        rx.cond(b.show_day, rx.el.div(b.day, class_name="wa-day")),
        rx.cond(b.sender == "system", rx.el.div(b.body, class_name="wa-system"), message),
    )


def typing_bubble() -> rx.Component:
    return rx.cond(
        S.sending,
        rx.el.div(
            rx.el.div(
                rx.el.div(
                    rx.el.div(rx.el.span(), rx.el.span(), rx.el.span(), class_name="pg-typing"),
                    class_name="wa-bubble",
                    data_out="true",
                    data_sender="agent",
                    data_tail="true",
                ),
                class_name="wa-stack",
            ),
            class_name="wa-row",
            data_out="true",
            margin_top="8px",
            data_testid="typing",
        ),
    )


def empty_chat() -> rx.Component:
    return rx.cond(
        (S.bubbles.length() == 0) & ~S.sending,
        rx.el.div(
            "Write as a customer would: ask about a product, delivery, an order. "
            "Nothing is sent to WhatsApp.",
            class_name="wa-system",
            margin_top="16px",
        ),
    )


def phone() -> rx.Component:
    header = rx.el.div(
        rx.el.div(rx.icon("sparkles", size=18), class_name="pg-avatar"),
        rx.el.div(
            rx.el.div(S.agent_name, font_weight="600", font_size="15px", line_height="19px"),
            rx.el.div(
                rx.cond(
                    S.sending,
                    "typing…",
                    rx.cond(S.status == "handoff", "with a person from the team", "online · playground"),
                ),
                font_size="12.5px",
                opacity="0.85",
            ),
            flex="1",
            min_width="0",
        ),
        rx.icon("video", size=19, opacity="0.9"),
        rx.icon("phone", size=17, opacity="0.9", margin_left="14px"),
        rx.icon("ellipsis_vertical", size=18, opacity="0.9", margin_left="10px"),
        class_name="pg-header",
    )
    chat = rx.el.div(
        rx.el.div(
            empty_chat(),
            rx.foreach(S.bubbles, phone_bubble),
            typing_bubble(),
            display="flex",
            flex_direction="column",
            padding="10px 0 12px",
        ),
        id="pg-chat",
        class_name="wa-wallpaper",
        display="flex",
        flex_direction="column-reverse",
        overflow_y="auto",
        flex="1",
        min_height="0",
        data_testid="phone-chat",
    )
    handoff = rx.cond(
        S.status == "handoff",
        rx.el.div(
            rx.hstack(
                rx.icon("hand", size=15, color="var(--orange-11)", flex_shrink="0"),
                rx.text(
                    "Handed to a person: ",
                    S.handoff_reason,
                    size="1",
                    color="var(--gray-12)",
                ),
                rx.spacer(),
                rx.button(
                    "Hand back", size="1", variant="soft", on_click=S.hand_back, data_testid="hand-back"
                ),
                align="center",
                spacing="2",
                width="100%",
            ),
            padding="8px 12px",
            background_color="var(--orange-3)",
            border_top="1px solid var(--orange-a5)",
            data_testid="handoff-banner",
        ),
    )
    composer = rx.form(
        rx.el.div(
            rx.el.input(
                name="message",
                placeholder="Message",
                class_name="pg-input",
                auto_complete="off",
                disabled=S.sending,
                data_testid="composer",
            ),
            rx.el.button(
                rx.icon("send_horizontal", size=19),
                type="submit",
                class_name="pg-send",
                disabled=S.sending,
                aria_label="Send",
                data_testid="send",
            ),
            class_name="pg-composer",
        ),
        on_submit=S.send_message,
        reset_on_submit=True,
        width="100%",
    )
    return rx.el.div(
        rx.el.div(
            rx.el.div(
                rx.el.span("9:41"),
                rx.hstack(
                    rx.icon("signal", size=13),
                    rx.icon("wifi", size=13),
                    rx.icon("battery_full", size=15),
                    spacing="1",
                ),
                class_name="pg-status",
            ),
            header,
            chat,
            handoff,
            composer,
            class_name="pg-screen wa",
            height=SCREEN_HEIGHT,
        ),
        class_name="pg-phone",
        width=PHONE_WIDTH,
        max_width="100%",  # a phone's screen is narrower than the drawn phone: it shrinks to fit
        flex_shrink="0",
        data_testid="phone",
    )


def phone_column() -> rx.Component:
    return rx.vstack(
        phone(),
        rx.hstack(
            rx.button(
                rx.icon("rotate_ccw", size=15),
                "New conversation",
                variant="soft",
                on_click=S.new_conversation,
                disabled=S.sending,
                data_testid="new-conversation",
            ),
            rx.tooltip(
                rx.button(
                    rx.icon("clock", size=15),
                    "Come back later",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.new_visit,
                    disabled=S.sending,
                ),
                content="Expire the agent's memory of this visit, as after 30 quiet minutes",
            ),
            spacing="2",
            justify="center",
            width="100%",
            wrap="wrap",
        ),
        rx.text(
            "Chatting as ",
            rx.text.strong(S.customer_name),
            ". Replies use your saved persona, knowledge, catalog and model.",
            size="1",
            color="var(--gray-11)",
            align="center",
            max_width=PHONE_WIDTH,
        ),
        spacing="3",
        align="center",
        width=PHONE_WIDTH,
        max_width="100%",
        flex_shrink="0",
    )


# -- the trace ---------------------------------------------------------------------------------------------


def stat(label: str, value: rx.Var | str, sub: rx.Var | str = "", testid: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color="var(--gray-11)", weight="medium"),
        rx.text(value, size="3", weight="bold", line_height="1.3", overflow_wrap="anywhere"),
        rx.text(sub, size="1", color="var(--gray-11)"),
        spacing="1",
        padding="12px 14px",
        border="1px solid var(--gray-a4)",
        border_radius="var(--radius-3)",
        width="100%",
        min_width="0",
        data_testid=testid or None,
    )


def subhead(icon: str, text: str, count: rx.Var | None = None) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=14, color="var(--gray-11)"),
        rx.text(text, size="2", weight="medium"),
        rx.cond(count > 0, rx.badge(count, variant="soft", color_scheme="gray", radius="full", size="1"))
        if count is not None
        else rx.fragment(),
        spacing="2",
        align="center",
    )


def step_row(step: StepBar) -> rx.Component:
    return rx.hstack(
        rx.text(step.label, size="1", color="var(--gray-11)", width="136px", flex_shrink="0"),
        rx.el.div(
            rx.el.div(
                class_name="pg-bar",
                width=step.pct.to_string() + "%",
                data_slow=rx.cond(step.slow, "true", "false"),
            ),
            class_name="pg-track",
        ),
        rx.text(step.ms, size="1", color="var(--gray-11)", width="64px", text_align="right", flex_shrink="0"),
        spacing="3",
        align="center",
        width="100%",
        data_testid="trace-step",
    )


def scored_row(item: Scored) -> rx.Component:
    """A knowledge hit or catalog match: its name first, with room to be read; the score bar beside it when
    there is room, under it on a phone (a fixed bar beside it left a product's name a word per line)."""
    return rx.flex(
        rx.vstack(
            rx.flex(
                rx.text(item.title, size="2", weight="medium", data_testid="scored-title"),
                rx.badge(item.kind, variant="soft", color_scheme="gray", size="1"),
                column_gap="8px",
                row_gap="2px",
                align="center",
                wrap="wrap",
            ),
            rx.cond(item.why != "", rx.text(item.why, size="1", color="var(--gray-11)")),
            spacing="0",
            flex="1 1 220px",
            min_width="0",
        ),
        rx.hstack(
            rx.el.div(
                rx.el.div(class_name="pg-bar", width=item.pct.to_string() + "%"),
                class_name="pg-track",
                width="120px",
                flex="none",
            ),
            rx.text(item.score, size="1", weight="medium", min_width="52px", text_align="right"),
            spacing="2",
            align="center",
            flex_shrink="0",
        ),
        column_gap="12px",
        row_gap="6px",
        align="center",
        wrap="wrap",
        width="100%",
        padding="8px 0",
        border_top="1px solid var(--gray-a3)",
        data_testid="scored-row",
    )


def intent_chip(intent: IntentChip) -> rx.Component:
    return rx.badge(
        intent.name,
        # quieter by weight, not by fading: at 0.7 opacity it read at 3.3:1
        rx.cond(intent.confidence != "", rx.text(intent.confidence, weight="regular", as_="span"), ""),
        rx.cond(intent.answered, "", rx.text("· unanswered", as_="span")),
        variant="soft",
        color_scheme=rx.cond(intent.answered, "grass", "amber"),
        radius="full",
        size="2",
        gap="1",
    )


def none_line(text: str) -> rx.Component:
    return rx.text(text, size="1", color="var(--gray-11)")


def trace_body() -> rx.Component:
    t = S.current
    handoff = rx.cond(
        t.handoff,
        rx.callout(
            rx.text(rx.text.strong("Handed to a person. "), t.handoff_text),
            icon="hand",
            color_scheme="orange",
            size="1",
            width="100%",
            data_testid="trace-handoff",
        ),
        rx.cond(
            t.handoff_text != "",
            rx.callout(t.handoff_text, icon="volume_x", color_scheme="gray", size="1", width="100%"),
            rx.callout(
                rx.text(rx.text.strong("No handoff. "), "The agent answered on its own."),
                icon="circle_check",
                color_scheme="grass",
                size="1",
                width="100%",
                data_testid="trace-handoff",
            ),
        ),
    )
    confidence = rx.vstack(
        rx.text("Confidence", size="1", color="var(--gray-11)", weight="medium"),
        rx.text(
            t.confidence,
            size="3",
            weight="bold",
            line_height="1.3",
            color=rx.cond(t.confidence_low, "var(--amber-11)", "var(--gray-12)"),
            data_testid="trace-confidence",
        ),
        rx.progress(
            value=t.confidence_pct,
            max=100,
            size="1",
            color_scheme=rx.cond(t.confidence_low, "amber", "grass"),
        ),
        rx.text("Handoff under ", t.threshold, size="1", color="var(--gray-11)"),
        spacing="1",
        padding="12px 14px",
        border="1px solid var(--gray-a4)",
        border_radius="var(--radius-3)",
        width="100%",
    )
    return rx.vstack(
        rx.hstack(
            rx.icon("message_square_quote", size=15, color="var(--gray-11)", flex_shrink="0"),
            rx.text("“", t.customer, "”", size="2", color="var(--gray-11)", style={"font_style": "italic"}),
            rx.spacer(),
            rx.button(
                rx.icon("bookmark_plus", size=14),
                "Save as test case",
                size="1",
                variant="ghost",
                on_click=S.save_turn_as_case,
                data_testid="save-turn-case",
            ),
            spacing="2",
            align="center",
            width="100%",
        ),
        rx.grid(
            confidence,
            stat("Model", t.model, t.provider, "trace-model"),
            stat("Tokens", t.tokens, "Cost " + t.cost, "trace-tokens"),
            stat(
                "Latency", t.total_ms, "Model " + t.llm_ms + " · pipeline " + t.overhead_ms, "trace-latency"
            ),
            columns=rx.breakpoints(initial="2", xs="4"),
            spacing="3",
            width="100%",
        ),
        rx.cond(
            t.degraded != "",
            rx.hstack(
                rx.icon("cloud_off", size=13),
                rx.text(t.degraded, size="1"),
                color="var(--gray-11)",
                spacing="1",
                align="center",
            ),
        ),
        handoff,
        rx.grid(
            rx.vstack(
                subhead("list_tree", "Steps"),
                rx.vstack(rx.foreach(t.steps, step_row), spacing="2", width="100%"),
                spacing="3",
                width="100%",
            ),
            rx.vstack(
                subhead("target", "Intents", t.intents.length()),
                rx.cond(
                    t.intents.length() > 0,
                    rx.flex(rx.foreach(t.intents, intent_chip), wrap="wrap", gap="2"),
                    none_line("No intent recognised."),
                ),
                subhead("spell_check", "Corrections", t.corrections.length()),
                rx.cond(
                    t.corrections.length() > 0,
                    rx.flex(
                        rx.foreach(
                            t.corrections,
                            lambda c: rx.badge(c, variant="outline", color_scheme="blue", radius="full"),
                        ),
                        wrap="wrap",
                        gap="2",
                    ),
                    none_line("Nothing to correct."),
                ),
                subhead("lightbulb", "Suggestions", t.suggestions.length()),
                rx.cond(
                    t.suggestions.length() > 0,
                    rx.vstack(rx.foreach(t.suggestions, lambda s: rx.text("• ", s, size="1")), spacing="1"),
                    none_line("None offered."),
                ),
                spacing="2",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", xs="2"),
            spacing="5",
            width="100%",
        ),
        rx.grid(
            rx.vstack(
                subhead("book_open", "Knowledge hits", t.knowledge.length()),
                rx.cond(
                    t.knowledge.length() > 0,
                    rx.vstack(rx.foreach(t.knowledge, scored_row), spacing="0", width="100%"),
                    none_line("No knowledge entry used."),
                ),
                spacing="2",
                width="100%",
                data_testid="trace-knowledge",
            ),
            rx.vstack(
                subhead("package", "Catalog matches", t.catalog.length()),
                rx.cond(
                    t.catalog.length() > 0,
                    rx.vstack(rx.foreach(t.catalog, scored_row), spacing="0", width="100%"),
                    none_line("No product or service matched."),
                ),
                spacing="2",
                width="100%",
                data_testid="trace-catalog",
            ),
            columns="1",
            spacing="4",
            width="100%",
        ),
        rx.cond(
            t.notes.length() > 0,
            rx.text(
                "Notes: ",
                rx.foreach(t.notes, lambda n: rx.text(n, " ", as_="span")),
                size="1",
                color="var(--gray-11)",
            ),
        ),
        spacing="4",
        width="100%",
    )


def turn_pill(turn: Any, index: rx.Var) -> rx.Component:
    return rx.el.button(
        turn.index,
        class_name="pg-turn",
        data_active=rx.cond(S.selected == index, "true", "false"),
        on_click=S.select_turn(index),
        title=turn.customer,
    )


def trace_panel() -> rx.Component:
    empty = rx.vstack(
        icon_tile("list_tree", size=22, box="48px"),
        rx.text("The trace of each turn shows here", size="3", weight="medium"),
        rx.text(
            "Send a message in the phone: you'll see the steps with their timings, what the agent "
            "understood, the knowledge and products it found, the model, tokens and cost.",
            size="2",
            color_scheme="gray",
            align="center",
            max_width="420px",
        ),
        spacing="2",
        align="center",
        padding="48px 16px",
        width="100%",
    )
    return card(
        rx.vstack(
            rx.hstack(
                rx.heading("Turn trace", size="4", weight="medium"),
                rx.cond(S.sending, rx.spinner(size="2")),
                rx.spacer(),
                rx.cond(
                    S.turns.length() > 0,
                    rx.hstack(
                        rx.text("Turn", size="1", color="var(--gray-11)"),
                        rx.foreach(S.turns, turn_pill),
                        spacing="1",
                        align="center",
                        wrap="wrap",
                    ),
                ),
                width="100%",
                align="center",
            ),
            rx.cond(S.turns.length() > 0, trace_body(), empty),
            spacing="4",
            width="100%",
        ),
        padding=rx.breakpoints(initial="16px", sm="20px 24px"),
        min_width="0",
        data_testid="trace",
    )


def playground_layout() -> rx.Component:
    return rx.vstack(
        rx.el.style(PLAYGROUND_CSS),
        rx.hstack(
            phone_column(),
            # Beside the phone when there is room; under it on a phone or an upright tablet.
            rx.box(trace_panel(), flex="1 1 420px", min_width="0"),
            spacing="6",
            align="start",
            width="100%",
            flex_wrap="wrap",
        ),
        cases_panel(),
        spacing="6",
        width="100%",
        data_testid="playground-page",
    )
