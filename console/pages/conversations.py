"""Conversations: the live inbox in three panes — the list, a WhatsApp transcript, the customer's context.

Layout only; ConversationsState loads and acts. The page uses the full width (CONSOLE.md: "the inbox uses the
full width"); the bubbles come from console.components.whatsapp, shared with the Playground.
"""

from __future__ import annotations

import reflex as rx

from console.components.dialogs import confirm_dialog
from console.components.states import empty_state
from console.components.ui import link_button, when_page_allowed
from console.components.whatsapp import transcript, whatsapp_styles
from console.state.conversations import (
    AppointmentRow,
    ConversationRow,
    ConversationsState,
    Fact,
    OrderRow,
    ViewedItem,
)
from console.state.session import SessionState
from console.template import page

S = ConversationsState
INBOX_HEIGHT = "calc(100vh - 128px)"
LIST_WIDTH = "308px"
CONTEXT_WIDTH = "296px"
BORDER = "1px solid var(--gray-a5)"
# One line, ellipsis at the end (Radix's `truncate` is not a prop of Reflex's text).
TRUNCATE = {"white_space": "nowrap", "overflow": "hidden", "text_overflow": "ellipsis", "min_width": "0"}

# Fit the inbox to the window below whatever sits above it (top bar, the offline banner when it shows).
FIT_SCRIPT = """(() => {
  const fit = () => {
    const el = document.getElementById('inbox');
    if (!el) return;
    const top = el.getBoundingClientRect().top + window.scrollY;
    el.style.height = Math.max(560, window.innerHeight - top - 32) + 'px';
  };
  if (!window.__parleyInboxFit) {
    window.__parleyInboxFit = fit;
    window.addEventListener('resize', fit);
    new ResizeObserver(fit).observe(document.body);
  }
  fit();
})()"""

INBOX_CSS = """
.inbox-row { transition: background-color 120ms ease; }
.inbox-row:hover { background-color: var(--gray-a2); }
.inbox-row[data-selected="true"] { background-color: var(--accent-a3);
  box-shadow: inset 3px 0 0 var(--accent-9); }
.inbox-tab { all: unset; cursor: pointer; display: flex; align-items: center; gap: 6px;
  padding: 10px 2px 9px;
  font-size: 13px; color: var(--gray-11); border-bottom: 2px solid transparent; white-space: nowrap; }
.inbox-tab:hover { color: var(--gray-12); }
.inbox-tab[data-active="true"] { color: var(--gray-12); font-weight: 500;
  border-bottom-color: var(--accent-9); }
.inbox-tab:focus-visible { outline: 2px solid var(--accent-8); outline-offset: 2px; border-radius: 4px; }
.live-dot { width: 7px; height: 7px; border-radius: 50%; background: var(--grass-9);
  box-shadow: 0 0 0 0 var(--grass-a7); animation: live-pulse 2s infinite; }
@keyframes live-pulse { 0% { box-shadow: 0 0 0 0 var(--grass-a7);
  } 70% { box-shadow: 0 0 0 6px transparent; }
  100% { box-shadow: 0 0 0 0 transparent; } }
.pane-label { font-size: 11.5px; font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase;
  color: var(--gray-10); display: flex; align-items: center; gap: 6px; }
.composer textarea { font-size: 14px; }
"""


# ------------------------------------------------------------------------------------------------ list


def _tab(key: str, label: str, count: rx.Var, color: str, solid_when_waiting: bool = False) -> rx.Component:
    variant = rx.cond(count > 0, "solid", "soft") if solid_when_waiting else "soft"
    return rx.el.button(
        label,
        rx.badge(count, color_scheme=color, variant=variant, radius="full", size="1"),
        class_name="inbox-tab",
        data_active=rx.cond(S.tab == key, "true", "false"),
        on_click=S.set_tab(key),
        type="button",
        data_testid=f"tab-{key}",
    )


