"""A Twilio-compatible HTTP server for tests and benchmarks: Messages, Content API and the typing indicator.

Why a real server: twilio-python builds every request, encodes every form and JSON body, and parses every
answer and error exactly as in production, through engine.channels' custom HTTP client and its
TWILIO_API_BASE_URL rewrite. A test fails when any of those layers changes behaviour.

Point the engine at it with `TWILIO_API_BASE_URL=server.base_url`. Routes (paths as twilio-python sends them
after the rewrite):
  POST /2010-04-01/Accounts/{AccountSid}/Messages.json   form: To, From, Body, MediaUrl*, ContentSid, …
  GET  /2010-04-01/Accounts/{AccountSid}/Messages.json   query: To, From, DateSent, DateSent<,
                                                           DateSent>, PageSize (newest first, one page)
  GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json
  POST /v1/Content                                         JSON: friendly_name, language, variables, types
  POST /v2/Indicators/Typing.json                          form: channel, messageId
  GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}/Media/{MediaSid}   the bytes of an inbound media item
  GET  /2010-04-01/Accounts/{AccountSid}.json              the account (status active · suspended · closed)

Requests need HTTP basic auth with a registered account (`server.add_account(sid, token)`; any account
is accepted while none is registered) or one of its API keys (`server.add_api_key(sid, key_sid, secret)`);
`server.add_account(sid, token, status="suspended")` makes the account endpoint report a suspended account.
Failures are scripted per route: `server.fail("messages",
status=429, code=20429)` answers the next matching request with Twilio's error envelope; `times=` repeats
it; `accept=True` makes it an accept-then-timeout: the message is stored (and counted) as Twilio would, then
the answer is held `delay` seconds — longer than the client's timeout, so the client sees a timeout for a
message that exists. `server.chaos(...)` draws such failures at random rates for load tests, and
`server.sent_per_to()` counts the accepted messages per recipient (duplicates show up there). Inbound media
are registered with `server.add_media(account, data, content_type)`, which returns the
`https://api.twilio.com/...` URL a webhook would carry (route `media`; `chunked=True` answers without a
Content-Length, `redirect_to=` answers 307 to that address instead of the bytes). Every request is recorded
(`server.requests`), with helpers for what was sent (`messages`, `contents`, `typing`, `media_requests`).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import queue
import random
import re
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from twilio.request_validator import RequestValidator

MESSAGES_RE = re.compile(r"^/2010-04-01/Accounts/(?P<account>AC[0-9a-fA-F]{32})/Messages\.json$")
MESSAGE_RE = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>AC[0-9a-fA-F]{32})/Messages/(?P<sid>[A-Z]{2}\w+)\.json$"
)
MEDIA_RE = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>AC[0-9a-fA-F]{32})/Messages/(?P<message>[A-Z]{2}\w+)"
    r"/Media/(?P<sid>ME\w+)$"
)
ACCOUNT_RE = re.compile(r"^/2010-04-01/Accounts/(?P<account>AC[0-9a-fA-F]{32})\.json$")
TWILIO_API = "https://api.twilio.com"
CONTENT_PATH = "/v1/Content"
TYPING_PATH = "/v2/Indicators/Typing.json"

ERROR_MESSAGES = {
    20003: "Authenticate",
    20429: "Too Many Requests",
    21211: "Invalid 'To' Phone Number",
    63003: "Channel could not find To address",
    63007: "Twilio could not find a Channel with the specified From address",
    63016: "Failed to send freeform message because you are outside the allowed window.",
    63024: "Invalid message recipient",
    63027: "Template does not exist for a language and locale",
    63032: "User's number is part of an experiment",
    21656: "The ContentVariables Parameter is invalid",
}


def account_sid(n: int = 1) -> str:
    return f"AC{n:032x}"


@dataclass
class Failure:
    """An error answer in Twilio's envelope ({code, message, more_info, status})."""

    status: int = 500
    code: int | None = None
    message: str | None = None
    times: int = 1
    delay: float = 0.0
    accept: bool = False  # store the message first (Twilio accepted it), then fail or time out

    def body(self) -> dict[str, Any]:
        code = self.code
        message = self.message or ERROR_MESSAGES.get(code or 0) or "Internal Server Error"
        return {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}" if code else None,
            "status": self.status,
        }


