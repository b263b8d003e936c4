"""State of Settings → General: name, time zone, currency, business hours (with breaks), the agent's language.

The rules live in engine.accounts.workspace; this state holds the draft as display strings, shows the
engine's refusals next to their field, and saves with one call (audited there). Owners and admins only.
"""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from console.state.guard import PageState
from console.state.session import sentence
from engine.accounts import workspace
from engine.accounts.sessions import SignedIn
from engine.db import session_scope
from engine.security.scopes import PAGE_SCOPES

SETTINGS_SCOPE = PAGE_SCOPES["settings"]
TIME_ZONES: list[str] = list(workspace.time_zone_choices())
CURRENCIES: list[list[str]] = [[code, f"{code} — {name}"] for code, name in workspace.currency_choices()]
LANGUAGES: list[list[str]] = [[code, name] for code, name in workspace.language_choices()]
DAY_LABELS: list[list[str]] = [[d, workspace.DAY_NAMES[d]] for d in workspace.DAYS]


class GeneralSettingsState(PageState, rx.State):
    page_key: ClassVar[str] = "settings"

    name: str = ""
    time_zone: str = "UTC"
    zone_query: str = ""
    currency: str = "USD"
    language: str = "en"
    # day → list of [start, end]; an empty list is a closed day.
    weekly: dict[str, list[list[str]]] = {}
    errors: dict[str, str] = {}
    dirty: bool = False
    saved_note: str = ""

    @rx.var
    def zone_matches(self) -> list[str]:
        query = self.zone_query.strip().lower().replace(" ", "_")
        if not query:
            return []
        return [z for z in TIME_ZONES if query in z.lower()][:12]

    def on_allowed(self, who: SignedIn) -> Any:
        with session_scope() as db:
            self._apply(workspace.workspace_settings(db, who.tenant_id))
        return None

    def on_refused(self) -> None:
        self.name, self.weekly, self.errors, self.dirty = "", {}, {}, False

    def _apply(self, settings: workspace.WorkspaceSettings) -> None:
        self.name, self.time_zone, self.currency = settings.name, settings.time_zone, settings.currency
        self.language = settings.agent_language
        self.weekly = {d: [list(p) for p in settings.weekly.get(d, [])] for d in workspace.DAYS}
        self.errors, self.dirty, self.zone_query = {}, False, ""
        self.saved_note = "Saved"

    def _form(self) -> workspace.WorkspaceForm:
        return workspace.WorkspaceForm(
            name=self.name,
            time_zone=self.time_zone,
            currency=self.currency,
            agent_language=self.language,
            weekly=self.weekly,
        )

    def _check(self) -> None:
        """Inline validation: the engine's own checks, nothing written."""
        _, problems = workspace.validate_workspace(self._form())
        errors: dict[str, str] = {}
        for p in problems:
            errors.setdefault(p.field, sentence(p.message))
        self.errors = errors
        self.dirty = True

    def _editable(self) -> bool:
        return self.access == "ok"

    @rx.event
    def set_name(self, value: str):
        if self._editable():
            self.name = value[:200]
            self._check()

    @rx.event
    def set_zone_query(self, value: str):
        self.zone_query = value[:64]

    @rx.event
    def pick_zone(self, zone: str):
        if self._editable() and zone in TIME_ZONES:
            self.time_zone, self.zone_query = zone, ""
            self._check()

    @rx.event
    def set_currency(self, value: str):
        if self._editable():
            self.currency = value
            self._check()

    @rx.event
    def set_language(self, value: str):
        if self._editable():
            self.language = value
            self._check()

    @rx.event
    def set_day_open(self, day: str, value: bool):
        if self._editable() and day in workspace.DAYS:
            self.weekly = {**self.weekly, day: [["09:00", "17:00"]] if value else []}
            self._check()

    @rx.event
    def add_break(self, day: str):
        """Split the day's last period in two around a one-hour break (edited afterwards)."""
        if not self._editable() or not self.weekly.get(day):
            return
        periods = [list(p) for p in self.weekly[day]]
        start, end = periods[-1]
        periods[-1] = [start, "12:00"]
        periods.append(["13:00", end])
        self.weekly = {**self.weekly, day: periods}
        self._check()

    @rx.event
    def remove_period(self, day: str, index: int):
        if self._editable() and 0 <= index < len(self.weekly.get(day, [])):
            self.weekly = {**self.weekly, day: [p for i, p in enumerate(self.weekly[day]) if i != index]}
            self._check()

    @rx.event
    def set_time(self, day: str, index: int, which: int, value: str):
        if self._editable() and 0 <= index < len(self.weekly.get(day, [])) and which in (0, 1):
            periods = [list(p) for p in self.weekly[day]]
            periods[index][which] = value[:5]
            self.weekly = {**self.weekly, day: periods}
            self._check()

    @rx.event
    async def discard(self):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        with session_scope() as db:
            self._apply(workspace.workspace_settings(db, who.tenant_id))
        return None

    @rx.event
    async def save(self):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                saved = workspace.update_workspace(db, who.tenant_id, self._form(), actor_user_id=who.user_id)
        except workspace.WorkspaceError as exc:
            self.errors = {p.field: sentence(p.message) for p in reversed(exc.problems)}
            return rx.toast.error("Some fields need fixing before saving.")
        self._apply(saved)
        return rx.toast.success("Workspace settings saved. Prices and times use them from now on.")
