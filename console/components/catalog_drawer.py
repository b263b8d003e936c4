"""The Catalog side drawer: one product or service, edited in a form that slides in from the right.

The whole drawer is one `<form>`: Enter in a text field or the Save button submits it. Chip inputs (aliases,
sizes, colours, related products) belong to their own small forms instead, through the HTML `form` attribute,
so Enter there adds a chip rather than saving: those forms sit outside the drawer's form, empty.
"""

from __future__ import annotations

import reflex as rx

from console.components.catalog import thumbnail
from console.components.catalog_variants import variant_grid
from console.components.chips import chip, chip_adder, chip_list
from console.components.ui import error_line, field_hint
from console.state.catalog import CatalogState
from console.state.catalog_editor import CatalogEditorState

E = CatalogEditorState
S = CatalogState

FORM_ID = "catalog-item-form"
DRAWER_WIDTH = "600px"
MUTED = "var(--gray-11)"

SHEET_KEYFRAMES = (
    "@keyframes parley-sheet-in { from { transform: translateX(40px); opacity: 0; } }\n"
    "@keyframes parley-sheet-out { to { transform: translateX(40px); opacity: 0; } }\n"
)


def chip_form_id(name: str) -> str:
    return f"catalog-chip-{name}"


# -- fields ------------------------------------------------------------------------------------------------


def label(text: str, html_for: str, optional: bool = False) -> rx.Component:
    return rx.hstack(
        rx.text(text, as_="label", size="2", weight="medium", html_for=html_for),
        rx.text("optional", size="1", color="var(--gray-11)") if optional else rx.fragment(),
        spacing="2",
        align="baseline",
    )


def field_error(key: str) -> rx.Component:
    """The engine's message for one field, right under it."""
    return error_line(E.errors.get(key, ""), f"error-{key}")


def error_color(key: str) -> rx.Var:
    return rx.cond(E.errors.get(key, "") != "", "red", "gray")


def text_field(
    key: str,
    title: str,
    *,
    placeholder: str = "",
    optional: bool = False,
    help_text: str | None = None,
    slot: rx.Component | None = None,
    input_type: str = "text",
    mono: bool = False,
    attrs: dict[str, str] | None = None,
    **props,
) -> rx.Component:
    children = [slot] if slot is not None else []
    if mono:
        props["font_family"] = "var(--code-font-family)"
    return rx.vstack(
        label(title, f"catalog-{key}", optional),
        rx.input(
            *children,
            id=f"catalog-{key}",
            name=key,
            type=input_type,
            default_value=E.values.get(key, ""),
            placeholder=placeholder,
            size="2",
            width="100%",
            color_scheme=error_color(key),
            variant=rx.cond(E.errors.get(key, "") != "", "soft", "surface"),
            data_testid=f"field-{key}",
            custom_attrs=attrs or {},
            **props,
        ),
        field_error(key),
        field_hint(help_text) if help_text else rx.fragment(),
        spacing="1",
        width="100%",
    )


def section(title: str, description: str, *children: rx.Component, icon: str) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon(icon, size=16, color="var(--accent-11)"),
            rx.text(title, size="3", weight="medium", color="var(--gray-12)"),
            spacing="2",
            align="center",
        ),
        rx.text(description, size="2", color=MUTED, margin_top="-4px"),
        rx.vstack(*children, spacing="4", width="100%", padding_top="6px"),
        spacing="2",
        width="100%",
    )


def chip_editor(
    name: str, items: rx.Var, placeholder: str, error_key: str, color: str = "gray"
) -> rx.Component:
    """The chips of one list, and an input that adds more (Enter or the Add button)."""
    return rx.vstack(
        chip_list(items, lambda value: chip(value, E.remove_chip(name, value), color)),
        chip_adder(
            name,
            placeholder,
            color_scheme=error_color(error_key),
            custom_attrs={"form": chip_form_id(name)},
        ),
        field_error(error_key),
        spacing="2",
        width="100%",
    )


