"""Overview: the first page after signing in. KPI cards (each explained in a tooltip), this month's AI spend
against the budget (labelled in the provider's billing currency, US dollars, while prices elsewhere use the
shop's currency), the setup checklist read from the data (engine.accounts.setup_progress), and what needs
attention. One column on a phone, two on a tablet, the full grid from 1024 px."""

from __future__ import annotations

import reflex as rx

from console.components.ui import card, icon_tile, section_card, when_page_allowed
from console.state.overview import OverviewState
from console.state.overview_ratings import OverviewRatingsState
from console.state.session import SessionState
from console.template import page

# (icon, label, hint, state var name, test id, what the figure means: shown in a tooltip)
KPIS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "messages_square",
        "Conversations today",
        "Since midnight, your time",
        "kpi_today",
        "kpi-today",
        "WhatsApp chats with at least one message since midnight in your time zone.",
    ),
    (
        "bot",
        "Resolved by the agent",
        "Settled alone · 7 days",
        "kpi_resolved",
        "kpi-resolved",
        "Of the chats decided in the last 7 days, the share the agent settled alone: the customer rated it "
        "well, or did not come back or ask for a person in the hours after its last answer (Settings → "
        "Integrations → Ratings sets how many).",
    ),
    (
        "hand",
        "Handoff rate",
        "Chats passed to your team · 7 days",
        "kpi_handoff",
        "kpi-handoff",
        "Of the chats active in the last 7 days, the share the agent passed to a person.",
    ),
    (
        "timer",
        "First response",
        "Median wait for a first reply · 7 days",
        "kpi_first_response",
        "kpi-first",
        "Half of your customers got their first reply (from the agent or a person) faster than this.",
    ),
)

# (page key, title, why, link, icon)
SETUP_STEPS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "settings",
        "Connect WhatsApp",
        "Add your Twilio account and sender number so customers can reach you.",
        "/settings?tab=whatsapp",
        "smartphone",
    ),
    (
        "persona",
        "Write the persona",
        "Name your agent and set its tone and its rules.",
        "/persona",
        "sparkles",
    ),
    (
        "knowledge",
        "Add knowledge",
        "Policies, opening hours and FAQs the agent can quote.",
        "/knowledge",
        "book_open",
    ),
    (
        "catalog",
        "Import the catalog",
        "Products and services with prices, stock and aliases.",
        "/catalog",
        "package",
    ),
    (
        "playground",
        "Try the playground",
        "Chat as a customer and check the answers before going live.",
        "/playground",
        "flask_conical",
    ),
)


def kpi_card(icon: str, label: str, hint: str, var: str, test_id: str, meaning: str) -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                rx.text(label, size="2", color_scheme="gray", weight="medium"),
                rx.tooltip(
                    rx.icon(
                        "info",
                        size=13,
                        color="var(--gray-9)",
                        tab_index=0,
                        aria_label=meaning,
                        data_testid=f"{test_id}-help",
                    ),
                    content=meaning,
                ),
                rx.spacer(),
                rx.icon(icon, size=16, color="var(--gray-9)"),
                width="100%",
                align="center",
            ),
            rx.text(
                getattr(OverviewState, var),
                size="6",
                weight="bold",
                color="var(--gray-12)",
                line_height="1",
                data_testid=test_id,
            ),
            rx.text(hint, size="1", color="var(--gray-11)"),
            spacing="3",
        ),
        padding="20px",
    )


