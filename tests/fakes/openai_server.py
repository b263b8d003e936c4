"""A scripted OpenAI-compatible HTTP server for tests and benchmarks.

Why a real server and not mocks: the openai and together SDKs are exercised end to end (their request
building, error classes, Retry-After parsing, timeouts, connection handling), so a test fails when an SDK
upgrade changes behaviour the LLM layer relies on.

Each test scripts the replies it wants, in order: `server.script(ok("hi"), rate_limited(0.01), ...)`. A
request takes the next step of the queue; when the queue is empty the `default` step answers (a plain
completion).
Every request is recorded (path, headers, JSON body) so tests can assert what the client actually sent.

Routes: POST /v1/chat/completions (Together's path, and OpenAI's under a `/v1` base URL), POST
/chat/completions, POST /embeddings and /v1/embeddings (deterministic 8-dimension vectors), GET /v1/models
and /models. A key in `rejected_keys` gets OpenAI's 401 on every route, as a revoked or mistyped key does.
The server runs on 127.0.0.1, on a free port, in a daemon
thread.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

# --------------------------------------------------------------------------------------------- script steps


@dataclass
class Reply:
    """A successful chat completion. `content` may be a dict (sent as JSON text) or a string."""

    content: str | dict[str, Any] | None = "OK"
    model: str | None = None  # None: echo the requested model
    prompt_tokens: int = 20
    completion_tokens: int = 10
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    finish_reason: str = "stop"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class ErrorReply:
    """An HTTP error in the OpenAI error envelope; `retry_after` becomes the Retry-After header."""

    status: int
    message: str = "error"
    type: str | None = None
    code: str | None = None
    retry_after: float | str | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RawReply:
    """Any body at all, e.g. truncated JSON, to test how the clients cope with a broken server."""

    body: str | bytes
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0.0


@dataclass
class Hangup:
    """Close the connection without answering (a connection error on the client side)."""

    delay: float = 0.0


Step = Reply | ErrorReply | RawReply | Hangup
Responder = Callable[["RecordedRequest"], Step]


def ok(content: str | dict[str, Any] | None = "OK", **kwargs: Any) -> Reply:
    return Reply(content=content, **kwargs)


def slow(delay: float, content: str | dict[str, Any] | None = "OK", **kwargs: Any) -> Reply:
    return Reply(content=content, delay=delay, **kwargs)


def rate_limited(retry_after: float | str | None = None, **kwargs: Any) -> ErrorReply:
    return ErrorReply(
        status=429,
        message="Rate limit reached",
        type="requests",
        code="rate_limit_exceeded",
        retry_after=retry_after,
        **kwargs,
    )


def server_error(status: int = 500, **kwargs: Any) -> ErrorReply:
    return ErrorReply(status=status, message="The server had an error", type="server_error", **kwargs)


def unauthorized(**kwargs: Any) -> ErrorReply:
    return ErrorReply(
        status=401,
        message="Incorrect API key provided",
        type="invalid_request_error",
        code="invalid_api_key",
        **kwargs,
    )


def bad_request(message: str = "Invalid parameter", **kwargs: Any) -> ErrorReply:
    return ErrorReply(status=400, message=message, type="invalid_request_error", **kwargs)


def malformed(**kwargs: Any) -> RawReply:
    """A 200 whose body is not JSON at all (a proxy or a crashing server half-wrote it)."""
    return RawReply(body='{"id": "chatcmpl-broken", "choices": [', **kwargs)


def hangup(delay: float = 0.0) -> Hangup:
    return Hangup(delay=delay)


# ------------------------------------------------------------------------------------------------- server


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    json: dict[str, Any] | None

    @property
    def model(self) -> str | None:
        return (self.json or {}).get("model")

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.json or {}).get("messages") or [])

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")


def default_responder(request: RecordedRequest) -> Step:
    return Reply(content="OK")


class FakeOpenAIServer:
    """The server plus its script queue and request log; use as a context manager or start()/stop()."""

    def __init__(
        self,
        *,
        models: list[str] | None = None,
        default: Step | Responder | None = None,
        record: bool = True,
    ) -> None:
        self.models = models or ["gpt-4o", "gpt-4o-mini", "o3-mini"]
        self.rejected_keys: set[str] = set()
        self.default: Step | Responder = default or default_responder
        self.record = record
        self.requests: list[RecordedRequest] = []
        self.timings_ms: list[float] = []
        self._queue: deque[Step] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -----------------------------------------------------------------------------------------

    def start(self) -> FakeOpenAIServer:
        handler = _make_handler(self)
        self._httpd = _QuietServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping on a slow step
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """Root URL: what the together client takes (it appends /v1/... itself)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        """What the openai client takes (its paths are relative to /v1)."""
        return f"{self.base_url}/v1"

    # script --------------------------------------------------------------------------------------------

    def script(self, *steps: Step) -> FakeOpenAIServer:
        with self._lock:
            self._queue.extend(steps)
        return self

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.timings_ms.clear()

    @property
    def pending(self) -> int:
        """Scripted steps not consumed yet: a test asserting the exact call count checks this is 0."""
        with self._lock:
            return len(self._queue)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _next_step(self, request: RecordedRequest) -> Step:
        with self._lock:
            if self.record:
                self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
        default = self.default
        return default(request) if callable(default) else default

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def completion_body(self, step: Reply, request: RecordedRequest) -> dict[str, Any]:
        content = step.content
        if isinstance(content, dict):
            content = json.dumps(content)
        return {
            "id": f"chatcmpl-fake-{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": step.model or request.model or "unknown",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": step.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": step.prompt_tokens,
                "completion_tokens": step.completion_tokens,
                "total_tokens": step.prompt_tokens + step.completion_tokens,
                "prompt_tokens_details": {"cached_tokens": step.cached_tokens},
                "completion_tokens_details": {"reasoning_tokens": step.reasoning_tokens},
            },
        }


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 refuses connections under concurrent load

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out on a slow step closed its socket: expected, not worth a traceback.
        return


