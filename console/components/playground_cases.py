"""The Playground's test cases: the form (a message, then checks in words) and the table of last runs (on a
phone, one card per case).

Each row shows pass/fail per check with the reason a check failed, the reply, and what changed since the last
run. The cases are saved per tenant (engine.agent.evals); the state is PlaygroundState.
"""

from __future__ import annotations

import reflex as rx

from console.components.ui import card
from console.state.playground import PlaygroundState
from console.state.playground_cases import CHECK_CHOICES, CaseRow, CheckView, DraftCheck

S = PlaygroundState
CLAMP = {
    "display": "-webkit-box",
    "-webkit-line-clamp": "3",
    "-webkit-box-orient": "vertical",
    "overflow": "hidden",
}


def _check_line(check: CheckView) -> rx.Component:
    icon = rx.match(
        check.status,
        ("pass", rx.icon("circle_check", size=14, color="var(--grass-10)")),
        ("fail", rx.icon("circle_x", size=14, color="var(--red-10)")),
        rx.icon("circle_dashed", size=14, color="var(--gray-9)"),
    )
    return rx.hstack(
        icon,
        rx.text(check.label, size="1", color="var(--gray-12)"),
        rx.cond(check.detail != "", rx.text("— ", check.detail, size="1", color="var(--red-11)")),
        spacing="1",
        align="center",
        wrap="wrap",
        data_testid="case-check",
        data_status=check.status,
    )


def _status(case: CaseRow) -> rx.Component:
    return rx.match(
        case.status,
        (
            "pass",
            rx.badge(rx.icon("check", size=12), "Pass", color_scheme="grass", variant="soft", radius="full"),
        ),
        ("fail", rx.badge(rx.icon("x", size=12), "Fail", color_scheme="red", variant="soft", radius="full")),
        ("error", rx.badge("Error", color_scheme="red", variant="outline", radius="full")),
        ("running", rx.spinner(size="1")),
        rx.badge("Not run", color_scheme="gray", variant="soft", radius="full"),
    )


def _checks(case: CaseRow) -> rx.Component:
    return rx.vstack(
        rx.foreach(case.checks, _check_line),
        rx.cond(case.checks.length() == 0, rx.text("Any answer", size="1", color="var(--gray-11)")),
        spacing="1",
    )


def _reply(case: CaseRow) -> rx.Component:
    # Narrower on a tablet, so the table's six columns fit beside the sidebar without scrolling sideways.
    return rx.vstack(
        rx.text(case.reply, size="1", color="var(--gray-11)", style=CLAMP),
        rx.cond(case.why != "", rx.text(case.why, size="1", color="var(--red-11)")),
        spacing="0",
        max_width=rx.breakpoints(initial="220px", md="360px"),
    )


def _since_last_run(case: CaseRow, testid: str = "case-changed") -> rx.Component:
    return rx.cond(
        case.changed != "",
        rx.badge(
            case.changed,
            variant="outline",
            radius="full",
            color_scheme=rx.match(
                case.changed,
                ("Now failing", "red"),
                ("Now passing", "grass"),
                ("Reply changed", "amber"),
                "gray",
            ),
            data_testid=testid,
        ),
        rx.cond(case.ran != "", rx.text("Last run ", case.ran, size="1", color="var(--gray-11)")),
    )


def _remove(case: CaseRow) -> rx.Component:
    return rx.icon_button(
        rx.icon("trash_2", size=14),
        variant="ghost",
        color_scheme="gray",
        size="1",
        on_click=S.remove_case(case.id),
        aria_label="Remove test case",
    )


def case_row(case: CaseRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(_status(case), width="88px", data_testid="case-status"),
        rx.table.cell(
            rx.text(case.message, size="2", weight="medium"),
            min_width=rx.breakpoints(initial="130px", md="160px"),
        ),
        rx.table.cell(_checks(case), min_width=rx.breakpoints(initial="150px", md="200px")),
        rx.table.cell(_reply(case)),
        rx.table.cell(_since_last_run(case), white_space="nowrap"),
        rx.table.cell(_remove(case), width="44px"),
        align="center",
        data_testid="case-row",
    )


def case_card(case: CaseRow) -> rx.Component:
    """One case on a phone, where six columns do not fit: the result and what changed on top, then the
    message, its checks (with why one failed) and the reply, read top to bottom."""
    return rx.vstack(
        rx.hstack(
            _status(case),
            _since_last_run(case, "case-card-changed"),
            rx.spacer(),
            _remove(case),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.text(case.message, size="2", weight="medium"),
        _checks(case),
        _reply(case),
        spacing="2",
        width="100%",
        padding="12px",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-3)",
        data_testid="case-card",
    )