def spend_card() -> rx.Component:
    """This month's AI spend against the budget (engine.llm.service.spend_summary)."""
    manage = rx.cond(
        OverviewState.can_manage_ai,
        rx.link(
            rx.hstack(rx.text("AI providers", size="1"), rx.icon("arrow_right", size=12), spacing="1"),
            href="/settings?tab=ai",
            underline="hover",
            color_scheme="gray",
            data_testid="spend-card-link",
        ),
    )
    return card(
        rx.vstack(
            rx.hstack(
                rx.text("AI spend this month", size="2", color_scheme="gray", weight="medium"),
                rx.tooltip(
                    rx.icon("info", size=13, color="var(--gray-9)", tab_index=0),
                    content="What your AI provider charged for the agent's replies this month. "
                    "Providers bill in US dollars; your prices stay in your own currency.",
                ),
                rx.spacer(),
                rx.icon("wallet", size=16, color="var(--gray-9)"),
                width="100%",
                align="center",
            ),
            rx.hstack(
                rx.text(
                    OverviewState.spent, size="6", weight="bold", line_height="1", data_testid="spend-spent"
                ),
                rx.text("of ", OverviewState.budget, size="1", color="var(--gray-11)"),
                spacing="2",
                align="baseline",
            ),
            rx.text(
                "In ",
                OverviewState.spend_currency,
                ", as your AI provider bills",
                size="1",
                color="var(--gray-11)",
                data_testid="spend-currency",
            ),
            rx.progress(
                value=OverviewState.used_pct,
                max=100,
                size="1",
                width="100%",
                color_scheme=OverviewState.spend_state_color,
            ),
            rx.hstack(
                rx.badge(
                    OverviewState.spend_state_label,
                    color_scheme=OverviewState.spend_state_color,
                    variant="soft",
                    radius="full",
                    size="1",
                ),
                rx.text(
                    rx.cond(OverviewState.has_budget, OverviewState.remaining + " left", "No paid AI calls"),
                    size="1",
                    color="var(--gray-11)",
                ),
                rx.spacer(),
                manage,
                spacing="2",
                align="center",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        padding="20px",
        data_testid="spend-card",
    )


def setup_step(number: int, key: str, title: str, why: str, href: str, icon: str) -> rx.Component:
    start = rx.link(
        rx.button("Start", rx.icon("arrow_right", size=14), variant="soft", size="1"),
        href=href,
        underline="none",
    )
    done = OverviewState.steps_done.contains(key)
    todo_mark = rx.center(
        rx.text(str(number), size="1", weight="bold"),
        width="24px",
        height="24px",
        min_width="24px",
        border_radius="9999px",
        border="1.5px dashed var(--gray-8)",
        color="var(--gray-11)",
    )
    done_mark = rx.center(
        rx.icon("check", size=14),
        width="24px",
        height="24px",
        min_width="24px",
        border_radius="9999px",
        background="var(--accent-9)",
        color="white",
    )
    open_link = rx.link(
        rx.button("Open", rx.icon("arrow_right", size=14), variant="ghost", color_scheme="gray", size="1"),
        href=href,
        underline="none",
    )
    return rx.hstack(
        rx.cond(done, done_mark, todo_mark),
        rx.icon(icon, size=18, color="var(--gray-11)", flex_shrink="0"),
        rx.vstack(
            rx.text(title, size="2", weight="medium"),
            rx.text(why, size="1", color_scheme="gray"),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        when_page_allowed(
            key, rx.cond(done, open_link, start), rx.text("Ask an admin", size="1", color="var(--gray-11)")
        ),
        spacing="4",
        data_testid=rx.cond(done, f"step-{key}-done", f"step-{key}"),
        align="center",
        width="100%",
        padding="10px 12px",
        border_radius="var(--radius-3)",
        class_name="checklist-item",
    )


def setup_checklist() -> rx.Component:
    return section_card(
        "Get Parley ready for customers",
        "Five steps, about fifteen minutes. You can come back to any of them later.",
        rx.progress(value=OverviewState.setup_done, max=5, size="1", width="100%"),
        rx.vstack(
            *[setup_step(i + 1, *step) for i, step in enumerate(SETUP_STEPS)],
            spacing="1",
            width="100%",
        ),
        action=rx.badge(
            OverviewState.setup_done.to_string() + " of 5 done",
            variant="soft",
            color_scheme=rx.cond(OverviewState.setup_done == 5, "grass", "gray"),
            size="2",
            data_testid="setup-done",
        ),
        data_testid="setup-checklist",
    )


def attention_item(icon: str, count: rx.Var, text: str | rx.Var, href: str, test_id: str) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=16, color="var(--amber-11)", flex_shrink="0"),
            rx.text(rx.text.strong(count), " ", text, size="2"),
            rx.spacer(),
            rx.icon("arrow_right", size=14, color="var(--gray-9)"),
            align="center",
            width="100%",
            padding="10px 12px",
            border_radius="var(--radius-3)",
            background="var(--amber-2)",
            border="1px solid var(--amber-5)",
        ),
        href=href,
        underline="none",
        color="inherit",
        width="100%",
        data_testid=test_id,
    )


def low_rating_item(row: rx.Var) -> rx.Component:
    """A low rating: who, the button they tapped, their comment, the transcript, and what to do."""
    return rx.vstack(
        rx.hstack(
            rx.icon("thumbs_down", size=16, color="var(--red-11)", flex_shrink="0", margin_top="2px"),
            rx.vstack(  # the time under the name: beside it, in a side column, both broke over two lines
                rx.text(rx.text.strong(row["customer"]), " rated ", row["score"], size="2"),
                rx.text(row["when"], size="1", color="var(--gray-11)"),
                spacing="0",
                min_width="0",
            ),
            align="start",
            width="100%",
        ),
        rx.cond(row["comment"] != "", rx.text("“", row["comment"], "”", size="2", color_scheme="gray")),
        rx.hstack(
            rx.link("Read the chat", href=row["href"], size="1"),
            rx.cond(
                ~row["open"].to(bool),
                rx.button(
                    "Back to a person",
                    size="1",
                    variant="surface",  # a soft tint on the item's red one read at 4.46:1
                    on_click=OverviewRatingsState.to_person(row["id"]),
                ),
            ),
            rx.button(
                "Seen",
                size="1",
                variant="ghost",
                color_scheme="gray",
                on_click=OverviewRatingsState.seen(row["id"]),
            ),
            spacing="3",
            align="center",
        ),
        spacing="1",
        width="100%",
        padding="10px 12px",
        border_radius="var(--radius-3)",
        background="var(--red-2)",
        border="1px solid var(--red-5)",
        data_testid="attention-low-rating",
    )


