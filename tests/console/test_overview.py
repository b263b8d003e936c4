"""How the Overview words its figures."""

from __future__ import annotations

import pytest

from console.state.formatting import duration, percent


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (None, "—"),
        (0.4, "0 s"),
        (42, "42 s"),
        (90, "1.5 min"),
        (120, "2 min"),
        (569, "9.5 min"),
        (600, "10 min"),
        (3599, "1 h"),
        (3600, "1 h"),
        (3900, "1 h 5 min"),
    ],
)
def test_a_wait_reads_as_people_say_it(seconds: float | None, shown: str) -> None:
    assert duration(seconds) == shown


def test_no_conversations_is_a_dash_not_zero_percent() -> None:
    assert (percent(None), percent(0), percent(67)) == ("—", "0%", "67%")
