"""A test case's row shows the reply as a phone's notification does: no WhatsApp markers in the table."""

from __future__ import annotations

from console.state.playground_cases import CaseRow, run_row
from engine.agent.evals import CaseRun


def test_the_reply_in_a_case_row_is_shown_without_whatsapp_markers() -> None:
    reply = "The *Ridgeline Trail Runner* is in stock in _UK 8_.\n- Black\n- ~Grey~"
    row = run_row(
        CaseRow(id=1, message="ridgeline in uk 8?"), CaseRun(1, "ridgeline in uk 8?", "pass", reply)
    )
    assert row.reply == "The Ridgeline Trail Runner is in stock in UK 8.\n• Black\n• Grey"
    assert "*" not in row.reply and "_" not in row.reply and "~" not in row.reply
