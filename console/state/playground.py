"""State of the Playground page: chat with the workspace's own agent as a customer, and see why it answered.

The chat is a real conversation on the `playground` channel (`engine.agent.playground`): memory, history,
knowledge, catalog, handoff and the tenant's model all behave as on WhatsApp, nothing is sent to Twilio, and
the inbox leaves it out. Each staff member has their own playground customer. The phone draws the transcript
with the Conversations page's bubbles (`bubbles_from_views`); the buttons and list rows of the agent's replies
can be tapped, and a tap arrives as on WhatsApp (the option's title as text, its id as payload). Option ids
stay on the server (`_options`): a forged tap can only pick an option the agent really offered.

Beside the phone, the trace of each turn (`TurnView`): the pipeline's steps with their times, intents,
confidence, knowledge hits and catalog matches with scores, spelling corrections, the handoff decision, the
model, tokens and cost. Turns run in background events: the model call may take seconds.

Test cases are saved per tenant in the database (`engine.agent.evals`): a customer message and checks a shop
owner writes without code (must mention, must not mention, must name a product, hands off or not, language,
longest reply). "Run all" answers each one with the saved persona through the engine's unsaved preview (no
conversation, nothing written but the model call and the case's last run), shows pass/fail per check and
what changed since the last run. Rows and the check form's words: console/state/playground_cases.py.

Only roles with agent:manage get here; every handler re-checks the session first.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

import reflex as rx

from console.state.formatting import money
from console.state.guard import PageState
from console.state.playground_cases import PLACEHOLDERS, CaseRow, DraftCheck, case_row, run_row
from console.state.session import sentence
from console.state.whatsapp_view import Bubble, bubbles_from_views
from engine.accounts.sessions import SignedIn
from engine.agent import evals, labels, playground
from engine.agent.types import TurnResult
from engine.conversations import inbox
from engine.db import session_scope
from engine.security.scopes import PAGE_SCOPES

AGENT_SCOPE = PAGE_SCOPES["playground"]
TRANSCRIPT_LIMIT = 200
INTERACTIVE = ("buttons", "list", "card")

STEP_LABELS: dict[str, str] = {
    "load": "Load conversation",
    "sanitize": "Sanitize",
    "pending": "Pending answers",
    "spelling": "Correct spelling",
    "intents": "Intents",
    "memory": "Memory",
    "retrieval": "Knowledge & catalog",
    "knowledge": "Knowledge search",
    "customer": "Customer history",
    "context": "Context",
    "llm": "Model",
    "compose": "Compose",
    "handoff": "Handoff",
    "suggestions": "Find suggestions",
    "reply": "Reply",
    "guard": "Safety check",
    "record": "Record",
    "confirm": "Confirm spelling",
}
# A step the pipeline takes twice under one name: its second time, in a shop owner's words (the engine reads
# the suggestion candidates early and picks the ones to offer at the end; both showed as "Suggestions").
AGAIN_LABELS: dict[str, str] = {"suggestions": "Pick suggestions"}
HANDOFF_LABELS: dict[str, str] = {
    "explicit_request": "asked for a person",
    "low_confidence": "low confidence",
    "topic": "sensitive topic",
    "repeated_low_confidence": "unsure several times",
    "frustration": "frustrated customer",
}


@dataclasses.dataclass
class StepBar:
    name: str = ""
    label: str = ""
    ms: str = ""
    pct: int = 0
    slow: bool = False  # the model's wait, drawn in its own colour


@dataclasses.dataclass
class Scored:
    """A knowledge hit or a catalog match: how strong (a word and a bar) and why, in words."""

    title: str = ""
    kind: str = ""
    score: str = ""
    pct: int = 0
    why: str = ""


@dataclasses.dataclass
class IntentChip:
    name: str = ""
    confidence: str = ""
    answered: bool = True


@dataclasses.dataclass
class TurnView:
    """One turn as the trace panel draws it: display strings only."""

    index: int = 0
    customer: str = ""
    responder: str = "agent"
    kind: str = "text"
    steps: list[StepBar] = dataclasses.field(default_factory=list)
    total_ms: str = ""
    llm_ms: str = ""
    overhead_ms: str = ""
    intents: list[IntentChip] = dataclasses.field(default_factory=list)
    confidence: str = "—"
    confidence_pct: int = 0
    confidence_low: bool = False
    threshold: str = ""
    handoff: bool = False
    handoff_text: str = ""
    model: str = ""
    provider: str = ""
    degraded: str = ""
    tokens: str = ""
    cost: str = ""
    knowledge: list[Scored] = dataclasses.field(default_factory=list)
    catalog: list[Scored] = dataclasses.field(default_factory=list)
    corrections: list[str] = dataclasses.field(default_factory=list)
    suggestions: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def strength(value: Any) -> str:
    """A match's strength in a word, not a number: the owner reads "Strong", not "0.82"."""
    pct = _pct(value)
    return "Strong" if pct >= 80 else "Good" if pct >= 55 else "Partial" if pct >= 30 else "Weak"


