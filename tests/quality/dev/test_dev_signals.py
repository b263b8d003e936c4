"""The message classifier and the handoff rules on the development messages (signals.py): precision and
recall of the handoff decision and recall per class, with the semantic layer on where the local model is
installed (as in production) — measured on the decision itself (engine.agent.handoff.should_handoff with a
new tenant's default sensitive topics and a confident model), without the channel around it. Run with -s to
see the figures and every miss (these messages may be read and developed against; the held-out ones not)."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from engine.agent import classify
from engine.agent import language as lang
from engine.agent.handoff import HandoffSignals, should_handoff
from engine.models.agent import DEFAULT_HANDOFF_TOPICS
from tests.quality.dev.signals import CLASSES, MESSAGES

BARS = {"precision": 0.95, "recall": 0.90, "frustrated": 0.85}  # issue #13's, reported beside the figures
FLOORS = {"precision": 0.94, "recall": 0.63, "frustrated": 0.47}  # today's figures: a drop below fails


@pytest.fixture
def semantic(monkeypatch: pytest.MonkeyPatch) -> bool:
    from engine.config import reset_settings_cache
    from engine.knowledge.embeddings import local_model_available

    if not local_model_available() or os.environ.get("HELDOUT_LEXICONS_ONLY"):
        return False
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "local")
    reset_settings_cache()
    return classify.warm(block=True)


def _languages(texts: list[str]) -> list[str]:
    return [lang.detect(t, stored=None, default="en").language for t in texts]


def test_the_set_covers_every_class_and_several_languages() -> None:
    shown = Counter(c for m in MESSAGES for c in m.classes)
    assert all(shown[c] >= 4 for c in CLASSES)
    assert len({m.lang for m in MESSAGES}) >= 5
    assert sum(m.handoff for m in MESSAGES) >= 60 and sum(not m.handoff for m in MESSAGES) >= 30


def test_handoff_decisions_on_the_development_messages(semantic: bool) -> None:
    counts: Counter[str] = Counter()
    per_class: dict[str, Counter[str]] = {c: Counter() for c in CLASSES}
    misses: list[str] = []
    for msg in MESSAGES:
        now = classify.classify_messages([msg.text], _languages([msg.text]))
        before = classify.classify_messages(list(msg.before), _languages(list(msg.before)))
        decision = should_handoff(
            HandoffSignals(
                text=msg.text,
                confidence=0.9,
                topics=DEFAULT_HANDOFF_TOPICS,
                recent_customer_messages=msg.before,
                signals=now,
                previous_signals=before,
            )
        )
        got = decision.needed or decision.offer_person
        counts["tp" if got and msg.handoff else "fp" if got else "fn" if msg.handoff else "tn"] += 1
        for name in msg.classes:
            per_class[name]["hit" if got else "miss"] += 1
        if got != msg.handoff:
            misses.append(f"{msg.lang} {msg.text!r}: want {msg.handoff}, got {got} {now[0].to_dict()}")
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    # Class recall counts the messages that should hand off (a mild message alone should not).
    handed = {c: [m for m in MESSAGES if c in m.classes and m.handoff] for c in CLASSES}
    recalls = {
        c: sum(1 for m in handed[c] if m not in _missed(misses, m)) / max(1, len(handed[c])) for c in CLASSES
    }
    layers = "lexicons + exemplars" if semantic else "lexicons only"
    print(f"\n[development signals, {layers}] precision {precision:.3f} recall {recall:.3f} {dict(counts)}")
    print("  class recall: " + ", ".join(f"{c} {recalls[c]:.3f} ({len(handed[c])})" for c in CLASSES))
    for miss in misses:
        print("  miss", miss)
    figures = {"precision": precision, "recall": recall, "frustrated": recalls["frustrated"]}
    print(
        "  bars: "
        + ", ".join(f"{k} {figures[k]:.3f} {'>=' if figures[k] >= b else '<'} {b}" for k, b in BARS.items())
    )
    assert all(figures[k] >= floor for k, floor in FLOORS.items()), figures


def _missed(misses: list[str], msg: object) -> list[object]:
    return [msg] if any(f"{msg.text!r}:" in m for m in misses) else []  # type: ignore[attr-defined]
