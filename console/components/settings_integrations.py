"""Settings → Integrations: webhook endpoints (events, the secret shown once, a test delivery, the log with
resend) and the ratings asked in the chat after each resolution."""

from __future__ import annotations

import reflex as rx

from console.components.ui import error_line, field_hint, section_card, url_words
from console.state.settings_integrations import EVENT_CHOICES, IntegrationsState

S = IntegrationsState


def _labelled(label: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium"), *children, spacing="1", width="100%")


def _new_endpoint() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.grid(
                _labelled(
                    "Name",
                    rx.input(
                        name="name",
                        id="endpoint-name",
                        placeholder="Our CRM",
                        width="100%",
                        data_testid="endpoint-name",
                    ),
                    error_line(S.errors.get("name", ""), "endpoint-error-name"),
                ),
                _labelled(
                    "URL",
                    rx.input(
                        name="url",
                        id="endpoint-url",
                        placeholder="https://crm.example.com/hooks/parley",
                        width="100%",
                        data_testid="endpoint-url",
                    ),
                    error_line(S.errors.get("url", ""), "endpoint-error-url"),
                ),
                columns={"initial": "1", "md": "1fr 2fr"},
                spacing="4",
                width="100%",
            ),
            _labelled(
                "Events to send",
                rx.grid(
                    *[
                        rx.checkbox(
                            label,
                            checked=S.new_events.contains(key),
                            on_change=lambda checked, key=key: S.toggle_event(key, checked),
                            data_testid=f"event-{key.replace('.', '-')}",
                        )
                        for key, label in EVENT_CHOICES
                    ],
                    columns={"initial": "1", "md": "2"},
                    spacing="2",
                    width="100%",
                ),
                error_line(S.errors.get("events", ""), "endpoint-error-events"),
            ),
            rx.hstack(
                rx.switch(checked=S.include_text, on_change=S.set_include_text, data_testid="endpoint-text"),
                rx.text("Include what customers write (their messages and comments)", size="2"),
                spacing="2",
                align="center",
            ),
            error_line(S.errors.get("form", ""), "endpoint-error"),
            rx.button(rx.icon("plus", size=16), "Add endpoint", type="submit", data_testid="endpoint-add"),
            spacing="4",
            width="100%",
        ),
        on_submit=S.create,
        width="100%",
    )


def _secret_callout() -> rx.Component:
    return rx.cond(
        S.secret != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("key_round")),
            rx.vstack(
                rx.text(
                    "Signing secret for ",
                    rx.text.strong(S.secret_for),
                    ": copy it now, it is shown only once.",
                    size="2",
                ),
                rx.hstack(
                    rx.code(S.secret, data_testid="endpoint-secret", style={"word_break": "break_all"}),
                    rx.icon_button(
                        rx.icon("copy", size=14),
                        size="1",
                        variant="soft",
                        on_click=rx.set_clipboard(S.secret),
                        aria_label="Copy the secret",
                    ),
                    rx.button("Done", size="1", variant="soft", on_click=S.hide_secret),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                spacing="2",
            ),
            color_scheme="amber",
            width="100%",
        ),
    )


