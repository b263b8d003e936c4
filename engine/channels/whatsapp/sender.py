"""Sending WhatsApp messages through Twilio: Content API for interactive messages, text and media directly.

Decisions, and why:
- Interactive messages (buttons, lists, cards) need a Content API content SID. Content is created once per
  distinct payload and remembered by its hash per tenant: engine.cache (shared through Redis) is the fast
  path, the `whatsapp_content` table (unique per tenant and hash) the durable store that survives a cache
  flush or a restart, so a catalogue card sent a thousand times is created once.
- Outside the 24-hour window, or when content creation fails, the customer still gets the message: plain text
  with the options numbered; the numbers are mapped back when they answer (rich.resolve_choice).
- A message create is not safe to repeat: a timeout (or a 5xx, or a dropped connection) can come after Twilio
  accepted the message. So every send carries a `SendKey` (engine.conversations.outbound records it on the
  message before the call), and after an unclear failure, before any further create, the sender settles
  what Twilio has (`resolve`):
  1. The status callback's evidence: the key travels in the callback URL (`?k=`), and Twilio posts
     "queued"/"sent" within seconds of accepting, so engine.channels.whatsapp.status records the SID on the
     row with that key. A SID there is the answer, with no guessing.
  2. Otherwise Twilio's Messages list (same To and From, created at or after the key's send window began,
     minus a small clock skew, a SID none of our other messages holds, the same body). Twilio's list does
     not return the callback URL, so the body stands in for the key — which is ambiguous when another of our
     messages to this customer with the same text is also unsettled: then the sender waits (bounded) for the
     callback to say which is whose, and only after that takes the oldest candidate (never "none" while an
     unowned one exists, so no message at Twilio is left unclaimed while a copy is sent; a SID claimed
     twice meets the unique key and the loser looks again).
  Only a message Twilio does not have is created again.
- 429, 5xx and network failures are retried with tenacity (exponential backoff with equal jitter) for a
  bounded time and number of tries; a 429 means "not accepted", so it needs no look-up. Other errors are
  permanent. Either comes back as an outcome for the caller to record, never raised past it (`transient`
  tells the two apart).
- Every send passes a per-sender throttle (Twilio queues excess for up to 4 h, then fails it: better to pace).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, stop_after_delay
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest.content.v1.content import ContentList

from engine.cache import get_cache
from engine.channels.whatsapp import limits
from engine.channels.whatsapp.rest_login import rest_login
from engine.channels.whatsapp.rich import RichMessage
from engine.channels.whatsapp.twilio_client import DEFAULT_TIMEOUT, error_details, twilio_client
from engine.config import get_settings
from engine.db import TenantScope, session_scope
from engine.models import WhatsAppContent, WhatsAppSender
from engine.observability import metrics

log = logging.getLogger(__name__)
T = TypeVar("T")

STATUS_CALLBACK_PATH = "/webhooks/twilio/status"
CONTENT_CACHE_TTL = 30 * 24 * 3600.0
# Errors that mean "this content cannot be used", where numbered text still can.
CONTENT_ERRORS = frozenset({"63027", "63028", "63040", "63041", "63042", "21656"})
RETRYABLE_CODES = frozenset({"20429", "63017"})
LOOKUP_PAGE = 50  # newest messages to this customer examined by a look-up
# Twilio's clock against ours when matching a send window: a few seconds (its date_created has 1 s
# resolution). Wider windows let one message's look-up take an earlier message with the same text.
CLOCK_SKEW = timedelta(seconds=5)
CALLBACK_WAIT = 8.0  # seconds an ambiguous look-up waits for the status callback before taking the oldest
CALLBACK_POLL = 0.5


class SenderNotConfigured(RuntimeError):
    """The tenant has no Twilio credentials or no WhatsApp sender: nothing can be sent."""


class LeaseLost(RuntimeError):
    """The send's lease expired (this process stalled): whoever holds it now finishes the send."""


class LookupFailed(RuntimeError):
    """Twilio's Messages list could not be read: whether the message exists is still unknown."""


