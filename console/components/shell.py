"""The frame around every signed-in page: sidebar (brand, workspace switcher, navigation), top bar, content.

Below 1024 px (a phone, a tablet held upright) the sidebar leaves the flow and becomes a drawer that slides in
from the left behind the top bar's menu button, over a scrim; content then takes the whole width. The switch
is plain CSS (`assets/console.css`, classes `shell-*`), so the page never draws twice or jumps on load.

Navigation entries are drawn only for pages the role may use (`SessionState.pages`, from the engine's
`pages_for`); the page states refuse the others server-side, this only keeps the menu honest.
"""

from __future__ import annotations

import reflex as rx

from console.components.banner import offline_banner
from console.components.inbox_badge import needs_human_badge
from console.components.native_form import post_form
from console.components.states import no_access, page_skeleton
from console.components.ui import CONTENT_MAX_WIDTH, avatar
from console.navigation import NAV_GROUPS, NAV_ITEMS
from console.state.guard import ALLOWED, FORBIDDEN, PageState
from console.state.session import SessionState
from console.state.shell import SIGN_OUT_FORM_ID, ShellState

SIDEBAR_WIDTH = "256px"
TOPBAR_HEIGHT = "64px"


def brand() -> rx.Component:
    """The Parley mark: a speech bubble on the accent colour, and the name."""
    return rx.hstack(
        rx.center(
            rx.icon("message_circle_more", size=18, color="white"),
            width="32px",
            height="32px",
            border_radius="var(--radius-3)",
            background="linear-gradient(135deg, var(--grass-9), var(--teal-10))",
            box_shadow="0 1px 2px var(--black-a4)",
        ),
        rx.text("Parley", size="5", weight="bold", letter_spacing="-0.02em", color="var(--gray-12)"),
        spacing="3",
        align="center",
        padding_x="8px",
    )


def _workspace_face(name: rx.Var | str, initials: rx.Var | str, caption: rx.Var | str) -> rx.Component:
    return rx.hstack(
        rx.avatar(
            fallback=initials,
            size="2",
            radius="medium",
            color_scheme="gray",
            variant="solid",
            high_contrast=True,  # white on gray-9 read at 3.3:1
        ),
        rx.vstack(
            rx.text(name, size="2", weight="medium", trim="both", truncate=True, color="var(--gray-12)"),
            rx.text(caption, size="1", color_scheme="gray", trim="both", truncate=True),
            spacing="1",
            align="start",
            min_width="0",
        ),
        spacing="3",
        align="center",
        min_width="0",
        flex="1",
    )


def workspace_switcher() -> rx.Component:
    """The active workspace; a menu of the others when the person belongs to several."""
    face_box = {
        "width": "100%",
        "padding": "8px",
        "border_radius": "var(--radius-3)",
        "border": "1px solid var(--gray-a5)",
        "background_color": "var(--color-panel-solid)",
    }
    face = _workspace_face(SessionState.tenant_name, SessionState.tenant_initials, SessionState.role_label)
    menu = rx.menu.root(
        rx.menu.trigger(
            rx.hstack(
                face,
                rx.icon("chevrons_up_down", size=16, color="var(--gray-11)", flex_shrink="0"),
                align="center",
                cursor="pointer",
                _hover={"background_color": "var(--gray-a3)"},
                data_testid="workspace-switcher",
                **face_box,
            ),
        ),
        rx.menu.content(
            rx.text("Switch workspace", size="1", color="var(--gray-11)", weight="medium", padding="4px 8px"),
            rx.foreach(
                SessionState.tenants,
                lambda t: rx.menu.item(
                    rx.hstack(
                        rx.avatar(fallback=t["initials"], size="1", radius="medium", variant="soft"),
                        rx.text(t["name"], size="2"),
                        rx.spacer(),
                        rx.cond(
                            t["id"] == SessionState.tenant_key,
                            rx.icon("check", size=14),
                            rx.text(t["role"], size="1", color_scheme="gray"),
                        ),
                        align="center",
                        width="100%",
                        spacing="2",
                    ),
                    on_select=ShellState.switch_tenant(t["id"]),
                ),
            ),
            width="232px",
        ),
    )
    single = rx.hstack(face, align="center", **face_box)
    return rx.cond(SessionState.tenants.length() > 1, menu, single)


