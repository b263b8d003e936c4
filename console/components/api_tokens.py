"""Settings → API tokens: the tokens table, the create dialog (the secret shown once), the revoke confirm."""

from __future__ import annotations

import reflex as rx

from console.components.dialogs import (
    by_access,
    confirm_dialog,
    form_buttons,
    form_dialog,
    not_allowed,
    shown_once,
)
from console.components.ui import error_line, icon_tile, section_card
from console.state.settings_tokens import SCOPE_CHOICES, ApiTokensState, TokenRow

T = ApiTokensState


def token_row(token: TokenRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.text(token.name, size="2", weight="medium"),
                rx.code(token.prefix, size="1", variant="ghost", color_scheme="gray"),
                spacing="1",
            ),
            vertical_align="middle",
        ),
        rx.table.cell(
            rx.flex(
                rx.foreach(
                    token.scopes, lambda s: rx.badge(s, variant="soft", color_scheme="gray", radius="full")
                ),
                wrap="wrap",
                gap="1",
            ),
            vertical_align="middle",
        ),
        rx.table.cell(rx.text(token.created, size="1", color="var(--gray-11)"), vertical_align="middle"),
        rx.table.cell(rx.text(token.last_used, size="1", color="var(--gray-11)"), vertical_align="middle"),
        rx.table.cell(
            rx.cond(
                token.revoked,
                rx.badge("Revoked", color_scheme="red", variant="soft", radius="full"),
                rx.badge("Active", color_scheme="grass", variant="soft", radius="full"),
            ),
            vertical_align="middle",
        ),
        rx.table.cell(
            rx.cond(
                token.revoked,
                rx.fragment(),
                rx.button(
                    rx.icon("ban", size=13),
                    "Revoke",
                    variant="soft",
                    color_scheme="red",
                    size="1",
                    on_click=T.ask_revoke(token.token_id, token.name),
                    data_testid="revoke-token",
                ),
            ),
            text_align="right",
            vertical_align="middle",
        ),
        opacity=rx.cond(token.revoked, "0.6", "1"),
        data_testid="token-row",
    )


def tokens_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Name"),
                rx.table.column_header_cell("Scopes"),
                rx.table.column_header_cell("Created", width="168px"),
                rx.table.column_header_cell("Last used", width="168px"),
                rx.table.column_header_cell("Status", width="96px"),
                rx.table.column_header_cell("", width="88px"),
            ),
        ),
        rx.table.body(rx.foreach(T.tokens, token_row)),
        variant="surface",
        size="2",
        width="100%",
        data_testid="tokens-table",
    )


def create_button(label: str = "Create token") -> rx.Component:
    return rx.button(rx.icon("plus", size=16), label, on_click=T.open_create, data_testid="token-create-open")


def no_tokens() -> rx.Component:
    return rx.vstack(
        icon_tile("key_round", size=22, box="48px"),
        rx.text("No API tokens yet", size="3", weight="medium"),
        rx.text(
            "Create one for each system that talks to Parley — your shop, a CRM, a reporting tool — with "
            "only the scopes it needs. You can revoke it at any time.",
            size="2",
            color_scheme="gray",
            align="center",
            max_width="460px",
        ),
        create_button("Create your first token"),
        spacing="3",
        align="center",
        width="100%",
        padding="40px 24px",
        border="1px dashed var(--gray-a6)",
        border_radius="var(--radius-4)",
        data_testid="no-tokens",
    )


