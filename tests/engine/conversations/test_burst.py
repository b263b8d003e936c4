"""The burst window policy: complete questions sooner, fragments later, cadence-aware, capped at 3×."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.conversations.burst import burst_due_at, classify

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Do you have the trail runner in 42?", "complete"),
        ("I would like to return my order please.", "complete"),
        ("hi", "fragment"),
        ("Hello!", "fragment"),
        ("so I was wondering,", "fragment"),
        ("the blue ones and", "fragment"),
        ("wait...", "fragment"),
        ("size 42", "fragment"),
        ("I bought trail shoes last week from you", "neutral"),
        ("", "neutral"),
    ],
)
def test_classify(text: str, kind: str) -> None:
    assert classify(text) == kind


def test_a_photo_without_caption_is_a_fragment() -> None:
    assert classify("", has_media=True) == "fragment"


def _due(**kwargs: object) -> float:
    return (burst_due_at(now=NOW, window_seconds=5, **kwargs) - NOW).total_seconds()  # type: ignore[arg-type]


def test_the_window_adapts_to_what_was_written() -> None:
    assert _due(text="What are your opening hours?") == 2.5
    assert _due(text="I bought trail shoes last week from you") == 5
    assert _due(text="hi") == 8
    assert _due(text="", interactive=True) == 1


def test_a_customer_mid_burst_is_waited_for_at_their_own_pace() -> None:
    started = NOW - timedelta(seconds=4)
    assert _due(text="in 42?", burst_started_at=started, previous_gap_seconds=4) == 6  # 1.5 × their 4 s gap
    assert _due(text="in 42?", burst_started_at=started, previous_gap_seconds=1) == 2.5


def test_the_burst_never_waits_more_than_three_windows_from_its_first_message() -> None:
    started = NOW - timedelta(seconds=12)
    assert _due(text="and", burst_started_at=started, previous_gap_seconds=9) == 3
    assert _due(text="more", burst_started_at=NOW - timedelta(seconds=20), previous_gap_seconds=9) == -5


def test_a_zero_window_answers_at_once() -> None:
    assert burst_due_at(now=NOW, window_seconds=0, text="hi") == NOW
