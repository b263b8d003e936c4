"""The offline banner under the top bar of every page (state: `console.state.banner`)."""

from __future__ import annotations

import reflex as rx

from console.state.banner import OfflineBannerState

AI_SETTINGS_ROUTE = "/settings?tab=ai"


def offline_banner() -> rx.Component:
    """Amber while the agent runs offline by choice or for want of a key, red when the budget ran out."""
    tone = rx.cond(OfflineBannerState.reason == "budget", "red", "amber")
    fix = rx.cond(
        OfflineBannerState.can_fix,
        rx.link(
            rx.hstack(
                rx.text(OfflineBannerState.link_label, size="2", weight="medium"),
                rx.icon("arrow_right", size=14),
                spacing="1",
                align="center",
            ),
            href=AI_SETTINGS_ROUTE,
            underline="hover",
            color_scheme=tone,
            high_contrast=True,  # amber text on the amber band read at 4.2:1
            flex_shrink="0",
            data_testid="offline-banner-link",
        ),
        rx.text(
            "An owner or admin can connect a provider.",
            size="2",
            color="var(--gray-11)",
            flex_shrink="0",
        ),
    )
    return rx.cond(
        OfflineBannerState.offline,
        rx.hstack(
            rx.cond(
                OfflineBannerState.reason == "budget",
                rx.icon("wallet", size=16, flex_shrink="0", color="var(--red-11)"),
                rx.icon("cloud_off", size=16, flex_shrink="0", color="var(--amber-11)"),
            ),
            rx.text(
                rx.text.strong(OfflineBannerState.title, color="var(--gray-12)"),
                rx.text(" · ", as_="span", color="var(--gray-11)"),
                OfflineBannerState.message,
                size="2",
                color="var(--gray-11)",
                flex="1",
                min_width="min(100%, 240px)",  # on a phone the link moves under the message
            ),
            fix,
            spacing="3",
            align="center",
            width="100%",
            padding="10px 32px",
            class_name="offline-banner",
            background_color=rx.cond(
                OfflineBannerState.reason == "budget", "var(--red-a3)", "var(--amber-a3)"
            ),
            border_bottom=rx.cond(
                OfflineBannerState.reason == "budget",
                "1px solid var(--red-a5)",
                "1px solid var(--amber-a5)",
            ),
            role="status",
            data_testid="offline-banner",
        ),
    )
