"""Logs as events: `LOG_FORMAT=json` writes one JSON object a line for a log shipper, `text` a readable line.

Why structlog: its processor chain does the three things we need in one place, for our events and for every
stdlib `logging` record of the engine and its libraries alike (ProcessorFormatter): the tenant, conversation
and request ids come from contextvars (bound once by the webhook, the worker or the turn, never passed down),
the trace and span ids of the current OpenTelemetry span are added, and redaction runs last before rendering.

Redaction (never in clear): a field whose name says it holds words or a secret (body, text, reply, password,
token, …) is replaced whole; in every other string, anything shaped like a secret (OpenAI/Together keys,
Twilio auth tokens, Fernet tokens, bearer tokens, passwords in URLs) and every secret the environment
configured is masked. Message bodies are not logged by design: events carry ids, counts and timings.

The Twilio SDK logs each request's method, URL and headers at INFO (twilio.http_client); that is silenced to
WARNING here.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import IO, Any

import structlog
from opentelemetry import trace
from structlog.contextvars import bind_contextvars, bound_contextvars, merge_contextvars
from structlog.typing import EventDict, Processor, WrappedLogger

from engine.config import get_settings

REDACTED = "[redacted]"
# Field names whose values are customer words or secrets, whatever they hold.
SENSITIVE_KEYS = frozenset(
    {
        "body",
        "text",
        "message",
        "message_body",
        "customer_message",
        "response",
        "reply",
        "password",
        "auth_token",
        "api_key",
        "token",
        "secret",
        "authorization",
        "cookie",
    }
)
# Shapes of secrets, masked inside any string (one alternation: one pass over each string).
SECRET_SHAPES = (
    r"\bsk-[A-Za-z0-9_\-]{16,}",  # OpenAI-style keys
    r"\b[0-9a-f]{32}\b",  # Twilio auth tokens
    r"\bgAAAAA[A-Za-z0-9_\-]{20,}=*",  # Fernet tokens (encrypted values)
    r"\b[Bb][Ee][Aa][Rr][Ee][Rr]\s+[A-Za-z0-9._~+/=\-]{8,}",  # bearer tokens
    r"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)",  # user:password@ in URLs
)
SECRET_PATTERN = re.compile("|".join(f"(?:{shape})" for shape in SECRET_SHAPES))
# Keys whose values are ids we wrote, shaped like secrets on purpose (32 hex digits): left alone.
PLAIN_KEYS = frozenset({"trace_id", "span_id", "request_id", "event", "logger", "level", "timestamp"})
QUIET_LOGGERS = ("twilio.http_client", "twilio.async_http_client")

_HANDLER_MARK = "_parley_handler"
_known_secrets: set[str] = set()


def remember_secrets(values: Iterable[str | None]) -> None:
    """Secrets the process holds (keys from the environment): masked wherever they appear in a log line."""
    for value in values:
        for part in (value or "").split(","):
            if len(part.strip()) >= 8:
                _known_secrets.add(part.strip())


def scrub(text: str) -> str:
    for secret in _known_secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return SECRET_PATTERN.sub(REDACTED, text)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {
            k: REDACTED if str(k).lower() in SENSITIVE_KEYS else _scrub_value(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value


def redact(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """The last processor before rendering: nothing of a body or a secret leaves the process."""
    for key, value in list(event_dict.items()):
        if key in PLAIN_KEYS and key != "event":
            continue
        if key.lower() in SENSITIVE_KEYS and value is not None:
            event_dict[key] = REDACTED
        else:
            event_dict[key] = _scrub_value(value)
    return event_dict


def drop_color(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """uvicorn passes a second, ANSI-coloured copy of its message as an extra: one copy is enough."""
    event_dict.pop("color_message", None)
    return event_dict


def add_trace_ids(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """The current span's ids, so a log line and its trace find each other."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict.setdefault("trace_id", format(context.trace_id, "032x"))
        event_dict.setdefault("span_id", format(context.span_id, "016x"))
    return event_dict


def _shared_processors() -> list[Processor]:
    return [
        merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_trace_ids,
    ]


def _renderer(fmt: str) -> Processor:
    if fmt == "json":
        return structlog.processors.JSONRenderer(default=str)
    return structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a line is written (a test runner swaps it per test)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _: IO[str]) -> None:
        pass


def configure(fmt: str | None = None, *, level: str | None = None, stream: IO[str] | None = None) -> None:
    """Install the one handler on the root logger (again: replaces ours, keeps others'), render `fmt`
    (LOG_FORMAT when not given) and silence the Twilio SDK's request logging."""
    settings = get_settings()
    fmt = fmt or settings.log_format
    keys = (settings.openai_api_key, settings.together_api_key, settings.parley_secret_keys)
    remember_secrets([*keys, settings.metrics_token])
    shared = _shared_processors()
    _route_to_stdlib()
    # Our events were redacted in their own chain (_route_to_stdlib); a library's stdlib record is redacted
    # in the pre-chain, so no line pays for redaction twice.
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            *shared,
            structlog.stdlib.ExtraAdder(),
            drop_color,
            structlog.processors.format_exc_info,
            redact,
        ],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, _renderer(fmt)],
    )
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.setFormatter(formatter)
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel((level or settings.log_level).upper())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_once() -> None:
    """`configure()` unless this process has already installed the handler (the app factory runs per app:
    tests build many, and an explicit configure, a test's capture for one, must win)."""
    if not any(getattr(h, _HANDLER_MARK, False) for h in logging.getLogger().handlers):
        configure()


def _wrap(logger: WrappedLogger, name: str, event_dict: EventDict) -> Any:
    return structlog.stdlib.ProcessorFormatter.wrap_for_formatter(logger, name, event_dict)


def _route_to_stdlib() -> None:
    """structlog events become stdlib records (redacted already), so one handler renders everything; done at
    import too, so an event logged before `configure` (a test, a script) is never printed raw."""
    structlog.configure(
        processors=[*_shared_processors(), structlog.processors.format_exc_info, redact, _wrap],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,  # the chain is the same whenever configure() runs again
    )


_route_to_stdlib()


_events = structlog.stdlib.get_logger("parley.events")
_events_logger = logging.getLogger("parley.events")


def event(name: str, **fields: Any) -> None:
    """One operational event (agent.turn, llm.call, agent.step, handoff, webhook, job.run): a name and
    plain fields (ids, counts, timings, outcomes; never customer words)."""
    if _events_logger.isEnabledFor(logging.INFO):  # filtered before the chain runs, not after
        _events.info(name, **fields)


def debug_event(name: str, **fields: Any) -> None:
    """An event too frequent for INFO (the queue's tick every second)."""
    if _events_logger.isEnabledFor(logging.DEBUG):
        _events.debug(name, **fields)


def bind(**ids: Any) -> None:
    """Ids for every later line of this context (the request, the worker thread's conversation)."""
    bind_contextvars(**{k: v for k, v in ids.items() if v is not None})


@contextmanager
def bound(**ids: Any) -> Iterator[None]:
    with bound_contextvars(**{k: v for k, v in ids.items() if v is not None}):
        yield


def current_ids() -> MutableMapping[str, Any]:
    return structlog.contextvars.get_contextvars()


__all__ = [
    "REDACTED",
    "bind",
    "bound",
    "configure",
    "configure_once",
    "current_ids",
    "debug_event",
    "event",
    "redact",
    "remember_secrets",
    "scrub",
]
