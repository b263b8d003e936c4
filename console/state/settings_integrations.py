"""State of Settings → Integrations: the shop's webhook endpoints, the secret shown once, test deliveries, the
delivery log with resend — and the ratings asked in the chat after each resolution.

The rules live in engine.integrations (endpoints, delivery, log) and engine.conversations.ratings; this state
holds page-sized rows and re-checks the signed-in person in every handler.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import reflex as rx

from console.state.formatting import url_parts, when
from console.state.guard import ALLOWED, PageState
from console.state.session import sentence
from engine.accounts import tenants
from engine.accounts.sessions import SignedIn
from engine.conversations import rating_prompts, ratings
from engine.db import NotFound, session_scope
from engine.integrations import delivery, endpoints, log
from engine.integrations.catalog import EVENT_TYPES
from engine.security.scopes import PAGE_SCOPES

SETTINGS_SCOPE = PAGE_SCOPES["settings"]
EVENT_CHOICES: list[tuple[str, str]] = list(EVENT_TYPES.items())
TEMPLATE_WORDS = {
    "none": "No template yet: customers outside the 24-hour window are not asked.",
    "pending": "Waiting for WhatsApp to approve the template.",
    "approved": "Approved: customers outside the 24-hour window are asked with it.",
    "rejected": "WhatsApp rejected the template; change the wording and submit again.",
}


class IntegrationsState(PageState, rx.State):
    page_key: ClassVar[str] = "settings"

    hooks: list[dict[str, Any]] = []  # the endpoints, as rows
    # the new-endpoint form
    new_events: list[str] = []
    include_text: bool = False
    errors: dict[str, str] = {}
    # the secret, shown once (after create or rotate)
    secret: str = ""
    secret_for: str = ""
    # the delivery log of one endpoint
    log_endpoint_id: int = 0
    log_name: str = ""
    log_rows: list[dict[str, Any]] = []
    log_total: int = 0
    testing_id: int = 0
    # ratings
    rating_enabled: bool = False
    rating_scale: str = "3"
    rating_titles: list[str] = ["", "", ""]
    rating_question: str = ""
    rating_low: str = "1"
    rating_reopen: bool = False
    rating_days: str = "7"
    rating_window: str = "12"
    rating_template: str = "none"
    rating_error: str = ""
    _time_zone: str = "UTC"

    def on_allowed(self, who: SignedIn) -> Any:
        self._load(who.tenant_id)
        return None

    def on_refused(self) -> None:
        self.hooks, self.log_rows, self.secret, self.errors = [], [], "", {}

    # ------------------------------------------------------------------------------------------ loading

    def _load(self, tenant_id: int) -> None:
        with session_scope() as db:
            self._time_zone = tenants.display_settings(db, tenant_id).time_zone
            views = endpoints.list_endpoints(db, tenant_id)
            rules = ratings.rules(db, tenant_id)
        self.hooks = [self._row(v) for v in views]
        self._show_rules(rules)
        if self.log_endpoint_id and not any(e["id"] == self.log_endpoint_id for e in self.hooks):
            self.log_endpoint_id, self.log_rows, self.log_total = 0, [], 0

    def _row(self, v: endpoints.EndpointView) -> dict[str, Any]:
        return {
            "id": v.id,
            "name": v.name,
            "url": v.url,
            "url_parts": url_parts(v.url),  # where it may wrap on a phone
            "events": ", ".join(EVENT_TYPES.get(e, e) for e in v.events),
            "active": v.is_active,
            "include_text": v.include_customer_text,
            "notice": v.disabled_reason or "",
            "failing": when(v.failing_since, self._time_zone, empty=""),
        }

    def _show_rules(self, rules: ratings.RatingRules) -> None:
        self.rating_enabled = rules.enabled
        self.rating_scale = str(rules.scale)
        titles = list(rules.titles) + [""] * 3
        self.rating_titles = titles[:3]
        self.rating_question = rules.question or ""
        self.rating_low = str(rules.low_at_most)
        self.rating_reopen = rules.reopen_on_low
        self.rating_days = str(rules.min_days_between)
        self.rating_window = str(rules.resolution_window_hours)
        self.rating_template = rules.template_status

    def _load_log(self, tenant_id: int) -> None:
        if not self.log_endpoint_id:
            return
        with session_scope() as db:
            page = log.deliveries(db, tenant_id, self.log_endpoint_id, limit=25)
        self.log_total = page.total
        self.log_rows = [
            {
                "id": line.id,
                "when": when(line.created_at, self._time_zone),
                "event": line.event_label,
                "status": line.status_label,
                "ok": line.status == "delivered",
                "failed": line.status == "failed",
                "code": str(line.status_code) if line.status_code is not None else "—",
                "latency": f"{line.latency_ms} ms" if line.latency_ms is not None else "—",
                "answer": (line.response_excerpt or line.error or "")[:140],
                "tries": str(line.attempts),
            }
            for line in page.lines
        ]

    # ------------------------------------------------------------------------------------------ endpoints

    @rx.event
    def toggle_event(self, event_type: str, checked: bool):
        if self.access != ALLOWED or event_type not in EVENT_TYPES:
            return
        chosen = [e for e in self.new_events if e != event_type]
        self.new_events = chosen + [event_type] if checked else chosen

    @rx.event
    def set_include_text(self, value: bool):
        if self.access == ALLOWED:
            self.include_text = bool(value)

    @rx.event
    async def create(self, form: dict[str, Any]):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                created = endpoints.create(
                    db,
                    who.tenant_id,
                    name=str(form.get("name") or ""),
                    url=str(form.get("url") or ""),
                    events=list(self.new_events),
                    include_customer_text=self.include_text,
                    user_id=who.user_id,
                )
        except endpoints.IntegrationError as exc:
            self.errors = {exc.field or "form": sentence(str(exc))}
            return None
        self.errors, self.new_events, self.include_text = {}, [], False
        self.secret, self.secret_for = created.secret, created.endpoint.name
        self._load(who.tenant_id)
        return [
            rx.set_value("endpoint-name", ""),
            rx.set_value("endpoint-url", ""),
            rx.toast.success("Endpoint added."),
        ]

    @rx.event
    def hide_secret(self):
        self.secret, self.secret_for = "", ""

    @rx.event
    async def rotate(self, endpoint_id: int):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                secret = endpoints.rotate_secret(db, who.tenant_id, int(endpoint_id), user_id=who.user_id)
                name = endpoints.get(db, who.tenant_id, int(endpoint_id)).name
        except NotFound:
            return rx.toast.error("That endpoint is gone.")
        self.secret, self.secret_for = secret, name
        return rx.toast.success("New secret made: the old one no longer verifies.")

    @rx.event
    async def set_active(self, endpoint_id: int, active: bool):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        with session_scope() as db:
            endpoints.update(db, who.tenant_id, int(endpoint_id), is_active=bool(active), user_id=who.user_id)
        self._load(who.tenant_id)
        return rx.toast.success(
            "Endpoint turned on." if active else "Endpoint paused: nothing is sent to it."
        )

    @rx.event
    async def remove(self, endpoint_id: int):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        with session_scope() as db:
            endpoints.delete(db, who.tenant_id, int(endpoint_id), user_id=who.user_id)
        self._load(who.tenant_id)
        return rx.toast.success("Endpoint removed.")

    @rx.event
    async def open_log(self, endpoint_id: int):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        self.log_endpoint_id = int(endpoint_id)
        self.log_name = next((e["name"] for e in self.hooks if e["id"] == int(endpoint_id)), "")
        self._load_log(who.tenant_id)
        return None

    @rx.event
    async def refresh_log(self):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        self._load_log(who.tenant_id)
        return None

    @rx.event(background=True)
    async def send_test(self, endpoint_id: int):
        async with self:
            who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
            if who is None:
                return refusal
            self.testing_id = int(endpoint_id)
        try:
            line = await asyncio.to_thread(_send_test, who.tenant_id, int(endpoint_id))
        except delivery.DeliveryError as exc:
            async with self:
                self.testing_id = 0
            return rx.toast.error(str(exc))
        async with self:
            self.testing_id = 0
            self.log_endpoint_id = int(endpoint_id)
            self.log_name = next((e["name"] for e in self.hooks if e["id"] == int(endpoint_id)), "")
            self._load_log(who.tenant_id)
            self._load(who.tenant_id)
        if line.status == "delivered":
            return rx.toast.success(f"Test delivered: your endpoint answered {line.status_code}.")
        return rx.toast.error(f"Test not delivered: {line.error or line.status_label}.")

    @rx.event
    async def resend(self, delivery_id: int):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                delivery.resend(db, who.tenant_id, int(delivery_id))
        except delivery.DeliveryError as exc:
            return rx.toast.error(str(exc))
        self._load_log(who.tenant_id)
        return rx.toast.success("Sent again with the same event id: it appears here within seconds.")

    # ------------------------------------------------------------------------------------------ ratings

    @rx.event
    def set_rating_enabled(self, value: bool):
        if self.access == ALLOWED:
            self.rating_enabled = bool(value)

    @rx.event
    def set_rating_scale(self, value: str):
        if self.access == ALLOWED and value in ("2", "3"):
            self.rating_scale = value

    @rx.event
    def set_rating_reopen(self, value: bool):
        if self.access == ALLOWED:
            self.rating_reopen = bool(value)

    @rx.event
    async def save_ratings(self, form: dict[str, Any]):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        scale = int(self.rating_scale)
        titles = [str(form.get(f"title_{i}") or "") for i in range(scale)]
        try:
            with session_scope() as db:
                saved = ratings.save_rules(
                    db,
                    who.tenant_id,
                    enabled=self.rating_enabled,
                    scale=scale,
                    titles=titles,
                    question=str(form.get("question") or ""),
                    low_at_most=_number(form.get("low_at_most"), 1),
                    reopen_on_low=self.rating_reopen,
                    min_days_between=_number(form.get("min_days_between"), -1),
                    resolution_window_hours=_number(form.get("resolution_window_hours"), 0),
                )
        except ratings.RatingError as exc:
            self.rating_error = sentence(str(exc))
            return None
        self.rating_error = ""
        self._show_rules(saved)
        return rx.toast.success("Rating settings saved." if saved.enabled else "Saved: ratings are off.")

    @rx.event(background=True)
    async def submit_template(self):
        async with self:
            who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
            if who is None:
                return refusal
        try:
            saved = await asyncio.to_thread(_submit_template, who.tenant_id)
        except ratings.RatingError as exc:
            return rx.toast.error(str(exc))
        async with self:
            self._show_rules(saved)
        return rx.toast.success("Template sent to WhatsApp for approval (this can take a day).")

    @rx.var
    def template_note(self) -> str:
        return TEMPLATE_WORDS.get(self.rating_template, self.rating_template)


def _number(value: Any, fallback: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return fallback


def _send_test(tenant_id: int, endpoint_id: int) -> log.DeliveryLine:
    with session_scope() as db:
        delivery_id = delivery.send_test(db, tenant_id, endpoint_id)
    delivery.deliver_one(delivery_id)
    with session_scope() as db:
        return log.delivery(db, tenant_id, delivery_id)


def _submit_template(tenant_id: int) -> ratings.RatingRules:
    with session_scope() as db:
        return rating_prompts.submit_template(db, tenant_id)