class Ambiguous(RuntimeError):
    """Candidates at Twilio that another unsettled message of ours could own as well."""


@dataclass(frozen=True, slots=True)
class Rival:
    """Another of our messages to the same customer that is unsettled (no SID yet) and whose send window has
    begun: a message with the same text at Twilio could be its and not ours."""

    since: datetime
    body: str


@dataclass(frozen=True, slots=True)
class SendKey:
    """What finds one outbound message at Twilio after a create call that ended unclearly.

    `since`: when the first attempt under this key began (the window searched). `lookup_first`: an earlier
    attempt, by this or a crashed process, may have been accepted. `known_sids`: the SIDs our other messages
    to this customer hold, read when a look-up runs — never taken for this one. `recorded_sid`: the SID a
    status callback carrying this key recorded on the message (the unambiguous evidence). `rivals`: our other
    unsettled messages to this customer (see `Rival`).
    """

    key: str
    since: datetime
    lookup_first: bool = False
    known_sids: Callable[[], Iterable[str]] = field(default=lambda: ())
    recorded_sid: Callable[[], str | None] = field(default=lambda: None)
    rivals: Callable[[], Iterable[Rival]] = field(default=lambda: ())


@dataclass(frozen=True, slots=True)
class Recorded:
    """A message found through the status callback's record: its SID and the status that came with it."""

    sid: str
    status: str = "queued"


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What happened to one outbound message; the caller records it on the message row."""

    status: str  # Twilio's status on acceptance (queued, accepted, sent...) or "failed"
    body: str  # the text actually sent (the numbered fallback when one was used)
    provider_sid: str | None = None
    content_sid: str | None = None
    content_hash: str | None = None
    fallback: str | None = None  # why numbered text was sent instead of the interactive message
    error_code: str | None = None
    error_message: str | None = None
    attempts: int = 0
    recovered: bool = False  # found at Twilio by its key rather than created by this call
    transient: bool = False  # failed on 429/5xx/network until the retries ran out: nobody refused it
    retried_for: float = 0.0  # seconds spent retrying

    @property
    def ok(self) -> bool:
        return self.status != "failed"


class _Retryable(Exception):
    pass


def _is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout | LookupFailed):
        return True
    if isinstance(exc, TwilioRestException):
        status = int(getattr(exc, "status", 0) or 0)
        return status == 429 or status >= 500 or str(exc.code) in RETRYABLE_CODES
    return False


def _unclear(exc: BaseException) -> bool:
    """Might Twilio have accepted the message despite this failure? Only a refusal (4xx, 429 included) says
    no; a timeout, a dropped connection or a 5xx leave it open."""
    if isinstance(exc, TwilioRestException):
        return int(getattr(exc, "status", 0) or 0) >= 500
    return isinstance(exc, requests.exceptions.RequestException | LookupFailed)


def _same_text(text: str | None) -> str:
    return " ".join((text or "").split())


def with_key(url: str, key: str) -> str:
    """The status callback URL naming the message's idempotency key (`?k=`)."""
    return f"{url}{'&' if '?' in url else '?'}k={quote(key)}"


def status_callback_url() -> str | None:
    base = get_settings().public_base_url
    return base.rstrip("/") + STATUS_CALLBACK_PATH if base else None


