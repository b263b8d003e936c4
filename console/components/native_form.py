"""A plain HTML `<form>` that the browser really submits.

Reflex's `rx.el.form` always calls `preventDefault()` and sends the fields over the websocket instead.
Signing in and out must be real HTTP POSTs so the engine's response can set or clear the HttpOnly session
cookie, which no websocket event (and no JavaScript) can do.
"""

from __future__ import annotations

from reflex_base.components.component import field
from reflex_base.vars import Var
from reflex_components_core.el.elements.base import BaseHTML


class PostForm(BaseHTML):
    """`<form method="post" action=...>` with no client-side submit handler."""

    tag = "form"

    action: Var[str] = field(doc="URL the browser posts the fields to")

    method: Var[str] = field(doc="HTTP method; always post for the auth routes")


post_form = PostForm.create
