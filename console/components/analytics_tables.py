"""Analytics page — the tables: cost by model, handoff reasons (each opening the inbox filtered by that reason
for the range on screen), the quality of the agent's answers, topics, and the knowledge gaps with "Create
knowledge entry". Every table exports as CSV; each says what it is for while it is empty. On a phone a table
scrolls sideways inside its card rather than clipping its headings."""

from __future__ import annotations

import reflex as rx

from console.components.analytics_charts import chart_skeleton, export_button, phone_table
from console.components.ui import section_card
from console.state.analytics import AnalyticsState as S


def _empty(text: str, test_id: str) -> rx.Component:
    return rx.text(text, size="2", color_scheme="gray", data_testid=test_id)


WIDE = rx.breakpoints(initial="none", sm="table-cell")  # a column a phone folds into the one before it
NARROW = rx.breakpoints(initial="block", sm="none")


def _heading(h: str | tuple[str, dict]) -> rx.Component:
    text, props = (h, {}) if isinstance(h, str) else h
    return rx.table.column_header_cell(text, **props)


def _table(headers: list[str | tuple[str, dict]], body: rx.Component) -> rx.Component:
    header = rx.table.header(rx.table.row(*[_heading(h) for h in headers]))
    return phone_table(
        rx.table.root(*([header] if any(headers) else []), rx.table.body(body), size="1", width="100%")
    )  # the quality table's columns need no headings: its rows say what they are


def _loaded(body: rx.Component) -> rx.Component:
    return rx.cond(S.loaded, body, chart_skeleton("120px"))


def cost_table() -> rx.Component:
    rows = rx.foreach(
        S.cost_rows,
        lambda r: rx.table.row(
            rx.table.row_header_cell(
                r["model"], rx.text(r["provider"], size="1", color_scheme="gray", display=NARROW)
            ),
            rx.table.cell(r["provider"], display=WIDE),
            rx.table.cell(r["calls"]),
            rx.table.cell(r["tokens_in"]),
            rx.table.cell(r["tokens_out"]),
            rx.table.cell(r["cost"], data_testid="cost-cell"),
        ),
    )
    totals = rx.hstack(
        rx.text("Total ", rx.text.strong(S.cost_total, data_testid="cost-total"), size="2"),
        rx.text("Per conversation ", rx.text.strong(S.cost_per_conversation), size="2"),
        spacing="5",
        wrap="wrap",
    )
    return section_card(
        "Cost by model",
        S.currency_note,
        _loaded(
            rx.cond(
                S.cost_rows.length() > 0,
                rx.vstack(
                    _table(
                        [
                            "Model",
                            ("Provider", {"display": WIDE}),
                            "Calls",
                            "Tokens in",
                            "Tokens out",
                            "Cost",
                        ],
                        rows,
                    ),
                    totals,
                    width="100%",
                ),
                _empty(
                    "No AI calls in this range: the models your agent used and what they cost go here.",
                    "costs-empty",
                ),
            )
        ),
        action=export_button("costs"),
        data_testid="table-costs",
    )


def handoff_table() -> rx.Component:
    rows = rx.foreach(
        S.handoff_rows,
        lambda r: rx.table.row(
            rx.table.row_header_cell(
                rx.cond(
                    r["href"] != "",
                    rx.link(
                        r["label"],
                        href=r["href"],
                        underline="hover",
                        title="Open these chats in the inbox",
                        data_testid="handoff-link",
                    ),
                    rx.text(r["label"]),
                )
            ),
            rx.table.cell(r["count"]),
            rx.table.cell(r["share"]),
        ),
    )
    return section_card(
        "Why chats went to your team",
        S.handoff_note,
        _loaded(
            rx.cond(
                S.handoff_rows.length() > 0,
                _table(["Reason", "Handoffs", "Share"], rows),
                _empty(
                    "No handoffs in this range. When the agent passes a chat to a person, the reason "
                    "shows here.",
                    "handoffs-empty",
                ),
            )
        ),
        action=export_button("handoffs"),
        data_testid="table-handoffs",
    )


def quality_table() -> rx.Component:
    rows = rx.foreach(
        S.quality_rows,
        lambda r: rx.table.row(
            rx.table.row_header_cell(r["label"]),
            rx.table.cell(rx.text(r["value"], weight="medium")),
            rx.table.cell(rx.text(r["detail"], color_scheme="gray")),
        ),
    )
    return section_card(
        "How well the agent answers",
        "Knowledge use, spelling help, suggestions and recovered questions.",
        _loaded(_table(["", "", ""], rows)),
        action=export_button("quality"),
    )


def topic_table() -> rx.Component:
    rows = rx.foreach(
        S.topic_rows,
        lambda r: rx.table.row(
            rx.table.row_header_cell(r["name"]), rx.table.cell(r["kind"]), rx.table.cell(r["count"])
        ),
    )
    return section_card(
        "What customers ask about",
        "The most frequent requests, and the products and services chats were about.",
        _loaded(
            rx.cond(
                S.topic_rows.length() > 0,
                _table(["Topic", "Kind", "Count"], rows),
                _empty("Nothing yet: customers' most frequent requests will be listed here.", "topics-empty"),
            )
        ),
        action=export_button("topics"),
    )


def _gap(r: rx.Var) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.text(r["question"], weight="medium", size="2"),
                rx.badge(r["count"], " times", color_scheme="amber", variant="soft"),
                align="center",
                wrap="wrap",
            ),
            rx.cond(r["examples"] != "", rx.text("Also: ", r["examples"], size="1", color_scheme="gray")),
            rx.text(r["why"], size="1", color="var(--gray-11)"),
            spacing="1",
            flex="1",
            min_width="0",
        ),
        rx.link(
            rx.button(rx.icon("plus", size=14), "Create knowledge entry", variant="soft", size="1"),
            href=r["href"],
            underline="none",
            data_testid="gap-create",
        ),
        gap="3",
        wrap="wrap",
        align="center",
        padding_y="10px",
        border_bottom="1px solid var(--gray-a4)",
        width="100%",
        data_testid="gap-row",
    )


def gaps_list() -> rx.Component:
    return section_card(
        "Questions the agent could not answer",
        "Grouped by meaning every few hours. Add the answer to your knowledge and the agent uses it at once.",
        _loaded(
            rx.cond(
                S.gap_rows.length() > 0,
                rx.vstack(rx.foreach(S.gap_rows, _gap), spacing="0", width="100%"),
                _empty(
                    "No gaps found. Questions your knowledge does not answer are grouped here, with a button "
                    "to write the missing entry.",
                    "gaps-empty",
                ),
            )
        ),
        action=export_button("gaps"),
        data_testid="knowledge-gaps",
    )
