"""`python -m engine chat --tenant SLUG`: the terminal playground."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from engine.agent.chat_cli import run_chat
from engine.cli import main
from tests.engine.agent.conftest import Shop


def _feed(lines: list[str]) -> Callable[[str], str]:
    it = iter(lines)

    def read(_prompt: str) -> str:
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    return read


def test_the_terminal_chat_prints_replies_and_the_trace(shop: Shop) -> None:
    out = io.StringIO()
    code = run_chat(
        "shop",
        read=_feed(["do you have the cloudstep 90?", "1", "/trace", "how much is delivery?", "/quit"]),
        out=out,
        customer_name="Ada",
    )
    text = out.getvalue()
    assert code == 0
    assert "agent> [buttons]" in text and "Cloudstep 90 Running Shoe — £95.00" in text
    assert "intents: product_inquiry→RUN-1" in text and "catalogue: RUN-1" in text
    assert "steps: sanitize" in text and "model: offline/offline-templates" in text
    assert "Support Insoles — £25.00" in text  # "1" tapped the first suggestion
    assert "(trace off)" in text and "£3.95" in text.split("(trace off)")[1]
    assert "steps:" not in text.split("(trace off)")[1]


def test_handoff_then_handback_in_the_terminal(shop: Shop) -> None:
    out = io.StringIO()
    run_chat(
        "shop", read=_feed(["I want a human", "hello?", "/handback", "thanks!"]), out=out, show_trace=False
    )
    text = out.getvalue()
    assert "passing you to a member of our team" in text and "(no reply: a person owns" in text
    assert text.rstrip().endswith("Anything else I can help with?")


def test_the_chat_command_is_wired_into_the_cli(
    shop: Shop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("builtins.input", _feed(["hi", "/quit"]))
    assert main(["chat", "--tenant", "shop", "--no-trace"]) == 0
    assert "agent> Hi! How can I help you today?" in capsys.readouterr().out
    assert main(["chat", "--tenant", "nope"]) == 2
