"""Campaigns page — the composer: message, media and buttons on the left with every refusal beside its field,
the phone preview on the right (sticky on wide screens, under the form on phones), then who gets it (live
count), WhatsApp's approval, a test to your own number, and send now or later behind a confirmation."""

from __future__ import annotations

import reflex as rx

from console.components.campaigns_list import pill
from console.components.ui import section_card
from console.components.whatsapp import bubble
from console.state.campaigns_composer import UPLOAD_ID
from console.state.campaigns_composer import ComposerState as C
from console.state.campaigns_rows import ButtonDraft, FallbackRow


def _error(key: str) -> rx.Component:
    return rx.cond(
        C.errors.contains(key),
        rx.text(C.errors[key], size="1", color="var(--red-11)", data_testid=f"error-{key}"),
    )


def _label(text: str, hint: str | None = None) -> rx.Component:
    return rx.vstack(
        rx.text(text, size="2", weight="medium"),
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        spacing="0",
    )


def _field(label: str, control: rx.Component, key: str, hint: str | None = None) -> rx.Component:
    return rx.vstack(_label(label, hint), control, _error(key), spacing="1", width="100%")


def _media() -> rx.Component:
    picker = rx.upload.root(
        rx.hstack(
            rx.icon("image_plus", size=18, color="var(--accent-11)"),
            rx.vstack(
                rx.text("Add a picture, video or PDF", size="2", weight="medium"),
                rx.text(
                    "JPEG or PNG up to 5 MB · MP4 up to 16 MB · PDF up to 100 MB",
                    size="1",
                    color_scheme="gray",
                ),
                spacing="0",
            ),
            spacing="3",
            align="center",
        ),
        id=UPLOAD_ID,
        multiple=False,
        max_files=1,
        accept={
            "image/jpeg": [".jpg", ".jpeg"],
            "image/png": [".png"],
            "video/mp4": [".mp4"],
            "application/pdf": [".pdf"],
        },
        on_drop=C.handle_upload(rx.upload_files(upload_id=UPLOAD_ID)),
        padding="14px 16px",
        border="1px dashed var(--gray-a7)",
        border_radius="var(--radius-3)",
        cursor="pointer",
        width="100%",
        data_testid="campaign-media-drop",
    )
    chosen = rx.hstack(
        rx.icon(rx.cond(C.media_kind == "image", "image", "file"), size=18, color="var(--accent-11)"),
        rx.text(C.media_label, size="2", truncate=True, data_testid="campaign-media-name"),
        rx.spacer(),
        rx.button("Remove", variant="ghost", color_scheme="gray", size="1", on_click=C.remove_media),
        width="100%",
        align="center",
        padding="10px 12px",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-3)",
    )
    return rx.vstack(rx.cond(C.media_key != "", chosen, picker), _error("media"), spacing="1", width="100%")


def _fallback(f: FallbackRow) -> rx.Component:
    return rx.flex(
        rx.text(
            "If there is no ",
            rx.code("{{" + f.name + "}}"),
            ", say",
            size="1",
            color_scheme="gray",
            flex_shrink="0",
        ),
        rx.input(
            value=f.value,
            on_change=lambda v: C.set_fallback(f.name, v),
            size="1",
            flex="1",
            min_width="120px",
        ),
        gap="2",
        align="center",
        wrap="wrap",
        width="100%",
    )


def _variables() -> rx.Component:
    return rx.flex(
        rx.text("Insert:", size="1", color_scheme="gray"),
        *[
            rx.button(
                "{{" + name + "}}",
                variant="soft",
                color_scheme="gray",
                size="1",
                on_click=C.insert_variable(name),
            )
            for name in ("first_name", "last_product", "shop_name")
        ],
        gap="2",
        wrap="wrap",
        align="center",
    )


def _button(b: ButtonDraft, i: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.select.root(
                rx.select.trigger(width="140px"),
                rx.select.content(
                    rx.select.item("Quick reply", value="quick_reply"),
                    rx.select.item("Open a link", value="url"),
                    rx.select.item("Call", value="call"),
                ),
                value=b.type,
                on_change=lambda v: C.set_button_type(i, v),
                size="2",
            ),
            rx.input(
                value=b.title,
                placeholder="Button text (20 characters)",
                max_length=40,
                on_change=lambda v: C.set_button_title(i, v),
                flex="1",
                min_width="150px",
                data_testid="campaign-button-title",
            ),
            rx.icon_button(
                rx.icon("x", size=14),
                variant="ghost",
                color_scheme="gray",
                on_click=C.remove_button(i),
                aria_label="Remove button",
            ),
            gap="2",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        rx.cond(
            b.type == "url",
            rx.input(
                value=b.url, placeholder="https://", on_change=lambda v: C.set_button_url(i, v), width="100%"
            ),
        ),
        rx.cond(
            b.type == "call",
            rx.input(
                value=b.phone,
                placeholder="+447700900123",
                on_change=lambda v: C.set_button_phone(i, v),
                width="100%",
            ),
        ),
        rx.cond(b.error != "", rx.text(b.error, size="1", color="var(--red-11)")),
        spacing="1",
        width="100%",
    )


