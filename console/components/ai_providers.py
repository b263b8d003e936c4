"""Settings → AI providers: provider and connection test, keys, the model chain with prices, budget, spend.

Left column: the form (saved together from the bar at its foot) and the keys (each saved on its own). Right
column, sticky: what this month has cost so far against the budget.
"""

from __future__ import annotations

import reflex as rx

from console.components import model_chain, ui
from console.components.dialogs import by_access, confirm_dialog, not_allowed
from console.components.ui import card, error_line, field_hint, icon_tile, section_card
from console.state.settings_ai import KEY_INPUT_ID, AIProvidersState
from console.state.settings_ai_rows import PROVIDER_CHOICES, KeyRow, ModelPick, SpendRow

S = AIProvidersState
REMOTE_SELECTED = (S.provider != "offline") & (S.provider != "")


# -- small pieces ------------------------------------------------------------------------------------------


def field_label(text: str, html_for: str, badge: rx.Component | None = None) -> rx.Component:
    return rx.hstack(
        rx.text(text, as_="label", size="2", weight="medium", html_for=html_for),
        badge if badge is not None else rx.fragment(),
        spacing="2",
        align="center",
    )


def field_error(key: str, testid: str) -> rx.Component:
    """The engine's (or the form's) message for one field, right under it."""
    return error_line(S.errors.get(key, ""), testid)


def error_color(key: str) -> rx.Var:
    return rx.cond(S.errors.get(key, "") != "", "red", "gray")


# -- provider ----------------------------------------------------------------------------------------------


