"""The worker→agent contract (engine.conversations.contract): the decision travels typed, and the agent alone
writes its record of the turn. Read from the sources, so a shortcut back to the old seam fails here."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from engine.channels.whatsapp.rich import RichMessageBuilder
from engine.conversations.contract import HandoffRequest, TurnReply

ROOT = Path(__file__).resolve().parents[3]
QUEUE = ROOT / "engine" / "conversations" / "queue.py"


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text())


def test_the_queue_never_reads_the_message_meta() -> None:
    meta = [n.lineno for n in ast.walk(_tree(QUEUE)) if isinstance(n, ast.Attribute) and n.attr == "meta"]
    assert meta == []
    assert ".meta.get(" not in QUEUE.read_text() and "meta[" not in QUEUE.read_text()


def test_the_queue_neither_writes_nor_reads_the_agents_records() -> None:
    names = {n.id for n in ast.walk(_tree(QUEUE)) if isinstance(n, ast.Name)}
    assert names.isdisjoint({"AgentInteraction", "LLMCall"})


def test_only_the_agent_package_creates_agent_interactions() -> None:
    writers = set()
    for folder in ("engine", "console"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(_tree(path)):
                if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("AgentInteraction"):
                    writers.add(str(path.relative_to(ROOT).parent))
    assert writers == {"engine/agent"}


def test_a_turn_reply_is_frozen_and_silent_without_a_message() -> None:
    reply = TurnReply(RichMessageBuilder.text("hi"), handoff=HandoffRequest("asked for a person"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        reply.interaction_id = 3  # type: ignore[misc]
    assert not reply.silent and TurnReply(None, responder="silent").silent