@dataclass
class Chaos:
    """Random failures on message creates, each drawn independently per request (seeded: reproducible)."""

    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_accept_timeout: float = 0.0
    timeout_delay: float = 3.0  # how long an accepted-then-timed-out answer is held
    seed: int = 7

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def draw(self) -> Failure | None:
        roll = self._rng.random()
        if roll < self.rate_429:
            return Failure(429, 20429)
        roll -= self.rate_429
        if roll < self.rate_5xx:
            return Failure(503, None, "Service Unavailable")
        roll -= self.rate_5xx
        if roll < self.rate_accept_timeout:
            return Failure(201, accept=True, delay=self.timeout_delay)
        return None


@dataclass
class MediaFile:
    """An inbound media item Twilio keeps for an account, served at its media URL."""

    account: str
    data: bytes
    content_type: str
    chunked: bool = False
    redirect_to: str | None = None


@dataclass
class _Raw:
    """A non-JSON answer: media bytes, or a redirect."""

    data: bytes = b""
    content_type: str = "application/octet-stream"
    chunked: bool = False
    location: str | None = None


@dataclass
class RecordedRequest:
    method: str
    path: str
    route: str  # messages · message · content · typing · media · unknown
    headers: dict[str, str]
    form: dict[str, list[str]] = field(default_factory=dict)
    json: Any = None
    status: int = 0  # what the fake answered
    account: str | None = None

    def value(self, name: str) -> str | None:
        values = self.form.get(name)
        return values[-1] if values else None


