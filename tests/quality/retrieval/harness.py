"""Seeds a knowledge base into a tenant and measures recall@1 and recall@3 of knowledge search over it.

Shared by the quality test (tests/quality/retrieval/test_retrieval_quality.py) and the benchmark script
(benchmarks/retrieval_quality.py), so both print the same figures for the same question sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from engine.accounts.tenants import create_tenant
from engine.demo import seed_demo
from engine.knowledge import service
from engine.knowledge.types import EntryData
from tests.quality.retrieval import clinic_data, clinic_questions, demo_questions

Question = tuple[str, str, str]


@dataclass(frozen=True)
class Base:
    """A knowledge base under test: how its entries' sources are prefixed, and its labelled questions."""

    name: str
    prefix: str
    questions: Sequence[Question]
    tuned_on: bool


BASES: dict[str, Base] = {
    "demo": Base("demo shop (Stride & Co.)", "demo:", demo_questions.QUESTIONS, tuned_on=True),
    "clinic": Base("dental clinic (Harbourside)", "clinic:", clinic_questions.QUESTIONS, tuned_on=False),
}


@dataclass
class Figures:
    """Recall of one base in one search mode; `misses` lists the questions whose entry was not first."""

    mode: str
    questions: int
    at1: int = 0
    at3: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall1(self) -> float:
        return self.at1 / self.questions if self.questions else 0.0

    @property
    def recall3(self) -> float:
        return self.at3 / self.questions if self.questions else 0.0


def seed_base(session: Session, key: str) -> int:
    """The tenant holding base `key`'s entries (indexed with whatever embedder the environment selects)."""
    if key == "demo":
        return seed_demo(session).tenant_id
    tenant = create_tenant(session, name="Harbourside Dental", slug="harbourside-dental", currency="GBP")
    assert tenant.id is not None
    items = [
        EntryData(
            title=spec["title"],
            content=spec["content"],
            entry_type=spec["entry_type"],
            category=spec["category"],
            keywords=list(spec["keywords"]),
            priority=int(spec.get("priority", 0)),
        )
        for spec in clinic_data.CLINIC
    ]
    service.create_entries(
        session, tenant.id, items, sources=[(f"clinic:{spec['key']}", None) for spec in clinic_data.CLINIC]
    )
    return tenant.id


def measure(session: Session, tenant_id: int, base: Base, mode: str) -> Figures:
    """Recall@1/@3 of `service.search` (limit 3) over the base's questions; `mode` "auto" or "lexical"."""
    figures = Figures(mode="", questions=len(base.questions))
    modes: set[str] = set()
    for question, key, kind in base.questions:
        result = service.search(session, tenant_id, question, limit=3, mode=mode)
        modes.add(result.mode)
        sources = [hit.entry.source or "" for hit in result.hits]
        want = base.prefix + key
        if sources[:1] == [want]:
            figures.at1 += 1
        else:
            got = [s.removeprefix(base.prefix) for s in sources]
            figures.misses.append(f"[{kind}] {question!r} -> want {key}, got {got}")
        figures.at3 += want in sources
    figures.mode = "/".join(sorted(modes))
    return figures