def provider_card(value: str, name: str, hint: str, icon: str) -> rx.Component:
    return rx.radio_cards.item(
        rx.hstack(
            icon_tile(icon, size=18, box="36px", color="gray" if value == "offline" else "grass"),
            rx.vstack(
                rx.text(name, size="2", weight="medium", color="var(--gray-12)"),
                rx.text(hint, size="1", color_scheme="gray"),
                spacing="0",
                align="start",
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        value=value,
        padding="12px 14px",
        justify_content="start",
        data_testid=f"provider-{value}",
    )


def test_button() -> rx.Component:
    return rx.button(
        rx.cond(S.testing, rx.spinner(size="2"), rx.icon("plug_zap", size=16)),
        rx.cond(S.testing, "Testing…", "Test connection"),
        on_click=S.test_connection,
        disabled=S.testing,
        variant="surface",
        data_testid="test-connection",
    )


def test_result() -> rx.Component:
    """Progress while the call runs, then the latency or the provider's own error."""
    running = rx.hstack(
        rx.spinner(size="2"),
        rx.text(
            "Calling the provider with your saved settings. This can take up to 15 seconds.",
            size="2",
            color="var(--gray-11)",
        ),
        spacing="3",
        align="center",
        padding="12px 14px",
        border_radius="var(--radius-3)",
        background_color="var(--gray-a2)",
        width="100%",
        data_testid="test-running",
    )
    ok = S.test_state == "ok"
    done = rx.hstack(
        rx.cond(
            ok,
            rx.icon("circle_check", size=18, color="var(--grass-11)", flex_shrink="0"),
            rx.icon("circle_x", size=18, color="var(--red-11)", flex_shrink="0"),
        ),
        rx.vstack(
            rx.text(S.test_title, size="2", weight="medium", color="var(--gray-12)"),
            rx.text(S.test_detail, size="2", color="var(--gray-11)", word_break="break-word"),
            spacing="1",
            min_width="0",
        ),
        rx.spacer(),
        rx.cond(
            S.dirty,
            rx.badge("Tested the saved settings", variant="soft", color_scheme="amber", flex_shrink="0"),
        ),
        spacing="3",
        align="start",
        padding="12px 14px",
        border_radius="var(--radius-3)",
        border=rx.cond(ok, "1px solid var(--grass-a6)", "1px solid var(--red-a6)"),
        background_color=rx.cond(ok, "var(--grass-a2)", "var(--red-a2)"),
        width="100%",
        data_testid="test-result",
    )
    return rx.cond(S.testing, running, rx.cond(S.test_state != "", done))


def base_url_field() -> rx.Component:
    required = S.provider == "openai_compatible"
    return rx.cond(
        REMOTE_SELECTED,
        rx.vstack(
            field_label(
                "Base URL",
                "ai-base-url",
                rx.cond(
                    required,
                    rx.badge("Required", variant="soft", color_scheme="amber", size="1"),
                    rx.badge("Optional", variant="soft", color_scheme="gray", size="1"),
                ),
            ),
            rx.input(
                id="ai-base-url",
                value=S.base_url,
                on_change=S.set_base_url,
                placeholder=rx.cond(
                    required, "http://localhost:8000/v1", "Leave empty to use the provider's own API"
                ),
                size="3",
                width="100%",
                color_scheme=error_color("base_url"),
                data_testid="base-url",
            ),
            field_error("base_url", "base-url-error"),
            field_hint(
                rx.cond(
                    required,
                    "Where your server answers OpenAI-style requests: vLLM, Ollama (…:11434/v1), llama.cpp.",
                    "Only for a proxy or gateway in front of the provider.",
                )
            ),
            spacing="2",
            width="100%",
        ),
    )


def provider_section() -> rx.Component:
    return section_card(
        "Provider",
        "Which service writes your agent's answers. Test it at any time with the saved settings.",
        rx.radio_cards.root(
            *[provider_card(*choice) for choice in PROVIDER_CHOICES],
            value=S.provider,
            on_value_change=S.set_provider,
            columns=rx.breakpoints(initial="1", xs="2"),  # two side by side left each a word per line
            gap="3",
            size="1",
            width="100%",
        ),
        field_error("provider", "provider-error"),
        base_url_field(),
        test_result(),
        action=test_button(),
        data_testid="provider-section",
    )


# -- keys --------------------------------------------------------------------------------------------------


def key_status(key: KeyRow) -> rx.Component:
    return rx.cond(
        key.masked != "",
        rx.hstack(
            rx.code(key.masked, variant="ghost", size="2", weight="medium", data_testid="masked-key"),
            rx.cond(
                key.unverified,
                rx.tooltip(
                    rx.badge(
                        rx.icon("triangle_alert", size=12),
                        key.status,
                        variant="soft",
                        color_scheme=key.color,
                        size="1",
                        data_testid=f"key-unverified-{key.provider}",
                    ),
                    content="The provider refused this key when it was saved. Calls and search may fail "
                    "until a key that passes the check replaces it.",
                ),
                rx.badge(key.status, variant="soft", color_scheme=key.color, size="1"),
            ),
            spacing="2",
            align="center",
        ),
        rx.badge(
            rx.cond(key.source == "environment", rx.icon("server", size=12), rx.icon("key_round", size=12)),
            key.status,
            variant="soft",
            color_scheme=key.color,
            size="1",
        ),
    )


def key_row(key: KeyRow) -> rx.Component:
    message = S.key_errors.get(key.provider, "")
    form = rx.form(
        rx.hstack(
            rx.el.input(type="hidden", name="provider", value=key.provider),
            rx.input(
                name="api_key",
                type="password",
                placeholder=rx.cond(key.masked != "", "Paste a new key to replace it", key.placeholder),
                auto_complete="new-password",  # never let the browser fill in a saved password
                spellcheck="false",
                size="2",
                flex="1",
                color_scheme=rx.cond(message != "", "red", "gray"),
                id=KEY_INPUT_ID + key.provider,
                data_testid=f"key-input-{key.provider}",
            ),
            rx.button(
                "Save key",
                type="submit",
                variant="soft",
                size="2",
                loading=S.checking_key == key.provider,
                data_testid=f"key-save-{key.provider}",
            ),
            rx.cond(
                key.source == "tenant",
                rx.tooltip(
                    rx.icon_button(
                        rx.icon("trash_2", size=15),
                        type="button",
                        variant="ghost",
                        color_scheme="red",
                        size="2",
                        on_click=S.ask_delete_key(key.provider),
                        aria_label="Remove key",
                        data_testid=f"key-delete-{key.provider}",
                    ),
                    content="Remove this workspace's key",
                ),
            ),
            spacing="2",
            align="center",
            width="100%",
        ),
        rx.cond(
            S.key_offer == key.provider,
            rx.el.label(
                rx.el.input(
                    type="checkbox", name="anyway", value="yes", data_testid=f"key-anyway-{key.provider}"
                ),
                "Save it anyway (marked unverified)",
                display="flex",
                align_items="center",
                gap="6px",
                font_size="13px",
                color="var(--gray-11)",
                margin_top="6px",
            ),
        ),
        on_submit=S.save_key,
        reset_on_submit=False,  # a refused key stays for "save anyway"; the handler clears a saved one
        width="100%",
    )
    return rx.grid(
        rx.vstack(
            rx.hstack(
                rx.text(key.label, size="2", weight="medium"),
                rx.cond(key.in_use, rx.badge("In use", variant="outline", color_scheme="grass", size="1")),
                spacing="2",
                align="center",
            ),
            rx.text(key.hint, size="1", color_scheme="gray"),
            key_status(key),
            spacing="1",
            align="start",
        ),
        rx.vstack(
            form,
            error_line(message, f"key-error-{key.provider}"),
            spacing="1",
            width="100%",
            justify="center",
        ),
        # On a phone the field goes under the provider's name: beside it, it was 55 px wide.
        columns=rx.breakpoints(initial="minmax(0, 1fr)", sm="minmax(0, 5fr) minmax(0, 6fr)"),
        spacing=rx.breakpoints(initial="3", sm="5"),
        align="center",
        width="100%",
        padding_y="14px",
        border_top="1px solid var(--gray-a4)",
        data_testid=f"key-row-{key.provider}",
    )


def keys_section() -> rx.Component:
    return section_card(
        "API keys",
        "Stored encrypted. Once saved, a key is never shown again: only its last four characters.",
        rx.box(rx.foreach(S.keys, key_row), width="100%", margin_bottom="-14px"),
        spacing="3",
        data_testid="keys-section",
    )


def delete_key_dialog() -> rx.Component:
    return confirm_dialog(
        "Remove the ",
        S.delete_key_label,
        " key?",
        description="Calls to this provider stop using this workspace's key right away. If the server has "
        "its own key for it, that one is used instead; otherwise those models fail and the next one answers.",
        confirm_label="Remove key",
        on_confirm=S.confirm_delete_key,
        testid="confirm-delete-key",
        open=S.delete_key_open,
        on_open_change=S.set_delete_key_open,
        max_width="460px",
    )


# -- models ------------------------------------------------------------------------------------------------


def pick_item(pick: ModelPick) -> rx.Component:
    return rx.select.item(
        rx.hstack(
            rx.text(pick.model),
            rx.text(pick.prices, color="var(--gray-11)"),
            spacing="3",
            justify="between",
            width="100%",
        ),
        value=pick.ref,
    )


def add_model_row() -> rx.Component:
    listed = rx.select.root(
        rx.select.trigger(placeholder="Add a listed model…", width="100%"),
        rx.select.content(
            rx.select.group(rx.select.label("OpenAI"), rx.foreach(S.openai_picks, pick_item)),
            rx.select.separator(),
            rx.select.group(rx.select.label("Together AI"), rx.foreach(S.together_picks, pick_item)),
            position="popper",
        ),
        value="",
        on_change=S.add_model,
        size="2",
        data_testid="add-listed-model",
    )
    custom = rx.form(
        rx.hstack(
            rx.input(
                name="model",
                placeholder=rx.cond(
                    S.provider == "openai_compatible", "Model name, e.g. llama3.1:8b", "Another model by name"
                ),
                size="2",
                flex="1",
                data_testid="custom-model",
            ),
            rx.button(rx.icon("plus", size=14), "Add", type="submit", variant="soft", size="2"),
            spacing="2",
            width="100%",
        ),
        on_submit=S.add_custom_model,
        reset_on_submit=True,
        width="100%",
    )
    return rx.grid(
        rx.box(listed, width="100%"),
        custom,
        columns=rx.breakpoints(initial="1", xs="2"),
        spacing="3",
        width="100%",
    )


def chain_table() -> rx.Component:
    return model_chain.chain_table(
        S.chain_rows,
        provider=lambda row: row.provider_label,
        on_move=S.move_model,
        on_remove=S.remove_model,
        testid="chain-table",
        row_testid="chain-row",
        numbered=True,
        tier=True,
    )


def models_section() -> rx.Component:
    offline_note = rx.hstack(
        icon_tile("cloud_off", size=18, box="36px", color="gray"),
        rx.vstack(
            rx.text("The offline provider calls no model", size="2", weight="medium"),
            rx.text(
                "It answers from your knowledge base and catalog with your persona's templates, at no cost. "
                "Choose a provider above to pick models.",
                size="2",
                color_scheme="gray",
            ),
            spacing="1",
        ),
        spacing="3",
        align="center",
        padding="16px",
        border_radius="var(--radius-3)",
        background_color="var(--gray-a2)",
        width="100%",
    )
    empty_chain = rx.vstack(
        rx.text("No model yet", size="2", weight="medium"),
        rx.text("Add the model the agent should start with.", size="1", color_scheme="gray"),
        align="center",
        spacing="1",
        padding="20px",
        border="1px dashed var(--gray-a6)",
        border_radius="var(--radius-3)",
        width="100%",
    )
    return section_card(
        "Models",
        "The agent starts with the default; when a model fails, the next one answers. "
        "Past the budget's soft limit the cheapest ones go first.",
        rx.cond(
            REMOTE_SELECTED,
            rx.vstack(
                rx.cond(S.chain_rows.length() > 0, chain_table(), empty_chain),
                field_error("chain", "chain-error"),
                add_model_row(),
                field_hint(
                    "Prices per million tokens, in and out: the providers' list prices of ",
                    S.pricing_date,
                    ". Fallbacks on another provider use that provider's key.",
                ),
                spacing="3",
                width="100%",
            ),
            offline_note,
        ),
        data_testid="models-section",
    )


# -- budget ------------------------------------------------------------------------------------------------


def budget_section() -> rx.Component:
    budget = rx.vstack(
        field_label("Monthly budget", "ai-budget"),
        rx.input(
            rx.input.slot(rx.text(S.currency, size="1", weight="medium", color="var(--gray-11)")),
            id="ai-budget",
            value=S.budget,
            on_change=S.set_budget,
            input_mode="decimal",
            placeholder="50.00",
            size="3",
            width="100%",
            color_scheme=error_color("budget"),
            data_testid="budget-input",
        ),
        field_error("budget", "budget-error"),
        field_hint(
            "At the budget the offline provider answers until the month ends. 0 allows no paid calls."
        ),
        spacing="2",
        width="100%",
    )
    soft = rx.vstack(
        field_label("Soft limit", "ai-soft-limit"),
        rx.input(
            rx.input.slot(rx.text("%", size="1", weight="medium", color="var(--gray-11)"), side="right"),
            id="ai-soft-limit",
            value=S.soft_limit,
            on_change=S.set_soft_limit,
            input_mode="numeric",
            placeholder="80",
            size="3",
            width="100%",
            color_scheme=error_color("soft_limit"),
            data_testid="soft-limit-input",
        ),
        field_error("soft_limit", "soft-limit-error"),
        field_hint("Share of the budget after which your cheapest models answer. You are alerted there too."),
        spacing="2",
        width="100%",
    )
    return section_card(
        "Monthly budget",
        "What the agent may spend on AI each month, in your workspace's currency.",
        rx.grid(budget, soft, columns="2", spacing="5", width="100%"),
        data_testid="budget-section",
    )


def save_bar() -> rx.Component:
    return ui.save_bar(
        S.dirty,
        "All changes saved",
        field_error("form", "form-error"),
        rx.button("Discard", variant="soft", color_scheme="gray", on_click=S.discard),
        rx.button(
            rx.icon("check", size=16),
            "Save changes",
            on_click=S.save,
            disabled=~S.dirty,
            data_testid="save-ai",
        ),
    )


# -- spend -------------------------------------------------------------------------------------------------


def spend_bar() -> rx.Component:
    """Spent against the budget, with a tick where the soft limit is."""
    return rx.box(
        rx.progress(
            value=S.used_pct,
            max=100,
            size="3",
            color_scheme=S.spend_state_color,
            width="100%",
        ),
        rx.cond(
            (S.soft_pct > 0) & (S.soft_pct < 100),
            rx.tooltip(
                rx.box(
                    position="absolute",
                    top="-3px",
                    left=S.soft_pct.to_string() + "%",
                    width="2px",
                    height="18px",
                    border_radius="1px",
                    background_color="var(--gray-11)",
                ),
                content="Soft limit",
            ),
        ),
        position="relative",
        width="100%",
        data_testid="spend-bar",
    )


def spend_model_row(row: SpendRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.text(row.model, size="1", weight="medium", word_break="break-all"),
                rx.text(row.provider_label, " · ", row.tokens, size="1", color="var(--gray-11)"),
                spacing="0",
            ),
        ),
        rx.table.cell(
            rx.text(row.calls, size="1"),
            rx.cond(row.failed != "", rx.text(row.failed, " failed", size="1", color="var(--red-11)")),
            text_align="right",
            white_space="nowrap",
        ),
        rx.table.cell(rx.text(row.cost, size="1", weight="medium"), text_align="right", white_space="nowrap"),
        data_testid="spend-row",
    )


