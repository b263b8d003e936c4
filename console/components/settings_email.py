"""Settings → Email: the mail server Parley sends invitations (and later alerts) through, and a test email."""

from __future__ import annotations

import reflex as rx

from console.components.ui import error_line, field_hint, section_card
from console.state.settings_email import TLS_CHOICES, EmailSettingsState

S = EmailSettingsState


def _field(label: str, name: str, value: rx.Var, placeholder: str, kind: str = "text") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(
            name=name,
            default_value=value,
            type=kind,
            placeholder=placeholder,
            width="100%",
            auto_complete="new-password" if kind == "password" else "off",
            color_scheme=rx.cond(S.errors.get(name, "") != "", "red", "gray"),
            data_testid=f"mail-{name}",
        ),
        error_line(S.errors.get(name, ""), f"mail-error-{name}"),
        spacing="1",
        width="100%",
    )


def email_tab() -> rx.Component:
    server = rx.form(
        rx.vstack(
            rx.grid(
                _field("Mail server", "host", S.host, "smtp.yourprovider.com"),
                rx.vstack(
                    rx.text("Port", size="2", weight="medium"),
                    rx.input(value=S.port, on_change=S.set_port, width="100%", data_testid="mail-port"),
                    error_line(S.errors.get("port", ""), "mail-error-port"),
                    spacing="1",
                    width="100%",
                ),
                columns={"initial": "1", "md": "3fr 1fr"},
                spacing="4",
                width="100%",
            ),
            rx.vstack(
                rx.text("Security", size="2", weight="medium"),
                rx.select.root(
                    rx.select.trigger(width="100%", data_testid="mail-tls"),
                    rx.select.content(*[rx.select.item(label, value=key) for key, label in TLS_CHOICES]),
                    value=S.tls,
                    on_change=S.set_tls,
                ),
                spacing="1",
                width="100%",
            ),
            _field("Send from", "sender", S.sender, "Your Shop <hello@yourshop.com>"),
            rx.grid(
                _field("User name", "username", S.username, "Usually your email address"),
                _field(
                    "Password",
                    "password",
                    "",
                    rx.cond(S.password_masked != "", "Saved " + S.password_masked, "Password"),
                    kind="password",
                ),
                columns={"initial": "1", "md": "2"},
                spacing="4",
                width="100%",
            ),
            rx.hstack(
                rx.button(rx.icon("save", size=16), "Save", type="submit", data_testid="mail-save"),
                rx.cond(
                    S.configured,
                    rx.button(
                        "Turn email off",
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.turn_off,
                    ),
                ),
                spacing="3",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=S.save,
        width="100%",
    )
    test = rx.form(
        rx.flex(
            rx.input(
                name="to",
                placeholder="Send to (default: you)",
                flex="1 1 200px",  # on a phone the button goes under it (a min-width is lifted there)
                data_testid="mail-test-to",
            ),
            rx.button(
                rx.cond(S.sending, rx.spinner(size="2"), rx.icon("send", size=16)),
                "Send a test email",
                type="submit",
                variant="surface",
                disabled=S.sending | ~S.configured,
                data_testid="mail-test",
            ),
            gap="8px",
            wrap="wrap",
            width="100%",
        ),
        on_submit=S.send_test,
        width="100%",
    )
    return rx.vstack(
        section_card(
            "Mail server",
            "Parley emails invitations to your team from here. Without a mail server nothing is emailed: "
            "you hand over invitations yourself.",
            server,
            action=rx.cond(
                S.configured,
                rx.badge("On", color_scheme="grass", variant="soft"),
                rx.badge("Off", color_scheme="gray", variant="soft"),
            ),
        ),
        section_card(
            "Test email",
            "Sends one short email through the saved server.",
            test,
            rx.cond(
                S.test_note != "",
                rx.text(
                    S.test_note,
                    size="2",
                    color=rx.cond(S.test_ok, "var(--grass-11)", "var(--red-11)"),
                    data_testid="mail-test-note",
                ),
            ),
            field_hint("Your provider's help pages list its server, port and security."),
        ),
        spacing="5",
        width="100%",
        data_testid="email-tab",
    )