class FakeTwilioServer:
    """The server, its scripted failures and its log; a context manager or start()/stop()."""

    def __init__(self) -> None:
        self.accounts: dict[str, str] = {}
        self.account_status: dict[str, str] = {}  # sid → active · suspended · closed
        self.api_keys: dict[str, tuple[str, str]] = {}  # key sid → (account sid, secret)
        self.requests: list[RecordedRequest] = []
        self.sent: dict[str, dict[str, Any]] = {}  # message sid → resource
        self.content: dict[str, dict[str, Any]] = {}  # content sid → resource
        self.media: dict[str, MediaFile] = {}  # media path → file
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._chaos: Chaos | None = None
        self._created_at: dict[str, float] = {}  # message sid → epoch seconds (the list's window and order)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.latency: float = 0.0  # seconds added to every answer
        # What stamps date_created (and orders the Messages list): tests on a fake clock set theirs, so the
        # send windows they record agree with Twilio's.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.callback_urls: dict[str, str] = {}  # message sid → the StatusCallback it was created with
        self._poster: Callable[[str, dict[str, str], str], None] | None = None
        self._callbacks: queue.Queue[tuple[float, str, list[str]]] = queue.Queue()
        self._callback_statuses: tuple[str, ...] = ()
        self._callback_delay = 0.0

    # lifecycle -----------------------------------------------------------------------------------------

    def start(self) -> FakeTwilioServer:
        self._httpd = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-twilio", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeTwilioServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # scripting -----------------------------------------------------------------------------------------

    def add_account(self, sid: str, token: str, *, status: str = "active") -> FakeTwilioServer:
        self.accounts[sid] = token
        self.account_status[sid] = status
        return self

    def add_api_key(self, account: str, key_sid: str, secret: str) -> FakeTwilioServer:
        """An API key of `account`: basic auth with (key_sid, secret) then acts as that account."""
        self.api_keys[key_sid] = (account, secret)
        return self

    def account_resource(self, sid: str) -> dict[str, Any]:
        now = format_datetime(datetime.now(UTC))
        return {
            "sid": sid,
            "owner_account_sid": sid,
            "friendly_name": f"Shop account {sid[-4:]}",
            "status": self.account_status.get(sid, "active"),
            "type": "Full",
            "auth_token": "hidden",
            "date_created": now,
            "date_updated": now,
            "uri": f"/2010-04-01/Accounts/{sid}.json",
            "subresource_uris": {},
        }

    def add_media(
        self,
        account: str,
        data: bytes,
        content_type: str,
        *,
        chunked: bool = False,
        redirect_to: str | None = None,
    ) -> str:
        """Keep a media item for `account`; returns its URL as a webhook carries it (api.twilio.com)."""
        message, media = self._sid("MM"), self._sid("ME")
        path = f"/2010-04-01/Accounts/{account}/Messages/{message}/Media/{media}"
        with self._lock:
            self.media[path] = MediaFile(account, data, content_type, chunked, redirect_to)
        return TWILIO_API + path

    @property
    def media_requests(self) -> list[RecordedRequest]:
        """Every media download attempt, answered or refused."""
        return self._of("media", ok_only=False)

    def fail(
        self,
        route: str,
        *,
        status: int = 500,
        code: int | None = None,
        message: str | None = None,
        times: int = 1,
        delay: float = 0.0,
        accept: bool = False,
    ) -> FakeTwilioServer:
        """Answer the next `times` requests of `route` (messages · list · content · typing · media · account)
        with this error. `accept=True` (messages): store the message first, then answer after `delay` —
        with `status=201` that is the accept-then-timeout of a slow Twilio, with 5xx an error after
        acceptance."""
        with self._lock:
            self._failures[route].append(Failure(status, code, message, times, delay, accept))
        return self

    def accept_then_timeout(self, *, delay: float = 3.0, times: int = 1) -> FakeTwilioServer:
        """The next message creates are accepted and stored, then answered only after `delay` seconds."""
        return self.fail("messages", status=201, delay=delay, times=times, accept=True)

    def chaos(self, chaos: Chaos | None) -> FakeTwilioServer:
        """Random 429s, 5xx and accept-then-timeouts on message creates (None: stop)."""
        with self._lock:
            self._chaos = chaos
        return self

    def sent_per_to(self) -> Counter[str]:
        """Accepted messages per recipient, accept-then-timeouts included: what each customer received."""
        with self._lock:
            return Counter(resource["to"] for resource in self.sent.values())

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.sent.clear()
            self.content.clear()
            self.media.clear()
            self._failures.clear()
            self._created_at.clear()
            self._chaos = None

    def _next_failure(self, route: str) -> Failure | None:
        with self._lock:
            queue = self._failures.get(route)
            if not queue:
                return self._chaos.draw() if route == "messages" and self._chaos else None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.popleft()
            return failure

    # what was received ---------------------------------------------------------------------------------

    def _of(self, route: str, ok_only: bool) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.route == route and (not ok_only or r.status < 300)]

    @property
    def messages(self) -> list[RecordedRequest]:
        """Message creates Twilio accepted, in order."""
        return self._of("messages", ok_only=True)

    @property
    def message_attempts(self) -> list[RecordedRequest]:
        return self._of("messages", ok_only=False)

    @property
    def contents(self) -> list[RecordedRequest]:
        return self._of("content", ok_only=True)

    @property
    def typing(self) -> list[RecordedRequest]:
        return self._of("typing", ok_only=True)

    # answers -------------------------------------------------------------------------------------------

    def _sid(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):032x}"

    def create_message(self, account: str, form: Mapping[str, list[str]]) -> tuple[int, dict[str, Any]]:
        def one(name: str) -> str | None:
            values = form.get(name)
            return values[-1] if values else None

        to, from_ = one("To"), one("From")
        if not to or not (one("Body") or one("ContentSid") or form.get("MediaUrl")):
            return 400, Failure(400, 21619, "A text message body, media or content SID is required").body()
        if not to.startswith("whatsapp:+"):
            return 400, Failure(400, 21211).body()
        if not from_ or not from_.startswith("whatsapp:+"):
            return 400, Failure(400, 63007).body()
        content_sid = one("ContentSid")
        if content_sid and content_sid not in self.content:
            return 400, Failure(400, 63027).body()
        body = one("Body") or ""
        if content_sid and not body:  # Twilio's resource carries the content's text as the body
            types = self.content[content_sid]["types"]
            first = next(iter(types.values()), {}) or {}
            body = str(first.get("body") or first.get("title") or "")
        sid = self._sid("MM" if form.get("MediaUrl") else "SM")
        created = self.clock()
        now = format_datetime(created)
        resource = {
            "sid": sid,
            "account_sid": account,
            "to": to,
            "from": from_,
            "body": body,
            "status": "queued",
            "num_media": str(len(form.get("MediaUrl") or [])),
            "num_segments": "1",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "price": None,
            "price_unit": "USD",
            "messaging_service_sid": None,
            "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
            "subresource_uris": {"media": f"/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json"},
        }
        with self._lock:
            self.sent[sid] = resource
            self._created_at[sid] = created.timestamp()
            callback = one("StatusCallback")
            if callback:
                self.callback_urls[sid] = callback
        if callback and self._poster is not None:
            self._callbacks.put((time.monotonic() + self._callback_delay, sid, list(self._callback_statuses)))
        return 201, resource

    def list_messages(self, account: str, query: Mapping[str, list[str]]) -> tuple[int, dict[str, Any]]:
        """Twilio's Messages list: this account's messages filtered by To, From and DateSent (a date, or a
        date-time; `DateSent<`/`DateSent>` bound it), newest first, one page of `PageSize` (default 50)."""

        def one(name: str) -> str | None:
            values = query.get(name)
            return values[-1] if values else None

        bounds = {name: _when(one(name)) for name in ("DateSent", "DateSent<", "DateSent>")}
        size = max(1, min(1000, int(one("PageSize") or 50)))
        with self._lock:
            rows = [
                (self._created_at.get(sid, 0.0), sid, resource)
                for sid, resource in self._listed(one("To"))
                if resource["account_sid"] == account
                and (not one("To") or resource["to"] == one("To"))
                and (not one("From") or resource["from"] == one("From"))
            ]
        picked = []
        for created, _sid, resource in sorted(rows, key=lambda r: (r[0], r[1]), reverse=True):
            day = datetime.fromtimestamp(created, UTC)
            if bounds["DateSent"] is not None and day.date() != bounds["DateSent"].date():
                continue
            if bounds["DateSent>"] is not None and day < bounds["DateSent>"]:
                continue
            if bounds["DateSent<"] is not None and day > bounds["DateSent<"]:
                continue
            picked.append(resource)
        uri = f"/2010-04-01/Accounts/{account}/Messages.json?PageSize={size}&Page=0"
        return 200, {
            "messages": picked[:size],
            "end": min(size, len(picked)) - 1,
            "first_page_uri": uri,
            "next_page_uri": None,
            "page": 0,
            "page_size": size,
            "previous_page_uri": None,
            "start": 0,
            "uri": uri,
        }

    def _listed(self, to: str | None) -> list[tuple[str, dict[str, Any]]]:
        """The messages a list query looks through (under `_lock`): all of them here; a subclass may index."""
        return list(self.sent.items())

    def create_content(self, account: str, payload: Any) -> tuple[int, dict[str, Any]]:
        if not isinstance(payload, dict) or not isinstance(payload.get("types"), dict):
            return 400, Failure(400, 20001, "Invalid content: types is required").body()
        types = {k: v for k, v in payload["types"].items() if v is not None}
        if not types:
            return 400, Failure(400, 20001, "Invalid content: no content type given").body()
        sid = self._sid("HX")
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        resource = {
            "sid": sid,
            "account_sid": account,
            "friendly_name": payload.get("friendly_name"),
            "language": payload.get("language") or "en",
            "variables": payload.get("variables") or {},
            "types": types,
            "date_created": now,
            "date_updated": now,
            "url": f"https://content.twilio.com/v1/Content/{sid}",
            "links": {
                "approval_create": f"https://content.twilio.com/v1/Content/{sid}/ApprovalRequests/whatsapp"
            },
        }
        with self._lock:
            self.content[sid] = resource
        return 201, resource

    # webhooks to the app under test ---------------------------------------------------------------------

    @staticmethod
    def signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
        """X-Twilio-Signature for a form POST to `url`, as Twilio computes it."""
        return RequestValidator(auth_token).compute_signature(url, dict(params))

    def post_status_callbacks(
        self,
        post: Callable[[str, dict[str, str], str], None] | None,
        *,
        statuses: tuple[str, ...] = ("queued", "sent"),
        delay: float = 0.2,
    ) -> FakeTwilioServer:
        """Post status callbacks for every message accepted from now on, as Twilio does: `statuses` in turn,
        `delay` seconds after acceptance, each signed with the account's token and sent through
        `post(url, form, signature)` (e.g. a TestClient of the app), to the message's StatusCallback URL —
        its `?k=` included. One thread posts them in order; None stops."""
        self._poster, self._callback_statuses, self._callback_delay = post, statuses, delay
        if post is not None and not any(t.name == "fake-twilio-callbacks" for t in threading.enumerate()):
            threading.Thread(target=self._post_callbacks, name="fake-twilio-callbacks", daemon=True).start()
        return self

    def _post_callbacks(self) -> None:
        while not self._stopping.is_set() and self._poster is not None:
            try:
                due, sid, statuses = self._callbacks.get(timeout=0.2)
            except queue.Empty:
                continue
            time.sleep(max(0.0, due - time.monotonic()))
            poster, url = self._poster, self.callback_urls.get(sid)
            account = self.sent.get(sid, {}).get("account_sid", "")
            if poster is None or not url:
                continue
            for status in statuses:
                form = self.status_callback(sid, status)
                # the app was down: Twilio does not retry a status callback either
                with contextlib.suppress(Exception):
                    poster(url, form, self.signature(self.accounts.get(account, ""), url, form))

    def status_callback(self, message_sid: str, status: str, **extra: str) -> dict[str, str]:
        """The form of a status callback for a message this fake accepted."""
        resource = self.sent.get(message_sid, {})
        form = {
            "MessageSid": message_sid,
            "SmsSid": message_sid,
            "AccountSid": resource.get("account_sid", account_sid()),
            "From": resource.get("from", ""),
            "To": resource.get("to", ""),
            "MessageStatus": status,
            "SmsStatus": status,
            "ApiVersion": "2010-04-01",
            "ChannelPrefix": "whatsapp",
        }
        form.update(extra)
        return form