def related_editor() -> rx.Component:
    form_id = chip_form_id("related")
    suggestion = lambda option: rx.button(  # noqa: E731 - one line per suggestion
        rx.hstack(
            rx.icon("plus", size=13, color="var(--accent-11)"),
            rx.text(option["name"], size="2", color="var(--gray-12)", truncate=True),
            rx.spacer(),
            rx.code(option["sku"], size="1", variant="ghost", color_scheme="gray"),
            align="center",
            width="100%",
            spacing="2",
        ),
        type="button",
        variant="ghost",
        color_scheme="gray",
        width="100%",
        justify="start",
        on_click=E.add_related(option["sku"], option["name"]),
        data_testid="related-suggestion",
    )
    related_chip = lambda item: chip(  # noqa: E731
        rx.cond(item["name"] != "", item["name"], item["sku"]),
        E.remove_related(item["sku"]),
        "blue",
        rx.icon("link", size=11),
        custom_attrs={"title": item["sku"]},
        data_testid=None,
    )
    return rx.vstack(
        chip_list(E.related, related_chip),
        rx.input(
            rx.input.slot(rx.icon("search", size=14)),
            name="related",
            placeholder="Find a product by name or SKU",
            size="2",
            width="100%",
            auto_complete="off",
            on_change=E.search_related.debounce(250),
            color_scheme=error_color("related_skus"),
            custom_attrs={"form": form_id},
            data_testid="related-input",
        ),
        rx.cond(
            E.related_options.length() > 0,
            rx.vstack(
                rx.foreach(E.related_options, suggestion),
                spacing="1",
                width="100%",
                padding="4px",
                border="1px solid var(--gray-a5)",
                border_radius="var(--radius-3)",
                background_color="var(--color-panel-solid)",
                box_shadow="0 4px 12px var(--black-a3)",
            ),
        ),
        field_error("related_skus"),
        spacing="2",
        width="100%",
    )


def switch_row(title: str, description: str, checked: rx.Var, on_change, testid: str) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(title, size="2", weight="medium"),
            rx.text(description, size="1", color=MUTED),
            spacing="0",
        ),
        rx.spacer(),
        rx.switch(checked=checked, on_change=on_change, size="2", data_testid=testid),
        align="center",
        width="100%",
        padding="12px 14px",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-3)",
        background_color="var(--gray-a2)",
    )


# -- the two forms -----------------------------------------------------------------------------------------


def _currency_slot() -> rx.Component:
    return rx.input.slot(rx.text(S.currency_symbol, size="2", color="var(--gray-11)", weight="medium"))


def _pair(left: rx.Component, right: rx.Component) -> rx.Component:
    return rx.grid(left, right, columns="2", spacing="4", width="100%")


def details_section(
    kind: str, description: str, names: tuple[str, str, str], code: rx.Component, measure: rx.Component
) -> rx.Component:
    """Name, code and category, price and `measure` (stock or duration), description, image.

    `names`: example name, category, price, description and image file."""
    name, category, price, about, image = names
    return section(
        "Details",
        description,
        text_field("name", "Name", placeholder=name, auto_focus=True),
        _pair(
            code,
            text_field(
                "category",
                "Category",
                placeholder=category,
                optional=True,
                attrs={"list": "catalog-categories"},
            ),
        ),
        _pair(
            text_field(
                "price", "Price", placeholder=price, slot=_currency_slot(), attrs={"inputmode": "decimal"}
            ),
            measure,
        ),
        description_field(about),
        text_field(
            "image_url", "Image URL", placeholder=f"https://shop.example/images/{image}", optional=True
        ),
        icon="package" if kind == "product" else "calendar_check",
    )


def aliases_section(kind: str, placeholder: str) -> rx.Component:
    return section(
        "Names customers use",
        f"Nicknames, abbreviations and common misspellings. The agent matches them to this {kind}.",
        chip_editor("aliases", E.aliases, placeholder, "aliases", "grass"),
        icon="tags",
    )