class TwilioSender:
    """One tenant's Twilio account. Build it with `for_tenant`; tests inject sleep/clock to stay fast."""

    def __init__(
        self,
        tenant_id: int,
        account_sid: str,
        auth_token: str,
        *,
        username: str | None = None,
        base_url: str | None = None,
        status_callback: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_attempts: int = 8,
        retry_for: float = 60.0,
        timeout: float = DEFAULT_TIMEOUT,
        backoff_base: float = 0.5,
        backoff_max: float = 8.0,
        rate_per_second: int = limits.SENDER_MESSAGES_PER_SECOND,
        language: str = "en",
        clock_skew: timedelta = CLOCK_SKEW,
        callback_wait: float = CALLBACK_WAIT,
    ) -> None:
        self.tenant_id = tenant_id
        self.client = twilio_client(
            account_sid, auth_token, username=username, base_url=base_url, timeout=timeout
        )
        self.status_callback = status_callback
        self.sleep = sleep
        self.clock = clock
        self.max_attempts = max(1, max_attempts)
        self.retry_for = retry_for
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.rate_per_second = rate_per_second
        self.language = language
        self.clock_skew = clock_skew
        # Waiting for a callback only makes sense when Twilio has somewhere to post it.
        self.callback_wait = callback_wait if status_callback else 0.0

    @classmethod
    def for_tenant(cls, session: Session, tenant_id: int, **options: Any) -> TwilioSender:
        """The tenant's sender from its stored login (API key or auth token) and TWILIO_API_BASE_URL."""
        login = rest_login(session, tenant_id)
        if login is None:
            raise SenderNotConfigured(
                "WhatsApp is not connected yet: add the Twilio account SID and auth token in Settings → "
                "WhatsApp"
            )
        options.setdefault("base_url", get_settings().twilio_api_base_url)
        options.setdefault("status_callback", status_callback_url())
        return cls(tenant_id, login.account_sid, login.password, username=login.username, **options)

    # retries and pacing -------------------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        delay = min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1)))
        return delay * (0.5 + random.random() / 2)

    def _with_retries(self, action: Callable[[], T]) -> tuple[T, int]:
        """`action` under tenacity: 429/5xx/network failures retried with backoff for at most `retry_for`
        seconds and `max_attempts` tries; the last failure is raised with `.attempts` on it."""

        def log_retry(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.info(
                "twilio call failed (%s), retry %d in %.2fs",
                error_details(exc)[0] if exc else "?",
                state.attempt_number,
                state.upcoming_sleep,
            )

        retrying = Retrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(self.max_attempts) | stop_after_delay(self.retry_for),
            wait=lambda state: self._backoff(state.attempt_number),
            sleep=self.sleep,
            before_sleep=log_retry,
            reraise=True,
        )
        attempts = 0

        def counted() -> T:
            nonlocal attempts
            attempts += 1
            try:
                return action()
            except (TwilioException, requests.exceptions.RequestException) as exc:
                metrics.count_twilio_error(_error_label(exc))  # /metrics: Twilio errors by code
                raise

        try:
            return retrying(counted), attempts
        except (TwilioException, requests.exceptions.RequestException, LookupFailed) as exc:
            exc.attempts = attempts  # type: ignore[union-attr]
            raise

    def _throttle(self, sender: str) -> None:
        """Fixed one-second windows per sender, counted in engine.cache (shared through Redis)."""
        cache = get_cache()
        while True:
            now = self.clock()
            second = int(now)
            if cache.incr(f"wa:rate:{sender}:{second}", ttl=2.0) <= self.rate_per_second:
                return
            self.sleep(max(0.001, second + 1 - now))

    # content ------------------------------------------------------------------------------------------

    def content_sid_for(self, message: RichMessage) -> str:
        """The content SID of an interactive message's payload, created on first use (raises on failure).

        Looked up in engine.cache, then in the `whatsapp_content` table; created through the Content API only
        when neither knows the payload, under a lock so concurrent sends of a new payload create it once.
        """
        digest = message.content_hash(self.language)
        key = content_cache_key(self.tenant_id, digest)
        cache = get_cache()
        sid = cache.get(key) or stored_content_sid(self.tenant_id, digest)
        if sid:
            cache.set(key, sid, CONTENT_CACHE_TTL)
            return str(sid)
        with cache.lock(f"wa:content-create:{self.tenant_id}:{digest}", ttl=30, wait=15):
            sid = cache.get(key) or stored_content_sid(self.tenant_id, digest)
            if not sid:
                request = ContentList.ContentCreateRequest(
                    {
                        "friendly_name": f"parley_{message.kind}_{digest[:16]}",
                        "language": self.language,
                        "variables": {},
                        "types": message.content_types(),
                    }
                )
                content, _ = self._with_retries(lambda: self.client.content.v1.contents.create(request))
                sid = remember_content(self.tenant_id, digest, str(content.sid), message.kind)
            cache.set(key, sid, CONTENT_CACHE_TTL)
            return str(sid)

    def forget_content(self, digest: str, content_sid: str) -> None:
        """Twilio refused this content: forget it in the cache and the table, so the next send creates it."""
        get_cache().delete(content_cache_key(self.tenant_id, digest))
        with session_scope() as session:
            scope = TenantScope(session, self.tenant_id)
            for row in scope.all(
                WhatsAppContent,
                WhatsAppContent.content_hash == digest,
                WhatsAppContent.content_sid == content_sid,
            ):
                scope.delete(row)

    # sending ------------------------------------------------------------------------------------------

    def send(
        self,
        *,
        from_: str,
        to: str,
        message: RichMessage,
        in_session: bool = True,
        key: SendKey | None = None,
        still_ours: Callable[[], bool] | None = None,
    ) -> SendOutcome:
        """Send one message; never raises for Twilio errors (they come back in the outcome).

        With a `key`, an unclear failure is resolved by looking the message up before any new create (see
        the module's opening); `still_ours` is asked before each create (LeaseLost when it says no)."""
        expect = {
            _same_text(t) for t in (message.body, message.title, message.fallback_text()) if t
        }  # the bodies Twilio may echo for this message (its text, or a content's rendered text)
        send = {"key": key, "still_ours": still_ours, "expect": expect}
        fallback: str | None = None
        content_sid: str | None = None
        content_hash: str | None = None
        if message.is_interactive:
            if not in_session:
                fallback = "outside the 24-hour window"
            else:
                content_hash = message.content_hash(self.language)
                try:
                    content_sid = self.content_sid_for(message)
                except (TwilioException, requests.exceptions.RequestException) as exc:
                    code, text = error_details(exc)
                    fallback = f"content creation failed ({code or 'no code'}: {text})"[:200]
                    log.warning("tenant %s: %s", self.tenant_id, fallback)
        if content_sid:
            outcome = self._create(from_, to, content_sid=content_sid, **send)
            if outcome.ok or outcome.error_code not in CONTENT_ERRORS:
                return replace(
                    outcome, body=message.fallback_text(), content_sid=content_sid, content_hash=content_hash
                )
            fallback = f"content refused ({outcome.error_code}: {outcome.error_message})"[:200]
            if content_hash:
                self.forget_content(content_hash, content_sid)
        if message.kind == "media" and message.media is not None and not fallback:
            return self._create(from_, to, body=message.body or None, media_url=[message.media.url], **send)
        body = (
            message.fallback_text() if (message.is_interactive or message.kind == "media") else message.body
        )
        return replace(self._create(from_, to, body=body, **send), fallback=fallback)

    def _create(
        self,
        from_: str,
        to: str,
        *,
        key: SendKey | None = None,
        still_ours: Callable[[], bool] | None = None,
        expect: set[str] | None = None,
        **fields: Any,
    ) -> SendOutcome:
        params = {k: v for k, v in fields.items() if v is not None}
        if self.status_callback:
            params["status_callback"] = (
                with_key(self.status_callback, key.key) if key else self.status_callback
            )
        body = str(params.get("body") or "")
        expected = {*(expect or ()), *([_same_text(body)] if body else [])}
        unclear = bool(key and key.lookup_first)
        found: list[Any] = []
        started = time.monotonic()

        def attempt() -> Any:
            nonlocal unclear
            if key is not None and unclear:
                hit = self.resolve(from_, to, key, expected)
                if hit is not None:
                    found.append(hit)
                    return hit
            if still_ours is not None and not still_ours():
                raise LeaseLost(f"the send lease for {key.key if key else to} was lost")
            self._throttle(from_)
            try:
                return self.client.messages.create(from_=from_, to=to, **params)
            except (TwilioException, requests.exceptions.RequestException) as exc:
                unclear = unclear or _unclear(exc)  # once unclear, every later try looks first
                raise

        try:
            created, attempts = self._with_retries(attempt)
        except (TwilioException, requests.exceptions.RequestException, LookupFailed) as exc:
            if key is not None and unclear:  # a last look: the final try may have been accepted
                try:
                    hit = self.resolve(from_, to, key, expected)
                except LookupFailed:
                    hit = None
                if hit is not None:
                    return self._outcome(hit, body, int(getattr(exc, "attempts", 1)), started, True)
            code, text = error_details(exc)
            network = isinstance(exc, requests.exceptions.RequestException | LookupFailed)
            return SendOutcome(
                status="failed",
                body=body,
                error_code=code
                or (str(exc.status) if isinstance(exc, TwilioRestException) else None)
                or ("timeout" if _timed_out(exc) else "network" if network else None),
                error_message=text,
                attempts=int(getattr(exc, "attempts", 1)),
                transient=_is_retryable(exc),
                retried_for=time.monotonic() - started,
            )
        return self._outcome(created, body, attempts, started, bool(found) and created is found[-1])

    def _outcome(
        self, resource: Any, body: str, attempts: int, started: float, recovered: bool
    ) -> SendOutcome:
        if recovered:
            log.warning("tenant %s: message %s found at Twilio, not sent again", self.tenant_id, resource.sid)
        return SendOutcome(
            status=str(resource.status or "queued"),
            body=body,
            provider_sid=resource.sid,
            attempts=attempts,
            recovered=recovered,
            retried_for=time.monotonic() - started,
        )

    def resolve(self, from_: str, to: str, key: SendKey, bodies: set[str]) -> Any | None:
        """What Twilio already has for this key — a `Recorded` SID from the status callback, a message from
        the list — or None when it has nothing (only then may the message be created again).

        An ambiguous list (another unsettled message of ours has the same text) is read again every
        CALLBACK_POLL seconds for up to `callback_wait`, in case the callback settles it; after that the
        oldest candidate is taken. Raises LookupFailed when the list cannot be read."""
        polls = max(0, int(self.callback_wait / CALLBACK_POLL))
        for poll in range(polls + 1):
            sid = key.recorded_sid()
            if sid:
                return Recorded(sid)
            try:
                return self.find_sent(from_, to, key, bodies, pair=poll == polls)
            except Ambiguous:
                if poll == 0:
                    log.info(
                        "tenant %s: look-up for %s is ambiguous; waiting for its callback",
                        self.tenant_id,
                        key.key,
                    )
                self.sleep(CALLBACK_POLL)
        return None  # not reached: the last poll takes a candidate instead of raising

    def find_sent(
        self, from_: str, to: str, key: SendKey, bodies: set[str], *, pair: bool = True
    ) -> Any | None:
        """The message Twilio already has for this key, or None.

        Candidates: the newest messages from `from_` to `to`, created at or after the key's window began
        (less `clock_skew`), whose SID none of our other messages holds and whose body is this message's.
        Twilio's list does not return the status callback URL, so the key itself cannot be matched there.
        When another unsettled message of ours with the same text could own a candidate, the answer is
        ambiguous: `pair=False` raises Ambiguous (the caller waits for the callback's evidence); `pair=True`
        takes the oldest candidate all the same. Same-text messages are interchangeable to the customer; what
        must hold is the count — one message at Twilio per reply. Pairing by position (the k-th oldest
        unsettled reply takes the k-th candidate) broke it: an older reply's message can lie before this
        window, and the look-up then answered "none" beside this reply's own message and sent a copy. Taking
        an unowned candidate whenever one exists never leaves one behind: a rival whose message was taken
        finds the one left in its (earlier) window, and two claims of one SID meet the unique key, where the
        loser looks again (engine.conversations.outbound.record_outcome).
        Raises LookupFailed when the list cannot be read (retried like a failed send)."""
        try:
            rows = self.client.messages.list(to=to, from_=from_, limit=LOOKUP_PAGE, page_size=LOOKUP_PAGE)
        except (TwilioException, requests.exceptions.RequestException) as exc:
            raise LookupFailed(f"Twilio's message list could not be read: {error_details(exc)[1]}") from exc
        known = set(key.known_sids())
        floor = key.since - self.clock_skew
        candidates = [  # oldest first (the list is newest first)
            row
            for row in reversed(rows)
            if row.sid not in known
            and (row.date_created is None or row.date_created >= floor)
            and _same_text(row.body) in bodies
        ]
        if not candidates:
            return None
        newest = max((r.date_created for r in candidates if r.date_created is not None), default=None)
        rivals = [
            rival.since
            for rival in key.rivals()
            if _same_text(rival.body) in bodies
            and (newest is None or newest >= rival.since - self.clock_skew)
        ]
        if rivals and not pair:
            raise Ambiguous(f"{len(candidates)} candidates, {len(rivals)} other unsettled messages")
        # The oldest unowned candidate, never "none" while one exists: a copy is created only when Twilio
        # holds no unowned message with this text in the window, so no message there is left to no row.
        return candidates[0]

    def typing(self, message_sid: str) -> bool:
        """WhatsApp's typing indicator on the customer's message (beta; also marks it read). Best effort."""
        try:
            self.client.messaging.v2.typing_indicator.create(channel="whatsapp", message_id=message_sid)
            return True
        except (TwilioException, requests.exceptions.RequestException) as exc:
            log.info("typing indicator for %s failed: %s", message_sid, error_details(exc))
            return False


