"""The chat messages for one turn: persona, turn instructions and context, history, the customer's words.

Layout, and why:
1. system — the persona (engine.agent.persona.apply_persona): identical on every turn, so providers' prompt
   caches keep it;
2. system — this turn: the requests found in the burst (answer each, most urgent first, once), and the
   context sections the builder kept (key facts, catalogue, knowledge, orders, summary);
3. the recent history as user/assistant messages;
4. user — the customer's burst, as they wrote it (spelling corrections applied), never mixed into a system
   message: customer text is data, not instructions (the request list names intents and catalogue keys
   only; a forgotten earlier request travels as a user message too).
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.agent.context import BuiltContext
from engine.agent.intents import DetectedIntent
from engine.llm.types import Message

OUTPUT_GUIDE = (
    "Answer with the JSON object: `reply` is the WhatsApp message; `intents` lists the requests you "
    "answered (name and confidence); `confidence` is how sure you are the reply is right and complete (0-1; "
    "under 0.5 if you had to guess); `handoff` asks for a person; `suggestions` may list up to 3 catalogue "
    "ids in square brackets from the CATALOGUE section that genuinely complement what the customer wants; "
    "`facts` records durable facts the customer told you (e.g. shoe_size, name, preferred_store); `rich` "
    'may offer up to 3 buttons ({"type": "buttons", "buttons": [{"id": "...", "title": "..."}]}) '
    "when the customer has to choose."
)


def request_lines(intents: Sequence[DetectedIntent]) -> list[str]:
    lines = []
    number = 0
    for intent in intents:
        if intent.social:
            continue
        number += 1
        # Names and catalogue keys only: the customer's own words stay in the user message (a quoted
        # "ignore your instructions" must never reach a system message).
        target = f" [{intent.target}]" if intent.target else ""
        about = f" ({intent.target_name})" if intent.target_name else ""
        lines.append(f"{number}. {intent.name}{target}{about}")
    return lines


def turn_instructions(
    intents: Sequence[DetectedIntent],
    *,
    first_turn: bool,
    returning_topic: str | None = None,
    forgotten: str | None = None,
    customer_name: str | None = None,
) -> str:
    lines: list[str] = []
    requests = request_lines(intents)
    if len(requests) > 1:
        lines.append(
            "The customer's messages contain several requests, most urgent first. Answer every one of them, "
            "in this order, in one reply (a short numbered paragraph each), and do not answer any of them "
            "twice:"
        )
        lines += requests
    elif requests:
        lines.append("The customer's request:")
        lines += requests
    if forgotten:
        lines.append(
            "The customer says an earlier request was missed (quoted in the message before their latest "
            "one). Answer it now; the apology is added to your reply for you."
        )
    if returning_topic and first_turn:
        lines.append(
            f"This customer is back after a break; last time the topic was: {returning_topic}. The welcome "
            "back is added to your reply for you: answer what they ask now."
        )
    if customer_name:
        lines.append(f"The customer's name: {customer_name}.")
    lines.append(OUTPUT_GUIDE)
    return "\n".join(lines)


def context_message(built: BuiltContext) -> str:
    sections = []
    for name, title in (
        ("key_facts", "KEY FACTS ABOUT THE CUSTOMER"),
        ("catalog", "CATALOGUE (matched items and the last one viewed; ids in square brackets)"),
        ("knowledge", "KNOWLEDGE BASE"),
        ("customer_history", "THE CUSTOMER'S ORDERS AND APPOINTMENTS"),
        ("summary", "EARLIER IN THIS CONVERSATION"),
    ):
        text = built.section(name)
        if text:
            sections.append(f"{title}:\n{text}")
    if not sections:
        sections.append("No knowledge or catalogue item matched this message.")
    return "\n\n".join(sections)


def build_messages(
    persona_prompt: str,
    instructions: str,
    built: BuiltContext,
    customer_text: str,
    *,
    forgotten: str | None = None,
) -> list[Message]:
    messages: list[Message] = [
        {"role": "system", "content": persona_prompt},
        {"role": "system", "content": instructions + "\n\n" + context_message(built)},
    ]
    for turn in built.history:
        messages.append({"role": turn.role, "content": turn.text})
    if forgotten:
        messages.append({"role": "user", "content": f"(My earlier request that was missed: {forgotten})"})
    messages.append({"role": "user", "content": customer_text})
    return messages


__all__ = ["OUTPUT_GUIDE", "build_messages", "context_message", "request_lines", "turn_instructions"]
