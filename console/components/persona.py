"""The Persona page's pieces: the form's sections on the left, the prompt and "Try a message" on the right.

Every field shows the engine's message for it right underneath (the draft is checked as it changes); the save
bar at the foot of the form marks unsaved changes and follows the scroll while there is something to save.
"""

from __future__ import annotations

import reflex as rx

from console.components import model_chain, ui
from console.components.chips import chip, chip_adder, chip_list
from console.components.ui import card, error_line, field_hint, icon_tile
from console.components.whatsapp import bubble
from console.state.persona import PersonaState
from console.state.persona_rows import HoursRow, ModelChoice

S = PersonaState

# Leaving with unsaved changes asks first: for reloads and closing the tab (beforeunload) and for the
# console's own links (client-side navigation never fires beforeunload).
LEAVE_GUARD_SCRIPT = """(() => {
  if (window.__parleyPersonaGuard) return;
  window.__parleyPersonaGuard = true;
  const dirty = () => !!document.querySelector('[data-persona-dirty="true"]');
  window.addEventListener('beforeunload', (e) => {
    if (dirty()) { e.preventDefault(); e.returnValue = ''; }
  });
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[href]');
    if (!a || !dirty()) return;
    const url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname === window.location.pathname) return;
    if (!window.confirm('You have unsaved changes to the persona. Leave without saving?')) {
      e.preventDefault(); e.stopPropagation();
    }
  }, true);
})()"""


# -- small pieces ------------------------------------------------------------------------------------------


def label(text: str, html_for: str = "", hint: str = "") -> rx.Component:
    return rx.hstack(
        rx.text(text, as_="label", size="2", weight="medium", html_for=html_for),
        rx.cond(hint != "", rx.text(hint, size="1", color="var(--gray-11)")) if hint else rx.fragment(),
        spacing="2",
        align="baseline",
    )


def field_error(key: str) -> rx.Component:
    return error_line(S.errors.get(key, ""), f"error-{key}")


def labelled(key: str, title: rx.Component, *controls: rx.Component) -> rx.Component:
    """A field: its label, the control (and any hint), then the error for `key` under them."""
    return rx.vstack(title, *controls, field_error(key), spacing="2", width="100%")


def error_color(key: str) -> rx.Var:
    return rx.cond(S.errors.get(key, "") != "", "red", "gray")


def section(icon: str, title: str, description: str, *children: rx.Component, testid: str) -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                icon_tile(icon, size=18, box="36px"),
                rx.vstack(
                    rx.heading(title, size="4", weight="medium"),
                    rx.text(description, size="2", color_scheme="gray"),
                    spacing="0",
                ),
                spacing="3",
                align="center",
            ),
            *children,
            spacing="4",
            width="100%",
        ),
        data_testid=testid,
    )


def chips(name: str, items: rx.Var, on_remove, on_add, placeholder: str, color: str) -> rx.Component:
    """Chips and the input that adds one (Enter or Add)."""
    return rx.vstack(
        chip_list(  # a long trait wraps inside its chip on a phone instead of running off the screen
            items,
            lambda v: chip(v, on_remove(v), color, max_width="100%", white_space="normal", height="auto"),
        ),
        rx.form(chip_adder(name, placeholder), on_submit=on_add, reset_on_submit=True, width="100%"),
        spacing="2",
        width="100%",
    )


def toggle(name: str, title: str, description: str, value: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(title, size="2", weight="medium"),
            rx.text(description, size="1", color_scheme="gray"),
            spacing="0",
            flex="1",
        ),
        rx.switch(
            checked=value,
            on_change=lambda v: S.set_toggle(name, v),
            data_testid=f"toggle-{name}",
        ),
        align="center",
        spacing="4",
        width="100%",
        padding="12px 14px",
        border="1px solid var(--gray-a4)",
        border_radius="var(--radius-3)",
    )


# -- the sections ------------------------------------------------------------------------------------------