def spend_chart() -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="cost", fill="var(--grass-9)", radius=[3, 3, 0, 0], name=S.spend_series),
        rx.recharts.x_axis(
            data_key="day",
            tick_line=False,
            axis_line=False,
            tick={"fontSize": 11, "fill": "var(--gray-11)"},
            min_tick_gap=16,
        ),
        rx.recharts.graphing_tooltip(
            cursor={"fill": "var(--gray-a3)"},
            separator=": ",
            content_style={
                "fontSize": "12px",
                "borderRadius": "8px",
                "border": "1px solid var(--gray-a5)",
                "background": "var(--color-panel-solid)",
            },
        ),
        data=S.spend_days,
        height=96,
        width="100%",
        margin={"top": 4, "right": 0, "left": 0, "bottom": 0},
    )


def spend_panel() -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.text("Spend this month", size="2", color_scheme="gray", weight="medium"),
                    rx.text(S.spend_month, size="1", color="var(--gray-11)"),
                    spacing="0",
                ),
                rx.spacer(),
                rx.badge(
                    S.spend_state_label,
                    color_scheme=S.spend_state_color,
                    variant="soft",
                    radius="full",
                    data_testid="spend-state",
                ),
                width="100%",
                align="start",
            ),
            rx.hstack(
                rx.text(S.spent, size="7", weight="bold", line_height="1", data_testid="spend-total"),
                rx.text("of ", S.budget_total, size="2", color="var(--gray-11)"),
                spacing="2",
                align="baseline",
            ),
            spend_bar(),
            rx.hstack(
                rx.text(S.remaining, " left", size="1", color="var(--gray-11)", weight="medium"),
                rx.spacer(),
                rx.text("Soft limit ", S.soft_limit_amount, size="1", color="var(--gray-11)"),
                width="100%",
            ),
            rx.text(S.spend_state_hint, size="1", color="var(--gray-11)"),
            rx.divider(),
            rx.cond(
                S.spend_rows.length() > 0,
                rx.vstack(
                    rx.text("Per day", size="1", weight="medium", color="var(--gray-11)"),
                    spend_chart(),
                    rx.text("By model", size="1", weight="medium", color="var(--gray-11)"),
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell("Model"),
                                rx.table.column_header_cell("Calls", text_align="right"),
                                rx.table.column_header_cell("Cost", text_align="right"),
                            )
                        ),
                        rx.table.body(rx.foreach(S.spend_rows, spend_model_row)),
                        size="1",
                        variant="ghost",
                        width="100%",
                        data_testid="spend-table",
                    ),
                    rx.text(S.spend_calls, size="1", color="var(--gray-11)"),
                    spacing="2",
                    width="100%",
                ),
                rx.vstack(
                    icon_tile("chart_column", size=18, box="36px", color="gray"),
                    rx.text("No AI calls yet this month", size="2", weight="medium"),
                    rx.text(
                        "Each answer's cost shows up here per model and per day.",
                        size="1",
                        color_scheme="gray",
                        align="center",
                    ),
                    spacing="1",
                    align="center",
                    width="100%",
                    padding_y="12px",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        padding="20px",
        data_testid="spend-panel",
    )


# -- the tab -----------------------------------------------------------------------------------------------


def ai_panel() -> rx.Component:
    return ui.main_and_side(
        [
            provider_section(),
            keys_section(),
            models_section(),
            budget_section(),
            save_bar(),
            delete_key_dialog(),
        ],
        ui.sticky_side(spend_panel()),
        "340px",
    )


def ai_tab() -> rx.Component:
    return by_access(
        AIProvidersState.access,
        ai_panel(),
        not_allowed("Only owners and admins manage AI providers", "ai-not-allowed"),
        "480px",
    )