def _search() -> rx.Component:
    return rx.input(
        rx.input.slot(rx.icon("search", size=15)),
        rx.cond(
            S.search != "",
            rx.input.slot(
                rx.icon_button(
                    rx.icon("x", size=13),
                    variant="ghost",
                    color_scheme="gray",
                    size="1",
                    on_click=[rx.set_value("inbox-search", ""), S.clear_search],
                    aria_label="Clear search",
                ),
            ),
        ),
        id="inbox-search",
        placeholder="Search by name or number",
        default_value=S.search,
        on_change=S.set_search.debounce(350),
        size="2",
        width="100%",
        data_testid="inbox-search",
    )


def _row(row: ConversationRow) -> rx.Component:
    unread = row.unread > 0
    return rx.box(
        rx.hstack(
            rx.avatar(fallback=row.initials, size="3", radius="full", color_scheme=row.color, variant="soft"),
            rx.vstack(
                rx.hstack(
                    rx.text(
                        row.name,
                        size="2",
                        weight=rx.cond(unread, "bold", "medium"),
                        **TRUNCATE,
                        color="var(--gray-12)",
                    ),
                    rx.spacer(),
                    rx.text(
                        row.time,
                        size="1",
                        color=rx.cond(unread, "var(--accent-11)", "var(--gray-10)"),
                        white_space="nowrap",
                        weight=rx.cond(unread, "medium", "regular"),
                    ),
                    width="100%",
                    align="center",
                    spacing="2",
                ),
                rx.hstack(
                    rx.cond(
                        row.outbound, rx.icon("check_check", size=14, color="var(--gray-9)", flex_shrink="0")
                    ),
                    rx.text(row.preview, size="2", color="var(--gray-11)", **TRUNCATE),
                    rx.spacer(),
                    rx.cond(
                        unread,
                        rx.badge(row.unread, variant="solid", radius="full", size="1", color_scheme="grass"),
                    ),
                    width="100%",
                    align="center",
                    spacing="1",
                ),
                rx.hstack(
                    rx.badge(
                        row.status_label,
                        color_scheme=row.status_color,
                        variant="soft",
                        radius="full",
                        size="1",
                    ),
                    rx.cond(
                        row.assigned != "",
                        rx.text(
                            rx.icon("user_round", size=11, display="inline", vertical_align="-1px"),
                            " ",
                            row.assigned,
                            size="1",
                            color="var(--gray-10)",
                            **TRUNCATE,
                        ),
                    ),
                    align="center",
                    spacing="2",
                    min_width="0",
                ),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        class_name="inbox-row",
        data_selected=rx.cond(S.selected_id == row.id, "true", "false"),
        on_click=S.open_conversation(row.id),
        padding="12px 16px",
        border_bottom="1px solid var(--gray-a3)",
        cursor="pointer",
        data_testid="conversation-row",
    )


def _list_empty() -> rx.Component:
    return rx.vstack(
        rx.center(
            rx.icon(
                rx.cond(S.search != "", "search_x", rx.cond(S.tab == "handoff", "coffee", "inbox")), size=22
            ),
            width="48px",
            height="48px",
            border_radius="var(--radius-4)",
            background_color="var(--accent-a3)",
            color="var(--accent-11)",
        ),
        rx.text(S.tab_empty_title, size="2", weight="medium", align="center"),
        rx.text(S.tab_empty_body, size="2", color_scheme="gray", align="center", max_width="260px"),
        align="center",
        spacing="2",
        padding="48px 24px",
        data_testid="list-empty",
    )


def _list_skeleton() -> rx.Component:
    return rx.vstack(
        *[
            rx.hstack(
                rx.skeleton(width="40px", height="40px", border_radius="50%"),
                rx.vstack(
                    rx.skeleton(height="14px", width="60%"), rx.skeleton(height="12px", width="90%"), flex="1"
                ),
                width="100%",
                padding="12px 16px",
                spacing="3",
            )
            for _ in range(6)
        ],
        width="100%",
        spacing="0",
    )


def _pager() -> rx.Component:
    return rx.cond(
        S.pages > 1,
        rx.hstack(
            rx.text(S.range_label, size="1", color_scheme="gray"),
            rx.spacer(),
            rx.icon_button(
                rx.icon("chevron_left", size=16),
                variant="soft",
                color_scheme="gray",
                size="1",
                disabled=S.page <= 1,
                on_click=S.previous_page,
                aria_label="Previous page",
                data_testid="page-previous",
            ),
            rx.icon_button(
                rx.icon("chevron_right", size=16),
                variant="soft",
                color_scheme="gray",
                size="1",
                disabled=S.page >= S.pages,
                on_click=S.next_page,
                aria_label="Next page",
                data_testid="page-next",
            ),
            align="center",
            width="100%",
            padding="8px 16px",
            border_top=BORDER,
            spacing="2",
        ),
    )


def list_pane() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.heading("Inbox", size="4", weight="medium"),
                rx.spacer(),
                rx.cond(
                    S.live,
                    rx.tooltip(
                        rx.hstack(
                            rx.box(class_name="live-dot"),
                            rx.text("Live", size="1", color="var(--gray-10)"),
                            spacing="2",
                            align="center",
                        ),
                        content="New messages appear here as they arrive",
                    ),
                ),
                width="100%",
                align="center",
            ),
            _search(),
            rx.hstack(
                _tab("handoff", "Needs human", S.count_handoff, "orange", solid_when_waiting=True),
                _tab("bot", "Agent", S.count_bot, "grass"),
                _tab("closed", "Closed", S.count_closed, "gray"),
                justify="between",
                width="100%",
                margin_bottom="-1px",
            ),
            spacing="3",
            padding="16px 16px 0",
            border_bottom=BORDER,
            width="100%",
        ),
        rx.box(
            rx.cond(
                S.list_loaded,
                rx.cond(S.rows.length() > 0, rx.foreach(S.rows, _row), _list_empty()),
                _list_skeleton(),
            ),
            flex="1",
            min_height="0",
            overflow_y="auto",
            width="100%",
            data_testid="conversation-list",
        ),
        _pager(),
        direction="column",
        width=LIST_WIDTH,
        min_width=LIST_WIDTH,
        border_right=BORDER,
        height="100%",
    )