def _when(value: str | None) -> datetime | None:
    """A DateSent filter value: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`, as UTC."""
    if not value:
        return None
    text = value.strip().lstrip("<>=")
    shape = "%Y-%m-%dT%H:%M:%SZ" if "T" in text else "%Y-%m-%d"
    return datetime.strptime(text, shape).replace(tzinfo=UTC)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # Twilio's edge accepts a burst of new connections (a restarted campaign worker opens ~100 at once);
    # socketserver's default listen queue of 5 dropped them, and TCP's retries (0.2 … 13 s) then stood in
    # for Twilio's answer time in benchmarks/campaign_dispatch.py.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        return


def _make_handler(server: FakeTwilioServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

        def _account(self) -> str | None:
            header = self.headers.get("Authorization") or ""
            if not header.startswith("Basic "):
                return None
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return None
            if user in server.api_keys:
                account, secret = server.api_keys[user]
                return account if secret == password else None
            if server.accounts and server.accounts.get(user) != password:
                return None
            return user

        def _handle(self, method: str) -> None:
            path = urlsplit(self.path).path
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            record = RecordedRequest(
                method=method,
                path=path,
                route="unknown",
                headers={k.lower(): v for k, v in self.headers.items()},
            )
            if content_type == "application/json":
                try:
                    record.json = json.loads(raw or b"null")
                except json.JSONDecodeError:
                    record.json = None
            else:
                record.form = parse_qs(raw.decode(), keep_blank_values=True)
            messages, message = MESSAGES_RE.match(path), MESSAGE_RE.match(path)
            if method == "POST" and messages:
                record.route = "messages"
            elif method == "GET" and messages:
                record.route = "list"
                record.form = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
            elif method == "GET" and message:
                record.route = "message"
            elif method == "POST" and path == CONTENT_PATH:
                record.route = "content"
            elif method == "POST" and path == TYPING_PATH:
                record.route = "typing"
            elif method == "GET" and MEDIA_RE.match(path):
                record.route = "media"
            elif method == "GET" and ACCOUNT_RE.match(path):
                record.route = "account"
            record.account = self._account()
            status, body = self._answer(record, messages, message)
            record.status = status
            with server._lock:
                server.requests.append(record)
            if server.latency:
                server._stopping.wait(server.latency)
            self._send(status, body)

        def _answer(self, record: RecordedRequest, messages: Any, message: Any) -> tuple[int, Any]:
            if record.route == "unknown":
                return 404, Failure(404, 20404, "The requested resource was not found").body()
            if record.account is None:
                return 401, Failure(401, 20003).body()
            failure = server._next_failure(record.route)
            if failure is not None:
                answer: tuple[int, Any] = (failure.status, failure.body())
                if failure.accept and record.route == "messages":
                    created = server.create_message(record.account, record.form)
                    answer = created if failure.status < 300 else answer
                if failure.delay:
                    server._stopping.wait(failure.delay)
                return answer
            if record.route == "list":
                if messages.group("account") != record.account:
                    return 401, Failure(401, 20003).body()
                return server.list_messages(record.account, record.form)
            if record.route == "messages":
                if messages.group("account") != record.account:
                    return 401, Failure(401, 20003).body()
                return server.create_message(record.account, record.form)
            if record.route == "message":
                resource = server.sent.get(message.group("sid"))
                return (200, resource) if resource else (404, Failure(404, 20404).body())
            if record.route == "content":
                return server.create_content(record.account, record.json)
            if record.route == "account":
                sid = ACCOUNT_RE.match(record.path).group("account")  # type: ignore[union-attr]
                if sid != record.account:
                    return 401, Failure(401, 20003).body()
                return 200, server.account_resource(sid)
            if record.route == "media":
                file = server.media.get(record.path)
                if file is None:
                    return 404, Failure(404, 20404, "The requested resource was not found").body()
                if file.account != record.account:
                    return 401, Failure(401, 20003).body()
                if file.redirect_to:
                    return 307, _Raw(location=file.redirect_to)
                return 200, _Raw(file.data, file.content_type, file.chunked)
            if not record.form.get("messageId") or record.form.get("channel") != ["whatsapp"]:
                return 400, Failure(400, 20001, "channel and messageId are required").body()
            return 200, {"success": True}

        def _send_raw(self, status: int, raw: _Raw) -> None:
            self.send_response(status)
            if raw.location is not None:
                self.send_header("Location", raw.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_header("Content-Type", raw.content_type)
            if not raw.chunked:
                self.send_header("Content-Length", str(len(raw.data)))
                self.end_headers()
                self.wfile.write(raw.data)
                return
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(raw.data), 65536):
                piece = raw.data[start : start + 65536]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")

        def _send(self, status: int, body: Any) -> None:
            if isinstance(body, _Raw):
                self._send_raw(status, body)
                return
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Twilio-Request-Id", f"RQ{time.time_ns():032x}"[:34])
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802
            self._handle("POST")

        def do_GET(self) -> None:  # noqa: N802
            self._handle("GET")

    return Handler


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilioServer]:
    """A fresh fake per test; import it into a test module (or conftest) to use it."""
    with FakeTwilioServer() as server:
        yield server


__all__ = [
    "Chaos",
    "Failure",
    "FakeTwilioServer",
    "MediaFile",
    "RecordedRequest",
    "account_sid",
    "fake_twilio",
]
