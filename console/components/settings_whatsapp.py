"""Settings → WhatsApp: connect Twilio, the sender numbers, the webhook addresses and the connection test."""

from __future__ import annotations

import reflex as rx

from console.components.ui import error_line, field_hint, section_card, url_words
from console.state.settings_whatsapp import WhatsAppSettingsState

S = WhatsAppSettingsState


def _secret_input(name: str, placeholder, testid: str, password: bool = True) -> rx.Component:
    return rx.input(
        name=name,
        type="password" if password else "text",
        placeholder=placeholder,
        auto_complete="off" if not password else "new-password",
        spellcheck="false",
        width="100%",
        color_scheme=rx.cond(S.errors.get(name, "") != "", "red", "gray"),
        data_testid=testid,
    )


def _field(label: str, control: rx.Component, key: str, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        control,
        field_hint(hint) if hint else rx.fragment(),
        error_line(S.errors.get(key, ""), f"wa-error-{key}"),
        spacing="1",
        width="100%",
    )


def account_section() -> rx.Component:
    status = rx.cond(
        S.connected,
        rx.badge(rx.icon("circle_check", size=12), "Saved", color_scheme="grass", variant="soft"),
        rx.badge("Not connected", color_scheme="gray", variant="soft"),
    )
    form = rx.form(
        rx.vstack(
            _field(
                "Account SID",
                rx.input(
                    name="account_sid",
                    default_value=S.account_sid,
                    placeholder="AC…",
                    spellcheck="false",
                    width="100%",
                    data_testid="wa-account-sid",
                ),
                "account_sid",
                "On your Twilio Console home page, under Account Info.",
            ),
            _field(
                "Auth token",
                _secret_input(
                    "auth_token",
                    rx.cond(
                        S.token_masked != "",
                        "Saved " + S.token_masked + " · paste to replace",
                        "Paste your auth token",
                    ),
                    "wa-auth-token",
                ),
                "auth_token",
                "Twilio signs every message it sends to Parley with it. After changing it in Twilio, paste "
                "the new one here: messages signed with the old one work until Twilio uses the new one.",
            ),
            rx.cond(
                S.rotation_pending,
                rx.callout(
                    "Waiting for Twilio to use the new auth token. Messages signed with the previous one are "
                    "still accepted until then.",
                    icon="hourglass",
                    color_scheme="amber",
                    size="1",
                    width="100%",
                ),
            ),
            rx.grid(
                _field(
                    "API key SID (optional)",
                    _secret_input(
                        "api_key_sid",
                        rx.cond(S.api_key_sid != "", S.api_key_sid, "SK…"),
                        "wa-api-key-sid",
                        password=False,
                    ),
                    "api_key_sid",
                    "With a key, Parley sends through it instead of the auth token: you can revoke it alone.",
                ),
                _field(
                    "API key secret",
                    _secret_input(
                        "api_key_secret",
                        rx.cond(S.api_key_masked != "", "Saved " + S.api_key_masked, "Paste the secret"),
                        "wa-api-key-secret",
                    ),
                    "api_key_secret",
                ),
                columns={"initial": "1", "md": "2"},
                spacing="4",
                width="100%",
            ),
            rx.hstack(
                rx.button(rx.icon("save", size=16), "Save account", type="submit", data_testid="wa-save"),
                spacing="3",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=S.save_credentials,
        reset_on_submit=True,
        width="100%",
    )
    return section_card(
        "Twilio account",
        "Parley sends and receives your WhatsApp messages through your own Twilio account. Secrets are "
        "stored encrypted and never shown again: only their last four characters.",
        form,
        action=status,
        data_testid="wa-account",
    )


def _sender_row(sender: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon("smartphone", size=16, color="var(--gray-11)"),
        rx.vstack(
            rx.text(sender["number"], size="2", weight="medium", font_family="var(--code-font-family)"),
            rx.cond(sender["label"] != "", rx.text(sender["label"], size="1", color_scheme="gray")),
            spacing="0",
        ),
        rx.cond(sender["is_default"], rx.badge("Default", color_scheme="grass", variant="soft")),
        rx.spacer(),
        rx.cond(
            ~sender["is_default"].to(bool),
            rx.button("Make default", size="1", variant="ghost", on_click=S.make_default(sender["address"])),
        ),
        rx.icon_button(
            rx.icon("trash_2", size=14),
            size="1",
            variant="ghost",
            color_scheme="red",
            on_click=S.remove_sender(sender["address"]),
            aria_label="Remove this number",
        ),
        width="100%",
        align="center",
        padding_y="8px",
        border_top="1px solid var(--gray-a3)",
        data_testid="wa-sender",
    )


def senders_section() -> rx.Component:
    add = rx.form(
        rx.grid(  # one field a line on a phone: two inputs side by side there cut their placeholders
            rx.input(
                name="number", placeholder="+44 7700 900123", width="100%", data_testid="wa-sender-number"
            ),
            rx.input(name="label", placeholder="Name (optional), e.g. Main shop", width="100%"),
            rx.button(
                rx.icon("plus", size=16),
                "Add number",
                type="submit",
                variant="soft",
                data_testid="wa-sender-add",
            ),
            columns=rx.breakpoints(initial="1", sm="1fr 1fr auto"),
            gap="8px",
            width="100%",
        ),
        on_submit=S.add_sender,
        reset_on_submit=True,
        width="100%",
    )
    return section_card(
        "WhatsApp numbers",
        "The numbers customers write to, as set up in Twilio. Messages to a number reach this workspace; "
        "the default one sends first.",
        rx.cond(
            S.senders.length() > 0,
            rx.vstack(rx.foreach(S.senders, _sender_row), spacing="0", width="100%"),
            rx.text(
                "No number yet: add the WhatsApp number from your Twilio account.",
                size="2",
                color="var(--gray-11)",
            ),
        ),
        add,
        field_hint("With the country code, e.g. +44 for the UK or +1 for the US."),
        error_line(S.sender_error, "wa-sender-error"),
        data_testid="wa-senders",
    )


def _url_row(label: str, url: rx.Var, parts: rx.Var, testid: str) -> rx.Component:
    """The address wraps after its slashes; on a phone the Copy button goes under it, so the address gets
    the whole width (beside it, the box had room for 20 characters a line)."""
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.flex(
            rx.code(
                url_words(parts),
                size="2",
                variant="soft",
                flex="1 1 280px",
                padding="6px 10px",
                class_name="url-text",
                data_testid=testid,
            ),
            rx.button(
                rx.icon("copy", size=14),
                "Copy",
                size="2",
                variant="soft",
                on_click=[rx.set_clipboard(url), rx.toast.success("Copied")],
                data_testid=f"{testid}-copy",
            ),
            width="100%",
            align="center",
            gap="8px",
            wrap="wrap",
        ),
        spacing="1",
        width="100%",
    )


def webhooks_section() -> rx.Component:
    return section_card(
        "Webhook addresses",
        "In Twilio, open your WhatsApp sender and paste these into 'When a message comes in' and "
        "'Status callback URL' (both HTTP POST).",
        _url_row("When a message comes in", S.inbound_url, S.inbound_url_parts, "wa-inbound-url"),
        _url_row("Status callback URL", S.status_url, S.status_url_parts, "wa-status-url"),
    )


def test_section() -> rx.Component:
    ok = S.test_state == "ok"
    result = rx.hstack(
        rx.cond(
            ok,
            rx.icon("circle_check", size=18, color="var(--grass-11)"),
            rx.icon("circle_x", size=18, color="var(--red-11)"),
        ),
        rx.vstack(
            rx.text(S.test_title, size="2", weight="medium"),
            rx.text(S.test_detail, size="2", color="var(--gray-11)"),
            spacing="1",
        ),
        padding="12px 14px",
        border_radius="var(--radius-3)",
        border=rx.cond(ok, "1px solid var(--grass-a6)", "1px solid var(--red-a6)"),
        background_color=rx.cond(ok, "var(--grass-a2)", "var(--red-a2)"),
        width="100%",
        data_testid="wa-test-result",
    )
    return section_card(
        "Connection test",
        "Checks your saved account with Twilio. Nothing is sent to any customer.",
        rx.button(
            rx.cond(S.testing, rx.spinner(size="2"), rx.icon("plug_zap", size=16)),
            rx.cond(S.testing, "Testing…", "Test connection"),
            on_click=S.test_connection,
            disabled=S.testing,
            variant="surface",
            data_testid="wa-test",
        ),
        rx.cond(S.test_state != "", result),
    )


def whatsapp_tab() -> rx.Component:
    return rx.grid(
        rx.vstack(account_section(), senders_section(), spacing="5", width="100%", min_width="0"),
        rx.vstack(test_section(), webhooks_section(), spacing="5", width="100%", min_width="0"),
        columns={"initial": "1", "lg": "minmax(0, 3fr) minmax(0, 2fr)"},
        spacing="5",
        width="100%",
        align="start",
        data_testid="whatsapp-tab",
    )