# ------------------------------------------------------------------------------------------- transcript


def _action_button(label: str, icon: str, handler: rx.EventHandler, test_id: str, **props) -> rx.Component:
    button = rx.button(
        rx.icon(icon, size=15),
        label,
        size="2",
        on_click=handler,
        disabled=~S.can_reply,
        data_testid=test_id,
        **props,
    )
    return rx.cond(
        S.can_reply,
        button,
        rx.tooltip(rx.box(button, display="inline-flex"), content="Your role cannot do this"),
    )


def _close_confirm() -> rx.Component:
    return confirm_dialog(
        "Close this conversation?",
        description="It moves to Closed and the agent stops answering it. If the customer writes again, a "
        "new conversation opens.",
        confirm_label="Close conversation",
        on_confirm=S.close_conversation,
        testid="confirm-close",
        color_scheme=None,
        cancel_label="Keep it open",
        trigger=rx.box(
            rx.tooltip(
                rx.icon_button(
                    rx.icon("circle_check", size=17),
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    disabled=~S.can_reply,
                    aria_label="Close the conversation",
                    data_testid="close-conversation",
                ),
                content="Close the conversation",
            ),
            display="inline-flex",
        ),
        max_width="420px",
        gap="16px",
    )


def transcript_header() -> rx.Component:
    h = S.header
    return rx.hstack(
        rx.avatar(fallback=h.initials, size="3", radius="full", color_scheme=h.color, variant="soft"),
        rx.vstack(
            rx.text(h.name, size="3", weight="medium", width="100%", **TRUNCATE),
            rx.hstack(
                rx.badge(
                    rx.icon(h.status_icon, size=12),
                    h.status_label,
                    color_scheme=h.status_color,
                    variant="soft",
                    radius="full",
                    size="1",
                    flex_shrink="0",
                    data_testid="transcript-status",
                ),
                align="center",
                spacing="2",
                width="100%",
                min_width="0",
            ),
            spacing="1",
            min_width="0",
            flex="1",
            overflow="hidden",
        ),
        rx.hstack(
            rx.cond(
                (h.status == "bot") | ((h.status == "handoff") & ~h.mine),
                _action_button("Take over", "hand", S.take_over, "take-over"),
            ),
            rx.cond(
                h.status == "handoff",
                _action_button(
                    "Hand back", "bot", S.hand_back, "hand-back", variant="soft", color_scheme="grass"
                ),
            ),
            rx.cond(h.status != "closed", _close_confirm()),
            spacing="2",
            align="center",
            flex_shrink="0",
        ),
        align="center",
        spacing="3",
        width="100%",
        padding="12px 16px 12px 20px",
        border_bottom=BORDER,
        background_color="var(--color-panel-solid)",
        data_testid="transcript-header",
    )


