"""The app object: engine routes mounted underneath, every page compiles, the theme is configured."""

from __future__ import annotations

import reflex as rx
from fastapi.testclient import TestClient

from console.console import app
from console.pages.login import login
from console.state.session import sentence
from console.template import PAGES


def test_engine_routes_are_mounted_under_the_console() -> None:
    """The sign-in form posts to the engine app given to Reflex as api_transformer."""
    client = TestClient(app.api_transformer)
    response = client.post(
        "/api/auth/login",
        data={"email": "nobody@example.test", "password": "wrong", "next": "/knowledge"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?error=")
    assert "parley_session" not in response.headers.get("set-cookie", "")


def test_every_page_and_the_login_render() -> None:
    for spec in PAGES:
        assert isinstance(spec.render(), rx.Component), spec.route
    assert isinstance(login(), rx.Component)


def test_theme_plugin_is_configured() -> None:
    config = rx.config.get_config()
    radix = [p for p in config.plugins if isinstance(p, rx.plugins.RadixThemesPlugin)]
    assert radix and radix[0].theme is not None
    props = radix[0].theme.render()["props"]
    assert 'accentColor:"grass"' in props and 'grayColor:"slate"' in props and 'radius:"large"' in props
    assert config.telemetry_enabled is False


def test_engine_messages_become_console_sentences() -> None:
    assert sentence("a tenant needs at least one owner") == "A workspace needs at least one owner."
    assert sentence("Done!") == "Done!"
    assert sentence("") == ""
