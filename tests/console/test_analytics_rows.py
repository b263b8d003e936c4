"""The Analytics page's rows (console/state/analytics_rows.py) where they are more than wording: the
response-time chart's unit and scale chosen from the data, so one slow reply cannot flatten the other bars,
and the handoff reasons linking to their chats in the inbox for the range on screen."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from console.state import conversations_filter
from console.state.analytics_rows import handoff_rows, time_rows, time_scale
from engine.analytics.handoffs import HandoffReason, Handoffs
from engine.analytics.performance import Performance, Times
from engine.analytics.periods import Period

MINUTE, HOUR = 60, 3600


def _times(first: Times, agent: Times, team: Times) -> list[dict]:
    report = SimpleNamespace(
        performance=Performance(first_response=first, agent_reply=agent, person_reply=team)
    )
    return time_rows(report)  # type: ignore[arg-type]


def test_one_26_hour_staff_reply_does_not_flatten_the_chart() -> None:
    """The screenshot's case: the axis went to 100,000 seconds for one reply a day late. That bar (and the
    team's median, twenty times the next) leave the scale; the axis counts minutes up to 2.5; every bar still
    says its wait in words, and the note names what is above the chart."""
    rows = _times(
        Times(p50=20, p95=2 * MINUTE, p99=3 * MINUTE, count=40),
        Times(p50=3, p95=8, p99=12, count=300),
        Times(p50=40 * MINUTE, p95=26 * HOUR, p99=26 * HOUR, count=6),
    )
    first, agent, team = rows
    assert {r["unit"] for r in rows} == {"minutes"} and {r["top"] for r in rows} == {2.5}
    assert (first["p50_v"], first["p95_v"]) == (0.333, 2.0)
    assert (agent["p50_v"], agent["p95_v"]) == (0.05, 0.133)
    assert (team["p50_v"], team["p95_v"]) == (2.5, 2.5)  # drawn up to the top
    labels = [r[k].replace("\u00a0", " ") for r in (agent, team) for k in ("p50_label", "p95_label")]
    assert labels == ["3 s", "8 s", "↑ 40 min", "↑ 26 h"]  # on one line each: no-break spaces
    assert " " not in team["p95_label"]
    assert [r["note"] for r in rows] == ["", "", "Your team's replies: half within 40 min, 95% within 26 h"]
    assert (team["p50"], team["p95"], team["p99"], team["count"]) == ("40 min", "26 h", "26 h", "6")


def test_a_reply_a_day_late_is_often_both_the_teams_median_and_its_95th() -> None:
    """The demo shop's case: one staff reply 26 h 26 min after the question is the team's every figure. Both
    its bars leave the scale together, and the rest is drawn in minutes."""
    late = 26 * HOUR + 26 * MINUTE
    rows = _times(Times(60, 60, 60, 7), Times(60, 120, 120, 13), Times(late, late, late, 1))
    assert (rows[0]["unit"], rows[0]["top"]) == ("minutes", 2.5)
    assert [(r["p50_v"], r["p95_v"]) for r in rows] == [(1.0, 1.0), (1.0, 2.0), (2.5, 2.5)]
    assert rows[2]["note"] == "Your team's replies: half within 26 h 26 min, 95% within 26 h 26 min"
    assert rows[2]["p95_label"] == "↑\u00a026\u00a0h"


@pytest.mark.parametrize(
    ("waits", "unit", "top"),
    [
        ([4, 9, 2, 6, 30, 55], "seconds", 60),  # a quick shop: seconds, up to a round 60
        ([60, 62, 60, 90, None, None], "minutes", 2),  # from a minute and a half: minutes
        ([20, 100, 3, 8, 10 * MINUTE, 35 * MINUTE], "minutes", 40),
        ([HOUR, 3 * HOUR, 2 * HOUR, 4 * HOUR, 5 * HOUR, 9 * HOUR], "hours", 10),
        ([None, None, None, None, None, None], "seconds", 1),  # nothing measured yet
        ([5, 5, None, None, 50 * HOUR, None], "seconds", 6),  # one huge figure: off the scale
    ],
)
def test_the_unit_and_the_top_follow_the_data(waits: list, unit: str, top: float) -> None:
    scale = time_scale(waits)
    assert (scale.unit, scale.top) == (unit, top)


def test_bar_labels_are_short_and_tell_bars_apart() -> None:
    rows = _times(Times(62, 90), Times(9, 150), Times(5400, 36_000))
    labels = [r[k].replace("\u00a0", " ") for r in rows for k in ("p50_label", "p95_label")]
    assert labels == ["1 min", "1.5 min", "9 s", "2.5 min", "↑ 1.5 h", "↑ 10 h"]  # the team: off the scale


def test_at_most_two_bars_leave_the_scale() -> None:
    waits = [1, 20, 400, 8_000, 160_000, 3_200_000]
    scale = time_scale(waits)
    assert [scale.off(v) for v in waits] == [False] * 4 + [True] * 2


def test_a_shop_with_no_waits_yet_draws_no_bars_and_no_notes() -> None:
    rows = _times(Times(), Times(), Times())
    assert [(r["p50_v"], r["p95_v"], r["p50_label"], r["note"]) for r in rows] == [(0.0, 0.0, "", "")] * 3
    assert rows[0]["p50"] == "—"


def test_each_handoff_reason_opens_its_chats_for_the_range_on_screen() -> None:
    period = Period(date(2026, 11, 3), date(2026, 12, 2), "Europe/Madrid")
    report = SimpleNamespace(
        period=period,
        handoffs=Handoffs(
            reasons=[
                HandoffReason("frustration", 3, 60),
                HandoffReason("staff", 1, 20),
                HandoffReason("brand_new_code", 1, 20),
            ]
        ),
    )
    rows = handoff_rows(report)  # type: ignore[arg-type]
    assert [(r["label"], r["href"]) for r in rows] == [
        ("Customer sounds frustrated", "/conversations?handoff=frustration&from=2026-11-03&to=2026-12-02"),
        ("Taken over by your team", "/conversations?handoff=staff&from=2026-11-03&to=2026-12-02"),
        ("Brand new code", ""),  # the inbox cannot filter by it: no link rather than a wrong one
    ]
    # what the link says, the inbox reads back: the same reason and range, in the shop's zone
    back = conversations_filter.parse(
        {"handoff": "frustration", "from": "2026-11-03", "to": "2026-12-02"}, "Europe/Madrid"
    )
    assert back is not None and back.period == period
    assert back.chip == "Customer sounds frustrated · Nov 3 – Dec 2, 2026"
