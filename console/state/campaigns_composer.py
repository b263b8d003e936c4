"""State of the campaign composer: the message with its live phone preview, the audience with its live
count, WhatsApp's template approval, a test to the manager's own number, and send now or at a set time
after a confirmation that says how many people get it and what it costs.

Every rule is the engine's: limits (engine.campaigns.composer through the service, each refusal shown beside
its field), the audience count (engine.campaigns.audience), the estimate (engine.campaigns.estimate), media
checks and storage (engine.campaigns.media — the same function the REST upload calls). Handlers need
`campaigns:manage`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import reflex as rx

from console.state.campaigns import CampaignsState
from console.state.campaigns_rows import (
    TEMPLATE,
    ButtonDraft,
    FallbackRow,
    fallback_rows,
    preview_bubble,
)
from console.state.formatting import count, money, zone
from console.state.guard import PageState
from console.state.whatsapp_view import Bubble
from engine.accounts import tenants
from engine.accounts.sessions import SignedIn
from engine.campaigns import audience, estimate, media, sample_send, service, templates
from engine.campaigns import variables as V
from engine.campaigns.errors import CampaignError, CampaignStateError
from engine.conversations.display import phone_display
from engine.db import NotFound, session_scope
from engine.security.scopes import Scope

MANAGE = Scope.CAMPAIGNS_MANAGE.value
UPLOAD_ID = "campaign-media"
BUTTONS_MAX = 3


class ComposerState(PageState, rx.State):
    page_key: ClassVar[str] = "campaigns"

    campaign_id: int = 0
    name: str = ""
    body: str = ""
    fallbacks: list[FallbackRow] = []
    media_key: str = ""
    media_type: str = ""
    media_kind: str = ""
    media_label: str = ""
    media_url: str = ""
    uploading: bool = False
    buttons: list[ButtonDraft] = []
    tags: str = ""
    bought_category: str = ""
    ordered_after: str = ""
    ordered_before: str = ""
    audience_count: str = "0"
    audience_note: str = ""
    template_status: str = "none"
    template_label: str = "Not submitted"
    template_color: str = "gray"
    template_reason: str = ""
    errors: dict[str, str] = {}
    sample_label: str = ""
    preview: Bubble = Bubble()
    test_number: str = ""
    when_mode: str = "now"
    send_date: str = ""
    send_time: str = "10:00"
    time_zone: str = "UTC"
    confirm_open: bool = False
    confirm_people: str = ""
    confirm_cost: str = ""
    confirm_note: str = ""
    confirm_when: str = ""
    busy: str = ""  # which action is running: save | submit | test | send

    _known: dict[str, str] = {}

    def on_allowed(self, who: SignedIn) -> Any:
        return None

    def on_refused(self) -> None:
        self._blank()

    # ------------------------------------------------------------------------------------------ helpers

    def _blank(self) -> None:
        self.campaign_id, self.name, self.body = 0, "", ""
        self.fallbacks, self.buttons, self.errors = [], [], {}
        self.media_key = self.media_type = self.media_kind = self.media_label = self.media_url = ""
        self.tags = self.bought_category = self.ordered_after = self.ordered_before = ""
        self.template_status, self.template_reason = "none", ""
        self.when_mode, self.send_date, self.send_time = "now", "", "10:00"
        self.confirm_open, self.busy, self.test_number = False, "", self.test_number
        self._set_template("none", None)

    def _set_template(self, status: str, reason: str | None) -> None:
        self.template_status, self.template_reason = status, reason or ""
        self.template_label, self.template_color = TEMPLATE.get(status, ("Unknown", "gray"))

    def _fallback_map(self) -> dict[str, str]:
        return {f.name: f.value for f in self.fallbacks if f.value.strip()}

    def _raw(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "body": self.body,
            "media_key": self.media_key or None,
            "media_type": self.media_type or None,
            "buttons": [b.to_raw() for b in self.buttons],
            "fallbacks": self._fallback_map(),
            "audience": self._audience(),
        }

    def _audience(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        tags = [t.strip().lower() for t in self.tags.split(",") if t.strip()]
        if tags:
            raw["tags"] = tags
        if self.bought_category.strip():
            raw["bought_category"] = self.bought_category.strip()
        if self.ordered_after:
            raw["last_order_after"] = self.ordered_after
        if self.ordered_before:
            raw["last_order_before"] = self.ordered_before
        return raw

    def _render_preview(self) -> None:
        names = [n for n in V.names_in(self.body) if n in V.VARIABLES]
        old = {f.name: f.value for f in self.fallbacks}
        labels = {n: V.VARIABLES[n][0] for n in V.VARIABLES}
        self.fallbacks = fallback_rows(names, {n: old.get(n, V.VARIABLES[n][1]) for n in names}, labels)
        text = sample_send.preview_text(self.body, self._known, self._fallback_map())
        now = datetime.now(zone(self.time_zone))
        self.preview = preview_bubble(
            text,
            media_url=self.media_url,
            media_kind=self.media_kind,
            media_label=self.media_label,
            buttons=self.buttons,
            time=f"{now:%H:%M}",
        )

    def _count(self, tenant_id: int) -> None:
        try:
            with session_scope() as db:
                rules = service.settings_for(db, tenant_id)
                counted = audience.count_audience(
                    db,
                    tenant_id,
                    audience.parse_filter(self._audience()),
                    cap=rules.frequency_cap,
                    cap_days=rules.frequency_days,
                )
        except CampaignError as exc:
            self.errors = {**self.errors, exc.field: exc.message}
            return
        self.errors = {k: v for k, v in self.errors.items() if not k.startswith("audience")}
        self.audience_count = count(counted.count)
        left = [f"{n} {audience.EXCLUSION_LABELS[k]}" for k, n in counted.exclusions.items() if n]
        self.audience_note = ("Left out: " + "; ".join(left) + ".") if left else "Nobody left out."

    def _show_error(self, exc: CampaignError) -> None:
        self.errors = {exc.field: exc.message[:1].upper() + exc.message[1:]}
        if exc.field.startswith("buttons["):
            index = int(exc.field[len("buttons[") :].split("]")[0])
            for i, b in enumerate(self.buttons):
                b.error = self.errors[exc.field] if i == index else ""
            self.buttons = list(self.buttons)

    def _clear_errors(self) -> None:
        self.errors = {}
        for b in self.buttons:
            b.error = ""
        self.buttons = list(self.buttons)

    async def _manager(self) -> tuple[SignedIn | None, Any]:
        return await self.authorize_or_refuse(MANAGE)

    def _load_context(self, tenant_id: int) -> None:
        with session_scope() as db:
            self.time_zone = tenants.display_settings(db, tenant_id).time_zone
            sample = sample_send.sample_customer(db, tenant_id)
        self._known, self.sample_label = dict(sample.known), sample.label

    # ------------------------------------------------------------------------------------------ opening

    @rx.event
    async def start_new(self):
        who, refusal = await self._manager()
        if who is None:
            return refusal
        self._blank()
        self._load_context(who.tenant_id)
        self.body = "Hi {{first_name}}, "
        self._render_preview()
        self._count(who.tenant_id)
        page = await self.get_state(CampaignsState)
        page.view = "compose"
        return None

    @rx.event
    async def edit(self, campaign_id: int):
        who, refusal = await self._manager()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                view = service.get_campaign(db, who.tenant_id, int(campaign_id))
        except NotFound:
            return rx.toast.error("That campaign is no longer here.")
        self._blank()
        self._load_context(who.tenant_id)
        self.campaign_id, self.name, self.body = view.id, view.name, view.body
        self.media_key, self.media_type = view.media_key or "", view.media_type or ""
        if view.media_key:
            self.media_kind = media.ALLOWED.get(self.media_type, ("", "", 0))[1]
            self.media_url = media.signed_path(view.media_key)
            self.media_label = {"image": "Picture", "video": "Video", "document": "PDF document"}.get(
                self.media_kind, "File"
            )
        self.buttons = [
            ButtonDraft(
                type=b.get("type", "quick_reply"),
                title=b.get("title", ""),
                url=b.get("url", ""),
                phone=b.get("phone", ""),
            )
            for b in view.buttons
        ]
        aud = view.audience or {}
        self.tags = ", ".join(aud.get("tags", []))
        self.bought_category = aud.get("bought_category", "")
        self.ordered_after = aud.get("last_order_after", "")
        self.ordered_before = aud.get("last_order_before", "")
        self._set_template(view.template_status, view.template_reason)
        self._render_preview()
        self.fallbacks = [
            FallbackRow(name=f.name, label=f.label, value=view.fallbacks.get(f.name, f.value))
            for f in self.fallbacks
        ]
        self._render_preview()
        self._count(who.tenant_id)
        page = await self.get_state(CampaignsState)
        page.view = "compose"
        return None

    @rx.event
    async def close(self):
        page = await self.get_state(CampaignsState)
        page.view = "list"
        return CampaignsState.refresh

    # ------------------------------------------------------------------------------------------ message

    @rx.event
    def set_name(self, value: str):
        self.name = value
        self.errors = {k: v for k, v in self.errors.items() if k != "name"}

    @rx.event
    def set_body(self, value: str):
        self.body = value
        self.errors = {k: v for k, v in self.errors.items() if k != "body"}
        self._render_preview()

    @rx.event
    def insert_variable(self, name: str):
        if name in V.VARIABLES:
            self.set_body(self.body + "{{" + name + "}}")

    @rx.event
    def set_fallback(self, name: str, value: str):
        self.fallbacks = [
            FallbackRow(name=f.name, label=f.label, value=value if f.name == name else f.value)
            for f in self.fallbacks
        ]
        self._render_preview()

    @rx.event
    def add_button(self):
        if len(self.buttons) < BUTTONS_MAX:
            self.buttons = [*self.buttons, ButtonDraft()]
            self._render_preview()

    @rx.event
    def remove_button(self, index: int):
        self.buttons = [b for i, b in enumerate(self.buttons) if i != int(index)]
        self._render_preview()

    def _edit_button(self, index: int, **changes: str) -> None:
        drafts = list(self.buttons)
        if 0 <= int(index) < len(drafts):
            b = drafts[int(index)]
            drafts[int(index)] = ButtonDraft(
                type=changes.get("type", b.type),
                title=changes.get("title", b.title),
                url=changes.get("url", b.url),
                phone=changes.get("phone", b.phone),
            )
        self.buttons = drafts
        self._render_preview()

    @rx.event
    def set_button_title(self, index: int, value: str):
        self._edit_button(index, title=value)

    @rx.event
    def set_button_type(self, index: int, value: str):
        self._edit_button(index, type=value)

    @rx.event
    def set_button_url(self, index: int, value: str):
        self._edit_button(index, url=value)

    @rx.event
    def set_button_phone(self, index: int, value: str):
        self._edit_button(index, phone=value)

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """The picture, video or PDF: checked by its bytes and size, kept in the shop's storage."""
        who, refusal = await self._manager()
        if who is None:
            return refusal
        if not files:
            return None
        upload = files[0]
        data = await upload.read(media.UPLOAD_MAX + 1)
        try:
            if len(data) > media.UPLOAD_MAX:
                raise CampaignError("media", f"the file is larger than {media.UPLOAD_MAX // media.MB} MB")
            stored = media.store(who.tenant_id, data)
        except CampaignError as exc:
            self.errors = {"media": exc.message[:1].upper() + exc.message[1:]}
            return None
        self.media_key, self.media_type, self.media_kind = stored.key, stored.content_type, stored.kind
        self.media_url = media.signed_path(stored.key)
        name = (upload.name or "").rsplit("/", 1)[-1][:60]
        self.media_label = name or {"image": "Picture", "video": "Video"}.get(stored.kind, "PDF document")
        self.errors = {k: v for k, v in self.errors.items() if k != "media"}
        self._render_preview()
        return None

    @rx.event
    def remove_media(self):
        self.media_key = self.media_type = self.media_kind = self.media_label = self.media_url = ""
        self._render_preview()

    # ------------------------------------------------------------------------------------------ audience

    async def _audience_changed(self):
        who, refusal = await self._manager()
        if who is None:
            return refusal
        self._count(who.tenant_id)
        return None

    @rx.event
    async def set_tags(self, value: str):
        self.tags = value
        return await self._audience_changed()

    @rx.event
    async def set_bought_category(self, value: str):
        self.bought_category = value
        return await self._audience_changed()

    @rx.event
    async def set_ordered_after(self, value: str):
        self.ordered_after = value
        return await self._audience_changed()

    @rx.event
    async def set_ordered_before(self, value: str):
        self.ordered_before = value
        return await self._audience_changed()

    # ------------------------------------------------------------------------------------------ saving

    def _save(self, tenant_id: int) -> bool:
        """Create or update the draft; False (with the refusal beside its field) when a limit breaks."""
        self._clear_errors()
        try:
            with session_scope() as db:
                if self.campaign_id:
                    view = service.update_campaign(db, tenant_id, self.campaign_id, self._raw())
                else:
                    view = service.create_campaign(db, tenant_id, self._raw())
        except CampaignError as exc:
            self._show_error(exc)
            return False
        self.campaign_id = view.id
        self._set_template(view.template_status, view.template_reason)
        return True

    @rx.event
    async def save_draft(self):
        who, refusal = await self._manager()
        if who is None:
            return refusal
        try:
            if not self._save(who.tenant_id):
                return rx.toast.error("Check the highlighted field.")
        except CampaignStateError as exc:
            return rx.toast.error(str(exc).capitalize())
        return rx.toast.success("Draft saved.")

    @rx.event
    async def submit_template(self):
        """Save, then ask WhatsApp to approve the message (through Twilio's Content API)."""
        who, refusal = await self._manager()
        if who is None:
            return refusal
        try:
            if not self._save(who.tenant_id):
                return rx.toast.error("Check the highlighted field.")
            with session_scope() as db:
                campaign = templates.submit(db, who.tenant_id, self.campaign_id, media_url=media.signed_url)
                self._set_template(campaign.template_status, campaign.template_reason)
        except CampaignStateError as exc:
            return rx.toast.error(str(exc)[:1].upper() + str(exc)[1:])
        if self.template_status == "approved":
            return rx.toast.success("WhatsApp approved the message. You can send it now.")
        return rx.toast.success("Sent to WhatsApp for approval. This usually takes minutes, sometimes a day.")

    @rx.event
    async def check_template(self):
        who, refusal = await self._manager()
        if who is None or not self.campaign_id:
            return refusal
        with session_scope() as db:
            campaign = templates.refresh(db, who.tenant_id, self.campaign_id)
            self._set_template(campaign.template_status, campaign.template_reason)
        return None

    @rx.event
    def set_test_number(self, value: str):
        self.test_number = value
        self.errors = {k: v for k, v in self.errors.items() if k != "test_number"}

    @rx.event
    async def send_test(self):
        who, refusal = await self._manager()
        if who is None:
            return refusal
        try:
            if not self._save(who.tenant_id):
                return rx.toast.error("Check the highlighted field.")
            with session_scope() as db:
                sent = sample_send.send_sample(
                    db, who.tenant_id, self.campaign_id, self.test_number, media_url=media.signed_url
                )
        except CampaignError as exc:
            self._show_error(exc)
            return None
        except CampaignStateError as exc:
            return rx.toast.error(str(exc)[:1].upper() + str(exc)[1:])
        return rx.toast.success(f"Test sent to {phone_display(sent.to)}. Check your phone.")

    # ------------------------------------------------------------------------------------------ sending

    @rx.event
    def set_when_mode(self, value: str):
        self.when_mode = "later" if value == "later" else "now"

    @rx.event
    def set_send_date(self, value: str):
        self.send_date = value

    @rx.event
    def set_send_time(self, value: str):
        self.send_time = value

    def _send_at(self) -> datetime | None:
        if self.when_mode == "now":
            return None
        try:
            local = datetime.fromisoformat(f"{self.send_date}T{self.send_time or '10:00'}")
        except ValueError:
            raise CampaignError("send_at", "choose the day and the time it goes out") from None
        moment = local.replace(tzinfo=zone(self.time_zone))
        if moment <= datetime.now(moment.tzinfo):
            raise CampaignError("send_at", "choose a moment in the future")
        return moment

    @rx.event
    async def review(self):
        """The confirmation: how many people get it, what it costs, and when."""
        who, refusal = await self._manager()
        if who is None:
            return refusal
        try:
            if not self._save(who.tenant_id):
                return rx.toast.error("Check the highlighted field.")
            at = self._send_at()
            with session_scope() as db:
                cost = estimate.estimate_cost(db, who.tenant_id, self._audience())
        except CampaignError as exc:
            self._show_error(exc)
            return None
        if self.template_status != "approved":
            return rx.toast.error("WhatsApp has to approve the message before it can go out.")
        people = "person" if cost.recipients == 1 else "people"
        self.confirm_people = f"{count(cost.recipients)} {people} will receive “{self.name}”."
        self.confirm_cost = f"Estimated cost: {money(cost.cost, cost.currency, precise=True)}"
        day = datetime.fromisoformat(cost.as_of)
        self.confirm_note = (
            f"From WhatsApp's template prices of {day:%B} {day.day}, {day.year}, by each number's country, "
            "Twilio's fee included. Opted-out customers never get it."
        )
        self.confirm_when = (
            "It starts going out as soon as you confirm."
            if at is None
            else f"It goes out on {at:%A, %B} {at.day} at {at:%H:%M} ({self.time_zone})."
        )
        self.confirm_open = True
        return None

    @rx.event
    def close_confirm(self):
        self.confirm_open = False

    @rx.event
    async def confirm_send(self):
        who, refusal = await self._manager()
        if who is None:
            return refusal
        try:
            at = self._send_at()
            with session_scope() as db:
                service.schedule(db, who.tenant_id, self.campaign_id, at)
        except CampaignError as exc:
            self.confirm_open = False
            self._show_error(exc)
            return None
        except (CampaignStateError, NotFound) as exc:
            self.confirm_open = False
            return rx.toast.error(str(exc)[:1].upper() + str(exc)[1:])
        self.confirm_open = False
        page = await self.get_state(CampaignsState)
        page.view = "list"
        done = "Sending has started." if at is None else "Scheduled."
        return [rx.toast.success(done), CampaignsState.refresh]


__all__ = ["UPLOAD_ID", "ComposerState"]