def _handoff_strip() -> rx.Component:
    """Who has this chat and why it left the agent, under the header, while a person owns it."""
    h = S.header
    return rx.cond(
        h.status == "handoff",
        rx.hstack(
            rx.icon("hand", size=14, flex_shrink="0"),
            rx.text(
                rx.cond(
                    h.assigned != "",
                    rx.text.strong("With ", h.assigned),
                    rx.text.strong("Waiting for a human"),
                ),
                rx.cond(h.handoff_reason != "", rx.fragment(" · ", h.handoff_reason)),
                size="1",
                **TRUNCATE,
            ),
            align="center",
            spacing="2",
            width="100%",
            padding="7px 20px",
            background_color="var(--orange-a3)",
            color="var(--orange-11)",
            border_bottom="1px solid var(--orange-a4)",
            data_testid="handoff-reason",
        ),
    )


def _older() -> rx.Component:
    return rx.cond(
        S.has_more,
        rx.center(
            rx.button(
                rx.icon("history", size=14),
                "Earlier messages",
                variant="surface",
                color_scheme="gray",
                radius="full",
                size="1",
                on_click=S.load_older,
                data_testid="load-older",
            ),
            padding="4px 0 8px",
        ),
    )


def composer() -> rx.Component:
    note = rx.cond(
        S.composer_note != "",
        rx.hstack(
            rx.icon(
                rx.cond(S.can_reply, rx.cond(S.header.status == "closed", "archive", "info"), "lock_keyhole"),
                size=14,
                flex_shrink="0",
                margin_top="2px",
            ),
            rx.text(S.composer_note, size="1"),
            spacing="2",
            align="start",
            color=rx.cond(S.can_reply, "var(--gray-11)", "var(--amber-11)"),
            data_testid="composer-note",
        ),
    )
    window = rx.cond(
        S.composer_enabled & ~S.pane.window_open,
        rx.hstack(
            rx.icon("clock_alert", size=14, flex_shrink="0", margin_top="2px"),
            rx.text(
                "The 24-hour window is closed: WhatsApp refuses free-form replies until the customer writes "
                "again.",
                size="1",
            ),
            spacing="2",
            align="start",
            color="var(--amber-11)",
        ),
    )
    return rx.form(
        rx.vstack(
            note,
            window,
            rx.hstack(
                rx.text_area(
                    name="reply",
                    id="reply",
                    placeholder=rx.cond(
                        S.composer_enabled,
                        "Write a reply on WhatsApp…",
                        "",
                    ),
                    enter_key_submit=True,
                    disabled=~S.composer_enabled,
                    rows="2",
                    resize="none",
                    max_length=1600,
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    flex="1",
                    data_testid="reply-input",
                ),
                rx.button(
                    rx.icon("send_horizontal", size=16),
                    "Send",
                    type="submit",
                    size="3",
                    loading=S.sending,
                    disabled=~S.composer_enabled,
                    data_testid="send-reply",
                ),
                align="end",
                spacing="3",
                width="100%",
            ),
            rx.cond(
                S.composer_enabled & (S.composer_note == "") & S.pane.window_open,
                rx.text(
                    rx.icon("corner_down_left", size=11, display="inline", vertical_align="-1px"),
                    " Enter to send · Shift + Enter for a new line · sent as ",
                    rx.text.strong(SessionState.user_name),
                    size="1",
                    color="var(--gray-9)",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=S.send_reply,
        reset_on_submit=False,
        class_name="composer",
        width="100%",
        padding="12px 16px 14px",
        border_top=BORDER,
        background_color="var(--color-panel-solid)",
    )


def _no_selection() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.center(
                rx.icon("messages_square", size=26),
                width="60px",
                height="60px",
                border_radius="var(--radius-5)",
                background_color="var(--accent-a3)",
                color="var(--accent-11)",
                box_shadow="inset 0 0 0 1px var(--accent-a4)",
            ),
            rx.heading("Your WhatsApp inbox", size="5", weight="medium", align="center"),
            rx.text(
                "Pick a conversation to read the chat as the customer sees it, take it over from the agent "
                "and reply. New messages appear here as they arrive.",
                size="2",
                color_scheme="gray",
                align="center",
                max_width="400px",
            ),
            rx.hstack(
                rx.badge(
                    rx.icon("hand", size=12),
                    S.count_handoff,
                    " need a human",
                    color_scheme="orange",
                    variant="soft",
                    radius="full",
                ),
                rx.badge(
                    rx.icon("bot", size=12), S.count_bot, " with the agent", variant="soft", radius="full"
                ),
                spacing="2",
            ),
            align="center",
            spacing="3",
            padding="32px",
        ),
        flex="1",
        class_name="wa wa-wallpaper",
        data_testid="no-selection",
    )


def transcript_pane() -> rx.Component:
    return rx.flex(
        rx.cond(
            S.selected_id != 0,
            rx.flex(
                transcript_header(),
                _handoff_strip(),
                transcript(S.bubbles, header=_older(), flex="1", min_height="0", data_testid="transcript"),
                composer(),
                direction="column",
                width="100%",
                height="100%",
            ),
            _no_selection(),
        ),
        direction="column",
        flex="1",
        min_width="0",
        height="100%",
    )


# ---------------------------------------------------------------------------------------------- context


def _label(icon: str, text: str) -> rx.Component:
    return rx.el.div(rx.icon(icon, size=13), text, class_name="pane-label")


def _section(icon: str, title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.vstack(
        _label(icon, title),
        *children,
        spacing="2",
        width="100%",
        padding="16px 20px",
        border_top="1px solid var(--gray-a4)",
        **props,
    )


def _quiet(text: str) -> rx.Component:
    return rx.text(text, size="1", color="var(--gray-10)")


def _fact(f: Fact) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(f.label, min_width="96px"),
        rx.data_list.value(f.value),
        align="start",
    )


def _viewed(item: ViewedItem) -> rx.Component:
    return rx.hstack(
        rx.cond(
            item.image_url != "",
            rx.image(
                src=item.image_url,
                width="48px",
                height="48px",
                object_fit="cover",
                border_radius="var(--radius-3)",
                background_color="var(--gray-a3)",
                flex_shrink="0",
            ),
            rx.center(
                rx.icon(rx.cond(item.kind == "Product", "package", "calendar_check"), size=20),
                width="48px",
                height="48px",
                border_radius="var(--radius-3)",
                background_color="var(--gray-a3)",
                color="var(--gray-10)",
                flex_shrink="0",
            ),
        ),
        rx.vstack(
            rx.text(item.name, size="2", weight="medium", **TRUNCATE, width="100%"),
            rx.text(item.kind, " · ", item.code, size="1", color="var(--gray-10)", **TRUNCATE),
            rx.hstack(
                rx.text(item.price, size="2", weight="medium"),
                rx.badge(
                    item.availability,
                    color_scheme=rx.cond(item.available, "grass", "red"),
                    variant="soft",
                    size="1",
                ),
                spacing="2",
                align="center",
            ),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        spacing="3",
        width="100%",
        align="start",
    )


def _order(o: OrderRow) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(o.number, size="2", weight="medium", font_family="var(--code-font-family)"),
            rx.badge(o.status, color_scheme=o.color, variant="soft", size="1"),
            rx.spacer(),
            rx.text(o.total, size="2", weight="medium"),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.text(o.date, " · ", o.lines, size="1", color="var(--gray-10)", **TRUNCATE),
        width="100%",
        padding="8px 10px",
        border_radius="var(--radius-3)",
        background_color="var(--gray-a2)",
    )


def _appointment(a: AppointmentRow) -> rx.Component:
    return rx.hstack(
        rx.center(
            rx.icon(rx.cond(a.upcoming, "calendar_clock", "calendar_check_2"), size=16),
            width="32px",
            height="32px",
            border_radius="var(--radius-3)",
            background_color=rx.cond(a.upcoming, "var(--blue-a3)", "var(--gray-a3)"),
            color=rx.cond(a.upcoming, "var(--blue-11)", "var(--gray-10)"),
            flex_shrink="0",
        ),
        rx.vstack(
            rx.hstack(
                rx.text(a.service, size="2", weight="medium", **TRUNCATE),
                rx.badge(a.status, color_scheme=a.color, variant="soft", size="1"),
                spacing="2",
                align="center",
                min_width="0",
            ),
            rx.text(a.when, size="1", color="var(--gray-10)"),
            rx.cond(a.notes != "", rx.text(a.notes, size="1", color="var(--gray-11)")),
            spacing="0",
            min_width="0",
        ),
        spacing="3",
        align="start",
        width="100%",
    )


def context_pane() -> rx.Component:
    p = S.pane
    customer = rx.vstack(
        rx.hstack(
            rx.avatar(fallback=p.initials, size="4", radius="full", color_scheme=p.color, variant="soft"),
            rx.vstack(
                rx.heading(p.name, size="3", weight="medium", **TRUNCATE, width="100%"),
                rx.hstack(
                    rx.icon("phone", size=12, color="var(--gray-10)"),
                    rx.text(p.phone, size="2", color="var(--gray-11)"),
                    spacing="1",
                    align="center",
                ),
                spacing="1",
                min_width="0",
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        rx.flex(
            rx.badge(
                rx.icon("bell_ring", size=11), p.opt_label, color_scheme=p.opt_color, variant="soft", size="1"
            ),
            rx.cond(
                p.language != "",
                rx.badge(
                    rx.icon("languages", size=11), p.language, color_scheme="gray", variant="soft", size="1"
                ),
            ),
            wrap="wrap",
            gap="6px",
        ),
        rx.vstack(
            rx.hstack(
                rx.icon("clock", size=13, color=rx.cond(p.window_open, "var(--grass-10)", "var(--amber-10)")),
                rx.text(
                    p.window_label,
                    size="1",
                    color=rx.cond(p.window_open, "var(--gray-11)", "var(--amber-11)"),
                ),
                spacing="2",
                align="center",
            ),
            rx.hstack(
                rx.icon("calendar", size=13, color="var(--gray-10)"),
                rx.text("Customer since ", p.since, " · ", p.conversations, size="1", color="var(--gray-11)"),
                spacing="2",
                align="center",
            ),
            spacing="1",
        ),
        spacing="3",
        padding="20px",
        width="100%",
        data_testid="context-customer",
    )
    agent_notes = _section(
        "brain",
        "What the agent knows",
        rx.cond(
            (p.topic == "") & (p.pending == "") & (p.summary == ""),
            _quiet("Nothing yet: the agent notes the topic and a summary as the chat goes on."),
            rx.vstack(
                rx.cond(
                    p.topic != "",
                    rx.hstack(
                        rx.text("Topic", size="1", color="var(--gray-10)", min_width="64px"),
                        rx.text(p.topic, size="2", weight="medium"),
                        spacing="2",
                        align="baseline",
                    ),
                ),
                rx.cond(
                    p.pending != "",
                    rx.hstack(
                        rx.text("Next step", size="1", color="var(--gray-10)", min_width="64px"),
                        rx.text(p.pending, size="2"),
                        spacing="2",
                        align="baseline",
                    ),
                ),
                rx.cond(
                    p.summary != "",
                    rx.text(
                        p.summary,
                        size="2",
                        color="var(--gray-11)",
                        padding="8px 10px",
                        border_radius="var(--radius-3)",
                        background_color="var(--gray-a2)",
                        border_left="3px solid var(--accent-8)",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
        ),
    )
    facts = _section(
        "sticky_note",
        "Key facts",
        rx.cond(
            p.facts.length() > 0,
            rx.data_list.root(rx.foreach(p.facts, _fact), size="1", spacing="2", orientation="horizontal"),
            _quiet(
                "No facts yet. The agent remembers sizes, preferences and the like as customers share them."
            ),
        ),
    )
    viewed = rx.cond(
        p.viewed.length() > 0,
        _section("eye", "Last viewed", rx.foreach(p.viewed, _viewed)),
    )
    orders = _section(
        "shopping_bag",
        "Orders",
        rx.cond(
            p.orders.length() > 0,
            rx.vstack(rx.foreach(p.orders, _order), spacing="2", width="100%"),
            _quiet("No orders from this customer yet."),
        ),
    )
    appointments = _section(
        "calendar_days",
        "Appointments",
        rx.cond(
            p.appointments.length() > 0,
            rx.vstack(rx.foreach(p.appointments, _appointment), spacing="3", width="100%"),
            _quiet("No bookings."),
        ),
    )
    return rx.cond(
        S.selected_id != 0,
        rx.box(
            customer,
            agent_notes,
            facts,
            viewed,
            orders,
            appointments,
            width=CONTEXT_WIDTH,
            min_width=CONTEXT_WIDTH,
            height="100%",
            overflow_y="auto",
            border_left=BORDER,
            background_color="var(--color-panel-solid)",
            data_testid="context-pane",
        ),
    )


# ------------------------------------------------------------------------------------------------- page


def _empty_inbox() -> rx.Component:
    return empty_state(
        "messages_square",
        "Your WhatsApp inbox",
        "When customers message your WhatsApp number, their chats land here. Parley answers on its own "
        "and passes a chat to your team the moment it needs a human.",
        features=[
            ("inbox", "Needs human, Agent and Closed tabs, with search across every chat"),
            (
                "message_circle_more",
                "WhatsApp-style transcripts, with the agent's confidence under each reply",
            ),
            (
                "hand",
                "Take over, hand back to the agent, or close, with the customer's context beside the chat",
            ),
        ],
        action=when_page_allowed(
            "settings",
            link_button("Connect WhatsApp", "/settings?tab=whatsapp", icon="arrow_right"),
            when_page_allowed("playground", link_button("Try the agent in the playground", "/playground")),
        ),
        note="New chats appear here by themselves: no need to reload the page.",
    )


@page("/conversations", "Conversations", "conversations", ConversationsState, full_width=True)
def conversations() -> rx.Component:
    inbox = rx.flex(
        list_pane(),
        transcript_pane(),
        context_pane(),
        width="100%",
        height=INBOX_HEIGHT,
        min_height="560px",
        border=BORDER,
        border_radius="var(--radius-4)",
        overflow="hidden",
        background_color="var(--color-panel-solid)",
        box_shadow="0 1px 2px var(--black-a2)",
        id="inbox",
        data_testid="inbox",
        on_mount=rx.call_script(FIT_SCRIPT),
    )
    return rx.fragment(
        whatsapp_styles(),
        rx.el.style(INBOX_CSS),
        rx.cond(
            S.inbox_empty & S.list_loaded, rx.box(_empty_inbox(), max_width="1200px", margin_x="auto"), inbox
        ),
    )