def shown_switch(kind: str) -> rx.Component:
    return switch_row(
        "Shown to customers",
        f"The agent may recommend and quote this {kind}.",
        E.is_active,
        E.set_is_active,
        "field-is_active",
    )


def chip_field(title: str, name: str, items: rx.Var, placeholder: str) -> rx.Component:
    return rx.vstack(
        label(title, f"chip-{name}", True),
        chip_editor(name, items, placeholder, name),
        spacing="1",
        width="100%",
    )


def product_fields() -> rx.Component:
    return rx.vstack(
        details_section(
            "product",
            "What the product is, and what it costs.",
            (
                "Cloudstep 90 Running Shoe",
                "running",
                "95.00",
                "What customers ask about: materials, fit, care, what's in the box.",
                "cs90.jpg",
            ),
            text_field("sku", "SKU", placeholder="STR-RUN-CS90", mono=True),
            text_field(
                "stock",
                "Stock",
                placeholder="0",
                input_type="number",
                attrs={"min": "0", "step": "1"},
                help_text="0 means out of stock: the agent offers alternatives.",
            ),
        ),
        rx.divider(),
        aliases_section("product", "e.g. CS90, cloud step, cloudstpe"),
        rx.divider(),
        section(
            "Sizes and colours",
            "The options a customer can ask for.",
            chip_field("Sizes", "sizes", E.sizes, "e.g. UK 7, UK 7.5, UK 8"),
            chip_field("Colours", "colors", E.colors, "e.g. Black/White, Ocean Blue"),
            variant_grid(),
            icon="palette",
        ),
        rx.divider(),
        section(
            "Related products",
            "Suggested alongside this one: socks with shoes, a case with a phone.",
            related_editor(),
            icon="link",
        ),
        rx.divider(),
        section(
            "Availability",
            "Hidden products stay in the catalog, but the agent never offers them.",
            shown_switch("product"),
            icon="eye",
        ),
        spacing="5",
        width="100%",
    )


def description_field(placeholder: str) -> rx.Component:
    return rx.vstack(
        label("Description", "catalog-description", True),
        rx.text_area(
            id="catalog-description",
            name="description",
            default_value=E.values.get("description", ""),
            placeholder=placeholder,
            rows="4",
            resize="vertical",
            width="100%",
            color_scheme=error_color("description"),
            data_testid="field-description",
        ),
        field_error("description"),
        spacing="1",
        width="100%",
    )


def service_fields() -> rx.Component:
    return rx.vstack(
        details_section(
            "service",
            "What the service is, how long it takes and what it costs.",
            ("Gait analysis", "fitting", "25.00", "What happens, who it is for, what to bring.", "gait.jpg"),
            text_field("code", "Code", placeholder="SVC-GAIT", mono=True),
            text_field(
                "duration_minutes",
                "Duration",
                placeholder="30",
                input_type="number",
                attrs={"min": "1", "max": "1440", "step": "5"},
                help_text="In minutes.",
            ),
        ),
        rx.divider(),
        aliases_section("service", "e.g. gait test, running assessment"),
        rx.divider(),
        section(
            "Availability",
            "Hidden services stay in the catalog, but the agent never offers them.",
            switch_row(
                "Bookable",
                "Customers can book it; when off, the agent says it is walk-in only.",
                E.is_bookable,
                E.set_is_bookable,
                "field-is_bookable",
            ),
            shown_switch("service"),
            icon="eye",
        ),
        spacing="5",
        width="100%",
    )


# -- the drawer --------------------------------------------------------------------------------------------


