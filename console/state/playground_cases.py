"""The Playground's saved test cases as the page draws them: rows, per-check results and the check form.

The cases live in the database (engine.agent.evals: saved per tenant, run on the saved persona, compared
with the last run); this module only turns the engine's DTOs into display rows and keeps the vocabulary of
the "add a check" form in the shop owner's words. PlaygroundState's handlers call it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from console.state.whatsapp_format import parse, plain
from engine.agent.evals import CHECK_LABELS, CaseDTO, CaseRun, Check

# The "add a check" picker: (kind, label, placeholder of its value field).
CHECK_CHOICES: list[list[str]] = [
    ["mention", CHECK_LABELS["mention"], "words, e.g. 30 days"],
    ["not_mention", CHECK_LABELS["not_mention"], "words, e.g. store credit"],
    ["product", CHECK_LABELS["product"], "a product or service name"],
    ["handoff", "Hands off to a person", "yes or no"],
    ["language", CHECK_LABELS["language"], "language code, e.g. en or es"],
    ["max_length", CHECK_LABELS["max_length"], "e.g. 600"],
]
PLACEHOLDERS = {kind: hint for kind, _, hint in CHECK_CHOICES}


@dataclasses.dataclass
class CheckView:
    """One check of a case: its sentence and, after a run, whether the reply passed it and why not."""

    label: str = ""
    status: str = ""  # "" (not run) · pass · fail
    detail: str = ""


@dataclasses.dataclass
class DraftCheck:
    """A check being written in the form, before the case is saved."""

    kind: str = "mention"
    value: str = ""
    label: str = ""


@dataclasses.dataclass
class CaseRow:
    """A saved test case and its last run."""

    id: int = 0
    message: str = ""
    checks: list[CheckView] = dataclasses.field(default_factory=list)
    status: str = ""  # "" (not run) · running · pass · fail · error
    reply: str = ""
    why: str = ""
    changed: str = ""
    ran: str = ""


def _views(checks: list[Check], results: list[dict[str, Any]]) -> list[CheckView]:
    by_label = {str(r.get("check")): r for r in results}
    views = []
    for check in checks:
        result = by_label.get(check.label)
        status = "" if result is None else ("pass" if result.get("passed") else "fail")
        views.append(CheckView(check.label, status, str((result or {}).get("detail") or "")))
    return views


def case_row(case: CaseDTO, *, changed: str = "") -> CaseRow:
    """A saved case as the table shows it, with its last run when there is one."""
    last = case.last_run or {}
    return CaseRow(
        id=case.id,
        message=case.message,
        checks=_views(case.checks, list(last.get("results") or [])),
        status=str(last.get("status") or ""),
        reply=_preview(str(last.get("reply") or "")),
        why=str(last.get("error") or ""),
        changed=changed,
        ran=case.last_run_at.strftime("%d %b %H:%M") if case.last_run_at else "",
    )


def _preview(reply: str) -> str:
    """The reply as a phone's notification shows it: *bold* and _italics_ without their markers."""
    return plain(parse(reply))


def run_row(row: CaseRow, run: CaseRun) -> CaseRow:
    """The row after a run: per-check results, the reply and what changed since the last run."""
    results = [dataclasses.asdict(r) for r in run.results]
    by_label = {r["check"]: r for r in results}
    checks = [
        CheckView(
            c.label,
            "pass" if by_label.get(c.label, {}).get("passed") else ("fail" if c.label in by_label else ""),
            str(by_label.get(c.label, {}).get("detail") or ""),
        )
        for c in row.checks
    ]
    return dataclasses.replace(
        row,
        checks=checks,
        status=run.status,
        reply=_preview(run.reply),
        why=run.error,
        changed=run.changed,
        ran="now",
    )


__all__ = [
    "CHECK_CHOICES",
    "PLACEHOLDERS",
    "CaseRow",
    "CheckView",
    "DraftCheck",
    "case_row",
    "run_row",
]
