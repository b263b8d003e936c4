"""Campaign sends from one event loop: twilio-python's async client (aiohttp) for the dispatcher's hot path.

Why not the threaded client the rest of the engine uses: at 400 messages a second the synchronous client
needed ~2 ms of CPU per message and a hundred threads to cover Twilio's answer time, and those threads
fought over the GIL and the connection pool's locks, so sends started late and bunched (the benchmark's
achieved rate fell to 0.55 of the setting and a one-second window at Twilio saw more than the setting). One
event loop holds every send in flight at ~0.7 ms of CPU each, and each send starts when its slot comes, not
when a thread gets the GIL. The same library builds and parses every request (`create_async`), with the
tenant's login, TWILIO_API_BASE_URL and status callback taken from its synchronous client; errors are
classified as in transport.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from datetime import datetime
from types import TracebackType

import aiohttp
from twilio.base.exceptions import TwilioException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from engine.campaigns.transport import (
    LOOKUP_PAGE,
    CampaignTransport,
    SendResult,
    classify,
    template_params,
    unowned,
    whatsapp_address,
)
from engine.channels.whatsapp.twilio_client import DEFAULT_TIMEOUT, rewrite_url

# Messages-list look-ups in flight at once. After a crash every recipient the dead worker held (a few hundred
# at 400/s) is looked up before its send, and they all started at once: a new process has no pooled
# connections, so each opened its own, a hundred connection attempts in the same millisecond. A listen queue
# drops what it cannot hold (the fake Twilio server's holds 5, as Python's socketserver sets it), and a
# dropped attempt is retried by TCP after 0.2, 0.4 … 13 s: the benchmark's last recipients waited 28 s.
# Twilio too counts an account's concurrent requests, and the sends need them. Eight at once look up a
# thousand recipients a second at a 10 ms answer, while the rest of the queue keeps sending at the pace.
LOOKUPS_AT_ONCE = 8


class _BaseUrlAsyncClient(AsyncTwilioHttpClient):
    """AsyncTwilioHttpClient sending to TWILIO_API_BASE_URL when set (like twilio_client.BaseUrlHttpClient),
    with the login as a header (aiohttp deprecates its `auth=` argument), one connection pool and a time
    limit on every request.

    The limit is passed with each request, not only set on the session: twilio-python hands aiohttp
    `timeout=None` when the caller gives none, and aiohttp reads an explicit None as "no limit", overriding
    the session's. A request whose connection was never accepted (a SYN dropped by a full listen queue) then
    waited through every TCP retransmission, 27 s after a restart, holding its recipient and the campaign's
    end."""

    def __init__(self, base_url: str | None, *, connections: int, timeout: float) -> None:
        super().__init__(pool_connections=False)
        self.base_url = base_url
        self.timeout = timeout
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections),
            timeout=aiohttp.ClientTimeout(total=timeout),
        )

    async def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        headers = dict(headers or {})
        if auth is not None:
            headers["Authorization"] = aiohttp.BasicAuth(auth[0], auth[1]).encode()
        return await super().request(
            method,
            rewrite_url(url, self.base_url),
            params=params,
            data=data,
            headers=headers,
            auth=None,
            timeout=timeout or self.timeout,
            allow_redirects=allow_redirects,
        )


class AsyncCampaignSender:
    """`async with AsyncCampaignSender(transport, connections=n) as sender: await sender.send(...)`."""

    def __init__(self, transport: CampaignTransport, *, connections: int = 100) -> None:
        sync = transport.client
        self.status_callback = transport.status_callback
        self._http = _BaseUrlAsyncClient(
            getattr(sync.http_client, "base_url", None),
            connections=connections,
            timeout=float(getattr(sync.http_client, "timeout", None) or DEFAULT_TIMEOUT),
        )
        self.client = Client(sync.username, sync.password, sync.account_sid, http_client=self._http)
        self._lookups = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    async def __aenter__(self) -> AsyncCampaignSender:
        await self._warm_up()
        return self

    async def _warm_up(self) -> None:
        """One cheap read (the account) before the first send: the connection, aiohttp's TLS context and
        twilio-python's first-call set-up take tens of milliseconds, and paid by the first send they delay
        it past its slot, so it reaches Twilio beside the second (closer than the pace allows). A failure
        here is left to the sends, which record it recipient by recipient."""
        with contextlib.suppress(TimeoutError, TwilioException, aiohttp.ClientError):
            await self.client.api.v2010.accounts(self.client.account_sid).fetch_async()

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._http.close()

    async def send(self, from_: str, to: str, content_sid: str, variables: dict[str, str]) -> SendResult:
        try:
            created = await self.client.messages.create_async(
                from_=whatsapp_address(from_),
                to=whatsapp_address(to),
                **template_params(content_sid, variables, self.status_callback),
            )
        except (TimeoutError, TwilioException, aiohttp.ClientError) as exc:
            return classify(exc)
        return SendResult("ok", provider_sid=created.sid, status=str(created.status or "queued"))

    async def find_sent(self, from_: str, to: str, since: datetime, known: Iterable[str]) -> str | None:
        """transport.CampaignTransport.find_sent on this loop: after a crash a few hundred claimed recipients
        are looked up at once, and one by one on the synchronous client they held the restart for seconds;
        at most LOOKUPS_AT_ONCE of them are at Twilio together (see there)."""
        try:
            async with self._lookups:
                rows = await self.client.messages.list_async(
                    to=whatsapp_address(to),
                    from_=whatsapp_address(from_),
                    limit=LOOKUP_PAGE,
                    page_size=LOOKUP_PAGE,
                )
        except (TimeoutError, TwilioException, aiohttp.ClientError) as exc:
            raise LookupError(str(exc)[:200]) from exc
        return unowned(rows, since, known)


__all__ = ["AsyncCampaignSender"]
