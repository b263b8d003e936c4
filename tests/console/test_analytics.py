"""The Analytics page's state: guarded, loads the report for the range in the background, words every figure
for a shop owner, exports each table as the CSV of the rows on screen, and opens a knowledge gap in the
Knowledge drawer prefilled."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from console.state.analytics import AnalyticsState, load_report
from console.state.guard import ALLOWED, FORBIDDEN
from console.state.knowledge_editor import KnowledgeEditorState
from engine.analytics.periods import Period
from engine.db import session_scope
from engine.models.analytics import KnowledgeGap
from tests.console.conftest import add_person, sign_in
from tests.console.test_knowledge import run_background
from tests.engine.analytics.conftest import seed, utc

RANGE = ("custom", "2026-10-31", "2026-11-02", "day")


def _report() -> dict[str, Any]:
    shop = seed()
    with session_scope() as s:
        s.add(
            KnowledgeGap(
                tenant_id=shop.tenant_id,
                question='=HYPERLINK("x") do you gift wrap?',
                examples=["can you wrap it"],
                size=4,
                reasons={"no_hit": 3, "no_answer": 1},
                first_seen_at=utc(11, 1, 9, 0),
                last_seen_at=utc(11, 2, 9, 0),
            )
        )
    data = load_report(shop.tenant_id, *RANGE)
    data["shop"] = shop
    return data


def test_the_report_in_a_shop_owners_words() -> None:
    data = _report()
    assert data["period"] == Period(date(2026, 10, 31), date(2026, 11, 2), "America/New_York")
    cards = {c["key"]: c for c in data["kpis"]}
    assert cards["conversations"]["value"] == "4"
    assert cards["handoff_pct"]["value"] == "25%"
    assert cards["first_response_p50"]["value"] == "20 s"
    assert cards["spend"]["value"] == "$0.0119"
    # The three days before (Oct 28–30) had only A, a minute before the range: +300% conversations.
    assert cards["conversations"]["change"] == "+300% vs previous period"
    assert cards["conversations"]["color"] == "grass"
    assert [(p["day"], p["agent"], p["person"]) for p in data["conversation_series"]] == [
        ("Oct 31", 1, 0),
        ("Nov 1", 1, 1),
        ("Nov 2", 1, 0),
    ]
    assert data["cost_names"] == ["gpt-4o", "gpt-4o-mini", "Llama-3.3-70B-Instruct-Turbo", "Other models"]
    assert data["cost_series"][1] == {"day": "Nov 1", "m1": 0.011, "m2": 0.0, "m3": 0.0003, "other": 0.0}
    assert data["currency_note"] == "In US dollars, as your AI providers bill · prices as of Jun 1, 2025"
    assert data["handoff_rows"][0]["label"] == "No answer in your knowledge or catalog"
    assert data["handoff_rows"][0]["href"] == "/conversations?handoff=no_answer&from=2026-10-31&to=2026-11-02"
    assert data["time_rows"][1]["p95"] == "1 min"  # agent replies: 60 s
    assert data["gap_rows"][0]["href"].startswith("/knowledge?draft=%3DHYPERLINK")
    assert data["has_data"] is True


async def test_the_page_loads_and_exports_every_table(open_tab, workspace) -> None:
    shop = seed()
    add_person(shop.tenant_id, "manager@harbor.test", "manager")
    page = open_tab(AnalyticsState, sign_in("manager@harbor.test"), "/analytics")
    await page.load_page()
    assert page.access == ALLOWED and page.loading
    page.preset, page.date_from, page.date_to = RANGE[:3]
    await run_background(page, "refresh")
    assert page.loaded and not page.loading
    assert page.range_label == "Oct 31 – Nov 2, 2026"
    download = await page.export("costs")
    args = {str(k): v._var_value for k, v in download.args}
    assert args["filename"] == "cost-by-model-2026-10-31-to-2026-11-02.csv"
    text = base64.b64decode(args["url"].split("base64,", 1)[1]).decode()
    assert text.splitlines()[:2] == [
        "Model,Provider,Calls,Tokens in,Tokens out,Cost",
        'gpt-4o,OpenAI,2,"2,000",500,0.011000',
    ]
    for table in ("conversations", "times", "handoffs", "quality", "topics", "gaps"):
        assert await page.export(table) is not None


async def test_a_bad_custom_range_is_said_next_to_the_dates(open_tab, workspace) -> None:
    page = open_tab(AnalyticsState, workspace.people["manager"].token, "/analytics")
    await page.load_page()
    assert await page.apply_dates({"date_from": "2026-11-02", "date_to": "2026-11-01"}) is None
    assert (
        page.range_error == "the range starts after it ends: the first day must be on or before the last day"
    )
    await page.apply_dates({"date_from": "", "date_to": "2026-11-01"})
    assert page.range_error == "Pick both days of the range."


async def test_roles_without_analytics_see_no_figures(open_tab, workspace) -> None:
    page = open_tab(AnalyticsState, workspace.people["agent"].token, "/analytics")
    await page.load_page()
    assert page.access == FORBIDDEN and page.kpis == []


async def test_create_knowledge_entry_opens_the_drawer_prefilled(open_tab, workspace) -> None:
    drawer = open_tab(
        KnowledgeEditorState, workspace.people["manager"].token, "/knowledge?draft=Do%20you%20gift%20wrap%3F"
    )
    await drawer.load_page()
    assert drawer.open and drawer.is_new and drawer.tab == "edit"
    assert drawer.title == "Do you gift wrap?"
    assert drawer.dirty  # leaving asks first, like any unsaved draft