def nav_link(key: str, label: str, route: str, icon: str, active: bool) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18, stroke_width=1.75),
            rx.text(label, size="2"),
            needs_human_badge() if key == "conversations" else rx.fragment(),
            spacing="3",
            align="center",
            width="100%",
        ),
        href=route,
        on_click=ShellState.close_nav,
        class_name="nav-link",
        data_active="true" if active else "false",
        display="block",
        width="100%",
        padding="8px 10px",
        border_radius="var(--radius-3)",
        underline="none",
        data_testid=f"nav-{key}",
    )


def navigation(active_key: str) -> rx.Component:
    """Grouped links; a group disappears when the role can use none of its pages."""
    blocks: list[rx.Component] = []
    for group in NAV_GROUPS:
        items = [item for item in NAV_ITEMS if item.group == group]
        visible = SessionState.pages.contains(items[0].key)
        for item in items[1:]:
            visible = visible | SessionState.pages.contains(item.key)
        links = [
            rx.cond(
                SessionState.pages.contains(item.key),
                nav_link(item.key, item.label, item.route, item.icon, item.key == active_key),
            )
            for item in items
        ]
        blocks.append(
            rx.cond(
                visible,
                rx.vstack(
                    rx.text(
                        group,
                        size="1",
                        weight="medium",
                        color="var(--gray-11)",
                        padding_x="10px",
                        text_transform="uppercase",
                        letter_spacing="0.06em",
                    ),
                    *links,
                    spacing="1",
                    width="100%",
                ),
            )
        )
    return rx.vstack(*blocks, spacing="5", width="100%")


def nav_skeleton() -> rx.Component:
    return rx.vstack(
        *[rx.skeleton(height="32px", width="100%", border_radius="var(--radius-3)") for _ in range(6)],
        spacing="2",
        width="100%",
    )


def sidebar(active_key: str) -> rx.Component:
    return rx.vstack(
        brand(),
        rx.cond(
            SessionState.signed_in,
            workspace_switcher(),
            rx.skeleton(height="52px", width="100%", border_radius="var(--radius-3)"),
        ),
        rx.box(
            rx.cond(SessionState.signed_in, navigation(active_key), nav_skeleton()),
            width="100%",
            flex="1",
            overflow_y="auto",
            padding_top="8px",
        ),
        rx.text("Parley console · v0.1", size="1", color="var(--gray-11)", padding_x="10px"),
        spacing="4",
        class_name="shell-sidebar",
        data_open=rx.cond(ShellState.nav_open, "true", "false"),
        width=SIDEBAR_WIDTH,
        min_width=SIDEBAR_WIDTH,
        height="100vh",
        position="sticky",
        top="0",
        padding="20px 16px 16px",
        border_right="1px solid var(--gray-a5)",
        background_color="var(--gray-2)",
        data_testid="sidebar",
    )


def scrim() -> rx.Component:
    """The dimmed page behind the open drawer (phone sizes only); a tap closes the drawer."""
    return rx.box(
        class_name="shell-scrim",
        data_open=rx.cond(ShellState.nav_open, "true", "false"),
        on_click=ShellState.close_nav,
        aria_hidden="true",
    )


def menu_button() -> rx.Component:
    """Opens the navigation drawer; shown only below 1024 px, where the sidebar is hidden."""
    return rx.icon_button(
        rx.icon("menu", size=20),
        on_click=ShellState.toggle_nav,
        variant="ghost",
        color_scheme="gray",
        size="2",
        class_name="shell-menu-button",
        aria_label="Open the menu",
        data_testid="menu-button",
    )


