"""Reflex configuration for the Parley console.

The database URL comes from the engine's settings so the console, the REST API and the workers can never
point at different databases. Telemetry is off: the console runs on machines that must not phone home.
"""

import reflex as rx

from engine.config import get_settings

config = rx.Config(
    app_name="console",
    db_url=get_settings().database_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    default_color_mode="light",
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                accent_color="grass",
                gray_color="slate",
                radius="large",
                scaling="100%",
                panel_background="solid",
                has_background=True,
            )
        ),
    ],
    # A staff console behind a sign-in has nothing to offer search engines.
    disable_plugins=[rx.plugins.SitemapPlugin],
)