def csat_card() -> rx.Component:
    """CSAT: the share of good ratings in 30 days (engine/analytics/resolution.py)."""
    S = OverviewRatingsState
    return section_card(
        "Customer ratings",
        None,
        rx.cond(
            S.rated > 0,
            rx.vstack(
                rx.text(S.csat, size="6", weight="bold", line_height="1", data_testid="csat"),
                rx.text(
                    S.rated_good.to_string() + " of " + S.rated.to_string() + " ratings were good · 30 days",
                    size="1",
                    color="var(--gray-11)",
                ),
                spacing="2",
            ),
            rx.text(
                rx.cond(
                    S.ratings_on,
                    "No ratings yet: customers are asked after each resolved chat.",
                    "Ask customers to rate their chat in WhatsApp: turn ratings on in Settings → "
                    "Integrations.",
                ),
                size="2",
                color_scheme="gray",
            ),
        ),
        spacing="3",
        padding="20px",
        data_testid="csat-card",
    )


def alert_item(alert: rx.Var) -> rx.Component:
    """An open in-app alert: what is wrong and the figure, in words (engine.observability.thresholds)."""
    return rx.hstack(
        rx.icon("triangle_alert", size=16, color="var(--red-11)", flex_shrink="0"),
        rx.vstack(
            rx.text(alert["title"], size="2", weight="medium"),
            rx.text(alert["detail"], size="1", color_scheme="gray"),
            spacing="0",
            align="start",
        ),
        align="center",
        width="100%",
        padding="10px 12px",
        border_radius="var(--radius-3)",
        background="var(--red-2)",
        border="1px solid var(--red-5)",
        data_testid="attention-alert",
    )


def needs_attention() -> rx.Component:
    all_clear = rx.vstack(
        icon_tile("circle_check", size=20, box="44px"),
        rx.text("All clear", size="2", weight="medium"),
        rx.text(
            "Chats waiting for a person, replies WhatsApp refused and alerts (slow or failing replies, "
            "unusual AI spending, customers kept waiting) show up here.",
            size="1",
            color_scheme="gray",
            align="center",
            max_width="260px",
        ),
        spacing="2",
        align="center",
        width="100%",
        padding_y="20px",
    )
    items = rx.vstack(
        rx.cond(
            OverviewState.needs_human > 0,
            attention_item(
                "hand",
                OverviewState.needs_human,
                rx.cond(OverviewState.needs_human == 1, "chat waits for a person", "chats wait for a person"),
                "/conversations",
                "attention-needs-human",
            ),
        ),
        rx.cond(
            OverviewState.failed_sends > 0,
            attention_item(
                "circle_alert",
                OverviewState.failed_sends,
                rx.cond(
                    OverviewState.failed_sends == 1, "reply was not delivered", "replies were not delivered"
                ),
                "/conversations",
                "attention-failed-sends",
            ),
        ),
        rx.foreach(OverviewState.alerts, alert_item),
        rx.foreach(OverviewRatingsState.low, low_rating_item),
        spacing="2",
        width="100%",
    )
    all_clear = rx.cond(OverviewState.alerts.length() > 0, items, all_clear)  # alerts and nothing else
    return section_card(
        "Needs attention",
        None,
        rx.cond(
            (OverviewState.needs_human > 0)
            | (OverviewState.failed_sends > 0)
            | (OverviewRatingsState.low.length() > 0),
            items,
            all_clear,
        ),
        spacing="3",
        padding="20px",
        data_testid="needs-attention",
    )


@page("/", "Overview", "overview", OverviewState, extra_on_load=[OverviewRatingsState.load_page])
def overview() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            rx.heading("Welcome, ", SessionState.user_name, size="6", weight="medium"),
            rx.cond(
                OverviewState.has_chats,
                rx.text(
                    "How your agent is doing for ",
                    rx.text.strong(SessionState.tenant_name),
                    " on WhatsApp.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.text(
                    "Numbers fill in once customers start writing to ",
                    rx.text.strong(SessionState.tenant_name),
                    " on WhatsApp. Until then, here is what to set up first.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            spacing="1",
        ),
        rx.grid(
            *[kpi_card(*kpi) for kpi in KPIS],
            columns=rx.breakpoints(initial="1", xs="2", md="4"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            rx.box(setup_checklist(), grid_column=rx.breakpoints(initial="span 1", md="span 2")),
            rx.vstack(
                rx.cond(OverviewState.spend_visible, spend_card()),
                needs_attention(),
                csat_card(),
                spacing="4",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
            align="start",
        ),
        spacing="5",
        width="100%",
    )
