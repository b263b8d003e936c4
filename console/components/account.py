"""Settings → Account: who you are here, and changing your own password."""

from __future__ import annotations

import reflex as rx

from console.components.ui import avatar, card, error_line, field_hint, section_header
from console.state.account import PASSWORD_RULE, AccountState
from console.state.session import SessionState


def profile_card() -> rx.Component:
    return card(
        rx.vstack(
            section_header("Your account", "How you sign in to Parley, and your role in this workspace."),
            rx.hstack(
                avatar(SessionState.user_initials, size="4"),
                rx.vstack(
                    rx.text(SessionState.user_name, size="3", weight="medium"),
                    rx.text(SessionState.user_email, size="2", color_scheme="gray"),
                    spacing="0",
                ),
                rx.spacer(),
                rx.badge(
                    SessionState.role_label,
                    " · ",
                    SessionState.tenant_name,
                    variant="soft",
                    color_scheme="gray",
                    radius="full",
                    size="2",
                ),
                align="center",
                spacing="3",
                width="100%",
            ),
            spacing="5",
            width="100%",
        ),
        data_testid="account-profile",
    )


def password_field(
    name: str, label: str, error: rx.Var, testid: str, *, autocomplete: str, hint: str | None = None
) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", html_for=f"account-{name}", size="2", weight="medium"),
        rx.input(
            id=f"account-{name}",
            name=name,
            type="password",
            auto_complete=autocomplete,
            size="3",
            width="100%",
            color_scheme=rx.cond(error != "", "red", "gray"),
            data_testid=testid,
        ),
        error_line(error, f"{testid}-error"),
        field_hint(hint) if hint else rx.fragment(),
        spacing="2",
        width="100%",
    )


def password_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            # Password managers pair the new password with this account when they see the username.
            rx.el.input(
                type="text",
                name="username",
                value=SessionState.user_email,
                auto_complete="username",
                read_only=True,
                hidden=True,
            ),
            password_field(
                "current_password",
                "Current password",
                AccountState.current_error,
                "account-current",
                autocomplete="current-password",
            ),
            password_field(
                "new_password",
                "New password",
                AccountState.new_error,
                "account-new",
                autocomplete="new-password",
                hint=PASSWORD_RULE,
            ),
            password_field(
                "confirm_password",
                "Confirm new password",
                AccountState.confirm_error,
                "account-confirm",
                autocomplete="new-password",
            ),
            rx.hstack(
                rx.button(
                    rx.icon("key_round", size=14),
                    "Change password",
                    type="submit",
                    size="2",
                    data_testid="account-submit",
                ),
                justify="end",
                width="100%",
                padding_top="4px",
            ),
            spacing="4",
            width="100%",
            max_width="440px",
        ),
        on_submit=AccountState.change_password,
        reset_on_submit=False,
        key=AccountState.form_version,
        width="100%",
        data_testid="account-password-form",
    )


def password_card() -> rx.Component:
    return card(
        rx.vstack(
            section_header(
                "Password",
                "Change the password you sign in with — for example the temporary one you were invited with.",
            ),
            password_form(),
            rx.callout(
                "You stay signed in on this browser. Everywhere else you are signed out and need the new "
                "password.",
                icon="info",
                color_scheme="gray",
                variant="surface",
                size="1",
                width="100%",
                max_width="440px",
            ),
            spacing="5",
            width="100%",
        ),
        data_testid="account-password",
    )


def account_tab() -> rx.Component:
    return rx.vstack(profile_card(), password_card(), spacing="5", width="100%")