def tone_item(choice: rx.Var) -> rx.Component:
    return rx.radio_cards.item(
        rx.vstack(
            rx.text(choice[0], size="2", weight="medium", text_transform="capitalize"),
            rx.text(choice[1], size="1", color_scheme="gray"),
            spacing="1",
            align="start",
            width="100%",
        ),
        value=choice[0],
        padding="10px 12px",
        justify_content="start",
        data_testid="tone-" + choice[0].to(str),
    )


def identity_section() -> rx.Component:
    return section(
        "id_card",
        "Identity",
        "How the agent introduces itself and sounds to your customers.",
        labelled(
            "agent_name",
            label("Name", "persona-name"),
            rx.input(
                id="persona-name",
                value=S.agent_name,
                on_change=S.set_agent_name,
                debounce_timeout=250,
                size="3",
                width=rx.breakpoints(initial="100%", sm="50%"),
                color_scheme=error_color("agent_name"),
                data_testid="persona-name",
            ),
        ),
        labelled(
            "greeting",
            label("Greeting", "persona-greeting", "optional: the first words of a conversation"),
            rx.text_area(
                id="persona-greeting",
                value=S.greeting,
                on_change=S.set_greeting,
                debounce_timeout=300,
                placeholder="e.g. Hi! I'm Maya, how can I help you today?",
                rows="2",
                resize="vertical",
                width="100%",
                color_scheme=error_color("greeting"),
            ),
        ),
        labelled(
            "traits",
            label("Personality traits"),
            chips(
                "trait", S.traits, S.remove_trait, S.add_trait, "e.g. patient, knows running shoes", "grass"
            ),
        ),
        labelled(
            "tone",
            label("Tone of voice"),
            rx.radio_cards.root(
                rx.foreach(S.tone_choices, tone_item),
                value=S.tone,
                on_value_change=S.set_tone,
                columns=rx.breakpoints(initial="1", xs="2"),
                gap="2",
                size="1",
                width="100%",
            ),
        ),
        testid="section-identity",
    )


