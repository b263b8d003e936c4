"""State of the Conversations page: the live inbox, one transcript, the customer's context, staff actions.

Everything comes from `engine.conversations.inbox` as frozen DTOs and is turned into display-ready rows here:
the browser gets strings, never datetimes, Decimals or ORM rows.

Access: opening the page needs the page's scope (PAGE_SCOPES["conversations"]); replying, taking over,
handing back and closing need `conversations:reply`, checked again in every handler (a forged websocket event
changes nothing). Reading is also re-checked on every event, and the tenant always comes from the session
re-resolved from the cookie, never from the browser.

Live inbox: `live_inbox` is a background task started by the page's on_load. Every POLL_SECONDS it re-checks
the session and reads `inbox_marker` (one cheap query); only when the marker changed does it reload the list,
the open transcript and the context pane. It stops when the tab leaves the page (Reflex also cancels it with
the page-load chain on navigation or disconnect), when the session ends, or when a newer loop replaced it.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any, ClassVar

import reflex as rx

from console.state import conversations_filter
from console.state.conversations_ratings import rating_rows
from console.state.conversations_rows import (
    AppointmentRow,
    ConversationHeader,
    ConversationRow,
    CustomerPane,
    Fact,
    OrderRow,
    ViewedItem,
    _now,
    header_for,
    pane_for,
    row_for,
)
from console.state.guard import ALLOWED, FORBIDDEN, PageState, wipe_pages
from console.state.session import login_url, sentence
from console.state.whatsapp_view import (
    DEFAULT_CONFIDENCE_THRESHOLD,
    Bubble,
    bubbles_from_views,
    send_problem,
)
from engine.accounts.errors import AuthenticationFailed, Forbidden
from engine.accounts.sessions import SignedIn
from engine.agent.labels import end_sentence
from engine.conversations import inbox
from engine.db import NotFound, session_scope
from engine.security.scopes import Scope

REPLY_SCOPE = Scope.CONVERSATIONS_REPLY.value
POLL_SECONDS = 3.0
PAGE_SIZE = 25
TRANSCRIPT_PAGE = 60
SEARCH_MAX = 80
TABS: tuple[str, ...] = ("handoff", "bot", "closed")
ROUTE = "/conversations"

NOT_REPLY_ROLE = (
    "Your role can read this conversation but not answer it. Replying, taking over, handing back and closing "
    "need the Agent, Manager, Admin or Owner role."
)


# ------------------------------------------------------------------------------------------------ state


class ConversationsState(PageState, rx.State):
    """The inbox. `page_key` "conversations": the page's scope from PAGE_SCOPES."""

    page_key: ClassVar[str] = "conversations"

    tab: str = "handoff"
    search: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    count_handoff: int = 0
    count_bot: int = 0
    count_closed: int = 0
    inbox_empty: bool = False
    filter_chip: str = ""  # the handoff reason the list is filtered by, in words ('' : no filter)
    rows: list[ConversationRow] = []
    list_loaded: bool = False

    selected_id: int = 0
    header: ConversationHeader = ConversationHeader()
    bubbles: list[Bubble] = []
    has_more: bool = False
    pane: CustomerPane = CustomerPane()
    ratings: list[dict[str, str]] = []  # the customer's ratings of this conversation, newest first
    transcript_loaded: bool = False

    # Below ~1024 px one pane shows at a time: "list", then "chat", then "context" (the CSS reads it).
    view: str = "list"

    can_reply: bool = False
    sending: bool = False
    retrying: str = ""
    live: bool = False

    _summaries: list[Any] = []
    _views: list[Any] = []
    _time_zone: str = "UTC"
    _agent_name: str = "Agent"
    _threshold: float = DEFAULT_CONFIDENCE_THRESHOLD
    _marker: str = ""
    _live_token: str = ""
    _labels_at: float = 0.0
    _needs_human: int = 0
    _filter: conversations_filter.InboxFilter | None = None

    # ---------------------------------------------------------------------------------------- vars

    @rx.var
    def tab_empty_title(self) -> str:
        if self.search:
            return f"No customer matches “{self.search}”"
        if self.filter_chip:
            return "No chat here was handed off for this reason"
        return {
            "handoff": "Nobody is waiting for a human",
            "bot": "No chats with the agent right now",
            "closed": "No closed conversations yet",
        }.get(self.tab, "Nothing here")

    @rx.var
    def tab_empty_body(self) -> str:
        if self.search:
            return "Search looks at names and phone numbers, in every tab."
        if self.filter_chip:
            return "Look in the other tabs, or remove the filter to see every chat."
        return {
            "handoff": "When the agent hands a chat over, or a customer asks for a person, it waits here.",
            "bot": "Chats the agent is answering on its own show up here as customers write.",
            "closed": "Conversations you close land here; the customer's next message opens a new one.",
        }.get(self.tab, "")

    @rx.var
    def range_label(self) -> str:
        if not self.total:
            return ""
        first = (self.page - 1) * PAGE_SIZE + 1
        return f"{first}–{min(self.total, self.page * PAGE_SIZE)} of {self.total}"

    @rx.var
    def composer_note(self) -> str:
        """Why the composer is off, or what sending will do; '' when there is nothing to say."""
        if not self.selected_id:
            return ""
        if not self.can_reply:
            return NOT_REPLY_ROLE
        if self.header.status == "closed":
            return "This conversation is closed. The customer's next message opens a new one."
        if self.header.status == "bot":
            return "The agent is answering this chat. Sending a reply takes it over; hand it back when done."
        if not self.header.assigned:
            return "Nobody has taken this chat yet. Take it over, or just reply: replying takes it over."
        if not self.header.mine:
            return f"{self.header.assigned} is on this chat. You can still reply, or take it over."
        return ""

    @rx.var
    def composer_enabled(self) -> bool:
        return bool(self.selected_id) and self.can_reply and self.header.status != "closed"

    # ---------------------------------------------------------------------------------------- loading

    def on_allowed(self, who: SignedIn) -> Any:
        params = self.router.url.query_parameters
        requested_tab = params.get("tab", "")
        self.can_reply = REPLY_SCOPE in who.scopes
        self._read_settings(who)
        if requested_tab in TABS:
            self.tab = requested_tab
        self._filter = conversations_filter.parse(params, self._time_zone)
        self.filter_chip = self._filter.chip if self._filter else ""
        self.page = 1
        self.selected_id = 0
        self.view = "list"
        self._clear_transcript()
        self._load_list(who)
        if self._filter and requested_tab not in TABS and self.total == 0:
            # A link from Analytics names a reason, not a tab: open the first tab that has its chats.
            counts = {"handoff": self.count_handoff, "bot": self.count_bot, "closed": self.count_closed}
            found = next((t for t in TABS if counts[t]), "")
            if found:
                self.tab = found
                self._load_list(who)
        requested = params.get("c", "")
        if requested.isdigit() and int(requested) > 0 and self._open(who, int(requested)):
            self.view = "chat"
        return ConversationsState.live_inbox

    def on_refused(self) -> None:
        self.rows = []
        self._summaries = []
        self.list_loaded = False
        self.total = self.count_handoff = self.count_bot = self.count_closed = 0
        self.inbox_empty = False
        self._filter, self.filter_chip = None, ""
        self.selected_id = 0
        self.can_reply = False
        self._clear_transcript()
        self._live_token = ""
        self._marker = ""
        self.live = False

    def _clear_transcript(self) -> None:
        self.header = ConversationHeader()
        self.bubbles = []
        self._views = []
        self.has_more = False
        self.pane = CustomerPane()
        self.transcript_loaded = False

    def _read_settings(self, who: SignedIn) -> None:
        with session_scope() as db:
            settings = inbox.inbox_settings(db, who.tenant_id)
        self._time_zone = settings.time_zone
        self._agent_name = settings.agent_name
        self._threshold = settings.confidence_threshold

    def _load_list(self, who: SignedIn) -> None:
        handoff = self._filter.for_engine() if self._filter else None
        with session_scope() as db:
            result = inbox.list_conversations(
                db,
                who.tenant_id,
                tab=self.tab,
                search=self.search or None,
                handoff=handoff,
                page=self.page,
                page_size=PAGE_SIZE,
            )
            if result.page > result.pages and result.total:
                self.page = result.pages
                result = inbox.list_conversations(
                    db,
                    who.tenant_id,
                    tab=self.tab,
                    search=self.search or None,
                    handoff=handoff,
                    page=self.page,
                    page_size=PAGE_SIZE,
                )
            needs_human = inbox.needs_human_count(db, who.tenant_id)
            self._marker = inbox.inbox_marker(db, who.tenant_id)
        self._summaries = list(result.items)
        self._format_rows()
        self.total = result.total
        self.pages = result.pages
        self.count_handoff = result.counts.get("handoff", 0)
        self.count_bot = result.counts.get("bot", 0)
        self.count_closed = result.counts.get("closed", 0)
        if not self.search and not self._filter:
            self.inbox_empty = result.counts.get("all", 0) == 0
        self.list_loaded = True
        self._needs_human = needs_human

    def _format_rows(self) -> None:
        now = _now()
        self.rows = [row_for(s, now, self._time_zone) for s in self._summaries]
        self._labels_at = now.timestamp()

    def _open(self, who: SignedIn, conversation_id: int) -> bool:
        """Load one conversation's transcript and context; False when it is not this tenant's."""
        now = _now()
        try:
            with session_scope() as db:
                transcript = inbox.get_transcript(db, who.tenant_id, conversation_id, limit=TRANSCRIPT_PAGE)
                context = inbox.customer_context(db, who.tenant_id, conversation_id, now=now)
        except NotFound:
            self.selected_id = 0
            self._clear_transcript()
            return False
        self.selected_id = conversation_id
        self.header = header_for(transcript.conversation, who.user_id)
        self._views = list(transcript.messages)
        self.has_more = transcript.has_more
        self._draw_bubbles(now)
        self.pane = pane_for(context, now)
        self.ratings = rating_rows(who.tenant_id, conversation_id, self._time_zone)
        self.transcript_loaded = True
        return True

    def _draw_bubbles(self, now: datetime | None = None) -> None:
        self.bubbles = bubbles_from_views(
            self._views,
            time_zone=self._time_zone,
            now=now or _now(),
            customer_name=self.header.name,
            agent_name=self._agent_name,
            confidence_threshold=self._threshold,
        )

    def _reload(self, who: SignedIn) -> None:
        """The list and, if one is open, the conversation: after an action or when the marker moved."""
        self._load_list(who)
        if self.selected_id and not self._open(who, self.selected_id):
            self.selected_id = 0

    async def _sync_badge(self) -> None:
        """The sidebar's badge follows what this page just counted."""
        badge = await self.get_state(InboxBadgeState)
        badge.needs_human = self._needs_human

    def _url_script(self) -> rx.event.EventSpec:
        query = f"?tab={self.tab}" + (f"&c={self.selected_id}" if self.selected_id else "")
        if self._filter:
            query += f"&{self._filter.query}"
        return rx.call_script(f"window.history.replaceState(window.history.state, '', '{ROUTE}{query}')")

    # ---------------------------------------------------------------------------------------- reading

    @rx.event
    async def set_tab(self, tab: str):
        who, refused = await self.authorize_or_refuse()
        if refused is not None:
            return refused
        if tab not in TABS:
            return None
        self.tab = tab
        self.page = 1
        self._load_list(who)
        await self._sync_badge()
        return self._url_script()

    @rx.event
    async def set_search(self, text: str):
        who, refused = await self.authorize_or_refuse()
        if refused is not None:
            return refused
        self.search = " ".join(str(text or "").split())[:SEARCH_MAX]
        self.page = 1
        self._load_list(who)
        await self._sync_badge()
        return None

    @rx.event
    async def clear_search(self):
        return await self.set_search("")

    @rx.event
    async def clear_filter(self):
        """The chip's ×: every chat again, in the tab on screen."""
        who, refused = await self.authorize_or_refuse()
        if refused is not None:
            return refused
        self._filter, self.filter_chip = None, ""
        self.page = 1
        self._load_list(who)
        await self._sync_badge()
        return self._url_script()

    @rx.event
    async def go_to_page(self, page: int):
        who, refused = await self.authorize_or_refuse()
        if refused is not None:
            return refused
        try:
            wanted = int(page)
        except (TypeError, ValueError):
            return None
        self.page = max(1, min(wanted, self.pages))
        self._load_list(who)
        await self._sync_badge()
        return None

    @rx.event
    async def next_page(self):
        return await self.go_to_page(self.page + 1)

    @rx.event
    async def previous_page(self):
        return await self.go_to_page(self.page - 1)

    @rx.event
    async def open_conversation(self, conversation_id: int):
        who, refused = await self.authorize_or_refuse()
        if refused is not None:
            return refused
        try:
            wanted = int(conversation_id)
        except (TypeError, ValueError):
            return None
        if not self._open(who, wanted):
            return rx.toast.error("That conversation does not exist in this workspace.")
        self.view = "chat"
        return self._url_script()

    @rx.event
    def show_view(self, view: str):
        """Phones and tablets: back to the list, on to the customer's details, or back to the chat."""
        if view in ("list", "chat", "context") and (view == "list" or self.selected_id):
            self.view = view

    @rx.event
    async def load_older(self):
        who, refused = await self.authorize_or_refuse()
        if refused is not None:
            return refused
        if not self.selected_id or not self._views:
            return None
        try:
            with session_scope() as db:
                older = inbox.get_transcript(
                    db, who.tenant_id, self.selected_id, limit=TRANSCRIPT_PAGE, before_id=self._views[0].id
                )
        except NotFound:
            return rx.toast.error("That conversation does not exist in this workspace.")
        self._views = list(older.messages) + self._views
        self.has_more = older.has_more
        self._draw_bubbles()
        return None

    # ---------------------------------------------------------------------------------------- actions

    async def _act(self, action: str, success: str):
        who, refused = await self.authorize_or_refuse(REPLY_SCOPE)
        if refused is not None:
            self.can_reply = False
            return refused
        if not self.selected_id:
            return rx.toast.error("Open a conversation first.")
        functions = {"take_over": inbox.take_over, "hand_back": inbox.hand_back, "close": inbox.close}
        try:
            with session_scope() as db:
                functions[action](db, who.tenant_id, self.selected_id, who.user_id)
        except inbox.InboxError as exc:
            self._reload(who)
            await self._sync_badge()
            return rx.toast.error(sentence(str(exc)))
        except NotFound:
            self._reload(who)
            await self._sync_badge()
            return rx.toast.error("That conversation does not exist in this workspace.")
        self._reload(who)
        await self._sync_badge()
        return rx.toast.success(success)

    @rx.event
    async def take_over(self):
        return await self._act(
            "take_over", "You have the conversation. The agent stays quiet until you hand it back."
        )

    @rx.event
    async def hand_back(self):
        return await self._act("hand_back", "Handed back: the agent answers this customer again.")

    @rx.event
    async def close_conversation(self):
        return await self._act("close", "Conversation closed.")

    @rx.event
    async def send_reply(self, form_data: dict[str, Any]):
        """Send a staff reply through Twilio (it takes the chat over from the agent first, if needed)."""
        who, refused = await self.authorize_or_refuse(REPLY_SCOPE)
        if refused is not None:
            self.can_reply = False
            yield refused
            return
        text = str((form_data or {}).get("reply") or "").strip()
        if not self.selected_id:
            yield rx.toast.error("Open a conversation first.")
            return
        if not text:
            yield rx.toast.error("Write a reply first.")
            return
        if self.sending:
            return
        self.sending = True
        yield
        conversation_id = self.selected_id
        try:
            view = await asyncio.to_thread(
                inbox.send_human_reply, who.tenant_id, conversation_id, who.user_id, text
            )
        except inbox.InboxError as exc:
            self.sending = False
            self._reload(who)
            await self._sync_badge()
            yield rx.toast.error(sentence(str(exc)))
            return
        except NotFound:
            self.sending = False
            self._reload(who)
            await self._sync_badge()
            yield rx.toast.error("That conversation does not exist in this workspace.")
            return
        self.sending = False
        self._reload(who)
        await self._sync_badge()
        yield rx.set_value("reply", "")
        if view.ticks == -1:
            problem = send_problem(view.error_code, view.error_message) or "no reason given"
            yield rx.toast.error(end_sentence(f"WhatsApp did not accept the reply: {problem}"))
        else:
            yield rx.toast.success("Reply sent.")

    @rx.event
    async def retry_reply(self, message_key: str):
        """Send a staff reply WhatsApp refused once more (the same message: its bubble turns to sent)."""
        who, refused = await self.authorize_or_refuse(REPLY_SCOPE)
        if refused is not None:
            self.can_reply = False
            yield refused
            return
        if not self.selected_id or not str(message_key).isdigit() or self.retrying:
            return
        self.retrying = str(message_key)
        yield
        try:
            view = await asyncio.to_thread(
                inbox.retry_reply, who.tenant_id, self.selected_id, int(message_key), who.user_id
            )
        except inbox.InboxError as exc:
            view = None
            problem = sentence(str(exc))
        except NotFound:
            view, problem = None, "That message is no longer in this conversation."
        self.retrying = ""
        self._reload(who)
        await self._sync_badge()
        if view is None:
            yield rx.toast.error(problem)
        elif view.ticks == -1:
            problem = send_problem(view.error_code, view.error_message) or "no reason given"
            yield rx.toast.error(end_sentence(f"WhatsApp refused the reply again: {problem}"))
        else:
            yield rx.toast.success("Reply sent.")

    # ---------------------------------------------------------------------------------------- live inbox

    async def refresh_if_changed(self) -> tuple[bool, Any]:
        """One tick of the live inbox: (keep polling?, an event to send). Reloads only when the marker moved.

        Stops when the tab is on another page, when the session ended (the tab is sent to sign in) or when the
        role may no longer use the inbox (the page shows why).
        """
        if not self.router.url.path.rstrip("/").endswith(ROUTE) or self.access != ALLOWED:
            return False, None
        try:
            who = await self.authorize()
        except AuthenticationFailed as exc:
            await wipe_pages(self)
            return False, rx.redirect(login_url(self.here(), str(exc)))
        except Forbidden:
            self.access = FORBIDDEN
            self.on_refused()
            return False, None
        with session_scope() as db:
            marker = inbox.inbox_marker(db, who.tenant_id)
        if marker != self._marker:
            self._reload(who)
            await self._sync_badge()
        elif _now().timestamp() - self._labels_at >= 60:
            self._format_rows()  # "5m" becomes "6m" without a query
        return True, None

    @rx.event(background=True)
    async def live_inbox(self):
        """Poll the inbox marker while this tab shows the page; a newer loop (or leaving) ends this one."""
        token = uuid.uuid4().hex
        async with self:
            self._live_token = token
            self.live = True
        while True:
            await asyncio.sleep(POLL_SECONDS)
            async with self:
                if self._live_token != token:
                    return
                keep, event = await self.refresh_if_changed()
                if not keep:
                    self._live_token = ""
                    self.live = False
            if event is not None:
                yield event
            if not keep:
                return


class InboxBadgeState(PageState, rx.State):
    """The "needs human" count on the sidebar's Conversations entry, for people who may open the inbox.

    Loaded when the sidebar mounts (every page) and kept fresh by the Conversations page while it is open.
    """

    page_key: ClassVar[str] = "conversations"

    needs_human: int = 0

    @rx.event
    async def load_badge(self):
        try:
            who = await self.authorize()
        except (AuthenticationFailed, Forbidden):
            self.needs_human = 0
            return
        with session_scope() as db:
            self.needs_human = inbox.needs_human_count(db, who.tenant_id)

    def on_refused(self) -> None:
        self.needs_human = 0


__all__ = [
    "AppointmentRow",
    "ConversationHeader",
    "ConversationRow",
    "ConversationsState",
    "CustomerPane",
    "Fact",
    "InboxBadgeState",
    "OrderRow",
    "ViewedItem",
]
