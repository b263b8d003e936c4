"""Small building blocks every page uses, so spacing, radii and type stay the same everywhere."""

from __future__ import annotations

import reflex as rx

from console.state.session import SessionState

# One spacing scale for the whole console (Radix steps): 2=8px, 3=12px, 4=16px, 5=24px, 6=32px.
CONTENT_MAX_WIDTH = "1200px"
# A card's padding: 24 px, 16 px on a phone (where 24 px each side took an eighth of the screen).
CARD_PADDING = rx.breakpoints(initial="16px", xs="24px")


def icon_tile(icon: str, *, size: int = 20, box: str = "40px", color: str = "grass") -> rx.Component:
    """An icon on a soft tinted square: the console's one decorative motif."""
    return rx.center(
        rx.icon(icon, size=size),
        width=box,
        height=box,
        min_width=box,
        flex_shrink="0",  # below 1024 px every flex child may shrink (assets/console.css): never this one
        border_radius="var(--radius-3)",
        background_color=f"var(--{color}-a3)",
        color=f"var(--{color}-11)",
    )


def card(*children: rx.Component, **props) -> rx.Component:
    """A panel on the page background: white in light mode, one step up in dark mode."""
    style = {
        "padding": CARD_PADDING,
        "border": "1px solid var(--gray-a5)",
        "border_radius": "var(--radius-4)",
        "background_color": "var(--color-panel-solid)",
        "box_shadow": "0 1px 2px var(--black-a2)",
        "width": "100%",
    }
    style.update(props)
    return rx.box(*children, **style)


def beside_or_under(main: rx.Component, action: rx.Component | None, *, room: str = "240px") -> rx.Component:
    """`main` (a title and its explanation) with `action` at its right end; when `main` would get less than
    `room`, the action goes under it instead of squeezing it to a few words per line (a phone)."""
    return rx.flex(
        rx.box(main, flex=f"1 1 {room}", min_width="0"),
        action if action is not None else rx.fragment(),
        align="center",
        width="100%",
        column_gap="16px",
        row_gap="12px",
        wrap="wrap",
    )


def section_header(
    title: str | rx.Var, description: str | rx.Var | None = None, action: rx.Component | None = None
) -> rx.Component:
    """Title and one line of explanation over a block, with its main action on the right (under them on a
    phone)."""
    text = rx.vstack(
        rx.heading(title, size="4", weight="medium"),
        rx.text(description, size="2", color_scheme="gray") if description is not None else rx.fragment(),
        spacing="1",
    )
    return beside_or_under(text, action)


def avatar(initials: str | rx.Var, *, size: str = "2", color: str = "grass") -> rx.Component:
    """Initials in a circle; we never load pictures from third parties."""
    return rx.avatar(fallback=initials, size=size, radius="full", color_scheme=color, variant="soft")


def link_button(
    label: str, href: str, *, icon: str | None = None, variant: str = "solid", size: str = "2"
) -> rx.Component:
    """A button that navigates: the first action of an empty state or a checklist item."""
    children: list[rx.Component | str] = [label]
    if icon:
        children.append(rx.icon(icon, size=16))
    return rx.link(rx.button(*children, variant=variant, size=size), href=href, underline="none")


def when_page_allowed(
    page_key: str, component: rx.Component, otherwise: rx.Component | None = None
) -> rx.Component:
    """Show `component` only if the role may open `page_key`: a link to a page it cannot use helps nobody."""
    if otherwise is None:
        return rx.cond(SessionState.pages.contains(page_key), component)
    return rx.cond(SessionState.pages.contains(page_key), component, otherwise)


def error_line(message: rx.Var, testid: str | rx.Var) -> rx.Component:
    """A field's error, right under it (nothing when the message is empty)."""
    return rx.cond(
        message != "",
        rx.hstack(
            rx.icon("circle_alert", size=14, flex_shrink="0"),
            rx.text(message, size="1"),
            spacing="1",
            align="center",
            color="var(--red-11)",
            data_testid=testid,
        ),
    )


def url_words(parts: rx.Var) -> rx.Component:
    """A web address (its `url_parts`, console.state.formatting) with a line-break opportunity after each
    part: it wraps after a "/", never inside "webhooks". Put it in an element of class `url-text`
    (assets/console.css: a part longer than the line, a token, still breaks rather than push the page
    sideways); copied, it is the address again."""
    return rx.foreach(parts, lambda part: rx.fragment(part, rx.el.wbr()))


def field_hint(*children: rx.Component | str | rx.Var) -> rx.Component:
    """One quiet line of help under a field."""
    return rx.text(*children, size="1", color="var(--gray-11)")


def save_bar(
    dirty: rx.Var,
    saved: rx.Var | str,
    problems: rx.Component,
    discard: rx.Component,
    save: rx.Component,
    **props,
) -> rx.Component:
    """The foot of a form saved as a whole: unsaved or saved, what to fix, Discard and Save.

    It follows the scroll only while there is something to save."""
    return rx.hstack(
        rx.cond(
            dirty,
            rx.hstack(
                rx.box(width="8px", height="8px", border_radius="9999px", background_color="var(--amber-9)"),
                rx.text("Unsaved changes", size="2", weight="medium"),
                spacing="2",
                align="center",
                data_testid="unsaved-changes",
            ),
            rx.hstack(
                rx.icon("circle_check", size=16, color="var(--grass-11)"),
                rx.text(saved, size="2", color="var(--gray-11)"),
                spacing="2",
                align="center",
            ),
        ),
        problems,
        rx.spacer(),
        rx.cond(dirty, discard),
        save,
        spacing="3",
        align="center",
        width="100%",
        padding="12px 16px 12px 20px",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-4)",
        background_color="var(--color-panel-solid)",
        box_shadow=rx.cond(dirty, "0 8px 24px var(--black-a3), 0 1px 2px var(--black-a2)", "none"),
        position=rx.cond(dirty, "sticky", "static"),
        bottom="16px",
        z_index="5",
        **props,
    )


def main_and_side(main: list[rx.Component], side: rx.Component, side_width: str, **props) -> rx.Component:
    """A page's form on the left and, beside it, a column of `side_width` (usually sticky). Below 1280 px (a
    phone, a tablet, a laptop with the sidebar open) there is no room for both: the side column goes under the
    form (make it sticky only at `lg`, as `sticky_side` does)."""
    return rx.grid(
        rx.vstack(*main, spacing="5", width="100%", min_width="0"),
        side,
        columns=rx.breakpoints(initial="minmax(0, 1fr)", lg=f"minmax(0, 1fr) {side_width}"),
        spacing="5",
        width="100%",
        align="start",
        **props,
    )


def sticky_side(*children: rx.Component, top: str = "88px") -> rx.Component:
    """The side column of `main_and_side`: sticky beside the form, in the flow once it is under it."""
    sticky = rx.breakpoints(initial="static", lg="sticky")
    return rx.box(*children, position=sticky, top=top, width="100%", min_width="0")


def section_card(
    title: str | rx.Var,
    description: str | rx.Var | None,
    *children: rx.Component,
    action: rx.Component | None = None,
    spacing: str = "4",
    **props,
) -> rx.Component:
    """A card that opens with a `section_header`, then its content."""
    return card(
        rx.vstack(section_header(title, description, action), *children, spacing=spacing, width="100%"),
        **props,
    )
