"""What the Catalog and Knowledge import wizards share: the steps along the top, the drop zone, the footer
with Cancel and the confirming button, and the "import the good rows, skip the rest" bar with the skipped
rows to download (one report format: `engine.imports`). Each wizard keeps its own preview (their rows
differ)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from console.components.ui import icon_tile


def stepper(current: rx.Var, titles: list[str], **props: Any) -> rx.Component:
    """Numbered steps joined by lines; `current` counts from 1, the steps before it are ticked. On a phone the
    other steps show their number only (three titles side by side broke "Check the preview" over three
    lines)."""
    items: list[rx.Component] = []
    for number, title in enumerate(titles, start=1):
        done = current > number
        active = current == number
        if number > 1:
            items.append(rx.box(height="1px", flex="1", background_color="var(--gray-a6)", min_width="24px"))
        items.append(
            rx.hstack(
                rx.center(
                    rx.cond(done, rx.icon("check", size=13), rx.text(str(number), size="1", weight="bold")),
                    width="24px",
                    height="24px",
                    border_radius="999px",
                    # step 11 under step 1 (5:1 in light and dark); white on step 9 read at 3:1
                    background_color=rx.cond(done | active, "var(--accent-11)", "var(--gray-a4)"),
                    color=rx.cond(done | active, "var(--accent-1)", "var(--gray-11)"),
                ),
                rx.text(
                    title,
                    size="2",
                    weight=rx.cond(active, "medium", "regular"),
                    color=rx.cond(active, "var(--gray-12)", "var(--gray-11)"),
                    white_space="nowrap",
                    class_name="wizard-step-title",  # on a phone only the current step's (console.css)
                    data_active=rx.cond(active, "true", "false"),
                ),
                spacing="2",
                align="center",
            )
        )
    return rx.hstack(*items, spacing="3", align="center", width="100%", **props)


def dropzone(
    upload_id: str,
    *,
    icon: str,
    title: str,
    hint: str,
    accept: dict[str, list[str]],
    max_bytes: int,
    on_drop: Any,
    testid: str,
    padding: str = "32px 24px",
    **props: Any,
) -> rx.Component:
    """A dashed area to drop one file on (or click to choose it); the server checks the file again."""
    return rx.upload.root(
        rx.vstack(
            icon_tile(icon, size=22, box="48px"),
            rx.text(title, size="3", weight="medium"),
            rx.text(hint, size="2", color_scheme="gray", align="center"),
            *props.pop("children", []),
            spacing="2",
            align="center",
            padding=padding,
        ),
        id=upload_id,
        multiple=False,
        max_files=1,
        max_size=max_bytes,
        accept=accept,
        on_drop=on_drop,
        width="100%",
        cursor="pointer",
        border_radius="var(--radius-4)",
        background_color="var(--gray-a2)",
        _hover={"border_color": "var(--accent-8)", "background_color": "var(--accent-a2)"},
        data_testid=testid,
        **props,
    )


def footer(left: rx.Component, cancel_disabled: Any, confirm: rx.Component, **props: Any) -> rx.Component:
    """A note or back button on the left; Cancel and the step's action on the right."""
    return rx.hstack(
        left,
        rx.spacer(),
        rx.dialog.close(
            rx.button("Cancel", variant="soft", color_scheme="gray", size="2", disabled=cancel_disabled)
        ),
        confirm,
        spacing="3",
        align="center",
        width="100%",
        padding_top="16px",
        border_top="1px solid var(--gray-a4)",
        **props,
    )


def skip_bar(good: rx.Var, bad: rx.Var, *, on_download: Any, on_import: Any) -> rx.Component:
    """The way out of a file with a few bad rows, the same in both wizards: "Import the N good rows, skip M",
    and the skipped rows as a CSV (the file's own columns, its line number, and the reason per row)."""
    return rx.hstack(
        rx.icon("list_checks", size=18, color="var(--amber-11)", flex_shrink="0"),
        rx.text(
            rx.text.strong(good.to_string(), rx.cond(good == 1, " row is", " rows are"), " fine."),
            " Import them now and fix the other ",
            bad.to_string(),
            " later: the skipped rows download with the reason for each.",
            size="2",
            color="var(--gray-11)",
            flex="1",
            min_width="min(100%, 260px)",
        ),
        rx.hstack(
            rx.button(
                rx.icon("download", size=14),
                "Skipped rows",
                variant="soft",
                color_scheme="gray",
                size="2",
                on_click=on_download,
                data_testid="import-download-skipped",
            ),
            rx.button(
                rx.icon("check", size=14),
                "Import ",
                good.to_string(),
                " good, skip ",
                bad.to_string(),
                size="2",
                on_click=on_import,
                data_testid="import-good-rows",
            ),
            spacing="2",
            flex_wrap="wrap",
        ),
        spacing="3",
        align="center",
        flex_wrap="wrap",
        width="100%",
        padding="12px 14px",
        border_radius="var(--radius-3)",
        background_color="var(--amber-a2)",
        border="1px solid var(--amber-a5)",
        data_testid="import-skip-bar",
    )