def _pct(value: Any) -> int:
    try:
        return max(0, min(100, round(float(value) * 100)))
    except (TypeError, ValueError):
        return 0


def turn_view(index: int, customer: str, result: TurnResult, threshold: float) -> TurnView:
    """The trace panel's view of one TurnResult."""
    steps = [s for s in result.trace if s.name in STEP_LABELS or s.ms > 0]
    longest = max((s.ms for s in steps), default=0.0) or 1.0
    seen: set[str] = set()
    bars = []
    for s in steps:
        label = STEP_LABELS.get(s.name, s.name.replace("_", " ").capitalize())
        if s.name in seen:
            label = AGAIN_LABELS.get(s.name, label)
        seen.add(s.name)
        bars.append(
            StepBar(
                name=s.name,
                label=label,
                ms=_ms(s.ms),
                pct=max(2, round(s.ms / longest * 100)),
                slow=s.name == "llm",
            )
        )
    confidence = result.confidence
    category = HANDOFF_LABELS.get(result.handoff_category or "", result.handoff_category or "")
    handoff_text = ""
    if result.handoff:
        handoff_text = sentence(result.handoff_reason or "handed to a person")
        if category:
            handoff_text += f" ({category})"
    elif result.responder == "silent":
        handoff_text = "A person owns this conversation: the agent stays silent until handed back."
    degraded = result.degraded or ""
    if degraded.startswith("offline:"):
        degraded = {
            "offline:configured": "Offline provider: answered from knowledge and catalog",
            "offline:no_credentials": "No API key: answered offline from knowledge and catalog",
            "offline:budget": "Budget used up: answered offline",
        }.get(degraded, "Answered offline: " + degraded.split(":", 1)[1].replace("_", " "))
    elif degraded == "fallback":
        degraded = "The default model failed: a fallback answered"
    knowledge = [
        Scored(
            title=str(h.get("title") or ""),
            kind=str(h.get("type") or "knowledge"),
            score=strength(h.get("confidence") or h.get("score")),
            pct=_pct(h.get("confidence") or h.get("score")),
            why=str(h.get("why") or ""),
        )
        for h in result.knowledge_hits
    ]
    catalog = [
        Scored(
            title=str(m.get("name") or ""),
            kind=str(m.get("kind") or ""),
            score=strength(m.get("confidence")),
            pct=_pct(m.get("confidence")),
            why=" · ".join(
                part
                for part in (
                    labels.match_reason(m.get("matched_field"), m.get("matched_text")),
                    "" if m.get("available", True) else "not available",
                )
                if part
            ),
        )
        for m in result.catalog_matches
    ]
    corrections = [
        f"{c.get('original')} → {c.get('corrected')}" + (" (asked)" if c.get("needs_confirmation") else "")
        for c in result.corrections
    ]
    return TurnView(
        index=index,
        customer=customer,
        responder=result.responder,
        kind=result.message.kind if result.message else "",
        steps=bars,
        total_ms=f"{result.latency_ms} ms",
        llm_ms=f"{result.llm_ms} ms",
        overhead_ms=f"{result.overhead_ms} ms",
        intents=[
            IntentChip(
                name=str(i.get("name") or "").replace("_", " "),
                confidence=f"{_pct(i.get('confidence'))}%" if i.get("confidence") is not None else "",
                answered=i.get("answered", True) is not False,
            )
            for i in result.intents
        ],
        confidence=f"{round(confidence * 100)}%" if confidence is not None else "—",
        confidence_pct=_pct(confidence),
        confidence_low=confidence is not None and confidence < threshold,
        threshold=f"{round(threshold * 100)}%",
        handoff=result.handoff,
        handoff_text=handoff_text,
        model=result.model or "—",
        provider=result.provider or "",
        degraded=degraded,
        tokens=f"{result.tokens_in:,} in · {result.tokens_out:,} out",
        cost=money(Decimal(str(result.cost or 0)), "USD", precise=True),
        knowledge=knowledge,
        catalog=catalog,
        corrections=corrections,
        suggestions=[f"{s.get('name')} — {s.get('reason')}" for s in result.suggestions if s.get("name")],
        notes=[n for n in result.notes if n],
    )


