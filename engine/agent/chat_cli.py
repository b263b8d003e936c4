"""`python -m engine chat --tenant SLUG`: the Playground in a terminal.

Type as a customer would; each reply is printed as WhatsApp would show it (buttons and list rows numbered:
type the number, or the title, to tap one), followed by the trace: intents, confidence, knowledge hits,
catalogue matches, corrections, handoff decision, model, tokens, cost and the time of each step.

Commands: /new (pretend 30 minutes passed), /restart (a fresh conversation), /handback (after a handoff),
/trace (toggle the trace), /quit.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from engine.agent import playground
from engine.agent.types import TurnResult
from engine.channels.whatsapp.rich import Option, resolve_choice
from engine.db import session_scope

HELP = (
    "Commands: /new (session expiry) · /restart · /handback · /trace · /quit. Type a number to tap an option."
)


def format_reply(result: TurnResult) -> str:
    if result.message is None:
        return "(no reply: a person owns this conversation — /handback to give it back to the bot)"
    message = result.message
    lines = [message.body if message.kind == "text" else message.fallback_text()]
    if message.kind in ("buttons", "list", "card"):
        lines.insert(0, f"[{message.kind}]")
    return "\n".join(line for line in lines if line)


def format_trace(result: TurnResult) -> str:
    out = []
    intents = ", ".join(
        f"{i['name']}{'→' + i['target'] if i.get('target') else ''}({i.get('confidence', 0):.2f})"
        for i in result.intents
    )
    out.append(
        f"  intents: {intents or '-'} · confidence "
        f"{'-' if result.confidence is None else format(result.confidence, '.2f')}"
    )
    if result.corrections:
        fixes = ", ".join(
            f"{c['original']}→{c['corrected']}{'?' if c['needs_confirmation'] else ''}"
            for c in result.corrections
        )
        out.append(f"  corrections: {fixes}")
    if result.catalog_matches:
        out.append(
            "  catalogue: "
            + ", ".join(f"{m['key']} {m['confidence']:.2f}" for m in result.catalog_matches[:3])
        )
    if result.knowledge_hits:
        out.append(
            "  knowledge: "
            + "; ".join(f"{k['title']} {k['confidence']:.2f}" for k in result.knowledge_hits[:3])
        )
    if result.suggestions:
        out.append("  suggestions: " + ", ".join(s["key"] for s in result.suggestions))
    handoff = f"yes ({result.handoff_category}: {result.handoff_reason})" if result.handoff else "no"
    out.append(f"  handoff: {handoff}")
    model = f"{result.provider}/{result.model}" + (f" [{result.degraded}]" if result.degraded else "")
    out.append(
        f"  model: {model} · tokens {result.tokens_in}/{result.tokens_out} · cost {result.cost} · "
        f"{result.latency_ms} ms (pipeline {result.overhead_ms} ms)"
    )
    out.append("  steps: " + " · ".join(f"{s.name} {s.ms:.1f}" for s in result.trace))
    for note in result.notes:
        out.append(f"  note: {note}")
    return "\n".join(out)


def run_chat(
    slug: str,
    *,
    read: Callable[[str], str] | None = None,
    out: TextIO | None = None,
    customer_name: str | None = None,
    show_trace: bool = True,
) -> int:
    """The loop; `read` (default: input) raises EOFError at the end of input (Ctrl-D)."""
    read = read or input
    out = out or sys.stdout
    from engine.accounts.tenants import require_by_slug

    with session_scope() as session:
        tenant = require_by_slug(session, slug)
        tenant_id = int(tenant.id or 0)
        chat = playground.start_playground(session, tenant_id, customer_name=customer_name)
        name = tenant.name
    who = f" as {customer_name!r}" if customer_name else ""
    print(f"Chatting with {name}'s agent{who}. {HELP}", file=out)
    options: tuple[Option, ...] = ()
    while True:
        try:
            line = read("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return 0
        if not line:
            continue
        command = line.lower()
        if command in ("/quit", "/exit"):
            return 0
        if command == "/trace":
            show_trace = not show_trace
            print(f"(trace {'on' if show_trace else 'off'})", file=out)
            continue
        if command == "/new":
            playground.new_session(tenant_id, chat.conversation_id)
            print("(the working memory expired: as if 30 minutes had passed)", file=out)
            continue
        if command == "/restart":
            with session_scope() as session:
                chat = playground.start_playground(session, tenant_id, customer_name=customer_name)
            options = ()
            print("(a fresh conversation)", file=out)
            continue
        if command == "/handback":
            with session_scope() as session:
                playground.hand_back(session, tenant_id, chat.conversation_id)
            print("(handed back: the bot answers again)", file=out)
            continue
        choice = resolve_choice(options, body=line) if options else None
        if choice is not None:
            result = playground.tap(tenant_id, chat.conversation_id, choice.option.id, choice.option.title)
        else:
            result = playground.send(tenant_id, chat.conversation_id, line)
        options = result.message.options if result.message else ()
        print(f"agent> {format_reply(result)}", file=out)
        if show_trace:
            print(format_trace(result), file=out)


__all__ = ["format_reply", "format_trace", "run_chat"]