def behaviour_section() -> rx.Component:
    return section(
        "list_checks",
        "Behaviour",
        "Rules the agent never breaks, and what it adds to its replies.",
        rx.grid(
            labelled(
                "restrictions",
                label("Restrictions", "persona-restrictions", "one per line"),
                rx.text_area(
                    id="persona-restrictions",
                    value=S.restrictions,
                    on_change=S.set_restrictions,
                    debounce_timeout=400,
                    placeholder="Never promise delivery dates.\nNever discuss competitors' prices.",
                    rows="5",
                    resize="vertical",
                    width="100%",
                    color_scheme=error_color("restrictions"),
                    data_testid="persona-restrictions",
                ),
            ),
            labelled(
                "disclaimers",
                label("Required disclaimers", "persona-disclaimers", "one per line, word for word"),
                rx.text_area(
                    id="persona-disclaimers",
                    value=S.disclaimers,
                    on_change=S.set_disclaimers,
                    debounce_timeout=400,
                    placeholder="Prices include VAT.",
                    rows="5",
                    resize="vertical",
                    width="100%",
                    color_scheme=error_color("disclaimers"),
                    data_testid="persona-disclaimers",
                ),
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            toggle(
                "suggestions_on",
                "Suggestions",
                "Offer products and services that go well together.",
                S.suggestions_on,
            ),
            toggle(
                "spelling_on", "Spelling help", "Fix typos; ask “Did you mean…?” when unsure.", S.spelling_on
            ),
            toggle(
                "rich_on", "Rich messages", "Buttons, lists and cards instead of numbered text.", S.rich_on
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="3",
            width="100%",
        ),
        testid="section-behaviour",
    )


def choice_item(choice: ModelChoice) -> rx.Component:
    return rx.select.item(choice.text, value=choice.ref)


def models_section() -> rx.Component:
    return section(
        "cpu",
        "Models",
        "The agent starts with the default; when a model fails, the next one answers.",
        model_chain.chain_table(
            S.model_rows,
            provider=lambda row: row.provider,
            on_move=S.move_model,
            on_remove=S.remove_model,
            testid="model-chain",
            row_testid="model-row",
            keep_one=True,
        ),
        field_error("default_model"),
        field_error("fallbacks"),
        rx.grid(
            rx.select.root(
                rx.select.trigger(placeholder="Make another model the default…", width="100%"),
                rx.select.content(rx.foreach(S.model_choices, choice_item), position="popper"),
                value="",
                on_change=S.set_default_model,
                data_testid="pick-default",
            ),
            rx.select.root(
                rx.select.trigger(placeholder="Add a fallback model…", width="100%"),
                rx.select.content(rx.foreach(S.model_choices, choice_item), position="popper"),
                value="",
                on_change=S.add_fallback,
                data_testid="pick-fallback",
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        rx.grid(
            rx.vstack(
                rx.hstack(
                    label("Temperature"),
                    rx.spacer(),
                    rx.text(S.temperature, size="2", weight="medium", color="var(--gray-11)"),
                    width="100%",
                ),
                rx.slider(
                    value=[S.temperature],
                    on_change=S.set_temperature.throttle(150),
                    min=0,
                    max=1.5,
                    step=0.05,
                    size="1",
                ),
                field_hint("Lower is steadier; higher is more varied wording."),
                field_error("temperature"),
                spacing="2",
                width="100%",
            ),
            labelled(
                "max_tokens",
                label("Longest reply", "persona-max-tokens"),
                rx.input(
                    rx.input.slot(rx.text("tokens", size="1", color="var(--gray-11)"), side="right"),
                    id="persona-max-tokens",
                    value=S.max_tokens,
                    on_change=S.set_max_tokens,
                    debounce_timeout=300,
                    input_mode="numeric",
                    width="100%",
                    color_scheme=error_color("max_tokens"),
                    data_testid="persona-max-tokens",
                ),
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="5",
            width="100%",
        ),
        field_hint(
            "Prices per million tokens, in and out: the providers' list prices of ",
            S.pricing_date,
            ". Keys and the monthly budget are in Settings → AI providers.",
        ),
        testid="section-models",
    )


def day_row(row: HoursRow) -> rx.Component:
    """One weekday as the agent reads it: its opening periods, or Closed."""
    return rx.hstack(
        rx.text(row.label, size="2", width="96px", weight=rx.cond(row.open, "medium", "regular")),
        rx.text(row.periods, size="2", color=rx.cond(row.open, "var(--gray-12)", "var(--gray-11)")),
        spacing="3",
        align="center",
        height="28px",
    )


def sensitive_switch(row: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.switch(checked=row[1] == "on", on_change=lambda on: S.toggle_sensitive(row[0], on), size="1"),
        rx.text(row[0], size="2"),
        spacing="2",
        align="center",
    )


def sensitive_switches() -> rx.Component:
    """The sensitive topics every shop starts with, each switchable, and what a frustrated customer gets."""
    return rx.vstack(
        label("Always passed to a person"),
        rx.foreach(S.sensitive_rows, sensitive_switch),
        rx.hstack(
            rx.switch(checked=S.frustration_offer, on_change=S.set_frustration_offer, size="1"),
            rx.text("Offer a frustrated customer a person with a button, instead of handing over", size="2"),
            spacing="2",
            align="center",
        ),
        spacing="2",
        width="100%",
        data_testid="sensitive-switches",
    )


def handoff_section() -> rx.Component:
    return section(
        "hand",
        "Handoff",
        "When a chat goes to a person. The customer is told, and the agent stays quiet until handed back.",
        rx.vstack(
            rx.hstack(
                label("Confidence threshold"),
                rx.spacer(),
                rx.badge(
                    S.threshold.to_string() + "%", variant="soft", size="2", data_testid="threshold-value"
                ),
                width="100%",
                align="center",
            ),
            rx.slider(
                value=[S.threshold],
                on_change=S.set_threshold.throttle(150),
                min=0,
                max=100,
                step=1,
                data_testid="threshold-slider",
            ),
            field_hint("Replies the agent is less sure of than this go to a person."),
            field_error("threshold"),
            spacing="2",
            width="100%",
        ),
        sensitive_switches(),
        rx.grid(
            labelled(
                "topics",
                label("Sensitive topics"),
                chips(
                    "topic",
                    S.topics,
                    S.remove_topic,
                    S.add_topic,
                    "e.g. refund dispute, legal threat",
                    "orange",
                ),
            ),
            labelled(
                "low_turns",
                label("Unsure turns in a row", "persona-low-turns"),
                rx.input(
                    id="persona-low-turns",
                    value=S.low_turns,
                    on_change=S.set_low_turns,
                    debounce_timeout=300,
                    input_mode="numeric",
                    width="100%",
                    color_scheme=error_color("low_turns"),
                    data_testid="persona-low-turns",
                ),
                field_hint("After this many low-confidence replies in a row, a person takes over."),
            ),
            columns=rx.breakpoints(initial="1", sm="minmax(0, 3fr) minmax(0, 2fr)"),
            spacing="5",
            width="100%",
        ),
        rx.vstack(
            ui.beside_or_under(
                rx.vstack(
                    rx.text("Business hours", size="2", weight="medium"),
                    rx.text(
                        "Outside these hours the agent tells customers when a person will be back. They "
                        "belong to your workspace, with its time zone.",
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="0",
                ),
                rx.link(
                    rx.hstack(rx.text("Change in Settings"), rx.icon("arrow_right", size=14), spacing="1"),
                    href="/settings?tab=general",
                    size="2",
                    weight="medium",
                    data_testid="hours-settings-link",
                ),
                room="220px",
            ),
            rx.cond(
                S.hours_on,
                rx.vstack(
                    rx.vstack(rx.foreach(S.hours, day_row), spacing="0"),
                    rx.text("Times in ", S.hours_zone, size="1", color_scheme="gray"),
                    spacing="2",
                    width="100%",
                    data_testid="hours-readonly",
                ),
                rx.text(
                    "No business hours set: the agent tells customers a person will reply shortly.",
                    size="2",
                    color="var(--gray-11)",
                ),
            ),
            spacing="3",
            width="100%",
            padding="14px",
            border="1px solid var(--gray-a4)",
            border_radius="var(--radius-3)",
        ),
        testid="section-handoff",
    )


def save_bar() -> rx.Component:
    return ui.save_bar(
        S.dirty,
        S.updated,
        rx.cond(
            S.errors.length() > 0,
            rx.badge(
                rx.icon("circle_alert", size=12),
                S.errors.length().to_string() + " to fix",
                color_scheme="red",
                variant="soft",
                radius="full",
            ),
        ),
        rx.button("Discard", variant="soft", color_scheme="gray", on_click=S.discard, data_testid="discard"),
        rx.button(
            rx.icon("check", size=16),
            "Save persona",
            on_click=S.save,
            disabled=~S.dirty,
            data_testid="save-persona",
        ),
        data_persona_dirty=rx.cond(S.dirty, "true", "false"),
    )


# -- the right column --------------------------------------------------------------------------------------


def prompt_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                rx.icon("scroll_text", size=16, color="var(--accent-11)"),
                rx.text("System prompt", size="2", weight="medium"),
                rx.spacer(),
                rx.cond(
                    S.dirty,
                    rx.badge("Draft", color_scheme="amber", variant="soft", radius="full"),
                    rx.badge("Saved", color_scheme="grass", variant="soft", radius="full"),
                ),
                width="100%",
                align="center",
            ),
            rx.text(
                "Exactly what the model receives before each conversation, updated as you edit.",
                size="1",
                color="var(--gray-11)",
            ),
            rx.scroll_area(
                rx.el.pre(
                    S.prompt,
                    white_space="pre-wrap",
                    font_family="var(--code-font-family)",
                    font_size="12px",
                    line_height="18px",
                    color="var(--gray-12)",
                    margin="0",
                    data_testid="system-prompt",
                ),
                type="auto",
                scrollbars="vertical",
                max_height="240px",
                padding="12px 14px",
                border_radius="var(--radius-3)",
                background_color="var(--gray-a2)",
                border="1px solid var(--gray-a4)",
            ),
            spacing="2",
            width="100%",
        ),
        padding="18px",
    )


def try_card() -> rx.Component:
    running = rx.hstack(
        rx.spinner(size="2"),
        rx.text("Answering with the draft… nothing is saved or sent.", size="2", color="var(--gray-11)"),
        spacing="2",
        align="center",
        padding="10px 12px",
        border_radius="var(--radius-3)",
        background_color="var(--gray-a2)",
        width="100%",
        data_testid="try-running",
    )
    reply = rx.vstack(
        rx.el.div(
            rx.foreach(S.reply_bubbles, bubble),
            class_name="wa wa-wallpaper",
            padding="10px 0 14px",
            border_radius="var(--radius-3)",
            width="100%",
            display="flex",
            flex_direction="column",
            max_height="250px",
            overflow_y="auto",
            data_testid="sample-reply",
        ),
        rx.hstack(
            rx.icon("sparkles", size=12),
            rx.text(S.reply_meta, size="1"),
            color="var(--gray-11)",
            spacing="1",
            align="center",
        ),
        rx.cond(
            S.reply_handoff != "",
            rx.callout(
                "This message would go to a person: " + S.reply_handoff,
                icon="hand",
                color_scheme="orange",
                size="1",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )
    return card(
        rx.vstack(
            rx.hstack(
                rx.icon("message_circle", size=16, color="var(--accent-11)"),
                rx.text("Try a message", size="2", weight="medium"),
                width="100%",
                align="center",
            ),
            rx.text(
                "See the reply the draft would give, with your knowledge and catalog, before you save.",
                size="1",
                color="var(--gray-11)",
            ),
            rx.form(
                rx.hstack(
                    rx.input(
                        name="sample",
                        value=S.sample,
                        on_change=S.set_sample,
                        placeholder="Write as a customer would…",
                        flex="1",
                        min_width="0",
                        auto_complete="off",
                        data_testid="sample-input",
                    ),
                    rx.button(
                        rx.cond(S.trying, rx.spinner(size="2"), rx.icon("send_horizontal", size=15)),
                        "Try",
                        type="submit",
                        disabled=S.trying,
                        data_testid="try-message",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=S.try_message,
                width="100%",
            ),
            rx.cond(
                S.reply_error != "",
                rx.text(S.reply_error, size="1", color="var(--red-11)", data_testid="try-error"),
            ),
            rx.cond(S.trying, running, rx.cond(S.tried & (S.reply_bubbles.length() > 0), reply)),
            spacing="3",
            width="100%",
        ),
        padding="18px",
    )


def persona_layout() -> rx.Component:
    """The form and, beside it, the prompt and "Try a message", sticky. Below 1280 px (a tablet, a laptop with
    the sidebar open to ~960 px of content) there is no room for a 420 px column beside the form: the two
    stack, the preview after the form, and nothing is sticky."""
    return rx.grid(
        rx.vstack(
            identity_section(),
            behaviour_section(),
            models_section(),
            handoff_section(),
            save_bar(),
            spacing="5",
            width="100%",
            min_width="0",
        ),
        rx.vstack(
            prompt_card(),
            try_card(),
            spacing="4",
            width="100%",
            min_width="0",
            position=rx.breakpoints(initial="static", lg="sticky"),
            top="88px",
        ),
        columns=rx.breakpoints(initial="minmax(0, 1fr)", lg="minmax(0, 1fr) 420px"),
        spacing="5",
        width="100%",
        align="start",
        data_testid="persona-page",
    )