def color_mode_toggle() -> rx.Component:
    return rx.tooltip(
        rx.icon_button(
            rx.color_mode_cond(light=rx.icon("moon", size=18), dark=rx.icon("sun", size=18)),
            on_click=rx.toggle_color_mode,
            variant="ghost",
            color_scheme="gray",
            size="2",
            aria_label="Toggle dark mode",
            data_testid="color-mode-toggle",
        ),
        content="Light / dark",
    )


def user_menu() -> rx.Component:
    """Who is signed in, their role here, their own account (every role: the Settings link in the sidebar is
    for owners and admins), and sign out (a real POST, so the server clears the cookie)."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                avatar(SessionState.user_initials, size="1"),
                rx.text(
                    SessionState.user_name,
                    size="2",
                    weight="medium",
                    color="var(--gray-12)",
                    class_name="shell-user-name",
                ),
                rx.icon("chevron_down", size=14, color="var(--gray-11)"),
                variant="ghost",
                color_scheme="gray",
                size="2",
                data_testid="user-menu",
            ),
        ),
        rx.menu.content(
            rx.box(
                rx.text(SessionState.user_name, size="2", weight="medium", as_="div"),
                rx.text(SessionState.user_email, size="1", color_scheme="gray", as_="div"),
                rx.badge(
                    SessionState.role_label,
                    " · ",
                    SessionState.tenant_name,
                    variant="soft",
                    color_scheme="gray",
                    margin_top="8px",
                ),
                padding="8px 12px 10px",
            ),
            rx.menu.separator(),
            rx.menu.item(
                rx.hstack(
                    rx.icon("circle_user_round", size=14),
                    rx.text("Your account"),
                    spacing="2",
                    align="center",
                ),
                on_select=rx.redirect("/settings?tab=account"),
                data_testid="your-account",
            ),
            rx.menu.item(
                rx.hstack(rx.icon("log_out", size=14), rx.text("Sign out"), spacing="2", align="center"),
                color_scheme="red",
                on_select=ShellState.sign_out,
                data_testid="sign-out",
            ),
            align="end",
            min_width="220px",
        ),
    )


def topbar(title: str, subtitle: str) -> rx.Component:
    return rx.hstack(
        menu_button(),
        rx.vstack(
            rx.heading(title, size="5", weight="medium", letter_spacing="-0.01em", truncate=True),
            rx.text(subtitle, size="2", color_scheme="gray", class_name="shell-subtitle", truncate=True),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        rx.hstack(
            color_mode_toggle(),
            rx.divider(orientation="vertical", size="2", class_name="shell-topbar-divider"),
            rx.cond(SessionState.signed_in, user_menu(), rx.skeleton(height="28px", width="120px")),
            spacing="4",
            align="center",
            flex_shrink="0",
        ),
        post_form(id=SIGN_OUT_FORM_ID, action="/api/auth/logout", method="post", display="none"),
        align="center",
        width="100%",
        height=TOPBAR_HEIGHT,
        min_height=TOPBAR_HEIGHT,
        padding_x="32px",
        spacing="3",
        class_name="shell-topbar",
        border_bottom="1px solid var(--gray-a5)",
        background_color="var(--color-background)",
        position="sticky",
        top="0",
        z_index="10",
    )


def shell(
    *,
    page_key: str,
    title: str,
    subtitle: str,
    state: type[PageState],
    content: rx.Component,
    full_width: bool = False,
) -> rx.Component:
    """Wrap a page's content: shown only once its state said "ok"; "forbidden" shows why not."""
    body = rx.match(
        state.access,
        (ALLOWED, content),
        (FORBIDDEN, no_access(title)),
        page_skeleton(),
    )
    return rx.flex(
        sidebar(page_key),
        scrim(),
        rx.flex(
            topbar(title, subtitle),
            offline_banner(),
            rx.box(
                body,
                width="100%",
                max_width="100%" if full_width else CONTENT_MAX_WIDTH,
                margin_x="auto",
                padding="32px",
                class_name="shell-content",
            ),
            direction="column",
            flex="1",
            min_width="0",
        ),
        width="100%",
        min_height="100vh",
        background_color="var(--color-background)",
    )
