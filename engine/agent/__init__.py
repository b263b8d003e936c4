"""The agent: persona, pipeline, context builder, memory, intents, handoff, suggestions (DESIGN.md §1).

What other layers call:

- the channel: `ChannelAgent` (engine.agent.channel), the burst queue's responder, given to the worker by
  engine.jobs.queue; `process_batch(conversation, messages) -> TurnReply` is its answer;
- the Persona page: `AgentConfigurationService`, `PersonaForm`, `apply_persona`, `preview_persona`;
- the Playground page and `python -m engine chat`: `engine.agent.playground`;
- the scheduler: `run_memory_maintenance` (summaries of long conversations, expiry of idle contexts).
"""

from engine.agent.channel import ChannelAgent, process_batch
from engine.agent.flags import AGENT_FLAG, agent_enabled, agent_mode, set_agent_enabled, set_agent_mode
from engine.agent.handoff import HandoffDecision, HandoffSignals, should_handoff
from engine.agent.intents import DetectedIntent, detect_intents
from engine.agent.memory import run_memory_maintenance, summarize_conversations
from engine.agent.persona import (
    AgentConfigurationService,
    FieldProblem,
    PersonaForm,
    PersonaSettings,
    PersonaValidationError,
    apply_persona,
    invalidate_agent_configuration,
)
from engine.agent.pipeline import process_message, run_turn
from engine.agent.types import InboundMessage, TraceStep, TurnResult

__all__ = [
    "AGENT_FLAG",
    "AgentConfigurationService",
    "ChannelAgent",
    "DetectedIntent",
    "FieldProblem",
    "HandoffDecision",
    "HandoffSignals",
    "InboundMessage",
    "PersonaForm",
    "PersonaSettings",
    "PersonaValidationError",
    "TraceStep",
    "TurnResult",
    "agent_enabled",
    "agent_mode",
    "apply_persona",
    "detect_intents",
    "invalidate_agent_configuration",
    "process_batch",
    "process_message",
    "run_memory_maintenance",
    "run_turn",
    "set_agent_enabled",
    "set_agent_mode",
    "should_handoff",
    "summarize_conversations",
]
