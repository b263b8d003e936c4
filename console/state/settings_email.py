"""State of Settings → Email: the workspace's SMTP server (or none) and "Send a test email".

The rules and the sending live in engine.accounts.mailer; the password goes from a password input straight to
the engine and comes back only as "••••1234".
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import reflex as rx

from console.state.guard import ALLOWED, PageState
from console.state.session import sentence
from engine.accounts import mailer
from engine.accounts.sessions import SignedIn
from engine.db import session_scope
from engine.security.scopes import PAGE_SCOPES

SETTINGS_SCOPE = PAGE_SCOPES["settings"]
TLS_CHOICES: list[tuple[str, str]] = list(mailer.TLS_MODES.items())


class EmailSettingsState(PageState, rx.State):
    page_key: ClassVar[str] = "settings"

    configured: bool = False
    host: str = ""
    port: str = "587"
    tls: str = "starttls"
    sender: str = ""
    username: str = ""
    password_masked: str = ""
    errors: dict[str, str] = {}
    sending: bool = False
    test_note: str = ""
    test_ok: bool = False
    _email: str = ""

    def on_allowed(self, who: SignedIn) -> Any:
        self._email = who.email
        self._load(who.tenant_id)
        return None

    def on_refused(self) -> None:
        self.configured, self.errors = False, {}

    def _load(self, tenant_id: int) -> None:
        with session_scope() as db:
            settings = mailer.mail_settings(db, tenant_id)
        self.configured = settings.configured
        self.host, self.port, self.tls = settings.host, str(settings.port), settings.tls
        self.sender, self.username, self.password_masked = (
            settings.sender,
            settings.username,
            settings.password_masked,
        )

    @rx.event
    def set_tls(self, value: str):
        if self.access == ALLOWED and value in mailer.TLS_MODES:
            self.tls = value
            self.port = str(mailer.DEFAULT_PORTS[value])

    @rx.event
    def set_port(self, value: str):
        if self.access == ALLOWED:  # draft setters do nothing on a tab that never loaded for this role
            self.port = value[:6]

    @rx.event
    async def save(self, form: dict[str, Any]):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        mail_form = mailer.MailForm(
            host=str(form.get("host") or ""),
            port=self.port,
            tls=self.tls,
            sender=str(form.get("sender") or ""),
            username=str(form.get("username") or ""),
            password=str(form.get("password") or ""),
        )
        try:
            with session_scope() as db:
                mailer.save_mail_settings(db, who.tenant_id, mail_form, actor_user_id=who.user_id)
        except mailer.MailSettingsRefused as exc:
            self.errors = {p.field: sentence(p.message) for p in reversed(exc.problems)}
            return None
        self.errors = {}
        self._load(who.tenant_id)
        return rx.toast.success("Email settings saved.")

    @rx.event
    async def turn_off(self):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        with session_scope() as db:
            mailer.clear_mail_settings(db, who.tenant_id, actor_user_id=who.user_id)
        self._load(who.tenant_id)
        self.test_note = ""
        return rx.toast.success("Email is off: Parley sends no email for this workspace.")

    @rx.event(background=True)
    async def send_test(self, form: dict[str, Any]):
        async with self:
            who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
            if who is None:
                return refusal
            self.sending, self.test_note = True, ""
        to = str(form.get("to") or "").strip() or self._email
        result = await asyncio.to_thread(_send_test, who.tenant_id, to)
        async with self:
            self.sending, self.test_ok, self.test_note = False, result.sent, result.message
        return rx.toast.success(result.message) if result.sent else rx.toast.error(result.message)


def _send_test(tenant_id: int, to: str) -> mailer.SendResult:
    with session_scope() as db:
        return mailer.send_test_email(db, tenant_id, to=to)
