"""The inbox's shared look: pane sizes and borders, its style sheet, and the script that fits it to the
window. One place, so the three panes line up.
"""

from __future__ import annotations

INBOX_HEIGHT = "calc(100vh - 128px)"
LIST_WIDTH = "308px"
CONTEXT_WIDTH = "296px"
BORDER = "1px solid var(--gray-a5)"
# One line, ellipsis at the end (Radix's `truncate` is not a prop of Reflex's text).
TRUNCATE = {"white_space": "nowrap", "overflow": "hidden", "text_overflow": "ellipsis", "min_width": "0"}

# Fit the inbox to the window below whatever sits above it (top bar, the offline banner when it shows).
FIT_SCRIPT = """(() => {
  const fit = () => {
    const el = document.getElementById('inbox');
    if (!el) return;
    const top = el.getBoundingClientRect().top + window.scrollY;
    el.style.height = Math.max(window.innerWidth < 1024 ? 420 : 560, window.innerHeight - top - 24) + 'px';
  };
  if (!window.__parleyInboxFit) {
    window.__parleyInboxFit = fit;
    window.addEventListener('resize', fit);
    new ResizeObserver(fit).observe(document.body);
  }
  fit();
})()"""

INBOX_CSS = """
.inbox-row { transition: background-color 120ms ease; }
.inbox-row:hover { background-color: var(--gray-a2); }
.inbox-row[data-selected="true"] { background-color: var(--accent-a3);
  box-shadow: inset 3px 0 0 var(--accent-9); }
.inbox-tab { all: unset; cursor: pointer; display: flex; align-items: center; gap: 6px;
  padding: 10px 2px 9px;
  font-size: 13px; color: var(--gray-11); border-bottom: 2px solid transparent; white-space: nowrap; }
.inbox-tab:hover { color: var(--gray-12); }
.inbox-tab[data-active="true"] { color: var(--gray-12); font-weight: 500;
  border-bottom-color: var(--accent-9); }
.inbox-tab:focus-visible { outline: 2px solid var(--accent-8); outline-offset: 2px; border-radius: 4px; }
.live-dot { width: 7px; height: 7px; border-radius: 50%; background: var(--grass-9);
  box-shadow: 0 0 0 0 var(--grass-a7); animation: live-pulse 2s infinite; }
@keyframes live-pulse { 0% { box-shadow: 0 0 0 0 var(--grass-a7);
  } 70% { box-shadow: 0 0 0 6px transparent; }
  100% { box-shadow: 0 0 0 0 transparent; } }
.pane-label { font-size: 11.5px; font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase;
  color: var(--gray-11); display: flex; align-items: center; gap: 6px; }
.composer textarea { font-size: 14px; }
.inbox-back, .inbox-narrow-only { display: none !important; }
/* The chat pane sizes its own header: when it is narrow the avatar steps aside so the name stays readable
   beside the labelled Take over / Hand back / Close buttons. */
.inbox-chat { container-type: inline-size; container-name: chat; }
@container chat (max-width: 620px) { .header-avatar { display: none !important; } }
@media (min-width: 1024px) and (max-width: 1535.98px) {
  #inbox .inbox-list { width: 284px !important; min-width: 284px !important; }
  #inbox .inbox-context { width: 272px !important; min-width: 272px !important; }
}
/* Below 1024 px one pane at a time: the list, then the chat, then the customer's details (ConversationsState
   .view, on #inbox as data-view); the back buttons and "Customer details" appear only here. */
@media (max-width: 1023.98px) {
  #inbox .inbox-pane { display: none !important; }
  #inbox[data-view="list"] .inbox-list,
  #inbox[data-view="chat"] .inbox-chat,
  #inbox[data-view="context"] .inbox-context {
    display: flex !important; flex-direction: column; width: 100% !important; min-width: 0 !important;
    border: 0 !important; }
  #inbox .inbox-back { display: inline-flex !important; }
  #inbox .inbox-narrow-only { display: flex !important; }
  #inbox .transcript-header { padding: 10px 12px !important; gap: 10px !important; }
}
@media (max-width: 639.98px) {
  #inbox .inbox-label { display: none; }
  #inbox .composer { padding: 10px 12px 12px !important; }
}
"""
