"""The Reflex app: the engine's FastAPI app underneath, the console's pages on top.

Reflex mounts itself inside the engine's FastAPI app (`api_transformer`), so one port serves the compiled
console, its websocket, and the engine's routes (`/api/auth/*`, `/api/v1`, `/healthz`). The theme lives in
rxconfig.py (RadixThemesPlugin). In single-process mode (no REDIS_URL) the console also runs the job
scheduler as a lifespan task; with Redis, `python -m engine worker` owns the jobs.
"""

from __future__ import annotations

import reflex as rx

import console.pages  # noqa: F401 - registers every page in PAGES
from console.navigation import LOGIN_ROUTE
from console.pages.login import login
from console.state.login import LoginState
from console.template import PAGES
from engine.http.app import create_app
from engine.jobs.scheduler import embedded_scheduler

TITLE_SUFFIX = " · Parley"

# Installable on a phone's home screen (a web app manifest and its icons, all under assets/), with the
# browser bar in the accent colour.
HEAD = [
    rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
    rx.el.link(rel="manifest", href="/manifest.webmanifest"),
    rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
    rx.el.meta(name="theme-color", content="#46a758"),
    rx.el.meta(name="mobile-web-app-capable", content="yes"),
    rx.el.meta(name="apple-mobile-web-app-title", content="Parley"),
]


def build_app() -> rx.App:
    """Create the app and add the sign-in page and every registered console page."""
    application = rx.App(
        api_transformer=create_app(),
        stylesheets=["/console.css"],
        head_components=HEAD,
        # Toasts at the top, two at most: a form's Save and Send buttons sit at the bottom of the screen or
        # of a dialog, and a third toast only hid what was under it. Each page load dismisses the last
        # page's toasts (console/template.py).
        toaster=rx.toast.provider(
            position="top-center", visible_toasts=2, close_button=True, offset="72px", duration=5000
        ),
    )
    application.register_lifespan_task(embedded_scheduler)
    application.add_page(
        login, route=LOGIN_ROUTE, title="Sign in" + TITLE_SUFFIX, on_load=LoginState.load_page
    )
    for spec in PAGES:
        application.add_page(
            spec.render, route=spec.route, title=spec.title + TITLE_SUFFIX, on_load=spec.on_load
        )
    return application


app = build_app()
