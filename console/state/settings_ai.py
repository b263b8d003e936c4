"""State of Settings → AI providers: provider, keys, the model chain with prices, budget, spend, the test.

Everything goes through `engine.llm.service` (the module, so tests and the app see the same functions). The
rules live there: this state turns the draft form into a `ProviderSettingsForm`, shows the service's refusals
next to the field they concern, and holds display strings only. Keys are posted from uncontrolled password
inputs straight to `save_api_key`: the clear text never becomes a state var, so it is never sent back to the
browser; only the masked "••••1234" is.

Only roles with settings:manage (owners, admins) get here: `page_key` "settings", and every handler that reads
or writes the database re-checks the session first. The draft setters change nothing but this tab's own form
and do nothing unless the page loaded for an allowed role.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
from decimal import Decimal
from typing import Any, ClassVar

import reflex as rx

from console.state.banner import OfflineBannerState
from console.state.formatting import count, day_label, money, month_label, price
from console.state.guard import ALLOWED, PageState
from console.state.session import sentence
from console.state.settings_ai_rows import (
    BUDGET_STATES,
    FIELD_KEYS,
    PROVIDER_NAMES,
    REMOTE,
    TEST_TITLES,
    ChainRow,
    KeyRow,
    ModelPick,
    SpendRow,
    key_rows,
    split,
)
from engine.accounts.sessions import SignedIn
from engine.db import session_scope
from engine.llm import service
from engine.llm.model_chain import (
    MAX_CHAIN,
    PRICED_PROVIDERS,
    ChainModel,
    model_chain,
    model_choices,
    qualify,
    stored_ref,
    suggested_model,
)
from engine.money import strip_currency
from engine.security.scopes import PAGE_SCOPES

SETTINGS_SCOPE = PAGE_SCOPES["settings"]
KEY_INPUT_ID = "key-input-"  # + the provider: the id of each key row's password field


def key_input_id(provider: str) -> str:
    return KEY_INPUT_ID + provider


class AIProvidersState(PageState, rx.State):
    """The AI providers tab: owners and admins (settings:manage)."""

    page_key: ClassVar[str] = "settings"

    loaded: bool = False
    currency: str = "USD"
    pricing_date: str = ""

    # The draft form.
    provider: str = "offline"
    base_url: str = ""
    chain: list[str] = []  # "provider:model", default first
    budget: str = ""
    soft_limit: str = "80"
    dirty: bool = False
    errors: dict[str, str] = {}

    # Drawn from the draft and the price list.
    chain_rows: list[ChainRow] = []
    openai_picks: list[ModelPick] = []
    together_picks: list[ModelPick] = []
    keys: list[KeyRow] = []
    key_errors: dict[str, str] = {}
    checking_key: str = ""  # the provider whose key is being checked (its Save button spins)
    key_offer: str = ""  # the provider whose key the provider refused: the form offers "save anyway"
    delete_key_open: bool = False
    delete_key_provider: str = ""
    delete_key_label: str = ""

    # The connection test.
    testing: bool = False
    test_state: str = ""  # "" | "ok" | "error"
    test_title: str = ""
    test_detail: str = ""

    # This month's spend.
    spend_month: str = ""
    spent: str = ""
    budget_total: str = ""
    remaining: str = ""
    soft_limit_amount: str = ""
    used_pct: int = 0
    soft_pct: int = 80
    spend_state: str = "ok"
    spend_state_label: str = ""
    spend_state_color: str = "grass"
    spend_state_hint: str = ""
    spend_calls: str = ""
    spend_rows: list[SpendRow] = []
    spend_days: list[dict[str, Any]] = []
    spend_series: str = "Spend"

    _saved_provider: str = "offline"
    _saved_base_url: str = ""

    # -- loading --------------------------------------------------------------------------------------------

    def on_allowed(self, who: SignedIn) -> Any:
        self._load(who.tenant_id)
        return None

    def on_refused(self) -> None:
        self.loaded = False
        self.provider, self.base_url, self.chain = "offline", "", []
        self.budget, self.soft_limit = "", "80"
        self.dirty = self.testing = False
        self.errors, self.key_errors = {}, {}
        self.chain_rows, self.openai_picks, self.together_picks, self.keys = [], [], [], []
        self._close_delete_key()
        self.test_state = self.test_title = self.test_detail = ""
        self.spend_rows, self.spend_days = [], []
        self.spent = self.budget_total = self.remaining = self.spend_calls = ""

    def _load(self, tenant_id: int) -> None:
        with session_scope() as db:
            settings = service.get_provider_settings(db, tenant_id)
            summary = service.spend_summary(db, tenant_id)
        self._apply_settings(settings)
        self._apply_spend(summary)
        self.loaded = True

    def _apply_settings(self, settings: service.ProviderSettings) -> None:
        """Reset the draft to what is stored, and rebuild the price book and pickers."""
        self.currency = settings.currency
        self.pricing_date = (
            f"{settings.pricing_as_of:%B} {settings.pricing_as_of.day}, {settings.pricing_as_of.year}"
            if settings.pricing_as_of
            else ""
        )
        refs = [settings.default_model, *settings.fallback_models]
        chain = [qualify(r, settings.provider) for r in refs if r]
        self.provider = settings.provider
        self._saved_provider = settings.provider
        self._saved_base_url = self.base_url = settings.base_url or ""
        self.chain = list(dict.fromkeys(chain))
        self.budget = f"{settings.monthly_budget:.2f}"
        self.soft_limit = f"{round(settings.soft_limit_ratio * 100)}"
        self.keys = key_rows(settings.keys)
        self.dirty = False
        self.errors = {}
        self._rebuild()

    def _prices(self, model: ChainModel) -> tuple[str, str]:
        if model.free:
            return "Free", "Free"
        return price(model.input_per_million, self.currency), price(model.output_per_million, self.currency)

    def _rebuild(self) -> None:
        """Redraw the chain rows, the pickers and the "in use" marks from the draft."""
        rows = []
        for index, model in enumerate(model_chain(self.provider, self.chain)):
            price_in, price_out = self._prices(model)
            rows.append(
                ChainRow(
                    ref=model.ref,
                    model=model.model,
                    provider=model.provider,
                    provider_label=model.provider_label,
                    role=model.role,
                    position=index + 1,
                    price_in=price_in,
                    price_out=price_out,
                    tier=model.tier_label,
                    note=model.note,
                    first=index == 0,
                    last=index == len(self.chain) - 1,
                )
            )
        self.chain_rows = rows
        picks: dict[str, list[ModelPick]] = {p: [] for p in PRICED_PROVIDERS}
        for model in model_choices(self.provider, exclude=self.chain):
            price_in, price_out = self._prices(model)
            picks[model.provider].append(
                ModelPick(
                    ref=model.ref,
                    model=model.model,
                    prices=f"{price_in} in · {price_out} out",
                    tier=model.tier_label,
                )
            )
        self.openai_picks, self.together_picks = picks["openai"], picks["together"]
        used = {split(ref)[0] for ref in self.chain} if self.provider != "offline" else set()
        used.add(self.provider)
        self.keys = [dataclasses.replace(k, in_use=k.provider in used) for k in self.keys]

    def _apply_spend(self, summary: Any) -> None:
        status = summary.status
        currency = status.currency or self.currency
        self.spend_month = month_label(status.month)
        self.spent = money(status.spent, currency, precise=True)
        self.budget_total = money(status.budget, currency)
        self.remaining = money(status.remaining, currency)
        self.soft_limit_amount = money(status.soft_limit, currency)
        budget = Decimal(status.budget)
        self.used_pct = 100 if budget <= 0 else min(100, int(status.spent * 100 / budget))
        self.soft_pct = 0 if budget <= 0 else min(100, int(status.soft_limit * 100 / budget))
        state = summary.state if budget > 0 else "hard"
        label, color, hint = BUDGET_STATES.get(state, BUDGET_STATES["ok"])
        if budget <= 0:
            label, hint = "No budget", "A budget of zero allows no paid calls: the offline provider answers."
        self.spend_state, self.spend_state_label, self.spend_state_color = state, label, color
        self.spend_state_hint = hint
        parts = [f"{summary.calls:,} AI call{'s' if summary.calls != 1 else ''}"]
        if summary.failed_calls:
            parts.append(f"{summary.failed_calls:,} failed")
        if summary.offline_answers:
            parts.append(f"{summary.offline_answers:,} offline answers")
        self.spend_calls = " · ".join(parts)
        total = sum((m.cost for m in summary.by_model), Decimal(0))
        self.spend_rows = [
            SpendRow(
                model="Offline answers" if m.provider == "offline" else m.model,
                provider_label="No model"
                if m.provider == "offline"
                else PROVIDER_NAMES.get(m.provider, m.provider),
                calls=f"{m.calls:,}",
                failed=f"{m.failed:,}" if m.failed else "",
                tokens=f"{count(m.tokens_in)} in · {count(m.tokens_out)} out",
                cost=money(m.cost, currency, precise=True),
                share=int(m.cost * 100 / total) if total > 0 else 0,
            )
            for m in summary.by_model
        ]
        self.spend_series = f"Spend ({currency})"
        self.spend_days = [
            {"day": day_label(day), "cost": round(float(cost), 2 if cost >= 1 else 4)}
            for day, cost in summary.by_day
        ]

    async def _refresh_spend_and_banner(self, who: SignedIn) -> None:
        with session_scope() as db:
            summary = service.spend_summary(db, who.tenant_id)
        self._apply_spend(summary)
        banner = await self.get_state(OfflineBannerState)
        banner.refresh(who)

    # -- draft setters: this tab's form only ----------------------------------------------------------------

    def _editable(self) -> bool:
        return self.access == ALLOWED and self.loaded

    def _touched(self, *fields: str) -> None:
        self.dirty = True
        if any(f in self.errors for f in fields):
            self.errors = {k: v for k, v in self.errors.items() if k not in fields}

    @rx.event
    def set_provider(self, provider: str):
        """Pick a provider. If none of the chain's models runs on it, its suggested model goes first."""
        if not self._editable() or provider not in PROVIDER_NAMES or provider == self.provider:
            return
        self.provider = provider
        if provider in REMOTE and not any(split(r)[0] == provider for r in self.chain):
            suggestion = suggested_model(provider)
            if suggestion:
                self.chain = [suggestion, *self.chain][:MAX_CHAIN]
        # A base URL belongs to its provider (the engine drops it on a switch too); coming back restores it.
        self.base_url = self._saved_base_url if provider == self._saved_provider else ""
        self._touched("base_url", "chain", "provider")
        self._rebuild()

    @rx.event
    def set_base_url(self, value: str):
        if not self._editable():
            return
        self.base_url = value.strip()[:255]
        self._touched("base_url")

    @rx.event
    def set_budget(self, value: str):
        if not self._editable():
            return
        self.budget = value[:20]
        self._touched("budget")

    @rx.event
    def set_soft_limit(self, value: str):
        if not self._editable():
            return
        self.soft_limit = value[:6]
        self._touched("soft_limit")

    @rx.event
    def add_model(self, ref: str):
        """Add a listed model ("provider:model") at the end of the chain."""
        if not self._editable() or not ref:
            return
        if ref not in {m.ref for m in model_choices(self.provider)}:
            return
        self._append(ref)

    @rx.event
    def add_custom_model(self, form: dict[str, Any]):
        """Add a model by name, for the selected provider (a model the price list does not name yet)."""
        if not self._editable():
            return
        name = str(form.get("model") or "").strip()
        if not name:
            self.errors = {**self.errors, "chain": "Type the model's name, e.g. llama3.1:8b."}
            return
        if len(name) > 80:
            self.errors = {**self.errors, "chain": "Model names are at most 80 characters."}
            return
        provider = self.provider if self.provider in REMOTE else "openai"
        self._append(f"{provider}:{name}")

    def _append(self, ref: str) -> None:
        if ref in self.chain:
            self.errors = {**self.errors, "chain": f"{split(ref)[1]} is already in the list."}
            return
        if len(self.chain) >= MAX_CHAIN:
            self.errors = {**self.errors, "chain": "At most five fallbacks after the default model."}
            return
        self.chain = [*self.chain, ref]
        self._touched("chain")
        self._rebuild()

    @rx.event
    def remove_model(self, ref: str):
        if not self._editable() or ref not in self.chain:
            return
        self.chain = [r for r in self.chain if r != ref]
        self._touched("chain")
        self._rebuild()

    @rx.event
    def move_model(self, ref: str, step: int):
        """Move a model up (-1) or down (+1); moving one above the default makes it the default."""
        if not self._editable() or ref not in self.chain:
            return
        index = self.chain.index(ref)
        target = index + (1 if int(step) > 0 else -1)
        if not 0 <= target < len(self.chain):
            return
        chain = list(self.chain)
        chain[index], chain[target] = chain[target], chain[index]
        self.chain = chain
        self._touched("chain")
        self._rebuild()

    # -- saving ---------------------------------------------------------------------------------------------

    def _form(self) -> tuple[service.ProviderSettingsForm, dict[str, str]]:
        """The draft as the engine's form, and what cannot even be put in it (e.g. a percent that is text)."""
        errors: dict[str, str] = {}
        soft_ratio: float | None = None
        text = self.soft_limit.strip().rstrip("%").strip()
        try:
            soft_ratio = float(text) / 100
        except ValueError:
            errors["soft_limit"] = "Enter the soft limit as a percentage of the budget, e.g. 80."
        budget = strip_currency(self.budget.replace(",", ""), self.currency)
        if not budget:
            errors["budget"] = "Enter a monthly budget (0 allows no paid calls)."
        # Offline calls no model and the tab hides the chain: leave the stored one exactly as it is.
        refs = [stored_ref(r, self.provider) for r in self.chain] if self.provider in REMOTE else []
        if self.provider in REMOTE:
            if not refs:
                errors["chain"] = "Add the model the agent should use."
            elif split(self.chain[0])[0] != self.provider:
                errors["chain"] = (
                    f"The default model (the first one) must run on {PROVIDER_NAMES[self.provider]}: "
                    "add one or move it to the top."
                )
        form = service.ProviderSettingsForm(
            provider=self.provider,
            base_url=self.base_url.strip() if self.provider in REMOTE else "",
            default_model=refs[0] if refs else None,
            fallback_models=refs[1:] if refs else None,
            monthly_budget=budget or None,
            soft_limit_ratio=soft_ratio,
        )
        return form, errors

    def _engine_refusals(self, tenant_id: int, form: service.ProviderSettingsForm) -> dict[str, str]:
        """What the engine would refuse, each under its own field (reads only: nothing is saved)."""
        with session_scope() as db:
            problems = service.validate_provider_settings(db, tenant_id, form)
        errors: dict[str, str] = {}
        for problem in problems:
            errors.setdefault(FIELD_KEYS.get(problem.field, "form"), sentence(problem.message))
        return errors

    @rx.event
    async def save(self):
        """Validate every field (each refusal next to its field), then save the whole form at once."""
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        form, errors = self._form()
        refused = self._engine_refusals(who.tenant_id, form)
        errors = {**refused, **errors}
        if errors:
            self.errors = errors
            return rx.toast.error("Some settings need another look: see the highlighted fields.")
        try:
            with session_scope() as db:
                settings = service.save_provider_settings(db, who.tenant_id, form, actor_user_id=who.user_id)
        except service.LLMSettingsError as exc:
            self.errors = {"form": sentence(str(exc))}
            return rx.toast.error(sentence(str(exc)))
        self._apply_settings(settings)
        self.test_state = self.test_title = self.test_detail = ""
        await self._refresh_spend_and_banner(who)
        return rx.toast.success("AI provider settings saved.")

    @rx.event
    async def discard(self):
        """Forget the draft: back to what is stored."""
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        self._load(who.tenant_id)
        return None

    # -- keys -----------------------------------------------------------------------------------------------

    @rx.event
    async def save_key(self, form: dict[str, Any]):
        """Check a key with the provider (one cheap call, a few seconds), then store it encrypted. A key the
        provider refuses is not saved unless "save anyway" is ticked; it is then marked unverified. The form
        field is a password input, cleared once the key is saved."""
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            yield refusal
            return
        provider = str(form.get("provider") or "")
        value = str(form.get("api_key") or "")
        anyway = bool(form.get("anyway"))
        if provider not in REMOTE:
            yield rx.toast.error("Choose which provider the key is for.")
            return
        if not value.strip():
            self.key_errors = {**self.key_errors, provider: "Paste the key first."}
            return
        self.checking_key = provider
        yield
        try:
            check = await asyncio.to_thread(_check_key, who.tenant_id, provider, value)
        finally:
            self.checking_key = ""
        if not check.ok and not anyway:
            self.key_errors = {**self.key_errors, provider: f"Not saved: {check.message}."}
            self.key_offer = provider
            return
        try:
            with session_scope() as db:
                masked = service.save_api_key(
                    db, who.tenant_id, provider, value, actor_user_id=who.user_id, verified=check.ok
                )
        except service.LLMSettingsError as exc:
            self.key_errors = {**self.key_errors, provider: sentence(str(exc))}
            return
        self.key_errors = {k: v for k, v in self.key_errors.items() if k != provider}
        self.key_offer = ""
        self._reload_keys(who)
        await self._refresh_spend_and_banner(who)
        # The saved key must not stay in the page. The password field is uncontrolled and its id is dynamic
        # (one row per provider, drawn by foreach), so Reflex gives it no ref and rx.set_value did nothing:
        # empty it by its id.
        field = json.dumps(key_input_id(provider))
        yield rx.call_script(f"(el => el && (el.value = ''))(document.getElementById({field}))")
        if not check.ok:
            yield rx.toast.warning(f"{PROVIDER_NAMES[provider]} key saved unverified ({masked}).")
        else:
            yield rx.toast.success(f"{PROVIDER_NAMES[provider]} accepted the key; saved ({masked}).")

    def _reload_keys(self, who: SignedIn) -> None:
        """Fresh key rows without touching the draft form."""
        with session_scope() as db:
            settings = service.get_provider_settings(db, who.tenant_id)
        draft = (self.provider, self.base_url, self.chain, self.budget, self.soft_limit, self.dirty)
        self._apply_settings(settings)
        if draft[-1]:
            self.provider, self.base_url, self.chain, self.budget, self.soft_limit, self.dirty = draft
            self._rebuild()

    @rx.event
    async def ask_delete_key(self, provider: str):
        _, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if refusal is not None:
            return refusal
        if provider not in REMOTE:
            return None
        self.delete_key_provider = provider
        self.delete_key_label = PROVIDER_NAMES[provider]
        self.delete_key_open = True
        return None

    @rx.event
    def set_delete_key_open(self, is_open: bool):
        """Cancel the confirmation; opening goes through `ask_delete_key`, which checks the role."""
        if not is_open:
            self._close_delete_key()

    def _close_delete_key(self) -> None:
        self.delete_key_open = False
        self.delete_key_provider = self.delete_key_label = ""

    @rx.event
    async def confirm_delete_key(self):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        provider = self.delete_key_provider
        self._close_delete_key()
        if provider not in REMOTE:
            return None
        with session_scope() as db:
            deleted = service.delete_api_key(db, who.tenant_id, provider, actor_user_id=who.user_id)
        self._reload_keys(who)
        await self._refresh_spend_and_banner(who)
        if not deleted:
            return rx.toast.info(f"No {PROVIDER_NAMES[provider]} key was stored for this workspace.")
        return rx.toast.success(f"{PROVIDER_NAMES[provider]} key removed.")

    # -- the connection test --------------------------------------------------------------------------------

    @rx.event(background=True)
    async def test_connection(self):
        """One real call with the saved settings (up to 15 s): runs off the event loop, progress shown."""
        async with self:
            who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
            if who is None:
                return refusal
            if self.testing:
                return None
            self.testing = True
            self.test_state = self.test_title = self.test_detail = ""
        try:
            result = await asyncio.to_thread(_run_test, who.tenant_id)
        except service.LLMSettingsError as exc:
            result = sentence(str(exc))
        async with self:
            self.testing = False
            toast = self._show_test(result)
            # The test call was billed and recorded; its result matters more than a spend refresh.
            with contextlib.suppress(Exception):
                await self._refresh_spend_and_banner(who)
        return toast

    def _show_test(self, result: service.ConnectionTest | str) -> Any:
        if isinstance(result, str):
            self.test_state, self.test_title, self.test_detail = "error", "Nothing to test yet", result
            return rx.toast.error(result)
        name = PROVIDER_NAMES.get(result.provider, result.provider)
        if result.ok and result.provider == "offline":
            self.test_state = "ok"
            self.test_title = "The offline provider is ready"
            self.test_detail = "It calls no model: answers come from your knowledge base and catalog."
            return rx.toast.success("The offline provider needs no connection.")
        if result.ok:
            self.test_state = "ok"
            self.test_title = f"Connected to {name}"
            self.test_detail = f"{result.model} answered in {result.latency_ms:,} ms."
            return rx.toast.success(f"{name} answered in {result.latency_ms:,} ms.")
        self.test_state = "error"
        self.test_title = TEST_TITLES.get(result.error_kind or "", f"{name} returned an error")
        status = f" (HTTP {result.http_status})" if result.http_status else ""
        message = (result.error or "no details").strip()
        self.test_detail = f"{name} · {result.model}: {message}{status}"
        return rx.toast.error(f"{self.test_title}.")


def _check_key(tenant_id: int, provider: str, value: str) -> service.KeyCheck:
    with session_scope() as db:
        return service.check_api_key(db, tenant_id, provider, value)


def _run_test(tenant_id: int) -> service.ConnectionTest:
    with session_scope() as db:
        return service.test_connection(db, tenant_id)