def drawer_header() -> rx.Component:
    return rx.hstack(
        thumbnail(
            E.values.get("image_url", ""),
            rx.cond(E.kind == "product", "grass", "blue"),
            "package",
            size="44px",
        ),
        rx.vstack(
            rx.dialog.title(
                rx.cond(E.title != "", E.title, "Untitled"),
                size="4",
                margin="0",
                trim="both",
                data_testid="drawer-title",
            ),
            rx.dialog.description(
                rx.cond(
                    E.is_new,
                    rx.cond(
                        E.kind == "product",
                        "Add a product the agent can recommend and quote.",
                        "Add a service customers can ask about and book.",
                    ),
                    rx.text(
                        rx.cond(E.kind == "product", "Product", "Service"),
                        " · ",
                        E.updated,
                    ),
                ),
                size="2",
                color_scheme="gray",
            ),
            spacing="1",
            min_width="0",
            flex="1",
        ),
        rx.dialog.close(
            rx.icon_button(
                rx.icon("x", size=18),
                variant="ghost",
                color_scheme="gray",
                size="2",
                type="button",
                aria_label="Close",
            )
        ),
        spacing="3",
        align="center",
        width="100%",
        padding="20px 24px",
        border_bottom="1px solid var(--gray-a5)",
    )


def drawer_footer() -> rx.Component:
    return rx.hstack(
        rx.cond(
            ~E.is_new,
            rx.button(
                rx.icon("trash_2", size=14),
                "Delete",
                type="button",
                variant="ghost",
                color_scheme="red",
                on_click=S.ask_delete(E.kind, E.item_id, E.title),
                data_testid="drawer-delete",
            ),
        ),
        rx.spacer(),
        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray")),
        rx.button(
            rx.icon("check", size=15),
            rx.cond(E.is_new, rx.cond(E.kind == "product", "Add product", "Add service"), "Save changes"),
            type="submit",
            data_testid="drawer-save",
        ),
        spacing="3",
        align="center",
        width="100%",
        padding="16px 24px",
        border_top="1px solid var(--gray-a5)",
        background_color="var(--color-panel-solid)",
    )


def problems_callout() -> rx.Component:
    return rx.cond(
        E.error_count > 0,
        rx.callout(
            rx.cond(
                E.form_error != "",
                E.form_error,
                rx.text("Some fields need a look: the problems are marked below."),
            ),
            icon="circle_alert",
            color_scheme="red",
            variant="surface",
            size="1",
            width="100%",
            data_testid="drawer-problems",
        ),
    )


def catalog_drawer() -> rx.Component:
    body = rx.box(
        rx.vstack(
            problems_callout(),
            rx.cond(E.kind == "product", product_fields(), service_fields()),
            spacing="5",
            width="100%",
            key=E.form_key.to_string(),
        ),
        flex="1",
        overflow_y="auto",
        padding="24px",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.el.style(SHEET_KEYFRAMES),
            rx.form(
                drawer_header(),
                body,
                drawer_footer(),
                id=FORM_ID,
                on_submit=E.save,
                reset_on_submit=False,
                display="flex",
                flex_direction="column",
                height="100%",
            ),
            # Empty forms the chip inputs belong to (outside the drawer's form: forms cannot nest).
            *[
                rx.form(
                    id=chip_form_id(name),
                    on_submit=lambda data, n=name: E.add_chips(n, data),
                    reset_on_submit=True,
                )
                for name in ("aliases", "sizes", "colors")
            ],
            rx.form(id=chip_form_id("related"), on_submit=E.add_related_typed, reset_on_submit=True),
            rx.el.datalist(
                rx.foreach(
                    rx.cond(E.kind == "product", S.product_categories, S.service_categories),
                    lambda c: rx.el.option(value=c),
                ),
                id="catalog-categories",
            ),
            position="fixed",
            top="0",
            right="0",
            bottom="0",
            height="100vh",
            max_height="100vh",
            width=DRAWER_WIDTH,
            max_width="100vw",
            margin="0",
            padding="0",
            border_radius="var(--radius-5) 0 0 var(--radius-5)",
            overflow="hidden",
            style={
                "animation": "parley-sheet-in 220ms cubic-bezier(0.16, 1, 0.3, 1)",
                "&[data-state='closed']": {"animation": "parley-sheet-out 160ms ease-in"},
            },
            data_testid="catalog-drawer",
        ),
        open=E.open,
        on_open_change=E.set_open,
    )