def _endpoint_card(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.hstack(
                        rx.text(row["name"], weight="bold"),
                        rx.cond(
                            row["active"],
                            rx.badge("On", color_scheme="grass", variant="soft"),
                            rx.badge("Paused", color_scheme="gray", variant="soft"),
                        ),
                        rx.cond(row["include_text"], rx.badge("Customer text", variant="outline")),
                        spacing="2",
                        align="center",
                    ),
                    rx.text(
                        url_words(row["url_parts"].to(list[str])),
                        size="2",
                        color_scheme="gray",
                        class_name="url-text",
                    ),
                    rx.text(row["events"], size="1", color_scheme="gray"),
                    spacing="1",
                    min_width="0",
                    flex="1",
                ),
                rx.flex(
                    rx.button(
                        rx.cond(S.testing_id == row["id"], rx.spinner(size="1"), rx.icon("send", size=14)),
                        "Send test",
                        size="1",
                        variant="surface",
                        disabled=~row["active"].to(bool),
                        on_click=S.send_test(row["id"]),
                        data_testid="endpoint-test",
                    ),
                    rx.button(
                        rx.icon("list", size=14),
                        "Log",
                        size="1",
                        variant="soft",
                        on_click=S.open_log(row["id"]),
                        data_testid="endpoint-log",
                    ),
                    rx.button(
                        "Rotate secret",
                        size="1",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.rotate(row["id"]),
                    ),
                    rx.cond(
                        row["active"],
                        rx.button(
                            "Pause",
                            size="1",
                            variant="soft",
                            color_scheme="gray",
                            on_click=S.set_active(row["id"], False),
                        ),
                        rx.button(
                            "Turn on", size="1", variant="soft", on_click=S.set_active(row["id"], True)
                        ),
                    ),
                    rx.button(
                        "Remove", size="1", variant="soft", color_scheme="red", on_click=S.remove(row["id"])
                    ),
                    gap="6px",
                    wrap="wrap",
                ),
                gap="12px",
                wrap="wrap",
                justify="between",
                width="100%",
            ),
            rx.cond(
                row["notice"] != "",
                rx.callout.root(
                    rx.callout.icon(rx.icon("triangle_alert")),
                    rx.callout.text(row["notice"]),
                    color_scheme="red",
                    size="1",
                    data_testid="endpoint-notice",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        data_testid="endpoint-row",
    )


def _log() -> rx.Component:
    header = rx.table.row(
        *[rx.table.column_header_cell(h) for h in ("When", "Event", "Status", "Answer", "Time", "Tries", "")]
    )

    def line(row: rx.Var) -> rx.Component:
        return rx.table.row(
            rx.table.cell(row["when"], white_space="nowrap"),
            rx.table.cell(row["event"]),
            rx.table.cell(
                rx.badge(
                    row["status"],
                    color_scheme=rx.cond(row["ok"], "grass", rx.cond(row["failed"], "red", "amber")),
                    variant="soft",
                )
            ),
            rx.table.cell(
                rx.vstack(
                    rx.text(row["code"], size="1", weight="medium"),
                    rx.text(row["answer"], size="1", color_scheme="gray"),
                    spacing="0",
                )
            ),
            rx.table.cell(row["latency"], white_space="nowrap"),
            rx.table.cell(row["tries"]),
            rx.table.cell(
                rx.button(
                    "Resend",
                    size="1",
                    variant="ghost",
                    on_click=S.resend(row["id"]),
                    data_testid="delivery-resend",
                )
            ),
            data_testid="delivery-row",
        )

    return rx.cond(
        S.log_endpoint_id != 0,
        section_card(
            "Deliveries to " + S.log_name,
            "Newest first: what was sent, how the endpoint answered and how long it took. Failed sends are "
            "tried again for a day.",
            rx.cond(
                S.log_rows.length() > 0,
                rx.box(
                    rx.table.root(
                        rx.table.header(header),
                        rx.table.body(rx.foreach(S.log_rows, line)),
                        size="1",
                        width="100%",
                    ),
                    overflow_x="auto",
                    width="100%",
                ),
                rx.text(
                    "Nothing sent to this endpoint yet. Send a test to see it here.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            action=rx.button(
                rx.icon("refresh_cw", size=14), "Refresh", size="1", variant="soft", on_click=S.refresh_log
            ),
            data_testid="delivery-log",
        ),
    )


def _ratings() -> rx.Component:
    titles = rx.grid(
        *[
            rx.cond(
                S.rating_scale.to(int) > i,
                rx.input(
                    name=f"title_{i}",
                    default_value=S.rating_titles[i],
                    placeholder=["😀 Great", "😐 OK", "🙁 Bad"][i],
                    width="100%",
                ),
            )
            for i in range(3)
        ],
        columns={"initial": "1", "md": "3"},
        spacing="2",
        width="100%",
    )
    number = {"type": "number", "width": "100%"}
    form = rx.form(
        rx.vstack(
            rx.hstack(
                rx.switch(checked=S.rating_enabled, on_change=S.set_rating_enabled, data_testid="ratings-on"),
                rx.text("Ask customers to rate each resolved conversation", size="2", weight="medium"),
                spacing="2",
                align="center",
            ),
            rx.grid(
                _labelled(
                    "Buttons",
                    rx.select.root(
                        rx.select.trigger(width="100%"),
                        rx.select.content(
                            rx.select.item("3 (great · OK · bad)", value="3"),
                            rx.select.item("2 (good · bad)", value="2"),
                        ),
                        value=S.rating_scale,
                        on_change=S.set_rating_scale,
                    ),
                ),
                _labelled(
                    "Low is at most", rx.input(name="low_at_most", default_value=S.rating_low, **number)
                ),
                _labelled(
                    "Ask a customer at most once in (days)",
                    rx.input(name="min_days_between", default_value=S.rating_days, **number),
                ),
                _labelled(
                    "Resolved after quiet (hours)",
                    rx.input(name="resolution_window_hours", default_value=S.rating_window, **number),
                ),
                columns={"initial": "1", "md": "4"},
                spacing="4",
                width="100%",
            ),
            _labelled("Your own button titles, best first (empty: in the customer's language)", titles),
            _labelled(
                "Your own question (empty: in the customer's language)",
                rx.input(
                    name="question",
                    default_value=S.rating_question,
                    placeholder="How did we do? Tap one to rate this chat.",
                    width="100%",
                ),
            ),
            rx.hstack(
                rx.switch(checked=S.rating_reopen, on_change=S.set_rating_reopen),
                rx.text("A low rating hands the conversation back to a person", size="2"),
                spacing="2",
                align="center",
            ),
            error_line(S.rating_error, "ratings-error"),
            rx.button(rx.icon("save", size=16), "Save", type="submit", data_testid="ratings-save"),
            spacing="4",
            width="100%",
        ),
        on_submit=S.save_ratings,
        width="100%",
    )
    return section_card(
        "Ratings in the chat",
        "After each resolution (closed by your team, or by the agent when the customer stays quiet) "
        "the customer gets quick-reply buttons in their language. Never after an opt-out or while a "
        "person is on the chat.",
        form,
        rx.hstack(
            rx.text(S.template_note, size="2", color_scheme="gray"),
            rx.button("Submit a template to WhatsApp", size="1", variant="soft", on_click=S.submit_template),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        field_hint(
            "Inside 24 hours of the customer's last message the buttons go out as a normal message; after "
            "that only through a template WhatsApp approved."
        ),
    )


def integrations_tab() -> rx.Component:
    return rx.vstack(
        _secret_callout(),
        section_card(
            "Webhooks",
            "Tell your CRM, order system or own scripts what happens: each event is sent as JSON, "
            "signed with the endpoint's secret (the webhooks guide shows how to check the signature).",
            rx.cond(
                S.hooks.length() > 0,
                rx.vstack(rx.foreach(S.hooks, _endpoint_card), spacing="3", width="100%"),
                rx.text(
                    "No endpoints yet. Add the first one below to start sending events.",
                    size="2",
                    color_scheme="gray",
                    data_testid="endpoints-empty",
                ),
            ),
        ),
        section_card("Add an endpoint", None, _new_endpoint()),
        _log(),
        _ratings(),
        spacing="5",
        width="100%",
        data_testid="integrations-tab",
    )
