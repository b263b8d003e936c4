"""The message classifier and the handoff rules on the development messages (signals.py): precision and
recall of the handoff decision and recall per class, with the semantic layer on where the local model is
installed (as in production) — measured on the decision itself (engine.agent.handoff.should_handoff with a
new tenant's default sensitive topics and a confident model), without the channel around it. Both splits
are printed (run with -s to see the figures and every miss: these messages may be read and developed
against; the held-out ones may not)."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import pytest

from engine.agent import classify
from engine.agent import language as lang
from engine.agent.handoff import HandoffSignals, should_handoff
from engine.models.agent import DEFAULT_HANDOFF_TOPICS
from tests.quality.agent.cases import CASES
from tests.quality.dev.signals import (
    CHECK,
    CLASSES,
    EVERYDAY,
    FRESH,
    FRESH_2,
    FRESH_3,
    FRESH_4,
    FRESH_5,
    FRESH_6,
    FRESH_7,
    FRESH_8,
    FRESH_9,
    MESSAGES,
    Dev,
)

BARS = {"precision": 0.95, "recall": 0.90, "frustrated": 0.85}  # issue #13's, reported beside the figures
# Today's figures per split: a drop below fails.
FLOORS = {
    "development": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "check": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "everyday": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "fresh": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "fresh 2": {"precision": 0.98, "recall": 1.0, "frustrated": 1.0},
    "fresh 3": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "fresh 4": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "fresh 5": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "fresh 6": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "fresh 7": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "fresh 8": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
    "fresh 9": {"precision": 1.0, "recall": 1.0, "frustrated": 1.0},
}


SPLITS = (
    ("development", MESSAGES),
    ("check", CHECK),
    ("everyday", EVERYDAY),
    ("fresh", FRESH),
    ("fresh 2", FRESH_2),
    ("fresh 3", FRESH_3),
    ("fresh 4", FRESH_4),
    ("fresh 5", FRESH_5),
    ("fresh 6", FRESH_6),
    ("fresh 7", FRESH_7),
    ("fresh 8", FRESH_8),
    ("fresh 9", FRESH_9),
)


@pytest.fixture
def semantic(monkeypatch: pytest.MonkeyPatch) -> bool:
    from engine.config import reset_settings_cache
    from engine.knowledge.embeddings import local_model_available

    if not local_model_available() or os.environ.get("HELDOUT_LEXICONS_ONLY"):
        return False
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "local")
    reset_settings_cache()
    return classify.warm(block=True)


@dataclass
class Figures:
    counts: Counter[str] = field(default_factory=Counter)
    handed: Counter[str] = field(default_factory=Counter)  # per class: messages that should hand off
    hits: Counter[str] = field(default_factory=Counter)  # … and did
    by_language: dict[str, Counter[str]] = field(default_factory=dict)  # language -> tp/fp/fn/tn
    misses: list[str] = field(default_factory=list)

    def values(self) -> dict[str, float]:
        tp, fp, fn = self.counts["tp"], self.counts["fp"], self.counts["fn"]
        return {
            "precision": tp / max(1, tp + fp),
            "recall": tp / max(1, tp + fn),
            **{c: self.hits[c] / max(1, self.handed[c]) for c in CLASSES},
        }


def _languages(texts: list[str]) -> list[str]:
    return [lang.detect(t, stored=None, default="en").language for t in texts]


def _signals(texts: list[str], lexicons_only: bool) -> list[classify.MessageSignals]:
    if lexicons_only:
        return [classify.lexicon_signals(t) for t in texts]
    return classify.classify_messages(texts, _languages(texts))


def score(messages: list[Dev], *, lexicons_only: bool = False) -> Figures:
    out = Figures()
    for msg in messages:
        now = _signals([msg.text], lexicons_only)
        before = _signals(list(msg.before), lexicons_only)
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
        outcome = "tp" if got and msg.handoff else "fp" if got else "fn" if msg.handoff else "tn"
        out.counts[outcome] += 1
        out.by_language.setdefault(msg.lang, Counter())[outcome] += 1
        for name in msg.classes if msg.handoff else ():
            out.handed[name] += 1
            out.hits[name] += got
        if got != msg.handoff:
            out.misses.append(f"{msg.lang} {msg.text!r}: want {msg.handoff}, got {got} {now[0].to_dict()}")
    return out


def test_the_set_covers_every_class_and_several_languages() -> None:
    shown = Counter(c for m in MESSAGES for c in m.classes)
    assert all(shown[c] >= 4 for c in CLASSES)
    assert len({m.lang for m in MESSAGES}) >= 5
    assert sum(m.handoff for m in MESSAGES) >= 60 and sum(not m.handoff for m in MESSAGES) >= 30


# The lexicons alone (the offline path; Hinglish and two-word messages the English exemplars read badly),
# every split: recall and precision may not drop below these.
LEXICON_FLOORS = {split: {"precision": 1.0, "recall": 1.0} for split, _ in SPLITS}


def test_the_lexicons_alone_on_every_split() -> None:
    failed = []
    for split, messages in SPLITS:
        v = score(messages, lexicons_only=True).values()
        print(f"\n[{split} signals, lexicons alone] precision {v['precision']:.3f} recall {v['recall']:.3f}")
        failed += [f"{split} {k} {v[k]:.3f} < {f}" for k, f in LEXICON_FLOORS[split].items() if v[k] < f]
    assert not failed, "; ".join(failed)


def test_handoff_decisions_on_the_development_messages(semantic: bool) -> None:
    layers = "lexicons + exemplars" if semantic else "lexicons only"
    failed = []
    for split, messages in SPLITS:
        figures = score(messages)
        v = figures.values()
        print(
            f"\n[{split} signals, {layers}] precision {v['precision']:.3f} recall {v['recall']:.3f} "
            f"{dict(figures.counts)}"
        )
        print("  class recall: " + ", ".join(f"{c} {v[c]:.3f} ({figures.handed[c]})" for c in CLASSES))
        print(
            "  per language (recall, false handoffs): "
            + ", ".join(
                f"{code} {c['tp'] / max(1, c['tp'] + c['fn']):.2f} {c['fp']}/{c['fp'] + c['tn']}"
                for code, c in sorted(figures.by_language.items())
            )
        )
        print(
            "  bars: "
            + ", ".join(f"{k} {v[k]:.3f} {'>=' if v[k] >= b else '<'} {b}" for k, b in BARS.items())
        )
        for miss in figures.misses:
            print("  miss", miss)
        failed += [f"{split} {k} {v[k]:.3f} < {f}" for k, f in FLOORS[split].items() if v[k] < f]
    # The existing quality set's turns that need no person (tests/quality/agent): how many the signals alone
    # would hand off with the semantic layer on (that set's own test runs lexicons only). One before issue
    # #13's classifier work ("what's your customer service phone number"), none since the exemplars' contact
    # questions and people-as-users seeds, and none may come.
    calm = [Dev("\n".join(c.messages), (), False, "en", tuple(c.before)) for c in CASES if not c.handoff]
    false_handoffs = score(calm)
    print(f"\n[existing set, {layers}] signals' false handoffs {false_handoffs.counts['fp']} of {len(calm)}")
    for miss in false_handoffs.misses:
        print("  miss", miss)
    if false_handoffs.counts["fp"] > 0:
        failed.append(f"existing set: {false_handoffs.counts['fp']} false handoffs (was 0)")
    assert not failed, "; ".join(failed)
