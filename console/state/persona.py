"""State of the Persona page: the draft persona, its live system prompt, and "Try a message".

Everything goes through `engine.agent` (`AgentConfigurationService`, `preview_persona`): the rules live there.
This state holds the draft as form fields, turns it into a `PersonaForm` dict, shows the engine's refusals
next to the field they concern, and keeps display strings only (never ORM rows).

The system prompt is re-rendered from the draft on every change (`preview_persona(..., with_reply=False)`,
database reads only): what the page shows is exactly what the model would get. "Try a message" runs the draft
through the same steps as a customer turn in a background event (the model call may take seconds) and saves
nothing. Save validates and stores the whole form at once; the engine audits it and drops the cached persona.

Only roles with agent:manage (owners, admins, managers) get here: every handler re-checks the session first;
the draft setters change nothing but this tab's form, and nothing at all unless the page loaded for them.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import reflex as rx

from console.state.guard import ALLOWED, PageState
from console.state.persona_rows import (
    FIELD_KEYS,
    TONE_CHOICES,
    HoursRow,
    ModelChoice,
    ModelRow,
    chain_prices,
    hours_rows,
    lines_of,
    sample_bubbles,
)
from console.state.session import sentence
from console.state.whatsapp_view import Bubble
from engine.accounts.sessions import SignedIn
from engine.agent.persona import (
    DEFAULT_HANDOFF_TOPICS,
    AgentConfigurationService,
    PersonaSettings,
    PersonaValidationError,
    persona_page,
)
from engine.agent.preview import DEFAULT_SAMPLE, preview_persona
from engine.db import session_scope
from engine.llm.model_chain import (
    MAX_FALLBACKS,
    model_chain,
    model_choices,
    pricing_as_of,
    pricing_currency,
)
from engine.security.scopes import PAGE_SCOPES

AGENT_SCOPE = PAGE_SCOPES["persona"]


def _preview(tenant_id: int, form: dict[str, Any], sample: str, with_reply: bool) -> Any:
    with session_scope() as db:
        return preview_persona(db, tenant_id, form, sample, with_reply=with_reply)


class PersonaState(PageState, rx.State):
    """The Persona page (scope from PAGE_SCOPES["persona"]: agent:manage)."""

    page_key: ClassVar[str] = "persona"

    loaded: bool = False
    business: str = ""
    provider: str = "offline"
    pricing_date: str = ""
    updated: str = ""

    # The draft: Identity.
    agent_name: str = ""
    traits: list[str] = []
    trait_input: str = ""
    tone: str = "friendly"
    greeting: str = ""
    # Behaviour.
    restrictions: str = ""
    disclaimers: str = ""
    suggestions_on: bool = True
    spelling_on: bool = True
    rich_on: bool = True
    # Models.
    default_model: str = ""
    fallbacks: list[str] = []
    temperature: float = 0.3
    max_tokens: str = "600"
    # Handoff.
    threshold: int = 55
    topics: list[str] = []
    topic_input: str = ""
    frustration_offer: bool = False  # offer a person with a button instead of handing off (issue #13)
    low_turns: str = "2"
    hours_on: bool = False
    hours_zone: str = "UTC"
    hours: list[HoursRow] = []

    dirty: bool = False
    errors: dict[str, str] = {}
    saving: bool = False

    # Drawn from the draft.
    prompt: str = ""
    prompt_lines: int = 0
    model_rows: list[ModelRow] = []
    model_choices: list[ModelChoice] = []
    tone_choices: list[list[str]] = TONE_CHOICES

    # "Try a message".
    sample: str = DEFAULT_SAMPLE
    trying: bool = False
    tried: bool = False
    reply_bubbles: list[Bubble] = []
    reply_meta: str = ""
    reply_handoff: str = ""
    reply_error: str = ""

    _saved_form: dict[str, Any] = {}
    # The workspace the draft was loaded for: set by on_allowed only, for the draft's own redraws (reads).
    # Handlers that write or call the model re-authorize the session instead.
    _tenant_id: int = 0

    # -- loading --------------------------------------------------------------------------------------------

    def on_allowed(self, who: SignedIn) -> Any:
        self._tenant_id = who.tenant_id
        with session_scope() as db:
            page = persona_page(db, who.tenant_id)
        self.business = page.business_name
        self._apply(page.settings, page.time_zone)
        self.loaded = True
        self.tried = False
        self.reply_bubbles, self.reply_meta, self.reply_handoff, self.reply_error = [], "", "", ""
        return None

    def on_refused(self) -> None:
        self.loaded = self.dirty = self.trying = self.tried = self.saving = False
        self.agent_name = self.greeting = self.restrictions = self.disclaimers = self.prompt = ""
        self.traits, self.topics, self.fallbacks, self.hours = [], [], [], []
        self.model_rows, self.model_choices, self.reply_bubbles = [], [], []
        self.errors, self._saved_form, self._tenant_id = {}, {}, 0
        self.reply_meta = self.reply_handoff = self.reply_error = self.business = ""

    def _apply(self, settings: PersonaSettings, zone: str) -> None:
        """Reset the draft to what is stored."""
        self.provider = settings.llm_provider
        self.agent_name = settings.agent_name
        self.traits = list(settings.personality_traits)
        self.tone = settings.tone
        self.greeting = settings.greeting_message or ""
        self.restrictions = "\n".join(settings.behavioral_restrictions)
        self.disclaimers = "\n".join(settings.required_disclaimers)
        self.suggestions_on = settings.enable_proactive_suggestions
        self.spelling_on = settings.enable_spelling_correction
        self.rich_on = settings.enable_rich_messages
        self.default_model = settings.default_model
        self.fallbacks = list(settings.fallback_models)
        self.temperature = round(float(settings.temperature), 2)
        self.max_tokens = str(settings.max_tokens)
        self.threshold = round(settings.confidence_threshold * 100)
        self.topics = list(settings.handoff_topics)
        self.frustration_offer = settings.frustration_action == "offer"
        self.low_turns = str(settings.max_low_confidence_turns)
        hours = settings.business_hours or {}
        self.hours_on = bool(hours.get("weekly"))
        self.hours_zone = str(hours.get("timezone") or zone or "UTC")
        self.hours = hours_rows(hours)
        self.trait_input = self.topic_input = ""
        self.updated = (
            f"Saved {settings.updated_at:%B} {settings.updated_at.day}, {settings.updated_at:%Y %H:%M} UTC"
            if settings.updated_at
            else "Defaults: not saved yet"
        )
        self.errors = {}
        self._saved_form = self._form()
        self.dirty = False
        self._models()
        self._refresh_prompt()

    # -- the form the engine reads --------------------------------------------------------------------------

    def _form(self) -> dict[str, Any]:
        return {
            "agent_name": self.agent_name,
            "personality_traits": list(self.traits),
            "tone": self.tone,
            "greeting_message": self.greeting,
            "behavioral_restrictions": lines_of(self.restrictions),
            "required_disclaimers": self.disclaimers,
            "enable_proactive_suggestions": self.suggestions_on,
            "enable_spelling_correction": self.spelling_on,
            "enable_rich_messages": self.rich_on,
            "default_model": self.default_model,
            "fallback_models": list(self.fallbacks),
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "confidence_threshold": round(self.threshold / 100, 2),
            "handoff_topics": list(self.topics),
            "max_low_confidence_turns": self.low_turns,
            "frustration_action": "offer" if self.frustration_offer else "handoff",
        }

    def _changed(self) -> None:
        """After any draft edit: mark unsaved changes, redraw the chain and the prompt with live checks."""
        self.dirty = self._form() != self._saved_form
        self._models()
        self._refresh_prompt()

    def _refresh_prompt(self) -> None:
        """Re-render the system prompt from the draft (database reads only) and the live field checks."""
        if not self._tenant_id:
            return
        result = _preview(self._tenant_id, self._form(), self.sample, False)
        self.errors = {FIELD_KEYS.get(p.field, p.field): sentence(p.message) for p in result.problems}
        if not result.problems:
            self.prompt = result.system_prompt
            self.prompt_lines = result.system_prompt.count("\n") + 1

    # -- models ---------------------------------------------------------------------------------------------

    def _models(self) -> None:
        """The chain and the pickers with their prices, from the engine's one model-chain rule."""
        currency = pricing_currency()
        as_of = pricing_as_of()
        self.pricing_date = f"{as_of:%B} {as_of.day}, {as_of.year}" if as_of else ""
        chain = [self.default_model, *self.fallbacks]
        models = model_chain(self.provider, chain)
        rows = []
        for index, (ref, model) in enumerate(zip(chain, models, strict=True)):
            price_in, price_out = chain_prices(model, currency)
            rows.append(
                ModelRow(
                    ref=ref,
                    model=model.model,
                    provider=model.provider_label,
                    role=model.role,
                    price_in=price_in,
                    price_out=price_out,
                    note=model.note,
                    first=index == 0,
                    last=index == len(chain) - 1,
                )
            )
        self.model_rows = rows
        choices = []
        for model in model_choices(self.provider, exclude=chain):
            price_in, price_out = chain_prices(model, currency)
            prices = f"{price_in} in · {price_out} out"
            choices.append(
                ModelChoice(
                    ref=model.stored_ref,
                    label=f"{model.model} · {model.provider_label}",
                    prices=prices,
                    text=f"{model.model} ({model.provider_label}) — {prices} per 1M tokens",
                )
            )
        self.model_choices = choices

    # -- draft setters (this tab's form only) ---------------------------------------------------------------

    def _editable(self) -> bool:
        return self.access == ALLOWED and self.loaded

    @rx.event
    def set_agent_name(self, value: str):
        if self._editable():
            self.agent_name = value[:120]
            self._changed()

    @rx.event
    def set_tone(self, value: str):
        if self._editable():
            self.tone = value
            self._changed()

    @rx.event
    def set_greeting(self, value: str):
        if self._editable():
            self.greeting = value[:1000]
            self._changed()

    @rx.event
    def set_trait_input(self, value: str):
        self.trait_input = value[:300]

    @rx.event
    def add_trait(self, form: dict[str, Any] | None = None):
        if not self._editable():
            return
        value = " ".join(str((form or {}).get("trait") or self.trait_input).split())
        if value and value not in self.traits:
            self.traits = [*self.traits, value]
            self._changed()
        self.trait_input = ""

    @rx.event
    def remove_trait(self, value: str):
        if self._editable():
            self.traits = [t for t in self.traits if t != value]
            self._changed()

    @rx.event
    def set_restrictions(self, value: str):
        if self._editable():
            self.restrictions = value[:8000]
            self._changed()

    @rx.event
    def set_disclaimers(self, value: str):
        if self._editable():
            self.disclaimers = value[:3000]
            self._changed()

    @rx.event
    def set_toggle(self, name: str, value: bool):
        if self._editable() and name in ("suggestions_on", "spelling_on", "rich_on"):
            setattr(self, name, bool(value))
            self._changed()

    @rx.event
    def set_default_model(self, ref: str):
        if not self._editable() or not ref:
            return
        previous = self.default_model
        self.default_model = ref
        # The old default becomes the first fallback: changing the default never drops a model silently.
        rest = [m for m in self.fallbacks if m != ref]
        if previous and previous != ref and previous not in rest:
            rest = [previous, *rest]
        self.fallbacks = rest[:MAX_FALLBACKS]
        self._changed()

    @rx.event
    def add_fallback(self, ref: str):
        if self._editable() and ref and ref != self.default_model and ref not in self.fallbacks:
            self.fallbacks = [*self.fallbacks, ref]
            self._changed()

    @rx.event
    def move_model(self, ref: str, step: int):
        """Move a model up or down the chain; the first one is the default."""
        if not self._editable():
            return
        chain = [self.default_model, *self.fallbacks]
        if ref not in chain:
            return
        index = chain.index(ref)
        target = index + int(step)
        if not 0 <= target < len(chain):
            return
        chain[index], chain[target] = chain[target], chain[index]
        self.default_model, self.fallbacks = chain[0], chain[1:]
        self._changed()

    @rx.event
    def remove_model(self, ref: str):
        if not self._editable():
            return
        if ref in self.fallbacks:
            self.fallbacks = [m for m in self.fallbacks if m != ref]
        elif ref == self.default_model and self.fallbacks:
            self.default_model, self.fallbacks = self.fallbacks[0], self.fallbacks[1:]
        self._changed()

    @rx.event
    def set_temperature(self, value: list[float] | float):
        if self._editable():
            number = value[0] if isinstance(value, list) else value
            self.temperature = round(float(number), 2)
            self._changed()

    @rx.event
    def set_max_tokens(self, value: str):
        if self._editable():
            self.max_tokens = value.strip()[:8]
            self._changed()

    @rx.event
    def set_threshold(self, value: list[int | float] | int | float):
        if self._editable():
            number = value[0] if isinstance(value, list) else value
            self.threshold = max(0, min(100, round(float(number))))
            self._changed()

    @rx.event
    def set_topic_input(self, value: str):
        self.topic_input = value[:200]

    @rx.event
    def add_topic(self, form: dict[str, Any] | None = None):
        if not self._editable():
            return
        value = " ".join(str((form or {}).get("topic") or self.topic_input).split())
        if value and value not in self.topics:
            self.topics = [*self.topics, value]
            self._changed()
        self.topic_input = ""

    @rx.var
    def sensitive_rows(self) -> list[list[str]]:
        """The sensitive topics new shops start with, [topic, "on" | "off"], for their switches."""
        return [[t, "on" if t in self.topics else "off"] for t in DEFAULT_HANDOFF_TOPICS]

    @rx.event
    def toggle_sensitive(self, topic: str, on: bool):
        if self._editable() and topic in DEFAULT_HANDOFF_TOPICS:
            self.topics = [t for t in self.topics if t != topic] + ([topic] if on else [])
            self._changed()

    @rx.event
    def set_frustration_offer(self, on: bool):
        if self._editable():
            self.frustration_offer = bool(on)
            self._changed()

    @rx.event
    def remove_topic(self, value: str):
        if self._editable():
            self.topics = [t for t in self.topics if t != value]
            self._changed()

    @rx.event
    def set_low_turns(self, value: str):
        if self._editable():
            self.low_turns = value.strip()[:4]
            self._changed()

    @rx.event
    def set_sample(self, value: str):
        self.sample = value[:1000]

    # -- actions --------------------------------------------------------------------------------------------

    @rx.event
    async def discard(self):
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        self.on_allowed(who)
        return rx.toast.info("Changes discarded.")

    @rx.event
    async def save(self):
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        self._tenant_id = who.tenant_id
        try:
            with session_scope() as db:
                settings = AgentConfigurationService.update(
                    db, who.tenant_id, self._form(), actor_user_id=who.user_id
                )
                page = persona_page(db, who.tenant_id, settings)
        except PersonaValidationError as exc:
            self.errors = {FIELD_KEYS.get(p.field, p.field): sentence(p.message) for p in exc.problems}
            count = len(exc.problems)
            return rx.toast.error(
                f"Not saved: {count} field{'s' if count != 1 else ''} need{'s' if count == 1 else ''} a fix."
            )
        self._apply(page.settings, page.time_zone)
        return rx.toast.success("Persona saved. The agent uses it from the next message.")

    @rx.event(background=True)
    async def try_message(self, form: dict[str, Any] | None = None):
        """The reply the draft would give to the sample message: unsaved, off the event loop."""
        async with self:
            who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
            if who is None:
                return refusal
            if self.trying:
                return None
            text = " ".join(str((form or {}).get("sample") or self.sample).split())
            if not text:
                self.reply_error = "Write a message first."
                return None
            self.sample = text
            self.trying = True
            self.reply_error = ""
            draft = self._form()
            tenant_id = who.tenant_id
        try:
            result = await asyncio.to_thread(_preview, tenant_id, draft, text, True)
        except Exception as exc:  # noqa: BLE001 - shown, not raised: the page must stay usable
            async with self:
                self.trying = False
                self.reply_error = sentence(str(exc) or "The preview failed")
            return rx.toast.error("The sample reply could not be produced.")
        async with self:
            self.trying = False
            self.tried = True
            if result.problems:
                self.errors = {FIELD_KEYS.get(p.field, p.field): sentence(p.message) for p in result.problems}
                self.reply_bubbles = []
                self.reply_error = "Fix the fields marked in red first: the draft is not valid."
                return rx.toast.error("Fix the marked fields to try the draft.")
            self.prompt = result.system_prompt
            self.reply_bubbles = sample_bubbles(text, result.message, result.reply, self.agent_name)
            meta = [result.model or result.provider or ""]
            if result.confidence is not None:
                meta.append(f"confidence {round(result.confidence * 100)}%")
            meta.append(f"{result.latency_ms} ms")
            self.reply_meta = " · ".join(m for m in meta if m)
            self.reply_handoff = result.handoff_reason or ""
        return None
