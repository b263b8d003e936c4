"""What a shop owner notices first on a small screen, measured in the browser: words broken across lines in
the middle (a squeezed column that puts "Pag / e 1" or "gpt-4 / o-min / i" on three lines), boxes that
scroll sideways inside the page (a tab bar hiding most of its tabs, a table whose last column is off screen)
even when the page itself does not, icons squeezed to a sliver, text fields too narrow to type in or whose
placeholder is cut off, web addresses broken inside a word, and words too faint to read (buttons and badges
included).

Each returns a list of findings (empty when the screen reads well), so a test can look at every page before
failing and name them all.
"""

from __future__ import annotations

from playwright.sync_api import Page

# A "word" is a run of letters and digits between spaces, hyphens and slashes (a break after "OpenAI-" or in
# a URL at a "/" is fine typography); it is broken when its letters sit on more than one line. Text in code,
# inputs and hidden elements is left out.
BROKEN_WORDS = """(() => {
  const skip = new Set(['CODE', 'PRE', 'KBD', 'STYLE', 'SCRIPT', 'NOSCRIPT', 'TEXTAREA', 'INPUT', 'SVG']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const out = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || !el.checkVisibility({visibilityProperty: true})) continue;
    let skipped = false;
    for (let a = el; a; a = a.parentElement) if (skip.has(a.tagName.toUpperCase())) { skipped = true; break; }
    if (skipped) continue;
    const re = /[^\\s\\-\\u2010-\\u2014\\/]{2,}/g;
    let m;
    while ((m = re.exec(node.nodeValue))) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      const where = (el.innerText || '').slice(0, 40).replace(/\\s+/g, ' ');
      if (lines.size > 1) out.add(`${m[0]} (in "${where}")`);
    }
  }
  return [...out].slice(0, 10);
})()"""

# Boxes that scroll sideways while their content is wider than they are (code samples excepted: a command is
# read by scrolling). Radix draws every table in such a box, and every tab bar.
SIDEWAYS_BOXES = """(() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== 'auto' && overflow !== 'scroll') continue;
    if (el.closest('pre, code') || el.querySelector(':scope > pre, :scope > code')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const what = el.getAttribute('data-testid') || String(el.className).split(' ')[0];
    const text = (el.innerText || '').slice(0, 40).replace(/\\s+/g, ' ');
    out.push(`${what} ${el.scrollWidth}px in ${el.clientWidth}px ("${text}")`);
  }
  return out.slice(0, 8);
})()"""


# Icons squeezed out of their square: below 1024 px flex children may shrink (assets/console.css), and an
# icon or icon tile that may shrink becomes a sliver beside a long text.
SQUEEZED_ICONS = """(() => {
  const out = [];
  for (const el of document.querySelectorAll('svg.lucide')) {
    const box = el.getBoundingClientRect();
    if (!box.height || !el.checkVisibility({visibilityProperty: true})) continue;
    const holder = el.parentElement.getBoundingClientRect();  // a wrapper squeezed under its icon
    if (box.width < box.height * 0.75 || (holder.width > 0 && holder.width + 1 < box.width)) {
      const where = (el.parentElement.parentElement.innerText || '').slice(0, 40).replace(/\\s+/g, ' ');
      const name = String(el.className.baseVal).split(' ')[1] || 'icon';
      out.push(`${name} ${Math.round(box.width)}x${Math.round(box.height)} (by "${where}")`);
    }
  }
  return out.slice(0, 8);
})()"""


# Text fields squeezed beside their label or button: a key, a search or a name typed into 55 px.
NARROW_FIELDS = """(() => {
  const out = [];
  const typed = 'input:not([type]), input[type=text], input[type=password], input[type=email], '
    + 'input[type=search], input[type=url], input[type=tel], textarea';
  for (const el of document.querySelectorAll(typed)) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.width < 96) {
      out.push(`${el.name || el.getAttribute('data-testid') || el.placeholder} ${Math.round(box.width)}px`);
    }
  }
  return out.slice(0, 8);
})()"""


# Web addresses broken inside a word: an element of class `url-text` (console/components/ui.py `url_words`)
# may wrap after "/", before "?" or "&", or after a "-" or "."; "webhoo" / "ks" is a break in the wrong place.
BROKEN_URLS = """(() => {
  const out = [];
  const range = document.createRange();
  for (const box of document.querySelectorAll('.url-text')) {
    if (!box.checkVisibility({visibilityProperty: true})) continue;
    const chars = [];  // every character with the line it sits on
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (let i = 0; i < node.nodeValue.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = [...range.getClientRects()].find(r => r.width > 0);
        if (rect) chars.push([node.nodeValue[i], Math.round(rect.top)]);
      }
    }
    for (let i = 1; i < chars.length; i++) {
      const [before, line] = chars[i - 1], [after, next] = chars[i];
      if (next <= line + 2) continue;
      if ('/-.'.includes(before) || '?&'.includes(after)) continue;
      const text = chars.map(c => c[0]).join('');
      out.push(`${text.slice(Math.max(0, i - 12), i)} / ${text.slice(i, i + 12)}`);
    }
  }
  return out.slice(0, 8);
})()"""


