"""Settings → Team: the members table, the invite dialog (with the one-time password) and remove confirm."""

from __future__ import annotations

import reflex as rx

from console.components.columns import FROM_SM, phone_line
from console.components.dialogs import (
    by_access,
    confirm_dialog,
    form_buttons,
    form_dialog,
    not_allowed,
    shown_once,
)
from console.components.ui import avatar, error_line, section_card
from console.state.session import SessionState
from console.state.team import ROLE_CHOICES, ROLE_COLORS, MemberRow, TeamState


def role_menu(member: MemberRow) -> rx.Component:
    """Row actions: change role (current one checked) and remove."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(
                rx.icon("ellipsis", size=16),
                variant="ghost",
                color_scheme="gray",
                size="2",
                aria_label="Member actions",
                data_testid="member-actions",
            ),
        ),
        rx.menu.content(
            rx.menu.sub(
                rx.menu.sub_trigger(
                    rx.hstack(rx.icon("user_round_cog", size=14), rx.text("Change role"), spacing="2")
                ),
                rx.menu.sub_content(
                    *[
                        rx.menu.item(
                            rx.hstack(
                                rx.box(
                                    rx.cond(member.role == value, rx.icon("check", size=14)),
                                    width="14px",
                                ),
                                rx.vstack(
                                    rx.text(name, size="2"),
                                    rx.text(hint, size="1", color_scheme="gray"),
                                    spacing="0",
                                ),
                                spacing="2",
                                align="center",
                            ),
                            on_select=TeamState.change_role(member.user_id, value),
                            height="auto",
                            padding_y="6px",
                            data_testid=f"role-{value}",
                        )
                        for value, name, hint in ROLE_CHOICES
                    ],
                    min_width="300px",
                ),
            ),
            rx.menu.separator(),
            rx.menu.item(
                rx.hstack(rx.icon("user_minus", size=14), rx.text("Remove from workspace"), spacing="2"),
                color_scheme="red",
                on_select=TeamState.ask_remove(member.user_id, member.email),
                data_testid="remove-member",
            ),
            align="end",
        ),
    )


def role_badge(member: MemberRow) -> rx.Component:
    return rx.badge(member.role_name, color_scheme=member.color, variant="soft", radius="full", size="2")


def member_row(member: MemberRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                avatar(member.initials, size="2", color=member.color),
                rx.vstack(
                    rx.hstack(
                        rx.text(
                            rx.cond(member.name != "", member.name, member.email),
                            size="2",
                            weight="medium",
                        ),
                        rx.cond(
                            member.is_you, rx.badge("You", variant="outline", color_scheme="gray", size="1")
                        ),
                        rx.cond(
                            member.invited,
                            rx.tooltip(
                                rx.badge(
                                    "Invited",
                                    color_scheme="amber",
                                    variant="soft",
                                    size="1",
                                    data_testid="member-invited",
                                ),
                                content="Has not signed in yet: a member from their first sign-in.",
                            ),
                        ),
                        spacing="2",
                        align="center",
                        wrap="wrap",  # on a phone the badges go under a long name
                        row_gap="2px",
                    ),
                    rx.cond(
                        member.name != "",
                        rx.text(member.email, size="1", color_scheme="gray", overflow_wrap="anywhere"),
                    ),
                    phone_line(role_badge(member)),
                    spacing="0",
                    min_width="0",
                ),
                spacing="3",
                align="center",
            ),
        ),
        rx.table.cell(role_badge(member), vertical_align="middle", display=FROM_SM),
        rx.table.cell(role_menu(member), text_align="right", vertical_align="middle"),
        align="center",
        data_testid="member-row",
    )


def members_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Member"),
                rx.table.column_header_cell("Role", width="200px", display=FROM_SM),
                rx.table.column_header_cell("", width=rx.breakpoints(initial="48px", sm="64px")),
            ),
        ),
        rx.table.body(rx.foreach(TeamState.members, member_row)),
        variant="surface",
        size="2",
        width="100%",
        data_testid="members-table",
    )


def _invite_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.vstack(
                rx.text("Email", as_="label", size="2", weight="medium", html_for="invite-email"),
                rx.input(
                    id="invite-email",
                    name="email",
                    type="email",
                    placeholder="name@company.com",
                    auto_focus=True,
                    size="3",
                    width="100%",
                    color_scheme=rx.cond(TeamState.invite_error != "", "red", "gray"),
                ),
                error_line(TeamState.invite_error, "invite-error"),
                spacing="2",
                width="100%",
            ),
            rx.vstack(
                rx.text("Role", as_="label", size="2", weight="medium"),
                rx.radio_cards.root(
                    *[
                        rx.radio_cards.item(
                            rx.hstack(
                                rx.text(name, size="2", weight="medium", min_width="64px"),
                                rx.text(hint[:1].upper() + hint[1:], size="1", color_scheme="gray"),
                                spacing="3",
                                align="center",
                                width="100%",
                            ),
                            value=value,
                            padding="8px 12px",
                            justify_content="start",
                            data_testid=f"invite-role-{value}",
                        )
                        for value, name, hint in ROLE_CHOICES
                    ],
                    name="role",
                    default_value="agent",
                    columns="1",
                    gap="2",
                    size="1",
                    width="100%",
                ),
                rx.text(
                    "If they have no Parley account yet, one is created with a temporary password.",
                    size="1",
                    color_scheme="gray",
                ),
                spacing="2",
                width="100%",
            ),
            form_buttons("send", "Send invite", "invite-submit"),
            spacing="5",
            width="100%",
        ),
        on_submit=TeamState.invite,
        reset_on_submit=False,
    )


def _created_account() -> rx.Component:
    """After an invite that created an account: the temporary password, shown this once."""
    return shown_once(
        rx.text(
            "An account was created for ",
            rx.text.strong(TeamState.created_email),
            ". Share this temporary password with them privately: it will not be shown again.",
        ),
        "key_round",
        TeamState.created_password,
        "Password copied",
        rx.code(
            TeamState.created_password,
            size="4",
            variant="ghost",
            weight="medium",
            data_testid="temporary-password",
        ),
        rx.hstack(  # whether the invitation went by email (Settings → Email) or must be passed on by hand
            rx.icon("mail", size=16, color="var(--gray-11)", flex_shrink="0"),
            rx.text(TeamState.invite_email_note, size="2", color="var(--gray-11)"),
            spacing="2",
            align="center",
            data_testid="invite-email-note",
        ),
        "invite-done",
    )


def invite_dialog() -> rx.Component:
    return form_dialog(
        "user_plus",
        "Invite a teammate",
        rx.text(
            "They'll be able to sign in to ",
            rx.text.strong(SessionState.tenant_name),
            rx.cond(SessionState.tenant_name.endswith("."), "", "."),  # "Stride & Co." ends its own sentence
        ),
        rx.cond(TeamState.created_password != "", _created_account(), _invite_form()),
        open=TeamState.invite_open,
        on_open_change=TeamState.set_invite_open,
        max_width="520px",
        testid="invite-dialog",
    )


def remove_dialog() -> rx.Component:
    return confirm_dialog(
        "Remove ",
        TeamState.remove_email,
        "?",
        description="They lose access to this workspace right away. Their account stays, and you can "
        "invite them again later.",
        confirm_label="Remove",
        on_confirm=TeamState.confirm_remove,
        testid="confirm-remove",
        open=TeamState.remove_open,
        on_open_change=TeamState.set_remove_open,
    )


def roles_explainer() -> rx.Component:
    return section_card(
        "What each role can do",
        "Every member has exactly one role in this workspace.",
        rx.grid(
            *[
                rx.hstack(
                    rx.badge(
                        name,
                        variant="soft",
                        radius="full",
                        color_scheme=ROLE_COLORS.get(value, "gray"),
                        min_width="72px",
                    ),
                    rx.text(hint[:1].upper() + hint[1:], size="2", color_scheme="gray"),
                    spacing="3",
                    align="center",
                )
                for value, name, hint in ROLE_CHOICES
            ],
            columns="1",
            spacing="3",
        ),
    )


def team_panel() -> rx.Component:
    return rx.vstack(
        section_card(
            "Team members",
            "People who can sign in to this workspace, and what each of them may do.",
            members_table(),
            action=rx.button(
                rx.icon("user_plus", size=16),
                "Invite member",
                on_click=TeamState.open_invite,
                data_testid="invite-open",
            ),
            spacing="5",
        ),
        roles_explainer(),
        invite_dialog(),
        remove_dialog(),
        spacing="5",
        width="100%",
    )


def team_tab() -> rx.Component:
    return by_access(
        TeamState.access,
        team_panel(),
        not_allowed(
            "Only owners can manage the team",
            "team-not-allowed",
            "Ask an owner of ",
            rx.text.strong(SessionState.tenant_name),
            " to invite people, change roles or remove members.",
        ),
        "240px",
    )
