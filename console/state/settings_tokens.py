"""State of Settings → API tokens: create (the secret shown once), list, revoke (engine.accounts.api_tokens).

Owners and admins only (settings:manage, the Settings page's scope); every handler re-checks the session.
The new token's secret lives in `created_token` only until the dialog closes: then it is gone from the state,
and the engine keeps nothing but its hash.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import reflex as rx

from console.state.formatting import when
from console.state.guard import ALLOWED, PageState
from console.state.session import sentence
from engine.accounts import api_tokens, tenants
from engine.accounts.errors import AccountError
from engine.accounts.sessions import SignedIn
from engine.db import session_scope
from engine.security.scopes import API_SCOPES, PAGE_SCOPES, Scope

SETTINGS_SCOPE = PAGE_SCOPES["settings"]

# (scope, name, what a token with it may do), in the order the checkboxes are drawn.
SCOPE_CHOICES: tuple[tuple[str, str, str], ...] = (
    (Scope.ANALYTICS_VIEW.value, "Analytics", "Conversation figures and AI spend"),
    (Scope.CONVERSATIONS_REPLY.value, "Conversations", "Read chats and reply as staff"),
    (Scope.CAMPAIGNS_MANAGE.value, "Campaigns", "Create, schedule and send campaigns"),
    (Scope.INTEGRATIONS_MANAGE.value, "Integrations", "Sync knowledge and catalog from your systems"),
    (Scope.CUSTOMERS_MANAGE.value, "Customers", "Read and correct customers; erase one on request"),
)
SCOPE_NAMES: dict[str, str] = {value: name for value, name, _ in SCOPE_CHOICES}
assert set(SCOPE_NAMES) == set(API_SCOPES), "every API scope needs a checkbox"


@dataclasses.dataclass
class TokenRow:
    """One token as the table draws it: never the secret, only the first characters."""

    token_id: str = ""
    name: str = ""
    prefix: str = ""
    scopes: list[str] = dataclasses.field(default_factory=list)
    created: str = ""
    last_used: str = ""
    revoked: bool = False


class ApiTokensState(PageState, rx.State):
    """The API tokens tab."""

    page_key: ClassVar[str] = "settings"

    tokens: list[TokenRow] = []
    loaded: bool = False

    create_open: bool = False
    new_scopes: list[str] = []
    name_error: str = ""
    scopes_error: str = ""
    created_name: str = ""
    created_token: str = ""

    revoke_open: bool = False
    revoke_id: str = ""
    revoke_name: str = ""

    @rx.var
    def active_count(self) -> int:
        return sum(1 for t in self.tokens if not t.revoked)

    def on_allowed(self, who: SignedIn) -> Any:
        self._load(who)
        return None

    def on_refused(self) -> None:
        self.tokens = []
        self.loaded = False
        self._reset_create()
        self._close_revoke()

    def _load(self, who: SignedIn) -> None:
        with session_scope() as db:
            rows = api_tokens.list_tokens(db, who.tenant_id)
            time_zone = tenants.display_settings(db, who.tenant_id).time_zone
        self.tokens = [
            TokenRow(
                token_id=str(t.id),
                name=t.name,
                prefix=f"{t.prefix}…",
                scopes=[SCOPE_NAMES.get(s, s) for s in t.scopes],
                created=when(t.created_at, time_zone),
                last_used=when(t.last_used_at, time_zone, empty="Never used"),
                revoked=t.revoked,
            )
            for t in rows
        ]
        self.loaded = True

    # -- create ---------------------------------------------------------------------------------------------

    def _reset_create(self) -> None:
        self.create_open = False
        self.new_scopes = []
        self.name_error = self.scopes_error = ""
        self.created_name = self.created_token = ""

    @rx.event
    async def open_create(self):
        _, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if refusal is not None:
            return refusal
        self._reset_create()
        self.create_open = True
        return None

    @rx.event
    def set_create_open(self, is_open: bool):
        """Closing forgets the token: it is shown once. Opening goes through `open_create` (role checked)."""
        if not is_open:
            self._reset_create()

    @rx.event
    def clear_name_error(self, _value: str = ""):
        """Typing a name clears the "give it a name" message (this dialog's draft only)."""
        if self.name_error:
            self.name_error = ""

    @rx.event
    def set_new_scopes(self, scopes: list[str]):
        """The ticked scopes (this dialog's draft only; `create` checks the role and the scopes)."""
        if self.access != ALLOWED:
            return
        self.new_scopes = [s for s in scopes if s in API_SCOPES]
        self.scopes_error = ""

    @rx.event
    async def create(self, form: dict[str, Any]):
        """Issue a token with the ticked scopes; its secret is shown in the dialog this once."""
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        name = str(form.get("name") or "").strip()
        self.name_error = "" if name else "Give the token a name, e.g. the system that will use it."
        self.scopes_error = "" if self.new_scopes else "Tick at least one scope."
        if self.name_error or self.scopes_error:
            return None
        try:
            with session_scope() as db:
                issued = api_tokens.create_token(
                    db, who.tenant_id, name=name, scopes=list(self.new_scopes), created_by_user_id=who.user_id
                )
        except AccountError as exc:
            message = sentence(str(exc))
            if "scope" in message.lower():
                self.scopes_error = message
            else:
                self.name_error = message
            return None
        self._load(who)
        self.created_name = issued.info.name
        self.created_token = issued.token
        return rx.toast.success(f"Token “{issued.info.name}” created. Copy it now: it is shown once.")

    # -- revoke ---------------------------------------------------------------------------------------------

    @rx.event
    async def ask_revoke(self, token_id: str, name: str):
        _, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if refusal is not None:
            return refusal
        self.revoke_id = token_id
        self.revoke_name = name
        self.revoke_open = True
        return None

    @rx.event
    def set_revoke_open(self, is_open: bool):
        """Cancel the confirmation; opening goes through `ask_revoke`, which checks the role."""
        if not is_open:
            self._close_revoke()

    def _close_revoke(self) -> None:
        self.revoke_open = False
        self.revoke_id = self.revoke_name = ""

    @rx.event
    async def confirm_revoke(self):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        name = self.revoke_name
        try:
            token_id = int(self.revoke_id)
            with session_scope() as db:
                api_tokens.revoke_token(db, who.tenant_id, token_id, actor_user_id=who.user_id)
        except (AccountError, ValueError) as exc:
            self._close_revoke()
            return rx.toast.error(sentence(str(exc)))
        self._close_revoke()
        self._load(who)
        return rx.toast.success(f"Token “{name}” revoked: requests with it are refused from now on.")
