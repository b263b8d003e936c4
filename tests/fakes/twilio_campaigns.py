"""The fake Twilio server with what campaigns need: Content API approval requests and per-second accounting.

A subclass, so the base server (tests/fakes/twilio_server.py) keeps one job. Adds:
  POST /v1/Content/{sid}/ApprovalRequests/whatsapp   JSON: name, category → status "received"
  GET  /v1/Content/{sid}/ApprovalRequests            → {"whatsapp": {"status", "rejection_reason", ...}}
Tests decide WhatsApp's answer: `approve(sid)`, `reject(sid, reason)`, or `auto_approve = True`.
Answers go out without Nagle's delay, and the Messages list is read through an index by `To` (the
dispatcher's look-ups after a crash ask it once per recipient). Every accepted message's arrival time is
kept: `max_per_window(1.0)` is the most sends any one-second window held, measured by this server's clock,
as Twilio would count them.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from collections.abc import Iterator, Mapping
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from tests.fakes.twilio_server import Failure, FakeTwilioServer, _make_handler, _QuietServer

APPROVAL_RE = re.compile(r"^/v1/Content/(?P<sid>HX[0-9a-f]+)/ApprovalRequests(?P<create>/whatsapp)?$")


class CampaignTwilioServer(FakeTwilioServer):
    def __init__(self) -> None:
        super().__init__()
        self.approvals: dict[str, dict[str, Any]] = {}
        self.auto_approve = False
        self.send_times: list[float] = []
        self._by_to: dict[str, list[str]] = {}
        self._arrival = threading.local()
        self._times_lock = threading.Lock()

    def start(self) -> CampaignTwilioServer:
        base = _make_handler(self)
        server = self

        class Handler(base):  # type: ignore[misc, valid-type]
            # headers and body go out in two writes: with Nagle on, the body waited for the client's delayed
            # ACK (40 ms) and every send took 45 ms, which no real Twilio answer does
            disable_nagle_algorithm = True

            def _handle(self, method: str) -> None:
                server._arrival.at = time.monotonic()  # the request is in: Twilio's clock starts here
                match = APPROVAL_RE.match(self.path.split("?")[0])
                if not match:
                    super()._handle(method)
                    return
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if self._account() is None:
                    self._send(401, Failure(401, 20003).body())
                    return
                self._send(*server.approval(match.group("sid"), method, bool(match.group("create")), raw))

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-twilio", daemon=True
        )
        self._thread.start()
        return self

    # approvals ---------------------------------------------------------------------------------------

    def approval(self, sid: str, method: str, create: bool, raw: bytes) -> tuple[int, dict[str, Any]]:
        import json

        if sid not in self.content:
            return 404, Failure(404, 20404, "The requested resource was not found").body()
        if method == "POST" and create:
            body = json.loads(raw or b"{}") if raw.startswith(b"{") else {}
            status = "approved" if self.auto_approve else "received"
            self.approvals[sid] = {
                "name": body.get("name"),
                "category": body.get("category"),
                "status": status,
                "rejection_reason": "",
            }
            return 201, {**self.approvals[sid], "content_type": "twilio/card", "allow_category_change": True}
        if method == "GET" and not create:
            found = self.approvals.get(sid)
            whatsapp = dict(found) if found else {"status": "unsubmitted"}
            return 200, {
                "sid": sid,
                "account_sid": self.content[sid]["account_sid"],
                "whatsapp": whatsapp,
                "url": f"https://content.twilio.com/v1/Content/{sid}/ApprovalRequests",
            }
        return 405, Failure(405, 20004, "Method not allowed").body()

    def approve(self, sid: str) -> None:
        self.approvals.setdefault(sid, {})["status"] = "approved"

    def reject(self, sid: str, reason: str) -> None:
        self.approvals.setdefault(sid, {}).update(status="rejected", rejection_reason=reason)

    # per-second accounting ---------------------------------------------------------------------------

    def create_message(self, account: str, form: Mapping[str, list[str]]) -> tuple[int, dict[str, Any]]:
        status, body = super().create_message(account, form)
        if status < 300:
            with self._times_lock:
                self.send_times.append(getattr(self._arrival, "at", None) or time.monotonic())
                self._by_to.setdefault(body["to"], []).append(body["sid"])
        return status, body

    def _listed(self, to: str | None) -> list[tuple[str, dict[str, Any]]]:
        """Only this number's messages when the list names one (called under the base's lock)."""
        if not to:
            return super()._listed(to)
        with self._times_lock:
            sids = list(self._by_to.get(to, ()))
        return [(sid, self.sent[sid]) for sid in sids if sid in self.sent]

    def max_per_window(self, window: float = 1.0) -> int:
        """The most accepted sends inside any window of `window` seconds (half-open)."""
        times = sorted(self.send_times)
        best = 0
        for i, start in enumerate(times):
            best = max(best, bisect.bisect_left(times, start + window) - i)
        return best


@pytest.fixture
def campaign_twilio() -> Iterator[CampaignTwilioServer]:
    with CampaignTwilioServer() as server:
        yield server


__all__ = ["CampaignTwilioServer", "ThreadingHTTPServer", "campaign_twilio"]
