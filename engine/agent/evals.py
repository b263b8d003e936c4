"""Playground test cases: checks a shop owner writes without code, run on the agent's reply and its trace.

A keyword alone let a wrong reply pass ("returns" appears in "we do not accept returns"), so a case holds
several checks, each a plain sentence on screen and one rule here:

- `mention` / `not_mention` — the reply says (or never says) these words; case, accents and spacing aside.
- `product` — the reply names this catalogue item: its name or one of its aliases, in the text, a list row or
  a card (a product the catalogue does not know is a failed check, not a silent pass).
- `handoff` — "yes": the turn hands the chat to a person; "no": the agent keeps it.
- `language` — the reply is written in this language (ISO code: en, es, fr, pt…), by the same detector that
  picks the customer's language.
- `max_length` — the reply has at most this many characters.

Cases run through the Persona preview (`preview_persona`: the saved persona, no conversation, nothing
written but the model call), and each run is compared with the last one ("now failing", "reply changed").
The Playground's "Run all" and `python -m engine eval --tenant SLUG` both call `run_cases`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from engine.agent.language import detect, language_name
from engine.agent.preview import preview_persona
from engine.catalog.text import fold
from engine.db import TenantScope, session_scope
from engine.models import Product, Service, utcnow
from engine.models.evals import PlaygroundTestCase

CHECK_KINDS: tuple[str, ...] = ("mention", "not_mention", "product", "handoff", "language", "max_length")
CHECK_LABELS: dict[str, str] = {
    "mention": "Must mention",
    "not_mention": "Must not mention",
    "product": "Must name product",
    "handoff": "Hand off to a person",
    "language": "Must answer in",
    "max_length": "At most (characters)",
}
MAX_CASES = 50
MAX_CHECKS = 10
MAX_MESSAGE = 1000
MAX_VALUE = 200


class EvalError(ValueError):
    """A case or check that cannot be saved, said as the owner should read it."""


@dataclass(frozen=True)
class Check:
    kind: str
    value: str

    @property
    def label(self) -> str:
        """The check as a sentence: "Must mention “30 days”"."""
        if self.kind == "handoff":
            return "Hands off to a person" if self.value == "yes" else "Does not hand off"
        if self.kind == "language":
            return f"Answers in {language_name(self.value)}"
        if self.kind == "max_length":
            return f"At most {self.value} characters"
        return f"{CHECK_LABELS[self.kind]} “{self.value}”"


@dataclass(frozen=True)
class Outcome:
    """What a reply did: the evidence the checks read (the reply text, what its buttons/rows/card show,
    whether the turn handed off, and the pipeline's trace)."""

    reply: str
    shown: list[str] = field(default_factory=list)  # titles of buttons, list rows, a card
    handoff_reason: str | None = None
    trace: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class CheckResult:
    check: str  # the label
    passed: bool
    detail: str = ""  # why it failed, in words


@dataclass
class CaseRun:
    """One case's run: pass/fail per check, and what changed since the last run."""

    case_id: int
    message: str
    status: str  # pass · fail · error
    reply: str = ""
    results: list[CheckResult] = field(default_factory=list)
    changed: str = "First run"
    error: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@dataclass(frozen=True)
class CaseDTO:
    id: int
    message: str
    checks: list[Check]
    last_run: dict[str, Any]
    last_run_at: datetime | None

    @property
    def summary(self) -> str:
        return " · ".join(c.label for c in self.checks) or "any answer"


# -- checks ---------------------------------------------------------------------------------------------


def _kept(ch: str) -> bool:
    """A word character, '%' or any currency sign (Unicode Sc): '£95' and '20%' stay one token."""
    return ch.isalnum() or ch in "_%" or unicodedata.category(ch) == "Sc"


def _norm(text: str) -> str:
    return " ".join("".join(ch if _kept(ch) else " " for ch in fold(text or "").lower()).split())


def _contains(haystack: str, needle: str) -> bool:
    needle = _norm(needle)
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", _norm(haystack)) is not None


def validate_check(kind: str, value: Any) -> Check:
    """A check as it will be saved (value cleaned), or EvalError saying what to fix."""
    kind = str(kind or "").strip()
    text = " ".join(str(value if value is not None else "").split())[:MAX_VALUE]
    if kind not in CHECK_KINDS:
        raise EvalError(f"Unknown check “{kind}”.")
    if kind == "handoff":
        text = text.lower()
        if text not in ("yes", "no"):
            raise EvalError("Say whether the agent should hand off: yes or no.")
    elif kind == "language":
        text = text.lower()
        if not re.fullmatch(r"[a-z]{2}", text):
            raise EvalError("Give the language as a two-letter code, such as en or es.")
    elif kind == "max_length":
        if not text.isdigit() or not 1 <= int(text) <= 4096:
            raise EvalError("The longest reply is a number of characters between 1 and 4096.")
    elif not text:
        raise EvalError(f"{CHECK_LABELS[kind]}: write the words to look for.")
    return Check(kind, text)


def _product_names(session: Session, tenant_id: int, name: str) -> list[str] | None:
    """The item's name and aliases, when the catalogue knows `name` (by name or alias); else None."""
    scope = TenantScope(session, tenant_id)
    wanted = _norm(name)
    for model in (Product, Service):
        for row in scope.all(model):
            names = [row.name, *(row.aliases or [])]
            if any(_norm(n) == wanted for n in names):
                return names
    return None


def evaluate(
    checks: Sequence[Check], outcome: Outcome, product_names: Callable[[str], list[str] | None]
) -> list[CheckResult]:
    """Each check against the reply and its trace (see the module docstring)."""
    visible = "\n".join([outcome.reply, *outcome.shown])
    results: list[CheckResult] = []
    for check in checks:
        passed, detail = True, ""
        if check.kind == "mention":
            passed = _contains(visible, check.value)
            detail = "" if passed else f"the reply does not say “{check.value}”"
        elif check.kind == "not_mention":
            passed = not _contains(visible, check.value)
            detail = "" if passed else f"the reply says “{check.value}”"
        elif check.kind == "product":
            names = product_names(check.value)
            if names is None:
                passed, detail = False, f"“{check.value}” is not in the catalogue"
            else:
                passed = any(_contains(visible, n) for n in names)
                detail = "" if passed else f"the reply does not name {names[0]}"
        elif check.kind == "handoff":
            handed = bool(outcome.handoff_reason)
            passed = handed == (check.value == "yes")
            if not passed:
                detail = f"handed off: {outcome.handoff_reason}" if handed else "the agent kept the chat"
        elif check.kind == "language":
            found = detect(outcome.reply, default="").detected if outcome.reply.strip() else None
            passed = found == check.value
            if not passed:
                detail = f"answered in {language_name(found)}" if found else "the language is unclear"
        elif check.kind == "max_length":
            passed = len(outcome.reply) <= int(check.value)
            detail = "" if passed else f"{len(outcome.reply)} characters"
        results.append(CheckResult(check.label, passed, detail))
    return results


# -- saved cases ----------------------------------------------------------------------------------------


def _dto(row: PlaygroundTestCase) -> CaseDTO:
    checks = [Check(str(c.get("kind")), str(c.get("value"))) for c in row.checks or [] if c.get("kind")]
    assert row.id is not None
    return CaseDTO(row.id, row.message, checks, dict(row.last_run or {}), row.last_run_at)


def list_cases(session: Session, tenant_id: int) -> list[CaseDTO]:
    rows = session.exec(
        select(PlaygroundTestCase)
        .where(PlaygroundTestCase.tenant_id == tenant_id)
        .order_by(PlaygroundTestCase.id)  # type: ignore[arg-type]
    ).all()
    return [_dto(r) for r in rows]


def create_case(
    session: Session, tenant_id: int, message: str, checks: Sequence[Check], *, user_id: int | None = None
) -> CaseDTO:
    """A new saved case (its checks validated again here: the console is not trusted)."""
    message = " ".join((message or "").split())[:MAX_MESSAGE]
    if not message:
        raise EvalError("Write the customer's message.")
    cleaned = [validate_check(c.kind, c.value) for c in checks][:MAX_CHECKS]
    scope = TenantScope(session, tenant_id)
    if len(scope.all(PlaygroundTestCase)) >= MAX_CASES:
        raise EvalError(f"At most {MAX_CASES} test cases: remove one first.")
    row = scope.add(
        PlaygroundTestCase(message=message, checks=[asdict(c) for c in cleaned], created_by_user_id=user_id)
    )
    return _dto(row)


def delete_case(session: Session, tenant_id: int, case_id: int) -> bool:
    scope = TenantScope(session, tenant_id)
    row = scope.get(PlaygroundTestCase, case_id)
    if row is None:
        return False
    scope.delete(row)
    return True


def _changed(before: dict[str, Any], status: str, reply: str) -> str:
    if not before:
        return "First run"
    if before.get("status") != status:
        return "Now passing" if status == "pass" else "Now failing"
    return "Same reply" if before.get("reply") == reply else "Reply changed"


def outcome_of(preview: Any) -> Outcome:
    """The evidence from a `PersonaPreview`: reply, what its rich message shows, handoff, trace."""
    message = preview.message or {}
    shown = [str(message.get(k) or "") for k in ("title", "subtitle", "body") if message.get(k)]
    for option in message.get("options") or []:
        if isinstance(option, dict):
            shown.extend(str(option.get(k) or "") for k in ("title", "description") if option.get(k))
    return Outcome(preview.reply or "", shown, preview.handoff_reason, list(preview.trace or []))


def _preview(tenant_id: int, message: str) -> Any:
    """The saved persona's reply to a message, as the Persona page previews it (nothing written)."""
    with session_scope() as session:
        return preview_persona(session, tenant_id, None, message)


def run_case(tenant_id: int, case: CaseDTO, answer: Callable[[str], Any] | None = None) -> CaseRun:
    """One case: the reply from `answer(message)` (default: the saved persona's preview), checked, compared
    with the last run and saved. The model is asked with no transaction open; the result is one short write.
    """
    try:
        outcome = outcome_of((answer or (lambda m: _preview(tenant_id, m)))(case.message))
    except Exception as exc:  # noqa: BLE001 - one broken case is reported, the others still run
        outcome, error = None, str(exc) or type(exc).__name__
    with session_scope() as session:
        if outcome is None:
            run = CaseRun(case.id, case.message, "error", error=error)
        else:
            results = evaluate(case.checks, outcome, lambda n: _product_names(session, tenant_id, n))
            status = "pass" if all(r.passed for r in results) else "fail"
            run = CaseRun(case.id, case.message, status, outcome.reply, results)
        run.changed = _changed(case.last_run, run.status, run.reply)
        row = TenantScope(session, tenant_id).get(PlaygroundTestCase, case.id)
        if row is not None:
            row.last_run = {
                "status": run.status,
                "reply": run.reply,
                "results": [asdict(r) for r in run.results],
                "error": run.error,
            }
            row.last_run_at = row.updated_at = utcnow()
            session.add(row)
    return run


def run_cases(tenant_id: int, answer: Callable[[str], Any] | None = None) -> list[CaseRun]:
    """Every saved case of the tenant, in order (the Playground's "Run all" and `engine eval`)."""
    with session_scope() as session:
        cases = list_cases(session, tenant_id)
    return [run_case(tenant_id, case, answer) for case in cases]


__all__ = [
    "CHECK_KINDS",
    "CHECK_LABELS",
    "CaseDTO",
    "CaseRun",
    "Check",
    "CheckResult",
    "EvalError",
    "Outcome",
    "create_case",
    "delete_case",
    "evaluate",
    "list_cases",
    "outcome_of",
    "run_case",
    "run_cases",
    "validate_check",
]