def message_card() -> rx.Component:
    return section_card(
        "Message",
        "WhatsApp shows it as a message from your shop. Variables are filled in for each customer.",
        _field(
            "Campaign name",
            rx.input(
                value=C.name,
                on_change=C.set_name,
                placeholder="Spring sale",
                width="100%",
                data_testid="campaign-name-input",
            ),
            "name",
            "Only you see it.",
        ),
        _field("Picture, video or document", _media(), "media_other"),
        _field(
            "Text",
            rx.vstack(
                rx.text_area(
                    value=C.body,
                    on_change=C.set_body,
                    rows="5",
                    width="100%",
                    resize="vertical",
                    data_testid="campaign-body",
                ),
                _variables(),
                rx.foreach(C.fallbacks, _fallback),
                spacing="2",
                width="100%",
            ),
            "body",
            "Up to 1,024 characters. *bold*, _italic_ and links work as on WhatsApp.",
        ),
        _field(
            "Buttons",
            rx.vstack(
                rx.foreach(C.buttons, _button),
                rx.cond(
                    C.buttons.length() < 3,
                    rx.button(
                        rx.icon("plus", size=14),
                        "Add a button",
                        variant="soft",
                        size="2",
                        on_click=C.add_button,
                        data_testid="campaign-add-button",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            "buttons",
            "Up to 3: quick replies come back to you as a tap, links and calls open on the phone.",
        ),
    )


def audience_card() -> rx.Component:
    count = rx.hstack(
        rx.icon("users", size=18, color="var(--accent-11)"),
        rx.text(C.audience_count, size="5", weight="bold", data_testid="campaign-audience-count"),
        rx.text("customers will get it", size="2", color_scheme="gray"),
        spacing="2",
        align="baseline",
    )
    return section_card(
        "Who gets it",
        "Everyone who opted in, narrowed by any of these. The count updates as you type.",
        count,
        rx.text(C.audience_note, size="1", color_scheme="gray"),
        rx.grid(
            _field(
                "Tags",
                rx.input(value=C.tags, on_change=C.set_tags, placeholder="vip, wholesale", width="100%"),
                "audience.tags",
            ),
            _field(
                "Bought from category",
                rx.input(
                    value=C.bought_category,
                    on_change=C.set_bought_category,
                    placeholder="shoes",
                    width="100%",
                ),
                "audience.bought_category",
            ),
            _field(
                "Last order after",
                rx.input(type="date", value=C.ordered_after, on_change=C.set_ordered_after, width="100%"),
                "audience.last_order_after",
            ),
            _field(
                "Last order before",
                rx.input(type="date", value=C.ordered_before, on_change=C.set_ordered_before, width="100%"),
                "audience.last_order_before",
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
    )


def approval_card() -> rx.Component:
    return section_card(
        "WhatsApp approval",
        "WhatsApp reviews every campaign message before it can go out. It usually takes minutes.",
        rx.flex(
            pill(C.template_label, C.template_color, "campaign-template-status"),
            rx.spacer(),
            rx.cond(
                C.template_status == "pending",
                rx.button("Check again", variant="soft", size="2", on_click=C.check_template),
            ),
            rx.cond(
                (C.template_status == "none") | (C.template_status == "rejected"),
                rx.button(
                    rx.icon("send", size=14),
                    "Submit for approval",
                    size="2",
                    on_click=C.submit_template,
                    data_testid="campaign-submit",
                ),
            ),
            gap="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(
            C.template_reason != "",
            rx.callout(C.template_reason, icon="circle_alert", color_scheme="red", size="1"),
        ),
        rx.divider(),
        _field(
            "Send a test to my number",
            rx.flex(
                rx.input(
                    value=C.test_number,
                    on_change=C.set_test_number,
                    placeholder="+447700900123",
                    flex="1",
                    min_width="160px",
                    data_testid="campaign-test-number",
                ),
                rx.button(
                    rx.icon("smartphone", size=14),
                    "Send test",
                    variant="soft",
                    on_click=C.send_test,
                    data_testid="campaign-send-test",
                ),
                gap="2",
                wrap="wrap",
                width="100%",
            ),
            "test_number",
            "See it on your own phone first.",
        ),
    )


def send_card() -> rx.Component:
    return section_card(
        "When",
        None,
        rx.radio_group.root(
            rx.flex(
                rx.flex(
                    rx.radio_group.item(value="now", id="when-now"),
                    rx.el.label("Send now", html_for="when-now", font_size="14px"),
                    gap="2",
                    align="center",
                ),
                rx.flex(
                    rx.radio_group.item(value="later", id="when-later"),
                    rx.el.label("Schedule for later", html_for="when-later", font_size="14px"),
                    gap="2",
                    align="center",
                ),
                gap="5",
                wrap="wrap",
            ),
            value=C.when_mode,
            on_change=C.set_when_mode,
        ),
        rx.cond(
            C.when_mode == "later",
            rx.flex(
                rx.input(type="date", value=C.send_date, on_change=C.set_send_date),
                rx.input(type="time", value=C.send_time, on_change=C.set_send_time),
                rx.text("in ", C.time_zone, size="2", color_scheme="gray"),
                gap="2",
                wrap="wrap",
                align="center",
            ),
        ),
        _error("send_at"),
        rx.flex(
            rx.button(
                "Save draft",
                variant="soft",
                color_scheme="gray",
                on_click=C.save_draft,
                data_testid="campaign-save",
            ),
            rx.button(
                rx.icon("megaphone", size=14),
                "Review and send",
                on_click=C.review,
                disabled=C.template_status != "approved",
                data_testid="campaign-review",
            ),
            gap="2",
            wrap="wrap",
            justify="end",
            width="100%",
        ),
    )


def phone_preview() -> rx.Component:
    return rx.vstack(
        rx.text("Preview as ", C.sample_label, " sees it", size="1", color_scheme="gray"),
        rx.box(
            rx.hstack(
                rx.box(
                    rx.icon("store", size=16, color="white"),
                    width="32px",
                    height="32px",
                    border_radius="50%",
                    background="var(--grass-9)",
                    display="flex",
                    align_items="center",
                    justify_content="center",
                ),
                rx.text("Your shop", size="2", weight="medium", color="white"),
                padding="10px 12px",
                background="#075e54",
                align="center",
                spacing="2",
            ),
            rx.box(
                bubble(C.preview),
                class_name="wa wa-wallpaper",
                padding="14px 0 18px",
                min_height="360px",
                data_testid="campaign-preview",
            ),
            border="8px solid var(--gray-12)",
            border_radius="28px",
            overflow="hidden",
            width="100%",
            max_width="340px",
            box_shadow="0 8px 24px var(--black-a4)",
        ),
        spacing="2",
        align="center",
        width="100%",
        position=rx.breakpoints(initial="static", md="sticky"),
        top="16px",
    )


def confirm_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Send this campaign?"),
            rx.vstack(
                rx.text(C.confirm_people, size="3", weight="medium", data_testid="confirm-people"),
                rx.text(C.confirm_cost, size="3", data_testid="confirm-cost"),
                rx.text(C.confirm_when, size="2"),
                rx.text(C.confirm_note, size="1", color_scheme="gray"),
                spacing="2",
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button("Not yet", variant="soft", color_scheme="gray", on_click=C.close_confirm)
                ),
                rx.alert_dialog.action(
                    rx.button("Send", on_click=C.confirm_send, data_testid="confirm-send")
                ),
                gap="3",
                justify="end",
                margin_top="16px",
            ),
            max_width="440px",
        ),
        open=C.confirm_open,
    )


def composer_view() -> rx.Component:
    head = rx.flex(
        rx.button(
            rx.icon("arrow_left", size=14),
            "All campaigns",
            variant="soft",
            color_scheme="gray",
            on_click=C.close,
        ),
        rx.heading(rx.cond(C.campaign_id > 0, "Edit campaign", "New campaign"), size="5", weight="medium"),
        gap="4",
        align="center",
        wrap="wrap",
    )
    form = rx.vstack(
        message_card(),
        audience_card(),
        approval_card(),
        send_card(),
        spacing="4",
        width="100%",
        min_width="0",
    )
    return rx.vstack(
        head,
        rx.grid(
            form,
            rx.box(phone_preview(), height="100%"),
            columns=rx.breakpoints(initial="1", md="minmax(0, 1fr) 340px"),
            spacing="5",
            width="100%",
        ),
        confirm_dialog(),
        spacing="4",
        width="100%",
    )


__all__ = ["composer_view"]
