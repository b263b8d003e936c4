"""The burst queue job: one worker per process, answering with the agent.

This is where the worker meets the agent (engine.agent.channel.ChannelAgent): the queue package defines the
contract and never imports the agent, so the wiring lives up here, with the other jobs.
"""

from __future__ import annotations

from engine.agent.channel import ChannelAgent
from engine.conversations.queue import QueueWorker, TickReport

_worker: QueueWorker | None = None


def queue_worker() -> QueueWorker:
    """This process's worker (one, so its recovery timer and worker id persist between ticks)."""
    global _worker
    if _worker is None:
        _worker = QueueWorker(responder=ChannelAgent())
    return _worker


def run_message_queue() -> TickReport:
    """The scheduler job (engine.jobs.scheduler): one tick of this process's worker. It does not wait for the
    conversations it starts — they are answered in the worker's pool, so a slow model never holds the tick
    (and with it every other tenant's due conversations) back."""
    return queue_worker().tick(wait=False)


__all__ = ["queue_worker", "run_message_queue"]
