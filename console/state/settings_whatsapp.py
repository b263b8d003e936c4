"""State of Settings → WhatsApp: the Twilio account, sender numbers, webhook URLs and the connection test.

Everything goes through engine.channels.whatsapp.connection. Secrets are posted from password inputs straight
to `save_credentials` and never become state vars: the browser only ever gets "••••1234".
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import reflex as rx

from console.state.formatting import url_parts
from console.state.guard import PageState
from console.state.session import sentence
from engine.accounts.errors import AccountError
from engine.accounts.sessions import SignedIn
from engine.channels.whatsapp import connection
from engine.conversations.display import phone_display
from engine.db import session_scope
from engine.security.scopes import PAGE_SCOPES

SETTINGS_SCOPE = PAGE_SCOPES["settings"]


class WhatsAppSettingsState(PageState, rx.State):
    page_key: ClassVar[str] = "settings"

    account_sid: str = ""
    token_masked: str = ""
    api_key_sid: str = ""
    api_key_masked: str = ""
    rotation_pending: bool = False
    senders: list[dict[str, Any]] = []
    inbound_url: str = ""
    status_url: str = ""
    errors: dict[str, str] = {}
    sender_error: str = ""
    testing: bool = False
    test_state: str = ""  # "" · ok · error
    test_title: str = ""
    test_detail: str = ""

    @rx.var
    def inbound_url_parts(self) -> list[str]:
        return url_parts(self.inbound_url)

    @rx.var
    def status_url_parts(self) -> list[str]:
        return url_parts(self.status_url)

    @rx.var
    def connected(self) -> bool:
        return bool(self.account_sid and (self.token_masked or self.api_key_masked))

    def on_allowed(self, who: SignedIn) -> Any:
        self._load(who.tenant_id)
        return None

    def on_refused(self) -> None:
        self.account_sid = self.token_masked = self.api_key_sid = self.api_key_masked = ""
        self.senders, self.errors, self.sender_error = [], {}, ""
        self.test_state = self.test_title = self.test_detail = ""

    def _base_url(self) -> str:
        headers = self.router.headers
        origin = getattr(headers, "origin", "") or ""
        return origin or f"http://{getattr(headers, 'host', '') or 'localhost:3000'}"

    def _load(self, tenant_id: int) -> None:
        with session_scope() as db:
            view = connection.whatsapp_connection(db, tenant_id, request_base_url=self._base_url())
        self.account_sid, self.token_masked = view.account_sid, view.auth_token_masked
        self.api_key_sid, self.api_key_masked = view.api_key_sid, view.api_key_masked
        self.rotation_pending = view.previous_token_pending
        self.senders = [
            {"address": s.address, "number": phone_display(s.address), "label": s.label,
             "is_default": s.is_default}
            for s in view.senders
        ]  # fmt: skip
        self.inbound_url, self.status_url = view.inbound_url, view.status_url

    @rx.event
    async def save_credentials(self, form: dict[str, Any]):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                connection.save_credentials(
                    db,
                    who.tenant_id,
                    account_sid=str(form.get("account_sid") or ""),
                    auth_token=str(form.get("auth_token") or ""),
                    api_key_sid=str(form.get("api_key_sid") or ""),
                    api_key_secret=str(form.get("api_key_secret") or ""),
                    actor_user_id=who.user_id,
                )
        except connection.CredentialsRefused as exc:
            self.errors = {p.field: sentence(p.message) for p in reversed(exc.problems)}
            return None
        self.errors = {}
        self._load(who.tenant_id)
        self.test_state = ""
        return rx.toast.success("Twilio account saved. Run the connection test to check it.")

    @rx.event
    async def add_sender(self, form: dict[str, Any]):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                added = connection.add_sender(
                    db,
                    who.tenant_id,
                    str(form.get("number") or ""),
                    label=str(form.get("label") or ""),
                    actor_user_id=who.user_id,
                )
        except AccountError as exc:
            self.sender_error = sentence(str(exc))
            return None
        self.sender_error = ""
        self._load(who.tenant_id)
        return rx.toast.success(f"{phone_display(added.address)} added.")

    @rx.event
    async def remove_sender(self, address: str):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                connection.remove_sender(db, who.tenant_id, address, actor_user_id=who.user_id)
        except AccountError as exc:
            return rx.toast.error(sentence(str(exc)))
        self._load(who.tenant_id)
        return rx.toast.success(f"{phone_display(address)} removed.")

    @rx.event
    async def make_default(self, address: str):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                connection.set_default_sender(db, who.tenant_id, address, actor_user_id=who.user_id)
        except AccountError as exc:
            return rx.toast.error(sentence(str(exc)))
        self._load(who.tenant_id)
        return None

    @rx.event(background=True)
    async def test_connection(self):
        async with self:
            who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
            if who is None:
                return refusal
            if self.testing:
                return None
            self.testing, self.test_state = True, ""
        result = await asyncio.to_thread(_run_test, who.tenant_id)
        async with self:
            self.testing = False
            self.test_state = "ok" if result.ok else "error"
            self.test_title, self.test_detail = result.title, result.detail
        return rx.toast.success(result.title) if result.ok else rx.toast.error(result.title)


def _run_test(tenant_id: int) -> connection.ConnectionCheck:
    with session_scope() as db:
        return connection.test_connection(db, tenant_id)