class PlaygroundState(PageState, rx.State):
    """The Playground page (scope from PAGE_SCOPES["playground"]: agent:manage)."""

    page_key: ClassVar[str] = "playground"

    loaded: bool = False
    agent_name: str = "Agent"
    customer_name: str = ""
    status: str = "bot"  # bot · handoff
    handoff_reason: str = ""
    bubbles: list[Bubble] = []
    sending: bool = False
    composer: str = ""

    turns: list[TurnView] = []
    selected: int = -1  # index into turns
    current: TurnView = TurnView()

    cases: list[CaseRow] = []
    case_message: str = ""
    check_kind: str = "mention"
    check_value: str = ""
    check_hint: str = PLACEHOLDERS["mention"]
    check_error: str = ""
    draft_checks: list[DraftCheck] = []
    running: bool = False
    run_summary: str = ""

    _tenant_id: int = 0
    _conversation_id: int = 0
    _options: dict[str, list[list[str]]] = {}  # bubble key → [[option id, title], ...]
    _time_zone: str = "UTC"
    _threshold: float = 0.55

    # -- loading --------------------------------------------------------------------------------------------

    def on_allowed(self, who: SignedIn) -> Any:
        self._tenant_id = who.tenant_id
        self._open(who, fresh=False)
        self._load_cases()
        self.loaded = True
        return None

    def on_refused(self) -> None:
        self.loaded = self.sending = self.running = False
        self.bubbles, self.turns, self.cases = [], [], []
        self.current, self.selected = TurnView(), -1
        self.composer = self.customer_name = self.handoff_reason = self.run_summary = ""
        self.case_message = self.check_value = self.check_error = ""
        self.draft_checks = []
        self._tenant_id = self._conversation_id = 0
        self._options = {}

    def _open(self, who: SignedIn, *, fresh: bool) -> None:
        """The staff member's playground conversation (a new one when `fresh`) and its transcript."""
        with session_scope() as db:
            session = playground.start_playground(
                db,
                who.tenant_id,
                user_id=who.user_id,
                customer_name=who.full_name or "Playground",
                fresh=fresh,
            )
            settings = inbox.inbox_settings(db, who.tenant_id)
        self._conversation_id = session.conversation_id
        self.customer_name = session.customer_name
        self.agent_name = settings.agent_name
        self._time_zone = settings.time_zone
        self._threshold = settings.confidence_threshold
        if fresh:
            self.turns, self.current, self.selected = [], TurnView(), -1
        self._reload()

    def _reload(self) -> None:
        with session_scope() as db:
            transcript = inbox.get_transcript(
                db, self._tenant_id, self._conversation_id, limit=TRANSCRIPT_LIMIT
            )
        self.status = transcript.conversation.status
        self.handoff_reason = transcript.conversation.handoff_reason or ""
        views = list(transcript.messages)
        self._options = {
            str(v.id): [[str(o.get("id") or ""), str(o.get("title") or "")] for o in v.options]
            for v in views
            if v.direction == "outbound" and v.kind in INTERACTIVE and v.options and not v.fallback
        }
        self.bubbles = bubbles_from_views(
            views,
            time_zone=self._time_zone,
            now=datetime.now(UTC),
            customer_name=self.customer_name,
            agent_name=self.agent_name,
            confidence_threshold=self._threshold,
        )

    # -- the chat -------------------------------------------------------------------------------------------

    @rx.event
    def set_composer(self, value: str):
        self.composer = value[:1600]

    @rx.event
    async def send_message(self, form: dict[str, Any] | None = None):
        text = " ".join(str((form or {}).get("message") or self.composer).split())
        if not text:
            return None
        return PlaygroundState.run_turn(text, "")

    @rx.event
    async def tap(self, bubble_key: str, index: int):
        """A tapped button or list row of an agent reply: sent as the customer's answer."""
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        options = self._options.get(str(bubble_key)) or []
        if not 0 <= int(index) < len(options):
            return rx.toast.error("That option is no longer on offer.")
        option_id, title = options[int(index)]
        return PlaygroundState.run_turn(title, option_id)

    @rx.event(background=True)
    async def run_turn(self, text: str, payload: str = ""):
        """One customer message (or tap) through the tenant's real pipeline, off the event loop."""
        async with self:
            who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
            if who is None:
                return refusal
            if self.sending or not self._conversation_id:
                return None
            text = text.strip()[:1600]
            if not text:
                return None
            if payload and not any(
                option_id == payload and title == text
                for options in self._options.values()
                for option_id, title in options
            ):
                return rx.toast.error("That option is no longer on offer.")
            self.sending = True
            self.composer = ""
            self.bubbles = [
                *self.bubbles,
                Bubble(
                    key="pending",
                    sender="customer",
                    author=self.customer_name,
                    body=text,
                    time=datetime.now(UTC).strftime("%H:%M"),
                    choice=f"Tapped “{text}”" if payload else "",
                ),
            ]
            tenant_id, conversation_id = who.tenant_id, self._conversation_id
            threshold = self._threshold
        try:
            result = await asyncio.to_thread(
                playground.send, tenant_id, conversation_id, text, button_payload=payload or None
            )
        except Exception as exc:  # noqa: BLE001 - shown, not raised: the chat must stay usable
            async with self:
                self.sending = False
                self._reload()
            return rx.toast.error(f"The agent could not answer: {sentence(str(exc) or type(exc).__name__)}")
        async with self:
            self.sending = False
            self._reload()
            view = turn_view(len(self.turns) + 1, text, result, threshold)
            self.turns = [*self.turns, view]
            self.selected = len(self.turns) - 1
            self.current = view
        return None

    @rx.event
    async def select_turn(self, index: int):
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        if 0 <= int(index) < len(self.turns):
            self.selected = int(index)
            self.current = self.turns[int(index)]
        return None

    @rx.event
    async def new_conversation(self):
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        if self.sending:
            return None
        self._tenant_id = who.tenant_id
        self._open(who, fresh=True)
        return rx.toast.info("New conversation: the agent has forgotten this chat.")

    @rx.event
    async def new_visit(self):
        """Expire the agent's working memory, as after 30 quiet minutes: tries the "welcome back" flow."""
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        if not self._conversation_id:
            return None
        await asyncio.to_thread(playground.new_session, who.tenant_id, self._conversation_id)
        return rx.toast.info("The agent now treats your next message as a return visit.")

    @rx.event
    async def hand_back(self):
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        with session_scope() as db:
            playground.hand_back(db, who.tenant_id, self._conversation_id)
        self._reload()
        return rx.toast.success("Handed back: the agent answers again.")

    # -- test cases -----------------------------------------------------------------------------------------

    def _load_cases(self) -> None:
        with session_scope() as db:
            self.cases = [case_row(c) for c in evals.list_cases(db, self._tenant_id)]

    @rx.event
    def set_case_message(self, value: str):
        self.case_message = value[: evals.MAX_MESSAGE]

    @rx.event
    def set_check_kind(self, value: str):
        self.check_kind = value if value in evals.CHECK_KINDS else "mention"
        self.check_hint = PLACEHOLDERS[self.check_kind]
        self.check_error = ""

    @rx.event
    def set_check_value(self, value: str):
        self.check_value = value[: evals.MAX_VALUE]
        self.check_error = ""

    def _take_draft(self) -> bool:
        """The check in the form onto the draft list; False (with the reason shown) when it is not valid."""
        try:
            check = evals.validate_check(self.check_kind, self.check_value)
        except evals.EvalError as exc:
            self.check_error = str(exc)
            return False
        if len(self.draft_checks) >= evals.MAX_CHECKS:
            self.check_error = f"At most {evals.MAX_CHECKS} checks a case."
            return False
        self.draft_checks = [*self.draft_checks, DraftCheck(check.kind, check.value, check.label)]
        self.check_value = self.check_error = ""
        return True

    @rx.event
    async def add_check(self):
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        self._take_draft()
        return None

    @rx.event
    async def remove_draft_check(self, index: int):
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        self.draft_checks = [c for i, c in enumerate(self.draft_checks) if i != int(index)]
        return None

    def _save_case(self, who: SignedIn, message: str, checks: list[evals.Check]) -> Any:
        try:
            with session_scope() as db:
                evals.create_case(db, who.tenant_id, message, checks, user_id=who.user_id)
        except evals.EvalError as exc:
            return rx.toast.error(str(exc))
        self._load_cases()
        return None

    @rx.event
    async def add_case(self, form: dict[str, Any] | None = None):
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        message = str((form or {}).get("message") or self.case_message)
        if not message.strip():
            return rx.toast.error("Write the customer's message for the test case.")
        if self.check_value.strip() and not self._take_draft():
            return None  # the unfinished check is wrong: its reason is shown beside it
        checks = [evals.Check(c.kind, c.value) for c in self.draft_checks]
        refusal = self._save_case(who, message, checks)
        if refusal is not None:
            return refusal
        self.case_message = self.check_value = ""
        self.draft_checks = []
        return rx.toast.success("Test case saved.")

    @rx.event
    async def save_turn_as_case(self):
        """The selected turn's message as a test case: its handoff decision is what is expected."""
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        if not 0 <= self.selected < len(self.turns):
            return None
        turn = self.turns[self.selected]
        if any(c.message == turn.customer for c in self.cases):
            return rx.toast.info("This message is already a test case.")
        refusal = self._save_case(
            who, turn.customer, [evals.Check("handoff", "yes" if turn.handoff else "no")]
        )
        return refusal or rx.toast.success("Saved as a test case.")

    @rx.event
    async def remove_case(self, case_id: int):
        who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
        if who is None:
            return refusal
        with session_scope() as db:
            evals.delete_case(db, who.tenant_id, int(case_id))
        self._load_cases()
        return None

    @rx.event(background=True)
    async def run_all(self):
        """Every saved case against the saved persona, one at a time, each row updated as it finishes."""
        async with self:
            who, refusal = await self.authorize_or_refuse(AGENT_SCOPE)
            if who is None:
                return refusal
            if self.running or not self.cases:
                return None
            self.running = True
            self.run_summary = ""
            self.cases = [dataclasses.replace(c, status="running", why="") for c in self.cases]
            tenant_id = who.tenant_id
        with session_scope() as db:
            cases = evals.list_cases(db, tenant_id)
        passed = failed = 0
        for case in cases:
            run = await asyncio.to_thread(evals.run_case, tenant_id, case)
            passed += run.passed
            failed += not run.passed
            async with self:
                self.cases = [run_row(c, run) if c.id == case.id else c for c in self.cases]
        async with self:
            self.running = False
            self.run_summary = f"{passed} passed · {failed} failed"
        if failed:
            return rx.toast.error(f"{failed} of {passed + failed} test cases failed.")
        return rx.toast.success(f"All {passed} test cases passed.")