def _error_label(exc: BaseException) -> str:
    """Twilio's error code, else the HTTP status, else timeout or network: the /metrics label."""
    code = error_details(exc)[0] or getattr(exc, "status", None)
    return str(code) if code else "timeout" if _timed_out(exc) else "network"


def _timed_out(exc: BaseException) -> bool:
    return isinstance(exc, requests.exceptions.Timeout) or isinstance(
        exc.__cause__, requests.exceptions.Timeout
    )


def content_cache_key(tenant_id: int, digest: str) -> str:
    return f"wa:content:{tenant_id}:{digest}"


def stored_content_sid(tenant_id: int, digest: str) -> str | None:
    """The content SID created earlier for this payload hash, from the `whatsapp_content` table."""
    with session_scope() as session:
        row = TenantScope(session, tenant_id).first(WhatsAppContent, WhatsAppContent.content_hash == digest)
        return row.content_sid if row else None


def remember_content(tenant_id: int, digest: str, content_sid: str, kind: str) -> str:
    """Store a newly created content SID; returns the SID that is kept.

    Two processes without a shared lock (no Redis) can both create content for a new payload; the unique
    (tenant_id, content_hash) key keeps the first, and the loser uses that one from then on.
    """
    try:
        with session_scope() as session:
            TenantScope(session, tenant_id).add(
                WhatsAppContent(content_hash=digest, content_sid=content_sid, kind=kind[:16])
            )
    except IntegrityError:
        kept = stored_content_sid(tenant_id, digest)
        if kept:
            return kept
        raise
    return content_sid


def default_sender_address(session: Session, tenant_id: int) -> str:
    row = session.exec(
        select(WhatsAppSender).where(WhatsAppSender.tenant_id == tenant_id).order_by(WhatsAppSender.id)
    ).first()
    if row is None:
        raise SenderNotConfigured("no WhatsApp number to send from: add one in Settings → WhatsApp")
    return row.address


__all__ = [
    "Ambiguous",
    "CLOCK_SKEW",
    "LeaseLost",
    "LookupFailed",
    "Recorded",
    "Rival",
    "SendKey",
    "SendOutcome",
    "SenderNotConfigured",
    "TwilioSender",
    "content_cache_key",
    "default_sender_address",
    "remember_content",
    "status_callback_url",
    "stored_content_sid",
    "with_key",
]