def _create_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.vstack(
                rx.text("Name", as_="label", size="2", weight="medium", html_for="token-name"),
                rx.input(
                    id="token-name",
                    name="name",
                    placeholder="e.g. Shopify sync",
                    auto_focus=True,
                    max_length=80,
                    size="3",
                    width="100%",
                    color_scheme=rx.cond(T.name_error != "", "red", "gray"),
                    on_change=T.clear_name_error,
                    data_testid="token-name",
                ),
                error_line(T.name_error, "token-name-error"),
                spacing="2",
                width="100%",
            ),
            rx.vstack(
                rx.text("Scopes", as_="label", size="2", weight="medium"),
                rx.checkbox_cards.root(
                    *[
                        rx.checkbox_cards.item(
                            rx.vstack(
                                rx.text(name, size="2", weight="medium"),
                                rx.text(hint, size="1", color_scheme="gray"),
                                rx.code(value, size="1", variant="ghost", color_scheme="gray"),
                                spacing="1",
                                align="start",
                            ),
                            value=value,
                            padding="10px 36px 10px 12px",
                            justify_content="start",
                            data_testid=f"scope-{value.replace(':', '-')}",
                        )
                        for value, name, hint in SCOPE_CHOICES
                    ],
                    value=T.new_scopes,
                    on_value_change=T.set_new_scopes,
                    columns=rx.breakpoints(initial="1", xs="2"),  # one a line on a phone
                    gap="2",
                    size="1",
                    width="100%",
                ),
                error_line(T.scopes_error, "token-scopes-error"),
                rx.text("Give each system only what it needs.", size="1", color_scheme="gray"),
                spacing="2",
                width="100%",
            ),
            form_buttons("key_round", "Create token", "token-submit"),
            spacing="5",
            width="100%",
        ),
        on_submit=T.create,
        reset_on_submit=False,
    )


def _created_token() -> rx.Component:
    """The secret, this once: copy it now or create another."""
    return shown_once(
        rx.text(
            "Copy the token for ",
            rx.text.strong(T.created_name),
            " now and store it somewhere safe. Parley keeps only a fingerprint of it: it will not be "
            "shown again.",
        ),
        "shield_check",
        T.created_token,
        "Token copied",
        rx.code(
            T.created_token,
            size="2",
            variant="ghost",
            weight="medium",
            word_break="break-all",
            data_testid="new-token",
        ),
        rx.text(
            "Send it as ",
            rx.code("Authorization: Bearer <token>", size="1"),
            " to /api/v1.",
            size="1",
            color_scheme="gray",
        ),
        "token-done",
        copy_testid="copy-token",
    )


def create_dialog() -> rx.Component:
    return form_dialog(
        "key_round",
        rx.cond(T.created_token != "", "Your new API token", "Create an API token"),
        "Tokens act for this workspace, only within their scopes.",
        rx.cond(T.created_token != "", _created_token(), _create_form()),
        open=T.create_open,
        on_open_change=T.set_create_open,
        max_width="600px",
        testid="token-dialog",
    )


def revoke_dialog() -> rx.Component:
    return confirm_dialog(
        "Revoke “",
        T.revoke_name,
        "”?",
        description="Every request made with this token is refused from now on. This cannot be undone: the "
        "system using it will need a new token.",
        confirm_label="Revoke token",
        on_confirm=T.confirm_revoke,
        testid="confirm-revoke",
        open=T.revoke_open,
        on_open_change=T.set_revoke_open,
    )


def api_guide() -> rx.Component:
    return section_card(
        "Using the API",
        "Every request names its token in the Authorization header.",
        rx.box(
            rx.code(
                'curl -H "Authorization: Bearer prl_…" https://<your console>/api/v1/tenant',
                size="2",
                variant="ghost",
                color_scheme="gray",
            ),
            padding="12px 16px",
            border_radius="var(--radius-3)",
            background_color="var(--gray-a2)",
            width="100%",
            overflow_x="auto",
            white_space="nowrap",
        ),
        rx.hstack(
            rx.icon("book_open_text", size=15, color="var(--gray-11)"),
            rx.text(
                "The full reference (OpenAPI) is at ",
                rx.link("/api/v1/openapi.json", href="/api/v1/openapi.json", is_external=True),
                ". A request without the scope it needs gets 403; a revoked token gets 401.",
                size="2",
                color_scheme="gray",
            ),
            spacing="2",
            align="center",
        ),
    )


def tokens_panel() -> rx.Component:
    return rx.vstack(
        section_card(
            "API tokens",
            "Let your own systems read analytics, send campaigns or reply to chats through the REST API.",
            rx.cond(T.tokens.length() > 0, tokens_table(), no_tokens()),
            action=rx.cond(T.tokens.length() > 0, create_button()),
            spacing="5",
        ),
        api_guide(),
        create_dialog(),
        revoke_dialog(),
        spacing="5",
        width="100%",
    )


def tokens_tab() -> rx.Component:
    return by_access(
        ApiTokensState.access,
        tokens_panel(),
        not_allowed("Only owners and admins manage API tokens", "tokens-not-allowed"),
        "240px",
    )
