"""The Analytics page in a real browser (issue #19): the demo shop's owner opens it, the KPI cards and the
charts draw numbers for the last 30 days, the cost table is in US dollars with the price table's date, a
knowledge gap opens the Knowledge drawer with the question as its title, and a table downloads as CSV;
Satisfaction draws its trend and figures, its tables by handler and by entry, and a low rating's comment.
Screenshots at 1440 and 390 px (no horizontal scroll) land in tests/e2e/artifacts/ (95-…)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.analytics_seed import LOW_COMMENT
from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.seed_inbox import OWNER
from tests.e2e.test_analytics_inbox_link import CLIPPED
from tests.e2e.test_console import sign_in

expect.set_options(timeout=30_000)

# Words that run into each other on a chart: an x-axis label touching its neighbour, or a bar's figure on top
# of the next bar's.
CROWDED = """() => {
  const out = [];
  for (const chart of document.querySelectorAll('.recharts-wrapper')) {
    const groups = [chart.querySelectorAll('.recharts-xAxis .recharts-cartesian-axis-tick-value'),
                    chart.querySelectorAll('.recharts-label-list text')];
    for (const group of groups) {
      const boxes = [...group].map(e => [e.textContent, e.getBoundingClientRect()])
                              .filter(([, b]) => b.width);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const [ta, a] = boxes[i], [tb, b] = boxes[j];
        const apart = a.right + 2 <= b.left || b.right + 2 <= a.left
                      || a.bottom <= b.top || b.bottom <= a.top;
        if (!apart) out.push(ta + ' / ' + tb);
      }
    }
  }
  return out;
}"""


def shots(page: Page, name: str) -> None:
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: {overflow}px of horizontal scroll at 390 px"
    assert page.evaluate(CLIPPED) == [], f"{name}: words cut off in a table at 390 px"
    assert page.evaluate(CROWDED) == [], f"{name}: chart words run into each other at 390 px"
    presets = page.get_by_test_id("range-presets")
    if presets.count():  # on the Analytics page (not the Knowledge page a gap opens)
        custom = presets.get_by_role("radio", name="Custom").bounding_box()
        assert custom and custom["x"] + custom["width"] <= 390, f"{name}: the Custom range is off screen"
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_timeout(300)


def test_figures_charts_gaps_and_a_csv(page: Page, server: Server) -> None:
    sign_in(page, server, OWNER[0], "/analytics")
    page.goto(f"{server.url}/analytics")
    expect(page.get_by_test_id("kpi-conversations")).to_have_text(re.compile(r"^[1-9][\d,]*$"))
    expect(page.get_by_test_id("kpi-spend")).to_have_text(re.compile(r"^\$\d"))
    expect(page.get_by_test_id("range-label")).to_have_text(re.compile(r"\w{3} \d+.* – \w{3} \d+, \d{4}"))

    # The charts draw bars and label their axes with numbers.
    conversations = page.get_by_test_id("chart-conversations")
    expect(conversations.locator(".recharts-bar-rectangle").first).to_be_visible()
    # the y axis counts conversations: its tick labels are numbers
    expect(conversations.locator("svg text").filter(has_text=re.compile(r"^\d+$")).first).to_be_visible()
    expect(page.get_by_test_id("chart-costs").locator(".recharts-bar-rectangle").first).to_be_visible()
    expect(page.get_by_test_id("chart-times").locator(".recharts-bar-rectangle").first).to_be_visible()
    costs = page.get_by_test_id("table-costs")
    expect(costs.get_by_text("gpt-4o-mini")).to_be_visible()
    expect(
        costs.get_by_text(re.compile(r"In US dollars, as your AI providers bill · prices as of"))
    ).to_be_visible()
    expect(page.get_by_test_id("cost-total")).to_have_text(re.compile(r"^\$\d"))
    expect(page.get_by_test_id("gap-row").first).to_contain_text("Do you offer gift wrapping?")

    # Satisfaction: three ratings, one low (2 of 3 good), a trend line, tables with percentages, the comment.
    satisfaction = page.get_by_test_id("satisfaction")
    expect(page.get_by_test_id("sat-csat")).to_have_text("67%")
    expect(page.get_by_test_id("sat-by-agent")).to_have_text(re.compile(r"^(\d+%|—)$"))
    expect(satisfaction.locator(".recharts-line-curve").first).to_be_visible()
    expect(satisfaction.locator("svg text").filter(has_text=re.compile(r"^100$")).first).to_be_visible()
    handler = page.get_by_test_id("sat-handler-row")
    expect(handler.first).to_contain_text("The agent alone")
    expect(handler.filter(has_text=re.compile(r"\d+%")).first).to_be_visible()
    expect(page.get_by_test_id("sat-knowledge-row").first).to_contain_text(re.compile(r"\d"))
    expect(page.get_by_test_id("sat-comment").first).to_contain_text(LOW_COMMENT)
    expect(page.get_by_test_id("sat-comment").first).to_contain_text("Bad")
    # Each legend's words are in the text colour, not in their series' (amber words on white are unreadable).
    colours = page.evaluate(
        "() => [...document.querySelectorAll('.recharts-legend-item-text')]"
        ".map(e => getComputedStyle(e).color)"
    )
    assert len(colours) >= 4 and len(set(colours)) == 1, colours
    shots(page, "95-analytics")

    with page.expect_download() as download:
        page.get_by_test_id("export-satisfaction_handlers").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Handled by,Conversations,Resolved,CSAT,Ratings"
    assert lines[1].startswith("The agent alone,")

    with page.expect_download() as download:
        page.get_by_test_id("export-costs").click()
    saved = download.value
    assert re.fullmatch(
        r"cost-by-model-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv", saved.suggested_filename
    )
    text = Path(saved.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Model,Provider,Calls,Tokens in,Tokens out,Cost"
    assert "gpt-4o-mini,OpenAI," in text

    page.get_by_role("radio", name="7 days").click()
    expect(page.get_by_test_id("range-label")).to_have_text(re.compile(r"– \w{3} \d+, \d{4}"))

    page.get_by_test_id("gap-create").first.click()
    page.wait_for_url(re.compile(r"/knowledge\?draft="))
    expect(page.get_by_role("dialog").locator("input").first).to_have_value("Do you offer gift wrapping?")
    shots(page, "96-analytics-gap-to-knowledge")