# Placeholders cut off by their field: "Search, e.g. London or Kolk" says less than a shorter hint would. The
# placeholder's width is measured with the field's own font (a canvas) against the room inside its padding and
# indent, keeping as much room on the right as on the left (a hint touching the far edge reads as cut); a text
# area's hint may wrap onto the lines it has.
CUT_PLACEHOLDERS = """(() => {
  const out = [];
  const ctx = document.createElement('canvas').getContext('2d');
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (!el.placeholder || el.value || !el.checkVisibility({visibilityProperty: true})) continue;
    const style = getComputedStyle(el);
    ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    ctx.letterSpacing = style.letterSpacing === 'normal' ? '0px' : style.letterSpacing;
    const left = parseFloat(style.paddingLeft) + (parseFloat(style.textIndent) || 0);
    const room = el.clientWidth - left - Math.max(parseFloat(style.paddingRight), left);
    if (room <= 0) continue;
    let cut;
    if (el.tagName === 'TEXTAREA') {
      const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
      const height = el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      let lines = 1, used = 0;  // greedy word wrap, as the browser lays out the hint
      for (const word of el.placeholder.split(/\\s+/)) {
        const w = ctx.measureText((used ? ' ' : '') + word).width;
        if (used && used + w > room) { lines += 1; used = ctx.measureText(word).width; } else used += w;
      }
      cut = lines * line > height + 1;
    } else {
      cut = ctx.measureText(el.placeholder).width > room + 1;
    }
    if (cut) out.push(`"${el.placeholder}" in ${Math.round(room)}px`);
  }
  return out.slice(0, 8);
})()"""


# Words too faint to read: WCAG AA, 4.5:1 for text (3:1 from 24 px, or 18.7 px bold), against the first
# opaque background behind them (semi-transparent colours blended onto it). Placeholders, disabled controls
# and text in charts are left out, and so is text on an image or a gradient (the sign-in page's showcase).
FAINT_TEXT = """(([root, skipped]) => {
  // rgb(a) with 0-255 channels, or color(srgb ...) with 0-1 ones (what a color-mix() computes to)
  const parse = c => { const m = c.match(/[\\d.]+/g) || [];
    const k = c.startsWith('color(') ? 255 : 1;
    return m.length >= 3 ? [m[0] * k, m[1] * k, m[2] * k, m.length > 3 ? +m[3] : 1] : [0, 0, 0, 0]; };
  const blend = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const background = el => {  // null: drawn with an image or a gradient, not measured
    const layers = [];
    for (let a = el; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.backgroundImage !== 'none') return null;
      const c = parse(style.backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let base = [255, 255, 255, 1];
    if (document.documentElement.classList.contains('dark')) base = [17, 17, 19, 1];
    for (const c of layers.reverse()) base = blend(c, base);
    return base;
  };
  const out = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    const shown = el && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
    if (!shown || !node.nodeValue.trim() || (root && !el.closest(root))) continue;
    if (el.closest(skipped)) continue;
    const style = getComputedStyle(el);
    const under = background(el);
    if (!under) continue;
    let opacity = 1;
    for (let a = el; a; a = a.parentElement) opacity *= +getComputedStyle(a).opacity;
    const fg = parse(style.color); fg[3] *= opacity;
    const text = blend(fg, under);
    const [l1, l2] = [lum(text), lum(under)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize), bold = +style.fontWeight >= 600;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) out.set(node.nodeValue.trim().slice(0, 30), ratio.toFixed(2));
  }
  return [...out].slice(0, 10).map(([t, r]) => `"${t}" ${r}:1`);
})"""


# Not measured: disabled controls, charts and code; avatars' initials and select placeholders; WhatsApp's
# bubbles and the Playground's phone, drawn in its colours; toasts (the library's). Buttons and badges are
# measured, solid and soft alike: Radix draws white on the accent's step 9 (3.0:1 on grass) and step 11 on a
# soft tint (4.0-4.3:1 on orange, amber, blue), and assets/console.css raises both above 4.5:1.
NOT_MEASURED = (
    "svg, button:disabled, [data-disabled], [aria-disabled=true], .recharts-wrapper, pre, code, "
    ".rt-AvatarRoot, [data-placeholder], .wa, .pg-phone, [data-sonner-toast]"
)


def broken_urls(page: Page, where: str) -> list[str]:
    found = page.evaluate(BROKEN_URLS)
    return [f"{where} breaks web addresses inside a word: {found}"] if found else []


def cut_placeholders(page: Page, where: str) -> list[str]:
    found = page.evaluate(CUT_PLACEHOLDERS)
    return [f"{where} cuts placeholders off: {found}"] if found else []


def faint_text(page: Page, where: str, within: str = "") -> list[str]:
    """Text too faint against its background, in the elements matching the CSS selector `within` (the whole
    page when empty). Backgrounds drawn with images or gradients are not measured."""
    found = page.evaluate(FAINT_TEXT, [within or None, NOT_MEASURED])
    return [f"{where} has words too faint to read: {found}"] if found else []


def narrow_fields(page: Page, where: str) -> list[str]:
    found = page.evaluate(NARROW_FIELDS)
    return [f"{where} squeezes text fields: {found}"] if found else []


def squeezed_icons(page: Page, where: str) -> list[str]:
    found = page.evaluate(SQUEEZED_ICONS)
    return [f"{where} squeezes icons: {found}"] if found else []


def broken_words(page: Page, where: str) -> list[str]:
    found = page.evaluate(BROKEN_WORDS)
    return [f"{where} breaks words across lines: {found}"] if found else []


def sideways_boxes(page: Page, where: str) -> list[str]:
    found = page.evaluate(SIDEWAYS_BOXES)
    return [f"{where} has boxes that scroll sideways: {found}"] if found else []


def reads_well(page: Page, where: str) -> list[str]:
    """Every check: what is wrong with the screen as it is now (empty when nothing)."""
    return (
        broken_words(page, where)
        + sideways_boxes(page, where)
        + squeezed_icons(page, where)
        + narrow_fields(page, where)
        + cut_placeholders(page, where)
        + broken_urls(page, where)
        + faint_text(page, where)
    )
