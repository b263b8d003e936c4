"""From Analytics to the inbox in a real browser (issue #19): the response-time chart counts in a unit people
read (not 100,000 seconds for one reply a day late), every analytics table fits a 390 px phone without a
clipped heading, and a handoff reason opens the inbox filtered to its chats, with a chip that removes the
filter. Screenshots at 1440 and 390 px land in tests/e2e/artifacts/ (97-…, 98-…)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, Server
from tests.e2e.seed_inbox import OWNER
from tests.e2e.test_console import sign_in

expect.set_options(timeout=30_000)

# Every table cell whose words run past its edge, and every table wider than the card that holds it.
CLIPPED = """() => {
  const out = [];
  for (const table of document.querySelectorAll('[data-testid="analytics-page"] table')) {
    for (const cell of table.querySelectorAll('th, td')) {
      if (cell.scrollWidth > cell.clientWidth + 1) out.push('cell: ' + cell.textContent.trim());
    }
    const card = table.closest('.rt-Card') || table.parentElement;
    const over = table.getBoundingClientRect().right - card.getBoundingClientRect().right;
    if (over > 1) out.push('table ' + over.toFixed(0) + 'px past its card: ' +
                           table.querySelector('tr').textContent.trim().slice(0, 60));
  }
  return out;
}"""


def both_widths(page: Page, name: str, check=None) -> None:
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{name}-1440.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(900)
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: {overflow}px of horizontal scroll at 390 px"
    if check:
        check()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.wait_for_timeout(300)


def test_response_times_tables_on_a_phone_and_a_handoff_reason_to_the_inbox(
    page: Page, server: Server
) -> None:
    sign_in(page, server, OWNER[0], "/analytics")
    page.goto(f"{server.url}/analytics")

    times = page.get_by_test_id("chart-times")
    expect(times.locator(".recharts-bar-rectangle").first).to_be_visible()
    handoffs = page.get_by_test_id("table-handoffs")
    link = handoffs.get_by_test_id("handoff-link").first
    expect(link).to_be_visible()

    def no_clipped_tables() -> None:
        page.wait_for_timeout(300)
        problems = page.evaluate(CLIPPED)
        assert problems == [], problems

    both_widths(page, "97-analytics-times-and-tables", no_clipped_tables)

    # Response times: a human unit on the axis, and no tick in the thousands.
    expect(page.get_by_test_id("times-unit")).to_have_text(re.compile(r"^Waits in (seconds|minutes|hours)$"))
    ticks = times.locator(".recharts-yAxis-tick-labels text").all_text_contents()
    assert ticks and all(float(t.replace(",", "")) < 1000 for t in ticks), ticks
    # every bar says its wait in words (e.g. "1 s", "2 min", "↑ 26 h")
    labels = times.locator("text.recharts-label").all_text_contents()
    assert any(re.search(r"\d\s(s|min|h)\b", t) for t in labels), labels
    # the demo's one staff reply a day late stands above the chart, said in words under it
    expect(page.get_by_test_id("times-off-scale")).to_contain_text("Your team's replies: half within 26 h")
    expect(times.get_by_role("columnheader", name="Replies")).to_be_visible()

    reason = link.inner_text()
    href = link.get_attribute("href") or ""
    assert re.search(r"^/conversations\?handoff=[a-z_]+&from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d$", href), href

    # The reason's link opens the inbox filtered to its chats, the reason in words on a chip.
    handoffs.get_by_test_id("handoff-link").first.click()
    page.wait_for_url(re.compile(r"/conversations\?handoff=[a-z_]+&from="))
    chip = page.get_by_test_id("inbox-filter-chip")
    expect(chip).to_be_visible()
    expect(chip).to_contain_text(reason)
    expect(chip).to_contain_text(re.compile(r"\w{3} \d+ – \w{3} \d+, \d{4}"))
    rows = page.get_by_test_id("conversation-row")
    expect(rows.first).to_be_visible()
    listed = rows.count()
    expect(page.get_by_test_id("conversation-row").filter(has_text="Marco Rossi")).to_be_visible()
    # the tabs fit the list beside the chip: "Closed" and its badge are not cut at the list's edge
    past = page.evaluate(
        "() => document.querySelector('[data-testid=tab-closed]').getBoundingClientRect().right"
        " - document.querySelector('.inbox-list').getBoundingClientRect().right"
    )
    assert past <= 0, f"the Closed tab runs {past}px past the list"
    both_widths(page, "98-inbox-filtered-by-handoff-reason")

    # The chip's × shows every chat again, and the URL forgets the filter.
    page.get_by_test_id("inbox-filter-clear").click()
    expect(chip).to_have_count(0)
    page.wait_for_url(re.compile(r"/conversations\?tab=\w+$"))
    expect(page.get_by_test_id("tab-bot")).to_be_visible()
    page.get_by_test_id("tab-bot").click()
    expect(page.get_by_test_id("conversation-row").filter(has_text="Jonas Weber")).to_be_visible()
    assert listed >= 1

    # A reason the inbox does not know is ignored: the normal inbox shows.
    page.goto(f"{server.url}/conversations?handoff=not_a_reason&tab=bot")
    expect(page.get_by_test_id("conversation-row").filter(has_text="Jonas Weber")).to_be_visible()
    expect(page.get_by_test_id("inbox-filter-chip")).to_have_count(0)