def _make_handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like a real API behind a load balancer
        disable_nagle_algorithm = True  # else small writes wait for delayed ACKs: ~40 ms per request
        wbufsize = -1  # buffered: headers and body leave in one write when the handler flushes

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
            return

        def _refused(self, started: float) -> bool:
            """OpenAI's answer to a key it does not know."""
            bearer = (self.headers.get("authorization") or "").removeprefix("Bearer ").strip()
            if bearer not in server.rejected_keys:
                return False
            error = {"message": "Incorrect API key provided.", "type": "invalid_request_error", "param": None,
                     "code": "invalid_api_key"}  # fmt: skip
            self._send_json(401, {"error": error}, {}, started)
            return True

        def _embeddings(self, payload: Any, started: float) -> None:
            texts = payload.get("input") if isinstance(payload, dict) else None
            texts = [texts] if isinstance(texts, str) else list(texts or [])
            data = []
            for i, text in enumerate(texts):
                digest = [b / 255.0 + 0.01 for b in hashlib.sha256(str(text).encode()).digest()[:8]]
                data.append({"object": "embedding", "index": i, "embedding": digest})
            body = {"object": "list", "data": data, "model": payload.get("model") if payload else None,
                    "usage": {"prompt_tokens": len(texts), "total_tokens": len(texts)}}  # fmt: skip
            self._send_json(200, body, {}, started)

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            started = time.perf_counter()
            if self._refused(started):
                return
            if self.path.rstrip("/") in ("/v1/models", "/models"):
                body = {
                    "object": "list",
                    "data": [
                        {"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in server.models
                    ],
                }
                self._send_json(200, body, {}, started)
            else:
                self._send_json(404, {"error": {"message": "not found"}}, {}, started)

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            started = time.perf_counter()
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                payload = json.loads(raw) if raw else None
            except json.JSONDecodeError:
                payload = None
            request = RecordedRequest(
                method="POST",
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                json=payload,
            )
            if self._refused(started):
                return
            if self.path.rstrip("/").endswith("/embeddings"):
                self._embeddings(payload, started)
                return
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send_json(404, {"error": {"message": "not found"}}, {}, started)
                return
            step = server._next_step(request)
            server._sleep(getattr(step, "delay", 0.0))
            if isinstance(step, Hangup):
                self.close_connection = True
                return
            if isinstance(step, RawReply):
                body = step.body.encode() if isinstance(step.body, str) else step.body
                self._send(step.status, body, step.content_type, {}, started)
                return
            if isinstance(step, ErrorReply):
                headers = dict(step.headers)
                if step.retry_after is not None:
                    headers["Retry-After"] = str(step.retry_after)
                error = {"message": step.message, "type": step.type, "param": None, "code": step.code}
                self._send_json(step.status, {"error": error}, headers, started)
                return
            self._send_json(200, server.completion_body(step, request), step.headers, started)

        def _send_json(self, status: int, body: Any, headers: dict[str, str], started: float) -> None:
            self._send(status, json.dumps(body).encode(), "application/json", headers, started)

        def _send(
            self, status: int, body: bytes, content_type: str, headers: dict[str, str], started: float
        ) -> None:
            elapsed_ms = (time.perf_counter() - started) * 1000
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-fake-server-ms", f"{elapsed_ms:.3f}")
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
            with server._lock:
                server.timings_ms.append(elapsed_ms)

    return Handler


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    """A fresh server per test; a conftest makes it available with `from tests.fakes.openai_server import
    fake_openai  # noqa: F401`."""
    with FakeOpenAIServer() as server:
        yield server


__all__ = [
    "ErrorReply",
    "FakeOpenAIServer",
    "Hangup",
    "RawReply",
    "RecordedRequest",
    "Reply",
    "Step",
    "bad_request",
    "fake_openai",
    "hangup",
    "malformed",
    "ok",
    "rate_limited",
    "server_error",
    "slow",
    "unauthorized",
]
