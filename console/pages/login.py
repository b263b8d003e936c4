"""Sign in: a plain HTML form posting to the engine's `/api/auth/login`, which sets the HttpOnly cookie.

A real form POST (not a websocket event) is what lets the server set a cookie JavaScript can never read.
"""

from __future__ import annotations

import reflex as rx

from console.components.native_form import post_form
from console.components.shell import brand
from console.state.login import LoginState


def _bubble(text: str, *, mine: bool, time: str) -> rx.Component:
    """A WhatsApp-like bubble for the illustration beside the form."""
    return rx.box(
        rx.text(text, size="2", color="#111b21", line_height="1.45"),
        rx.text(time, size="1", color="#54656f", align="right", margin_top="2px"),  # 4.2:1 was #667781
        background_color="#d9fdd3" if mine else "white",
        padding="8px 12px 6px",
        border_radius="12px",
        border_top_left_radius="12px" if mine else "4px",
        border_top_right_radius="4px" if mine else "12px",
        max_width="82%",
        align_self="flex-end" if mine else "flex-start",
        box_shadow="0 1px 1px rgba(11, 20, 26, 0.13)",
    )


def _showcase() -> rx.Component:
    """The left half: what Parley does, shown as a conversation rather than told."""
    phone = rx.vstack(
        rx.hstack(
            rx.center(
                rx.icon("store", size=16, color="white"),
                width="32px",
                height="32px",
                border_radius="9999px",
                background_color="#25d366",
            ),
            rx.vstack(
                rx.text("Green Leaf Bakery", size="2", weight="medium", color="white"),
                rx.text("Parley answers · usually in seconds", size="1", color="rgba(255,255,255,0.75)"),
                spacing="0",
            ),
            spacing="3",
            align="center",
            padding="12px 16px",
            background_color="#075e54",
            width="100%",
        ),
        rx.vstack(
            _bubble("Hi! Do you deliver on Sundays?", mine=False, time="09:41"),
            _bubble(
                "Good morning! Yes, we deliver on Sundays from 8:00 to 13:00 in the city centre. "
                "Would you like me to check your address?",
                mine=True,
                time="09:41",
            ),
            _bubble("Yes please, and 2 sourdough loaves", mine=False, time="09:42"),
            _bubble(
                "Added 2 × Sourdough loaf ($6.50 each). Where should we bring them?",
                mine=True,
                time="09:42",
            ),
            spacing="2",
            padding="16px",
            width="100%",
            background_color="#efeae2",
            flex="1",
        ),
        spacing="0",
        width="360px",
        border_radius="20px",
        overflow="hidden",
        box_shadow="0 24px 48px -12px rgba(0, 0, 0, 0.35)",
        border="6px solid rgba(255,255,255,0.9)",
    )
    return rx.center(
        rx.vstack(
            rx.vstack(
                rx.heading(
                    "Your shop, answering on WhatsApp",
                    size="7",
                    weight="bold",
                    color="white",
                    letter_spacing="-0.02em",
                ),
                rx.text(
                    "Parley replies to customers day and night from your knowledge and catalog, "
                    "and hands the chat to your team when a human should take over.",
                    size="3",
                    color="rgba(255,255,255,0.85)",
                    max_width="420px",
                ),
                spacing="3",
            ),
            phone,
            spacing="7",
            align="start",
        ),
        flex="1",
        height="100vh",
        background="linear-gradient(150deg, var(--grass-10) 0%, var(--teal-11) 100%)",
        padding="32px",
        # From a laptop up: at 768 px the two halves squeezed the phone against the edge.
        display=["none", "none", "none", "flex"],
    )


def _field(label: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", size="2", weight="medium"),
        control,
        spacing="2",
        width="100%",
    )


def login_form() -> rx.Component:
    return post_form(
        rx.vstack(
            rx.cond(
                LoginState.error != "",
                rx.callout(
                    LoginState.error,
                    icon="circle_alert",
                    color_scheme="red",
                    variant="soft",
                    size="1",
                    width="100%",
                    data_testid="login-error",
                ),
            ),
            _field(
                "Email",
                rx.input(
                    name="email",
                    type="email",
                    placeholder="you@company.com",
                    default_value=LoginState.email,
                    key=LoginState.email,
                    auto_complete="username",
                    required=True,
                    size="3",
                    width="100%",
                ),
            ),
            _field(
                "Password",
                rx.input(
                    name="password",
                    type="password",
                    placeholder="Your password",
                    auto_complete="current-password",
                    required=True,
                    size="3",
                    width="100%",
                ),
            ),
            rx.el.input(type="hidden", name="next", value=LoginState.next_path),
            rx.button(
                "Sign in",
                rx.icon("arrow_right", size=16),
                type="submit",
                size="3",
                width="100%",
                margin_top="8px",
                data_testid="sign-in",
            ),
            spacing="4",
            width="100%",
        ),
        action="/api/auth/login",
        method="post",
        width="100%",
    )


def login() -> rx.Component:
    """The sign-in page (no shell: nobody is signed in yet)."""
    return rx.flex(
        _showcase(),
        rx.center(
            rx.vstack(
                brand(),
                rx.vstack(
                    rx.heading(
                        "Sign in to your workspace", size="6", weight="medium", letter_spacing="-0.01em"
                    ),
                    rx.text(
                        "Use the email and password your workspace owner gave you.",
                        size="2",
                        color_scheme="gray",
                    ),
                    spacing="2",
                ),
                login_form(),
                rx.hstack(
                    rx.icon("lock", size=14),
                    rx.text(
                        "You stay signed in on this browser only, until you sign out.",
                        size="1",
                    ),
                    spacing="2",
                    align="center",
                    color="var(--gray-11)",
                ),
                spacing="6",
                width="100%",
                max_width="380px",
            ),
            flex="1",
            height="100vh",
            padding="32px",
            background_color="var(--color-background)",
        ),
        width="100%",
        min_height="100vh",
    )