def _draft_chip(check: DraftCheck, index: int) -> rx.Component:
    return rx.badge(
        check.label,
        rx.icon(
            "x", size=12, cursor="pointer", on_click=S.remove_draft_check(index), aria_label="Remove check"
        ),
        variant="soft",
        radius="full",
        size="2",
        data_testid="draft-check",
    )


def _case_form() -> rx.Component:
    """Message, then checks one by one (kind + words), then save: no code, no expressions."""
    check_picker = rx.hstack(
        rx.select.root(
            rx.select.trigger(width=rx.breakpoints(initial="100%", xs="190px"), data_testid="check-kind"),
            rx.select.content(*[rx.select.item(label, value=kind) for kind, label, _ in CHECK_CHOICES]),
            value=S.check_kind,
            on_change=S.set_check_kind,
        ),
        rx.input(
            name="check_value",
            value=S.check_value,
            on_change=S.set_check_value,
            placeholder=S.check_hint,
            flex="1 1 160px",  # the words keep room: on a phone they go under the kind, beside "Add check"
            auto_complete="off",
            data_testid="check-value",
        ),
        rx.button(
            rx.icon("plus", size=14),
            "Add check",
            type="button",
            variant="soft",
            color_scheme="gray",
            on_click=S.add_check,
            data_testid="add-check",
        ),
        spacing="2",
        width="100%",
        wrap="wrap",
    )
    return rx.form(
        rx.vstack(
            rx.input(
                name="message",
                value=S.case_message,
                on_change=S.set_case_message,
                placeholder="Customer message, e.g. Can I return shoes?",
                width="100%",
                auto_complete="off",
                data_testid="case-message",
            ),
            check_picker,
            rx.cond(S.check_error != "", rx.text(S.check_error, size="1", color="var(--red-11)")),
            rx.hstack(
                rx.foreach(S.draft_checks, _draft_chip),
                rx.spacer(),
                rx.button(rx.icon("save", size=14), "Save test case", type="submit", data_testid="add-case"),
                spacing="2",
                align="center",
                width="100%",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=S.add_case,
        width="100%",
    )


def cases_panel() -> rx.Component:
    table = rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Result"),
                    rx.table.column_header_cell("Customer says"),
                    rx.table.column_header_cell("Checks"),
                    rx.table.column_header_cell("Reply"),
                    rx.table.column_header_cell("Since last run"),
                    rx.table.column_header_cell(""),
                )
            ),
            rx.table.body(rx.foreach(S.cases, case_row)),
            variant="surface",
            size="1",
            width="100%",
            data_testid="cases-table",
        ),
        overflow_x="auto",
        width="100%",
        display=rx.breakpoints(initial="none", sm="block"),
    )
    cards = rx.vstack(
        rx.foreach(S.cases, case_card),
        spacing="2",
        width="100%",
        display=rx.breakpoints(initial="flex", sm="none"),
        data_testid="cases-cards",
    )
    empty = rx.vstack(
        rx.text("No test cases yet", size="2", weight="medium"),
        rx.text(
            "Write what a customer says and what the reply must do — mention the 30-day returns, name a "
            "product, hand off or not. Run them all after changing the persona, knowledge or catalog.",
            size="1",
            color_scheme="gray",
            align="center",
            max_width="520px",
        ),
        align="center",
        spacing="1",
        padding="24px",
        border="1px dashed var(--gray-a6)",
        border_radius="var(--radius-3)",
        width="100%",
    )
    return card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.heading("Test cases", size="4", weight="medium"),
                    rx.text(
                        "Messages with checks their reply must pass, answered with your saved persona. "
                        "Saved for the whole team.",
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="1",
                ),
                rx.spacer(),
                rx.cond(
                    S.run_summary != "",
                    rx.text(S.run_summary, size="2", weight="medium", data_testid="run-summary"),
                ),
                rx.button(
                    rx.cond(S.running, rx.spinner(size="2"), rx.icon("play", size=15)),
                    "Run all",
                    on_click=S.run_all,
                    disabled=S.running | (S.cases.length() == 0),
                    data_testid="run-all",
                ),
                width="100%",
                align="center",
                spacing="4",
                wrap="wrap",
            ),
            _case_form(),
            rx.cond(S.cases.length() > 0, rx.fragment(table, cards), empty),
            spacing="4",
            width="100%",
        ),
        data_testid="cases",
    )


__all__ = ["cases_panel"]
